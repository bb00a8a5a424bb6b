"""Safe YAML reading that keeps the line and column of every value.

The document is composed by libyaml when present (PyYAML's pure-Python parser otherwise) and
converted here into plain dicts, lists and scalars. Mappings and sequences are ``PosDict`` and
``PosList``, which remember where each of their entries stands. Only YAML's standard scalar tags
are accepted, so nothing in a file can run code; anchors and aliases are shared, never copied, and
a document whose aliases would expand past a limit (a "billion laughs" bomb) is refused.
"""

from __future__ import annotations

import math
import re

import yaml

from ..errors import MenuError

try:  # libyaml's composer is several times faster than the pure-Python one
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

Position = tuple  # (line, column), both from 1

_TAG = "tag:yaml.org,2002:"
_UNQUOTED_KEY = re.compile(r"\bkey:\s*([*#])")
_STR, _SEQ, _MAP, _TIMESTAMP = (_TAG + name for name in ("str", "seq", "map", "timestamp"))
_MAX_DEPTH = 64
# Expanded values allowed per value written in the file: aliases may reuse a block a few times,
# never multiply it.
_EXPANSION_FACTOR = 4
_EXPANSION_FLOOR = 10_000


class _Loader(_BaseLoader):
    """The safe loader, minus work a menu never needs.

    The composer calls back into Python for every value: path resolvers (unused here) are
    skipped, and implicit tags are resolved with the same table in one short function.
    """

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


class PosDict(dict):
    """A YAML mapping: ``pos`` of the mapping, ``key_pos`` and ``value_pos`` per key."""

    __slots__ = ("pos", "key_pos", "value_pos")


class PosList(list):
    """A YAML sequence: ``pos`` of the sequence, ``item_pos`` per item."""

    __slots__ = ("pos", "item_pos")


