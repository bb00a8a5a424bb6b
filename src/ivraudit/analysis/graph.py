"""Model -> ``networkx.MultiDiGraph`` (SPEC section 4).

One graph node per IVR node plus one implicit hangup node (``HANGUP_NODE``). Node attributes:
``node`` (the model's Node), ``type``, ``person`` (a human, or a transfer a person answers),
``segments`` (the prompt segments, each with its duration), ``barge_in``, ``timeout`` (seconds),
``pos`` (file, line, column), and the path searches' integer costs ``prompt_ticks`` and
``forced_ticks``. One edge per transition with a ``kind`` and its ``pos``: ``option`` (``key``,
None for a spoken option; ``speech``; ``index``, its place in the menu's list; ``global``;
``hidden``; ``announced_at``: A(n, o) in seconds, and ``announced_ticks``), ``next``,
``branch`` (``case``: its index, None for `else`; ``when``), ``overflow`` (a person node's full
queue: ``case`` 0, ``when``), ``invalid`` or ``timeout`` (one per action of the kind's list:
``index``, ``action``: the action's kind, ``message_seconds``) and ``exhausted`` (none where
``max_failures`` is unlimited). ``replay`` and ``reprompt`` are self-loops, ``restart`` an edge
to the entry, ``hangup`` an edge to the implicit hangup node.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cached_property, lru_cache

import networkx as nx

from ..format.model import NO_SECONDS, PROMPTING_TYPES, REPLAY, REPROMPT, Menu, Node
from .settle import HANGUP_NODE, resolve
FAILURE_KINDS = ("invalid", "timeout", "exhausted")


def build_graph(menu: Menu) -> nx.MultiDiGraph:
    """Build the transition graph of ``menu``; every edge a node declares is kept.

    Seconds are also stored as whole "ticks" (``G.graph["scale"]`` ticks a second, the least
    common multiple of every duration's denominator), so that path searches add and compare
    integers, exactly and fast: ``forced_ticks`` and ``prompt_ticks`` on nodes,
    ``announced_ticks`` (A(n, o)) on options. ``G.graph["speech"]``: some option has speech;
    ``G.graph["long_keys"]``: some key has several characters; ``G.graph["hidden"]``: some
    option is hidden.
    """
    scale = _scale(menu)
    G = nx.MultiDiGraph(ivr=menu.ivr, entry=menu.entry, scale=scale, **_kinds_of_options(menu))
    edges: list[tuple[str, str, dict]] = []
    for node in menu.nodes.values():
        _add_edges(edges, menu, node, scale)
    _fill(G, [(HANGUP_NODE, {"node": None, "type": "hangup", "person": False, "segments": (),
                             "barge_in": True, "timeout": None, "pos": None, "forced_ticks": 0,
                             "prompt_ticks": 0})]
          + [(node.id, _node_attributes(node, scale)) for node in menu.nodes.values()], edges)
    return G


def _fill(G: nx.MultiDiGraph, nodes: list[tuple[str, dict]], edges: list) -> None:
    """Put nodes and edges into a new, empty graph as add_nodes_from and add_edges_from would
    (the same dicts, the same edge keys 0, 1, ... per pair of nodes), without their checks and
    copies of every attribute dict: building a 100,000-node graph that way takes a third of the
    time (a test compares the two)."""
    node_attrs, succ, pred = G._node, G._succ, G._pred
    for node_id, attrs in nodes:
        node_attrs[node_id], succ[node_id], pred[node_id] = attrs, {}, {}
    for source, target, data in edges:
        keys = succ[source].get(target)
        if keys is None:
            keys = succ[source][target] = pred[target][source] = {}
        keys[len(keys)] = data


def forget_views(G: nx.MultiDiGraph) -> None:
    """Drop the views networkx keeps on a graph once they are asked for (``G.edges``,
    ``G.out_edges``, ``G.degree``...): an edge view points back at its graph, a reference
    cycle that keeps the whole menu alive where the cyclic GC is off (a streaming audit lets
    go of each menu this way). The graph works as before; a view is made again when asked."""
    held = G.__dict__
    for name in _views_of(type(G)):
        held.pop(name, None)


@lru_cache(maxsize=None)
def _views_of(graph_class: type) -> tuple[str, ...]:
    """The names of the views a graph class caches (its cached properties), found once."""
    return tuple(dict.fromkeys(name for kind in graph_class.__mro__
                               for name, value in vars(kind).items()
                               if isinstance(value, cached_property)))


def _kinds_of_options(menu: Menu) -> dict[str, bool]:
    """Whether some option has speech, a key of several characters, no announcement."""
    speech = long_keys = hidden = False
    for node in menu.nodes.values():
        for option in node.options:
            speech = speech or bool(option.speech)
            long_keys = long_keys or option.key is None or len(option.key) > 1
            hidden = hidden or option.segment is None
    return {"speech": speech, "long_keys": long_keys, "hidden": hidden}


def _node_attributes(node: Node, scale: int) -> dict:
    # P(n) and F(n) (Node.prompt_seconds, forced_seconds) summed in ticks: integers, exact
    prompt = sum(ticks(segment.seconds, scale) for segment in node.prompt_segments())
    forced = 0 if node.barge_in or node.type not in PROMPTING_TYPES else prompt
    return {"node": node, "type": node.type, "person": node.is_person, "pos": node.pos,
            "segments": node.segments(),
            "barge_in": node.barge_in, "timeout": node.timeout,
            "prompt_ticks": prompt, "forced_ticks": forced}


def seconds(G: nx.MultiDiGraph, ticks: int) -> Fraction:
    """Exact seconds from a graph's ticks."""
    return _exact_seconds(ticks, G.graph["scale"])


@lru_cache(maxsize=4096)  # bounded: a fleet's options are announced at a few hundred times
def _exact_seconds(ticks: int, scale: int) -> Fraction:
    """``Fraction(ticks, scale)``, made once per value: a Fraction reduces itself by a gcd
    when made, and Fractions never change, so equal values may be one object."""
    return Fraction(ticks, scale)


def ticks(value: Fraction, scale: int) -> int:
    """Exact seconds as ticks; ``scale`` is a multiple of the value's denominator."""
    return value.numerator * (scale // value.denominator)


def _scale(menu: Menu) -> int:
    denominators = {1}
    for node in menu.nodes.values():
        denominators.update(segment.seconds.denominator for segment in node.segments())
        denominators.add(node.timeout.denominator)
    return math.lcm(*denominators)


def _to(entry: str, node_id: str, target: str) -> str:
    """The graph node a target leads to from ``node_id``: replay and reprompt stay there."""
    return node_id if target in (REPLAY, REPROMPT) else resolve(entry, target)


def _add_edges(edges: list, menu: Menu, node: Node, scale: int) -> None:
    here = node.id
    if node.type in ("message", "input"):
        edges.append((here, _to(menu.entry, here, node.next),
                      {"kind": "next", "pos": node.field_pos.get("next")}))
    elif node.type == "branch":
        for index, case in enumerate(node.cases):
            edges.append((here, _to(menu.entry, here, case.goto),
                          {"kind": "branch", "case": index, "when": case.when, "pos": case.pos}))
        edges.append((here, _to(menu.entry, here, node.else_),
                      {"kind": "branch", "case": None, "when": (),
                       "pos": node.field_pos.get("else")}))
    elif node.overflow is not None:
        edges.append((here, _to(menu.entry, here, node.overflow.goto),
                      {"kind": "overflow", "case": 0, "when": node.overflow.when,
                       "pos": node.overflow.pos}))
    if node.type == "menu":
        heard = ticks(node.intro_seconds, scale)  # A(n, o), summed in ticks: exact, and cheaper
        for index, option in enumerate(node.options):
            if option.segment:
                heard += ticks(option.segment.seconds, scale)
            edges.append((here, _to(menu.entry, here, option.goto), {
                "kind": "option", "key": option.key, "speech": option.speech, "index": index,
                "global": option.is_global, "hidden": option.hidden,
                "announced_at": None if option.hidden else _exact_seconds(heard, scale),
                "announced_ticks": None if option.hidden else heard,
                "pos": option.pos}))
    if node.type in ("menu", "input"):
        failures = [("invalid", index, action) for index, action in enumerate(node.on_invalid)]
        failures += [("timeout", index, action) for index, action in enumerate(node.on_timeout)]
        if node.on_exhausted is not None:
            failures.append(("exhausted", 0, node.on_exhausted))
        for kind, index, action in failures:
            target = action.target if action.kind == "goto" else action.kind
            message = action.message.seconds if action.message else NO_SECONDS
            edges.append((here, _to(menu.entry, here, target), {
                "kind": kind, "index": index, "action": action.kind,
                "message_seconds": message, "pos": action.pos or node.pos}))
