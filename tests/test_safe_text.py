"""Menu text that tries to act where it is printed (issue 9): escape sequences, newlines that
forge a `FILE:LINE:COL: error:` line or a GitHub workflow command, @mentions and bare links.
Each goes through every output: every audit format, errors, render, report, simulate, call."""

from __future__ import annotations

import io
import json
import os
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.reporters import FORMATS
from ivraudit.util import safe_text

FORGE = "forged.yaml:1:1: error: FORGED"
HOSTILE_MENU = r"""
ivr: "::error file=forged.yaml::FORGED\e]0;title\a"
format: 1
entry: main
phone: "\e[2J+1 555 0100"
owner: "Owner\nforged.yaml:1:1: error: FORGED @octocat https://evil.example www.evil.example"
scenarios:
  default: ["\e[31mred\ncond"]
nodes:
  main:
    type: menu
    say: "Welcome\e[2J\n::warning::FORGED @octocat"
    barge_in: false
    options:
      - {key: 1, say: "Billing\u202e press 1", goto: account}
      - {key: 0, say: "Agent\x9b2J press 0 https://evil.example", goto: route}
  account:
    type: input
    say: "Your number\x07"
    digits: 4
    asks: "acct\e[2J\nforged.yaml:1:1: error: FORGED"
    next: route
  route:
    type: branch
    cases: [{when: "\e[31mred\ncond", goto: agent}]
    else: agent
  agent: {type: human, wait: 90, queue: "q\e]0;x\a\n::error::FORGED"}
waivers:
  - {rule: IVR011, reason: "ok\n::error file=forged.yaml::FORGED @octocat\e[2J", node: main}
"""
# A file that cannot be read, whose error quotes menu text: a waiver naming no rule.
HOSTILE_ERROR = HOSTILE_MENU.replace("rule: IVR011", r'rule: "IVR999\n::error file=forged.yaml::FORGED\e]0;t\a"')

# What a terminal or a CI log must never receive from a menu: C0 (but newline), DEL, C1, line
# and paragraph separators, bidi controls.
_ACTIVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def assert_safe(text: str, github: bool = False) -> None:
    """No control character, no line a CI log or an editor would take for ours."""
    active = _ACTIVE.search(text)
    assert active is None, f"{active.group()!r} in {text[max(active.start() - 60, 0):][:120]!r}"
    for line in text.split("\n"):
        start = line.lstrip()
        assert not start.startswith("forged.yaml"), line
        if github:  # a command per line, whose properties (before the message) are ours
            assert re.fullmatch(r"::(error|warning|notice) [^:]*::.*", line) or not line, line
            assert "forged" not in line.split("::")[1] if line else True, line
        else:
            assert not start.startswith("::"), line


