"""The diff for a terminal: per menu and scenario every metric before and after with its change
(regressions marked), the findings added and fixed, then the regressions and a summary line."""

from __future__ import annotations

from ..reporters.text import finding_line
from .words import LABELS, change_text, value_text

# metric -> the regression that judges it (compare.py)
JUDGED_BY = {"human_reachable": "reach", "steps_to_human": "steps",
             "forced_seconds_to_human": "forced_seconds",
             "listen_seconds_to_human": "listen_seconds",
             "silent_seconds_to_human": "silent_seconds", "depth": "depth"}
_RED = "\033[31m{}\033[0m"


def metric_rows(metrics: dict) -> list[tuple[str, str, str, str, str]]:
    """(metric, label, before, after, change) for every scalar metric, nested ones flattened."""
    rows = []
    for name, value in metrics.items():
        if name in ("mistype", "one_key_human"):
            continue
        parts = value.items() if "before" not in value else [("", value)]
        for part, compared in parts:
            metric = f"{name}.{part}" if part else name
            change = compared["change"]
            rows.append((metric, LABELS[metric], value_text(metric, compared["before"]),
                         value_text(metric, compared["after"]),
                         change_text(metric, change) if change else ""))
    return rows


def mistype_text(row: dict | None) -> str:
    """One mistype row: 'key 0: restart, +12.0 s, +0 keys'."""
    if row is None:
        return "not on the way"
    if row["penalty_seconds"] is None:
        return f"key {row['key']}: {row['outcome']}, no person any more"
    seconds = value_text("penalty_seconds", row["penalty_seconds"])
    return f"key {row['key']}: {row['outcome']}, +{seconds}, +{row['penalty_steps']} keys"


def one_key_text(found: dict | None) -> str:
    if not found:
        return "none"
    return "; ".join(f"{menu} " + ", ".join(k["key"] + ("" if k["announced"] else " (hidden)")
                                            for k in keys) for menu, keys in found.items())


def _scenario(name: str, scenario: dict, marked: set, color: bool) -> list[str]:
    status = scenario["status"]
    if status in ("unchanged", "removed"):
        return [f"  scenario {name}: {status}"]
    metrics = scenario["metrics"]
    rows = metric_rows(metrics)
    width = max(len(label) for _, label, *_ in rows)
    lines = [f"  scenario {name}: {status}"]
    for metric, label, before, after, change in rows:
        flag = "  REGRESSION" if JUDGED_BY.get(metric) in marked else ""
        line = f"    {label:<{width}}  {before} -> {after}" + (f"  ({change})" if change else "")
        lines.append(_RED.format(line + flag) if flag and color else line + flag)
    for row in metrics["mistype"]:
        if row["before"] != row["after"]:
            flag = "  REGRESSION" if ("mistype", row["node"]) in marked else ""
            lines.append(f"    wrong key at {row['node']}: {mistype_text(row['before'])} -> "
                         f"{mistype_text(row['after'])}{flag}")
    one_key = metrics["one_key_human"]
    if one_key["added"] or one_key["removed"]:
        lines.append(f"    one key to a person: {one_key_text(one_key['before'])} -> "
                     f"{one_key_text(one_key['after'])}")
    return lines


def _structure(structure: dict) -> list[str]:
    lines = []
    for name, found in structure.items():
        for sign, key in (("+", "added"), ("-", "removed")):
            if found[key]:
                shown = ", ".join("{" + ", ".join(v) + "}" if isinstance(v, list) else v
                                  for v in found[key])
                lines.append(f"  {name.replace('_', ' ')}: {sign} {shown}")
    return lines


def render_menu(menu, regressions, color: bool) -> list[str]:
    was = f" (was {menu.old_file})" if menu.old_file and menu.old_file != menu.file else ""
    lines = [f"{menu.file} ({menu.ivr}): {menu.status}{was}"]
    if menu.status == "unchanged":
        return lines
    for name, scenario in menu.scenarios.items():
        marked = {r.what for r in regressions if r.scenario == name} | \
                 {("mistype", r.node) for r in regressions
                  if r.scenario == name and r.what.startswith("mistype")}
        if menu.status != "removed":
            lines += _scenario(name, scenario, marked, color)
    lines += _structure(menu.structure)
    several = len(menu.scenarios) > 1
    if menu.added:
        lines.append(f"  findings added ({len(menu.added)}):")
        lines += ["    " + finding_line(f, several) for f in menu.added]
    if menu.fixed:
        lines.append(f"  findings fixed ({len(menu.fixed)}):")
        lines += ["    " + finding_line(f, several) + (f" -- now waived: {reason}" if reason
                                                       else "") for f, reason in menu.fixed]
    return lines


def summary_line(diff) -> str:
    counts = diff.counts()
    menus = ", ".join(f"{n} {status}" for status, n in counts["menus"].items())
    found = counts["findings"]
    return (f"menus: {menus}; findings: {found['added']} added, {found['fixed']} fixed; "
            f"{counts['regressions']} regression(s)")


def render(diff, color: bool = False) -> str:
    header = (f"ivraudit diff: {diff.old.label} -> {diff.new.label} (policy "
              f"{diff.new.run.policy.name}; new findings count from {diff.fail_on})")
    blocks = [header]
    for menu in diff.menus:
        mine = [r for r in diff.regressions if r.file in (menu.file, menu.old_file)]
        blocks.append("\n".join(render_menu(menu, mine, color)))
    if diff.regressions:
        several = {m.file for m in diff.menus if len(m.scenarios) > 1}
        lines = [f"regressions ({len(diff.regressions)}):"]
        for r in diff.regressions:
            scenario = f" [{r.scenario}]" if r.scenario and r.file in several else ""
            line = f"  {r.file}:{r.line}:{r.column}: {r.message}{scenario}"
            lines.append(_RED.format(line) if color else line)
        blocks.append("\n".join(lines))
    if not diff.menus:
        blocks.append("no menus on either side")
    blocks.append(summary_line(diff))
    return "\n\n".join(blocks) + "\n"
