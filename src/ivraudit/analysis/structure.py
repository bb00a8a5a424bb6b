"""Structural metrics: reachability, depth, one-key humans, dead ends and traps (SPEC section 5).

Each is one BFS or one pass over strongly connected components.
"""

from __future__ import annotations

from collections import deque

import networkx as nx

from ..format.model import KEY_RANK, Menu
from .settle import HANGUP_NODE, Chosen, settle


def reachable(G: nx.MultiDiGraph, source: str, chosen: dict | None = None) -> set[str]:
    """Nodes a call can reach from ``source`` over every edge, failure edges included.

    With ``chosen`` (a scenario's branch cases) only the taken branch edges count.
    """
    if chosen is not None:
        return set(levels(G, source, chosen))
    seen = {source}
    queue = deque([source])
    succ = G._succ  # networkx's own dicts: its views cost a second per 100,000 nodes
    while queue:
        for target in succ[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def depth(G: nx.MultiDiGraph, entry: str, chosen: dict, found: dict | None = None) -> int:
    """The deepest menu level: over reachable menus, the fewest menus passed to reach it.
    ``found``: the ``levels`` already worked out."""
    nodes = G._node
    level = levels(G, entry, chosen) if found is None else found
    return max((lvl for n, lvl in level.items() if nodes[n]["type"] == "menu"), default=0)


def levels(G: nx.MultiDiGraph, entry: str, chosen: dict) -> dict[str, int]:
    """Each node a call can reach from ``entry`` in the scenario (failure edges included; only
    the branch edges ``chosen`` takes), with the fewest menus entered to get there.

    A 0-1 BFS: entering a menu costs one level, anything else none.
    """
    nodes, succ = G._node, G._succ
    level = {entry: 1 if nodes[entry]["type"] == "menu" else 0}
    queue = deque([entry])
    while queue:
        here = queue.popleft()
        at = level[here]
        for target, edges in succ[here].items():
            for data in edges.values():  # is_active, written out: this runs for every edge
                kind = data["kind"]
                if (kind != "branch" and kind != "overflow") or data["case"] == chosen[here]:
                    break
            else:
                continue
            candidate = at + 1 if nodes[target]["type"] == "menu" else at
            if candidate < level.get(target, candidate + 1):
                level[target] = candidate
                # zero-weight edges go to the front so levels leave the queue in order
                queue.appendleft(target) if candidate == at else queue.append(target)
    return level


def one_key_human(menu: Menu, G: nx.MultiDiGraph, chosen: Chosen,
                  seen: set[str] | None = None) -> dict[str, list[dict]]:
    """Per reachable menu, the single-character keys that reach a person with no further key
    press (through messages, branches and overflowing queues; SPEC 9.2, 9.6). ``seen``: the
    nodes reachable in the scenario, when already known."""
    memo: dict[str, str | None] = {}  # where each node settles: shared, so linear in all
    found = {}
    for node_id in sorted(reachable(G, menu.entry, chosen) if seen is None else seen):
        node = menu.nodes.get(node_id)
        if node is None or node.type != "menu":
            continue
        keys = [{"key": option.key, "announced": not option.hidden}
                for option in node.keyed_options if len(option.key) == 1
                and _is_human(menu, settle(menu, chosen, option.goto, memo=memo).stop)]
        if keys:
            found[node_id] = sorted(keys, key=lambda k: KEY_RANK[k["key"]])
    return found


def _is_human(menu: Menu, node_id: str | None) -> bool:
    """Whether a walk stopped at a person (one that overflows is passed, never a stop)."""
    return node_id in menu.nodes and menu.nodes[node_id].is_person


def unreachable(G: nx.MultiDiGraph, entry: str) -> list[str]:
    """Nodes that no call reaches in any scenario (every branch case counts)."""
    seen = reachable(G, entry)
    return sorted(n for n in G if n not in seen and n != HANGUP_NODE)


_GOALS = ("human", "callback", "transfer")  # a transfer counts like a callback (SPEC 9.5)


def dead_ends(G: nx.MultiDiGraph) -> list[str]:
    """Nodes from which no person, callback or transfer can be reached over any edge."""
    nodes, pred = G._node, G._pred
    goals = [n for n, attrs in nodes.items() if attrs["type"] in _GOALS]
    seen = set(goals)
    queue = deque(goals)
    while queue:
        for source in pred[queue.popleft()]:
            if source not in seen:
                seen.add(source)
                queue.append(source)
    return sorted(n for n, attrs in nodes.items()
                  if n not in seen and attrs["type"] not in _GOALS + ("hangup",))


def traps(G: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of nodes (a cycle, or a node looping on itself) that no edge leaves; a group that
    holds a person is none (SPEC 9.10)."""
    found = []
    for component in nx.strongly_connected_components(G):
        if len(component) == 1:
            (only,) = component
            if not G.has_edge(only, only):
                continue
        if any(G._node[n]["person"] for n in component):
            continue
        if all(target in component for n in component for target in G._succ[n]):
            found.append(sorted(component))
    return sorted(found)
