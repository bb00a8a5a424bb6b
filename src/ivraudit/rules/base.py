"""What rules are made of: Rule and Source (identity, documentation), MenuContext (what a rule
reads), Problem (what it reports) and Finding (what the auditor makes of it: one per cause,
listing its Occurrences), with Severity.

A rule's message is a ``Message`` (ivraudit.i18n): a template and its parameters, rendered in
the reader's language by the reporters; ``Finding.message`` keeps its English text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import field, replace
from enum import Enum

import networkx as nx

from ..analysis.metrics import MenuMetrics, ScenarioMetrics
from ..analysis.settle import settle
from ..format.model import Menu, Node, SourcePos, Waiver
from ..i18n import N_, Message, msg
from ..util.cached import cached_property, record


class Severity(str, Enum):
    """How serious a finding is; compares and prints as its name (``"error"``)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


SEVERITIES = tuple(severity.value for severity in Severity)  # most serious first
# a Severity or its name ("error" is Severity.ERROR's key too: a str enum hashes as its value),
# without Severity(name), which costs more than the lookup (reports rank every finding)
_RANK = {severity: rank for rank, severity in enumerate(Severity)}


def severity_rank(severity: str) -> int:
    """0 for the most serious (error), for a Severity or its name; KeyError for another."""
    return _RANK[severity]


def at_least(severity: str, threshold: str) -> bool:
    """Whether ``severity`` (a Severity or its name) is at or above ``threshold`` (one, or
    ``never``)."""
    return threshold != "never" and _RANK[severity] <= _RANK[threshold]


@record
class Source:
    """A law, standard or guideline a rule rests on (``title`` marked for translation)."""

    title: str
    url: str


@record
class Problem:
    """What a rule reports; the auditor adds the rule's identity, severity and location.

    ``scenario`` None: the problem does not depend on the scenario (a property of the file);
    the auditor then records it in every scenario, as rules that judge each scenario do.
    """

    message: Message | str
    node: str | None = None
    scenario: str | None = None
    value: object = None  # the measured value
    limit: object = None  # the parameter it broke
    pos: SourcePos | None = None  # where; by default the node's (or the menu's) position
    cause: str | None = None  # two problems of a rule at one place are two causes when it differs


@record
class Occurrence:
    """One node and scenario a finding concerns, with what the rule said there."""

    node: str | None
    scenario: str | None
    message: str  # in English
    text: Message | None = None  # the message, for any language
    value: object = None
    limit: object = None


@record
class Finding:
    """One cause: a rule's problems at one source location, stamped with the rule's identity,
    severity and that location. ``occurrences``: every node and scenario it concerns (the
    auditor groups them); ``node`` and ``scenario`` are theirs when all share one, else None;
    ``message``, ``text``, ``value`` and ``limit`` are the first occurrence's."""

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
    occurrences: tuple[Occurrence, ...] = ()
    text: Message | None = None  # the message, for any language
    cause: str | None = None  # see Problem.cause

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.scenario or "",
                self.node or "", self.message)

    def counts_at(self, threshold: str) -> bool:
        """Whether this finding fails a run at ``threshold``: not waived, severe enough."""
        return not self.suppressed and at_least(self.severity, threshold)

    @property
    def where(self) -> tuple[Occurrence, ...]:
        """The occurrences (one, made from the finding itself, when none are listed)."""
        return self.occurrences or (Occurrence(self.node, self.scenario, self.message,
                                               self.text, self.value, self.limit),)

    @property
    def count(self) -> int:
        """How many occurrences ``where`` gives, without making the one a lone finding is."""
        return len(self.occurrences) or 1

    @property
    def nodes(self) -> list[str]:
        """The nodes it concerns, each once, in the order of the occurrences."""
        return list(dict.fromkeys(o.node for o in self.where if o.node is not None))

    @property
    def scenarios(self) -> list[str]:
        """The scenarios it concerns, each once, in the order of the occurrences."""
        return list(dict.fromkeys(o.scenario for o in self.where if o.scenario is not None))

    def concerns(self, scenario: str) -> bool:
        """Whether it holds in ``scenario`` (an occurrence without one holds in every one)."""
        return any(o.scenario in (None, scenario) for o in self.where)


