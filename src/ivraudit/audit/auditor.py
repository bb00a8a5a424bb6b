"""The audit: find menu files, load each, compute its metrics, run the policy's rules.

The rules report problems; this module stamps each with its rule's id, name and severity and a
source location, applies waivers (the menu's own and the policy's), groups what one rule finds
at one source location into one finding (one cause, with the nodes and scenarios it concerns
as its occurrences) and sorts the findings. Bad files become errors, reported beside the menus
that could be audited. Counting findings, ranking them and judging pass or fail happen here,
once, for every reporter.
"""

from __future__ import annotations

import gc
import os
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import field, replace
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

from .. import importers, rules
from ..analysis.metrics import MenuMetrics, ScenarioMetrics, menu_metrics
from ..errors import IvrauditError, MenuError
from ..format.model import Menu, Waiver
from ..importers import ImportOptions
from ..rules.base import (
    SEVERITIES, Finding, MenuContext, Problem, Severity, severity_rank, with_occurrences,
)
from ..util.cached import cached_property, record
from ..util.gcpause import without_cycle_collection
from ..util.inputs import kind
from ..util.safe_text import terminal
from . import stream
from .policy import Policy, defaults

class Personas(Mapping):
    """Scenario -> persona name -> the persona's exact result (None: too large to solve).

    Solved for a scenario when first read (by rule IVR030 or a report), from the metrics'
    own best-path costs, then kept.
    """

    def __init__(self, metrics: MenuMetrics) -> None:
        self._metrics = metrics
        self._solved: dict[str, dict] = {}

    def __getitem__(self, scenario: str) -> dict:
        if scenario not in self._solved:
            from ..simulate.audit_personas import persona_metrics  # numpy-free, but not needed by all

            self._solved[scenario] = persona_metrics(self._metrics, scenario)
        return self._solved[scenario]

    def __iter__(self) -> Iterator[str]:
        return iter(self._metrics.scenarios)

    def __len__(self) -> int:
        return len(self._metrics.scenarios)


def tally(findings) -> dict[str, int]:
    """Unsuppressed findings per severity, and the suppressed ones."""
    counts = dict.fromkeys(SEVERITIES, 0) | {"suppressed": 0}
    for finding in findings:
        counts["suppressed" if finding.suppressed else str(finding.severity)] += 1
    return counts


@record
class MenuResult:
    """One audited menu: its metrics (with model and graph), findings (sorted), personas."""

    metrics: MenuMetrics
    findings: tuple[Finding, ...] = ()
    personas: Mapping[str, dict] = field(default_factory=dict)

    @property
    def menu(self) -> Menu:
        return self.metrics.menu

    @property
    def graph(self):
        return self.metrics.graph

    @property
    def scenarios(self) -> dict[str, ScenarioMetrics]:
        return self.metrics.scenarios

    @property
    def digests(self) -> tuple[tuple[str, str], ...]:
        """(input file, its sha256) of what was audited (Menu.digests)."""
        return self.menu.digests

    def counts(self, scenario: str | None = None) -> dict[str, int]:
        """Findings per severity (``tally``): all, or those that hold in ``scenario``."""
        return tally(self.concerning(scenario))

    def fails(self, fail_on: str, scenario: str | None = None) -> bool:
        """Whether an unsuppressed finding is at or above ``fail_on`` (``never``: never): any,
        or one that holds in ``scenario``."""
        return any(finding.counts_at(fail_on) for finding in self.concerning(scenario))

    def concerning(self, scenario: str | None) -> tuple[Finding, ...]:
        """The findings that hold in ``scenario`` (one without a scenario holds in every one);
        all of them for None."""
        if scenario is None:
            return self.findings
        return tuple(f for f in self.findings if f.concerns(scenario))

    @cached_property  # the text report reads them twice (the verdict counts them)
    def assumptions(self):
        """What the menu does not state and the audit assumed (audit.assumptions)."""
        from .assumptions import assumptions_of

        return assumptions_of(self.menu)


