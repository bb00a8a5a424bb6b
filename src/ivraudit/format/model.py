"""The one model of a menu: frozen dataclasses, each part knowing where it was written."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import field
from fractions import Fraction
from typing import TYPE_CHECKING

from ..util.cached import cached_property, record
from .durations import SpeechRate

if TYPE_CHECKING:
    from ..i18n import Message

# Keypad order: how keys are listed and how ties between paths are broken.
KEYPAD = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#")
KEY_RANK = {key: rank for rank, key in enumerate(KEYPAD)}


def key_ranks(key: str) -> tuple[int, ...]:
    """A key's characters as keypad ranks, for the tie-break (``"1*"`` -> ``(1, 10)``)."""
    return tuple(KEY_RANK[char] for char in key)

RESTART = "restart"
HANGUP = "hangup"
REPLAY = "replay"
REPROMPT = "reprompt"
RESERVED_TARGETS = (REPLAY, REPROMPT, RESTART, HANGUP)
UNLIMITED = "unlimited"  # `max_failures: unlimited` (SPEC 9.1); the model holds None
MAX_KEY_LENGTH = 16  # keypad characters in one option's key (SPEC 9.2)
NO_SECONDS = Fraction(0)  # shared: a Fraction is immutable, and costly to make

NODE_TYPES = ("message", "menu", "input", "branch", "human", "callback", "hangup", "transfer")
# Node types that play a prompt which counts in the metrics and take `barge_in`.
PROMPTING_TYPES = ("message", "menu", "input")
# Node types that wait for keys and so have failure handling.
COLLECTING_TYPES = ("menu", "input")
# The settings a node may leave to `defaults` or to the built-in defaults (SPEC section 1).
DEFAULTABLE = ("barge_in", "timeout", "max_failures", "on_invalid", "on_timeout", "on_exhausted")


