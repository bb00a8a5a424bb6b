"""A preview loop: run an action now and again whenever watched files change (by polling).

Polling compares each file's bytes (a hash), so it works on every file system and notices
two saves within one timestamp tick. An error in the action is reported and the loop goes on:
a designer fixes the menu, saves, and sees the new drawing.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable

from ..errors import IvrauditError
from .inputs import read_bytes


def fingerprint(paths: Iterable[str]) -> tuple:
    """What the files hold now: a hash each, None for a file that cannot be read (or is no
    regular file: a FIFO would block the loop, a device never end)."""
    found = []
    for path in paths:
        try:
            found.append(hashlib.sha256(read_bytes(path)).hexdigest())
        except OSError:
            found.append(None)
    return tuple(found)


def watch(paths: list[str], action: Callable[[], str], say: Callable[[str], None], *,
          interval: float = 0.5, stop: threading.Event | None = None,
          max_polls: int | None = None) -> int:
    """Run ``action`` at once and after every change to ``paths``; return how many runs.

    ``action`` returns a line to show; an IvrauditError it raises is shown (``say``) and the
    loop goes on. The loop ends when ``stop`` is set or after ``max_polls`` looks at the files.
    """
    stop = stop or threading.Event()
    seen, runs, polls = None, 0, 0
    while not stop.is_set() and (max_polls is None or polls < max_polls):
        polls += 1
        now = fingerprint(paths)
        if now != seen:
            seen = now
            runs += 1
            try:
                say(action())
            except IvrauditError as error:
                say(error.format())
        stop.wait(interval)
    return runs
