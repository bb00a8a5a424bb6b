"""human-reachable (IVR001): a person can be reached in every scenario.

A line that never lets a caller reach a person fails the callers it exists for. In a scenario
where nobody is on duty (after hours), a callback that the caller can reach counts instead: the
person calls back. A person reached only after failures (say, `on_exhausted` after three wrong
keys) does not count: no choice of keys leads there. The finding then says how the persistent
caller gets there (person-only-by-failing reports the same trick as an error).

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
        options:
          - {key: 1, say: For your balance press 1., goto: balance}
      balance: {type: message, say: Your balance is ten euros., next: hangup}

Finds::

    line 5, node main, scenario default: no person can be reached
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source
from .tricks import trick_text


def check(ctx: MenuContext, params: dict):
    for scenario, metrics in ctx.scenarios.items():
        if metrics.human_reachable:
            continue
        seen = ctx.reachable(scenario)
        callback = any(ctx.graph.nodes[n]["type"] == "callback" for n in seen)
        if callback and params["callback_counts"]:
            continue
        if metrics.persistent is not None:  # never "no person" when failing reaches one
            what = msg(N_("no key leads to a person: one is reached only after failures: "
                          "{trick}"), trick=trick_text(ctx.menu.nodes, metrics.persistent.path))
        else:
            what = msg(N_("no person can be reached"))
        if callback:
            what = msg(N_("{what} (a callback is reachable, but callbacks do not count in this "
                          "policy)"), what=what)
        yield Problem(what, node=ctx.menu.entry, scenario=scenario, value=False, limit=True)


RULE = Rule(
    id="IVR001", name="human-reachable", severity="error",
    summary="a person (or, where nobody is on duty, a callback) can be reached in every scenario",
    check=check, doc=__doc__,
    params={"callback_counts": True},
    param_help={"callback_counts": "a reachable callback node satisfies the rule"},
    sources=(
        Source("GetHuman standard v1.0, item 1", "http://gethuman.com/standard/v1.0.html"),
        Source("Spain, Ley 10/2025 de servicios de atención a la clientela, art. 8",
               "https://www.legaltoday.com/revista-aja/1025/articulos/15/index.html"),
    ),
)
