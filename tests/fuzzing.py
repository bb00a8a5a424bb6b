"""A seeded mutation fuzzer: hostile and odd input through every subcommand.

Each case takes one real input (an example menu, a built-in policy or persona, or a
pyproject.toml), mutates it one to three times (a hostile value in place of a value, a line
deleted, moved, duplicated or re-indented, a hostile line inserted, bytes inserted, the file cut
short), and runs subcommands on it in-process with click's CliRunner. A case fails when a command

- exits with a code other than 0, 1 or 2, or raises (a traceback),
- runs past ``BOUND_SECONDS``,
- prints a control character (an escape sequence, a bell, a NUL ...) or a line that a terminal,
  a CI log or an editor would take for something else: a GitHub workflow command (``::error``)
  outside the github format, a forged ``FILE:LINE:COL: error:`` line, a Markdown @mention or
  bare link, XML that does not parse, JSON that does not load.

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
import signal
import struct
import wave
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from helpers import MENUS, ROOT
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

    return {"menu": read(MENUS.glob("*.yaml")),
            "policy": read((PACKAGE / "audit" / "policies").glob("*.yaml")),
            "persona": read((PACKAGE / "simulate" / "personas").glob("*.yaml")),
            "pyproject": [("pyproject.toml", PYPROJECT)]}


# -- what goes in ------------------------------------------------------------------------------

# Hostile text carries these markers; the checks look for them in the output.
FORGED = "FORGED"
MENTION, LINK = "@octocat", "https://evil.example"

YAML_VALUES = [
    # explicit tags that cannot build their value, or are not allowed
    "!!bool x", "!!int x", "!!float x", "!!seq {a: 1}", "!!map [1, 2]", "!!null x",
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

RAW_INSERTS = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", "\u2028".encode(), "\u2029".encode(),
               "\x85".encode(), b"\x00", b"\x1b", b"\t", b"\r", b"\r\n", "\ufeff".encode(),
               b"\n  ", b": ", b"- ", b"{", b"]", b'"', b"'", b"&a ", b"*a ", b"!!int ", b"? ",
               b"%YAML 1.1\n---\n", b"\n---\n", b"<<: *a\n"]

_VALUE = re.compile(r"(?P<key>[A-Za-z_][\w.-]*|\"[^\"\n]*\")[ \t]*[:=][ \t]+"
                    r"(?P<value>[^,{}\[\]#\n][^,{}\[\]\n]*?)(?=[ \t]*(?:[,}\]]|#|$))", re.MULTILINE)


def _hostile_value(rng: random.Random, kind: str) -> str:
    return rng.choice(TOML_VALUES if kind == "pyproject" else YAML_VALUES)


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
        op = rng.choices(("value", "lines", "block"), weights=(6, 3, 1))[0]
        text = {"value": _replace_value, "lines": _lines_op, "block": _append_block}[op](
            text, rng, kind)
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

class Overrun(BaseException):
    """A command ran past the bound (BaseException: no `except Exception` swallows it)."""


@contextmanager
def time_bound(seconds: float):
    def ring(signum, frame):
        raise Overrun(f"ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
            if is_command and not (name == "stdout" and fmt == "github" and args[0] == "audit"):
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


INPUT_FILE = {"menu": "menu.yaml", "policy": "policy.yaml", "persona": "persona.yaml",
              "pyproject": "pyproject.toml"}


def run_case(case: Case, folder: Path) -> list[str]:
    """Run the case's commands in ``folder``; every problem found, with the command."""
    make_fixtures(folder)
    (folder / "out").mkdir()
    (folder / INPUT_FILE[case.kind]).write_bytes(case.data)
    problems = []
    home = os.getcwd()
    os.chdir(folder)
    try:
        for args in case.commands:
            try:
                with time_bound(BOUND_SECONDS):
                    result = CliRunner().invoke(main, args)
            except Overrun as overrun:
                problems.append(f"{' '.join(args)}: {overrun}")
                continue
            problems += [f"{' '.join(args)}: {p}" for p in judge(args, result)]
    finally:
        os.chdir(home)
    return problems


def describe(case: Case) -> str:
    """A failing case, for the test's message: how to rerun it and the input it ran on."""
    shown = case.data.decode("utf-8", "backslashreplace")
    if len(shown) > 4000:
        shown = shown[:4000] + "\n[...]"
    return (f"fuzz case {case.number} ({case.kind}, from {case.seed_name}); rerun with "
            f"pytest tests/test_fuzz.py -k case-{case.number:05d}\n--- input ---\n{shown}")
