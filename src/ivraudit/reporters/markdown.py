"""The Markdown report, for a pull-request comment (GitHub-flavoured tables).

A heading and a summary line (date, tool version, policy), files that could not be read, then
per menu: the file's SHA-256, the verdict in a sentence, key metrics per scenario (``≈`` before
seconds that rest on estimated durations), the values the menu does not state, a table of the
findings (one per cause, with the nodes and scenarios it concerns) and the waived ones with their
reasons; last, the policy's description and the rules it sets. Every piece of menu text (names,
prompts, node ids, paths) is escaped (util.safe_text) so that it cannot break a table, open a
code span, start HTML, mention someone or link somewhere. Every word follows ``--lang``.
"""

from __future__ import annotations

from .. import __version__
from .. import rules as catalogue
from ..i18n import ENGLISH, N_, Np_, Translator, msg, msgn
from ..util.safe_text import markdown, markdown_code
from . import summary
from .words import (
    changed_settings, occurrences_text, parts, reach_text, scenarios_text, yaml_value,
)

text, code = markdown, markdown_code  # every piece of menu text goes through one of them


def summary_line(run, tr: Translator = ENGLISH) -> str:
    counts = run.counts()
    pieces = [tr.render(msgn(Np_("{n} menu audited", "{n} menus audited"), counts["menus"])),
             tr.count(Np_("{n} error", "{n} errors"), counts["error"]),
             tr.count(Np_("{n} warning", "{n} warnings"), counts["warning"]),
             tr.count(Np_("{n} info", "{n} info"), counts["info"]),
             tr.count(Np_("{n} suppressed", "{n} suppressed"), counts["suppressed"])]
    if run.errors:
        pieces.append(tr.render(msgn(Np_("{n} file could not be read",
                                        "{n} files could not be read"), len(run.errors))))
    return tr.join(pieces) + tr.render(msg(
        N_(" (policy {policy}; audited on {date} by ivraudit {version})."),
        policy=code(run.policy.name), date=run.date or tr(N_("no date")), version=__version__))


def metrics_table(result, tr: Translator = ENGLISH) -> list[str]:
    lines = ["| " + " | ".join([tr(N_("scenario")), tr(N_("keys to a person")),
                                tr(N_("forced s")), tr(N_("listen s")),
                                tr(N_("pressing nothing ends at")),
                                tr(N_("every trick s"))]) + " |",
             "| --- | ---: | ---: | ---: | --- | ---: |"]
    tricks = []
    for name, m in result.scenarios.items():
        guessed = result.metrics.estimated(name)
        if m.human_reachable:
            steps = str(m.steps_to_human)
        else:
            steps = summary.nobody(m, result.menu, tr)
            if m.persistent is not None:
                tricks.append(f"- {text(name)}: " + text(tr.render(msg(
                    N_("a person {how}"), how=reach_text(m, result.menu, tr)))))
        trick = tr.seconds(m.persistent.seconds if m.persistent else None,
                           guessed["persistent"], unit=False)
        lines.append(f"| {text(name)} | {text(steps)} | "
                     f"{tr.seconds(m.forced_seconds_to_human, guessed['forced'], unit=False)} | "
                     f"{tr.seconds(m.listen_seconds_to_human, guessed['listen'], unit=False)} | "
                     f"{code(m.silent.end)} | {trick} |")
    return lines + ([""] + tricks if tricks else [])


def _rule(finding) -> str:
    return f"{finding.rule} {text(finding.name)}"


def _place(finding) -> str:
    return code(f"{finding.file}:{finding.line}")


def findings_table(findings, tr: Translator = ENGLISH, menu_scenarios=()) -> list[str]:
    lines = ["| " + " | ".join([tr(N_("severity")), tr(N_("rule")), tr(N_("node")),
                                tr(N_("scenario")), tr(N_("message")), tr(N_("where"))]) + " |",
             "| --- | --- | --- | --- | --- | --- |"]
    for f in findings:
        nodes = f.nodes
        node = code(nodes[0]) if len(nodes) == 1 else text(
            occurrences_text(f, menu_scenarios or f.scenarios, tr) or "")
        scenarios = scenarios_text(f.scenarios, menu_scenarios or f.scenarios, tr)
        lines.append(f"| {tr(summary.severity_word(f.severity))} | {_rule(f)} | {node} | "
                     f"{text(scenarios)} | {text(tr.text(f))} | {_place(f)} |")
    return lines


