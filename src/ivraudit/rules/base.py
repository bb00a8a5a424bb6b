"""What rules are made of: Rule and Source (identity, documentation), MenuContext (what a rule
reads), Problem (what it reports) and Finding (what the auditor makes of it), with Severity."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

import networkx as nx

from ..analysis.metrics import MenuMetrics, ScenarioMetrics
from ..analysis.settle import settle
from ..format.model import Menu, Node, SourcePos, Waiver


class Severity(str, Enum):
    """How serious a finding is; compares and prints as its name (``"error"``)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def rank(self) -> int:
        """0 for the most serious (error)."""
        return _RANK[self]

    def at_least(self, threshold: str) -> bool:
        """Whether this severity is at or above ``threshold`` (a severity, or ``never``)."""
        return threshold != "never" and self.rank <= Severity(threshold).rank


SEVERITIES = tuple(severity.value for severity in Severity)  # most serious first
_RANK = {severity: rank for rank, severity in enumerate(Severity)}


@dataclass(frozen=True)
class Source:
    """A law, standard or guideline a rule rests on."""

    title: str
    url: str


@dataclass(frozen=True)
class Problem:
    """What a rule reports; the auditor adds the rule's identity, severity and location."""

    message: str
    node: str | None = None
    scenario: str | None = None
    value: object = None  # the measured value
    limit: object = None  # the parameter it broke
    pos: SourcePos | None = None  # where; by default the node's (or the menu's) position


@dataclass(frozen=True)
class Finding:
    """A problem stamped with its rule, severity and source location."""

    rule: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    node: str | None = None
    scenario: str | None = None
    value: object = None
    limit: object = None
    suppressed: bool = False
    reason: str | None = None  # the waiver's reason, when suppressed
    waived_at: SourcePos | None = None  # where that waiver is written (menu or policy file)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.scenario or "",
                self.node or "", self.message)

    def counts_at(self, threshold: str) -> bool:
        """Whether this finding fails a run at ``threshold``: not waived, severe enough."""
        return not self.suppressed and Severity(self.severity).at_least(threshold)


@dataclass(frozen=True)
class Rule:
    """A rule: identity, default severity, parameters with defaults, sources and its check.

    ``doc`` is the rule module's docstring: the rule's documentation, with a passing and a
    failing example menu (tests run both).
    """

    id: str
    name: str
    severity: Severity
    summary: str
    check: Callable[["MenuContext", dict], Iterable[Problem]]
    doc: str
    params: dict[str, object] = field(default_factory=dict)
    param_help: dict[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class MenuContext:
    """What a rule may read: the menu's metrics (with its model and graph), the personas'
    exact results per scenario (computed when first read), and the waivers that apply to this
    menu (its own and the policy's), judged against ``today`` (YYYY-MM-DD)."""

    metrics: MenuMetrics
    waivers: tuple[Waiver, ...] = ()
    today: str = "0000-00-00"
    personas: Mapping[str, dict] = field(default_factory=dict)  # scenario -> persona -> result

    @property
    def menu(self) -> Menu:
        return self.metrics.menu

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.metrics.graph

    @property
    def scenarios(self) -> dict[str, ScenarioMetrics]:
        return self.metrics.scenarios

    def nodes_of_type(self, *types: str) -> list[Node]:
        return [node for node in self.menu.nodes.values() if node.type in types]

    def forced_path_nodes(self, scenario: str) -> list[Node]:
        """The nodes before the person on the forced best path (empty if none)."""
        path = self.scenarios[scenario].paths["forced"] or []
        return [self.menu.nodes[node_id] for node_id, _ in path[:-1]]

    def follow(self, scenario: str, target: str,
               through_inputs: bool = False) -> tuple[list[Node], Node | None]:
        """Follow a call sent to ``target`` in ``scenario`` pressing nothing (analysis.settle).

        Returns the nodes passed and the node the call stops at: the first that takes input
        or ends the call; None for the implicit hangup or a loop.
        """
        key = (scenario, target, through_inputs)
        found = self._followed.get(key)
        if found is None:  # rules follow the same few targets again and again
            settled = settle(self.menu, self.scenarios[scenario].chosen, target,
                             through_inputs=through_inputs)
            nodes = self.menu.nodes
            found = self._followed[key] = ([nodes[n] for n in settled.passed],
                                           nodes.get(settled.stop or ""))
        return list(found[0]), found[1]

    @cached_property
    def _followed(self) -> dict[tuple, tuple[list[Node], Node | None]]:
        return {}

    def stops_at(self, scenario: str, target: str, *types: str) -> bool:
        """Whether a call sent to ``target`` stops, pressing nothing, at a node of ``types``
        (``person``: a human, or a transfer a person answers; SPEC 9.5)."""
        stop = self.follow(scenario, target)[1]
        return stop is not None and (stop.type in types or ("person" in types and stop.is_person))

    def reaches_person(self, scenario: str, target: str) -> bool:
        """Whether a call sent to ``target`` reaches a person with no further key press."""
        return self.stops_at(scenario, target, "person")

    def first_menu(self, scenario: str) -> tuple[list[Node], Node | None]:
        """The nodes a call passes from the entry (inputs typed) and where it first stops."""
        return self.follow(scenario, self.menu.entry, through_inputs=True)

    def first_menus(self, scenario: str) -> list[tuple[str, list[Node], Node | None]]:
        """What rules that judge "the first menu" judge (SPEC 9.7): the first menu, or where it
        is a `role: language` menu, for each of its options, the first menu reached after it.
        Each: (how the caller got there, e.g. "key 2 at 'lang'", nodes passed, where it stops).
        """
        found, seen = [], set()
        pending = [("", *self.first_menu(scenario))]
        while pending:
            how, passed, stop = pending.pop(0)
            if stop is None or stop.type != "menu" or stop.role != "language" or stop.id in seen:
                found.append((how, passed, stop))
                continue
            seen.add(stop.id)
            for option in stop.options:
                choice = f"key {option.key}" if option.key else f"saying '{option.phrase}'"
                more, after = self.follow(scenario, option.goto, through_inputs=True)
                pending.append((f"{how}{choice} at '{stop.id}', ", passed + [stop] + more, after))
        return found

    def reachable(self, scenario: str) -> frozenset[str]:
        """The nodes a call can reach in a scenario, failure edges included (computed once)."""
        return self.scenarios[scenario].reachable

    def reachable_menus(self, scenario: str) -> list[Node]:
        """The menus a call can reach in a scenario, failure edges included, sorted by id."""
        seen = self.reachable(scenario)
        return [self.menu.nodes[n] for n in sorted(seen)
                if n in self.menu.nodes and self.menu.nodes[n].type == "menu"]
