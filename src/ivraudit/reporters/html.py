"""The HTML report, for compliance officers: static, self-contained, accessible, printable.

Shapes, all pure functions of an AuditRun, in the reader's language (``lang``):

- ``pages(run, graphs)``: the files of ``ivraudit report``: ``index.html`` (the facts of the
  audit: date, tool version, files with their SHA-256, the policy and its rules; then a
  sortable row per menu and scenario: keys, forced and listening seconds, counts, pass or
  fail), a page per menu (its verdict first, a page a non-engineer can read; what the menu does
  not state; metrics per scenario with their paths, the mistype table, findings by cause with
  their rules' documentation and sources, the menu graph inline as SVG with a text version, a
  transcript of the quickest call), with ``compare`` a ``compare.html`` that puts the menus
  side by side per scenario, and with ``printable`` a ``print.html``: everything in one
  document laid out for paper, which ``ivraudit report --pdf`` prints (reporters.pdf). The SVG
  drawings are made beforehand (reporters.folder) and passed in.
- ``render(run)``: one page with every menu, for ``ivraudit audit --format html``; it has no
  drawings, since drawing needs Graphviz and a reporter runs nothing. A streaming audit keeps
  each menu's ``menu_part`` (its rows of the index, its section), and ``chunks`` writes the
  page a menu at a time.

No page loads anything (no CDN, no web font); the Content-Security-Policy lets only the page's
own style sheet and sort script apply. Every piece of menu text is HTML-escaped. The only date
is the audit's (``--date`` or SOURCE_DATE_EPOCH fixes it): the same audit gives the same bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import NamedTuple

from .. import __version__
from ..audit.stream import Kept
from ..i18n import ENGLISH, N_, Np_, Translator, msgn
from ..util.safe_text import html as esc
from .html_assets import CSS, SORT_SCRIPT, content_security_policy
from .html_menu import (
    fill, findings_tables, heading, metrics_table, mistype_tables, rule_docs, said,
)
from .html_summary import (
    about_menu, assumptions_section, audit_facts, compare_tables, index_rows, index_table,
    policy_rules, verdict_section,
)
from .html_words import graph_in_words, structure_list, transcript

# At the start of every file of a report: how a later report knows the files it may replace.
MARKER = "<!-- written by ivraudit -->"


def page(title: str, body: list[str], script: bool = False, run=None,
         tr: Translator = ENGLISH) -> str:
    """A whole HTML document around ``body`` (lines of HTML), in ``tr``'s language."""
    return "\n".join(_page_head(title, script, tr) + body + _page_tail(script, run, tr)) + "\n"


def _page_head(title: str, script: bool, tr: Translator) -> list[str]:
    return ["<!DOCTYPE html>", MARKER, f'<html lang="{esc(tr.lang)}">', "<head>",
            '<meta charset="utf-8">', '<meta http-equiv="Content-Security-Policy" '
            f'content="{content_security_policy(script)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="ivraudit {esc(__version__)}">',
            f"<title>{title}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
            f'<a class="skip" href="#main">{esc(tr(N_("Skip to the content")))}</a>']


def _page_tail(script: bool, run, tr: Translator) -> list[str]:
    written = fill(tr, N_("Written by ivraudit {version}."), version=__version__)
    if run is not None and run.date:
        written = fill(tr, N_("Written by ivraudit {version} for the audit of {date} under "
                              "policy {policy}."), version=__version__, date=run.date,
                       policy=run.policy.name)
    tail = [f"<footer><p>{written}</p></footer>"]
    if script:
        tail.append(f"<script>{SORT_SCRIPT}</script>")
    return tail + ["</body>", "</html>"]


def stand_in(what: str) -> str:
    """A stand-in for ``what`` (a page's name, a menu's number) in a menu's part of a report
    made before ``what`` is known, replaced once it is: random, so that no text from a file
    is it."""
    return f"ivraudit-{what}-{os.urandom(8).hex()}"


def verdict(run, result, tr: Translator = ENGLISH) -> str:
    """The verdict as one paragraph (the live preview shows it above its metrics)."""
    failed = result.fails(run.fail_on)
    from .summary import why

    return (f'<p class="verdict {"fail" if failed else "pass"}">'  # the words say PASS or FAIL
            f"{esc(why(run, result, tr))}</p>")


