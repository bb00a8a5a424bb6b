"""The JSON report (SPEC section 8): stable names, seconds rounded half up to 0.1.

Beyond SPEC section 8 (added keys, none renamed): the audit's ``date``, the policy's
``policy_description`` and ``rules`` (every enabled rule's severity and parameters); per menu
the ``sha256`` of each file read and the ``assumptions``; per scenario which seconds are
``estimated``; per finding its ``occurrences`` (every node and scenario of the cause, with the
message there). Messages are in English whatever ``--lang`` says: a machine format stays the
same for every reader.
"""

from __future__ import annotations


from .. import __version__
from ..format.durations import tenths
from ..util.safe_text import JSON_PARTS, json_chunks, json_part
from .words import parts, plain


def _path(path) -> list[dict] | None:
    if path is None:
        return None
    return [{"node": node, "key": key} for node, key in path]


def _persistent(call) -> dict | None:
    if call is None:
        return None
    return {"seconds": tenths(call.seconds), "steps": call.steps, "failures": call.failures,
            "path": [{"node": node, "key": key, "failure": failure}
                     for node, key, failure in call.path]}


def _spoken(found) -> dict | None:
    if found is None:
        return None
    return {"steps": found.steps, "forced_seconds": tenths(found.forced_seconds),
            "path": [{"node": node, "key": key, "speech": speech}
                     for node, key, speech in found.path]}


def scenario_json(m, shape) -> dict:
    """The `metrics` object of one scenario; ``shape``: the menu's Structure."""
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
        "persistent": _persistent(m.persistent),
        "spoken": _spoken(m.spoken),
        "unreachable": shape.unreachable,
        "dead_ends": shape.dead_ends,
        "traps": shape.traps,
    }


def personas_json(found: dict) -> dict:
    """Per configured persona (docs/simulate.md): reach probability and expected seconds to a
    person, solved exactly (null for a menu too large for the audit's budget)."""
    return {name: {"reach_probability": None if r is None else round(r.reach_probability, 4),
                   "expected_seconds_to_human": None if r is None else
                   tenths(r.expected_seconds_to_human)}
            for name, r in found.items()}


def finding_json(finding) -> dict:
    return {"rule": finding.rule, "name": finding.name, "severity": finding.severity,
            "message": finding.message, "file": finding.file, "line": finding.line,
            "column": finding.column, "node": finding.node, "scenario": finding.scenario,
            "value": plain(finding.value), "limit": plain(finding.limit),
            "suppressed": finding.suppressed, "reason": finding.reason,
            "occurrences": [{"node": o.node, "scenario": o.scenario, "message": o.message,
                             "value": plain(o.value), "limit": plain(o.limit)}
                            for o in finding.where]}


def assumptions_json(result) -> list[dict]:
    """What the menu does not state (audit.assumptions), in English."""
    return [{"assumed": str(a.what), "fix": str(a.fix), "nodes": list(a.nodes),
             "line": a.pos.line if a.pos else None, "column": a.pos.column if a.pos else None}
            for a in result.assumptions]


def rules_json(policy) -> dict:
    """Every enabled rule of the policy: its name, severity and parameters."""
    return {rule.id: {"name": rule.name, "severity": str(settings.severity),
                      "params": settings.params} for rule, settings in policy.enabled()}


def menu_json(result) -> dict:
    """One menu of the report as plain data."""
    menu = result.menu
    return {
        "file": menu.path, "ivr": menu.ivr, "locale": menu.locale,
        "sha256": dict(menu.digests),
        "scenarios": {name: {"metrics": scenario_json(m, result.metrics.structure),
                             "personas": personas_json(result.personas.get(name, {})),
                             "estimated": sorted(k for k, v in result.metrics.estimated(
                                 name).items() if v and k != "any")}
                      for name, m in result.scenarios.items()},
        "assumptions": assumptions_json(result),
        "findings": [finding_json(f) for f in result.findings],
    }


def report(run, menus: list | str | None = None) -> dict:
    """The whole report as plain data (of whole results); ``menus``: what stands for them
    instead (``render`` writes them apart: util.safe_text.json_joined)."""
    return {
        "tool": {"name": "ivraudit", "version": __version__},
        "date": run.date or None,
        "policy": run.policy.name,
        "policy_description": run.policy.description,
        "rules": rules_json(run.policy),
        "menus": [menu_json(result) for result in run.results] if menus is None else menus,
        # the files that could not be read (exit 2), as stderr says them: a CI job that keeps
        # only the JSON still sees why the run failed
        "errors": [{"file": e.path, "line": e.line, "column": e.column, "message": e.message,
                    "hint": e.hint} for e in run.errors],
        "summary": run.counts(),
    }


def menu_part(result, run, color: bool = False, lang: str = "en") -> str:
    """A menu's part of the report, written as JSON."""
    return json_part(menu_json(result))


def render(run, color: bool = False, lang: str = "en") -> str:
    return "".join(chunks(run, color, lang))


def chunks(run, color: bool = False, lang: str = "en"):
    """The report in pieces, a menu at a time (what ``render`` joins)."""
    return json_chunks(report(run, JSON_PARTS), parts(run, "json", menu_part))
