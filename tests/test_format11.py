"""Format 1.1 (SPEC 9) in the loader: what each new field builds, and one clear error (file,
line, column, what to do) for each misuse."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.errors import MenuError
from ivraudit.format.loader import load_text

BASE = """\
ivr: Example line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    options:
      - {key: 1, say: For billing press 1., goto: agent}
  agent:
    type: human
"""


def error_at(text: str, line: int, column: int, *words: str) -> MenuError:
    with pytest.raises(MenuError) as caught:
        load_text(text, "m.yaml")
    error = caught.value
    assert (error.line, error.column) == (line, column), error.format()
    for word in words:
        assert word in error.message + " " + error.hint, error.format()
    return error


def with_main(*lines: str) -> str:
    return BASE.replace("    say: Welcome.\n", "    say: Welcome.\n" + "".join(
        f"    {line}\n" for line in lines))


# -- what the new fields build ------------------------------------------------------------------

def test_escalation_lists_and_unlimited_build_the_model():
    menu = load_text(with_main("on_timeout: [reprompt, {say: Sorry., then: replay}, agent]",
                               "max_failures: unlimited"), "m.yaml")
    main_ = menu.nodes["main"]
    assert [a.kind for a in main_.on_timeout] == ["reprompt", "replay", "goto"]
    assert main_.on_timeout[1].message.say == "Sorry."
    assert main_.max_failures is None and main_.on_exhausted is None
    # the k-th timeout takes the k-th action; past the end the last one repeats
    assert [main_.failure("timeout", 0, k)[0].kind for k in range(5)] == \
        ["reprompt", "replay", "goto", "goto", "goto"]


def test_the_total_is_checked_before_the_list():
    main_ = load_text(with_main("on_invalid: [replay, reprompt]", "max_failures: 2",
                                "on_exhausted: agent"), "m.yaml").nodes["main"]
    assert main_.failure("invalid", 0, 0) == (main_.on_invalid[0], False)
    assert main_.failure("invalid", 1, 0) == (main_.on_exhausted, True)
    assert main_.failure("invalid", 2, 0) == (main_.on_invalid[1], False)  # past the limit


def test_keys_of_several_digits_and_spoken_options():
    text = BASE.replace("      - {key: 1, say: For billing press 1., goto: agent}",
                        "      - {key: 101, goto: agent}\n"
                        "      - {key: \"*9\", goto: agent}\n"
                        "      - {key: \"010\", goto: agent}\n"
                        "      - {speech: [Agent, customer service], goto: agent}")
    options = load_text(text, "m.yaml").nodes["main"].options
    assert [o.key for o in options] == ["101", "*9", "010", None]
    assert options[3].speech == ("Agent", "customer service") and options[3].phrase == "Agent"


def test_global_options_follow_each_menu_own_options_unless_it_defines_the_key():
    text = BASE.replace("nodes:\n", "global_options:\n"
                        "  - {key: 0, say: A person press 0., speech: [agent, operator], goto: agent}\n"
                        "  - {speech: [billing], goto: agent}\n"
                        "nodes:\n") + (
        "  other:\n    type: menu\n    options:\n"
        "      - {key: 0, say: Pay press 0., goto: agent}\n"
        "      - {key: 5, speech: [operator], goto: agent}\n"
        "  quiet:\n    type: menu\n    global_options: false\n    options:\n"
        "      - {key: 1, goto: agent}\n")
    nodes = load_text(text, "m.yaml").nodes
    assert [(o.key, o.speech, o.is_global) for o in nodes["main"].options] == [
        ("1", (), False), ("0", ("agent", "operator"), True), (None, ("billing",), True)]
    # other defines 0: the global 0 is not offered at all; the global "billing" is
    assert [(o.key, o.speech) for o in nodes["other"].options] == [
        ("0", ()), ("5", ("operator",)), (None, ("billing",))]
    assert [o.key for o in nodes["quiet"].options] == ["1"]
    assert nodes["main"].options[1].pos.line == 5  # where it is written, under global_options


def test_a_global_phrase_the_menu_uses_is_dropped_there():
    text = BASE.replace("nodes:\n", "global_options:\n"
                        "  - {key: 0, speech: [Agent!, help], goto: agent}\n"
                        "nodes:\n").replace(
        "      - {key: 1, say: For billing press 1., goto: agent}",
        "      - {key: 1, speech: [agent], goto: agent}")
    offered = load_text(text, "m.yaml").nodes["main"].options[1]
    assert (offered.key, offered.speech) == ("0", ("help",))


def test_transfers_overflow_and_language_menus():
    text = BASE.replace("    type: menu\n", "    type: menu\n    role: language\n").replace(
        "  agent:\n    type: human\n",
        "  agent:\n    type: human\n    overflow: {when: [busy, night], goto: out}\n"
        "  out: {type: transfer, to: sales_flow}\n"
        "  sales: {type: transfer, to: \"+1 555\", person: true, wait: 30}\n")
    nodes = load_text(text, "m.yaml").nodes
    assert nodes["main"].role == "language"
    assert nodes["agent"].overflow.when == ("busy", "night")
    assert nodes["agent"].taken_case(frozenset({"busy"})) is None
    assert nodes["agent"].taken_case(frozenset({"busy", "night"})) == 0
    assert (nodes["out"].is_person, nodes["sales"].is_person, nodes["sales"].wait) == \
        (False, True, 30)


# -- every misuse, with its place -----------------------------------------------------------

@pytest.mark.parametrize("lines, line, column, words", [
    (["on_exhausted: [agent, hangup]"], 8, 19, ["takes one action, not a list"]),
    (["max_failures: unlimited", "on_exhausted: agent"], 9, 19,
     ["never applies here", "unlimited", "remove `on_exhausted`"]),
    (["on_invalid: []"], 8, 17, ["empty list", "at least one action"]),
    (["max_failures: unlimted"], 8, 19, ["unlimited"]),
    (["max_failures: 0"], 8, 19, ["max_failures"]),
    (["on_timeout: [replay, nowhere]"], 8, 26, ["`on_timeout[1]` names 'nowhere'"]),
    (["overflow: {when: busy, goto: agent}"], 8, 5, ["cannot have `overflow`", "human"]),
])
def test_a_misused_field_is_a_clear_error(lines, line, column, words):
    error_at(with_main(*lines), line, column, *words)


def test_an_inherited_unlimited_refuses_a_node_own_on_exhausted():
    text = BASE.replace("nodes:\n", "defaults: {max_failures: unlimited}\nnodes:\n")
    error_at(text.replace("    say: Welcome.\n", "    say: Welcome.\n    on_exhausted: agent\n"),
             9, 19, "never applies here", "set in `defaults`")
    # one inherited from defaults is ignored where unlimited is in force
    load_text(BASE.replace("nodes:\n", "defaults: {max_failures: unlimited, on_exhausted: agent}"
                           "\nnodes:\n"), "m.yaml")


@pytest.mark.parametrize("option, line, column, words", [
    ("{say: Hello., goto: agent}", 9, 9, ["needs a `key`, a `speech`, or both"]),
    ("{speech: [], goto: agent}", 9, 9, ["needs a `key`, a `speech`, or both"]),
    ('{key: "12345678901234567", goto: agent}', 9, 15, ["17 characters", "at most 16"]),
    ("{key: 12345678901234567, goto: agent}", 9, 15, ["17 characters"]),
    ('{key: "1a", goto: agent}', 9, 15, ["not a key"]),
    ("{key: 010, goto: agent}", 9, 15, ["not quoted", 'key: "010"']),
    ("{key: 08, goto: agent}", 9, 15, ['key: "08"']),
    ("{key: 00, goto: agent}", 9, 15, ['key: "00"']),
    ("{key: 1, speech: '?!', goto: agent}", 9, 26, ["no letters or digits"]),
])
def test_a_misused_option_is_a_clear_error(option, line, column, words):
    error_at(BASE.replace("{key: 1, say: For billing press 1., goto: agent}", option),
             line, column, *words)


def test_an_unquoted_leading_zero_key_in_block_style():
    error_at(BASE.replace("      - {key: 1, say: For billing press 1., goto: agent}",
                          "      - key: 010\n        goto: agent"), 9, 14, 'quote it: key: "010"')


@pytest.mark.parametrize("node, line, column, words", [
    ("{type: message, say: Hi., next: agent, overflow: {when: busy, goto: agent}}", 12, 49,
     ["cannot have `overflow`", "`human` node or a `transfer` with `person: true`"]),
    ("{type: transfer, to: x, overflow: {when: busy, goto: agent}}", 12, 34,
     ["`overflow`", "no `person: true`"]),
    ("{type: transfer, to: x, wait: 30}", 12, 34, ["`wait`", "person: true"]),
    ("{type: transfer}", 12, 10, ["missing the required field 'to'"]),
    ("{type: human, overflow: {when: [], goto: agent}}", 12, 41,
     ["an `overflow` needs at least one condition in `when`"]),
    ("{type: message, say: Hi., next: agent, role: language}", 12, 49, ["only for a `menu`"]),
])
def test_a_misused_node_is_a_clear_error(node, line, column, words):
    error_at(BASE + f"  extra: {node}\n", line, column, *words)


def test_the_command_line_reports_it_with_exit_code_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(with_main("on_exhausted: [agent]"), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2
    assert f"{path}:8:19: error: `on_exhausted` takes one action, not a list" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_branch_case_with_an_empty_when_holds_in_every_scenario():
    text = BASE.replace("entry: main", "entry: route") + (
        "  route:\n    type: branch\n    cases: [{when: [], goto: agent}]\n    else: main\n")
    route = load_text(text, "m.yaml").nodes["route"]
    assert route.taken_case(frozenset()) == 0
