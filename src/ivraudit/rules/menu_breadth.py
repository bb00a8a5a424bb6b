"""menu-breadth (IVR008): a menu announces few enough options to remember.

Design guides (Avaya, AT&T) advise "no more than four or five choices in a single menu"; the
research is mixed (broad menus cause fewer errors than deep ones), so this is a warning. Counts
the announced options of every reachable menu against ``max_options``.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 1, say: Billing press 1., goto: agent}
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 1, say: Billing press 1., goto: agent}
          - {key: 2, say: Payments press 2., goto: agent}
          - {key: 3, say: Roaming press 3., goto: agent}
          - {key: 4, say: Broadband press 4., goto: agent}
          - {key: 5, say: Orders press 5., goto: agent}
          - {key: 6, say: Returns press 6., goto: agent}
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: menu 'main' announces 7 options (limit 5)
"""

from __future__ import annotations

from ..i18n import Np_, msgn
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = params["max_options"]
    unreachable = set(ctx.metrics.structure.unreachable)  # reported by structure (IVR028)
    for node in ctx.nodes_of_type("menu"):
        if node.id in unreachable:
            continue
        announced = sum(1 for option in node.options if not option.hidden)
        if announced > limit:
            yield Problem(msgn(Np_("menu '{menu}' announces {n} option (limit {limit})",
                                   "menu '{menu}' announces {n} options (limit {limit})"),
                               announced, menu=node.id, limit=limit),
                          node=node.id, value=announced, limit=limit)


RULE = Rule(
    id="IVR008", name="menu-breadth", severity="info",
    summary="each menu announces at most a handful of options",
    check=check, doc=__doc__,
    params={"max_options": 5},
    param_help={"max_options": "announced options allowed per menu"},
    sources=(
        Source("Avaya IR design guide", "https://support.avaya.com/elmodocs2/ir/r2_0/IR_R2_0_Doc_CD/CD/html/15577.htm"),
        Source("AVIxD wiki, menu design", "http://acixd.org/wiki/doku.php?id=menu_design"),
    ),
)
