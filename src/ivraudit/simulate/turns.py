"""A call taken turn by turn: the engine of `ivraudit call` (call.py), driven by a caller who
acts only when the menu waits for them. The live preview's phone (`ivraudit serve`) uses it.

Each turn the menu plays on its own (prompts whole, messages, branches) until a menu or an
input waits for the caller, or the call ends. Then the caller presses keys, stays silent (the
menu's timeout passes: a no-input failure), or says a phrase (heard by a menu that takes
speech, SPEC 9.3). A caller who acts only at the waits never barges in: this is the
first-time caller who hears every prompt to its end. A menu that plays on for ever without
waiting (messages that lead to each other) is ended as a loop, as scripted calls are.
"""

from __future__ import annotations

from fractions import Fraction

from .call import KEYS, Call
from .errors import SimulateError
from .output import clock, event_lines
from .phone import summary
from .playing import takes_speech
from .session import Line


class TurnCall:
    """One call through ``line``, started at once and played to the first wait."""

    def __init__(self, line: Line) -> None:
        self.line = line
        self.call = Call(line.menu, line.conditions)
        self.call.start()
        self._play_on()

    def press(self, keys: str) -> None:
        """Press ``keys`` (0-9, * and #; several are typed together); SimulateError for others."""
        bad = next((char for char in keys if char not in KEYS), None)
        if bad is not None or not keys:
            raise SimulateError(f"'{bad or ''}' is not a phone key", "keys are 0-9, * and #")
        self.call.press(keys)
        self._play_on()

    def stay_silent(self) -> None:
        """Press nothing until the menu's timeout passes."""
        call = self.call
        if call.mode == "waiting" and call.deadline is not None:
            call.advance(call.deadline)
        self._play_on()

    def say(self, phrase: str) -> None:
        """Say ``phrase`` (only a menu that takes speech hears it; the transcript says so)."""
        self.call.say(phrase)
        self._play_on()

    def hang_up(self) -> None:
        self.call.hang_up()

    def _play_on(self) -> None:
        """Let the menu play until it waits for the caller or the call ends."""
        call, seen, phase = self.call, set(), None
        while not call.ended and call.mode != "waiting":
            if call.phase != phase:  # a new prompt: the same state again means for ever
                phase, state = call.phase, call.signature()
                if state in seen:
                    call.end_loop()
                    break
                seen.add(state)
            due = call.next_time()
            if due is None:  # pragma: no cover - a live call always has something next
                break
            call.advance(due, stop_at_new_phase=True)

    # -- what the page shows -------------------------------------------------------------------

    @property
    def node(self) -> str | None:
        """Where the call is: the node playing or waiting, or where it ended."""
        call = self.call
        if call.mode == "playing":
            return call.playing.node
        if not call.ended:
            return call.at
        return next((event.node for event in reversed(call.events) if event.node), None)

    def transcript(self, start: int = 0) -> list[dict]:
        """The events from ``start`` on as lines: {at: '  12.0 s', text}."""
        return [{"at": clock(event.at).strip(), "text": text}
                for event in self.call.events[start:] for text in event_lines(event)]

    def state(self) -> dict:
        """The call as the page shows it (JSON-ready)."""
        call, node = self.call, self.node
        waits = None
        if not call.ended and call.at:
            kind = call.nodes[call.at].type
            waits = "digits" if kind == "input" else "key"
        menu = call.nodes.get(call.at) if call.at else None
        return {"node": node, "ended": call.ended, "outcome": call.outcome, "waits": waits,
                "speech": bool(menu is not None and menu.type == "menu" and takes_speech(menu)),
                "seconds": float(Fraction(call.now)), "events": len(call.events),
                "summary": summary(call) if call.ended else None}
