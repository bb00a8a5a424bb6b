"""The silent caller (SPEC 5, 9.1) stepped one event at a time, and the persistent caller
(SPEC 9.8) as a plain shortest-path search over fully explicit states.

A state at a menu or input is (node, part, invalid count, timeout count, total count), the part
being ``whole`` (on entry, replay, a failure action naming the node) or ``options`` (reprompt).
Counts are kept exactly; to make the state space finite they are stored capped where larger
values can no longer change what happens: a kind's count at its list's last action, the total at
``max_failures`` (only the failure bringing it to exactly ``max_failures`` exhausts; SPEC 9.10).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .menu import RANK, SILENCE_RANK, Action, Menu, Node


def _capped(node: Node, part: str, invalid: int, timeouts: int, total: int) -> tuple:
    """(part, invalid, timeouts, total) with each count capped where more changes nothing."""
    if node.type not in ("menu", "input"):
        return ("whole", 0, 0, 0)
    limit = node.max_failures
    return (part, min(invalid, len(node.on_invalid) - 1), min(timeouts, len(node.on_timeout) - 1),
            0 if limit is None else min(total, limit))


def failure(node: Node, kind: str, invalid: int, timeouts: int, total: int) -> tuple[Action, bool]:
    """SPEC 9.1: the total first (the failure that brings it to max_failures is exhausted);
    otherwise the kind's k-th action, the last one past the end of its list."""
    if node.max_failures is not None and total + 1 == node.max_failures:
        return node.on_exhausted, True
    actions, count = ((node.on_invalid, invalid) if kind == "invalid"
                      else (node.on_timeout, timeouts))
    return actions[min(count, len(actions) - 1)], False


def after(menu: Menu, node: Node, action: Action, counts: tuple[int, int, int]):
    """Where a failure action leaves the call: (node id, part, (invalid, timeouts, total)) with
    the counts after the failure, or None for a hangup. Counts are kept at the node itself and
    reset elsewhere (restart included, also at the entry)."""
    if action.kind == "replay" or (action.kind == "goto" and action.target == node.id):
        return node.id, "whole", counts
    if action.kind == "reprompt":
        return node.id, "options" if node.type == "menu" else "whole", counts
    if action.kind == "restart":
        return menu.entry, "whole", (0, 0, 0)
    if action.kind == "hangup":
        return None
    return action.target, "whole", (0, 0, 0)


@dataclass
class Silent:
    seconds: Fraction | None
    end: str


def silent(menu: Menu, conditions: frozenset) -> Silent:
    """Press nothing: hear every prompt as played, wait out every timeout, hear every error
    message, follow on_timeout's k-th action or on_exhausted."""
    node_id, part, counts = menu.entry, "whole", (0, 0, 0)
    seconds = Fraction(0)
    seen = set()
    while True:
        if node_id is None:
            return Silent(None, "hangup")
        node = menu.nodes[node_id]
        state = (node_id,) + _capped(node, part, *counts)
        if state in seen:
            return Silent(None, "loop")
        seen.add(state)
        if menu.is_person(node_id, conditions):
            return Silent(seconds, node_id)
        passed = menu.passes(node_id, conditions)
        if passed is not None:
            node_id, part, counts = menu.resolve(passed), "whole", (0, 0, 0)
        elif node.type == "message":
            seconds += node.whole
            node_id, part, counts = menu.resolve(node.next), "whole", (0, 0, 0)
        elif node.type in ("menu", "input"):
            seconds += node.part(part) + node.timeout
            action, _ = failure(node, "timeout", *counts)
            seconds += action.message or 0
            invalid, timeouts, total = counts
            moved = after(menu, node, action, (invalid, timeouts + 1, total + 1))
            if moved is None:
                return Silent(None, "hangup")
            node_id, part, counts = moved
        elif node.type in ("callback", "transfer"):
            return Silent(None, node_id)
        else:  # a hangup node
            return Silent(None, "hangup")


@dataclass
class Persistent:
    seconds: Fraction
    steps: int
    failures: int
    path: list[tuple[str, str | None, str | None]]
    ties: int  # states on the chosen path where two different moves tie on everything


