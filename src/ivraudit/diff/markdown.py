"""The diff as a pull-request comment (GitHub-flavoured Markdown).

First what a reviewer must see: the headline (how many regressions), the regressions in a table,
then per changed menu and scenario every metric before and after with its change (regressions in
bold), the findings added and fixed; unchanged menus in one folded line. Every piece of menu text
is escaped (reporters.markdown) so that it cannot break a table or start HTML.
"""

from __future__ import annotations

from ..reporters.markdown import code, findings_table, text
from .words import scenario_rows


def _headline(diff) -> list[str]:
    counts = diff.counts()
    regressions = counts["regressions"]
    if regressions:
        head = f"**{regressions} regression{'s' if regressions != 1 else ''}**: reaching a " \
               "person got harder."
    elif any(m.status != "unchanged" for m in diff.menus):
        head = "No regression: reaching a person got no harder."
    else:
        head = "No change to the menus' metrics or findings."
    menus = ", ".join(f"{n} {status}" for status, n in counts["menus"].items() if n)
    found = counts["findings"]
    return [head, "",
            f"{code(diff.old.label)} → {code(diff.new.label)} · policy "
            f"{code(diff.new.run.policy.name)} · menus: {menus or 'none'} · findings: "
            f"{found['added']} added, {found['fixed']} fixed"]


def _regressions(diff) -> list[str]:
    lines = ["", "### Regressions", "", "| where | scenario | what got worse |",
             "| --- | --- | --- |"]
    for r in diff.regressions:
        lines.append(f"| {code(f'{r.file}:{r.line}')} | {text(r.scenario or 'all')} | "
                     f"{text(r.message)} |")
    return lines


def _cell(value: str, bold: bool) -> str:
    return f"**{text(value)}**" if bold and value else text(value)


def _scenario(name: str, scenario: dict, regressions) -> list[str]:
    status = scenario["status"]
    if status in ("unchanged", "removed"):
        return ["", f"Scenario {code(name)}: {status}."]
    lines = ["", f"Scenario {code(name)}: {status}.", "",
             "| metric | before | after | change |", "| --- | ---: | ---: | ---: |"]
    for row in scenario_rows(scenario["metrics"], regressions, scenario.get("estimated")):
        lines.append(f"| {_cell(row.label, row.regressed)} | {text(row.before)} | "
                     f"{_cell(row.after, row.regressed)} | {_cell(row.change, row.regressed)} |")
    return lines


def _menu(menu, regressions) -> list[str]:
    was = f", was {code(menu.old_file)}" if menu.old_file and menu.old_file != menu.file else ""
    lines = ["", f"### {text(menu.ivr)}", "", f"{code(menu.file)}{was}: {menu.status}."]
    if menu.status != "removed":
        for name, scenario in menu.scenarios.items():
            lines += _scenario(name, scenario, [r for r in regressions if r.scenario == name])
    for name, found in menu.structure.items():
        for sign, key in (("+", "added"), ("−", "removed")):
            if found[key]:
                shown = ", ".join(code(" ".join(v) if isinstance(v, list) else v)
                                  for v in found[key])
                lines += ["", f"{text(name.replace('_', ' '))}: {sign} {shown}"]
    if menu.added:
        lines += ["", "Findings added:", ""] + findings_table(menu.added)
    if menu.fixed:
        lines += ["", "Findings fixed:", ""] + findings_table([f for f, _ in menu.fixed])
    return lines


def render(diff, color: bool = False) -> str:
    lines = ["## ivraudit diff", ""] + _headline(diff)
    if diff.regressions:
        lines += _regressions(diff)
    unchanged = [m for m in diff.menus if m.status == "unchanged"]
    for menu in diff.menus:
        if menu.status != "unchanged":
            mine = [r for r in diff.regressions if r.file in (menu.file, menu.old_file)]
            lines += _menu(menu, mine)
    if unchanged:
        names = ", ".join(code(m.file) for m in unchanged)
        lines += ["", f"<details><summary>{len(unchanged)} unchanged menu"
                      f"{'s' if len(unchanged) != 1 else ''}</summary>", "", names, "",
                  "</details>"]
    return "\n".join(lines) + "\n"
