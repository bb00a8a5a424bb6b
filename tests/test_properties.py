"""Property-based tests: generated menus never crash the loader or the metrics, and invariants hold.

Menus are drawn as plain data, dumped to YAML and loaded like any file. Some draws are invalid on
purpose (a target that is no node); those must end in a MenuError, never in another exception.
"""

from __future__ import annotations

from fractions import Fraction

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivraudit.format.durations import exact
from ivraudit.errors import MenuError
from ivraudit.analysis.graph import build_graph
from ivraudit.analysis.settle import HANGUP_NODE, resolve
from ivraudit.format.loader import load_text
from ivraudit.analysis.metrics import menu_metrics
from ivraudit.format.model import KEYPAD
from ivraudit.analysis.paths import chosen_cases, is_active

SECONDS = st.sampled_from([0, 0.5, 1.2, 2, 3.7, 10])
ACTIONS = st.sampled_from(["replay", "reprompt", "restart", "hangup"])


@st.composite
def menus(draw):
    count = draw(st.integers(1, 8))
    ids = [f"n{i}" for i in range(count)]
    targets = st.sampled_from(ids + ["restart", "hangup"] + (["nowhere"] if draw(st.booleans()) and draw(st.booleans()) else []))
    conditions = ["over_65", "after_hours"]
    nodes = {}
    for node_id in ids:
        kind = draw(st.sampled_from(["message", "menu", "menu", "input", "branch", "human", "callback", "hangup"]))
        node = {"type": kind}
        if kind in ("message", "menu", "input"):
            node["barge_in"] = draw(st.booleans())
            if draw(st.booleans()):
                node["duration"] = draw(SECONDS)
            else:
                node["say"] = draw(st.sampled_from(["Welcome.", "您好，欢迎致电", "Press 1 now", ""]))
        if kind in ("message", "input"):
            node["next"] = draw(targets)
        if kind == "input":
            node["digits"] = draw(st.integers(1, 4))
            if draw(st.booleans()):
                node["terminator"] = "#"
        if kind in ("menu", "input"):
            node["timeout"] = draw(SECONDS)
            node["max_failures"] = draw(st.integers(1, 3))
            node["on_invalid"] = draw(st.one_of(ACTIONS, targets))
            node["on_timeout"] = draw(st.one_of(
                ACTIONS, targets, st.fixed_dictionaries({"duration": SECONDS, "then": ACTIONS})))
            node["on_exhausted"] = draw(st.sampled_from(["restart", "hangup"] + ids))
        if kind == "menu":
            keys = draw(st.lists(st.sampled_from(KEYPAD), min_size=1, max_size=12, unique=True))
            node["options"] = []
            for key in keys:
                option = {"key": key, "goto": draw(targets)}
                if draw(st.integers(0, 3)):  # one option in four is hidden
                    option["duration"] = draw(SECONDS)
                    option["say"] = "option"
                node["options"].append(option)
        if kind == "branch":
            node["cases"] = [{"when": draw(st.lists(st.sampled_from(conditions), min_size=1, max_size=2)),
                              "goto": draw(targets)} for _ in range(draw(st.integers(0, 2)))]
            node["else"] = draw(targets)
        if kind == "human" and draw(st.booleans()):
            node["wait"] = draw(st.integers(0, 300))
        nodes[node_id] = node
    menu = {"ivr": "Generated", "format": 1, "entry": draw(st.sampled_from(ids)), "nodes": nodes}
    if draw(st.booleans()):
        menu["scenarios"] = {"default": [], "elderly": ["over_65"], "night": ["after_hours", "over_65"]}
    return yaml.safe_dump(menu, allow_unicode=True, sort_keys=False)


def step_cost(G, node, data):
    """(key presses, forced seconds, listen seconds or None) of one step along a path."""
    presses = 1 if data["kind"] == "option" else (node.input_steps if node.type == "input" else 0)
    if data["kind"] == "option":
        listen = None if data["hidden"] else (
            data["announced_at"] if node.barge_in else node.prompt_seconds)
    else:
        listen = Fraction(0) if node.type == "branch" else node.prompt_seconds
    return presses, node.forced_seconds, listen


def walk(G, path, chosen):
    """Check that ``path`` is a real path and add up its costs."""
    total_steps, total_forced, total_listen = 0, Fraction(0), Fraction(0)
    assert path[0][0] == G.graph["entry"] and G.nodes[path[-1][0]]["type"] == "human"
    for (here, key), (there, _) in zip(path, path[1:]):
        node = G.nodes[here]["node"]
        edges = [d for d in G.get_edge_data(here, there, default={}).values()
                 if d["kind"] in ("option", "next", "branch") and is_active(d, here, chosen)
                 and (d.get("key") == key)]
        assert edges, f"no edge {here} -{key}-> {there}"
        steps, forced, listen = step_cost(G, node, edges[0])
        total_steps += steps
        total_forced += forced
        total_listen = None if listen is None or total_listen is None else total_listen + listen
    return total_steps, total_forced, total_listen


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus())
def test_generated_menus_never_crash_and_paths_add_up(text):
    try:
        menu = load_text(text, "generated.yaml")
    except MenuError as error:
        assert error.line >= 1 and error.column >= 1 and error.message
        return
    G = build_graph(menu)
    results = menu_metrics(menu, G).scenarios
    hidden = any(o.hidden for n in menu.nodes.values() for o in n.options)
    for name, m in results.items():
        chosen = chosen_cases(G, menu.scenarios[name])
        assert m.human_reachable == (m.paths["forced"] is not None)
        if not m.human_reachable:
            assert m.steps_to_human is None and m.mistype == []
            continue
        fewest_steps, steps_forced, _ = walk(G, m.paths["steps"], chosen)
        steps, forced, _ = walk(G, m.paths["forced"], chosen)
        assert (fewest_steps, forced) == (m.steps_to_human, m.forced_seconds_to_human)
        assert forced <= steps_forced and fewest_steps <= steps  # each path is best at its own
        if m.paths["listen"]:
            assert walk(G, m.paths["listen"], chosen)[2] == m.listen_seconds_to_human
            assert m.forced_seconds_to_human <= m.listen_seconds_to_human
        elif not hidden:
            raise AssertionError("listen path missing although no option is hidden")
        for row in m.mistype:
            assert row.penalty_seconds is None or row.penalty_seconds >= 0
        assert m.silent.end in ("hangup", "loop") or m.silent.end in menu.nodes
        assert 0 <= m.depth <= len(menu.nodes)


def test_resolve_maps_reserved_targets():
    assert resolve("main", "restart") == "main"
    assert resolve("main", "hangup") == HANGUP_NODE
    assert resolve("main", "agent") == "agent"
    assert exact(0.1) == Fraction(1, 10)
