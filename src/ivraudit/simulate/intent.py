"""What a persona does at each node: the first step of its best path from there.

An expert follows the `forced` best path (SPEC section 5), a first-time caller the `listen`
one, from wherever it is. The choice at a menu is exactly best_path's (choose.py's tie-break).
A persona that speaks (``speaks: true``) also has the options it can say: it follows the same
orders over keyed and spoken choices (an option costs 1 step when said, SPEC 9.3), and a
persona that presses no keys (``knowledge: none``) but speaks listens for the spoken options
announced on its way and says them.

Two ways to get every node's best cost to a person, with the same edge costs (paths.py's cost
functions) and so the same answer:

- ``costs_to_human`` from paths.py (pure Python), for small menus, the audit and speakers;
- a lexicographic Dijkstra with scipy.sparse.csgraph: one run per cost component, each on the
  edges that are tight for the ones before (a path is lexicographically shortest exactly when
  it is shortest in the first component and, among those, in the next). Exact: ticks and steps
  are integers, added as floats far below 2**53. For large menus (100,000 nodes in a fraction
  of a second where the heap in pure Python takes seconds).
"""

from __future__ import annotations

import networkx as nx

from ..analysis.choose import Chooser, Move
from ..analysis.lazy import LazyCosts, LazyRouting
from ..analysis.paths import (
    FORCED, LISTEN, Order, chosen_cases, costs_to_human, edges_to_costed, is_person_here, plus,
    tight_moves,
)
from ..analysis.spoken import option_choices
from ..util.gcpause import without_cycle_collection

ENTER = "enter"  # at an input: enter the number
SAY = "say:"  # a spoken choice: SAY + the phrase
SCIPY_FROM = 5000  # graph nodes; from this size on, csgraph


def _speaker_order(name: str, keys: bool, listen: bool) -> Order:
    """An order of paths.py for a persona that speaks (and presses keys, with ``keys``)."""
    base = LISTEN if listen else FORCED

    def cost(attrs: dict, data: dict):
        if data["kind"] != "option":
            if not keys and attrs["type"] == "input":
                return None  # it cannot type the number
            return base.cost(attrs, data)
        choices = option_choices(data, keys, hidden=not listen)
        if not choices:
            return None
        steps = min(choice[0] for choice in choices)
        if listen:
            heard = data["announced_ticks"] if attrs["node"].barge_in else attrs["prompt_ticks"]
            return (heard, steps, attrs["forced_ticks"])
        return (attrs["forced_ticks"], steps)

    return Order(name, cost, base.zero, keypad=False)


_SPEAKERS = {("expert", True): _speaker_order("speak-forced", True, False),
             ("first-time", True): _speaker_order("speak-listen", True, True),
             ("none", True): _speaker_order("voice-listen", False, True)}


def order_for(knowledge: str, speaks: bool = False) -> Order | None:
    """The best-path order a persona follows; None for one that does nothing at all."""
    if speaks:
        return _SPEAKERS[(knowledge, True)]
    return {"expert": FORCED, "first-time": LISTEN}.get(knowledge)


def intended_keys(G: nx.MultiDiGraph, conditions: frozenset[str], knowledge: str,
                  method: str = "auto", speaks: bool = False) -> dict[str, str]:
    """Node id -> what the persona does there: the key pressed, ``enter`` at an input, or
    ``say:PHRASE``; for every menu and input from which it knows a way to a person. Read it
    with ``.get(node_id)`` (``.all()`` lists them all). ``method``: ``auto`` works out only
    what is asked for (analysis.lazy: a persona's call visits few nodes of a large menu);
    ``python`` or ``scipy`` compute every node's cost first."""
    order = order_for(knowledge, speaks)
    if order is None:
        return {}
    with without_cycle_collection():
        if method == "auto":
            chosen = LazyRouting(G, conditions)
            full = lambda: _all_costs(G, chosen_cases(G, conditions), order, speaks)  # noqa: E731
            return _KeysFromCosts(G, order, LazyCosts(G, chosen, order, full), chosen)
        chosen = chosen_cases(G, conditions)
        if not speaks and method == "scipy":
            return _KeysFromCosts(G, order, _by_csgraph(G, chosen, order), chosen)
        return _KeysFromCosts(G, order, costs_to_human(G, chosen, order), chosen)


