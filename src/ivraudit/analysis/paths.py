"""Best paths to a human (SPEC section 5): steps, forced seconds, listen seconds.

Each metric is a tuple of additive costs compared in order (for ``forced``: forced seconds, then
steps). One backward Dijkstra from every human node gives each node's best cost to a person; a
forward walk from the entry then follows only edges that keep the cost optimal, taking the lowest
key in keypad order wherever a menu offers several. Menus are the only places a best path can
fork, so the lowest key at the first fork is exactly the tie-break "first key sequence in keypad
order". Linear in the graph size up to the heap's logarithm; no path is ever enumerated.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

import networkx as nx

from ..format.model import KEY_RANK

Cost = tuple
EdgeCost = Callable[[dict, dict], "Cost | None"]  # (source node's attributes, edge data)
PathStep = tuple  # (node id, key pressed there or None)


def chosen_cases(G: nx.MultiDiGraph, conditions: frozenset[str]) -> dict[str, int | None]:
    """For each branch node, the case taken in a scenario (None: the `else`)."""
    chosen = {}
    for node_id, node in G.nodes(data="node"):
        if node is not None and node.type == "branch":
            chosen[node_id] = node.taken_case(conditions)
    return chosen


def is_active(data: dict, source: str, chosen: dict[str, int | None]) -> bool:
    """Whether an edge can be taken in the scenario: branch edges only for the chosen case."""
    return data["kind"] != "branch" or data["case"] == chosen[source]


def _steps(attrs: dict, data: dict) -> int:
    if data["kind"] == "option":
        return 1
    node = attrs["node"]
    return node.input_steps if node.type == "input" else 0


def _listen(attrs: dict, data: dict) -> int | None:
    if data["kind"] == "option":
        if data["hidden"]:
            return None
        return data["announced_ticks"] if attrs["node"].barge_in else attrs["prompt_ticks"]
    return 0 if attrs["type"] == "branch" else attrs["prompt_ticks"]


# Costs are in the graph's ticks (see graph.build_graph): exact integers.

def steps_cost(attrs: dict, data: dict) -> Cost:
    """(steps, forced): the `steps_to_human` order."""
    return (_steps(attrs, data), attrs["forced_ticks"])


def forced_cost(attrs: dict, data: dict) -> Cost:
    """(forced, steps): the `forced_seconds_to_human` order."""
    return (attrs["forced_ticks"], _steps(attrs, data))


def listen_cost(attrs: dict, data: dict) -> Cost | None:
    """(listen, steps, forced): None on a hidden option."""
    listen = _listen(attrs, data)
    if listen is None:
        return None
    return (listen, _steps(attrs, data), attrs["forced_ticks"])


@dataclass(frozen=True)
class Order:
    """A best-path metric: its cost per edge and the cost of being at a human already."""

    name: str
    cost: EdgeCost
    zero: Cost


STEPS = Order("steps", steps_cost, (0, 0))
FORCED = Order("forced", forced_cost, (0, 0))
LISTEN = Order("listen", listen_cost, (0, 0, 0))

_BEST_PATH_KINDS = frozenset(("option", "next", "branch"))


def costs_to_human(G: nx.MultiDiGraph, chosen: dict, order: Order) -> dict[str, Cost]:
    """Each node's best cost to any human node over best-path edges (backward Dijkstra)."""
    nodes = G.nodes
    humans = [n for n, kind in G.nodes(data="type") if kind == "human"]
    if not humans:
        return {}
    cost = order.cost
    done: dict[str, Cost] = {}
    tie = count()
    heap = [(order.zero, next(tie), human) for human in humans]
    while heap:
        here_cost, _, here = heapq.heappop(heap)
        if here in done:
            continue
        done[here] = here_cost
        for source, edges in G.pred[here].items():
            if source in done:
                continue
            attrs = nodes[source]
            for data in edges.values():
                if data["kind"] not in _BEST_PATH_KINDS or not is_active(data, source, chosen):
                    continue
                step = cost(attrs, data)
                if step is not None:
                    total = tuple(a + b for a, b in zip(step, here_cost))
                    heapq.heappush(heap, (total, next(tie), source))
    return done


def best_path(G: nx.MultiDiGraph, source: str, chosen: dict, order: Order,
              done: dict[str, Cost]) -> list[PathStep] | None:
    """The best path from ``source`` to a human: (node, key) pairs, the human last."""
    if source not in done:
        return None
    nodes, cost = G.nodes, order.cost
    path: list[PathStep] = []
    here = source
    for _ in range(len(G) * 4 + 4):  # a best path visits a node at most once per cost level
        attrs = nodes[here]
        if attrs["type"] == "human":
            path.append((here, None))
            return path
        best = None
        for target, edges in G.succ[here].items():
            if target not in done:
                continue
            for data in edges.values():
                if data["kind"] not in _BEST_PATH_KINDS or not is_active(data, here, chosen):
                    continue
                step = cost(attrs, data)
                if step is None:
                    continue
                if tuple(a + b for a, b in zip(step, done[target])) != done[here]:
                    continue
                rank = KEY_RANK[data["key"]] if data["kind"] == "option" else -1
                if best is None or rank < best[0]:
                    best = (rank, target, data)
        _, target, data = best
        path.append((here, data.get("key") if data["kind"] == "option" else None))
        here = target
    raise RuntimeError(f"best path from {source!r} did not end")  # pragma: no cover
