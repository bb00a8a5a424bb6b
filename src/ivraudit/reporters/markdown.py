"""The Markdown report, for a pull-request comment (GitHub-flavoured tables).

A heading and a summary line, files that could not be read, then per menu: key metrics per
scenario, a table of the findings and the waived ones with their reasons. Every piece of menu
text (names, prompts, node ids, paths) is escaped (util.safe_text) so that it cannot break a
table, open a code span, start HTML, mention someone or link somewhere.
"""

from __future__ import annotations

from ..format.durations import seconds_text
from ..util.safe_text import markdown, markdown_code
from .words import parts, reach_text

text, code = markdown, markdown_code  # every piece of menu text goes through one of them


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(run) -> str:
    counts = run.counts()
    parts = [_count(counts["menus"], "menu", "menus") + " audited",
             _count(counts["error"], "error", "errors"),
             _count(counts["warning"], "warning", "warnings"),
             f"{counts['info']} info", f"{counts['suppressed']} suppressed"]
    if run.errors:
        parts.append(_count(len(run.errors), "file", "files") + " could not be read")
    return ", ".join(parts) + f" (policy {code(run.policy.name)})."


def metrics_table(result) -> list[str]:
    lines = ["| scenario | keys to a person | forced s | listen s | pressing nothing ends at "
             "| every trick s |",
             "| --- | ---: | ---: | ---: | --- | ---: |"]
    tricks = []
    for name, m in result.scenarios.items():
        if m.human_reachable:
            steps = str(m.steps_to_human)
        else:
            steps = "no person" if m.persistent is None else "only by failing"
            if m.persistent is not None:
                tricks.append(f"- {text(name)}: a person {text(reach_text(m, result.menu))}")
        trick = seconds_text(m.persistent.seconds if m.persistent else None, unit="")
        lines.append(f"| {text(name)} | {steps} | {seconds_text(m.forced_seconds_to_human, unit='')} | "
                     f"{seconds_text(m.listen_seconds_to_human, unit='')} | {code(m.silent.end)} | "
                     f"{trick} |")
    return lines + ([""] + tricks if tricks else [])


def _rule(finding) -> str:
    return f"{finding.rule} {text(finding.name)}"


def _place(finding) -> str:
    return code(f"{finding.file}:{finding.line}")


def findings_table(findings) -> list[str]:
    lines = ["| severity | rule | node | scenario | message | where |",
             "| --- | --- | --- | --- | --- | --- |"]
    for f in findings:
        node = code(f.node) if f.node else ""
        lines.append(f"| {f.severity} | {_rule(f)} | {node} | {text(f.scenario or 'all')} | "
                     f"{text(f.message)} | {_place(f)} |")
    return lines


def waived_list(findings) -> list[str]:
    lines = []
    for f in findings:
        where = f" at {code(f.node)}" if f.node else ""
        scenario = f" ({text(f.scenario)})" if f.scenario else ""
        lines.append(f"- {_rule(f)}{where}{scenario}, {_place(f)}: {text(f.message)}. "
                     f"Waived: {text(f.reason or 'no reason given')}")
    return lines


def menu_section(result) -> list[str]:
    menu = result.menu
    lines = ["", f"### {text(menu.ivr)}", "", code(menu.path), ""] + metrics_table(result)
    open_ = [f for f in result.findings if not f.suppressed]
    waived = [f for f in result.findings if f.suppressed]
    lines.append("")
    lines += findings_table(open_) if open_ else ["No findings."]
    if waived:
        lines += ["", "Suppressed:", ""] + waived_list(waived)
    return lines


def errors_section(errors) -> list[str]:
    lines = ["", "### Files that could not be read", "", "| where | error |", "| --- | --- |"]
    for e in errors:
        hint = f" {text('Hint: ' + e.hint)}" if e.hint else ""
        lines.append(f"| {code(f'{e.path}:{e.line}:{e.column}')} | {text(e.message)}{hint} |")
    return lines


def menu_part(result, run, color: bool = False) -> list[str]:
    """A menu's section of the report, line by line."""
    return menu_section(result)


def render(run, color: bool = False) -> str:
    lines = ["## ivraudit report", "", summary_line(run)]
    if run.errors:
        lines += errors_section(run.errors)
    for section in parts(run, "markdown", menu_part):
        lines += section
    return "\n".join(lines) + "\n"
