"""The diff's words: what each compared metric is called, values as the reports print them, and
a scenario's comparison as rows.

Shared by compare.py (regression messages) and the diff's formats, so every format names a
metric the same way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

# metric (its JSON-report name; nested ones as "persistent.seconds") -> label, in report order
LABELS = {
    "human_reachable": "a person reachable",
    "steps_to_human": "keys to a person",
    "forced_seconds_to_human": "forced seconds to a person",
    "listen_seconds_to_human": "first-time caller's seconds to a person",
    "silent_seconds_to_human": "seconds pressing nothing to a person",
    "silent_end": "pressing nothing ends at",
    "persistent.seconds": "persistent caller's seconds to a person",
    "persistent.steps": "persistent caller's keys",
    "persistent.failures": "persistent caller's failures",
    "spoken.steps": "speaking caller's steps to a person",
    "spoken.forced_seconds": "speaking caller's forced seconds",
    "wait_seconds": "queue wait (s)",
    "depth": "menu depth",
}
SECONDS = {"forced_seconds_to_human", "listen_seconds_to_human", "silent_seconds_to_human",
           "persistent.seconds", "spoken.forced_seconds", "penalty_seconds"}
# seconds metric -> its key in the audit's estimated seconds (analysis.estimated): a value that
# rests on a duration estimated from the text is printed with "≈", as the audit prints it
ESTIMATES = {"forced_seconds_to_human": "forced", "listen_seconds_to_human": "listen",
             "silent_seconds_to_human": "silent", "persistent.seconds": "persistent",
             "spoken.forced_seconds": "spoken", "penalty_seconds": "mistype"}
ESTIMATED = "≈"
# the reach of a person in a scenario, best first (compare.reach)
REACH = {2: "reachable", 1: "only by failing", 0: "unreachable"}


def change(before, after):
    """after - before for two numbers (exact on the printed decimals), else None.

    >>> change(8.0, 29.0), change(0.3, 0.1), change(1, 3), change(None, 2), change(True, False)
    (21.0, -0.2, 2, None, None)
    """
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                  for v in (before, after))
    if not numbers:
        return None
    if isinstance(before, int) and isinstance(after, int):
        return after - before
    return float(Decimal(str(after)) - Decimal(str(before)))


def value_text(metric: str, value, estimated: bool = False) -> str:
    """A metric's value for people: seconds with one decimal and a unit, 'none' for null;
    ``estimated``: seconds that rest on durations estimated from the text get a '≈' (not 0).

    >>> value_text("forced_seconds_to_human", 12.0), value_text("depth", None)
    ('12.0 s', 'none')
    >>> value_text("forced_seconds_to_human", 12.0, estimated=True)
    '≈12.0 s'
    >>> value_text("human_reachable", False)
    'no'
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if metric in SECONDS:
        return (ESTIMATED if estimated and value else "") + f"{value:.1f} s"
    return str(value)


def change_text(metric: str, change, estimated: bool = False) -> str:
    """A change with its sign ('+2', '-1.5 s', '≈+1.5 s' when either side is estimated);
    '' when there is none to show.

    >>> change_text("steps_to_human", 2), change_text("penalty_seconds", -1.5)
    ('+2', '-1.5 s')
    """
    if change is None:
        return ""
    mark = ESTIMATED if estimated and change and metric in SECONDS else ""
    return mark + ("+" if change >= 0 else "-") + value_text(metric, abs(change))


def is_estimated(metric: str, estimated) -> bool:
    """Whether ``metric`` rests on an estimated duration, given a side's ``estimated`` list
    (the JSON report's scenario ``estimated``; None: nothing is)."""
    return ESTIMATES.get(metric) in (estimated or ())


# metric -> the regression that judges it (compare.py)
JUDGED_BY = {"human_reachable": "reach", "steps_to_human": "steps",
             "forced_seconds_to_human": "forced_seconds",
             "listen_seconds_to_human": "listen_seconds",
             "silent_seconds_to_human": "silent_seconds", "depth": "depth"}


class Row(NamedTuple):
    """One line of a scenario's comparison, in words."""

    label: str
    before: str
    after: str
    change: str
    regressed: bool


def mistype_text(row: dict | None, estimated: bool = False) -> str:
    """One mistype row: 'key 0: restart, +12.0 s, +0 keys' (``estimated``: '≈+12.0 s')."""
    if row is None:
        return "not on the way"
    if row["penalty_seconds"] is None:
        return f"key {row['key']}: {row['outcome']}, no person any more"
    seconds = change_text("penalty_seconds", row["penalty_seconds"], estimated)
    return f"key {row['key']}: {row['outcome']}, {seconds}, +{row['penalty_steps']} keys"


def one_key_text(found: dict | None) -> str:
    """Keys per menu: 'main 0; billing 9 (hidden)'."""
    if not found:
        return "none"
    return "; ".join(f"{menu} " + ", ".join(k["key"] + ("" if k["announced"] else " (hidden)")
                                            for k in keys) for menu, keys in found.items())


def scenario_rows(metrics: dict, regressions, estimated: dict | None = None) -> list[Row]:
    """Every metric of a scenario's comparison (compare.scenario_diff), nested ones flattened,
    then the mistype rows and one_key_human that changed; ``regressions``: this scenario's;
    ``estimated``: the scenario diff's {"before": [...], "after": [...]} (values marked ≈)."""
    estimated = estimated or {}
    was, now = estimated.get("before"), estimated.get("after")
    judged = {r.what for r in regressions}
    mistaken = {r.node for r in regressions if r.what.startswith("mistype")}
    rows = []
    for name, value in metrics.items():
        if name in ("mistype", "one_key_human"):
            continue
        parts = value.items() if "before" not in value else [("", value)]
        for part, compared in parts:
            metric = f"{name}.{part}" if part else name
            change = compared["change"]
            before, after = is_estimated(metric, was), is_estimated(metric, now)
            rows.append(Row(LABELS[metric], value_text(metric, compared["before"], before),
                            value_text(metric, compared["after"], after),
                            change_text(metric, change, before or after) if change else "",
                            JUDGED_BY.get(metric) in judged))
    for row in metrics["mistype"]:
        if row["before"] != row["after"]:
            rows.append(Row(f"wrong key at {row['node']}",
                            mistype_text(row["before"], is_estimated("penalty_seconds", was)),
                            mistype_text(row["after"], is_estimated("penalty_seconds", now)),
                            "", row["node"] in mistaken))
    one_key = metrics["one_key_human"]
    if one_key["added"] or one_key["removed"]:
        rows.append(Row("one key to a person", one_key_text(one_key["before"]),
                        one_key_text(one_key["after"]), "", False))
    return rows
