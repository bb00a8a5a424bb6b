"""A menu file read straight from its plain data (what ``yaml.safe_load`` gives), by SPEC
sections 1-3 and 9 only: no code of ivraudit is used, so the reference checks the loader's
reading of defaults, global options and durations too.

Every target stays a string: a node id, ``restart`` (the entry, counts reset) or ``hangup``.
Seconds are exact Fractions, a decimal read as written (``1.15`` is 115/100).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

KEYPAD = "0123456789*#"
RANK = {char: rank for rank, char in enumerate(KEYPAD)}
SILENCE_RANK = len(KEYPAD)  # silence sorts after '#' (SPEC 9.8)
RESERVED = ("replay", "reprompt", "restart", "hangup")
PERSON_TYPES = ("human",)


def exact(number) -> Fraction:
    return Fraction(number) if isinstance(number, int) else Fraction(repr(number))


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3040 <= code <= 0x30FF
            or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x323AF
            or char in "々〆〇") and char != "・"


def estimate(text: str, wpm: Fraction, cps: Fraction) -> Fraction:
    """SPEC 2: CJK characters / chars_per_second + other words x 60 / words_per_minute."""
    cjk = sum(1 for char in text if _is_cjk(char))
    words = 0
    for token in text.split():
        rest = "".join(char for char in token if not _is_cjk(char))
        if any(char.isalnum() for char in rest):
            words += 1
    return Fraction(cjk) / cps + Fraction(words * 60) / wpm


def normalise(phrase: str) -> str:
    """SPEC 9.10: white space, punctuation and symbols removed, case folded."""
    return "".join(char for char in phrase if not char.isspace()
                   and unicodedata.category(char)[0] not in "PS").casefold()


@dataclass
class Action:
    kind: str  # replay, reprompt, restart, hangup, goto
    target: str | None = None
    message: Fraction | None = None  # seconds of the error message, None when there is none

    @property
    def label(self) -> str:
        return f"goto:{self.target}" if self.kind == "goto" else self.kind


@dataclass
class Option:
    key: str | None
    goto: str
    seconds: Fraction | None  # None: hidden
    speech: list[str]
    index: int  # place in the menu's list of offered options


@dataclass
class Node:
    id: str
    type: str
    intro: Fraction = Fraction(0)
    barge_in: bool = True
    next: str | None = None
    options: list[Option] = field(default_factory=list)
    outro: Fraction = Fraction(0)
    timeout: Fraction = Fraction(5)
    max_failures: int | None = 3
    on_invalid: list[Action] = field(default_factory=list)
    on_timeout: list[Action] = field(default_factory=list)
    on_exhausted: Action | None = None
    digits: int = 0
    terminator: bool = False
    cases: list[tuple[frozenset, str]] = field(default_factory=list)
    else_: str | None = None
    wait: object = None
    person: bool = False
    overflow: tuple[frozenset, str] | None = None

    # --- prompt parts (SPEC 2, 3, 5) ---
    @property
    def announced(self) -> Fraction:
        return sum((o.seconds for o in self.options if o.seconds is not None), Fraction(0))

    @property
    def whole(self) -> Fraction:
        """P(n); 0 for the types whose prompt never counts."""
        if self.type not in ("message", "menu", "input"):
            return Fraction(0)
        return self.intro + self.announced + self.outro

    def part(self, part: str) -> Fraction:
        """Seconds of the part being played: ``whole`` or ``options`` (options and outro)."""
        if part == "options" and self.type == "menu":
            return self.announced + self.outro
        return self.whole

    def forced(self, seconds: Fraction) -> Fraction:
        return Fraction(0) if self.barge_in else seconds

    @property
    def F(self) -> Fraction:
        return self.forced(self.whole)

    def A(self, option: Option) -> Fraction:
        """Intro plus the announcements up to and including ``option``'s."""
        total = self.intro
        for other in self.options:
            if other.seconds is not None:
                total += other.seconds
            if other is option:
                return total
        raise ValueError(option)

    @property
    def keyed(self) -> list[Option]:
        return [o for o in self.options if o.key is not None]

    @property
    def wrong_key(self) -> str | None:
        starts = {o.key[0] for o in self.keyed}
        return next((char for char in KEYPAD if char not in starts), None)


@dataclass
class Menu:
    entry: str
    nodes: dict[str, Node]
    scenarios: dict[str, frozenset]

    def is_person(self, node_id: str, conditions: frozenset) -> bool:
        """A person node that does not overflow in the scenario."""
        node = self.nodes[node_id]
        return node.person and not (node.overflow and node.overflow[0] <= conditions)

    def passes(self, node_id: str, conditions: frozenset) -> str | None:
        """Where a branch, or a person that overflows, sends the call in a scenario."""
        node = self.nodes[node_id]
        if node.type == "branch":
            for when, goto in node.cases:
                if when <= conditions:
                    return goto
            return node.else_
        if node.person and node.overflow and node.overflow[0] <= conditions:
            return node.overflow[1]
        return None

    def resolve(self, target: str) -> str | None:
        """A target as a node id (``restart`` is the entry); None for ``hangup``."""
        if target == "restart":
            return self.entry
        return None if target == "hangup" else target


