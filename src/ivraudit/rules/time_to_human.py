"""time-to-human (IVR007): the time to a person, menus and queue together, stays under a limit.

Spain's Ley 10/2025 (art. 8) requires calls to be answered by a person in under three minutes.
The time a first-time caller spends in the menus (`listen_seconds_to_human`) plus the queue wait
of the person reached (`wait`) is compared with ``max_seconds`` (default 180).

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human, wait: 60}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human, wait: 600}

Finds::

    line 9, node agent, scenario default: ≈602.0 s to a person (≈2.0 s in menus + 600.0 s in the
      queue; limit 180.0 s)
"""

from __future__ import annotations

from ..format.durations import exact
from ..i18n import N_, Seconds, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = exact(params["max_seconds"])
    for scenario, metrics in ctx.scenarios.items():
        menus, guessed = metrics.listen_seconds_to_human, ctx.estimated(scenario)["listen"]
        if menus is None:  # only hidden options: the expert's time
            menus, guessed = metrics.forced_seconds_to_human, ctx.estimated(scenario)["forced"]
        if menus is None:
            continue
        human = (metrics.paths["listen"] or metrics.paths["forced"])[-1][0]
        wait = ctx.menu.nodes[human].wait
        total = menus + exact(wait or 0)
        if total > limit:
            yield Problem(msg(N_("{seconds} to a person ({menus} in menus + {wait} in the "
                                 "queue; limit {limit})"), seconds=Seconds(total, guessed),
                              menus=Seconds(menus, guessed), wait=Seconds(exact(wait or 0)),
                              limit=Seconds(limit)), node=human, scenario=scenario,
                          value=total, limit=limit)


RULE = Rule(
    id="IVR007", name="time-to-human", severity="warning",
    summary="menu listening time plus queue wait stays under a limit",
    check=check, doc=__doc__,
    params={"max_seconds": 180},
    param_help={"max_seconds": "seconds allowed from the start of the call to a person"},
    sources=(
        Source("Spain, Ley 10/2025, art. 8 (answer within three minutes)",
               "https://www.legaltoday.com/revista-aja/1025/articulos/15/index.html"),
    ),
)
