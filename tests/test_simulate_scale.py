"""The simulator at scale: a persona's exact analysis works out only what the persona meets
(analysis.lazy), and the Monte Carlo plans its rounds from the exact analysis, so that a call
that takes more decisions than it simulates is never reported stuck."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import MENUS
from ivraudit.analysis.graph import build_graph
from ivraudit.analysis.lazy import LazyCosts, LazyRouting
from ivraudit.analysis.paths import FORCED, LISTEN, STEPS, chosen_cases, costs_to_human
from ivraudit.format.loader import load_file, load_text
from ivraudit.simulate import intent, montecarlo, personas
from ivraudit.simulate.chain import build_chain
from ivraudit.simulate.markov import exact, solve
from ivraudit.simulate.montecarlo import run

ROOT = Path(__file__).resolve().parent.parent
ORDERS = [FORCED, LISTEN, STEPS] + [intent.order_for(k, True) for k in ("expert", "first-time",
                                                                         "none")]


def _benchmarks():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
        from simulate import line_of_menus
    finally:
        sys.path.pop(0)
    return generate, line_of_menus


def _graphs():
    for path in sorted(MENUS.glob("*.yaml")):
        menu = load_file(path)
        G = build_graph(menu)
        for conditions in menu.scenarios.values():
            yield G, conditions


def test_costs_worked_out_where_asked_are_every_node_s_best_costs():
    for G, conditions in _graphs():
        chosen = chosen_cases(G, conditions)
        for order in ORDERS:
            whole = costs_to_human(G, chosen, order)
            lazy = LazyCosts(G, LazyRouting(G, conditions), order, lambda: {})
            asked = {node: lazy[node] for node in reversed(list(G)) if node in lazy}
            assert asked == whole, order.name
            assert lazy.whole is None  # every answer came from the searches


def test_long_searches_give_way_to_one_search_of_the_whole_menu():
    """Searches share what they learn: asked from its start, a line of 300 menus costs one
    walk along it. Asked from its end, each search would walk back down the line (key 2 goes
    back a menu): past a budget of four steps per node the whole map is computed, once."""
    _, line_of_menus = _benchmarks()
    menu = load_text(line_of_menus(300), "line.yaml")  # the person 300 menus away from m0
    G = build_graph(menu)
    whole = costs_to_human(G, chosen_cases(G, frozenset()), LISTEN)
    for order, computed in ((list(G), False), (list(reversed(list(G))), True)):
        lazy = LazyCosts(G, LazyRouting(G, frozenset()), LISTEN,
                         lambda: costs_to_human(G, chosen_cases(G, frozenset()), LISTEN))
        asked = {node: lazy[node] for node in order if node in lazy}
        assert asked == whole and (lazy.whole is not None) == computed


def test_the_routing_worked_out_where_asked_is_the_scenario_s():
    for G, conditions in _graphs():
        chosen, lazy = chosen_cases(G, conditions), LazyRouting(G, conditions)
        for node in G:
            assert lazy.get(node) == chosen.get(node)
            assert (node in lazy) == (node in chosen)


def test_a_persona_on_a_large_menu_meets_a_small_part_of_it():
    generate, _ = _benchmarks()
    menu = load_text(generate(1500), "generated.yaml")
    G = build_graph(menu)
    elderly = personas.builtin("elderly")
    keys = intent.intended_keys(G, frozenset(), elderly.knowledge)
    chain = build_chain(menu, G, frozenset(), elderly, keys=keys)
    assert keys.done.whole is None and len(keys.done.known) < len(G) / 4
    everything = intent.intended_keys(G, frozenset(), elderly.knowledge, "python")
    same = exact(build_chain(menu, G, frozenset(), elderly, keys=everything))
    assert exact(chain) == same


@pytest.mark.parametrize("name", ["elderly", "first-time", "expert", "impatient"])
def test_calls_longer_than_the_rounds_simulated_end_as_the_exact_analysis_says(monkeypatch,
                                                                               name):
    """A line of 40 menus takes about 44 decisions; with 10 rounds simulated every call is
    finished from the exact analysis of where it is: nobody is stuck, and the shares and the
    mean time stay those of the exact analysis."""
    _, line_of_menus = _benchmarks()
    monkeypatch.setattr(montecarlo, "MIN_STEPS", 10)
    monkeypatch.setattr(montecarlo, "PLANNED", 0)
    menu = load_text(line_of_menus(40), "line.yaml")
    persona = personas.builtin(name)
    chain = build_chain(menu, build_graph(menu), frozenset(), persona)
    solved = solve(chain, steps=True)
    sampled = run(chain, 20_000, seed=3, solved=solved)
    assert sampled.steps == 10 and sampled.finished_exactly > 15_000
    assert sampled.shares["stuck"] == 0.0
    if persona.patience is None:
        assert sampled.shares["person"] == pytest.approx(solved.result.reach_probability,
                                                         abs=0.01)
        assert sampled.mean == pytest.approx(solved.result.expected_seconds_to_human, rel=0.01)
    else:  # patience (60 s) runs out long before the 40th menu
        assert sampled.shares["gave-up"] == pytest.approx(1.0, abs=0.01)


def test_the_rounds_are_planned_from_the_expected_decisions():
    _, line_of_menus = _benchmarks()
    menu = load_text(line_of_menus(40), "line.yaml")
    chain = build_chain(menu, build_graph(menu), frozenset(), personas.builtin("elderly"))
    solved = solve(chain, steps=True)
    assert 40 < solved.steps[chain.start] < 60  # a decision per menu, and some mistakes
    sampled = run(chain, 2_000, seed=1, solved=solved)
    assert sampled.steps == montecarlo.MIN_STEPS and sampled.finished_exactly == 0
    assert sampled.shares["person"] == 1.0


def test_a_real_trap_is_still_stuck_in_both():
    """Stuck is what the exact analysis says it is: calls in states with no way out."""
    menu = load_text("""
