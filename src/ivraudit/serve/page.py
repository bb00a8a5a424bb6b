"""The live preview's HTML: a list of the menus, and for the chosen one its error (if the file
is broken now), its drawing in the chosen scenario, the metrics per scenario and the findings,
built from the HTML report's own pieces (reporters/html.py, html_menu.py); and the phone.

Every piece of menu text is escaped by those pieces (``esc``, ``said``); the page's script and
style sheet are the only ones allowed to run or apply (Content-Security-Policy by hash).
"""

from __future__ import annotations

from urllib.parse import urlencode

from .. import __version__
from ..reporters.html import inline_svg, verdict
from ..reporters.html_assets import CSS as REPORT_CSS
from ..reporters.html_assets import sha256
from ..reporters.html_menu import esc, findings_tables, metrics_table, rule_docs, said
from .assets import CSS, SCRIPT

KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")


def link(path: str, scenario: str | None = None) -> str:
    query = {"menu": path} | ({"scenario": scenario} if scenario else {})
    return "/?" + urlencode(query)


def _policy() -> str:
    return ("default-src 'none'; "
            f"style-src {sha256(REPORT_CSS)} {sha256(CSS)}; script-src {sha256(SCRIPT)}; "
            "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'")


def page(library, path: str | None, scenario: str | None, view: str) -> str:
    """The whole page: the menus, the chosen menu's ``view`` (see ``menu_view``), the phone."""
    title = "ivraudit serve"
    if path in library.entries:
        title = f"{esc(library.entries[path].name)} — {title}"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_policy()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="ivraudit {esc(__version__)}">',
        f"<title>{title}</title>", f"<style>{REPORT_CSS}</style>", f"<style>{CSS}</style>",
        "</head>",
        f'<body data-menu="{esc(path or "")}" data-scenario="{esc(scenario or "")}">',
        '<header class="bar"><strong>ivraudit serve</strong> <span id="live" class="live" '
        'role="status">connecting…</span></header>',
        '<div class="layout">',
        f'<nav id="menus" class="menus" aria-label="Menus">{menu_list(library, path)}</nav>',
        f'<main id="main" class="view">{view}</main>',
        phone_panel(), "</div>",
        f"<script>{SCRIPT}</script>", "</body>", "</html>"]) + "\n"


def menu_list(library, chosen: str | None) -> str:
    """A link per menu with its error and warning counts, or its error."""
    if not library.entries:
        return '<p class="note">No menu or flow files here yet.</p>'
    items = []
    for path, entry in library.entries.items():
        current = ' aria-current="page"' if path == chosen else ""
        if entry.error is not None:
            badge = '<span class="badge fail">broken</span>'
        else:
            counts = entry.result.counts()
            badge = (f'<span class="badge error">{counts["error"]}</span> '
                     f'<span class="badge warning">{counts["warning"]}</span>')
        items.append(f'<li><a href="{esc(link(path))}"{current}>{esc(entry.name)}</a>'
                     f'<br><code>{esc(path)}</code> {badge}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def menu_view(library, path: str | None, scenario: str | None, svg: str | None,
              drawing_problem: str | None) -> str:
    """The chosen menu: its error now, the drawing of the last good version, metrics, findings."""
    if path not in library.entries:
        return ('<h1>No menu chosen</h1><p class="note">Choose a menu on the left; the page '
                "follows every save.</p>")
    entry, out = library.entries[path], []
    if entry.error is not None:
        out.append(f'<div class="problem" role="alert"><p><strong>This file is not a valid menu '
                   f'now.</strong></p><pre>{esc(entry.error.format())}</pre>'
                   + ("<p>Below: the last good version.</p>" if entry.result else "")
                   + "</div>")
    result = entry.result
    if result is None:
        return "".join(out)
    menu = result.menu
    out.append(f"<h1>{said(menu.ivr, menu.locale)}</h1>")
    out.append(verdict(library.run, result))
    out.append(_scenario_tabs(path, list(result.scenarios), scenario))
    if svg is not None:
        out += ['<figure class="drawing">', '<div class="scroll" tabindex="0" role="region" '
                f'aria-label="the graph of scenario {esc(scenario)} (scrolls)">',
                inline_svg(svg, "drawing-caption"), "</div>",
                f'<figcaption id="drawing-caption">The graph of {said(menu.ivr, menu.locale)} '
                f"in scenario {esc(scenario)}; during a call, the node where it is shows yellow.</figcaption>",
                "</figure>"]
    elif drawing_problem:
        out.append(f'<p class="note">No drawing: {esc(drawing_problem)}</p>')
    out += metrics_table(result, 2, "")
    out += findings_tables(result, 2, "")
    out += rule_docs(result, library.run.policy, 2, "")
    return "\n".join(out)


def _scenario_tabs(path: str, scenarios: list[str], chosen: str) -> str:
    if len(scenarios) < 2:
        return f'<p class="meta">Scenario <strong>{esc(chosen)}</strong>.</p>'
    tabs = "".join(
        f'<li><a href="{esc(link(path, name))}"'
        + (' aria-current="true"' if name == chosen else "") + f">{esc(name)}</a></li>"
        for name in scenarios)
    return f'<nav class="tabs" aria-label="Scenarios"><ul>{tabs}</ul></nav>'


def phone_panel() -> str:
    """A keypad, silence, a phrase to say, and the transcript; the script drives them."""
    keys = "".join(f'<button type="button" class="key" data-key="{esc(key)}">{esc(key)}</button>'
                   for key in KEYPAD)
    return "\n".join([
        '<aside class="phone" aria-label="Phone">', "<h2>Phone</h2>",
        '<p class="note">The menu plays until it waits for you; then press keys, stay silent '
        "or say something. The node where the call is shows yellow in the drawing.</p>",
        '<p><button type="button" id="call">Call</button> '
        '<button type="button" id="hangup" disabled>Hang up</button></p>',
        f'<div class="keypad" role="group" aria-label="Keypad">{keys}</div>',
        '<p><button type="button" id="silent" disabled>Stay silent</button></p>',
        '<form id="speak"><label for="phrase">Say</label> '
        '<input id="phrase" name="phrase" autocomplete="off" disabled> '
        '<button type="submit" id="say" disabled>Say it</button></form>',
        '<p id="status" class="status" role="status">No call yet.</p>',
        '<ol id="transcript" class="transcript" aria-live="polite"></ol>',
        "</aside>"])
