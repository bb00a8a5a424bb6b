"""Scripted calls (`ivraudit simulate --keys`) and the interactive phone (`ivraudit call`).

The expected times below are worked out by hand from the SPEC (sections 2, 3 and 5), in the
comments beside them.
"""

from __future__ import annotations

import json
import os
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit.audit.auditor import audit_file
from ivraudit.cli import main
from ivraudit.format.loader import load_text
from ivraudit.simulate.call import Call
from ivraudit.simulate.script import parse_keys, path_keys, run_script
from ivraudit.simulate.errors import SimulateError

EXAMPLES = sorted(MENUS.glob("*.yaml"))

# A message, then a menu: P(main) = 3 + 2 + 2.5 + 1 = 8.5 s; option 0 announced at 7.5 s.
HAND_A = """\
ivr: Hand line A
format: 1
entry: hello
nodes:
  hello: {type: message, say: Hello., duration: 2, next: main}
  main:
    type: menu
    say: Main menu.
    duration: 3
    timeout: 5
    max_failures: 2
    on_invalid: {say: Sorry., duration: 1.5, then: reprompt}
    on_timeout: replay
    on_exhausted: {say: Goodbye., duration: 2, then: hangup}
    options:
      - {key: 1, say: For sales press 1., duration: 2, goto: sales}
      - {key: 0, say: For a person press 0., duration: 2.5, goto: agent}
    outro: {say: To hear again press star., duration: 1}
  sales: {type: message, say: Sales is closed., duration: 4, next: hangup}
  agent: {type: human}
"""

# Forced audio: a 4 s notice, then a forced menu (P = 2 + 2 + 2 = 6 s); an input for a PIN.
HAND_B = """\
ivr: Hand line B
format: 1
entry: notice
nodes:
  notice: {type: message, say: Calls are recorded., duration: 4, barge_in: false, next: main}
  main:
    type: menu
    barge_in: false
    say: Welcome.
    duration: 2
    timeout: 4
    on_invalid: restart
    on_timeout: reprompt
    options:
      - {key: 1, say: Billing press 1., duration: 2, goto: billing}
      - {key: 2, say: Account press 2., duration: 2, goto: account}
  billing:
    type: menu
    say: Billing.
    duration: 1
    options:
      - {key: 0, say: Person press 0., duration: 2, goto: agent}
      - {key: "*", say: Back press star., duration: 2, goto: main}
  account:
    type: input
    say: Enter your four digit PIN, then hash.
    duration: 3
    digits: 4
    terminator: "#"
    timeout: 6
    max_failures: 2
    on_invalid: {say: Wrong PIN., duration: 1, then: replay}
    on_exhausted: agent
    next: agent
  agent: {type: human}
"""

# Counting failures: P = 1 + 1 + 1 = 3 s; option 0 announced at 2 s, * at 3 s.
HAND_C = """\
ivr: Hand line C
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Hi.
    duration: 1
    timeout: 2
    max_failures: 2
    on_invalid: replay
    on_exhausted: {say: Let us try again., duration: 1, then: main}
    options:
      - {key: 0, say: Person., duration: 1, goto: agent}
      - {key: "*", say: Again., duration: 1, goto: main}
  agent: {type: human}
"""


def call(text: str, keys: str, timing: str = "expert", **kw):
    menu = load_text(text, "hand.yaml")
    return run_script(menu, frozenset(), parse_keys(keys), timing, **kw)


def failures(result) -> list[tuple]:
    return [(float(e.at), e.info["failure"], e.info["count"], e.info["exhausted"], e.info["then"])
            for e in result.events if e.kind == "failure"]


