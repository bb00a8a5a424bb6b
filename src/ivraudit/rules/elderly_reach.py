"""elderly-persona-reaches-human (IVR030): an older caller reaches a person, reliably and soon.

The built-in `elderly` persona (see docs/simulate.md) is a first-time caller with a slower,
more variable reaction (median 2.6 s) who mistypes 5 % of key presses. Its call is solved
exactly as a Markov chain: timeouts that come too soon for it, menus that hang up after a few
failures, and mistypes that lead astray all lower the probability that it reaches a person.
A scenario fails when that probability is below ``min_reach_probability`` or when the expected
time in the menus before the person is above ``max_expected_seconds`` (default 90 s: half of
the three minutes within which Spain's Ley 10/2025 wants calls answered by a person). Older callers are the
group that China's MIIT programme and Spain's Ley 10/2025 single out; a study of 185 adults over
65 found a fifth could not complete any of the study's telephone tasks.

Scenarios in which no person can be reached at all are left to human-reachable (IVR001). Menus
whose chain is too large for the audit's budget (over 2,000 states) are not judged.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        timeout: 10
        options:
          - {key: 0, say: For a person press 0., goto: agent}
          - {key: 1, say: For billing press 1., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        timeout: 2
        on_timeout: hangup
        options:
          - {key: 1, say: For billing press 1., goto: billing}
          - {key: 0, say: For a person press 0., goto: agent}
      billing: {type: message, say: Your bill is ready., next: hangup}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: an elderly caller reaches a person with probability
      0.32 (limit 0.95): hung up on 68%
"""

from __future__ import annotations

from ..format.durations import tenths
from ..i18n import N_, Joined, Seconds, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    least, most = params["min_reach_probability"], params["max_expected_seconds"]
    for scenario, metrics in ctx.scenarios.items():
        if not metrics.human_reachable:
            continue
        result = ctx.personas.get(scenario, {}).get("elderly")
        if result is None:
            continue
        reach = result.reach_probability
        if reach < least:
            lost = _lost(result)
            words = {"p": f"{reach:.2f}", "limit": f"{least:.2f}"}
            text = msg(N_("an elderly caller reaches a person with probability {p} (limit "
                          "{limit}): {lost}"), lost=lost, **words) if lost.items else \
                msg(N_("an elderly caller reaches a person with probability {p} (limit "
                       "{limit})"), **words)
            yield Problem(text, node=ctx.menu.entry, scenario=scenario,
                          value=round(reach, 4), limit=least)
        seconds = result.expected_seconds_to_human
        if seconds is not None and seconds > most:
            yield Problem(msg(N_("an elderly caller needs {seconds} on average to reach a person "
                                 "(limit {limit})"),
                              seconds=Seconds(seconds, ctx.estimated(scenario)["any"]),
                              limit=Seconds(float(most))), node=ctx.menu.entry,
                          scenario=scenario, value=tenths(seconds), limit=most)


def _lost(result) -> Joined:
    return Joined(tuple(msg(what, share=f"{share:.0%}") for what, share in (
        (N_("hung up on {share}"), result.hangup_probability),
        (N_("callback {share}"), result.callback_probability),
        (N_("stuck {share}"), result.stuck_probability)) if share >= 0.005))


RULE = Rule(
    id="IVR030", name="elderly-persona-reaches-human", severity="warning",
    summary="the elderly persona reaches a person with high probability and soon",
    check=check, doc=__doc__,
    params={"min_reach_probability": 0.95, "max_expected_seconds": 90},
    param_help={"min_reach_probability": "least probability that the elderly persona reaches a "
                                         "person",
                "max_expected_seconds": "most expected seconds in the menus before the person"},
    sources=(
        Source("Fozard et al. (1994), age differences in reaction time (BLSA), J Gerontol 49(4)",
               "https://acnpsearch.tweb-dev.unibo.it/singlejournalindex/973795"),
        Source("J Gerontol B 68(4):495-503 (2013): 20.5 % of adults 65+ completed no task",
               "http://www.pubmed.gov/23103382/"),
        Source("China MIIT 2025, 信息通信暖心服务十件实事 (65+ one-key human agent)",
               "https://zxb.ccn.com.cn/html/zxb/20250521/132553.html"),
        Source("Spain, Ley 10/2025, art. 8 (answer within three minutes)",
               "https://www.legaltoday.com/revista-aja/1025/articulos/15/index.html"),
    ),
)
