"""The silent caller (SPEC section 5, `silent_seconds_to_human`): presses nothing, ever.

The call is deterministic, so it is followed step by step: through messages and branches by
the one walk (settle), then failure after failure at each menu or input. A state (node,
failures so far, whole prompt or options only) seen twice means the call loops forever. Each
state is met at most once, so the walk is linear in the menu's size.
"""

from __future__ import annotations

from fractions import Fraction

from ..format.model import Menu
from ..util.cached import record
from .settle import HANGUP_NODE, Chosen, settle


@record
class SilentCall:
    """Where silence ends (`end`: a human or callback id, ``hangup`` or ``loop``) and when."""

    end: str
    seconds: Fraction  # time until the end (until the loop closes, for ``loop``)
    journey: tuple[tuple[str, str], ...]  # (node id, what happened there)
    reached_human: bool = False

    @property
    def seconds_to_human(self) -> Fraction | None:
        """The metric: the seconds, only when silence ends at a human."""
        return self.seconds if self.reached_human else None


def silent_call(menu: Menu, chosen: Chosen, start: str | None = None) -> SilentCall:
    """Follow a caller who presses nothing from the entry (or from ``start``, a node id or
    reserved target) until the call ends or loops."""
    entry = menu.entry
    elapsed = Fraction(0)
    seen: set[tuple] = set()
    journey: list[tuple[str, str]] = []

    def end(where: str, human: bool = False) -> SilentCall:
        return SilentCall(where, elapsed, tuple(journey), human)

    target = start or entry
    while True:
        settled = settle(menu, chosen, target)  # messages, branches, overflows; heard whole
        for node_id in settled.passed:
            node = menu.nodes[node_id]
            if node.type == "message":
                elapsed += node.prompt_seconds
                journey.append((node_id, "heard"))
        if settled.loops:
            journey.append((settled.passed[-1], "loops"))
            return end("loop")
        here, timeouts, whole = settled.stop, 0, True
        if here == HANGUP_NODE:
            return end("hangup")
        node = menu.nodes[here]
        if node.type in ("human", "callback", "transfer"):
            journey.append((here, "reached"))
            return end(here, node.is_person)
        if node.type == "hangup":
            journey.append((here, "hung up"))
            return end("hangup")
        limit, kinds = node.max_failures, len(node.on_timeout)
        while True:  # failures at this menu or input until the call leaves it
            # what the rest of the visit depends on: the count, up to where neither the list's
            # next action nor reaching max_failures can change any more
            cap = kinds if limit is None else max(limit, kinds) + 1
            state = (here, min(timeouts, cap), whole)
            if state in seen:
                journey.append((here, "loops"))
                return end("loop")
            seen.add(state)
            elapsed += node.prompt_seconds if whole else node.prompt_seconds - node.intro_seconds
            elapsed += node.timeout
            action, exhausted = node.failure("timeout", 0, timeouts)
            timeouts += 1
            journey.append((here, "exhausted" if exhausted else "timeout"))
            if action.message:
                elapsed += action.message.seconds
            if action.kind == "hangup":
                return end("hangup")
            if action.kind == "restart" or (action.kind == "goto" and action.target != here):
                target = action.target if action.kind == "goto" else entry
                break  # restart and another node start a new visit: the counts start again
            # replay, reprompt, or the node itself: the visit goes on with the count kept
            whole = action.kind != "reprompt" or node.type == "input"
            if not exhausted and limit is not None and kinds <= timeouts < limit - 1:
                # The same failure (the list's last action) repeats until the next one
                # exhausts the retries: add those rounds at once, so a huge max_failures costs
                # no time.
                rounds = limit - 1 - timeouts
                heard = node.prompt_seconds if whole else node.prompt_seconds - node.intro_seconds
                message = action.message.seconds if action.message else 0
                elapsed += rounds * (heard + node.timeout + message)
                timeouts += rounds
