"""The simulator with format 1.1 (SPEC 9): keys of several digits, speech, escalation lists,
unlimited retries, overflowing queues and transfers; scripted calls, the phone, personas.

Expected times are worked out by hand in the comments beside them.
"""

from __future__ import annotations

import json
import os
import sys
from fractions import Fraction

import pytest
from click.testing import CliRunner

from ivraudit.analysis.graph import build_graph
from ivraudit.cli import main
from ivraudit.format.loader import load_text
from ivraudit.simulate.chain import build_chain
from ivraudit.simulate.errors import SimulateError
from ivraudit.simulate.markov import exact
from ivraudit.simulate.personas import Persona, Reaction, builtin
from ivraudit.simulate.script import parse_keys, run_script

# main (barge-in): intro 2, "1" (1 s) -> sales, "101" (1 s) -> ext101, spoken "agent" (1 s) ->
# agent; P = 5 s; timeout 4. sales: message 3 s -> hangup.
PBX = """\
ivr: PBX
format: 1
entry: main
scenarios: {open: [], busy: [full]}
nodes:
  main:
    type: menu
    say: Dial an extension.
    duration: 2
    timeout: 4
    max_failures: 3
    on_timeout: [reprompt, agent]
    on_invalid: [{say: No such extension., duration: 1, then: replay}, operator]
    options:
      - {key: 1, say: Sales one., duration: 1, goto: sales}
      - {key: 101, say: Or dial one oh one., duration: 1, goto: ext101}
      - {speech: [agent, a person], say: Or say agent., duration: 1, goto: agent}
  sales: {type: message, say: Sales is closed., duration: 3, next: hangup}
  ext101: {type: transfer, to: "sip:101@pbx", person: true}
  agent:
    type: human
    overflow: {when: full, goto: out}
  out: {type: transfer, to: "+1 555 0100"}
  operator: {type: human}
"""


def call(keys: str, timing: str = "expert", scenario: str = "open"):
    menu = load_text(PBX, "pbx.yaml")
    return run_script(menu, menu.scenarios[scenario], parse_keys(keys), timing)


@pytest.mark.parametrize("keys, timing, scenario, outcome, node, seconds, waits", [
    # 101 typed at once at 0 s: no longer key begins with 101: chosen at once
    ("101", "expert", "open", "person", "ext101", 0, 0),
    # 1 begins 101: the menu waits its timeout (4 s) for more digits, then takes 1 -> sales
    # (a 3 s message the expert skips: it ends the call): 4 s, all of them waiting for digits;
    # the first-time caller hears the message: 4 + 3 = 7 s
    ("1", "expert", "open", "hangup", None, 4, 4),
    ("1", "listen", "open", "hangup", None, 3 + 4 + 3, 4),
    # 10 begins 101 but is no key: 4 s later it is invalid (failure 1: "No such extension."
    # 1 s, heard whole with no keys left, then replay P 5 s); then silence: timeout 4 s
    # (failure 2, timeouts 1: reprompt, options 3 s); timeout 4 s (failure 3 = max: on_exhausted
    # hangup): 4 + 1 + 5 + 4 + 3 + 4 = 21 s
    ("10", "expert", "open", "hangup", None, 21, 0),
    # saying agent at once (barge-in) -> agent
    ("say:agent", "expert", "open", "person", "agent", 0, 0),
    # a phrase inside a sentence matches; the first-time caller says it once "Or say agent."
    # has been announced: 2 + 1 + 1 + 1 = 5 s
    ('say:"I want an agent please"', "listen", "open", "person", "agent", 5, 0),
    # in scenario busy the agent queue overflows to a transfer out of the menu
    ("say:agent", "expert", "busy", "transfer", "out", 0, 0),
    # the first timeout reprompts (5 + 4 = 9, options 3 s), the second takes the second action
    # of on_timeout, agent: 9 + 3 + 4 = 16 s
    ("- -", "expert", "open", "person", "agent", 16, 0),
    # two wrong keys: the first takes "No such extension." (the expert skips it with the next
    # key, held for main), the second takes on_invalid's second action: operator, at 0 s
    ("9 9", "expert", "open", "person", "operator", 0, 0),
    # a phrase no option has is a no-match: invalid (as a wrong key), then 101 at once
    ("say:billing 101", "expert", "open", "person", "ext101", 0, 0),
])
def test_hand_computed_calls(keys, timing, scenario, outcome, node, seconds, waits):
    result = call(keys, timing, scenario)
    assert (result.outcome, result.node) == (outcome, node)
    assert (result.seconds, result.digit_waits) == (Fraction(seconds), Fraction(waits))


