"""Which key a persona presses at each node: the first step of its best path from there.

An expert follows the `forced` best path (SPEC section 5), a first-time caller the `listen`
one, from wherever it is. The choice at a menu is exactly best_path's: among the options on a
best path, the lowest key in keypad order. Two ways to get every node's best cost to a person,
with the same edge costs (paths.py's cost functions) and so the same answer:

- ``costs_to_human`` from paths.py (pure Python), for small menus and for the audit;
- a lexicographic Dijkstra with scipy.sparse.csgraph: one run per cost component, each on the
  edges that are tight for the ones before (a path is lexicographically shortest exactly when
  it is shortest in the first component and, among those, in the next). Exact: ticks and steps
  are integers, added as floats far below 2**53. For large menus (100,000 nodes in a fraction
  of a second where the heap in pure Python takes seconds).
"""

from __future__ import annotations

import networkx as nx

from ..format.model import KEY_RANK
from ..analysis.paths import FORCED, LISTEN, Order, chosen_cases, costs_to_human
from ..util.gcpause import without_cycle_collection

ENTER = "enter"  # at an input: enter the number
SCIPY_FROM = 5000  # graph nodes; from this size on, csgraph


def order_for(knowledge: str) -> Order:
    return FORCED if knowledge == "expert" else LISTEN


def intended_keys(G: nx.MultiDiGraph, conditions: frozenset[str], knowledge: str,
                  method: str = "auto") -> dict[str, str]:
    """Node id -> the key pressed there (``enter`` at an input), for every menu and input from
    which the persona knows a way to a person; read it with ``.get(node_id)``. ``method``:
    python, scipy or auto."""
    if knowledge == "none":
        return {}
    with without_cycle_collection():
        return _intended_keys(G, conditions, knowledge, method)


def _intended_keys(G, conditions, knowledge: str, method: str) -> dict[str, str]:
    chosen = chosen_cases(G, conditions)
    order = order_for(knowledge)
    if method == "scipy" or (method == "auto" and len(G) >= SCIPY_FROM):
        return _by_csgraph(G, chosen, order)
    return keys_from_costs(G, knowledge, costs_to_human(G, chosen, order))


def keys_from_costs(G: nx.MultiDiGraph, knowledge: str, costs: dict) -> dict[str, str]:
    """``intended_keys`` from each node's best cost to a person in the persona's order (the
    metrics' own cost maps: the audit does not search again)."""
    if knowledge == "none":
        return {}
    return _KeysFromCosts(G, order_for(knowledge), costs)


class _KeysFromCosts(dict):
    """The keys of ``intended_keys``, worked out for a node when first asked (a persona visits
    few of a large menu's nodes); ``dict(...)`` of it lists them all."""

    def __init__(self, G, order: Order, done: dict) -> None:
        super().__init__()
        self.G, self.order, self.done = G, order, done

    def get(self, node_id, default=None):
        if node_id not in self.done:
            return default
        if not dict.__contains__(self, node_id):
            kind = self.G.nodes[node_id]["type"]
            if kind == "input":
                self[node_id] = ENTER
            elif kind == "menu":
                self[node_id] = _best_option(self.G, node_id, self.order, self.done)
            else:
                return default
        return dict.__getitem__(self, node_id)

    def all(self) -> dict[str, str]:
        return {node_id: key for node_id in self.done
                if (key := self.get(node_id)) is not None}


def _best_option(G, node_id: str, order: Order, done: dict) -> str:
    attrs, here, best = G.nodes[node_id], done[node_id], None
    for target, edges in G.succ[node_id].items():
        if target not in done:
            continue
        for data in edges.values():
            if data["kind"] != "option":
                continue
            step = order.cost(attrs, data)
            if step is None or tuple(a + b for a, b in zip(step, done[target])) != here:
                continue
            if best is None or KEY_RANK[data["key"]] < KEY_RANK[best]:
                best = data["key"]
    return best


_BEST_PATH_KINDS = ("option", "next", "branch")


def _by_csgraph(G: nx.MultiDiGraph, chosen: dict, order: Order) -> dict[str, str]:
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    names, index, table, types = _edge_table(G, np)
    n = len(names)
    source, target = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    rank, case, hidden = table[:, 2], table[:, 3], table[:, 4]
    taken = np.full(n, -1.0)  # the branch case taken at each node (-1: `else`)
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
    source, target, rank, weights = source[keep], target[keep], rank[keep], weights[keep]
    humans = np.array([i for i, kind in enumerate(types) if kind == "human"], dtype=np.int64)
    tight = np.ones(len(source), dtype=bool)
    for level in range(weights.shape[1]):
        distance = _distances_to(humans, source[tight], target[tight], weights[tight, level], n,
                                 np, csr_matrix, dijkstra)
        if level == 0:
            reachable = np.isfinite(distance)
        tight &= np.isfinite(distance[target]) & (weights[:, level] + distance[target] == distance[source])
    keys: dict[str, str] = {}
    for i in np.flatnonzero(reachable).tolist():
        if types[i] == "input":
            keys[names[i]] = ENTER
    best: dict[int, int] = {}
    for e in np.flatnonzero(tight & (rank >= 0)).tolist():
        u, r = int(source[e]), int(rank[e])
        if types[u] == "menu" and (u not in best or r < best[u]):
            best[u] = r
    for u, r in best.items():
        keys[names[u]] = _KEYS[r]
    return keys


_NOT_A_BRANCH = -2


def _edge_table(G, np):
    """The best-path edges of a graph, one row each: source, target, key rank (-1: none), branch
    case (-1: `else`, -2: no branch), hidden, then the costs in ticks: listen, steps, forced.

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
        if kind_u not in ("menu", "message", "input", "branch"):
            continue
        ui, forced, prompt = index[u], attrs["forced_ticks"], attrs["prompt_ticks"]
        node = attrs["node"]
        barge_in = node.barge_in
        plain_steps = node.input_steps if kind_u == "input" else 0
        plain_listen = 0 if kind_u == "branch" else prompt
        for v, edges in neighbours.items():
            vi = index[v]
            for data in edges.values():
                kind = data["kind"]
                if kind == "option":
                    hidden = data["hidden"]
                    heard = 0 if hidden else (data["announced_ticks"] if barge_in else prompt)
                    append((ui, vi, KEY_RANK[data["key"]], _NOT_A_BRANCH, hidden, heard, 1, forced))
                elif kind == "next":
                    append((ui, vi, -1, _NOT_A_BRANCH, 0, plain_listen, plain_steps, forced))
                elif kind == "branch":
                    case = data["case"]
                    append((ui, vi, -1, -1 if case is None else case, 0, plain_listen, plain_steps,
                            forced))
    table = np.array(rows, dtype=float).reshape(len(rows), 8)
    types = [node_attrs[name]["type"] for name in names]
    G.graph["_simulate_edge_table"] = found = (names, index, table, types)
    return found


_KEYS = sorted(KEY_RANK, key=KEY_RANK.get)


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
