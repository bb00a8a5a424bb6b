"""no-ads-before-human (IVR019): no forced advertising on the way to a person.

GetHuman's draft standard asks to let callers skip ads and filler; the W3C COGA paper says
"advertisements and other extraneous information should not be read". A segment tagged `ad` in
a prompt that cannot be interrupted, on the quickest way to a person, is a finding.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: promo
    nodes:
      promo:
        type: message
        say: Try our new unlimited data plan, only nine euros a month!
        tags: [ad]
        barge_in: false
        next: main
      main:
        type: menu
        options:
          - {key: 0, say: A person press 0., goto: agent}
      agent: {type: human}

Finds::

    line 6, node promo, scenario default: 'promo' forces ≈4.4 s of advertising on the way to a
      person
"""

from __future__ import annotations

from ..i18n import N_, Seconds, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for scenario in ctx.scenarios:
        for node in ctx.forced_path_nodes(scenario):
            if node.barge_in:
                continue
            ads = [s for s in node.segments() if "ad" in s.tags]
            if ads:
                seconds = Seconds(sum(s.seconds for s in ads), any(s.estimated for s in ads))
                yield Problem(msg(N_("'{node}' forces {seconds} of advertising on the way to a "
                                     "person"), node=node.id, seconds=seconds), node=node.id,
                              scenario=scenario, pos=ads[0].pos or node.pos,
                              value=sum(s.seconds for s in ads), limit=0)


RULE = Rule(
    id="IVR019", name="no-ads-before-human", severity="warning",
    summary="no forced advertising on the way to a person",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman draft standard (avoid filler; let callers skip ads)", "http://gethuman.com/earcon/standard.html"),
        Source("W3C COGA issue paper 'Voice Systems'", "https://github.com/w3c/coga/blob/main/issue-papers/voice-menus.html"),
    ),
)
