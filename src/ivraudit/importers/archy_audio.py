"""Archy audio values and the expressions that build them, read without running anything.

An audio value is ``{tts: "text"}``, ``{exp: "expression"}``, ``{lit: {name: Prompt.x}}`` or
``{prompt: name}``. Expressions are read for the few functions that say what plays:
``ToAudioTTS("text")``, ``ToAudio(Prompt.X)`` (a recording), ``ToAudioBlank(ms)``,
``Append(a, b, ...)`` and ``AudioPlaybackOptions(audio, bargeIn)`` (barge-in off when its
second argument is ``false``). Anything else is a run-time value (an assumption).
"""

from __future__ import annotations

import re
from dataclasses import field

from ..util.cached import record
from .numbers import decimal

MAX_NESTING = 50  # calls inside calls in one audio expression

_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?)'
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<punct>[(),]))")


@record(frozen=False)
class Audio:
    """What an audio value plays: ``parts`` are ("tts", text), ("recording", name),
    ("silence", seconds) or ("unknown", expression), in order; ``barge_in`` False when the
    value turns it off."""

    parts: list = field(default_factory=list)
    barge_in: bool | None = None


def read_audio(value) -> Audio:
    """The Audio of an Archy audio value (any shape; an unreadable one is one unknown part)."""
    if value is None:
        return Audio()
    if isinstance(value, str):
        return Audio([("tts", value)])
    if isinstance(value, dict):
        if "tts" in value:
            return Audio([("tts", str(value["tts"]))])
        if "exp" in value:
            return read_expression(str(value["exp"]))
        if "prompt" in value:
            return Audio([("recording", str(value["prompt"]))])
        literal = value.get("lit")
        if isinstance(literal, dict) and literal.get("name"):
            return Audio([("recording", str(literal["name"]))])
        if isinstance(literal, str):
            return Audio([("tts", literal)])
        if value.get("noValue"):
            return Audio()
    return Audio([("unknown", str(value))])


def read_expression(text: str) -> Audio:
    tokens, position = [], 0
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found or found.end() == position:
            if text[position:].strip() == "":
                break
            return Audio([("unknown", text)])
        kind = found.lastgroup
        tokens.append((kind, found.group(kind)))
        position = found.end()
    try:
        audio, rest = _expression(tokens, 0)
    except (IndexError, ValueError):
        return Audio([("unknown", text)])
    return audio if rest == len(tokens) else Audio([("unknown", text)])


def _expression(tokens: list, i: int, depth: int = 0) -> tuple[Audio, int]:
    if depth > MAX_NESTING:  # read by recursion: deeper is a run-time value
        raise ValueError("nested too deeply")
    kind, value = tokens[i]
    if kind == "string":
        return Audio([("tts", _unquote(value))]), i + 1
    if kind != "name":
        raise ValueError(value)
    if i + 1 < len(tokens) and tokens[i + 1] == ("punct", "("):
        arguments, i = _arguments(tokens, i + 2, depth)
        return _call(value, arguments), i
    if value.startswith(("Prompt.", "PromptSystem.")):
        return Audio([("recording", value)]), i + 1
    return Audio([("unknown", value)]), i + 1


def _arguments(tokens: list, i: int, depth: int) -> tuple[list, int]:
    arguments = []
    if tokens[i] == ("punct", ")"):
        return arguments, i + 1
    while True:
        kind, value = tokens[i]
        if kind == "number" or (kind == "name" and value in ("true", "false") and
                                tokens[i + 1][0] == "punct"):
            arguments.append(value)
            i += 1
        else:
            audio, i = _expression(tokens, i, depth + 1)
            arguments.append(audio)
        if tokens[i] == ("punct", ")"):
            return arguments, i + 1
        if tokens[i] != ("punct", ","):
            raise ValueError(tokens[i])
        i += 1


def _call(name: str, arguments: list) -> Audio:
    audios = [a for a in arguments if isinstance(a, Audio)]
    if name in ("ToAudioTTS", "ToAudio", "ToAudioTTSNoBargeIn") and audios:
        result = Audio(list(audios[0].parts), audios[0].barge_in)
        if name == "ToAudioTTSNoBargeIn":
            result.barge_in = False
        return result
    if name == "ToAudioBlank" and arguments and not isinstance(arguments[0], Audio):
        millis = decimal(arguments[0])
        if millis is not None and millis >= 0:
            return Audio([("silence", float(millis / 1000))])
    if name == "Append":
        parts, barge = [], None
        for audio in audios:
            parts += audio.parts
            barge = audio.barge_in if audio.barge_in is not None else barge
        return Audio(parts, barge)
    if name == "AudioPlaybackOptions" and audios:
        flags = [a for a in arguments[1:] if not isinstance(a, Audio)]
        barge = None if not flags else flags[0] != "false"
        return Audio(list(audios[0].parts), barge)
    return Audio([("unknown", name + "(...)")])


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])
