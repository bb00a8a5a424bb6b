"""Two audits compared (SPEC section 11): metrics before and after, findings added and fixed,
menus and scenarios added or removed, and the regressions that `--fail-on-regression` fails on.

Metrics are compared in their JSON-report form (reporters.json.scenario_json), by name, so every
metric the report carries is compared the same way, and one the report does not carry (the format
1.1 metrics `persistent` and `spoken` before they exist) is left out on both sides. Seconds are
compared as printed (rounded to 0.1 s). Menus are matched by their path relative to the folder
audited (for two files: each other), then by `ivr` name; scenarios by name; findings by rule, node
and scenario (never by line, which any edit moves), open ones only: a finding that is now waived
is listed as fixed, with the waiver's reason. What counts as a regression: regressions.py.

The diff sits above the reporters (it reads the JSON report's form of the metrics and findings)
and below the command line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import field
from pathlib import PurePath

from ..audit.auditor import AuditRun, MenuResult
from ..audit.stream import Kept
from ..format.model import SourcePos
from ..reporters.json import finding_json, scenario_json
from ..rules.base import with_occurrences
from ..util.cached import record
from ..util.gcpause import without_cycle_collection
from .regressions import Regression, finding_regressions, scenario_regressions
from .words import change

SCALARS = ("human_reachable", "steps_to_human", "forced_seconds_to_human",
           "listen_seconds_to_human", "silent_seconds_to_human", "silent_end")
NESTED = {"persistent": ("seconds", "steps", "failures"), "spoken": ("steps", "forced_seconds")}
LATER = ("wait_seconds", "depth")
STRUCTURE = ("unreachable", "dead_ends", "traps")


@record
class Compared:
    """What a diff needs of one audited menu, once its model and graph are gone: its ``path``
    and ``ivr``, per scenario its metrics in the JSON report's form (with ``estimated``: the
    seconds that rest on durations estimated from the text), its ``findings``, and where its
    entry and the nodes of its mistype rows are written (``positions``: node id -> SourcePos),
    which regressions point at."""

    path: str
    ivr: str
    entry: str
    scenarios: dict[str, dict]
    findings: tuple
    positions: dict[str, SourcePos]


def compared(result: MenuResult) -> Compared:
    """What a diff keeps of ``result`` (Compared)."""
    menu = result.menu
    scenarios = {name: scenario_json(m, result.metrics.structure) | {"estimated": sorted(
        k for k, v in result.metrics.estimated(name).items() if v and k != "any")}
        for name, m in result.scenarios.items()}
    shown = {menu.entry} | {row["node"] for found in scenarios.values()
                            for row in found["mistype"]}
    return Compared(menu.path, menu.ivr, menu.entry, scenarios, result.findings,
                    {node: menu.nodes[node].pos for node in sorted(shown)})


def keep_compared(results: list, run) -> list[dict]:
    """A streaming audit's keeper for a diff (audit.stream): each menu's Compared, so that two
    audited fleets are compared without holding their models and graphs."""
    return [{"diff": compared(result)} for result in results]


@record
class Side:
    """One side of a diff: its audit (its results the Kept of keep_compared, or whole
    MenuResults), how reports name it (a path as given, a git revision), and the folder its
    menus' paths are relative to when matched (None: a single file)."""

    label: str
    run: AuditRun
    root: str | None = None

    def key(self, result) -> str:
        path = result.path if isinstance(result, Kept) else result.menu.path
        if self.root is None:
            return ""
        return PurePath(path).relative_to(self.root).as_posix() if self.root != "." else path


def _unpacked(result, memo: dict | None = None) -> Compared | None:
    """A side's result as Compared (None stays None: no menu on that side). ``memo``: id ->
    Compared, where pairing unpacked it already (to read its `ivr`); taken from there."""
    if result is None:
        return None
    if memo and id(result) in memo:
        return memo.pop(id(result))
    return result.part("diff") if isinstance(result, Kept) else compared(result)


@record(frozen=False)
class MenuDiff:
    """One menu on either side: per scenario its metrics' comparison (JSON form), the
    file's structure, findings added and fixed (with the waiver's reason when now waived)."""

    file: str
    old_file: str | None
    ivr: str
    status: str  # changed, unchanged, added, removed
    scenarios: dict[str, dict]
    structure: dict[str, dict]
    added: list = field(default_factory=list)  # Finding
    fixed: list = field(default_factory=list)  # (Finding, reason now waived or None)

    def as_json(self) -> dict:
        return {"file": self.file, "old_file": self.old_file, "ivr": self.ivr,
                "status": self.status, "scenarios": self.scenarios, "structure": self.structure,
                "findings": {"added": [finding_json(f) for f in self.added],
                             "fixed": [finding_json(f) | {"waived": reason}
                                       for f, reason in self.fixed]}}


