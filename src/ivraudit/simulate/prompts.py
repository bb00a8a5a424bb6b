"""What a node plays: shared by the call engine and the chain."""

from __future__ import annotations

from fractions import Fraction

from ..format.model import Node, Segment


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
