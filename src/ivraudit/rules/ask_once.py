"""ask-once (IVR035): the same datum is asked for only once on the way to a person.

GetHuman item 3: "Callers should never be asked to repeat any information". On the quickest
path to a person (`forced`), two inputs with the same `asks` (an account number typed, then
typed again after a transfer between menus) are reported at the second one.

Passes::

    ivr: Passing line
    format: 1
    entry: account
    nodes:
      account:
        type: input
        say: Enter your account number.
        asks: account_number
        digits: 8
        next: agent
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: account
    nodes:
      account:
        type: input
        say: Enter your account number.
        asks: account_number
        digits: 8
        next: again
      again:
        type: input
        say: To confirm, enter your account number again.
        asks: account_number
        digits: 8
        next: agent
      agent: {type: human}

Finds::

    line 11, node again, scenario default: 'again' asks for account number again (already asked
      at 'account')
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for scenario in ctx.scenarios:
        first: dict[str, str] = {}
        for node in ctx.forced_path_nodes(scenario):
            if node.type != "input" or not node.asks:
                continue
            if node.asks in first:
                yield Problem(msg(N_("'{node}' asks for {datum} again (already asked at "
                                     "'{first}')"), node=node.id,
                                  datum=node.asks.replace("_", " "), first=first[node.asks]),
                              node=node.id, scenario=scenario,
                              value=node.asks)
            else:
                first[node.asks] = node.id


RULE = Rule(
    id="IVR035", name="ask-once", severity="warning",
    summary="the same information is asked for once on the way to a person",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 3", "http://gethuman.com/standard/v1.0.html"),
    ),
)
