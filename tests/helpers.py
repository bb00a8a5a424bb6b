"""Test helpers: audit a menu given as text and read its metrics as the JSON report shows them."""

from __future__ import annotations

import signal
import textwrap
from contextlib import contextmanager
from pathlib import Path

from ivraudit.format.loader import load_text
from ivraudit.analysis.metrics import menu_metrics
from ivraudit.reporters.json import scenario_json

ROOT = Path(__file__).resolve().parent.parent
MENUS = ROOT / "menus"
SHARED = ROOT.parent / "shared"


def metrics_json(text: str, base_dir: Path | None = None) -> dict[str, dict]:
    """Scenario name -> the JSON `metrics` object, for a menu written as YAML text."""
    menu = load_text(textwrap.dedent(text), "test.yaml", base_dir=base_dir)
    metrics = menu_metrics(menu)
    return {name: scenario_json(m, metrics.structure) for name, m in metrics.scenarios.items()}


class Overrun(BaseException):
    """A command ran past its bound (BaseException: no `except Exception` swallows it)."""


@contextmanager
def time_bound(seconds: float, raising: type[BaseException] = Overrun):
    """Raise ``raising`` in the main thread if the block runs longer than ``seconds``."""
    def ring(signum, frame):
        raise raising(f"ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assumed(result, text: str) -> list:
    """The IVR038 import-assumption findings of ``result`` one of whose occurrences says
    ``text`` (one finding per source location)."""
    return [f for f in result.findings if f.rule == "IVR038"
            and any(text in o.message for o in f.where)]
