"""Pause Python's cyclic garbage collector around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def without_cycle_collection():
    """As the auditor does while loading: on a large menu the collector would rescan the whole
    model again and again (most of the time of a 100,000-node analysis)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
