"""The diff for a terminal: per menu and scenario every metric before and after with its change
(regressions marked), the findings added and fixed, then the regressions and a summary line.
Every line is made safe for a terminal (util.safe_text.terminal) before it is coloured: a menu's
name or a file name cannot move the cursor or set the window's title."""

from __future__ import annotations

from ..reporters.text import finding_line
from ..util.safe_text import terminal
from .words import scenario_rows

_RED = "\033[31m{}\033[0m"


def _scenario(name: str, scenario: dict, regressions, color: bool) -> list[str]:
    status = scenario["status"]
    lines = [terminal(f"  scenario {name}: {status}")]
    if status in ("unchanged", "removed"):
        return lines
    rows = scenario_rows(scenario["metrics"], regressions, scenario.get("estimated"))
    width = max(len(row.label) for row in rows)
    for row in rows:
        line = terminal(f"    {row.label:<{width}}  {row.before} -> {row.after}"
                        + (f"  ({row.change})" if row.change else ""))
        if row.regressed:
            line = _RED.format(line + "  REGRESSION") if color else line + "  REGRESSION"
        lines.append(line)
    return lines


def _structure(structure: dict) -> list[str]:
    lines = []
    for name, found in structure.items():
        for sign, key in (("+", "added"), ("-", "removed")):
            if found[key]:
                shown = ", ".join("{" + ", ".join(v) + "}" if isinstance(v, list) else v
                                  for v in found[key])
                lines.append(terminal(f"  {name.replace('_', ' ')}: {sign} {shown}"))
    return lines


def render_menu(menu, regressions, color: bool) -> list[str]:
    was = f" (was {menu.old_file})" if menu.old_file and menu.old_file != menu.file else ""
    lines = [terminal(f"{menu.file} ({menu.ivr}): {menu.status}{was}")]
    if menu.status == "unchanged":
        return lines
    if menu.status != "removed":
        for name, scenario in menu.scenarios.items():
            lines += _scenario(name, scenario, [r for r in regressions if r.scenario == name],
                               color)
    lines += _structure(menu.structure)
    several = len(menu.scenarios) > 1
    if menu.added:
        lines.append(f"  findings added ({len(menu.added)}):")
        lines += [terminal("    " + finding_line(f, several)) for f in menu.added]
    if menu.fixed:
        lines.append(f"  findings fixed ({len(menu.fixed)}):")
        lines += [terminal("    " + finding_line(f, several) + (f" -- now waived: {reason}"
                                                                 if reason else ""))
                  for f, reason in menu.fixed]
    return lines


def summary_line(diff) -> str:
    counts = diff.counts()
    menus = ", ".join(f"{n} {status}" for status, n in counts["menus"].items())
    found = counts["findings"]
    return (f"menus: {menus}; findings: {found['added']} added, {found['fixed']} fixed; "
            f"{counts['regressions']} regression{'' if counts['regressions'] == 1 else 's'}")


def render(diff, color: bool = False) -> str:
    header = (f"ivraudit diff: {diff.old.label} -> {diff.new.label} (policy "
              f"{diff.new.run.policy.name}; new findings count from {diff.fail_on})")
    blocks = [terminal(header)]
    for menu in diff.menus:
        mine = [r for r in diff.regressions if r.file in (menu.file, menu.old_file)]
        blocks.append("\n".join(render_menu(menu, mine, color)))
    if diff.regressions:
        several = {m.file for m in diff.menus if len(m.scenarios) > 1}
        lines = [f"regressions ({len(diff.regressions)}):"]
        for r in diff.regressions:
            scenario = f" [{r.scenario}]" if r.scenario and r.file in several else ""
            line = terminal(f"  {r.file}:{r.line}:{r.column}: {r.message}{scenario}")
            lines.append(_RED.format(line) if color else line)
        blocks.append("\n".join(lines))
    if not diff.menus:
        blocks.append("no menus on either side")
    blocks.append(summary_line(diff))
    return "\n\n".join(blocks) + "\n"
