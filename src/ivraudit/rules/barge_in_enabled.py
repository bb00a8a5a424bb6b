"""barge-in-enabled (IVR011): callers can interrupt prompts with a key.

"Callers should be able to interrupt prompts (via dial-through ... and/or via barge-in)"
(GetHuman v1.0, item 7); VoiceXML turns barge-in on by default. A prompt with `barge_in: false`
is a finding unless every segment it plays is tagged `legal` (a notice the law requires in full).

Passes::

    ivr: Passing line
    format: 1
    entry: notice
    nodes:
      notice:
        type: message
        say: Calls are recorded for quality purposes.
        tags: [legal]
        barge_in: false
        next: main
      main:
        type: menu
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
        barge_in: false
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 7, node main, scenario default: the prompt of menu 'main' cannot be interrupted
      (barge_in: false) and is not a legal notice
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source, node_name


def check(ctx: MenuContext, params: dict):
    for node in ctx.nodes_of_type("message", "menu", "input"):
        if node.barge_in:
            continue
        segments = node.segments()
        if segments and all("legal" in segment.tags for segment in segments):
            continue
        pos, origin = ctx.setting_source(node, "barge_in")
        if origin == "node":
            text = msg(N_("the prompt of {node} cannot be interrupted (barge_in: false) and is "
                          "not a legal notice"), node=node_name(node))
        else:  # one line of `defaults` makes every prompt that keeps it forced
            text = msg(N_("prompts cannot be interrupted (barge_in: false in `defaults`) and "
                          "are not legal notices"))
        yield Problem(text, node=node.id, pos=pos)


RULE = Rule(
    id="IVR011", name="barge-in-enabled", severity="warning",
    summary="prompts can be interrupted by a key, except legal notices",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 7", "http://gethuman.com/standard/v1.0.html"),
        Source("VoiceXML bargein property (default true)", "https://docs.plumvoice.com/dev/voicexml/properties/bargein"),
    ),
)
