"""Menu file -> validated model: parse with positions, check the schema, then the meaning."""

from __future__ import annotations

import re
import wave
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from . import schema
from .dates import DATE_HINT, date_problem
from .durations import SpeechRate, estimate, exact, wav_seconds
from ..errors import MenuError, did_you_mean
from ..util.inputs import NotAFileError, read_bytes
from .model import (
    COLLECTING_TYPES, HANGUP, MAX_KEY_LENGTH, PROMPTING_TYPES, REPLAY, REPROMPT,
    RESERVED_TARGETS, RESTART, UNLIMITED, Action, Assumption, Case, FieldPositions, Menu, Node,
    Option, Overflow, Segment, SourcePos, Waiver, phrase_key,
)
from .yamlsource import PosDict, PosList, decode, editor_lines, parse

# What a node gets for a setting that neither it nor `defaults` states (SPEC sections 1 and 3).
BUILTIN_DEFAULTS = {
    "barge_in": True, "timeout": 5, "max_failures": 3,
    "on_invalid": REPLAY, "on_timeout": REPLAY, "on_exhausted": HANGUP,
}
# Bounds far past any real menu that keep every sum of seconds far from a float's range (a
# `duration: 1.0e+308` would overflow when rounded for a report; a speech rate of 1e-320 makes
# every estimate infinite).
MAX_SECONDS = 1_000_000  # about 11.6 days: a prompt, a timeout, a queue's wait
SPEECH_RATES = {"words_per_minute": (1, 10_000, 150), "chars_per_second": (0.1, 1_000, 4.0)}


@lru_cache(maxsize=4096)  # bounded: a streaming audit's memory stays flat
def _estimate(text: str, rate: SpeechRate) -> Fraction:
    return estimate(text, rate)


@lru_cache(maxsize=64)
def _speech_rate(words_per_minute: Fraction, chars_per_second: Fraction) -> SpeechRate:
    """One object per rate: the estimates' cache then finds a menu's rate by identity, where
    two equal rates of two menus were compared Fraction by Fraction for every prompt."""
    return SpeechRate(words_per_minute, chars_per_second)


def load_file(path: str | Path) -> Menu:
    """Read and check one menu file; raise MenuError naming file, line and column.

    The path is one the user named, so a pipe (``<(cat menu.yaml)``) is read too; at most
    ``util.inputs.MAX_BYTES`` of it.
    """
    name = str(path)
    try:
        data = read_bytes(path, regular_only=False)
    except OSError as exc:
        raise MenuError(name, 1, 1, f"cannot read the file: {exc.strerror or exc}",
                        "check the path and its permissions") from None
    return load_text(decode(data, name), name, base_dir=Path(path).parent)


def load_text(text: str, path: str = "<menu>", base_dir: Path | None = None) -> Menu:
    """Check a menu given as text; ``base_dir`` resolves `audio` paths."""
    return load_document(parse(text, path), path, base_dir, text=text)


def load_document(document: object, path: str, base_dir: Path | None = None,
                  assumptions: tuple[Assumption, ...] = (), text: str = "") -> Menu:
    """Check a parsed menu document (PosDict/PosList/scalars, as yamlsource makes them or an
    importer builds them, positions in ``path``; ``text`` the file's text when there is one,
    for what only the text shows, such as a key written `010`) and build the model; raise
    MenuError."""
    if not isinstance(document, PosDict):
        line, column = getattr(document, "pos", (1, 1))
        raise MenuError(path, line, column,
                        "the top level of a menu file must be a mapping (`key: value` lines)",
                        "start with `ivr:`, `format: 1`, `entry:` and `nodes:`")
    schema.validate(document, path)
    menu = _Builder(document, path, base_dir or Path("."), text).menu()
    return replace(menu, assumptions=menu.assumptions + tuple(assumptions)) if assumptions \
        else menu