def waived_list(findings, tr: Translator = ENGLISH) -> list[str]:
    lines = []
    for f in findings:
        where = tr.render(msg(N_(" at {nodes}"), nodes=tr.join([code(n) for n in f.nodes]))) \
            if f.nodes else ""
        scenario = f" ({text(tr.join(f.scenarios))})" if f.scenarios else ""
        lines.append(f"- {_rule(f)}{where}{scenario}, {_place(f)}: {text(tr.text(f))}. "
                     + text(tr.render(msg(N_("Waived: {reason}"),
                                          reason=f.reason or tr(N_("no reason given"))))))
    return lines


def with_code(words: str) -> str:
    """Our own words (no menu text) with their `code` spans kept as code, and the spaces
    around them (``text`` trims its ends)."""
    def spaced(part: str) -> str:
        return ((" " if part[:1].isspace() else "") + text(part)
                + (" " if part[-1:].isspace() and part.strip() else ""))

    return "".join(code(part) if n % 2 else spaced(part)
                   for n, part in enumerate(words.split("`")))


def assumptions_list(result, tr: Translator) -> list[str]:
    lines = []
    for item in result.assumptions:
        nodes = tr.render(msg(N_(" at {nodes}"), nodes=tr.join([code(n) for n in item.nodes]))) \
            if item.nodes else ""
        # what is assumed, then how to remove it: "…: to remove it, …", "…；消除方法：…"
        lines.append(f"- {text(tr.render(item.what))}{nodes}{tr(N_(': '))}"
                     + with_code(tr.render(msg(N_("to remove it, {fix}"), fix=item.fix))))
    return lines


def menu_section(result, run=None, tr: Translator = ENGLISH) -> list[str]:
    menu = result.menu
    lines = ["", f"### {text(menu.ivr)}", "", code(menu.path)
             + "".join(f" · sha256 {code(digest)}" for _, digest in menu.digests), ""]
    if run is not None:
        lines += ["**" + text(summary.why(run, result, tr)) + "**", ""]
    lines += metrics_table(result, tr)
    assumed = assumptions_list(result, tr)
    if assumed:
        lines += ["", tr(N_("Assumed (the menu does not state these):")), ""] + assumed
    open_ = [f for f in result.findings if not f.suppressed]
    waived = [f for f in result.findings if f.suppressed]
    lines.append("")
    lines += findings_table(open_, tr, list(result.scenarios)) if open_ else \
        [tr(N_("No findings."))]
    if waived:
        lines += ["", tr(N_("Suppressed:")), ""] + waived_list(waived, tr)
    return lines


def errors_section(errors, tr: Translator = ENGLISH) -> list[str]:
    lines = ["", "### " + tr(N_("Files that could not be read")), "",
             f"| {tr(N_('where'))} | {tr(N_('error'))} |", "| --- | --- |"]
    for e in errors:
        hint = f" {text(tr(N_('Hint:')) + ' ' + e.hint)}" if e.hint else ""
        lines.append(f"| {code(f'{e.path}:{e.line}:{e.column}')} | {text(e.message)}{hint} |")
    return lines


def policy_section(policy, tr: Translator) -> list[str]:
    lines = ["", "### " + text(tr.render(msg(N_("Policy {name}"), name=policy.name))), "",
             text(summary.described(policy, tr))]
    changed = [(rule, changed_settings(rule, policy.settings[rule.id]))
               for rule in catalogue.RULES]
    changed = [(rule, c) for rule, c in changed if c]
    if changed:
        lines += ["", tr(N_("Rules it sets, as its `rules:` writes them (every other rule at "
                            "its default severity and parameters):")), ""]
        lines += [f"- {code(f'{rule.name}: {yaml_value(c)}')} ({rule.id})" for rule, c in changed]
    return lines


def menu_part(result, run, color: bool = False, lang: str = "en") -> list[str]:
    """A menu's section of the report, line by line."""
    return menu_section(result, run, Translator(lang))


def render(run, color: bool = False, lang: str = "en") -> str:
    tr = Translator(lang)
    lines = ["## " + tr(N_("ivraudit report")), "", summary_line(run, tr)]
    if run.errors:
        lines += errors_section(run.errors, tr)
    for section in parts(run, "markdown", menu_part, color, lang):
        lines += section
    lines += policy_section(run.policy, tr)
    return "\n".join(lines) + "\n"
