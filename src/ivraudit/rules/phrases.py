"""Words that ask for a person (SPEC 9.9), matched the way SPEC 9.10 says."""

from __future__ import annotations

import re
from functools import lru_cache

from ..format.model import phrase_key

# The `phrases` parameter's default: English, Chinese, Spanish. A policy adds a language by
# setting the parameter (e.g. `phrases: [agent, ..., Kundendienst]`).
PERSON_PHRASES = [
    "agent", "operator", "representative", "person", "human", "advisor", "adviser",
    "specialist", "customer service", "人工", "人工服务", "转人工", "客服", "坐席", "专员",
    "agente", "operador", "operadora", "persona", "asesor",
]
PHRASES_HELP = ("words that ask for a person, matched ignoring case, spaces and punctuation, "
                "either containing the other")


def asks_for_person(text: str | None, phrases) -> bool:
    """Whether ``text`` (a phrase or an announcement) names a person: it and one of
    ``phrases``, normalised, contain one another."""
    if not text:
        return False
    said = phrase_key(text)
    if not said:
        return False
    inside, keys = _matcher(tuple(phrases))
    return bool(inside and inside.search(said)) or any(said in wanted for wanted in keys)


@lru_cache(maxsize=16)
def _matcher(phrases: tuple[str, ...]) -> tuple[re.Pattern | None, tuple[str, ...]]:
    """A policy's phrases, normalised once: a pattern finding one inside a text, and the list."""
    keys = tuple(key for key in map(phrase_key, phrases) if key)
    return (re.compile("|".join(map(re.escape, keys))) if keys else None), keys
