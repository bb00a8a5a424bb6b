"""One call through a menu, in exact seconds: the engine behind `simulate --keys` and `call`.

The engine follows SPEC sections 2 and 3 literally. It is driven from outside: ``advance(t)``
lets the menu play until time ``t`` (prompts, segments, timeouts), ``press(keys)`` presses keys
at the current time. Every step is recorded as an ``Event``.

Semantics (docs/simulate.md has the full list):

- A key pressed while a barge-in prompt plays stops it and is held; the next node that takes
  input handles it. While a key is held, barge-in prompts are skipped (they last 0 s); forced
  prompts play whole, and a node whose prompt is forced handles the held key when it ends.
- A key pressed while a forced prompt plays is lost.
- A menu takes keys until they form an option's key (SPEC 9.2): a key that begins no option
  is an invalid input at once; keys that form a key no other key continues choose it at once;
  keys that form a key another one continues, or only begin keys, wait `timeout` for more (the
  platform's wait, which the metrics ignore: ``digit_waits`` adds it up), then choose the key
  they form or are invalid. An input collects digits: it is complete on its terminator after
  `digits` min..max digits, or without a terminator on the max-th digit, or on silence (its
  timeout after the last digit) once it has the minimum. Too many digits, a stray `*`/`#`, or
  silence with too few digits is invalid. A failure drops the keys typed ahead of it.
- ``say(phrase)`` speaks (SPEC 9.3): heard only by a menu that takes speech, while it prompts
  (with barge-in) or waits; matched to an option's phrase ignoring case, spaces and punctuation
  (an option phrase inside a longer sentence matches too, the first option in list order); a
  phrase no option has is a no-match, an invalid input. Elsewhere it is not heard.
- Failures count per visit, per kind and in all (SPEC 9.1): the one that brings the total to
  `max_failures` goes to `on_exhausted`, otherwise the kind's k-th action; the counts restart
  on entering from another node and on `restart`, and are kept on `replay`, `reprompt`, a
  failure action or an option naming the node itself.
- A person that overflows in the scenario is passed like a branch (SPEC 9.6); a transfer ends
  the call with a person (``person: true``) or as ``transfer``: it left the menu (SPEC 9.5).
"""

from __future__ import annotations

from collections import deque
from dataclasses import field
from fractions import Fraction

from ..format.model import HANGUP, RESTART, Action, Menu, Node, Segment
from ..util.cached import record
from .playing import prompt_segments, spoken_option, takes_speech

KEYS = "0123456789*#"
Z = Fraction(0)
_FRESH = (0, 0, 0)  # the counts of a new visit


@record
class Event:
    """Something that happened at time ``at`` (seconds from the start of the call).

    ``kind``: ``prompt`` (a prompt starts: part, seconds, forced, skipped), ``segment`` (a
    segment starts: say, seconds, forced, tags), ``cut`` (a prompt stops early: heard),
    ``key`` (keys pressed: keys, effect), ``speech`` (a phrase said: said, effect),
    ``choice`` (a menu takes a key or a phrase: key, said, goto), ``more`` (keys that begin a
    longer key: keys, waits), ``digits`` (an input takes keys), ``failure`` (kind, count, max,
    exhausted, then), ``end`` (outcome: person, callback, hangup, transfer, loop, gave-up,
    hung-up).
    """

    at: Fraction
    kind: str
    node: str | None
    info: dict = field(default_factory=dict)


@record(frozen=False)
class _Playing:
    node: str
    part: str
    segments: tuple[Segment, ...]
    barge_in: bool
    start: Fraction
    then: tuple
    index: int = 0  # the next segment whose start is not yet reported
    starts: tuple[Fraction, ...] = ()
    end: Fraction = Z


