"""Hostile and odd input (issue 9): each kind of bad input is a clean exit 2 with an error that
names file, line and column, in menus, policies, personas and pyproject.toml alike."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit.cli import main

MENU = """\
ivr: Odd line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    options:
      - {key: 0, say: For a person press 0., goto: agent}
  agent: {type: human, wait: 30}
"""
GOOD = str(MENUS / "good-practice.yaml")


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(main, list(args))
    home = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(home)


def write(folder: Path, name: str, text: str | bytes) -> str:
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def clean_exit_2(result, where: str, *words: str) -> str:
    """The run exited 2 with no traceback and an error at ``where`` holding ``words``."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    line = next((l for l in result.stderr.split("\n") if where in l), None)
    assert line is not None, f"no error at {where}:\n{result.stderr}"
    for word in words:
        assert word in result.stderr, result.stderr
    return line


# -- YAML tags that cannot build their value ------------------------------------------------

TAGS = [("!!bool x", "true or false"), ("!!int x", "a whole number"), ("!!float x", "a number"),
        ("!!null x", "!!null"), ("!!seq {a: 1}", "cannot make a mapping into a list"),
        ("!!map [1, 2]", "cannot make a list into a mapping"), ("!!int " + "9" * 5000, "digits"),
        ('!!int ""', "a whole number")]  # PyYAML raised IndexError on an empty !!int


@pytest.mark.parametrize("tagged, words", TAGS)
def test_a_tag_that_cannot_build_its_value_in_a_menu(tmp_path, tagged, words):
    path = write(tmp_path, "m.yaml", MENU.replace("format: 1", f"format: {tagged}"))
    clean_exit_2(run("audit", path), f"{path}:2:9: error: the tag", words)


@pytest.mark.parametrize("tagged, words", TAGS)
def test_a_tag_that_cannot_build_its_value_in_a_policy(tmp_path, tagged, words):
    policy = write(tmp_path, "p.yaml", f"extends: default\nrules:\n  menu-depth: {tagged}\n")
    clean_exit_2(run("audit", "--policy", policy, GOOD), f"{policy}:3:15: error: the tag", words)


@pytest.mark.parametrize("tagged, words", TAGS)
def test_a_tag_that_cannot_build_its_value_in_a_persona(tmp_path, tagged, words):
    persona = write(tmp_path, "c.yaml", f"extends: expert\nmistype: {tagged}\n")
    clean_exit_2(run("simulate", GOOD, "--persona", persona, "--callers", "10"),
                 f"{persona}:2:10: error: the tag", words)


# -- schema errors, numbers at the edge, odd paths ------------------------------------------

def test_a_schema_error_in_a_node_whose_id_is_all_digits(tmp_path):
    text = MENU.replace("entry: main", 'entry: "1"') + '  "1": {type: human, wait: -5}\n'
    path = write(tmp_path, "m.yaml", text)
    clean_exit_2(run("audit", path), f"{path}:11:28: error: `nodes.1.wait` is -5")


@pytest.mark.parametrize("old, new, where, words", [
    ("say: Welcome.", "say: Welcome.\n    duration: 1.0e+308", "8:15", "at most 1,000,000"),
    ("wait: 30", "wait: 1.0e+308", "10:30", "`wait`"),
    ("say: Welcome.", "say: Welcome.\n    timeout: 1.0e+300", "8:14", "`timeout`"),
    ("entry: main", "entry: main\nspeech_rate: {words_per_minute: 1.0e-320}", "4:33",
     "outside 1 to 10,000"),
    ("entry: main", "entry: main\nspeech_rate: {chars_per_second: 5.0e-324}", "4:33",
     "chars_per_second"),
])
def test_numbers_at_the_edge_of_floats_are_clear_errors(tmp_path, old, new, where, words):
    path = write(tmp_path, "m.yaml", MENU.replace(old, new))
    for command in (["audit", "--format", "json"], ["render", "--format", "dot"],
                    ["simulate", "--keys", "0"]):
        clean_exit_2(run(*command, path), f"{path}:{where}: error:", words)


