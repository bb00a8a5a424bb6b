"""Best paths to a person (SPEC section 5): steps, forced seconds, listen seconds.

Each metric is a tuple of additive costs compared in order (for ``forced``: forced seconds, then
steps). One backward Dijkstra from every person gives each node's best cost to a person; a
forward walk from the entry then follows only edges that keep the cost optimal, broken by the
keypad tie-break of choose.py (the characters pressed, compared one by one; SPEC 9.10). Linear
in the graph size up to the heap's logarithm; no path is ever enumerated.

A person is a `human` node or a `transfer` a person answers, unless it overflows in the
scenario: then it is passed like a branch (SPEC 9.6). Spoken options (no key) do not exist for
these keypad metrics (SPEC 9.3); an option costs as many steps as its key has characters.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from itertools import count
from operator import add

import networkx as nx

from ..format.model import key_ranks
from ..util.cached import record
from .choose import Chooser, Move
from .settle import Chosen

Cost = tuple
EdgeCost = Callable[[dict, dict], "Cost | None"]  # (source node's attributes, edge data)
PathStep = tuple  # (node id, key pressed there or None)


def chosen_cases(G: nx.MultiDiGraph, conditions: frozenset[str]) -> dict[str, int | None]:
    """The scenario's routing: for each branch node the case taken (None: the `else`), and for
    each person node with an `overflow`, 0 where it overflows (else None)."""
    chosen = {}
    for node_id, node in G.nodes(data="node"):
        if node is not None and (node.type == "branch" or node.overflow is not None):
            chosen[node_id] = node.taken_case(conditions)
    return chosen


def is_active(data: dict, source: str, chosen: Chosen) -> bool:
    """Whether an edge can be taken in the scenario: branch and overflow edges only where the
    scenario takes them."""
    kind = data["kind"]
    return (kind != "branch" and kind != "overflow") or data["case"] == chosen[source]


def is_person_here(attrs: dict, node_id: str, chosen: Chosen) -> bool:
    """Whether a graph node is a person in the scenario (a person that overflows is not)."""
    return attrs["person"] and chosen.get(node_id) is None


def persons(G: nx.MultiDiGraph, chosen: Chosen) -> list[str]:
    """The nodes where a call reaches a person in the scenario."""
    return [n for n, attrs in G.nodes(data=True) if attrs["person"] and chosen.get(n) is None]


def _steps(attrs: dict, data: dict) -> int:
    if data["kind"] == "option":
        return len(data["key"])
    node = attrs["node"]
    return node.input_steps if node.type == "input" else 0


def _listen(attrs: dict, data: dict) -> int | None:
    if data["kind"] == "option":
        if data["hidden"]:
            return None
        return data["announced_ticks"] if attrs["node"].barge_in else attrs["prompt_ticks"]
    return 0 if attrs["type"] in ("branch", "human", "transfer") else attrs["prompt_ticks"]


# Costs are in the graph's ticks (see graph.build_graph): exact integers. An order with
# ``keypad`` never sees a spoken option (key None): a keypad caller cannot choose it.

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


@record
class Order:
    """A best-path metric: its cost per edge and the cost of being at a person already."""

    name: str
    cost: EdgeCost
    zero: Cost
    keypad: bool = True  # a keypad caller's: spoken options have no cost


STEPS = Order("steps", steps_cost, (0, 0))
FORCED = Order("forced", forced_cost, (0, 0))
LISTEN = Order("listen", listen_cost, (0, 0, 0))

BEST_PATH_KINDS = frozenset(("option", "next", "branch", "overflow"))


def keypad_edges_into(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, dict, dict]]]:
    """Per node, the best-path edges into it a keypad caller can take (spoken options left
    out): (source, source's attributes, edge data). Kept on the graph: every order and scenario
    shares it, and the searches skip the failure edges at no cost."""
    found = G.graph.get("_keypad_edges_into")
    if found is None:
        found = {node: [] for node in G}
        nodes = G._node  # networkx's own dicts: its views cost a second per 100,000 nodes
        for source, neighbours in G._succ.items():
            attrs = nodes[source]
            for target, edges in neighbours.items():
                for data in edges.values():
                    if data["kind"] in BEST_PATH_KINDS and data.get("key", "") is not None:
                        found[target].append((source, attrs, data))
        G.graph["_keypad_edges_into"] = found
    return found


def costs_to_human(G: nx.MultiDiGraph, chosen: Chosen, order: Order) -> dict[str, Cost]:
    """Each node's best cost to a person over best-path edges (backward Dijkstra). The dict's
    order is the order the nodes were settled in: every tight edge leads to an earlier one."""
    cost = order.cost
    into = keypad_edges_into(G) if order.keypad else _all_edges_into(G)
    done: dict[str, Cost] = {}
    tie = count()
    heap = [(order.zero, next(tie), person) for person in persons(G, chosen)]
    pop, push, pair = heapq.heappop, heapq.heappush, len(order.zero) == 2
    while heap:
        here_cost, _, here = pop(heap)
        if here in done:
            continue
        done[here] = here_cost
        for source, attrs, data in into[here]:
            if source in done or (data["kind"] in _ROUTED and data["case"] != chosen[source]):
                continue
            step = cost(attrs, data)
            if step is not None:
                total = (step[0] + here_cost[0], step[1] + here_cost[1]) if pair else \
                    tuple(map(add, step, here_cost))
                push(heap, (total, next(tie), source))
    return done


def _all_edges_into(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, dict, dict]]]:
    """As keypad_edges_into, spoken options included (for the speaking caller)."""
    found = {node: [] for node in G}
    nodes = G._node
    for source, neighbours in G._succ.items():
        for target, edges in neighbours.items():
            for data in edges.values():
                if data["kind"] in BEST_PATH_KINDS:
                    found[target].append((source, nodes[source], data))
    return found


_ROUTED = frozenset(("branch", "overflow"))


def edges_to_costed(G: nx.MultiDiGraph, here: str, chosen: Chosen, done: dict[str, Cost]):
    """The best-path edges out of ``here`` that the scenario takes, to nodes with a cost in
    ``done``: (target, edge data). Every tie-break walks these."""
    for target, edges in G._succ[here].items():  # networkx's own dict: its view is slower
        if target in done:
            for data in edges.values():
                if data["kind"] in BEST_PATH_KINDS and is_active(data, here, chosen):
                    yield target, data


def plus(a: Cost, b: Cost) -> Cost:
    return tuple(map(add, a, b))


def tight_moves(G: nx.MultiDiGraph, here: str, chosen: Chosen, order: Order,
                done: dict[str, Cost]) -> list[Move]:
    """The best-path edges from ``here`` that keep its best cost, as moves for choose.py: an
    option presses its key's characters (token: the key's length, then its place in the list)."""
    attrs, moves = G._node[here], []
    for target, data in edges_to_costed(G, here, chosen, done):
        if order.keypad and data.get("key", "") is None:
            continue
        step = order.cost(attrs, data)
        if step is None or plus(step, done[target]) != done[here]:
            continue
        if data["kind"] == "option":
            moves.append(Move(key_ranks(data["key"]), (len(data["key"]), data["index"]),
                              target, (here, data["key"])))
        else:
            moves.append(Move((), (), target, (here, None)))
    return moves


def best_path(G: nx.MultiDiGraph, source: str, chosen: Chosen, order: Order,
              done: dict[str, Cost]) -> list[PathStep] | None:
    """The best path from ``source`` to a person: (node, key) pairs, the person last."""
    if source not in done:
        return None
    nodes = G.nodes
    chooser = Chooser(lambda here: tight_moves(G, here, chosen, order, done),
                      lambda here: is_person_here(nodes[here], here, chosen),
                      limit=len(G) * 4 + 4)
    return chooser.path(source, lambda person: (person, None))
