"""The audit: find menu files, load each, compute its metrics, run the policy's rules.

The rules report problems; this module stamps each with its rule's id, name and severity and a
source location, applies waivers (the menu's own and the policy's) and sorts the findings.
Bad files become errors, reported beside the menus that could be audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

from . import rules
from .errors import IvrauditError, MenuError
from .findings import SEVERITY_RANK, Finding, Problem
from .gcpause import without_cycle_collection
from .graph import build_graph
from .loader import load_file
from .metrics import ScenarioMetrics, menu_metrics
from .model import Menu, Waiver
from .policy import Policy, defaults
from .rules._common import MenuContext

MENU_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class MenuResult:
    """One audited menu: its model, graph, metrics per scenario and findings (sorted)."""

    menu: Menu
    graph: object
    metrics: dict[str, ScenarioMetrics]
    findings: tuple[Finding, ...] = ()
    personas: dict = field(default_factory=dict)  # scenario -> persona -> exact result or None


@dataclass
class AuditRun:
    """Everything one `ivraudit audit` found, in a deterministic order."""

    results: list[MenuResult] = field(default_factory=list)
    errors: list[IvrauditError] = field(default_factory=list)
    policy: Policy = field(default_factory=defaults)
    fail_on: str = "error"  # the severity at which a menu fails (reports show pass or fail)

    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    def exit_code(self, fail_on: str) -> int:
        """2 for bad input, 1 for an unsuppressed finding at or above ``fail_on``, else 0."""
        if self.errors:
            return 2
        if fail_on == "never":
            return 0
        worst = SEVERITY_RANK[fail_on]
        return int(any(not f.suppressed and SEVERITY_RANK[f.severity] <= worst
                       for f in self.findings()))


def discover(paths: list[str]) -> tuple[list[str], list[MenuError]]:
    """Menu files named by ``paths``: files as given, folders searched for *.yaml and *.yml."""
    files, errors = [], []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in MENU_SUFFIXES and p.is_file())
            if not found:
                errors.append(MenuError(given, 1, 1, "no menu files (*.yaml, *.yml) in this folder",
                                        "name a menu file or a folder that holds menus"))
            files += [p.as_posix() for p in found]
        elif path.exists():
            files.append(path.as_posix())
        else:
            errors.append(MenuError(given, 1, 1, "no such file or folder",
                                    "check the path; folders are searched for *.yaml and *.yml"))
    return files, errors


def audit_file(path: str, policy: Policy | None = None, today: str | None = None) -> MenuResult:
    """Load one menu, compute its metrics and findings; raises MenuError for a bad file."""
    policy = policy or defaults()
    with without_cycle_collection():
        menu = load_file(path)
        ctx = context(menu, policy, today)
        return MenuResult(menu, ctx.graph, ctx.metrics, tuple(findings(ctx, policy)),
                          ctx.personas)


def context(menu: Menu, policy: Policy | None = None, today: str | None = None) -> MenuContext:
    """Everything the rules read about a menu: graph, metrics, personas, waivers, the date."""
    from .simulate.summary import persona_metrics  # the personas' exact analysis

    G = build_graph(menu)
    metrics = menu_metrics(menu, G)
    personas = {scenario: persona_metrics(menu, G, scenario) for scenario in metrics}
    return MenuContext(menu, G, metrics, _waivers_for(menu, policy or defaults()),
                       today or date.today().isoformat(), personas)


def audit_paths(paths: list[str], policy: Policy | None = None,
                today: str | None = None) -> AuditRun:
    """Audit every menu under ``paths``; each bad file is an error, the good ones are audited."""
    files, errors = discover(paths)
    run = AuditRun(errors=errors, policy=policy or defaults())
    for path in files:
        try:
            run.results.append(audit_file(path, run.policy, today))
        except IvrauditError as error:
            run.errors.append(error)
    return run


def findings(ctx: MenuContext, policy: Policy) -> list[Finding]:
    """Run every enabled rule; stamp, waive and sort what they report."""
    found = []
    for rule, settings in policy.enabled():
        for problem in rule.check(ctx, settings.params):
            found.append(_stamp(ctx.menu, rule, settings.severity, problem))
    active = [w for w in ctx.waivers if w.expires is None or w.expires >= ctx.today]
    found = [_waive(finding, active) for finding in found]
    return sorted(found, key=Finding.sort_key)


def _stamp(menu: Menu, rule, severity: str, problem: Problem) -> Finding:
    where = problem.pos
    if where is None:
        node = menu.nodes.get(problem.node) if problem.node else None
        where = node.pos if node else menu.pos
    return Finding(rule.id, rule.name, severity, problem.message, where.path, where.line,
                   where.column, problem.node, problem.scenario, problem.value, problem.limit)


def _waive(finding: Finding, waivers: list[Waiver]) -> Finding:
    for waiver in waivers:
        if (waiver.rule in (finding.rule, finding.name) and waiver.node in (None, finding.node)
                and waiver.scenario in (None, finding.scenario)):
            return replace(finding, suppressed=True, reason=waiver.reason, waived_at=waiver.pos)
    return finding


def _waivers_for(menu: Menu, policy: Policy) -> tuple[Waiver, ...]:
    """The menu's own waivers (rule names resolved to ids) and the policy's that match it."""
    own = []
    for waiver in menu.waivers:
        rule = rules.get(waiver.rule)
        if rule is None:
            suggestion = rules.closest(waiver.rule)
            raise MenuError(menu.path, waiver.pos.line, waiver.pos.column,
                            f"the waiver names an unknown rule '{waiver.rule}'"
                            + (f" (did you mean '{suggestion}'?)" if suggestion else ""),
                            "`ivraudit rules` lists every rule")
        own.append(replace(waiver, rule=rule.id))
    shared = [p.waiver for p in policy.waivers if fnmatch(menu.path, p.file)]
    return tuple(own + shared)
