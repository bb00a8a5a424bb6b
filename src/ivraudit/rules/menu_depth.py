"""menu-depth (IVR009): callers pass few menu levels.

"It is recommended that no more than three levels be used" (AT&T); Chinese design guides say the
same ("将菜单层级控制在三层以内"). Compares the menu depth of each scenario (`depth`) with
``max_levels``.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: m1
    nodes:
      m1: {type: menu, options: [{key: 1, say: Next press 1., goto: m2}]}
      m2: {type: menu, options: [{key: 1, say: Next press 1., goto: m3}]}
      m3: {type: menu, options: [{key: 1, say: Next press 1., goto: m4}]}
      m4: {type: menu, options: [{key: 0, say: A person press 0., goto: agent}]}
      agent: {type: human}

Finds::

    line 5, node m1, scenario default: menus are 4 levels deep (limit 3)
"""

from __future__ import annotations

from ..i18n import Np_, msgn
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = params["max_levels"]
    for scenario, metrics in ctx.scenarios.items():
        if metrics.depth > limit:
            yield Problem(msgn(Np_("menus are {n} level deep (limit {limit})",
                                   "menus are {n} levels deep (limit {limit})"),
                               metrics.depth, limit=limit),
                          node=ctx.menu.entry, scenario=scenario, value=metrics.depth,
                          limit=limit)


RULE = Rule(
    id="IVR009", name="menu-depth", severity="warning",
    summary="menus are at most a few levels deep",
    check=check, doc=__doc__,
    params={"max_levels": 3},
    param_help={"max_levels": "menu levels allowed"},
    sources=(
        Source("AT&T auto-attendant manual", "https://manualsdump.com/en/manuals/at-and-t-3model/258383/317"),
        Source("Chinese IVR design guide (three levels)", "https://www.holly400.com/strategy/2426.html"),
    ),
)
