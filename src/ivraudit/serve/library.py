"""What the live preview knows: the menus under the watched paths, audited, and what went wrong.

Every change audits all the paths again (the auditor takes tens of milliseconds for a folder of
menus, and platform flows in several files join into one line, so one file cannot be redone
alone). A file that stops being a valid menu keeps its last good audit, shown beside its error,
until it is mended. Drawings are made when asked for and kept while the menu's DOT text is the
same. Nothing here computes a metric: the auditor and render/ do.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import field
from pathlib import Path

from ..audit.auditor import AuditRun, MenuResult, audit_paths, discover
from ..errors import IvrauditError
from ..render.drawing import dot_bytes, menu_dot
from ..util.cached import record


@record(frozen=False)
class Entry:
    """One menu of the preview: its last good audit (None if it never loaded) and the error
    that stops it now (None when it is valid)."""

    path: str
    result: MenuResult | None = None
    error: IvrauditError | None = None

    @property
    def name(self) -> str:
        return self.result.menu.ivr if self.result else Path(self.path).name


@record(frozen=False)
class Library:
    """The menus under ``paths``, audited with ``policy``; ``version`` grows on every reload."""

    paths: list[str]
    policy: object = None  # audit.policy.Policy; None: the default
    options: object = None  # importers.ImportOptions
    entries: dict[str, Entry] = field(default_factory=dict)
    run: AuditRun | None = None
    version: int = 0
    _drawings: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reload(self) -> list[IvrauditError]:
        """Audit every path again; returns the errors (bad files, missing paths)."""
        run = audit_paths(self.paths, self.policy, options=self.options)
        with self._lock:
            fresh: dict[str, Entry] = {}
            for result in run.results:
                fresh[result.menu.path] = Entry(result.menu.path, result)
            for error in run.errors:
                old = self.entries.get(error.path)
                fresh[error.path] = Entry(error.path, old.result if old else None, error)
            self.entries = dict(sorted(fresh.items()))
            self.run = run
            self.version += 1
        return run.errors

    def targets(self):
        """What to watch (util.watch.Targets): the given files, and the menu and flow files
        in the given folders."""
        from ..importers import suffixes
        from ..util.watch import Targets

        return Targets(self.paths, suffixes())

    def first(self) -> str | None:
        return next(iter(self.entries), None)

    def drawing(self, path: str, scenario: str, highlight: str = "forced") -> str:
        """The SVG of a menu's last good audit in ``scenario``; RenderError without Graphviz."""
        entry = self.entries[path]
        source = menu_dot(entry.result, scenario, highlight, graph_id="drawing")
        key = (path, scenario, highlight)
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        cached = self._drawings.get(key)
        if cached and cached[0] == digest:
            return cached[1]
        svg = dot_bytes(source, "svg", path).decode("utf-8")
        self._drawings[key] = (digest, svg)
        return svg


def found_files(paths: list[str]) -> list[str]:
    """The menu and flow files the paths name (for the first line the command prints)."""
    return discover(paths)[0]
