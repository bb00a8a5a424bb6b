"""Persona metrics in the audit: for each configured persona, per scenario, the probability of
reaching a person and the expected seconds to one (the exact analysis of markov.py).

Configured personas: ``elderly`` and ``first-time`` (``AUDIT_PERSONAS``). To keep the audit
within its time budget the analysis runs in pure Python (no numpy or scipy import) and only on
chains of at most ``MAX_STATES`` states: a larger one gives null values (and no finding). The
auditor computes them once per menu and scenario; the rule (IVR030) and the reports read them.
"""

from __future__ import annotations

import networkx as nx

from ..model import Menu
from .chain import ChainTooLarge, build_chain
from .markov import ExactResult, exact
from .personas import builtin
from .policy import intended_keys

AUDIT_PERSONAS = ("elderly", "first-time")
MAX_STATES = 2000


def persona_metrics(menu: Menu, G: nx.MultiDiGraph, scenario: str) -> dict[str, ExactResult | None]:
    """Persona name -> its exact result in ``scenario`` (None: the chain is too large)."""
    conditions = menu.scenarios[scenario]
    keys: dict[str, dict] = {}
    results: dict[str, ExactResult | None] = {}
    for name in AUDIT_PERSONAS:
        persona = builtin(name)
        if persona.knowledge not in keys:
            keys[persona.knowledge] = intended_keys(G, conditions, persona.knowledge, "python")
        try:
            chain = build_chain(menu, G, conditions, persona, MAX_STATES, keys[persona.knowledge])
        except ChainTooLarge:
            results[name] = None
            continue
        results[name] = exact(chain, "python")
    return results

