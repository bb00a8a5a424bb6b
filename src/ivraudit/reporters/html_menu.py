"""The HTML report's sections about one menu's numbers and findings: metrics, mistypes,
findings (one per cause, with its occurrences) and the rules behind them. Each function returns
HTML lines; every piece of menu text goes through ``esc`` (or ``said``, which also marks its
language), every word through the reader's language (``tr``)."""

from __future__ import annotations

import re

from .. import rules as catalogue
from ..i18n import ENGLISH, N_, Message, Seconds, Translator, msg
from ..rules.docs import paragraphs
from ..rules.tricks import keys_text
from ..util.safe_text import html as esc
from . import summary
from .words import (
    differing, occurrences_text, persistent_text, reach_text, scenarios_text,
    spoken_text, yaml_value,
)


class Markup(str):
    """HTML that is already safe: ``fill`` inserts it as it is."""


def fill(tr: Translator, template: str, **params) -> str:
    """A marked template in the reader's language, as HTML: the template's text escaped (its
    `code` spans as <code>) and every parameter escaped, except parameters that are
    ``Markup``."""
    fields = {name: value if isinstance(value, Markup) else esc_words(tr.render(value))
              for name, value in params.items()}
    return code_spans(esc_words(tr(template))).format(**fields)


def esc_words(text: str) -> str:
    """``esc``, keeping a space at either end (words joined to others: ' (advertising)')."""
    core = esc(text)
    if not core:
        return core
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def said(value: object, lang: str) -> str:
    """Menu text in the menu's language (screen readers pronounce it right)."""
    return f'<span lang="{esc(lang)}">{esc(value)}</span>'


def heading(level: int, text: str, anchor: str) -> str:
    return f'<h{level} id="{esc(anchor)}">{text}</h{level}>'


def _path_words(path, nodes, tr: Translator) -> str:
    return f'<span class="path">{esc(keys_text(path, nodes, tr))}</span>' if path else ""


def _reached(m, menu, tr: Translator) -> str:
    if m.human_reachable:
        return esc(tr(N_("yes")))
    return f"<strong>{esc(reach_text(m, menu, tr))}</strong>"


def _silent(m, guessed: bool, tr: Translator) -> str:
    call = m.silent
    seconds = Seconds(call.seconds, guessed)
    if call.reached_human:
        return fill(tr, N_("reaches a person ({node}) after {seconds}"), node=call.end,
                    seconds=seconds)
    if call.end == "hangup":
        return fill(tr, N_("hung up after {seconds}"), seconds=seconds)
    if call.end == "loop":
        return fill(tr, N_("loops for ever (first loop closes after {seconds})"),
                    seconds=seconds)
    return fill(tr, N_("ends at {node} after {seconds}"), node=call.end, seconds=seconds)


def _one_key(m, tr: Translator) -> str:
    if not m.one_key_human:
        return esc(tr(N_("no menu has one")))
    return esc(tr.join([f"{menu_id}: " + tr.join(
        [k["key"] if k["announced"] else tr.render(msg(N_("{key} (hidden)"), key=k["key"]))
         for k in keys]) for menu_id, keys in m.one_key_human.items()], N_("; ")))


