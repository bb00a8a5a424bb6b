"""A persona's call as a Markov chain: the one process that the Monte Carlo samples and the
exact analysis solves.

A state is a visit to a node that takes input: (node, invalid failures, timeouts, all failures
in this visit, whole prompt or options only); a kind's count is capped at its list's last action
(SPEC 9.1), and all failures past ``max_failures`` count alike. Messages, branches, overflowing
queues and error messages between two such visits are folded into the transitions (their
seconds are added). The ends are absorbing: a person, a callback, a hangup, a transfer out of
the menu, or ``stuck`` (a loop of messages, or states from which no end can be reached).

In each state the persona is ``ready`` at some second of the prompt (0 for an expert at a
barge-in prompt; when its option has been announced for a first-time caller; the end of a
forced prompt), draws a reaction time R, and presses at ready + R if that is not after the
deadline (prompt + timeout); otherwise the timeout fires. A key of one character is pressed
with probability 1 - mistype, else one of that key's neighbours on the keypad, each alike. A key
of several characters, like an input, is entered whole at once, correct with probability
(1 - mistype) ** key presses, else invalid; like the metrics, the chain ignores the platform's
wait for more digits after a key that begins a longer one.

Between visits an expert skips barge-in messages and error messages (its key goes to the next
node that takes input), unless it will press nothing there; everybody else hears them whole.
Only the reaction time and the mistype are random, so a state's outcomes are a small table:
``Decision``. This module builds the tables in pure Python, visiting only the states that a
call can reach.
"""

from __future__ import annotations

import networkx as nx

from ..analysis.lazy import LazyRouting
from ..analysis.settle import Chosen, settle
from ..format.model import RESTART, Menu, Node
from ..util.gcpause import without_cycle_collection
from .playing import announced_at, spoken_at
from .personas import Persona
from .intent import SAY, intended_keys

PERSON, CALLBACK, HANGUP_END, STUCK, TRANSFER_END = -1, -2, -3, -4, -5
END_NAMES = {PERSON: "person", CALLBACK: "callback", HANGUP_END: "hangup", STUCK: "stuck",
             TRANSFER_END: "transfer"}

# Orthogonal neighbours on a phone keypad: 1 2 3 / 4 5 6 / 7 8 9 / * 0 #.
NEIGHBOURS = {"1": "24", "2": "135", "3": "26", "4": "157", "5": "2468", "6": "359",
              "7": "48*", "8": "5790", "9": "68#", "*": "70", "0": "8*#", "#": "90"}


class ChainTooLarge(Exception):
    """More states are reachable than the caller allowed."""


class Decision:
    """What can happen in one state. Times are seconds; a destination is a state index, or an
    end (PERSON, CALLBACK, HANGUP_END, STUCK).

    ``presses``: the persona presses a key here at all; ``ready``: when it could, from the start
    of the prompt; ``deadline``: prompt + timeout (a press after it is too late);
    ``timeout_to`` and ``timeout_extra``: where the timeout leads and the seconds after the
    deadline until there (error message, messages); ``keys``: (probability, destination, extra
    seconds, failure) per key that may be pressed; ``chances``: per key, how its probability
    follows from the mistype rate (``chance``), so that the chain serves another persona.
    """

    __slots__ = ("presses", "ready", "deadline", "timeout_to", "timeout_extra", "keys",
                 "chances")

    def __init__(self, presses: bool, ready: float, deadline: float, timeout_to: int,
                 timeout_extra: float, keys: list[tuple[float, int, float, bool]],
                 chances: list[tuple[str, int]] = ()) -> None:
        self.presses, self.ready, self.deadline = presses, ready, deadline
        self.timeout_to, self.timeout_extra, self.keys = timeout_to, timeout_extra, keys
        self.chances = chances


def chance(kind: str, n: int, mistype: float) -> float:
    """A key outcome's probability for a persona that mistypes at ``mistype``: the key meant
    (``meant``) or one of its ``n`` neighbours (``near``); a number or key of ``n`` presses
    right (``right``) or not (``wrong``); a phrase heard (``heard``) or not (``unheard``)."""
    if kind == "meant" or kind == "heard":
        return 1.0 - mistype
    if kind == "near":
        return mistype / n
    if kind == "right":
        return (1.0 - mistype) ** n
    if kind == "wrong":
        return 1.0 - (1.0 - mistype) ** n
    return mistype  # unheard


