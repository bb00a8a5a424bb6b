"""Monte Carlo: many callers of one persona through the chain of chain.py, vectorised with numpy.

All callers of a batch step together: each round, every caller still in the menus draws a
reaction time and a uniform number, and the state's decision table (chain.Decision) turns them
into a destination and a duration. A persona with patience gives up when a step would end after
it. Batches have a fixed size, so the same seed gives the same numbers on every machine.

How many rounds to run is planned from the exact analysis (markov.solve): PLANNED times the
decisions a call takes on average, and at least MIN_STEPS; but never more than MAX_STEPS, and
a batch stops once its callers have taken MAX_CALLER_ROUNDS steps between them (a menu that
times out in 0.1 s, for a caller who needs seconds, planned hundreds of millions of rounds:
the run never ended). A call still in the menus after
them (a line of 30,000 menus takes 30,000 decisions; an unlucky caller may take many more) is
not "stuck": its end is drawn from the exact probabilities of the state it is in, and its time
to a person is its time so far plus the exact expectation from there. Only calls in states from
which no end can be reached are stuck, as the exact analysis says. A round costs in proportion
to the callers still in the menus, never to the menu's size.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..util.cached import record
from .chain import CALLBACK, HANGUP_END, PERSON, STUCK, TRANSFER_END, Chain
from .markov import Solved, live_states, solve, transitions

BATCH = 65_536
MIN_STEPS = 10_000  # rounds simulated at least (unless MAX_CALLER_ROUNDS comes first)
PLANNED = 20  # rounds simulated: this many times the decisions of an average call
MAX_STEPS = 100_000  # rounds simulated at most (about 2 s for one caller)
MAX_CALLER_ROUNDS = 200_000_000  # steps of a batch's callers, summed (~7 s a batch)
GAVE_UP = -6
ENDS = (PERSON, CALLBACK, HANGUP_END, TRANSFER_END, STUCK)  # the order of _Tables.finish
OUTCOMES = {PERSON: "person", CALLBACK: "callback", HANGUP_END: "hangup",
            TRANSFER_END: "transfer", GAVE_UP: "gave-up", STUCK: "stuck"}


@record
class NodeTrouble:
    """Per 100 callers: failures (invalid keys, timeouts) at a node, and calls lost there."""

    node: str
    invalid: float
    timeouts: float
    lost: float


@record
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
    finished_exactly: int = 0  # calls still in the menus after ``steps`` rounds (their end drawn)
    steps: int = 0  # rounds simulated at most (where calls were finished exactly: the most run)


class _Tables:
    """The chain's decision tables as arrays indexed by state; ``finish`` (per state, the
    cumulative probabilities of ENDS) and ``to_person`` (per state, the expected seconds to a
    person) from the exact analysis, for the calls left after the planned rounds."""

    def __init__(self, chain: Chain, solved: Solved, np) -> None:
        n = len(chain)
        live = live_states(transitions(chain)) if n else []
        width = max([len(d.keys) for d in chain.decisions] + [1])

        def to(destination: int) -> int:
            return destination if destination < 0 or live[destination] else STUCK

        presses = np.array([d.presses for d in chain.decisions], dtype=bool)
        self.ready = np.array([d.ready for d in chain.decisions], dtype=float)
        deadline = np.array([d.deadline for d in chain.decisions], dtype=float)
        # a reaction is in time when it is at most the limit (never, where nothing is pressed)
        self.limit = np.where(presses, deadline - self.ready, -np.inf)
        self.timeout_to = np.array([to(d.timeout_to) for d in chain.decisions], dtype=np.int64)
        self.late = deadline + np.array([d.timeout_extra for d in chain.decisions], dtype=float)
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
        # the outcome tables read by state * width + outcome
        self.cum, self.width = cum, width
        self.dest, self.extra, self.fail = dest.ravel(), extra.ravel(), fail.ravel()
        names = sorted({state[0] for state in chain.states})
        self.node_names = names
        position = {name: i for i, name in enumerate(names)}
        self.node_of = np.array([position[state[0]] for state in chain.states], dtype=np.int64)
        self.start = chain.start if chain.start < 0 or live[chain.start] else STUCK
        ends = np.array([solved.ends[end] for end in ENDS], dtype=float).reshape(len(ENDS), n)
        self.finish = np.cumsum(ends.T, axis=1)
        self.finish[:, -1] = 1.0  # what rounding leaves goes to the last end (stuck: ~0)
        self.to_person = np.array([np.nan if t is None else t for t in solved.to_person],
                                  dtype=float)


def run(chain: Chain, callers: int, seed: int,
        progress: Callable[[int, int], None] | None = None,
        solved: Solved | None = None) -> MonteCarloResult:
    """Simulate ``callers`` calls of the chain's persona; ``progress(done, total)`` per batch.
    ``solved``: the chain's exact analysis with its expected steps (markov.solve), when done
    already."""
    import numpy as np

    persona = chain.persona
    if solved is None or (len(chain) and not solved.steps):
        solved = solve(chain, steps=True)
    tables = _Tables(chain, solved, np)
    planned = solved.steps[chain.start] if chain.start >= 0 and solved.steps else 0.0
    steps = max(MIN_STEPS, min(math.ceil(PLANNED * planned), MAX_STEPS))
    rng = np.random.default_rng(seed)
    counts = {code: 0 for code in OUTCOMES}
    times = []
    nodes = len(tables.node_names)
    tallies = _Tally(nodes, np), _Tally(nodes, np), _Tally(nodes, np)  # invalid, timeouts, lost
    done = finished_exactly = rounds = 0
    if progress:
        progress(0, callers)
    while done < callers:
        size = min(BATCH, callers - done)
        left, ran = _batch(tables, persona, size, chain.start_seconds, rng, np, counts, times,
                           tallies, steps)
        finished_exactly += left
        rounds = max(rounds, ran if left else 0)
        done += size
        if progress:
            progress(done, callers)
    invalid, timeouts, lost = (tally.total() for tally in tallies)
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
    return MonteCarloResult(persona.name, callers, seed, shares, mean, p50, p90, p99, trouble[:5],
                            finished_exactly, rounds if finished_exactly else steps)


class _Tally:
    """Counts per node of events given as arrays of node indices, summed in bulk (a count
    per node in every round would cost a pass over every node each round)."""

    def __init__(self, nodes: int, np) -> None:
        self.np, self.counts, self.pending, self.size = np, np.zeros(nodes, dtype=np.int64), [], 0

    def add(self, where) -> None:
        if where.size:
            self.pending.append(where)
            self.size += where.size
            if self.size > 1 << 20:
                self.total()

    def total(self):
        if self.pending:
            self.counts += self.np.bincount(self.np.concatenate(self.pending),
                                            minlength=self.counts.size)
            self.pending, self.size = [], 0
        return self.counts


def _batch(tables: _Tables, persona, size: int, start_seconds: float, rng, np, counts: dict,
           times: list, tallies, steps: int) -> tuple[int, int]:
    """Run one batch of callers: (how many were finished from the exact analysis, the rounds
    run)."""
    invalid, timeouts, lost = tallies
    patience = persona.patience
    median, sigma = persona.reaction.median, persona.reaction.sigma
    if tables.start < 0:
        code = tables.start
        if patience is not None and (start_seconds > patience or code == STUCK):
            code = GAVE_UP
        counts[code] += size
        if code == PERSON:
            times.append(np.full(size, start_seconds))
        return 0, 0
    state = np.full(size, tables.start, dtype=np.int64)
    clock = np.full(size, start_seconds)
    spent = rounds = 0  # the callers' steps so far, and the rounds
    while rounds < steps and spent < MAX_CALLER_ROUNDS:
        if not state.size:
            return 0, rounds
        m = state.size
        spent += m
        rounds += 1
        reaction = np.full(m, median) if sigma == 0 else median * np.exp(
            sigma * rng.standard_normal(m))
        u = rng.random(m)
        pressed = reaction <= tables.limit[state]
        outcome = state * tables.width + _outcome(tables, state, u, np)
        destination = np.where(pressed, tables.dest[outcome], tables.timeout_to[state])
        seconds = np.where(pressed, tables.ready[state] + reaction + tables.extra[outcome],
                           tables.late[state])
        failed_key = pressed & tables.fail[outcome]
        where = tables.node_of[state]
        invalid.add(where[failed_key])
        timeouts.add(where[~pressed])
        clock += seconds
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
            lost.add(where[finished][bad])
            keep = ~finished
            state, clock = destination[keep], clock[keep]
        else:
            state = destination
    return _finish_exactly(tables, state, clock, patience, rng, np, counts, times), rounds


def _outcome(tables: _Tables, state, u, np):
    """The key outcome each caller's uniform number ``u`` picks in its state: the first whose
    cumulative probability exceeds it. Most calls take the first (the key meant), so only the
    others compare against the whole row."""
    pick = (u >= tables.cum[state, 0]).astype(np.int64)
    others = np.flatnonzero(pick)
    if others.size:
        rows = tables.cum[state[others]]
        pick[others] = np.minimum((u[others, None] >= rows).sum(axis=1), rows.shape[1] - 1)
    return pick


def _finish_exactly(tables: _Tables, state, clock, patience, rng, np, counts: dict,
                    times: list) -> int:
    """The calls still in the menus after the planned rounds: each one's end drawn from the
    exact probabilities of its state; a person reached after the expected time from there."""
    if not state.size:
        return 0
    ends = np.array(ENDS, dtype=np.int64)[(rng.random(state.size)[:, None]
                                            >= tables.finish[state]).sum(axis=1).clip(max=len(ENDS) - 1)]
    at = clock + np.nan_to_num(tables.to_person[state])
    if patience is not None:
        ends = np.where((ends == PERSON) & (at > patience), GAVE_UP, ends)
    for code in OUTCOMES:
        counts[code] += int((ends == code).sum())
    times.append(at[ends == PERSON])
    return int(state.size)
