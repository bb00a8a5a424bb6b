"""Regressions: what `diff --fail-on-regression` fails on (SPEC 11, docs/diff.md).

A regression (SPEC 11), per scenario present on both sides:
- ``reach``: a person who was reachable becomes reachable only by failing (a wrong key or silence:
  `persistent`, or the silent caller, reaches one) or not at all;
- ``steps``, ``forced_seconds``, ``listen_seconds``, ``silent_seconds``, ``depth``: the metric
  grows by more than its allowance, or becomes null (no way any more) where it had a value; the
  first four are not judged when ``reach`` already regressed;
- ``mistype_seconds``, ``mistype_steps``: a mistype row's penalty grows (null, a lost person, is
  the most), matched by node; a row new on the way to a person regresses when its penalty is
  above the allowance;
- ``finding``: a new open finding at or above ``fail_on`` (in every menu, added ones included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..util.cached import record
from .words import LABELS, REACH, SECONDS, change, change_text, is_estimated, value_text

if TYPE_CHECKING:
    from .compare import Compared

GROWTH = (("steps", "steps_to_human"), ("forced_seconds", "forced_seconds_to_human"),
          ("listen_seconds", "listen_seconds_to_human"),
          ("silent_seconds", "silent_seconds_to_human"), ("depth", "depth"))
PENALTIES = (("mistype_seconds", "penalty_seconds", "forced seconds"),
             ("mistype_steps", "penalty_steps", "extra keys"))


@record
class Regression:
    """Something that got worse, where it shows (file, line, column), and by how much."""

    file: str
    line: int
    column: int
    scenario: str
    what: str  # reach, an allowance name (steps, forced_seconds, ...) or finding
    message: str
    node: str | None = None
    rule: str | None = None
    before: object = None
    after: object = None
    change: object = None
    allowed: float | None = None

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column,
                "scenario": self.scenario, "node": self.node, "what": self.what,
                "rule": self.rule, "before": self.before, "after": self.after,
                "change": self.change, "allowed": self.allowed, "message": self.message}


def reach(metrics: dict) -> int:
    """2: a best path reaches a person; 1: only failing does (`persistent`, where the report
    has it, or the silent caller reaches one); 0: nothing does."""
    if metrics["human_reachable"]:
        return 2
    return int(metrics.get("persistent") is not None
               or metrics["silent_seconds_to_human"] is not None)


def grows(before, after, allowed: float) -> bool:
    """Whether a cost grows beyond ``allowed``; null is no way at all (the most)."""
    if before is None:
        return False
    if after is None:
        return True
    return change(before, after) > allowed


def scenario_regressions(result: Compared, scenario: str, was: dict, now: dict,
                         allowed: dict[str, float]) -> list[Regression]:
    """What got worse in ``scenario`` of the menu ``result`` (its new side): ``was`` and
    ``now`` are the scenario's metrics in the JSON report's form."""
    entry = result.positions[result.entry]
    found = []
    reach_before, reach_after = reach(was), reach(now)
    if reach_after < reach_before:
        tail = " (a wrong key or silence)" if reach_after == 1 else ""
        found.append(Regression(entry.path, entry.line, entry.column, scenario, "reach",
                                f"a person: {REACH[reach_before]} -> {REACH[reach_after]}{tail}",
                                before=REACH[reach_before], after=REACH[reach_after]))
    for name, metric in GROWTH:
        if name != "depth" and reach_after < reach_before:
            continue
        before, after = was[metric], now[metric]
        if grows(before, after, allowed[name]):
            marks = (is_estimated(metric, was.get("estimated")),
                     is_estimated(metric, now.get("estimated")))
            found.append(Regression(entry.path, entry.line, entry.column, scenario, name,
                                    _message(LABELS[metric], metric, before, after, allowed[name],
                                             marks),
                                    before=before, after=after, change=change(before, after),
                                    allowed=allowed[name]))
    if reach_after >= reach_before:
        marks = (is_estimated("penalty_seconds", was.get("estimated")),
                 is_estimated("penalty_seconds", now.get("estimated")))
        found += _mistype_regressions(result, scenario, was["mistype"], now["mistype"], allowed,
                                      marks)
    return found


def _mistype_regressions(result, scenario, was, now, allowed,
                         marks: tuple[bool, bool] = (False, False)) -> list[Regression]:
    before_rows = {row["node"]: row for row in was}
    found = []
    for row in now:
        old_row = before_rows.get(row["node"])
        pos = result.positions[row["node"]]
        for name, part, words in PENALTIES:
            label = f"a wrong key at '{row['node']}' ({words})"
            before, after = (old_row[part] if old_row else None), row[part]
            if old_row is None:
                if after is None or after > allowed[name]:
                    found.append(Regression(
                        pos.path, pos.line, pos.column, scenario, name,
                        f"{label}: new on the way to a person, "
                        f"{value_text(part, after, marks[1] and part in SECONDS)}",
                        node=row["node"], after=after, allowed=allowed[name]))
            elif grows(before, after, allowed[name]):
                found.append(Regression(pos.path, pos.line, pos.column, scenario, name,
                                        _message(label, part, before, after, allowed[name],
                                                 marks),
                                        node=row["node"], before=before, after=after,
                                        change=change(before, after), allowed=allowed[name]))
    return found


def _message(label: str, metric: str, before, after, allowed: float,
             marks: tuple[bool, bool] = (False, False)) -> str:
    """'label: before -> after (+change, allowed +N)'; ``marks``: whether each side rests on
    estimated durations (its seconds printed with ≈)."""
    text = f"{label}: {value_text(metric, before, marks[0])} -> " \
        f"{value_text(metric, after, marks[1])}"
    growth = change(before, after)
    if growth is not None:
        limit = f", allowed +{allowed:g}" if allowed else ""
        text += f" ({change_text(metric, growth, any(marks))}{limit})"
    return text


def finding_regressions(finding) -> list[Regression]:
    """A new finding: a regression in each of its scenarios at each of its nodes. The node is
    named when the finding concerns several (a line of `defaults` that many menus take):
    their regressions share the finding's place and message, and would read alike."""
    named = len(finding.nodes) > 1
    return [Regression(finding.file, finding.line, finding.column, occurrence.scenario,
                       "finding", f"new {finding.severity} {finding.rule} {finding.name}: "
                       f"{occurrence.message}"
                       + (f" (at node '{occurrence.node}')" if named and occurrence.node else ""),
                       node=occurrence.node, rule=finding.rule)
            for occurrence in finding.where]
