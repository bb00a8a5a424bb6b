"""retry-limit-then-human (IVR013): after a few failures the caller gets a person.

A caller who fails again and again needs help, not another loop. `max_failures` must lie between
``min_failures`` and ``max_failures``, and `on_exhausted` must lead (through messages and
branches) to a person or a callback.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        max_failures: 3
        on_exhausted: agent
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
        max_failures: 9
        on_exhausted: restart
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 7, node main: menu 'main' allows 9 failures before giving up (allowed 2 to 3)
    line 8, node main, scenario default: after the last failure at 'main' the caller gets no
      person or callback (on_exhausted: restart)
"""

from __future__ import annotations

from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    low, high = params["min_failures"], params["max_failures"]
    for node in ctx.nodes_of_type("menu", "input"):
        if node.max_failures is None:
            yield Problem(f"{node.type} '{node.id}' never stops retrying (max_failures: "
                          f"unlimited; allowed {low} to {high})", node=node.id,
                          pos=node.field_pos.get("max_failures", node.pos),
                          value="unlimited", limit=[low, high])
            continue  # no on_exhausted to follow
        if not low <= node.max_failures <= high:
            yield Problem(f"{node.type} '{node.id}' allows {node.max_failures} failures before "
                          f"giving up (allowed {low} to {high})", node=node.id,
                          pos=node.field_pos.get("max_failures", node.pos),
                          value=node.max_failures, limit=[low, high])
        action = node.on_exhausted
        for scenario in ctx.scenarios:  # where the action leads may depend on the scenario
            if not (action.kind == "goto"
                    and ctx.stops_at(scenario, action.target, "person", "callback")):
                yield Problem(f"after the last failure at '{node.id}' the caller gets no person "
                              f"or callback (on_exhausted: {action.label})", node=node.id,
                              scenario=scenario, pos=action.pos or node.pos)


RULE = Rule(
    id="IVR013", name="retry-limit-then-human", severity="warning",
    summary="retries are limited and then lead to a person or a callback",
    check=check, doc=__doc__,
    params={"min_failures": 2, "max_failures": 3},
    param_help={"min_failures": "fewest failures allowed before giving up",
                "max_failures": "most failures allowed before giving up"},
    sources=(
        Source("GetHuman standard v1.0, item 8", "http://gethuman.com/standard/v1.0.html"),
        Source("Mitel MiCollab Call Director: retry count 3",
               "https://micollab.ci.piedmont.ca.us/portal/Help/en_US/enduser/calldir/configuring_main_menu.htm"),
    ),
)
