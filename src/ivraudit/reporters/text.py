"""The text report: a per-menu summary a compliance officer can read."""

from __future__ import annotations

from collections.abc import Iterator

from ..format.durations import seconds_text
from ..util.safe_text import terminal
from .words import keys_text, parts, persistent_text, reach_text, spoken_text

_SILENT_ENDS = {"hangup": "the menu hangs up", "loop": "the call loops forever"}


def _reach(m, menu) -> list[str]:
    nodes = menu.nodes
    if not m.human_reachable:
        words = "NOT REACHABLE in this scenario" if m.persistent is None else \
            f"NO KEY SEQUENCE; {reach_text(m, menu)}"
        return [f"  a person:          {words}"]
    human = m.paths["forced"][-1][0]
    wait = f", then about {m.wait_seconds} s in the queue" if m.wait_seconds is not None else ""
    lines = [
        f"  a person:          reachable ({human}{wait})",
        f"  fewest keys:       {m.steps_to_human} ({keys_text(m.paths['steps'], nodes)})",
        f"  forced listening:  {seconds_text(m.forced_seconds_to_human)} that cannot be skipped "
        f"({keys_text(m.paths['forced'], nodes)})",
    ]
    if m.listen_seconds_to_human is None:
        lines.append("  first-time caller: cannot find a person: only hidden options lead there")
    else:
        lines.append(f"  first-time caller: {seconds_text(m.listen_seconds_to_human)} of listening "
                     f"({keys_text(m.paths['listen'], nodes)})")
    return lines


def _silent(m, nodes) -> str:
    call = m.silent
    if call.reached_human:
        return f"  pressing nothing:  reaches a person ({call.end}) after {seconds_text(call.seconds)}"
    if call.end in _SILENT_ENDS:
        return f"  pressing nothing:  {_SILENT_ENDS[call.end]} after {seconds_text(call.seconds)}"
    return f"  pressing nothing:  ends at {call.end} ({nodes[call.end].type}) after " \
           f"{seconds_text(call.seconds)}"


def _one_key(m, entry_menu: str | None) -> str:
    if not m.one_key_human:
        return "  one key to a person: no menu has one"
    parts = []
    for menu_id, keys in m.one_key_human.items():
        shown = ", ".join(k["key"] + ("" if k["announced"] else " (hidden)") for k in keys)
        parts.append(f"{menu_id}: {shown}")
    first = "" if entry_menu in m.one_key_human else " (none in the first menu)"
    return "  one key to a person: " + "; ".join(parts) + first


def _mistype(m) -> list[str]:
    if not m.mistype:
        return []
    rows = [("menu", "key", "what happens", "extra forced", "extra keys", "verdict")]
    for row in m.mistype:
        if row.penalty_seconds is None:
            extra, keys, verdict = "-", "-", "a person can no longer be reached"
        else:
            extra = "+" + seconds_text(row.penalty_seconds)
            keys = f"+{row.penalty_steps}"
            verdict = "forces a replay" if row.forces_replay else "no cost"
        rows.append((row.node, row.key, row.outcome, extra, keys, verdict))
    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    lines = ["  one wrong key at each menu on the way to a person:"]
    for r in rows:
        lines.append("    " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + r[5])
    return lines


def _names(ids: list[str], limit: int = 12) -> str:
    if not ids:
        return "none"
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _first_menu(result) -> str | None:
    path = result.metrics.first_scenario().paths["steps"] or []
    nodes = result.menu.nodes
    return next((n for n, _ in path if nodes[n].type == "menu"), None)


