"""One module per output format; each renders an AuditRun to text and computes nothing.

Every format but ``html`` is also written from parts: ``menu_part(result, run, color)`` of a
format's module makes one menu's part of the report, and ``render`` puts the parts together.
A streaming audit (audit.stream) keeps only those parts of each menu (``keeper``). Formats
with a ``chunks`` function are also written a piece at a time (``chunks``). A format's module
is imported when it is first used: an audit imports the one it prints.
"""

from __future__ import annotations

from functools import partial
from importlib import import_module

FORMATS = ("text", "json", "junit", "sarif", "markdown", "github", "html")
# The formats a streaming audit can keep parts of; ``quiet``: the lines of `audit --quiet`.
PARTS = ("text", "json", "junit", "sarif", "markdown", "github", "quiet")


def _module(fmt: str):
    return import_module(f"{__name__}.{'text' if fmt == 'quiet' else fmt}")


def render(run, fmt: str, color: bool = False) -> str:
    """Render ``run`` in the format ``fmt``: (AuditRun, color) -> text."""
    return _module(fmt).render(run, color=color)


def chunks(run, fmt: str, color: bool = False):
    """``render(run, fmt, color)`` in pieces, a menu's part at a time where the format has
    them (text, json, sarif), so that a report of thousands of menus never stands whole in
    memory; in one piece otherwise."""
    module = _module(fmt)
    if hasattr(module, "chunks"):
        return module.chunks(run, color=color)
    return iter([module.render(run, color=color)])


def menu_parts(results: list, run, formats: tuple[str, ...], color: bool = False) -> list[dict]:
    """Per result, its part of the report in each of ``formats`` (a keeper's work)."""
    makers = {fmt: _module(fmt).failing_part if fmt == "quiet" else _module(fmt).menu_part
              for fmt in formats}
    return [{fmt: make(result, run, color) for fmt, make in makers.items()}
            for result in results]


def keeper(formats: tuple[str, ...], color: bool = False):
    """What a streaming audit keeps of each menu for reports in ``formats`` (audit.stream);
    None when one of them needs whole results (``html``: one page holds every menu)."""
    if any(fmt not in PARTS for fmt in formats):
        return None
    return partial(menu_parts, formats=tuple(formats), color=color)
