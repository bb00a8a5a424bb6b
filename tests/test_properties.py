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
    presses = len(data["key"]) if data["kind"] == "option" else (
        node.input_steps if node.type == "input" else 0)
    if data["kind"] == "option":
        listen = None if data["hidden"] else (
            data["announced_at"] if node.barge_in else node.prompt_seconds)
    else:
        listen = Fraction(0) if node.type == "branch" else node.prompt_seconds
    return presses, node.forced_seconds, listen


def walk(G, path, chosen):
    """Check that ``path`` is a real path and add up its costs."""
    total_steps, total_forced, total_listen = 0, Fraction(0), Fraction(0)
    assert path[0][0] == G.graph["entry"] and G.nodes[path[-1][0]]["person"]
    for (here, key), (there, _) in zip(path, path[1:]):
        node = G.nodes[here]["node"]
        edges = [d for d in G.get_edge_data(here, there, default={}).values()
                 if d["kind"] in ("option", "next", "branch", "overflow")
                 and is_active(d, here, chosen) and (d.get("key") == key)]
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


# -- format 1.1 (SPEC 9) ----------------------------------------------------------------------

KEYS_11 = ["0", "1", "2", "9", "*", "#", "10", "12", "101", "*9", 7, 25]
PHRASES = ["agent", "billing", "人工", "Customer service"]


@st.composite
def actions_11(draw, targets):
    one = st.one_of(ACTIONS, targets, st.fixed_dictionaries(
        {"duration": SECONDS, "then": st.one_of(ACTIONS, targets)}))
    return draw(st.one_of(one, st.lists(one, min_size=1, max_size=3)))


@st.composite
def menus_11(draw):
    """Menus that use section 9: escalation lists, unlimited, keys of several digits, spoken
    and global options, transfers, overflowing queues."""
    count = draw(st.integers(1, 8))
    ids = [f"n{i}" for i in range(count)]
    targets = st.sampled_from(ids + ["restart", "hangup"])
    nodes = {}
    for node_id in ids:
        kind = draw(st.sampled_from(["message", "menu", "menu", "menu", "input", "branch",
                                     "human", "transfer", "callback"]))
        node = {"type": kind}
        if kind in ("message", "menu", "input"):
            node["barge_in"] = draw(st.booleans())
            node["duration"] = draw(SECONDS)
        if kind in ("message", "input"):
            node["next"] = draw(targets)
        if kind == "input":
            node["digits"] = draw(st.integers(1, 3))
            if draw(st.booleans()):
                node["terminator"] = "#"
        if kind in ("menu", "input"):
            node["timeout"] = draw(SECONDS)
            unlimited = draw(st.integers(0, 4)) == 0
            node["max_failures"] = "unlimited" if unlimited else draw(st.integers(1, 4))
            node["on_invalid"] = draw(actions_11(targets))
            node["on_timeout"] = draw(actions_11(targets))
            if not unlimited:
                node["on_exhausted"] = draw(st.sampled_from(["restart", "hangup"] + ids))
        if kind == "menu":
            keys = draw(st.lists(st.sampled_from(KEYS_11), min_size=0, max_size=5,
                                 unique_by=str))
            node["options"] = []
            for key in keys:
                option = {"key": key, "goto": draw(targets)}
                if draw(st.integers(0, 3)):
                    option["duration"] = draw(SECONDS)
                    option["say"] = "option"
                if draw(st.integers(0, 3)) == 0:
                    option["speech"] = draw(st.sampled_from(PHRASES))
                node["options"].append(option)
            if not keys or draw(st.booleans()):
                option = {"speech": [draw(st.sampled_from(PHRASES))], "goto": draw(targets)}
                if draw(st.booleans()):
                    option.update(say="say it", duration=draw(SECONDS))
                node["options"].append(option)
            if draw(st.integers(0, 5)) == 0:
                node["global_options"] = False
        if kind == "branch":
            node["cases"] = [{"when": draw(st.sampled_from(["busy", "night"])),
                              "goto": draw(targets)} for _ in range(draw(st.integers(0, 2)))]
            node["else"] = draw(targets)
        if kind == "transfer":
            node["to"] = "+1 555 0100"
            node["person"] = draw(st.booleans())
        if kind in ("human", "transfer") and node.get("person", True):
            if draw(st.booleans()):
                node["overflow"] = {"when": "busy", "goto": draw(targets)}
        nodes[node_id] = node
    menu = {"ivr": "Generated", "format": 1, "entry": draw(st.sampled_from(ids)),
            "scenarios": {"default": [], "busy": ["busy"], "night": ["night", "busy"]},
            "nodes": nodes}
    if draw(st.booleans()):
        menu["global_options"] = [{"key": draw(st.sampled_from(["0", "*", "99"])),
                                   "say": "everywhere", "goto": draw(st.sampled_from(ids)),
                                   "speech": "operator"}]
    return menu


