"""Fixtures shared by the tests, and the `--long` option of the fuzz test."""

from __future__ import annotations

import pytest

from helpers import metrics_json


def pytest_addoption(parser):
    parser.addoption("--long", action="store_true", default=False,
                     help="run the long fuzz test (thousands of mutated inputs, not hundreds)")


@pytest.fixture(autouse=True)
def english_and_today(monkeypatch):
    """Reports in English and dated today unless a test says otherwise, whatever the locale
    and SOURCE_DATE_EPOCH of the machine running the tests."""
    for name in ("LC_ALL", "LC_MESSAGES", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def metrics():
    """The metrics of the `default` scenario of a menu written as YAML text."""
    return lambda text, **kw: metrics_json(text, **kw)["default"]
