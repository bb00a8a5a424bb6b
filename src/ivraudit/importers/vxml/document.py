"""One VoiceXML document as one flow: its dialogs, scopes (properties, handlers, variables),
metadata and the scenarios of its run-time conditions."""

from __future__ import annotations

import os
import re
from dataclasses import field
from pathlib import Path

from ...errors import MenuError
from ...i18n import N_, Message, msg
from ...util.cached import record
from ..aliases import Aliases
from ..base import ImportedFlow, mapping
from ..expr import UNKNOWN, evaluate
from ..xml import XmlElement
from . import NAME, TITLE
from .collect import Collecting
from .content import Content
from .handlers import Handlers

SPEC = "https://www.w3.org/TR/voicexml20/"
DIALOGS = ("menu", "form")
CATCHES = ("catch", "noinput", "nomatch", "error", "help")
# Properties ivraudit writes (exporters.vxml) for what VoiceXML cannot say; a VoiceXML browser
# ignores properties it does not know (VoiceXML 2.0 6.3).
IVRAUDIT = "ivraudit."
_LOCALE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


@record(frozen=False)
class Where:
    """Where content is being compiled: its dialog and form item, the variables known there,
    and the id reserved for the first node it makes."""

    dialog: XmlElement
    item: XmlElement
    values: dict = field(default_factory=dict)
    first_id: str | None = None
    hint: str = ""

    def take_id(self, doc: DocumentImport, hint: str) -> str:
        if self.first_id is not None:
            found, self.first_id = self.first_id, None
            return found
        return doc.reserve(hint or self.hint)

    def with_values(self, **changes) -> Where:
        return Where(self.dialog, self.item, {**self.values, **changes}, None, self.hint)


