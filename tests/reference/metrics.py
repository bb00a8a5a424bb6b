"""Every metric of SPEC sections 5 and 9 for one menu, as the JSON report names them, with exact
seconds (Fractions; the comparison rounds them as the report prints)."""

from __future__ import annotations

from fractions import Fraction

from . import structure
from .callers import PersistentSearch, failure, silent
from .menu import Menu, read_menu
from .paths import best_forced, best_listen, best_spoken, best_steps, walks


def _forced_from(menu: Menu, start: str | None, conditions):
    """(forced seconds, steps) of the forced best path from ``start``, None when no person."""
    if start is None:
        return None
    found = best_forced(walks(menu, start, conditions))
    return None if found is None else (found.forced, found.steps)


def _steps(node, option) -> int:
    """Key presses at one row of a keypad path."""
    if option is not None:
        return len(option.key)
    return node.digits + node.terminator if node.type == "input" else 0


def mistype(menu: Menu, conditions: frozenset, path) -> list[dict]:
    """SPEC 5 `mistype`, 9.1 (the first wrong key of a visit), 9.2 (the wrong key)."""
    rows = []
    for index, (node_id, option, _) in enumerate(path.rows):
        node = menu.nodes[node_id]
        if node.type != "menu" or node.wrong_key is None:
            continue
        later = path.rows[index + 1:]
        rest = sum((menu.nodes[n].F for n, _, _ in later), Fraction(0))
        rest_steps = len(option.key) + sum(_steps(menu.nodes[n], o) for n, o, _ in later)
        action, exhausted = failure(node, "invalid", 0, 0, 0)
        message = node.forced(action.message or Fraction(0))
        if action.kind == "replay":
            follows = (node.F + rest, rest_steps)
        elif action.kind == "reprompt":
            follows = (node.forced(node.part("options")) + rest, rest_steps)
        elif action.kind == "restart":
            follows = _forced_from(menu, menu.entry, conditions)
        elif action.kind == "goto":
            follows = _forced_from(menu, action.target, conditions)
        else:
            follows = None
        seconds = None if follows is None else max(Fraction(0), message + follows[0] - rest)
        steps = None if follows is None else max(0, follows[1] - rest_steps)
        rows.append({"node": node_id, "key": node.wrong_key,
                     "outcome": "exhausted" if exhausted else action.label,
                     "penalty_seconds": seconds, "penalty_steps": steps,
                     "forces_replay": seconds is None or seconds > 0 or steps > 0})
    return rows


def scenario_metrics(menu: Menu, conditions: frozenset) -> dict:
    found = walks(menu, menu.entry, conditions)
    steps, forced, listen = best_steps(found), best_forced(found), best_listen(found)
    spoken = best_spoken(walks(menu, menu.entry, conditions, speaking=True))
    quiet = silent(menu, conditions)
    search = PersistentSearch(menu, conditions)
    stubborn = search.best()
    return {
        "human_reachable": forced is not None,
        "steps_to_human": None if steps is None else steps.steps,
        "forced_seconds_to_human": None if forced is None else forced.forced,
        "listen_seconds_to_human": None if listen is None else listen.listen,
        "silent_seconds_to_human": quiet.seconds,
        "silent_end": quiet.end,
        "wait_seconds": None if forced is None else menu.nodes[forced.end].wait,
        "depth": structure.depth(menu, conditions),
        "paths": {name: None if w is None else [{"node": n, "key": k} for n, k in w.key_rows()]
                  for name, w in (("steps", steps), ("forced", forced), ("listen", listen))},
        "one_key_human": structure.one_key_human(menu, conditions),
        "mistype": [] if forced is None else mistype(menu, conditions, forced),
        "persistent": None if stubborn is None else {
            "seconds": stubborn.seconds, "steps": stubborn.steps, "failures": stubborn.failures,
            "path": [{"node": n, "key": k, "failure": f} for n, k, f in stubborn.path]},
        "spoken": None if spoken is None else {
            "steps": spoken.steps, "forced_seconds": spoken.forced,
            "path": [{"node": n, "key": k, "speech": s} for n, k, s in spoken.speech_rows()]},
        "unreachable": structure.unreachable(menu),
        "dead_ends": structure.dead_ends(menu),
        "traps": structure.traps(menu),
        # for the comparison: what tells an unbroken tie from a wrong path
        "_search": search,
        "_persistent_ties": 0 if stubborn is None else stubborn.ties,
    }


def reference_metrics(data: dict) -> dict[str, dict]:
    """Scenario name -> metrics, for a menu given as plain data (``yaml.safe_load``)."""
    menu = read_menu(data)
    return {name: scenario_metrics(menu, conditions) for name, conditions in menu.scenarios.items()}
