"""The HTML report's pages for a reader who is no engineer: a menu's verdict (one page: pass or
fail and why, the three numbers per scenario, the personas, the top causes), what the menu does
not state, the facts of the audit (date, tool version, files with their SHA-256, the policy and
the rules it applies in its file's YAML syntax), the index row per menu and scenario, and
menus compared side by side per scenario."""

from __future__ import annotations

from typing import NamedTuple

from .. import __version__
from .. import rules as catalogue
from ..i18n import N_, Np_, Translator, msg
from ..util.safe_text import html as esc
from . import summary
from .html_menu import (
    Markup, code_spans, esc_words, fill, finding_anchor, heading, html_text, said,
)
from .words import changed_settings, extent_text, parts, yaml_value


def badge(failed: bool, tr: Translator) -> str:
    return (f'<span class="badge fail">{esc(tr(N_("FAIL")))}</span>' if failed
            else f'<span class="badge pass">{esc(tr(N_("PASS")))}</span>')


def verdict_section(run, result, level: int, prefix: str, tr: Translator) -> list[str]:
    """The menu's first page: the verdict in a sentence, the numbers and personas per scenario
    shown (the first, and those for callers over 65), the top causes, the assumptions."""
    failed = result.fails(run.fail_on)
    shown = summary.columns(run, result)
    out = [f'<section class="summary" aria-labelledby="{esc(prefix)}summary">',
           heading(level, esc(tr(N_("Summary"))), f"{prefix}summary"),
           f'<p class="verdict {"fail" if failed else "pass"}">'
           f"<strong>{esc(summary.why(run, result, tr))}</strong></p>",
           '<table class="numbers"><caption>' + esc(tr(N_(
               "The numbers that matter, per scenario (≈: rests on durations estimated from "
               "the text)"))) + "</caption><thead><tr><td></td>"
           + "".join(f'<th scope="col">{esc(name)}</th>' for name in shown)
           + "</tr></thead><tbody>"]
    numbers = [summary.numbers(result, name, tr) for name in shown]
    personas = [summary.personas(result, name, tr) for name in shown]
    for rows in (numbers, personas):
        for i, (what, _) in enumerate(rows[0]):
            out.append(f'<tr><th scope="row">{esc(what)}</th>'
                       + "".join(f"<td>{esc(column[i][1])}</td>" for column in rows) + "</tr>")
    out.append("</tbody></table>")
    top = summary.causes(run, result)
    if top:
        out.append(f"<p><strong>{esc(tr(N_('Top causes')))}</strong></p><ol class=\"causes\">")
        scenarios = list(result.scenarios)
        for f in top:
            extent = extent_text(f, scenarios, tr)
            more = esc_words(tr.render(msg(N_(" [{extent}]"), extent=extent))) if extent else ""
            out.append(f'<li><span class="badge {f.severity}">'
                       f"{esc(tr(summary.severity_word(f.severity)))}</span> "
                       f'<a href="#{esc(finding_anchor(prefix, f, result))}">'
                       f"{html_text(tr, f)}</a>{more} <span class=\"meta\">{esc(f.rule)} "
                       f"{esc(f.name)}</span></li>")
        out.append("</ol>")
        more = summary.more_causes(run, result, tr)
        if more:
            out.append(f'<p class="meta"><a href="#{esc(prefix)}findings">{esc(more)}</a></p>')
    assumed = summary.assumptions_count(result, tr)
    if assumed:
        out.append(f'<p class="meta"><a href="#{esc(prefix)}assumptions">{esc(assumed)}</a></p>')
    return out + ["</section>"]


