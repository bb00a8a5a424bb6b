"""import-assumption (IVR038): what an import had to assume is shown, never silently guessed.

A platform flow leaves some things to run time or to the platform: the result of a Lambda or a
webhook, an attribute compared with a value, the hours of operation, whether agents are
staffed, the length of a recorded prompt, the platform's default timeout or retry count. An
importer turns each into a documented default or into named conditions with scenarios (SPEC
section 10), and lists it; this rule reports each one where the flow is silent, so that a
compliance officer can confirm it with the vendor. A menu file written by `ivraudit import`
keeps the list under `assumptions:`, so auditing it still reports them.

Passes::

    ivr: Passing line
    format: 1
    entry: agent
    nodes:
      agent: {type: human}

Fails::

    ivr: Imported line
    format: 1
    entry: agent
    nodes:
      agent: {type: human}
    assumptions:
      - message: the queue's wait is not in the flow; none is assumed
        source: docs/importers.md
        at: flow.json:12:5

Finds::

    line 7, scenario default: assumed (flow.json:12:5): the queue's wait is not in the flow;
      none is assumed (source: docs/importers.md)
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule, Source


def check(ctx: MenuContext, params: dict):
    for assumption in ctx.menu.assumptions:
        where = f" ({assumption.at})" if assumption.at else ""
        source = msg(N_(" (source: {source})"), source=assumption.source) \
            if assumption.source else ""
        yield Problem(msg(N_("assumed{where}: {assumption}{source}"), where=where,
                          assumption=assumption.message, source=source),
                      node=assumption.node, pos=assumption.pos,
                      cause=str(assumption.message))  # each assumption is its own cause


RULE = Rule(
    id="IVR038", name="import-assumption", severity="info",
    summary="every value an import had to assume is listed where the flow is silent",
    check=check, doc=__doc__,
    sources=(
        Source("Amazon Connect flow language reference (what a flow leaves to run time)",
               "https://docs.aws.amazon.com/connect/latest/APIReference/flow-language.html"),
        Source("W3C VoiceXML 2.0, platform-dependent defaults (e.g. 4.1.7 timeout)",
               "https://www.w3.org/TR/voicexml20/"),
    ),
)
