"""Platform files that are not plain JSON: templates and flows written inside a string.

Two things platforms do to their flow JSON, both read here with positions that stay true in
the file the user gave:

- **Templates** (Terraform ``templatefile``): ``${ jsonencode(...) }`` or ``${var}`` where a
  value stands, ``${...}`` inside a string (even one holding quotes), bare HCL expressions
  (``var.timeout``, ``jsonencode(local.x)``), ``%{ ... }`` directives. ``detemplate`` turns
  each into an opaque string of exactly the same length (a directive into blanks), so the text
  parses as JSON and every line and column stays where it was. The template's text is kept,
  never evaluated.
- **A flow inside a string** (Connect's ``Content``, a CloudFormation ``!Sub``): the inner JSON
  is parsed with its own positions, then each is moved to where that character stands in the
  outer file (``Relocation``): exactly, character by character, for a string written on one
  line or a YAML block; at the string's own position otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..errors import MenuError
from ..format.yamlsource import PosDict, PosList, parse

_OPEN = {"{": "}", "(": ")", "[": "]"}
_VALUE_START = set('"-0123456789{[tfn')  # what may start a JSON value (true, false, null)


def _span_end(text: str, start: int) -> int:
    """The index after the template expression starting at ``start`` (``${``, ``%{`` or a
    bare expression), matching brackets and skipping the expression's own strings."""
    depth, i, n = [], start, len(text)
    bare = text[start] not in "$%"
    while i < n:
        char = text[i]
        if char == '"' and (depth or bare):
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif char in _OPEN:
            depth.append(_OPEN[char])
        elif depth and char == depth[-1]:
            depth.pop()
            if not depth and not bare:
                return i + 1
        elif bare and not depth and char in ",}]\n":
            return i
        i += 1
    return n


def _opaque(segment: str, quote: bool) -> str:
    """``segment`` as text of the same length that JSON reads as one string (or blanks)."""
    lines = segment.split("\n")
    safe = [line.replace('"', "'").replace("\\", "/").replace("\t", " ") for line in lines]
    if not quote:
        return "\n".join(" " * len(line) for line in lines)
    first = safe[0]
    if len(first) >= 2:
        first = '"' + first[1:-1] + '"'
    elif first:
        first = " "  # too short to quote: cannot happen for ${ and a bare word of 2+ chars
    return "\n".join([first] + [" " * len(line) for line in safe[1:]])


def detemplate(text: str) -> tuple[str, dict[int, str]]:
    """Templated JSON made plain JSON of exactly the same length and line breaks; also the
    template text of each opaque string made, by its index in the text."""
    out, i, n = [], 0, len(text)
    originals: dict[int, str] = {}
    in_string = False
    while i < n:
        char = text[i]
        if in_string:
            if char == "\\":
                out.append(text[i:i + 2])
                i += 2
                continue
            if char == '"':
                in_string = False
            elif text.startswith("${", i) or text.startswith("%{", i):
                end = _span_end(text, i)
                out.append(text[i:end].replace('"', "'").replace("\\", "/"))
                i = end
                continue
            out.append(char)
            i += 1
            continue
        word = _literal_at(text, i)
        if word:
            out.append(word)
            i += len(word)
            continue
        if char == '"':
            in_string = True
        elif text.startswith("${", i) or char.isalpha() or char == "_":
            end = _span_end(text, i)
            while end > i + 1 and text[end - 1] in " \t\r":
                end -= 1
            if end - i >= 2:
                originals[i] = text[i:end]
                out.append(_opaque(text[i:end], True))
            else:
                out.append(" ")
            i = max(end, i + 1)
            continue
        elif text.startswith("%{", i):
            end = _span_end(text, i)
            out.append(_opaque(text[i:end], False))
            i = end
            continue
        out.append(char)
        i += 1
    return "".join(out), originals


def _literal_at(text: str, i: int) -> str:
    """The JSON literal (true, false, null) that starts at ``i``, or ''."""
    if i and (text[i - 1].isalnum() or text[i - 1] in "_."):
        return ""
    for word in ("true", "false", "null"):
        if text.startswith(word, i):
            after = text[i + len(word):i + len(word) + 1]
            if not after or not (after.isalnum() or after in "_.("):
                return word
    return ""


def looks_templated(text: str) -> bool:
    """Whether JSON text holds template syntax outside strings (worth ``detemplate``)."""
    return "${" in text or "%{" in text or any(
        (c.isalpha() or c == "_") for c in _outside_strings(text[:200_000]))


def _outside_strings(text: str):
    in_string, escaped = False, False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char.isalpha() and not _literal_at(text, index) and not (
                index and text[index - 1].isalpha()):
            yield char


# -- a flow written inside a string --------------------------------------------------------


class Relocation:
    """Inner text position -> outer file position (both (line, column) from 1)."""

    def __init__(self, inner_text: str, outer: list | None, fallback: tuple[int, int]) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(inner_text) if c == "\n"]
        self.outer = outer  # outer position of each inner character (None: fallback only)
        self.fallback = fallback

    def __call__(self, pos: tuple[int, int]) -> tuple[int, int]:
        if self.outer is None:
            return self.fallback
        line, column = pos
        if not 1 <= line <= len(self.starts):
            return self.fallback
        index = self.starts[line - 1] + column - 1
        return self.outer[min(max(index, 0), len(self.outer) - 1)] if self.outer else \
            self.fallback


def _outer_lines(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def _index(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def _position(starts: list[int], index: int) -> tuple[int, int]:
    line = bisect_right(starts, index)
    return (line, index - starts[line - 1] + 1)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\",
            '"': '"', "'": "'", "0": "\0", " ": " ", "e": "\x1b", "N": "\x85", "_": "\xa0"}


def string_relocation(outer_text: str, pos: tuple[int, int], inner_text: str) -> Relocation:
    """Where each character of a string value (whose decoded text is ``inner_text``) written
    at ``pos`` in the outer file stands: a double-quoted string (JSON or YAML), a single-quoted
    YAML string or a YAML block (``|``, ``>``); else every position is the value's own."""
    starts = _outer_lines(outer_text)
    try:
        start = _index(starts, *pos)
    except IndexError:
        return Relocation(inner_text, None, pos)
    while outer_text.startswith("!", start):  # a CloudFormation tag before the value
        end = start
        while end < len(outer_text) and not outer_text[end].isspace():
            end += 1
        while end < len(outer_text) and outer_text[end] in " \t":
            end += 1
        start = end
    quote = outer_text[start:start + 1]
    found: list[tuple[int, int]] | None = None
    if quote == '"':
        found = _double_quoted(outer_text, start + 1, starts)
    elif quote == "'":
        found = _single_quoted(outer_text, start + 1, starts)
    elif quote == "|":
        found = _literal_block(outer_text, start, starts)
    if found is None or len(found) < len(inner_text):
        return Relocation(inner_text, None, pos)
    return Relocation(inner_text, found[:len(inner_text)] + [pos], pos)


def _double_quoted(text: str, i: int, starts: list[int]):
    found = []
    while i < len(text) and text[i] != '"':
        here = _position(starts, i)
        if text[i] == "\\":
            kind = text[i + 1:i + 2]
            if kind == "u":
                code = int(text[i + 2:i + 6], 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                    i += 6  # a surrogate pair is one character
                found.append(here)
                continue
            if kind in "xU":
                i += 4 if kind == "x" else 10
                found.append(here)
                continue
            if kind == "\n":  # a YAML line continuation: no character
                i += 2
                continue
            i += 2
            found.append(here)
            continue
        if text[i] == "\n":  # YAML folds a line break inside a quoted string
            return None
        found.append(here)
        i += 1
    return found


def _single_quoted(text: str, i: int, starts: list[int]):
    found = []
    while i < len(text):
        if text[i] == "'":
            if text[i + 1:i + 2] != "'":
                break
            found.append(_position(starts, i))
            i += 2
            continue
        if text[i] == "\n":
            return None
        found.append(_position(starts, i))
        i += 1
    return found


def _literal_block(text: str, i: int, starts: list[int]):
    """A YAML literal block (``|``, ``|-``, ``|2``...): lines after the indicator, less their
    common indentation; each inner line break stands at the end of its outer line."""
    line_end = text.find("\n", i)
    if line_end < 0:
        return None
    lines, j = [], line_end + 1
    while j < len(text):
        end = text.find("\n", j)
        end = len(text) if end < 0 else end
        lines.append((j, text[j:end]))
        j = end + 1
    content = [(start, line) for start, line in lines if line.strip()]
    if not content:
        return None
    indent = len(content[0][1]) - len(content[0][1].lstrip(" "))
    found = []
    for start, line in lines:
        if line.strip() and len(line) - len(line.lstrip(" ")) < indent:
            break
        for k in range(indent, len(line)):
            found.append(_position(starts, start + k))
        found.append(_position(starts, start + len(line)))  # its line break
    return found


def parse_inner(inner_text: str, path: str, where: Relocation) -> object:
    """Parse JSON (or YAML) written inside a string of file ``path``; positions, errors
    included, point into ``path``."""
    try:
        tree = parse(inner_text, path)
    except MenuError as error:
        error.line, error.column = where((error.line, error.column))
        raise
    relocate(tree, where)
    return tree


def relocate(value, where) -> None:
    """Move every position inside a parsed value with ``where`` (in place)."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, PosDict):
            item.pos = where(item.pos)
            item.key_pos = {k: where(p) for k, p in item.key_pos.items()}
            item.value_pos = {k: where(p) for k, p in item.value_pos.items()}
            stack.extend(item.values())
        elif isinstance(item, PosList):
            item.pos = where(item.pos)
            item.item_pos = [where(p) for p in item.item_pos]
            stack.extend(item)


def parse_json_text(text: str, path: str) -> object:
    """JSON text of a platform file: plain, or a template (``detemplate``) when it does not
    parse plain. Raises the plain parse's MenuError when neither reads."""
    try:
        return parse(text, path)
    except MenuError as error:
        if not looks_templated(text):
            raise _as_json(error) from None
    plain, originals = detemplate(text)
    try:
        tree = parse(plain, path)
    except MenuError as error:
        raise _as_json(error) from None
    starts = _outer_lines(text)
    at = {_position(starts, index): original for index, original in originals.items()}
    _restore(tree, at)
    return tree


def _as_json(error: MenuError) -> MenuError:
    """A JSON file's syntax error, worded for JSON (the YAML parser reads JSON)."""
    if error.message.startswith("invalid YAML"):
        error.message = "invalid JSON" + error.message.removeprefix("invalid YAML")
        error.hint = "check the brackets, commas and quotes here and just before"
        error.args = (error.message,)
    return error


def _restore(value, originals: dict[tuple[int, int], str]) -> None:
    """Put each template's own text back in place of the opaque string made for it."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, PosDict):
            for key, child in item.items():
                if isinstance(child, str) and item.value_pos[key] in originals:
                    item[key] = originals[item.value_pos[key]]
                else:
                    stack.append(child)
        elif isinstance(item, PosList):
            for k, child in enumerate(item):
                if isinstance(child, str) and item.item_pos[k] in originals:
                    item[k] = originals[item.item_pos[k]]
                else:
                    stack.append(child)


# -- CloudFormation's YAML tags ---------------------------------------------------------------

_STR, _SEQ, _MAP = ("tag:yaml.org,2002:" + name for name in ("str", "seq", "map"))
MAX_TAG_DEPTH = 80  # past the 64 levels format.yamlsource reads, which then names the place


def parse_lenient(text: str, path: str) -> object:
    """A platform file that a menu parse refuses: JSON with template syntax, or YAML with
    CloudFormation's local tags. Raises MenuError (of the JSON reading for text that starts
    like JSON)."""
    if text.lstrip()[:1] in "{[":
        return parse_json_text(text, path)
    try:
        return parse(text, path, local_tags=resolve_tags)
    except MenuError:
        quoted = quote_placeholders(text)
        if quoted == text:
            raise
    return parse(quoted, path, local_tags=resolve_tags)


_PLAIN_PLACEHOLDER = re.compile(r"^(\s*(?:-\s+)?(?:[^\s#'\"][^#]*?:\s+)?)(\{\{.*?)(\s+#.*)?$")


def quote_placeholders(text: str) -> str:
    """YAML with values that start with an unquoted ``{{placeholder}}`` (Archy exports kept in
    Terraform or CX-as-code repositories), each such value single-quoted so that YAML reads it
    as text; only columns after the value on its own line move."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        found = _PLAIN_PLACEHOLDER.match(line)
        if found:
            value = found.group(2).rstrip()
            lines[index] = found.group(1) + "'" + value.replace("'", "''") + "'" + \
                (found.group(3) or "")
    return "\n".join(lines)


def resolve_tags(root):
    """The composed document with CloudFormation's short forms made plain values, kept as
    the text CloudFormation would substitute: ``!Sub 'x ${A}'`` -> ``x ${A}``, ``!Sub [x,
    {...}]`` -> ``x``, ``!Ref A`` -> ``${A}``, ``!GetAtt A.B`` -> ``${A.B}``, ``!Join [d,
    [parts]]`` -> the parts joined; any other ``!Name value`` -> ``${Name value}``."""
    import yaml

    done: dict[int, object] = {}

    def text_of(node) -> str | None:
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def scalar(value: str, like) -> yaml.ScalarNode:
        return yaml.ScalarNode(_STR, value, like.start_mark, like.end_mark, style='"')

    def visit(node, depth=0):
        if id(node) in done:
            return done[id(node)]
        done[id(node)] = node
        if depth > MAX_TAG_DEPTH:  # deeper than the reading allows: it stops there, and says so
            return node
        if isinstance(node, yaml.MappingNode):
            node.value = [(visit(k, depth + 1), visit(v, depth + 1)) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            node.value = [visit(item, depth + 1) for item in node.value]
        tag = node.tag or ""
        if not tag.startswith("!"):
            return node
        name = tag[1:]
        result = node
        if isinstance(node, yaml.ScalarNode):
            if name == "Sub":
                node.tag = _STR
            else:
                value = node.value
                result = scalar("${" + (value if name in ("Ref", "GetAtt") else
                                        f"{name} {value}") + "}", node)
        elif isinstance(node, yaml.SequenceNode):
            items = node.value
            if name == "Sub" and items and text_of(items[0]) is not None:
                result = items[0]
                result.tag = _STR
            elif name == "GetAtt" and all(text_of(i) is not None for i in items):
                result = scalar("${" + ".".join(text_of(i) for i in items) + "}", node)
            elif name == "Join" and len(items) == 2 and isinstance(items[1], yaml.SequenceNode) \
                    and all(text_of(i) is not None for i in [items[0], *items[1].value]):
                result = scalar(text_of(items[0]).join(text_of(i) for i in items[1].value), node)
            else:
                node.tag = _SEQ
        else:
            node.tag = _MAP
        done[id(node)] = result
        return result

    return visit(root)
