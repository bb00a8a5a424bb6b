"""wait-announced (IVR026): a long queue tells callers how long they will wait.

"Callers should be told an accurate estimated wait time on entering the queue" (GetHuman v1.0,
item 2). A person node whose `wait` exceeds ``max_unannounced_seconds`` must set
`announces_wait: true`.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human, wait: 300, announces_wait: true}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human, wait: 300}

Finds::

    line 9, node agent, scenario default: the queue at 'agent' takes about 300 s and the wait is
      not announced (announces_wait: true above 60.0 s)
"""

from __future__ import annotations

from ..format.durations import exact
from ..i18n import N_, Seconds, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limit = exact(params["max_unannounced_seconds"])
    for node in ctx.nodes_of_type("human", "transfer"):
        if not node.is_person:
            continue
        if node.wait is not None and exact(node.wait) > limit and not node.announces_wait:
            yield Problem(msg(N_("the queue at '{node}' takes about {wait} s and the wait is not "
                                 "announced (announces_wait: true above {limit})"),
                              node=node.id, wait=str(node.wait), limit=Seconds(limit)),
                          node=node.id, value=node.wait, limit=limit)


RULE = Rule(
    id="IVR026", name="wait-announced", severity="warning",
    summary="a long queue announces the expected wait",
    check=check, doc=__doc__,
    params={"max_unannounced_seconds": 60},
    param_help={"max_unannounced_seconds": "longest wait that need not be announced"},
    sources=(Source("GetHuman standard v1.0, item 2", "http://gethuman.com/standard/v1.0.html"),),
)
