"""Executable content -> nodes: prompts become messages, ``<if>`` a branch, ``<goto>`` an edge.

Content is compiled in order with a continuation (where the call goes when the content ends
without a transition). Prompts before a transition are one `message` node; prompts then
``<disconnect/>`` or ``<exit/>`` are a `hangup` node that says them; prompts then ``<transfer>``
a `transfer` node. A form's items run in order (the form interpretation algorithm with each
item visited once), and a form that ends without a transition ends the call (VoiceXML 2.0
appendix C: the document, and so the session, is done).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..aliases import Aliases
from ..expr import UNKNOWN, evaluate, names
from ..speech import Speech, guessed_message, name_words, seconds_of
from ..xml import XmlElement
from ...i18n import N_, Message, msg

ITEMS = ("block", "field", "record", "transfer", "object", "subdialog", "initial")
# Elements that never move the call (variables, logging, scripts, declarations).
QUIET = ("log", "var", "script", "object", "param", "meta", "metadata", "property", "grammar",
         "data", "cancel", "catch", "noinput", "nomatch", "error", "help", "link", "filled",
         "assign", "option", "choice")
PLAYS = ("prompt", "audio", "value", "break", "prosody", "emphasis", "say-as", "s", "p", "sub",
         "voice", "mark", "phoneme", "lexicon", "enumerate")
_TRANSFER_TYPES = ("blind", "bridge", "consultation")
# VoiceXML, SRGS and SSML; elements of other namespaces (BML gestures, say) are not VoiceXML's
# and do nothing to the call.
KNOWN_NAMESPACES = ("", "http://www.w3.org/2001/vxml", "http://www.w3.org/2001/06/grammar",
                    "http://www.w3.org/2001/10/synthesis")


class Content:
    """Compiling statements (mixed into DocumentImport)."""

    # -- forms ---------------------------------------------------------------------------

    def form(self, form: XmlElement, where) -> None:
        """A form's items in order; executable content written directly in the form (OPAL's
        dialect) runs in place as if in a `<block>`."""
        values = self.variables(form, where.values)
        groups = self.form_items(form)
        filled = form.find("filled")
        last_input = max((i for i, (kind, _) in enumerate(groups)
                          if kind in ("field", "record", "initial", "transfer")), default=None)
        next_symbols = [Aliases.symbol("item", id(form), i) for i in range(len(groups))]
        for index, (kind, content) in enumerate(groups):
            cont = next_symbols[index + 1] if index + 1 < len(groups) else "hangup"
            if filled is not None and index == last_input:
                cont = self.filled_form(form, filled, values, cont)
            item_where = where.__class__(where.dialog, content if isinstance(content, XmlElement)
                                         else form, dict(values), where.first_id if index == 0
                                         else None, f"{self.dialog_of[id(form)]}")
            target = self.item(kind, content, cont, item_where)
            self.aliases.set(next_symbols[index], target)
        self.aliases.set(self.start_symbol(form), next_symbols[0] if groups else "hangup")
        if any(kind == "loose" for kind, _ in groups):
            self.assume(msg(N_("executable content written directly in <form> (not in a "
                               "<block>) is run in place, as the OPAL browser does")), form.pos)

    def form_items(self, form: XmlElement) -> list[tuple[str, object]]:
        """(kind, element or list of loose statements) in document order."""
        groups: list[tuple[str, object]] = []
        for child in form.content:
            if isinstance(child, XmlElement) and child.tag in ITEMS:
                if child.tag == "object":
                    self.assume(msg(N_("the platform object '{name}' runs here; what it "
                                       "returns is decided at run time"),
                                    name=str(child.get("name") or child.get("classid"))),
                                child.pos)
                    continue
                groups.append((child.tag, child))
            elif isinstance(child, XmlElement) and child.tag not in QUIET or (
                    isinstance(child, str) and child.strip()):
                if groups and groups[-1][0] == "loose":
                    groups[-1][1].append(child)
                else:
                    groups.append(("loose", [child]))
        return groups

    def item(self, kind: str, content, cont: str, where) -> str:
        if kind in ("block", "loose"):
            items = content.content if kind == "block" else content
            name = f"{where.hint}.block" if where.first_id is None else where.hint
            return self.sequence(items, cont, where, name)
        if kind in ("field", "initial"):
            return self.field_node(content, cont, where)
        if kind == "record":
            return self.record(content, cont, where)
        if kind == "transfer":
            return self.transfer(content, Speech(), where, cont)
        if kind == "subdialog":
            self.assume(msg(N_("subdialog '{name}' ({src}) is assumed to return: the call "
                               "passes through it"),
                            name=str(content.get("name")), src=str(content.get("src"))),
                        content.pos)
            filled = content.find("filled")
            return self.sequence(filled.content, cont, where) if filled is not None else cont
        return cont

    def filled_form(self, form, filled, values, cont) -> str:
        """A form-level `<filled>`: runs once the form's inputs are filled."""
        where = self._where(form, values)
        return self.sequence(filled.content, cont, where, f"{self.dialog_of[id(form)]}.filled")

    def record(self, record: XmlElement, cont: str, where) -> str:
        self.assume(msg(N_("<record> is modelled as its prompt; the recording itself is not "
                           "timed")),
                    record.pos)
        filled = record.find("filled")
        after = self.sequence(filled.content, cont, where.with_values(),
                              f"{where.hint}.recorded") if filled is not None else cont
        prompts = [child for child in record.content if isinstance(child, XmlElement)
                   and child.tag in ("prompt", "audio")]
        name = record.get("name") or "record"
        return self.sequence(prompts, after, where, f"{where.hint}.{name}")

    # -- statements ----------------------------------------------------------------------

    def sequence(self, items: list, cont: str, where, hint: str = "") -> str:
        """Where the call goes when ``items`` start: their prompts, then their first
        transition (or ``cont`` when they end without one)."""
        speech, forced, free, pos, prompted = Speech(), False, False, None, False
        values = dict(where.values)
        for index, item in enumerate(items):
            if isinstance(item, str):
                if item.strip():
                    speech.say(item)
                    prompted, free = True, True
                continue
            if item.tag in PLAYS:
                pos = pos or item.pos
                prompted = True
                if self.prompt_plays(item, values):
                    bargein = self.bargein(item)
                    forced, free = forced or not bargein, free or bargein
                    self.speech_of(item, speech, values)
                continue
            if item.tag in ("assign", "var"):
                value = evaluate(item.get("expr") or "undefined", values)
                values[item.get("name")] = value
                if value is UNKNOWN:
                    values.pop(item.get("name"), None)
                continue
            if item.tag in QUIET or item.namespace not in KNOWN_NAMESPACES:
                continue
            inner = where.with_values(**values)
            inner.hint = hint or where.hint
            message_id = where.take_id(self, hint) if prompted else None
            if not prompted:
                inner.first_id, where.first_id = where.first_id, None
            rest = items[index + 1:]
            target = self.statement(item, rest, cont, inner, speech if prompted else None,
                                    message_id)
            if message_id and self.is_reserved(message_id):
                self.message(message_id, pos or where.item.pos, speech, forced, free, target)
            return target if not message_id else message_id
        if prompted:
            message_id = where.take_id(self, hint)
            return self.message(message_id, pos or where.item.pos, speech, forced, free, cont)
        return cont

    def message(self, node_id, pos, speech: Speech, forced: bool, free: bool, target: str) -> str:
        fields = {"type": "message", **speech.segment(), "next": target}
        if forced:
            fields["barge_in"] = False
        self.add(node_id, pos, fields)
        self.recordings_assumed(speech, pos, node_id)
        if forced and free:
            self.assume(msg(N_("some prompts here allow barge-in and some do not: the whole "
                               "message is taken as forced")), pos, node_id)
        return node_id

    def statement(self, item: XmlElement, rest: list, cont: str, where, speech, node_id) -> str:
        """The target of one transition statement; ``speech`` (prompts before it) and
        ``node_id`` (reserved for them) let a hangup or transfer say them itself."""
        tag = item.tag
        later = lambda: self.sequence(rest, cont, where.with_values(), where.hint)  # noqa: E731
        if tag in ("disconnect", "exit", "return"):
            if node_id and tag == "disconnect":  # prompts, then the line is cut: a hangup
                # node that says them (after <exit/> the prompts are a message: the session
                # ends once they have played)
                self.add(node_id, item.pos, {"type": "hangup", **speech.segment()})
                return node_id
            return "hangup"
        if tag == "transfer":
            return self.transfer(item, speech or Speech(), where, later(), node_id)
        if tag in ("goto", "submit"):
            return self.goto_target(item, where)
        if tag == "if":
            return self.if_statement(item, later(), where)
        if tag == "clear":
            return self.clear(item, where)
        if tag == "throw":
            return self.throw(item.get("event") or "", item, where)
        if tag == "reprompt":  # outside a handler: the FIA goes on
            return later()
        if tag in ITEMS:
            return self.item(tag, item, later(), where)
        self.assume(msg(N_("<{tag}> is not modelled: the call is assumed to go on"),
                        tag=tag), item.pos)
        return later()

    def if_statement(self, item: XmlElement, cont: str, where) -> str:
        """Arms decided by known variables are taken or dropped; the rest is a branch on
        run-time conditions (a condition without variables, like `true`, is kept as written:
        it holds in every scenario)."""
        cases, else_target = [], cont
        for cond, body, pos in self.arms(item):
            arm_where = where.with_values()
            if cond is None:
                else_target = self.sequence(body, cont, arm_where, f"{where.hint}.else")
                break
            value = evaluate(cond, where.values) if names(cond) else UNKNOWN
            if value is False or (value is not UNKNOWN and not value):
                continue
            if value is not UNKNOWN and not cases:
                return self.sequence(body, cont, where, where.hint)
            if value is not UNKNOWN:
                else_target = self.sequence(body, cont, arm_where, f"{where.hint}.then")
                break
            target = self.sequence(body, cont, arm_where, f"{where.hint}.then")
            when = [] if cond.strip() == "true" else self.condition(cond, pos)
            cases.append({"when": when, "goto": target})
        if not cases:
            return else_target
        node_id = where.take_id(self, f"{where.hint}.if")
        return self.add(node_id, item.pos, {"type": "branch", "cases": cases, "else": else_target})

    @staticmethod
    def arms(item: XmlElement) -> list[tuple[str | None, list, tuple]]:
        """An `<if>`'s arms: (cond, statements, position); cond None for `<else>`."""
        arms = [(item.get("cond") or "false", [], item.pos)]
        for child in item.content:
            if isinstance(child, XmlElement) and child.tag == "elseif":
                arms.append((child.get("cond") or "false", [], child.pos))
            elif isinstance(child, XmlElement) and child.tag == "else":
                arms.append((None, [], child.pos))
            else:
                arms[-1][1].append(child)
        return arms

    def throw(self, event: str, item: XmlElement, where) -> str:
        """An event thrown at ``item``: its handler in scope (the first count), else the
        platform's default, which ends the call for errors and other events alike here."""
        found = self.catches(item, event)
        handler = self.select(found, 1)
        if handler is None:
            self.assume(msg(N_("no handler for '{event}' in scope: the platform's default ends "
                               "the call (VoiceXML 2.0 5.2.5)"), event=event), item.pos)
            return "hangup"
        key = ("throw", id(handler), tuple(sorted(where.values.items(), key=str)))
        if key not in self.memo:
            self.memo[key] = Aliases.symbol("throw", len(self.memo))
            inner = where.with_values()
            self.aliases.set(self.memo[key], self.sequence(
                handler.content, "hangup", inner, f"{where.hint}.{handler.tag}"))
        return self.memo[key]

    def clear(self, item: XmlElement, where) -> str:
        """`<clear>` in a `<filled>`: the form interpretation algorithm visits the first
        cleared item again (all of them: the form starts over)."""
        form = where.dialog
        listed = (item.get("namelist") or "").split()
        for index, (kind, content) in enumerate(self.form_items(form)):
            if not listed or (isinstance(content, XmlElement) and content.get("name") in listed):
                return Aliases.symbol("item", id(form), index)
        return "hangup"

    # -- transitions ---------------------------------------------------------------------

    def goto_target(self, item: XmlElement, where) -> str:
        """Where `<goto>`, `<submit>`, `<choice>` or `<link>` sends the call."""
        if item.get("nextitem") or item.get("expritem"):
            name = item.get("nextitem") or self.static(item.get("expritem"), where)
            if name is None:
                return self.leaves(item, item.get("expritem"), msg(N_("a computed form item")))
            return self.form_item(name, item, where)
        url = item.get("next")
        if url is None and item.get("expr") is not None:
            url = self.static(item.get("expr"), where)
            if url is None:
                return self.leaves(item, item.get("expr"), msg(N_("a computed destination")))
        if url is None:
            event = item.get("event")
            return self.throw(event, item, where) if event else "hangup"
        return self.url_target(url, item)

    def url_target(self, url: str, item: XmlElement) -> str:
        document, _, fragment = url.partition("#")
        if not document:
            if fragment in self.dialogs:
                return self.dialog_symbol(fragment)
            self.assume(msg(N_("'#{fragment}' names no dialog of this document: VoiceXML throws "
                               "error.badfetch, whose default handler ends the call"),
                            fragment=fragment), item.pos)
            return "hangup"
        target = Path(os.path.normpath(self.folder / document)).as_posix()
        if target == self.name:
            return self.dialog_symbol(fragment) if fragment in self.dialogs else "restart"
        node_id = self.reserve(f"to_{Path(document).stem}")
        self.add(node_id, item.pos, {"type": "transfer", "to": url})
        self.flow_.handoffs[node_id] = target
        if item.tag == "submit":
            self.assume(msg(N_("<submit> to '{url}': the server answers with the next document; "
                               "followed when that document is among the inputs"),
                            url=url), item.pos, node_id)
        return node_id

    def form_item(self, name: str, item: XmlElement, where) -> str:
        for index, (kind, content) in enumerate(self.form_items(where.dialog)):
            if isinstance(content, XmlElement) and content.get("name") == name:
                return Aliases.symbol("item", id(where.dialog), index)
        if name in self.dialogs:  # OPAL's samples name a dialog here
            self.assume(msg(N_("nextitem '{name}' names a dialog, not an item of this form "
                               "(VoiceXML would throw error.badfetch): read as a <goto> to that "
                               "dialog, as the OPAL browser does"), name=name), item.pos)
            return self.dialog_symbol(name)
        self.assume(msg(N_("nextitem '{name}' names no item of this form: VoiceXML throws "
                           "error.badfetch, whose default handler ends the call"),
                        name=name), item.pos)
        return "hangup"

    def leaves(self, item: XmlElement, expression: str, what: Message) -> str:
        node_id = self.reserve(f"to_{item.tag}")
        self.add(node_id, item.pos, {"type": "transfer", "to": expression or str(what)})
        self.assume(msg(N_("{what} ({expression}) is decided at run time: the call is taken to "
                           "leave the audited menu there"),
                        what=what, expression=str(expression)), item.pos, node_id)
        return node_id

    def static(self, expression: str | None, where) -> str | None:
        value = evaluate(expression or "", {**self.values, **where.values})
        return value if isinstance(value, str) else None

    def spoken(self, expression: str, values: dict) -> str:
        """What a `<value expr>` says: its value when known, else its string literals with
        each unknown part as `{name}`."""
        value = evaluate(expression, {**self.values, **values})
        if value is not UNKNOWN and value is not None:
            return str(value)
        parts = re.findall(r"'[^']*'|\"[^\"]*\"|[^+]+", expression)
        return " ".join(part.strip()[1:-1] if part.strip()[:1] in "'\"" else
                        "{" + part.strip() + "}" for part in parts if part.strip())

    def transfer(self, item: XmlElement, speech: Speech, where, cont: str,
                 node_id: str | None = None) -> str:
        """`<transfer>`: the call leaves for `dest`; a person answers there (an assumption,
        unless ivraudit wrote what the destination is)."""
        kind = item.get("type")
        if kind is not None and kind not in _TRANSFER_TYPES:
            self.assume(msg(N_("<transfer type='{kind}'> is not a transfer type (blind, bridge, "
                               "consultation): VoiceXML throws error.badfetch, handled here"),
                            kind=kind),
                        item.pos, node_id)
            return self.throw("error.badfetch", item, where)
        for child in item.children:
            if child.tag in ("prompt", "audio"):
                self.speech_of(child, speech, where.values)
        node_id = node_id or where.take_id(self, f"{where.hint}.{item.get('name') or 'transfer'}")
        fields = {"type": "transfer", "to": item.get("dest") or item.get("destexpr") or "?"}
        kind = self.property(item, "ivraudit.node")
        if kind in ("human", "callback"):
            fields = {"type": kind}
        if fields["type"] != "callback":
            self.person_fields(item, fields, node_id)
        if speech:
            fields.update(speech.segment())
        return self.add(node_id, item.pos, fields)

    def person_fields(self, item: XmlElement, fields: dict, node_id: str) -> None:
        person = self.property(item, "ivraudit.person")
        if fields["type"] == "transfer":
            if person is None:
                self.assume(msg(N_("a <transfer> is taken to reach a person")), item.pos, node_id,
                            "docs/importers.md#voicexml")
                fields["person"] = True
            else:
                fields["person"] = person == "true"
        if fields["type"] == "human" or fields.get("person"):
            for name in ("wait", "queue", "announces_wait"):
                value = self.property(item, "ivraudit." + name)
                if value is not None:
                    fields[name] = {"wait": lambda v: float(v) if "." in v else int(v),
                                    "announces_wait": lambda v: v == "true"}.get(
                                        name, str)(value)
            when = self.property(item, "ivraudit.overflow")
            goto = self.property(item, "ivraudit.overflow.goto")
            if when and goto:
                fields["overflow"] = {"when": _conditions_written(when),
                                      "goto": self.url_target(goto, item)}

    # -- prompts -------------------------------------------------------------------------

    def prompt_plays(self, item: XmlElement, values: dict) -> bool:
        """Whether a prompt plays: its `cond` is true, or not decided statically."""
        cond = item.get("cond") if item.tag == "prompt" else None
        if cond is None:
            return True
        value = evaluate(cond, {**self.values, **values})
        return value is UNKNOWN or bool(value)

    def bargein(self, item: XmlElement) -> bool:
        written = item.get("bargein") if item.tag == "prompt" else None
        if written is None:
            written = self.property(item, "bargein")
        return (written or "true").strip().lower() != "false"

    def speech_of(self, item, speech: Speech, values: dict) -> Speech:
        """Add what an element plays to ``speech`` (text, recordings, pauses)."""
        if isinstance(item, str):
            return speech.say(item)
        tag = item.tag
        if tag == "audio":
            src = item.get("src")
            if src is None:
                src = self.spoken(item.get("expr") or "", values).replace(" ", "")
            fallback = item.text()
            said = fallback or name_words(src.strip("'\""))
            return speech.recording(src, said, self.folder, self.options.prompts)
        if tag == "value":
            return speech.say(self.spoken(item.get("expr") or "", values))
        if tag == "break":
            return speech.pause(seconds_of(item.get("time")) or 0)
        if tag == "prosody" and seconds_of(item.get("duration")) is not None:
            return speech.timed(item.text(), seconds_of(item.get("duration")))
        if tag in ("enumerate", "grammar", "mark"):
            return speech
        for child in item.content:
            self.speech_of(child, speech, values)
        return speech

    def recordings_assumed(self, speech: Speech, pos, node_id: str) -> None:
        if speech.guessed:
            self.assume(guessed_message(speech.guessed), pos, node_id,
                        "docs/importers.md#prompt-lengths")

    def _where(self, form, values):
        from .document import Where

        return Where(form, form, dict(values), None, self.dialog_of.get(id(form), "form"))


def _conditions_written(value: str) -> list[str]:
    """An `ivraudit.overflow` property's conditions: a JSON list, as ivraudit exports them (a
    condition may hold spaces: "Dial(Console/dsp) unanswered"), else names between spaces.

    >>> _conditions_written('["Dial(a) unanswered"]'), _conditions_written("queue_full vip")
    (['Dial(a) unanswered'], ['queue_full', 'vip'])
    """
    if value.startswith("["):
        try:
            found = json.loads(value)
        except ValueError:
            found = None
        if isinstance(found, list) and all(isinstance(item, str) for item in found):
            return found
    return value.split()
