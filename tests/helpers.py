"""Test helpers: audit a menu given as text and read its metrics as the JSON report shows them."""

from __future__ import annotations

import textwrap
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