@record(frozen=False)
class AuditRun:
    """Everything one `ivraudit audit` found, in a deterministic order."""

    results: list[MenuResult] = field(default_factory=list)
    errors: list[IvrauditError] = field(default_factory=list)
    policy: Policy = field(default_factory=defaults)
    fail_on: str = "error"  # the severity at which a menu fails (reports show pass or fail)
    date: str = ""  # the audit's date (YYYY-MM-DD), also the day waivers are judged on
    _last_ranked: tuple = field(default=(None, ()), init=False, repr=False, compare=False)

    def ranked(self, result: MenuResult) -> list[Finding]:
        """A menu's open findings, most important first: by severity, then the rules the
        policy exists for (its `rules:` in the order written), then the catalogue's order
        (reaching a person first, structure last), then the causes with the most occurrences,
        then their place in the file. The last menu's ranking is kept: a report's verdict
        reads it three times (the menu itself only by a weak reference: a streaming audit
        frees each menu as soon as its report part is made)."""
        last, ranking = self._last_ranked
        if last is not None and last() is result:
            return list(ranking)
        focus = {rule: n for n, rule in enumerate(self.policy.focus)}
        ranking = sorted((f for f in result.findings if not f.suppressed), key=lambda f: (
            severity_rank(f.severity), focus.get(f.rule, len(focus)), f.rule, -f.count,
            f.sort_key()))
        self._last_ranked = (weakref.ref(result), tuple(ranking))
        return ranking

    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    def counts(self) -> dict[str, int]:
        """Menus audited, unsuppressed findings per severity, suppressed findings."""
        total = {"menus": len(self.results)} | tally(())
        for result in self.results:
            for severity, count in result.counts().items():
                total[severity] += count
        return total

    def failed(self) -> int:
        """How many menus fail at the run's ``fail_on``."""
        return sum(result.fails(self.fail_on) for result in self.results)

    def exit_code(self) -> int:
        """2 for bad input, 1 for an unsuppressed finding at or above ``fail_on``, else 0."""
        if self.errors:
            return 2
        return int(self.failed() > 0)


def discover(paths: list[str], skip_non_menus: bool = False
             ) -> tuple[list[str], list[MenuError], frozenset[str]]:
    """Input files named by ``paths``: files as given; folders searched (hidden folders left
    out) for menu files (*.yaml, *.yml) and every platform's flow files (importers.suffixes()).

    Returns the files, the errors (a path that does not exist, a folder with no such file) and
    the files that are passed over when nothing recognises them: those found in folders (a
    GitHub workflow, a package.json) and, with ``skip_non_menus`` (pre-commit hands every
    changed YAML file over), the named ones too. Menus are recognised by content
    (format.detect), platform flows by their importer.
    """
    files, errors, passable = [], [], []
    for given in paths:
        path = Path(given)
        found_kind = kind(path)
        if found_kind == "folder":
            wanted = importers.suffixes()
            under, dangling = _files_under(path)
            found = [p.as_posix() for p in under if p.suffix.lower() in wanted]
            broken = [p for p in dangling if p.suffix.lower() in wanted]
            if not found and not broken:
                errors.append(_no_menus(given))
            errors += [_leads_nowhere(link) for link in broken]
            files += found
            passable += found
        elif found_kind in ("missing", "unreadable"):
            errors.append(MenuError(given, 1, 1, "no such file or folder" if found_kind == "missing"
                                    else "this path cannot be looked up (a loop of symbolic links, a "
                                    "name too long, or a NUL in it)",
                                    "check the path; folders are searched for menus and flows"))
        else:
            files.append(path.as_posix())
            if skip_non_menus:
                passable.append(path.as_posix())
    return files, errors, frozenset(passable)


