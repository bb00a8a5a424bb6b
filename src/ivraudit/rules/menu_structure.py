"""structure (IVR028): no dead ends, traps, unreachable nodes or hidden-only ways to a person.

Structural faults that every design review should catch: a node after which no person or
callback can be reached (a dead end), a group of nodes a caller can never leave (a trap), a node
no call reaches (unreachable, often a forgotten copy), and a person reachable only through
options that are never announced: judged per person, so a hidden queue is reported even when
another person can be reached openly.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
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
          - {key: 1, say: Opening hours press 1., goto: hours}
          - {key: 0, goto: agent}
      hours: {type: message, say: We are open nine to five., next: hours}
      old_menu: {type: message, say: Unused., next: main}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: a person is reachable only through hidden options:
      'agent'
    line 10, node hours, scenario default: a caller in {hours} can never leave
    line 11, node old_menu, scenario default: no call reaches 'old_menu'
"""

from __future__ import annotations

from collections import deque

from ..analysis.paths import BEST_PATH_KINDS, is_active, is_person_here
from ..i18n import N_, Joined, msg
from .base import MenuContext, Problem, Rule


def check(ctx: MenuContext, params: dict):
    shape = ctx.metrics.structure
    for node_id in shape.unreachable:
        yield Problem(msg(N_("no call reaches '{node}'"), node=node_id), node=node_id)
    for node_id in shape.dead_ends:
        yield Problem(msg(N_("after '{node}' no person or callback can be reached"),
                          node=node_id), node=node_id)
    for trap in shape.traps:
        yield Problem(msg(N_("a caller in {{{nodes}}} can never leave"),
                          nodes=Joined(tuple(trap))), node=trap[0], value=trap)
    if not ctx.graph.graph["hidden"]:
        return
    for scenario, metrics in ctx.scenarios.items():
        openly = _persons_reached(ctx, metrics.chosen, hidden=False)
        for person in sorted(_persons_reached(ctx, metrics.chosen, hidden=True) - openly):
            yield Problem(msg(N_("a person is reachable only through hidden options: "
                                 "'{person}'"), person=person),
                          node=ctx.menu.entry, scenario=scenario, value=person)


def _persons_reached(ctx: MenuContext, chosen, hidden: bool) -> set[str]:
    """The persons a keypad caller reaches from the entry over best-path edges (SPEC 5), with
    or without hidden options."""
    G = ctx.graph
    seen, queue, found = {ctx.menu.entry}, deque([ctx.menu.entry]), set()
    while queue:
        here = queue.popleft()
        if is_person_here(G.nodes[here], here, chosen):
            found.add(here)
            continue
        for target, edges in G.succ[here].items():
            if target not in seen and any(
                    d["kind"] in BEST_PATH_KINDS and is_active(d, here, chosen)
                    and d.get("key", "") is not None and (hidden or not d.get("hidden"))
                    for d in edges.values()):
                seen.add(target)
                queue.append(target)
    return found


RULE = Rule(
    id="IVR028", name="structure", severity="warning",
    summary="no dead ends, traps, unreachable nodes, or people reachable only through hidden keys",
    check=check, doc=__doc__,
)
