"""Where things go in a menu drawing, decided before any DOT is written.

A drawing of a menu reads like the call: from the entry down (or across), one level per step,
options in key order. What would cut across that is drawn small beside its source instead:

- **Levels**: a node's level is the fewest transitions from the entry (options, `next`,
  branches first; nodes that only failures reach, then unreachable ones, after them). Every
  edge drawn in full goes deeper.
- **Stubs**: an edge that goes back up or sideways (to a node no deeper than its source: the
  entry, a main menu, ``restart``), an edge into a node that HUB_SOURCES or more nodes lead to
  (a shared person: only the first is drawn in full), and a hang-up end are drawn as a small
  labelled box beside the source, "→ main", instead of a long edge.
- **Failures written in the node**: a failure that replays, reprompts, restarts, hangs up or
  would be a stub is a coloured line inside its node ("3 failures: → agent"); one that leads on
  to a node drawn below stays a dashed arrow.
- **Shape**: the direction, and for a large wide menu its sub-menus wrapped into boxes stood
  in rows (cards), are chosen in shape.py.

Sub-menus are boxed only as wrapped cards: Graphviz moves a cluster out of its siblings'
order, which would break the key order. Everything here is linear or near-linear in the graph
(breadth-first searches), and deterministic: ties go to the menu file's order and keypad order.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import replace

import networkx as nx

from ..analysis.graph import FAILURE_KINDS
from ..analysis.settle import HANGUP_NODE
from ..format.model import KEY_RANK
from ..util.cached import record

LAYOUTS = ("auto", "down", "right", "plain")
# Edges that a call follows on purpose (not by failing): they shape the levels first.
FORWARD_KINDS = ("option", "next", "branch", "overflow")
HUB_SOURCES = 3  # nodes leading to one node before only the first edge is drawn in full


@record
class Route:
    """How one edge of the graph is drawn. ``to``: the graph node it is drawn to, a stub's id
    (see ``stub_id``), or None for a failure written as a line inside its source node."""

    source: str
    target: str
    key: int  # the edge's key in the MultiDiGraph
    data: dict
    to: str | None
    minlen: int = 1  # ranks between source and ``to`` (more than 1 when wrapped)


@record
class Plan:
    """The layout of one drawing: its direction; the routes of every edge (each node's
    together, options in key order); the nodes and stubs in the order to write them (parents
    before children, children in key order); the stubs (id -> the node they name); each
    node's level; and when the drawing wraps, its cards (the main part first, then each
    sub-menu put in a box of its own with all below it, its root first) and how many to a
    row."""

    direction: str  # "TB" or "LR"
    routes: tuple[Route, ...]
    order: tuple[str, ...]
    stubs: dict[str, str]
    levels: dict[str, int]
    cards: tuple[tuple[str, ...], ...] = ()  # wrapped: the main card, then each subtree's
    columns: int = 1  # cards to a row

    def inline(self, source: str) -> list[Route]:
        """The failures of ``source`` written inside it."""
        return [route for route in self.routes if route.source == source and route.to is None]


def stub_id(source: str, target: str) -> str:
    """The id of the stub beside ``source`` naming ``target``; ids cannot contain '(' so it
    clashes with no node (the hang-up stub keeps the name it always had)."""
    if target == HANGUP_NODE:
        return f"{HANGUP_NODE}/{source}"
    return f"(to {target})/{source}"


def edge_order(data: dict) -> tuple:
    """Options first, in keypad order ('0'-'9', '*', '#'; a key of several digits after its
    first digit's; spoken ones last), then the other edges as the menu lists them."""
    if data["kind"] != "option":
        kind = data["kind"]
        return (1, FAILURE_KINDS.index(kind) if kind in FAILURE_KINDS else -1,
                data.get("index", 0) if kind in FAILURE_KINDS else 0)
    key = data.get("key")
    ranks = tuple(KEY_RANK.get(char, len(KEY_RANK)) for char in key) if key else ()
    return (0, key is None, ranks)


def levels(G: nx.MultiDiGraph, entry: str) -> dict[str, int]:
    """Each graph node's level: the fewest edges from the entry over options, `next` and
    branches; then, for nodes only failures reach, over every edge; then unreachable nodes
    from level 0, in the graph's order. The implicit hangup node has none."""
    order = {node: index for index, node in enumerate(G)}
    level = {entry: 0}
    _spread(G, level, [entry], FORWARD_KINDS, order)
    _spread(G, level, list(level), None, order)
    for node in G:
        if node not in level and node != HANGUP_NODE:
            level[node] = 0
            _spread(G, level, [node], None, order)
    return level


def _spread(G, level: dict[str, int], seeds: list[str], kinds, order: dict[str, int]) -> None:
    """Breadth-first from ``seeds`` (at their levels) over edges of ``kinds`` (None: all),
    giving levels to nodes that have none yet."""
    fixed = set(level)
    heap = [(level[node], order[node], node) for node in seeds]
    heapq.heapify(heap)
    while heap:
        depth, _, node = heapq.heappop(heap)
        if depth != level[node]:
            continue
        for _, target, data in G.out_edges(node, data=True):
            if target == HANGUP_NODE or target in fixed or (kinds and data["kind"] not in kinds):
                continue
            if target not in level or level[target] > depth + 1:
                level[target] = depth + 1
                heapq.heappush(heap, (depth + 1, order[target], target))


def plan(G: nx.MultiDiGraph, entry: str, layout: str = "auto") -> Plan:
    """The layout of ``G`` drawn from ``entry``; ``layout`` is one of LAYOUTS: ``auto``
    (direction and wrapping by shape), ``down`` (top to bottom), ``right`` (left to right),
    ``plain`` (top to bottom, every edge drawn to its node, no stubs or wrapping)."""
    from .shape import choose

    level = levels(G, entry)
    plain = layout == "plain"
    routes, stubs = _routes(G, level, plain)
    order = _order(G, routes, level)
    if plain:
        return Plan("TB", tuple(routes), order, stubs, level)
    shape = choose(routes, order, stubs, level, G, {"down": "TB", "right": "LR"}.get(layout))
    cards = ()
    if shape.cards:
        routes, stubs, cards = _cut(routes, stubs, shape.cards)
        order = _order(G, routes, level)
    return Plan(shape.direction, tuple(routes), order, stubs, level, cards, shape.columns)


def _cut(routes, stubs, cards):
    """Separate the cards: an edge from one card into another ends at a stub (a failure is
    written in its node). Returns routes, stubs and each card's ids with its new stubs."""
    card_of = {node: index for index, card in enumerate(cards) for node in card}
    stubs = dict(stubs)
    members = [list(card) for card in cards]
    out = []
    for route in routes:
        to = route.to
        if to is not None and card_of.get(to, card_of[route.source]) != card_of[route.source]:
            if route.data["kind"] in FAILURE_KINDS:
                to = None
            else:
                to = stub_id(route.source, route.target)
                if to not in stubs:
                    stubs[to] = route.target
                    card_of[to] = card_of[route.source]
                    members[card_of[to]].append(to)
            route = replace(route, to=to, minlen=1)
        out.append(route)
    return out, stubs, tuple(tuple(card) for card in members)


def _routes(G, level: dict[str, int], plain: bool) -> tuple[list[Route], dict[str, str]]:
    """Every edge's route. Drawn in full: an edge one level deeper (into a shared node, only
    the first), a loop, every edge of a plain drawing. Otherwise a failure is a line in its
    node, and any other edge ends at a stub naming its target."""
    order = {node: index for index, node in enumerate(G)}
    kept = None if plain else _kept_edges(G, level, order)
    routes: list[Route] = []
    stubs: dict[str, str] = {}
    for source in G:
        if source == HANGUP_NODE:
            continue
        edges = sorted(G.out_edges(source, keys=True, data=True), key=lambda e: edge_order(e[3]))
        for _, target, key, data in edges:
            failure = data["kind"] in FAILURE_KINDS
            if kept is not None and failure and (source, target) not in kept:
                to = None
            elif target == HANGUP_NODE or (kept is not None and target != source
                                           and (source, target) not in kept):
                to = stub_id(source, target)
                stubs[to] = target
            else:
                to = target
            routes.append(Route(source, target, key, data, to))
    return routes, stubs


def _order(G, routes: list[Route], level: dict[str, int]) -> tuple[str, ...]:
    """Nodes and stubs breadth first from the entry, each node's children in the order of
    its routes (options in key order), so that Graphviz starts from that order; then the
    nodes no full edge reaches, by level."""
    children: dict[str, list[str]] = {}
    for route in routes:
        if route.to is not None and route.to != route.source:
            children.setdefault(route.source, []).append(route.to)
    seen: dict[str, None] = {}
    for start in sorted((n for n in G if n != HANGUP_NODE), key=level.__getitem__):
        queue = deque([start])
        while queue:
            here = queue.popleft()
            if here not in seen:
                seen[here] = None
                queue.extend(child for child in children.get(here, ()) if child not in seen)
    return tuple(seen)


def _kept_edges(G, level: dict[str, int], order: dict[str, int]) -> set[tuple[str, str]]:
    """The (source, target) pairs drawn as full edges: those that go deeper, and into a node
    that HUB_SOURCES or more nodes lead to (a shared person, a shared menu), only the first
    (a deliberate step before a failure, then the shallowest source, then the file's order)."""
    into: dict[str, list[tuple]] = {}
    for source, target, data in G.edges(data=True):
        if target not in (source, HANGUP_NODE) and source != HANGUP_NODE \
                and level[target] > level[source]:
            into.setdefault(target, []).append(
                (data["kind"] in FAILURE_KINDS, level[source], order[source], source))
    kept = set()
    for target, sources in into.items():
        if len({s[-1] for s in sources}) >= HUB_SOURCES:
            sources = [min(sources)]
        kept.update((s[-1], target) for s in sources)
    return kept
