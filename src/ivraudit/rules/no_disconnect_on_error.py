"""no-disconnect-on-error (IVR012): a wrong key, silence or used-up retries never hang up.

"Do not disconnect for user errors, including when there are no perceived key presses (as the
caller might be on a rotary phone); instead queue for a human operator and/or offer the choice
for call-back" (GetHuman v1.0, item 8). Every failure action of a menu or input (`on_invalid`,
`on_timeout`, `on_exhausted`) is followed through messages and branches; ending the call there is
a finding.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
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
        on_invalid: hangup
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 1, node main, scenario default: running out of retries ends the call (on_exhausted:
      hangup, an assumed default: the menu does not set it)
    line 7, node main, scenario default: a wrong key at menu 'main' ends the call (on_invalid:
      hangup)
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source, node_name

_WHAT = {"on_invalid": N_("a wrong key"), "on_timeout": N_("silence"),
         "on_exhausted": N_("running out of retries")}


def check(ctx: MenuContext, params: dict):
    for node in ctx.nodes_of_type("menu", "input"):
        for field, action in _actions(node):
            if action.kind not in ("hangup", "goto"):
                continue
            setting = field.split("[")[0]
            pos, origin = ctx.setting_source(node, setting)
            what = msg(_WHAT[setting])
            if origin == "node":
                text = msg(N_("{what} at {node} ends the call ({field}: {action})"), what=what,
                           node=node_name(node), field=field, action=action.label)
            elif origin == "defaults":  # one line of `defaults`, every node that keeps it
                text = msg(N_("{what} ends the call ({field}: {action}, set in `defaults`)"),
                           what=what, field=field, action=action.label)
            else:
                text = msg(N_("{what} ends the call ({field}: {action}, an assumed default: the "
                              "menu does not set it)"), what=what, field=field,
                           action=action.label)
            for scenario in ctx.scenarios_at(node.id):  # where a goto leads may depend on it
                if action.kind == "goto":
                    stop = ctx.follow(scenario, action.target)[1]
                    if stop is not None and stop.type != "hangup":
                        continue
                yield Problem(text, node=node.id, scenario=scenario,
                              pos=action.pos or pos)


def _actions(node):
    """(field as written, action) for every failure action, a list's with its place."""
    for name, actions in (("on_invalid", node.on_invalid), ("on_timeout", node.on_timeout)):
        for index, action in enumerate(actions):
            yield (f"{name}[{index}]" if len(actions) > 1 else name), action
    if node.on_exhausted is not None:
        yield "on_exhausted", node.on_exhausted


RULE = Rule(
    id="IVR012", name="no-disconnect-on-error", severity="error",
    summary="an invalid key, silence or exhausted retries never end the call",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 8", "http://gethuman.com/standard/v1.0.html"),
        Source("W3C COGA issue paper 'Voice Systems' (errors should not end the call)",
               "https://github.com/w3c/coga/blob/main/issue-papers/voice-menus.html"),
    ),
)
