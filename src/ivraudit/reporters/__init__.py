"""One module per output format; each renders an AuditRun to text and computes nothing.

Every format is also written from parts: ``menu_part(result, run, color, lang)`` of a
format's module makes one menu's part of the report, and ``render`` puts the parts together.
A streaming audit (audit.stream) keeps only those parts of each menu (``keeper``). Formats
with a ``chunks`` function are also written a piece at a time (``chunks``). A format's
module is imported when it is first used: an audit imports the one it prints. The machine
formats (json, sarif) stay in English whatever the language.
"""

from __future__ import annotations

from functools import partial

from ..util.gcpause import without_cycle_collection


# Each format's module, imported when first used (an audit imports only the one it prints).
def _text():
    from . import text
    return text


def _json():
    from . import json
    return json


def _junit():
    from . import junit
    return junit


def _sarif():
    from . import sarif
    return sarif


def _markdown():
    from . import markdown
    return markdown


def _github():
    from . import github
    return github


def _html():
    from . import html
    return html


# The registry: format name -> its module's loader. Each module has ``render(run, color,
# lang) -> str`` and ``menu_part`` (see above).
REPORTERS = {"text": _text, "json": _json, "junit": _junit, "sarif": _sarif,
             "markdown": _markdown, "github": _github, "html": _html}
FORMATS = tuple(REPORTERS)
# The formats a streaming audit can keep parts of; ``quiet``: the lines of `audit --quiet`.
PARTS = ("text", "json", "junit", "sarif", "markdown", "github", "html", "quiet")


def _module(fmt: str):
    return REPORTERS["text" if fmt == "quiet" else fmt]()


def render(run, fmt: str, color: bool = False, lang: str = "en") -> str:
    """Render ``run`` in the format ``fmt``, in the language ``lang`` (``en`` or ``zh-CN``):
    (AuditRun, color, lang) -> text. The cycle collector pauses meanwhile: a report makes many
    small objects and no cycles, and rescanning a large audit's objects for each batch of them
    made the text report of a 10,000-node menu take 2.5 s instead of 0.5 s."""
    with without_cycle_collection():
        return _module(fmt).render(run, color=color, lang=lang)


def chunks(run, fmt: str, color: bool = False, lang: str = "en"):
    """``render(run, fmt, color, lang)`` in pieces, a menu's part at a time where the format
    has them (text, json, junit, sarif, html), so that a report of thousands of menus never
    stands whole in memory; in one piece otherwise."""
    module = _module(fmt)
    if hasattr(module, "chunks"):
        return module.chunks(run, color=color, lang=lang)
    return iter([render(run, fmt, color, lang)])


def menu_parts(results: list, run, formats: tuple[str, ...], color: bool = False,
               lang: str = "en") -> list[dict]:
    """Per result, its part of the report in each of ``formats`` (a keeper's work)."""
    makers = {fmt: _module(fmt).failing_part if fmt == "quiet" else _module(fmt).menu_part
              for fmt in formats}
    return [{fmt: make(result, run, color, lang) for fmt, make in makers.items()}
            for result in results]


def keeper(formats: tuple[str, ...], color: bool = False, lang: str = "en"):
    """What a streaming audit keeps of each menu for reports in ``formats`` (audit.stream);
    None for a format that is not in PARTS. (The report folder's keeper is
    folder.ReportWriter's.)"""
    if any(fmt not in PARTS for fmt in formats):
        return None
    return partial(menu_parts, formats=tuple(formats), color=color, lang=lang)
