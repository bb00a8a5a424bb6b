"""key-conventions (IVR017): `0` means a person; `*` and `#` are for navigation, not choices.

Callers carry habits from one line to the next: `0` for the operator (ETSI ETR 096, GetHuman),
`#` to end an entry and `*` to go back or repeat (VoiceXML, Twilio, AS/NZS 4263). An option on
`*` or `#` must lead to a menu (back, repeat, main menu) or restart; an option on `0` must reach
a person with no further key press.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 1, say: Billing press 1., goto: billing}
          - {key: 0, say: A person press 0., goto: agent}
      billing:
        type: menu
        options:
          - {key: "*", say: Back press star., goto: main}
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: "#", say: For your balance press hash., goto: balance}
          - {key: 0, say: For opening hours press 0., goto: hours}
      balance: {type: message, say: Your balance is ten euros., next: hangup}
      hours: {type: message, say: We are open from nine to five., next: main}

Finds::

    line 8, node main, scenario default: key # in menu 'main' is an ordinary choice (it leads to
      'balance'); keep * and # for going back, repeating and ending input
    line 9, node main, scenario default: key 0 in menu 'main' does not lead to a person (0 is
      the operator key)
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for node in ctx.nodes_of_type("menu"):
        for option in node.options:
            if option.key not in ("*", "#", "0"):  # one-character keys (and not spoken ones)
                continue
            for scenario in ctx.scenarios_at(node.id):  # where it leads depends on the scenario
                stop = ctx.follow(scenario, option.goto)[1]
                if option.key == "0" and (stop is None or not stop.is_person):
                    template = N_("the global key 0 does not lead to a person (0 is the operator "
                                  "key)") if option.is_global else \
                        N_("key 0 in menu '{menu}' does not lead to a person (0 is the operator "
                           "key)")
                    yield Problem(msg(template, menu=node.id), node=node.id, scenario=scenario,
                                  pos=option.pos)
                elif option.key in ("*", "#") and option.goto != "restart" and (
                        stop is None or stop.type != "menu"):
                    template = N_("the global key {key} is an ordinary choice (it leads to "
                                  "'{goto}'); keep * and # for going back, repeating and ending "
                                  "input") if option.is_global else \
                        N_("key {key} in menu '{menu}' is an ordinary choice (it leads to "
                           "'{goto}'); keep * and # for going back, repeating and ending input")
                    yield Problem(msg(template, key=option.key, menu=node.id, goto=option.goto),
                                  node=node.id, scenario=scenario, pos=option.pos)


RULE = Rule(
    id="IVR017", name="key-conventions", severity="warning",
    summary="0 reaches a person; * and # only navigate",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 1", "http://gethuman.com/standard/v1.0.html"),
        Source("ETSI ETR 096 (0 as the operator key), per ETSI HF",
               "http://lists.w3.org/Archives/Public/public-cognitive-a11y-tf/2016Apr/0031.html"),
        Source("Twilio <Gather> finishOnKey default #", "https://www.twilio.com/docs/api_reference/TwiML/gather"),
    ),
)
