"""GitHub Actions workflow commands: each unsuppressed finding becomes an annotation.

One line per finding (one cause), ``::error file=F,line=L,col=C,title=IVR003
one-key-human::message`` (warning: ``::warning``, info: ``::notice``); a cause found at several
nodes adds their count and list to the message, on a line of its own; in a menu with several
scenarios the title names the finding's scenarios (``IVR003 one-key-human [elderly]``, or
``[every scenario]``). Messages follow ``--lang``. Each file that could not be read is an
``::error`` too.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and 50 per job;
actions/toolkit docs/problem-matchers.md, "Limitations") and drops the rest silently. So errors
come first (files that could not be read, then error findings), then warnings, then notices, at
most ``PER_KIND`` of each, and when some are left out a last ``::notice`` says how many and where
to see them all (the job summary, which `audit --format github` writes under Actions). An audit
with no findings prints nothing. Values are escaped as the Actions runner reads them back (util.safe_text), so no
menu text can end a line early or start a command of its own.
"""

from __future__ import annotations

from ..i18n import ENGLISH, N_, Translator, msg
from ..util.safe_text import github_data as escape_data, github_property as escape_property
from .words import occurrences_text, parts, scenarios_text

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
PER_KIND = 10  # annotations of one kind GitHub shows per step


def command(kind: str, message: str, **properties) -> str:
    """One workflow command line (no line break)."""
    props = ",".join(f"{name}={escape_property(str(value))}"
                     for name, value in properties.items() if value is not None)
    return f"::{kind} {props}::{escape_data(message)}"


def finding_line(finding, show_scenario: bool = False, tr: Translator = ENGLISH,
                 menu_scenarios=()) -> str:
    title = f"{finding.rule} {finding.name}"
    if show_scenario and finding.scenarios:
        title += f" [{scenarios_text(finding.scenarios, menu_scenarios or finding.scenarios, tr)}]"
    message = tr.text(finding)
    where = occurrences_text(finding, menu_scenarios or finding.scenarios, tr)
    if where:
        message += "\n" + where
    return command(COMMANDS[finding.severity], message, file=finding.file,
                   line=finding.line, col=finding.column, title=title)


def error_line(error) -> str:
    message = error.message + (f"\nhint: {error.hint}" if error.hint else "")
    return command("error", message, file=error.path, line=error.line, col=error.column,
                   title="ivraudit: cannot read this menu")


def capped(lines: dict[str, list[str]], what: str, tr: Translator = ENGLISH) -> list[str]:
    """At most ``PER_KIND`` lines of each kind (error, warning, notice), errors first, and a
    notice counting the lines left out (it takes one of the notices' places); ``what``: the
    lines' name in ``tr``'s language."""
    shown = {kind: found[:PER_KIND] for kind, found in lines.items()}
    left_out = sum(len(found) - len(shown[kind]) for kind, found in lines.items())
    if left_out and len(shown["notice"]) == PER_KIND:
        shown["notice"].pop()
        left_out += 1
    out = shown["error"] + shown["warning"] + shown["notice"]
    if left_out:
        out.append(command("notice", tr.render(msg(
            N_("{n} more {what} not shown as annotations (GitHub shows {per_kind} of each kind "
               "per step): see the job summary, or run ivraudit locally"),
            n=left_out, what=what, per_kind=PER_KIND)), title="ivraudit: more findings"))
    return out


def menu_part(result, run, color: bool = False, lang: str = "en") -> list[tuple[str, str]]:
    """A menu's annotations: (kind, line) per unsuppressed finding."""
    tr, scenarios = Translator(lang), list(result.menu.scenarios)
    return [(COMMANDS[f.severity], finding_line(f, len(scenarios) > 1, tr, scenarios))
            for f in result.findings if not f.suppressed]


def render(run, color: bool = False, lang: str = "en") -> str:
    tr = Translator(lang)
    lines = {"error": [error_line(error) for error in run.errors], "warning": [], "notice": []}
    for menu in parts(run, "github", menu_part, color, lang):
        for kind, line in menu:
            lines[kind].append(line)
    return "".join(line + "\n" for line in capped(lines, tr(N_("findings")), tr))
