"""GitHub Actions workflow commands: each unsuppressed finding becomes an annotation.

One line per finding, ``::error file=F,line=L,col=C,title=IVR003 one-key-human::message``
(warning: ``::warning``, info: ``::notice``); in a menu with several scenarios the title names
the finding's scenario (``IVR003 one-key-human [elderly]``), so that the same problem found in
two scenarios gives two annotations that can be told apart. Then one ``::error`` line per file
that could not be read. Nothing else is printed, so an audit with no findings prints nothing.
Values are escaped as the Actions runner reads them back (util.safe_text), so no menu text can
end a line early or start a command of its own.
"""

from __future__ import annotations

from ..util.safe_text import github_data as escape_data, github_property as escape_property

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


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


def render(run, color: bool = False) -> str:
    lines = [finding_line(f, len(result.menu.scenarios) > 1)
             for result in run.results for f in result.findings if not f.suppressed]
    lines += [error_line(error) for error in run.errors]
    return "".join(line + "\n" for line in lines)