def render_result(result) -> list[str]:
    """The summary of one menu, line by line (menu text as written: ``render`` makes it safe)."""
    menu, nodes = result.menu, result.menu.nodes
    about = ", ".join(x for x in (menu.phone, menu.owner, menu.locale, f"{len(nodes)} nodes") if x)
    lines = [f"{menu.ivr}", f"{menu.path} ({about})"]
    for name, m in result.scenarios.items():
        lines.append(f"scenario {name}:")
        lines += _reach(m, menu)
        lines.append(_silent(m, nodes))
        lines.append(f"  every trick:       {persistent_text(m, menu)}")
        if result.graph.graph["speech"]:
            lines.append(f"  speaking caller:   {spoken_text(m)}")
        lines.append(_one_key(m, _first_menu(result)))
        lines += _mistype(m)
        lines.append(f"  menu depth:        {m.depth}")
    shape = result.metrics.structure
    lines.append("structure (all scenarios):")
    lines.append(f"  unreachable nodes: {_names(shape.unreachable)}")
    lines.append(f"  dead ends (no person or callback after them): {_names(shape.dead_ends)}")
    traps = ["{" + ", ".join(trap) + "}" for trap in shape.traps]
    lines.append(f"  traps (no way out): {_names(traps)}")
    return lines


_COLORS = {"error": "31", "warning": "33", "info": "34", "suppressed": "2"}


def _paint(text: str, kind: str, color: bool) -> str:
    return f"\033[{_COLORS[kind]}m{text}\033[0m" if color else text


def finding_line(f, show_scenario: bool) -> str:
    """``FILE:LINE:COL: SEVERITY: MESSAGE [SCENARIO] (RULE NAME)``, as compilers print."""
    kind = "suppressed" if f.suppressed else f.severity
    scenario = f" [{f.scenario}]" if f.scenario and show_scenario else ""
    line = f"{f.file}:{f.line}:{f.column}: {kind}: {f.message}{scenario} ({f.rule} {f.name})"
    return line + (f" -- waived: {f.reason}" if f.suppressed else "")


def render_findings(result, color: bool) -> list[str]:
    """One line per finding, each made safe for a terminal before it is coloured."""
    if not result.findings:
        return ["findings: none"]
    lines = [f"findings ({len(result.findings)}):"]
    for f in result.findings:
        kind = "suppressed" if f.suppressed else f.severity
        lines.append(_paint(terminal("  " + finding_line(f, len(result.scenarios) > 1)), kind,
                            color))
    return lines


def failing_part(result, run, color: bool = False) -> list[str]:
    """A menu's lines of the terse report: its findings that fail the run."""
    return [_paint(terminal(finding_line(f, len(result.scenarios) > 1)), f.severity, color)
            for f in result.findings if f.counts_at(run.fail_on)]


def failing_lines(run, color: bool = False) -> str:
    """The terse report (`audit --quiet`): one line per finding that fails the run, then a
    summary line; nothing at all when none fails."""
    lines, failing_menus = [], 0
    for failing in parts(run, "quiet", failing_part, color):
        failing_menus += bool(failing)
        lines += failing
    if not lines:
        return ""
    menus = len(run.results)
    summary = (f"ivraudit: {len(lines)} finding(s) at or above {run.fail_on} in {failing_menus} "
               f"of {menus} menu(s); `ivraudit audit FILE` shows the full report")
    return "\n".join(lines + [summary]) + "\n"


def menu_part(result, run, color: bool = False) -> str:
    """A menu's block of the report: its summary and its findings."""
    return "\n".join([terminal(line) for line in render_result(result)]
                     + render_findings(result, color))


def render(run, color: bool = False) -> str:
    """The report; every line made safe for a terminal (a value's newline is shown, never
    printed: no menu text can start a line of its own)."""
    return "".join(chunks(run, color))


def chunks(run, color: bool = False) -> Iterator[str]:
    """The report in pieces, a menu's block at a time (what ``render`` joins)."""
    for block in parts(run, "text", menu_part, color):
        yield block
        yield "\n\n"
    counts = run.counts()
    menus = counts.pop("menus")
    summary = (f"{menus} menu(s) audited with policy {run.policy.name}: "
               + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    if run.errors:
        summary += f"; {len(run.errors)} file(s) could not be read"
    yield terminal(summary) + "\n"