def _files_under(folder: Path) -> tuple[list[Path], list[Path]]:
    """The regular files under ``folder``, sorted, leaving out hidden folders and files
    (``.git``, ``.venv``, ``.github``: nothing there is a menu, and a virtual environment is
    large); a FIFO or a link to a device in a folder is never opened. Second, the symbolic
    links there that lead nowhere (to nothing, or round in a loop)."""
    found, dangling = [], []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(parent, name)
            if name.startswith("."):
                continue
            what = kind(path)
            if what == "file":
                found.append(path)
            elif what in ("missing", "unreadable") and path.is_symlink():
                dangling.append(path)
    return sorted(found), sorted(dangling)


def _leads_nowhere(link: Path) -> MenuError:
    """A menu or flow file in a folder that is a link to nothing: an error, never passed
    over (a CI gate must not pass a menu it could not read, say a link into a folder the
    job did not build)."""
    return MenuError(link.as_posix(), 1, 1, f"this symbolic link leads nowhere (to "
                     f"{terminal(os.readlink(link))}, which does not exist or links in a loop)",
                     "restore the file it points to, or remove the link")



def audit_menu(menu: Menu, policy: Policy | None = None, today: str | None = None) -> MenuResult:
    """Compute a loaded menu's metrics and findings; raises MenuError for an unknown waiver."""
    policy = policy or defaults()
    with without_cycle_collection():
        metrics = menu_metrics(menu)
        personas = Personas(metrics)
        ctx = MenuContext(metrics, _waivers_for(menu, policy), today or date.today().isoformat(),
                          personas)
        return MenuResult(metrics, tuple(findings(ctx, policy)), personas)


def audit_file(path: str, policy: Policy | None = None, today: str | None = None,
               options: ImportOptions | None = None, flow: str | None = None) -> MenuResult:
    """Load one menu (a menu file or a platform flow) and audit it; raises MenuError."""
    with without_cycle_collection():
        menu = importers.load_one(path, options, flow)
    return audit_menu(menu, policy, today)


def audit_paths(paths: list[str], policy: Policy | None = None, today: str | None = None,
                fail_on: str = "error", skip_non_menus: bool = False,
                options: ImportOptions | None = None, keep=None, jobs: int = 1,
                collect=None, hold: bool = False, progress=None, reading=None) -> AuditRun:
    """Audit every menu and flow under ``paths``; each bad file is an error, the good ones
    are audited. ``skip_non_menus``: pass over named files that are not menus (``discover``).

    ``jobs``: processes auditing at once (the results keep the input order). ``keep``: what to
    keep of each menu instead of its whole MenuResult (reporters.keeper; each result is then a
    stream.Kept). ``collect(result)``: called here, in input order, as each result comes;
    what it returns is kept in the run (``ivraudit report`` writes a menu's page there).
    ``hold``: the process ends right after (stream.audited). ``progress(done, total)``: called
    as each planned menu (or file that could not be read) is done, and once before the first
    (util.progress.ProgressBar draws it). ``reading(done, total)``: the same, as the files are
    read and identified before the audit (every platform flow is imported then, to link the
    flows that hand calls to each other).
    """
    files, errors, passable = discover(paths, skip_non_menus)
    today = today or date.today().isoformat()
    run = AuditRun(errors=errors, policy=policy or defaults(), fail_on=fail_on, date=today)
    with without_cycle_collection():
        items = list(importers.plan_sources(files, options, skip_unknown=passable,
                                            progress=reading))
        if any(isinstance(item, Menu) for item in items):
            gc.collect()  # reading XML flows leaves cycles (elements know their parents)
        recognised = {path for item in items for path in _read_from(item)}
        settings = AuditRun(policy=run.policy, fail_on=fail_on, date=today)
        if progress and items:
            progress(0, len(items))
        for done, found in enumerate(stream.audited(items, settings, today, keep, jobs, hold), 1):
            if isinstance(found, IvrauditError):
                run.errors.append(found)
            else:
                run.results.append(collect(found) if collect else found)
            if progress:
                progress(done, len(items))
    run.errors += _empty_folders(paths, files, recognised)
    return run


