"""retry-limit-then-human (IVR013): after a few failures the caller gets a person.

A caller who fails again and again needs help, not another loop. `max_failures` must lie between
``min_failures`` and ``max_failures``, and `on_exhausted` must lead (through messages and
branches) to a person or a callback.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        max_failures: 3
        on_exhausted: agent
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
        max_failures: 9
        on_exhausted: restart
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 7, node main, scenario default: menu 'main' allows 9 failures before giving up (allowed
      2 to 3)
    line 8, node main, scenario default: after the last failure at 'main' the caller gets no
      person or callback (on_exhausted: restart)
"""

from __future__ import annotations

from ..i18n import N_, Np_, msg, msgn
from .base import MenuContext, Problem, Rule, Source, node_name


def check(ctx: MenuContext, params: dict):
    low, high = params["min_failures"], params["max_failures"]
    for node in ctx.nodes_of_type("menu", "input"):
        pos, origin = ctx.setting_source(node, "max_failures")
        if node.max_failures is None:
            template = N_("{node} never stops retrying (max_failures: unlimited; allowed {low} "
                          "to {high})") if origin == "node" else \
                N_("menus and inputs never stop retrying (max_failures: unlimited, set in "
                   "`defaults`; allowed {low} to {high})")
            yield Problem(msg(template, node=node_name(node), low=low, high=high),
                          node=node.id, pos=pos, value="unlimited", limit=[low, high])
            continue  # no on_exhausted to follow
        if not low <= node.max_failures <= high:
            yield Problem(msgn(_ALLOWS[origin], node.max_failures, node=node_name(node),
                               low=low, high=high), node=node.id, pos=pos,
                          value=node.max_failures, limit=[low, high])
        action = node.on_exhausted
        pos, origin = ctx.setting_source(node, "on_exhausted")
        if origin == "node":
            text = msg(N_("after the last failure at '{node}' the caller gets no person or "
                          "callback (on_exhausted: {action})"), node=node.id,
                       action=action.label)
        else:
            text = msg(_EXHAUSTED[origin], action=action.label)
        for scenario in ctx.scenarios_at(node.id):  # where the action leads depends on it
            if not (action.kind == "goto"
                    and ctx.stops_at(scenario, action.target, "person", "callback")):
                yield Problem(text, node=node.id, scenario=scenario,
                              pos=action.pos or pos)


_ALLOWS = {  # by where max_failures comes from: one finding for all that keep a shared one
    "node": Np_("{node} allows {n} failure before giving up (allowed {low} to {high})",
                "{node} allows {n} failures before giving up (allowed {low} to {high})"),
    "defaults": Np_("menus and inputs allow {n} failure before giving up (max_failures set in "
                    "`defaults`; allowed {low} to {high})",
                    "menus and inputs allow {n} failures before giving up (max_failures set in "
                    "`defaults`; allowed {low} to {high})"),
    "assumed": Np_("menus and inputs allow {n} failure before giving up (an assumed default: "
                   "the menu does not set max_failures; allowed {low} to {high})",
                   "menus and inputs allow {n} failures before giving up (an assumed default: "
                   "the menu does not set max_failures; allowed {low} to {high})"),
}
_EXHAUSTED = {
    "defaults": N_("after the last failure the caller gets no person or callback (on_exhausted: "
                   "{action}, set in `defaults`)"),
    "assumed": N_("after the last failure the caller gets no person or callback (on_exhausted: "
                  "{action}, an assumed default: the menu does not set it)"),
}


RULE = Rule(
    id="IVR013", name="retry-limit-then-human", severity="warning",
    summary="retries are limited and then lead to a person or a callback",
    check=check, doc=__doc__,
    params={"min_failures": 2, "max_failures": 3},
    param_help={"min_failures": "fewest failures allowed before giving up",
                "max_failures": "most failures allowed before giving up"},
    sources=(
        Source("GetHuman standard v1.0, item 8", "http://gethuman.com/standard/v1.0.html"),
        Source("Mitel MiCollab Call Director: retry count 3",
               "https://micollab.ci.piedmont.ca.us/portal/Help/en_US/enduser/calldir/configuring_main_menu.htm"),
    ),
)
