"""Personas: how a simulated caller behaves, built in (``personas/*.yaml``) or written by a user.

A persona has four things (docs/simulate.md explains each):

- ``knowledge``: ``expert`` (knows the keys of the forced best path from wherever it is, presses
  as soon as a key is accepted), ``first-time`` (follows the first-time caller's best path over
  announced options and presses once its option has been announced) or ``none`` (presses
  nothing: the keypad-free caller);
- ``reaction``: seconds from the moment it could press until it presses, lognormal with a
  ``median`` and a ``sigma`` (``sigma: 0``, or a plain number, is a fixed delay);
- ``mistype``: the probability that a key press hits a neighbouring key instead;
- ``patience``: seconds in the menus after which it hangs up (``null``: never);
- ``speaks``: it may say an option's phrase instead of pressing its key (SPEC 9.3): an expert
  or first-time caller then takes whichever choice is best, a caller with ``knowledge: none``
  says the spoken options announced on its way (default false).

A persona file holds one persona and may start from another (``extends: elderly``)::

    name: slow-expert
    extends: expert
    reaction: {median: 2.0, sigma: 0.5}
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple
from importlib import resources
from pathlib import Path

from ..errors import MenuError
from ..errors import did_you_mean
from ..format.yamlsource import PosDict, PosList, decode, parse
from .errors import PersonaError, SimulateError

BUILTIN = ("expert", "first-time", "elderly", "keypad-free", "impatient")
KNOWLEDGE = ("expert", "first-time", "none")
_FIELDS = ("name", "description", "extends", "knowledge", "reaction", "mistype", "patience",
           "speaks", "sources")
_MAX_SIGMA = 3.0


class Reaction(NamedTuple):
    """A reaction time: lognormal with this median and sigma; a fixed delay when sigma is 0."""

    median: float
    sigma: float = 0.0

    @property
    def mu(self) -> float:
        return math.log(self.median)

    def cdf(self, limit: float) -> float:
        """P(R <= limit)."""
        if self.sigma == 0 or self.median == 0:
            return 1.0 if self.median <= limit else 0.0
        if limit <= 0:
            return 0.0
        return _phi((math.log(limit) - self.mu) / self.sigma)

    def partial_mean(self, limit: float) -> float:
        """E[R; R <= limit]: the mean of R over the presses that come by ``limit``."""
        if self.sigma == 0 or self.median == 0:
            return self.median if self.median <= limit else 0.0
        if limit <= 0:
            return 0.0
        s = self.sigma
        return math.exp(self.mu + s * s / 2) * _phi((math.log(limit) - self.mu - s * s) / s)

    def text(self) -> str:
        if self.sigma == 0:
            return f"{self.median:g} s"
        return f"lognormal, median {self.median:g} s, sigma {self.sigma:g}"


def _phi(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


class Persona(NamedTuple):
    """A persona (named tuples, not dataclasses: the audit imports this module, and they are
    created faster)."""

    name: str
    knowledge: str
    reaction: Reaction
    mistype: float = 0.0
    patience: float | None = None
    description: str = ""
    sources: tuple[tuple[str, str], ...] = ()
    origin: str = "built-in"
    speaks: bool = False

    @property
    def presses_keys(self) -> bool:
        return self.knowledge != "none"


@lru_cache(maxsize=None)
def builtin(name: str) -> Persona:
    """A built-in persona by name."""
    text = resources.files(__package__).joinpath(f"personas/{name}.yaml").read_text(
        encoding="utf-8")
    return _from_text(text, f"<persona {name}>", Path("."), (), origin="built-in")


def builtins() -> list[Persona]:
    return [builtin(name) for name in BUILTIN]


def load(name_or_path: str) -> Persona:
    """A built-in persona by name, or a persona file by path."""
    if name_or_path in BUILTIN:
        return builtin(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        if name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path:
            raise SimulateError(f"no persona file '{name_or_path}'",
                                "check the path, or name a built-in persona: " + ", ".join(BUILTIN))
        raise SimulateError(f"no persona '{name_or_path}'" + did_you_mean(name_or_path, BUILTIN),
                            "built-in personas: " + ", ".join(BUILTIN) + "; or give a persona file")
    return _from_file(path, ())


def _from_file(path: Path, chain: tuple[str, ...]) -> Persona:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PersonaError(str(path), 1, 1, f"cannot read the persona: {exc.strerror}") from None
    try:
        text = decode(data, str(path))
    except MenuError as exc:
        raise PersonaError(exc.path, exc.line, exc.column, exc.message, exc.hint) from None
    return _from_text(text, str(path), path.parent, chain + (str(path.resolve()),),
                      origin=str(path), default_name=path.stem)


def _from_text(text: str, where: str, folder: Path, chain: tuple[str, ...], origin: str,
               default_name: str | None = None) -> Persona:
    try:
        document = parse(text, where)
    except MenuError as exc:
        raise PersonaError(exc.path, exc.line, exc.column, exc.message, exc.hint) from None
    if not isinstance(document, PosDict):
        raise PersonaError(where, *getattr(document, "pos", (1, 1)), "a persona must be a mapping",
                           "write `knowledge:`, `reaction:`, `mistype:` and `patience:` keys")
    return _Reader(where, document).persona(folder, chain, origin, default_name)


class _Reader:
    """Checks one persona document, raising PersonaError at the place of a mistake."""

    def __init__(self, path: str, document: PosDict) -> None:
        self.path, self.doc = path, document

    def error(self, key: str | None, message: str, hint: str = "") -> PersonaError:
        line, column = self.doc.value_pos[key] if key else self.doc.pos
        return PersonaError(self.path, line, column, message, hint)

    def persona(self, folder: Path, chain: tuple[str, ...], origin: str,
                default_name: str | None) -> Persona:
        doc = self.doc
        for key in doc:
            if key not in _FIELDS:
                line, column = doc.key_pos[key]
                raise PersonaError(self.path, line, column, f"unknown field '{key}' in a persona"
                                   + did_you_mean(str(key), _FIELDS), "fields: " + ", ".join(_FIELDS))
        base = self.parent(folder, chain) if "extends" in doc else None
        if base is None:
            for required in ("knowledge", "reaction"):
                if required not in doc:
                    raise self.error(None, f"a persona needs `{required}`",
                                     "or start from another persona with `extends: NAME`")
        fields: dict = {"origin": origin}
        if "name" in doc:
            fields["name"] = self.text("name")
        elif base is None:
            fields["name"] = default_name or "persona"
        else:
            fields["name"] = default_name or base.name
        if "description" in doc:
            fields["description"] = self.text("description")
        if "knowledge" in doc:
            value = doc["knowledge"]
            if value not in KNOWLEDGE:
                raise self.error("knowledge", f"unknown knowledge '{value}'"
                                 + did_you_mean(str(value), KNOWLEDGE),
                                 "use expert, first-time or none")
            fields["knowledge"] = value
        if "reaction" in doc:
            fields["reaction"] = self.reaction()
        if "mistype" in doc:
            fields["mistype"] = self.number("mistype", low=0.0, below=1.0)
        if "patience" in doc:
            fields["patience"] = None if doc["patience"] is None else \
                self.number("patience", low=0.0, positive=True)
        if "sources" in doc:
            fields["sources"] = self.sources()
        if "speaks" in doc:
            if not isinstance(doc["speaks"], bool):
                raise self.error("speaks", "`speaks` must be true or false")
            fields["speaks"] = doc["speaks"]
        if base is None:
            return Persona(**fields)
        return base._replace(**fields)

    def parent(self, folder: Path, chain: tuple[str, ...]) -> Persona:
        name = self.doc["extends"]
        if not isinstance(name, str):
            raise self.error("extends", "`extends` must name a persona")
        if name in BUILTIN:
            return builtin(name)
        path = folder / name
        if not path.is_file():
            raise self.error("extends", f"`extends` names '{name}', which is no persona"
                             + did_you_mean(name, BUILTIN),
                             "built-in personas: " + ", ".join(BUILTIN) + "; or a persona file")
        if str(path.resolve()) in chain:
            raise self.error("extends", f"personas extend each other in a circle ({name})")
        return _from_file(path, chain)

    def text(self, key: str) -> str:
        value = self.doc[key]
        if not isinstance(value, str):
            raise self.error(key, f"`{key}` must be a string")
        return value

    def number(self, key: str, low: float, below: float | None = None,
               positive: bool = False, mapping: PosDict | None = None) -> float:
        holder = mapping if mapping is not None else self.doc
        value = holder[key]
        line, column = holder.value_pos[key]
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        ok = ok and value >= low and (below is None or value < below) and (not positive or value > 0)
        if not ok:
            bounds = f"a number above {low:g}" if positive else f"a number from {low:g}"
            if below is not None:
                bounds += f" up to (not including) {below:g}"
            raise PersonaError(self.path, line, column, f"`{key}` must be {bounds}, not {value!r}",
                               _HINTS.get(key, ""))
        return float(value)

    def reaction(self) -> Reaction:
        raw = self.doc["reaction"]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return Reaction(self.number("reaction", low=0.0))
        if not isinstance(raw, PosDict):
            raise self.error("reaction", "`reaction` must be seconds or {median, sigma}",
                             _HINTS["reaction"])
        for key in raw:
            if key not in ("median", "sigma"):
                line, column = raw.key_pos[key]
                raise PersonaError(self.path, line, column, f"unknown field '{key}' in `reaction`"
                                   + did_you_mean(str(key), ("median", "sigma")), _HINTS["reaction"])
        if "median" not in raw:
            line, column = raw.pos
            raise PersonaError(self.path, line, column, "`reaction` needs a `median`",
                               _HINTS["reaction"])
        median = self.number("median", low=0.0, mapping=raw)
        sigma = self.number("sigma", low=0.0, below=_MAX_SIGMA, mapping=raw) if "sigma" in raw else 0.0
        return Reaction(median, sigma if median > 0 else 0.0)

    def sources(self) -> tuple[tuple[str, str], ...]:
        raw = self.doc["sources"]
        if not isinstance(raw, PosList):
            raise self.error("sources", "`sources` must be a list of {title, url}")
        found = []
        for index, item in enumerate(raw):
            if not isinstance(item, PosDict) or not isinstance(item.get("title"), str):
                line, column = raw.item_pos[index]
                raise PersonaError(self.path, line, column, "a source needs a `title` (and a `url`)")
            found.append((item["title"], str(item.get("url", ""))))
        return tuple(found)


_HINTS = {
    "reaction": "e.g. `reaction: {median: 2.6, sigma: 0.6}` (seconds, lognormal) or `reaction: 1.5`",
    "mistype": "the probability that a key press hits a neighbouring key, e.g. 0.05",
    "patience": "seconds in the menus before the caller hangs up, or null for never",
    "median": "seconds, e.g. 2.6",
    "sigma": "the spread of the lognormal, e.g. 0.5 (0: always the median)",
}