class Chain:
    """The states ((node, invalid, timeouts, failures, whole)), their decisions, and where the
    call starts: a state or an end, after ``start_seconds`` of messages."""

    __slots__ = ("states", "decisions", "start", "start_seconds", "persona")

    def __init__(self, states: list[tuple], decisions: list[Decision], start: int,
                 start_seconds: float, persona: Persona) -> None:
        self.states, self.decisions, self.persona = states, decisions, persona
        self.start, self.start_seconds = start, start_seconds

    def __len__(self) -> int:
        return len(self.states)

    def for_persona(self, persona: Persona) -> Chain:
        """This chain for another persona with the same knowledge (and speech) that mistypes
        too, or never, as this one's: the same states and moves, its own probabilities. (The
        audit's two personas share one chain this way.)"""
        if (persona.knowledge, persona.speaks, persona.mistype > 0) != \
                (self.persona.knowledge, self.persona.speaks, self.persona.mistype > 0):
            raise ValueError(f"the chain of '{self.persona.name}' is not '{persona.name}'s")
        m = persona.mistype
        decisions = [d if not d.keys else Decision(
            d.presses, d.ready, d.deadline, d.timeout_to, d.timeout_extra,
            [(chance(kind, n, m), *outcome[1:]) for (kind, n), outcome in zip(d.chances, d.keys)],
            d.chances) for d in self.decisions]
        return Chain(self.states, decisions, self.start, self.start_seconds, persona)


def build_chain(menu: Menu, G: nx.MultiDiGraph, conditions: frozenset[str], persona: Persona,
                max_states: int | None = None, keys: dict[str, str] | None = None) -> Chain:
    """The chain of ``persona`` calling ``menu`` in the scenario where ``conditions`` hold.

    ``keys``: the persona's key per node (intent.intended_keys), when already known.
    """
    with without_cycle_collection():
        if keys is None:
            keys = intended_keys(G, conditions, persona.knowledge, speaks=persona.speaks)
        return _Builder(menu, LazyRouting(G, conditions), persona, max_states, keys).build()



class _NodeFacts:
    """What every state of one node shares."""

    __slots__ = ("node", "prompt", "intro", "timeout", "key", "options", "spoken", "ready")

    def __init__(self, node: Node, key: str | None) -> None:
        self.node = node
        self.prompt = float(node.prompt_seconds)
        self.intro = float(node.intro_seconds)
        self.timeout = float(node.timeout)
        self.key = key  # the key (or "enter" at an input, or "say:PHRASE") the persona means to
        self.options = {option.key: option for option in node.keyed_options}  # press; None
        if key is not None and key.startswith(SAY):
            self.spoken = next(o for o in node.options if SAY + (o.phrase or "") == key)
        else:
            self.spoken = None
        self.ready: dict[bool, float] = {}  # whole prompt or not -> when the key can be pressed


