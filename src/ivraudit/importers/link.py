"""Flows that hand calls to each other, audited as one line (SPEC section 10).

A flow's `transfer` node that hands the call to another flow (``ImportedFlow.handoffs``) is
followed when that flow is among the inputs: the target flow's nodes join the line (their ids
prefixed with the flow's id, so that two flows may both have a `main`), and the transfer node
becomes a branch that goes on to the target's entry. A line starts at each flow that no other
input hands calls to (if every flow is handed to, in a circle, each one starts a line), so a
folder of flows is audited as the lines callers actually dial.
"""

from __future__ import annotations

import copy
import re

from ..format.yamlsource import PosDict
from .base import ImportedFlow, mapping

# Fields of a node that name other nodes (a `then` inside a failure mapping, a list of them).
_TARGET_FIELDS = ("next", "goto", "else", "on_invalid", "on_timeout", "on_exhausted", "then")
_RESERVED = ("restart", "hangup", "replay", "reprompt")


def _key(name: str) -> str:
    """A flow name as hand-offs are matched: case, spaces and punctuation aside
    ("RulesEngineError" names the flow in rules-engine-error.json)."""
    return re.sub(r"[\W_]+", "", name.casefold())


def link(flows: list[ImportedFlow]) -> list[ImportedFlow]:
    """The lines to audit: each root flow with every flow it hands calls to, transitively.
    A hand-off names a flow by its name or one of its ``aliases``."""
    found: dict[str, ImportedFlow] = {}
    for flow in flows:
        for name in [flow.name, *flow.aliases]:
            found.setdefault(_key(name), flow)
    by_name = {flow.name: flow for flow in flows}
    for flow in flows:  # hand-offs by the name of the flow they reach
        flow.handoffs = {node: found[_key(target)].name if _key(target) in found else target
                         for node, target in flow.handoffs.items()}
    targeted = {target for flow in flows for target in flow.handoffs.values()
                if target in by_name and target != flow.name}
    roots = [flow for flow in flows if flow.name not in targeted] or flows
    return [_line(root, by_name) for root in roots]


def _line(root: ImportedFlow, by_name: dict[str, ImportedFlow]) -> ImportedFlow:
    reachable = _handed_to(root, by_name)
    if not reachable:
        return root
    line = copy.deepcopy(root)
    prefixes = {root.name: ""}
    for name in reachable:
        prefixes[name] = line.new_id(by_name[name].name) + "."
    for name in reachable:
        flow = by_name[name]
        _copy_nodes(line, flow, prefixes[name])
        line.assumptions += flow.assumptions
        line.joined.append(flow)
        _merge_scenarios(line, flow)
    for flow_name, prefix in prefixes.items():
        flow = by_name[flow_name]
        for node_id, target in flow.handoffs.items():
            if target in prefixes:
                entry = prefixes[target] + by_name[target].header["entry"]
                node = line.nodes[prefix + node_id]
                line.nodes[prefix + node_id] = mapping(node.pos, {"type": "branch",
                                                                   "else": entry})
                line.notes[prefix + node_id] = (line.notes.get(prefix + node_id, "")
                                                + f" (continues in flow '{target}')").strip()
    line.handoffs = {}
    return line


def _handed_to(root: ImportedFlow, by_name: dict[str, ImportedFlow]) -> list[str]:
    """The other input flows a call from ``root`` can be handed to, in the order met."""
    found, queue = [], [root]
    while queue:
        flow = queue.pop(0)
        for target in flow.handoffs.values():
            if target in by_name and target != root.name and target not in found:
                found.append(target)
                queue.append(by_name[target])
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
