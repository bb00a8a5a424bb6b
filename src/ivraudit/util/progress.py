"""A progress bar on standard error, for work that takes seconds: many callers simulated, a
fleet of menus audited."""

from __future__ import annotations

import os
import shutil
import sys


class ProgressBar:
    """``progress(done, total)`` draws ``[#####-----]  50 %  500 / 1,000 menus`` over itself.

    It is drawn again only when the whole per cent changes (at most 101 times however large
    the work), and when the work is done, cut to the terminal's width (a line that wrapped
    could not be drawn over). Then a ``transient`` bar is wiped, so that what follows (an
    audit's report on the same terminal) starts on a clean line; any other stays, with a line
    break. Used as a context manager, a bar left unfinished (Ctrl-C, an error) is
    ended with a line break, so that the message after it starts on a line of its own.
    """

    def __init__(self, unit: str, transient: bool = False, stream=None, width: int = 30) -> None:
        self.unit = unit
        self.transient = transient
        self.stream = stream or sys.stderr
        self.width = width
        self._drawn: tuple[int, bool] | None = None  # (per cent, done) last drawn
        self._columns = _columns(self.stream)

    def __call__(self, done: int, total: int) -> None:
        total = max(total, 1)
        finished = done >= total
        percent = 100 * done // total
        if (percent, finished) == self._drawn:
            return
        self._drawn = (percent, finished)
        filled = self.width * done // total
        line = (f"[{'#' * filled}{'-' * (self.width - filled)}] {percent:3d} %  "
                f"{done:,} / {total:,} {self.unit}")[:max(1, self._columns - 1)]
        self.stream.write("\r" + line)
        if finished:
            self.stream.write("\r" + " " * len(line) + "\r" if self.transient else "\n")
        self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self._drawn is not None and not self._drawn[1]:
            self.stream.write("\n")
            self.stream.flush()


def _columns(stream) -> int:
    """The width of the terminal ``stream`` writes to; else $COLUMNS, else 80."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):  # not a terminal: a log, a test's buffer
        return shutil.get_terminal_size().columns
