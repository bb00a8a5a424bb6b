"""What every importer makes: a menu document with source positions, and its assumptions.

An importer reads a platform file and builds the same document a menu file holds (SPEC
sections 1-3 and 9: `ivr`, `format`, `entry`, `scenarios`, `nodes`, ...) out of ``PosDict`` and
``PosList`` values whose positions point into the platform file, so that every error and
finding names the line and column of the platform's own action, element or key. The loader
then checks it like any menu (format.loader.load_document). Nothing is guessed silently: each
value the file does not decide is an ``Assumption``.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from ..errors import MenuError
from ..format.model import Assumption, SourcePos
from ..format.yamlsource import PosDict, PosList
from ..i18n import Message
from ..util.cached import record

Position = tuple[int, int]  # (line, column), both from 1
# Nodes one line may have. A flat flow never comes near (real flows have tens to hundreds of
# actions, and 20,000 nodes audit in about 5 s); only unrolling multiplies them: nested loops,
# retry counters, states of a dialplan. Past it the import stops and says where it was.
MAX_NODES = 20_000


def mapping(pos: Position, fields: dict, positions: dict[str, Position] | None = None) -> PosDict:
    """A document mapping at ``pos``; each field at its own position when known, else at
    ``pos`` (the platform object it came from)."""
    found = PosDict(fields)
    found.pos = pos
    found.key_pos = {key: (positions or {}).get(key, pos) for key in fields}
    found.value_pos = dict(found.key_pos)
    return found


def sequence(pos: Position, items: list, positions: list[Position] | None = None) -> PosList:
    """A document list at ``pos``; each item at its own position when known."""
    found = PosList(items)
    found.pos = pos
    found.item_pos = list(positions) if positions else [getattr(i, "pos", pos) for i in items]
    return found


def positioned(value, pos: Position):
    """``value`` with every plain dict and list inside it made a PosDict or PosList at ``pos``
    (those already positioned keep their positions), as the loader reads documents."""
    if isinstance(value, PosDict):
        for key, item in value.items():
            value[key] = positioned(item, value.value_pos.get(key, value.pos))
        return value
    if isinstance(value, PosList):
        value[:] = [positioned(item, where) for item, where in zip(value, value.item_pos)]
        return value
    if isinstance(value, dict):
        return mapping(pos, {key: positioned(item, pos) for key, item in value.items()})
    if isinstance(value, list):
        return sequence(pos, [positioned(item, pos) for item in value], [pos] * len(value))
    return value


_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")


class TooManyNodes(MenuError):
    """A flow that unrolls past MAX_NODES nodes (an importer may retry with fewer turns)."""


def too_many_nodes(path: str, pos: Position) -> TooManyNodes:
    """The error of a flow that unrolls past MAX_NODES nodes, at the place being built."""
    return TooManyNodes(path, *pos, f"the flow unrolls into more than {MAX_NODES:,} nodes here "
                     "(loops, retry counters or jumps that multiply each other)",
                     "audit a smaller part of it, or lower the loop counts written in the file")


@record(frozen=False)
class ImportedFlow:
    """One platform flow as a menu document.

    ``path``: the platform file (every position is in it); ``name``: the flow's name on the
    platform (what other flows hand calls to); ``notes``: node id -> where it came from, for
    the comment above each node when written as YAML ("flow.json:42, action 3f2a");
    ``handoffs``: node id of a `transfer` node -> the name of the flow it hands the call to,
    followed when that flow is among the inputs (importers.link).
    """

    path: str
    name: str
    platform: str
    title: str  # the platform's name for people: "Amazon Connect"
    nodes: PosDict = field(default_factory=lambda: mapping((1, 1), {}))
    header: dict = field(default_factory=dict)  # ivr, format, entry, locale, scenarios, ...
    header_pos: dict[str, Position] = field(default_factory=dict)
    assumptions: list[Assumption] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    handoffs: dict[str, str] = field(default_factory=dict)
    pos: Position = (1, 1)
    node_files: dict[str, str] = field(default_factory=dict)  # nodes from other flows' files
    # other input files whose content went into the line (FreeSWITCH phrase files' words)
    read_files: list[str] = field(default_factory=list)
    joined: list[ImportedFlow] = field(default_factory=list)  # the flows linked into this one
    # other names hand-offs may use for this flow (a CloudFormation logical id, a file stem)
    aliases: list[str] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """The name without the folders of a flow named by its path (a VoiceXML document):
        what file names and node id prefixes use."""
        return self.name.rsplit("/", 1)[-1] if "/" in self.name else self.name

    # -- building ----------------------------------------------------------------------------

    def new_id(self, wanted: str) -> str:
        """A node id from a platform name: only [A-Za-z0-9_.-], unique in this flow."""
        base = _NOT_ID.sub("_", wanted).strip("_.-") or "node"
        if base in ("restart", "hangup", "replay", "reprompt"):
            base += "_node"
        candidate, n = base, 1
        while candidate in self.nodes:
            n += 1
            candidate = f"{base}_{n}"
        return candidate

    def add(self, node_id: str, pos: Position, fields: dict, note: str = "",
            positions: dict[str, Position] | None = None) -> str:
        """Add a node (its fields as the menu format writes them) at ``pos``. MenuError when
        the flow already has MAX_NODES nodes."""
        if len(self.nodes) >= MAX_NODES and node_id not in self.nodes:
            raise too_many_nodes(self.path, pos)
        self.nodes[node_id] = positioned(mapping(pos, fields, positions), pos)
        self.nodes.key_pos[node_id] = pos
        self.nodes.value_pos[node_id] = pos
        if note:
            self.notes[node_id] = note
        return node_id

    def assume(self, message: Message, pos: Position, source: Message | str = "",
               node: str | None = None) -> None:
        """Record a value the file does not decide (reported by `import` and as IVR038):
        ``message`` is ``msg(N_("the English template {field}"), field=value)``, so that a
        report renders it in its language (values are inserted as written)."""
        self.assumptions.append(Assumption(message, SourcePos(self.path, *pos), source, node))

    def set(self, key: str, value, pos: Position | None = None) -> None:
        """A top-level field of the menu (``ivr``, ``entry``, ``scenarios``, ``defaults``...)."""
        self.header[key] = value
        self.header_pos[key] = pos or self.pos

    # -- the document ------------------------------------------------------------------------

    def document(self) -> PosDict:
        """The whole menu document: header fields, then `nodes`."""
        fields = {"format": 1, **self.header, "nodes": self.nodes}
        positions = {**self.header_pos, "nodes": self.nodes.pos}
        return positioned(mapping(self.pos, fields, positions), self.pos)

    def location(self, pos: Position) -> str:
        """``file:line`` for notes."""
        return f"{Path(self.path).name}:{pos[0]}"
