"""Allowances for `diff --fail-on-regression`: how much a metric may grow before it regresses.

``--allow forced_seconds=+2`` lets the forced seconds to a person grow by up to 2 s. Without an
allowance any growth regresses (``+0``). Units: key presses for ``steps``, ``mistype_steps``;
menu levels for ``depth``; seconds for the rest, compared as the reports print them (to 0.1 s).
"""

from __future__ import annotations

import math
import re

from ..errors import did_you_mean

# allowance name -> what it limits (the JSON report's metric), for help and errors
ALLOWANCES = {
    "steps": "steps_to_human (key presses)",
    "forced_seconds": "forced_seconds_to_human (seconds)",
    "listen_seconds": "listen_seconds_to_human (seconds)",
    "silent_seconds": "silent_seconds_to_human (seconds)",
    "depth": "depth (menu levels)",
    "mistype_seconds": "a mistype row's penalty_seconds (seconds)",
    "mistype_steps": "a mistype row's penalty_steps (key presses)",
}
_FORM = re.compile(r"\s*([A-Za-z_]+)\s*=\s*\+?\s*([0-9]+(?:\.[0-9]+)?)\s*")


def parse_allowance(text: str) -> tuple[str, float]:
    """``NAME=+N`` (or ``NAME=N``) as (name, N); ValueError with a readable reason.

    >>> parse_allowance("forced_seconds=+2.5")
    ('forced_seconds', 2.5)
    >>> parse_allowance("forced=+2")
    Traceback (most recent call last):
    ValueError: unknown metric 'forced' in 'forced=+2' (did you mean 'forced_seconds'?)
    """
    found = _FORM.fullmatch(text)
    if found is None:
        raise ValueError(f"'{text}' is not NAME=+N (e.g. forced_seconds=+2)")
    name, amount = found.group(1), float(found.group(2))
    if name not in ALLOWANCES:
        raise ValueError(f"unknown metric '{name}' in '{text}'" + did_you_mean(name, ALLOWANCES))
    if not math.isfinite(amount):
        raise ValueError(f"'{text}': the allowance must be a finite number")
    return name, amount


def allowances(texts) -> dict[str, float]:
    """Every allowance, zero unless given; a later one for the same metric wins."""
    allowed = dict.fromkeys(ALLOWANCES, 0.0)
    for text in texts:
        name, amount = parse_allowance(text)
        allowed[name] = amount
    return allowed


def names_hint() -> str:
    return "allowances: " + ", ".join(f"{name}=+N" for name in ALLOWANCES)