def assumptions_section(result, level: int, prefix: str, tr: Translator) -> list[str]:
    """What the menu does not state, where, and the field that removes each assumption."""
    found = result.assumptions
    if not found:
        return []
    out = [heading(level, esc(tr(N_("Assumptions"))), f"{prefix}assumptions"),
           '<p class="note">' + esc(tr(N_(
               "Values the menu does not state: the audit assumed them, and every number or "
               "finding that rests on them is marked (≈ before an estimated number, \"assumed "
               "default\" in a finding)."))) + "</p>",
           "<table><thead><tr>" + "".join(f'<th scope="col">{esc(tr(h))}</th>' for h in (
               N_("assumed"), N_("nodes"), N_("to remove it"))) + "</tr></thead><tbody>"]
    for item in found:
        nodes = esc_words(tr(N_(", "))).join(f"<code>{esc(n)}</code>" for n in item.nodes)
        out.append(f"<tr><td>{code_spans(esc(tr.render(item.what)))}</td><td>{nodes}</td>"
                   f"<td>{code_spans(esc(tr.render(item.fix)))}</td></tr>")
    return out + ["</tbody></table>"]


def about_menu(result, tr: Translator) -> str:
    """The menu's facts: file, SHA-256, phone, owner, language, nodes, scenarios."""
    menu = result.menu
    facts = [(N_("File"), f"<code>{esc(menu.path)}</code>")]
    facts += [(N_("SHA-256"), f'<code class="hash">{esc(digest)}</code>'
               + (f" ({esc(path)})" if path != menu.path else ""))
              for path, digest in menu.digests]
    facts += [(label, said(value, menu.locale))
              for label, value in ((N_("Phone"), menu.phone), (N_("Owner"), menu.owner)) if value]
    facts.append((N_("Language"), esc(menu.locale)))
    facts.append((N_("Nodes"), str(len(menu.nodes))))
    facts.append((N_("Scenarios"), esc(tr.join(list(menu.scenarios)))))
    return '<dl class="meta">' + "".join(f"<dt>{esc(tr(label))}</dt><dd>{value}</dd>"
                                         for label, value in facts) + "</dl>"


def audit_facts(run, level: int, anchor: str, tr: Translator) -> list[str]:
    """When, by what, of which files and under which policy: what a regulator checks first."""
    files = [(path, digest) for r in run.results for path, digest in r.digests]
    files = list(dict.fromkeys(files))
    out = [heading(level, esc(tr(N_("About this audit"))), anchor), '<dl class="meta">',
           f"<dt>{esc(tr(N_('Audit date')))}</dt><dd>{esc(run.date or tr(N_('no date')))}</dd>",
           f"<dt>{esc(tr(N_('Tool')))}</dt><dd>ivraudit {esc(__version__)}</dd>",
           f"<dt>{esc(tr(N_('Policy')))}</dt><dd><code>{esc(run.policy.name)}</code>: "
           f"{esc(summary.described(run.policy, tr))}</dd>",
           f"<dt>{esc(tr(N_('A menu fails at')))}</dt>"
           f"<dd>{esc(tr(summary.severity_word(run.fail_on)))}</dd>", "</dl>"]
    if files:
        out += ["<table class=\"files\"><caption>" + esc(tr(N_("Files audited"))) + "</caption>"
                "<thead><tr>" + "".join(f'<th scope="col">{esc(tr(h))}</th>' for h in (
                    N_("file"), N_("SHA-256"))) + "</tr></thead><tbody>"]
        out += [f'<tr><td><code>{esc(path)}</code></td><td><code class="hash">{esc(digest)}'
                "</code></td></tr>" for path, digest in files]
        out.append("</tbody></table>")
    return out


