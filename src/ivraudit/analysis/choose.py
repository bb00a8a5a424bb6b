"""The tie-break between equally good paths (SPEC 5 and 9.10), for every path search.

A search first finds each state's best cost; the moves that keep a path optimal ("tight" moves)
then form an acyclic graph: every cycle of moves costs something (a key press, a failure), and
the moves that cost nothing (messages, branches, overflows) leave their node one way only. Among
the tight paths, the one to report is the least in this order:

1. the characters pressed along the whole path, in one row, compared one by one in keypad
   order; a row that is a prefix of another comes first (as in a dictionary);
2. then the moves' tokens, one by one where the paths split (for keys: the shorter key first,
   then the option's place in its menu's list).

Each move carries its ``chars`` (keypad ranks, silence after ``#``) and its ``token``. The order
is kept by appending, so the best path from a state is its best first move followed by the best
path from where that move leads: each state's choice is made once (memoised), usually from the
first character alone. Only where two tight moves begin with the same character (keys of several
digits, or moves that press nothing) are the rows after them compared, walking the choices
already made, and a state whose choice is not yet made is settled first (an explicit stack, no
recursion). The cost is linear in the states on the path, except for those comparisons.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import NamedTuple


class Move(NamedTuple):
    """One tight move: what it presses (``chars``), its tie-break ``token``, where it leads
    (``to``) and the path row it adds (``row``)."""

    chars: tuple[int, ...]
    token: tuple
    to: Hashable
    row: tuple


Moves = Callable[[Hashable], list[Move]]


class Chooser:
    """The least tight path from a state to a goal; ``moves(state)`` lists the tight moves."""

    def __init__(self, moves: Moves, is_goal: Callable[[Hashable], bool],
                 by_tokens: bool = False, limit: int = 10_000_000) -> None:
        """``by_tokens``: no move presses characters (the speaking caller's choices compare
        choice by choice): the first token decides."""
        self.moves, self.is_goal = moves, is_goal
        self.by_tokens = by_tokens
        self.best: dict[Hashable, Move] = {}
        self.limit = limit

    def path(self, source: Hashable, last_row: Callable[[Hashable], tuple]) -> list[tuple]:
        """The rows of the least path from ``source``; ``last_row(goal)`` ends it."""
        rows, here = [], source
        for _ in range(self.limit):
            if self.is_goal(here):
                rows.append(last_row(here))
                return rows
            move = self.choice(here)
            rows.append(move.row)
            here = move.to
        raise RuntimeError("a tight path did not end")  # pragma: no cover

    def choice(self, state: Hashable) -> Move:
        """The best first move from ``state`` (settling the states it depends on first)."""
        found = self.best.get(state)
        if found is not None:
            return found
        stack = [state]
        while stack:
            here = stack[-1]
            if here in self.best:
                stack.pop()
                continue
            candidates = _first_winners(self.moves(here), self.by_tokens)
            if len(candidates) == 1:
                self.best[here] = candidates[0]
                stack.pop()
                continue
            waiting = next((s for s in (self._unsettled(m.to) for m in candidates) if s), None)
            if waiting is not None:
                stack.append(waiting)
                continue
            self.best[here] = min(candidates, key=self._whole_row)
            stack.pop()
        return self.best[state]

    def _unsettled(self, state: Hashable) -> Hashable | None:
        """The first state after ``state`` whose choice is not made yet (None: all are)."""
        for _ in range(self.limit):
            if self.is_goal(state):
                return None
            move = self.best.get(state)
            if move is None:
                return state
            state = move.to
        raise RuntimeError("a tight path did not end")  # pragma: no cover

    def _whole_row(self, move: Move) -> tuple[tuple, tuple]:
        """(every character, every token) along ``move`` and the chosen moves after it."""
        chars, tokens = list(move.chars), [move.token]
        state = move.to
        for _ in range(self.limit):
            if self.is_goal(state):
                return tuple(chars), tuple(tokens)
            step = self.best[state]
            chars += step.chars
            tokens.append(step.token)
            state = step.to
        raise RuntimeError("a tight path did not end")  # pragma: no cover


def _first_winners(moves: list[Move], by_tokens: bool) -> list[Move]:
    """The moves that can still be best after their first character (or, ``by_tokens``, after
    their token): usually one. A move that presses nothing keeps every move in the running."""
    if len(moves) <= 1:
        return moves
    if by_tokens:
        least = min(move.token for move in moves)
        return [move for move in moves if move.token == least]
    if all(move.chars for move in moves):
        least = min(move.chars[0] for move in moves)
        return [move for move in moves if move.chars[0] == least]
    return moves
