"""The shape of a drawing: its direction, and whether and where a large menu wraps, chosen so
that the drawing is nearer the shape of a page than a ribbon.

Top to bottom or left to right: whichever comes out nearer a landscape page. A menu of
WRAP_FROM_NODES nodes or more, drawn top to bottom, may also wrap: the sub-menus one level
below some level are cut out, each with everything below it, into boxes (cards) stood in
columns under the main part, and the edge into each becomes a stub naming it. Each candidate
(direction, wrapping level, columns) is estimated from rough node sizes and rank counts (no
Graphviz run), and the one whose width/height is nearest PAGE_RATIO wins; wrapping and turning
the drawing must win clearly (WRAP_COST, and 5% for left to right).

Cost: one pass over the nodes per candidate, a few candidates per level.
"""

from __future__ import annotations


from ..util.cached import record

PAGE_RATIO = 1.41  # a landscape page (A4 and Letter are 1.29 to 1.41) or a screen
WRAP_COST = 0.15
WRAP_FROM_NODES = 30  # a smaller menu is drawn in one piece
# Rough sizes in inches (width, height) as Graphviz draws them at the default font.
_STUB = (0.9, 0.35)
_NODE_WIDTH = {"human": 2.8, "branch": 2.0, "callback": 2.2, "hangup": 1.6}
_NODE_GAP, _RANK_GAP, _CARD_GAP = 0.3, 0.65, 0.3
_SPREAD = 1.35  # Graphviz spreads a rank wider than its nodes side by side (edge labels)


@record
class Shape:
    """``direction``: "TB" or "LR"; ``cards``: None, or the node ids of each card (the main
    one first, then each wrapped subtree in order; a card's root is its first id), packed
    ``columns`` to a row."""

    direction: str
    cards: tuple[tuple[str, ...], ...] | None = None
    columns: int = 1


def choose(routes, order, stubs: dict, level: dict, G, direction: str | None) -> Shape:
    """The shape nearest a page. ``direction``: "TB" or "LR" to keep, None to choose."""
    children, parent = _tree(routes, order)
    rank0 = dict(level)
    for node in order:  # stubs sit one rank below their source
        if node in stubs:
            rank0[node] = rank0[parent[node]] + 1
    inline: dict[str, set] = {}
    for r in routes:
        if r.to is None:
            inline.setdefault(r.source, set()).add(
                (r.data["kind"] == "exhausted", r.data["action"], r.target))
    sizes = {node: _size(node, G, stubs, len(inline.get(node, ()))) for node in order}
    best = None
    for way in ((direction,) if direction else ("TB", "LR")):
        wraps = way == "TB" and len(level) >= WRAP_FROM_NODES
        for wrap_level in [None] + (sorted({rank0[n] for n in children}) if wraps else []):
            cards = _cards(wrap_level, order, rank0, children, parent, G)
            if wrap_level is not None and len(cards) < 3:
                continue
            boxes = [_estimate(card, rank0, sizes, way) for card in cards]
            for columns in range(1, len(cards) + 1) if len(cards) > 1 else (1,):
                misfit = _misfit(_packed(boxes, columns))
                # wrapping, or turning the drawing, must win clearly to be worth it
                score = misfit * (1 + WRAP_COST * (len(cards) > 1)) * (1.05 if way == "LR" else 1)
                candidate = (score, len(cards), way != "TB", way, cards, columns)
                if best is None or candidate[:3] < best[:3]:
                    best = candidate
    _, count, _, way, cards, columns = best
    return Shape(way, tuple(cards) if count > 1 else None, columns)


def _tree(routes, order):
    """Each drawn node's children (in route order) and its first parent."""
    children: dict[str, list[str]] = {}
    parent: dict[str, str] = {}
    for route in routes:
        to = route.to
        if to is None or to == route.source or to in parent:
            continue
        parent[to] = route.source
        children.setdefault(route.source, []).append(to)
    return children, parent


def _size(node, G, stubs, failure_lines: int) -> tuple[float, float]:
    if node in stubs:
        return _STUB
    kind = G.nodes[node]["type"]
    lines = 4 + failure_lines if kind in ("menu", "input", "message") else 3
    return _NODE_WIDTH.get(kind, 2.4), 0.35 + 0.17 * lines


def _cards(wrap_level, order, rank0, children, parent, G) -> list[tuple[str, ...]]:
    """The main card, then one per sub-menu one level below ``wrap_level`` (with all that
    hangs below it)."""
    roots = set() if wrap_level is None else {
        child for node in order if rank0[node] == wrap_level
        for child in children.get(node, ()) if child in G and G.nodes[child]["type"] == "menu"}
    card_of: dict[str, int] = {}
    cards: list[list[str]] = [[]]
    for node in order:  # parents come first
        if node in roots:
            card_of[node] = len(cards)
            cards.append([])
        else:
            card_of[node] = card_of.get(parent.get(node), 0)
        cards[card_of[node]].append(node)
    return [tuple(card) for card in cards]


def _estimate(nodes, rank0, sizes, way) -> tuple[float, float]:
    """(width, height) in inches of some nodes: each rank as wide as its nodes side by side."""
    rank_across: dict[int, float] = {}
    rank_along: dict[int, float] = {}
    for node in nodes:
        rank = rank0[node]
        width, height = sizes[node] if way == "TB" else sizes[node][::-1]
        rank_across[rank] = rank_across.get(rank, 0.0) + width + _NODE_GAP
        rank_along[rank] = max(rank_along.get(rank, 0.0), height)
    across = max(rank_across.values(), default=1.0) * _SPREAD
    along = sum(rank_along.values()) + _RANK_GAP * max(len(rank_along) - 1, 0)
    return (across, along) if way == "TB" else (along, across)


def _packed(boxes, columns: int) -> tuple[float, float]:
    """The size of boxes in ``columns``, box i under box i - columns: each column as wide as
    its widest box and as tall as its boxes one above the other."""
    widths = [max(w for w, _ in boxes[c::columns]) for c in range(columns)]
    heights = [sum(h + _CARD_GAP for _, h in boxes[c::columns]) for c in range(columns)]
    return sum(widths) + _CARD_GAP * (columns - 1), max(heights)


def _misfit(size: tuple[float, float]) -> float:
    """How far a width/height is from a page's: 1 is a page, 2 twice too wide or tall."""
    width, height = size
    ratio = width / max(height, 0.1)
    return max(ratio / PAGE_RATIO, PAGE_RATIO / ratio)
