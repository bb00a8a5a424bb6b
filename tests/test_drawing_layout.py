"""Drawings a designer can read: options in key order, edges back up drawn as stubs, a compact
optional legend, and a shape near a page as menus grow: large wide menus wrap their sub-menus
into boxes in rows (issue 16)."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET

import pytest

from helpers import ROOT
from ivraudit.audit.auditor import audit_menu
from ivraudit.format.loader import load_text
from ivraudit.render.drawing import dot_bytes, menu_dot
from ivraudit.render.layout import plan
from test_render import SVG, _classes, _edges, _nodes, _texts, require

# Options listed out of key order; `*` and a restart lead back to the entry; `support` is a
# sub-menu with a message and a person of its own; `agent` is reached from three menus.
SHOP = """\
ivr: Shop
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    on_timeout: restart
    options:
      - {key: 3, say: Support press 3., goto: support}
      - {key: 1, say: Orders press 1., goto: orders}
      - {key: "*", say: Again press star., goto: main}
      - {key: 0, say: A person press 0., goto: agent}
      - {key: 2, say: Returns press 2., goto: returns}
  orders:
    type: menu
    options:
      - {key: 1, say: Status press 1., goto: status}
      - {key: 0, say: A person press 0., goto: agent}
      - {key: "*", say: Main menu press star., goto: main}
  returns:
    type: menu
    options:
      - {key: 0, say: A person press 0., goto: agent}
      - {key: 9, say: Start again press 9., goto: restart}
  support:
    type: menu
    options:
      - {key: 1, say: Opening hours press 1., goto: hours}
      - {key: 2, say: Technician press 2., goto: technician}
  status: {type: message, say: Your order is on its way., next: hangup}
  hours: {type: message, say: We are open nine to five., next: support}
  technician: {type: human}
  agent: {type: human}
"""


def _result(text: str):
    return audit_menu(load_text(text, "shop.yaml"))


def _svg(text: str, **options) -> ET.Element:
    require("dot")
    return ET.fromstring(dot_bytes(menu_dot(_result(text), **options), "svg"))


def _x(element: ET.Element) -> float:
    """The horizontal middle of a node's shape."""
    shape = next(e for e in element.iter() if e.tag in (f"{SVG}polygon", f"{SVG}ellipse"))
    if shape.tag == f"{SVG}ellipse":
        return float(shape.get("cx"))
    xs = [float(p.split(",")[0]) for p in shape.get("points").split()]
    return (min(xs) + max(xs)) / 2


def _size(svg: ET.Element) -> tuple[float, float]:
    return float(svg.get("width")[:-2]), float(svg.get("height")[:-2])


def test_options_are_in_key_order_left_to_right():
    result = _result(SHOP)
    routes = [r for r in plan(result.graph, "main").routes
              if r.source == "main" and r.data["kind"] == "option"]
    assert [r.data["key"] for r in routes] == ["0", "1", "2", "3", "*"]
    nodes = _nodes(_svg(SHOP))
    # 0 agent, 1 orders, 2 returns, 3 support, left to right
    order = ["agent", "orders", "returns", "support"]
    xs = [_x(nodes[name]) for name in order]
    assert xs == sorted(xs), dict(zip(order, xs))


def test_edges_back_up_and_to_shared_people_are_stubs_beside_their_source():
    root = _svg(SHOP)
    nodes, edges = _nodes(root), _edges(root)
    # `*` back to main and `9` (restart) end at small boxes naming main, not at main
    assert "orders->main" not in edges and "returns->main" not in edges
    assert edges["orders->(to main)/orders"] is not None
    assert _texts(nodes["(to main)/orders"]) == ["→ main"]
    assert _texts(nodes["(to main)/returns"]) == ["→ main"]
    assert {"stub", "menu"} <= _classes(nodes["(to main)/orders"])
    # three menus lead to agent: it is drawn once, where the call first reaches it (main,
    # key 0); the other two name it in a stub
    assert [title for title in edges if title.endswith("->agent")] == ["main->agent"]
    assert {name for name in nodes if name.startswith("(to agent)/")} == {
        "(to agent)/orders", "(to agent)/returns"}
    # a restart on no key is written in main itself; `*` to main itself is a loop
    assert "no key : restart" in " ".join(_texts(nodes["main"]))
    assert "main->main" in edges
    # the plain layout draws every edge to its node
    plain = _edges(_svg(SHOP, layout="plain"))
    assert {"orders->main", "returns->main", "orders->agent", "returns->agent"} <= set(plain)


