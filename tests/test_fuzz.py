"""Fuzzing: mutated menus, policies, personas and pyproject.toml files through every subcommand
(tests/fuzzing.py says what is mutated and what is checked). A few hundred cases by default;
thousands with ``pytest --long``."""

from __future__ import annotations

import pytest

from fuzzing import build_case, describe, run_case, seeds

CASES, LONG_CASES = 300, 5000
_SEEDS = seeds()


def pytest_generate_tests(metafunc):
    if "number" in metafunc.fixturenames:
        count = LONG_CASES if metafunc.config.getoption("--long") else CASES
        metafunc.parametrize("number", range(count), ids=lambda n: f"case-{n:05d}")


def test_hostile_input_exits_0_1_or_2_cleanly(number, tmp_path):
    case = build_case(number, _SEEDS)
    problems = run_case(case, tmp_path)
    assert not problems, describe(case) + "\n--- problems ---\n" + "\n".join(problems)
