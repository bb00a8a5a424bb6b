"""person-only-by-failing (IVR033): a person is reached by pressing keys, not only by failing.

Callers share tricks for lines that hide their people: "press 0 repeatedly", "ignore the
prompt", "say nothing twice". When no key sequence reaches a person but the persistent caller
(who also presses wrong keys and stays silent, `persistent`) does, the line works only for those
who know the trick. The finding says the trick, so that it can be documented or, better,
replaced by an announced option.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
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
        on_exhausted: agent
        options:
          - {key: 1, say: For your balance press 1., goto: main}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: a person is reached only by failing: press the wrong
      key 0 at 'main' 3 times (0.0 s, 3 failures)
"""

from __future__ import annotations

from ..i18n import N_, Np_, Seconds, msg, msgn
from .base import MenuContext, Problem, Rule, Source
from .tricks import how_reached


def check(ctx: MenuContext, params: dict):
    for scenario, metrics in ctx.scenarios.items():
        call = metrics.persistent
        if metrics.human_reachable or call is None:
            continue
        yield Problem(msg(N_("a person is reached {how} ({seconds}, {failures})"),
                          how=how_reached(ctx.menu, call),
                          seconds=Seconds(call.seconds, ctx.estimated(scenario)["persistent"]),
                          failures=msgn(Np_("{n} failure", "{n} failures"), call.failures)),
                      node=ctx.menu.entry, scenario=scenario, value=call.failures, limit=0)


RULE = Rule(
    id="IVR033", name="person-only-by-failing", severity="error",
    summary="a person is reachable by choosing options, not only by failing on purpose",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, items 1 and 8", "http://gethuman.com/standard/v1.0.html"),
        Source("W3C COGA issue paper 'Voice Systems' (an easy way to a human)",
               "https://github.com/w3c/coga/blob/main/issue-papers/voice-menus.html"),
    ),
)
