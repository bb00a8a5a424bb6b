"""How long a prompt segment plays (SPEC section 2), in exact seconds."""

from __future__ import annotations

import os
import re
import struct
import wave
from fractions import Fraction
from pathlib import Path

from ..util.cached import cached_property, record
from ..util.inputs import open_regular

# CJK ideographs (with extensions, compatibility forms and the marks 々 〆 〇), kana (with
# half-width katakana, not the middle dot ・, which is punctuation) and hangul.
_CJK_CHARS = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff"
    "\uff66-\uff9d\uffa0-\uffdc\U00020000-\U000323af"
)


def _utf8_sequences(low: int, high: int) -> list[list[tuple[int, int]]]:
    """The code points ``low`` to ``high`` as UTF-8: byte ranges, one per byte of a sequence
    (a range of code points of one encoded length whose bytes vary independently)."""
    for limit in (0x7F, 0x7FF, 0xFFFF):  # split where the encoded length changes
        if low <= limit < high:
            return _utf8_sequences(low, limit) + _utf8_sequences(limit + 1, high)
    for tail_bits in (6, 12, 18):  # split until every continuation byte spans its full range
        mask = (1 << tail_bits) - 1
        if low & ~mask != high & ~mask:
            if low & mask:
                return _utf8_sequences(low, low | mask) + _utf8_sequences((low | mask) + 1, high)
            if high & mask != mask:
                return (_utf8_sequences(low, (high & ~mask) - 1)
                        + _utf8_sequences(high & ~mask, high))
    first, last = chr(low).encode(), chr(high).encode()
    return [list(zip(first, last))]


def _cjk_utf8_pattern() -> re.Pattern:
    """``_CJK_CHARS`` as a pattern over UTF-8 bytes: it matches the same characters (a test
    checks every code point) and compiles in about 1 ms, where the class of 45,000 characters
    takes 8 to 12 ms (a twentieth of auditing a small menu); it matches a few times slower."""
    chars = _CJK_CHARS
    alternatives = []
    for start in range(0, len(chars), 3):  # "a-b" ranges
        for sequence in _utf8_sequences(ord(chars[start]), ord(chars[start + 2])):
            alternatives.append(b"".join(
                b"[" + re.escape(bytes([a])) + b"-" + re.escape(bytes([b])) + b"]"
                for a, b in sequence))
    return re.compile(b"|".join(alternatives))


_CJK_UTF8 = _cjk_utf8_pattern()
_CJK: re.Pattern | None = None  # the class itself, compiled once it pays (_mask_cjk)
_COMPILE_AFTER = 500  # texts: the class's 10 ms back at about 20 µs a text
_masked_texts = 0


def _mask_cjk(text: str) -> tuple[str, int]:
    """``text`` with each CJK character replaced by NUL (neither a word character nor white
    space), and how many there were."""
    global _CJK, _masked_texts
    if _CJK is None:
        _masked_texts += 1
        if _masked_texts <= _COMPILE_AFTER:  # a lone surrogate (imported text) is kept as is
            masked, cjk = _CJK_UTF8.subn(b"\x00", text.encode("utf-8", "surrogatepass"))
            return masked.decode("utf-8", "surrogatepass"), cjk
        _CJK = re.compile(f"[{_CJK_CHARS}]")
    return _CJK.subn("\x00", text)


# A whitespace-separated token holding a letter or digit (CJK characters masked out first):
# a word, found in one pass at C speed.
_WORD = re.compile(r"\S*?[^\W_]\S*")


@record
class SpeechRate:
    """Speaking rates used to estimate a `say` text's duration."""

    words_per_minute: Fraction = Fraction(150)
    chars_per_second: Fraction = Fraction(4)

    def __hash__(self) -> int:
        # it keys the loader's cache of estimates, asked once per prompt text: a Fraction's
        # hash costs a modular inverse, so the pair's is worked out once
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash((self.words_per_minute, self.chars_per_second))


def exact(number: int | float) -> Fraction:
    """The exact value a number was written as (``0.1`` is one tenth, not its binary neighbour).
    Remembered (up to a bound): the same few durations and timeouts come back in every menu."""
    key = (number.__class__, number)  # 10**18 and 1e18 are equal, but not written alike
    found = _EXACT.get(key)
    if found is None:
        found = Fraction(number) if isinstance(number, int) else Fraction(repr(number))
        if len(_EXACT) < 4096:  # bounded: a streaming audit's memory stays flat
            _EXACT[key] = found
    return found


_EXACT: dict[tuple[type, int | float], Fraction] = {}


def count_speech(text: str) -> tuple[int, int]:
    """Count (CJK characters, other words) in a text.

    >>> count_speech("话费查询请按1")
    (6, 1)
    >>> count_speech("For billing, press 1 .")
    (0, 4)
    """
    if text.isascii():  # no CJK character: nothing to mask
        return 0, len(_WORD.findall(text))
    masked, cjk = _mask_cjk(text)
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
