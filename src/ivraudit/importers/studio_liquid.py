"""The little of Twilio Studio's Liquid that a flow's own counters need, evaluated statically.

A flow that counts its retries keeps the count in a flow variable (`set-variables` with
``{{flow.variables.count | plus: 1}}``) and tests it in a `split-based-on` on
``{{flow.variables.count}}``. ``Variables`` is what is known of the flow variables at one point
of the call; ``assign`` and ``decide`` evaluate what can be evaluated without running the call
and say None for the rest (then the importer falls back to named conditions).
"""

from __future__ import annotations

import re

from .numbers import decimal

MAX_COUNTER = 50  # a counter past this is no longer followed (the walk stays small)
_VARIABLE = re.compile(r"^\{\{\s*flow\.variables\.([A-Za-z0-9_]+)\s*\}\}$")
_ARITHMETIC = re.compile(r"^\{\{\s*flow\.variables\.([A-Za-z0-9_]+)\s*((?:\|\s*(?:plus|minus)"
                         r"\s*:\s*-?[0-9]{1,12}\s*)*)\}\}$")
_FILTER = re.compile(r"\|\s*(plus|minus)\s*:\s*(-?[0-9]{1,12})")
READS = re.compile(r"flow\.variables\.([A-Za-z0-9_]+)")

# sorted ((name, value), ...): a variable left out is unset (Liquid's nil, read as ""); value
# None: set to something not known before the call runs
Variables = tuple


def variable_of(expression: str) -> str | None:
    """The flow variable an input like ``{{flow.variables.count}}`` reads, or None."""
    found = _VARIABLE.match(str(expression).strip())
    return found.group(1) if found else None


def assign(state: Variables, key: str, value) -> Variables:
    """The variables after `set-variables` sets ``key`` to ``value`` (its Liquid text)."""
    known = dict(state)
    text = str(value).strip() if value is not None else ""
    result: str | None = None
    if "{{" not in text and "{%" not in text:
        result = text
    else:
        found = _ARITHMETIC.match(text)
        base = known.get(found.group(1), "") if found else None
        if base is not None:
            result = _arithmetic(base, found.group(2))
    number = _number(result) if result is not None else None
    if number is not None and abs(number) > MAX_COUNTER:
        result = None
    known[key] = result
    return tuple(sorted(known.items(), key=lambda item: item[0]))


def _arithmetic(base: str, filters: str) -> str | None:
    number = _number(base) if base != "" else 0  # Liquid: nil | plus: 1 is 1
    if number is None:
        return None
    for operation, amount in _FILTER.findall(filters):
        number = number + int(amount) if operation == "plus" else number - int(amount)
    return str(number)


def _number(text: str):
    """A flow variable's text as a number (plain decimals only: importers.numbers)."""
    value = decimal(text)
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


def holds(kind: str, value: str, argument: str) -> bool | None:
    """Whether a split condition of ``kind`` holds for the known ``value`` (None: a kind
    this does not evaluate)."""
    argument = str(argument)
    if kind == "equal_to":
        a, b = _number(value), _number(argument)
        return a == b if a is not None and b is not None else value == argument
    if kind == "not_equal_to":
        result = holds("equal_to", value, argument)
        return None if result is None else not result
    if kind in ("greater_than", "less_than"):
        a, b = _number(value), _number(argument)
        if a is None or b is None:
            return False if value == "" else None
        return a > b if kind == "greater_than" else a < b
    if kind == "matches_any_of":
        return value in [part.strip() for part in argument.split(",")]
    if kind == "does_not_match_any_of":
        return value not in [part.strip() for part in argument.split(",")]
    if kind == "is_blank":
        return value.strip() == ""
    if kind == "is_not_blank":
        return value.strip() != ""
    if kind == "contains":
        return argument in value
    if kind == "does_not_contain":
        return argument not in value
    if kind == "starts_with":
        return value.startswith(argument)
    return None


def decide(state: Variables, transitions: list, variable: str):
    """For a split on a flow variable: the index of the first `match` transition that holds,
    -1 for `noMatch`, None when the value or a condition cannot be evaluated."""
    value = dict(state).get(variable, "")
    if value is None:
        return None
    for index, transition in enumerate(transitions):
        if not isinstance(transition, dict) or transition.get("event") != "match":
            continue
        conditions = transition.get("conditions") or []
        results = [holds(str(c.get("type")), value, c.get("value", "")) for c in conditions
                   if isinstance(c, dict)]
        if any(result is None for result in results):
            return None
        if results and all(results):
            return index
    return -1
