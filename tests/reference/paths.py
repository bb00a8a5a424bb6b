"""Best paths (SPEC 5, 9.2, 9.3) by enumerating every simple path from a node to a person.

A best path never needs to enter a node twice: the only ways round a cycle are a key press (one
step or more) or messages and branches alone (a cycle no call leaves), and every order below
puts fewer steps before the keys. So the simple paths hold every best path, and the cheapest by
each order is found by comparing them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .menu import RANK, Menu, Option


@dataclass
class Walk:
    """One path: rows (node, option or None) from its start to the person (option None)."""

    rows: list[tuple[str, Option | None, bool]]  # (node, option chosen, spoken choice)
    steps: int
    forced: Fraction
    listen: Fraction | None  # None: a hidden option is used

    def keys(self) -> tuple:
        """The keypad tie-break (SPEC 5, 9.10): every character pressed in one row, then the
        keys' lengths (where the same characters come through different keys, the shorter key
        first at the split)."""
        chars = tuple(RANK[c] for _, o, _ in self.rows if o is not None for c in o.key)
        return chars, tuple(len(o.key) for _, o, _ in self.rows if o is not None)

    def choices(self) -> tuple:
        """The speaking caller's tie-break (SPEC 9.3, 9.10): choice by choice, a keyed choice
        (its characters, a prefix first) before a spoken one (list order)."""
        return tuple((1, (o.index,)) if spoken else (0, tuple(RANK[c] for c in o.key))
                     for _, o, spoken in self.rows if o is not None)

    def key_rows(self) -> list[tuple[str, str | None]]:
        return [(node, None if o is None or spoken else o.key) for node, o, spoken in self.rows]

    def speech_rows(self) -> list[tuple[str, str | None, str | None]]:
        return [(node, None if o is None or spoken else o.key,
                 o.speech[0] if o is not None and spoken else None)
                for node, o, spoken in self.rows]

    @property
    def end(self) -> str:
        return self.rows[-1][0]


def walks(menu: Menu, start: str, conditions: frozenset, speaking: bool = False) -> list[Walk]:
    """Every simple path from ``start`` to a person, over next, branch, overflow and option
    edges as the scenario decides. Keypad callers use keyed options only (hidden ones
    included); a speaking caller also says a phrase (an option with both gives two choices)."""
    found: list[Walk] = []

    def choices(node):
        for option in node.options:
            if option.key is not None:
                yield option, False, len(option.key)
            if speaking and option.speech:
                yield option, True, 1

    def go(node_id, seen, rows, steps, forced, listen):
        if node_id is None or node_id in seen:
            return
        if menu.is_person(node_id, conditions):
            found.append(Walk(rows + [(node_id, None, False)], steps, forced, listen))
            return
        node = menu.nodes[node_id]
        seen = seen | {node_id}
        listen_here = lambda extra: None if listen is None or extra is None else listen + extra
        passed = menu.passes(node_id, conditions)
        if passed is not None:
            go(menu.resolve(passed), seen, rows + [(node_id, None, False)], steps, forced, listen)
        elif node.type == "message":
            go(menu.resolve(node.next), seen, rows + [(node_id, None, False)], steps,
               forced + node.F, listen_here(node.whole))
        elif node.type == "input":
            go(menu.resolve(node.next), seen, rows + [(node_id, None, False)],
               steps + node.digits + node.terminator, forced + node.F, listen_here(node.whole))
        elif node.type == "menu":
            for option, spoken, cost in choices(node):
                heard = None if option.seconds is None else (
                    node.A(option) if node.barge_in else node.whole)
                go(menu.resolve(option.goto), seen, rows + [(node_id, option, spoken)],
                   steps + cost, forced + node.F, listen_here(heard))

    go(start, frozenset(), [], 0, Fraction(0), Fraction(0))
    return found


def best_steps(found):
    return min(found, key=lambda w: (w.steps, w.forced, w.keys()), default=None)


def best_forced(found):
    return min(found, key=lambda w: (w.forced, w.steps, w.keys()), default=None)


def best_listen(found):
    heard = [w for w in found if w.listen is not None]
    return min(heard, key=lambda w: (w.listen, w.steps, w.forced, w.keys()), default=None)


def best_spoken(found):
    return min(found, key=lambda w: (w.steps, w.forced, w.choices()), default=None)
