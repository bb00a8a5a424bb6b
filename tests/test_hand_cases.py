"""Hand-computed cases in tests/hand/: NAME.yaml with NAME.expected.json beside it.

Each expected file holds, per scenario, the metrics worked out by hand from SPEC section 5
(the arithmetic is in the YAML's header comment); only the keys present are compared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import metrics_json

HAND = Path(__file__).parent / "hand"
CASES = sorted(HAND.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_hand_computed_metrics(case: Path) -> None:
    expected = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    actual = metrics_json(case.read_text(encoding="utf-8"), base_dir=case.parent)
    assert sorted(actual) == sorted(expected), "scenarios differ"
    for scenario, wanted in expected.items():
        got = {key: actual[scenario][key] for key in wanted}
        assert got == wanted, f"scenario {scenario}"