class _Builder:
    def __init__(self, menu: Menu, chosen: Chosen, persona: Persona, max_states, keys) -> None:
        self.menu, self.chosen, self.persona = menu, chosen, persona
        self.nodes = menu.nodes
        self.max_states = max_states
        self.expert = persona.knowledge == "expert"
        self.keys = keys
        self.facts: dict[str, _NodeFacts] = {}
        self.follows: dict[str, tuple] = {}
        self.index: dict[tuple, int] = {}
        self.states: list[tuple] = []

    # -- what the persona knows -----------------------------------------------------------

    def facts_of(self, node_id: str) -> _NodeFacts:
        facts = self.facts.get(node_id)
        if facts is None:
            facts = self.facts[node_id] = _NodeFacts(self.nodes[node_id], self.keys.get(node_id))
        return facts

    def presses_at(self, destination: int) -> bool:
        if destination < 0:
            return True  # an expert skips what leads to an end
        return self.facts_of(self.states[destination][0]).key is not None

    # -- where a target leads -------------------------------------------------------------

    def follow(self, target: str) -> tuple[object, float, float]:
        """(first node that takes input, or an end; seconds heard whole; seconds forced)."""
        found = self.follows.get(target)
        if found is None:
            found = self.follows[target] = self._walk(target)
        return found

    def _walk(self, target: str) -> tuple[object, float, float]:
        settled = settle(self.menu, self.chosen, target)
        heard = forced = 0.0
        for node_id in settled.passed:
            node = self.nodes[node_id]
            if node.type == "message":
                heard += float(node.intro_seconds)
                if not node.barge_in:
                    forced += float(node.intro_seconds)
        if settled.stop is None:
            return STUCK, heard, forced
        node = self.nodes.get(settled.stop)
        if node is None or node.type == "hangup":
            return HANGUP_END, heard, forced
        if node.type in ("menu", "input"):
            return settled.stop, heard, forced
        if node.is_person:
            return PERSON, heard, forced
        return (CALLBACK if node.type == "callback" else TRANSFER_END), heard, forced

    def state(self, node_id: str, invalid: int, timeouts: int, failures: int,
              whole: bool) -> int:
        key = (node_id, invalid, timeouts, failures, whole)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.states)
            self.states.append(key)
            if self.max_states is not None and len(self.states) > self.max_states:
                raise ChainTooLarge(f"more than {self.max_states} states")
        return found

    def arrive(self, target: str, message: float = 0.0, message_forced: float = 0.0):
        """(destination, seconds) for a call sent to ``target`` from another node."""
        where, heard, forced = self.follow(target)
        destination = self.state(where, 0, 0, 0, True) if isinstance(where, str) else where
        return destination, self.seconds(destination, message + heard, message_forced + forced)

    def seconds(self, destination: int, heard: float, forced: float) -> float:
        return forced if self.expert and self.presses_at(destination) else heard

    # -- one state ------------------------------------------------------------------------

    def build(self) -> Chain:
        start, start_seconds = self.arrive(self.menu.entry)
        decisions: list[Decision] = []
        while len(decisions) < len(self.states):
            decisions.append(self.decide(*self.states[len(decisions)]))
        return Chain(list(self.states), decisions, start, start_seconds, self.persona)

    def decide(self, node_id: str, invalid: int, timeouts: int, failures: int,
               whole: bool) -> Decision:
        facts = self.facts_of(node_id)
        node = facts.node
        counts = (invalid, timeouts, failures)
        heard = facts.prompt if whole else facts.prompt - facts.intro
        deadline = heard + facts.timeout
        timeout_to, timeout_extra = self.after_failure(node, counts, "timeout")
        if facts.key is None:
            return Decision(False, heard, deadline, timeout_to, timeout_extra, [])
        if not node.barge_in:
            ready = heard
        elif self.expert:
            ready = 0.0
        elif facts.spoken is not None or node.type == "menu":
            ready = facts.ready.get(whole)
            if ready is None:  # the same for every state of the node (and whole)
                ready = facts.ready[whole] = \
                    float(spoken_at(node, facts.spoken, whole) or heard) \
                    if facts.spoken is not None else float(announced_at(node, facts.key, whole))
        else:
            ready = heard
        keys, chances = self.key_outcomes(facts, counts)
        return Decision(True, ready, deadline, timeout_to, timeout_extra, keys, chances)

    def key_outcomes(self, facts: _NodeFacts, counts: tuple) -> tuple[list, list]:
        """The key outcomes of a state, and how each one's probability follows from the
        mistype rate (``chance``)."""
        node, mistype = facts.node, self.persona.mistype
        if facts.spoken is not None:  # recognised, or a no-match (an invalid input)
            outcomes = [(1.0 - mistype, *self.after_choice(node, facts.spoken.goto, counts),
                         False)]
            chances = [("heard", 0)]
            if mistype > 0:
                outcomes.append((mistype, *self.after_failure(node, counts, "invalid"), True))
                chances.append(("unheard", 0))
            return outcomes, chances
        if node.type == "input" or len(facts.key) > 1:
            target = node.next if node.type == "input" else facts.options[facts.key].goto
            presses = node.input_steps if node.type == "input" else len(facts.key)
            right = (1.0 - mistype) ** presses
            outcomes = [(right, *self.after_choice(node, target, counts), False)]
            chances = [("right", presses)]
            if right < 1.0:
                outcomes.append((1.0 - right, *self.after_failure(node, counts, "invalid"), True))
                chances.append(("wrong", presses))
            return outcomes, chances
        presses = [(1.0 - mistype, facts.key)]
        chances = [("meant", 0)]
        if mistype > 0:
            near = NEIGHBOURS[facts.key]
            presses += [(mistype / len(near), key) for key in near]
            chances += [("near", len(near))] * len(near)
        outcomes, invalid = [], None
        for probability, key in presses:
            option = facts.options.get(key)
            if option is None:  # every wrong key of the state leads to the same place
                invalid = invalid or self.after_failure(node, counts, "invalid")
                outcomes.append((probability, *invalid, True))
            else:
                outcomes.append((probability, *self.after_choice(node, option.goto, counts), False))
        return outcomes, chances

    def after_choice(self, node: Node, target: str, counts: tuple) -> tuple[int, float]:
        if target == node.id:  # an option naming the node itself keeps the count
            return self.state(node.id, *counts, True), 0.0
        return self.arrive(target)

    def after_failure(self, node: Node, counts: tuple, kind: str) -> tuple[int, float]:
        invalid, timeouts, failures = counts
        action, exhausted = node.failure(kind, 0, failures)  # failures: the exact total
        if not exhausted:
            actions, used = (node.on_invalid, invalid) if kind == "invalid" else \
                (node.on_timeout, timeouts)
            action = actions[min(used, len(actions) - 1)]
        if kind == "invalid":
            invalid = min(invalid + 1, len(node.on_invalid) - 1)
        else:
            timeouts = min(timeouts + 1, len(node.on_timeout) - 1)
        limit = node.max_failures
        failures = 0 if limit is None else min(failures + 1, limit)  # past the limit alike
        message = float(action.message.seconds) if action.message else 0.0
        forced = 0.0 if node.barge_in else message
        if action.kind == "hangup":
            return HANGUP_END, self.seconds(HANGUP_END, message, forced)
        if action.kind in ("replay", "reprompt") or (action.kind == "goto"
                                                     and action.target == node.id):
            whole = action.kind != "reprompt" or node.type == "input"
            destination = self.state(node.id, invalid, timeouts, failures, whole)
            return destination, self.seconds(destination, message, forced)
        return self.arrive(RESTART if action.kind == "restart" else action.target, message, forced)

