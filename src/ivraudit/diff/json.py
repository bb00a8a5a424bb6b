"""The diff as JSON (docs/diff.md): stable names, like the audit's JSON report (SPEC 8)."""

from __future__ import annotations

import json

from .. import __version__


def report(diff) -> dict:
    """The whole diff as plain data."""
    return {
        "tool": {"name": "ivraudit", "version": __version__},
        "old": diff.old.label,
        "new": diff.new.label,
        "date": diff.new.run.date,  # the day both sides' waivers were judged on (--date)
        "policy": diff.new.run.policy.name,
        "fail_on": diff.fail_on,
        "fail_on_regression": diff.fail_on_regression,
        "allow": diff.allowed,
        "menus": [menu.as_json() for menu in diff.menus],
        "regressions": [regression.as_json() for regression in diff.regressions],
        "summary": diff.counts(),
    }


def render(diff, color: bool = False) -> str:
    return json.dumps(report(diff), indent=2, ensure_ascii=False) + "\n"
