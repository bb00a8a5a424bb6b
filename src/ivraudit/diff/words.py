"""The diff's words: what each compared metric is called, and values as the reports print them.

Shared by compare.py (regression messages) and the diff's formats, so every format names a
metric the same way.
"""

from __future__ import annotations

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
# the reach of a person in a scenario, best first (compare.reach)
REACH = {2: "reachable", 1: "only by failing", 0: "unreachable"}


def value_text(metric: str, value) -> str:
    """A metric's value for people: seconds with one decimal and a unit, 'none' for null.

    >>> value_text("forced_seconds_to_human", 12.0), value_text("depth", None)
    ('12.0 s', 'none')
    >>> value_text("human_reachable", False)
    'no'
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if metric in SECONDS:
        return f"{value:.1f} s"
    return str(value)


def change_text(metric: str, change) -> str:
    """A change with its sign ('+2', '-1.5 s'); '' when there is none to show.

    >>> change_text("steps_to_human", 2), change_text("penalty_seconds", -1.5)
    ('+2', '-1.5 s')
    """
    if change is None:
        return ""
    return ("+" if change >= 0 else "-") + value_text(metric, abs(change))
