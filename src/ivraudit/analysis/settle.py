"""The one walk: follow a call that presses nothing through the nodes that take no key.

A call sent somewhere passes messages, branches and overflowing queues (as the scenario
decides) until it stops at a node that takes input (a menu or an input) or ends the call (a
person, a callback, a hangup, a transfer).
Rules, the simulator, the structure metrics and the silent caller all follow calls this way,
through this function. The walk keeps a visited set, so it always ends: a call that comes back
to a node it passed is a loop.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..format.model import HANGUP, RESTART, Menu
from ..util.cached import record

# Node ids match [A-Za-z0-9_.-]+, so this can never clash with one.
HANGUP_NODE = "(hangup)"

# The scenario's routing: the case each branch node takes (None: its `else`), and for each person
# node with an `overflow`, 0 where the queue overflows (None: a person there).
Chosen = Mapping[str, "int | None"]


@record
class Settled:
    """Where a walk stopped.

    ``passed``: the ids of the nodes passed without a key, in order. ``stop``: the id of the
    node the call stops at (it takes input or ends the call), ``HANGUP_NODE`` for the implicit
    hangup, or None when the call comes back to a node it passed (it loops forever).
    """

    passed: tuple[str, ...]
    stop: str | None

    @property
    def loops(self) -> bool:
        return self.stop is None


def resolve(entry: str, target: str) -> str:
    """The node a target names: ``restart`` is the entry, ``hangup`` the implicit hangup node."""
    if target == RESTART:
        return entry
    if target == HANGUP:
        return HANGUP_NODE
    return target


def settle(menu: Menu, chosen: Chosen, target: str, *, through_inputs: bool = False,
           memo: dict[str, str | None] | None = None) -> Settled:
    """Follow a call sent to ``target`` (a node id, ``restart`` or ``hangup``), pressing nothing.

    ``through_inputs``: an input is passed too (the caller types its digits and goes on to its
    `next`): the way to "the first menu" of a line that asks for an account number first.
    ``memo``: a dict shared between calls that only need ``stop``; a node already in it ends
    the walk at once (``passed`` then holds only the nodes walked this time). Time: the number
    of nodes passed.
    """
    here = resolve(menu.entry, target)
    passed: list[str] = []
    seen: set[str] = set()
    while True:
        if memo is not None and here in memo:
            stop = memo[here]
            break
        if here == HANGUP_NODE:
            stop = HANGUP_NODE
            break
        if here in seen:
            stop = None
            break
        node = menu.nodes[here]
        if node.type == "message" or (through_inputs and node.type == "input"):
            after = node.next
        elif node.type == "branch" or (node.overflow is not None and chosen[here] is not None):
            after = node.case_goto(chosen[here])
        else:
            stop = here
            break
        seen.add(here)
        passed.append(here)
        here = resolve(menu.entry, after)
    if memo is not None:
        memo.update(dict.fromkeys(passed, stop))
    return Settled(tuple(passed), stop)