def _position(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def decode(data: bytes, path: str) -> str:
    """Decode a file's bytes as UTF-8, naming the line and column of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise MenuError(
            path, line, column,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} cannot start a character here)",
            "save the file as UTF-8 (most editors offer 'Save with encoding'; "
            "iconv -f GB18030 -t UTF-8 converts a Chinese file saved as GBK/GB18030)",
        ) from None
    return text.removeprefix("\ufeff")


def parse(text: str, path: str, local_tags=None) -> object:
    """Parse one YAML document into PosDict/PosList/scalars, or raise MenuError.

    ``local_tags``: for platform files only (CloudFormation's ``!Sub``, ``!Ref``...), a
    function given the composed document that returns it with every local tag resolved to
    YAML's standard ones; menus never get one, so a tag in a menu stays an error."""
    if not text.strip():
        raise MenuError(path, 1, 1, "the file is empty",
                        "a menu needs at least `ivr`, `format: 1`, `entry` and `nodes`; "
                        "see menus/ for examples")
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise MenuError(path, 1, 1, f"the file is not valid YAML: {exc}") from None
    if root is None:
        raise MenuError(path, 1, 1, "the file holds only comments",
                        "a menu needs at least `ivr`, `format: 1`, `entry` and `nodes`")
    if local_tags is not None:
        root = local_tags(root)
    return _Converter(path).convert_document(root)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> MenuError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    for number in (line, line - 1):
        unquoted = _UNQUOTED_KEY.search(lines[number - 1]) if 1 <= number <= len(lines) else None
        if unquoted:
            mark = unquoted.group(1)
            what = "a YAML alias" if mark == "*" else "a YAML comment"
            return MenuError(path, number, unquoted.start(1) + 1,
                             f"an unquoted `{mark}` starts {what}", f'quote the key: key: "{mark}"')
    context = f" ({exc.context})" if exc.context else ""
    return MenuError(path, line, column, f"invalid YAML: {problem}{context}",
                     "check the indentation and quoting on this line and the one before")


class _Converter:
    """Turns composed YAML nodes into positioned Python values, once per node."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.done: dict[int, object] = {}
        self.sizes: dict[int, int] = {}
        self.in_progress: set[int] = set()
        self.expanded = 0
        self.written = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def convert_document(self, root: yaml.Node) -> object:
        return self.convert(root, 0)

    def error(self, node: yaml.Node, message: str, hint: str = "") -> MenuError:
        line, column = _position(node)
        return MenuError(self.path, line, column, message, hint)

    def convert(self, node: yaml.Node, depth: int) -> object:
        if node.__class__ is yaml.ScalarNode:  # scalars are cheap: converted at every use
            self.expanded += 1
            self.written += 1
            return self.convert_scalar(node)
        key = id(node)
        if key in self.done:  # an alias: shared, but it counts as expanded
            self.expanded += self.sizes[key]
            self.check_expansion(node)
            return self.done[key]
        if key in self.in_progress:
            raise self.error(node, "an alias refers to the block that contains it",
                             "remove the recursive alias")
        if depth > _MAX_DEPTH:
            raise self.error(node, f"values are nested more than {_MAX_DEPTH} levels deep",
                             "a menu never needs this; check the indentation")
        if node.tag not in (_MAP, _SEQ):
            raise self.error(node, f"the tag {node.tag!r} is not allowed in a menu", _TAG_HINT)
        before = self.expanded
        self.in_progress.add(key)
        if node.tag == _MAP:
            value = self.convert_mapping(node, depth)
        else:
            value = PosList(self.convert(item, depth + 1) for item in node.value)
            value.pos = _position(node)
            value.item_pos = [_position(item) for item in node.value]
        self.in_progress.discard(key)
        self.expanded += 1
        self.written += 1
        self.sizes[key] = self.expanded - before
        self.done[key] = value
        return value

    def check_expansion(self, node: yaml.Node) -> None:
        if self.expanded > _EXPANSION_FLOOR + _EXPANSION_FACTOR * self.written:
            raise self.error(
                node,
                "aliases expand this file to far more values than it contains "
                "(a 'billion laughs' alias bomb?)",
                "write the repeated values out, or use `defaults:` for shared settings",
            )

    def convert_mapping(self, node: yaml.MappingNode, depth: int) -> PosDict:
        mapping = PosDict()
        mapping.pos = _position(node)
        mapping.key_pos = {}
        mapping.value_pos = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise self.error(key_node, "merge keys (`<<`) are not supported",
                                 "write the fields out, or use `defaults:` for shared settings")
            key = self.convert_key(key_node)
            if key in mapping:
                first = mapping.key_pos[key]
                raise self.error(key_node, f"duplicate key '{key}' (first at line {first[0]})",
                                 "remove one of the two entries")
            mapping[key] = self.convert(value_node, depth + 1)
            mapping.key_pos[key] = _position(key_node)
            mapping.value_pos[key] = _position(value_node)
        return mapping

    def convert_key(self, node: yaml.Node) -> str:
        if node.tag == _STR:
            return node.value
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, "a mapping key must be a plain value, not a list or mapping")
        value = self.convert_scalar(node)
        if isinstance(value, bool) or value is None:
            raise self.error(node, f"the key {node.value!r} is not a name",
                             "quote the key if it is meant as text")
        return node.value  # as written: an id 007 stays "007", not 7

    def convert_scalar(self, node: yaml.Node) -> object:
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:  # dates stay text; the model reads the ones it needs
            return node.value
        if tag not in _SCALAR_TAGS:
            raise self.error(node, f"the tag {tag!r} is not allowed in a menu", _TAG_HINT)
        value = yaml.constructor.SafeConstructor.yaml_constructors[tag](self.constructor, node)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(node, f"{node.value} is not a number ivraudit can use",
                             "write a finite number of seconds, e.g. 30")
        return value


_SCALAR_TAGS = {_TAG + name for name in ("null", "bool", "int", "float")}
_TAG_HINT = "remove the tag; menus hold only text, numbers, true/false, lists and mappings"
