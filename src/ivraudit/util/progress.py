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
    break. Work of one item is never drawn: it has no progress to show. A bar is decoration:
    a stream that cannot be written (a full disk, a closed file) only stops it.

    Used as a context manager, a bar left unfinished by an error is ended with a line break,
    so that the message after it starts on a line of its own (on Ctrl-C, click writes that
    line break itself before it says the command was interrupted).
    """

    def __init__(self, unit: str, transient: bool = False, stream=None, width: int = 30) -> None:
        self.unit = unit
        self.transient = transient
        self.stream = stream or sys.stderr
        self.width = width
        self._drawn: tuple[int, bool] | None = None  # (per cent, done) last drawn
        self._broken = False  # the stream could not be written: draw no more
        self._columns = _columns(self.stream)

    def __call__(self, done: int, total: int) -> None:
        if total <= 1 or self._broken:
            return
        finished = done >= total
        percent = 100 * done // total
        if (percent, finished) == self._drawn:
            return
        self._drawn = (percent, finished)
        filled = self.width * done // total
        line = (f"[{'#' * filled}{'-' * (self.width - filled)}] {percent:3d} %  "
                f"{done:,} / {total:,} {self.unit}")[:max(1, self._columns - 1)]
        end = ("\r" + " " * len(line) + "\r" if self.transient else "\n") if finished else ""
        self._write("\r" + line + end)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # ValueError: the stream was closed
            self._broken = True

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._drawn is not None and not self._drawn[1] and kind is not KeyboardInterrupt:
            self._write("\n")


def _columns(stream) -> int:
    """The width of the terminal ``stream`` writes to; else $COLUMNS, else the width of
    standard output's terminal, else 80 (shutil.get_terminal_size)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):  # not a terminal: a log, a test's buffer
        return shutil.get_terminal_size().columns
