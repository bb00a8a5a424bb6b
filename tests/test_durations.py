"""Segment durations (SPEC section 2): explicit, measured from WAV, or estimated from `say`."""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import pytest

from ivraudit.format.durations import SpeechRate, count_speech, estimate
from ivraudit.errors import MenuError
from ivraudit.format.loader import load_text

MENU = """\
ivr: Durations
format: 1
entry: hello
{rate}
nodes:
  hello:
    type: message
    {segment}
    next: agent
  agent: {{type: human}}
"""


def intro_seconds(segment: str, rate: str = "", base_dir: Path | None = None) -> Fraction:
    menu = load_text(MENU.format(segment=segment, rate=rate), "m.yaml", base_dir=base_dir)
    return menu.nodes["hello"].intro_seconds


def write_wav(path: Path, seconds: float, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(seconds * rate))


def test_a_wav_file_is_measured(tmp_path: Path):
    write_wav(tmp_path / "hello.wav", 2.75)
    assert intro_seconds("audio: hello.wav", base_dir=tmp_path) == Fraction(11, 4)


def test_an_explicit_duration_wins_over_audio_and_say(tmp_path: Path):
    write_wav(tmp_path / "hello.wav", 2.75)
    assert intro_seconds("audio: hello.wav\n    say: a b c\n    duration: 1.15",
                         base_dir=tmp_path) == Fraction(115, 100)


def test_audio_wins_over_say(tmp_path: Path):
    write_wav(tmp_path / "hello.wav", 1.5, rate=16000)
    assert intro_seconds("audio: hello.wav\n    say: one two three four five",
                         base_dir=tmp_path) == Fraction(3, 2)


def test_a_file_that_is_not_wav_is_an_error(tmp_path: Path):
    (tmp_path / "hello.mp3").write_bytes(b"ID3\x03\x00 not a wav")
    with pytest.raises(MenuError) as caught:
        intro_seconds("audio: hello.mp3", base_dir=tmp_path)
    assert "WAV" in caught.value.message and caught.value.line == 8


@pytest.mark.parametrize("text, cjk, words", [
    ("话费查询请按1", 6, 1),
    ("For billing, press 1.", 0, 4),
    ("您好，欢迎致电 12345 热线。", 8, 1),
    ("  - , !  ", 0, 0),
    ("こんにちは、お電話ありがとう", 13, 0),
    ("안녕하세요 고객님", 8, 0),
    ("WiFi密码 reset", 2, 2),
])
def test_counting_cjk_characters_and_words(text, cjk, words):
    assert count_speech(text) == (cjk, words)


def test_estimates_use_150_words_per_minute_and_4_cjk_characters_per_second():
    assert intro_seconds("say: Welcome to Example Telecom.") == Fraction(8, 5)  # 4 words x 0.4
    assert intro_seconds("say: 话费查询请按1") == Fraction(19, 10)  # 6/4 + 0.4


def test_a_custom_speech_rate_changes_the_estimate():
    rate = "speech_rate: {words_per_minute: 120, chars_per_second: 5}"
    assert intro_seconds("say: one two three 四五", rate=rate) == Fraction(3, 2) + Fraction(2, 5)


def test_estimate_depends_only_on_the_characters():
    assert estimate("Press 1", SpeechRate(Fraction(60))) == Fraction(2)


def write_mulaw_wav(path: Path, seconds: float, rate: int = 8000) -> None:
    """A mu-law WAV (format 7), as telephone prompts often are: `wave` cannot read it."""
    import struct

    samples = int(seconds * rate)
    fmt = struct.pack("<HHIIHHH", 7, 1, rate, rate, 1, 8, 0)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"fact" + struct.pack("<II", 4, samples) + b"data" + struct.pack("<I", samples)
    body += b"\xff" * samples
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def test_a_mulaw_wav_file_is_measured_from_its_header(tmp_path: Path):
    write_mulaw_wav(tmp_path / "prompt.wav", 3.5)
    assert intro_seconds("audio: prompt.wav", base_dir=tmp_path) == Fraction(7, 2)


def test_kana_marks_and_half_width_katakana_count_as_cjk():
    assert count_speech("ｱｲｳｴｵ 々〇") == (7, 0)
    assert count_speech("・") == (0, 0)


def test_the_quick_to_compile_cjk_pattern_matches_exactly_the_cjk_characters():
    """Counting starts with a pattern over UTF-8 bytes (it compiles in a millisecond; the
    character class takes ten) and switches to the class after many texts: both must count
    the same characters, so every code point is checked against the class as written."""
    import re

    from ivraudit.format import durations

    by_class = re.compile(f"[{durations._CJK_CHARS}]")
    differing = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF
                 and bool(by_class.fullmatch(chr(code)))
                 != bool(durations._CJK_UTF8.fullmatch(chr(code).encode()))]
    assert differing == []


def test_counting_is_the_same_before_and_after_the_cjk_class_is_compiled(monkeypatch):
    from ivraudit.format import durations

    texts = ["您好，欢迎致电 12345 热线。", "ｱｲｳｴｵ 々〇 𠀀x", "a\ud800b 世界", "héllo wörld"]
    monkeypatch.setattr(durations, "_CJK", None)
    monkeypatch.setattr(durations, "_masked_texts", 0)
    first = [count_speech(text) for text in texts]
    monkeypatch.setattr(durations, "_masked_texts", durations._COMPILE_AFTER)
    assert [count_speech(text) for text in texts] == first
    assert durations._CJK is not None  # the class is what counted the second time
    assert first == [(8, 1), (8, 1), (2, 1), (0, 2)]


def test_a_number_is_exact_as_written_whatever_was_read_before():
    """Written numbers are remembered (durations.exact): 2**60 and its float are equal in
    Python, but the float is written 1.152921504606847e18, which is another number."""
    from ivraudit.format.durations import exact

    assert exact(2 ** 60) == Fraction(1152921504606846976)
    assert exact(float(2 ** 60)) == Fraction("1.152921504606847e18")
    assert exact(0.1) == Fraction(1, 10) and exact(1) == 1 and exact(True) == 1
