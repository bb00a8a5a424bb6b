"""Hostile platform files: every one is refused with exit 2 at its file, line and column, or read
within a bounded time; never a traceback, never a hang (the reviews of the importers found
each of these; the files are built here, small, with the place each error must name)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from fuzzing import time_bound
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


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


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
