"""Safe YAML reading that keeps the line and column of every value.

The document is composed by libyaml when present (PyYAML's pure-Python parser otherwise) and
converted here into plain dicts, lists and scalars. Mappings and sequences are ``PosDict`` and
``PosList``, which remember where each of their entries stands. Only YAML's standard scalar tags
are accepted, so nothing in a file can run code; an explicit tag that cannot build its value
(``!!bool x``, ``!!seq`` on a mapping) is a located error; anchors and aliases are shared, never
copied, and a document whose aliases would expand past a limit (a "billion laughs" bomb) is
refused.

Positions are counted as editors count them: lines end at ``\n``, ``\r\n`` or ``\r`` only.
YAML also ends a line at U+0085, U+2028 and U+2029, so inside a string those would otherwise
push every later position down (and past the end of the file).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right

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
# Plain values whose implicit tag is remembered: at most this long, at most this many.
_KNOWN_LENGTH, _KNOWN_VALUES = 24, 4096


class _Loader(_BaseLoader):
    """The safe loader, minus work a menu never needs.

    The composer calls back into Python for every value: path resolvers (unused here) are
    skipped, and implicit tags are resolved with the same table in one short function, which
    remembers the tag of short plain values (a file's keys and words such as `menu`, `true`:
    the same few hundred in every menu of a fleet).
    """

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit, _scalar=yaml.ScalarNode,
                _resolvers=_BaseLoader.yaml_implicit_resolvers.get, _known={}):
        # the defaults bind what every call reads: this runs for every value of a file
        if kind is _scalar:
            if implicit[0]:
                tag = _known.get(value)
                if tag is None:
                    tag = _STR
                    for implied, regexp in _resolvers(value[:1], ()):
                        if regexp.match(value):
                            tag = implied
                            break
                    if len(value) <= _KNOWN_LENGTH and len(_known) < _KNOWN_VALUES:
                        _known[value] = tag  # bounded: a streaming audit's memory stays flat
                return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


class PosDict(dict):
    """A YAML mapping: ``pos`` of the mapping, ``key_pos`` and ``value_pos`` per key."""

    __slots__ = ("pos", "key_pos", "value_pos")


class PosList(list):
    """A YAML sequence: ``pos`` of the sequence, ``item_pos`` per item."""

    __slots__ = ("pos", "item_pos")


# Line breaks YAML counts and editors do not (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR). Both
# sets are looked for one character at a time: a scan each, 15 times faster than a regex.
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
_EDITOR_BREAK = re.compile(r"\r\n|\r|\n")
# what str.splitlines also splits at (YAML itself refuses all but the last three)
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e") + _YAML_ONLY_BREAKS


def editor_lines(text: str) -> list[str]:
    r"""``text`` split into lines as an editor shows them (``str.splitlines`` splits on more);
    a text that ends with a line break ends with an empty line.

    >>> editor_lines("a\u2028b\r\nc\n")
    ['a\u2028b', 'c', '']
    """
    if any(other in text for other in _OTHER_BREAKS):
        return _EDITOR_BREAK.split(text)
    lines = text.splitlines()  # the same lines here, three times faster than the split
    if not text or text[-1] in "\r\n":
        lines.append("")
    return lines


def _yaml_position(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class Positions:
    """(line, column) from 1, as editors count them, of a character index or a YAML mark."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.yaml_counts_right = not any(other in text for other in _YAML_ONLY_BREAKS)
        self._starts: list[int] | None = None

    def of_index(self, index: int) -> Position:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _EDITOR_BREAK.finditer(self.text)]
        line = bisect_right(self._starts, index)
        return (line, index - self._starts[line - 1] + 1)

    def of_mark(self, mark) -> Position:
        if self.yaml_counts_right:
            return (mark.line + 1, mark.column + 1)
        return self.of_index(mark.index)


