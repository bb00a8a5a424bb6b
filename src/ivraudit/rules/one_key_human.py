"""one-key-human (IVR003): from the first menu, one announced key reaches a person, soon.

China's MIIT programme gives callers over 65 "one-key access to a human agent"; Spain's Ley
10/2025 requires personal attention "among the options of the main menu". The first menu a
caller meets must have a key that reaches a person with no further key press, that option must
be announced (a hidden option helps nobody who does not already know it), and the forced audio
a caller hears before that key can be pressed must stay under ``max_forced_seconds``. A scenario
that reaches a person before any menu (a direct line) passes.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        say: Welcome.
        options:
          - {key: 1, say: For billing press 1., goto: agent}
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
          - {key: 1, say: For billing press 1., goto: billing}
      billing:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 5, node main, scenario default: no key in the first menu 'main' reaches a person
"""

from __future__ import annotations

from fractions import Fraction

from ..format.durations import exact
from ..i18n import N_, Joined, Np_, Seconds, msg, msgn
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = exact(params["max_forced_seconds"])
    for scenario in ctx.scenarios:
        judged = set()
        for how, passed, first in ctx.first_menus(scenario):  # past a language menu (9.7)
            if first is None or first.id not in judged:
                judged.add(first.id if first else None)
                yield from _judge(ctx, scenario, how, passed, first, limit)


def _judge(ctx: MenuContext, scenario: str, how: str, passed, first, limit):
    if first is None or first.type != "menu":
        return  # a direct line to a person, a callback or an end: no menu to judge
    after = msg(N_(" (after {choices})"), choices=Joined(how)) if how else ""
    human_options = [o for o in first.keyed_options
                     if len(o.key) == 1 and ctx.reaches_person(scenario, o.goto)]
    if not human_options:
        yield Problem(msg(N_("no key in the first menu '{menu}'{after} reaches a person"),
                          menu=first.id, after=after),
                      node=first.id, scenario=scenario, value=0, limit=1)
        return
    announced = [o for o in human_options if not o.hidden]
    if not announced:
        yield Problem(msgn(Np_("the first menu '{menu}'{after} reaches a person only through "
                               "hidden key {keys}: the option is never announced",
                               "the first menu '{menu}'{after} reaches a person only through "
                               "hidden keys {keys}: the options are never announced"),
                           len(human_options), menu=first.id, after=after,
                           keys=Joined(tuple(o.key for o in human_options))),
                      node=first.id, scenario=scenario, pos=human_options[0].pos)
        return
    heard = passed + [first]
    before = sum((n.forced_seconds for n in heard), Fraction(0))
    if before > limit:
        guessed = any(n.forced_seconds and n.prompt_estimated for n in heard)
        yield Problem(msg(N_("{seconds} of forced audio before the person's key {key} can be "
                             "pressed in '{menu}'{after} (limit {limit})"),
                          seconds=Seconds(before, guessed), key=announced[0].key,
                          menu=first.id, after=after, limit=Seconds(limit)),
                      node=first.id, scenario=scenario, value=before, limit=limit)


RULE = Rule(
    id="IVR003", name="one-key-human", severity="error",
    summary="from the first menu, one announced key reaches a person after little forced audio",
    check=check, doc=__doc__,
    params={"max_forced_seconds": 10},
    param_help={"max_forced_seconds": "forced seconds allowed before the key can be pressed"},
    sources=(
        Source("China MIIT 2025, 信息通信暖心服务十件实事 (65+ one-key human agent)",
               "https://zxb.ccn.com.cn/html/zxb/20250521/132553.html"),
        Source("Spain, Ley 10/2025, art. 8 (human option in the main menu)",
               "https://www.legaltoday.com/revista-aja/1025/articulos/15/index.html"),
    ),
)