def test_sums_of_long_prompts_stay_exact_and_printable(tmp_path):
    text = MENU.replace("say: Welcome.", "say: Welcome.\n    barge_in: false\n"
                        "    duration: 1000000")
    result = run("audit", "--format", "json", write(tmp_path, "m.yaml", text))
    # the million seconds of the intro, then 2 s for "For a person press 0." (5 words)
    assert result.exit_code in (0, 1) and '"forced_seconds_to_human":1000002.0' in result.output


@pytest.mark.parametrize("field", ["median", "sigma"])
def test_a_persona_reaction_at_the_edge_is_a_clear_error(tmp_path, field):
    value = "1.0e+308" if field == "median" else "2.9\n  median: 1.0e+300"
    persona = write(tmp_path, "c.yaml", f"extends: expert\nreaction:\n  {field}: {value}\n")
    result = run("simulate", GOOD, "--persona", persona, "--callers", "10")
    clean_exit_2(result, f"{persona}:", "`median` must be a number from 0 to 600")


def test_a_nul_in_an_audio_path_is_a_located_error(tmp_path):
    path = write(tmp_path, "m.yaml", MENU.replace("say: Welcome.", 'audio: "a\\0b.wav"'))
    clean_exit_2(run("audit", path), f"{path}:7:12: error:", "NUL")


def test_a_pyproject_that_is_not_utf8(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.ivraudit]\npolicy = "caf\xe9"\n'.encode("latin-1"))
    clean_exit_2(run("audit", GOOD, cwd=tmp_path), "pyproject.toml:2:14: error:", "not UTF-8")


@pytest.mark.parametrize("value, words", [('"' + "x" * 5000 + '"', "no policy named"),
                                          ("5", "`policy` must be a string"),
                                          ('"fifo"', "no policy named")])
def test_a_pyproject_policy_that_is_no_file(tmp_path, value, words):
    os.mkfifo(tmp_path / "fifo")
    write(tmp_path, "pyproject.toml", f"[tool.ivraudit]\npolicy = {value}\n")
    clean_exit_2(run("audit", GOOD, cwd=tmp_path), "pyproject.toml:2:1: error:", words)


@pytest.mark.parametrize("text, where", [("tool = 5\n", "1:1"),
                                         ("[tool]\nivraudit = 5\n", "2:1"),
                                         ('[tool]\nivraudit = "x"\n', "2:1")])
def test_a_pyproject_tool_section_that_is_no_table(tmp_path, text, where):
    write(tmp_path, "pyproject.toml", text)
    clean_exit_2(run("audit", GOOD, cwd=tmp_path), f"pyproject.toml:{where}: error:",
                 "must be a table")


def test_a_policy_that_extends_a_fifo_or_a_device(tmp_path):
    os.mkfifo(tmp_path / "fifo.yaml")
    for target in ("fifo.yaml", "/dev/zero", "x" * 5000):
        policy = write(tmp_path, "p.yaml", f"extends: {target}\n")
        clean_exit_2(run("audit", "--policy", policy, GOOD), f"{policy}:1:10: error:",
                     "which is no policy")


def test_a_folder_holding_a_fifo_named_like_a_menu_is_not_opened(tmp_path):
    write(tmp_path, "a.yaml", MENU)
    os.mkfifo(tmp_path / "b.yaml")
    os.symlink("/dev/zero", tmp_path / "c.yaml")
    result = run("audit", "--format", "json", str(tmp_path))
    assert result.exit_code in (0, 1) and result.output.count('"ivr":"Odd line"') == 1


def test_a_menu_in_a_folder_that_links_to_nothing_is_an_error_not_passed_over(tmp_path):
    """A link into a folder a CI job did not build must not pass the gate unaudited; the
    menus beside it are still audited, and a link named like no menu is passed over."""
    write(tmp_path, "a.yaml", MENU)
    os.symlink(tmp_path / "generated" / "main.yaml", tmp_path / "b.yaml")
    os.symlink("loop.json", tmp_path / "loop.json")  # round in a loop
    os.symlink("/nowhere", tmp_path / "notes.txt")
    result = run("audit", "--format", "json", str(tmp_path))
    assert result.exit_code == 2 and result.stdout.count('"ivr":"Odd line"') == 1
    assert f"{tmp_path}/b.yaml:1:1: error: this symbolic link leads nowhere (to {tmp_path}/" \
        "generated/main.yaml" in result.stderr
    assert f"{tmp_path}/loop.json:1:1: error: this symbolic link leads nowhere" in result.stderr
    assert "notes.txt" not in result.stderr and "Traceback" not in result.stderr