def decode(data: bytes, path: str) -> str:
    """Decode a file's bytes as UTF-8, naming the line and column of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lines = editor_lines(data[: exc.start].decode("utf-8", errors="replace"))
        line, column = len(lines), len(lines[-1]) + 1
        raise MenuError(
            path, line, column,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} cannot start a character here)",
            "save the file as UTF-8 (most editors offer 'Save with encoding'; "
            "iconv -f GB18030 -t UTF-8 converts a Chinese file saved as GBK/GB18030)",
        ) from None
    return text.removeprefix("\ufeff")


def parse(text: str, path: str, local_tags=None, keep: list | None = None) -> object:
    """Parse one YAML document into PosDict/PosList/scalars, or raise MenuError.

    ``local_tags``: for platform files only (CloudFormation's ``!Sub``, ``!Ref``...), a
    function given the composed document that returns it with every local tag resolved to
    YAML's standard ones; menus never get one, so a tag in a menu stays an error.
    ``keep``: a list given the composed YAML nodes, which are otherwise freed on return (see
    importers.read_menu_file)."""
    if not text.strip():
        raise MenuError(path, 1, 1, "the file is empty",
                        "a menu needs at least `ivr`, `format: 1`, `entry` and `nodes`; "
                        "see menus/ for examples")
    positions = Positions(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path, positions) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, ESC ...)
        line, column = positions.of_index(exc.position)
        raise MenuError(path, line, column, f"the character {_character(exc.character)} is not "
                        "allowed in a YAML file", "remove it; inside a quoted string, write it as "
                        "an escape such as \\x1b") from None
    except UnicodeEncodeError as exc:  # a lone surrogate in text given as a str
        line, column = positions.of_index(exc.start)
        raise MenuError(path, line, column, "the text holds a lone UTF-16 surrogate",
                        "remove it") from None
    except yaml.YAMLError as exc:  # pragma: no cover - other unmarked errors are rare
        raise MenuError(path, 1, 1, f"the file is not valid YAML: {exc}") from None
    if root is None:
        raise MenuError(path, 1, 1, "the file holds only comments",
                        "a menu needs at least `ivr`, `format: 1`, `entry` and `nodes`")
    if keep is not None:
        keep.append(root)
    if local_tags is not None:
        root = local_tags(root)
    # Without an anchor (`&`) no value is shared: the converter need not track aliases.
    converter = _SharingConverter if local_tags is not None or "&" in text else _Converter
    return converter(path, positions).convert_document(root)


def _character(value) -> str:
    code = value if isinstance(value, int) else ord(value)
    return f"U+{code:04X}"


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str,
                  positions: Positions) -> MenuError:
    mark = exc.problem_mark or exc.context_mark
    line, column = positions.of_mark(mark) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = editor_lines(text)
    for number in (line, line - 1):
        unquoted = _UNQUOTED_KEY.search(lines[number - 1]) if 1 <= number <= len(lines) else None
        if unquoted:
            mark = unquoted.group(1)
            what = "a YAML alias" if mark == "*" else "a YAML comment"
            return MenuError(path, number, unquoted.start(1) + 1,
                             f"an unquoted `{mark}` starts {what}", f'quote the key: key: "{mark}"')
    context = f" ({exc.context})" if exc.context else ""
    here = lines[line - 1] if 1 <= line <= len(lines) else ""
    if "\t" in here[:len(here) - len(here.lstrip())]:
        return MenuError(path, line, column, f"invalid YAML: a tab in the indentation ({problem})",
                         "indent with spaces: YAML does not accept tabs there")
    return MenuError(path, line, column, f"invalid YAML: {problem}{context}",
                     "check the indentation and quoting on this line and the one before")


class _Converter:
    """Turns composed YAML nodes into positioned Python values, once per node: for a document
    without anchors, where no value is shared (``_SharingConverter`` handles aliases)."""

    counts_values = False  # whether convert_value counts each value (_SharingConverter)

    def __init__(self, path: str, positions: Positions) -> None:
        self.path = path
        # (line, column) of a node; YAML's own unless the text has line breaks editors do not
        # count (the common case is worked out inline, in the loops below)
        self.yaml_counts_right = positions.yaml_counts_right
        self.position = _yaml_position if positions.yaml_counts_right else \
            (lambda node: positions.of_mark(node.start_mark))
        self.constructor = yaml.constructor.SafeConstructor()

    def convert_document(self, root: yaml.Node) -> object:
        return self.convert(root, 0)

    def error(self, node: yaml.Node, message: str, hint: str = "") -> MenuError:
        line, column = self.position(node)
        return MenuError(self.path, line, column, message, hint)

    def convert(self, node: yaml.Node, depth: int) -> object:
        if node.__class__ is yaml.ScalarNode:
            return self.convert_scalar(node)
        return self.convert_block(node, depth)

    def convert_value(self, node: yaml.Node, depth: int) -> object:
        """``convert``, with a plain string (most values) taken at once."""
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            return node.value
        return self.convert(node, depth)

    def convert_block(self, node: yaml.Node, depth: int) -> object:
        """A mapping or a list."""
        if depth > _MAX_DEPTH:
            raise self.error(node, f"values are nested more than {_MAX_DEPTH} levels deep",
                             "a menu never needs this; check the indentation")
        mapping = node.__class__ is yaml.MappingNode
        if node.tag != (_MAP if mapping else _SEQ):
            what = "a mapping" if mapping else "a list"
            if node.tag in (_MAP, _SEQ):
                raise self.error(node, f"the tag {_shown(node.tag)} cannot make {what} into "
                                 f"{'a list' if mapping else 'a mapping'}", _TAG_HINT)
            raise self.error(node, f"the tag {_shown(node.tag)} is not allowed here", _TAG_HINT)
        if mapping:
            return self.convert_mapping(node, depth)
        value = PosList(self.convert_value(item, depth + 1) for item in node.value)
        value.pos = self.position(node)
        value.item_pos = [self.position(item) for item in node.value]
        return value

    def convert_mapping(self, node: yaml.MappingNode, depth: int) -> PosDict:
        mapping = PosDict()
        mapping.pos = self.position(node)
        mapping.key_pos = key_pos = {}
        mapping.value_pos = value_pos = {}
        inline = self.yaml_counts_right
        convert_value, inner = self.convert_value, depth + 1
        scalar = None if self.counts_values else yaml.ScalarNode  # None: never taken at once
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _STR:
                key = key_node.value
            elif tag == _MERGE:
                raise self.error(key_node, "merge keys (`<<`) are not supported",
                                 "write the fields out, or use `defaults:` for shared settings")
            else:
                key = self.convert_key(key_node)
            if key in mapping:
                first = key_pos[key]
                raise self.error(key_node, f"duplicate key '{key}' (first at line {first[0]})",
                                 "remove one of the two entries")
            # a plain string (most values) taken at once, as convert_value would
            mapping[key] = value_node.value if value_node.__class__ is scalar and \
                value_node.tag == _STR else convert_value(value_node, inner)
            if inline:  # _yaml_position, written out: this runs for every value of a file
                mark = key_node.start_mark
                key_pos[key] = (mark.line + 1, mark.column + 1)
                mark = value_node.start_mark
                value_pos[key] = (mark.line + 1, mark.column + 1)
            else:
                key_pos[key] = self.position(key_node)
                value_pos[key] = self.position(value_node)
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
            raise self.error(node, f"the tag {_shown(tag)} is not allowed here", _TAG_HINT)
        if tag == _NULL and node.value not in _NULL_FORMS:
            raise self.error(node, f"the tag !!null cannot make a value of {node.value!r}",
                             _TAG_HINT)
        text = node.value
        if tag == _INT and text.isascii() and text.isdigit() and len(text) < 19 and (
                text[0] != "0" or text == "0"):  # a plain decimal (most numbers of a menu)
            return int(text)
        try:
            value = yaml.constructor.SafeConstructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, KeyError, IndexError, TypeError, OverflowError,
                yaml.YAMLError) as exc:  # IndexError: PyYAML's `!!int ""`
            # `!!bool x`, `!!int x`, an integer of more digits than Python converts
            detail = "it has too many digits" if "digits" in str(exc) else \
                f"{node.value!r} is not {_TAG_WORDS.get(tag, 'such a value')}"
            raise self.error(node, f"the tag {_shown(tag)} cannot make a value here: {detail}",
                             _TAG_HINT) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(node, f"{node.value} is not a number ivraudit can use",
                             "write a finite number of seconds, e.g. 30")
        return value


class _SharingConverter(_Converter):
    """A converter for a document with anchors: an alias's value is shared, never copied, but
    counts as expanded, and a document whose aliases would expand past a limit (a "billion
    laughs" bomb) or refer to the block that contains them is refused."""

    counts_values = True

    def __init__(self, path: str, positions: Positions) -> None:
        super().__init__(path, positions)
        self.done: dict[int, object] = {}
        self.sizes: dict[int, int] = {}
        self.in_progress: set[int] = set()
        self.expanded = 0
        self.written = 0

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
        before = self.expanded
        self.in_progress.add(key)
        value = self.convert_block(node, depth)
        self.in_progress.discard(key)
        self.expanded += 1
        self.written += 1
        self.sizes[key] = self.expanded - before
        self.done[key] = value
        return value

    def convert_value(self, node: yaml.Node, depth: int) -> object:
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            self.expanded += 1
            self.written += 1
            return node.value
        return self.convert(node, depth)

    def check_expansion(self, node: yaml.Node) -> None:
        if self.expanded > _EXPANSION_FLOOR + _EXPANSION_FACTOR * self.written:
            raise self.error(
                node,
                "aliases expand this file to far more values than it contains "
                "(a 'billion laughs' alias bomb?)",
                "write the repeated values out, or use `defaults:` for shared settings",
            )


_NULL = _TAG + "null"
_INT = _TAG + "int"
_MERGE = _TAG + "merge"
_NULL_FORMS = ("", "~", "null", "Null", "NULL")
_SCALAR_TAGS = {_TAG + name for name in ("null", "bool", "int", "float")}
_TAG_WORDS = {_TAG + "bool": "true or false", _TAG + "int": "a whole number",
              _TAG + "float": "a number"}
_TAG_HINT = "remove the tag; these files hold only text, numbers, true/false, lists and mappings"


def _shown(tag: str) -> str:
    """A tag as written: ``!!bool`` for YAML's own tags."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
