"""The audit run: find menu files, load each, compute its metrics; bad files become errors."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IvrauditError, MenuError
from .graph import build_graph
from .loader import load_file
from .metrics import ScenarioMetrics, menu_metrics
from .model import Menu

MENU_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class MenuResult:
    """One audited menu: its model, graph and metrics per scenario."""

    menu: Menu
    graph: object
    metrics: dict[str, ScenarioMetrics]
    findings: tuple = ()


@dataclass
class AuditRun:
    """Everything one `ivraudit audit` found, in a deterministic order."""

    results: list[MenuResult] = field(default_factory=list)
    errors: list[IvrauditError] = field(default_factory=list)
    policy: str = "default"


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


@contextmanager
def _without_cycle_collection():
    """Pause Python's cyclic garbage collector.

    Loading a menu allocates millions of small objects and no reference cycles; the collector
    would rescan them again and again (two thirds of the run time on a 2 MB menu).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def audit_file(path: str) -> MenuResult:
    """Load one menu and compute its metrics; raises MenuError for a bad file."""
    with _without_cycle_collection():
        menu = load_file(path)
        G = build_graph(menu)
        return MenuResult(menu, G, menu_metrics(menu, G))


def audit_paths(paths: list[str]) -> AuditRun:
    """Audit every menu under ``paths``; each bad file is an error, the good ones are audited."""
    files, errors = discover(paths)
    run = AuditRun(errors=errors)
    for path in files:
        try:
            run.results.append(audit_file(path))
        except IvrauditError as error:
            run.errors.append(error)
    return run
