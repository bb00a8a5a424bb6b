"""Small helpers the reporters share: rounding and describing paths in words."""

from __future__ import annotations


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
