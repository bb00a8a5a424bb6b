"""Every walk over a menu ends: menus full of cycles through inputs, messages, branches and
failure actions, run through every subcommand, each under a time bound.

A command that loops forever would be cut by the bound and fail the test with the menu that
caused it (hypothesis prints it).
"""

from __future__ import annotations

import re
import sys
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import time_bound
from ivraudit.cli import main

TYPES = ("menu", "input", "message", "branch", "human", "hangup", "callback")


@st.composite
def cyclic_menus(draw) -> str:
    """A valid menu whose transitions point anywhere: back to itself, to earlier nodes, round
    through inputs, messages and branches; failure actions of every kind."""
    count = draw(st.integers(2, 10))
    ids = [f"n{i}" for i in range(count)]
    kinds = [draw(st.sampled_from(("menu", "input", "message", "branch")))] + [
        draw(st.sampled_from(TYPES)) for _ in ids[1:]]
    targets = st.sampled_from(ids + ["restart", "hangup"])
    def action():
        plain = st.sampled_from(ids + ["replay", "reprompt", "restart", "hangup"])
        return draw(st.one_of(plain, plain.map(lambda then: {"say": "Sorry.", "then": then})))

    def exhausted():
        then = draw(st.sampled_from(ids + ["restart", "hangup"]))
        return then if draw(st.booleans()) else {"say": "Goodbye.", "then": then}

    lines = ["ivr: Cycles", "format: 1", "entry: n0",
             "scenarios: {day: [], night: [closed]}", "nodes:"]
    for node_id, kind in zip(ids, kinds):
        node: dict = {"type": kind}
        if kind in ("menu", "input", "message"):
            node["say"] = "Prompt."
            node["barge_in"] = draw(st.booleans())
        if kind in ("message", "input"):
            node["next"] = draw(targets)
        if kind == "input":
            node["digits"] = draw(st.integers(1, 3))
        if kind == "menu":
            keys = draw(st.lists(st.sampled_from("0123456789*#"), min_size=1, max_size=4,
                                 unique=True))
            node["options"] = [{"key": key, "say": f"Press {key}.", "goto": draw(targets)}
                               for key in keys]
        if kind in ("menu", "input"):
            node["max_failures"] = draw(st.integers(1, 4))
            node["on_invalid"] = action()
            node["on_timeout"] = action()
            node["on_exhausted"] = exhausted()
        if kind == "branch":
            node["cases"] = [{"when": "closed", "goto": draw(targets)}]
            node["else"] = draw(targets)
        lines.append(f"  {node_id}: {flow(node)}")
    return "\n".join(lines) + "\n"


