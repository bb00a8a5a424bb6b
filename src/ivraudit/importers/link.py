"""Flows that hand calls to each other, audited as one line (SPEC section 10).

A flow's `transfer` node that hands the call to another flow (``ImportedFlow.handoffs``) is
followed when that flow is among the inputs: the target flow's nodes join the line (their ids
prefixed with the flow's id, so that two flows may both have a `main`), and the transfer node
becomes a branch that goes on to the target's entry. A line starts at each flow that no other
input hands calls to, and at each flow of a circle of hand-offs that no such line reaches, so a
folder of flows is audited as the lines callers actually dial and no flow is left out.
"""

from __future__ import annotations

import copy
import re

from ..format.yamlsource import PosDict
from .base import ImportedFlow, mapping
from ..i18n import N_, msg

# Fields of a node that name other nodes (a `then` inside a failure mapping, a list of them).
_TARGET_FIELDS = ("next", "goto", "else", "on_invalid", "on_timeout", "on_exhausted", "then")
_RESERVED = ("restart", "hangup", "replay", "reprompt")


def _key(name: str) -> str:
    """A flow name as hand-offs are matched: case, spaces and punctuation aside
    ("RulesEngineError" names the flow in rules-engine-error.json)."""
    return re.sub(r"[\W_]+", "", name.casefold())


def link(flows: list[ImportedFlow]) -> list[ImportedFlow]:
    """The lines to audit: each root flow with every flow it hands calls to, transitively.
    A hand-off names a flow by its name or one of its ``aliases``; flows are told apart by
    themselves, not by name (two exports may both be called "Main": a hand-off to "Main" then
    goes to the first one given, and says so)."""
    named: dict[str, list[ImportedFlow]] = {}
    for flow in flows:
        for name in [flow.name, *flow.aliases]:
            found = named.setdefault(_key(name), [])
            if all(other is not flow for other in found):  # by identity, not equality
                found.append(flow)
    targets: dict[int, dict[str, ImportedFlow]] = {}
    for flow in flows:  # node id -> the input flow it hands calls to
        targets[id(flow)] = {}
        for node, target in flow.handoffs.items():
            candidates = named.get(_key(target), [])
            if len(candidates) > 1:
                flow.assume(msg(N_("the hand-off to '{target}' matches {n} inputs: the first, "
                                   "{path}, is followed"),
                                target=target, n=len(candidates), path=candidates[0].path),
                            flow.pos,
                            "docs/importers.md (flows that hand calls on)", node)
            if candidates:
                targets[id(flow)][node] = candidates[0]
    handed_to = {id(target) for flow in flows for target in targets[id(flow)].values()
                 if target is not flow}
    covered = set()
    for flow in flows:
        if id(flow) not in handed_to:
            covered |= {id(flow)} | {id(other) for other in _handed_to(flow, targets)}
    # a flow only other flows reach starts no line; one in a circle that nothing outside it
    # reaches does, as every flow of a circle does
    roots = [flow for flow in flows if id(flow) not in handed_to or id(flow) not in covered]
    return [_line(root, targets) for root in roots]


def _line(root: ImportedFlow, targets: dict[int, dict[str, ImportedFlow]]) -> ImportedFlow:
    reachable = _handed_to(root, targets)
    if not reachable and all(t is not root for t in targets[id(root)].values()):
        return root  # (a flow that hands calls to itself starts again: that is followed too)
    line = copy.deepcopy(root)
    prefixes = {id(root): ""}
    for flow in reachable:
        prefixes[id(flow)] = line.new_id(flow.short_name) + "."
    for flow in reachable:
        _copy_nodes(line, flow, prefixes[id(flow)])
        line.assumptions += flow.assumptions
        line.joined.append(flow)
        _merge_scenarios(line, flow)
    for flow in [root, *reachable]:
        prefix = prefixes[id(flow)]
        for node_id, target in targets[id(flow)].items():
            entry = prefixes[id(target)] + target.header["entry"]
            node = line.nodes[prefix + node_id]
            line.nodes[prefix + node_id] = mapping(node.pos, {"type": "branch", "else": entry})
            line.notes[prefix + node_id] = (line.notes.get(prefix + node_id, "")
                                            + f" (continues in flow '{target.short_name}')").strip()
    line.handoffs = {}
    return line


def _handed_to(root: ImportedFlow, targets: dict[int, dict[str, ImportedFlow]]
               ) -> list[ImportedFlow]:
    """The other input flows a call from ``root`` can be handed to, in the order met."""
    found, queue = [], [root]
    while queue:
        flow = queue.pop(0)
        for target in targets[id(flow)].values():
            if target is not root and all(other is not target for other in found):
                found.append(target)
                queue.append(target)
    return found


def _copy_nodes(line: ImportedFlow, flow: ImportedFlow, prefix: str) -> None:
    for node_id, node in flow.nodes.items():
        line.nodes[prefix + node_id] = _renamed(node, prefix)
        line.nodes.key_pos[prefix + node_id] = flow.nodes.key_pos[node_id]
        line.nodes.value_pos[prefix + node_id] = flow.nodes.value_pos[node_id]
        if flow.path != line.path:
            line.node_files[prefix + node_id] = flow.path
        if node_id in flow.notes:
            line.notes[prefix + node_id] = flow.notes[node_id]


def _renamed(value, prefix: str, key: str | None = None):
    """A copy of a node's document with every node id it names prefixed."""
    if isinstance(value, PosDict):
        copied = copy.copy(value)
        for field, item in value.items():
            copied[field] = _renamed(item, prefix, field)
        return copied
    if isinstance(value, list):
        copied = copy.copy(value)
        copied[:] = [_renamed(item, prefix, key) for item in value]
        return copied
    if key in _TARGET_FIELDS and isinstance(value, str) and value not in _RESERVED:
        return prefix + value
    return value


def _merge_scenarios(line: ImportedFlow, flow: ImportedFlow) -> None:
    """Scenarios of the same name are one scenario whose conditions are those of both."""
    mine = line.header.get("scenarios")
    theirs = flow.header.get("scenarios")
    if not theirs:
        return
    merged = dict(mine or {"default": []})
    for name, conditions in theirs.items():
        merged[name] = sorted(set(merged.get(name, [])) | set(conditions or []))
    line.set("scenarios", merged, line.header_pos.get("scenarios"))
