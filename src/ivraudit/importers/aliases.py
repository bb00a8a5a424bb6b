"""Targets named before the node they mean exists, resolved once a flow is built.

A platform file names places (a VoiceXML dialog, an Asterisk label) that may be defined later
or that turn out to hold no node of their own (a form of only `<log>` and `<goto>`). Importers
write such a place as a symbol, say what each symbol stands for (``Aliases.set``), and resolve
every target of the flow at the end, following chains of symbols.
"""

from __future__ import annotations

from ..format.yamlsource import PosDict
from .base import ImportedFlow

_TARGET_FIELDS = ("next", "goto", "else", "on_invalid", "on_timeout", "on_exhausted", "then")
PREFIX = "@"  # a symbol is "@..."; node ids never start with it


class Aliases:
    """Symbol -> what it stands for (a node id, a reserved word, or another symbol)."""

    def __init__(self) -> None:
        self.meaning: dict[str, str] = {}

    @staticmethod
    def symbol(*parts: object) -> str:
        return PREFIX + "|".join(str(part) for part in parts)

    def set(self, symbol: str, target: str) -> None:
        self.meaning[symbol] = target

    def resolve(self, target: str, loop_target: str = "hangup") -> str:
        """What ``target`` finally means; a chain of symbols that comes back on itself (a
        dialog that only goes to itself) or names nothing is ``loop_target``."""
        seen = set()
        while target.startswith(PREFIX):
            if target in seen or target not in self.meaning:
                return loop_target
            seen.add(target)
            target = self.meaning[target]
        return target

    def apply(self, flow: ImportedFlow) -> None:
        """Replace every symbol in the flow's nodes (and its entry) by its meaning."""
        for node in flow.nodes.values():
            self._apply(node, None)
        for value in flow.header.values():  # global options name nodes too
            self._apply(value, None)
        if "entry" in flow.header:
            flow.header["entry"] = self.resolve(flow.header["entry"])

    def _apply(self, value, key):
        if isinstance(value, PosDict):
            for field, item in value.items():
                value[field] = self._apply(item, field)
            return value
        if isinstance(value, list):
            value[:] = [self._apply(item, key) for item in value]
            return value
        if isinstance(value, str) and value.startswith(PREFIX) and key in _TARGET_FIELDS:
            return self.resolve(value)
        return value
