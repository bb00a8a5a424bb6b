"""A seeded mutation fuzzer: hostile and odd input through every subcommand.

Each case takes one real input (an example menu, a built-in policy or persona, a
pyproject.toml, or a platform flow: a small one of each platform written here, and the real
ones of ../shared/corpus when it is there), mutates it one to three times (a hostile value in
place of a value or an XML attribute or an application's arguments, a line deleted, moved,
duplicated or re-indented, a hostile line inserted, a DTD, deep nesting or bytes inserted, the
file cut short), and runs subcommands on it in-process with click's CliRunner. A case fails when
a command

- exits with a code other than 0, 1 or 2, or raises (a traceback),
- runs past ``BOUND_SECONDS``,
- prints a control character (an escape sequence, a bell, a NUL ...) or a line that a terminal,
  a CI log or an editor would take for something else: a GitHub workflow command (``::error``)
  outside the github format, a forged ``FILE:LINE:COL: error:`` line, a Markdown @mention or
  bare link, XML that does not parse, JSON that does not load,
- writes a file anywhere but under the ``out/`` folder it is given with ``-o``,
- refuses a platform file (exit 2) without naming it as ``FILE:LINE:COL: error:``.

Case N is the same on every run (its random numbers come from ``random.Random(N)``), so a
failure reproduces with ``pytest tests/test_fuzz.py -k case-0000N`` (five digits); the failure
message shows
the mutated input.
"""

from __future__ import annotations

import json
import os
import random
import re
import struct
import wave
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from helpers import MENUS, ROOT, SHARED, Overrun, time_bound
from ivraudit.cli import main

PACKAGE = ROOT / "src" / "ivraudit"
GOOD_MENU = MENUS / "good-practice.yaml"
BOUND_SECONDS = 60  # a case takes well under a second; the slowest refusal (a 500,000-state
# chain) takes 10 s on a busy 2-core machine; a hang never ends

PYPROJECT = """\
[project]
name = "demo"

[tool.ivraudit]
policy = "gethuman"
"""


def seeds() -> dict[str, list[tuple[str, str]]]:
    """Kind -> (name, text) of every real input the fuzzer starts from."""
    def read(paths):
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(paths)]

    corpus = SHARED / "corpus"
    flows = [p for p in sorted(corpus.glob("*/*")) if p.parent.name != "LICENSES"] \
        if corpus.is_dir() else []
    return {"menu": read(MENUS.glob("*.yaml")),
            "policy": read((PACKAGE / "audit" / "policies").glob("*.yaml")),
            "persona": read((PACKAGE / "simulate" / "personas").glob("*.yaml")),
            "pyproject": [("pyproject.toml", PYPROJECT)],
            "platform": sorted(PLATFORM_FILES.items()) + read(flows)}


