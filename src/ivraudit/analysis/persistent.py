"""The persistent caller (SPEC 9.8): the fewest seconds to a person for a caller who knows
every trick: at each menu or input it chooses an option, presses a wrong key, or stays silent.

One forward Dijkstra from the entry over the states of a visit: (node, invalid count, timeout
count, the part of the prompt being played, the failures in the visit). Costs are (forced
ticks, key presses, failures), compared in that order; messages, branches and overflowing queues
between two such states are folded into the moves. The tie-break of choose.py (the characters
pressed, silence after ``#``) picks the path among the equally good ones.

The state space stays small:

- a kind's count matters only up to its list's last action, so it is kept capped there;
- the failures of a visit matter only for reaching ``max_failures``: they are kept exactly up to
  ``EXACT_FAILURES`` (or the number of configurations (counts, part), if larger). With a larger
  ``max_failures`` the failures in between are summed in closed form, by squaring the min-plus
  matrix of one failure between configurations (``_Burn``): a ``max_failures`` of a million
  costs a few matrix products, not a million states. Any other way out of the visit is as cheap
  with fewer failures, so only reaching ``on_exhausted`` needs the long walk. Among equally
  costly orders of those middle failures the one reported takes a wrong key before silence
  where it can (docs/format.md).

A search that has found a way no worse than the forced best path prunes every state above it.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable
from fractions import Fraction
from itertools import count

import networkx as nx

from ..format.model import KEY_RANK, NO_SECONDS, Menu, Node
from ..util.cached import record
from .choose import Chooser, Move
from .graph import seconds, ticks
from .settle import HANGUP_NODE, Chosen, settle

EXACT_FAILURES = 10  # failures of a visit kept exactly (at least), before the closed form
SILENCE = len(KEY_RANK)  # silence ranks after "#" in the tie-break
_NOTHING = ()

Row = tuple  # (node id, key or None, failure: None, "invalid" or "timeout")


@record
class PersistentCall:
    """The persistent caller's best call: exact seconds, key presses, failures, and its path
    (one row per node entered and per action taken there, the person last)."""

    seconds: Fraction
    steps: int
    failures: int
    path: tuple[Row, ...]


@record
class _Step:
    """A move of the search: its cost (ticks, steps, failures), where it leads (a state, or
    None: the call ends without a person), its rows, and its tie-break characters and token.
    ``chars`` and ``rows`` of a long run of failures are made only when asked for."""

    cost: tuple
    to: Hashable | None
    rows: object  # a tuple of rows, or a callable that makes them
    chars: object
    token: tuple = ()

    def row_tuple(self) -> tuple:
        return self.rows() if callable(self.rows) else self.rows

    def char_tuple(self) -> tuple:
        return self.chars() if callable(self.chars) else self.chars


def persistent_call(menu: Menu, G: nx.MultiDiGraph, chosen: Chosen,
                    bound: tuple | None = None) -> PersistentCall | None:
    """The persistent caller in the scenario ``chosen``; None when no person can be reached
    even so. ``bound``: a (ticks, steps, failures) cost known to be reachable (the forced best
    path), which prunes the search."""
    search = _Search(menu, G, chosen, bound)
    try:
        return search.run()
    finally:  # a burn, and the lazy rows of its moves, point back at the search: cycles the
        search.burns.clear()  # audit's cyclic GC (off) would never collect
        search.moves_of.clear()


class _Search:
    def __init__(self, menu: Menu, G: nx.MultiDiGraph, chosen: Chosen, bound) -> None:
        self.menu, self.G, self.chosen, self.bound = menu, G, chosen, bound
        self.scale = G.graph["scale"]
        self.arrivals: dict[str, tuple] = {}
        self.burns: dict[str, _Burn] = {}
        self.moves_of: dict[Hashable, list[_Step]] = {}

    # -- where a call sent somewhere stops -------------------------------------------------

    def arrive(self, target: str) -> tuple:
        """(cost, rows, state) for a call sent to ``target``: its messages' forced ticks, a row
        per node passed, and the state it stops at (None: no person there)."""
        found = self.arrivals.get(target)
        if found is None:
            found = self.arrivals[target] = self._arrive(target)
        return found

    def _arrive(self, target: str) -> tuple:
        settled = settle(self.menu, self.chosen, target)
        nodes = self.G.nodes
        ticks = sum(nodes[n]["forced_ticks"] for n in settled.passed)
        rows = tuple((n, None, None) for n in settled.passed)
        stop = settled.stop
        if stop is None or stop == HANGUP_NODE:
            return (ticks, 0, 0), rows, None
        node = self.menu.nodes[stop]
        if node.is_person:
            return (ticks, 0, 0), rows, ("person", stop)
        if node.type in ("menu", "input"):
            return (ticks, 0, 0), rows, ("at", stop, 0, 0, True, 0)
        return (ticks, 0, 0), rows, None  # a callback, a hangup or a transfer out

    # -- the moves of a state ----------------------------------------------------------------

    def moves(self, state: tuple) -> list[_Step]:
        found = self.moves_of.get(state)
        if found is None:
            found = self.moves_of[state] = self._moves(state)
        return found

    def _moves(self, state: tuple) -> list[_Step]:
        _, node_id, invalid, timeouts, whole, failures = state
        node = self.menu.nodes[node_id]
        parts = _Parts(self.G, node)
        forced = parts.forced(whole)
        steps = []
        if node.type == "menu":
            for index, option in enumerate(node.options):
                if option.key is None:
                    continue  # the persistent caller uses the keypad only (SPEC 9.10)
                row = (node_id, option.key, None)
                chars = tuple(KEY_RANK[char] for char in option.key)
                steps.append(self.go((forced, len(option.key), 0), row, option.goto, state,
                                     chars, (len(option.key), index)))
        else:
            steps.append(self.go((forced, node.input_steps, 0), (node_id, None, None), node.next,
                                 state, _NOTHING, _NOTHING))
        wrong = node.wrong_key if node.type == "menu" else ""
        if wrong is not None:
            chars = (KEY_RANK[wrong],) if wrong else _NOTHING
            steps += self.fail(node, state, "invalid", (forced, 1, 1),
                               (node_id, wrong or None, "invalid"), chars)
        steps += self.fail(node, state, "timeout", (parts.heard(whole) + parts.timeout, 0, 1),
                           (node_id, None, "timeout"), (SILENCE,))
        return [step for step in steps if step is not None]

    def go(self, cost: tuple, row: Row, target: str, state: tuple, chars, token) -> _Step:
        """An option chosen or a number typed: to ``target`` (the node itself keeps its counts)."""
        if target == state[1]:
            return _Step(cost, state[:4] + (True,) + state[5:], (row,), chars, token)
        more, rows, to = self.arrive(target)
        return _Step(_add(cost, more), to, (row,) + rows, chars, token)

    def fail(self, node: Node, state: tuple, kind: str, cost: tuple, row: Row,
             chars) -> list[_Step | None]:
        """A wrong key or a silence at ``state``: the failure's action (SPEC 3, 9.1). One move,
        or from the last exactly counted failure one per state a run to `on_exhausted` can end
        in."""
        _, node_id, invalid, timeouts, whole, failures = state
        limit = node.max_failures
        exact = _exact_failures(node)
        if limit is not None and failures != -1 and failures == exact - 1 and exact < limit - 1:
            return self.burn(node, state, kind, cost, row, chars)
        action, exhausted = _action(node, kind, invalid, timeouts, failures)
        counts = _counted(node, kind, invalid, timeouts)
        after = -1 if exhausted or failures == -1 else (0 if limit is None else failures + 1)
        return [self.after(node, action, cost, row, chars, counts, after)]

    def after(self, node: Node, action, cost: tuple, row, chars, counts: tuple,
              failures: int) -> _Step | None:
        """Where a failure's action leads, its message's forced part added."""
        message = action.message.seconds if action.message and not node.barge_in \
            else NO_SECONDS
        cost = _add(cost, (ticks(message, self.scale), 0, 0))
        token = (1, SILENCE if row is not None and row[2] == "timeout" else 0)
        kind = action.kind
        if kind == "hangup":
            return None
        if kind in ("replay", "reprompt") or (kind == "goto" and action.target == node.id):
            whole = kind != "reprompt" or node.type == "input"
            return _Step(cost, ("at", node.id) + counts + (whole, failures), (row,), chars, token)
        more, rows, to = self.arrive(action.target if kind == "goto" else "restart")
        return _Step(_add(cost, more), to, (row,) + rows, chars, token)

    def burn(self, node: Node, state: tuple, kind: str, cost: tuple, row, chars) -> list[_Step]:
        """From the last exactly counted failure: every failure up to `on_exhausted`, at once."""
        burn = self.burns.get(node.id)
        if burn is None:
            burn = self.burns[node.id] = _Burn(self, node)
        return burn.step(state, kind, cost, row, chars)

    # -- the search ----------------------------------------------------------------------------

    def run(self) -> PersistentCall | None:
        start_cost, start_rows, start = self.arrive(self.menu.entry)
        if start is None:
            return None
        dist: dict[Hashable, tuple] = {start: start_cost}
        preds: dict[Hashable, list] = {start: []}
        done: set = set()
        tie = count()
        heap = [(start_cost, next(tie), start)]
        best = None
        while heap:
            here_cost, _, here = heapq.heappop(heap)
            if here in done:
                continue
            if best is not None and here_cost > best:
                break
            done.add(here)
            if here[0] == "person":
                best = here_cost if best is None else best
                continue
            for step in self.moves(here):
                if step.to is None:
                    continue
                total = _add(here_cost, step.cost)
                if self.bound is not None and total > self.bound:
                    continue
                known = dist.get(step.to)
                if known is None or total < known:
                    dist[step.to], preds[step.to] = total, [here]
                    heapq.heappush(heap, (total, next(tie), step.to))
                elif total == known:
                    preds[step.to].append(here)
        if best is None:
            return None
        useful = _leading_to([s for s in done if s[0] == "person" and dist[s] == best], preds)

        def tight(here) -> list[Move]:
            return [Move(step.char_tuple(), step.token, step.to, step.row_tuple())
                    for step in self.moves(here)
                    if step.to in useful and _add(dist[here], step.cost) == dist[step.to]]

        chooser = Chooser(tight, lambda s: s[0] == "person")
        rows = list(start_rows)
        for part in chooser.path(start, lambda s: ((s[1], None, None),)):
            rows += part
        ticks, steps, failures = best
        return PersistentCall(seconds(self.G, ticks), steps, failures, tuple(rows))


def _leading_to(goals: list, preds: dict) -> set:
    """The states from which a tight path leads to one of ``goals``."""
    seen = set(goals)
    stack = list(goals)
    while stack:
        for before in preds.get(stack.pop(), ()):
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return seen


def _add(a: tuple, b: tuple) -> tuple:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


class _Parts:
    """A collecting node's prompt parts in ticks: the whole prompt, or options and outro."""

    def __init__(self, G: nx.MultiDiGraph, node: Node) -> None:
        attrs, scale = G.nodes[node.id], G.graph["scale"]
        self.whole = attrs["prompt_ticks"]
        self.options = self.whole - ticks(node.intro_seconds, scale)
        self.barge_in = node.barge_in
        self.timeout = ticks(node.timeout, scale)

    def heard(self, whole: bool) -> int:
        return self.whole if whole else self.options

    def forced(self, whole: bool) -> int:
        return 0 if self.barge_in else self.heard(whole)


