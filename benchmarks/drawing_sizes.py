"""How big the menu drawings come out: width and height of the SVG (pt) and PNG (px) of every
example menu and of generated menus of about 60 and 150 nodes.

    python benchmarks/drawing_sizes.py [--layout auto] [--out benchmarks/out/drawings]

Writes each PNG to the output folder (to look at) and prints a Markdown table. The numbers
before and after the layout work are in docs/drawing.md.
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
import time
from pathlib import Path

from generate import generate

from ivraudit.audit.auditor import audit_file
from ivraudit.render.drawing import dot_bytes, menu_dot

ROOT = Path(__file__).resolve().parent.parent
GENERATED = (60, 150)  # about this many nodes


def generated_menu(nodes: int, folder: Path) -> Path:
    """A generated menu with at least ``nodes`` nodes (the fewest menus that give as many)."""
    import yaml

    menus = 1
    while len(yaml.safe_load(generate(menus))["nodes"]) < nodes:
        menus += 1
    path = folder / f"generated-{nodes}.yaml"
    path.write_text(generate(menus), encoding="utf-8")
    return path


def svg_size(svg: bytes) -> tuple[float, float]:
    found = re.search(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    return float(found.group(1)), float(found.group(2))


def png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "drawings")
    parser.add_argument("--layout", default=None, help="passed to menu_dot when it takes one")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    menus = sorted((ROOT / "menus").glob("*.yaml"))
    menus += [generated_menu(n, args.out) for n in GENERATED]
    print("| menu | nodes | SVG width x height (pt) | PNG width x height (px) | seconds |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for path in menus:
        result = audit_file(str(path))
        started = time.perf_counter()
        options = {"layout": args.layout} if args.layout else {}
        source = menu_dot(result, **options)
        svg, png = dot_bytes(source, "svg"), dot_bytes(source, "png")
        took = time.perf_counter() - started
        (args.out / f"{path.stem}.png").write_bytes(png)
        (args.out / f"{path.stem}.svg").write_bytes(svg)
        (sw, sh), (pw, ph) = svg_size(svg), png_size(png)
        print(f"| {path.stem} | {len(result.menu.nodes)} | {sw:,.0f} x {sh:,.0f} | "
              f"{pw:,} x {ph:,} | {took:.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
