"""All metrics of one menu, per scenario (SPEC section 5), from its graph."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import networkx as nx

from . import structure
from .graph import seconds
from .mistype import Mistype, mistypes
from .model import Menu
from .paths import FORCED, LISTEN, STEPS, PathStep, best_path, chosen_cases, costs_to_human
from .silent import SilentCall, silent_call


@dataclass(frozen=True)
class Structure:
    """Properties of the file, the same in every scenario."""

    unreachable: list[str]
    dead_ends: list[str]
    traps: list[list[str]]


@dataclass(frozen=True)
class ScenarioMetrics:
    """Every metric of one scenario; seconds are exact, rounding happens when printed."""

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
    structure: Structure


def structure_of(G: nx.MultiDiGraph) -> Structure:
    """The scenario-independent metrics."""
    return Structure(structure.unreachable(G, G.graph["entry"]), structure.dead_ends(G),
                     structure.traps(G))


def scenario_metrics(G: nx.MultiDiGraph, conditions: frozenset[str],
                     shape: Structure) -> ScenarioMetrics:
    """Compute every metric for the scenario in which ``conditions`` hold."""
    entry = G.graph["entry"]
    chosen = chosen_cases(G, conditions)
    paths, best = {}, {}
    for order in (STEPS, FORCED, LISTEN):
        costs = costs_to_human(G, chosen, order)
        best[order.name] = costs
        paths[order.name] = best_path(G, entry, chosen, order, costs)
    reachable = paths["steps"] is not None
    forced_path = paths["forced"]
    human = G.nodes[forced_path[-1][0]]["node"] if forced_path else None
    return ScenarioMetrics(
        human_reachable=reachable,
        steps_to_human=best["steps"][entry][0] if reachable else None,
        forced_seconds_to_human=seconds(G, best["forced"][entry][0]) if reachable else None,
        listen_seconds_to_human=seconds(G, best["listen"][entry][0]) if paths["listen"] else None,
        silent=silent_call(G, chosen),
        wait_seconds=human.wait if human else None,
        depth=structure.depth(G, entry, chosen),
        paths=paths,
        one_key_human=structure.one_key_human(G, entry, chosen),
        mistype=mistypes(G, forced_path, best["forced"]),
        structure=shape,
    )


def menu_metrics(menu: Menu, G: nx.MultiDiGraph) -> dict[str, ScenarioMetrics]:
    """Metrics for every scenario of ``menu``, in the file's order."""
    shape = structure_of(G)
    return {name: scenario_metrics(G, conditions, shape)
            for name, conditions in menu.scenarios.items()}
