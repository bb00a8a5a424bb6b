"""Metric cases beyond tests/hand/: limits and details computed by hand here."""

from __future__ import annotations

import time


def test_a_huge_max_failures_costs_no_time(metrics):
    started = time.perf_counter()
    m = metrics("""
        ivr: Patient line
        format: 1
        entry: m
        nodes:
          m:
            type: menu
            duration: 2
            timeout: 1
            max_failures: 1000000000000
            on_exhausted: agent
            options:
              - {key: 1, say: One., duration: 1, goto: agent}
          agent: {type: human}
    """)
    # each failure: 3 s of prompt (2 intro + 1 option) and 1 s of timeout
    assert m["silent_seconds_to_human"] == 4_000_000_000_000.0 and m["silent_end"] == "agent"
    assert time.perf_counter() - started < 1


def test_a_forced_error_message_adds_to_the_mistype_penalty(metrics):
    m = metrics("""
        ivr: Strict line
        format: 1
        entry: m
        nodes:
          m:
            type: menu
            barge_in: false
            duration: 4
            on_invalid: {say: That key is not valid., duration: 2.5, then: reprompt}
            options:
              - {key: 1, say: One., duration: 1, goto: agent}
              - {key: 2, say: Two., duration: 1.25, goto: agent}
          agent: {type: human}
    """)
    # reprompt: options again (1 + 1.25) plus the forced 2.5 s message = 4.75 -> 4.8
    assert m["mistype"] == [{"node": "m", "key": "0", "outcome": "reprompt",
                             "penalty_seconds": 4.8, "penalty_steps": 0, "forces_replay": True}]
    assert m["forced_seconds_to_human"] == 6.3  # 4 + 1 + 1.25 = 6.25, rounded half up


def test_an_input_on_the_way_counts_its_digits_and_terminator(metrics):
    m = metrics("""
        ivr: Bank
        format: 1
        entry: account
        nodes:
          account:
            type: input
            say: Enter your account number and hash.
            digits: {min: 6, max: 10}
            terminator: "#"
            next: agent
          agent: {type: human}
    """)
    assert m["steps_to_human"] == 7
    assert m["paths"]["steps"] == [{"node": "account", "key": None}, {"node": "agent", "key": None}]
    assert m["listen_seconds_to_human"] == 2.4  # six words at 150 per minute
