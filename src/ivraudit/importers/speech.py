"""What a platform prompt says and how long it plays: text, recordings and pauses, in order.

A prompt in a platform file is a sequence of pieces: text spoken by TTS, recordings named by
file or URL, and pauses. A ``Speech`` keeps them in order, so that an importer can cut it into
a menu's intro, announcements and outro (SPEC section 10) and write each part as a segment.

A piece's length is, first found: a known length (a pause, a recording measured beside the
input or given with ``--prompts``); else the estimate of its words (SPEC section 2). A recording
of unknown length is estimated from the words it is known to say: its fallback text where the
platform gives one (VoiceXML), else the words of its file name (Asterisk and FreeSWITCH name
their sound files after what they say: ``vm-press.wav`` says "press"). Each such estimate is
listed as an assumption by the importer (``Speech.guessed``).
"""

from __future__ import annotations

import re
from dataclasses import field
from fractions import Fraction
from pathlib import Path

from ..format.durations import SpeechRate, estimate
from ..i18n import N_, Joined, Message, msg
from ..util.cached import record
from .announce import named_keys
from .numbers import decimal
from .prompts import PromptLengths, recording_beside

DEFAULT_RATE = SpeechRate(Fraction(150), Fraction(4))  # SPEC section 2; imports set no rate
_SENTENCE_END = re.compile(r"[.!?;。！？；]\s*$")


@record(frozen=False)
class Piece:
    """Words spoken (``text``) and, when known, exactly how long it plays (``seconds``)."""

    text: str = ""
    seconds: Fraction | None = None
    ends_sentence: bool = False  # a pause or a key's name ends what was being said
    names_key: str | None = None  # a sound library's "digits/4.wav" names key 4

    @property
    def length(self) -> Fraction:
        return self.seconds if self.seconds is not None else estimate(self.text, DEFAULT_RATE)


