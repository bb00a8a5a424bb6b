"""structure (IVR028): no dead ends, traps, unreachable nodes or hidden-only ways to a person.

Structural faults that every design review should catch: a node after which no person or
callback can be reached (a dead end), a group of nodes a caller can never leave (a trap), a node
no call reaches (unreachable, often a forgotten copy), and a person reachable only through
options that are never announced.

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

    line 5, node main, scenario default: a person is reachable only through hidden options
    line 10, node hours: a caller in {hours} can never leave
    line 10, node hours: after 'hours' no person or callback can be reached
    line 11, node old_menu: no call reaches 'old_menu'
"""

from __future__ import annotations

from .base import MenuContext, Problem, Rule


def check(ctx: MenuContext, params: dict):
    shape = ctx.metrics.structure
    for node_id in shape.unreachable:
        yield Problem(f"no call reaches '{node_id}'", node=node_id)
    for node_id in shape.dead_ends:
        yield Problem(f"after '{node_id}' no person or callback can be reached", node=node_id)
    for trap in shape.traps:
        yield Problem(f"a caller in {{{', '.join(trap)}}} can never leave", node=trap[0],
                      value=trap)
    for scenario, metrics in ctx.scenarios.items():
        if metrics.human_reachable and metrics.listen_seconds_to_human is None:
            path = metrics.paths["forced"]
            yield Problem("a person is reachable only through hidden options",
                          node=path[0][0], scenario=scenario)


RULE = Rule(
    id="IVR028", name="structure", severity="warning",
    summary="no dead ends, traps, unreachable nodes, or people reachable only through hidden keys",
    check=check, doc=__doc__,
)