ivr: A trap
format: 1
entry: main
nodes:
  main:
    type: menu
    say: For help press 1. For the loop press 2.
    options:
      - {key: 1, say: help, goto: agent}
      - {key: 2, say: loop, goto: loop}
  loop: {type: message, say: Going round., next: loop_menu}
  loop_menu:
    type: menu
    say: Press 1 to go round.
    max_failures: unlimited
    options: [{key: 1, say: round, goto: loop}]
  agent: {type: human}
""", "trap.yaml")
    persona = personas.Persona("mistyper", "first-time", personas.Reaction(1.0, 0.3), 0.3)
    chain = build_chain(menu, build_graph(menu), frozenset(), persona)
    solved = solve(chain, steps=True)
    sampled = run(chain, 50_000, seed=5, solved=solved)
    assert solved.result.stuck_probability > 0.05
    assert sampled.shares["stuck"] == pytest.approx(solved.result.stuck_probability, abs=0.01)


def test_personas_that_decide_alike_share_one_chain():
    """The audit's two personas differ only in reaction and mistype rate: the chain built for
    one serves the other with its own probabilities, exactly as one built for it."""
    slow = personas.Persona("slow", "first-time", personas.Reaction(3.0, 0.7), 0.11)
    speaking = [personas.Persona(name, "first-time", personas.Reaction(1.0, 0.2), mistype,
                                 speaks=True) for name, mistype in (("a", 0.03), ("b", 0.2))]
    for path in sorted(MENUS.glob("*.yaml")):
        menu = load_file(path)
        G = build_graph(menu)
        for conditions in menu.scenarios.values():
            pairs = [(personas.builtin("elderly"), personas.builtin("first-time")),
                     (personas.builtin("first-time"), slow), tuple(speaking)]
            for first, second in pairs:
                chain = build_chain(menu, G, conditions, first)
                alone = build_chain(menu, G, conditions, second)
                assert exact(chain.for_persona(second)) == exact(alone)
    with pytest.raises(ValueError):
        chain.for_persona(personas.builtin("expert"))
