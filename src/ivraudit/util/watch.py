"""Watching menu files for saves: `render --watch` and `serve` (through watchfiles).

Editors save by writing a new file and renaming it over the old one, which ends a watch on
the old file; so the folders that hold the watched files are watched, and a change counts
when it touches one of the files, or a menu or flow file inside a watched folder. watchfiles
uses the system's notifications (inotify, FSEvents, ReadDirectoryChangesW) and polls only
where they are missing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import IvrauditError

DEBOUNCE_MS = 50  # saves within this many milliseconds are one change


class Targets:
    """What to watch for ``paths`` (files and folders) and which changed paths matter."""

    def __init__(self, paths: Iterable[str], suffixes: Iterable[str] = ()) -> None:
        given = [Path(p).resolve() for p in paths]
        self.files = {p for p in given if not p.is_dir()}
        self.folders = [p for p in given if p.is_dir()]
        self.suffixes = {s.lower() for s in suffixes}

    def roots(self) -> list[str]:
        """The folders to watch: each watched folder and each watched file's folder."""
        found = {str(p) for p in self.folders} | {str(p.parent) for p in self.files
                                                   if p.parent.exists()}
        return sorted(found)

    def matters(self, changed: str) -> bool:
        path = Path(changed).resolve()
        if path in self.files:
            return True
        return path.suffix.lower() in self.suffixes and any(
            folder == path.parent or folder in path.parents for folder in self.folders)


def watch(paths: list[str], action: Callable[[], str], say: Callable[[str], None], *,
          stop: threading.Event | None = None, suffixes: Iterable[str] = (),
          debounce_ms: int = DEBOUNCE_MS) -> int:
    """Run ``action`` at once and after every save to ``paths``; return how many runs.

    ``action`` returns a line to show; an IvrauditError it raises is shown (``say``) and the
    loop goes on: a designer fixes the menu, saves, and sees the result. The loop ends when
    ``stop`` is set.
    """
    from watchfiles import watch as changes_of

    targets = Targets(paths, suffixes)
    runs = 0
    # the first (empty) batch comes once the watch is set up: run then, so no save is missed
    for changes in changes_of(*targets.roots(), stop_event=stop, debounce=debounce_ms,
                              step=25, recursive=bool(targets.folders), yield_on_timeout=True,
                              rust_timeout=50):
        if not runs or any(targets.matters(path) for _, path in changes):
            runs += 1
            _run(action, say)
    return runs


def _run(action: Callable[[], str], say: Callable[[str], None]) -> None:
    try:
        say(action())
    except IvrauditError as error:
        say(error.format())
