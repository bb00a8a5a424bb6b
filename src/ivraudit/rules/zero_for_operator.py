"""zero-for-operator (IVR002): `0` reaches a person from every menu.

"The caller must always be able to dial 0 or to say 'operator' to queue for a human" (GetHuman
standard v1.0, item 1). A caller lost in any menu should not have to go back to find a person:
`0` should reach one directly, with no further key press.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 1, say: For billing press 1., goto: billing}
          - {key: 0, say: For a person press 0., goto: agent}
      billing:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 1, say: For billing press 1., goto: billing}
      billing:
        type: menu
        options:
          - {key: 2, say: For an agent press 2., goto: agent}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: key 0 in menu 'main' does not reach a person
    line 9, node billing, scenario default: key 0 in menu 'billing' does not reach a person
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for scenario, metrics in ctx.scenarios.items():
        for node in ctx.reachable_menus(scenario):
            keys = {k["key"] for k in metrics.one_key_human.get(node.id, ())}
            if "0" not in keys:
                yield Problem(msg(N_("key 0 in menu '{menu}' does not reach a person"),
                                  menu=node.id),
                              node=node.id, scenario=scenario)


RULE = Rule(
    id="IVR002", name="zero-for-operator", severity="warning",
    summary="key 0 reaches a person from every menu",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 1", "http://gethuman.com/standard/v1.0.html"),
        Source("W3C COGA issue paper 'Voice Systems', human backup",
               "https://github.com/w3c/coga/blob/main/issue-papers/voice-menus.html"),
    ),
)
