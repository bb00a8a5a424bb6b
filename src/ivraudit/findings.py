"""Findings: what a rule saw (Problem) and what the auditor reports (Finding)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import SourcePos

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}  # error first


@dataclass(frozen=True)
class Problem:
    """What a rule reports; the auditor adds the rule's identity, severity and location."""

    message: str
    node: str | None = None
    scenario: str | None = None
    value: object = None  # the measured value
    limit: object = None  # the parameter it broke
    pos: SourcePos | None = None  # where; by default the node's (or the menu's) position


@dataclass(frozen=True)
class Finding:
    """A problem stamped with its rule, severity and source location."""

    rule: str
    name: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    node: str | None = None
    scenario: str | None = None
    value: object = None
    limit: object = None
    suppressed: bool = False
    reason: str | None = None  # the waiver's reason, when suppressed
    waived_at: SourcePos | None = None  # where that waiver is written (menu or policy file)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.scenario or "",
                self.node or "", self.message)
