"""The one model of a menu: frozen dataclasses, each part knowing where it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from fractions import Fraction

# Keypad order: how keys are listed and how ties between paths are broken.
KEYPAD = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#")
KEY_RANK = {key: rank for rank, key in enumerate(KEYPAD)}

RESTART = "restart"
HANGUP = "hangup"
REPLAY = "replay"
REPROMPT = "reprompt"
RESERVED_TARGETS = (REPLAY, REPROMPT, RESTART, HANGUP)

NODE_TYPES = ("message", "menu", "input", "branch", "human", "callback", "hangup")
# Node types that play a prompt which counts in the metrics and take `barge_in`.
PROMPTING_TYPES = ("message", "menu", "input")
# Node types that wait for keys and so have failure handling.
COLLECTING_TYPES = ("menu", "input")


@dataclass(frozen=True)
class SourcePos:
    """Where something was written: file, line and column (both from 1)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Segment:
    """A piece of prompt audio with its duration in exact seconds."""

    seconds: Fraction
    say: str | None = None
    audio: str | None = None
    tags: tuple[str, ...] = ()
    pos: SourcePos | None = None


@dataclass(frozen=True)
class Action:
    """What a failure does: ``kind`` is replay, reprompt, restart, hangup or goto."""

    kind: str
    target: str | None = None  # the node id, for goto
    message: Segment | None = None  # the error message played first, if any
    pos: SourcePos | None = None

    @property
    def label(self) -> str:
        """The outcome's name as reports show it: ``replay`` ... or ``goto:<id>``."""
        return f"goto:{self.target}" if self.kind == "goto" else self.kind


@dataclass(frozen=True)
class Option:
    """A menu choice. ``segment`` is None for a hidden option, which plays nothing."""

    key: str
    goto: str
    segment: Segment | None
    speech: tuple[str, ...] = ()
    pos: SourcePos | None = None

    @property
    def hidden(self) -> bool:
        return self.segment is None


@dataclass(frozen=True)
class Case:
    """A branch case: taken when every condition in ``when`` holds."""

    when: tuple[str, ...]
    goto: str
    pos: SourcePos | None = None


@dataclass(frozen=True)
class Node:
    """One IVR node; fields that a type does not use keep their defaults."""

    id: str
    type: str
    pos: SourcePos
    intro: Segment | None = None  # the node's own say/audio/duration/tags
    barge_in: bool = True
    next: str | None = None
    options: tuple[Option, ...] = ()
    outro: Segment | None = None
    timeout: Fraction = Fraction(5)
    max_failures: int = 3
    on_invalid: Action | None = None
    on_timeout: Action | None = None
    on_exhausted: Action | None = None
    digits_min: int = 0
    digits_max: int = 0
    terminator: str | None = None
    asks: str | None = None
    cases: tuple[Case, ...] = ()
    else_: str | None = None
    wait: float | int | None = None
    announces_wait: bool = False
    queue: str | None = None
    field_pos: dict[str, SourcePos] = field(default_factory=dict, compare=False, repr=False)

    @property
    def intro_seconds(self) -> Fraction:
        return self.intro.seconds if self.intro else Fraction(0)

    @cached_property  # frozen dataclasses allow it: it writes the instance dict directly
    def prompt_seconds(self) -> Fraction:
        """P(n): the whole prompt, intro then announced options then outro."""
        total = self.intro_seconds
        for option in self.options:
            if option.segment:
                total += option.segment.seconds
        if self.outro:
            total += self.outro.seconds
        return total

    @cached_property
    def forced_seconds(self) -> Fraction:
        """F(n): the prompt if it cannot be interrupted, else nothing."""
        if self.type not in PROMPTING_TYPES or self.barge_in:
            return Fraction(0)
        return self.prompt_seconds

    @property
    def input_steps(self) -> int:
        """Key presses an input takes: the fewest digits, plus the terminator."""
        return self.digits_min + (1 if self.terminator else 0)

    def taken_case(self, conditions: frozenset[str]) -> int | None:
        """For a branch: the index of the first case whose conditions all hold (None: `else`)."""
        return next((i for i, case in enumerate(self.cases) if set(case.when) <= conditions), None)

    def case_goto(self, case: int | None) -> str:
        """For a branch: where case ``case`` (None: `else`) sends the call."""
        return self.else_ if case is None else self.cases[case].goto

    def segments(self) -> list[Segment]:
        """Every segment this node can play, for rules about tags and prompts."""
        found = [self.intro] if self.intro else []
        found += [option.segment for option in self.options if option.segment]
        if self.outro:
            found.append(self.outro)
        for action in (self.on_invalid, self.on_timeout, self.on_exhausted):
            if action and action.message:
                found.append(action.message)
        return found


@dataclass(frozen=True)
class Waiver:
    """An accepted finding (SPEC section 1)."""

    rule: str
    reason: str
    node: str | None = None
    scenario: str | None = None
    expires: str | None = None
    pos: SourcePos | None = None


@dataclass(frozen=True)
class Assumption:
    """A value an importer had to choose because the platform file does not decide it (a
    platform default, a run-time decision turned into scenarios, an unknown prompt length):
    what was assumed, where the file is silent, and the documentation it rests on (SPEC 10)."""

    message: str
    pos: SourcePos
    source: str = ""  # the platform documentation (URL) or docs/importers.md section
    node: str | None = None
    at: str = ""  # FILE:LINE:COLUMN in the platform file, once written out as a menu file


@dataclass(frozen=True)
class Menu:
    """One IVR line as written in one file (or imported from a platform's flows: then
    ``assumptions`` lists what the import had to assume and positions point into those flows)."""

    path: str
    ivr: str
    entry: str
    nodes: dict[str, Node]
    scenarios: dict[str, frozenset[str]]
    locale: str = "en-US"
    phone: str | None = None
    owner: str | None = None
    waivers: tuple[Waiver, ...] = ()
    pos: SourcePos | None = None
    assumptions: tuple[Assumption, ...] = ()
