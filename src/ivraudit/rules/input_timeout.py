"""input-timeout (IVR015): callers get enough time to press a key or type digits.

Section 508 (1194.23(d)) asks IVR systems to "provide sufficient time"; WCAG 2.2.1 asks for time
limits that can be extended. Platforms default to 3-10 s. Every menu's `timeout` must be at least
``min_menu_seconds``, every input's at least ``min_input_seconds``.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        timeout: 8
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        timeout: 2
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 7, node main, scenario default: menu 'main' waits only 2.0 s for the caller (at least
      5.0 s)
"""

from __future__ import annotations

from ..format.durations import exact
from ..i18n import N_, Seconds, msg
from .base import MenuContext, Problem, Rule, Source, node_name

_SHARED = {  # a timeout not written on the node: one finding for all that keep it
    ("menu", "defaults"): N_("menus wait only {seconds} for the caller (timeout set in "
                             "`defaults`; at least {limit})"),
    ("input", "defaults"): N_("inputs wait only {seconds} for the caller (timeout set in "
                              "`defaults`; at least {limit})"),
    ("menu", "assumed"): N_("menus wait only {seconds} for the caller (an assumed default: the "
                            "menu sets no timeout; at least {limit})"),
    ("input", "assumed"): N_("inputs wait only {seconds} for the caller (an assumed default: the "
                             "menu sets no timeout; at least {limit})"),
}


def check(ctx: MenuContext, params: dict):
    limits = {"menu": exact(params["min_menu_seconds"]), "input": exact(params["min_input_seconds"])}
    for node in ctx.nodes_of_type("menu", "input"):
        if node.timeout < limits[node.type]:
            pos, origin = ctx.setting_source(node, "timeout")
            words = {"seconds": Seconds(node.timeout), "limit": Seconds(limits[node.type])}
            text = msg(N_("{node} waits only {seconds} for the caller (at least {limit})"),
                       node=node_name(node), **words) if origin == "node" else \
                msg(_SHARED[node.type, origin], **words)
            yield Problem(text, node=node.id, pos=pos, value=node.timeout,
                          limit=limits[node.type])


RULE = Rule(
    id="IVR015", name="input-timeout", severity="warning",
    summary="menus and inputs wait long enough for a key",
    check=check, doc=__doc__,
    params={"min_menu_seconds": 5, "min_input_seconds": 10},
    param_help={"min_menu_seconds": "least timeout of a menu",
                "min_input_seconds": "least timeout of an input (digits take longer)"},
    sources=(
        Source("Section 508 (2000), 36 CFR 1194.23(d)", "http://about.usps.com/handbooks/as508a/508a_ch7_022.htm"),
        Source("WCAG 2.2 SC 2.2.1 Timing Adjustable", "https://w3c.github.io/wcag/understanding/timing-adjustable"),
    ),
)
