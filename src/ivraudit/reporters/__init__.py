"""One module per output format; each renders an AuditRun to text and computes nothing.

Every format but ``html`` is also written from parts: ``menu_part(result, run, color)`` of a
format's module makes one menu's part of the report, and ``render`` puts the parts together.
A streaming audit (audit.stream) keeps only those parts of each menu (``keeper``).
"""

from __future__ import annotations

from functools import partial

from . import github, html, json, junit, markdown, sarif, text

# Format name -> its renderer: (AuditRun, color=bool) -> text.
REPORTERS = {"text": text.render, "json": json.render, "junit": junit.render,
             "sarif": sarif.render, "markdown": markdown.render, "github": github.render,
             "html": html.render}
FORMATS = tuple(REPORTERS)
# Format name -> (MenuResult, AuditRun, color) -> that menu's part of the report; ``quiet``:
# the lines of `audit --quiet`.
PARTS = {"text": text.menu_part, "json": json.menu_part, "junit": junit.menu_part,
         "sarif": sarif.menu_part, "markdown": markdown.menu_part, "github": github.menu_part,
         "quiet": text.failing_part}


def render(run, fmt: str, color: bool = False) -> str:
    """Render ``run`` in the format ``fmt``."""
    return REPORTERS[fmt](run, color=color)


# Formats written a piece at a time (a menu's part, or a finding's), so that a report of
# thousands of menus never stands whole in memory: name -> (AuditRun, color) -> pieces.
CHUNKS = {"text": text.chunks, "json": json.chunks, "sarif": sarif.chunks}


def chunks(run, fmt: str, color: bool = False):
    """``render(run, fmt, color)`` in pieces (in one piece for the other formats)."""
    if fmt in CHUNKS:
        return CHUNKS[fmt](run, color=color)
    return iter([render(run, fmt, color)])


def menu_parts(results: list, run, formats: tuple[str, ...], color: bool = False) -> list[dict]:
    """Per result, its part of the report in each of ``formats`` (a keeper's work)."""
    return [{fmt: PARTS[fmt](result, run, color) for fmt in formats} for result in results]


def keeper(formats: tuple[str, ...], color: bool = False):
    """What a streaming audit keeps of each menu for reports in ``formats`` (audit.stream);
    None when one of them needs whole results (``html``: one page holds every menu)."""
    if any(fmt not in PARTS for fmt in formats):
        return None
    return partial(menu_parts, formats=tuple(formats), color=color)