def _all_costs(G: nx.MultiDiGraph, chosen: dict, order: Order, speaks: bool) -> dict:
    """Every node's best cost to a person: csgraph for a large menu, else paths.py."""
    if not speaks and len(G) >= SCIPY_FROM:
        return _by_csgraph(G, chosen, order)
    return costs_to_human(G, chosen, order)


def keys_from_costs(G: nx.MultiDiGraph, knowledge: str, costs: dict, chosen: dict,
                    speaks: bool = False) -> dict[str, str]:
    """``intended_keys`` from each node's best cost to a person in the persona's order (the
    metrics' own cost maps: the audit does not search again)."""
    order = order_for(knowledge, speaks)
    if order is None:
        return {}
    return _KeysFromCosts(G, order, costs, chosen)


class _KeysFromCosts(dict):
    """The choices of ``intended_keys``, worked out for a node when first asked (a persona
    visits few of a large menu's nodes); ``all()`` lists them all."""

    def __init__(self, G, order: Order, done: dict, chosen: dict) -> None:
        super().__init__()
        self.G, self.order, self.done, self.chosen = G, order, done, chosen
        nodes = G.nodes
        if order in (FORCED, LISTEN):
            moves = lambda here: tight_moves(G, here, chosen, order, done)  # noqa: E731
            self.chooser = Chooser(moves, lambda n: is_person_here(nodes[n], n, chosen))
        else:
            self.chooser = Chooser(self._spoken_moves, lambda n: is_person_here(nodes[n], n, chosen),
                                   by_tokens=True)

    def _spoken_moves(self, here: str) -> list[Move]:
        G, done = self.G, self.done
        attrs, moves = G._node[here], []
        keys, listen = self.order.name != "voice-listen", self.order.name != "speak-forced"
        for target, data in edges_to_costed(G, here, self.chosen, done):
            step = self.order.cost(attrs, data)
            if step is None:
                continue
            if data["kind"] != "option":
                if plus(step, done[target]) == done[here]:
                    moves.append(Move((), (), target, (here, None)))
                continue
            for steps, token, key, phrase in option_choices(data, keys, hidden=not listen):
                choice = step[:1] + (steps,) + step[2:]  # this choice's own steps
                if plus(choice, done[target]) == done[here]:
                    moves.append(Move((), token, target, (here, key or SAY + phrase)))
        return moves

    def get(self, node_id, default=None):
        if node_id not in self.done:
            return default
        if not dict.__contains__(self, node_id):
            kind = self.G.nodes[node_id]["type"]
            if kind == "input":
                self[node_id] = ENTER
            elif kind == "menu":
                self[node_id] = self.chooser.choice(node_id).row[1]
            else:
                return default
        return dict.__getitem__(self, node_id)

    def all(self) -> dict[str, str]:
        return {node_id: key for node_id in self.done
                if (key := self.get(node_id)) is not None}


