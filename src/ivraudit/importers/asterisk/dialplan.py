"""Reading `extensions.conf`: contexts, extensions, priorities with labels, includes.

The syntax of Asterisk's config files (configs/samples/extensions.conf.sample): `[context]`
sections; `exten => EXT,PRIORITY[(label)],App(args)` (or `exten =`), `same => n,...`,
priorities as numbers or `n` (the previous one plus one); `include => context`; `#include
file`; comments after `;` (`\\;` is a semicolon) and `;-- ... --;` blocks. Application names
are matched in any case; 1.4-era files call applications without parentheses and separate
arguments with `|`. Nothing is executed (`#exec` is ignored).
"""

from __future__ import annotations

import re
from dataclasses import field

from ...errors import MenuError
from ...util.cached import record

_SECTION = re.compile(r"^\s*\[([^\]]*)\](.*)$")
_LINE = re.compile(r"^\s*(exten|same|include)\s*=>?\s*(.*)$", re.IGNORECASE)
_INCLUDE_FILE = re.compile(r"^\s*#include\s+[\"<]?([^\">]+)[\">]?\s*$")
_PRIORITY = re.compile(r"^\s*(n|[0-9]{1,9}|hint)(?:\(([^)]*)\))?\s*$", re.IGNORECASE)
_PRIORITY_NUMBER = re.compile(r"[0-9]{1,9}")


@record(frozen=False)
class Step:
    """One priority: the application (lower case), its arguments, label and place."""

    app: str
    args: list[str]
    text: str  # as written, `App(args)`
    priority: int
    label: str | None
    pos: tuple[int, int]
    path: str


@record(frozen=False, eq=False)  # one extension is itself: hashed by identity
class Extension:
    name: str
    steps: list[Step] = field(default_factory=list)
    pos: tuple[int, int] = (1, 1)

    def index(self, priority: str) -> int | None:
        """The position of a priority (a number or a label) in ``steps``."""
        for index, step in enumerate(self.steps):
            if step.label == priority or (_PRIORITY_NUMBER.fullmatch(priority)
                                          and step.priority == int(priority)):
                return index
        return None

    @property
    def dialable(self) -> bool:
        """Keys or a pattern a caller can dial, with a first priority."""
        keys = re.fullmatch(r"[0-9*#]{1,16}", self.name) or self.name.startswith("_")
        return bool(keys) and bool(self.steps) and self.steps[0].priority == 1


@record(frozen=False)
class Context:
    name: str
    pos: tuple[int, int]
    path: str
    extensions: dict[str, Extension] = field(default_factory=dict)
    includes: list[str] = field(default_factory=list)


def strip_comment(line: str) -> str:
    found = re.search(r"(?<!\\);", line)
    return (line[:found.start()] if found else line).replace("\\;", ";")


def split_args(text: str) -> list[str]:
    """Arguments at the top level (`,` or 1.4's `|`; not inside `${}`, `$[]`, `()` or quotes)."""
    args, depth, current, quote = [], 0, "", None
    for char in text:
        if quote:
            current += char
            if char == quote:
                quote = None
            continue
        if char == '"':
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char in ",|" and depth == 0:
            args.append(current.strip())
            current = ""
            continue
        current += char
    args.append(current.strip())
    return args


def application(text: str) -> tuple[str, list[str]]:
    """`App(args)` -> ("app", [args]); `App` alone has no arguments."""
    text = text.strip()
    found = re.match(r"^([A-Za-z_][\w]*)\s*(?:\((.*)\))?\s*$", text, re.S)
    if not found:
        return text.lower(), []
    inner = found.group(2)
    return found.group(1).lower(), split_args(inner) if inner not in (None, "") else []


