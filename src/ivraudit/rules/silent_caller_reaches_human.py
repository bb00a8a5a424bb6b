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

    line 5, node main, scenario default: a caller who presses nothing is hung up on after ≈19.8
      s; this rests on assumed defaults (timeout, on_timeout, max_failures, on_exhausted)
"""

from __future__ import annotations

from ..i18n import N_, Joined, Seconds, msg
from .base import MenuContext, Problem, Rule, Source

_ENDS = {"hangup": N_("is hung up on"), "loop": N_("loops forever")}
# what a silent caller's call rests on at each node it waits at
_SILENCE_SETTINGS = ("timeout", "on_timeout", "max_failures", "on_exhausted")


def check(ctx: MenuContext, params: dict):
    for scenario, metrics in ctx.scenarios.items():
        call = metrics.silent
        if call.reached_human:
            continue
        end = ctx.menu.nodes.get(call.end)
        if end is not None and end.type == "callback":
            if params["callback_counts"]:
                continue
            outcome = msg(N_("ends at the callback '{node}'"), node=call.end)
        elif end is not None and end.type == "transfer":
            outcome = msg(N_("is transferred out to {to} ('{node}', no person there)"),
                          to=end.to, node=call.end)
        else:
            outcome = msg(_ENDS.get(call.end, N_("ends")))
        last = call.journey[-1][0] if call.journey else ctx.menu.entry
        text = msg(N_("a caller who presses nothing {outcome} after {seconds}"), outcome=outcome,
                   seconds=Seconds(call.seconds, ctx.estimated(scenario)["silent"]))
        assumed = _assumed_on_the_way(ctx, call)
        if assumed:
            text = msg(N_("{finding}; this rests on assumed defaults ({settings})"),
                       finding=text, settings=Joined(assumed))
        yield Problem(text, node=last if last in ctx.menu.nodes else ctx.menu.entry,
                      scenario=scenario, value=call.end)


def _assumed_on_the_way(ctx: MenuContext, call) -> tuple[str, ...]:
    """The settings the silent caller's call rests on that the menu does not state."""
    nodes = [ctx.menu.nodes[n] for n, _ in call.journey if n in ctx.menu.nodes]
    return tuple(name for name in _SILENCE_SETTINGS if any(node.assumed(name) for node in nodes))


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
