"""How long a prompt segment plays (SPEC section 2), in exact seconds."""

from __future__ import annotations

import math
import os
import re
import struct
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..util.inputs import open_regular

# CJK ideographs (with extensions, compatibility forms and the marks 々 〆 〇), kana (with
# half-width katakana, not the middle dot ・, which is punctuation) and hangul.
_CJK_CHARS = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff"
    "\uff66-\uff9d\uffa0-\uffdc\U00020000-\U000323af"
)
_CJK: re.Pattern | None = None  # compiled on first non-ASCII text: compiling takes 5 ms
# A whitespace-separated token holding a letter or digit (CJK characters masked out first):
# a word, found in one pass at C speed.
_WORD = re.compile(r"\S*?[^\W_]\S*")


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
    if text.isascii():  # no CJK character: nothing to mask
        return 0, len(_WORD.findall(text))
    global _CJK
    if _CJK is None:
        _CJK = re.compile(f"[{_CJK_CHARS}]")
    masked, cjk = _CJK.subn("\x00", text)  # NUL: neither a word character nor white space
    return cjk, len(_WORD.findall(masked))


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
    """The length of a WAV recording, from its header. Raises OSError (NotAFileError for a
    folder, FIFO or device) or wave.Error (not a WAV file ivraudit can measure).

    PCM: whole frames over the frame rate, as the standard `wave` module counts them; other
    encodings (mu-law and A-law telephone prompts, WAVE_FORMAT_EXTENSIBLE): the data's size
    over the byte rate. Only the chunk headers are read, never the audio, and the data size the
    header declares is checked against the file: a header that claims more than the file
    holds (a 54-byte file declaring 256 MB) counts only what the file holds.
    """
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        riff = handle.read(12)
        if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
            raise wave.Error("it does not start with a RIFF WAVE header")
        fmt, offset = None, 12
        for _ in range(_MAX_CHUNKS):
            handle.seek(offset)
            header = handle.read(8)
            if len(header) < 8:
                break
            name, declared = header[:4], struct.unpack("<I", header[4:])[0]
            if name == b"fmt ":
                fmt = handle.read(min(declared, 40))
            elif name == b"data":
                if fmt is None:
                    raise wave.Error("the data chunk comes before the fmt chunk")
                return _data_seconds(fmt, min(declared, size - offset - 8))
            offset += 8 + declared + (declared & 1)  # chunks are padded to an even size
    raise wave.Error("no fmt or data chunk")


_MAX_CHUNKS = 1000  # real files have a handful (fmt, fact, LIST, cue, data)
_PCM = 1


def _data_seconds(fmt: bytes, data_bytes: int) -> Fraction:
    if len(fmt) < 16:
        raise wave.Error("the fmt chunk is too short")
    encoding, channels, frame_rate, byte_rate, _align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if encoding == _PCM:
        frame_bytes = channels * ((bits + 7) // 8)
        if frame_rate <= 0 or frame_bytes <= 0:
            raise wave.Error("the frame rate or frame size is 0")
        return Fraction(data_bytes // frame_bytes, frame_rate)
    if byte_rate <= 0:
        raise wave.Error("the byte rate is 0")
    return Fraction(data_bytes, byte_rate)


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
    # floor(n/d * 10 + 1/2) in integers: this runs for every number a report prints
    numerator, denominator = seconds.numerator, seconds.denominator
    return (20 * numerator + denominator) // (2 * denominator) / 10


def seconds_text(seconds: Fraction | float | None, unit: str = " s", none: str = "—",
                 width: int = 0) -> str:
    """Seconds as every report and message prints them: rounded half up to 0.1.

    >>> seconds_text(Fraction(53)), seconds_text(17.65, unit=""), seconds_text(None)
    ('53.0 s', '17.7', '—')
    """
    if seconds is None:
        return none
    return f"{tenths(seconds):{width}.1f}{unit}"
