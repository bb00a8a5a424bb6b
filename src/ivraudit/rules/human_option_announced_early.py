"""human-option-announced-early (IVR005): a first-time caller hears the person option soon.

Texas HB 3762 and Illinois HB 3653 ask that callers be told "at the beginning" of the call how to
reach a person. This rule measures what a first-time caller listens to until the option that
leads to a person has been announced (`listen_seconds_to_human`) and compares it with
``max_seconds``. A person reachable only through hidden options is never announced at all.
Past a menu where the caller picks a language (`role: language`), the clock starts at the first
menu after each language's option.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        say: Welcome.
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
        say: Welcome to our service line.
        duration: 40
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: a first-time caller listens ≈42.0 s before the person
      option is announced (limit 30.0 s)
"""

from __future__ import annotations

from ..analysis.graph import seconds
from ..format.durations import exact
from ..i18n import N_, Joined, Seconds, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = exact(params["max_seconds"])
    for scenario, metrics in ctx.scenarios.items():
        if not metrics.human_reachable:
            continue  # human-reachable reports it
        firsts = ctx.first_menus(scenario)
        if any(how for how, _, _ in firsts):
            yield from _after_languages(ctx, scenario, firsts, limit)
        elif metrics.listen_seconds_to_human is None:
            yield Problem(msg(N_("the way to a person is never announced: only hidden options "
                                 "lead there")), node=ctx.menu.entry, scenario=scenario)
        elif metrics.listen_seconds_to_human > limit:
            path = metrics.paths["listen"]
            heard = Seconds(metrics.listen_seconds_to_human, ctx.estimated(scenario)["listen"])
            yield Problem(msg(N_("a first-time caller listens {seconds} before the person option "
                                 "is announced (limit {limit})"), seconds=heard,
                              limit=Seconds(limit)),
                          node=path[0][0], scenario=scenario,
                          value=metrics.listen_seconds_to_human, limit=limit)


def _after_languages(ctx: MenuContext, scenario: str, firsts, limit):
    """Per language: the listening seconds from the first menu after its option (SPEC 9.7)."""
    costs = ctx.scenarios[scenario].costs
    judged = set()
    for how, _, first in firsts:
        if first is None or first.type != "menu" or first.id in judged:
            continue
        judged.add(first.id)
        after = Joined(how)
        listen = costs["listen"].get(first.id)
        if listen is None:
            if first.id in costs["forced"]:
                yield Problem(msg(N_("after {choices}, the way to a person is never announced: "
                                     "only hidden options lead there"), choices=after),
                              node=first.id, scenario=scenario)
            continue
        heard = seconds(ctx.graph, listen[0])
        if heard > limit:
            yield Problem(msg(N_("after {choices}, a first-time caller listens {seconds} before "
                                 "the person option is announced (limit {limit})"),
                              choices=after,
                              seconds=Seconds(heard, ctx.estimated(scenario)["listen"]),
                              limit=Seconds(limit)),
                          node=first.id, scenario=scenario, value=heard, limit=limit)


RULE = Rule(
    id="IVR005", name="human-option-announced-early", severity="warning",
    summary="a first-time caller hears how to reach a person within a few seconds",
    check=check, doc=__doc__,
    params={"max_seconds": 30},
    param_help={"max_seconds": "listening seconds allowed until the person option is announced"},
    sources=(
        Source("Texas HB 3762 (89R), Sec. 307.003(b)(2)",
               "https://app.legiplex.com/tx/legislature/2025/89r/bills/hb3762/draft-2138590"),
        Source("Illinois HB 3653 (104th GA)", "https://www.billtrack50.com/billdetail/1825050"),
    ),
)