def _heard_unforced(call, parts: tuple[str, ...]) -> Fraction:
    """Seconds of barge-in messages (``parts``: "message", or the error messages) a scripted
    call heard: the metrics count only their forced part. A caller who speaks cannot cut a
    message, nor one who stays silent a message or an error message (SPEC 9.3, 9.8)."""
    total, last = Fraction(0), None
    for event in call.events:
        if event.kind == "prompt":
            last = event if event.info["part"] in parts and not event.info["forced"] \
                and not event.info["skipped"] else None
            if last is not None:
                total += event.info["seconds"]
        elif event.kind == "cut" and last is not None:
            total -= last.info["seconds"] - event.info["heard"]
            last = None
    return total


_ERROR_MESSAGES = ("invalid message", "timeout message", "exhausted message")


def _shadowed(menu, path) -> bool:
    """Whether a spoken path says a phrase that several options of its menu have: the
    simulator's recognizer takes the first of them (docs/simulate.md)."""
    from ivraudit.format.model import phrase_key

    for node_id, _, *speech in path:
        if speech and speech[0] is not None:
            said = phrase_key(speech[0])
            sharing = [o for o in menu.nodes[node_id].options
                       if any(phrase_key(p) == said for p in o.speech)]
            if len(sharing) > 1:
                return True
    return False


def _as_lists(menu: dict) -> dict:
    """The same menu with every single on_invalid / on_timeout written as a list of one."""
    copy = yaml.safe_load(yaml.safe_dump(menu))
    for node in copy["nodes"].values():
        for field in ("on_invalid", "on_timeout"):
            if field in node and not isinstance(node[field], list):
                node[field] = [node[field]]
    return copy


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus_11())
def test_format_11_menus_keep_every_invariant(data):
    from ivraudit.reporters.json import scenario_json
    from ivraudit.simulate.script import parse_keys, path_keys, persistent_keys, run_script

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        menu = load_text(text, "generated.yaml")
    except MenuError as error:
        assert error.line >= 1 and error.column >= 1 and error.message
        return
    metrics = menu_metrics(menu)
    G = metrics.graph
    for name, m in metrics.scenarios.items():
        conditions = menu.scenarios[name]
        if m.human_reachable:
            walk(G, m.paths["forced"], m.chosen)
            assert m.persistent is not None
            assert m.persistent.seconds <= m.forced_seconds_to_human
            assert m.spoken is not None and m.spoken.steps <= m.steps_to_human
        if m.silent.reached_human:
            assert m.persistent is not None and m.persistent.seconds <= m.silent.seconds
        # every reported path replays in the simulator to the reported seconds (less the
        # platform's wait for more digits, which the metrics ignore)
        replays = [(m.paths["forced"], path_keys, m.forced_seconds_to_human, Fraction(0)),
                   (m.spoken and m.spoken.path, path_keys,
                    m.spoken and m.spoken.forced_seconds, Fraction(0)),
                   (m.persistent and m.persistent.path, persistent_keys,
                    m.persistent and m.persistent.seconds, None)]
        for path, keys_of, seconds, _ in replays:
            if not path or (keys_of is path_keys and _shadowed(menu, path)):
                continue
            call = run_script(menu, conditions, parse_keys(keys_of(menu, path)), "expert")
            assert (call.outcome, call.node) == ("person", path[-1][0]), keys_of(menu, path)
            heard = call.seconds - call.digit_waits
            if keys_of is persistent_keys:
                # a caller whose next move is silence cannot cut a barge-in message either,
                # and the persistent caller's seconds are forced seconds (SPEC 4, 9.8)
                heard -= _heard_unforced(call, _ERROR_MESSAGES + ("message",))
            elif path is not m.paths["forced"]:
                heard -= _heard_unforced(call, ("message",))
            assert heard == seconds, keys_of(menu, path)
    # an escalation list of one is the plain action
    listed = menu_metrics(load_text(yaml.safe_dump(_as_lists(data), allow_unicode=True),
                                    "listed.yaml"))
    for name, m in metrics.scenarios.items():
        assert scenario_json(listed.scenarios[name], listed.structure) == \
            scenario_json(m, metrics.structure)
