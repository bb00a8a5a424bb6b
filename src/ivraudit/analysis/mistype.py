"""What one wrong key costs at each menu on the way to a person (SPEC section 5, `mistype`)."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx

from ..format.model import Node
from ..util.cached import record
from .graph import seconds
from .paths import Cost, PathStep


@record
class Mistype:
    """One wrong key at a menu: what happens and what it costs over the best route."""

    node: str
    key: str
    outcome: str  # replay, reprompt, restart, hangup, goto:<id> or exhausted
    penalty_seconds: Fraction | None  # None: a person can no longer be reached
    penalty_steps: int | None

    @property
    def forces_replay(self) -> bool:
        return self.penalty_seconds is None or self.penalty_seconds > 0 or self.penalty_steps > 0


def mistypes(G: nx.MultiDiGraph, forced_path: list[PathStep] | None,
             forced_ticks: dict[str, Cost]) -> list[Mistype]:
    """One row per menu on the forced best path, in path order, with a key that begins no
    option's key (SPEC 9.2; hidden options count, spoken ones do not).

    ``forced_ticks``: each node's best (forced ticks, steps) to a person.
    """
    if not forced_path:
        return []
    # only the few nodes a mistype can lead to need their cost in exact seconds
    forced = _Seconds(G, forced_ticks)
    rows = []
    for node_id, _ in forced_path:
        node = G.nodes[node_id]["node"]
        key = node.wrong_key if node.type == "menu" else None
        if key is not None:
            rows.append(_mistype(G, node, key, forced))
    return rows


def _mistype(G: nx.MultiDiGraph, node: Node, key: str, forced: dict[str, Cost]) -> Mistype:
    action, exhausted = node.failure("invalid", 0, 0)  # the first wrong key of a visit (9.1)
    outcome = "exhausted" if exhausted else action.label
    here = forced[node.id]
    rest = here[0] - node.forced_seconds  # forced seconds after the key at this menu
    rest_steps = here[1]  # this menu's key and those after it
    message = action.message.seconds if action.message and not node.barge_in else 0
    follows = _what_follows(G, node, action, rest, rest_steps, forced)
    if follows is None:
        return Mistype(node.id, key, outcome, None, None)
    follow_seconds, follow_steps = follows
    return Mistype(node.id, key, outcome, max(Fraction(0), message + follow_seconds - rest),
                   max(0, follow_steps - rest_steps))


def _what_follows(G, node: Node, action, rest, rest_steps, forced) -> Cost | None:
    """(forced seconds, key presses) to a person from where the mistype leads."""
    if action.kind == "replay":
        return (node.forced_seconds + rest, rest_steps)
    if action.kind == "reprompt":
        intro = Fraction(0) if node.barge_in else node.intro_seconds
        return (node.forced_seconds - intro + rest, rest_steps)
    if action.kind == "restart":
        return forced.get(G.graph["entry"])
    if action.kind == "goto":
        return forced.get(action.target)
    return None  # hangup


class _Seconds:
    """A read-only view of (ticks, steps) costs as (exact seconds, steps)."""

    def __init__(self, G: nx.MultiDiGraph, costs: dict[str, Cost]) -> None:
        self.G, self.costs = G, costs

    def __getitem__(self, node_id: str) -> Cost:
        ticks, steps = self.costs[node_id]
        return (seconds(self.G, ticks), steps)

    def get(self, node_id: str) -> Cost | None:
        return self[node_id] if node_id in self.costs else None