_NODE_NAMES = {"menu": N_("menu '{node}'"), "input": N_("input '{node}'"),
               "message": N_("message '{node}'")}


def node_name(node: Node) -> Message:
    """How a message names a node: "menu 'main'", "input 'account'", else "'id'"."""
    return msg(_NODE_NAMES.get(node.type, N_("'{node}'")), node=node.id)


def with_occurrences(finding: Finding, occurrences) -> Finding:
    """``finding`` made of exactly ``occurrences`` (some of its own, in their order): node,
    scenario, message, value and limit follow them."""
    occurrences = tuple(occurrences)
    first = occurrences[0]
    nodes = {o.node for o in occurrences}
    scenarios = {o.scenario for o in occurrences}
    return replace(finding, occurrences=occurrences,
                   node=first.node if len(nodes) == 1 else None,
                   scenario=first.scenario if len(scenarios) == 1 else None,
                   message=first.message, text=first.text, value=first.value,
                   limit=first.limit)


@record
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


@record
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

    def nodes_of_type(self, *types: str) -> tuple[Node, ...]:
        """The nodes of these types, in the file's order (worked out once per set of types:
        most rules ask for the menus, or the menus and inputs)."""
        found = self._nodes_of_types.get(types)
        if found is None:
            found = self._nodes_of_types[types] = tuple(
                node for node in self.menu.nodes.values() if node.type in types)
        return found

    @cached_property
    def _nodes_of_types(self) -> dict[tuple[str, ...], tuple[Node, ...]]:
        return {}

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

    def first_menus(self, scenario: str) -> list[tuple[tuple, list[Node], Node | None]]:
        """What rules that judge "the first menu" judge (SPEC 9.7): the first menu, or where it
        is a `role: language` menu, for each of its options, the first menu reached after it.
        Each: (how the caller got there: the choices made, each a message such as "key 2 at
        'lang'", none for the first menu itself; nodes passed; where it stops).
        """
        found, seen = [], set()
        pending = [((), *self.first_menu(scenario))]
        while pending:
            how, passed, stop = pending.pop(0)
            if stop is None or stop.type != "menu" or stop.role != "language" or stop.id in seen:
                found.append((how, passed, stop))
                continue
            seen.add(stop.id)
            for option in stop.options:
                choice = msg(N_("key {key} at '{menu}'"), key=option.key, menu=stop.id) \
                    if option.key else msg(N_("saying '{phrase}' at '{menu}'"),
                                           phrase=option.phrase, menu=stop.id)
                more, after = self.follow(scenario, option.goto, through_inputs=True)
                pending.append((how + (choice,), passed + [stop] + more, after))
        return found

    def setting_source(self, node: Node, name: str) -> tuple[SourcePos, str]:
        """Where a node's setting comes from, and how: ('node', its line), ('defaults', the
        line in `defaults`), or ('assumed', the menu's first line) for ivraudit's built-in
        default, which nobody stated: findings built on it say so, and share that line."""
        own = node.field_pos.get(name)
        if own is not None:
            return own, "node"
        inherited = node.defaulted.get(name)
        if inherited is not None:
            return inherited, "defaults"
        if name in node.defaulted:
            return self.menu.pos or node.pos, "assumed"
        return node.pos, "node"

    def estimated(self, scenario: str) -> dict[str, bool]:
        """Which of the scenario's seconds rest on estimated durations (analysis.estimated)."""
        return self.metrics.estimated(scenario)

    def reachable(self, scenario: str) -> frozenset[str]:
        """The nodes a call can reach in a scenario, failure edges included (computed once)."""
        return self.scenarios[scenario].reachable

    def scenarios_at(self, node_id: str) -> list[str]:
        """The scenarios a finding about ``node_id``'s own settings concerns: those in which a
        call can reach the node (a night menu's settings are no daytime caller's problem); every
        scenario when no call reaches it, as for the file's structure (SPEC 5)."""
        found = [name for name in self.scenarios if node_id in self.reachable(name)]
        return found or list(self.scenarios)

    def reachable_menus(self, scenario: str) -> list[Node]:
        """The menus a call can reach in a scenario, failure edges included, sorted by id."""
        seen = self.reachable(scenario)
        return [self.menu.nodes[n] for n in sorted(seen)
                if n in self.menu.nodes and self.menu.nodes[n].type == "menu"]
