"""Measure ivraudit against the performance budget of the core issue.

    python benchmarks/run.py            (writes its menus to benchmarks/out/)

1. `ivraudit audit` of a 5,000-menu file (about 2 MB) against PyYAML's CSafeLoader parsing the
   same file: at most 2x.
2. `ivraudit audit` of a 20-node menu against `python -c "import yaml, networkx, click"`: at
   most 1.5x.

Each command runs as a fresh process, several times; the best time counts (the least disturbed
by other work on the machine). Prints the times and ratios; exits 1 if a ratio is over budget.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from generate import generate

OUT = Path(__file__).parent / "out"
IVRAUDIT = [sys.executable, "-m", "ivraudit"]


def best_of(command: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def compare(name: str, ours: list[str], baseline: list[str], limit: float, runs: int) -> bool:
    subprocess.run(ours, check=False, stdout=subprocess.DEVNULL)  # warm caches once
    mine, theirs = best_of(ours, runs), best_of(baseline, runs)
    ratio = mine / theirs
    verdict = "ok" if ratio <= limit else "OVER BUDGET"
    print(f"{name}: ivraudit {mine:.3f} s, baseline {theirs:.3f} s, ratio {ratio:.2f} "
          f"(limit {limit}) {verdict}")
    return ratio <= limit


def main() -> int:
    OUT.mkdir(exist_ok=True)
    big, small = OUT / "big-5000-menus.yaml", OUT / "small-20-nodes.yaml"
    big.write_text(generate(5000), encoding="utf-8")
    small.write_text(generate(10), encoding="utf-8")  # 10 menus, 19 nodes in all
    print(f"{big.name}: {big.stat().st_size / 1e6:.1f} MB")
    parse = f"import yaml; yaml.load(open({str(big)!r}, 'rb'), Loader=yaml.CSafeLoader)"
    ok = compare("5,000-menu file", IVRAUDIT + ["audit", str(big)],
                 [sys.executable, "-c", parse], 2.0, runs=3)
    ok &= compare("20-node menu", IVRAUDIT + ["audit", str(small)],
                  [sys.executable, "-c", "import yaml, networkx, click"], 1.5, runs=10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
