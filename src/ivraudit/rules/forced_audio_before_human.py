"""forced-audio-before-human (IVR006): little audio that cannot be skipped before a person.

"Callers should not be forced to listen to long/verbose prompts" and "should be able to
interrupt prompts" (GetHuman v1.0, items 6 and 7). Even a caller who knows the keys and presses
them at once must sit through every prompt with barge-in off. This rule compares the least
forced listening on any way to a person (`forced_seconds_to_human`) with ``max_seconds``; the
30 s opening with an advert in the news fails it.

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
    entry: welcome
    nodes:
      welcome:
        type: message
        say: Welcome. Please listen carefully as our menu options have changed.
        duration: 30
        barge_in: false
        next: main
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 5, node welcome, scenario default: 30.0 s of audio that cannot be skipped before a
      person, the longest at 'welcome' (30.0 s; limit 10.0 s)
"""

from __future__ import annotations

from ..format.durations import exact
from ..i18n import N_, Seconds, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = exact(params["max_seconds"])
    for scenario, metrics in ctx.scenarios.items():
        forced = metrics.forced_seconds_to_human
        if forced is None or forced <= limit:
            continue
        worst = max(ctx.forced_path_nodes(scenario), key=lambda n: n.forced_seconds)
        yield Problem(msg(N_("{seconds} of audio that cannot be skipped before a person, the "
                             "longest at '{node}' ({longest}; limit {limit})"),
                          seconds=Seconds(forced, ctx.estimated(scenario)["forced"]),
                          node=worst.id,
                          longest=Seconds(worst.forced_seconds, worst.prompt_estimated),
                          limit=Seconds(limit)),
                      node=worst.id, scenario=scenario, value=forced, limit=limit)


RULE = Rule(
    id="IVR006", name="forced-audio-before-human", severity="warning",
    summary="the forced (non-interruptible) audio before a person stays short",
    check=check, doc=__doc__,
    params={"max_seconds": 10},
    param_help={"max_seconds": "forced seconds allowed on the quickest way to a person"},
    sources=(
        Source("GetHuman standard v1.0, items 6 and 7", "http://gethuman.com/standard/v1.0.html"),
        Source("Nuance: barge-in off forces callers to hear an advertisement",
               "https://docs.nuance.com/speech-suite/nss-config/nsscfg_params_bargein.html"),
    ),
)