@pytest.mark.parametrize("text, keys, timing, outcome, seconds", [
    # the expert presses 0 at the start of the barge-in message: it stops, the key is held and
    # main (its prompt skipped) takes it at once
    (HAND_A, "0", "expert", "person", 0),
    # first-time: hello 0-2, main from 2, option 0 announced 7.5 s later
    (HAND_A, "0", "listen", "person", 9.5),
    # 9 is no option: pressed at the prompt's end (2 + 8.5), "Sorry." 10.5-12, reprompt
    # (options only) from 12: option 0 announced 2 + 2.5 s later
    (HAND_A, "9 0", "listen", "person", 16.5),
    # silence at hello (heard whole) and at main: timeout at 2 + 8.5 + 5; replay; 0 at once
    (HAND_A, "- 0", "expert", "person", 15.5),
    # two timeouts (15.5, 29.0) use up max_failures 2: "Goodbye." 29-31, then hangup
    (HAND_A, "- -", "listen", "hangup", 31),
    # option 1 leads to a message that hangs up: 4 s after the key
    (HAND_A, "1", "listen", "hangup", 2 + 5 + 4),
    # forced notice 0-4 and forced menu 4-10: the expert presses 1 at 10, 0 at once
    (HAND_B, "1 0", "expert", "person", 10),
    # both keys at once: 0 is held through billing's (barge-in) prompt
    (HAND_B, "10", "expert", "person", 10),
    # 9 at 10 is invalid: restart replays the forced notice and menu (10-20)
    (HAND_B, "9 1 0", "expert", "person", 20),
    # the PIN at the account input: entered at once by the expert
    (HAND_B, "2 1234#", "expert", "person", 10),
    # first-time: the input's prompt is heard whole (10-13) before the PIN
    (HAND_B, "2 1234#", "listen", "person", 13),
    # 5 digits for 4: invalid at 10 (1 of 2); "Wrong PIN." 10-11; replay 11-14; no key:
    # timeout at 20 (2 of 2): on_exhausted goes to the agent
    (HAND_B, "2 12345#", "expert", "person", 20),
    # 2 digits, then silence: invalid 6 s after the last digit (19); "Wrong PIN." 19-20,
    # replay 20-23, timeout at 29: exhausted, to the agent
    (HAND_B, "2 12 -", "listen", "person", 29),
    # silence at the forced menu: timeouts at 14, 22 and 30 (reprompt: options only, 4 s);
    # the third uses up the default max_failures 3: the default on_exhausted hangs up
    (HAND_B, "", "listen", "hangup", 30),
    # invalid 5 at 3 (1 of 2, replay 3-6); * (announced at 3) at 6 goes to main itself, which
    # keeps the count; 5 at 9 is failure 2 of 2: "Let us try again." 9-10, main again, count
    # kept; 5 at 13 is failure 3, past max_failures: on_invalid (replay 13-16); 0 at 15
    (HAND_C, "5 * 5 5 0", "listen", "person", 15),
])
def test_hand_computed_calls(text, keys, timing, outcome, seconds):
    result = call(text, keys, timing)
    assert (result.outcome, result.seconds) == (outcome, Fraction(seconds))


def test_failures_count_per_visit_and_say_what_they_cause():
    result = call(HAND_C, "5 * 5 5 0", "listen")
    assert failures(result) == [(3.0, "invalid", 1, False, "replay"),
                                (9.0, "invalid", 2, True, "goto:main"),
                                (13.0, "invalid", 3, False, "replay")]
    timeouts = call(HAND_A, "- -", "listen")
    assert failures(timeouts) == [(15.5, "timeout", 1, False, "replay"),
                                  (29.0, "timeout", 2, True, "hangup")]


def test_restart_starts_the_count_again():
    result = call(HAND_B, "9 9 9 1 0", "expert")
    assert [f[2] for f in failures(result)] == [1, 1, 1]  # each restart: count from 0
    assert result.outcome == "person" and result.seconds == 40  # three restarts of 10 s


