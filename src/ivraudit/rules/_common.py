"""What every rule is made of, and helpers several rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..findings import Problem
from ..metrics import ScenarioMetrics
from ..model import Menu, Node, Waiver


@dataclass(frozen=True)
class Source:
    """A law, standard or guideline a rule rests on."""

    title: str
    url: str


@dataclass(frozen=True)
class Rule:
    """A rule: identity, default severity, parameters with defaults, sources and its check.

    ``doc`` is the rule module's docstring: the rule's documentation, with a passing and a
    failing example menu (tests run both).
    """

    id: str
    name: str
    severity: str
    summary: str
    check: Callable[["MenuContext", dict], Iterable[Problem]]
    doc: str
    params: dict[str, object] = field(default_factory=dict)
    param_help: dict[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class MenuContext:
    """What a rule may read: the model, its graph, the metrics of every scenario, the audited
    personas' exact results, and the waivers that apply to this menu (its own and the
    policy's), judged against ``today``."""

    menu: Menu
    graph: nx.MultiDiGraph
    metrics: dict[str, ScenarioMetrics]
    waivers: tuple[Waiver, ...] = ()
    today: str = "0000-00-00"  # YYYY-MM-DD
    personas: dict = field(default_factory=dict)  # scenario -> persona -> exact result or None
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # per-scenario lookups

    def nodes_of_type(self, *types: str) -> list[Node]:
        return [node for node in self.menu.nodes.values() if node.type in types]

    def forced_path_nodes(self, scenario: str) -> list[Node]:
        """The nodes before the person on the forced best path (empty if none)."""
        path = self.metrics[scenario].paths["forced"] or []
        return [self.menu.nodes[node_id] for node_id, _ in path[:-1]]


def chosen(ctx: MenuContext, scenario: str) -> dict:
    """The branch cases taken in a scenario (computed once per scenario)."""
    from ..paths import chosen_cases

    key = ("chosen", scenario)
    if key not in ctx.cache:
        ctx.cache[key] = chosen_cases(ctx.graph, ctx.menu.scenarios[scenario])
    return ctx.cache[key]


def follow(ctx: MenuContext, scenario: str, target: str) -> tuple[list[Node], Node | None]:
    """Follow a call sent to ``target`` through messages and branches, pressing nothing.

    Returns the messages and branches passed and the node the call stops at: the first that
    takes input (a menu or an input) or ends the call; None for a hangup or a loop.
    """
    from ..graph import HANGUP_NODE, resolve

    menu, cases = ctx.menu, chosen(ctx, scenario)
    passed, seen = [], set()
    here = resolve(menu.entry, target, target)
    while here != HANGUP_NODE and here not in seen:
        node = menu.nodes[here]
        if node.type not in ("message", "branch"):
            return passed, node
        seen.add(here)
        passed.append(node)
        target = node.next if node.type == "message" else node.case_goto(cases[here])
        here = resolve(menu.entry, here, target)
    return passed, None


def stops_at(ctx: MenuContext, scenario: str, target: str, *types: str) -> bool:
    """Whether a call sent to ``target`` ends up, pressing nothing, at a node of ``types``."""
    stop = follow(ctx, scenario, target)[1]
    return stop is not None and stop.type in types


def reachable_menus(ctx: MenuContext, scenario: str) -> list[Node]:
    """The menus a call can reach in a scenario, failure edges included, sorted by id."""
    from ..structure import reachable

    seen = reachable(ctx.graph, ctx.menu.entry, chosen(ctx, scenario))
    return [ctx.menu.nodes[n] for n in sorted(seen)
            if n in ctx.menu.nodes and ctx.menu.nodes[n].type == "menu"]