def flow(value) -> str:
    """A value in YAML flow style, keys quoted so that * and # stay keys."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + value + '"'


def big_cyclic_menu(size: int) -> str:
    """``size`` nodes in a ring of input -> message -> branch -> menu groups; every menu's keys
    and failure actions lead back to earlier groups and to the entry."""
    lines = ["ivr: Big cycles", "format: 1", "entry: i0",
             "scenarios: {day: [], night: [closed]}", "nodes:"]
    groups = size // 4
    for g in range(groups):
        after, back = (g + 1) % groups, (g * 7) % groups
        lines += [
            f"  i{g}: {{type: input, say: Your number., digits: 4, next: m{g}}}",
            f"  m{g}: {{type: message, say: Thank you., next: b{g}}}",
            f"  b{g}: {{type: branch, cases: [{{when: closed, goto: i{back}}}], else: u{g}}}",
            f"  u{g}:",
            "    type: menu",
            "    say: Choose.",
            f"    on_invalid: i{back}",
            "    on_timeout: reprompt",
            f"    on_exhausted: {{say: Again., then: i{after}}}",
            "    options:",
            f"      - {{key: 1, say: Next., goto: i{after}}}",
            f"      - {{key: 2, say: Back., goto: u{back}}}",
            "      - {key: 3, say: Start., goto: restart}",
        ]
    return "\n".join(lines) + "\n"


def run_bounded(args: list[str], seconds: float):
    with time_bound(seconds, TimeoutError):
        result = CliRunner().invoke(main, args)
    assert not isinstance(result.exception, TimeoutError), f"{args} did not end"
    assert result.exit_code in (0, 1), (args, result.output, result.exception)
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menu=cyclic_menus(), keys=st.lists(st.sampled_from(list("0123456789*#-") + ["12"]),
                                          max_size=8))
def test_every_command_ends_on_cyclic_menus(tmp_path_factory, menu, keys):
    folder = tmp_path_factory.mktemp("cyclic")
    path = folder / "menu.yaml"
    path.write_text(menu, encoding="utf-8")
    for fmt in ("text", "json", "sarif", "html"):
        run_bounded(["audit", "--format", fmt, str(path)], 5)
    run_bounded(["render", "--format", "dot", "--scenario", "night", str(path)], 5)
    run_bounded(["simulate", str(path), "--keys", " ".join(keys) or "-"], 5)
    run_bounded(["simulate", str(path), "--persona", "elderly", "--callers", "200",
                 "--no-progress"], 10)


def test_a_2000_node_cyclic_menu_ends_in_every_command(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(big_cyclic_menu(2000), encoding="utf-8")
    for args in (["audit", str(path)], ["audit", "--format", "json", str(path)],
                 ["render", "--format", "dot", str(path)],
                 ["report", str(path), "-o", str(tmp_path / "report")],
                 ["simulate", str(path), "--keys", "1234 1 2 - - 9 3 1234"],
                 ["simulate", str(path), "--persona", "first-time", "--callers", "1000",
                  "--no-progress"],
                 ["simulate", str(path), "--persona", "expert", "--scenario", "night",
                  "--callers", "1000", "--no-progress"]):
        run_bounded(args, 8)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_a_call_through_a_terminal_ends_on_cyclic_menus(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    path = tmp_path / "menu.yaml"
    path.write_text(big_cyclic_menu(200), encoding="utf-8")
    small = tmp_path / "loop.yaml"
    small.write_text(textwrap.dedent("""\
        ivr: Meter line
        format: 1
        entry: meter
        nodes:
          meter: {type: input, say: Key in your meter number., digits: 8, next: noted}
          noted: {type: message, say: Noted., next: meter}
        """), encoding="utf-8")
    for menu, first, keys in ((path, "Your number", "12342"), (small, "meter number", "12345678")):
        child = pexpect.spawn(sys.executable, ["-m", "ivraudit", "call", str(menu), "--speed",
                                               "1000"], timeout=10, encoding="utf-8")
        child.expect(first)  # the call has started
        for key in keys:
            child.send(key)
        child.sendintr()  # the caller hangs up
        child.expect("summary: ")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus in (0, 1), child.before


@pytest.mark.parametrize("callers", ["1", "20000"])
def test_a_menu_far_too_quick_for_its_caller_is_simulated_in_seconds(tmp_path, callers,
                                                                      monkeypatch):
    """A 0.1 s timeout that keeps replaying for an elderly caller, who needs seconds to press:
    a call takes about 790 million decisions on average (the exact analysis: 100 % reach a
    person after ≈78,522,133 s), so the planned rounds (20 times that) ran for hours. Capped
    at 100,000 rounds and 200,000,000 caller-steps per batch, the calls left are finished
    from the exact analysis, and said to be."""
    path = tmp_path / "quick.yaml"
    path.write_text(textwrap.dedent("""\
        ivr: Far too quick
        format: 1
        entry: main
        nodes:
          main:
            type: menu
            timeout: 0.1
            on_timeout: {then: reprompt}
            on_invalid: {then: reprompt}
            on_exhausted: main
            options:
              - {key: 1, say: For a person press one, goto: agent}
          agent: {type: human}
        """), encoding="utf-8")
    from ivraudit.simulate import montecarlo

    monkeypatch.setattr(montecarlo, "MAX_CALLER_ROUNDS", 2_000_000)  # the test in 0.2 s, not 7
    result = run_bounded(["simulate", str(path), "--persona", "elderly", "--callers", callers,
                          "--no-progress"], 30)
    assert "reach a person    100.00 %" in result.output
    # 2e6 steps / 20,000 callers = 100 rounds (one more if a caller got through)
    said = r"\(1 call still in the menus after up to 100,000 decisions" if callers == "1" else \
        r"\((20,000|19,9\d\d) calls still in the menus after up to 10[01] decisions"
    assert re.search(said, result.output), result.output
