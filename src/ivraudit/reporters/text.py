"""The text report: per menu a verdict to read first, the assumptions, the metrics per
scenario and the findings (one per cause, with the nodes and scenarios it concerns); then the
audit's date, tool version and policy with the rules it applies. Every word through the
reader's language (``lang``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .. import __version__
from .. import rules as catalogue
from ..i18n import ENGLISH, N_, Np_, Seconds, Translator, msg, msgn
from ..i18n.words import node_type
from ..rules.tricks import keys_text
from ..util.safe_text import terminal
from . import summary
from .words import (
    changed_settings, differing, extent_text, occurrences_text, parts,
    persistent_text, reach_text, scenarios_text, spoken_text, yaml_value,
)

_SILENT_ENDS = {"hangup": N_("the menu hangs up after {seconds}"),
                "loop": N_("the call loops forever after {seconds}")}
# a wrong key's verdict by its outcome (restart is never called a replay)
_OUTCOMES = {"replay": N_("forces a replay"), "reprompt": N_("forces the options again"),
             "restart": N_("forces a restart")}


def width(text: str) -> int:
    """Display columns: a CJK character takes two."""
    if text.isascii():  # most cells: no wide character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    """Rows of cells aligned in columns (by display width); the last cell is not padded."""
    widths = [max(width(row[i]) for row in rows if i < len(row) - 1) for i in
              range(max(len(r) for r in rows) - 1)]
    return [indent + "  ".join(pad(cell, widths[i]) if i < len(row) - 1 else cell
                               for i, cell in enumerate(row)).rstrip() for row in rows]


def _label(tr: Translator, text: str) -> str:
    return tr(text) + tr(N_(":"))


def labelled(tr: Translator, label: str, text: str) -> str:
    """'verdict: text' ('结论：text': a full-width colon needs no space after it)."""
    head = _label(tr, label)
    return head + (" " if head.endswith(":") else "") + text


def _reach(m, menu, guessed, tr: Translator) -> list[list[str]]:
    nodes = menu.nodes
    if not m.human_reachable:
        words = tr(N_("NOT REACHABLE in this scenario")) if m.persistent is None else \
            tr.render(msg(N_("NO KEY SEQUENCE; {how}"), how=reach_text(m, menu, tr)))
        return [[_label(tr, N_("a person")), words]]
    human = m.paths["forced"][-1][0]
    wait = tr.render(msg(N_(", then about {wait} s in the queue"), wait=str(m.wait_seconds))) \
        if m.wait_seconds is not None else ""
    rows = [
        [_label(tr, N_("a person")), tr.render(msg(N_("reachable ({node}{wait})"), node=human,
                                                   wait=wait))],
        [_label(tr, N_("fewest keys")), tr.render(msg(
            N_("{n} ({path})"), n=m.steps_to_human, path=keys_text(m.paths["steps"], nodes, tr)))],
        [_label(tr, N_("forced listening")), tr.render(msg(
            N_("{seconds} that cannot be skipped ({path})"),
            seconds=Seconds(m.forced_seconds_to_human, guessed["forced"]),
            path=keys_text(m.paths["forced"], nodes, tr)))],
    ]
    if m.listen_seconds_to_human is None:
        rows.append([_label(tr, N_("first-time caller")),
                     tr(N_("cannot find a person: only hidden options lead there"))])
    else:
        rows.append([_label(tr, N_("first-time caller")), tr.render(msg(
            N_("{seconds} of listening ({path})"),
            seconds=Seconds(m.listen_seconds_to_human, guessed["listen"]),
            path=keys_text(m.paths["listen"], nodes, tr)))])
    return rows


def _silent(m, nodes, guessed, tr: Translator) -> list[str]:
    call = m.silent
    seconds = Seconds(call.seconds, guessed["silent"])
    if call.reached_human:
        text = msg(N_("reaches a person ({node}) after {seconds}"), node=call.end,
                   seconds=seconds)
    elif call.end in _SILENT_ENDS:
        text = msg(_SILENT_ENDS[call.end], seconds=seconds)
    else:
        text = msg(N_("ends at {node} ({type}) after {seconds}"), node=call.end,
                   type=tr(node_type(nodes[call.end].type)), seconds=seconds)
    return [_label(tr, N_("pressing nothing")), tr.render(text)]


def _one_key(m, entry_menu: str | None, tr: Translator) -> list[str]:
    label = _label(tr, N_("one key to a person"))
    if not m.one_key_human:
        return [label, tr(N_("no menu has one"))]
    parts = []
    for menu_id, keys in m.one_key_human.items():
        shown = tr.join([k["key"] if k["announced"] else tr.render(
            msg(N_("{key} (hidden)"), key=k["key"])) for k in keys])
        parts.append(f"{menu_id}: {shown}")
    first = "" if entry_menu in m.one_key_human else tr(N_(" (none in the first menu)"))
    return [label, tr.join(parts, N_("; ")) + first]


def _mistype(m, guessed: bool, tr: Translator) -> list[str]:
    if not m.mistype:
        return []
    rows = [[tr(N_("menu")), tr(N_("key")), tr(N_("what happens")), tr(N_("extra forced")),
             tr(N_("extra keys")), tr(N_("verdict"))]]
    for row in m.mistype:
        if row.penalty_seconds is None:
            extra, keys, verdict = "-", "-", tr(N_("a person can no longer be reached"))
        else:
            extra = tr.seconds(row.penalty_seconds, guessed, sign="+")
            keys = f"+{row.penalty_steps}"
            verdict = tr(N_("no cost")) if not row.forces_replay else \
                tr(_OUTCOMES.get(row.outcome, N_("costs extra")))
        rows.append([row.node, row.key, row.outcome, extra, keys, verdict])
    return ["  " + tr(N_("one wrong key at each menu on the way to a person:"))] + table(rows,
                                                                                     "    ")


def _names(ids: list[str], tr: Translator, limit: int = 12) -> str:
    if not ids:
        return tr(N_("none"))
    shown = tr.join(ids[:limit])
    if len(ids) > limit:
        shown += tr.render(msgn(Np_(" and {n} more", " and {n} more"), len(ids) - limit))
    return shown


def _first_menu(result) -> str | None:
    path = result.metrics.first_scenario().paths["steps"] or []
    nodes = result.menu.nodes
    return next((n for n, _ in path if nodes[n].type == "menu"), None)


def verdict_lines(run, result, tr: Translator) -> list[str]:
    """The one-page verdict: why, the three numbers and personas per scenario shown, the top
    causes and how many values were assumed."""
    lines = [labelled(tr, N_("verdict"), summary.why(run, result, tr))]
    shown = summary.columns(run, result)
    rows = [[_label(tr, N_("scenario"))] + shown]
    numbers = [summary.numbers(result, name, tr) for name in shown]
    for i, (what, _) in enumerate(numbers[0]):
        rows.append([what + tr(N_(":"))] + [column[i][1] for column in numbers])
    personas = [summary.personas(result, name, tr) for name in shown]
    for i, (who, _) in enumerate(personas[0]):
        rows.append([who + tr(N_(":"))] + [column[i][1] for column in personas])
    lines += table(rows)
    top = summary.causes(run, result)
    if top:
        lines.append("  " + _label(tr, N_("top causes")))
        for n, f in enumerate(top, 1):
            extent = extent_text(f, list(result.scenarios), tr)
            lines.append(f"    {n}. " + tr.render(msg(
                N_("{severity}: {message} ({rule} {name}, line {line})"),
                severity=tr(summary.severity_word(f.severity)), message=tr.text(f),
                rule=f.rule, name=f.name, line=f.line))
                + (tr.render(msg(N_(" [{extent}]"), extent=extent)) if extent else ""))
        more = summary.more_causes(run, result, tr)
        if more:
            lines.append(f"    {more}")
    return lines


def assumption_lines(result, tr: Translator) -> list[str]:
    """Each value the menu does not state, the nodes it applies to, and how to state it."""
    found = result.assumptions
    if not found:
        return []
    lines = [_label(tr, N_("assumed (the menu does not state these)"))]
    for item in found:
        nodes = tr.render(msg(N_(" at {nodes}"), nodes=_names(list(item.nodes), tr))) \
            if item.nodes else ""
        lines.append(f"  - {tr.render(item.what)}{nodes}")
        lines.append(f"    {tr.render(msg(N_('to remove it: {fix}'), fix=item.fix))}")
    return lines


def render_result(result, run=None, tr: Translator = ENGLISH) -> list[str]:
    """The summary of one menu, line by line (menu text as written: ``render`` makes it
    safe). Without ``run`` (no policy to judge by): no verdict."""
    menu, nodes = result.menu, result.menu.nodes
    about = tr.join([x for x in (menu.phone, menu.owner, menu.locale, tr.render(
        msgn(Np_("{n} node", "{n} nodes"), len(nodes)))) if x])
    lines = [f"{menu.ivr}", f"{menu.path} ({about})"]
    lines += [f"sha256 {digest}" + (f" ({path})" if path != menu.path else "")
              for path, digest in menu.digests]
    if run is not None:
        lines += verdict_lines(run, result, tr)
    lines += assumption_lines(result, tr)
    for name, m in result.scenarios.items():
        guessed = result.metrics.estimated(name)
        lines.append(tr.render(msg(N_("scenario {name}:"), name=name)))
        rows = _reach(m, menu, guessed, tr) + [_silent(m, nodes, guessed, tr)]
        rows.append([_label(tr, N_("every trick")),
                     persistent_text(m, menu, tr, guessed["persistent"])])
        if result.graph.graph["speech"]:
            rows.append([_label(tr, N_("speaking caller")), spoken_text(m, tr, guessed["spoken"])])
        rows.append(_one_key(m, _first_menu(result), tr))
        rows.append([_label(tr, N_("menu depth")), str(m.depth)])
        lines += table(rows)
        lines += _mistype(m, guessed["mistype"], tr)
    shape = result.metrics.structure
    lines.append(tr(N_("structure (all scenarios):")))
    traps = ["{" + ", ".join(trap) + "}" for trap in shape.traps]
    lines += table([[_label(tr, N_("unreachable nodes")), _names(shape.unreachable, tr)],
                    [_label(tr, N_("dead ends (no person or callback after them)")),
                     _names(shape.dead_ends, tr)],
                    [_label(tr, N_("traps (no way out)")), _names(traps, tr)]])
    return lines


_COLORS = {"error": "31", "warning": "33", "info": "34", "suppressed": "2"}


def _paint(text: str, kind: str, color: bool) -> str:
    return f"\033[{_COLORS[kind]}m{text}\033[0m" if color else text


def finding_line(f, show_scenario: bool, tr: Translator = ENGLISH,
                 menu_scenarios=()) -> str:
    """``FILE:LINE:COL: SEVERITY: MESSAGE [SCENARIOS] (RULE NAME)``, as compilers print."""
    kind = "suppressed" if f.suppressed else f.severity
    scenario = ""
    if show_scenario and f.scenarios:
        scenario = f" [{scenarios_text(f.scenarios, menu_scenarios or f.scenarios, tr)}]"
    line = (f"{f.file}:{f.line}:{f.column}: {tr(summary.severity_word(kind))}: "
            f"{tr.text(f)}{scenario} ({f.rule} {f.name})")
    if f.suppressed:
        line += tr.render(msg(N_(" -- waived: {reason}"), reason=f.reason or ""))
    return line


def occurrence_lines(f, menu_scenarios, tr: Translator) -> list[str]:
    """Below a finding with several occurrences: their count and list; then each occurrence
    whose words differ from the finding's."""
    lines = []
    where = occurrences_text(f, menu_scenarios, tr)
    if where:
        lines.append("      " + where)
    for node, scenarios, o in differing(f):
        scenario = f" [{scenarios_text(scenarios, menu_scenarios, tr)}]" \
            if len(menu_scenarios) > 1 else ""
        lines.append(f"      - {node or ''}{scenario}: {tr.text(o)}")
    return lines


