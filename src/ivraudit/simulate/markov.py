"""Exact analysis of a persona's call: the absorbing Markov chain of chain.py, solved.

For each state s, h(s) is the probability of ending at a person and g(s) = E[T; person], the
seconds to the person summed over the calls that reach one. With Q the transitions between
states, p(s, d) and m(s, d) = E[duration; s -> d]:

    h = Q h + b,   b(s) = p(s, person)
    g = Q g + c,   c(s) = sum over d of m(s, d) h(d)  (h(person) = 1)

so both are solutions of (I - Q) x = rhs, with one factorisation. The expected time to a person
is g / h at the first state. States from which no end can be reached are "stuck" (absorbing), so
I - Q is invertible. Small chains are solved in pure Python (sparse elimination, no numpy: the
audit uses it), large ones with scipy.sparse's LU.

The reaction time enters in closed form: a persona ready at r with deadline D presses in time
with probability F(D - r), and E[(r + R); in time] = r F(D - r) + E[R; R <= D - r].
"""

from __future__ import annotations

from typing import NamedTuple

from .chain import CALLBACK, HANGUP_END, PERSON, STUCK, TRANSFER_END, Chain
from ..util.gcpause import without_cycle_collection

PYTHON_LIMIT = 3000  # states; above it, scipy
_ENDS = (PERSON, CALLBACK, HANGUP_END, STUCK, TRANSFER_END)


class ExactResult(NamedTuple):
    """A persona's outcome probabilities and expected seconds to a person (None: never)."""

    persona: str
    states: int
    reach_probability: float
    callback_probability: float
    hangup_probability: float
    stuck_probability: float
    expected_seconds_to_human: float | None
    transfer_probability: float = 0.0  # the call leaves the menu through a transfer


def transitions(chain: Chain) -> list[list[tuple[int, float, float]]]:
    """Per state: (destination, probability, E[duration; that destination])."""
    reaction = chain.persona.reaction
    rows = []
    for d in chain.decisions:
        row = []
        inside = 0.0
        if d.presses:
            limit = d.deadline - d.ready
            inside = reaction.cdf(limit)
            if inside > 0.0:
                mean_time = d.ready * inside + reaction.partial_mean(limit)  # E[r + R; in time]
                for probability, destination, extra, _ in d.keys:
                    row.append((destination, inside * probability,
                                probability * mean_time + inside * probability * extra))
        late = 1.0 - inside
        if late > 0.0:
            row.append((d.timeout_to, late, late * (d.deadline + d.timeout_extra)))
        rows.append(row)
    return rows


def live_states(rows: list[list[tuple[int, float, float]]]) -> list[bool]:
    """Whether an end can be reached from each state (with positive probability)."""
    n = len(rows)
    back: list[list[int]] = [[] for _ in range(n)]
    live = [False] * n
    stack = []
    for s, row in enumerate(rows):
        for destination, probability, _ in row:
            if probability <= 0.0:
                continue
            if destination < 0:
                if not live[s]:
                    live[s] = True
                    stack.append(s)
            else:
                back[destination].append(s)
    while stack:
        here = stack.pop()
        for before in back[here]:
            if not live[before]:
                live[before] = True
                stack.append(before)
    return live


class Solved(NamedTuple):
    """The chain solved for every state: ``ends`` (end code -> the probability, per state, that
    a call from there ends there; a state from which no end can be reached is stuck),
    ``to_person`` (per state, E[seconds to the person | one is reached], None: never) and
    ``steps`` (per state, the expected decisions until the call ends; empty unless asked for).
    ``result``: the persona's ExactResult from the start."""

    ends: dict[int, list[float]]
    to_person: list[float | None]
    steps: list[float]
    result: ExactResult


def exact(chain: Chain, method: str = "auto") -> ExactResult:
    """Solve the chain: ``method`` is ``python``, ``scipy`` or ``auto`` (by size)."""
    return solve(chain, method).result


def solve(chain: Chain, method: str = "auto", steps: bool = False) -> Solved:
    """The chain solved for every state (Solved); ``method`` as for ``exact``; ``steps``: the
    expected decisions too (what the Monte Carlo plans with)."""
    with without_cycle_collection():
        return _solve(chain, method, steps)


