"""Paths in words, for rules, reports and drawings: a best path as the keys a caller presses
(``keys_text``) and the persistent caller's trick (SPEC 9.8: "say the trick", ``trick_text``).

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
>>> str(trick_text(menu.nodes, [("main", "1", None), ("ssn", None, "timeout"),
...                         ("ssn", None, "timeout"), ("agent", None, None)]))
'press 1, then let the account number prompt time out twice'
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from ..format.model import Menu, Node
from ..i18n import ENGLISH, Joined, Message, N_, Np_, Translator, msg, msgn

THEN = N_(", then ")  # between the steps of a call in words


def times(n: int) -> Message | str:
    """'', ' twice', ' 3 times'."""
    if n == 1:
        return ""
    return msg(N_(" twice")) if n == 2 else msgn(Np_(" {n} time", " {n} times"), n)


def digits(n: int) -> Message:
    return msgn(Np_("{n} digit", "{n} digits"), n)


def _where(nodes: Mapping[str, Node], node_id: str) -> Message:
    node = nodes[node_id]
    if node.type == "input" and node.asks:
        return msg(N_("the {datum} prompt"), datum=node.asks.replace("_", " "))
    return msg(N_("'{node}'"), node=node_id)


def keys_text(path, nodes, tr: Translator = ENGLISH) -> str:
    """A path as a caller would follow it: 'press 3, then 2, then enter 8 digits and #'.

    >>> keys_text([("main", "3"), ("billing", "2"), ("agent", None)], {})
    'press 3, then 2'
    """
    actions, pressing = [], False
    for node_id, key in path:
        node = nodes.get(node_id)
        if key is not None:
            actions.append(key if pressing else msg(N_("press {key}"), key=key))
            pressing = True
        elif node is not None and node.type == "input":
            digits = msgn(Np_("{n} digit", "{n} digits"), node.digits_min)
            what = msg(N_(" ({datum})"), datum=node.asks.replace("_", " ")) if node.asks else ""
            template = N_("enter {digits}{what} and {terminator}") if node.terminator else \
                N_("enter {digits}{what}")
            actions.append(msg(template, digits=digits, what=what, terminator=node.terminator))
            pressing = False
    if not actions:
        return tr(N_("no key presses"))
    return tr.join(actions, THEN)


def trick_text(nodes: Mapping[str, Node], path) -> Message | Joined:
    """What the caller does along a persistent path (``nodes``: the menu's nodes by id):
    'press 1, then let the account number prompt time out twice'."""
    actions, pressing = [], False
    for (node_id, key, failure), group in groupby(path, key=lambda row: row):
        count = len(list(group))
        node = nodes.get(node_id)
        if node is None or node.type not in ("menu", "input"):
            continue
        if failure is None and node.type == "menu":  # 'press 1, then 2' as keys_text says
            actions.extend([key if pressing else msg(N_("press {key}"), key=key)]
                           + [key] * (count - 1))
            pressing = True
            continue
        pressing = False
        where = _where(nodes, node_id)
        if failure == "timeout":
            template = N_("let {where} time out{times}") if node.type == "input" else \
                N_("stay silent at {where}{times}")
            actions.append(msg(template, where=where, times=times(count)))
        elif failure == "invalid":
            template = N_("press the wrong key {key} at {where}{times}") if key else \
                N_("press a wrong entry at {where}{times}")
            actions.append(msg(template, key=key, where=where, times=times(count)))
        else:
            actions.extend([msg(N_("enter {digits} at {where}"), digits=digits(node.digits_min),
                                where=where)] * count)
    return Joined(tuple(actions), THEN) if actions else msg(N_("wait"))


def how_reached(menu: Menu, persistent) -> Message:
    """'only by failing: ...' or 'only by staying silent: ...' for a person that no best path
    reaches (``persistent``: the scenario's PersistentCall)."""
    manner = N_("only by staying silent: {trick}") if persistent.steps == 0 else \
        N_("only by failing: {trick}")
    return msg(manner, trick=trick_text(menu.nodes, persistent.path))