@pytest.fixture
def hostile(tmp_path) -> tuple[str, str]:
    menu = tmp_path / "menu.yaml"
    menu.write_text(HOSTILE_MENU, encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(HOSTILE_ERROR, encoding="utf-8")
    return str(menu), str(broken)


def strings(data) -> set[str]:
    """Every string in a JSON document."""
    if isinstance(data, dict):
        return set().union(*(strings(v) for v in data.values())) | set(data)
    if isinstance(data, list):
        return set().union(*(strings(v) for v in data)) if data else set()
    return {data} if isinstance(data, str) else set()


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_audit_format_shows_menu_text_without_acting_on_it(hostile, fmt):
    menu, broken = hostile
    result = run("audit", "--format", fmt, "--fail-on", "never", menu, broken)
    assert result.exit_code == 2  # the broken file; the good one is still reported
    assert_safe(result.stderr)
    assert_safe(result.stdout, github=fmt == "github")
    out = result.stdout
    if fmt in ("json", "sarif"):  # the data itself keeps every character
        assert "ok\n::error file=forged.yaml::FORGED @octocat\x1b[2J" in strings(json.loads(out))
    if fmt == "json":
        assert json.loads(out)["menus"][0]["ivr"] == "::error file=forged.yaml::FORGED\x1b]0;title\x07"
    if fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    if fmt == "markdown":
        assert "@octocat" not in out and "https://evil" not in out and "www.evil" not in out
        assert "@&#8203;octocat" in out
    if fmt == "text":
        assert "\\x3a:error file=forged.yaml::FORGED\\x1b]0;title\\x07" in out  # shown, as written
        assert "Owner\\nforged.yaml:1:1: error: FORGED" in out
    if fmt == "github":
        assert "IVR999\\n::error file=forged.yaml::FORGED" not in out  # the runner decodes %0A
        assert "IVR999%0A::error file=forged.yaml::FORGED\\x1b]0;t\\x07" in out


def test_an_error_message_quoting_menu_text_stays_one_line(hostile):
    _, broken = hostile
    result = run("audit", broken)
    assert_safe(result.stderr)
    (error,) = [line for line in result.stderr.split("\n") if ": error: " in line]
    assert error.startswith(broken) and "IVR999\\n::error file=forged.yaml::FORGED" in error


def test_a_file_name_that_holds_a_newline_or_starts_with_colons(tmp_path):
    (tmp_path / f"x\n{FORGE}.yaml").write_text("ivr: [", encoding="utf-8")
    (tmp_path / "::error::FORGED\x1b[2J.yaml").write_text("ivr: [", encoding="utf-8")
    result = run("audit", str(tmp_path))
    errors = [line for line in result.stderr.split("\n") if line.startswith(str(tmp_path))]
    assert result.exit_code == 2 and len(errors) == 2
    assert_safe(result.stderr)
    home = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = run("audit", "::error::FORGED\x1b[2J.yaml")
    finally:
        os.chdir(home)
    assert result.stderr.startswith("\\x3a:error::FORGED\\x1b[2J.yaml:")
    assert_safe(result.stderr)


@pytest.mark.parametrize("fmt", ["dot", "svg"])
def test_render_draws_menu_text_as_text(hostile, fmt):
    if fmt == "svg":
        from test_render import require

        require("dot")
    result = run("render", "--format", fmt, hostile[0])
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout)


def test_the_report_folder_shows_menu_text_as_text(hostile, tmp_path):
    from test_render import require

    require("dot")
    folder = tmp_path / "report"
    result = run("report", "-o", str(folder), hostile[0])
    assert result.exit_code in (0, 1), result.output
    assert_safe(result.stderr)
    for page in folder.iterdir():
        text = page.read_text(encoding="utf-8")
        assert_safe(text)
        assert "<script>" not in text.replace("<script>(() =>", "").split("<script>")[0]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_the_diff_shows_menu_text_without_acting_on_it(hostile, tmp_path, fmt):
    """The diff prints the menus' names, files, findings and regressions: each shown, never
    acted on (its text format printed a menu's name raw: a window-title escape)."""
    old = tmp_path / "old.yaml"
    old.write_text(HOSTILE_MENU.replace("wait: 90", "wait: 30").replace(
        '      - {key: 0, say: "Agent', '      - {key: 2, say: "Agent'), encoding="utf-8")
    result = run("diff", str(old), hostile[0], "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    assert_safe(result.stderr)
    assert_safe(result.stdout, github=fmt == "github")
    if fmt == "text":
        assert "FORGED\\x1b]0;title\\x07" in result.stdout  # the menu's name, shown
    if fmt == "json":
        json.loads(result.stdout)


def test_the_voicexml_export_shows_menu_text_and_reads_back_alike(hostile, tmp_path):
    """`export --to vxml` writes control characters as text (well-formed XML, safe to print);
    the export still audits to the menu's metrics (a shown character would change an estimated
    duration, so such a prompt keeps its duration in SSML)."""
    result = run("export", "--to", "vxml", hostile[0])
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout.replace("\n", " "))
    ET.fromstring(result.stdout.encode("utf-8"))
    exported = tmp_path / "menu.vxml"
    exported.write_text(result.stdout, encoding="utf-8")

    def metrics(path):
        report = json.loads(run("audit", "--format", "json", "--fail-on", "never", path).stdout)
        return {name: {k: v for k, v in s["metrics"].items() if k.endswith("_to_human")}
                for name, s in report["menus"][0]["scenarios"].items()}

    assert metrics(str(exported)) == metrics(hostile[0])


@pytest.mark.parametrize("args", [["--keys", "1 1234 0"], ["--keys", "1 1234", "--format", "json"],
                                  ["--persona", "first-time", "--callers", "10"],
                                  ["--persona", "elderly", "--callers", "10", "--format", "json"]])
