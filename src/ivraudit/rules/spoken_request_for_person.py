"""spoken-request-for-person (IVR034): a menu that listens understands "agent".

GetHuman item 1: a caller "must always be able to dial 0 or to say \"operator\"". A caller who
says "人工" ten times to a speech-first menu that does not know the word never reaches anyone.
Every reachable menu that takes speech (some option, its own or a global one, has `speech`)
needs a spoken option with a phrase that asks for a person (the parameter ``phrases``, matched
ignoring case, spaces and punctuation, either containing the other) and reaches a person with
no further input.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    locale: zh-CN
    nodes:
      main:
        type: menu
        say: 请说出您要办理的业务。
        options:
          - {key: 1, speech: [查询余额, 余额], goto: balance}
          - {key: 0, say: 人工服务请按0或说人工。, speech: [人工, 转人工], goto: agent}
      balance: {type: message, say: 您的余额是十元。, next: main}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    locale: zh-CN
    nodes:
      main:
        type: menu
        say: 请说出您要办理的业务。
        options:
          - {key: 1, speech: [查询余额, 余额], goto: balance}
          - {key: 0, say: 人工服务请按0。, goto: agent}
      balance: {type: message, say: 您的余额是十元。, next: main}
      agent: {type: human}

Finds::

    line 6, node main, scenario default: menu 'main' takes speech, but no phrase asking for a
      person (such as 'agent' or '人工') reaches one
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source
from .phrases import PERSON_PHRASES, PHRASES_HELP, asks_for_person


def check(ctx: MenuContext, params: dict):
    if not ctx.graph.graph["speech"]:
        return
    for scenario in ctx.scenarios:
        for node in ctx.reachable_menus(scenario):
            if not any(option.speech for option in node.options):
                continue
            if any(ctx.reaches_person(scenario, option.goto)
                   and any(asks_for_person(phrase, params["phrases"]) for phrase in option.speech)
                   for option in node.options):
                continue
            yield Problem(msg(N_("menu '{menu}' takes speech, but no phrase asking for a person "
                                 "(such as 'agent' or '人工') reaches one"), menu=node.id),
                          node=node.id,
                          scenario=scenario)


RULE = Rule(
    id="IVR034", name="spoken-request-for-person", severity="warning",
    summary="a menu that takes speech has a spoken way to a person",
    check=check, doc=__doc__,
    params={"phrases": PERSON_PHRASES},
    param_help={"phrases": PHRASES_HELP},
    sources=(
        Source("GetHuman standard v1.0, item 1 (\"or to say operator\")",
               "http://gethuman.com/standard/v1.0.html"),
    ),
)
