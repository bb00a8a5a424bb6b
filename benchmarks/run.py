"""Measure ivraudit against its performance goals, in CPU time, in paired rounds.

    python benchmarks/run.py                  (writes its menus to benchmarks/out/)
    python benchmarks/run.py --rounds 9 --only folder
    python benchmarks/run.py --memory         (peak memory of audit and report, 100 to 5,000 files)

Each case runs ivraudit and its floor as fresh processes, one right after the other, in every
round (which goes first alternates), and takes the CPU time (user + system) of each process
from the kernel (``os.wait4``): wall time on a machine shared with other work says more about
the others than about us. The ratio of each round is ivraudit's CPU over the floor's; the
median over the rounds counts.

Floors and goals:

1. ``audit`` of a 5,000-menu file (2.5 MB) against libyaml parsing the same file with the cyclic
   GC off (``yaml.load(..., Loader=CSafeLoader)``, the least any YAML tool pays): at most 2.5x.
2. ``audit`` of a 20-node menu against bare imports (``python -c "import yaml, networkx,
   click"``, the libraries no audit can do without): at most 1.2x.
3. ``audit --jobs 1`` of 1,000 small menus in a folder against libyaml parsing every one of
   them, GC off, in one process: at most 4x.
4. The same folder with ``--jobs 2`` against ``--jobs 1``: about half the wall time (here the
   ratio of wall times, median over paired rounds; CPU is shown too).

Children run without PYTHONDONTWRITEBYTECODE (a warm-up run writes the bytecode caches, as an
installed package has them). Prints a table; exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import generate

OUT = Path(__file__).resolve().parent / "out"
PYTHON = sys.executable
IVRAUDIT = [PYTHON, "-m", "ivraudit"]
FLOOR_PARSE = ("import gc, os, sys\ngc.disable()\nimport yaml\n"
               "for path in sys.argv[1:]:\n"
               "    names = sorted(os.listdir(path)) if os.path.isdir(path) else ['']\n"
               "    for name in names:\n"
               "        with open(os.path.join(path, name) if name else path, 'rb') as f:\n"
               "            yaml.load(f, Loader=yaml.CSafeLoader)\n")
BARE_IMPORTS = "import yaml, networkx, click"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(command: list[str]) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak memory in MB) of one run of ``command``; SystemExit
    when it fails (an exit code other than 0, or 1 for ivraudit's findings): a run that stops
    at once would otherwise look very fast."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=child_env())
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in ((0, 1) if command[:3] == IVRAUDIT else (0,)):
        raise SystemExit(f"benchmark: {' '.join(command[:4])} ... exited with {code}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def paired(ours: list[str], floor: list[str], rounds: int) -> dict:
    """Median CPU and wall of each, and the median of the per-round ratios."""
    measure(ours)  # warm-up: bytecode caches, the validator cache, the disk cache
    measure(floor)
    mine, theirs = [], []
    for n in range(rounds):
        pair = (measure(ours), measure(floor)) if n % 2 == 0 else \
            tuple(reversed((measure(floor), measure(ours))))
        mine.append(pair[0])
        theirs.append(pair[1])
    return {
        "cpu": statistics.median(m[0] for m in mine),
        "floor_cpu": statistics.median(t[0] for t in theirs),
        "wall": statistics.median(m[1] for m in mine),
        "floor_wall": statistics.median(t[1] for t in theirs),
        "ratio": statistics.median(m[0] / t[0] for m, t in zip(mine, theirs)),
        "wall_ratio": statistics.median(m[1] / t[1] for m, t in zip(mine, theirs)),
    }


def folder_of_menus(count: int) -> Path:
    """``count`` small generated menus (10 menus, about 20 nodes each), one per file."""
    folder = OUT / f"folder-{count}"
    if not folder.is_dir() or len(list(folder.iterdir())) != count:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for n in range(count):
            (folder / f"menu{n:05d}.yaml").write_text(generate(10, seed=n), encoding="utf-8")
    return folder


def cases() -> dict[str, tuple]:
    """Name -> (ivraudit's command, the floor's, the floor's name, goal, ratio of CPU or wall)."""
    OUT.mkdir(exist_ok=True)
    big, small = OUT / "big-5000-menus.yaml", OUT / "small-20-nodes.yaml"
    big.write_text(generate(5000), encoding="utf-8")
    small.write_text(generate(10), encoding="utf-8")  # 10 menus, 19 nodes in all
    folder = folder_of_menus(1000)
    parse = [PYTHON, "-c", FLOOR_PARSE]
    return {
        "big": (IVRAUDIT + ["audit", str(big)], parse + [str(big)],
                "libyaml parse, GC off", 2.5, "cpu"),
        "small": (IVRAUDIT + ["audit", str(small)], [PYTHON, "-c", BARE_IMPORTS],
                  "bare imports", 1.2, "cpu"),
        "folder": (IVRAUDIT + ["audit", "--jobs", "1", str(folder)], parse + [str(folder)],
                   "libyaml parse, GC off", 4.0, "cpu"),
        "jobs": (IVRAUDIT + ["audit", "--jobs", "2", str(folder)],
                 IVRAUDIT + ["audit", "--jobs", "1", str(folder)], "--jobs 1", 0.6, "wall"),
    }


TITLES = {"big": "5,000-menu file", "small": "20-node menu", "folder": "1,000 files, 1 job",
          "jobs": "1,000 files, 2 jobs"}


def timings(rounds: int, only: list[str]) -> bool:
    ok = True
    print("| case | ivraudit CPU (wall) | floor | floor CPU (wall) | ratio | goal |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for name, (ours, floor, floor_name, goal, by) in cases().items():
        if only and name not in only:
            continue
        found = paired(ours, floor, rounds)
        ratio = found["ratio"] if by == "cpu" else found["wall_ratio"]
        met = ratio <= goal
        ok &= met
        what = "wall" if by == "wall" else "CPU"
        print(f"| {TITLES[name]} | {found['cpu']:.2f} s ({found['wall']:.2f} s) | {floor_name} | "
              f"{found['floor_cpu']:.2f} s ({found['floor_wall']:.2f} s) | {ratio:.2f} {what} | "
              f"{'<=' if by == 'cpu' else 'about'} {goal}{'' if met else ' MISSED'} |")
        sys.stdout.flush()
    return ok


def memory() -> None:
    """Peak memory (MB) of `audit` (text and the one-page HTML) and `report` as the number of
    files grows."""
    print("| files | audit peak MB | audit CPU s | audit --format html peak MB | "
          "report peak MB | report CPU s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for count in (100, 1000, 5000):
        folder = folder_of_menus(count)
        cpu, _, peak = measure(IVRAUDIT + ["audit", "--jobs", "1", str(folder)])
        _, _, h_peak = measure(IVRAUDIT + ["audit", "--jobs", "1", "--format", "html",
                                           str(folder)])
        report = OUT / f"report-{count}"
        r_cpu, _, r_peak = measure(IVRAUDIT + ["report", "--jobs", "1", "-o", str(report),
                                              str(folder)])
        print(f"| {count:,} | {peak:.0f} | {cpu:.1f} | {h_peak:.0f} | {r_peak:.0f} | "
              f"{r_cpu:.1f} |")
        sys.stdout.flush()


def main() -> int:
    missing = [name for name in ("ivraudit", "yaml", "networkx", "click")
               if importlib.util.find_spec(name) is None]
    if missing:  # `python -m ivraudit` would exit 1 at once, as for findings
        raise SystemExit(f"benchmark: {', '.join(missing)} cannot be imported by {PYTHON}; "
                         "run it with the project's environment (./run test sets one up)")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], choices=list(TITLES))
    parser.add_argument("--memory", action="store_true",
                        help="measure peak memory for 100, 1,000 and 5,000 files instead")
    args = parser.parse_args()
    if args.memory:
        memory()
        return 0
    return 0 if timings(args.rounds, args.only) else 1


if __name__ == "__main__":
    sys.exit(main())
