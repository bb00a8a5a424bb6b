"""language-default (IVR037): the line starts in a language, with a key to change it.

GetHuman item 9 asks for a default language (from the caller's number or the line's market)
with an option to change it, not a language menu every caller must pass first ("for US, assume
English; dial 9 to change language"). The rule reports a `role: language` menu that is the first
menu a call meets.

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
          - {key: 9, say: Para español pulse nueve., goto: main_es}
      main_es:
        type: menu
        options:
          - {key: 0, say: Para hablar con una persona pulse cero., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: language
    nodes:
      language:
        type: menu
        role: language
        options:
          - {key: 1, say: For English press 1., goto: main}
          - {key: 2, say: Para español pulse dos., goto: main}
      main:
        type: menu
        options:
          - {key: 0, say: For a person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 5, node language, scenario default: every caller must first choose a language in
      'language'; start in the line's main language and offer a key to change it
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for scenario in ctx.scenarios:
        _, first = ctx.first_menu(scenario)
        if first is not None and first.type == "menu" and first.role == "language":
            yield Problem(msg(N_("every caller must first choose a language in '{menu}'; start "
                                 "in the line's main language and offer a key to change it"),
                              menu=first.id),
                          node=first.id, scenario=scenario)


RULE = Rule(
    id="IVR037", name="language-default", severity="info",
    summary="a default language with a key to change it, rather than a language menu first",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 9", "http://gethuman.com/standard/v1.0.html"),
        Source("GetHuman draft standard, item 9 (assume English; dial 9 to change language)",
               "http://gethuman.com/earcon/standard.html"),
    ),
)