def render_findings(result, color: bool, tr: Translator = ENGLISH) -> list[str]:
    """The findings, one per cause, each made safe for a terminal before it is coloured."""
    if not result.findings:
        return [tr(N_("findings: none"))]
    scenarios = list(result.scenarios)
    lines = [tr.render(msg(N_("findings ({n}):"), n=len(result.findings)))]
    for f in result.findings:
        kind = "suppressed" if f.suppressed else f.severity
        lines.append(_paint(terminal("  " + finding_line(f, len(scenarios) > 1, tr, scenarios)),
                            kind, color))
        lines += [terminal(line) for line in occurrence_lines(f, scenarios, tr)]
    return lines


def failing_part(result, run, color: bool = False, lang: str = "en") -> list[str]:
    """A menu's lines of the terse report: its findings that fail the run."""
    tr, scenarios = Translator(lang), list(result.scenarios)
    return [_paint(terminal(finding_line(f, len(scenarios) > 1, tr, scenarios)), f.severity,
                   color) for f in result.findings if f.counts_at(run.fail_on)]


def failing_lines(run, color: bool = False, tr: Translator = ENGLISH) -> str:
    """The terse report (`audit --quiet`): one line per finding that fails the run, then a
    summary line; nothing at all when none fails."""
    lines, failing_menus = [], 0
    for failing in parts(run, "quiet", failing_part, color, tr.lang):
        failing_menus += bool(failing)
        lines += failing
    if not lines:
        return ""
    summary_line = tr.render(msg(
        N_("ivraudit: {findings} at or above {fail_on} in {failing} of {menus}; `ivraudit audit "
           "FILE` shows the full report"),
        findings=msgn(Np_("{n} finding", "{n} findings"), len(lines)),
        fail_on=tr(summary.severity_word(run.fail_on)), failing=failing_menus,
        menus=msgn(Np_("{n} menu", "{n} menus"), len(run.results))))
    return "\n".join(lines + [summary_line]) + "\n"


