"""Fixtures shared by the tests."""

from __future__ import annotations

import pytest

from helpers import metrics_json


@pytest.fixture
def metrics():
    """The metrics of the `default` scenario of a menu written as YAML text."""
    return lambda text, **kw: metrics_json(text, **kw)["default"]