class PageNames:
    """Menu file -> its page's file name: the file's stem, made unique, ASCII only. Each name
    depends on the names before it: ``add`` them in the order of the menus."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.taken = {"index", "compare", "print"}

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


def run_summary(run, tr: Translator) -> str:
    """'3 menus audited with policy default (fail on: error): 2 pass, 1 fail; ...'."""
    s = run.counts()
    failed = run.failed()
    text = fill(tr, N_("{menus} audited with policy {policy} (fail on: {fail_on}): {passed} "
                       "pass, {failed} fail; {counts}."),
                menus=msgn(Np_("{n} menu", "{n} menus"), s["menus"]), policy=run.policy.name,
                fail_on=tr(_fail_on_word(run.fail_on)), passed=s["menus"] - failed,
                failed=failed, counts=_counts(s, tr))
    if run.errors:
        text += " " + esc(tr.render(msgn(Np_("{n} file could not be read.",
                                             "{n} files could not be read."), len(run.errors))))
    return f"<p>{text}</p>"


def _fail_on_word(fail_on: str) -> str:
    from .summary import severity_word

    return severity_word(fail_on)


def _counts(c: dict, tr: Translator) -> str:
    return tr.join([tr.count(Np_("{n} error", "{n} errors"), c["error"]),
                    tr.count(Np_("{n} warning", "{n} warnings"), c["warning"]),
                    tr.count(Np_("{n} info", "{n} info"), c["info"]),
                    tr.count(Np_("{n} waived", "{n} waived"), c["suppressed"])])


def errors_table(run, level: int, tr: Translator = ENGLISH) -> list[str]:
    if not run.errors:
        return []
    out = [heading(level, esc(tr(N_("Files that could not be read"))), "unread"),
           "<table><thead><tr>" + "".join(f'<th scope="col">{esc(tr(h))}</th>' for h in (
               N_("where"), N_("error"), N_("what to do"))) + "</tr></thead><tbody>"]
    out += [f"<tr><td><code>{esc(e.path)}:{e.line}:{e.column}</code></td><td>{esc(e.message)}"
            f"</td><td>{esc(e.hint)}</td></tr>" for e in run.errors]
    return out + ["</tbody></table>"]


def index_page(run, links: dict[str, str], tr: Translator = ENGLISH,
               compare: bool = False) -> str:
    title = esc(tr(N_("IVR audit report")))
    body = ['<main id="main">', f"<h1>{title}</h1>", run_summary(run, tr)]
    if compare:
        body.append('<p><a href="compare.html">'
                    + esc(tr(N_("The menus side by side, per scenario"))) + "</a></p>")
    body += errors_table(run, 2, tr)
    body += [heading(2, esc(tr(N_("Menus"))), "menus")] + index_table(run, links, tr)
    body += audit_facts(run, 2, "audit", tr) + policy_rules(run, 2, "policy", tr)
    return page(title, body + ["</main>"], script=True, run=run, tr=tr)


def compare_page(run, links: dict[str, str], tr: Translator = ENGLISH) -> str:
    title = esc(tr(N_("The menus side by side")))
    body = ['<nav class="crumbs" aria-label="Breadcrumb"><a href="index.html">'
            f'{esc(tr(N_("All menus")))}</a></nav>', '<main id="main">', f"<h1>{title}</h1>",
            run_summary(run, tr)] + compare_tables(run, links, 2, tr) + ["</main>"]
    return page(title, body, run=run, tr=tr)


# -- a menu ---------------------------------------------------------------------------------

def _toc(prefix: str, result, has_graph: bool, tr: Translator) -> str:
    parts = [("summary", N_("Summary"))]
    parts += [("assumptions", N_("Assumptions"))] if result.assumptions else []
    parts += [("metrics", N_("Metrics")), ("mistype", N_("One wrong key")),
              ("findings", N_("Findings"))]
    parts += [("rules", N_("Rules"))] if result.findings else []
    parts += [("graph", N_("Graph"))] if has_graph else []
    parts += [("words", N_("The menu in words")), ("transcript", N_("Transcript")),
              ("structure", N_("Structure"))]
    return (f'<nav class="toc" aria-label="{esc(tr(N_("On this page")))}"><ul>' + "".join(
        f'<li><a href="#{esc(prefix)}{a}">{esc(tr(t))}</a></li>' for a, t in parts)
        + "</ul></nav>")


def graph_figures(result, drawings, level: int, prefix: str,
                  tr: Translator = ENGLISH) -> list[str]:
    """The inline SVG of each scenario, labelled; ``drawings``: scenario -> (svg, file)."""
    out = [heading(level, esc(tr(N_("Graph"))), f"{prefix}graph"),
           '<p class="note">' + esc(tr(N_(
               "Shapes by node type; keys left to right in keypad order; bold: the path with the "
               "fewest forced seconds to a person; dashed or written in the node: what a wrong "
               "key, no key or too many failures do; “→ x”: a step to x, drawn once elsewhere; "
               "outlines: findings (red errors, brown warnings, blue info). The same graph "
               "follows in words below."))) + "</p>"]
    for n, (scenario, (svg, file)) in enumerate(drawings.items()):
        label = f"{prefix}graph-{n}"
        caption = fill(tr, N_("The graph of {menu} in scenario {scenario}; the table “The menu "
                              "in words” holds the same nodes and transitions as text."),
                       menu=result.menu.ivr, scenario=scenario)
        link = f' <a href="{esc(file)}">{esc(tr(N_("Open the drawing on its own.")))}</a>' \
            if file else ""
        region = fill(tr, N_("graph of scenario {scenario} (scrolls)"), scenario=scenario)
        wide = ' class="wide"' if is_wide(svg) else ""
        out += [f"<figure{wide}>",
                f'<div class="scroll" tabindex="0" role="region" '
                f'aria-label="{region}">', inline_svg(svg, label), "</div>",
                f'<figcaption id="{esc(label)}">{caption}{link}</figcaption>', "</figure>"]
    return out


def is_wide(svg: str) -> bool:
    """Whether a drawing is clearly wider than tall: printed on a landscape page."""
    size = re.search(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    return bool(size) and float(size.group(1)) > 1.3 * float(size.group(2))


def svg_file(svg: str) -> str:
    """Graphviz's SVG as a file of the report: marked, without the XML declaration (UTF-8)."""
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip()
    return f"{MARKER}\n{svg}"