class DocumentImport(Content, Collecting, Handlers):
    """Reads one document into an ImportedFlow."""

    def __init__(self, source, options) -> None:
        self.source = source
        self.options = options
        self.root: XmlElement = source.xml
        if self.root.tag != "vxml":
            raise MenuError(source.path, *self.root.pos, f"the root element is <{self.root.tag}>,"
                            " not <vxml>", "give a VoiceXML document")
        self.name = Path(os.path.normpath(source.path)).as_posix()
        self.folder = source.folder
        self.flow_ = ImportedFlow(source.path, self.name, NAME, TITLE, pos=self.root.pos)
        self.aliases = Aliases()
        self.values = self.variables(self.root, {})
        self.dialogs: dict[str, XmlElement] = {}
        self.dialog_of: dict[int, str] = {}
        self.conditions: list[str] = []
        self.memo: dict = {}
        self.per_scope: dict = {}  # what each scope holds, read once (properties, handlers)
        self.assumed: set[tuple] = set()
        for index, child in enumerate(self.root.findall(*DIALOGS)):
            dialog_id = child.get("id") or f"{child.tag}{index + 1}"
            self.dialogs.setdefault(dialog_id, child)
            self.dialog_of[id(child)] = dialog_id

    # -- the flow --------------------------------------------------------------------------

    def flow(self) -> ImportedFlow:
        flow = self.flow_
        flow.set("ivr", self.meta("title") or Path(self.source.path).name, self.root.pos)
        lang = self.root.get("lang")
        if lang and _LOCALE.match(lang):
            flow.set("locale", lang, self.root.pos)
        rate = self.speech_rate()
        if rate:
            flow.set("speech_rate", rate, self.root.pos)
        if not self.dialogs:
            self.no_dialog()
        else:
            for dialog_id, dialog in self.dialogs.items():
                self.compile_dialog(dialog_id, dialog)
            flow.set("entry", self.dialog_symbol(next(iter(self.dialogs))), self.root.pos)
        links = self.links(self.root)
        if links:
            flow.set("global_options", links, self.root.pos)
        scenarios = self.scenarios()
        if scenarios:
            flow.set("scenarios", scenarios, self.root.pos)
        self.aliases.apply(flow)
        return flow

    def no_dialog(self) -> None:
        """A document with no dialog holds no menu: it says so, and the call leaves."""
        node = self.flow_.add("document", self.root.pos, {
            "type": "transfer", "to": "(no dialog)"}, note=self.flow_.location(self.root.pos))
        self.flow_.set("entry", node, self.root.pos)
        self.assume(msg(N_("the document holds no <form> or <menu>: there is no menu to audit")),
                    self.root.pos, node)

    def compile_dialog(self, dialog_id: str, dialog: XmlElement) -> None:
        node_id = self.reserve(dialog_id)
        self.aliases.set(self.dialog_symbol(dialog_id), node_id)
        where = Where(dialog, dialog, dict(self.values), node_id, dialog_id)
        if dialog.tag == "menu":
            self.menu_node(dialog, where)
        else:
            self.form(dialog, where)
        if self.is_reserved(node_id):  # the dialog made no node of its own: one passes on
            target = self.aliases.meaning.get(self.start_symbol(dialog), "hangup")
            self.add(node_id, dialog.pos, {"type": "branch", "else": target})

    def dialog_symbol(self, dialog_id: str) -> str:
        return Aliases.symbol("dialog", dialog_id)

    def start_symbol(self, dialog: XmlElement) -> str:
        return Aliases.symbol("start", id(dialog))

    # -- nodes -----------------------------------------------------------------------------

    def reserve(self, hint: str) -> str:
        """A node id for a node made later (so that ids follow the document's order)."""
        node_id = self.flow_.new_id(hint)
        self.flow_.nodes[node_id] = None
        return node_id

    def is_reserved(self, node_id: str) -> bool:
        return self.flow_.nodes.get(node_id) is None

    def add(self, node_id: str, pos, fields: dict) -> str:
        return self.flow_.add(node_id, pos, fields, note=f"{self.flow_.location(pos)}")

    def assume(self, message: Message, pos, node: str | None = None, source: str = SPEC) -> None:
        key = (message, pos, node)
        if key not in self.assumed:
            self.assumed.add(key)
            self.flow_.assume(message, pos, source, node)

    # -- scopes ----------------------------------------------------------------------------

    def scopes(self, element: XmlElement) -> list[XmlElement]:
        """The element and its ancestors up to the document, innermost first."""
        found = []
        while element is not None:
            found.append(element)
            element = element.parent
        return found

    def property(self, element: XmlElement, name: str) -> str | None:
        """A `<property>` in force at ``element`` (the innermost scope that sets it)."""
        for scope in self.scopes(element):
            found = self.properties_of(scope)
            if name in found:
                return found[name]
        return None

    def properties_of(self, scope: XmlElement) -> dict[str, str | None]:
        """The `<property>`s a scope sets (the first of a name), read once per scope: the
        document is a scope of every dialog, and reading it again for each is quadratic."""
        key = ("properties", id(scope))
        if key not in self.per_scope:
            found: dict[str, str | None] = {}
            for prop in scope.findall("property"):
                found.setdefault(prop.get("name"), prop.get("value"))
            self.per_scope[key] = found
        return self.per_scope[key]

    def variables(self, scope: XmlElement, known: dict) -> dict:
        """The `<var>`s of a scope whose value is a literal (statically known)."""
        values = dict(known)
        for var in scope.findall("var"):
            name = var.get("name")
            if not name:
                continue
            expression = var.get("expr")
            value = evaluate(expression, values) if expression is not None else None
            values[name] = value
            if value is UNKNOWN:
                values.pop(name)
        return values

    def meta(self, name: str) -> str | None:
        for meta in self.root.findall("meta"):
            if meta.get("name") == name:
                return meta.get("content")
        return None

    def speech_rate(self) -> dict | None:
        """The rate an ivraudit export was estimated at (``<meta name="ivraudit.speech_rate"
        content="WPM CPS">``), so that its words are estimated alike; None if not written or
        not two numbers (the loader checks their range)."""
        written = (self.meta(IVRAUDIT + "speech_rate") or "").split()
        try:
            words, chars = (float(value) for value in written)
        except ValueError:
            return None
        return {"words_per_minute": words, "chars_per_second": chars}

    def scenarios(self) -> dict | None:
        """Scenarios written in the document (``<meta name="ivraudit.scenario.NAME"
        content="CONDITIONS">``, as ivraudit exports them), else `default` (no run-time
        condition holds) and one scenario per condition in which it alone holds."""
        written = {meta.get("name")[len(IVRAUDIT + "scenario."):]: _conditions(meta)
                   for meta in self.root.findall("meta")
                   if (meta.get("name") or "").startswith(IVRAUDIT + "scenario.")}
        if written:
            return written
        if not self.conditions:
            return None
        found = {"default": []}
        for condition in self.conditions:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", condition).strip("_")[:60] or "condition"
            while name in found:
                name += "_"
            found[name] = [condition]
        return found

    def condition(self, expression: str, pos) -> list[str]:
        """The conditions a run-time `cond` stands for: the names of a conjunction of plain
        variables (``hours_open && vip``), else the expression itself as one condition."""
        text = " ".join(expression.split())
        parts = [part.strip() for part in text.split("&&")]
        if all(re.fullmatch(r"[^\s=<>!()'\"&|+*/]+", part) for part in parts):
            found = parts
        else:
            found = [text]
        for name in found:
            if name not in self.conditions:
                self.conditions.append(name)
                self.assume(msg(N_("`{name}` is decided at run time: a condition, with a "
                                   "scenario in which it holds"),
                                name=name), pos, None, "docs/importers.md#voicexml")
        return found

    def links(self, scope: XmlElement) -> list:
        """`<link dtmf>` of a scope as options (hidden: a link announces nothing)."""
        found = []
        for link in scope.findall("link"):
            key = link.get("dtmf")
            if not key:
                continue
            where = Where(scope, link, dict(self.values), None, "link")
            target = self.goto_target(link, where)
            found.append(mapping(link.pos, {"key": key, "goto": target}))
        return found


def _conditions(meta: XmlElement) -> list[str]:
    """A scenario's conditions: a JSON list (as ivraudit writes them), else words."""
    import json

    content = meta.get("content") or ""
    try:
        found = json.loads(content)
    except ValueError:
        return content.split()
    return [str(item) for item in found] if isinstance(found, list) else content.split()
