"""Model -> ``networkx.MultiDiGraph`` (SPEC section 4).

One graph node per IVR node (attribute ``node`` holds the model's Node, ``pos`` its source
position) plus one implicit hangup node; one edge per transition with a ``kind``: ``option`` (its key in ``dtmf``: networkx reserves ``key``),
``next``, ``branch``, ``invalid``, ``timeout`` or ``exhausted``. ``replay`` and ``reprompt`` are
self-loops, ``restart`` an edge to the entry, ``hangup`` an edge to the implicit hangup node.
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx

from .model import HANGUP, REPLAY, REPROMPT, RESTART, Action, Menu, Node

# Node ids match [A-Za-z0-9_.-]+, so this can never clash with one.
HANGUP_NODE = "(hangup)"
FAILURE_KINDS = ("invalid", "timeout", "exhausted")


def build_graph(menu: Menu) -> nx.MultiDiGraph:
    """Build the transition graph of ``menu``; every edge a node declares is kept."""
    G = nx.MultiDiGraph(ivr=menu.ivr, entry=menu.entry, path=menu.path)
    G.add_node(HANGUP_NODE, node=None, type="hangup", implicit=True, pos=None)
    for node in menu.nodes.values():
        G.add_node(node.id, node=node, type=node.type, implicit=False, pos=node.pos)
    for node in menu.nodes.values():
        _add_edges(G, menu, node)
    return G


def resolve(entry: str, node_id: str, target: str) -> str:
    """The graph node a target leads to from ``node_id``."""
    if target == RESTART:
        return entry
    if target == HANGUP:
        return HANGUP_NODE
    if target in (REPLAY, REPROMPT):
        return node_id
    return target


def _add_edges(G: nx.MultiDiGraph, menu: Menu, node: Node) -> None:
    here = node.id
    if node.type in ("message", "input"):
        G.add_edge(here, resolve(menu.entry, here, node.next), kind="next",
                   pos=node.field_pos.get("next"))
    elif node.type == "branch":
        for index, case in enumerate(node.cases):
            G.add_edge(here, resolve(menu.entry, here, case.goto), kind="branch", case=index,
                       when=case.when, pos=case.pos)
        G.add_edge(here, resolve(menu.entry, here, node.else_), kind="branch", case=None, when=(),
                   pos=node.field_pos.get("else"))
    if node.type == "menu":
        heard = node.intro_seconds
        for option in node.options:
            if option.segment:
                heard += option.segment.seconds
            G.add_edge(here, resolve(menu.entry, here, option.goto), kind="option", dtmf=option.key,
                       hidden=option.hidden,
                       announced_at=None if option.hidden else heard, pos=option.pos)
    if node.type in ("menu", "input"):
        for kind, action in zip(FAILURE_KINDS,
                                (node.on_invalid, node.on_timeout, node.on_exhausted)):
            _add_failure_edge(G, menu, node, kind, action)


def _add_failure_edge(G: nx.MultiDiGraph, menu: Menu, node: Node, kind: str,
                      action: Action) -> None:
    target = action.target if action.kind == "goto" else action.kind
    message = action.message.seconds if action.message else Fraction(0)
    G.add_edge(node.id, resolve(menu.entry, node.id, target), kind=kind, action=action.kind,
               message_seconds=message, pos=action.pos or node.pos)