def policy_rules(run, level: int, anchor: str, tr: Translator) -> list[str]:
    """Every rule the policy applies, with its severity and parameters as a policy file
    writes them; what the policy changes from the rule's defaults in bold."""
    out = [heading(level, fill(tr, N_("The rules of policy {policy}"), policy=run.policy.name),
                   anchor),
           '<p class="note">' + fill(tr, N_(
               "Each rule as the policy applies it, written as a policy file's `rules:` "
               "writes it; what the policy changes from the rule's defaults is in bold.")) + "</p>",
           '<table class="rules"><thead><tr>' + "".join(
               f'<th scope="col">{esc(tr(h))}</th>' for h in (
                   N_("rule"), N_("what it checks"), N_("settings"))) + "</tr></thead><tbody>"]
    disabled = []
    for rule in catalogue.RULES:
        settings = run.policy.settings[rule.id]
        if not settings.enabled:
            disabled.append(rule)
            continue
        changed = changed_settings(rule, settings)
        written = {"severity": str(settings.severity), **settings.params}
        cells = ", ".join(
            (f"<strong>{esc(k)}: {esc(yaml_value(v))}</strong>" if k in changed else
             f"{esc(k)}: {esc(yaml_value(v))}") for k, v in written.items())
        out.append(f"<tr><td>{esc(rule.id)} <code>{esc(rule.name)}</code></td>"
                   f"<td>{esc(tr(rule.summary))}</td><td><code>{{{cells}}}</code></td></tr>")
    out.append("</tbody></table>")
    if disabled:
        out.append("<p>" + fill(tr, N_("Not applied (enabled: false): {rules}"), rules=Markup(
            esc_words(tr(N_(", "))).join(f"<code>{esc(r.name)}</code>" for r in disabled)))
            + "</p>")
    return out


def _index_cells(result, name: str, tr: Translator) -> tuple[str, str, str]:
    """Keys, forced and listening seconds of one scenario for the index: numbers where a
    person is reached, else what the scenario offers in words (never a bare '—')."""
    m = result.scenarios[name]
    guessed = result.metrics.estimated(name)
    if not m.human_reachable:
        words = esc(summary.nobody(m, result.menu, tr))
        cell = f'<td class="words" data-sort="Infinity">{words}</td>'
        return cell, cell, cell
    keys = f'<td class="num" data-sort="{m.steps_to_human}">{m.steps_to_human}</td>'
    forced = (f'<td class="num" data-sort="{float(m.forced_seconds_to_human)}">'
              f"{esc(tr.seconds(m.forced_seconds_to_human, guessed['forced']))}</td>")
    if m.listen_seconds_to_human is None:
        listen = (f'<td class="words" data-sort="Infinity">'
                  f"{esc(tr(N_('only hidden options')))}</td>")
    else:
        listen = (f'<td class="num" data-sort="{float(m.listen_seconds_to_human)}">'
                  f"{esc(tr.seconds(m.listen_seconds_to_human, guessed['listen']))}</td>")
    return keys, forced, listen


def index_rows(run, result, link: str, tr: Translator) -> list[str]:
    """A menu's rows of the index, one per scenario, its name linked to ``link``."""
    menu, rows = result.menu, []
    for name in result.scenarios:
        c = result.counts(name)
        failed = result.fails(run.fail_on, name)
        keys, forced, listen = _index_cells(result, name, tr)
        rows.append(
            f'<tr><th scope="row" data-sort="{esc(menu.ivr)}"><a href="'
            f'{esc(link)}">{said(menu.ivr, menu.locale)}</a><br>'
            f'<code class="small">{esc(menu.path)}</code></th>'
            f'<td data-sort="{esc(name)}">{esc(name)}</td>{keys}{forced}{listen}'
            f'<td class="num" data-sort="{c["error"]}">{c["error"]}</td>'
            f'<td class="num" data-sort="{c["warning"]}">{c["warning"]}</td>'
            f'<td data-sort="{int(failed)}">{badge(failed, tr)}</td></tr>')
    return rows


