"""One module per output format; each renders an AuditRun to text and computes nothing."""

from __future__ import annotations

from ..util.gcpause import without_cycle_collection
from . import github, html, json, junit, markdown, sarif, text

# Format name -> its renderer: (AuditRun, color=bool, lang=str) -> text. The machine formats
# (json, sarif) stay in English whatever the language.
REPORTERS = {"text": text.render, "json": json.render, "junit": junit.render,
             "sarif": sarif.render, "markdown": markdown.render, "github": github.render,
             "html": html.render}
FORMATS = tuple(REPORTERS)


def render(run, fmt: str, color: bool = False, lang: str = "en") -> str:
    """Render ``run`` in the format ``fmt``, in the language ``lang`` (``en`` or ``zh-CN``).
    The cycle collector pauses meanwhile: a report makes many small objects and no cycles,
    and rescanning a large audit's objects for each batch of them made the text report of a
    10,000-node menu take 2.5 s instead of 0.5 s."""
    with without_cycle_collection():
        return REPORTERS[fmt](run, color=color, lang=lang)
