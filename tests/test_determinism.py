"""Same input, same bytes: whatever the hash seed, whatever order the scenarios are written in."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from helpers import MENUS
from ivraudit.audit.auditor import audit_menu
from ivraudit.format.loader import load_file

SEEDS = ("0", "1", "2", "3", "4")

# Several mistakes in one file: unknown fields, a bad value, a node named nowhere. Which one is
# reported must not change from run to run.
SEVERAL_MISTAKES = """\
ivr: Several mistakes
format: 1
entry: main
nodes:
  main:
    type: menu
    options:
      - {key: 1, say: Billing., goto: billng}
      - {key: 0, say: Agent., goto: agent}
    timeout: -3
  agent: {type: human, wait: -5, qeue: sales}
  extra: {type: message, nxt: main}
  other: {type: message, next: main, colour: red}
"""


def run_with_seed(seed: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=seed, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "ivraudit", *args], capture_output=True,
                          env=env, check=False)


def test_errors_are_the_same_bytes_under_every_hash_seed(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEVERAL_MISTAKES, encoding="utf-8")
    runs = [run_with_seed(seed, "audit", str(bad), str(MENUS / "bank.yaml")) for seed in SEEDS]
    assert {run.returncode for run in runs} == {2}
    assert runs[0].stderr.startswith(f"{bad}:".encode())
    assert len({run.stderr for run in runs}) == 1, [run.stderr for run in runs]
    assert len({run.stdout for run in runs}) == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "github", "junit"])
def test_reports_are_the_same_bytes_under_every_hash_seed(fmt):
    runs = [run_with_seed(seed, "audit", "--fail-on", "never", "--format", fmt, str(MENUS))
            for seed in SEEDS[:3]]
    assert {run.returncode for run in runs} == {0}
    assert len({run.stdout for run in runs}) == 1


def _findings(menu) -> list[tuple]:
    return [(f.rule, f.severity, f.node, f.scenario, f.line, f.column, f.message)
            for f in audit_menu(menu, today="2026-01-01").findings]


@pytest.mark.parametrize("path", sorted(MENUS.glob("*.yaml")), ids=lambda p: p.name)
def test_findings_do_not_depend_on_the_order_of_scenarios(path):
    menu = load_file(path)
    expected = _findings(menu)
    orders = itertools.islice(itertools.permutations(menu.scenarios), 1, 7)
    for order in orders:
        permuted = replace(menu, scenarios={name: menu.scenarios[name] for name in order})
        assert _findings(permuted) == expected, f"scenarios in the order {order}"


def test_drawings_are_the_same_dot_under_every_hash_seed(tmp_path):
    """The layout (levels, stubs, wrapping into cards) decides nothing by a set's order: a
    wrapped 63-node menu and an example menu give the same DOT under three hash seeds."""
    sys.path.insert(0, str(MENUS.parent / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    wide = tmp_path / "wide.yaml"
    wide.write_text(generate(31), encoding="utf-8")
    for menu in (wide, MENUS / "telecom-complaint.yaml"):
        runs = [run_with_seed(seed, "render", "--format", "dot", str(menu)) for seed in SEEDS[:3]]
        assert {run.returncode for run in runs} == {0}
        assert len({run.stdout for run in runs}) == 1, menu
        assert (b"cluster_card_1" in runs[0].stdout) == (menu == wide)  # only it wraps
