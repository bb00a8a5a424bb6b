"""The HTML report's style sheet and its one script, inlined in every page (no CDN, no files).

The page's Content-Security-Policy allows exactly these two by their SHA-256 hashes, so even
a mistake in escaping could not make a script from a menu run.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4d4d4d; --line: #c9c9c9;
  --band: #f3f5f7; --link: #0b57d0; --error: #8c1d18; --error-bg: #fde7e7;
  --warning: #7a4100; --warning-bg: #fff1d6; --info: #0b3d91; --info-bg: #e3eefc;
  --pass: #0d652d; --pass-bg: #e6f4ea; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 78rem; padding: 1rem 1.5rem 3rem; color: var(--ink);
  background: #fff; font: 16px/1.5 "Noto Sans", "Noto Sans CJK SC", "Segoe UI", system-ui,
  sans-serif; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, summary:focus-visible {
  outline: 3px solid #1a73e8; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
h1 { font-size: 1.8rem; margin: .5rem 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
.meta, .note { color: var(--muted); }
code, .mono { font-family: "Noto Sans Mono", "DejaVu Sans Mono", Consolas, monospace;
  font-size: .92em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table.sortable caption { font-weight: 400; color: var(--muted); }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--band); }
tbody th { font-weight: 600; }
table.metrics { width: auto; min-width: 60%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.path { display: block; color: var(--muted); font-size: .9em; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .3rem; font-weight: 700;
  font-size: .9em; white-space: nowrap; }
.error { color: var(--error); background: var(--error-bg); }
.warning { color: var(--warning); background: var(--warning-bg); }
.info { color: var(--info); background: var(--info-bg); }
.pass { color: var(--pass); background: var(--pass-bg); }
.fail { color: var(--error); background: var(--error-bg); }
.suppressed { color: var(--muted); background: var(--band); }
p.verdict { padding: .6rem .9rem; border-radius: .4rem; font-size: 1.05rem; }
nav.toc ul { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: 0; list-style: none; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.meta dt { font-weight: 600; color: var(--ink); }
dl.meta dd { margin: 0; }
figure { margin: 1rem 0; border: 1px solid var(--line); padding: .5rem; }
.scroll { overflow: auto; max-height: 90vh; }
figure svg { display: block; }
figcaption { color: var(--muted); margin-top: .4rem; }
ol.transcript li { margin: .3rem 0; }
.time { font-variant-numeric: tabular-nums; color: var(--muted); display: inline-block;
  min-width: 4.5rem; }
blockquote { margin: .2rem 0 .2rem 1.2rem; padding-left: .6rem;
  border-left: 3px solid var(--line); }
th button { font: inherit; font-weight: 700; color: inherit; background: none; border: 0;
  padding: 0; cursor: pointer; text-align: left; text-decoration: underline dotted;
  text-underline-offset: .2em; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9em; }
section.summary { border: 2px solid var(--line); border-radius: .5rem; padding: .2rem 1rem .6rem;
  margin: 1rem 0 1.5rem; }
section.summary h2, section.summary h3 { border: 0; margin-top: .6rem; }
table.numbers { width: auto; min-width: 50%; }
table.numbers td, table.numbers th { font-size: 1.05rem; }
ol.causes li { margin: .25rem 0; }
span.occurrences { display: block; }
ul.occurrences { margin: .3rem 0 0; padding-left: 1.1rem; font-size: .92em; }
td, th { overflow-wrap: break-word; }
code.hash { word-break: break-all; }
code.small { font-size: .8em; color: var(--muted); }
td.words { color: var(--muted); }
.estimated { color: var(--muted); font-size: .85em; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@page wide { size: A4 landscape; margin: 10mm 10mm 12mm; }
table.words td:nth-child(2), table.words td:nth-child(4) { white-space: nowrap; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  .skip, nav.toc, nav.crumbs { display: none; }
  a { color: inherit; text-decoration: none; }
  a.source::after { content: " <" attr(href) ">"; font-size: 8pt; word-break: break-all; }
  h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  h2 + *, h3 + *, h4 + * { break-before: avoid; page-break-before: avoid; }
  tr, figure, blockquote, dl, li { break-inside: avoid; }
  p { orphans: 3; widows: 3; }
  figure { border: 0; margin: .5rem 0; }
  .scroll { overflow: visible; max-height: none; }
  figure svg { max-width: 100%; height: auto; max-height: 23cm; }
  main.printed figure.wide { page: wide; }
  main.printed figure.wide svg { max-height: 16.5cm; }
  thead { display: table-header-group; }
  main.printed section.menu { break-before: page; }
  main.printed section.summary { break-after: page; border: 0; padding: 0; }
  main.printed section.compare, main.printed section.policy { break-before: page; }
  table { font-size: 9pt; }
  th, td { padding: .2rem .35rem; }
}
"""

SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort");
        var y = b.cells[column].getAttribute("data-sort");
        var nx = Number(x), ny = Number(y);
        var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  table.setAttribute("data-sortable", "ready");
});
"""


def sha256(text: str) -> str:
    """A CSP source for an inline block: 'sha256-<base64 digest>'."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: bool) -> str:
    """Nothing may load or run but this page's own style sheet (and sort script)."""
    scripts = sha256(SORT_SCRIPT) if script else "'none'"
    return (f"default-src 'none'; style-src {sha256(CSS)}; script-src {scripts}; "
            "img-src data:; base-uri 'none'; form-action 'none'")
