"""`ivraudit call MENU`: an interactive phone in the terminal.

The menu plays in real time (or ``speed`` times faster): each prompt and segment is printed as
it starts, with the elapsed time; forced audio is marked. Keys 0-9, * and # are read as they
are typed (no Enter); timeouts fire on their own. Any other character starts a phrase to say
(SPEC 9.3): it is shown as it is typed (Backspace edits, Esc drops it) and said on Enter; a
phrase of just "q" hangs up, as do Ctrl-C and Ctrl-D. At the end a summary: how the call ended,
the keys pressed, the phrases said, the forced seconds heard, the failures.
"""

from __future__ import annotations

import codecs
import os
import select
import sys
import time
from fractions import Fraction

from .call import KEYS, Call
from .errors import SimulateError
from .output import clock, event_lines, header, seconds
from .session import Line

_STATUS_EVERY = 0.2  # seconds of wall time between updates of the status line


class Phone:
    """One interactive call on the terminal whose input is ``fd``."""

    def __init__(self, line: Line, speed: float = 1.0, out=None, fd: int | None = None) -> None:
        self.line, self.speed = line, speed
        self.out = out or sys.stdout
        self.fd = _stdin_fd() if fd is None else fd
        self.call = Call(line.menu, line.conditions)
        self.shown = 0
        self.status_shown = False
        self._started: float | None = None
        self.phrase = ""  # a phrase being typed, said on Enter
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="ignore")

    def run(self) -> Call:
        import termios
        import tty

        if self.fd is None or not os.isatty(self.fd):
            raise SimulateError("`ivraudit call` needs a terminal to read keys from",
                                "run it in a terminal, or script a call: "
                                "ivraudit simulate MENU --keys \"1 2\"")
        saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            self._write(f"{header(self.line)}\n"
                        f"keys: 0-9 * # (no Enter); type words and Enter to say them; "
                        f"Ctrl-C hangs up; speed x{self.speed:g}\n")
            self._loop()
        except KeyboardInterrupt:
            if self._started is not None and not self.call.ended:
                self.call.advance(self._virtual(self._started))
            self.call.hang_up()
            self._show_events()
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)
        self._write(summary(self.call) + "\n")
        return self.call

    def _loop(self) -> None:
        call = self.call
        call.start()
        self._show_events()
        started, last_status = time.monotonic(), 0.0
        self._started = started
        while not call.ended:
            due = call.next_time()
            wait = _STATUS_EVERY if due is None else \
                max(0.0, min(_STATUS_EVERY, float(due - self._virtual(started)) / self.speed))
            ready, _, _ = select.select([self.fd], [], [], wait)
            now = self._virtual(started)
            if ready:
                call.advance(now)
                for char in self._utf8.decode(os.read(self.fd, 64)):
                    self._typed(char)
                    if call.ended:
                        break
            else:
                call.advance(now)
            self._show_events()
            if not call.ended and time.monotonic() - last_status >= _STATUS_EVERY:
                self._status()
                last_status = time.monotonic()

    def _typed(self, char: str) -> None:
        """One character from the terminal: a key, or part of a phrase to say."""
        call = self.call
        if char == "\x04":
            call.hang_up()
        elif self.phrase and char in ("\r", "\n"):
            phrase, self.phrase = self.phrase.strip(), ""
            if phrase.lower() == "q":
                call.hang_up()
            else:
                call.say(phrase)
        elif char in ("\x7f", "\b"):
            self.phrase = self.phrase[:-1]
        elif char == "\x1b":
            self.phrase = ""
        elif not self.phrase and char in KEYS:
            call.press(char)
        elif char.isprintable() and (self.phrase or not char.isspace()):
            self.phrase += char

    def _virtual(self, started: float) -> Fraction:
        """The call's clock: wall time since the start, times the speed, to the millisecond."""
        elapsed = (time.monotonic() - started) * self.speed
        return max(self.call.now, Fraction(round(elapsed * 1000), 1000))

    def _status(self) -> None:
        call = self.call
        if call.mode == "playing":
            p = call.playing
            what = f"{p.node}: {p.part}{' (forced)' if not p.barge_in else ''}"
        else:
            left = call.deadline - call.now if call.deadline is not None else Fraction(0)
            what = f"{call.at}: waiting for a key ({seconds(left)} left)"
        if self.phrase:
            what += f"; saying: {self.phrase}_"
        self.out.write(f"\r\x1b[K  [{seconds(call.now)}] {what}")
        self.out.flush()
        self.status_shown = True

    def _event_line(self, at, text: str) -> None:
        self._write(f"{clock(at)}  {text}\n")

    def _show_events(self) -> None:
        events = self.call.events
        while self.shown < len(events):
            event = events[self.shown]
            for text in event_lines(event):
                self._event_line(event.at, text)
            self.shown += 1

    def _write(self, text: str) -> None:
        if self.status_shown:
            self.out.write("\r\x1b[K")
            self.status_shown = False
        self.out.write(text)
        self.out.flush()


def _stdin_fd() -> int | None:
    try:
        return sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def summary(call: Call) -> str:
    """How the call ended, keys pressed, forced seconds heard, failures."""
    keys, said, failures, forced = [], [], {"invalid": 0, "timeout": 0}, Fraction(0)
    playing_forced = None
    for event in call.events:
        if event.kind == "key" and event.info["keys"]:
            keys.append(event.info["keys"])
        elif event.kind == "speech":
            said.append(f"'{event.info['said']}'")
        elif event.kind == "failure":
            failures[event.info["failure"]] += 1
        elif event.kind == "prompt":
            if playing_forced is not None:
                forced += playing_forced
            playing_forced = event.info["seconds"] if event.info["forced"] else None
        elif event.kind == "cut" and playing_forced is not None:
            forced += event.info["heard"]
            playing_forced = None
        elif event.kind == "end" and playing_forced is not None:
            forced += min(playing_forced, event.at - _last_prompt_start(call))
            playing_forced = None
    end = call.events[-1] if call.events and call.events[-1].kind == "end" else None
    ending = event_lines(end)[0] if end else "the call did not end"
    total = failures["invalid"] + failures["timeout"]
    spoken = f"; said: {', '.join(said)}" if said else ""
    return (f"summary: {ending}; keys pressed: {' '.join(keys) or 'none'}{spoken}; forced audio heard: "
            f"{seconds(forced)}; failures: {total} ({failures['invalid']} invalid, "
            f"{failures['timeout']} timeouts)")


def _last_prompt_start(call: Call) -> Fraction:
    for event in reversed(call.events):
        if event.kind == "prompt":
            return event.at
    return Fraction(0)
