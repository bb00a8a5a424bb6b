"""Small helpers the reporters share: values as JSON, and paths in words."""

from __future__ import annotations

from fractions import Fraction

from ..format.durations import tenths


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