class Call:
    """The state of one call; ``events`` is its transcript so far."""

    def __init__(self, menu: Menu, conditions: frozenset[str] = frozenset(),
                 patience: Fraction | None = None) -> None:
        self.menu = menu
        self.nodes = menu.nodes
        self.conditions = conditions
        self.patience = patience
        self.now = Z
        self.events: list[Event] = []
        self.buffer: deque[str] = deque()
        self.mode = "new"  # playing, waiting, ended
        self.playing: _Playing | None = None
        self.at: str | None = None  # the collecting node (menu or input) of this visit
        self.failures = 0  # in this visit: all failures, invalid ones and timeouts (SPEC 9.1)
        self.invalid = 0
        self.timeouts = 0
        self.whole = True
        self.digits = 0
        self.typed = ""  # keys a menu has taken toward an option's key
        self.digit_waits = Z  # seconds the menus waited for more digits after a key
        self.deadline: Fraction | None = None
        self.outcome: str | None = None
        self.phase = 0  # grows whenever a new prompt starts or an input takes digits
        self._instant = 0  # steps taken with no time passing and no key (zero-time loops)
        self._todo: deque[tuple] = deque()  # steps to take next (a trampoline: no deep recursion)

    # -- driving ---------------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.mode == "ended"

    def start(self) -> None:
        self._enter(self.menu.entry, None)
        self.advance(self.now, key_first=True)  # a key may still be pressed at 0 s

    def next_time(self) -> Fraction | None:
        """When the menu does something next on its own (a segment, a prompt end, a timeout)."""
        if self.mode == "playing":
            p = self.playing
            return p.starts[p.index] if p.index < len(p.starts) else p.end
        if self.mode == "waiting":
            return self.deadline
        return None

    def advance(self, to: Fraction, stop_at_new_phase: bool = False,
                key_first: bool = False) -> None:
        """Let the menu play until time ``to``: until a new prompt starts, if asked. With
        ``key_first``, a key about to be pressed at ``to`` comes before a segment that starts
        then and before a timeout due then (a press at the deadline is in time); a prompt that
        ends then still ends first."""
        self._drain()
        phase = self.phase
        while not self.ended:
            due = self.next_time()
            if due is None or due > to:
                break
            if key_first and due == to and (self.mode == "waiting" or self._segment_due()):
                break
            if not self._set_time(due):
                return
            self._fire()
            self._drain()
            if stop_at_new_phase and self.phase != phase:
                return
        if not self.ended:
            self._set_time(max(to, self.now))

    def _segment_due(self) -> bool:
        p = self.playing
        return self.mode == "playing" and p.index < len(p.starts) and p.starts[p.index] < p.end

    def _drain(self) -> None:
        while self._todo and not self.ended:
            step, *args = self._todo.popleft()
            step(*args)
        self._todo.clear()

    def press(self, keys: str) -> None:
        """Press ``keys`` at once, now (several keys: typed together, as type-ahead)."""
        if self.ended or not keys:
            return
        self._instant = 0  # a key is progress: only steps with no key and no time can loop
        if self.mode == "playing":
            p = self.playing
            if not p.barge_in:
                self._event("key", p.node, keys=keys, effect="lost: the prompt cannot be "
                            "interrupted (barge_in: false)")
                return
            self._event("key", p.node, keys=keys, effect=self._held_effect(p))
            self.buffer.extend(keys)
            self._cut(f"key {keys}")
        else:
            self._event("key", self.at, keys=keys, effect="")
            self.buffer.extend(keys)
            self._take_keys()
        self.advance(self.now, key_first=True)

    def skip(self) -> None:
        """Press a key only to stop a barge-in prompt after which no node takes input."""
        if self.mode == "playing" and self.playing.barge_in and not self.ended:
            self._event("key", self.playing.node, keys="", effect="a key to skip the prompt "
                        "(no node after it takes input)")
            self._cut("a key")
            self.advance(self.now, key_first=True)

    def hang_up(self) -> None:
        """The caller hangs up now."""
        if not self.ended:
            if self.mode == "playing":
                self._close_prompt("the caller hung up")
            self._end("hung-up", None)

    def end_loop(self) -> None:
        """End the call as one that would go on forever (its driver saw a state come back)."""
        if not self.ended:
            if self.mode == "playing":
                self._close_prompt("the call loops")
            self._end("loop", self.at)

    def takes_input_after(self) -> str:
        """After the prompt playing now: ``input`` (a node takes input), ``end`` or ``loop``."""
        p = self.playing
        kind, node_id = p.then[0], p.then[1]
        if kind == "wait":
            return "input"
        node = self.nodes[node_id]
        if kind == "next":
            return self.follows_to(node.next)
        action: Action = p.then[2]
        if action.kind in ("replay", "reprompt") or (action.kind == "goto" and action.target == node_id):
            return "input"
        if action.kind == "hangup":
            return "end"
        return self.follows_to(RESTART if action.kind == "restart" else action.target)

    def follows_to(self, target: str) -> str:
        """Where a call sent to ``target`` first meets a node that takes input, pressing nothing."""
        seen = set()
        while True:
            if target == HANGUP:
                return "end"
            node_id = self.menu.entry if target == RESTART else target
            if node_id in seen:
                return "loop"
            seen.add(node_id)
            node = self.nodes[node_id]
            if node.type in ("menu", "input"):
                return "input"
            if node.type == "message":
                target = node.next
            elif node.type == "branch" or self._overflows(node):
                target = node.case_goto(node.taken_case(self.conditions))
            else:
                return "end"

    def _overflows(self, node: Node) -> bool:
        return node.overflow is not None and node.taken_case(self.conditions) is not None

    def signature(self) -> tuple:
        """Everything the rest of the call depends on (but the clock): for loop detection."""
        p = self.playing
        where = (p.node, p.part, p.then[0], self.now - p.start) if self.mode == "playing" else \
            (self.deadline - self.now if self.deadline is not None else None,)
        # a count past max_failures behaves as max_failures: only reaching it is special; a
        # kind's count past its list's last action behaves as that one
        counts = ()
        if self.at:
            node = self.nodes[self.at]
            limit = node.max_failures
            counts = (0 if limit is None else min(self.failures, limit),
                      min(self.invalid, len(node.on_invalid) - 1),
                      min(self.timeouts, len(node.on_timeout) - 1))
        return (self.mode, where, self.at, counts, self.whole, self.digits, self.typed,
                tuple(self.buffer))

    # -- time ----------------------------------------------------------------------------------

    def _set_time(self, t: Fraction) -> bool:
        if self.patience is not None and t > self.patience:
            self.now = max(self.now, self.patience)
            if self.mode == "playing":
                self._close_prompt("the caller gave up")
            self._end("gave-up", self.at)
            return False
        if t > self.now:
            self._instant = 0
        self.now = t
        return True

    def _fire(self) -> None:
        if self.mode == "playing":
            p = self.playing
            if p.index < len(p.starts) and p.starts[p.index] <= self.now:
                segment = p.segments[p.index]
                self._event("segment", p.node, say=segment.say, audio=segment.audio,
                            seconds=segment.seconds, forced=not p.barge_in, tags=segment.tags,
                            estimated=segment.estimated)
                p.index += 1
                return
            self._close_prompt(None)
            self._todo.append((self._continue, p.then))
        elif self.mode == "waiting":
            self._timeout()

    # -- the call's steps --------------------------------------------------------------------------

    def _event(self, kind: str, node: str | None, **info) -> None:
        self.events.append(Event(self.now, kind, node, info))

    def _end(self, outcome: str, node: str | None) -> None:
        self.mode, self.outcome, self.playing = "ended", outcome, None
        self._event("end", node, outcome=outcome, seconds=self.now,
                    estimated=any(e.info.get("estimated") for e in self.events
                                  if e.kind == "segment"))

    def _enter(self, target: str, origin: str | None) -> None:
        """Go to ``target`` (a node id, `restart` or `hangup`) from the node ``origin``."""
        if target == HANGUP:
            self._end("hangup", None)
        elif target == RESTART:
            self._arrive(self.menu.entry, _FRESH, True)
        elif target == origin and origin == self.at:
            self._arrive(target, self._counts(), True)  # the node itself: the counts are kept
        else:
            self._arrive(target, _FRESH, True)

    def _counts(self) -> tuple[int, int, int]:
        return (self.failures, self.invalid, self.timeouts)

    def _arrive(self, node_id: str, counts: tuple[int, int, int], whole: bool) -> None:
        self._instant += 1
        if self._instant > 4 * len(self.nodes) + 16:
            self._end("loop", node_id)
            return
        node = self.nodes[node_id]
        if node.type == "branch" or self._overflows(node):
            # through the trampoline: branches may form a circle
            self._todo.append((self._enter, node.case_goto(node.taken_case(self.conditions)), node_id))
        elif node.is_person:
            self._end("person", node_id)
        elif node.type in ("callback", "hangup", "transfer"):
            self._end(node.type, node_id)
        elif node.type == "message":
            self._play(node_id, "message", (node.intro,) if node.intro else (), node.barge_in,
                       ("next", node_id))
        else:
            self.at, self.whole, self.digits, self.typed = node_id, whole, 0, ""
            self.failures, self.invalid, self.timeouts = counts
            self._play(node_id, "prompt" if whole else "options", prompt_segments(node, whole),
                       node.barge_in, ("wait", node_id))

    def _play(self, node_id: str, part: str, segments: tuple[Segment, ...], barge_in: bool,
              then: tuple) -> None:
        total = sum((s.seconds for s in segments), Z)
        estimated = any(s.estimated for s in segments)  # printed with ≈ (simulate.output)
        self.phase += 1
        if barge_in and self.buffer:
            self._event("prompt", node_id, part=part, seconds=total, forced=False, skipped=True,
                        estimated=estimated)
            self._todo.append((self._continue, then))
            return
        self._event("prompt", node_id, part=part, seconds=total, forced=not barge_in,
                    skipped=False, estimated=estimated)
        starts, t = [], self.now
        for segment in segments:
            starts.append(t)
            t += segment.seconds
        self.playing = _Playing(node_id, part, segments, barge_in, self.now, then,
                                starts=tuple(starts), end=t)
        self.mode = "playing"

    def _held_effect(self, p: _Playing) -> str:
        if p.then[0] == "wait":
            return ""
        return "the prompt stops; the key is held for the next node that takes input"

    def _close_prompt(self, reason: str | None) -> None:
        p = self.playing
        if reason is not None and self.now < p.end:
            self._event("cut", p.node, heard=self.now - p.start, by=reason)
        self.playing, self.mode = None, "between"

    def _cut(self, by: str) -> None:
        p = self.playing
        self._close_prompt(by)
        self._todo.append((self._continue, p.then))

    def _continue(self, then: tuple) -> None:
        kind, node_id = then[0], then[1]
        if kind == "next":
            self._enter(self.nodes[node_id].next, node_id)
        elif kind == "wait":
            self.mode = "waiting"
            self.deadline = self.now + self.nodes[node_id].timeout
            if self.buffer:
                self._take_keys()
        else:
            self._apply(node_id, then[2])

    def _take_keys(self) -> None:
        node = self.nodes[self.at]
        while self.buffer and self.mode == "waiting":
            key = self.buffer.popleft()
            if node.type == "menu":
                if not self._take_menu_key(node, key):
                    return
            else:
                self._take_digit(node, key)

    def _take_menu_key(self, node: Node, key: str) -> bool:
        """One more key toward an option's key; False once the menu has chosen or failed."""
        self.typed += key
        typed = self.typed
        option = next((o for o in node.keyed_options if o.key == typed), None)
        longer = any(len(o.key) > len(typed) and o.key.startswith(typed)
                     for o in node.keyed_options)
        if longer:  # the platform waits for more digits
            self._event("more", node.id, keys=typed, waits=node.timeout)
            self.deadline = self.now + node.timeout
            self.phase += 1
            return True
        self._choose(node, option)
        return False

    def _choose(self, node: Node, option, said: str | None = None) -> None:
        """The menu takes the keys typed (or a phrase said): an option, or an invalid input."""
        key, self.typed = (None if said is not None else self.typed), ""
        self._event("choice", node.id, key=key, said=said, goto=option.goto if option else None)
        if option is None:
            self._failure("invalid")
        else:
            self.mode = "between"
            self._enter(option.goto, node.id)

    def say(self, phrase: str) -> None:
        """Say ``phrase`` now (SPEC 9.3); see the module's notes for when it is heard."""
        if self.ended or not phrase.strip():
            return
        self._instant = 0
        node = self.nodes.get(self.at) if self.at else None
        listening = node is not None and node.type == "menu" and takes_speech(node)
        if self.mode == "playing":
            p = self.playing
            if p.then[0] != "wait" or not listening:
                self._event("speech", p.node, said=phrase, effect="not heard: nothing listens "
                            "for speech here")
                return
            if not p.barge_in:
                self._event("speech", p.node, said=phrase, effect="lost: the prompt cannot be "
                            "interrupted (barge_in: false)")
                return
            self._event("speech", p.node, said=phrase, effect="")
            self._close_prompt(f"saying '{phrase}'")
            self._continue(p.then)
        elif not listening or self.mode != "waiting":
            self._event("speech", self.at, said=phrase, effect="not heard: this menu takes "
                        "no speech" if node is not None and self.mode == "waiting" else
                        "not heard: nothing listens for speech now")
            return
        else:
            self._event("speech", self.at, said=phrase, effect="")
        if self.mode == "waiting":
            self.typed = ""
            self._choose(node, spoken_option(node, phrase), said=phrase)
        self.advance(self.now, key_first=True)

    def _take_digit(self, node: Node, key: str) -> None:
        if key.isdigit():
            self.digits += 1
            if self.digits > node.digits_max:
                self._event("digits", node.id, key=key, count=self.digits, done=False,
                            problem=f"more than {node.digits_max} digits")
                self._failure("invalid")
            elif node.terminator is None and self.digits == node.digits_max:
                self._input_done(node, key)
            else:
                self._event("digits", node.id, key=key, count=self.digits, done=False)
                self.deadline = self.now + node.timeout
                self.phase += 1
        elif key == node.terminator and node.digits_min <= self.digits <= node.digits_max:
            self._input_done(node, key)
        else:
            problem = (f"{self.digits} digits before the terminator (needs {node.digits_min})"
                       if key == node.terminator else f"'{key}' is not a digit")
            self._event("digits", node.id, key=key, count=self.digits, done=False, problem=problem)
            self._failure("invalid")

    def _input_done(self, node: Node, key: str | None) -> None:
        self._event("digits", node.id, key=key, count=self.digits, done=True)
        self.mode = "between"
        self._enter(node.next, node.id)

    def _timeout(self) -> None:
        node = self.nodes[self.at]
        if node.type == "menu" and self.typed:  # no more digits came: the keys typed decide
            option = next((o for o in node.keyed_options if o.key == self.typed), None)
            if option is not None:
                self.digit_waits += node.timeout
            self._choose(node, option)
            return
        if node.type == "input" and self.digits:
            if self.digits >= node.digits_min:
                self._input_done(node, None)
            else:
                self._event("digits", node.id, key=None, count=self.digits, done=False,
                            problem=f"silence after {self.digits} of {node.digits_min} digits")
                self._failure("invalid")
            return
        self._failure("timeout")

    def _failure(self, kind: str) -> None:
        node = self.nodes[self.at]
        action, exhausted = node.failure(kind, self.invalid, self.timeouts)
        self.failures += 1
        if kind == "invalid":
            self.invalid += 1
        else:
            self.timeouts += 1
        self._event("failure", node.id, failure=kind, count=self.failures,
                    max=node.max_failures, exhausted=exhausted, then=action.label,
                    message=action.message is not None, discarded="".join(self.buffer))
        self.buffer.clear()  # keys typed ahead of a failure are dropped with it
        self.digits, self.typed, self.mode, self.deadline = 0, "", "between", None
        if action.message:
            part = "exhausted message" if exhausted else f"{kind} message"
            self._play(node.id, part, (action.message,), node.barge_in, ("action", node.id, action))
        else:
            self._apply(node.id, action)

    def _apply(self, node_id: str, action: Action) -> None:
        node = self.nodes[node_id]
        if action.kind == "replay" or (action.kind == "goto" and action.target == node_id):
            self._arrive(node_id, self._counts(), True)
        elif action.kind == "reprompt":
            self._arrive(node_id, self._counts(), node.type == "input")
        elif action.kind == "restart":
            self._enter(RESTART, node_id)
        elif action.kind == "hangup":
            self._end("hangup", None)
        else:
            self._enter(action.target, node_id)