@record(frozen=False)
class Speech:
    """A prompt as pieces, and the recordings whose length had to be estimated."""

    pieces: list[Piece] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)  # recordings of unknown length

    def say(self, text: str) -> Speech:
        if text and text.strip():
            self.pieces.append(Piece(" ".join(text.split())))
        return self

    def pause(self, seconds: Fraction) -> Speech:
        if seconds:
            self.pieces.append(Piece("", Fraction(seconds), ends_sentence=True))
        return self

    def timed(self, text: str, seconds: Fraction) -> Speech:
        """Text that plays for exactly ``seconds`` (SSML prosody duration, a measured file)."""
        self.pieces.append(Piece(" ".join(text.split()), Fraction(seconds)))
        return self

    def recording(self, name: str, said: str, folder: Path, lengths: PromptLengths) -> Speech:
        """A recording ``name`` (file or URL) that says ``said`` (its fallback text, or the words
        of its name): measured beside the input, else from --prompts, else estimated."""
        seconds = lengths.lookup(name)
        if seconds is None:
            beside = recording_beside(folder, name)
            if beside is not None:
                from ..format.durations import wav_seconds

                try:
                    seconds = wav_seconds(folder / beside)
                except Exception:  # an unreadable file is as good as none: estimate it
                    seconds = None
        if seconds is None:
            self.guessed.append(name)
        self.pieces.append(Piece(" ".join(said.split()), seconds))
        return self

    def extend(self, other: Speech) -> Speech:
        self.pieces += other.pieces
        self.guessed += [name for name in other.guessed if name not in self.guessed]
        return self

    # -- reading it ---------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The words, pieces joined by a space (none before a piece's closing punctuation:
        "press" + "1" + "." is "press 1.")."""
        joined = " ".join(piece.text for piece in self.pieces if piece.text)
        return re.sub(r" +(?=[,.;:!?](?:\s|$))", "", joined)

    @property
    def seconds(self) -> Fraction:
        return sum((piece.length for piece in self.pieces), Fraction(0))

    def __bool__(self) -> bool:
        return bool(self.pieces)

    def segment(self) -> dict:
        """The segment fields (`say`, and `duration` unless the text's estimate is exact)."""
        text = self.text
        fields: dict = {"say": text}
        if any(piece.seconds is not None for piece in self.pieces):
            fields["duration"] = number(self.seconds)
        return fields

    def sentences(self) -> list[Speech]:
        """The prompt cut into sentences (at . ! ? ; and their CJK forms, and at pauses and
        at a key's name where a sound library strings words together)."""
        found: list[Speech] = []
        current = Speech()
        for piece in self.pieces:
            for part, last in _split_text(piece):
                current.pieces.append(part)
                if last:
                    found.append(current)
                    current = Speech()
        if current.pieces:
            found.append(current)
        return found

    def named_keys(self) -> list[str]:
        """Every key the prompt tells the caller to press ("press 2", a sound library's
        "digits/2.wav" after "press"), in the order named."""
        found: list[str] = []
        for sentence in self.sentences():
            for key in named_keys(sentence.text) + [p.names_key for p in sentence.pieces
                                                    if p.names_key]:
                if key not in found:
                    found.append(key)
        return found

    def split(self, keys) -> tuple[Speech, dict[str, Speech], Speech]:
        """(intro, key -> its announcement, outro) as importers.announce.split_prompt cuts a
        prompt's text, with each part's exact length kept."""
        wanted = set(keys)
        intro, options, pending = Speech(), {}, Speech()
        for sentence in self.sentences():
            keys = named_keys(sentence.text) + [p.names_key for p in sentence.pieces
                                                if p.names_key]
            named = [key for key in dict.fromkeys(keys) if key in wanted and key not in options]
            if not named:
                pending.extend(sentence)
                continue
            if not options:
                intro, pending = pending, Speech()
            options[named[0]] = pending.extend(sentence)
            pending = Speech()
            for other in named[1:]:
                options[other] = Speech()
        if not options:
            return pending, {}, Speech()
        return intro, options, pending


def _split_text(piece: Piece) -> list[tuple[Piece, bool]]:
    """A piece cut at its sentence ends; its known length shared in proportion to the words."""
    if piece.seconds is not None or not piece.text:
        return [(piece, piece.ends_sentence or bool(_SENTENCE_END.search(piece.text)))]
    parts = [p for p in re.findall(r"[^.!?;。！？；]*[.!?;。！？；]*", piece.text)
             if p.strip()]
    found = [(Piece(" ".join(p.split())), bool(_SENTENCE_END.search(p))) for p in parts]
    if found:
        found[-1][0].names_key = piece.names_key
        if piece.ends_sentence:
            found[-1] = (found[-1][0], True)
    return found or [(piece, piece.ends_sentence)]


def guessed_message(names: list[str], silent: bool = False) -> Message:
    """The assumption for recordings whose length is estimated (``silent``: taken as 0 s)."""
    shown = Joined(tuple(f"'{name}'" for name in names[:3]))
    more = msg(N_(" and {n} more"), n=len(names) - 3) if len(names) > 3 else ""
    if silent:
        return msg(N_("the length of {recordings}{more} is not known: estimated from the words "
                      "it says (its fallback text or file name); give it with --prompts (taken "
                      "as 0 s)"), recordings=shown, more=more)
    return msg(N_("the length of {recordings}{more} is not known: estimated from the words it "
                  "says (its fallback text or file name); give it with --prompts"),
               recordings=shown, more=more)


def number(value: Fraction) -> int | float:
    """Seconds as the menu format writes them: exact where a decimal can be."""
    if value.denominator == 1:
        return int(value)
    return float(value)


def name_words(name: str) -> str:
    """The words a sound file's name says: ``ivr/ivr-to_call_the_conference.wav`` -> "to call
    the conference"; ``digits/1.wav`` -> "1"; ``digits/star.wav`` -> "star"."""
    stem = re.sub(r"^[a-z][a-z0-9+.-]*:", "", name.rsplit("/", 1)[-1].split("?", 1)[0])
    stem = re.sub(r"\.(wav|mp3|gsm|ulaw|alaw|sln\d*|g729|ogg|vox)$", "", stem, flags=re.I)
    stem = re.sub(r"^(ivr|vm|misc|conf|demo|pbx|custom)-", "", stem)
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", stem)  # camelCase
    return " ".join(re.split(r"[\W_]+", stem)).strip()  # words only: "[[a/b]]" says "b"


def seconds_of(value: str | None) -> Fraction | None:
    """A CSS2 time (``30s``, ``500ms``, VoiceXML and SSML) in seconds; None when it is not one
    (a number with no unit is not one)."""
    if value is None:
        return None
    found = re.fullmatch(r"\s*([0-9.]+)\s*(ms|s)\s*", value)
    amount = decimal(found.group(1)) if found else None
    if amount is None:
        return None
    return amount / 1000 if found.group(2) == "ms" else amount