class _Builder:
    """Builds the model from a schema-valid document, checking what a schema cannot."""

    def __init__(self, document: PosDict, path: str, base_dir: Path, text: str = "") -> None:
        self.doc = document
        self.path = path
        self.base_dir = base_dir
        self.lines = editor_lines(text)  # as positions count them (str.splitlines splits on more)
        self.defaults = dict(BUILTIN_DEFAULTS, **document.get("defaults", {}))
        self.defaults_map = document.get("defaults", PosDict())
        # where each setting of `defaults` is written, shared by every node that takes it
        self.defaults_pos = {name: self.pos(self.defaults_map, name) for name in self.defaults_map}
        self.ids = set(document["nodes"])
        self.rate = _speech_rate(*(self.speech_rate(name) for name in SPEECH_RATES))
        # what a node without its own timeout or failure actions takes from `defaults` (or
        # the built-in defaults): the same values for every such node, made once
        self.inherited: dict[str, object] = {}

    # -- positions and errors -------------------------------------------------------------

    def pos(self, mapping: PosDict, key: str | None = None) -> SourcePos:
        line, column = mapping.value_pos[key] if key is not None else mapping.pos
        return SourcePos(self.path, line, column)

    def error(self, where: SourcePos, message: str, hint: str = "") -> MenuError:
        return MenuError(self.path, where.line, where.column, message, hint)

    # -- numbers --------------------------------------------------------------------------

    def seconds(self, mapping: PosDict, key: str) -> Fraction:
        """The seconds at ``mapping[key]``, exact, at most MAX_SECONDS."""
        value = mapping[key]
        if value > MAX_SECONDS:
            raise self.error(self.pos(mapping, key), f"`{key}` is {value!r} seconds, more than "
                             f"ivraudit can use (at most {MAX_SECONDS:,})",
                             "write the seconds the prompt or wait really takes, e.g. 30")
        return exact(value)

    def speech_rate(self, name: str) -> Fraction:
        low, high, default = SPEECH_RATES[name]
        rate = self.doc.get("speech_rate", PosDict())
        if name not in rate:
            return exact(default)
        if not low <= rate[name] <= high:
            raise self.error(self.pos(rate, name), f"`speech_rate.{name}` is {rate[name]!r}, "
                             f"outside {low:g} to {high:,}",
                             f"a real speaking rate, e.g. {default:g} (the default)")
        return exact(rate[name])

    # -- the whole menu -------------------------------------------------------------------

    def menu(self) -> Menu:
        doc = self.doc
        nodes_map = doc["nodes"]
        for node_id in nodes_map:
            if node_id in RESERVED_TARGETS:
                line, column = nodes_map.key_pos[node_id]
                raise MenuError(self.path, line, column,
                                f"'{node_id}' is a reserved word and cannot be a node id",
                                f"rename the node, e.g. '{node_id}_menu'")
        entry = self.target(doc, "entry", allow_reserved=False)
        self.global_options = self.options(doc["global_options"], "global_options", True) \
            if "global_options" in doc else ()
        nodes = {node_id: self.node(node_id, raw, SourcePos(self.path, *nodes_map.key_pos[node_id]))
                 for node_id, raw in nodes_map.items()}
        return Menu(
            path=self.path, ivr=doc["ivr"], entry=entry, nodes=nodes,
            scenarios=self.scenarios(), locale=doc.get("locale", "en-US"),
            phone=doc.get("phone"), owner=doc.get("owner"), waivers=self.waivers(),
            pos=self.pos(doc), assumptions=self.assumptions(), speech_rate=self.rate,
        )

    def scenarios(self) -> dict[str, frozenset[str]]:
        raw = self.doc.get("scenarios")
        if raw is None:
            return {"default": frozenset()}
        if not raw:
            raise self.error(self.pos(self.doc, "scenarios"), "`scenarios` is empty",
                             "list at least one scenario, e.g. `default: []`, or remove the key")
        return {name: frozenset(conditions or ()) for name, conditions in raw.items()}

    def waivers(self) -> tuple[Waiver, ...]:
        waivers = []
        for index, raw in enumerate(self.doc.get("waivers", ())):
            where = SourcePos(self.path, *self.doc["waivers"].item_pos[index])
            problem = date_problem(raw["expires"]) if "expires" in raw else None
            if problem:
                raise self.error(self.pos(raw, "expires"), f"`expires`: {problem}", DATE_HINT)
            waivers.append(Waiver(rule=raw["rule"], reason=raw["reason"], node=raw.get("node"),
                                  scenario=raw.get("scenario"), expires=raw.get("expires"),
                                  pos=where))
        return tuple(waivers)

    def assumptions(self) -> tuple[Assumption, ...]:
        """What an import wrote down as assumed (`assumptions:`, SPEC section 10)."""
        found = []
        for index, raw in enumerate(self.doc.get("assumptions", ())):
            where = SourcePos(self.path, *self.doc["assumptions"].item_pos[index])
            found.append(Assumption(raw["message"], where, raw.get("source", ""),
                                    raw.get("node"), raw.get("at", "")))
        return tuple(found)

    # -- references -----------------------------------------------------------------------

    def target(self, mapping: PosDict, key: str, allow_reserved=True, words=(RESTART, HANGUP)) -> str:
        """A node id named at ``mapping[key]``; it must exist (or be an allowed reserved word)."""
        return self.named(mapping[key], lambda: self.pos(mapping, key), f"`{key}`",
                          words if allow_reserved else ())

    def named(self, value: object, where, label: str, words=(RESTART, HANGUP)) -> str:
        """The node id (or one of the reserved ``words``) ``value`` written at ``where`` (a
        SourcePos, or a function that finds it: positions cost time, errors are rare)."""
        name = str(value)
        if name in words:
            return name
        if name not in self.ids:
            raise self.error(
                where() if callable(where) else where, f"{label} names '{name}', which is not a node"
                + did_you_mean(name, sorted(self.ids) + list(words)),
                "use one of the node ids under `nodes:`"
                + (" or " + ", ".join(f"`{w}`" for w in words) if words else ""),
            )
        return name

    # -- segments -------------------------------------------------------------------------

    def segment(self, raw: object, where: SourcePos) -> Segment:
        """A segment from a string or a {say, audio, duration, tags} mapping."""
        if isinstance(raw, str):
            seconds = self.spoken(raw)  # an estimate of nothing said (0 s) is no guess
            return Segment(seconds, say=raw, pos=where, estimated=seconds != 0)
        return self.own_segment(raw, where)

    def own_segment(self, raw: PosDict, where: SourcePos) -> Segment:
        """The segment formed by a mapping's own say/audio/duration/tags fields."""
        say, audio = raw.get("say"), raw.get("audio")
        estimated = False
        if "duration" in raw:
            seconds = self.seconds(raw, "duration")
        elif audio is not None:
            seconds = self.audio_seconds(raw, audio)
        elif say is not None:
            seconds = self.spoken(say)
            estimated = seconds != 0
        else:
            seconds = Fraction(0)
        return Segment(seconds, say=say, audio=audio, tags=tuple(raw.get("tags", ())), pos=where,
                       estimated=estimated)

    def spoken(self, text: str) -> Fraction:
        """The estimated seconds of ``text`` (durations.estimate), once per text and rate:
        error messages and standard phrases come back in every menu of a fleet."""
        return _estimate(text, self.rate)

    def audio_seconds(self, raw: PosDict, audio: str) -> Fraction:
        """A recording's length, measured from its header (durations.wav_seconds)."""
        where = self.pos(raw, "audio")
        try:
            seconds = wav_seconds(self.base_dir / audio)
        except FileNotFoundError:
            raise self.error(where, f"the audio file '{audio}' does not exist",
                             "give the path relative to the menu file, or a `duration:`") from None
        except NotAFileError as exc:
            raise self.error(where, f"the audio path '{audio}' is not a file: {exc.strerror}",
                             "name a WAV file (relative to the menu file), or give a "
                             "`duration:`") from None
        except OSError as exc:
            raise self.error(where, f"cannot read the audio file '{audio}': "
                             f"{exc.strerror or exc}",
                             "check the path and its permissions, or give a `duration:`") from None
        except wave.Error as exc:
            raise self.error(where, f"cannot measure '{audio}' as a WAV file ({exc})",
                             "only WAV files are measured: convert it "
                             "(sox in.mp3 out.wav) or give a `duration:`") from None
        if seconds > MAX_SECONDS:
            raise self.error(where, f"the audio file '{audio}' plays {float(seconds):,.0f} "
                             f"seconds, more than ivraudit can use (at most {MAX_SECONDS:,})",
                             "check the file, or give the prompt's real `duration:`")
        return seconds

    def has_sound(self, raw: PosDict) -> bool:
        return any(field in raw for field in ("say", "audio", "duration"))

    # -- nodes ----------------------------------------------------------------------------

    def node(self, node_id: str, raw: PosDict, where: SourcePos) -> Node:
        """A node; ``where`` is its id's position, where findings about it point."""
        kind = raw["type"]
        fields: dict = {"id": node_id, "type": kind, "pos": where}
        fields["field_pos"] = FieldPositions(where, raw.value_pos)
        if self.has_sound(raw) or "tags" in raw:
            fields["intro"] = self.own_segment(raw, self.pos(raw))
        if kind in PROMPTING_TYPES:
            fields["barge_in"] = self.setting(raw, "barge_in")
        if kind in ("message", "input"):
            fields["next"] = self.target(raw, "next")
        if kind in COLLECTING_TYPES:
            fields.update(self.failure_handling(node_id, raw))
        fields["defaulted"] = self.defaulted(raw, kind, fields.get("max_failures", 0))
        builder = getattr(self, f"{kind}_fields", None)
        if builder:
            fields.update(builder(node_id, raw))
        if "overflow" in raw:
            fields["overflow"] = self.overflow(raw, kind)
        return Node(**fields)

    def defaulted(self, raw: PosDict, kind: str, max_failures) -> dict[str, SourcePos | None]:
        """The settings this node takes from `defaults` (with where they are written there)
        or from the built-in defaults (None): what the menu does not say about the node."""
        wanted = ("barge_in",) if kind in PROMPTING_TYPES else ()
        if kind in COLLECTING_TYPES:
            wanted += ("timeout", "max_failures", "on_invalid", "on_timeout")
            wanted += ("on_exhausted",) if max_failures is not None else ()
        return {name: self.defaults_pos.get(name) for name in wanted if name not in raw}

    def setting(self, raw: PosDict, key: str):
        return raw[key] if key in raw else self.defaults[key]

    def whole(self, mapping: PosDict, key: str) -> None:
        """Refuse 2.0 where a whole number is meant (JSON Schema's integer accepts it)."""
        if isinstance(mapping.get(key), float):
            raise self.error(self.pos(mapping, key), f"`{key}` must be a whole number, not "
                             f"{mapping[key]!r}", f"write it without a decimal point, e.g. "
                             f"{int(mapping[key])}")

    def failure_handling(self, node_id: str, raw: PosDict) -> dict:
        self.whole(raw if "max_failures" in raw else self.defaults_map, "max_failures")
        limit = self.setting(raw, "max_failures")
        if limit == UNLIMITED:
            if "on_exhausted" in raw:  # one inherited from `defaults` is ignored (SPEC 9.1)
                raise self.error(self.pos(raw, "on_exhausted"),
                                 "`on_exhausted` never applies here: `max_failures` is "
                                 "unlimited" + ("" if "max_failures" in raw else
                                                " (set in `defaults`)"),
                                 "remove `on_exhausted`, or give `max_failures` a number")
            exhausted = None
        else:
            exhausted = self.exhausted_action(raw)
        return {
            "timeout": self.timeout(raw) if "timeout" in raw else
            self.inherit("timeout", self.timeout),
            "max_failures": None if limit == UNLIMITED else limit,
            "on_invalid": self.actions(raw, "on_invalid"),
            "on_timeout": self.actions(raw, "on_timeout"),
            "on_exhausted": exhausted,
        }

    def inherit(self, key: str, make):
        """``make(defaults_map)`` for a node that does not set ``key``, made once per menu."""
        found = self.inherited.get(key)
        if found is None:
            found = self.inherited[key] = make(self.defaults_map)
        return found

    def timeout(self, holder: PosDict) -> Fraction:
        return self.seconds(holder, "timeout") if "timeout" in holder else \
            exact(BUILTIN_DEFAULTS["timeout"])

    def actions(self, raw: PosDict, key: str) -> tuple[Action, ...]:
        """`on_invalid` or `on_timeout`: one action, or a list of them (SPEC 9.1)."""
        if key not in raw:
            return self.inherit(key, lambda defaults: self.written_actions(defaults, key))
        return self.written_actions(raw, key)

    def written_actions(self, holder: PosDict, key: str) -> tuple[Action, ...]:
        if key not in holder:
            return (Action(kind=self.defaults[key]),)
        value = holder[key]
        if not isinstance(value, PosList):
            return (self.action(value, self.pos(holder, key), f"`{key}`", REPLAY),)
        if not value:
            raise self.error(self.pos(holder, key), f"`{key}` is an empty list",
                             "list at least one action, e.g. [reprompt, agent], or write one "
                             "action")
        return tuple(self.action(item, SourcePos(self.path, *value.item_pos[index]),
                                 f"`{key}[{index}]`", REPLAY)
                     for index, item in enumerate(value))

    def exhausted_action(self, raw: PosDict) -> Action:
        if "on_exhausted" not in raw:
            return self.inherit("on_exhausted", self.written_exhausted_action)
        return self.written_exhausted_action(raw)

    def written_exhausted_action(self, holder: PosDict) -> Action:
        if "on_exhausted" not in holder:
            return Action(kind=self.defaults["on_exhausted"])
        where = self.pos(holder, "on_exhausted")
        value = holder["on_exhausted"]
        if value in (REPLAY, REPROMPT):
            raise self.error(where, f"`on_exhausted` cannot be '{value}': retries are used up",
                             "use `restart`, `hangup`, a node id (e.g. an agent), or a message "
                             "mapping with one of those as `then`")
        return self.action(value, where, "`on_exhausted`", HANGUP)

    def action(self, value: object, where: SourcePos, label: str, default_then: str) -> Action:
        """One failure action written at ``where``: a word, a node id, or {say, ..., then}."""
        message = None
        target_at, target_label = where, label
        if isinstance(value, PosDict):
            message = self.own_segment(value, where)
            if "then" in value:
                target_at, target_label = self.pos(value, "then"), "`then`"
            value = value.get("then", default_then)
        target = self.named(value, target_at, target_label, RESERVED_TARGETS)
        if target in RESERVED_TARGETS:
            return Action(kind=target, message=message, pos=where)
        return Action(kind="goto", target=target, message=message, pos=where)

    def menu_fields(self, node_id: str, raw: PosDict) -> dict:
        options = self.options(raw["options"], node_id, False)
        if raw.get("global_options", True):
            options += self.offered_globals(options)
        outro = None
        if "outro" in raw:
            outro = self.segment(raw["outro"], self.pos(raw, "outro"))
        return {"options": options, "outro": outro, "role": raw.get("role")}

    def offered_globals(self, own: tuple[Option, ...]) -> tuple[Option, ...]:
        """The global options a menu offers after its own (SPEC 9.4, 9.10): none whose key the
        menu defines; a phrase the menu uses itself is dropped, and an option left with
        neither key nor phrase is not offered."""
        if not self.global_options:
            return ()
        keys = {option.key for option in own}
        phrases = {phrase_key(p) for option in own for p in option.speech}
        offered = []
        for option in self.global_options:
            if option.key is not None and option.key in keys:
                continue
            speech = tuple(p for p in option.speech if phrase_key(p) not in phrases)
            if option.key is None and not speech:
                continue
            offered.append(option if speech == option.speech else replace(option, speech=speech))
        return tuple(offered)

    def options(self, listed: PosList, owner: str, is_global: bool) -> tuple[Option, ...]:
        """The options of a menu (or of `global_options`), checked."""
        options, seen = [], {}
        where_owner = "in `global_options`" if is_global else f"in menu '{owner}'"
        for index, option_raw in enumerate(listed):
            where = SourcePos(self.path, *listed.item_pos[index])
            speech = option_raw.get("speech", ())
            speech = (speech,) if isinstance(speech, str) else tuple(speech)
            for phrase in speech:
                if not phrase_key(phrase):
                    raise self.error(self.pos(option_raw, "speech"),
                                     f"the phrase {phrase!r} has no letters or digits",
                                     "write the words a caller says, e.g. speech: [agent]")
            key = self.option_key(option_raw) if "key" in option_raw else None
            if key is None and not speech:
                raise self.error(where, "an option needs a `key`, a `speech`, or both",
                                 'add the key it is chosen with (key: "1") or the phrases a '
                                 "caller may say (speech: [billing])")
            if key is not None and key in seen:
                raise self.error(self.pos(option_raw, "key"),
                                 f"key '{key}' is used twice {where_owner} "
                                 f"(first at line {seen[key].line})",
                                 "give each option of a menu its own key")
            if key is not None:
                seen[key] = where
            segment = None
            if "say" in option_raw or "audio" in option_raw:
                segment = self.own_segment(option_raw, where)
            elif "duration" in option_raw:
                raise self.error(self.pos(option_raw, "duration"),
                                 "a hidden option (no `say` or `audio`) cannot have a `duration`",
                                 "add the announcement's `say`, or remove `duration`")
            options.append(Option(key=key, goto=self.target(option_raw, "goto"), segment=segment,
                                  speech=speech, pos=where, is_global=is_global))
        return tuple(options)

    def option_key(self, option_raw: PosDict) -> str:
        """An option's key as its characters: an integer means its decimal digits (SPEC 9.2)."""
        self.whole(option_raw, "key")
        value = option_raw["key"]
        text = str(value)
        plain = isinstance(value, str) and not _LEADING_ZERO.fullmatch(text)
        # only a number can be misread: look at how it is written
        written = None if plain else self.written(*option_raw.value_pos["key"], expected=text)
        if written is not None and (_LEADING_ZERO.fullmatch(written) or (
                isinstance(value, int) and written != text)):
            raise self.error(self.pos(option_raw, "key"), f"the key {written} is not quoted, "
                             "and YAML may read it as "
                             "another number (an unquoted 010 is the octal number 8)",
                             f'quote it: key: "{written}"')
        key = text
        if len(key) > MAX_KEY_LENGTH:
            raise self.error(self.pos(option_raw, "key"), f"the key '{key}' has {len(key)} "
                             "characters; a key has at "
                             f"most {MAX_KEY_LENGTH}", "shorten it: keys are 1 to 16 of 0-9, "
                             "* and #")
        return key

    def written(self, line: int, column: int, expected: str = "") -> str | None:
        """The plain (unquoted) scalar written at ``line``, ``column``, or None when quoted.
        ``expected``: the usual answer (a key's digits), recognised without a pattern."""
        if not 1 <= line <= len(self.lines):
            return None
        rest = self.lines[line - 1][column - 1:]
        if expected and rest.startswith(expected) and rest[len(expected):len(expected) + 1] in \
                _PLAIN_ENDS:
            return expected
        if rest[:1] == "&":
            rest = _ANCHOR.sub("", rest)  # an anchor before the value
        if rest[:1] in ("'", '"'):
            return None
        found = _PLAIN.match(rest)
        return found.group(0) if found else None

    def input_fields(self, node_id: str, raw: PosDict) -> dict:
        digits = raw["digits"]
        if isinstance(digits, PosDict):
            self.whole(digits, "min")
            self.whole(digits, "max")
            low, high = digits["min"], digits.get("max", digits["min"])
        else:
            self.whole(raw, "digits")
            low = high = digits
        if high < low:
            raise self.error(self.pos(raw, "digits"), f"`digits` max {high} is below min {low}",
                             "make `max` at least `min`")
        terminator = raw.get("terminator")
        return {"digits_min": low, "digits_max": high, "asks": raw.get("asks"),
                "terminator": str(terminator) if terminator is not None else None}

    def branch_fields(self, node_id: str, raw: PosDict) -> dict:
        cases = []
        for index, case in enumerate(raw.get("cases", ())):
            when = case["when"]
            cases.append(Case(when=(when,) if isinstance(when, str) else tuple(when),
                              goto=self.target(case, "goto"),
                              pos=SourcePos(self.path, *raw["cases"].item_pos[index])))
        return {"cases": tuple(cases), "else_": self.target(raw, "else")}

    def human_fields(self, node_id: str, raw: PosDict) -> dict:
        if "wait" in raw:
            self.seconds(raw, "wait")  # bounded; kept as written (reports print it as given)
        return {"wait": raw.get("wait"), "announces_wait": raw.get("announces_wait", False),
                "queue": raw.get("queue")}

    def transfer_fields(self, node_id: str, raw: PosDict) -> dict:
        person = raw.get("person", False)
        if not person:
            for field in ("wait", "announces_wait", "queue", "overflow"):
                if field in raw:
                    line, column = raw.key_pos[field]
                    raise MenuError(self.path, line, column,
                                    f"`{field}` describes the person who answers, but transfer "
                                    f"'{node_id}' has no `person: true`",
                                    "add `person: true` if a person answers there, or remove "
                                    f"`{field}`")
        return {"to": raw["to"], "person": person, **self.human_fields(node_id, raw)}

    def overflow(self, raw: PosDict, kind: str) -> Overflow:
        """A person node's `overflow: {when, goto}` (SPEC 9.6)."""
        value = raw["overflow"]
        when = value["when"]
        when = (when,) if isinstance(when, str) else tuple(when)
        if not when:
            raise self.error(self.pos(value, "when"), "an `overflow` needs at least one condition "
                             "in `when`", "name the condition under which the queue is full, "
                             "e.g. when: queue_full")
        return Overflow(when=when, goto=self.target(value, "goto"), pos=self.pos(raw, "overflow"))


# Digits with a leading zero (SPEC 9.10: 00, 08, 010 must be quoted).
_LEADING_ZERO = re.compile(r"0[0-9_]+")
_ANCHOR = re.compile(r"^&\S+\s+")
_PLAIN = re.compile(r"[^\s,\]}#]+")
_PLAIN_ENDS = ("", " ", "\t", ",", "]", "}", "#")  # what ends a plain scalar (_PLAIN), or nothing

