"""queue-no-hangup (IVR031): a full queue never hangs up on the caller.

Spain's Ley 10/2025 (art. 8) forbids cutting a call because the wait is long; the IRS's
"courtesy disconnects" (8.8 million in one filing season) are the practice it forbids. A queue
that overflows (`overflow` on a `human`, or a `transfer` a person answers) must send the caller
somewhere that, pressing nothing, still ends at a person or a callback: the rule follows a
caller who presses nothing from the overflow's `goto` and reports it when that call is hung up
on. It is judged in each scenario where the overflow holds; an overflow that no scenario sets
off is judged once, as if it held (branches as in the first scenario).

Passes::

    ivr: Passing line
    format: 1
    entry: main
    scenarios: {normal: [], busy: [queue_full]}
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent:
        type: human
        overflow: {when: queue_full, goto: leave_number}
      leave_number: {type: callback, say: Leave your number and we will call you back.}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    scenarios: {normal: [], busy: [queue_full]}
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent:
        type: human
        overflow: {when: queue_full, goto: goodbye}
      goodbye:
        type: message
        say: All our agents are busy. Please call again later. Goodbye.
        next: hangup

Finds::

    line 12, node agent, scenario busy: when the queue 'agent' is full the call is hung up
      (overflow to 'goodbye', pressing nothing)
"""

from __future__ import annotations

from ..analysis.silent import silent_call
from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for node in ctx.menu.nodes.values():
        if node.overflow is None:
            continue
        holding = [name for name, m in ctx.scenarios.items() if m.chosen.get(node.id) == 0]
        if holding:
            judged = [(name, ctx.scenarios[name].chosen) for name in holding]
        else:  # no scenario sets it off: judge it as if it held
            first = ctx.metrics.first_scenario()
            judged = [(None, {**first.chosen, node.id: 0})]
        for scenario, chosen in judged:
            call = silent_call(ctx.menu, chosen, node.overflow.goto)
            if call.end == "hangup":
                yield Problem(msg(N_("when the queue '{node}' is full the call is hung up "
                                     "(overflow to '{goto}', pressing nothing)"),
                                  node=node.id, goto=node.overflow.goto),
                              node=node.id, scenario=scenario, pos=node.overflow.pos,
                              value="hangup")


RULE = Rule(
    id="IVR031", name="queue-no-hangup", severity="error",
    summary="a queue that overflows never hangs up on the caller",
    check=check, doc=__doc__,
    sources=(
        Source("Spain, Ley 10/2025, art. 8 (no cutting calls for long waits)",
               "https://www.legaltoday.com/revista-aja/1025/articulos/15/index.html"),
        Source("National Taxpayer Advocate, FY 2016 Objectives Report: IRS 'courtesy "
               "disconnects' (quoted)",
               "http://www.nathanhannah.com/law-blog/only-in-government-speak-is-hanging-up-on-you-a-courtesy"),
    ),
)