def counts_text(counts: dict, tr: Translator) -> str:
    """'6 errors, 19 warnings, 0 info, 0 suppressed'."""
    return tr.join([
        tr.count(Np_("{n} error", "{n} errors"), counts["error"]),
        tr.count(Np_("{n} warning", "{n} warnings"), counts["warning"]),
        tr.count(Np_("{n} info", "{n} info"), counts["info"]),
        tr.count(Np_("{n} suppressed", "{n} suppressed"), counts["suppressed"])])


def policy_lines(policy, tr: Translator) -> list[str]:
    """The policy: its description, and the rules it changes from their defaults in its
    file's YAML syntax; every other rule at its default."""
    lines = [tr.render(msg(N_("policy {name}: {description}"), name=policy.name,
                           description=summary.described(policy, tr)))]
    changed = [(rule, changed_settings(rule, policy.settings[rule.id]))
               for rule in catalogue.RULES]
    changed = [(rule, c) for rule, c in changed if c]
    if changed:
        lines.append("  " + _label(tr, N_("rules the policy changes from their defaults")))
        lines += [f"    {rule.name}: {yaml_value(c)}  # {rule.id}" for rule, c in changed]
        lines.append("  " + tr(N_("every other rule at its default severity and parameters "
                                  "(`ivraudit rules` lists them)")))
    else:
        lines.append("  " + tr.render(msgn(Np_(
            "{n} rule, at its default severity and parameters (`ivraudit rules` lists it)",
            "all {n} rules, each at its default severity and parameters (`ivraudit rules` "
            "lists them)"), len(catalogue.RULES))))
    return lines


