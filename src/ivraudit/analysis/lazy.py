"""Best costs to a person, and a scenario's routing, worked out only where they are asked for.

A persona's call visits a few hundred states of a menu that may have 100,000 nodes; the
simulator asks what it does at those only. ``LazyCosts`` answers ``costs[node]`` (each node's
best cost to a person in an order of paths.py, exactly what ``costs_to_human`` gives) with a
search forward from the node that stops at the first person it reaches, or at a node whose cost
is already known; every node on the best path it finds gets its cost too (the rest of a best
path is a best path). A menu in which persons are far from most nodes would make those
searches long, so after four steps per node of the menu in all, the map is computed whole,
once (``full``), and read from then on: near-linear either way.

``LazyRouting`` is a scenario's routing (paths.chosen_cases) computed node by node.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from itertools import count
from operator import add, sub

import networkx as nx

from .paths import BEST_PATH_KINDS, Cost, Order, is_active, is_person_here

_NONE = object()  # no person can be reached from the node


class LazyRouting(dict):
    """The case each branch node takes (None: `else`) and, per person node with an
    `overflow`, 0 where it overflows, as chosen_cases gives them, each computed when read."""

    def __init__(self, G: nx.MultiDiGraph, conditions: frozenset[str]) -> None:
        super().__init__()
        self.nodes, self.conditions = G._node, conditions  # networkx's own dict: no view

    def __missing__(self, node_id: str):
        node = self.nodes[node_id].get("node") if node_id in self.nodes else None
        if node is None or not (node.type == "branch" or node.overflow is not None):
            raise KeyError(node_id)
        found = self[node_id] = node.taken_case(self.conditions)
        return found

    def get(self, node_id: str, default=None):
        try:
            return self[node_id]
        except KeyError:
            return default

    def __contains__(self, node_id: object) -> bool:
        return self.get(node_id, _NONE) is not _NONE


class LazyCosts(Mapping):
    """Node -> best cost to a person (only nodes from which one can be reached are in it).

    ``full()``: the whole map (costs_to_human or the csgraph search), used once the searches
    have taken four steps per node. Iterating it computes the whole map.
    """

    def __init__(self, G: nx.MultiDiGraph, chosen, order: Order,
                 full: Callable[[], dict[str, Cost]]) -> None:
        self.G, self.chosen, self.order, self._full = G, chosen, order, full
        self.known: dict[str, object] = {}  # node -> cost, or _NONE
        self.whole: dict[str, Cost] | None = None
        self.budget = 4 * len(G._node) + 100  # node steps

    def __getitem__(self, node_id: str) -> Cost:
        found = self._cost(node_id)
        if found is _NONE:
            raise KeyError(node_id)
        return found

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.G._node and self._cost(node_id) is not _NONE

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def _everything(self) -> dict[str, Cost]:
        if self.whole is None:
            self.whole = self._full()
        return self.whole

    def _cost(self, node_id: str):
        if self.whole is not None:
            return self.whole.get(node_id, _NONE)
        found = self.known.get(node_id)
        if found is not None:
            return found
        if self.budget <= 0:
            return self._everything().get(node_id, _NONE)
        return self._search(node_id)

    def _search(self, source: str):
        """Dijkstra forward from ``source`` to the first person, or to a node of known cost."""
        G, chosen, order, known = self.G, self.chosen, self.order, self.known
        nodes, succ, cost = G._node, G._succ, order.cost
        best: dict[str, Cost] = {source: order.zero}
        before: dict[str, str] = {}
        tie = count()
        heap: list = [(order.zero, next(tie), source, False)]
        settled: set[str] = set()
        while heap:
            here_cost, _, here, goal = heapq.heappop(heap)
            if goal:  # reached a node whose own best cost is known: the best way is through it
                return self._learn(source, here, here_cost, best, before)
            if here in settled:
                continue
            settled.add(here)
            self.budget -= 1
            attrs = nodes[here]
            if attrs["person"] and is_person_here(attrs, here, chosen):
                return self._learn(source, here, here_cost, best, before)
            if here != source and here in known:
                rest = known[here]
                if rest is not _NONE:
                    heapq.heappush(heap, (_plus(here_cost, rest), next(tie), here, True))
                continue
            for target, edges in succ[here].items():
                for data in edges.values():
                    if data["kind"] not in BEST_PATH_KINDS or not is_active(data, here, chosen):
                        continue
                    if order.keypad and data.get("key", "") is None:
                        continue  # a spoken option: no keypad caller chooses it
                    step = cost(attrs, data)
                    if step is None:
                        continue
                    total = _plus(here_cost, step)
                    if target not in best or total < best[target]:
                        best[target], before[target] = total, here
                        heapq.heappush(heap, (total, next(tie), target, False))
        for node_id in settled:  # nothing reachable from these reaches a person
            known[node_id] = _NONE
        return _NONE

    def _learn(self, source: str, end: str, total: Cost, best: dict, before: dict) -> Cost:
        """Every node on the best path from ``source`` to ``end`` (a person, or a node of
        known cost) has as cost what the path still costs from it."""
        here = end
        while True:
            self.known[here] = _minus(total, best[here])
            if here == source:
                return self.known[source]
            here = before[here]


def _plus(a: Cost, b: Cost) -> Cost:
    return tuple(map(add, a, b))


def _minus(a: Cost, b: Cost) -> Cost:
    return tuple(map(sub, a, b))