class PersistentSearch:
    """The persistent caller's explicit state graph in one scenario, and distances to a person.

    A move costs (seconds, steps, failures) and presses symbols for the tie-break: a list of
    (characters as keypad ranks, key length); silence is one symbol after '#', a wrong entry at
    an input presses none (docs/format.md 7.9).
    """

    def __init__(self, menu: Menu, conditions: frozenset):
        self.menu, self.conditions = menu, conditions
        self.start = self._enter(menu.entry)
        self.graph: dict[tuple, list | None] = {}
        todo = [self.start]
        while todo:
            state = todo.pop()
            if state in self.graph:
                continue
            if menu.is_person(state[0], conditions):
                self.graph[state] = None  # a person: the goal
                continue
            self.graph[state] = list(self._moves(state))
            todo += [nxt for *_, nxt in self.graph[state] if nxt is not None]
        # Bellman-Ford towards the goals until nothing changes (no cost is negative)
        self.dist = {s: (0, 0, 0) for s, out in self.graph.items() if out is None}
        changed = True
        while changed:
            changed = False
            for state, out in self.graph.items():
                for cost, _, _, nxt in out or ():
                    if nxt in self.dist:
                        d = _add(cost, self.dist[nxt])
                        if state not in self.dist or d < self.dist[state]:
                            self.dist[state], changed = d, True

    def _enter(self, node_id: str | None, part: str = "whole", counts=(0, 0, 0)):
        """The state entered: a node id with the part played and the counts kept."""
        if node_id is None:
            return None
        return (node_id,) + _capped(self.menu.nodes[node_id], part, *counts)

    def _moves(self, state):
        menu, conditions = self.menu, self.conditions
        node_id, part, invalid, timeouts, total = state
        node = menu.nodes[node_id]
        passed = menu.passes(node_id, conditions)
        if passed is not None:
            yield (0, 0, 0), (node_id, None, None), (), self._enter(menu.resolve(passed))
            return
        if node.type == "message":
            yield (node.F, 0, 0), (node_id, None, None), (), self._enter(menu.resolve(node.next))
            return
        if node.type not in ("menu", "input"):
            return  # callback, transfer, hangup: the call ends without a person
        paid = node.forced(node.part(part))
        if node.type == "menu":
            for option in node.keyed:
                target = menu.resolve(option.goto)
                # an option naming its own menu keeps the counts (docs/format.md 7.9)
                nxt = self._enter(target, "whole",
                                  (invalid, timeouts, total) if target == node_id else (0, 0, 0))
                yield ((paid, len(option.key), 0), (node_id, option.key, None),
                       ((tuple(RANK[c] for c in option.key), len(option.key)),), nxt)
        else:
            yield ((paid, node.digits + node.terminator, 0), (node_id, None, None), (),
                   self._enter(menu.resolve(node.next)))
        wrong = node.wrong_key if node.type == "menu" else None
        for kind in ("invalid", "timeout"):
            if kind == "invalid" and node.type == "menu" and wrong is None:
                continue  # all twelve characters begin some key
            action, _ = failure(node, kind, invalid, timeouts, total)
            message = action.message or Fraction(0)
            counts = (invalid + (kind == "invalid"), timeouts + (kind == "timeout"), total + 1)
            moved = after(menu, node, action, counts)
            nxt = None if moved is None else self._enter(*moved)
            if kind == "invalid":
                yield ((paid + node.forced(message), 1, 1), (node_id, wrong, "invalid"),
                       (((RANK[wrong],), 1),) if wrong else (), nxt)
            else:
                yield ((node.part(part) + node.timeout + node.forced(message), 0, 1),
                       (node_id, None, "timeout"), (((SILENCE_RANK,), 1),), nxt)

    def tight(self, state):
        """The moves from ``state`` on some cheapest way to a person."""
        for move in self.graph[state] or ():
            nxt = move[3]
            if nxt in self.dist and _add(move[0], self.dist[nxt]) == self.dist[state]:
                yield move

    def best(self) -> Persistent | None:
        if self.start not in self.dist:
            return None
        # the tight moves form a DAG: a cycle of moves costing nothing would be messages and
        # branches alone, which no call leaves, so no state on it reaches a person
        memo = {}

        def first(state):
            """(symbols, lengths, rows, ties) of the first cheapest way from ``state``."""
            if state not in memo:
                if self.graph[state] is None:
                    memo[state] = ((), (), [(state[0], None, None)], 0)
                else:
                    ways = []
                    for cost, row, symbols, nxt in self.tight(state):
                        chars, lengths, rows, ties = first(nxt)
                        ways.append((tuple(c for s, _ in symbols for c in s) + chars,
                                     tuple(n for _, n in symbols) + lengths, [row] + rows, ties))
                    ways.sort(key=lambda w: (w[0], w[1]))
                    tie = len(ways) > 1 and (ways[0][0], ways[0][1]) == (ways[1][0], ways[1][1])
                    chars, lengths, rows, ties = ways[0]
                    memo[state] = (chars, lengths, rows, ties + tie)
            return memo[state]

        seconds, steps, failures = self.dist[self.start]
        _, _, rows, ties = first(self.start)
        return Persistent(seconds, steps, failures, rows, ties)

    def follow(self, rows) -> tuple | None:
        """A reported path followed through the states: (seconds, steps, failures, symbols,
        lengths), or None when this caller cannot take it."""
        state, total, chars, lengths = self.start, (0, 0, 0), (), ()
        for index, row in enumerate(rows):
            out = self.graph.get(state)
            if out is None:
                return None if index != len(rows) - 1 or row != (state[0], None, None) else \
                    total + (chars, lengths)
            match = [m for m in out if m[1] == row]
            if len(match) != 1:
                return None
            cost, _, symbols, state = match[0]
            total = _add(total, cost)
            chars += tuple(c for s, _ in symbols for c in s)
            lengths += tuple(n for _, n in symbols)
            if state is None:
                return None
        return None


def _add(a, b):
    return tuple(x + y for x, y in zip(a, b))
