"""How long a prompt segment plays (SPEC section 2), in exact seconds."""

from __future__ import annotations

import math
import re
import struct
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

# CJK ideographs (with extensions, compatibility forms and the marks 々 〆 〇), kana (with
# half-width katakana, not the middle dot ・, which is punctuation) and hangul.
_CJK_CHARS = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff"
    "\uff66-\uff9d\uffa0-\uffdc\U00020000-\U000323af"
)
_CJK = re.compile(f"[{_CJK_CHARS}]")
# A letter or digit that is not CJK: what makes a whitespace-separated token a word.
_WORD_CHAR = re.compile(f"(?![{_CJK_CHARS}])[^\\W_]")


@dataclass(frozen=True)
class SpeechRate:
    """Speaking rates used to estimate a `say` text's duration."""

    words_per_minute: Fraction = Fraction(150)
    chars_per_second: Fraction = Fraction(4)


def exact(number: int | float) -> Fraction:
    """The exact value a number was written as (``0.1`` is one tenth, not its binary neighbour)."""
    return Fraction(number) if isinstance(number, int) else Fraction(repr(number))


def count_speech(text: str) -> tuple[int, int]:
    """Count (CJK characters, other words) in a text.

    >>> count_speech("话费查询请按1")
    (6, 1)
    >>> count_speech("For billing, press 1 .")
    (0, 4)
    """
    cjk = len(_CJK.findall(text))
    words = sum(1 for token in text.split() if _WORD_CHAR.search(token))
    return cjk, words


def estimate(text: str, rate: SpeechRate) -> Fraction:
    """Seconds to speak ``text``: CJK characters at the character rate, other words at the word rate.

    >>> float(estimate("话费查询请按1", SpeechRate()))
    1.9
    """
    cjk, words = count_speech(text)
    cps, wpm = rate.chars_per_second, rate.words_per_minute
    # one Fraction built from integers: this runs for every prompt of a large menu
    return Fraction(cjk * cps.denominator * wpm.numerator + words * 60 * wpm.denominator * cps.numerator,
                    cps.numerator * wpm.numerator)


def wav_seconds(path: Path) -> Fraction:
    """The length of a WAV file: frames over frame rate. Raises OSError or wave.Error.

    The standard `wave` module reads plain PCM; telephone prompts are often mu-law or A-law,
    and 24-bit files use WAVE_FORMAT_EXTENSIBLE, which it refuses. For those the RIFF header
    is read directly: the data's size over the byte rate.
    """
    try:
        with wave.open(str(path), "rb") as recording:
            rate = recording.getframerate()
            if rate <= 0:
                raise wave.Error("the frame rate is 0")
            return Fraction(recording.getnframes(), rate)
    except wave.Error as exc:
        if "unknown format" not in str(exc):
            raise
    return _riff_seconds(path)


def _riff_seconds(path: Path) -> Fraction:
    data = path.read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise wave.Error("file does not start with RIFF id")
    byte_rate, payload, offset = 0, None, 12
    while offset + 8 <= len(data):
        chunk, size = data[offset:offset + 4], struct.unpack_from("<I", data, offset + 4)[0]
        if chunk == b"fmt " and size >= 16:
            byte_rate = struct.unpack_from("<I", data, offset + 16)[0]
        elif chunk == b"data":
            payload = min(size, len(data) - offset - 8)
        offset += 8 + size + (size & 1)  # chunks are padded to an even size
    if payload is None or byte_rate <= 0:
        raise wave.Error("no fmt or data chunk")
    return Fraction(payload, byte_rate)


def tenths(seconds: Fraction | float | None) -> float | None:
    """Seconds rounded half up to 0.1 (SPEC section 5), as a float; None stays None.

    A float (a solver's result) is taken as the decimal it prints as.

    >>> tenths(Fraction(21, 4)), tenths(Fraction(1, 20)), tenths(17.65), tenths(None)
    (5.3, 0.1, 17.7, None)
    """
    if seconds is None:
        return None
    if isinstance(seconds, float):
        seconds = exact(seconds)
    return math.floor(seconds * 10 + Fraction(1, 2)) / 10


def seconds_text(seconds: Fraction | float | None, unit: str = " s", none: str = "—",
                 width: int = 0) -> str:
    """Seconds as every report and message prints them: rounded half up to 0.1.

    >>> seconds_text(Fraction(53)), seconds_text(17.65, unit=""), seconds_text(None)
    ('53.0 s', '17.7', '—')
    """
    if seconds is None:
        return none
    return f"{tenths(seconds):{width}.1f}{unit}"