def inline_svg(svg: str, label_id: str) -> str:
    """Graphviz's SVG document as an element inside HTML, named by the caption."""
    element = svg[svg.index("<svg"):].strip()
    return element.replace("<svg", f'<svg role="img" aria-labelledby="{esc(label_id)}"', 1)


def menu_sections(run, result, drawings, note: str | None, level: int, prefix: str,
                  tr: Translator = ENGLISH) -> list[str]:
    out = verdict_section(run, result, level, prefix, tr)
    out += [about_menu(result, tr), _toc(prefix, result, bool(drawings), tr)]
    out += assumptions_section(result, level, prefix, tr)
    out += metrics_table(result, level, prefix, tr)
    out += mistype_tables(result, level, prefix, tr)
    out += findings_tables(result, level, prefix, tr)
    out += rule_docs(result, run.policy, level, prefix, tr)
    if drawings:
        out += graph_figures(result, drawings, level, prefix, tr)
    if note:
        out.append(f'<p class="note">{esc(note)}</p>')
    out += graph_in_words(result, level, prefix, tr)
    out += transcript(result, level, prefix, tr)
    out += structure_list(result, level, prefix, tr)
    return out


def menu_page(run, result, drawings, note: str | None, tr: Translator = ENGLISH) -> str:
    menu = result.menu
    body = ['<nav class="crumbs" aria-label="Breadcrumb"><a href="index.html">'
            f'{esc(tr(N_("All menus")))}</a></nav>', '<main id="main">',
            f"<h1>{said(menu.ivr, menu.locale)}</h1>"]
    body += menu_sections(run, result, drawings, note, 2, "", tr) + ["</main>"]
    title = fill(tr, N_("{menu} — IVR audit report"), menu=menu.ivr)
    return page(title, body, run=run, tr=tr)


def print_page(run, drawings: dict, notes: dict, tr: Translator = ENGLISH,
               compare: bool = False) -> str:
    """Everything in one document for paper (``ivraudit report --pdf``): the facts of the
    audit and the index, the comparison, then each menu from a new page, its verdict alone on
    its first page; the policy's rules last. ``drawings``: menu file -> {scenario: (svg, None)}."""
    title = esc(tr(N_("IVR audit report")))
    body = ['<main id="main" class="printed">', f"<h1>{title}</h1>", run_summary(run, tr)]
    body += audit_facts(run, 2, "audit", tr) + errors_table(run, 2, tr)
    links = {r.menu.path: f"#menu-{n + 1}" for n, r in enumerate(run.results)}
    body += [heading(2, esc(tr(N_("Menus"))), "menus")] + index_table(run, links, tr,
                                                                    sortable=False)
    if compare:
        body += ['<section class="compare">', heading(2, esc(tr(N_("The menus side by side"))),
                                                      "compare")]
        body += compare_tables(run, links, 3, tr) + ["</section>"]
    for n, result in enumerate(run.results):
        prefix = f"menu-{n + 1}-"
        body += [f'<section class="menu" aria-labelledby="menu-{n + 1}">',
                 heading(2, said(result.menu.ivr, result.menu.locale), f"menu-{n + 1}")]
        body += menu_sections(run, result, drawings.get(result.menu.path, {}),
                              notes.get(result.menu.path), 3, prefix, tr) + ["</section>"]
    body += ['<section class="policy">'] + policy_rules(run, 2, "policy", tr) + ["</section>"]
    return page(title, body + ["</main>"], run=run, tr=tr)