def test_a_menu_path_that_cannot_be_looked_up(tmp_path):
    name = str(tmp_path / ("x" * 5000 + ".yaml"))
    clean_exit_2(run("audit", name), name[:50], "cannot be looked up")


# -- audio measured from what the file holds ------------------------------------------------

def wav_header(encoding: int, rate: int, bits: int, declared: int) -> bytes:
    block = bits // 8
    fmt = struct.pack("<HHIIHH", encoding, 1, rate, rate * block, block, bits)
    return (b"RIFF" + struct.pack("<I", 36 + declared) + b"WAVE" + b"fmt "
            + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", declared))


def forced_seconds(tmp_path, audio: str) -> str:
    text = MENU.replace("say: Welcome.", f"audio: {audio}\n    barge_in: false")
    result = run("audit", "--format", "json", write(tmp_path, "m.yaml", text))
    assert result.exit_code in (0, 1), result.output
    return result.output.split('"forced_seconds_to_human":', 1)[1].split(",", 1)[0]


@pytest.mark.parametrize("encoding, bits", [(7, 8), (1, 16)])  # mu-law, PCM
def test_a_header_that_claims_more_than_the_file_holds_counts_what_it_holds(tmp_path, encoding,
                                                                             bits):
    # 54 bytes declaring 256 MB; the file holds 2 bytes of audio at 1000 bytes per second
    rate = 1000 // (bits // 8)
    (tmp_path / "liar.wav").write_bytes(wav_header(encoding, rate, bits, 256 * 2 ** 20) + b"\0\0")
    # 0.002 s of intro, not 268,435.5 s, then 2 s for "For a person press 0." (5 words)
    assert forced_seconds(tmp_path, "liar.wav") == "2.0"


def test_a_large_recording_is_measured_without_reading_it(tmp_path, monkeypatch):
    from ivraudit.format import durations

    big = tmp_path / "big.wav"
    big.write_bytes(wav_header(7, 8000, 8, 80_000_000))
    os.truncate(big, 44 + 80_000_000)  # a hole: 80 MB that are never read
    reads = []

    class Counted:
        def __init__(self, handle):
            self.handle = handle

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

    real_open = durations.open_regular
    monkeypatch.setattr(durations, "open_regular", lambda path: Counted(real_open(path)))
    assert forced_seconds(tmp_path, "big.wav") == "10002.0"  # 80 MB at 8000 bytes/s, then 2 s
    assert reads and all(0 <= size <= 40 for size in reads)


@pytest.mark.parametrize("make, words", [
    (lambda p: os.mkfifo(p), "it is a FIFO (named pipe)"),
    (lambda p: os.symlink("/dev/zero", p), "it is a device"),
    (lambda p: p.mkdir(), "it is a folder"),
])
def test_audio_that_is_no_regular_file_is_refused(tmp_path, make, words):
    make(tmp_path / "prompt.wav")
    path = write(tmp_path, "m.yaml", MENU.replace("say: Welcome.", "audio: prompt.wav"))
    for command in (["audit"], ["simulate", "--keys", "0"], ["render", "--format", "dot"]):
        clean_exit_2(run(*command, path), f"{path}:7:12: error:", words)


# -- dates, line numbers ----------------------------------------------------------------------

@pytest.mark.parametrize("date, words", [
    ("2027-02-30", "not a day of the calendar"), ("2027-13-45", "not a day of the calendar"),
    ('"２０２７-０１-０１"', "YYYY-MM-DD"), ('"٢٠٢٧-٠١-٠١"', "YYYY-MM-DD"),
])
def test_waiver_dates_must_be_real_calendar_dates(tmp_path, date, words):
    waiver = f"waivers:\n  - {{rule: IVR009, reason: Later., expires: {date}}}\n"
    path = write(tmp_path, "m.yaml", MENU + waiver)
    clean_exit_2(run("audit", path), f"{path}:12:", "expires", words)
    policy = write(tmp_path, "p.yaml", "extends: default\n" + waiver)
    clean_exit_2(run("audit", "--policy", policy, GOOD), f"{policy}:3:", words)


def test_a_real_date_still_expires(tmp_path):
    waiver = "waivers:\n  - {rule: IVR009, reason: Later., expires: 2024-02-29}\n"
    result = run("audit", "--format", "json", write(tmp_path, "m.yaml", MENU + waiver))
    assert "IVR029" in result.output and result.exit_code in (0, 1)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_numbers_are_counted_as_editors_count_them(tmp_path, separator):
    text = MENU.replace("ivr: Odd line", f'ivr: "Odd{separator}line{separator}one"')
    text = text.replace("type: human", "type: humn")
    path = write(tmp_path, "m.yaml", text)
    assert len(text.split("\n")) - 1 == 10  # an editor shows 10 lines
    clean_exit_2(run("audit", path), f"{path}:10:17: error:", "did you mean 'human'")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_an_unquoted_octal_key_after_a_line_separator_is_still_caught(tmp_path, separator):
    """The key check reads how the key is written on its line: found by the editor's count of
    lines (a separator inside a string once shifted it, and `010` silently became key 8)."""
    text = MENU.replace("ivr: Odd line", f'ivr: "Odd{separator}line"').replace("key: 0,",
                                                                                "key: 010,")
    path = write(tmp_path, "m.yaml", text)
    clean_exit_2(run("audit", path), f"{path}:9:15: error: the key 010 is not quoted")


def test_a_syntax_error_after_a_line_separator_is_where_the_editor_shows_it(tmp_path):
    path = write(tmp_path, "m.yaml", 'ivr: "a\u2028b"\nformat: 1\nentry: [main\n')
    clean_exit_2(run("audit", path), f"{path}:4:1: error:")


# -- simulations that would run for hours -----------------------------------------------------

HUGE_RETRIES = MENU.replace("say: Welcome.", "say: Welcome.\n    max_failures: 4294967296")


def test_a_scripted_call_that_would_fail_four_billion_times_stops_with_an_error(tmp_path,
                                                                               monkeypatch):
    from ivraudit.simulate import script

    monkeypatch.setattr(script, "MAX_PHASES", 500)  # the real 20,000 takes a second or two
    path = write(tmp_path, "m.yaml", HUGE_RETRIES)
    clean_exit_2(run("simulate", path, "--keys", "-"), "error: the call goes on past 500",
                 "max_failures")


def test_a_chain_past_the_state_limit_stops_with_an_error(tmp_path, monkeypatch):
    from ivraudit.simulate import session

    monkeypatch.setattr(session, "MAX_STATES", 50)  # the real limit takes seconds to reach
    path = write(tmp_path, "m.yaml", HUGE_RETRIES)
    clean_exit_2(run("simulate", path, "--persona", "elderly", "--callers", "10"),
                 "error:", "more than 50 different places", "max_failures")
    good = run("simulate", write(tmp_path, "g.yaml", MENU), "--persona", "elderly",
               "--callers", "10")
    assert good.exit_code == 0, good.output


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_a_character_yaml_refuses_is_located(tmp_path, character):
    path = write(tmp_path, "m.yaml", MENU.replace("say: Welcome.", f"say: Wel{character}come."))
    clean_exit_2(run("audit", path), f"{path}:7:13: error: the character "
                 f"U+{ord(character):04X} is not allowed")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_menu_given_through_a_pipe_is_audited(tmp_path, jobs):
    """`ivraudit audit <(cat menu.yaml)` and `cat menu.yaml | ivraudit audit /dev/stdin`: the
    pipe has no suffix and can be read once; the menu is known by its text and read then."""
    import subprocess
    import sys

    text = (MENUS / "good-practice.yaml").read_bytes()
    done = subprocess.run([sys.executable, "-m", "ivraudit", "audit", "--jobs", jobs,
                           "--format", "json", "/dev/stdin"], input=text, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    import json

    (menu,) = json.loads(done.stdout)["menus"]
    assert menu["ivr"] == "Riverbend Water customer line" and menu["file"] == "/dev/stdin"
    done = subprocess.run([sys.executable, "-m", "ivraudit", "audit", "/dev/stdin"],
                          input=b"just some words\n", capture_output=True)
    assert done.returncode == 2 and b"/dev/stdin:1:1: error: this is not an ivraudit menu" \
        in done.stderr
