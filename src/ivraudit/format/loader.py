"""Menu file -> validated model: parse with positions, check the schema, then the meaning."""

from __future__ import annotations

import wave
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from . import schema
from .dates import DATE_HINT, date_problem
from .durations import SpeechRate, estimate, exact, wav_seconds
from ..errors import MenuError, did_you_mean
from ..util.inputs import NotAFileError, read_bytes
from .model import (
    COLLECTING_TYPES, HANGUP, PROMPTING_TYPES, REPLAY, REPROMPT, RESERVED_TARGETS,
    RESTART, Action, Assumption, Case, Menu, Node, Option, Segment, SourcePos, Waiver,
)
from .yamlsource import PosDict, decode, parse

_BUILTIN_DEFAULTS = {
    "barge_in": True, "timeout": 5, "max_failures": 3,
    "on_invalid": REPLAY, "on_timeout": REPLAY, "on_exhausted": HANGUP,
}
# Bounds far past any real menu that keep every sum of seconds far from a float's range (a
# `duration: 1.0e+308` would overflow when rounded for a report; a speech rate of 1e-320 makes
# every estimate infinite).
MAX_SECONDS = 1_000_000  # about 11.6 days: a prompt, a timeout, a queue's wait
SPEECH_RATES = {"words_per_minute": (1, 10_000, 150), "chars_per_second": (0.1, 1_000, 4.0)}


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
    return load_document(parse(text, path), path, base_dir)


def load_document(document: object, path: str, base_dir: Path | None = None,
                  assumptions: tuple[Assumption, ...] = ()) -> Menu:
    """Check a parsed menu document (PosDict/PosList/scalars, as yamlsource makes them or an
    importer builds them, positions in ``path``) and build the model; raise MenuError."""
    if not isinstance(document, PosDict):
        line, column = getattr(document, "pos", (1, 1))
        raise MenuError(path, line, column,
                        "the top level of a menu file must be a mapping (`key: value` lines)",
                        "start with `ivr:`, `format: 1`, `entry:` and `nodes:`")
    schema.validate(document, path)
    menu = _Builder(document, path, base_dir or Path(".")).menu()
    return replace(menu, assumptions=menu.assumptions + tuple(assumptions)) if assumptions \
        else menu


