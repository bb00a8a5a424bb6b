"""Persona metrics in the audit: for each configured persona, per scenario, the probability of
reaching a person and the expected seconds to one (the exact analysis of markov.py).

Configured personas: ``elderly`` and ``first-time`` (``AUDIT_PERSONAS``). To keep the audit
within its time budget the analysis runs in pure Python (no numpy or scipy import) and only on
chains of at most ``MAX_STATES`` states: a larger one gives null values (and no finding); so
does a menu with a `max_failures` of ``MAX_STATES`` or more, at once. The
auditor computes them once per menu and scenario; the rule (IVR030) and the reports read them.
"""

from __future__ import annotations

from ..analysis.metrics import MenuMetrics
from .chain import ChainTooLarge, build_chain
from .markov import ExactResult, exact
from .personas import builtin
from .intent import keys_from_costs, order_for

AUDIT_PERSONAS = ("elderly", "first-time")
MAX_STATES = 2000


def persona_metrics(metrics: MenuMetrics, scenario: str) -> dict[str, ExactResult | None]:
    """Persona name -> its exact result in ``scenario`` (None: the chain is too large)."""
    found = metrics.scenarios[scenario]
    results: dict[str, ExactResult | None] = {}
    if any(node.max_failures is not None and node.max_failures >= MAX_STATES
           for node in metrics.menu.nodes.values()):
        # a state per failure of a visit: such a chain is too large, known without building it
        return dict.fromkeys(AUDIT_PERSONAS)
    chains: dict[tuple, object] = {}  # personas that decide alike share one chain
    for name in AUDIT_PERSONAS:
        persona = builtin(name)
        shape = (persona.knowledge, persona.speaks, persona.mistype > 0)
        if shape in chains:
            chain = chains[shape]
            results[name] = None if chain is None else exact(chain.for_persona(persona), "python")
            continue
        costs = found.costs.get(order_for(persona.knowledge).name, {})
        keys = keys_from_costs(metrics.graph, persona.knowledge, costs, found.chosen)
        try:
            chain = build_chain(metrics.menu, metrics.graph, found.conditions, persona,
                                MAX_STATES, keys)
        except ChainTooLarge:
            chain = None
        chains[shape] = chain
        results[name] = None if chain is None else exact(chain, "python")
    return results
