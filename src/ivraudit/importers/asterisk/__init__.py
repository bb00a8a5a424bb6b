"""Asterisk `extensions.conf` dialplans -> menus.

A context whose priorities play `Background()` or wait with `WaitExten()` is an IVR menu; each
such context that no other menu reaches starts a line (one flow). The calls module follows the
priorities from there: see its docstring for what each application becomes. docs/importers.md
has the table and the defaults with their sources.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ...errors import MenuError
from ..base import ImportedFlow
from ..source import Source
from .dialplan import Context, parse

NAME = "asterisk"
TITLE = "Asterisk"
SUFFIXES = (".conf",)
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ("exten =>", "exten=>")
_EXTEN = re.compile(rb"^\s*(exten|same)\s*=>?\s*[^,\s]+,", re.M)
MENU_APPS = ("background", "waitexten")


def detect(source: Source) -> bool:
    """A dialplan: `exten =>` lines in `[context]` sections (a context header left open is
    claimed too, so that reading it names the place)."""
    data = source.data
    return bool(_EXTEN.search(data)) and bool(re.search(rb"^\s*\[", data, re.M)) \
        and not data.lstrip(b"\xef\xbb\xbf").lstrip().startswith((b"<", b"{"))


def helps(source: Source, options) -> bool:
    """A file another dialplan among the inputs `#include`s is read through that file
    (_Dialplans)."""
    return os.path.normpath(source.path) in options.across_inputs(NAME, _Dialplans).read_through


def read(source: Source, options) -> list[ImportedFlow]:
    from .calls import Line, no_menu

    contexts: dict[str, Context] = {}
    missing = _read_file(source, options, contexts, set())
    if not contexts:
        raise MenuError(source.path, 1, 1, "not an Asterisk dialplan: the file has no "
                        "[context] section", "give an extensions.conf, or drop --from asterisk")
    menus = [name for name, context in contexts.items()
             if any(step.app in MENU_APPS for ext in context.extensions.values()
                    for step in ext.steps)]
    if not menus:
        return [no_menu(source, missing)]
    lines = [Line(source, options, contexts, name, missing) for name in menus]
    reached = {name: line.build() for name, line in zip(menus, lines)}
    def part_of_another(name: str) -> bool:
        """Reached from another menu's line (menus reaching each other: the first leads)."""
        return any(name in reached[other] and (other not in reached[name]
                                               or menus.index(other) < menus.index(name))
                   for other in menus if other != name)

    kept = [line for name, line in zip(menus, lines) if not part_of_another(name)]
    return [line.flow for line in kept or lines]


def _is_dialplan(source: Source) -> bool:
    try:
        return detect(source)
    except Exception:  # an unreadable input is reported on its own
        return False


class _Dialplans:
    """The inputs by (normal) path, and ``read_through``: the paths of the inputs that are
    read through a dialplan that `#include`s them, not on their own. Worked out once per set
    of inputs (ImportOptions.across_inputs).

    A file another dialplan includes is read through it. Dialplans that include each other in
    a circle (a.conf includes b.conf, b.conf a.conf) that no other dialplan includes are read
    through the first of them given, so that none is left out (each hid the other before)."""

    def __init__(self, inputs: dict[str, Source]) -> None:
        import networkx as nx

        self.by_path = {os.path.normpath(path): other for path, other in inputs.items()}
        order = {path: n for n, path in enumerate(self.by_path)}
        includes = nx.DiGraph()  # dialplan -> the inputs it includes (itself aside)
        for path, other in self.by_path.items():
            for included in () if other.is_menu_file else _includes_of_dialplan(other):
                if included != path and included in self.by_path:
                    includes.add_edge(path, included)
        self.read_through = set(includes)
        circles = nx.condensation(includes)
        for circle, included_by in circles.in_degree():
            if included_by == 0:  # no dialplan outside includes it: its first one is read
                members = circles.nodes[circle]["members"]
                self.read_through.discard(min(members, key=order.__getitem__))


def _includes_of_dialplan(source: Source) -> set[str]:
    """The files a dialplan `#include`s (none for any other file, or one that cannot be read:
    that one is reported on its own)."""
    try:
        return _include_paths(source) if _is_dialplan(source) else set()
    except MenuError:
        return set()


def _include_paths(source: Source) -> set[str]:
    found = set()
    for line in source.text.splitlines():
        match = _INCLUDE.match(line)
        if match:
            found.add(os.path.normpath(os.path.join(source.folder, match.group(1).strip())))
    return found


_INCLUDE = re.compile(r"^\s*#include\s+[\"<]?([^\">]+)[\">]?\s*$")


def _read_file(source: Source, options, contexts: dict, seen: set) -> list:
    """Parse a file and the files it `#include`s that are among the inputs; the others are
    returned as (name, place, file) to be listed as assumptions."""
    seen.add(os.path.normpath(source.path))
    includes: list = []
    parse(source.text, source.path, contexts, includes)
    missing = []
    inputs = options.across_inputs(NAME, _Dialplans).by_path
    for name, pos in includes:
        path = os.path.normpath(os.path.join(source.folder, name))
        if path in seen:
            continue
        if path in inputs:
            missing += _read_file(inputs[path], options, contexts, seen)
        else:
            missing.append((name, pos, source.path))
    return missing


def file_name(source: Source) -> str:
    return Path(source.path).name