class _Builder:
    """Builds the model from a schema-valid document, checking what a schema cannot."""

    def __init__(self, document: PosDict, path: str, base_dir: Path) -> None:
        self.doc = document
        self.path = path
        self.base_dir = base_dir
        self.defaults = dict(_BUILTIN_DEFAULTS, **document.get("defaults", {}))
        self.defaults_map = document.get("defaults", PosDict())
        self.ids = set(document["nodes"])
        self.rate = SpeechRate(*(self.speech_rate(name) for name in SPEECH_RATES))

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
        nodes = {node_id: self.node(node_id, raw, SourcePos(self.path, *nodes_map.key_pos[node_id]))
                 for node_id, raw in nodes_map.items()}
        return Menu(
            path=self.path, ivr=doc["ivr"], entry=entry, nodes=nodes,
            scenarios=self.scenarios(), locale=doc.get("locale", "en-US"),
            phone=doc.get("phone"), owner=doc.get("owner"), waivers=self.waivers(),
            pos=self.pos(doc), assumptions=self.assumptions(),
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
        name = str(mapping[key])
        if allow_reserved and name in words:
            return name
        if name not in self.ids:
            allowed = sorted(self.ids) + (list(words) if allow_reserved else [])
            raise self.error(
                self.pos(mapping, key), f"`{key}` names '{name}', which is not a node"
                + did_you_mean(name, allowed),
                "use one of the node ids under `nodes:`"
                + (" or " + ", ".join(f"`{w}`" for w in words) if allow_reserved else ""),
            )
        return name

    # -- segments -------------------------------------------------------------------------

    def segment(self, raw: object, where: SourcePos) -> Segment:
        """A segment from a string or a {say, audio, duration, tags} mapping."""
        if isinstance(raw, str):
            return Segment(estimate(raw, self.rate), say=raw, pos=where)
        return self.own_segment(raw, where)

    def own_segment(self, raw: PosDict, where: SourcePos) -> Segment:
        """The segment formed by a mapping's own say/audio/duration/tags fields."""
        say, audio = raw.get("say"), raw.get("audio")
        if "duration" in raw:
            seconds = self.seconds(raw, "duration")
        elif audio is not None:
            seconds = self.audio_seconds(raw, audio)
        elif say is not None:
            seconds = estimate(say, self.rate)
        else:
            seconds = Fraction(0)
        return Segment(seconds, say=say, audio=audio, tags=tuple(raw.get("tags", ())), pos=where)

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
        fields["field_pos"] = {key: self.pos(raw, key) for key in raw}
        if self.has_sound(raw) or "tags" in raw:
            fields["intro"] = self.own_segment(raw, self.pos(raw))
        if kind in PROMPTING_TYPES:
            fields["barge_in"] = self.setting(raw, "barge_in")
        if kind in ("message", "input"):
            fields["next"] = self.target(raw, "next")
        if kind in COLLECTING_TYPES:
            fields.update(self.failure_handling(node_id, raw))
        builder = getattr(self, f"{kind}_fields", None)
        if builder:
            fields.update(builder(node_id, raw))
        return Node(**fields)

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
        holder = raw if "timeout" in raw else self.defaults_map
        return {
            "timeout": self.seconds(holder, "timeout") if "timeout" in holder else
            exact(_BUILTIN_DEFAULTS["timeout"]),
            "max_failures": self.setting(raw, "max_failures"),
            "on_invalid": self.action(raw, "on_invalid", REPLAY),
            "on_timeout": self.action(raw, "on_timeout", REPLAY),
            "on_exhausted": self.action(raw, "on_exhausted", HANGUP, exhausted=True),
        }

    def action(self, raw: PosDict, key: str, default_then: str, exhausted=False) -> Action:
        holder = raw if key in raw else self.defaults_map
        if key not in holder:
            return Action(kind=self.defaults[key])
        value, where = holder[key], self.pos(holder, key)
        message = None
        if isinstance(value, PosDict):
            message = self.own_segment(value, where)
            if "then" not in value:
                value, holder, key = default_then, None, None
            else:
                holder, key, value = value, "then", value["then"]
        words = (RESTART, HANGUP) if exhausted else RESERVED_TARGETS
        if exhausted and value in (REPLAY, REPROMPT):
            raise self.error(self.pos(holder, key) if holder else where,
                             f"`on_exhausted` cannot be '{value}': retries are used up",
                             "use `restart`, `hangup`, a node id (e.g. an agent), or a message "
                             "mapping with one of those as `then`")
        target = self.target(holder, key, words=words) if holder is not None else value
        if target in RESERVED_TARGETS:
            return Action(kind=target, message=message, pos=where)
        return Action(kind="goto", target=target, message=message, pos=where)

    def menu_fields(self, node_id: str, raw: PosDict) -> dict:
        options, seen = [], {}
        for index, option_raw in enumerate(raw["options"]):
            where = SourcePos(self.path, *raw["options"].item_pos[index])
            self.whole(option_raw, "key")
            key = str(option_raw["key"])
            if key in seen:
                raise self.error(self.pos(option_raw, "key"),
                                 f"key '{key}' is used twice in menu '{node_id}' "
                                 f"(first at line {seen[key].line})",
                                 "give each option of a menu its own key")
            seen[key] = where
            segment = None
            if "say" in option_raw or "audio" in option_raw:
                segment = self.own_segment(option_raw, where)
            elif "duration" in option_raw:
                raise self.error(self.pos(option_raw, "duration"),
                                 "a hidden option (no `say` or `audio`) cannot have a `duration`",
                                 "add the announcement's `say`, or remove `duration`")
            speech = option_raw.get("speech", ())
            options.append(Option(key=key, goto=self.target(option_raw, "goto"), segment=segment,
                                  speech=(speech,) if isinstance(speech, str) else tuple(speech),
                                  pos=where))
        outro = None
        if "outro" in raw:
            outro = self.segment(raw["outro"], self.pos(raw, "outro"))
        return {"options": tuple(options), "outro": outro}

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

