"""What a menu does not state and the audit had to assume, each with the field that removes it.

Three kinds, in this order: settings no node and no `defaults` gives (ivraudit's built-in
defaults, SPEC sections 1 and 3: a 5 s timeout, 3 failures, a hang-up after them ...), one
entry per setting with the nodes that take it; prompt durations estimated from their text (SPEC
section 2), one entry with the nodes; and what an import assumed (Menu.assumptions, rule IVR038),
one entry each. Reports list them per menu; the numbers and findings that rest on them are
marked where they are shown (``≈``, "assumed default").
"""

from __future__ import annotations


from ..format.loader import BUILTIN_DEFAULTS
from ..format.model import DEFAULTABLE, PROMPTING_TYPES, Menu, SourcePos
from ..i18n import Joined, Message, N_, Seconds, msg
from ..util.cached import record


@record
class Assumed:
    """One assumption: what was assumed, where it applies, and what to write to remove it."""

    what: Message | str
    fix: Message | str
    nodes: tuple[str, ...] = ()
    pos: SourcePos | None = None


def default_value(name: str):
    """A built-in default as a message parameter: seconds for `timeout`, else as written."""
    value = BUILTIN_DEFAULTS[name]
    return Seconds(value) if name == "timeout" else value


def assumptions_of(menu: Menu) -> list[Assumed]:
    """Every assumption of ``menu``, in the order of the module's docstring."""
    found = []
    assumed_at: dict[str, list[str]] = {name: [] for name in DEFAULTABLE}
    for node in menu.nodes.values():  # one pass: a large menu has tens of thousands of nodes
        for name, where in node.defaulted.items():
            if where is None and name in assumed_at:
                assumed_at[name].append(node.id)
    for name in DEFAULTABLE:
        nodes = tuple(assumed_at[name])
        if nodes:
            found.append(Assumed(
                msg(N_("{field}: {value} (ivraudit's default; the menu does not set it)"),
                    field=name, value=default_value(name)),
                msg(N_("set `{field}` under `defaults:`, or on each of these nodes"),
                    field=name), nodes, menu.pos))
    estimated = tuple(node.id for node in menu.nodes.values() if node.type in PROMPTING_TYPES
                      and any(segment.estimated for segment in node.segments()))
    if estimated:
        found.append(Assumed(
            msg(N_("prompt durations estimated from their text (characters and words at the "
                   "speech rate)")),
            msg(N_("give each prompt a `duration` (seconds) or an `audio` file")), estimated))
    for assumption in menu.assumptions:
        found.append(Assumed(
            msg(N_("{assumption} ({at})"), assumption=assumption.message, at=assumption.at)
            if assumption.at else assumption.message,
            msg(N_("confirm it on the platform, or state it in the flow (see {source})"),
                source=assumption.source or "docs/importers.md"),
            (assumption.node,) if assumption.node else (), assumption.pos))
    return found


def names(nodes) -> Joined:
    """Node ids as a list parameter."""
    return Joined(tuple(nodes))