def read_menu(data: dict) -> Menu:
    rate = data.get("speech_rate") or {}
    wpm = exact(rate.get("words_per_minute", 150))
    cps = exact(rate.get("chars_per_second", 4.0))

    def seconds(part: dict) -> Fraction:
        if "duration" in part:
            return exact(part["duration"])
        if "audio" in part:
            raise NotImplementedError("the reference does not measure recordings")
        if "say" in part and part["say"] is not None:
            return estimate(str(part["say"]), wpm, cps)
        return Fraction(0)

    def action(raw, default_then: str) -> Action:
        if isinstance(raw, dict):
            then = action(raw.get("then", default_then), default_then)
            return Action(then.kind, then.target, seconds(raw))
        raw = str(raw)
        return Action(raw) if raw in RESERVED else Action("goto", raw)

    def actions(raw) -> list[Action]:
        raw = raw if isinstance(raw, list) else [raw]
        return [action(item, "replay") for item in raw]

    def phrases(raw) -> list[str]:
        if raw is None:
            return []
        return [str(p) for p in (raw if isinstance(raw, list) else [raw])]

    def key_text(raw) -> str | None:
        return None if raw is None else str(raw)

    defaults = data.get("defaults") or {}
    globals_ = data.get("global_options") or []
    nodes = {}
    for node_id, raw in data["nodes"].items():
        node_id = str(node_id)
        kind = raw["type"]
        node = Node(node_id, kind)
        node.intro = seconds(raw)
        nodes[node_id] = node
        if kind in ("message", "menu", "input"):
            node.barge_in = raw.get("barge_in", defaults.get("barge_in", True))
        if kind in ("message", "input"):
            node.next = str(raw["next"])
        if kind in ("menu", "input"):
            node.timeout = exact(raw.get("timeout", defaults.get("timeout", 5)))
            limit = raw.get("max_failures", defaults.get("max_failures", 3))
            node.max_failures = None if limit == "unlimited" else int(limit)
            node.on_invalid = actions(raw.get("on_invalid", defaults.get("on_invalid", "replay")))
            node.on_timeout = actions(raw.get("on_timeout", defaults.get("on_timeout", "replay")))
            if node.max_failures is not None:
                exhausted = raw.get("on_exhausted", defaults.get("on_exhausted", "hangup"))
                node.on_exhausted = action(exhausted, "hangup")
        if kind == "input":
            digits = raw["digits"]
            node.digits = digits["min"] if isinstance(digits, dict) else int(digits)
            node.terminator = raw.get("terminator") is not None
        if kind == "menu":
            own = [dict(o) for o in raw["options"]]
            offered = [(o, phrases(o.get("speech"))) for o in own]
            if raw.get("global_options", True) is not False:
                keys = {key_text(o.get("key")) for o in own} - {None}
                said = {normalise(p) for _, ps in offered for p in ps}
                for g in globals_:
                    if key_text(g.get("key")) in keys:
                        continue  # the menu defines this key itself: not offered at all
                    kept = [p for p in phrases(g.get("speech")) if normalise(p) not in said]
                    if g.get("key") is None and not kept:
                        continue
                    offered.append((g, kept))
            for index, (o, speech) in enumerate(offered):
                hidden = o.get("say") is None and o.get("audio") is None
                node.options.append(Option(key_text(o.get("key")), str(o["goto"]),
                                           None if hidden else seconds(o), speech, index))
            outro = raw.get("outro")
            if outro is not None:
                node.outro = seconds(outro if isinstance(outro, dict) else {"say": outro})
        if kind == "branch":
            for case in raw.get("cases") or []:
                when = case["when"]
                when = when if isinstance(when, list) else [when]
                node.cases.append((frozenset(map(str, when)), str(case["goto"])))
            node.else_ = str(raw["else"])
        if kind == "human" or (kind == "transfer" and raw.get("person", False)):
            node.person = True
            node.wait = raw.get("wait")
            if raw.get("overflow"):
                when = raw["overflow"]["when"]
                when = when if isinstance(when, list) else [when]
                node.overflow = (frozenset(map(str, when)), str(raw["overflow"]["goto"]))
    scenarios = data.get("scenarios")
    if scenarios is None:
        scenarios = {"default": []}
    return Menu(str(data["entry"]), nodes,
                {str(name): frozenset(map(str, conds or [])) for name, conds in scenarios.items()})
