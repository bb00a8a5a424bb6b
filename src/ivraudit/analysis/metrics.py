"""All metrics of one menu (SPEC section 5), computed once: the structure, then each scenario."""

from __future__ import annotations

from dataclasses import field
from fractions import Fraction

import networkx as nx

from ..format.model import Menu
from ..util.cached import record
from . import structure
from .estimated import estimated_seconds
from .graph import build_graph, seconds
from .mistype import Mistype, mistypes
from .paths import FORCED, LISTEN, STEPS, Cost, PathStep, best_path, chosen_cases, costs_to_human
from .persistent import PersistentCall, persistent_call
from .settle import Chosen
from .silent import SilentCall, silent_call
from .spoken import SpokenPath, from_keypad_path, spoken_path


@record
class Structure:
    """Properties of the file, the same in every scenario (sorted node ids)."""

    unreachable: list[str]
    dead_ends: list[str]
    traps: list[list[str]]


@record
class ScenarioMetrics:
    """Every metric of one scenario; seconds are exact, rounding happens when printed.

    ``chosen`` (the scenario's routing: the case each branch takes, the queues that overflow)
    and ``costs`` (per best-path order, each node's best cost to a person in graph ticks) are
    kept for the simulator's personas, which follow the same best paths; ``reachable`` (the
    nodes a call can reach, failure edges included) for the rules. ``persistent`` and
    ``spoken`` (SPEC 9.8, 9.3) are None when no person can be reached that way.
    """

    name: str
    conditions: frozenset[str]
    human_reachable: bool
    steps_to_human: int | None
    forced_seconds_to_human: Fraction | None
    listen_seconds_to_human: Fraction | None
    silent: SilentCall
    wait_seconds: float | int | None
    depth: int
    paths: dict[str, list[PathStep] | None]  # steps, forced, listen
    one_key_human: dict[str, list[dict]]
    mistype: list[Mistype]
    persistent: PersistentCall | None = None
    spoken: SpokenPath | None = None
    chosen: Chosen = field(repr=False, compare=False, default_factory=dict)
    costs: dict[str, dict[str, Cost]] = field(repr=False, compare=False, default_factory=dict)
    reachable: frozenset[str] = field(repr=False, compare=False, default=frozenset())


@record
class MenuMetrics:
    """One menu's graph and metrics: ``structure`` once, ``scenarios`` in the file's order."""

    menu: Menu
    graph: nx.MultiDiGraph
    structure: Structure
    scenarios: dict[str, ScenarioMetrics]
    _estimated: dict = field(default_factory=dict, compare=False, repr=False)

    def first_scenario(self) -> ScenarioMetrics:
        return next(iter(self.scenarios.values()))

    def estimated(self, scenario: str) -> dict[str, bool]:
        """Which of the scenario's seconds rest on durations estimated from the text
        (analysis.estimated), computed when first asked."""
        if scenario not in self._estimated:
            self._estimated[scenario] = estimated_seconds(self.menu, self.scenarios[scenario])
        return self._estimated[scenario]


def structure_of(menu: Menu, G: nx.MultiDiGraph) -> Structure:
    """The scenario-independent metrics."""
    return Structure(structure.unreachable(G, menu.entry), structure.dead_ends(G),
                     structure.traps(G))


def scenario_metrics(menu: Menu, G: nx.MultiDiGraph, name: str,
                     conditions: frozenset[str]) -> ScenarioMetrics:
    """Compute every metric for the scenario ``name``, in which ``conditions`` hold."""
    entry = menu.entry
    chosen = chosen_cases(G, conditions)
    paths, best = {}, {}
    for order in (STEPS, FORCED, LISTEN):
        costs = costs_to_human(G, chosen, order)
        best[order.name] = costs
        paths[order.name] = best_path(G, entry, chosen, order, costs)
    reachable = paths["steps"] is not None
    forced_path = paths["forced"]
    human = menu.nodes[forced_path[-1][0]] if forced_path else None
    if not reachable:
        spoken = spoken_path(G, chosen) if G.graph["speech"] else None
    elif G.graph["speech"] or G.graph["long_keys"]:
        spoken = spoken_path(G, chosen)
    else:
        spoken = from_keypad_path(G, *best["steps"][entry], paths["steps"])
    bound = best["forced"][entry] + (0,) if reachable else None
    levels = structure.levels(G, entry, chosen)
    seen = frozenset(levels)
    return ScenarioMetrics(
        name=name,
        conditions=conditions,
        human_reachable=reachable,
        steps_to_human=best["steps"][entry][0] if reachable else None,
        forced_seconds_to_human=seconds(G, best["forced"][entry][0]) if reachable else None,
        listen_seconds_to_human=seconds(G, best["listen"][entry][0]) if paths["listen"] else None,
        silent=silent_call(menu, chosen),
        wait_seconds=human.wait if human else None,
        depth=structure.depth(G, entry, chosen, levels),
        paths=paths,
        one_key_human=structure.one_key_human(menu, G, chosen, seen),
        mistype=mistypes(G, forced_path, best["forced"]),
        persistent=persistent_call(menu, G, chosen, bound),
        spoken=spoken,
        chosen=chosen,
        costs=best,
        reachable=seen,
    )


def menu_metrics(menu: Menu, G: nx.MultiDiGraph | None = None) -> MenuMetrics:
    """Every metric of ``menu``; its graph is built unless given."""
    G = build_graph(menu) if G is None else G
    return MenuMetrics(menu, G, structure_of(menu, G),
                       {name: scenario_metrics(menu, G, name, conditions)
                        for name, conditions in menu.scenarios.items()})
