"""One module per output format; each renders an AuditRun to text and computes nothing."""

from __future__ import annotations

from importlib import import_module

FORMATS = ("text", "json", "junit", "sarif", "markdown", "github", "html")


def render(run, fmt: str, color: bool = False) -> str:
    """Render ``run`` in the format ``fmt``."""
    return import_module(f"{__name__}.{fmt}").render(run, color=color)