def test_simulate_shows_menu_text_as_text(hostile, args):
    result = run("simulate", hostile[0], *args)
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout)
    if "json" in args:
        json.loads(result.stdout)


def test_the_phone_shows_menu_text_and_typed_escapes_as_text(hostile):
    from ivraudit.simulate.phone import Phone
    from ivraudit.simulate.session import open_line

    leader, follower = os.openpty()
    # an arrow key (an escape sequence), typed once the phone reads keys one by one
    typing = threading.Timer(0.3, lambda: os.write(leader, b"\x1b[A"))
    try:
        out = io.StringIO()
        typing.start()
        call = Phone(open_line(hostile[0], None), speed=30, out=out, fd=follower).run()
    finally:
        typing.join()
        os.close(leader)
        os.close(follower)
    assert call.ended
    shown = out.getvalue().replace("\r\x1b[K", "")  # the phone's own status-line clearing
    # the escape clears the phrase being typed; the rest of the sequence is typed text, shown
    # as the phrase being said ("[A"), never sent to the terminal as a sequence
    assert "saying: [A_" in shown
    assert_safe(shown)


# -- the functions, one per destination -------------------------------------------------------

def test_terminal_shows_controls_and_breaks_a_leading_workflow_command():
    assert safe_text.terminal("a\x1b]0;t\x07\nb\r\x9b\u2028\u202e") == \
        "a\\x1b]0;t\\x07\\nb\\r\\x9b\\u2028\\u202e"
    assert safe_text.terminal("  ::error::x") == "  \\x3a:error::x"
    assert safe_text.terminal("menus/a.yaml:1:1: error: fine::ok") == \
        "menus/a.yaml:1:1: error: fine::ok"


def test_github_values_cannot_end_the_line_or_the_property():
    assert safe_text.github_data("a\n::error::b\x1b") == "a%0A::error::b\\x1b"
    assert safe_text.github_property("t,i:t\r\nle") == "t%2Ci%3At%0D%0Ale"


def test_markdown_breaks_mentions_and_autolinks_but_reads_the_same():
    shown = safe_text.markdown("@team see http://a.example, WWW.b.example, me@c.example")
    assert shown == ("@&#8203;team see http:&#8203;//a.example, WWW&#8203;.b.example, "
                     "me@&#8203;c.example")
    assert safe_text.markdown_code("@team `x`") == "`` @team `x` ``"


def test_xml_html_and_dot_show_controls():
    assert safe_text.xml("a\x1b\x00\tb\n") == "a\\x1b\\x00\tb\n"
    assert safe_text.html("<a>\n\x1b") == "&lt;a&gt; \\x1b"
    assert safe_text.dot_label("\\N\x1b") == "\\\\N\\\\x1b"


def test_json_keeps_the_data_and_escapes_what_acts_on_a_terminal():
    data = {"ivr": "a\x1b\x7f\x9b\u2028\u202eé\ud800"}
    text = safe_text.json_text(data)
    assert not _ACTIVE.search(text) and "é" in text
    assert json.loads(text) == data


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8_in_every_format(tmp_path, fmt, hostile):
    folder = tmp_path / "menus"
    folder.mkdir()
    good = os.fsdecode(b"b\xff\x1b[2J.yaml")  # held as "b\udcff\x1b[2J.yaml"
    (folder / good).write_text(Path(hostile[0]).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / os.fsdecode(b"c\xfe.yaml")).write_text("ivr: [", encoding="utf-8")
    result = run("audit", "--format", fmt, str(folder))
    assert result.exit_code == 2, result.output
    assert_safe(result.stdout, github=fmt == "github")
    assert_safe(result.stderr)
    assert "\\udcff" in result.stdout or "%FF" in result.stdout or "\\\\udcff" in result.stdout


def test_text_without_unprintable_characters_is_shown_as_it_is():
    """terminal's quick way (a printable line is returned as it is) rests on this: every
    character it shows escaped is one Python calls unprintable (all 1,114,112 code points)."""
    escaped = [chr(code) for code in range(0x110000) if safe_text._ACTIVE_CHAR.match(chr(code))]
    assert len(escaped) > 2048 and not any(char.isprintable() for char in escaped)
    assert safe_text.terminal("Billing \u00e9 \u4eba\u5de5 0") == "Billing \u00e9 \u4eba\u5de5 0"