def test_reprompt_plays_the_options_only_and_replay_the_whole_prompt():
    result = call(HAND_A.replace("max_failures: 2", "max_failures: 3"), "9 - 0", "listen")
    prompts = [(float(e.at), e.info["part"], float(e.info["seconds"]))
               for e in result.events if e.kind == "prompt" and e.node == "main"
               and e.info["part"] in ("prompt", "options")]
    # invalid -> "Sorry." -> reprompt (5.5 s, options only) -> timeout -> replay (8.5 s)
    assert prompts == [(2.0, "prompt", 8.5), (12.0, "options", 5.5), (22.5, "prompt", 8.5)]
    assert result.seconds == Fraction(22.5 + 7.5)


def test_a_key_pressed_during_a_barge_in_prompt_cuts_it_and_one_during_a_forced_prompt_is_lost():
    menu = load_text(HAND_B, "hand.yaml")
    line = Call(menu)
    line.start()
    line.advance(Fraction(1))
    line.press("1")  # during the forced notice: lost
    assert [e.info["effect"] for e in line.events if e.kind == "key"] == [
        "lost: the prompt cannot be interrupted (barge_in: false)"]
    line.advance(Fraction(10))  # the forced menu has ended: main waits for a key
    line.press("1")
    line.advance(Fraction(11))
    line.press("0")  # billing's prompt (barge-in) is cut after 1 s
    cut = [e for e in line.events if e.kind == "cut"]
    assert [(e.node, e.info["heard"]) for e in cut] == [("billing", 1)]
    assert line.outcome == "person" and line.now == 11


def test_forced_segments_are_marked_and_every_prompt_has_its_start_and_duration():
    result = call(HAND_B, "1 0", "expert")
    prompts = [(e.node, float(e.at), float(e.info["seconds"]), e.info["forced"])
               for e in result.events if e.kind == "prompt"]
    assert prompts == [("notice", 0.0, 4.0, True), ("main", 4.0, 6.0, True),
                       ("billing", 10.0, 5.0, False)]
    segments = [(float(e.at), e.info["forced"]) for e in result.events if e.kind == "segment"]
    assert segments[:4] == [(0.0, True), (4.0, True), (6.0, True), (8.0, True)]


def test_an_impatient_caller_gives_up_and_a_silent_loop_is_reported():
    text = HAND_A.replace("on_exhausted: {say: Goodbye., duration: 2, then: hangup}",
                          "on_exhausted: restart")
    result = call(text, "", "listen", patience=Fraction(60))
    assert (result.outcome, result.seconds) == ("gave-up", 60)
    looping = call(text, "", "listen")
    assert looping.outcome == "loop"


def test_unused_keys_are_reported():
    result = call(HAND_A, "0 1 2", "expert")
    assert result.outcome == "person" and result.unused == ("1", "2")


# -- the audit's paths, simulated, give the audit's seconds ----------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_simulating_the_audits_paths_gives_the_audits_seconds(path):
    result = audit_file(str(path))
    menu = result.menu
    for scenario, metrics in result.scenarios.items():
        conditions = menu.scenarios[scenario]
        checks = [("forced", "expert", metrics.forced_seconds_to_human),
                  ("listen", "listen", metrics.listen_seconds_to_human)]
        for name, timing, expected in checks:
            found = metrics.paths[name]
            if found is None:
                continue
            keys = path_keys(menu, found)
            simulated = run_script(menu, conditions, parse_keys(keys), timing)
            assert simulated.outcome == "person", (scenario, name, keys)
            assert simulated.node == found[-1][0], (scenario, name)
            # (the platform's wait for more digits after a key that begins a longer one is no
            # part of the metrics: SPEC 9.2)
            assert simulated.seconds - simulated.digit_waits == expected, (scenario, name, keys)
        silent = run_script(menu, conditions, [], "listen")
        expected_end = {"person": silent.node, "callback": silent.node}.get(silent.outcome,
                                                                             silent.outcome)
        assert expected_end == metrics.silent.end, scenario
        if metrics.silent.seconds_to_human is not None:
            assert silent.seconds == metrics.silent.seconds_to_human, scenario


# -- the command line -------------------------------------------------------------------------