def pages(run, graphs: dict | None = None, notes: dict | None = None, lang: str = "en",
          compare: bool = False, printable: bool = False) -> dict[str, str]:
    """The report folder: file name -> content.

    ``graphs``: menu file -> {scenario: SVG text}; the SVGs are also written beside the pages.
    ``notes``: menu file -> why its graph is missing (shown on its page). ``compare``: add
    compare.html; ``printable``: add print.html (what the PDF is made from).
    """
    tr = Translator(lang)
    graphs, notes = graphs or {}, notes or {}
    names = page_names(run)
    files = {"index.html": index_page(run, names, tr, compare)}
    if compare:
        files["compare.html"] = compare_page(run, names, tr)
    printed = {}
    for result in run.results:
        path = result.menu.path
        svgs = graphs.get(path, {})
        files.update(menu_files(run, result, names[path], svgs, notes.get(path), tr))
        printed[path] = {scenario: (svg, None) for scenario, svg in svgs.items()}
    if printable:
        files["print.html"] = print_page(run, printed, notes, tr, compare)
    return files


def menu_files(run, result, name: str, svgs: dict[str, str], note: str | None,
               tr: Translator = ENGLISH) -> dict[str, str]:
    """A menu's files of the report: its drawings (``svgs``: scenario -> SVG text) and its
    page, named ``name``."""
    files, drawings = {}, {}
    for n, (scenario, svg) in enumerate(svgs.items()):
        file = name[:-len(".html")] + (f".{n + 1}" if n else "") + ".svg"
        files[file] = svg_file(svg)
        drawings[scenario] = (svg, file)
    files[name] = menu_page(run, result, drawings, note, tr)
    return files


# -- one page for `audit --format html` -----------------------------------------------------

class MenuPart(NamedTuple):
    """A menu's share of the one-page report, made where the menu was audited: its rows of the
    index and its section, the menu's number on the page written as ``slot`` (``stand_in``)
    until the page is put together."""

    slot: str
    rows: list[str]
    section: list[str]


def menu_part(result, run, color: bool = False, lang: str = "en") -> MenuPart:
    """A menu's part of the one-page report (a streaming audit keeps it)."""
    tr = Translator(lang)
    slot = stand_in("menu")
    return MenuPart(slot, index_rows(run, result, f"#menu-{slot}", tr),
                    _section(run, result, slot, tr))


def _section(run, result, label: str, tr: Translator) -> list[str]:
    """The menu's section on the one page, its ids and anchor made from ``label`` (its number
    on the page, or a stand-in for it)."""
    return ([f'<section aria-labelledby="menu-{label}">',
             heading(2, said(result.menu.ivr, result.menu.locale), f"menu-{label}")]
            + menu_sections(run, result, {}, None, 3, f"menu-{label}-", tr) + ["</section>"])


def _numbered(run, kept: Callable[[MenuPart], list[str]],
              make: Callable[[object, str], list[str]]) -> Iterator[list[str]]:
    """Each menu's lines, numbered in order: ``kept(part)`` of the part a streaming audit
    kept, its stand-in replaced by the menu's number, or ``make(result, number)`` of a whole
    result."""
    for n, result in enumerate(run.results, 1):
        if isinstance(result, Kept):
            part = result.part("html")
            yield [line.replace(part.slot, str(n)) for line in kept(part)]
        else:
            yield make(result, str(n))


def render(run, color: bool = False, lang: str = "en") -> str:
    """Every menu on one page (no drawings; `ivraudit report` draws them)."""
    return "".join(chunks(run, color, lang))


def chunks(run, color: bool = False, lang: str = "en") -> Iterator[str]:
    """The page in pieces, a menu's section at a time (what ``render`` joins). The index
    comes first, so each menu is gone over twice: for its rows, then for its section (a kept
    part is unpacked each time)."""
    tr = Translator(lang)
    title = esc(tr(N_("IVR audit report")))
    body = ['<main id="main">', f"<h1>{title}</h1>", run_summary(run, tr),
            '<p class="note">' + fill(tr, N_("Menu graphs are drawn by `ivraudit report`."))
            + "</p>"]
    body += errors_table(run, 2, tr)
    rows = [row for menu in _numbered(run, attrgetter("rows"), lambda result, n: index_rows(
        run, result, f"#menu-{n}", tr)) for row in menu]
    body += [heading(2, esc(tr(N_("Menus"))), "menus")] + index_table(run, None, tr, rows=rows)
    yield "\n".join(_page_head(title, True, tr) + body) + "\n"
    for section in _numbered(run, attrgetter("section"),
                             lambda result, n: _section(run, result, n, tr)):
        yield "\n".join(section) + "\n"
    tail = audit_facts(run, 2, "audit", tr) + policy_rules(run, 2, "policy", tr) + ["</main>"]
    yield "\n".join(tail + _page_tail(True, run, tr)) + "\n"
