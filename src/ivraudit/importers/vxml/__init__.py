"""VoiceXML 2.0/2.1 documents -> menus (W3C VoiceXML 2.0, https://www.w3.org/TR/voicexml20/).

One document is one flow; its first dialog is the entry. ``<menu>`` and ``<field>`` become
`menu` or `input` nodes, ``<block>`` prompts `message` nodes, ``<if>`` on run-time values
`branch` nodes, ``<transfer>`` a `transfer` to a person, ``<disconnect>``/``<exit>`` the end of
the call; count-based ``<noinput>``/``<nomatch>`` handlers become escalation lists (SPEC 9.1).
``<goto>`` to another document among the inputs is followed (importers.link), else it leaves
the audited menu. docs/importers.md has the whole table, the defaults and their sources.

The modules: ``document`` (scopes: properties, handlers, variables), ``content`` (executable
content -> nodes), ``collect`` (menus and fields, their grammars and options), ``handlers``
(catch selection and escalation lists).
"""

from __future__ import annotations

import re

from ..base import ImportedFlow
from ..source import Source

NAME = "vxml"
TITLE = "VoiceXML"
SUFFIXES = (".vxml", ".xml")
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ("<vxml",)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?vxml[\s>/]")


def detect(source: Source) -> bool:
    """A document whose root element is ``<vxml>`` (with or without a namespace or version);
    a file that starts like one but is not well-formed is claimed too, so that reading it
    names the XML error."""
    head = source.data[:4096]
    if not _ROOT.search(head):
        return False
    if not source.has_xml():
        return True
    return source.xml.tag == "vxml"


def read(source: Source, options) -> list[ImportedFlow]:
    from .document import DocumentImport

    return [DocumentImport(source, options).flow()]