def _by_csgraph(G: nx.MultiDiGraph, chosen: dict, order: Order) -> dict[str, tuple]:
    """Each node's best cost to a person (as paths.costs_to_human), with csgraph."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    names, index, table, types = _edge_table(G, np)
    n = len(names)
    source, target = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    case, hidden = table[:, 3], table[:, 4]
    taken = np.full(n, -1.0)  # the case taken at each branch or overflow (-1: none)
    for node_id, choice in chosen.items():
        if choice is not None:
            taken[index[node_id]] = choice
    keep = (case == _NOT_A_BRANCH) | (case == taken[source])
    if order is LISTEN:
        keep &= hidden == 0
        weights = table[:, [5, 6, 7]]  # (listen, steps, forced)
    elif order is FORCED:
        weights = table[:, [7, 6]]  # (forced, steps)
    else:
        weights = table[:, [6, 7]]  # (steps, forced)
    source, target, weights = source[keep], target[keep], weights[keep]
    humans = np.array([index[p] for p in names if G.nodes[p]["person"] and chosen.get(p) is None],
                      dtype=np.int64)
    tight = np.ones(len(source), dtype=bool)
    levels = []
    for level in range(weights.shape[1]):
        distance = _distances_to(humans, source[tight], target[tight], weights[tight, level], n,
                                 np, csr_matrix, dijkstra)
        levels.append(distance)
        tight &= np.isfinite(distance[target]) & (weights[:, level] + distance[target] == distance[source])
    reachable = np.isfinite(levels[0])
    return {names[i]: tuple(int(level[i]) for level in levels)
            for i in np.flatnonzero(reachable).tolist()}


_NOT_A_BRANCH = -2


def _edge_table(G, np):
    """The best-path edges of a graph, one row each: source, target, option index (-1: none),
    branch or overflow case (-1: `else`, -2: neither), hidden, then the costs in ticks:
    listen, steps, forced. Spoken options (no key) are left out.

    The costs are paths.py's (steps_cost, forced_cost, listen_cost) written out for speed (a
    test checks them edge by edge). Kept on the graph: every persona and scenario shares it.
    """
    cached = G.graph.get("_simulate_edge_table")
    if cached is not None:
        return cached
    names = list(G.nodes)
    index = {name: i for i, name in enumerate(names)}
    rows = []
    append = rows.append
    node_attrs = G._node  # networkx's own dicts: its views cost a second per 100,000 nodes
    for u, neighbours in G._succ.items():
        attrs = node_attrs[u]
        kind_u = attrs["type"]
        if kind_u not in ("menu", "message", "input", "branch", "human", "transfer"):
            continue
        ui, forced, prompt = index[u], attrs["forced_ticks"], attrs["prompt_ticks"]
        node = attrs["node"]
        barge_in = node.barge_in
        plain_steps = node.input_steps if kind_u == "input" else 0
        plain_listen = 0 if kind_u in ("branch", "human", "transfer") else prompt
        for v, edges in neighbours.items():
            vi = index[v]
            for data in edges.values():
                kind = data["kind"]
                if kind == "option":
                    if data["key"] is None:
                        continue
                    hidden = data["hidden"]
                    heard = 0 if hidden else (data["announced_ticks"] if barge_in else prompt)
                    append((ui, vi, data["index"], _NOT_A_BRANCH, hidden, heard, len(data["key"]),
                            forced))
                elif kind == "next":
                    append((ui, vi, -1, _NOT_A_BRANCH, 0, plain_listen, plain_steps, forced))
                elif kind in ("branch", "overflow"):
                    case = data["case"]
                    append((ui, vi, -1, -1 if case is None else case, 0, plain_listen, plain_steps,
                            forced))
    table = np.array(rows, dtype=float).reshape(len(rows), 8)
    types = [node_attrs[name]["type"] for name in names]
    G.graph["_simulate_edge_table"] = found = (names, index, table, types)
    return found


def _distances_to(humans, source, target, weight, n, np, csr_matrix, dijkstra):
    """Each node's least total weight to any human, over the given edges (inf: none)."""
    if not humans.size:
        return np.full(n, np.inf)
    # reversed edges, plus a virtual node n with 0-weight edges to every human; parallel edges
    # keep their least weight (a sparse matrix would add them up)
    rows = np.concatenate([target, np.full(humans.size, n)])
    cols = np.concatenate([source, humans])
    data = np.concatenate([weight, np.zeros(humans.size)])
    order = np.lexsort((data, cols, rows))
    rows, cols, data = rows[order], cols[order], data[order]
    first = np.ones(rows.size, dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    graph = csr_matrix((data[first], (rows[first], cols[first])), shape=(n + 1, n + 1))
    return dijkstra(graph, directed=True, indices=n)[:n]