@record
class SourcePos:
    """Where something was written: file, line and column (both from 1)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@record(eq=False)
class FieldPositions(Mapping):
    """Where each field of a node is written: a read-only mapping of field name -> SourcePos.

    ``node``: where the node is written (the fields are in its file); ``at``: (line, column)
    per field, as the parsed file has them. Each SourcePos is made when asked for: a large
    menu has tens of thousands of fields, and reports ask for few of their positions. A
    dataclass, so that what moves a node's positions into another file (a linked flow's
    nodes) moves these too."""

    node: SourcePos
    at: dict[str, tuple[int, int]]

    def __getitem__(self, name: str) -> SourcePos:
        line, column = self.at[name]
        return SourcePos(self.node.path, line, column)

    def get(self, name: str, default=None):
        at = self.at.get(name)  # without Mapping.get's KeyError: most settings are not written
        return default if at is None else SourcePos(self.node.path, *at)

    def __contains__(self, name: object) -> bool:
        return name in self.at

    def __iter__(self):
        return iter(self.at)

    def __len__(self) -> int:
        return len(self.at)


@record
class Segment:
    """A piece of prompt audio with its duration in exact seconds. ``estimated``: the menu
    gives neither a `duration` nor an `audio` file, so the seconds are estimated from the
    text (SPEC section 2) and reports mark numbers that rest on them."""

    seconds: Fraction
    say: str | None = None
    audio: str | None = None
    tags: tuple[str, ...] = ()
    pos: SourcePos | None = None
    estimated: bool = False

    def text(self, recording=lambda file: f"[audio {file}]") -> str:
        """What it says as written, else the recording it plays (``recording(file)`` names
        it: '[audio welcome.wav]'); '' for a segment with neither."""
        if self.say:
            return self.say
        return recording(self.audio) if self.audio else ""


@record
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


@record
class Option:
    """A menu choice. ``segment`` is None for a hidden option, which plays nothing.

    ``key``: 1 to 16 keypad characters, or None for a spoken option (SPEC 9.3), which only a
    caller who speaks can choose. ``speech``: the phrases a caller may say instead.
    ``is_global``: offered by `global_options` (SPEC 9.4); ``pos`` is then where it is written
    there.
    """

    key: str | None
    goto: str
    segment: Segment | None
    speech: tuple[str, ...] = ()
    pos: SourcePos | None = None
    is_global: bool = False

    @property
    def hidden(self) -> bool:
        return self.segment is None

    @property
    def phrase(self) -> str | None:
        """The first phrase: what reports and the `spoken` path show for a spoken choice."""
        return self.speech[0] if self.speech else None

    @property
    def label(self) -> str:
        """How reports name the choice: ``0``, ``"agent"`` or ``0 / "agent"``."""
        said = f'"{self.phrase}"' if self.speech else ""
        return " / ".join(part for part in (self.key, said) if part)


def phrase_key(text: str) -> str:
    """A phrase as matched (SPEC 9.10): white space and every Unicode punctuation or symbol
    character removed, case folded. ``phrase_key("Customer-Service!") == "customerservice"``.
    """
    if text.isascii():  # the common case, at C speed
        return text.translate(_ASCII_DROPPED).lower()
    kept = (char for char in text if not char.isspace()
            and unicodedata.category(char)[0] not in "PS")
    return "".join(kept).casefold()


# ASCII white space, punctuation and symbols (Unicode categories Z, Cc for the spaces, P, S)
_ASCII_DROPPED = {code: None for code in range(128)
                  if chr(code).isspace() or unicodedata.category(chr(code))[0] in "PS"}


@record
class Overflow:
    """A queue that is full (SPEC 9.6): where every condition of ``when`` holds, the person node
    is passed like a branch to ``goto``."""

    when: tuple[str, ...]
    goto: str
    pos: SourcePos | None = None


@record
class Case:
    """A branch case: taken when every condition in ``when`` holds."""

    when: tuple[str, ...]
    goto: str
    pos: SourcePos | None = None


@record
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
    max_failures: int | None = 3  # None: unlimited (SPEC 9.1)
    # the k-th failure of a kind in a visit takes the k-th action; past the end, the last
    on_invalid: tuple[Action, ...] = (Action(REPLAY),)
    on_timeout: tuple[Action, ...] = (Action(REPLAY),)
    on_exhausted: Action | None = Action(HANGUP)  # None where max_failures is unlimited
    digits_min: int = 0
    digits_max: int = 0
    terminator: str | None = None
    asks: str | None = None
    cases: tuple[Case, ...] = ()
    else_: str | None = None
    wait: float | int | None = None
    announces_wait: bool = False
    queue: str | None = None
    to: str | None = None  # a transfer's destination: a number, a SIP address, a flow
    person: bool = False  # a transfer that a person answers
    overflow: Overflow | None = None  # a person node's full queue (SPEC 9.6)
    role: str | None = None  # `language` for a menu where the caller picks a language
    field_pos: Mapping[str, SourcePos] = field(default_factory=dict, compare=False, repr=False)
    # The settings (DEFAULTABLE) the node does not state: where in `defaults` each comes from,
    # or None for ivraudit's built-in default (an assumption reports show).
    defaulted: dict[str, SourcePos | None] = field(default_factory=dict, compare=False,
                                                   repr=False)

    def setting_pos(self, name: str) -> SourcePos | None:
        """Where the setting ``name`` is written: on the node, else in `defaults`; None for a
        built-in default."""
        return self.field_pos.get(name) or self.defaulted.get(name)

    def assumed(self, name: str) -> bool:
        """Whether the setting ``name`` is ivraudit's built-in default: stated nowhere."""
        return name in self.defaulted and self.defaulted[name] is None

    @cached_property
    def prompt_estimated(self) -> bool:
        """Whether the duration of a segment of the prompt (intro, announced options, outro)
        is estimated from its text."""
        return any(segment.estimated for segment in self.prompt_segments())

    def prompt_segments(self) -> list[Segment]:
        """The prompt's segments in the order they play: intro, announced options, outro."""
        found = [self.intro] if self.intro else []
        found += [option.segment for option in self.options if option.segment]
        return found + ([self.outro] if self.outro else [])

    @property
    def intro_seconds(self) -> Fraction:
        return self.intro.seconds if self.intro else NO_SECONDS

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
            return NO_SECONDS
        return self.prompt_seconds

    @property
    def input_steps(self) -> int:
        """Key presses an input takes: the fewest digits, plus the terminator."""
        return self.digits_min + (1 if self.terminator else 0)

    @property
    def is_person(self) -> bool:
        """A `human` node, or a `transfer` that a person answers (SPEC 9.5)."""
        return self.type == "human" or (self.type == "transfer" and self.person)

    @property
    def ends_call(self) -> bool:
        """Whether reaching this node ends the call in the audited menu (when it does not
        overflow): a person, a callback, a hangup or a transfer."""
        return self.type in ("human", "callback", "hangup", "transfer")

    @cached_property
    def keyed_options(self) -> tuple[Option, ...]:
        """The options a keypad caller can choose (every option but the spoken ones)."""
        return tuple(option for option in self.options if option.key is not None)

    @cached_property
    def wrong_key(self) -> str | None:
        """For a menu: the first character in keypad order with which no key begins (SPEC
        9.2); None when all twelve begin some key."""
        starts = {option.key[0] for option in self.keyed_options}
        return next((key for key in KEYPAD if key not in starts), None)

    def failure(self, kind: str, invalid: int, timeouts: int) -> tuple[Action, bool]:
        """The action a failure of ``kind`` (``invalid`` or ``timeout``) takes, after
        ``invalid`` and ``timeouts`` failures of each kind in this visit; and whether it is
        the one that brings the total to ``max_failures`` (then the action is `on_exhausted`).

        SPEC 9.1: the total is checked first; otherwise the kind's k-th action, the last one
        past the end of its list.
        """
        if self.max_failures is not None and invalid + timeouts + 1 == self.max_failures:
            return self.on_exhausted, True
        actions, count = (self.on_invalid, invalid) if kind == "invalid" else \
            (self.on_timeout, timeouts)
        return actions[min(count, len(actions) - 1)], False

    def failure_action(self, kind: str, index: int) -> Action | None:
        """The ``index``-th action of a failure ``kind`` (invalid, timeout, exhausted)."""
        actions = {"invalid": self.on_invalid, "timeout": self.on_timeout}.get(
            kind, (self.on_exhausted,))
        return actions[index] if index < len(actions) else None

    def message_estimated(self, kind: str, index: int) -> bool:
        """Whether that action's error message is timed from its text."""
        action = self.failure_action(kind, index)
        return bool(action and action.message and action.message.estimated)

    def taken_case(self, conditions: frozenset[str]) -> int | None:
        """For a branch: the index of the first case whose conditions all hold (None: `else`).
        For a person node with an `overflow`: 0 where the overflow holds, else None."""
        if self.overflow is not None:
            return 0 if set(self.overflow.when) <= conditions else None
        return next((i for i, case in enumerate(self.cases) if set(case.when) <= conditions), None)

    def case_goto(self, case: int | None) -> str:
        """For a branch: where case ``case`` (None: `else`) sends the call; for an overflowing
        person node, the overflow's `goto`."""
        if self.overflow is not None:
            return self.overflow.goto
        return self.else_ if case is None else self.cases[case].goto

    def prompt_text(self, recording=lambda file: f"[audio {file}]") -> str:
        """The whole prompt as written, in the order it plays (intro, announced options,
        outro; recordings named by ``recording(file)``), on one line; '' for none."""
        played = [self.intro, *(option.segment for option in self.options), self.outro]
        parts = [s.text(recording) for s in played if s is not None]
        return " ".join(" ".join(part for part in parts if part).split())

    def segments(self) -> tuple[Segment, ...]:
        """Every segment this node can play, for rules about tags and prompts: the prompt's,
        then the failure messages'."""
        return self._segments

    @cached_property  # asked for by the graph, several rules and the reports
    def _segments(self) -> tuple[Segment, ...]:
        found = self.prompt_segments()
        for action in self.on_invalid + self.on_timeout + (self.on_exhausted,):
            if action is not None and action.message:
                found.append(action.message)
        return tuple(found)


@record
class Waiver:
    """An accepted finding (SPEC section 1)."""

    rule: str
    reason: str
    node: str | None = None
    scenario: str | None = None
    expires: str | None = None
    pos: SourcePos | None = None


@record
class Assumption:
    """A value an importer had to choose because the platform file does not decide it (a
    platform default, a run-time decision turned into scenarios, an unknown prompt length):
    what was assumed, where the file is silent, and the documentation it rests on (SPEC 10).

    ``message``: a ``Message`` when an importer made it (rendered in the report's language;
    ``str()`` gives the English, which `ivraudit import` writes), the text as written when it
    was read from a menu file's `assumptions:`."""

    message: Message | str
    pos: SourcePos
    # the platform documentation (URL), a docs/importers.md section or a SPEC section (a
    # Message, as ``message``)
    source: Message | str = ""
    node: str | None = None
    at: str = ""  # FILE:LINE:COLUMN in the platform file, once written out as a menu file


@record
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
    digests: tuple[tuple[str, str], ...] = ()  # (input file, its sha256): what was audited
    # the rate `say` texts without a duration are estimated at (`speech_rate`, SPEC section 2)
    speech_rate: SpeechRate = field(default_factory=SpeechRate)
