"""GitHub Actions workflow commands: each unsuppressed finding becomes an annotation.

One line per finding, ``::error file=F,line=L,col=C,title=IVR003 one-key-human::message``
(warning: ``::warning``, info: ``::notice``); in a menu with several scenarios the title names
the finding's scenario (``IVR003 one-key-human [elderly]``), so that the same problem found in
two scenarios gives two annotations that can be told apart. Each file that could not be read is
an ``::error`` too.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job;
actions/toolkit docs/problem-matchers.md, "Limitations") and drops the rest silently. So errors
come first (files that could not be read, then error findings), then warnings, then notices, at
most ``PER_KIND`` of each, and when some are left out a last ``::notice`` says how many and where
to see them all (the job summary, which `audit --format github` writes under Actions). An audit
with no findings prints nothing. Values are escaped as the Actions runner reads them back (util.safe_text), so no
menu text can end a line early or start a command of its own.
"""

from __future__ import annotations

from ..util.safe_text import github_data as escape_data, github_property as escape_property
from .words import parts

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
PER_KIND = 10  # annotations of one kind GitHub shows per step


def command(kind: str, message: str, **properties) -> str:
    """One workflow command line (no line break)."""
    props = ",".join(f"{name}={escape_property(str(value))}"
                     for name, value in properties.items() if value is not None)
    return f"::{kind} {props}::{escape_data(message)}"


def finding_line(finding, show_scenario: bool = False) -> str:
    title = f"{finding.rule} {finding.name}"
    if show_scenario and finding.scenario is not None:
        title += f" [{finding.scenario}]"
    return command(COMMANDS[finding.severity], finding.message, file=finding.file,
                   line=finding.line, col=finding.column, title=title)


def error_line(error) -> str:
    message = error.message + (f"\nhint: {error.hint}" if error.hint else "")
    return command("error", message, file=error.path, line=error.line, col=error.column,
                   title="ivraudit: cannot read this menu")


def capped(lines: dict[str, list[str]], what: str) -> list[str]:
    """At most ``PER_KIND`` lines of each kind (error, warning, notice), errors first, and a
    notice counting the lines left out (it takes one of the notices' places)."""
    shown = {kind: found[:PER_KIND] for kind, found in lines.items()}
    left_out = sum(len(found) - len(shown[kind]) for kind, found in lines.items())
    if left_out and len(shown["notice"]) == PER_KIND:
        shown["notice"].pop()
        left_out += 1
    out = shown["error"] + shown["warning"] + shown["notice"]
    if left_out:
        out.append(command("notice", f"{left_out} more {what} not shown as annotations (GitHub "
                                     f"shows {PER_KIND} of each kind per step): see the job "
                                     "summary, or run ivraudit locally",
                           title="ivraudit: more findings"))
    return out


def menu_part(result, run, color: bool = False) -> list[tuple[str, str]]:
    """A menu's annotations: (kind, line) per unsuppressed finding."""
    return [(COMMANDS[f.severity], finding_line(f, len(result.menu.scenarios) > 1))
            for f in result.findings if not f.suppressed]


def render(run, color: bool = False) -> str:
    lines = {"error": [error_line(error) for error in run.errors], "warning": [], "notice": []}
    for menu in parts(run, "github", menu_part):
        for kind, line in menu:
            lines[kind].append(line)
    return "".join(line + "\n" for line in capped(lines, "findings"))
