"""Monte Carlo: many callers of one persona through the chain of chain.py, vectorised with numpy.

All callers of a batch step together: each round, every caller still in the menus draws a
reaction time and a uniform number, and the state's decision table (chain.Decision) turns them
into a destination and a duration. A persona with patience gives up when a step would end after
it. Batches have a fixed size, so the same seed gives the same numbers on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .chain import CALLBACK, HANGUP_END, PERSON, STUCK, TRANSFER_END, Chain
from .markov import live_states, transitions

BATCH = 65_536
MAX_STEPS = 10_000  # decisions per caller; callers still in the menus after this are "stuck"
GAVE_UP = -6
OUTCOMES = {PERSON: "person", CALLBACK: "callback", HANGUP_END: "hangup",
            TRANSFER_END: "transfer", GAVE_UP: "gave-up", STUCK: "stuck"}


@dataclass(frozen=True)
class NodeTrouble:
    """Per 100 callers: failures (invalid keys, timeouts) at a node, and calls lost there."""

    node: str
    invalid: float
    timeouts: float
    lost: float


@dataclass(frozen=True)
class MonteCarloResult:
    persona: str
    callers: int
    seed: int
    shares: dict[str, float]  # person, callback, hangup, gave-up, stuck
    mean: float | None  # seconds to a person, over the callers who reach one
    p50: float | None
    p90: float | None
    p99: float | None
    trouble: list[NodeTrouble]  # the nodes where calls fail most, worst first


class _Tables:
    """The chain's decision tables as arrays indexed by state."""

    def __init__(self, chain: Chain, np) -> None:
        n = len(chain)
        live = live_states(transitions(chain)) if n else []
        width = max([len(d.keys) for d in chain.decisions] + [1])

        def to(destination: int) -> int:
            return destination if destination < 0 or live[destination] else STUCK

        self.presses = np.array([d.presses for d in chain.decisions], dtype=bool)
        self.ready = np.array([d.ready for d in chain.decisions], dtype=float)
        self.deadline = np.array([d.deadline for d in chain.decisions], dtype=float)
        self.limit = self.deadline - self.ready
        self.timeout_to = np.array([to(d.timeout_to) for d in chain.decisions], dtype=np.int64)
        self.timeout_extra = np.array([d.timeout_extra for d in chain.decisions], dtype=float)
        cum = np.ones((n, width))
        dest = np.full((n, width), STUCK, dtype=np.int64)
        extra = np.zeros((n, width))
        fail = np.zeros((n, width), dtype=bool)
        for s, d in enumerate(chain.decisions):
            total = 0.0
            for j, (probability, destination, seconds, failure) in enumerate(d.keys):
                total += probability
                cum[s, j] = total
                dest[s, j], extra[s, j], fail[s, j] = to(destination), seconds, failure
            if d.keys:
                last = len(d.keys) - 1
                cum[s, last:] = 1.0  # u < 1 always: the last outcome takes rounding's remainder
                dest[s, last + 1:], extra[s, last + 1:] = dest[s, last], extra[s, last]
        self.cum, self.dest, self.extra, self.fail = cum, dest, extra, fail
        names = sorted({state[0] for state in chain.states})
        self.node_names = names
        position = {name: i for i, name in enumerate(names)}
        self.node_of = np.array([position[state[0]] for state in chain.states], dtype=np.int64)
        self.start = chain.start if chain.start < 0 or live[chain.start] else STUCK


def run(chain: Chain, callers: int, seed: int,
        progress: Callable[[int, int], None] | None = None) -> MonteCarloResult:
    """Simulate ``callers`` calls of the chain's persona; ``progress(done, total)`` per batch."""
    import numpy as np

    persona = chain.persona
    tables = _Tables(chain, np)
    rng = np.random.default_rng(seed)
    counts = {code: 0 for code in OUTCOMES}
    times = []
    nodes = len(tables.node_names)
    invalid = np.zeros(nodes, dtype=np.int64)
    timeouts = np.zeros(nodes, dtype=np.int64)
    lost = np.zeros(nodes, dtype=np.int64)
    done = 0
    while done < callers:
        size = min(BATCH, callers - done)
        _batch(tables, persona, size, chain.start_seconds, rng, np, counts, times,
               (invalid, timeouts, lost))
        done += size
        if progress:
            progress(done, callers)
    reached = np.concatenate(times) if times else np.zeros(0)
    per = 100.0 / callers if callers else 0.0
    trouble = [NodeTrouble(tables.node_names[i], invalid[i] * per, timeouts[i] * per, lost[i] * per)
               for i in range(nodes) if invalid[i] or timeouts[i] or lost[i]]
    trouble.sort(key=lambda t: (-t.lost, -(t.invalid + t.timeouts), t.node))
    if reached.size:
        p50, p90, p99 = (float(x) for x in np.percentile(reached, [50, 90, 99]))
        mean = float(reached.mean())
    else:
        mean = p50 = p90 = p99 = None
    shares = {OUTCOMES[code]: counts[code] / callers if callers else 0.0 for code in OUTCOMES}
    return MonteCarloResult(persona.name, callers, seed, shares, mean, p50, p90, p99, trouble[:5])


def _batch(tables: _Tables, persona, size: int, start_seconds: float, rng, np, counts: dict,
           times: list, tallies) -> None:
    invalid, timeouts, lost = tallies
    nodes = len(invalid)
    patience = persona.patience
    median, sigma = persona.reaction.median, persona.reaction.sigma
    if tables.start < 0:
        code = tables.start
        if patience is not None and (start_seconds > patience or code == STUCK):
            code = GAVE_UP
        counts[code] += size
        if code == PERSON:
            times.append(np.full(size, start_seconds))
        return
    state = np.full(size, tables.start, dtype=np.int64)
    clock = np.full(size, start_seconds)
    for _ in range(MAX_STEPS):
        if not state.size:
            return
        m = state.size
        reaction = np.full(m, median) if sigma == 0 else median * np.exp(
            sigma * rng.standard_normal(m))
        u = rng.random(m)
        pressed = tables.presses[state] & (reaction <= tables.limit[state])
        pick = (u[:, None] >= tables.cum[state]).sum(axis=1)
        pick = np.minimum(pick, tables.cum.shape[1] - 1)
        destination = np.where(pressed, tables.dest[state, pick], tables.timeout_to[state])
        seconds = np.where(pressed, tables.ready[state] + reaction + tables.extra[state, pick],
                           tables.deadline[state] + tables.timeout_extra[state])
        failed_key = pressed & tables.fail[state, pick]
        where = tables.node_of[state]
        invalid += np.bincount(where[failed_key], minlength=nodes)
        timeouts += np.bincount(where[~pressed], minlength=nodes)
        clock = clock + seconds
        finished = destination < 0
        if patience is not None:
            gave_up = (clock > patience) | (destination == STUCK)
            destination = np.where(gave_up, GAVE_UP, destination)
            finished = finished | gave_up
        if finished.any():
            ends = destination[finished]
            for code in OUTCOMES:
                counts[code] += int((ends == code).sum())
            times.append(clock[finished][ends == PERSON])
            bad = (ends != PERSON) & (ends != CALLBACK)
            lost += np.bincount(where[finished][bad], minlength=nodes)
            keep = ~finished
            state, clock = destination[keep], clock[keep]
        else:
            state = destination
    counts[STUCK] += int(state.size)  # still in the menus after MAX_STEPS decisions
    lost += np.bincount(tables.node_of[state], minlength=nodes)