def parse(text: str, path: str, contexts: dict[str, Context] | None = None,
          includes: list | None = None) -> dict[str, Context]:
    """The contexts of a dialplan (added to ``contexts``); ``includes`` collects `#include`d
    file names with their place. MenuError on a context header that is not closed."""
    contexts = {} if contexts is None else contexts
    current: Context | None = None
    last: dict[str, int] = {}
    last_ext: Extension | None = None
    in_block = False
    for number, raw in enumerate(text.splitlines(), 1):
        if in_block:
            if "--;" in raw:
                in_block, raw = False, raw.split("--;", 1)[1]
            else:
                continue
        if ";--" in raw:
            raw, rest = raw.split(";--", 1)
            in_block = "--;" not in rest
        line = strip_comment(raw).rstrip()
        if not line.strip():
            continue
        included = _INCLUDE_FILE.match(line)
        if included:
            if includes is not None:
                includes.append((included.group(1).strip(), (number, 1)))
            continue
        if line.lstrip().startswith("["):
            section = _SECTION.match(line)
            column = line.index("[") + 1
            if not section:
                raise MenuError(path, number, column, "this context header is not closed: "
                                "']' is missing", "write the context's name as [name]")
            name = section.group(1).strip()
            current = contexts.setdefault(name, Context(name, (number, column), path))
            continue
        entry = _LINE.match(line)
        if not entry or current is None:
            continue
        kind, rest = entry.group(1).lower(), entry.group(2)
        column = line.index(entry.group(2)) + 1 if entry.group(2) else 1
        if kind == "include":
            current.includes.append(rest.strip())
            continue
        if kind == "exten":
            parts = rest.split(",", 2)
            if len(parts) < 3:
                continue
            ext_name, priority, app_text = parts[0].strip(), parts[1], parts[2]
        else:
            if last_ext is None:
                continue
            parts = rest.split(",", 1)
            if len(parts) < 2:
                continue
            ext_name, priority, app_text = last_ext.name, parts[0], parts[1]
        found = _PRIORITY.match(priority)
        if not found or found.group(1).lower() == "hint":
            continue
        key = f"{current.name}\0{ext_name}"
        number_ = last.get(key, 0) + 1 if found.group(1).lower() == "n" else int(found.group(1))
        last[key] = number_
        extension = current.extensions.setdefault(ext_name, Extension(ext_name,
                                                                      pos=(number, column)))
        app, args = application(app_text)
        extension.steps.append(Step(app, args, app_text.strip(), number_, found.group(2),
                                    (number, column), path))
        extension.steps.sort(key=lambda step: step.priority)
        last_ext = extension
    return contexts


def _pattern_parts(name: str) -> list[str] | None:
    """A pattern's characters after `_`, a `[...]` class kept whole; None if one is open."""
    body, parts, at = name[1:], [], 0
    while at < len(body):
        if body[at] == "[":
            end = body.find("]", at)
            if end < 0:
                return None
            parts.append(body[at:end + 1])
            at = end + 1
        else:
            parts.append(body[at])
            at += 1
    return parts


def pattern_regex(name: str) -> re.Pattern | None:
    """An extension pattern (`_1NXX`, `_X.`, `_[1-5]XX`) as a regex; None for a plain
    extension or a pattern whose `[...]` class is not one Asterisk reads."""
    parts = _pattern_parts(name) if name.startswith("_") else None
    if parts is None:
        return None
    wild = {"X": "[0-9]", "Z": "[1-9]", "N": "[2-9]", ".": ".+", "!": ".*"}
    pieces = [_class_regex(part[1:-1]) if part.startswith("[") else
              wild.get(part.upper(), re.escape(part)) for part in parts]
    return None if None in pieces else re.compile("".join(pieces) + "$")


def _class_regex(body: str) -> str | None:
    """A pattern's character class (`1-5`, `1357`, `*#`) as a regex class, each character
    escaped; None for an empty class or a range that runs backwards."""
    items, at = [], 0
    while at < len(body):
        if at + 2 < len(body) and body[at + 1] == "-":
            low, high = body[at], body[at + 2]
            if low > high:
                return None
            items.append(f"{re.escape(low)}-{re.escape(high)}")
            at += 3
        else:
            items.append(re.escape(body[at]))
            at += 1
    return f"[{''.join(items)}]" if items else None


def shortest_match(name: str) -> str | None:
    """The first key sequence a pattern matches, in keypad order (`_NXX` -> "200")."""
    parts = _pattern_parts(name)
    if parts is None:
        return None
    first = {"X": "0", "Z": "1", "N": "2", ".": "0", "!": ""}
    out = "".join(part[1] if part.startswith("[") else first.get(part.upper(), part)
                  for part in parts)
    return out if re.fullmatch(r"[0-9*#]{1,16}", out) else None
