"""The JSON report (SPEC section 8): stable names, seconds rounded half up to 0.1."""

from __future__ import annotations

import json
from fractions import Fraction

from .. import __version__
from ..durations import tenths


def _path(path) -> list[dict] | None:
    if path is None:
        return None
    return [{"node": node, "key": key} for node, key in path]


def scenario_json(m) -> dict:
    """The `metrics` object of one scenario."""
    return {
        "human_reachable": m.human_reachable,
        "steps_to_human": m.steps_to_human,
        "forced_seconds_to_human": tenths(m.forced_seconds_to_human),
        "listen_seconds_to_human": tenths(m.listen_seconds_to_human),
        "silent_seconds_to_human": tenths(m.silent.seconds_to_human),
        "silent_end": m.silent.end,
        "wait_seconds": m.wait_seconds,
        "depth": m.depth,
        "paths": {name: _path(path) for name, path in m.paths.items()},
        "one_key_human": m.one_key_human,
        "mistype": [{"node": row.node, "key": row.key, "outcome": row.outcome,
                     "penalty_seconds": tenths(row.penalty_seconds),
                     "penalty_steps": row.penalty_steps, "forces_replay": row.forces_replay}
                    for row in m.mistype],
        "unreachable": m.structure.unreachable,
        "dead_ends": m.structure.dead_ends,
        "traps": m.structure.traps,
    }


def personas_json(found: dict) -> dict:
    """Per configured persona (docs/simulate.md): reach probability and expected seconds to a
    person, solved exactly (null for a menu too large for the audit's budget)."""
    return {name: {"reach_probability": None if r is None else round(r.reach_probability, 4),
                   "expected_seconds_to_human": None if r is None else
                   tenths(r.expected_seconds_to_human)}
            for name, r in found.items()}


def plain(value):
    """A finding's measured value or limit as JSON: exact seconds rounded like every second."""
    if isinstance(value, Fraction):
        return tenths(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def finding_json(finding) -> dict:
    return {"rule": finding.rule, "name": finding.name, "severity": finding.severity,
            "message": finding.message, "file": finding.file, "line": finding.line,
            "column": finding.column, "node": finding.node, "scenario": finding.scenario,
            "value": plain(finding.value), "limit": plain(finding.limit),
            "suppressed": finding.suppressed, "reason": finding.reason}


def summary(run) -> dict:
    """Menus audited, unsuppressed findings per severity, suppressed findings."""
    counts = {"menus": len(run.results), "error": 0, "warning": 0, "info": 0, "suppressed": 0}
    for finding in run.findings():
        counts["suppressed" if finding.suppressed else finding.severity] += 1
    return counts


def report(run) -> dict:
    """The whole report as plain data."""
    menus = []
    for result in run.results:
        menu = result.menu
        menus.append({
            "file": menu.path, "ivr": menu.ivr, "locale": menu.locale,
            "scenarios": {name: {"metrics": scenario_json(m),
                                 "personas": personas_json(result.personas.get(name, {}))}
                          for name, m in result.metrics.items()},
            "findings": [finding_json(f) for f in result.findings],
        })
    return {
        "tool": {"name": "ivraudit", "version": __version__},
        "policy": run.policy.name,
        "menus": menus,
        "summary": summary(run),
    }


def render(run, color: bool = False) -> str:
    return json.dumps(report(run), indent=2, ensure_ascii=False) + "\n"
