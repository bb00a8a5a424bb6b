"""Twilio Studio and Genesys Archy: facts checked by hand against each corpus file (with the
line they come from), Terraform-templated flows, counters, and Archy's own constructs. Word
counts are at 150 words a minute (0.4 s a word, SPEC section 2)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from click.testing import CliRunner

from helpers import assumed
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main


def audit_one(path: str):
    run = audit_paths([path], today="2026-01-01")
    assert not run.errors, [e.format() for e in run.errors]
    (result,) = run.results
    return result


@pytest.mark.parametrize("name", corpus_files("twilio-studio") + corpus_files("genesys-archy"))
def test_every_corpus_flow_imports(name):
    result = CliRunner().invoke(main, ["import", corpus(name), "-o", "/dev/null"])
    assert result.exit_code == 0, result.output


# -- Twilio Studio -------------------------------------------------------------------------


def test_the_webinar_menu_loops_forever_on_no_match_and_timeout():
    # gather_input (line 26): timeout 5 -> gather_input; check_for_digit noMatch -> gather_input;
    # matches_any_of "1,2,3" -> send_demo_link
    result = audit_one(corpus("twilio-studio/webinar-demo-ivr.json"))
    menu = result.menu.nodes["gather_input"]
    assert [o.key for o in menu.options] == ["1", "2", "3"] and menu.pos.line == 26
    assert menu.max_failures is None  # Studio counts no retries
    assert menu.on_invalid[0].target == menu.on_timeout[0].target == "gather_input"
    # the prompt: 27 words (10.8 s), then 5 s of silence, twice before the loop closes
    silent = result.metrics.scenarios["default"].silent
    assert (silent.end, silent.seconds) == ("loop", Fraction(316, 10))
    assert menu.options[0].segment.say == "Press 1 for the Studio demo."


def test_the_regulatory_flow_hangs_up_on_keys_and_on_an_unconnected_timeout():
    result = audit_one(corpus("twilio-studio/ca-regulatory-voicemail-ivr.json"))
    nodes = result.menu.nodes
    # Say_State (line 136): speech -> CA_or_not_CA (a split on SpeechResult), keypress goes
    # nowhere: a key ends the call; spoken options California and the 49 other states
    state = nodes["Say_State"]
    assert state.on_invalid[0].kind == "hangup"
    assert [o.speech[0] for o in state.options] == ["California", "Alabama"]
    assert all(o.key is None for o in state.options)
    # Not_CA_Redirect_To_Voicemail (line 234): "please press 1"; timeout transition has no next
    offer = nodes["Not_CA_Redirect_To_Voicemail"]
    assert offer.on_timeout[0].kind == "hangup" and [o.key for o in offer.options] == ["1"]
    assert assumed(result, "silence at the gather (timeout) goes nowhere")[0].line == 234
    # Check_Decision (line 445) names "Goodbye", a widget the flow does not define
    assert assumed(result, "widget 'Goodbye'")[0].line == 445
    # the California branch ends at Business_Hours_Check (completed has no next): the
    # send-to-flex behind CA_Send_To_Live_Agent is reached by no call
    assert "Send_to_Phone_California" in result.metrics.structure.unreachable


def test_the_hours_check_is_a_scenario_and_the_closed_text_drops_liquid_tags():
    result = audit_one(corpus("twilio-studio/flex-schedule-hours-check.json"))
    scenarios = result.metrics.scenarios
    assert not scenarios["default"].human_reachable  # isOpen unknown: the no-match (closed)
    assert scenarios["check_schedule.parsed.isOpen_equal_to_true"].human_reachable
    closed = result.menu.nodes["say_closed"]
    assert "{%" not in closed.intro.say and "holiday" in closed.intro.say


def test_send_to_flex_alone_is_a_person():
    result = audit_one(corpus("twilio-studio/flex-callback-send-to-flex.json"))
    assert result.metrics.scenarios["default"].human_reachable
    assert not result.metrics.scenarios["enqueue_fails"].human_reachable


TEMPLATED = """\
{
  "description": "Templated IVR",
  "initial_state": "Trigger",
  "flags": ${ jsonencode({
    allow_concurrent_calls = true
  }) },
  "states": [
    {"name": "Trigger", "type": "trigger", "properties": {},
     "transitions": [{"event": "incomingCall", "next": "count"}]},
    {"name": "count", "type": "set-variables", "transitions": [{"event": "next", "next": "ask"}],
     "properties": {"variables": [{"key": "tries", "value": "{{flow.variables.tries | plus: 1}}"}]}},
    {"name": "ask", "type": "gather-input-on-call",
     "properties": {"say": "For ${var.team}, press 1.", "timeout": var.timeout},
     "transitions": [{"event": "keypress", "next": "route"}, {"event": "timeout", "next": "again"}]},
    {"name": "route", "type": "split-based-on", "properties": {"input": "{{widgets.ask.Digits}}"},
     "transitions": [{"event": "noMatch", "next": "again"},
       {"event": "match", "next": "agent", "conditions": [{"type": "equal_to", "value": "1"}]}]},
    {"name": "again", "type": "split-based-on", "properties": {"input": "{{flow.variables.tries}}"},
     "transitions": [{"event": "noMatch", "next": "count"},
       {"event": "match", "next": "agent", "conditions": [{"type": "greater_than", "value": "2"}]}]},
    {"name": "agent", "type": "send-to-flex", "properties": {"workflow": "${WORKFLOW_SID}"},
     "transitions": [{"event": "failedToEnqueue"}]}
  ]
}
"""


def test_a_terraform_templated_flow_with_a_retry_counter(tmp_path):
    path = tmp_path / "flow.json.tftpl"
    path.write_text(TEMPLATED, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--from", "studio", str(path), "-o",
                                       str(tmp_path / "out.yaml")])
    assert result.exit_code == 0, result.output
    run = audit_paths([str(path)], options=None, today="2026-01-01")
    assert not run.errors
    (line,) = run.results
    nodes = line.menu.nodes
    # the counter is followed: tries 1, 2, 3; at 3 "greater_than 2" holds -> agent
    asks = sorted(n for n in nodes if n.startswith("ask"))
    assert asks == ["ask_1", "ask_2", "ask_3"]
    assert nodes["ask_1"].on_timeout[0].target == "ask_2"
    assert nodes["ask_3"].on_timeout[0].target == "agent"
    assert nodes["ask_1"].pos.line == 12  # positions in the template itself
    assert nodes["ask_1"].timeout == 5  # `var.timeout` is not a number: Studio's default
    # silence: the prompt (5 words, 2 s) + 5 s, three times, then the person: 21 s
    silent = line.metrics.scenarios["default"].silent
    assert (silent.end, silent.seconds) == ("agent", 21)


# -- Genesys Archy ---------------------------------------------------------------------------


def test_openhours_menu_uses_the_flow_settings():
    # settingsMenu (line 59): menuSelectionTimeout 10 s, repeatCount 3; the menu's own are
    # noValue. Choice menuDisconnect digit_9; audio "You are at the Main Menu, press 9 to
    # disconnect." (10 words, 4 s); initialGreeting "Juan says Oi!" (3 words, 1.2 s)
    result = audit_one(corpus("genesys-archy/openhours-flow.yaml"))
    menu = result.menu.nodes["Main_Menu_10"]
    assert (menu.timeout, menu.max_failures, menu.pos.line) == (10, 4, 89)
    assert [(o.key, o.goto) for o in menu.options] == [("9", "hangup")]
    # silence: greeting 1.2 s, then four plays of 4 s + 10 s: 57.2 s, then disconnect
    silent = result.metrics.scenarios["default"].silent
    assert (silent.end, silent.seconds) == ("hangup", Fraction(572, 10))
    assert not assumed(result, "no menu selection timeout")  # the file sets it


def test_the_holiday_flow_never_reaches_its_menu():
    result = audit_one(corpus("genesys-archy/holiday-flow.yaml"))
    # startUpRef (line 4) names task Closed_12: play "We are closed for the holiday." and
    # disconnect; the main menu is reached by no call
    assert result.metrics.structure.unreachable == ["Main_Menu_10"]


def test_minimal_and_substituted_flows_use_the_documented_defaults():
    minimal = audit_one(corpus("genesys-archy/inboundcall-minimal-menu.yaml"))
    assert minimal.menu.nodes["mainMenu"].timeout == 10
    assert assumed(minimal, "Architect's default, 10 s")
    assert assumed(minimal, "Architect's default, 3")
    substituted = audit_one(corpus("genesys-archy/inboundcall-substitutions.yaml"))
    assert substituted.menu.ivr == "{{flow_name}}"
    assert substituted.menu.nodes["initial_greeting"].intro.say == "{{greeting}}"


def test_in_queue_hold_music_cannot_be_interrupted():
    result = audit_one(corpus("genesys-archy/inqueuecall-default.yaml"))
    # holdMusic (line 62): bargeInEnabled lit false; prompt exp Flow.HoldPrompt
    music = result.menu.nodes["Hold_Music"]
    assert (music.barge_in, music.next) == (False, "waiting_in_queue")
    assert assumed(result, "'Flow.HoldPrompt'")


ARCHY = """\
inboundCall:
  name: {{flow_name}}
  startUpRef: ./menus/menu[main]
  menus:
    - menu:
        name: Main
        refId: main
        audio:
          exp: AudioPlaybackOptions(ToAudioTTS("For billing, press 1. For an agent, press 0."), false)
        choices:
          - menuTransferToAcd:
              name: Agent
              dtmf: digit_0
              globalDtmf: true
              targetQueue:
                lit:
                  name: Support
          - menuSubMenu:
              name: Billing
              dtmf: digit_1
              menu:
                name: Billing
                refId: billing
                audio:
                  tts: Billing. Press 2 to go back.
                choices:
                  - menuPreviousMenu:
                      name: Back
                      dtmf: digit_2
  tasks:
    - task:
        name: Hours
        refId: hours
        actions:
          - evaluateScheduleGroup:
              name: Office
              outputs:
                open:
                  actions:
                    - jumpToMenu:
                        targetMenuRef: ./menus/menu[main]
                closed:
                  actions:
                    - transferToVoicemail:
                        name: Leave a message
