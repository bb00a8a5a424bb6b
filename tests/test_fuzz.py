"""Fuzzing: mutated menus, policies, personas and pyproject.toml files, and mutated platform
flows, through every subcommand (tests/fuzzing.py says what is mutated and what is checked). A
few hundred cases of each by default; thousands with ``pytest --long``."""

from __future__ import annotations

import pytest

from fuzzing import build_case, build_platform_case, describe, run_case, seeds

CASES, LONG_CASES = 300, 5000
PLATFORM_CASES, LONG_PLATFORM_CASES = 200, 3000
_SEEDS = seeds()


def pytest_generate_tests(metafunc):
    long = metafunc.config.getoption("--long")
    if "number" in metafunc.fixturenames:
        count = LONG_CASES if long else CASES
        metafunc.parametrize("number", range(count), ids=lambda n: f"case-{n:05d}")
    if "platform_number" in metafunc.fixturenames:
        count = LONG_PLATFORM_CASES if long else PLATFORM_CASES
        metafunc.parametrize("platform_number", range(count),
                             ids=lambda n: f"platform-{n:05d}")


def test_hostile_input_exits_0_1_or_2_cleanly(number, tmp_path):
    case = build_case(number, _SEEDS)
    problems = run_case(case, tmp_path)
    assert not problems, describe(case) + "\n--- problems ---\n" + "\n".join(problems)


def test_hostile_platform_files_exit_0_1_or_2_cleanly(platform_number, tmp_path):
    case = build_platform_case(platform_number, _SEEDS)
    problems = run_case(case, tmp_path)
    assert not problems, describe(case) + "\n--- problems ---\n" + "\n".join(problems)
