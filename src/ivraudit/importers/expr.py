"""A small, safe evaluator for the conditions platform files write (never executed as code).

VoiceXML `cond`/`expr` attributes are ECMAScript, Asterisk `$[...]` expressions their own
language; both mostly compare a variable with a literal (``menu_action == '1'``,
``${COUNT} < 3``). ``evaluate`` computes such an expression from the variables whose values
are known statically, and answers ``UNKNOWN`` for anything else (a function call, a variable
set at run time), so that the importer turns it into a run-time condition instead of guessing.
Both languages' operators are read: ``==``/``===``/``=``, ``!=``/``!==``, ``<``, ``<=``, ``>``,
``>=``, ``&&``/``&``, ``||``/``|``, ``!``, ``+``, ``-``, parentheses, quoted strings, numbers,
``true``, ``false``, ``null``.
"""

from __future__ import annotations

import re


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

_TOKEN = re.compile(r"""\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|"[^"]*")
    |(?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+<>=!&|()])|(?P<name>[A-Za-z_$][\w$.]*))""", re.X)


def tokens(expression: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens, or None when something else is written (a call, an index)."""
    found, at = [], 0
    expression = expression.strip()
    while at < len(expression):
        match = _TOKEN.match(expression, at)
        if not match or match.end() == at:
            return None
        kind = match.lastgroup
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


def evaluate(expression: str, values: dict[str, object]) -> object:
    """The expression's value with the known ``values`` (names, ``application.`` prefix
    allowed), or UNKNOWN."""
    found = tokens(expression)
    if not found:
        return UNKNOWN
    parser = _Parser(found, values)
    try:
        result = parser.disjunction()
    except (IndexError, ValueError, TypeError, OverflowError):
        return UNKNOWN
    return result if parser.at == len(found) else UNKNOWN


def names(expression: str) -> list[str]:
    """The variable names an expression reads."""
    return [text for kind, text in tokens(expression) or () if kind == "name"
            and text not in ("true", "false", "null", "undefined")]


MAX_NESTING = 50  # parentheses and prefix operators inside each other: the parser recurses


class _Parser:
    def __init__(self, found, values) -> None:
        self.found, self.values, self.at = found, values, 0
        self.nesting = 0

    def peek(self) -> str | None:
        return self.found[self.at][1] if self.at < len(self.found) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.found[self.at - 1]

    def disjunction(self):
        left = self.conjunction()
        while self.peek() in ("||", "|"):
            self.take()
            right = self.conjunction()
            left = _or(left, right)
        return left

    def conjunction(self):
        left = self.comparison()
        while self.peek() in ("&&", "&"):
            self.take()
            right = self.comparison()
            left = _and(left, right)
        return left

    def comparison(self):
        left = self.sum()
        while self.peek() in ("==", "===", "=", "!=", "!==", "<", "<=", ">", ">="):
            op = self.take()[1]
            right = self.sum()
            left = _compare(op, left, right)
        return left

    def sum(self):
        left = self.unary()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = self.unary()
            if left is UNKNOWN or right is UNKNOWN:
                left = UNKNOWN
            elif op == "+" and (isinstance(left, str) or isinstance(right, str)):
                left = _text(left) + _text(right)
            elif isinstance(left, (int, float)) and isinstance(right, (int, float)):
                left = left + right if op == "+" else left - right
            else:
                left = UNKNOWN
        return left

    def unary(self):
        self.nesting += 1
        try:
            if self.nesting > MAX_NESTING:
                raise ValueError("nested too deeply")
            return self._operand()
        finally:
            self.nesting -= 1

    def _operand(self):
        if self.peek() == "!":
            self.take()
            value = self.unary()
            return UNKNOWN if value is UNKNOWN else not value
        if self.peek() == "-":
            self.take()
            value = self.unary()
            return -value if isinstance(value, (int, float)) else UNKNOWN
        if self.peek() == "(":
            self.take()
            value = self.disjunction()
            if self.take()[1] != ")":
                raise ValueError("unbalanced")
            return value
        kind, text = self.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return text[1:-1]
        if kind == "name":
            return _name(text, self.values)
        raise ValueError(text)


def _name(text: str, values: dict):
    literal = {"true": True, "false": False, "null": None, "undefined": None}
    if text in literal:
        return literal[text]
    for name in (text, text.removeprefix("application.")):
        if name in values:
            return values[name]
    return UNKNOWN


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _and(left, right):
    if left is False or right is False:
        return False
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    return bool(left) and bool(right)


def _or(left, right):
    if left is True or right is True:
        return True
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    return bool(left) or bool(right)


def _compare(op: str, left, right):
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op in ("==", "===", "=", "!=", "!=="):
        same = _text(left) == _text(right) if op in ("==", "=", "!=") else left == right
        return same if op in ("==", "===", "=") else not same
    try:
        left, right = float(left), float(right)
    except (TypeError, ValueError, OverflowError):
        return UNKNOWN
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
