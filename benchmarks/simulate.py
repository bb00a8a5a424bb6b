"""Measure the simulator against its performance goals, in CPU time.

    python benchmarks/simulate.py           (writes its menus to benchmarks/out/)

1. The exact analysis (the persona's key at each node it visits, its Markov chain, the solve)
   of a generated menu of about 100,000 nodes, for the `elderly` persona: at most 50 ms; only
   the states the persona can reach are prepared (analysis.lazy). Loading the menu (YAML,
   model, graph) is not part of it and is reported apart.
2. 1,000,000 Monte Carlo callers (`elderly`) on a generated menu of about 50 nodes: at most 10 s.
3. 10,000 Monte Carlo callers (`elderly`) on a line of 10,000 menus (about 10,800 decisions per
   call): at most 10 s, and no caller "stuck" where the exact analysis says every call ends.
4. For scale: the exact solve of a chain in which the persona can reach every node (a line of
   menus, each one step closer to the person): states, and the solve's time. No budget.

Menus come from benchmarks/generate.py; each timing is the best of a few runs (CPU time of
this process). Prints the times; exits 1 if one is over budget.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

from generate import generate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from ivraudit.analysis.graph import build_graph  # noqa: E402
from ivraudit.format.loader import load_text  # noqa: E402
from ivraudit.simulate.chain import build_chain  # noqa: E402
from ivraudit.simulate.markov import exact, solve as solve_chain  # noqa: E402
from ivraudit.simulate.montecarlo import run  # noqa: E402
from ivraudit.simulate.personas import builtin  # noqa: E402
from ivraudit.simulate.intent import intended_keys  # noqa: E402

OUT = Path(__file__).parent / "out"


def load(text: str):
    gc.disable()  # as the auditor does: loading makes millions of objects and no cycles
    try:
        menu = load_text(text, "generated.yaml")
        return menu, build_graph(menu)
    finally:
        gc.enable()


def solve(menu, G, persona):
    G.graph.pop("_simulate_edge_table", None)  # nothing cached between runs
    keys = intended_keys(G, frozenset(), persona.knowledge)
    chain = build_chain(menu, G, frozenset(), persona, keys=keys)
    return chain, exact(chain)


def best(runs: int, job) -> tuple[float, object]:
    fastest, result = float("inf"), None
    for _ in range(runs):
        started = time.process_time()
        result = job()
        fastest = min(fastest, time.process_time() - started)
    return fastest, result


def line_of_menus(count: int) -> str:
    """A line of menus: key 1 goes on, key 2 (and three failures) back one menu; a person at
    the end."""
    lines = ["ivr: A line of menus", "format: 1", "entry: m0", "nodes:"]
    for i in range(count):
        after = f"m{i + 1}" if i + 1 < count else "agent"
        lines += [f"  m{i}:", "    type: menu", "    timeout: 15",
                  f"    on_exhausted: m{max(i - 1, 0)}",
                  "    options:",
                  f"      - {{key: 1, say: Onwards press one, goto: {after}}}",
                  f"      - {{key: 2, say: Back press two, goto: m{max(i - 1, 0)}}}"]
    lines.append("  agent: {type: human}")
    return "\n".join(lines) + "\n"


def exact_on_a_large_menu(elderly) -> bool:
    big = OUT / "simulate-100k-nodes.yaml"
    big.write_text(generate(51_500), encoding="utf-8")
    started = time.process_time()
    menu, G = load(big.read_text(encoding="utf-8"))
    print(f"{big.name}: {len(menu.nodes):,} nodes, {big.stat().st_size / 1e6:.1f} MB, loaded in "
          f"{time.process_time() - started:.1f} s (not timed below)")
    seconds, (chain, result) = best(3, lambda: solve(menu, G, elderly))
    ok = seconds <= 0.05
    print(f"exact analysis, elderly, {len(menu.nodes):,}-node menu: {seconds * 1000:.1f} ms "
          f"(limit 50 ms) {'ok' if ok else 'OVER BUDGET'}; {len(chain):,} states reachable, "
          f"reach {result.reach_probability:.4f}, expected {result.expected_seconds_to_human:.1f} s")
    return ok


def monte_carlo_on_a_small_menu(elderly) -> bool:
    small = OUT / "simulate-50-nodes.yaml"
    small.write_text(generate(26), encoding="utf-8")
    menu, G = load(small.read_text(encoding="utf-8"))
    chain = build_chain(menu, G, frozenset(), elderly)
    seconds, sampled = best(2, lambda: run(chain, 1_000_000, seed=1))
    ok = seconds <= 10.0
    print(f"Monte Carlo, elderly, 1,000,000 callers, {len(menu.nodes)}-node menu: {seconds:.2f} s "
          f"(limit 10 s) {'ok' if ok else 'OVER BUDGET'}; reach {sampled.shares['person']:.4f} "
          f"(exact {exact(chain).reach_probability:.4f}), mean {sampled.mean:.1f} s")
    return ok


def monte_carlo_on_a_line(elderly, count: int, callers: int) -> bool:
    menu, G = load(line_of_menus(count))
    chain = build_chain(menu, G, frozenset(), elderly)
    solved = solve_chain(chain, steps=True)
    seconds, sampled = best(1, lambda: run(chain, callers, seed=1, solved=solved))
    stuck = sampled.shares["stuck"]
    ok = seconds <= 10.0 and (stuck == 0 or solved.result.stuck_probability > 0)
    print(f"Monte Carlo, elderly, {callers:,} callers, a line of {count:,} menus "
          f"({solved.steps[chain.start]:,.0f} decisions per call on average): {seconds:.1f} s "
          f"(limit 10 s) {'ok' if ok else 'OVER BUDGET'}; reach {sampled.shares['person']:.4f}, "
          f"stuck {stuck:.4f} (exact {solved.result.stuck_probability:.4f}), mean "
          f"{sampled.mean:,.0f} s (exact {solved.result.expected_seconds_to_human:,.0f} s); "
          f"{sampled.finished_exactly} calls finished from the exact analysis")
    return ok


def exact_on_a_line(elderly, count: int) -> None:
    menu, G = load(line_of_menus(count))
    seconds, (chain, result) = best(1, lambda: solve(menu, G, elderly))
    print(f"exact analysis, elderly, a line of {count:,} menus (every node reachable): "
          f"{seconds:.2f} s, {len(chain):,} states, reach {result.reach_probability:.4f}")


def main() -> int:
    # imported before timing: a one-off cost that a long-running user pays once
    import importlib

    for module in ("numpy", "scipy.sparse.csgraph", "scipy.sparse.linalg"):
        importlib.import_module(module)

    OUT.mkdir(exist_ok=True)
    elderly = builtin("elderly")
    ok = exact_on_a_large_menu(elderly)
    ok &= monte_carlo_on_a_small_menu(elderly)
    ok &= monte_carlo_on_a_line(elderly, 10_000, 10_000)
    for count in (10_000, 50_000):
        exact_on_a_line(elderly, count)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
