"""Compare the JSON report's `metrics` of one scenario with the reference's."""

from __future__ import annotations

import math
from fractions import Fraction

SECONDS = ("forced_seconds_to_human", "listen_seconds_to_human", "silent_seconds_to_human")


def tenths(seconds):
    """Half up to 0.1 (SPEC 5), as the report prints."""
    return None if seconds is None else math.floor(Fraction(seconds) * 10 + Fraction(1, 2)) / 10


def differences(product: dict, reference: dict) -> tuple[list[str], list[str]]:
    """(disagreements, ties the SPEC does not break) between the product's metrics object and
    the reference's, metric by metric."""
    wrong, ties = [], []

    def check(name, got, want):
        if got != want:
            wrong.append(f"{name}: product {got!r}, reference {want!r}")

    for name in ("human_reachable", "steps_to_human", "silent_end", "wait_seconds", "depth",
                 "paths", "one_key_human", "unreachable", "dead_ends", "traps"):
        check(name, product[name], reference[name])
    for name in SECONDS:
        check(name, product[name], tenths(reference[name]))
    want = [dict(row, penalty_seconds=tenths(row["penalty_seconds"]))
            for row in reference["mistype"]]
    check("mistype", product["mistype"], want)

    spoken, ref = product["spoken"], reference["spoken"]
    check("spoken", spoken,
          None if ref is None else dict(ref, forced_seconds=tenths(ref["forced_seconds"])))

    got, ref = product["persistent"], reference["persistent"]
    if ref is None or got is None:
        check("persistent", got, ref)
    else:
        check("persistent.seconds", got["seconds"], tenths(ref["seconds"]))
        check("persistent.steps", got["steps"], ref["steps"])
        check("persistent.failures", got["failures"], ref["failures"])
        if got["path"] != ref["path"]:
            search = reference["_search"]
            rows = [(r["node"], r["key"], r["failure"]) for r in got["path"]]
            theirs = search.follow(rows)
            ours = search.follow([(r["node"], r["key"], r["failure"]) for r in ref["path"]])
            if theirs is not None and theirs == ours:
                ties.append(f"persistent.path: a tie the SPEC leaves open: product {got['path']}, "
                            f"reference {ref['path']}")
            else:
                wrong.append(f"persistent.path: product {got['path']} (costs {theirs}), "
                             f"reference {ref['path']} (costs {ours})")
    return wrong, ties
