"""The HTML report, for compliance officers: static, self-contained, accessible, printable.

Two shapes, both pure functions of an AuditRun:

- ``pages(run, graphs)``: the files of ``ivraudit report``: ``index.html`` (a sortable
  row per menu: name, file, key metrics, error and warning counts, pass or fail) and a page per
  menu (metrics per scenario with their paths, the mistype table, findings with their rules'
  documentation and sources, the menu graph inline as SVG with a text version, a transcript of
  the quickest call). The SVG drawings are made beforehand (``ivraudit.report``) and passed in.
- ``render(run)``: one page with every menu, for ``ivraudit audit --format html``; it has no
  drawings, since drawing needs Graphviz and a reporter runs nothing.

No page loads anything (no CDN, no web font); the Content-Security-Policy lets only the page's
own style sheet and sort script apply. Every piece of menu text is HTML-escaped. There is no
timestamp: the same audit gives the same bytes.
"""

from __future__ import annotations

import re

from .. import __version__
from ..format.durations import seconds_text
from .html_assets import CSS, SORT_SCRIPT, content_security_policy
from .words import parts
from .html_menu import (
    esc, findings_tables, graph_in_words, heading, metrics_table, mistype_tables, rule_docs,
    said, structure_list, transcript,
)

# At the start of every file of a report: how a later report knows the files it may replace.
MARKER = "<!-- written by ivraudit -->"


def page(title: str, body: list[str], script: bool = False) -> str:
    """A whole HTML document around ``body`` (lines of HTML)."""
    head = ["<!DOCTYPE html>", MARKER, '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" '
            f'content="{content_security_policy(script)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="ivraudit {esc(__version__)}">',
            f"<title>{title}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
            '<a class="skip" href="#main">Skip to the content</a>']
    tail = [f"<footer><p>Written by ivraudit {esc(__version__)}.</p></footer>"]
    if script:
        tail.append(f"<script>{SORT_SCRIPT}</script>")
    return "\n".join(head + body + tail + ["</body>", "</html>"]) + "\n"


# -- verdicts and counts --------------------------------------------------------------------

def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def _counts(c: dict) -> str:
    return (f"{_count(c['error'], 'error')}, {_count(c['warning'], 'warning')}, "
            f"{c['info']} info, {c['suppressed']} waived")


def _badge(failed: bool) -> str:
    return ('<span class="badge fail">FAIL</span>' if failed
            else '<span class="badge pass">PASS</span>')


def verdict(run, result) -> str:
    c = result.counts()
    fail_on = run.fail_on
    failed = result.fails(fail_on)
    return (f'<p class="verdict {"fail" if failed else "pass"}"><strong>'
            f'{"Fails" if failed else "Passes"}</strong> under policy <code>{esc(run.policy.name)}'
            f"</code> (fail on: {esc(fail_on)}): {_counts(c)}.</p>")


# -- the index ------------------------------------------------------------------------------

class PageNames:
    """Menu file -> its page's file name: the file's stem, made unique, ASCII only. Each name
    depends on the names before it: ``add`` them in the order of the menus."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.taken = {"index"}

    def add(self, path: str) -> str:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        stem = stem.strip("-") or "menu"
        name, n = stem, 1
        while name.lower() in self.taken:
            n += 1
            name = f"{stem}-{n}"
        self.taken.add(name.lower())
        self.names[path] = f"{name}.html"
        return self.names[path]


def page_names(run) -> dict[str, str]:
    """Menu file -> its page's file name (PageNames)."""
    names = PageNames()
    for result in run.results:
        names.add(result.menu.path)
    return names.names


def _worst(values):
    """The worst of a metric over scenarios: the largest, None if a scenario has none."""
    values = list(values)
    return None if any(v is None for v in values) else max(values)


def _number_cell(value, seconds: bool = False) -> str:
    if value is None:
        return '<td class="num" data-sort="Infinity">—</td>'
    shown = seconds_text(value) if seconds else str(value)
    return f'<td class="num" data-sort="{float(value)}">{shown}</td>'


def index_row(run, result, link: str) -> str:
    """A menu's row of the index, its name linked to ``link``."""
    menu, ms = result.menu, list(result.scenarios.values())
    c = result.counts()
    steps = _worst(m.steps_to_human for m in ms)
    forced = _worst(m.forced_seconds_to_human for m in ms)
    listen = _worst(m.listen_seconds_to_human for m in ms)
    failed = result.fails(run.fail_on)
    return (
        f'<tr><th scope="row" data-sort="{esc(menu.ivr)}"><a href="{esc(link)}">'
        f"{said(menu.ivr, menu.locale)}</a></th>"
        f'<td data-sort="{esc(menu.path)}"><code>{esc(menu.path)}</code></td>'
        f'<td class="num" data-sort="{len(ms)}">{len(ms)}</td>'
        + _number_cell(steps) + _number_cell(forced, True) + _number_cell(listen, True)
        + f'<td class="num" data-sort="{c["error"]}">{c["error"]}</td>'
        f'<td class="num" data-sort="{c["warning"]}">{c["warning"]}</td>'
        f'<td data-sort="{int(failed)}">{_badge(failed)}</td></tr>')


