"""silent-caller-reaches-human (IVR027): pressing nothing eventually reaches a person.

Some callers cannot use a keypad (a rotary phone, a motor impairment, a caller who does not
understand the menu). GetHuman v1.0 item 8: when "there are no perceived key presses ...
queue for a human operator". The `silent_end` metric follows a caller who presses nothing;
it must end at a person (or at a callback, with ``callback_counts``).

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
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
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: a caller who presses nothing is hung up on after 19.8 s
"""

from __future__ import annotations

from ..format.durations import seconds_text
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for scenario, metrics in ctx.scenarios.items():
        call = metrics.silent
        if call.reached_human:
            continue
        end = ctx.menu.nodes.get(call.end)
        if end is not None and end.type == "callback":
            if params["callback_counts"]:
                continue
            outcome = f"ends at the callback '{call.end}'"
        elif end is not None and end.type == "transfer":
            outcome = f"is transferred out to {end.to} ('{call.end}', no person there)"
        else:
            outcome = {"hangup": "is hung up on", "loop": "loops forever"}.get(call.end, "ends")
        last = call.journey[-1][0] if call.journey else ctx.menu.entry
        yield Problem(f"a caller who presses nothing {outcome} after "
                      f"{seconds_text(call.seconds)}",
                      node=last if last in ctx.menu.nodes else ctx.menu.entry,
                      scenario=scenario, value=call.end)


RULE = Rule(
    id="IVR027", name="silent-caller-reaches-human", severity="warning",
    summary="a caller who presses nothing ends up with a person",
    check=check, doc=__doc__,
    params={"callback_counts": True},
    param_help={"callback_counts": "ending at a callback satisfies the rule"},
    sources=(
        Source("GetHuman standard v1.0, item 8", "http://gethuman.com/standard/v1.0.html"),
    ),
)
