"""The diff as GitHub Actions workflow commands: one annotation per regression, at the file, line
and column where it shows (the menu's entry node, the mistype's menu, the new finding), an error
when the run fails on regressions (`--fail-on-regression`) and a warning otherwise; errors first,
at most what GitHub shows, the rest counted (reporters.github). Nothing else is printed: the
Markdown diff goes to the job summary (`diff --format github` writes it under Actions)."""

from __future__ import annotations

from ..reporters.github import capped, command


def render(diff, color: bool = False) -> str:
    kind = "error" if diff.fail_on_regression else "warning"
    several = {m.file for m in diff.menus if len(m.scenarios) > 1}
    lines = {"error": [], "warning": [], "notice": []}
    for r in diff.regressions:
        scenario = f" [{r.scenario}]" if r.scenario and r.file in several else ""
        lines[kind].append(command(kind, r.message, file=r.file, line=r.line, col=r.column,
                                   title=f"ivraudit diff: {r.what}{scenario}"))
    return "".join(line + "\n" for line in capped(lines, "regressions"))
