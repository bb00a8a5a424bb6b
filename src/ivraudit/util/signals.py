"""SIGINT (Ctrl-C) and SIGTERM (a CI runner's timeout or cancel), handled so that a command
always ends whole: with its pool of workers shut down, its temporary files removed, and an
exit code CI reads right (130, 143), never a traceback.

- ``hold``/``release``, ``held``: the signals wait, pending, while something must not be cut
  short (workers being forked, a temporary folder being removed);
- ``noted``: the signals are noted instead of acted on, and ``act_on`` acts on them where it
  is safe (between a pool's results);
- ``sigterm_ends_cleanly``: SIGTERM ends the command through Python (SystemExit 143), so that
  the blocks it is in clean up;
- ``ignore_further``: the command is ending; another signal must not break the ending.

Only Python's default handlers are taken over: a signal that is ignored (a shell's
background job) or has its own handler (a program using the library, or one set from C,
which Python cannot restore) is left alone.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

HELD = (signal.SIGINT, signal.SIGTERM)


def hold():
    """Block SIGINT and SIGTERM in this thread (they wait, pending); the mask before, to give
    back with ``release`` (None where masks do not exist)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, HELD)


def release(mask) -> None:
    """Give back the mask ``hold`` returned: what was held back is acted on now."""
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def release_held() -> None:
    """Unblock SIGINT and SIGTERM (a process forked while they were held back)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


@contextmanager
def held():
    """SIGINT and SIGTERM held back within the block (pending, not lost; acted on when it
    ends): what must not be cut short, such as a temporary folder being removed, finishes
    first."""
    mask = hold()
    try:
        yield
    finally:
        release(mask)


def act_on(noted: list[int] | None) -> None:
    """Act on the first signal ``noted`` noted, as Python would have: KeyboardInterrupt for
    SIGINT, SystemExit 128 + its number (143) for SIGTERM."""
    if noted:
        raise KeyboardInterrupt if noted[0] == signal.SIGINT else SystemExit(128 + noted[0])


@contextmanager
def noted():
    """SIGINT and SIGTERM noted in the list yielded instead of acted on, until the block
    ends, where they would end the process as Python does by default (or as
    ``sigterm_ends_cleanly`` makes SIGTERM do); a signal with another handler is left alone.
    None in a thread other than the main one, where handlers cannot be set."""
    if threading.current_thread() is not threading.main_thread():
        yield None
        return
    found: list[int] = []
    takeable = {signal.SIGINT: (signal.default_int_handler,),
                signal.SIGTERM: (signal.SIG_DFL, _stopped)}
    before = {number: signal.signal(number, lambda number, frame: found.append(number))
              for number, handlers in takeable.items() if signal.getsignal(number) in handlers}
    try:
        yield found
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


@contextmanager
def sigterm_ends_cleanly():
    """Within the block, SIGTERM (a CI runner cancelling a job) ends the command through
    Python, as SystemExit 143, so that the blocks it is in clean up (a temporary folder is
    removed) instead of the process vanishing at once; further SIGINT and SIGTERM are then
    ignored, so that the clean-up itself is not cut short. Only where SIGTERM is at its
    default, in the main thread; ``noted`` notes it as it notes the default."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _stopped)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) is _stopped:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stopped(number, frame):
    ignore_further()
    raise SystemExit(128 + number)


def ignore_further() -> None:
    """Stopped by a signal, the command is ending: a second Ctrl-C or SIGTERM (a user pressing
    twice, a CI runner's kill after its TERM) must not break the ending into a traceback."""
    for number in HELD:
        signal.signal(number, signal.SIG_IGN)