def _solve(chain: Chain, method: str, with_steps: bool) -> Solved:
    name = chain.persona.name
    if chain.start < 0:
        reached = chain.start == PERSON
        probabilities = {end: float(end == chain.start) for end in _ENDS}
        return Solved({end: [] for end in _ENDS}, [], [], ExactResult(
            name, 0, probabilities[PERSON], probabilities[CALLBACK], probabilities[HANGUP_END],
            probabilities[STUCK], chain.start_seconds if reached else None,
            probabilities[TRANSFER_END]))
    rows = transitions(chain)
    live = live_states(rows)
    n = len(rows)
    # Q between live states; everything else goes to the ends (a dead state is "stuck").
    q_rows: list[dict[int, float]] = []
    direct = []  # per state: [person, callback, hangup, stuck, transfer] in one step
    for s, row in enumerate(rows):
        q: dict[int, float] = {}
        ends = [0.0, 0.0, 0.0, 0.0, 0.0]
        if live[s]:
            for destination, probability, _ in row:
                if destination < 0:
                    ends[-1 - destination] += probability
                elif live[destination]:
                    q[destination] = q.get(destination, 0.0) + probability
                else:
                    ends[3] += probability
        q_rows.append(q)
        direct.append(ends)
    use_scipy = method == "scipy" or (method == "auto" and n > PYTHON_LIMIT)
    solver = _ScipySolver(q_rows, live) if use_scipy else _PythonSolver(q_rows, live)
    person, callback, hangup, transfer = (solver.solve([e[i] for e in direct])
                                          for i in (0, 1, 2, 4))
    stuck = [max(0.0, 1.0 - sum(found)) for found in zip(person, callback, hangup, transfer)]
    ends = {PERSON: person, CALLBACK: callback, HANGUP_END: hangup, TRANSFER_END: transfer,
            STUCK: stuck}
    steps = solver.solve([1.0 if alive else 0.0 for alive in live]) if with_steps else []
    timed = []
    for s, row in enumerate(rows):
        total = 0.0
        if live[s]:
            for destination, _, mass in row:
                if destination == PERSON:
                    total += mass
                elif destination >= 0 and live[destination]:
                    total += mass * person[destination]
        timed.append(total)
    seconds = solver.solve(timed)
    to_person = [t / p if p > 1e-12 else None for t, p in zip(seconds, person)]
    start = chain.start
    if not live[start]:
        return Solved(ends, to_person, steps, ExactResult(name, n, 0.0, 0.0, 0.0, 1.0, None))
    reach = person[start]
    expected = chain.start_seconds + to_person[start] if to_person[start] is not None else None
    return Solved(ends, to_person, steps, ExactResult(
        name, n, _clip(reach), _clip(callback[start]), _clip(hangup[start]),
        _clip(stuck[start]), expected, _clip(transfer[start])))


def _clip(p: float) -> float:
    return min(1.0, max(0.0, p))


class _PythonSolver:
    """(I - Q) x = b by sparse Gaussian elimination, later states first; the steps are kept so
    that more right-hand sides cost one sweep each."""

    def __init__(self, q_rows: list[dict[int, float]], live: list[bool]) -> None:
        n = len(q_rows)
        rows = [dict(r) for r in q_rows]
        before: list[set[int]] = [set() for _ in range(n)]
        for s, row in enumerate(rows):
            for d in row:
                if d != s:
                    before[d].add(s)
        self.order = [s for s in range(n - 1, -1, -1) if live[s]]
        done = [False] * n
        self.steps = []  # (state, scale, [(earlier state, weight)])
        for s in self.order:
            row = rows[s]
            scale = 1.0 / (1.0 - row.pop(s, 0.0))
            for d in row:
                row[d] *= scale
            updates = []
            for p in before[s]:
                if done[p] or s not in rows[p]:
                    continue
                weight = rows[p].pop(s)
                target = rows[p]
                for d, v in row.items():
                    target[d] = target.get(d, 0.0) + weight * v
                    if d != p:
                        before[d].add(p)
                updates.append((p, weight))
            self.steps.append((s, scale, updates))
            done[s] = True
        self.rows = rows

    def solve(self, rhs: list[float]) -> list[float]:
        if not any(rhs):  # no callback or transfer in the menu: exactly what the sweeps give
            return [0.0] * len(rhs)
        b = list(rhs)
        for s, scale, updates in self.steps:
            b[s] *= scale
            value = b[s]
            if value:
                for p, weight in updates:
                    b[p] += weight * value
        x = [0.0] * len(b)
        rows = self.rows
        for s in reversed(self.order):
            total = b[s]
            for d, v in rows[s].items():
                total += v * x[d]
            x[s] = total
        return x


class _ScipySolver:
    """(I - Q) x = b with scipy.sparse's LU (SuperLU), for large chains."""

    def __init__(self, q_rows: list[dict[int, float]], live: list[bool]) -> None:
        import numpy as np
        from scipy.sparse import csc_matrix, identity
        from scipy.sparse.linalg import splu

        self.np = np
        n = len(q_rows)
        sources, targets, values = [], [], []
        for s, row in enumerate(q_rows):
            for d, v in row.items():
                sources.append(s)
                targets.append(d)
                values.append(v)
        Q = csc_matrix((values, (sources, targets)), shape=(n, n))
        # a dead state keeps the equation x = b = 0: its row of Q is empty
        self.lu = splu((identity(n, format="csc") - Q).tocsc())

    def solve(self, rhs: list[float]) -> list[float]:
        return self.lu.solve(self.np.asarray(rhs, dtype=float)).tolist()
