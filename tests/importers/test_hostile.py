"""Hostile platform files: every one is refused with exit 2 at its file, line and column, or read
within a bounded time; never a traceback, never a hang (the reviews of the importers found
each of these; the files are built here, small, with the place each error must name)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from helpers import time_bound
from importers.written import write
from ivraudit.cli import main

BOUND = 30  # seconds; each case takes well under one


def run(*args: str):
    with time_bound(BOUND):
        result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.stderr
    return result


def refused(path, line: int, column: int, *args: str) -> str:
    """Exit 2 whose first line is ``path:line:column: error: ...``; that line."""
    result = run("audit", *args, str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{line}:{column}: error: "), first
    return first


def audited(path, *args: str) -> dict:
    """The JSON report of a file that reads (exit 0 or 1)."""
    result = run("audit", "--format", "json", "--fail-on", "never", *args, str(path))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["menus"][0]


# -- nesting: every walk over an XML or YAML file recurses ------------------------------------

def test_xml_nested_past_64_levels_is_refused_where_it_goes_too_deep(tmp_path):
    # <vxml> (level 1), <form> (2), <block> (3): 6 + 6 + 7 = 19 characters; then 62 <if>, each
    # `<if cond="a">` 13 characters: the 62nd <if> is level 65, at column 20 + 13 x 61 = 813
    path = write(tmp_path, "deep.vxml", '<vxml><form><block>' + '<if cond="a">' * 62 + 'hi'
                 + '</if>' * 62 + '</block></form></vxml>')
    assert "nested more than 64 levels" in refused(path, 1, 813)


def test_xml_nested_63_levels_reads(tmp_path):
    path = write(tmp_path, "deep.vxml", '<vxml><var name="a" expr="1"/><form><block>'
                 + '<if cond="a == 1">' * 59 + '<prompt>hi</prompt>' + '</if>' * 59
                 + '</block></form></vxml>')
    menu = audited(path)
    assert menu["scenarios"]["default"]["metrics"]["silent_end"] == "hangup"


def test_a_freeswitch_file_nested_too_deep_is_refused(tmp_path):
    path = write(tmp_path, "ivr.xml", '<configuration name="ivr.conf"><menus>'
                 '<menu name="m" greet-long="say:hi"><entry action="menu-exit" digits="1"/>'
                 + "<x>" * 70 + "</x>" * 70 + "</menu></menus></configuration>")
    # levels: configuration 1, menus 2, menu 3 (entry 4 closes at once), x 4...: the 62nd <x>
    # is level 65; the tags before the first <x> are 31 + 7 + 35 + 38 = 111 characters, so it
    # is at column 112 + 3 x 61 = 295
    assert "nested more than 64 levels" in refused(path, 1, 295)


def test_archy_yaml_nested_too_deep_is_refused(tmp_path):
    deep = '"x"'
    for _ in range(600):
        deep = '{"a": ' + deep + '}'
    path = write(tmp_path, "flow.yaml", "inboundCall:\n  name: x\n  junk: " + deep + "\n")
    # the file's mapping is level 0, inboundCall's 1, junk's value (line 3, column 9) 2; the
    # first mapping past level 64 is 63 mappings further in, each `{"a": ` 6 characters:
    # column 9 + 63 x 6 = 387
    assert "nested more than 64 levels" in refused(path, 3, 387, "--from", "archy")


# -- conditions: parsed, never executed; too deep or too big is "decided at run time" ---------

@pytest.mark.parametrize("condition", ["(" * 3000 + "a == 1" + ")" * 3000, "!" * 3000 + "a",
                                       "a &lt; 1" + "0" * 400])
def test_a_vxml_condition_too_deep_or_too_big_is_a_run_time_condition(tmp_path, condition):
    path = write(tmp_path, "if.vxml", f'<vxml version="2.1"><var name="a" expr="{"9" * 400}"/>'
                 f'<form id="f"><block><if cond="{condition}"><prompt>yes</prompt><else/>'
                 '<prompt>no</prompt></if></block></form></vxml>')
    menu = audited(path)
    assert len(menu["scenarios"]) == 2  # default (it does not hold) and the one where it does


def test_an_asterisk_condition_too_deep_is_a_run_time_condition(tmp_path):
    path = write(tmp_path, "extensions.conf", "[main]\nexten => s,1,Set(C=1)\n"
                 " same => n,GotoIf($[" + "(" * 3000 + "${C} = 1" + ")" * 3000 + "]?bye)\n"
                 " same => n,Background(menu)\n same => n,WaitExten()\n"
                 " same => n(bye),Hangup()\nexten => 1,1,Queue(sales)\n")
    menu = audited(path)
    assert len(menu["scenarios"]) >= 2


# -- size: a long dialplan is followed without recursion --------------------------------------

def test_an_asterisk_call_path_of_3000_priorities_and_3000_contexts_is_followed(tmp_path):
    lines = ["[main]", "exten => s,1,Background(menu)", " same => n,WaitExten()",
             "exten => 1,1,Goto(c0,s,1)"]
    for i in range(3000):
        lines += [f"[c{i}]", f"exten => s,1,Playback(x{i})", f" same => n,Goto(c{i + 1},s,1)"]
    lines += ["[c3000]", "exten => s,1,Queue(sales)"]
    path = write(tmp_path, "extensions.conf", "\n".join(lines) + "\n")
    metrics = audited(path)["scenarios"]["default"]["metrics"]
    # key 1, then 3000 Playback()s of one word ("x0"...: 0.4 s each, forced), then the queue
    assert (metrics["steps_to_human"], metrics["forced_seconds_to_human"]) == (1, 1200.0)


def test_an_archy_chain_of_1000_tasks_jumping_to_the_next_is_followed(tmp_path):
    # each task plays "step N" (2 words, 0.8 s, barge-in on: no forced seconds) and jumps on;
    # the last one transfers to a queue: a person after 1000 prompts, 800 s of listening
    text = "inboundCall:\n  name: Chain\n  startUpRef: ./tasks/task[t0]\n  tasks:\n"
    for i in range(1000):
        text += (f"    - task:\n        name: t{i}\n        refId: t{i}\n        actions:\n"
                 f"          - playAudio:\n              name: p{i}\n              audio:\n"
                 f"                tts: step {i}\n          - jumpToTask:\n"
                 f"              name: j{i}\n              targetTaskRef: ./tasks/task[t{i + 1}]\n")
    text += ("    - task:\n        name: t1000\n        refId: t1000\n        actions:\n"
             "          - transferToAcd:\n              name: q\n              targetQueue:\n"
             "                lit:\n                  name: Q\n")
    path = write(tmp_path, "flow.yaml", text)
    metrics = audited(path)["scenarios"]["default"]["metrics"]
    assert (metrics["human_reachable"], metrics["listen_seconds_to_human"]) == (True, 800.0)


def test_an_asterisk_include_chain_of_3000_contexts_is_searched(tmp_path):
    lines = ["[main]", "include => i0", "exten => s,1,Background(menu)", " same => n,WaitExten()"]
    lines += [f"[i{i}]\ninclude => i{i + 1}" for i in range(3000)]
    lines += ["[i3000]", "exten => 0,1,Queue(operator)"]
    path = write(tmp_path, "extensions.conf", "\n".join(lines) + "\n")
    metrics = audited(path)["scenarios"]["default"]["metrics"]
    assert metrics["one_key_human"] == {"main.s.1": [{"key": "0", "announced": False}]}


def test_an_asterisk_pattern_class_that_runs_backwards_is_no_option(tmp_path):
    # `_[9-0]X` is no pattern Asterisk matches (a range runs upwards); `_[1-2]X` is, and stands
    # as its first match, 10
    path = write(tmp_path, "extensions.conf", "[main]\nexten => s,1,Background(menu)\n"
                 " same => n,WaitExten()\nexten => _[9-0]X,1,Queue(a)\n"
                 "exten => _[1-2]X,1,Queue(b)\n")
    metrics = audited(path)["scenarios"]["default"]["metrics"]
    assert [row["key"] for row in metrics["paths"]["steps"]] == ["10", None]


@pytest.mark.parametrize("value", ["1e999999999", "9" * 5000, "nan", "-inf"])
def test_asterisk_numbers_in_scientific_or_huge_notation_are_not_numbers(tmp_path, value):
    # Wait(1e999999999) would take Python minutes to expand: it is no number, so no pause
    path = write(tmp_path, "extensions.conf", f"[main]\nexten => s,1,Wait({value})\n"
                 f" same => n,Set(TIMEOUT(response)={value})\n same => n,Background(menu)\n"
                 f" same => n,WaitExten({value})\n"
                 f"exten => 1,1,Read(ACCOUNT,enter-account,{value})\n same => n,Queue(q)\n")
    menu = audited(path)
    metrics = menu["scenarios"]["default"]["metrics"]
    assert metrics["forced_seconds_to_human"] == 0.0


def test_asterisk_read_digits_are_capped_at_255_as_read_does(tmp_path):
    path = write(tmp_path, "extensions.conf", "[main]\nexten => s,1,Background(menu)\n"
                 " same => n,WaitExten()\nexten => 1,1,Read(ACCOUNT,enter-account,9999)\n"
                 " same => n,Queue(q)\n")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert re.search(r"digits:\n\s+min: 1\n\s+max: 255\n", result.stdout)


# -- unrolling: loops in loops, counters, retries never multiply past a bound ------------------

def _connect_loops(depth: int, count: int) -> dict:
    """A Connect flow with ``depth`` Loops, each inside the one before, around one message."""
    actions = []
    for i in range(depth):
        inner, outer = f"L{i + 1}" if i < depth - 1 else "m", f"L{i - 1}" if i else "end"
        actions.append({"Identifier": f"L{i}", "Type": "Loop",
                        "Parameters": {"LoopCount": str(count)},
                        "Transitions": {"NextAction": outer, "Conditions": [
                            {"NextAction": inner, "Condition": {
                                "Operator": "Equals", "Operands": ["ContinueLooping"]}},
                            {"NextAction": outer, "Condition": {
                                "Operator": "Equals", "Operands": ["DoneLooping"]}}]}})
    actions += [{"Identifier": "m", "Type": "MessageParticipant", "Parameters": {"Text": "hi"},
                 "Transitions": {"NextAction": f"L{depth - 1}"}},
                {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {},
                 "Transitions": {}}]
    return {"Version": "2019-10-30", "StartAction": "L0", "Actions": actions}


def test_connect_loops_inside_loops_unroll_with_fewer_turns_and_say_so(tmp_path):
    # 4 loops of 20 turns inside each other: 20 + 20^2 + 20^3 + 20^4 = 168,420 copies of the
    # message; at 5 turns: 5 + 25 + 125 + 625 = 780 messages, the first count that fits
    path = write(tmp_path, "flow.json", json.dumps(_connect_loops(4, 20)))
    menu = audited(path)
    assert menu["scenarios"]["default"]["metrics"]["silent_end"] == "hangup"
    messages = [f["message"] for f in menu["findings"] if f["rule"] == "IVR038"]
    assert any("each Loop is taken as at most 5 turn(s)" in m for m in messages)
    result = run("import", str(path))
    assert result.stdout.count("type: message") == 780


def test_connect_input_timeouts_connect_does_not_accept_are_its_default(tmp_path):
    for written in ("nan", "-5", "1e400", "0", "180"):
        flow = {"Version": "2019-10-30", "StartAction": "m", "Actions": [
            {"Identifier": "m", "Type": "GetParticipantInput",
             "Parameters": {"Text": "Press 1 for sales.", "InputTimeLimitSeconds": written},
             "Transitions": {"NextAction": "d", "Conditions": [{"NextAction": "q", "Condition": {
                 "Operator": "Equals", "Operands": ["1"]}}], "Errors": [
                 {"NextAction": "d", "ErrorType": "NoMatchingCondition"},
                 {"NextAction": "d", "ErrorType": "InputTimeLimitExceeded"}]}},
            {"Identifier": "q", "Type": "TransferContactToQueue", "Transitions": {}},
            {"Identifier": "d", "Type": "DisconnectParticipant", "Transitions": {}}]}
        path = write(tmp_path, "flow.json", json.dumps(flow))
        menu = audited(path)
        # "Press 1 for sales." is 4 words (1.6 s), then 5 s of silence, then the call ends
        assert menu["scenarios"]["default"]["metrics"]["silent_end"] == "hangup"
        assert any(f"input timeout ({written}) is not one Connect accepts" in f["message"]
                   for f in menu["findings"]), written


def test_studio_say_loops_past_99_are_99_plays(tmp_path):
    flow = {"description": "loop", "initial_state": "Trigger", "states": [
        {"name": "Trigger", "type": "trigger", "properties": {},
         "transitions": [{"event": "incomingCall", "next": "hello"}]},
        {"name": "hello", "type": "say-play", "transitions": [{"event": "audioComplete"}],
         "properties": {"say": "hello there", "loop": 1000000000}}]}
    path = write(tmp_path, "flow.json", json.dumps(flow))
    menu = audited(path)  # a billion copies of the text took 17 GB before
    # "hello there": 2 words, 0.8 s, played 99 times: 79.2 s before the call ends
    assert menu["scenarios"]["default"]["metrics"]["silent_seconds_to_human"] is None
    assert any("taken as 99" in f["message"] for f in menu["findings"])
    result = run("audit", "--format", "json", "--fail-on", "never", str(path))
    assert '"hung up on after 79.2 s"' not in result.stdout  # the finding says it in words
    assert "79.2 s" in run("audit", "--fail-on", "never", str(path)).stdout


@pytest.mark.parametrize("written", ["1e999999999", "NaN", -3, "1e+300"])
def test_ncco_loop_values_vonage_does_not_take_are_assumptions(tmp_path, written):
    path = write(tmp_path, "ncco.json", json.dumps([{"action": "talk", "text": "hi",
                                                     "loop": written}]))
    menu = audited(path)  # Fraction("1e999999999") took minutes before
    assert any(f"loop {written!r}" in f["message"] for f in menu["findings"])


def test_ncco_dtmf_settings_out_of_range_are_the_nearest_allowed(tmp_path):
    path = write(tmp_path, "ncco.json", json.dumps([
        {"action": "talk", "text": "Press a key.", "bargeIn": True},
        {"action": "input", "dtmf": {"maxDigits": 0, "timeOut": 60, "submitOnHash": True}}]))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    # maxDigits 1 to 20: 0 is 1; timeOut 0 to 10 s: 60 is 10 (vonage-python-sdk)
    assert "digits: 1\n" in result.stdout and "timeout: 10\n" in result.stdout
    assert "maxDigits 0 is out of the range Vonage allows (1 to 20): taken as 1" in result.stderr


def test_freeswitch_a_billion_tries_is_a_menu_that_never_gives_up(tmp_path):
    path = write(tmp_path, "ivr.conf.xml", '<configuration name="ivr.conf"><menus>\n'
                 '<menu name="m" greet-long="say:Press 1 for sales." invalid-sound="say:Wrong."'
                 ' exit-sound="say:Bye." max-failures="1000000000" timeout="5000">\n'
                 '<entry action="menu-exec-app" digits="1" param="transfer 100 XML default"/>'
                 '\n</menu></menus></configuration>\n')
    menu = audited(path)  # a list of a billion retries took 7 GB before
    metrics = menu["scenarios"]["default"]["metrics"]
    assert metrics["silent_end"] == "loop"  # max-timeouts is max-failures: it never gives up


def test_archy_numbers_and_audio_expressions_that_are_no_plain_values(tmp_path):
    deep = "ToAudioTTS(" * 200 + '"hi"' + ")" * 200
    path = write(tmp_path, "flow.yaml", f"""\