def test_the_legend_is_compact_and_optional():
    root = _svg(SHOP)
    legend = [g for g in root.iter(f"{SVG}g") if g.get("id") == "legend"]
    assert len(legend) == 1
    texts = " ".join(_texts(legend[0]))
    for word in ("menu", "message", "human", "key", "best path", "no key", "goes to x"):
        assert word in texts
    assert "input" not in texts.split() and "FORCED" not in texts  # not in this menu
    width, _ = _size(root)
    box = legend[0].find(f"{SVG}polygon")  # the legend's table is a fraction of the drawing
    xs = [float(p.split(",")[0]) for p in box.get("points").split()] if box is not None else []
    assert not xs or max(xs) - min(xs) < width / 2
    without = _svg(SHOP, legend=False)
    assert not [g for g in without.iter(f"{SVG}g") if g.get("id") == "legend"]
    assert _size(without)[0] <= width


def _ladder(length: int) -> str:
    """A deep menu: each level offers the next level, an information message and a person."""
    nodes = [f"  m{i}:\n    type: menu\n    say: Step {i}.\n    options:\n"
             f"      - {{key: 1, say: Next press 1., goto: m{i + 1}}}\n"
             f"      - {{key: 2, say: Hours press 2., goto: info{i}}}\n"
             f"      - {{key: 0, say: A person press 0., goto: person{i}}}\n"
             f"  info{i}: {{type: message, say: We are open nine to five., next: hangup}}\n"
             f"  person{i}: {{type: human}}\n" for i in range(length)]
    return ("ivr: Deep\nformat: 1\nentry: m0\nnodes:\n" + "".join(nodes)
            + f"  m{length}: {{type: human}}\n")


def _misfit(size: tuple[float, float]) -> float:
    ratio = size[0] / size[1]
    return max(ratio / 1.41, 1.41 / ratio)


@pytest.mark.parametrize("text", [SHOP, _ladder(2), _ladder(4), _ladder(8)])
def test_the_direction_is_the_one_nearer_a_page(text):
    """auto draws top to bottom or left to right, whichever comes out nearer a landscape
    page (the sizes Graphviz really draws, each direction forced, compared)."""
    auto = plan(_result(text).graph, "m0" if "m0" in text else "main").direction
    drawn = {way: _misfit(_size(_svg(text, layout=layout)))
             for way, layout in (("TB", "down"), ("LR", "right"))}
    other = "LR" if auto == "TB" else "TB"
    assert drawn[auto] <= drawn[other] * 1.2, (auto, drawn)


@pytest.fixture(scope="module")
def generated():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    return generate


@pytest.mark.parametrize("menus, nodes", [(31, 63)])
def test_a_wide_menu_of_60_nodes_wraps_into_rows_near_a_page(generated, menus, nodes):
    """Before issue 16 this menu drew 12,878 x 899 pt; now its sub-menus stand in rows."""
    result = _result(generated(menus))
    assert len(result.menu.nodes) == nodes
    laid = plan(result.graph, result.menu.entry)
    assert laid.direction == "TB" and len(laid.cards) > 2
    root = ET.fromstring(dot_bytes(menu_dot(result), "svg"))
    width, height = _size(root)
    assert 0.5 <= width / height <= 2.5, (width, height)
    # each wrapped sub-menu in a box headed by where the call reaches it
    boxes = [g for g in root.iter(f"{SVG}g") if "sub-menu" in _classes(g)]
    assert len(boxes) == len(laid.cards) - 1
    headings = [_texts(g)[0] for g in boxes]
    assert all(re.fullmatch(r"menu\d+, key [0-9*#] →", h) for h in headings), headings
    for box, card in zip(boxes, laid.cards[1:]):
        assert box.find(f"{SVG}title").text == f"cluster_card_{laid.cards.index(card)}"
    # every card's root is named by a stub where the call reaches it
    for card in laid.cards[1:]:
        assert any(target == card[0] for target in laid.stubs.values())