def metrics_table(result, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    """One column per scenario; seconds with the path that achieves them, ``≈`` before those
    that rest on durations estimated from the text."""
    menu, nodes, scenarios = result.menu, result.menu.nodes, result.scenarios
    nobody = esc(tr(N_("no key sequence reaches a person")))
    guesses = {name: result.metrics.estimated(name) for name in scenarios}
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in scenarios)

    def row(title: str, cell) -> str:
        return f'<tr><th scope="row">{esc(tr(title))}</th>' + "".join(
            f"<td>{cell(m, guesses[name])}</td>" for name, m in scenarios.items()) + "</tr>"

    def best(value, path_name):
        return lambda m, g: (f"{value(m, g)}{_path_words(m.paths[path_name], nodes, tr)}"
                             if m.human_reachable else nobody)

    rows = [
        row(N_("A person can be reached"), lambda m, g: _reached(m, menu, tr)),
        row(N_("Fewest key presses"), best(lambda m, g: m.steps_to_human, "steps")),
        row(N_("Forced seconds (a caller who knows the keys)"),
            best(lambda m, g: esc(tr.seconds(m.forced_seconds_to_human, g["forced"])),
                 "forced")),
        row(N_("Listening seconds (a first-time caller)"),
            lambda m, g: (esc(tr.seconds(m.listen_seconds_to_human, g["listen"]))
                          + _path_words(m.paths["listen"], nodes, tr)
                          if m.paths["listen"] else
                          esc(tr(N_("only hidden options lead to a person")))
                          if m.human_reachable else nobody)),
        row(N_("Pressing nothing"), lambda m, g: _silent(m, g["silent"], tr)),
        row(N_("Every trick (wrong keys and silence too)"),
            lambda m, g: esc(persistent_text(m, menu, tr, g["persistent"]))),
        row(N_("Expected queue wait"), lambda m, g: esc(tr(N_("not given")))
            if m.wait_seconds is None else fill(tr, N_("{wait} s"), wait=str(m.wait_seconds))),
        row(N_("Menu depth"), lambda m, g: str(m.depth)),
        row(N_("One key to a person"), lambda m, g: _one_key(m, tr)),
    ]
    if result.graph.graph["speech"]:
        rows.insert(-3, row(N_("Speaking caller"),
                            lambda m, g: esc(spoken_text(m, tr, g["spoken"]))))
    return [heading(level, esc(tr(N_("Metrics"))), f"{prefix}metrics"),
            f'<table class="metrics"><caption>{esc(tr(N_("Metrics per scenario")))}</caption>',
            f'<thead><tr><th scope="col">{esc(tr(N_("metric")))}</th>{head}</tr></thead><tbody>',
            *rows, "</tbody></table>"]


_OUTCOMES = {"replay": N_("forces a replay"), "reprompt": N_("forces the options again"),
             "restart": N_("forces a restart")}


