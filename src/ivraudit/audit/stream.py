"""Auditing many files: on every core, keeping little of each menu.

``auditor.audit_paths`` hands its menus here, planned in this process (importers.plan_sources:
menu files are only named, platform flows read and linked). They are audited in chunks of a
few menus, by a pool of ``jobs`` processes or in this one, and come back in input order.

With ``keep`` (reporters.keeper makes one), each menu is handed to it as soon as it is
audited, where it was audited, and only what it returns is kept: a ``Kept``, with the
reporters' parts of the menu, its counts and whether it fails. The model, the graph and the
metrics are let go at once, so memory stays flat however many files there are.

Workers are forked where the platform allows it (Linux): they start with every module
imported and the menu validator compiled, and never free their objects one by one at exit.
Elsewhere they are spawned and load the validator from its signed disk cache.
"""

from __future__ import annotations

import pickle
import signal
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..analysis.graph import forget_views
from ..errors import IvrauditError
from ..format.model import Menu
from ..importers import MenuFile, read_menu_file
from ..util.cached import record
from ..util import signals
from ..util.gcpause import without_cycle_collection

THRESHOLDS = ("error", "warning", "info", "never")
CHUNK = 16  # menus a worker audits at a time, at most
# A keeper: (results, a run holding the policy and fail_on) -> each result's parts. It is
# handed each menu as soon as it is audited, and the menu is freed before the next one is
# read, so that no more than one menu at a time is ever alive and the next is made in the
# memory just freed (the audit's peak for 1,000 files fell from 53 to 47 MB; README,
# Performance).
Keeper = Callable[[list, object], list[dict]]


@record
class Kept:
    """What a run keeps of a menu once its model and graph are gone: the menu's ``path``, the
    ``digests`` of its input files (MenuResult.digests), its finding counts (``counts()``, as
    MenuResult's), the thresholds at which it fails (``fails()``), and per report format the
    part of the report the reporter made of it (reporters.menu_parts; for a diff, ``diff``:
    diff.compare.keep_compared), compressed: text reports compress several times over, and a
    run keeps thousands of them (``part(fmt)`` unpacks one)."""

    path: str
    tally: dict[str, int]
    failing: frozenset[str]
    packed: bytes = b""
    digests: tuple[tuple[str, str], ...] = ()

    def counts(self) -> dict[str, int]:
        return dict(self.tally)

    def fails(self, fail_on: str) -> bool:
        return fail_on in self.failing

    def parts(self) -> dict[str, object]:
        return pickle.loads(zlib.decompress(self.packed))  # made by this run, never read in

    def part(self, fmt: str) -> object:
        return self.parts()[fmt]

    def with_parts(self, parts: dict[str, object]) -> Kept:
        return replace(self, packed=_pack(parts))


def kept(result, parts: dict[str, object]) -> Kept:
    """The Kept of a full MenuResult, with ``parts``."""
    return Kept(result.menu.path, result.counts(),
                frozenset(t for t in THRESHOLDS if result.fails(t)), _pack(parts),
                result.digests)


def _pack(parts: dict[str, object]) -> bytes:
    return zlib.compress(pickle.dumps(parts, pickle.HIGHEST_PROTOCOL), 1)


@record
class _Job:
    run: object  # an AuditRun with no results: policy and fail_on for the keeper
    today: str
    keep: Keeper | None
    hold: bool = False


_job: _Job | None = None  # the job of this process (a worker's, set by _start)
_held: list = []  # with ``hold``: the whole results of the last chunk, never freed
_held_input: list = []  # with ``hold``: what the last menu file was parsed into, never freed