def index_table(run, links: dict[str, str]) -> list[str]:
    """The table of menus; a streaming report kept each menu's row (folder.ReportWriter)."""
    rows = parts(run, "report", lambda result, run: index_row(run, result, links[result.menu.path]))
    return ['<table class="sortable"><caption>One row per menu; a column heading sorts the '
            "table. Metrics are the worst over a menu's scenarios; — means that no person can "
            "be reached (or, for listening, only through hidden options).</caption><thead><tr>"
            '<th scope="col">menu</th><th scope="col">file</th>'
            '<th scope="col" class="num">scenarios</th>'
            '<th scope="col" class="num">keys to a person</th>'
            '<th scope="col" class="num">forced seconds</th>'
            '<th scope="col" class="num">listening seconds</th>'
            '<th scope="col" class="num">errors</th><th scope="col" class="num">warnings</th>'
            '<th scope="col">result</th></tr></thead><tbody>', *rows, "</tbody></table>"]


def _summary(run) -> str:
    s = run.counts()
    failed, fail_on = run.failed(), run.fail_on
    text = (f"{_count(s['menus'], 'menu')} audited with policy <code>{esc(run.policy.name)}"
            f"</code> (fail on: {esc(fail_on)}): {s['menus'] - failed} pass, {failed} fail; "
            f"{_counts(s)}.")
    if run.errors:
        text += f" {_count(len(run.errors), 'file')} could not be read."
    return f"<p>{text}</p>"


def errors_table(run, level: int) -> list[str]:
    if not run.errors:
        return []
    out = [heading(level, "Files that could not be read", "unread"),
           '<table><thead><tr><th scope="col">where</th><th scope="col">error</th>'
           '<th scope="col">what to do</th></tr></thead><tbody>']
    out += [f"<tr><td><code>{esc(e.path)}:{e.line}:{e.column}</code></td><td>{esc(e.message)}"
            f"</td><td>{esc(e.hint)}</td></tr>" for e in run.errors]
    return out + ["</tbody></table>"]


def index_page(run, links: dict[str, str]) -> str:
    body = ['<main id="main">', "<h1>IVR audit report</h1>", _summary(run)]
    body += errors_table(run, 2)
    body += [heading(2, "Menus", "menus")] + index_table(run, links) + ["</main>"]
    return page("IVR audit report", body, script=True)


# -- a menu ---------------------------------------------------------------------------------

def _about(menu) -> str:
    facts = [f"<dt>File</dt><dd><code>{esc(menu.path)}</code></dd>"]
    facts += [f"<dt>{label}</dt><dd>{said(value, menu.locale)}</dd>"
              for label, value in (("Phone", menu.phone), ("Owner", menu.owner)) if value]
    facts.append(f"<dt>Language</dt><dd>{esc(menu.locale)}</dd>")
    facts.append(f"<dt>Nodes</dt><dd>{len(menu.nodes)}; scenarios: "
                 + ", ".join(esc(s) for s in menu.scenarios) + "</dd>")
    return '<dl class="meta">' + "".join(facts) + "</dl>"


def _toc(prefix: str, has_rules: bool, has_graph: bool) -> str:
    parts = [("metrics", "Metrics"), ("mistype", "One wrong key"), ("findings", "Findings")]
    parts += [("rules", "Rules")] if has_rules else []
    parts += [("graph", "Graph")] if has_graph else []
    parts += [("words", "The menu in words"), ("transcript", "Transcript"),
              ("structure", "Structure")]
    return ('<nav class="toc" aria-label="On this page"><ul>' + "".join(
        f'<li><a href="#{esc(prefix)}{a}">{t}</a></li>' for a, t in parts) + "</ul></nav>")


