"""An imported flow as a menu file: format-1 YAML, each node under a comment naming its source.

The YAML is written with PyYAML's safe emitter, one node at a time, so that every string is
quoted as YAML needs (keys `*` and `#`, text that looks like a number) and a comment can stand
above each node. The header lists the assumptions the import made.
"""

from __future__ import annotations

import re

import yaml

from ..format.model import Assumption
from ..util.safe_text import terminal
from .base import ImportedFlow


def _active(text: str) -> bool:
    """Whether text holds a character a terminal acts on (a control, a bidi override...)."""
    return terminal(text) != text


class _Dumper(yaml.SafeDumper):
    """Text from the platform file that holds a control character or a bidirectional override
    is written double-quoted with everything outside ASCII escaped (``"\\u202eevil"``): the
    menu file reads back the same text, and printed on a terminal it shows what it holds."""

    def write_double_quoted(self, text, split=True):
        if not _active(text):
            return super().write_double_quoted(text, split)
        allow, self.allow_unicode = self.allow_unicode, False
        try:
            return super().write_double_quoted(text, split)
        finally:
            self.allow_unicode = allow


def _string(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                   style='"' if _active(text) else None)


_Dumper.add_representer(str, _string)


def _plain(value):
    """Positioned values as plain dicts and lists, for the emitter."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _dump(value) -> str:
    return yaml.dump(_plain(value), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def _comment(text: str) -> str:
    """A one-line YAML comment (a line break in platform text cannot end the comment, and a
    control character in it is shown as its escape)."""
    return "# " + terminal(" ".join(text.split()))


def to_yaml(flow: ImportedFlow, assumptions: list[Assumption] | None = None) -> str:
    """The flow as menu-file text; its `assumptions:` in English (data of the file, read back
    as written whatever the language of a later report)."""
    assumptions = flow.assumptions if assumptions is None else assumptions
    lines = [_comment(f"Imported by ivraudit from {flow.path} ({flow.title} flow "
                      f"'{flow.short_name}'). Positions in findings point at that file.")]
    document = flow.document()
    header = {key: value for key, value in document.items() if key != "nodes"}
    if assumptions:
        # kept in the file, so that auditing it still reports each one (IVR038)
        header["assumptions"] = [
            {"message": str(a.message), **({"source": str(a.source)} if a.source else {}),
             **({"node": a.node} if a.node else {}),
             "at": f"{a.pos.path}:{a.pos.line}:{a.pos.column}"} for a in assumptions]
    lines.append(_dump(header).rstrip("\n"))
    lines.append("nodes:")
    for node_id, node in flow.nodes.items():
        if node_id in flow.notes:
            lines.append("  " + _comment(f"from {flow.notes[node_id]}"))
        body = _dump({node_id: node}).rstrip("\n")
        lines += ["  " + line for line in body.split("\n")]
    return "\n".join(lines) + "\n"


def file_names(lines: list[ImportedFlow]) -> list[str]:
    """A menu file name per line: the flow's name made safe (ASCII letters, digits, `-`,
    `_`), unique among them."""
    names, taken = [], set()
    for line in lines:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", line.short_name).strip("-").lower() or "flow"
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name)
        names.append(f"{name}.yaml")
    return names


def assumptions_table(lines: list[ImportedFlow]) -> str:
    """What the import assumed, one row per assumption: where, which node, what, the source."""
    rows = [tuple(terminal(cell) for cell in (f"{a.pos.path}:{a.pos.line}:{a.pos.column}",
                                              a.node or "", str(a.message), str(a.source)))
            for line in lines for a in line.assumptions]  # platform text: shown, not acted on
    if not rows:
        return ""
    header = ("where", "node", "assumed", "source")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(3)]
    out = [f"assumptions ({len(rows)}): values the flows do not decide"]
    for row in [header] + rows:
        out.append("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)) + "  "
                   + row[3])
    return "\n".join(line.rstrip() for line in out) + "\n"
