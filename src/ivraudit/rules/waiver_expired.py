"""waiver-expired (IVR029): a waiver past its `expires` date no longer applies.

A waiver accepts a finding for a reason, often until a fix ships. Once its date has passed, the
finding it covered is reported again, and the stale waiver itself is reported here so that
someone renews it with a new reason or removes it.

Passes::

    ivr: Passing line
    format: 1
    entry: agent
    nodes:
      agent: {type: human}
    waivers:
      - {rule: IVR009, reason: Redesign ships in spring., expires: 2999-01-01}

Fails::

    ivr: Failing line
    format: 1
    entry: agent
    nodes:
      agent: {type: human}
    waivers:
      - {rule: IVR009, reason: Redesign ships in spring., expires: 2001-01-01}

Finds::

    line 7, scenario default: the waiver of IVR009 expired on 2001-01-01 and no longer applies
      (reason given: Redesign ships in spring.)
"""

from __future__ import annotations

from ..i18n import N_, msg
from .base import MenuContext, Problem, Rule


def check(ctx: MenuContext, params: dict):
    for waiver in ctx.waivers:
        if waiver.expires is not None and waiver.expires < ctx.today:
            yield Problem(msg(N_("the waiver of {rule} expired on {date} and no longer applies "
                                 "(reason given: {reason})"), rule=waiver.rule,
                              date=waiver.expires, reason=waiver.reason), node=waiver.node,
                          scenario=waiver.scenario, pos=waiver.pos, value=waiver.expires)


RULE = Rule(
    id="IVR029", name="waiver-expired", severity="warning",
    summary="a waiver whose date has passed is reported and no longer applies",
    check=check, doc=__doc__,
)
