"""elder-direct-human (IVR004): callers over 65 reach a person with no key and no menu.

Since December 2020 China's operators route callers over 65 straight to a person, "without
complex voice prompts or number selection". A scenario is marked for callers over 65 when its
name or one of its conditions is listed in ``markers``. In such a scenario the quickest call
presses no key and passes no menu before the person. With ``require_scenario`` (the
`cn-elderly` policy), a menu without any such scenario is a finding too.

Passes::

    ivr: Passing line
    format: 1
    entry: route
    scenarios: {default: [], elderly: [caller_over_65]}
    nodes:
      route:
        type: branch
        cases: [{when: caller_over_65, goto: agent}]
        else: main
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    scenarios: {default: [], elderly: [caller_over_65]}
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 6, node main, scenario elderly: callers over 65 press 1 key through menu 'main' before
      a person; they should be put straight through
"""

from __future__ import annotations

from ..i18n import N_, Np_, Joined, msg, msgn
from .base import MenuContext, Problem, Rule, Source


def elderly_scenarios(ctx: MenuContext, markers) -> list[str]:
    """Scenarios marked for callers over 65 by their name or a condition."""
    marks = set(markers)
    return [name for name, conditions in ctx.menu.scenarios.items()
            if name in marks or conditions & marks]


def check(ctx: MenuContext, params: dict):
    scenarios = elderly_scenarios(ctx, params["markers"])
    if not scenarios and params["require_scenario"]:
        yield Problem(msg(N_("no scenario is marked for callers over 65 (name or condition: "
                             "{markers})"), markers=Joined(tuple(params["markers"]))),
                      node=ctx.menu.entry)
    for scenario in scenarios:
        metrics = ctx.scenarios[scenario]
        if not metrics.human_reachable:
            yield Problem(msg(N_("callers over 65 cannot reach a person")),
                          node=ctx.menu.entry, scenario=scenario)
            continue
        menus = [n for n, _ in metrics.paths["forced"][:-1] if ctx.menu.nodes[n].type == "menu"]
        if metrics.steps_to_human > 0 or menus:
            where = msg(N_(" through menu '{menu}'"), menu=menus[0]) if menus else ""
            yield Problem(msgn(Np_("callers over 65 press {n} key{where} before a person; they "
                                   "should be put straight through",
                                   "callers over 65 press {n} keys{where} before a person; "
                                   "they should be put straight through"),
                               metrics.steps_to_human, where=where),
                          node=menus[0] if menus else ctx.menu.entry, scenario=scenario,
                          value=metrics.steps_to_human, limit=0)


RULE = Rule(
    id="IVR004", name="elder-direct-human", severity="warning",
    summary="in a scenario for callers over 65, no key press and no menu before a person",
    check=check, doc=__doc__,
    params={"markers": ["caller_over_65", "over_65", "elderly", "senior", "age_65_plus"],
            "require_scenario": False},
    param_help={"markers": "scenario names or conditions that mark callers over 65",
                "require_scenario": "a menu must have a scenario for callers over 65"},
    sources=(
        Source("China, 65+ callers get human service directly (since 2020-12-25)",
               "https://www.zs10000.cn/news/2022-05-25/87.html"),
        Source("China MIIT 2025, 信息通信暖心服务十件实事",
               "https://zxb.ccn.com.cn/html/zxb/20250521/132553.html"),
    ),
)