def menu_part(result, run, color: bool = False, lang: str = "en") -> str:
    """A menu's block of the report: its summary and its findings."""
    tr = Translator(lang)
    return "\n".join([terminal(line) for line in render_result(result, run, tr)]
                     + render_findings(result, color, tr))


def render(run, color: bool = False, lang: str = "en") -> str:
    """The report; every line made safe for a terminal (a value's newline is shown, never
    printed: no menu text can start a line of its own)."""
    return "".join(chunks(run, color, lang))


def chunks(run, color: bool = False, lang: str = "en") -> Iterator[str]:
    """The report in pieces, a menu's block at a time (what ``render`` joins)."""
    tr = Translator(lang)
    for block in parts(run, "text", menu_part, color, lang):
        yield block
        yield "\n\n"
    counts = run.counts()
    menus = counts.pop("menus")
    about = tr.render(msg(
        N_("{menus} audited on {date} by ivraudit {version} with policy {policy}: {counts}"),
        menus=msgn(Np_("{n} menu", "{n} menus"), menus), date=run.date or tr(N_("no date")),
        version=__version__, policy=run.policy.name, counts=counts_text(counts, tr)))
    if run.errors:
        about += tr.render(msgn(Np_("; {n} file could not be read",
                                    "; {n} files could not be read"), len(run.errors)))
    tail = [about] + policy_lines(run.policy, tr)
    yield "\n".join(terminal(line) for line in tail) + "\n"
