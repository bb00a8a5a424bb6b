"""Words every report and drawing shares, marked once: node types and severities."""

from __future__ import annotations

from . import N_

NODE_TYPES = {"message": N_("message"), "menu": N_("menu"), "input": N_("input"),
              "branch": N_("branch"), "human": N_("human"), "callback": N_("callback"),
              "hangup": N_("hangup"), "transfer": N_("transfer")}
SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info"),
              "never": N_("never"), "suppressed": N_("waived")}


def node_type(kind: str) -> str:
    """A node type's name, marked (translate it with the reader's Translator)."""
    return NODE_TYPES.get(kind, kind)


def recording(tr):
    """How a prompt names a recording it plays, in the reader's language: file -> text."""
    from . import msg

    return lambda file: tr.render(msg(N_("[audio {file}]"), file=file))


def severity(name) -> str:
    """A severity's name (or ``never``, ``suppressed``), marked."""
    return SEVERITIES[str(name)]
