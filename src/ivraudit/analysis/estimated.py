"""Which seconds of a scenario rest on durations estimated from a prompt's text.

A segment without `duration` or `audio` is timed from its words (SPEC section 2): a guess.
A metric's seconds are marked estimated when a prompt they count has such a segment: the forced
seconds through the forced prompts of the forced path, listening through the prompts on the
listening path, the silent, persistent and speaking callers through the prompts (and error
messages) they hear, a wrong key's penalty through the forced path's prompts and the message it
plays. Reports print ``≈`` before those numbers (docs/report.md). Linear in the paths' length.
"""

from __future__ import annotations

from ..format.model import Menu, Node


def _heard(node: Node | None, forced_only: bool = False, messages: bool = False) -> bool:
    """Whether an estimated segment of ``node`` counts: its prompt (only a forced one with
    ``forced_only``), and with ``messages`` its error messages too."""
    if node is None or node.type not in ("message", "menu", "input"):
        return False
    if forced_only and node.barge_in:
        return False
    if node.prompt_estimated:
        return True
    return messages and any(
        action is not None and action.message is not None and action.message.estimated
        for action in node.on_invalid + node.on_timeout + (node.on_exhausted,))


def any_heard(menu: Menu, node_ids) -> bool:
    """Whether a prompt or error message of one of ``node_ids`` is timed from its words:
    times a caller spends among them rest on estimates (the simulator marks them ``≈``)."""
    return any(_heard(menu.nodes.get(node_id), messages=True) for node_id in node_ids)


def _persistent(nodes, call) -> bool:
    """The persistent caller hears a prompt whole where it stays silent, else its forced part;
    every error message it triggers counts."""
    return any(_heard(nodes.get(node_id), forced_only=failure != "timeout",
                      messages=failure is not None)
               for node_id, _, failure in call.path)


def estimated_seconds(menu: Menu, metrics) -> dict[str, bool]:
    """Per seconds metric of one scenario (``forced``, ``listen``, ``silent``, ``persistent``,
    ``spoken``, ``mistype``, ``any``): whether it rests on an estimated duration."""
    nodes = menu.nodes

    def along(ids, **how) -> bool:
        return any(_heard(nodes.get(node_id), **how) for node_id in ids)

    forced = [n for n, _ in metrics.paths["forced"] or []]
    found = {
        "forced": along(forced, forced_only=True),
        "listen": along(n for n, _ in metrics.paths["listen"] or []),
        "silent": along((n for n, _ in metrics.silent.journey), messages=True),
        "persistent": _persistent(nodes, metrics.persistent) if metrics.persistent else False,
        "spoken": along((row[0] for row in metrics.spoken.path), forced_only=True)
        if metrics.spoken else False,
        "mistype": along(forced, forced_only=True, messages=True),
    }
    found["any"] = any(_heard(nodes.get(n), messages=True) for n in metrics.reachable)
    return found