@record(frozen=False)
class Diff:
    """Everything `ivraudit diff` found, in a deterministic order."""

    old: Side
    new: Side
    fail_on: str
    allowed: dict[str, float]
    menus: list[MenuDiff]
    regressions: list[Regression]
    fail_on_regression: bool = False  # whether the run fails on them (exit 1)

    def counts(self) -> dict:
        statuses = [m.status for m in self.menus]
        return {"menus": {s: statuses.count(s) for s in ("changed", "unchanged", "added",
                                                          "removed")},
                "findings": {"added": sum(len(m.added) for m in self.menus),
                             "fixed": sum(len(m.fixed) for m in self.menus)},
                "regressions": len(self.regressions)}

    def exit_code(self) -> int:
        """2 when the new side has a file that cannot be read; 1 for a regression when the run
        fails on them; else 0."""
        if self.new.run.errors:
            return 2
        return int(self.fail_on_regression and bool(self.regressions))


def compare(old: Side, new: Side, fail_on: str, allowed: dict[str, float],
            fail_on_regression: bool = False) -> Diff:
    """The diff of two audits; ``allowed``: allowance name -> growth allowed (diff.allow)."""
    menus, regressions, memo = [], [], {}
    with without_cycle_collection():  # many small objects, no cycle: collections only cost
        for before, after in pair(old, new, memo):  # each menu unpacked while it is compared
            menu, found = menu_diff(_unpacked(before, memo), _unpacked(after, memo), fail_on,
                                    allowed)
            menus.append(menu)
            regressions += found
    return Diff(old, new, fail_on, allowed, menus, regressions, fail_on_regression)


def pair(old: Side, new: Side, memo: dict | None = None) -> list[tuple]:
    """Menus matched by relative path, then by a unique `ivr` name: the new side's order, then
    the removed menus in the old side's order. Two files are each other's match. ``memo``
    (id -> Compared) is given the menus unpacked to read their `ivr`."""
    memo = {} if memo is None else memo

    def ivr(result) -> str:
        if id(result) not in memo:
            memo[id(result)] = _unpacked(result)
        return memo[id(result)].ivr

    if old.root is None and new.root is None:
        if old.run.results and new.run.results:
            return [(old.run.results[0], new.run.results[0])]
        return [(r, None) for r in old.run.results] + [(None, r) for r in new.run.results]
    olds = {old.key(r): r for r in old.run.results}
    matched = {id(r): olds.pop(new.key(r)) for r in new.run.results if new.key(r) in olds}
    by_name, new_by_name = defaultdict(list), defaultdict(list)
    for result in olds.values():
        by_name[ivr(result)].append(result)
    for result in new.run.results:
        if id(result) not in matched:
            new_by_name[ivr(result)].append(result)
    for name, results in new_by_name.items():
        if len(results) == 1 and len(by_name.get(name, ())) == 1:
            matched[id(results[0])] = by_name[name][0]
    used = {id(r) for r in matched.values()}
    return ([(matched.get(id(r)), r) for r in new.run.results]
            + [(r, None) for r in old.run.results if id(r) not in used])


def menu_diff(before: Compared | None, after: Compared | None, fail_on: str,
              allowed: dict[str, float]) -> tuple[MenuDiff, list[Regression]]:
    either = after or before
    old_json = before.scenarios if before else {}
    new_json = after.scenarios if after else {}
    scenarios, regressions = {}, []
    for name in list(new_json) + [n for n in old_json if n not in new_json]:
        was, now = old_json.get(name), new_json.get(name)
        scenarios[name] = scenario_diff(was, now)
        if was is not None and now is not None:
            regressions += scenario_regressions(after, name, was, now, allowed)
    added, fixed = findings_diff(before, after)
    for finding in added:
        if finding.counts_at(fail_on):
            regressions += finding_regressions(finding)
    structure = structure_diff(old_json, new_json)
    if before is None or after is None:
        status = "added" if before is None else "removed"
    else:
        changed = any(s["status"] != "unchanged" for s in scenarios.values()) or added or fixed \
            or any(s["added"] or s["removed"] for s in structure.values())
        status = "changed" if changed else "unchanged"
    menu = MenuDiff(file=either.path, old_file=before.path if before else None,
                    ivr=either.ivr, status=status, scenarios=scenarios,
                    structure=structure, added=added, fixed=fixed)
    return menu, regressions


def _before_after(before, after) -> dict:
    return {"before": before, "after": after, "change": change(before, after)}