def _exact_failures(node: Node) -> int:
    """How many failures of a visit the search counts one by one (see the module's doc)."""
    return max(EXACT_FAILURES, 2 * len(node.on_invalid) * len(node.on_timeout))


def _action(node: Node, kind: str, invalid: int, timeouts: int, failures: int):
    """node.failure with capped counts: ``failures`` is the exact total (-1: past the limit)."""
    if failures != -1 and node.max_failures is not None and failures + 1 == node.max_failures:
        return node.on_exhausted, True
    actions, used = (node.on_invalid, invalid) if kind == "invalid" else \
        (node.on_timeout, timeouts)
    return actions[min(used, len(actions) - 1)], False


def _counted(node: Node, kind: str, invalid: int, timeouts: int) -> tuple[int, int]:
    """The kinds' counts after one more failure of ``kind``, capped at their lists' last."""
    if kind == "invalid":
        return min(invalid + 1, len(node.on_invalid) - 1), timeouts
    return invalid, min(timeouts + 1, len(node.on_timeout) - 1)


class _Burn:
    """Closed form for a long run of failures that keep the call at one node, up to the one
    that reaches ``max_failures`` (SPEC 9.8: a million failures cost as little as three).

    Configurations are (invalid count, timeout count, whole prompt) with the counts capped; one
    failure moves between them at a cost. The cheapest walk of exactly r failures is a min-plus
    matrix power, found by squaring; the walk itself is rebuilt from the arg-mins.

    Among equally cheap walks the first in keypad order wins (SPEC 9.8: a wrong key before a
    silence, failure by failure). Walks of one length compare as their halves do, so each
    entry of A^(2^k) carries the rank of its walk among the entries of that power (ranked by
    the pair of its halves' ranks), and a walk made of several powers compares block by block.
    """

    _KIND_RANK = {"invalid": 0, "timeout": 1}

    def __init__(self, search: _Search, node: Node) -> None:
        self.search, self.node = search, node
        parts = _Parts(search.G, node)
        self.parts = parts
        self.configs = [(i, t, w) for i in range(len(node.on_invalid))
                        for t in range(len(node.on_timeout)) for w in (True, False)]
        self.index = {c: n for n, c in enumerate(self.configs)}
        self.wrong = node.wrong_key if node.type == "menu" else ""
        self.one = self._one_failure()
        self.powers = [self.one]  # A, A^2, A^4, ... with their arg-mins

    def _kinds(self):
        if self.wrong is not None:
            yield "invalid"
        yield "timeout"

    def _failure_cost(self, kind: str, whole: bool, message) -> tuple:
        parts = self.parts
        spent = parts.forced(whole) if kind == "invalid" else parts.heard(whole) + parts.timeout
        if message is not None and not self.node.barge_in:
            spent += ticks(message.seconds, self.search.scale)
        return (spent, 1 if kind == "invalid" else 0, 1)

    def _one_failure(self) -> list[list]:
        """A[c][d] = (cost, rank, kind) of the cheapest failure from c that stays, to d (a wrong
        key before silence on equal cost)."""
        node, size = self.node, len(self.configs)
        table = [[None] * size for _ in range(size)]
        for c, (invalid, timeouts, whole) in enumerate(self.configs):
            for kind in self._kinds():
                actions, used = (node.on_invalid, invalid) if kind == "invalid" else \
                    (node.on_timeout, timeouts)
                action = actions[min(used, len(actions) - 1)]
                if not (action.kind in ("replay", "reprompt")
                        or (action.kind == "goto" and action.target == node.id)):
                    continue
                after = _counted(node, kind, invalid, timeouts) + (
                    action.kind != "reprompt" or node.type == "input",)
                d = self.index[after]
                entry = (self._failure_cost(kind, whole, action.message), self._KIND_RANK[kind],
                         kind)
                if table[c][d] is None or entry[:2] < table[c][d][:2]:
                    table[c][d] = entry
        return table

    def _power(self, k: int) -> list[list]:
        """A^(2^k): entries (cost, rank, middle configuration)."""
        while len(self.powers) <= k:
            last, size = self.powers[-1], len(self.configs)
            square = [[None] * size for _ in range(size)]
            for a in range(size):
                for m in range(size):
                    first = last[a][m]
                    if first is None:
                        continue
                    for b in range(size):
                        second = last[m][b]
                        if second is None:
                            continue
                        entry = (_add(first[0], second[0]), (first[1], second[1]), m)
                        if square[a][b] is None or entry[:2] < square[a][b][:2]:
                            square[a][b] = entry
            halves = sorted({cell[1] for row in square for cell in row if cell is not None})
            rank = {pair: n for n, pair in enumerate(halves)}
            self.powers.append([[None if cell is None else (cell[0], rank[cell[1]], cell[2])
                                 for cell in row] for row in square])
        return self.powers[k]

    def walk(self, start: int, rounds: int) -> dict[int, tuple]:
        """For each configuration d: (cost, ranks, steps back) of the first cheapest walk of
        exactly ``rounds`` failures from ``start`` to d; ranks: its blocks' ranks in order;
        steps back: [(power, from config)]."""
        vector = {start: ((0, 0, 0), (), ())}
        k = 0
        while rounds:
            if rounds & 1:
                power, following = self._power(k), {}
                for a, (cost, ranks, trail) in vector.items():
                    for b, cell in enumerate(power[a]):
                        if cell is None:
                            continue
                        entry = (_add(cost, cell[0]), ranks + (cell[1],), trail + ((k, a),))
                        if b not in following or entry[:2] < following[b][:2]:
                            following[b] = entry
                vector = following
            rounds >>= 1
            k += 1
        return vector

    def expand(self, k: int, a: int, b: int) -> list[tuple[int, str]]:
        """The failures of the power-2^k walk from a to b: [(configuration, kind)]."""
        out, stack = [], [(k, a, b)]
        while stack:
            level, x, y = stack.pop()
            if level == 0:
                out.append((x, self.one[x][y][2]))
                continue
            middle = self.powers[level][x][y][2]
            stack.append((level - 1, middle, y))
            stack.append((level - 1, x, middle))
        return out

    def step(self, state: tuple, kind: str, cost: tuple, row, chars) -> list[_Step]:
        """The moves "``kind`` now, then failures that stay until the one that reaches
        ``max_failures``": their costs, where `on_exhausted` leads, and (lazily) their rows.

        One move per state the run can end in: where `on_exhausted` keeps the call at the node
        (``{say, then: reprompt}``, the node's own id), the kinds' counts the run leaves behind
        decide what later failures do, so the cheapest run is not enough (SPEC 9.10).
        """
        search, node = self.search, self.node
        _, node_id, invalid, timeouts, whole, failures = state
        action, _ = _action(node, kind, invalid, timeouts, -1)
        if not (action.kind in ("replay", "reprompt")
                or (action.kind == "goto" and action.target == node.id)):
            # this failure leaves the node: an ordinary move
            return [search.after(node, action, cost, row, chars,
                                 _counted(node, kind, invalid, timeouts), failures + 1)]
        message = action.message.seconds if action.message and not node.barge_in \
            else NO_SECONDS
        first = _add(cost, (ticks(message, search.scale), 0, 0))
        start = self.index[_counted(node, kind, invalid, timeouts) + (
            action.kind != "reprompt" or node.type == "input",)]
        rounds = node.max_failures - 1 - (failures + 1)  # failures that stay before the last
        best: dict[Hashable, tuple] = {}  # the state the run ends in -> its first cheapest run
        for d, (walked, ranks, trail) in self.walk(start, rounds).items():
            d_invalid, d_timeouts, d_whole = self.configs[d]
            for last in self._kinds():  # the failure that reaches max_failures
                ending = search.after(node, node.on_exhausted, (0, 0, 0), None, (),
                                      _counted(node, last, d_invalid, d_timeouts), -1)
                if ending is None:
                    continue
                order = (_add(_add(first, walked), self._failure_cost(last, d_whole, None)),
                         ranks, self._KIND_RANK[last])
                if ending.to not in best or order < best[ending.to][0]:
                    best[ending.to] = (order, d, trail, last, ending)
        return [self._run(node_id, kind, row, chars, order[0], d, trail, last, ending)
                for order, d, trail, last, ending in best.values()]

    def _run(self, node_id: str, kind: str, row, chars, total: tuple, d: int, trail, last: str,
             ending: _Step) -> _Step:
        """The move of one run of failures to `on_exhausted`, ending as ``ending`` does."""
        wrong_row = (node_id, self.wrong or None, "invalid")
        silent_row = (node_id, None, "timeout")
        wrong_chars = (KEY_RANK[self.wrong],) if self.wrong else ()

        def kinds_made() -> list[str]:
            made = []
            ends = [a for _, a in trail[1:]] + [d]
            for (k, a), b in zip(trail, ends):
                made += [kind_ for _, kind_ in self.expand(k, a, b)]
            return made + [last]

        def rows():
            made = tuple(wrong_row if kind_ == "invalid" else silent_row for kind_ in kinds_made())
            return (row,) + made + ending.row_tuple()[1:]

        def chars_made():
            made = list(chars)
            for kind_ in kinds_made():
                made += wrong_chars if kind_ == "invalid" else (SILENCE,)
            return tuple(made)

        return _Step(_add(total, ending.cost), ending.to, rows, chars_made,
                     (1, SILENCE if kind == "timeout" else 0))
