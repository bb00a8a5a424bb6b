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

    line 7, node main: menu 'main' waits only 2.0 s for the caller (at least 5.0 s)
"""

from __future__ import annotations

from ..format.durations import exact, seconds_text
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    limits = {"menu": exact(params["min_menu_seconds"]), "input": exact(params["min_input_seconds"])}
    for node in ctx.nodes_of_type("menu", "input"):
        if node.timeout < limits[node.type]:
            yield Problem(f"{node.type} '{node.id}' waits only {seconds_text(node.timeout)} for "
                          f"the caller (at least {seconds_text(limits[node.type])})",
                          node=node.id, pos=node.field_pos.get("timeout", node.pos),
                          value=node.timeout, limit=limits[node.type])


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
