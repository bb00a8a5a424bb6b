"""Platform constructs the corpus does not hold, written here from each platform's documentation,
and what they become: the review's small files, with the arithmetic of each number."""

from __future__ import annotations

import json
from fractions import Fraction

from importers.written import audited, write


def test_vxml_enumerate_with_a_template_announces_each_choice_by_it(tmp_path):
    # VoiceXML 2.0 section 2.2.4: <enumerate> with content is a template, spoken once per
    # choice with _prompt (the choice's prompt) and _dtmf (its key)
    path = write(tmp_path, "menu.vxml", """\
        <vxml version="2.1">
          <menu id="main" dtmf="true">
            <property name="timeout" value="5s"/>
            <prompt>Welcome to Example Bank. <enumerate>For <value expr="_prompt"/>, press
              <value expr="_dtmf"/>.</enumerate></prompt>
            <choice next="#balance">balances</choice>
            <choice next="#agent">an agent</choice>
          </menu>
          <form id="balance"><block>Your balance is fine.</block></form>
          <form id="agent"><transfer dest="tel:+15550100" bridge="true"/></form>
        </vxml>
        """)
    result = audited(path)
    menu = result.menu.nodes["main"]
    # dtmf="true" numbers the choices 1 and 2; "For balances, press 1." is 4 words (1.6 s),
    # "For an agent, press 2." 5 words (2.0 s); before, each said only its choice (1 and 2
    # words)
    assert [(o.key, o.segment.say, o.segment.seconds) for o in menu.options] == [
        ("1", "For balances, press 1.", Fraction(8, 5)),
        ("2", "For an agent, press 2.", Fraction(2))]
    # the first-time caller hears the intro (4 words, 1.6 s) and both announcements: 5.2 s
    assert result.scenarios["default"].listen_seconds_to_human == Fraction(26, 5)


def test_archy_a_global_choice_a_submenu_announces_is_not_hidden_there(tmp_path):
    path = write(tmp_path, "flow.yaml", """\
        inboundCall:
          name: Global agent
          startUpRef: ./menus/menu[main]
          menus:
            - menu:
                name: Main
                refId: main
                audio:
                  tts: For billing press 1. For an agent press 0.
                choices:
                  - menuSubMenu:
                      name: Billing
                      dtmf: digit_1
                      menu:
                        name: Billing menu
                        refId: billing
                        audio:
                          tts: To go back press 8. For an agent press 0.
                        choices:
                          - menuPreviousMenu:
                              name: Back
                              dtmf: digit_8
                  - menuTransferToAcd:
                      name: Agent
                      dtmf: digit_0
                      globalDtmf: true
                      targetQueue:
                        lit:
                          name: Agents
        """)
    result = audited(path)
    billing = result.menu.nodes["billing"]
    # the billing menu's own prompt says "For an agent press 0." (line 18): its 0 is the
    # global choice, announced there, not a hidden key (before: "billing: 0 (hidden)")
    zero = next(o for o in billing.options if o.key == "0")
    assert (zero.segment.say, zero.goto) == ("For an agent press 0.", "Agent")
    assert {"key": "0", "announced": True} in result.scenarios["default"].one_key_human["billing"]
    assert not [f for f in result.findings if f.rule == "IVR028" and "hidden" in f.message]


def test_connect_star_pound_and_zero_keys_hours_and_a_callback(tmp_path):
    actions = [
        {"Identifier": "hours", "Type": "CheckHoursOfOperation",
         "Parameters": {"Hours": "arn:aws:connect:x:1:instance/i/operating-hours/abc"},
         "Transitions": {"NextAction": "bye", "Conditions": [
             {"NextAction": "menu", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
             {"NextAction": "cb", "Condition": {"Operator": "Equals", "Operands": ["False"]}}]}},
        {"Identifier": "menu", "Type": "GetParticipantInput",
         "Parameters": {"Text": "For an agent, press 0. To hear this again, press star. To be "
                                "called back, press pound.", "InputTimeLimitSeconds": "8"},
         "Transitions": {"NextAction": "bye", "Conditions": [
             {"NextAction": "q", "Condition": {"Operator": "Equals", "Operands": ["0"]}},
             {"NextAction": "menu", "Condition": {"Operator": "Equals", "Operands": ["*"]}},
             {"NextAction": "cb", "Condition": {"Operator": "Equals", "Operands": ["#"]}}],
             "Errors": [{"NextAction": "menu", "ErrorType": "NoMatchingCondition"},
                        {"NextAction": "cb", "ErrorType": "InputTimeLimitExceeded"}]}},
        {"Identifier": "q", "Type": "TransferContactToQueue", "Transitions": {}},
        {"Identifier": "cb", "Type": "CreateCallbackContact", "Transitions": {"NextAction": "bye"}},
        {"Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}}]
    path = tmp_path / "flow.json"
    path.write_text(json.dumps({"Version": "2019-10-30", "StartAction": "hours",
                                "Actions": actions}), encoding="utf-8")
    result = audited(str(path))
    menu = result.menu.nodes["menu"]
    assert [o.key for o in menu.options] == ["0", "*", "#"] and menu.timeout == 8
    open_ = result.scenarios["default"]
    # "For an agent, press 0." is 5 words: 2.0 s to hear it; one key
    assert (open_.steps_to_human, open_.listen_seconds_to_human) == (1, 2)
    # closed: the callback; silence at the menu also ends in the callback (after 8 s)
    assert result.scenarios["closed"].silent.end == "cb"
    assert open_.silent.end == "cb"