inboundCall:
  name: Odd values
  startUpRef: ./menus/menu[main]
  settingsMenu:
    menuSelectionTimeout:
      lit:
        seconds: nan
    repeatCount:
      lit: -2
  menus:
    - menu:
        name: Main
        refId: main
        audio:
          exp: '{deep}'
        choices:
          - menuDisconnect:
              name: Bye
              dtmf: digit_9
""")
    menu = audited(path, "--from", "archy")
    messages = [f["message"] for f in menu["findings"] if f["rule"] == "IVR038"]
    # seconds: nan and repeatCount -2 are no values Architect takes: its defaults, 10 s and 3
    assert any("Architect's default, 10 s" in m for m in messages)
    assert any("Architect's default, 3" in m for m in messages)
    assert any("run-time value" in m for m in messages)  # the expression nested 200 deep


@pytest.mark.parametrize("repeat, item", [("0-999999999", ""), ("1-99999999", "<tag>x</tag>"),
                                          ("1-9999999", "<one-of></one-of>")])
def test_vxml_srgs_repeats_without_keys_end(tmp_path, repeat, item):
    path = write(tmp_path, "g.vxml", '<vxml version="2.1"><form><field name="f">'
                 f'<grammar mode="dtmf" root="r"><rule id="r"><item repeat="{repeat}">{item}'
                 '</item></rule></grammar><prompt>enter</prompt><filled><goto next="#x"/>'
                 '</filled></field></form><form id="x"><block>bye</block></form></vxml>')
    assert audited(path)  # the repeat loop spelled out keys a billion times before


def test_vxml_grammar_lengths_that_are_no_counts_are_the_defaults(tmp_path):
    path = write(tmp_path, "g.vxml", '<vxml version="2.1"><form><field name="f">'
                 '<grammar mode="dtmf" type="X-OPAL/digits">minDigits=abc; '
                 'maxDigits=99999999999999999999</grammar><prompt>enter</prompt></field>'
                 '</form></vxml>')
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert re.search(r"digits:\n\s+min: 1\n\s+max: 16\n", result.stdout)  # OPAL's defaults


def test_a_flow_past_the_node_cap_is_refused_where_it_was(tmp_path, monkeypatch):
    # the cap (20,000 nodes) lowered to 50 for the test: a dialplan whose call passes 100
    # contexts, each one Playback() node; the 51st node is c49's Playback, on line
    # 4 + 3 x 49 + 2 = 153 (4 lines of [main], then 3 lines per context), column 10
    monkeypatch.setattr("ivraudit.importers.base.MAX_NODES", 50)
    lines = ["[main]", "exten => s,1,Background(menu)", " same => n,WaitExten()",
             "exten => 1,1,Goto(c0,s,1)"]
    for i in range(100):
        lines += [f"[c{i}]", f"exten => s,1,Playback(x{i})", f" same => n,Goto(c{i + 1},s,1)"]
    lines += ["[c100]", "exten => s,1,Queue(sales)"]
    path = write(tmp_path, "extensions.conf", "\n".join(lines) + "\n")
    assert "unrolls into more than 50 nodes" in refused(path, 153, 10)


def test_an_ncco_of_more_actions_than_the_node_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("ivraudit.importers.base.MAX_NODES", 50)
    path = write(tmp_path, "ncco.json", "[" + ",\n".join(
        '{"action": "talk", "text": "hi"}' for _ in range(60)) + "]\n")
    # the 51st action is on line 51, column 1
    assert "unrolls into more than 50 nodes" in refused(path, 51, 1)


# -- output: what a platform file says is shown, never acted on; XML is never fetched ---------

def test_import_writes_control_characters_as_escapes_that_read_back(tmp_path):
    path = write(tmp_path, "ncco.json", json.dumps([
        {"action": "talk", "text": "\u202eevil \x1b]0;title\x07 中文", "bargeIn": False},
        {"action": "input", "dtmf": {"maxDigits": "\n::error::FORGED"}}]))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert 'say: "\\u202Eevil \\e]0;title\\a \\u4E2D\\u6587"' in result.stdout
    for text in (result.stdout, result.stderr):
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)
        assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
    written = tmp_path / "menu.yaml"
    assert run("import", str(path), "-o", str(written)).exit_code == 0
    from ivraudit.format.loader import load_file
    menu = load_file(str(written))
    assert menu.nodes[menu.entry].intro.say == "\u202eevil \x1b]0;title\x07 中文"


def test_xml_declaring_an_encoding_python_lacks_is_refused(tmp_path):
    path = write(tmp_path, "menu.vxml", '<?xml version="1.0" encoding="nan"?>\n<vxml/>\n')
    assert "declares an encoding ivraudit cannot read" in refused(path, 1, 1)


def test_an_external_dtd_is_read_past_and_never_fetched(tmp_path):
    # the DTD named is a file that is not a DTD: had it been read, the XML would not parse
    (tmp_path / "evil.dtd").write_text("<!ELEMENT broken", encoding="utf-8")
    path = write(tmp_path, "menu.vxml", '<?xml version="1.0"?>\n<!DOCTYPE vxml SYSTEM '
                 f'"file://{tmp_path}/evil.dtd">\n<vxml version="2.1"><form><block>'
                 '<prompt>Goodbye.</prompt></block></form></vxml>\n')
    assert audited(path)["scenarios"]["default"]["metrics"]["silent_end"] == "hangup"


def test_entities_in_a_dtd_are_refused_at_their_declaration(tmp_path):
    path = write(tmp_path, "menu.vxml", '<?xml version="1.0"?>\n<!DOCTYPE vxml [\n'
                 ' <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
                 '<vxml version="2.1"><form><block>&b;</block></form></vxml>\n')
    # expat stops at the first declaration's value: line 3, column 13 (after ` <!ENTITY a `)
    assert "declares an entity ('a')" in refused(path, 3, 13)


def test_a_sound_file_named_by_a_placeholder_says_only_its_words():
    from ivraudit.importers.speech import name_words
    # vanilla-lang-en-new-demo-ivr-phrases.xml line 106: data="[[sounds from tony/brian]]"
    assert name_words("[[sounds from tony/brian]]") == "brian"
    assert name_words("file:menu_prompt.wav") == "menu prompt"
    assert name_words("ivr/ivr-to_call_the_freeswitch_conference.wav") == \
        "to call the freeswitch conference"