def graph_figures(result, drawings, level: int, prefix: str) -> list[str]:
    """The inline SVG of each scenario, labelled; ``drawings``: scenario -> (svg, file)."""
    out = [heading(level, "Graph", f"{prefix}graph"),
           '<p class="note">Shapes by node type; keys left to right in keypad order; bold: the '
           "path with the fewest forced seconds to a person; dashed or written in the node: "
           "what a wrong key, no key or too many failures do; “→ x”: a step to x, drawn once "
           "elsewhere; outlines: findings (red errors, brown warnings, blue info). The same "
           "graph follows in words below.</p>"]
    for n, (scenario, (svg, file)) in enumerate(drawings.items()):
        label = f"{prefix}graph-{n}"
        caption = (f"The graph of {said(result.menu.ivr, result.menu.locale)} in scenario "
                   f"{esc(scenario)}; the table “The menu in words” holds the same nodes and "
                   "transitions as text.")
        link = f' <a href="{esc(file)}">Open the drawing on its own</a>.' if file else ""
        out += ['<figure>', f'<div class="scroll" tabindex="0" role="region" '
                f'aria-label="graph of scenario {esc(scenario)} (scrolls)">',
                inline_svg(svg, label), "</div>",
                f'<figcaption id="{esc(label)}">{caption}{link}</figcaption>', "</figure>"]
    return out


def svg_file(svg: str) -> str:
    """Graphviz's SVG as a file of the report: marked, without the XML declaration (UTF-8)."""
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip()
    return f"{MARKER}\n{svg}"


def inline_svg(svg: str, label_id: str) -> str:
    """Graphviz's SVG document as an element inside HTML, named by the caption."""
    element = svg[svg.index("<svg"):].strip()
    return element.replace("<svg", f'<svg role="img" aria-labelledby="{esc(label_id)}"', 1)


def menu_sections(run, result, drawings, note: str | None, level: int,
                  prefix: str) -> list[str]:
    out = [verdict(run, result), _about(result.menu),
           _toc(prefix, bool(result.findings), bool(drawings))]
    out += metrics_table(result, level, prefix)
    out += mistype_tables(result, level, prefix)
    out += findings_tables(result, level, prefix)
    out += rule_docs(result, run.policy, level, prefix)
    if drawings:
        out += graph_figures(result, drawings, level, prefix)
    if note:
        out.append(f'<p class="note">{esc(note)}</p>')
    out += graph_in_words(result, level, prefix)
    out += transcript(result, level, prefix)
    out += structure_list(result, level, prefix)
    return out


def menu_page(run, result, drawings, note: str | None) -> str:
    menu = result.menu
    body = ['<nav class="crumbs" aria-label="Breadcrumb"><a href="index.html">All menus</a></nav>',
            '<main id="main">', f"<h1>{said(menu.ivr, menu.locale)}</h1>"]
    body += menu_sections(run, result, drawings, note, 2, "") + ["</main>"]
    return page(f"{esc(menu.ivr)} — IVR audit report", body)


def pages(run, graphs: dict | None = None, notes: dict | None = None) -> dict[str, str]:
    """The report folder: file name -> content.

    ``graphs``: menu file -> {scenario: SVG text}; the SVGs are also written beside the pages.
    ``notes``: menu file -> why its graph is missing (shown on its page).
    """
    graphs, notes = graphs or {}, notes or {}
    names = page_names(run)
    files = {"index.html": index_page(run, names)}
    for result in run.results:
        path = result.menu.path
        files.update(menu_files(run, result, names[path], graphs.get(path, {}), notes.get(path)))
    return files


def menu_files(run, result, name: str, svgs: dict[str, str], note: str | None) -> dict[str, str]:
    """A menu's files of the report: its drawings (``svgs``: scenario -> SVG text) and its
    page, named ``name``."""
    files, drawings = {}, {}
    for n, (scenario, svg) in enumerate(svgs.items()):
        file = name[:-len(".html")] + (f".{n + 1}" if n else "") + ".svg"
        files[file] = svg_file(svg)
        drawings[scenario] = (svg, file)
    files[name] = menu_page(run, result, drawings, note)
    return files


# -- one page for `audit --format html` -----------------------------------------------------

def render(run, color: bool = False) -> str:
    """Every menu on one page (no drawings; `ivraudit report` draws them)."""
    anchors = {r.menu.path: f"#menu-{n + 1}" for n, r in enumerate(run.results)}
    body = ['<main id="main">', "<h1>IVR audit report</h1>", _summary(run),
            '<p class="note">Menu graphs are drawn by <code>ivraudit report</code>.</p>']
    body += errors_table(run, 2)
    body += [heading(2, "Menus", "menus")] + index_table(run, anchors)
    for n, result in enumerate(run.results):
        prefix = f"menu-{n + 1}-"
        body += [f'<section aria-labelledby="menu-{n + 1}">',
                 heading(2, said(result.menu.ivr, result.menu.locale), f"menu-{n + 1}")]
        body += menu_sections(run, result, {}, None, 3, prefix) + ["</section>"]
    body.append("</main>")
    return page("IVR audit report", body, script=True)