def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_simulate_prints_a_timestamped_transcript():
    result = run("simulate", str(MENUS / "bank.yaml"), "--keys", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Harbourline Bank telephone banking: " + str(MENUS / "bank.yaml") + \
        ", scenario default"
    assert "    0.0 s  recording_notice: message, 4.0 s, FORCED (cannot be interrupted)" in lines
    assert "    4.0 s  main takes key 1 -> fraud_team" in lines
    assert lines[-1] == "    4.0 s  reached a person at 4.0 s (fraud_team)"


def test_simulate_json_and_a_first_time_caller():
    result = run("simulate", str(MENUS / "telecom-complaint.yaml"), "--keys", "4 3 0",
                 "--persona", "first-time", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["outcome"], data["seconds"], data["node"]) == ("person", 57.5, "agent")
    assert data["timing"] == "listen" and data["keys"] == ["4", "3", "0"]
    kinds = {event["event"] for event in data["events"]}
    assert {"prompt", "segment", "key", "choice", "end"} <= kinds


def test_simulate_names_the_scenario_and_hangs_up_as_the_menu_does():
    result = run("simulate", str(MENUS / "city-hotline-12345.yaml"), "--keys", "",
                 "--scenario", "after_hours", "--persona", "keypad-free")
    assert result.exit_code == 0, result.stderr
    assert "scenario after_hours" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("(leave_message)")
    assert "reached a callback" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--keys", "3 x"], "error: --keys: 'x' at character 3 of '3 x' is not a key"),
    (["--keys", "1", "--persona", "eldery"], "error: no persona 'eldery' (did you mean 'elderly'?)"),
    (["--keys", "1", "--scenario", "nite"], "has no scenario 'nite'"),
    (["--keys", "1", "--callers", "10"], "error: --callers is for statistics"),
    ([], "error: nothing to simulate"),
    (["--keys", "1", "--persona", "keypad-free"], "presses no keys"),
    (["--persona", "missing.yaml"], "error: no persona file 'missing.yaml'"),
])
def test_bad_input_is_a_clear_error_and_exit_2(args, message):
    result = run("simulate", str(MENUS / "bank.yaml"), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_bad_menu_is_reported_with_its_position(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ivr: x\nformat: 1\nentry: main\nnodes:\n  main: {type: menu, options: "
                   "[{key: 1, say: a, goto: nowhere}]}\n", encoding="utf-8")
    result = run("simulate", str(bad), "--keys", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:5:")


def test_parse_keys():
    assert parse_keys("3 2") == ["3", "2"]
    assert parse_keys("  12345678#  - *,0 ") == ["12345678#", "-", "*", "0"]
    with pytest.raises(SimulateError):
        parse_keys("3 -1")


def test_call_needs_a_terminal():
    result = run("call", str(MENUS / "bank.yaml"))
    assert result.exit_code == 2 and "needs a terminal" in result.stderr


# -- the interactive phone, through a pseudo-terminal ------------------------------------------

PHONE_MENU = """\
ivr: Phone test line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome to the test line.
    duration: 1
    timeout: 2
    max_failures: 2
    options:
      - {key: 1, say: For sales press one., duration: 1, goto: agent}
      - {key: 0, say: For a person press zero., duration: 1, goto: agent}
  agent: {type: human}
"""


def _spawn(pexpect, tmp_path: Path, *args: str):
    path = tmp_path / "phone.yaml"
    path.write_text(PHONE_MENU, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return pexpect.spawn(sys.executable, ["-m", "ivraudit", "call", str(path), *args],
                         encoding="utf-8", timeout=15, env=env, dimensions=(40, 160))


def test_the_phone_plays_prompts_and_takes_a_key_without_enter(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(pexpect, tmp_path, "--speed", "4")
    child.expect("Welcome to the test line")
    child.expect("For a person press zero")
    child.send("0")
    child.expect(r"main takes key 0 -> agent")
    child.expect(r"reached a person at")
    child.expect(r"summary: reached a person at [\d.]+ s \(agent\); keys pressed: 0;")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_phone_fires_timeouts_and_ctrl_c_hangs_up(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(pexpect, tmp_path, "--speed", "10")
    child.expect(r"main: timeout \(no key\), failure 1 of 2 -> replay")
    child.sendintr()
    child.expect(r"you hung up at")
    child.expect(r"summary: you hung up .*failures: 1 \(0 invalid, 1 timeouts\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_out_of_range_numbers_on_the_command_line_are_exit_2():
    from click.testing import CliRunner

    from ivraudit.cli import main

    bank = str(Path(__file__).resolve().parent.parent / "menus" / "bank.yaml")
    for args in (["simulate", bank, "--persona", "elderly", "--seed", "-1"],
                 ["simulate", bank, "--persona", "elderly", "--callers", "1000000000000"],
                 ["call", bank, "--speed", "nan"], ["call", bank, "--speed", "inf"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_a_caller_with_no_keys_left_hears_the_error_message_out():
    from ivraudit.cli import main
    from click.testing import CliRunner

    bank = str(Path(__file__).resolve().parent.parent / "menus" / "bank.yaml")
    out = CliRunner().invoke(main, ["simulate", bank, "--keys", "- - -"]).output
    audit = CliRunner().invoke(main, ["audit", "--format", "json", bank]).output
    import json

    silent = json.loads(audit)["menus"][0]["scenarios"]["default"]["metrics"]
    assert silent["silent_end"] == "hangup"
    assert out.rstrip().endswith("the menu hung up at ≈87.8 s")


def test_a_silence_left_in_the_script_never_skips_the_closing_message():
    """bank.yaml: 9 (not an option) then two silences use up main's three failures at 54.8 s;
    the exhausted message (≈6.0 s, estimated from its text) plays out: the menu hangs up at
    54.8 + 6.0 = 60.8 s whether
    the script ends there or holds one more silence (a silence is no key to skip it with)."""
    from ivraudit.cli import main
    from click.testing import CliRunner

    bank = str(Path(__file__).resolve().parent.parent / "menus" / "bank.yaml")
    for keys in ("9 - -", "9 - - -"):
        out = CliRunner().invoke(main, ["simulate", bank, "--keys", keys]).output
        assert "the menu hung up at ≈60.8 s" in out, (keys, out)
        assert "a key to skip the prompt" not in out, keys


def test_durations_estimated_from_the_text_are_marked_in_a_transcript(tmp_path):
    """A welcome with no duration: 'Welcome to the line.' is estimated (≈), the menu's
    recorded prompt (duration 3) is not; the call ends after the estimated welcome, so its time
    is marked too, as the audit marks the seconds through it."""
    from ivraudit.cli import main
    from click.testing import CliRunner

    menu = tmp_path / "m.yaml"
    menu.write_text("ivr: Line\nformat: 1\nentry: welcome\nnodes:\n"
                    "  welcome: {type: message, say: Welcome to the line., barge_in: false, "
                    "next: main}\n"
                    "  main:\n    type: menu\n    say: Press 0.\n    duration: 3\n"
                    "    options:\n      - {key: '0', goto: agent}\n"
                    "  agent: {type: human}\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["simulate", str(menu), "--keys", "0"]).output
    lines = out.splitlines()
    welcome = next(line for line in lines if "welcome: message" in line)
    assert ", ≈" in welcome and "FORCED" in welcome
    assert any('"Welcome to the line." (≈' in line for line in lines)
    assert "main: prompt, 3.0 s" in out
    assert "reached a person at ≈" in lines[-1]
    data = CliRunner().invoke(main, ["simulate", str(menu), "--keys", "0", "--format",
                                     "json"]).output
    import json

    events = json.loads(data)["events"]
    assert [e["estimated"] for e in events if e["event"] == "segment"][:1] == [True]