def test_speech_at_a_menu_without_speech_is_not_heard():
    menu = load_text(PBX.replace("      - {speech: [agent, a person], say: Or say agent., "
                                 "duration: 1, goto: agent}\n", ""), "pbx.yaml")
    result = run_script(menu, frozenset(), parse_keys("say:agent"), "expert")
    said = [e for e in result.events if e.kind == "speech"]
    assert said and "not heard" in said[0].info["effect"]
    assert not any(e.kind == "failure" and e.info["failure"] == "invalid" for e in result.events)


def test_unlimited_retries_loop_for_ever_and_the_failure_says_no_limit():
    menu = load_text(PBX.replace("    max_failures: 3\n", "    max_failures: unlimited\n")
                     .replace("on_timeout: [reprompt, agent]", "on_timeout: replay"), "pbx.yaml")
    result = run_script(menu, frozenset(), [], "expert")
    assert result.outcome == "loop"
    failed = [e for e in result.events if e.kind == "failure"]
    assert failed and failed[0].info["max"] is None


def test_parse_keys_reads_phrases_and_refuses_empty_ones():
    assert parse_keys('101 say:agent - say:"customer service" say:人工') == \
        ["101", "say:agent", "-", "say:customer service", "say:人工"]
    with pytest.raises(SimulateError, match="nothing to say"):
        parse_keys("1 say:")
    with pytest.raises(SimulateError, match="the quote at character 7 of .* is not closed"):
        parse_keys('1 say:"customer')


def test_simulate_keys_with_digits_phrases_and_silence_on_the_command_line(tmp_path):
    path = tmp_path / "pbx.yaml"
    path.write_text(PBX, encoding="utf-8")
    result = CliRunner().invoke(main, ["simulate", str(path), "--keys", "10 say:agent -"])
    assert result.exit_code == 0, result.output
    assert "10 begins a longer key" in result.output
    assert "main takes 'agent' -> agent" in result.output
    data = json.loads(CliRunner().invoke(main, ["simulate", str(path), "--keys",
                                                'say:"a person"', "--format", "json"]).output)
    assert data["keys"] == ["say:a person"] and data["outcome"] == "person"


def test_a_speaking_persona_uses_spoken_options_and_a_silent_one_does_not():
    menu = load_text(PBX, "pbx.yaml")
    G = build_graph(menu)
    speaker = Persona("speaker", "none", Reaction(0.0), 0.0, speaks=True)
    solved = exact(build_chain(menu, G, frozenset(), speaker))
    # it hears "Or say agent." announced at 2 + 1 + 1 + 1 = 5 s and says it at once
    assert (solved.reach_probability, solved.expected_seconds_to_human) == (1.0, 5.0)
    silent = exact(build_chain(menu, G, frozenset(), Persona("silent", "none", Reaction(0.0))))
    # silence: timeout at 9 (reprompt), timeout at 16: agent
    assert (silent.reach_probability, silent.expected_seconds_to_human) == (1.0, 16.0)
    busy = exact(build_chain(menu, G, menu.scenarios["busy"], speaker))
    assert busy.transfer_probability == 1.0 and busy.reach_probability == 0.0


def test_the_built_in_keypad_free_persona_speaks():
    assert builtin("keypad-free").speaks and builtin("keypad-free").knowledge == "none"
    assert not builtin("elderly").speaks


def test_an_expert_dials_a_three_digit_extension_as_the_metrics_say():
    menu = load_text(PBX.replace("{key: 1, say: Sales one., duration: 1, goto: sales}",
                                 "{key: 2, say: Sales two., duration: 1, goto: sales}"), "pbx.yaml")
    G = build_graph(menu)
    expert = Persona("expert", "expert", Reaction(0.0), 0.1)
    solved = exact(build_chain(menu, G, frozenset(), expert))
    # 101 entered whole: right with probability 0.9 ** 3; else an invalid entry, then again
    assert 0.99 < solved.reach_probability <= 1.0


def _spawn(pexpect, tmp_path, *args):
    path = tmp_path / "pbx.yaml"
    path.write_text(PBX, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return pexpect.spawn(sys.executable, ["-m", "ivraudit", "call", str(path), *args],
                         encoding="utf-8", timeout=15, env=env, dimensions=(40, 160))


def test_the_phone_takes_a_typed_phrase(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(pexpect, tmp_path, "--speed", "4")
    child.expect("Dial an extension")
    child.send("a person\r")
    child.expect(r"say 'a person'")
    child.expect(r"main takes 'a person' -> agent")
    child.expect(r"summary: reached a person at [\d.]+ s \(agent\); keys pressed: none; "
                 r"said: 'a person';")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