def mistype_tables(result, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    out = [heading(level, esc(tr(N_("One wrong key on the way to a person"))),
                   f"{prefix}mistype"),
           '<p class="note">' + esc(tr(N_(
               "At each menu on the quickest path, the caller presses the first key that is no "
               "option. Extra seconds are forced audio heard again."))) + "</p>"]
    heads = [N_("menu"), N_("key"), N_("what happens"), N_("extra forced"), N_("extra keys"),
             N_("verdict")]
    for name, m in result.scenarios.items():
        caption = fill(tr, N_("Scenario {name}"), name=name)
        guessed = result.metrics.estimated(name)["mistype"]
        if not m.mistype:
            why = "" if m.human_reachable else esc_words(tr.render(msg(
                N_(" ({note})"), note=nobody_words(m, tr))))
            out.append(f"<p>{caption}: "
                       f"{esc(tr(N_('no menu on the path has an invalid key')))}{why}.</p>")
            continue
        out += [f"<table><caption>{caption}</caption><thead><tr>" + "".join(
            f'<th scope="col"{" class=num" if i in (3, 4) else ""}>{esc(tr(h))}</th>'
            for i, h in enumerate(heads)) + "</tr></thead><tbody>"]
        for r in m.mistype:
            if r.penalty_seconds is None:
                extra, keys = "—", "—"
                verdict = ('<span class="badge fail">'
                           f'{esc(tr(N_("a person can no longer be reached")))}</span>')
            else:
                extra = esc(tr.seconds(r.penalty_seconds, guessed, sign="+"))
                keys = f"+{r.penalty_steps}"
                verdict = (f'<span class="badge warning">'
                           f'{esc(tr(_OUTCOMES.get(r.outcome, N_("costs extra"))))}</span>'
                           if r.forces_replay else
                           f'<span class="badge pass">{esc(tr(N_("no cost")))}</span>')
            out.append(f'<tr><th scope="row"><code>{esc(r.node)}</code></th><td>{esc(r.key)}</td>'
                       f"<td>{esc(r.outcome)}</td><td class=\"num\">{extra}</td>"
                       f'<td class="num">{keys}</td><td>{verdict}</td></tr>')
        out.append("</tbody></table>")
    return out


def nobody_words(m, tr: Translator = ENGLISH) -> str:
    """Why a scenario has no path: no key sequence at all, or only failing reaches a person."""
    return tr(N_("no key sequence reaches a person")) if m.persistent is not None else \
        tr(N_("no person can be reached"))


def _where(f) -> str:
    return f"<code>{esc(f.file)}:{f.line}:{f.column}</code>"


def finding_anchor(prefix: str, finding, result, numbers: dict[int, int] | None = None) -> str:
    """The id of a finding's row, for links from the verdict: its place in the menu's
    findings; ``numbers`` (``finding_numbers``) when many are looked up."""
    numbers = numbers or finding_numbers(result)
    return f"{prefix}finding-{numbers[id(finding)]}"


def finding_numbers(result) -> dict[int, int]:
    """id(finding) -> its place among the menu's findings, from 1 (one pass: looking each up
    in the tuple compared whole findings, quadratic on a menu of thousands)."""
    return {id(finding): n for n, finding in enumerate(result.findings, 1)}


def _nodes_cell(f, scenarios, tr: Translator) -> str:
    """The node, or for a cause at several: their count and list; then each occurrence whose
    words differ from the finding's."""
    where = occurrences_text(f, scenarios, tr)
    cell = f'<span class="occurrences">{esc(where)}</span>' if where else \
        (_code(f.nodes[0]) if f.nodes else "")
    others = differing(f)
    if others:
        cell += '<ul class="occurrences">' + "".join(
            f"<li>{_code(node)}"
            + (f" [{esc(scenarios_text(names, scenarios, tr))}]" if len(scenarios) > 1 else "")
            + f": {html_text(tr, o)}</li>" for node, names, o in others) + "</ul>"
    return cell


def findings_tables(result, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    out = [heading(level, esc(tr(N_("Findings"))), f"{prefix}findings")]
    open_ = [f for f in result.findings if not f.suppressed]
    waived = [f for f in result.findings if f.suppressed]
    scenarios = list(result.scenarios)
    if not open_:
        out.append(f"<p>{esc(tr(N_('No findings.')))}</p>")
    else:
        out.append('<table class="findings"><caption>'
                   + esc(tr(N_("Findings, most severe first; one per cause, with the nodes and "
                               "scenarios it concerns")))
                   + "</caption><thead><tr>" + "".join(
                       f'<th scope="col">{esc(tr(h))}</th>' for h in (
                           N_("severity"), N_("rule"), N_("nodes"), N_("scenarios"),
                           N_("message"), N_("where"))) + "</tr></thead><tbody>")
        order = {"error": 0, "warning": 1, "info": 2}
        numbers = finding_numbers(result)
        for f in sorted(open_, key=lambda f: (order[f.severity], f.file, f.line, f.column, f.rule)):
            out.append(f'<tr id="{esc(finding_anchor(prefix, f, result, numbers))}">'
                       f'<td><span class="badge {f.severity}">'
                       f"{esc(tr(summary.severity_word(f.severity)))}</span></td>"
                       f'<td><a href="#{esc(prefix)}rule-{esc(f.rule)}">{esc(f.rule)}</a> '
                       f"{esc(f.name)}</td><td>{_nodes_cell(f, scenarios, tr)}</td>"
                       f"<td>{esc(scenarios_text(f.scenarios, scenarios, tr))}</td>"
                       f"<td>{html_text(tr, f)}</td><td>{_where(f)}</td></tr>")
        out.append("</tbody></table>")
    if waived:
        out.append("<table><caption>" + esc(tr(N_("Waived findings"))) + "</caption><thead><tr>"
                   + "".join(f'<th scope="col">{esc(tr(h))}</th>' for h in (
                       N_("rule"), N_("nodes"), N_("message"), N_("reason"), N_("waived at")))
                   + "</tr></thead><tbody>")
        for f in waived:
            at = f"<code>{esc(f.waived_at)}</code>" if f.waived_at else ""
            out.append(f'<tr><td><a href="#{esc(prefix)}rule-{esc(f.rule)}">{esc(f.rule)}</a> '
                       f"{esc(f.name)}</td><td>{_nodes_cell(f, scenarios, tr)}</td>"
                       f"<td>{html_text(tr, f)}</td>"
                       f"<td>{esc(f.reason or tr(N_('no reason given')))}</td><td>{at}</td></tr>")
        out.append("</tbody></table>")
    return out


def _code(value) -> str:
    return f"<code>{esc(value)}</code>" if value else ""


def source_link(source, tr: Translator = ENGLISH) -> str:
    url = source.url if source.url.startswith(("https://", "http://")) else "#"
    return f'<a class="source" href="{esc(url)}">{esc(tr(source.title))}</a>'


def rule_docs(result, policy, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    """The documentation of every rule that found something, with its sources."""
    fired = sorted({f.rule for f in result.findings})
    if not fired:
        return []
    out = [heading(level, esc(tr(N_("Rules behind the findings"))), f"{prefix}rules")]
    for rule_id in fired:
        rule = catalogue.get(rule_id)
        settings = policy.settings.get(rule.id)
        out.append(heading(level + 1, f"{esc(rule.id)} {esc(rule.name)}",
                           f"{prefix}rule-{rule.id}"))
        severity = settings.severity if settings else rule.severity
        out.append('<p class="meta">' + fill(
            tr, N_("It checks that {summary}. Severity in policy {policy}: {severity}"),
            summary=tr(rule.summary), policy=policy.name,
            severity=Markup(f'<span class="badge {esc(severity)}">'
                            f"{esc(tr(summary.severity_word(severity)))}</span>")) + "</p>")
        out += [f"<p>{code_spans(esc(tr(p)))}</p>" for p in paragraphs(rule)]
        params = settings.params if settings else rule.params
        if params:
            out.append("<p>" + esc(tr(N_("Parameters, as a policy file writes them:"))) + "</p>"
                       "<ul>" + "".join(
                           f"<li><code>{esc(k)}: {esc(yaml_value(v))}</code> "
                           + esc_words(tr.render(msg(N_(" ({note})"),
                                                     note=tr(rule.param_help.get(k, "")))))
                           + "</li>"
                           for k, v in params.items()) + "</ul>")
        if rule.sources:
            out.append(f"<p>{esc(tr(N_('Sources:')))}</p><ul>" + "".join(
                f"<li>{source_link(s, tr)}</li>" for s in rule.sources) + "</ul>")
    return out


def html_text(tr: Translator, message) -> str:
    """A finding's or occurrence's words as HTML: the template's `code` spans as <code>, every
    parameter escaped (menu text stays text)."""
    found = getattr(message, "text", None)
    if not isinstance(found, Message):
        return esc(tr.text(message))
    return _html_message(tr, found)


def _html_message(tr: Translator, value) -> str:
    if not isinstance(value, Message):
        return esc(tr.render(value))
    template, fields = tr.template(value)
    fields = {name: esc(text) for name, text in fields.items()}
    for name, param in value.params:
        fields[name] = esc(param) if type(param) is str else _html_message(tr, param)
    return code_spans(esc(template)).format(**fields)


def code_spans(escaped: str) -> str:
    """`x` in (already escaped) documentation text as <code>x</code>."""
    return re.sub(r"``?([^`]+)``?", r"<code>\1</code>", escaped)

