"""The speaking caller (SPEC 9.3, `spoken`): the best path of a caller who may also speak.

Choosing an option costs 1 step when it has `speech`, else its key's length; an input costs as
in section 5; seconds are forced seconds. Order: fewer steps, then fewer forced seconds, then
the choices one by one: a keyed choice before a spoken one, keys character by character (a
prefix first), spoken options in list order. An option with both a key and speech offers both
choices. Like every best path it uses no failure (SPEC 9.10).
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx

from ..format.model import key_ranks
from ..util.cached import record
from .choose import Chooser, Move
from .graph import seconds
from .paths import Order, costs_to_human, edges_to_costed, is_person_here
from .settle import Chosen

SpokenStep = tuple  # (node id, key or None, phrase or None)


@record
class SpokenPath:
    """The speaking caller's best call: key presses and phrases (steps), forced seconds."""

    steps: int
    forced_seconds: Fraction
    path: tuple[SpokenStep, ...]


def option_choices(data: dict, keys: bool = True, hidden: bool = True) -> list[tuple]:
    """(steps, token, key, phrase) of each way to take an option edge: its keyed choice (with
    ``keys``) and its spoken one; none for a hidden option without ``hidden``. Tokens order
    the choices as SPEC 9.3 says: keyed before spoken, keys by characters, spoken by place."""
    if not hidden and data["hidden"]:
        return []
    found = []
    if keys and data["key"] is not None:
        found.append((len(data["key"]), (0, key_ranks(data["key"])), data["key"], None))
    if data["speech"]:
        found.append((1, (1, data["index"]), None, data["speech"][0]))
    return found


def _choices(attrs: dict, data: dict) -> list[tuple[int, tuple, tuple]]:
    """(steps, token, row) of each way to take an edge."""
    node = attrs["node"]
    if data["kind"] != "option":
        return [(node.input_steps if node.type == "input" else 0, (), (node.id, None, None))]
    return [(steps, token, (node.id, key, phrase))
            for steps, token, key, phrase in option_choices(data)]


def spoken_cost(attrs: dict, data: dict) -> tuple:
    """(steps, forced): the cheaper of an edge's choices."""
    return (min(steps for steps, _, _ in _choices(attrs, data)), attrs["forced_ticks"])


SPOKEN = Order("spoken", spoken_cost, (0, 0), keypad=False)


def spoken_path(G: nx.MultiDiGraph, chosen: Chosen) -> SpokenPath | None:
    """The `spoken` metric of one scenario; None when no person can be reached that way."""
    entry = G.graph["entry"]
    done = costs_to_human(G, chosen, SPOKEN)
    if entry not in done:
        return None
    nodes = G.nodes

    def tight(here: str) -> list[Move]:
        attrs, moves = nodes[here], []
        for target, data in edges_to_costed(G, here, chosen, done):
            for steps, token, row in _choices(attrs, data):
                if (steps + done[target][0], attrs["forced_ticks"] + done[target][1]) \
                        == done[here]:
                    moves.append(Move((), token, target, row))
        return moves

    chooser = Chooser(tight, lambda here: is_person_here(nodes[here], here, chosen),
                      by_tokens=True, limit=len(G) * 4 + 4)
    path = chooser.path(entry, lambda person: (person, None, None))
    steps, forced = done[entry]
    return SpokenPath(steps, seconds(G, forced), tuple(path))


def from_keypad_path(G: nx.MultiDiGraph, steps: int, forced_ticks: int,
                     path: list[tuple]) -> SpokenPath:
    """The `spoken` metric of a menu without speech and with one-character keys only: the
    `steps` best path, whose order and tie-break are then the same."""
    return SpokenPath(steps, seconds(G, forced_ticks), tuple((n, k, None) for n, k in path))
