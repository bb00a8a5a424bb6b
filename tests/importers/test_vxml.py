"""VoiceXML importer: facts checked by hand against each corpus file (the line each comes from is
named), the constructs the corpus lacks on small documents written here, and bad input."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from helpers import assumed
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main
from ivraudit.format.model import Action

FILES = corpus_files("voicexml")


def imported(*names: str):
    """The audit result of the first corpus file (with the others among the inputs)."""
    run = audit_paths([corpus("voicexml/" + name) for name in names], today="2026-01-01")
    assert not run.errors, [error.format() for error in run.errors]
    return run.results[0]


def kinds(actions: tuple[Action, ...]) -> list[str]:
    return [action.label for action in actions]


@pytest.mark.parametrize("name", FILES)
def test_every_corpus_file_imports_and_audits(name):
    run = audit_paths([corpus(name)], today="2026-01-01")
    assert not run.errors and run.results


def test_opal_server_menu_forced_welcome_30s_and_one_strike_silence():
    result = imported("opal-server-main-menu.vxml")
    main = result.menu.nodes["MainMenu"]
    assert (main.pos.line, main.pos.column) == (5, 3)  # <menu id="MainMenu">
    assert main.barge_in is False  # line 11: <prompt bargein="false">
    assert main.timeout == 30  # line 8: <property name="timeout" value="30s"/>
    assert [o.key for o in main.options] == ["1", "2", "3", "4", "5", "0"]  # lines 19-39
    assert main.options[0].speech == ("Press 1 to create or join a conference",)  # line 20
    # lines 44-51: <noinput> plays "Nothing entered, disconnecting." then <disconnect/>
    assert kinds(main.on_timeout) == ["hangup"]
    assert main.on_timeout[0].message.say == "Nothing entered, disconnecting."
    assert result.scenarios["default"].silent.end == "hangup"
    # line 60: <goto nextitem="MainMenu"/> names a dialog: read as a goto, and flagged there
    assert kinds(main.on_invalid) == ["goto:MainMenu"] and main.max_failures is None
    assert [f.line for f in assumed(result, "nextitem 'MainMenu' names a dialog")] == [60]
    conference = result.menu.nodes["Conference"]  # lines 125-140: X-OPAL/digits 1-5, '#'
    assert (conference.type, conference.digits_min, conference.digits_max,
            conference.terminator) == ("input", 1, 5, "#")
    transfer = result.menu.nodes[conference.next]  # line 148, in the form-level <filled>
    assert (transfer.type, transfer.to, transfer.person) == ("transfer", "'mcu:'+enteredDigits",
                                                             True)


def test_opal_test_menu_operator_on_4_and_an_invalid_transfer_type_is_flagged():
    result = imported("opal-ivr-test-menu.vxml")
    default = result.scenarios["default"]
    assert default.steps_to_human == 1 and default.paths["steps"][0] == ("MainMenu", "4")
    operator = result.menu.nodes["GetOperator"]  # line 105
    assert (operator.type, operator.to, operator.intro.say) == (
        "transfer", "sip:500@ekiga.net",
        "Please wait while we transfer you to the first available operator.")
    # line 151: <transfer type="false"> is not mapped: the error goes to the form's <error>
    # handler (lines 163-168): "Transfer failed." then back to the main menu
    (flag,) = assumed(result, "type='false'")
    assert flag.line == 151
    entered = result.menu.nodes[result.menu.nodes["DoTransfer"].next]
    failed = result.menu.nodes[entered.next]
    assert (failed.intro.say, failed.next) == ("Transfer failed.", "MainMenu")


def test_opal_mcu_bare_vxml_without_version_or_namespace():
    result = imported("opal-mcu-conference-digits.vxml")
    entry = result.menu.nodes[result.menu.entry]
    assert (entry.type, entry.digits_min, entry.digits_max, entry.terminator) == (
        "input", 1, 5, "#")  # lines 5-9
    assert entry.intro.say == "This is the OPAL, M C U test program, please select a conference."


def test_movies_menu_without_handlers_and_a_field_that_reprompts_forever():
    result = imported("jvxml-movies-menu.vxml")
    menu = result.menu.nodes["mainmenu"]
    # lines 3-7: no handlers at all: the platform defaults (nomatch: its audio, then the prompt
    # again; noinput: the prompt again), with no limit
    assert kinds(menu.on_timeout) == ["replay"] and menu.max_failures is None
    assert menu.on_invalid[0].message.say == "Sorry, I did not understand."
    assert assumed(result, "no <nomatch> handler")
    assert result.scenarios["default"].silent.end == "loop"
    watch = result.menu.nodes["watch"]
    assert watch.timeout == 10  # line 15: <prompt timeout="10s">
    # lines 17-20: noinput count 1 and 2 both reprompt, each with its own message
    assert kinds(watch.on_timeout) == ["replay", "replay"]
    assert [a.message.say for a in watch.on_timeout] == ["Please say something!",
                                                         "Please say a film title!"]
    assert [o.key for o in watch.options] == [None]  # a speech grammar only (line 16)


def test_unit_dtmf_menu_two_keys_and_no_person():
    result = imported("jvxml-unit-dtmf-menu.vxml")
    menu = result.menu.nodes["mainmenu"]
    assert [(o.key, o.goto) for o in menu.options] == [("1", "yes"), ("2", "no")]  # lines 6-7
    assert result.scenarios["default"].human_reachable is False
    assert any(f.rule == "IVR001" for f in result.findings)


def test_hellodtmf_audio_without_text_is_estimated_from_its_name_and_said_so():
    result = imported("jvxml-mobicents-hellodtmf.vxml")
    menu = result.menu.nodes["mainmenu"]
    assert menu.intro.say == "ivr Client Welcome"  # line 5: .../ivrClientWelcome.wav
    (flag,) = [f for f in assumed(result, "ivrClientWelcome.wav") if "mainmenu" in f.nodes]
    assert any("--prompts" in o.message for o in flag.where if "ivrClientWelcome.wav" in o.message)


def test_pizza_forced_welcome_and_a_spoken_only_dialogue():
    result = imported("jvxml-pizza-mixed-initiative.vxml")
    welcome = result.menu.nodes[result.menu.entry]
    assert (welcome.type, welcome.barge_in) == ("message", False)  # line 14
    assert welcome.intro.say == "Welcome to the JVoiceXML pizza service!"
    start = result.menu.nodes[welcome.next]  # <initial>, line 19: speech only
    assert start.type == "menu" and all(o.key is None for o in start.options)
    # lines 24-31: noinput count 1 says something and reprompts, count 2 reprompts
    assert kinds(start.on_timeout) == ["replay", "replay"]
    assert start.on_timeout[0].message.say == "Please say something."


def test_dialog_start_retry_ladder_falls_back_to_count_1():
    result = imported("jvxml-talkinghead-dialog-start.vxml")
    start = result.menu.nodes["start"]
    assert result.menu.locale == "de"  # line 4: xml:lang="de"
    # lines 32-38: nomatch count 1 reprompts, count 3 goes to generated/ActionsList.vxml: the
    # 2nd nomatch takes the count-1 handler again
    assert kinds(start.on_invalid)[:2] == ["replay", "replay"]
    leave = result.menu.nodes[start.on_invalid[2].target]
    assert (leave.type, leave.to) == ("transfer", "generated/ActionsList.vxml")
    # lines 40-49: noinput count 1 reprompts, count 2 says "Ich kann sie nicht hören." and exits
    assert kinds(start.on_timeout) == ["replay", "hangup"]
    assert start.on_timeout[1].message.say == "Ich kann sie nicht hören."
    assert result.scenarios["default"].silent.end == "hangup"


def test_select_licht_is_a_spoken_menu_a_keypad_caller_cannot_use():
    result = imported("jvxml-talkinghead-select-licht.vxml")
    menu = result.menu.nodes[result.menu.entry]
    assert not menu.keyed_options  # line 7: a speech grammar (../numbers.srgs) only
    assert [o.speech for o in menu.options][:3] == [("0",), ("1",), ("2",)]  # lines 46-62
    assert kinds(menu.on_invalid) == ["replay"]  # line 29: count-less nomatch reprompts
    assert kinds(menu.on_timeout) == ["replay", "hangup"]  # lines 33-43


def test_yesno_nomatch_without_reprompt_waits_again():
    result = imported("jvxml-unit-input-yesno.vxml")
    field = result.menu.nodes[result.menu.entry]
    # lines 17-21: the nomatch handler speaks and has no <reprompt/>
    assert kinds(field.on_invalid) == ["reprompt"]
    assert assumed(result, "ends without <reprompt/>")


def test_zip_code_digits_without_length_end_with_the_pound_key():
    result = imported("jvxml-servlets-dtmf-zip.vxml")
    field = result.menu.nodes[result.menu.entry]
    assert (field.type, field.digits_min, field.terminator, field.asks) == (
        "input", 1, "#", "zipcode")  # line 9: builtin:dtmf/digits


def test_vb_sms_handlers_at_two_scopes_highest_count_then_innermost():
    result = imported("jvxml-mobicents-vb-sms-talk.vxml")
    startup = result.menu.nodes["frm_startup"]
    # line 191: the field's count-less <noinput> reprompts; line 136: the document's
    # <noinput count="2"> exits: the 2nd silence ends the call
    assert kinds(startup.on_timeout) == ["replay", "hangup"]
    assert (startup.type, startup.digits_min, startup.terminator) == ("input", 4, None)  # 205
    intro = result.menu.nodes["frm_gioi_thieu"]
    assert [(o.key, o.goto) for o in intro.options] == [("1", "frm_startup")]  # lines 160-177


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_links_menu_numbering_and_a_document_among_the_inputs(tmp_path):
    write(tmp_path, "main.vxml", """\
        <vxml version="2.1" xmlns="http://www.w3.org/2001/vxml">
          <link dtmf="0" next="#operator"/>
          <menu id="main" dtmf="true">
            <prompt>For sales press 1. For billing press 2.</prompt>
            <choice next="sales.vxml">sales</choice>
            <choice next="#operator">billing</choice>
          </menu>
          <form id="operator"><transfer dest="tel:+15550100"/></form>
        </vxml>
        """)
    write(tmp_path, "sales.vxml", """\
        <vxml version="2.1" xmlns="http://www.w3.org/2001/vxml">
          <form><block><prompt>Sales is closed.</prompt><disconnect/></block></form>
        </vxml>
        """)
    run = audit_paths([str(tmp_path)], today="2026-01-01")
    assert not run.errors
    (line,) = run.results  # sales.vxml is audited inside main.vxml, where the call goes
    main = line.menu.nodes["main"]
    assert [(o.key, o.segment.say if o.segment else None) for o in main.options] == [
        ("1", "For sales press 1."), ("2", "For billing press 2."), ("0", None)]
    assert main.options[2].is_global
    sales = line.menu.nodes[line.menu.nodes[main.options[0].goto].else_]
    assert sales.type == "hangup" and sales.pos.path.endswith("sales.vxml")
    assert line.scenarios["default"].steps_to_human == 1


def test_malformed_xml_and_entities_are_exit_2_with_the_place(tmp_path):
    broken = write(tmp_path, "broken.vxml", """\
        <vxml version="2.1">
          <form><block>Hello</blok></form>
        </vxml>
        """)
    bomb = write(tmp_path, "bomb.vxml", """\
        <?xml version="1.0"?>
        <!DOCTYPE vxml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
        <vxml version="2.1"><form><block>&b;</block></form></vxml>
        """)
    for path, where, what in ((broken, ":2:23:", "not well-formed"), (bomb, ":2:", "entity")):
        result = CliRunner().invoke(main, ["audit", str(path)])
        assert result.exit_code == 2, result.output
        assert f"{path}{where}" in result.stderr and what in result.stderr
        assert "Traceback" not in result.output
