"""transfer-out (IVR036): a call can leave the audited menu: audit the destination too.

A `transfer` without `person: true` hands the call to another number, address or flow. What
happens there (a person, another menu, a hang-up) is outside this file, so every number in this
report stops at the transfer. The finding lists each such transfer that a call can reach, so
that its destination is audited as well.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: sales}
      sales: {type: transfer, to: "+34 900 000 000", person: true}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
          - {key: 2, say: For billing press 2., goto: billing}
      billing: {type: transfer, to: billing_flow}
      agent: {type: human}

Finds::

    line 10, node billing, scenario default: calls can leave the menu at 'billing' for
      billing_flow: audit that destination too
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    transfers = [node for node in ctx.nodes_of_type("transfer") if not node.is_person]
    if not transfers:
        return
    seen: set[str] = set()
    for scenario in ctx.scenarios:
        seen |= ctx.reachable(scenario)
    for node in transfers:
        if not node.is_person and node.id in seen:
            yield Problem(msg(N_("calls can leave the menu at '{node}' for {to}: audit that "
                                 "destination too"), node=node.id, to=node.to),
                          node=node.id, value=node.to)


RULE = Rule(
    id="IVR036", name="transfer-out", severity="info",
    summary="transfers out of the menu are listed, to audit their destinations",
    check=check, doc=__doc__,
    sources=(
        Source("W3C COGA issue paper 'Voice Systems' (reach a human without calling another "
               "number)", "https://github.com/w3c/coga/blob/main/issue-papers/voice-menus.html"),
    ),
)