def audited(items: list, run, today: str, keep: Keeper | None = None, jobs: int = 1,
            hold: bool = False) -> Iterator:
    """Each item audited, in order: a MenuResult (a Kept with ``keep``) or an IvrauditError.
    ``items``: MenuFile, Menu or IvrauditError (passed through), as plan_sources yields.

    ``hold``: the process ends after the run (the CLI), so the last menu (with no keeper, the
    last chunk's menus) and what its file was parsed into (the composed YAML and the document
    tree) are never freed: freeing them object by object costs more than a tenth of auditing
    a large menu (on the 5,000-menu benchmark file, keeping the parsed trees too saves 5 to
    7 % of the command's CPU time), and the process's end (os._exit) takes it all back at
    once. Every menu and file before it is freed before the next one is read (with no keeper,
    each chunk's menus when the next one is done)."""
    job = _Job(run, today, keep, hold)
    size = _chunk_size(len(items), jobs)
    chunks = _chunks(items, size)
    jobs = min(jobs, -(-len(items) // size))  # never more workers than chunks of work
    if jobs <= 1 or len(items) <= 1:
        global _job
        _job = job
        for chunk in chunks:
            yield from _audit_chunk(chunk)
        return
    yield from _in_pool(job, chunks, jobs)


def _chunk_size(items: int, jobs: int) -> int:
    """Chunks small enough for every worker to get several (the last ones finish together),
    large enough that sending them costs little."""
    return max(1, min(CHUNK, items // (jobs * 4)))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _in_pool(job: _Job, chunks: Iterator[list], jobs: int) -> Iterator:
    """The chunks audited by a pool of ``jobs`` processes, in order.

    Ctrl-C (SIGINT) and SIGTERM are only noted while the pool works, and acted on between
    its results (KeyboardInterrupt; SystemExit 143), so that the pool is always shut down
    whole: an exception raised inside multiprocessing's own locking (a second Ctrl-C during
    the first one's cleanup) could leave a lock held, and the run hung in terminate(), its
    workers orphaned."""
    import multiprocessing

    _warm_up()
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    # held back while the workers are forked (a Ctrl-C there left them running on their own),
    # then noted: set after the fork, the workers keep their own handlers
    mask = signals.hold()
    try:
        pool = context.Pool(jobs, initializer=_start, initargs=(job,))
    except BaseException:
        signals.release(mask)
        raise
    with signals.noted() as noted:
        signals.release(mask)
        try:
            workers = list(pool._pool)  # all started: none may end or be replaced
            results = pool.imap(_audit_chunk, chunks)
            while True:
                try:
                    done = results.next(timeout=_SIGNAL_POLL)
                except StopIteration:
                    break
                except multiprocessing.TimeoutError:
                    done = None
                _check_workers(pool, workers)
                signals.act_on(noted)
                if done is not None:
                    yield from done
            pool.close()
        finally:
            pool.terminate()  # on an error or Ctrl-C, at once; after close(), the idle workers
            pool.join()
        signals.act_on(noted)  # a signal that came while the pool was shut down


def _check_workers(pool, workers: list) -> None:
    """Raise WorkerDied when one of ``workers``, the processes ``pool`` started with, has
    ended while the pool works. multiprocessing.Pool starts another in its place and loses
    the chunk it was auditing, whose results would then be awaited for ever (CPython issue
    66587, bpo-22393); it lists its workers only in ``_pool``."""
    for process in workers:
        if process.exitcode is not None:
            raise WorkerDied(process.exitcode)
    if len(pool._pool) != len(workers) or any(a is not b for a, b in zip(pool._pool, workers)):
        raise WorkerDied(None)  # replaced before its end was seen here


class WorkerDied(IvrauditError):
    """A worker process ended before its work was done (killed: by the system for lack of
    memory, or by a signal sent to it); the audit cannot be finished."""

    def __init__(self, exit_code: int | None) -> None:
        if exit_code is None:
            how = "ended"
        elif exit_code < 0 and -exit_code in signal.valid_signals():
            how = f"was killed by signal {-exit_code} ({signal.Signals(-exit_code).name})"
        else:
            how = f"ended with exit code {exit_code}"
        super().__init__(None, 0, 0, f"a worker process {how} before its menus were audited: "
                         "the audit is incomplete", "run again; if the system ran out of "
                         "memory, with fewer --jobs or more memory")


_SIGNAL_POLL = 0.2  # seconds: how soon a noted signal or a dead worker is acted on


def _warm_up() -> None:
    """What every worker needs, made once before they are forked: the modules and the
    compiled menu validator (from the disk cache, or compiled and stored there)."""
    from ..format import schema

    schema.warm_up()


def _start(job: _Job) -> None:
    """A worker's start: its job; Ctrl-C is the parent's to handle; no cyclic GC (nothing
    here makes cycles, and the process ends with the run)."""
    import gc

    global _job
    _job = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool's terminate() ends a worker
    signals.release_held()  # forked while the parent held them back
    gc.disable()
    _warm_up()


def _audit_chunk(items: list) -> list:
    """Audit a chunk: each item's MenuResult (its Kept, with a keeper) or error, in order."""
    from .auditor import audit_menu

    job = _job
    done: list = []
    with without_cycle_collection():
        for item in items:
            if job.keep is not None:
                _held.clear()  # the menu before (held in case it was the last) goes now
            _held_input.clear()  # and what its file was parsed into
            if isinstance(item, IvrauditError):
                done.append(item)
                continue
            try:
                menu: Menu = read_menu_file(item.path, _held_input if job.hold else None) \
                    if isinstance(item, MenuFile) else item
                result = audit_menu(menu, job.run.policy, job.today)
            except IvrauditError as error:
                done.append(_detached(error))
                continue
            done.append(_kept([result], job)[0] if job.keep is not None else result)
            del menu, result  # with a keeper, the menu goes now, before the next one is read
    return done


def _detached(error: IvrauditError) -> IvrauditError:
    """``error`` without its traceback and the exceptions it was raised from (a schema error
    is raised ``from None`` but keeps fastjsonschema's as its context): their frames would
    hold the menus audited beside it to the end of the run, the cyclic GC being off. What the
    error says (its file, line, column, message and hint) is all it carries."""
    error.__traceback__ = error.__context__ = error.__cause__ = None
    return error


def _kept(results: list, job: _Job) -> list[Kept]:
    """The Kept of each result, made by the job's keeper. The results are let go (freed as
    soon as the caller drops them), except, with ``hold``, the last ones."""
    parts = job.keep(results, job.run)
    for result in results:
        forget_views(result.graph)  # with no cycle left, the menu goes with its last use
    if job.hold:
        _held[:] = results
    return [kept(result, part) for result, part in zip(results, parts, strict=True)]
