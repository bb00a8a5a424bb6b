"""What a node plays: shared by the call engine and the chain."""

from __future__ import annotations

from fractions import Fraction

from ..format.model import Node, Option, Segment, phrase_key


def prompt_segments(node: Node, whole: bool) -> tuple[Segment, ...]:
    """What a collecting node plays: intro (when whole), announced options, outro."""
    found = [node.intro] if node.intro and whole else []
    if node.type == "menu":
        found += [option.segment for option in node.options if option.segment]
        if node.outro:
            found.append(node.outro)
    return tuple(found)


def announced_at(node: Node, key: str, whole: bool) -> Fraction | None:
    """When the option with ``key`` has been announced, from the start of the prompt played
    (None for a hidden option or a key that is no option)."""
    heard = node.intro_seconds if whole else Fraction(0)
    for option in node.options:
        if option.segment:
            heard += option.segment.seconds
        if option.key == key:
            return None if option.hidden else heard
    return None


def takes_speech(node: Node) -> bool:
    """Whether a menu listens for speech: some option (its own or a global one) has phrases."""
    return any(option.speech for option in node.options)


def spoken_option(node: Node, said: str) -> Option | None:
    """The option a phrase chooses: the first whose phrase matches it exactly (ignoring case,
    spaces and punctuation), else the first with a phrase inside what was said; None: a
    no-match."""
    heard = phrase_key(said)
    for exact in (True, False):
        for option in node.options:
            for phrase in option.speech:
                wanted = phrase_key(phrase)
                if wanted and (wanted == heard if exact else wanted in heard):
                    return option
    return None


def spoken_at(node: Node, option: Option, whole: bool) -> Fraction | None:
    """When ``option``'s announcement has ended, from the start of the part played (None: it
    is hidden)."""
    heard = node.intro_seconds if whole else Fraction(0)
    for other in node.options:
        if other.segment:
            heard += other.segment.seconds
        if other is option:
            return None if other.hidden else heard
    return None