# One small flow of each platform: a menu with a key to a person, a failure handler, a
# hand-off; so that fuzzing needs no corpus (its files are added when it is there).
PLATFORM_FILES = {
    "connect.json": json.dumps({"Version": "2019-10-30", "StartAction": "menu", "Actions": [
        {"Identifier": "menu", "Type": "GetParticipantInput",
         "Parameters": {"Text": "For sales, press 1. For an agent, press 0.",
                        "InputTimeLimitSeconds": "5"},
         "Transitions": {"NextAction": "bye", "Conditions": [
             {"NextAction": "queue", "Condition": {"Operator": "Equals", "Operands": ["0"]}},
             {"NextAction": "loop", "Condition": {"Operator": "Equals", "Operands": ["1"]}}],
             "Errors": [{"NextAction": "menu", "ErrorType": "NoMatchingCondition"},
                        {"NextAction": "bye", "ErrorType": "InputTimeLimitExceeded"}]}},
        {"Identifier": "loop", "Type": "Loop", "Parameters": {"LoopCount": "3"},
         "Transitions": {"NextAction": "bye", "Conditions": [
             {"NextAction": "menu", "Condition": {"Operator": "Equals",
                                                  "Operands": ["ContinueLooping"]}},
             {"NextAction": "other", "Condition": {"Operator": "Equals",
                                                   "Operands": ["DoneLooping"]}}]}},
        {"Identifier": "other", "Type": "TransferToFlow",
         "Parameters": {"ContactFlowId": "arn:aws:connect:x:1:instance/i/contact-flow/Sales"},
         "Transitions": {}},
        {"Identifier": "queue", "Type": "TransferContactToQueue", "Transitions": {
            "Errors": [{"NextAction": "bye", "ErrorType": "QueueAtCapacity"}]}},
        {"Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}}]}, indent=1),
    "studio.json": json.dumps({"description": "Fuzz", "initial_state": "Trigger", "states": [
        {"name": "Trigger", "type": "trigger", "properties": {},
         "transitions": [{"event": "incomingCall", "next": "gather"}]},
        {"name": "gather", "type": "gather-input-on-call",
         "properties": {"say": "For sales press 1. For an agent press 0.", "timeout": 5,
                        "loop": 2},
         "transitions": [{"event": "keypress", "next": "split"},
                         {"event": "timeout", "next": "gather"}]},
        {"name": "split", "type": "split-based-on",
         "properties": {"input": "{{widgets.gather.Digits}}"},
         "transitions": [{"event": "noMatch", "next": "gather"},
                         {"event": "match", "next": "agent",
                          "conditions": [{"type": "equal_to", "value": "0"}]},
                         {"event": "match",
                          "conditions": [{"type": "matches_any_of", "value": "1,2"}]}]},
        {"name": "agent", "type": "send-to-flex", "properties": {"workflow": "WW1"},
         "transitions": [{"event": "callComplete"}, {"event": "failedToEnqueue"}]}]},
        indent=1),
    "archy.yaml": """\
inboundCall:
  name: Fuzz
  startUpRef: ./menus/menu[main]
  initialGreeting:
    tts: Welcome.
  settingsMenu:
    menuSelectionTimeout:
      lit:
        seconds: 10
    repeatCount:
      lit: 3
  menus:
    - menu:
        name: Main
        refId: main
        audio:
          exp: AudioPlaybackOptions(ToAudioTTS("For an agent press 0. To leave press 9."), true)
        choices:
          - menuTransferToAcd:
              name: Agent
              dtmf: digit_0
              globalDtmf: true
              targetQueue:
                lit:
                  name: Agents
          - menuDisconnect:
              name: Bye
              dtmf: digit_9
""",
    "menu.vxml": """\
<?xml version="1.0" encoding="UTF-8"?>
<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml">
  <var name="tries" expr="0"/>
  <link dtmf="0" next="#agent"/>
  <menu id="main" dtmf="true">
    <property name="timeout" value="5s"/>
    <prompt bargein="true">Welcome. <enumerate/></prompt>
    <choice next="#agent">Sales</choice>
    <choice next="other.vxml#start">Billing</choice>
    <noinput count="2"><goto next="#bye"/></noinput>
    <nomatch><prompt>Sorry.</prompt><reprompt/></nomatch>
  </menu>
  <form id="agent">
    <field name="account"><grammar src="builtin:dtmf/digits?length=4"/>
      <prompt>Enter your account number, then press pound.</prompt>
      <filled><if cond="account == '0000'"><goto next="#bye"/><else/>
        <transfer dest="tel:+15550100" type="blind"/></if></filled>
    </field>
  </form>
  <form id="bye"><block><prompt>Goodbye.</prompt><disconnect/></block></form>
</vxml>
""",
    "ivr.conf.xml": """\
<configuration name="ivr.conf" description="IVR menus">
  <menus>
    <menu name="main" greet-long="say:For sales press 1. For the operator press 0."
          greet-short="say:Press 1 or 0." invalid-sound="say:Invalid." exit-sound="say:Bye."
          timeout="10000" max-failures="3" max-timeouts="3" digit-len="1">
      <entry action="menu-exec-app" digits="0" param="bridge user/1000"/>
      <entry action="menu-sub" digits="1" param="sales"/>
      <entry action="menu-exec-app" digits="/^(10[01][0-9])$/" param="transfer $1 XML features"/>
    </menu>
    <menu name="sales" greet-long="say:Press star to go back." timeout="5000">
      <entry action="menu-back" digits="*"/>
    </menu>
  </menus>
</configuration>
""",
    "extensions.conf": """\
[general]
autofallthrough=yes

[main]
exten => s,1,Answer()
 same => n,Set(TRIES=0)
 same => n(menu),Background(for-sales&press-1&operator&press-0)
 same => n,WaitExten(5)
exten => 0,1,Dial(PJSIP/operator,30)
 same => n,VoiceMail(100@default)
exten => 1,1,Goto(sales,s,1)
exten => _2XX,1,Dial(PJSIP/${EXTEN})
exten => i,1,Playback(invalid)
 same => n,Set(TRIES=$[${TRIES} + 1])
 same => n,GotoIf($[${TRIES} < 3]?s,menu)
 same => n,Hangup()
exten => t,1,Goto(i,1)

[sales]
exten => s,1,Queue(sales,,,,300)
 same => n,Goto(main,s,menu)
""",
    "ncco.json": json.dumps([
        {"action": "talk", "text": "For sales press 1.", "bargeIn": True, "loop": "2"},
        {"action": "input", "type": ["dtmf"], "dtmf": {"maxDigits": 1, "timeOut": 3},
         "eventUrl": ["https://example.com/input"]},
        {"action": "connect", "eventType": "synchronous",
         "endpoint": [{"type": "phone", "number": "15550100"}]},
        {"action": "talk", "text": "Nobody answered."}], indent=1),
}


# -- what goes in ------------------------------------------------------------------------------

# Hostile text carries these markers; the checks look for them in the output.
FORGED = "FORGED"
MENTION, LINK = "@octocat", "https://evil.example"

YAML_VALUES = [
    # explicit tags that cannot build their value, or are not allowed
    "!!bool x", "!!int x", '!!int ""', "!!float x", "!!seq {a: 1}", "!!map [1, 2]", "!!null x",
    "!!binary aGk=", "!!timestamp x", "!!set {a}", "!!omap [a: 1]", "!!str [1]",
    "!!python/object/apply:os.system [echo]", "!local x", "!<tag:yaml.org,2002:int> x",
    # numbers at the edge
    "1.0e+308", "-1.0e+308", "1e-320", "5.0e-324", "1e400", ".inf", "-.inf", ".nan", "-5", "0",
    "-0.0", "99999999999999999999999999999", "1000000000000", "4294967296", "0x10", "0o17",
    "1_000", "2.5", "0.0001", "100000",
    # text that must not act on a terminal, a CI log or a pull-request comment
    r'"\e]0;title\a"', r'"\e[2J\e[31mred"', r'"\x9b2J"', r'"a\0b"', r'"x\Ly\Pz\Nw"',
    f'"IVR999\\n::error file=forged.yaml,line=1::{FORGED}"',
    f'"a\\nforged.yaml:1:1: error: {FORGED}"', f'"::warning::{FORGED}"',
    f'"{MENTION} see {LINK} and www.evil.example"', '"<script>alert(1)</script>"',
    '"]]></testcase><x>"', r'"\\N %0A %25 &amp; | ` * _ [a](b)"', r'"\u202eevil\u2066"',
    r'"tab\there\rback\u0085"', "''", '" "', "'#'", "'*'", "x" * 3000,
    # dates
    "2027-02-30", "2027-13-45", '"２０２７-０１-０１"', '"٢٠٢٧-٠١-٠١"', "2027-1-1", "9999-12-31",
    "0000-00-00", "2001-01-01", '"2027-02-28T10:00"',
    # shapes and references
    "[]", "{}", "null", "~", "true", "[[[[[[]]]]]]", "{a: {b: {c: 1}}}", "&anchor x", "*anchor",
    "*missing", "restart", "hangup", "replay", "reprompt", "main", '"1"', "1", "agent",
    # paths (audio, extends, policy)
    "fifo", "liar.wav", "sparse.wav", "folder", "/dev/zero", "/dev/null", "/dev/stdin",
    "zero-link.wav", "good.wav", "missing.wav", "../../../../../../etc/passwd", "/proc/self/environ",
    "gethuman", "expert", "strict.yaml",
]

KEYS = ["ivr", "format", "entry", "locale", "phone", "owner", "defaults", "speech_rate",
        "words_per_minute", "chars_per_second", "scenarios", "nodes", "waivers", "rule", "node",
        "scenario", "reason", "expires", "type", "say", "audio", "duration", "tags", "barge_in",
        "next", "options", "key", "goto", "speech", "outro", "timeout", "max_failures",
        "on_invalid", "on_timeout", "on_exhausted", "then", "digits", "min", "max", "terminator",
        "asks", "cases", "when", "else", "wait", "announces_wait", "queue", "extends", "rules",
        "severity", "enabled", "description", "knowledge", "reaction", "median", "sigma",
        "mistype", "patience", "name", "sources", "title", "url", "file", "max_seconds"]

TOML_KEYS = ["policy", "tool", "ivraudit", "project", "name", "[tool]", "[tool.ivraudit]",
             "tool.ivraudit", '"tool"']
TOML_VALUES = ['"gethuman"', '"strict.yaml"', '"fifo"', '"/dev/zero"', '"."', "5", "[1]",
               '"\\u001b]0;title\\u0007"', f'"a\\n::error::{FORGED}"', '"missing.yaml"', "true",
               '"' + "x" * 300 + '"', "{policy = 1}", "{}", '"\\udcff"', "'''a'''"]

# What platform files may hold: numbers written as text, references, expressions, templates
PLATFORM_VALUES = [
    '"1e999999999"', '"9' + "9" * 400 + '"', '"nan"', '"-inf"', '"-5"', '"0"', '"99999999999"',
    "1e308", "-1", "0", '""', "null", "true", "[]", "{}", '"' + "(" * 300 + "a" + ")" * 300 + '"',
    '"' + "!" * 300 + 'a"', '"${A}${B}"', '"{{flow.variables.x | plus: 1}}"', '"%%X%%"',
    '"$.External.x"', '"#missing"', '"other.vxml#start"', '"fifo"', '"zero-link.wav"',
    '"liar.wav"', '"/dev/zero"', '"../../../../etc/passwd"', '"digit_0"', '"menu-top"',
    '"transfer"', '"Loop"', '"ToAudioBlank(1e999999999)"', '"\\u202eevil"',
    f'"{FORGED}::error::x"', f'"a\\nforged.yaml:1:1: error: {FORGED}"',
]
ATTRIBUTE_VALUES = ["1e999999999", "9" * 400, "nan", "-5", "0", "", "#missing", "fifo",
                    "zero-link.wav", "other.vxml", "../../../../etc/passwd", "(" * 200,
                    "builtin:dtmf/digits?length=999999999", "1-999999999", "menu-exec-app",
                    "&amp;amp;", "${domain}", "phrase:missing", "say:", "/^(1|2)*$/",
                    "silence_stream://99999999999", "transfer"]
ARGUMENT_VALUES = ["1e999999999", "9" * 400, "${X}", "$[" + "(" * 300 + "1" + ")" * 300 + "]",
                   "s,1", "missing,s,1", "", "a&b&c", "|||", "_[9-0]X,1", "main,s,menu"]
PLATFORM_INSERTS = [
    '<!DOCTYPE vxml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n',
    '<!DOCTYPE vxml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
    '<!DOCTYPE vxml SYSTEM "http://evil.example/x.dtd">\n',
    "<x>" * 70 + "</x>" * 70, "[" * 70 + "]" * 70, '{"a": ' * 70 + "1" + "}" * 70,
    "[unclosed\n", "#include extensions.conf\n", "include => main\n",
    "exten => s,1,Goto(s,1)\n", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
]

RAW_INSERTS = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", "\u2028".encode(), "\u2029".encode(),
               "\x85".encode(), b"\x00", b"\x1b", b"\t", b"\r", b"\r\n", "\ufeff".encode(),
               b"\n  ", b": ", b"- ", b"{", b"]", b'"', b"'", b"&a ", b"*a ", b"!!int ", b"? ",
               b"%YAML 1.1\n---\n", b"\n---\n", b"<<: *a\n"]

_VALUE = re.compile(r"(?P<key>[A-Za-z_][\w.-]*|\"[^\"\n]*\")[ \t]*[:=][ \t]+"
                    r"(?P<value>[^,{}\[\]#\n][^,{}\[\]\n]*?)(?=[ \t]*(?:[,}\]]|#|$))", re.MULTILINE)


def _hostile_value(rng: random.Random, kind: str) -> str:
    if kind == "platform":
        return rng.choice(PLATFORM_VALUES + YAML_VALUES[::4])
    return rng.choice(TOML_VALUES if kind == "pyproject" else YAML_VALUES)


_ATTRIBUTE = re.compile(r'(?P<name>[A-Za-z_][\w:.-]*)\s*=\s*"(?P<value>[^"<>]*)"')
_ARGUMENTS = re.compile(r"(?P<app>[A-Za-z]\w*)\((?P<value>[^()\n]*)\)")


def _replace_markup(text: str, rng: random.Random, kind: str) -> str:
    """An XML attribute's value or an application's arguments (`Dial(...)`) made hostile."""
    found = list(_ATTRIBUTE.finditer(text)) + list(_ARGUMENTS.finditer(text))
    if not found:
        return _replace_value(text, rng, kind)
    match = rng.choice(found)
    values = ATTRIBUTE_VALUES if match.re is _ATTRIBUTE else ARGUMENT_VALUES
    return text[:match.start("value")] + rng.choice(values) + text[match.end("value"):]


def _insert_structure(text: str, rng: random.Random, kind: str) -> str:
    """A DTD, deep nesting or a dialplan line, at the start or on a line of its own."""
    inserted = rng.choice(PLATFORM_INSERTS)
    if inserted.startswith("<!DOCTYPE") and text.startswith("<?xml"):
        end = text.index("?>") + 2
        return text[:end] + "\n" + inserted + text[end:]
    lines = text.split("\n")
    at = rng.randrange(len(lines) + 1) if not inserted.startswith("<!DOCTYPE") else 0
    return "\n".join(lines[:at] + [inserted] + lines[at:])


def _replace_value(text: str, rng: random.Random, kind: str) -> str:
    found = list(_VALUE.finditer(text))
    if not found:
        return text
    match = rng.choice(found)
    return text[:match.start("value")] + _hostile_value(rng, kind) + text[match.end("value"):]


def _lines_op(text: str, rng: random.Random, kind: str) -> str:
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.randrange(5)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(j, lines[i])
    elif op == 2:
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:
        lines[i] = ("  " + lines[i]) if rng.random() < 0.5 else lines[i][2:]
    else:
        indent = re.match(r"[ -]*", lines[i]).group(0).replace("-", " ")
        key = rng.choice(TOML_KEYS if kind == "pyproject" else KEYS)
        sep = " = " if kind == "pyproject" else ": "
        lines.insert(i, f"{indent}{key}{sep}{_hostile_value(rng, kind)}")
    return "\n".join(lines)


def _append_block(text: str, rng: random.Random, kind: str) -> str:
    value = lambda: _hostile_value(rng, kind)  # noqa: E731
    if kind == "pyproject":
        return text + f"policy2 = {value()}\n"
    if kind == "policy":
        return text + f"waivers:\n  - {{rule: IVR003, reason: {value()}, expires: {value()}, " \
                      f"file: {value()}}}\n"
    if kind == "persona":
        return text + f"\nsources:\n  - {{title: {value()}, url: {value()}}}\n"
    return text + f"\nwaivers:\n  - {{rule: {value()}, reason: {value()}, node: {value()}, " \
                  f"scenario: {value()}, expires: {value()}}}\n"


def mutate(text: str, rng: random.Random, kind: str) -> bytes:
    """One to three mutations of ``text``; the result may not even be UTF-8."""
    for _ in range(rng.randint(1, 3)):
        if kind == "platform":
            op = rng.choices(("value", "markup", "lines", "structure"), weights=(4, 4, 3, 2))[0]
        else:
            op = rng.choices(("value", "lines", "block"), weights=(6, 3, 1))[0]
        text = {"value": _replace_value, "lines": _lines_op, "block": _append_block,
                "markup": _replace_markup, "structure": _insert_structure}[op](text, rng, kind)
    data = text.encode("utf-8")
    roll = rng.random()
    if roll < 0.15:
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice(RAW_INSERTS) + data[at:]
    elif roll < 0.2:
        data = data[:rng.randrange(len(data) + 1)]
    return data


# -- the folder a case runs in -------------------------------------------------------------------

def _wav_header(fmt: int, channels: int, rate: int, bits: int, data_size: int) -> bytes:
    block = channels * bits // 8
    fmt_chunk = struct.pack("<HHIIHH", fmt, channels, rate, rate * block, block, bits)
    return (b"RIFF" + struct.pack("<I", 4 + 8 + 16 + 8 + data_size) + b"WAVE"
            + b"fmt " + struct.pack("<I", 16) + fmt_chunk
            + b"data" + struct.pack("<I", data_size))


def make_fixtures(folder: Path) -> None:
    """Audio files and odd paths the mutations name: a liar header, a FIFO, a device link ..."""
    with wave.open(str(folder / "good.wav"), "wb") as good:
        good.setnchannels(1)
        good.setsampwidth(2)
        good.setframerate(8000)
        good.writeframes(b"\0\0" * 800)
    (folder / "liar.wav").write_bytes(_wav_header(7, 1, 8000, 8, 256 * 1024 * 1024) + b"\0\0")
    sparse = folder / "sparse.wav"
    sparse.write_bytes(_wav_header(7, 1, 8000, 8, 32 * 1024 * 1024))
    os.truncate(sparse, 44 + 32 * 1024 * 1024)  # a hole: no disk, but 32 MB to read
    os.mkfifo(folder / "fifo")
    (folder / "folder").mkdir()
    os.symlink("/dev/zero", folder / "zero-link.wav")
    (folder / "strict.yaml").write_text("extends: strict\n", encoding="utf-8")


# -- running and judging -------------------------------------------------------------------------

# Characters that act on a terminal or split a line somewhere: C0 (but newline), DEL, C1, the
# Unicode line and paragraph separators, bidirectional overrides and isolates.
_ACTIVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_GITHUB_COMMAND = re.compile(r"::(error|warning|notice) [^:\n]*::[^\n]*")


def judge(args: list[str], result) -> list[str]:
    """What is wrong with one command's run (an empty list: nothing)."""
    problems = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"raised {type(result.exception).__name__}: {result.exception}")
    if result.exit_code not in (0, 1, 2):
        problems.append(f"exit code {result.exit_code}")
    stdout, stderr = result.stdout, result.stderr
    fmt = args[args.index("--format") + 1] if "--format" in args else "text"
    if args[0] == "render" and fmt in ("png", "pdf"):
        stdout = ""
    for name, text in (("stdout", stdout), ("stderr", stderr)):
        if "Traceback" in text:
            problems.append(f"a traceback on {name}")
        active = _ACTIVE.search(text)
        if active:
            problems.append(f"{name} holds the control character {active.group()!r}: "
                            f"{text[max(active.start() - 40, 0):active.end() + 40]!r}")
        for line in text.split("\n"):
            start = line.lstrip()
            is_command = start.startswith("::")
            if is_command and not (name == "stdout" and fmt == "github"
                                   and args[0] in ("audit", "diff")):
                problems.append(f"{name} has a line that GitHub reads as a command: {line[:120]!r}")
            elif is_command and not _GITHUB_COMMAND.fullmatch(line):
                problems.append(f"a malformed workflow command: {line[:120]!r}")
            if start.startswith("forged.yaml:") or start.startswith("::error file=forged"):
                problems.append(f"{name} has a forged line: {line[:120]!r}")
    if args[0] == "audit" and "-o" not in args and stdout:
        if fmt == "markdown" and (MENTION in stdout or LINK in stdout or "www.evil" in stdout):
            problems.append("the Markdown report passes an @mention or a bare link through")
        if fmt == "junit":
            try:
                ET.fromstring(stdout.encode("utf-8"))
            except ET.ParseError as error:
                problems.append(f"the JUnit report is not XML: {error}")
        if fmt in ("json", "sarif"):
            try:
                json.loads(stdout)
            except ValueError as error:
                problems.append(f"the {fmt} report is not JSON: {error}")
    if args[0] == "export" and "-o" not in args and result.exit_code == 0:
        try:
            ET.fromstring(stdout.encode("utf-8"))
        except ET.ParseError as error:
            problems.append(f"the VoiceXML export is not well-formed XML: {error}")
    if result.exit_code == 2 and not stderr.strip():
        problems.append("exit 2 with nothing on stderr")
    return problems


@dataclass
class Case:
    """One fuzz case: the mutated input and the commands run on it."""

    number: int
    kind: str = ""
    seed_name: str = ""
    data: bytes = b""
    commands: list[list[str]] = field(default_factory=list)
    input_name: str = ""  # the file the input is written to (a platform file keeps its name)


FORMATS = ("text", "json", "junit", "sarif", "markdown", "github", "html")
PERSONAS = ("expert", "first-time", "elderly", "keypad-free", "impatient")
RULE_ARGUMENTS = ("IVR003", "one-key-human", "IVR999", "one-key-humen", "\x1b]0;title\x07",
                  f"x\n::error file=forged.yaml::{FORGED}", "::warning::x", "")
KEY_SCRIPTS = ("1", "0", "- - -", "1 2 3", "12345678#", "* #", "2 1 1 1 1", "9 9 9 9")


def build_case(number: int, all_seeds: dict) -> Case:
    """Case ``number``: always the same input and commands."""
    rng = random.Random(number)
    kind = rng.choices(("menu", "policy", "persona", "pyproject"), weights=(12, 3, 3, 1))[0]
    name, text = rng.choice(all_seeds[kind])
    case = Case(number, kind, name, mutate(text, rng, kind))
    fmt = rng.choice(FORMATS)
    if kind == "menu":
        target = "menu.yaml"
        case.commands.append(["audit", "--format", fmt, target])
        extra = rng.random()
        if extra < 0.2:
            case.commands.append(["render", "--format", "dot", target])
        elif extra < 0.3:
            case.commands.append(["render", "-o", "out/drawing.dot", target])
        elif extra < 0.5:
            case.commands.append(["simulate", target, "--keys", rng.choice(KEY_SCRIPTS),
                                  "--format", rng.choice(("text", "json"))])
        elif extra < 0.65:
            case.commands.append(["simulate", target, "--persona", rng.choice(PERSONAS),
                                  "--callers", "20", "--format", rng.choice(("text", "json"))])
        elif extra < 0.75:
            case.commands.append(["call", target])
        elif extra < 0.8:
            case.commands.append(["report", "-o", "out/report", target])
        elif extra < 0.83:
            case.commands.append(["render", "--format", "svg", target])
        elif extra < 0.86:  # the commands that read no file: a hostile argument, and none
            case.commands.append(["rules", rng.choice(RULE_ARGUMENTS)])
            case.commands.append(["schema"])
        elif extra < 0.91:  # the old side a good menu, the new side the hostile one
            case.commands.append(["diff", str(GOOD_MENU), target, "--format",
                                  rng.choice(("text", "json", "markdown", "github"))])
        elif extra < 0.95:
            case.commands.append(["export", "--to", "vxml", target])
        else:
            case.commands.append(["audit", "--format", "json", "-o", "out/audit.json", target])
    elif kind == "policy":
        case.commands.append(["audit", "--policy", "policy.yaml", "--format", fmt, str(GOOD_MENU)])
        if rng.random() < 0.2:
            case.commands.append(["render", "--policy", "policy.yaml", "--format", "dot",
                                  str(GOOD_MENU)])
    elif kind == "persona":
        if rng.random() < 0.7:
            case.commands.append(["simulate", str(GOOD_MENU), "--persona", "persona.yaml",
                                  "--callers", "20", "--format", rng.choice(("text", "json"))])
        else:
            case.commands.append(["simulate", str(GOOD_MENU), "--persona", "persona.yaml",
                                  "--keys", rng.choice(KEY_SCRIPTS)])
    else:
        case.commands.append(["audit", "--format", fmt, str(GOOD_MENU)])
    return case


PLATFORMS = ("connect", "studio", "archy", "vxml", "freeswitch", "asterisk", "ncco")


def build_platform_case(number: int, all_seeds: dict) -> Case:
    """Platform case ``number`` (numbered apart from the other kinds): a mutated flow of one
    platform through audit and one of import, import -o, render, simulate or a forced --from."""
    rng = random.Random(f"platform-{number}")
    name, text = rng.choice(all_seeds["platform"])
    target = Path(name).name
    case = Case(number, "platform", name, mutate(text, rng, "platform"), input_name=target)
    case.commands.append(["audit", "--format", rng.choice(FORMATS), target])
    extra = rng.random()
    if extra < 0.3:
        case.commands.append(["import", target])
    elif extra < 0.45:
        case.commands.append(["import", target, "-o", "out/menu.yaml"])
    elif extra < 0.6:
        case.commands.append(["render", "--format", "dot", target])
    elif extra < 0.75:
        case.commands.append(["simulate", target, "--keys", rng.choice(KEY_SCRIPTS)])
    else:
        case.commands.append(["audit", "--from", rng.choice(PLATFORMS), target])
    return case


INPUT_FILE = {"menu": "menu.yaml", "policy": "policy.yaml", "persona": "persona.yaml",
              "pyproject": "pyproject.toml"}


def run_case(case: Case, folder: Path) -> list[str]:
    """Run the case's commands in ``folder``; every problem found, with the command."""
    make_fixtures(folder)
    (folder / "out").mkdir()
    (folder / (case.input_name or INPUT_FILE[case.kind])).write_bytes(case.data)
    problems = []
    home = os.getcwd()
    os.chdir(folder)
    try:
        for args in case.commands:
            before = _files(folder)
            try:
                with time_bound(BOUND_SECONDS):
                    result = CliRunner().invoke(main, args)
            except Overrun as overrun:
                problems.append(f"{' '.join(args)}: {overrun}")
                continue
            found = judge(args, result)
            written = sorted(path for path, stamp in _files(folder).items()
                             if before.get(path) != stamp and not path.startswith("out/"))
            if written:
                found.append(f"wrote outside out/: {', '.join(written)}")
            if case.kind == "platform" and result.exit_code == 2:
                first = (result.stderr.splitlines() or [""])[0]
                named = f"({re.escape(case.input_name)}|out/[^:]*)"  # the input, or -o's file
                if not re.match(rf"{named}:\d+:\d+: error: ", first):
                    found.append(f"exit 2 without FILE:LINE:COL: {first[:160]!r}")
            problems += [f"{' '.join(args)}: {p}" for p in found]
    finally:
        os.chdir(home)
    return problems


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every regular file under ``folder`` (relative posix path) -> (size, modification time)."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            found[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def describe(case: Case) -> str:
    """A failing case, for the test's message: how to rerun it and the input it ran on."""
    shown = case.data.decode("utf-8", "backslashreplace")
    if len(shown) > 4000:
        shown = shown[:4000] + "\n[...]"
    label = "platform" if case.kind == "platform" else "case"
    return (f"fuzz case {case.number} ({case.kind}, from {case.seed_name}); rerun with "
            f"pytest tests/test_fuzz.py -k {label}-{case.number:05d}\n--- input ---\n{shown}")
