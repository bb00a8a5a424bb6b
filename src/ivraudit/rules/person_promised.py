"""person-promised (IVR032): an option that promises a person leads to one.

An announcement such as "to speak to an agent, press 0" that leads to another menu, a recording
or a hang-up breaks the caller's trust, and with it the promise that GetHuman item 1 asks for.
An announced option whose `say` names a person (the parameter ``phrases``, matched ignoring
case, spaces and punctuation, either containing the other) must reach a person with no further
key press (through messages, branches and overflowing queues), in every scenario. Add phrases in
a policy for other languages.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: To speak to an agent press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: To speak to an agent press 0., goto: more}
      more:
        type: menu
        options:
          - {key: 1, say: For billing press 1., goto: agent}
      agent: {type: human}

Finds::

    line 8, node main, scenario default: 'To speak to an agent press 0.' (key 0 in menu 'main')
      promises a person but leads to 'more', which is none
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source
from .phrases import PERSON_PHRASES, PHRASES_HELP, asks_for_person


def check(ctx: MenuContext, params: dict):
    for node in ctx.nodes_of_type("menu"):
        for option in node.options:
            if option.segment is None or not asks_for_person(option.segment.say,
                                                             params["phrases"]):
                continue
            for scenario in ctx.scenarios_at(node.id):
                if not ctx.reaches_person(scenario, option.goto):
                    choice = msg(N_("key {key}"), key=option.key) if option.key else \
                        msg(N_("'{phrase}'"), phrase=option.phrase)
                    yield Problem(msg(N_("'{say}' ({choice} in menu '{menu}') promises a person "
                                         "but leads to '{goto}', which is none"),
                                      say=option.segment.say, choice=choice, menu=node.id,
                                      goto=option.goto),
                                  node=node.id, scenario=scenario, pos=option.pos)


RULE = Rule(
    id="IVR032", name="person-promised", severity="warning",
    summary="an announced option that promises a person reaches one with no further key",
    check=check, doc=__doc__,
    params={"phrases": PERSON_PHRASES},
    param_help={"phrases": PHRASES_HELP},
    sources=(
        Source("GetHuman standard v1.0, item 1", "http://gethuman.com/standard/v1.0.html"),
    ),
)
