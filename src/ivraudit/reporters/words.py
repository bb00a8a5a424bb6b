"""Small helpers the reporters share: values as JSON, and paths in words."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from ..audit.stream import Kept
from ..format.durations import seconds_text, tenths
from ..rules.tricks import how_reached, trick_text


def parts(run, fmt: str, make, *args) -> Iterator:
    """Each menu's part of a report in ``fmt``, in order, one at a time: the one a streaming
    audit kept (audit.stream.Kept), or made now from the whole result by
    ``make(result, run, *args)``."""
    for result in run.results:
        yield result.part(fmt) if isinstance(result, Kept) else make(result, run, *args)


def plain(value):
    """A finding's measured value or limit as JSON: exact seconds rounded like every second."""
    if isinstance(value, Fraction):
        return tenths(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def keys_text(path, nodes) -> str:
    """A path as a caller would follow it: 'press 3, then 2, then enter 8 digits and #'.

    >>> keys_text([("main", "3"), ("billing", "2"), ("agent", None)], {})
    'press 3, then 2'
    """
    actions, pressing = [], False
    for node_id, key in path:
        node = nodes.get(node_id)
        if key is not None:
            actions.append(key if pressing else f"press {key}")
            pressing = True
        elif node is not None and node.type == "input":
            digits = f"{node.digits_min} digits" if node.digits_min != 1 else "1 digit"
            what = f" ({node.asks.replace('_', ' ')})" if node.asks else ""
            actions.append(f"enter {digits}{what}" + (f" and {node.terminator}"
                                                       if node.terminator else ""))
            pressing = False
    if not actions:
        return "no key presses"
    return ", then ".join(actions)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def reach_text(m, menu) -> str:
    """Whether and how a person can be reached in a scenario, never contradicting the
    persistent or silent caller: 'reachable', 'only by failing: ...' or 'no person'."""
    if m.human_reachable:
        return "reachable"
    if m.persistent is not None:
        return how_reached(menu, m.persistent)
    return "no person can be reached, not even by failing"


def persistent_text(m, menu) -> str:
    """The persistent caller (SPEC 9.8) in words: '47.0 s, 1 key press, 2 failures: press 1,
    then let the account number prompt time out twice'."""
    call = m.persistent
    if call is None:
        return "no person, even by failing or staying silent"
    return (f"{seconds_text(call.seconds)}, {_count(call.steps, 'key press', 'key presses')}, "
            f"{_count(call.failures, 'failure', 'failures')}: {trick_text(menu.nodes, call.path)}")


def spoken_text(m) -> str:
    """The speaking caller (SPEC 9.3) in words: '1 step, 9.5 s forced: say "人工"'."""
    found = m.spoken
    if found is None:
        return "no person, even by speaking"
    actions = [f'say "{speech}"' if speech is not None else f"press {key}"
               for _, key, speech in found.path if key is not None or speech is not None]
    return (f"{_count(found.steps, 'step', 'steps')}, {seconds_text(found.forced_seconds)} "
            f"forced: {', then '.join(actions) or 'no choice'}")
