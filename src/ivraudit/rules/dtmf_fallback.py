"""dtmf-fallback (IVR021): an option a caller can say can also be found on the keypad.

"Speech applications should provide touch-tone (DTMF) fall-back" (GetHuman v1.0, item 5); EN 301
549 4.2.6 requires use without speech. Every option with `speech` phrases has a key; that key
must be announced, or a caller who cannot speak never learns it.

Passes::

    ivr: Passing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        options:
          - {key: 0, say: Say agent or press 0., speech: [agent], goto: agent}
      agent: {type: human}

Fails::

    ivr: Failing line
    format: 1
    entry: main
    nodes:
      main:
        type: menu
        say: Say agent to speak to a person.
        options:
          - {key: 0, speech: [agent], goto: agent}
      agent: {type: human}

Finds::

    line 9, node main, scenario default: the spoken option 'agent' in menu 'main' has no
      announced key (key 0 is never said)
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for node in ctx.nodes_of_type("menu"):
        for option in node.options:
            if option.speech and option.key is None:
                yield Problem(msg(N_("the spoken option '{phrase}' in menu '{menu}' has no key: "
                                     "a caller who cannot speak cannot choose it"),
                                  phrase=option.phrase, menu=node.id),
                              node=node.id, pos=option.pos)
            elif option.speech and option.hidden:
                yield Problem(msg(N_("the spoken option '{phrase}' in menu '{menu}' has no "
                                     "announced key (key {key} is never said)"),
                                  phrase=option.phrase, menu=node.id, key=option.key),
                              node=node.id, pos=option.pos)


RULE = Rule(
    id="IVR021", name="dtmf-fallback", severity="warning",
    summary="every spoken option also has an announced key",
    check=check, doc=__doc__,
    sources=(
        Source("GetHuman standard v1.0, item 5", "http://gethuman.com/standard/v1.0.html"),
        Source("EN 301 549 4.2.6, usage without vocal capability", "https://a11y.canada.ca/en/guides/ict-requirements/"),
    ),
)