def _read_from(item) -> list[str]:
    """The files a planned item is read from (importers.plan_sources): its own, and for a
    platform flow every file read through it (included dialplans, phrase files)."""
    if isinstance(item, Menu):
        return [item.pos.path if item.pos else item.path] + [path for path, _ in item.digests]
    return [item.path]


def _empty_folders(paths: list[str], files: list[str], recognised: set[str]) -> list[MenuError]:
    """A folder given whose files were all passed over (no menu, no flow) is an error, like a
    folder with no candidate file at all (that one ``discover`` reports)."""
    errors = []
    for given in paths:
        folder = Path(given)
        if kind(folder) != "folder":
            continue
        inside = [f for f in files if Path(f).is_relative_to(folder)]
        if inside and not any(f in recognised for f in inside):
            errors.append(_no_menus(given))
    return errors


def _no_menus(folder: str) -> MenuError:
    return MenuError(folder, 1, 1, "no menu files in this folder",
                     "name a menu file or a folder that holds menus (*.yaml or *.yml files "
                     "with `ivr:` and `nodes:`) or platform flows")


def findings(ctx: MenuContext, policy: Policy) -> list[Finding]:
    """Run every enabled rule; stamp, waive, group by cause and sort what they report."""
    found = []
    for rule, settings in policy.enabled():
        for problem in rule.check(ctx, settings.params):
            found += _stamp(ctx.menu, rule, settings.severity, problem)
    active = [w for w in ctx.waivers if w.expires is None or w.expires >= ctx.today]
    if active:
        found = [_waive(finding, active) for finding in found]
    return sorted(by_cause(found, ctx.menu), key=Finding.sort_key)


def _stamp(menu: Menu, rule, severity: Severity, problem: Problem) -> list[Finding]:
    """The problem as a finding per scenario it holds in: its own, or (a property of the file)
    every scenario of the menu, so that every rule reports scenarios the same way."""
    where = problem.pos
    if where is None:
        node = menu.nodes.get(problem.node) if problem.node else None
        where = node.pos if node else menu.pos
    text = problem.message if not isinstance(problem.message, str) else None
    english = str(problem.message)
    scenarios = [problem.scenario] if problem.scenario is not None else list(menu.scenarios)
    return [Finding(rule.id, rule.name, severity, english, where.path, where.line,
                    where.column, problem.node, scenario, problem.value, problem.limit,
                    text=text, cause=problem.cause) for scenario in scenarios]


def by_cause(found: list[Finding], menu: Menu) -> list[Finding]:
    """One finding per rule and source location (and waiver, and the rule's own ``cause`` where
    it gives one): a cause, listing the nodes and scenarios it concerns, each once, nodes in the
    file's order, scenarios by name (so that nothing depends on the order the scenarios are
    written in)."""
    place = {node_id: n for n, node_id in enumerate(menu.nodes)}
    groups: dict[tuple, list[Finding]] = {}
    for finding in found:
        key = (finding.rule, finding.file, finding.line, finding.column, finding.cause,
               finding.suppressed, finding.reason, finding.waived_at)
        groups.setdefault(key, []).append(finding)
    causes = []
    for members in groups.values():
        if len(members) == 1 and not members[0].occurrences:
            causes.append(members[0])  # one occurrence: the finding itself (Finding.where)
            continue
        occurrences = {}
        for f in members:
            for o in f.where:
                occurrences.setdefault((o.node, o.scenario, o.message), o)
        listed = sorted(occurrences.values(), key=lambda o: (
            place.get(o.node, -1), o.scenario or "", o.message))
        causes.append(with_occurrences(members[0], listed))
    return causes


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
            raise MenuError(menu.path, waiver.pos.line, waiver.pos.column,
                            *rules.unknown(waiver.rule))
        own.append(replace(waiver, rule=rule.id))
    shared = [p.waiver for p in policy.waivers if fnmatch(menu.path, p.file)]
    return tuple(own + shared)