"""


def test_archy_constructs(tmp_path):
    path = tmp_path / "flow.yaml"
    path.write_text(ARCHY, encoding="utf-8")
    result = audit_one(str(path))
    nodes = result.menu.nodes
    main_menu, billing = nodes["main"], nodes["billing"]
    assert main_menu.barge_in is False  # AudioPlaybackOptions(..., false)
    assert result.menu.ivr == "{{flow_name}}"  # an unquoted placeholder, kept as text
    agent = nodes[next(o.goto for o in main_menu.options if o.key == "0")]
    assert (agent.type, agent.queue) == ("human", "Support")
    # globalDtmf: the agent choice is offered in the billing menu too
    assert any(o.key == "0" and o.is_global for o in billing.options)
    back = next(o for o in billing.options if o.key == "2")
    assert back.goto == "main"  # menuPreviousMenu: the menu it was reached from
    # "For billing, press 1." 4 words + "For an agent, press 0." 5 words, all forced: 3.6 s
    assert result.metrics.scenarios["default"].forced_seconds_to_human == Fraction(36, 10)
    assert "closed" in result.metrics.scenarios and "Leave_a_message" in nodes


@pytest.mark.parametrize("text, message", [
    ("inboundCall:\n  name: x\n  startUpRef: ./menus/menu[nope]\n  menus: []\n",
     "3:15: error: startUpRef names menu 'nope', which the flow does not define"),
    ("inboundCall:\n  name: x\n  startUpRef: ./tasks/task[t]\n  tasks:\n    - task:\n"
     "        refId: t\n        actions:\n          - playAudoi:\n              name: p\n",
     "error: unknown action 'playAudoi' (did you mean 'playAudio'?)"),
    ("inboundCall:\n  name: [x\n", "error: invalid YAML"),
])
def test_bad_archy_files_are_exit_2(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "--from", "archy", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert message in result.stderr


def test_a_call_connected_to_a_number_is_taken_to_reach_a_person(tmp_path):
    """Studio's connect-call-to and Archy's transferToNumber put the call through to a number:
    a person, as an assumption (as Asterisk Dial, FreeSWITCH bridge and NCCO connect are)."""
    studio = tmp_path / "flow.json"
    studio.write_text(
        '{"description": "x", "initial_state": "Trigger", "states": [\n'
        ' {"name": "Trigger", "type": "trigger", "properties": {},\n'
        '  "transitions": [{"event": "incomingCall", "next": "dial"}]},\n'
        ' {"name": "dial", "type": "connect-call-to", "properties": {"to": "+15550100"},\n'
        '  "transitions": [{"event": "callCompleted"}]}]}\n', encoding="utf-8")
    result = audit_one(str(studio))
    assert result.metrics.scenarios["default"].human_reachable
    assert assumed(result, "the call connected to +15550100 is taken to be answered by a person")
    archy = tmp_path / "flow.yaml"
    archy.write_text("inboundCall:\n  name: x\n  startUpRef: ./tasks/task[t]\n  tasks:\n"
                     "    - task:\n        name: t\n        refId: t\n        actions:\n"
                     "          - transferToNumber:\n              name: out\n"
                     "              targetNumber:\n                lit: \"+15550100\"\n",
                     encoding="utf-8")
    result = audit_one(str(archy))
    assert result.metrics.scenarios["default"].human_reachable
    assert assumed(result, "the call put through to +15550100 is taken to be answered by a "
                           "person")
