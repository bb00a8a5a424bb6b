"""Scripted calls: `ivraudit simulate MENU --keys "3 2"`.

``--keys`` is a list of tokens separated by spaces: a token of keys (``3``, ``101``,
``12345678#``) is pressed at once at the next node that takes input; ``-`` stays silent there
for one timeout; ``say:PHRASE`` says a phrase at the next menu (``say:"customer service"`` for
words with spaces; SPEC 9.3). When the tokens run out the caller presses nothing more, and the
call runs on until it ends (or is seen to loop forever).

When a token is pressed depends on the caller's timing, taken from its persona's knowledge:

- ``expert``: as early as the menu accepts it: at the start of a barge-in prompt, at the end of
  a forced one. It also presses the next token at the start of a barge-in message or error
  message after which a node takes input (the key is held for that node, SPEC section 3), and
  skips with a key a barge-in message after which nothing takes input (an error message only
  while it still has keys to press).
- ``listen`` (first-time): hears every message; at a barge-in menu presses once the option with
  that key has been announced (other keys, inputs and forced prompts: at the end of the prompt).

A phrase is said at a menu as a key would be pressed (from the option with that phrase's
announcement, for ``listen``); during messages the caller says nothing.
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction

import re

from ..format.model import Menu
from ..util.cached import record
from .call import KEYS, Call, Event
from .errors import SimulateError
from .playing import announced_at, spoken_at, spoken_option

SILENCE = "-"
SAY = "say:"
_TOKEN = re.compile(r'say:"[^"]*"|say:\S*|[^\s,]+')
TIMINGS = ("expert", "listen")
# Prompts and waits in one scripted call. A call that is not seen to loop can still go on for
# ever in practice: a silent caller at `max_failures: 4294967296` fails four billion times.
MAX_PHASES = 20_000


def parse_keys(text: str) -> list[str]:
    """The tokens of a --keys value (a phrase as ``say:PHRASE``, quotes removed); a
    SimulateError names the first bad character."""
    tokens = []
    for found in _TOKEN.finditer(text.replace("\t", "\x00")):
        raw, column = found.group(0), found.start()
        if raw.startswith(SAY):
            quoted = raw[len(SAY):]
            if quoted.startswith('"') and (len(quoted) < 2 or not quoted.endswith('"')):
                raise SimulateError(f"--keys: the quote at character {column + len(SAY) + 1} "
                                    f"of '{text}' is not closed",
                                    'close it: say:"customer service"')
            phrase = quoted.strip('"')
            if not phrase.strip():
                raise SimulateError(f"--keys: nothing to say at character {column + 1} of "
                                    f"'{text}'", 'write the phrase: say:agent or say:"customer '
                                    'service"')
            tokens.append(SAY + phrase)
            continue
        if raw != SILENCE:
            for offset, char in enumerate(raw):
                if char not in KEYS:
                    what = "a tab or other space" if char in "\x00" else f"'{char}'"
                    raise SimulateError(
                        f"--keys: {what} at character {column + offset + 1} of '{text}' is not a key",
                        "keys are 0-9, * and #; separate presses with spaces; - waits out a "
                        "timeout; say:PHRASE speaks (e.g. --keys \"3 - 12345678# say:agent\")")
        tokens.append(raw)
    return tokens


def path_keys(menu: Menu, path: list[tuple[str, str | None]]) -> str:
    """The --keys that follow a metric's path ((node, key) pairs): the key at each menu, and at
    each input a number of the fewest digits (the most, without a terminator) and its
    terminator."""
    tokens = []
    for node_id, key, *speech in path:
        node = menu.nodes[node_id]
        if node.type == "menu":
            tokens.append(key if key is not None else f'{SAY}"{speech[0]}"')
        elif node.type == "input":
            digits = node.digits_min if node.terminator else node.digits_max
            tokens.append("1" * digits + (node.terminator or ""))
    return " ".join(tokens)


def persistent_keys(menu: Menu, path) -> str:
    """The --keys that follow the persistent caller's path (SPEC 9.8): its keys, a wrong key
    as that key (at an input, a `*` or `#` that is no terminator), silence as ``-``."""
    tokens = []
    for node_id, key, failure in path:
        node = menu.nodes[node_id]
        if failure == "timeout":
            tokens.append(SILENCE)
        elif node.type == "input" and failure == "invalid":
            tokens.append("*" if node.terminator != "*" else "#")
        elif node.type == "input":
            tokens.append(path_keys(menu, [(node_id, None)]))
        elif node.type == "menu":
            tokens.append(key)
    return " ".join(tokens)


def timing_of(knowledge: str) -> str:
    return "expert" if knowledge == "expert" else "listen"


@record
class ScriptedCall:
    """A finished scripted call: its transcript and how it ended."""

    events: tuple[Event, ...]
    outcome: str  # person, callback, hangup, transfer, loop, gave-up
    seconds: Fraction
    node: str | None  # where it ended (the person, callback or hangup node), when a node
    unused: tuple[str, ...]  # tokens never pressed
    timing: str
    digit_waits: Fraction = Fraction(0)  # waited for more digits after a key (SPEC 9.2)

    @property
    def reached_person(self) -> bool:
        return self.outcome == "person"


def run_script(menu: Menu, conditions: frozenset[str], tokens: list[str], timing: str = "expert",
               patience: Fraction | None = None, reaction: Fraction = Fraction(0)) -> ScriptedCall:
    """Play one call with these key tokens; ``reaction`` delays each press at a menu or input."""
    call = Call(menu, conditions, patience)
    call.start()
    queue = deque(tokens)
    seen: set = set()
    planned_phase, plan, phases = None, None, 0
    while not call.ended:
        if call.phase != planned_phase:
            planned_phase = call.phase
            phases += 1
            if phases > MAX_PHASES:
                raise SimulateError(f"the call goes on past {MAX_PHASES:,} prompts and waits "
                                    f"(it is at '{call.at}')", "check `max_failures` there: "
                                    "a real menu allows a few failures")
            if patience is None:  # without patience the call is deterministic: a state seen
                signature = (call.signature(), len(queue))  # twice means it loops forever
                if signature in seen:
                    call.end_loop()
                    break
                seen.add(signature)
            plan = _plan(call, queue, timing, reaction)
        if plan is None:
            due = call.next_time()
            if due is None:  # pragma: no cover - a live call always has something next
                break
            call.advance(due, stop_at_new_phase=True)  # plan every new prompt
            continue
        when, action = plan
        call.advance(when, stop_at_new_phase=True, key_first=True)
        if call.ended or call.phase != planned_phase or call.now != when:
            continue  # the menu moved on first (e.g. its timeout): plan again
        plan = None
        if action == "skip":
            call.skip()
        elif queue[0].startswith(SAY):
            call.say(queue.popleft()[len(SAY):])
        else:
            call.press(queue.popleft())
    end = call.events[-1]
    return ScriptedCall(tuple(call.events), call.outcome, call.now, end.node, tuple(queue), timing,
                        call.digit_waits)


def _plan(call: Call, queue: deque, timing: str, reaction: Fraction):
    """(time, "press" or "skip") for the current prompt or wait, or None to let it run."""
    if call.buffer:
        return None  # a held key will be handled first
    token = queue[0] if queue else None
    if call.mode == "waiting":
        if token is None:
            return None
        if call.typed and call.nodes[call.at].type == "menu":
            # a token is a whole key: the menu waits for more digits after it, and the next
            # token comes once that wait has ended (even a wait of 0 s)
            return None
        if token == SILENCE:
            queue.popleft()
            return None
        return (call.now + (reaction if call.digits == 0 else 0), "press")
    p = call.playing
    if p.then[0] != "wait":  # a message or an error message
        if not p.barge_in or timing != "expert" or (token or "").startswith(SAY):
            return None
        after = call.takes_input_after()
        if after == "end" and (token not in (None, SILENCE) or p.then[0] == "next"):
            # an expert skips a message after which the call ends (on the way to a person); a
            # caller with no keys left, or whose next token is a silence, hears an error
            # message out, as the silent caller does
            return (p.start, "skip")
        if after == "input" and token not in (None, SILENCE):
            return (p.start, "press")
        return None
    if token is None:
        return None
    if token == SILENCE:
        queue.popleft()
        return None
    node = call.nodes[p.node]
    length = p.end - p.start
    if not p.barge_in:
        offset = length
    elif timing == "expert":
        offset = Fraction(0)
    elif node.type == "menu" and token.startswith(SAY):
        option = spoken_option(node, token[len(SAY):])
        heard = spoken_at(node, option, p.part == "prompt") if option else None
        offset = length if heard is None else heard
    elif node.type == "menu":  # the option whose key the token types (keys typed ahead after)
        key = max((o.key for o in node.keyed_options if token.startswith(o.key)), key=len,
                  default=token[0])
        heard = announced_at(node, key, p.part == "prompt")
        offset = length if heard is None else heard
    else:
        offset = length
    return (p.start + offset + reaction, "press")
