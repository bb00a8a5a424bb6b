"""Numbers in platform files, read one way by every importer: plain decimals only.

Platform files write numbers as numbers or as text (``"5"``, ``"2.5"``, ``"1500"``). Only plain
decimal notation is read, with ASCII digits: no exponent (``"1e999999999"`` takes Python
minutes to expand into a fraction), no ``nan`` or ``inf``, at most 12 digits before the point
and 12 after, so that every value an importer computes with is finite and small. Anything else
is None, and the importer says what it does instead (a documented default, as an assumption).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_DECIMAL = re.compile(r"[+-]?[0-9]{1,12}(?:\.[0-9]{1,12})?")


def decimal(value) -> Fraction | None:
    """``value`` (a number, or text holding one) as an exact fraction; None when it is not a
    plain decimal (text, a template placeholder, an exponent, nan, a boolean, too many digits)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = repr(value)
    text = str(value).strip()
    return Fraction(text) if _DECIMAL.fullmatch(text) else None


def whole(value) -> int | None:
    """``value`` as a whole number (``3``, ``"3"``, ``3.0``); None otherwise (see ``decimal``)."""
    found = decimal(value)
    return int(found) if found is not None and found.denominator == 1 else None
