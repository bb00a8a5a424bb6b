"""Paths in words, for rules, reports and drawings: a best path as the keys a caller presses
(``keys_text``), and the persistent caller's trick (SPEC 9.8: "say the trick", ``trick_text``).

>>> from ivraudit.format.loader import load_text
>>> menu = load_text('''
... ivr: x
... format: 1
... entry: main
... nodes:
...   main: {type: menu, options: [{key: 1, goto: ssn}]}
...   ssn: {type: input, asks: account_number, digits: 9, next: main,
...         on_timeout: [replay, agent]}
...   agent: {type: human}
... ''')
>>> trick_text(menu.nodes, [("main", "1", None), ("ssn", None, "timeout"),
...                         ("ssn", None, "timeout"), ("agent", None, None)])
'press 1, then let the account number prompt time out twice'
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from ..format.model import Menu, Node

_TIMES = {1: "", 2: " twice"}


def _times(n: int) -> str:
    return _TIMES.get(n, f" {n:,} times")


def _where(nodes: Mapping[str, Node], node_id: str) -> str:
    node = nodes[node_id]
    if node.type == "input" and node.asks:
        return f"the {node.asks.replace('_', ' ')} prompt"
    return f"'{node_id}'"


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


def trick_text(nodes: Mapping[str, Node], path) -> str:
    """What the caller does along a persistent path (``nodes``: the menu's nodes by id):
    'press 1, then let the account number prompt time out twice'."""
    actions, pressing = [], False
    for (node_id, key, failure), group in groupby(path, key=lambda row: row):
        times = len(list(group))
        node = nodes.get(node_id)
        if node is None or node.type not in ("menu", "input"):
            continue
        if failure is None and node.type == "menu":  # 'press 1, then 2' as keys_text says
            actions.extend([key if pressing else f"press {key}"] + [key] * (times - 1))
            pressing = True
            continue
        pressing = False
        if failure == "timeout":
            verb = "let" if node.type == "input" else "stay silent at"
            actions.append(f"{verb} {_where(nodes, node_id)}"
                           + (" time out" if node.type == "input" else "") + _times(times))
        elif failure == "invalid":
            wrong = f"the wrong key {key}" if key else "a wrong entry"
            actions.append(f"press {wrong} at {_where(nodes, node_id)}{_times(times)}")
        else:
            digits = f"{node.digits_min} digit{'s' if node.digits_min != 1 else ''}"
            actions.extend([f"enter {digits} at {_where(nodes, node_id)}"] * times)
    return ", then ".join(actions) or "wait"


def how_reached(menu: Menu, persistent) -> str:
    """'only by failing: ...' or 'only by staying silent: ...' for a person that no best path
    reaches (``persistent``: the scenario's PersistentCall)."""
    manner = "only by staying silent" if persistent.steps == 0 else "only by failing"
    return f"{manner}: {trick_text(menu.nodes, persistent.path)}"
