"""`ivraudit diff`: did this change make it harder to reach a person? (SPEC section 11)

- sources.py: the two sides: two files or folders, or a git revision and the working tree;
- compare.py: two AuditRuns -> a Diff (metrics before and after, findings added and fixed,
  menus and scenarios added or removed), from the metrics' JSON-report form;
- regressions.py: what got worse (what `--fail-on-regression` fails on);
- allow.py: the allowances of ``--allow``;
- words.py: labels, values as printed, a scenario's comparison as rows;
- text.py, json.py, markdown.py, github.py: the diff's formats (pure functions of a Diff).
"""

from __future__ import annotations

from . import github, json, markdown, text

# format name -> its renderer: (Diff, color) -> text
RENDERERS = {"text": text.render, "json": json.render, "markdown": markdown.render,
             "github": github.render}
FORMATS = tuple(RENDERERS)


def render(diff, fmt: str, color: bool = False) -> str:
    """Render a Diff (compare.Diff) in the format ``fmt``; raises ValueError for another."""
    if fmt not in RENDERERS:
        raise ValueError(f"no diff format {fmt!r}")
    return RENDERERS[fmt](diff, color=color)