def index_table(run, links: dict[str, str] | None, tr: Translator, sortable: bool = True,
                rows: list[str] | None = None) -> list[str]:
    """One row per menu and scenario: every scenario, not only the worst, each menu's name
    linked by ``links`` (menu file -> its page or anchor). ``sortable``: the page's script
    sorts it by a click on a column heading (not on paper). A streaming report kept each
    menu's rows (folder.ReportWriter); ``rows``: the rows, made already (``links`` unused)."""
    if rows is None:
        rows = [row for menu in parts(run, "report", lambda result, run: index_rows(
            run, result, links[result.menu.path], tr)) for row in menu]
    heads = [(N_("menu"), ""), (N_("scenario"), ""), (N_("keys to a person"), "num"),
             (N_("forced seconds"), "num"), (N_("listening seconds"), "num"),
             (N_("errors"), "num"), (N_("warnings"), "num"), (N_("result"), "")]
    caption = tr(N_("One row per menu and scenario, with the findings that hold in that "
                    "scenario and whether they fail it. Where a scenario reaches no person by "
                    "choosing keys, the row says what it offers instead; ≈: rests on durations "
                    "estimated from the text."))
    if sortable:
        caption += tr(N_(" A column heading sorts the table."))
    return [f'<table class="{"sortable " if sortable else ""}index"><caption>' + esc(caption)
            + "</caption><thead><tr>" + "".join(
            f'<th scope="col"{f" class={cls}" if cls else ""}>{esc(tr(h))}</th>'
            for h, cls in heads) + "</tr></thead><tbody>", *rows, "</tbody></table>"]


class CompareColumn(NamedTuple):
    """A menu's column in the table of one scenario (compare.html): its heading (HTML: the
    menu's name, linked to its page), its numbers and personas ((what, value) rows of plain
    text, escaped where they are written), its findings in the scenario and its result
    (HTML)."""

    head: str
    cells: list[tuple[str, str]]
    findings: str
    result: str


def compare_columns(run, result, link: str,
                    tr: Translator) -> tuple[str, dict[str, CompareColumn]]:
    """A menu's name (HTML) and its column per scenario, its name linked to ``link``: what
    compare.html shows of it (a streaming report keeps them, folder.ReportWriter)."""
    name = said(result.menu.ivr, result.menu.locale)
    head = f'<th scope="col"><a href="{esc(link)}">{name}</a></th>'
    return name, {scenario: CompareColumn(
        head, summary.numbers(result, scenario, tr) + summary.personas(result, scenario, tr),
        _scenario_findings(result, scenario, tr), badge(result.fails(run.fail_on, scenario), tr))
        for scenario in result.scenarios}


def compare_tables(run, links: dict[str, str], level: int, tr: Translator) -> list[str]:
    """Menus side by side, a table per scenario name (in the order they first appear): the
    verdict's numbers, the personas and the findings of each menu that has the scenario."""
    menus = list(parts(run, "compare", lambda result, run: compare_columns(
        run, result, links[result.menu.path], tr)))
    names = list(dict.fromkeys(name for _, columns in menus for name in columns))
    out = []
    for name in names:
        having = [columns[name] for _, columns in menus if name in columns]
        out.append(heading(level, fill(tr, N_("Scenario {name}"), name=name),
                           f"compare-{name}"))
        head = "".join(column.head for column in having)
        out.append(f'<table class="compare"><thead><tr><td></td>{head}</tr></thead><tbody>')
        for i, (what, _) in enumerate(having[0].cells):
            out.append(f'<tr><th scope="row">{esc(what)}</th>'
                       + "".join(f"<td>{esc(column.cells[i][1])}</td>" for column in having)
                       + "</tr>")
        out.append(f'<tr><th scope="row">{esc(tr(N_("findings in this scenario")))}</th>'
                   + "".join(f"<td>{column.findings}</td>" for column in having) + "</tr>")
        out.append(f'<tr><th scope="row">{esc(tr(N_("result")))}</th>'
                   + "".join(f"<td>{column.result}</td>" for column in having)
                   + "</tr></tbody></table>")
        missing = [menu for menu, columns in menus if name not in columns]
        if missing:
            out.append('<p class="note">' + fill(tr, N_("Without this scenario: {menus}"),
                                                 menus=Markup(esc_words(tr(N_(", "))).join(
                                                     missing))) + "</p>")
    return out


def _scenario_findings(result, name: str, tr: Translator) -> str:
    counts = result.counts(name)
    return esc(tr.join([tr.count(Np_("{n} error", "{n} errors"), counts["error"]),
                        tr.count(Np_("{n} warning", "{n} warnings"), counts["warning"])]))