def scenario_diff(was: dict | None, now: dict | None) -> dict:
    """Every metric of one scenario before and after (None: the scenario is not on that side)."""
    present = now if now is not None else was
    metrics = {name: _before_after(_get(was, name), _get(now, name)) for name in SCALARS}
    for name, parts in NESTED.items():
        if name in present:  # a metric the report carries (format 1.1)
            metrics[name] = {part: _before_after(_get(_get(was, name), part),
                                             _get(_get(now, name), part)) for part in parts}
    metrics |= {name: _before_after(_get(was, name), _get(now, name)) for name in LATER}
    metrics["mistype"] = mistype_diff(_get(was, "mistype") or [], _get(now, "mistype") or [])
    metrics["one_key_human"] = one_key_diff(_get(was, "one_key_human"),
                                            _get(now, "one_key_human"))
    if was is None or now is None:
        status = "added" if was is None else "removed"
    else:
        status = "changed" if _changed(metrics) else "unchanged"
    # which seconds rest on durations estimated from the text, on each side (printed with ≈)
    estimated = {"before": _get(was, "estimated") or [], "after": _get(now, "estimated") or []}
    return {"status": status, "metrics": metrics, "estimated": estimated}


def _get(mapping, key):
    return None if mapping is None else mapping.get(key)


def _changed(metrics: dict) -> bool:
    for name, value in metrics.items():
        if name == "mistype":
            if any(row["before"] != row["after"] for row in value):
                return True
        elif name == "one_key_human":
            if value["added"] or value["removed"]:
                return True
        elif name in NESTED:
            if any(part["before"] != part["after"] for part in value.values()):
                return True
        elif value["before"] != value["after"]:
            return True
    return False


def mistype_diff(was: list[dict], now: list[dict]) -> list[dict]:
    """Rows matched by node: the new side's rows in path order, then the rows that went."""
    before = {row["node"]: row for row in was}
    after = {row["node"]: row for row in now}
    rows = []
    for node in list(after) + [n for n in before if n not in after]:
        old_row, new_row = before.get(node), after.get(node)
        rows.append({"node": node, "before": _row(old_row), "after": _row(new_row),
                     "change": {part: change(_get(old_row, part), _get(new_row, part))
                                for part in ("penalty_seconds", "penalty_steps")}})
    return rows


def _row(row: dict | None) -> dict | None:
    return None if row is None else {k: v for k, v in row.items() if k != "node"}


def one_key_diff(was: dict | None, now: dict | None) -> dict:
    """Keys per menu compared as sets of (key, announced); written in the metric's order."""
    def keys(found):
        return {(menu, k["key"], k["announced"]) for menu, ks in (found or {}).items() for k in ks}

    def grouped(found, chosen):
        return {menu: [k for k in ks if (menu, k["key"], k["announced"]) in chosen]
                for menu, ks in (found or {}).items()
                if any((menu, k["key"], k["announced"]) in chosen for k in ks)}

    old_keys, new_keys = keys(was), keys(now)
    return {"before": was, "after": now, "added": grouped(now, new_keys - old_keys),
            "removed": grouped(was, old_keys - new_keys)}


def structure_diff(old_json: dict, new_json: dict) -> dict:
    """unreachable, dead ends, traps: properties of the file (the same in every scenario)."""
    was = next(iter(old_json.values()), None)
    now = next(iter(new_json.values()), None)
    found = {}
    for name in STRUCTURE:
        before, after = _get(was, name), _get(now, name)
        old_set = {tuple(v) if isinstance(v, list) else v for v in before or []}
        new_set = {tuple(v) if isinstance(v, list) else v for v in after or []}
        found[name] = {"before": before, "after": after,
                       "added": [v for v in after or [] if _hashable(v) not in old_set],
                       "removed": [v for v in before or [] if _hashable(v) not in new_set]}
    return found


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def findings_diff(before: Compared | None, after: Compared | None) -> tuple[list, list]:
    """Open findings added and fixed, their occurrences matched by (rule, node, scenario) in
    order: a cause that gained a node or a scenario is added with only those, one that lost
    some is fixed in those. A fixed one that is now waived carries the waiver's reason."""
    # each finding with its occurrences, made once: a lone one is made anew each time
    # ``where`` is asked for, and the ones left are told apart by identity
    old = [(f, f.where) for f in (before.findings if before else ()) if not f.suppressed]
    new = [f for f in (after.findings if after else ()) if not f.suppressed]
    waived = {_identity(f.rule, o): f.reason for f in (after.findings if after else ())
              if f.suppressed for o in f.where}
    pool = defaultdict(list)
    for finding, where in old:
        for o in where:
            pool[_identity(finding.rule, o)].append((finding, o))
    added = []
    for finding in new:
        unmatched = []
        for o in finding.where:
            same = pool[_identity(finding.rule, o)]
            if same:
                same.pop(0)
            else:
                unmatched.append(o)
        if unmatched:
            added.append(with_occurrences(finding, unmatched))
    left = {id(o) for group in pool.values() for _, o in group}
    fixed = []
    for finding, where in old:
        gone = [o for o in where if id(o) in left]
        if gone:
            fixed.append((with_occurrences(finding, gone),
                          waived.get(_identity(finding.rule, gone[0]))))
    return added, fixed


def _identity(rule: str, occurrence) -> tuple:
    return (rule, occurrence.node, occurrence.scenario)
