"""mistype-no-replay (IVR014): one wrong key on the way to a person costs almost nothing.

A caller who mistypes should get a short error message and the options again, not the greeting
again or the whole call from the top (W3C COGA: error responses should not "send the user to a
more complex menu"). For every menu on the quickest way to a person, the `mistype` metric says
what one wrong key does; a finding is made where it forces a replay: more than
``max_penalty_seconds`` of extra forced audio, extra key presses, or no way to a person at all.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        on_invalid: {say: Sorry., then: reprompt}
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: welcome
    nodes:
      welcome: {type: message, say: Welcome., duration: 20, barge_in: false, next: main}
      main:
        type: menu
        on_invalid: restart
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 8, node main, scenario default: a wrong key (1) at 'main' leads to restart: 20.0 s more
      forced audio and 0 more key presses
"""

from __future__ import annotations

from ..format.durations import exact
from ..i18n import N_, Np_, Seconds, msg, msgn
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = exact(params["max_penalty_seconds"])
    for scenario, metrics in ctx.scenarios.items():
        guessed = ctx.estimated(scenario)["mistype"]
        for row in metrics.mistype:
            if row.penalty_seconds is None:
                cost = msg(N_("a person can no longer be reached"))
            elif row.penalty_seconds > limit or row.penalty_steps > 0:
                cost = msgn(Np_("{seconds} more forced audio and {n} more key press",
                                "{seconds} more forced audio and {n} more key presses"),
                            row.penalty_steps, seconds=Seconds(row.penalty_seconds, guessed))
            else:
                continue
            node = ctx.menu.nodes[row.node]
            setting = "on_exhausted" if row.outcome == "exhausted" else "on_invalid"
            fired = node.on_exhausted if row.outcome == "exhausted" else node.on_invalid[0]
            pos, origin = ctx.setting_source(node, setting)
            template = N_("a wrong key ({key}) at '{node}' leads to {outcome}: {cost}") \
                if origin != "assumed" else \
                N_("a wrong key ({key}) at '{node}' leads to {outcome} (an assumed default: the "
                   "menu does not set {field}): {cost}")
            yield Problem(msg(template, key=row.key, node=row.node, outcome=row.outcome,
                              field=setting, cost=cost),
                          node=row.node, scenario=scenario,
                          pos=(fired.pos if fired is not None else None) or node.pos,
                          value=row.penalty_seconds, limit=limit)


RULE = Rule(
    id="IVR014", name="mistype-no-replay", severity="warning",
    summary="one wrong key on the way to a person forces no replay or restart",
    check=check, doc=__doc__,
    params={"max_penalty_seconds": 0},
    param_help={"max_penalty_seconds": "extra forced seconds a wrong key may cost"},
    sources=(
        Source("W3C COGA issue paper 'Voice Systems' (tapered prompts, errors)",
               "https://github.com/w3c/coga/blob/main/issue-papers/voice-menus.html"),
    ),
)
