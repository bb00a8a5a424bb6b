"""`<noinput>`/`<nomatch>` handlers -> escalation lists (SPEC 9.1).

VoiceXML counts each event per form item (or menu) and resets the count when the dialog is
entered again; the handler for the k-th event is chosen among every handler in scope (the item,
its form or menu, the document) whose `count` is at most k: the highest such count, and of
those the innermost (VoiceXML 2.0 5.2.4). So the k-th nomatch takes the k-th action of
`on_invalid`, up to the highest count written, after which the last repeats. With no handler
in scope the platform's default applies (5.2.5): a nomatch plays platform audio and the
prompt again, a noinput plays the prompt again. VoiceXML has no total limit (`max_failures:
unlimited`), except the counter idiom below.

A form that counts every failure in a variable and leaves after N (``<assign name="n"
expr="n + 1"/><if cond="n == N">...leave...<else/>...</if>`` at the start of each handler, `n`
a form variable that starts at 0) is `max_failures: N` with that way out as `on_exhausted`;
ivraudit's own export writes exactly this.
"""

from __future__ import annotations

import re

from ..expr import UNKNOWN, evaluate
from ..numbers import whole
from ..speech import Speech
from ..xml import XmlElement
from .content import KNOWN_NAMESPACES
from ...i18n import N_, msg

DEFAULT_NOMATCH = "Sorry, I did not understand."
_PLAYS = ("prompt", "audio", "value", "break", "prosody")


class Handlers:
    """Failure handling of a menu or field (mixed into DocumentImport)."""

    def catches(self, element: XmlElement, event: str) -> list[tuple[int, int, int, XmlElement]]:
        """(count, depth, order, handler) for every handler of ``event`` in scope."""
        found = []
        for depth, scope in enumerate(self.scopes(element)):
            for order, names, count, child in self.handlers_of(scope):
                if any(event == name or event.startswith(name + ".") for name in names):
                    found.append((count, depth, order, child))
        return found

    def handlers_of(self, scope: XmlElement) -> list[tuple[int, list[str], int, XmlElement]]:
        """(order, events, count, element) of the handlers a scope holds, read once per scope
        (the document is a scope of every dialog)."""
        key = ("handlers", id(scope))
        if key not in self.per_scope:
            found = []
            for order, child in enumerate(scope.children):
                if child.tag not in ("catch", "noinput", "nomatch", "error", "help"):
                    continue
                names = (child.get("event") or "").split() if child.tag == "catch" else \
                    [child.tag]
                count = whole(child.get("count") or "1")
                found.append((order, names, max(1, count if count is not None else 1), child))
            self.per_scope[key] = found
        return self.per_scope[key]

    @staticmethod
    def select(found, k: int) -> XmlElement | None:
        """The handler of the k-th event: the highest count <= k, then the innermost."""
        usable = [entry for entry in found if entry[0] <= k]
        if not usable:
            return None
        best = max(usable, key=lambda entry: (entry[0], -entry[1], -entry[2]))
        return best[3]

    def failure_fields(self, element: XmlElement, node_id: str, where, prompts) -> dict:
        """`on_invalid`, `on_timeout`, `max_failures` and `on_exhausted` of a node."""
        fields: dict = {}
        handlers = {kind: self.catches(element, kind) for kind in ("nomatch", "noinput")}
        counter = self.counter(handlers, where)
        exhausted = None
        for kind, key in (("nomatch", "on_invalid"), ("noinput", "on_timeout")):
            found = handlers[kind]
            length = max((entry[0] for entry in found), default=1)
            actions = []
            for k in range(1, length + 1):
                handler = self.select(found, k)
                if handler is None:
                    actions.append(self.default_action(kind, element, node_id))
                    continue
                items = list(handler.content)
                if counter is not None:
                    items, leave = self.split_counter(items, counter)
                    if leave is not None and exhausted is None:
                        exhausted = self.action(leave, node_id, where, prompts, exhausted=True)
                actions.append(self.action(items, node_id, where, prompts))
            fields[key] = actions if len(actions) > 1 else actions[0]
        if counter is not None and exhausted is not None:
            fields["max_failures"] = counter[1]
            fields["on_exhausted"] = exhausted
        else:
            fields["max_failures"] = "unlimited"
        return fields

    def default_action(self, kind: str, element: XmlElement, node_id: str):
        if kind == "noinput":
            return "replay"
        self.assume(msg(N_("no <nomatch> handler in scope: the platform's default plays its own "
                           "audio (taken as '{default_nomatch}') and the prompt again (VoiceXML "
                           "2.0 5.2.5)"), default_nomatch=DEFAULT_NOMATCH),
                    element.pos, node_id)
        return {"say": DEFAULT_NOMATCH, "then": "replay"}

    # -- the counter idiom -----------------------------------------------------------------

    def counter(self, handlers: dict, where) -> tuple[str, int] | None:
        """(variable, limit) when every handler in scope starts with the counter idiom."""
        found = set()
        for entries in handlers.values():
            for _, _, _, handler in entries:
                statements = [c for c in handler.children]
                idiom = self.counter_of(statements, where)
                if idiom is None:
                    return None
                found.add(idiom)
        return found.pop() if len(found) == 1 else None

    @staticmethod
    def counter_of(statements: list[XmlElement], where) -> tuple[str, int] | None:
        if len(statements) < 2 or statements[0].tag != "assign" or statements[1].tag != "if":
            return None
        name = statements[0].get("name") or ""
        if where.values.get(name) != 0:
            return None
        if not re.fullmatch(rf"\s*{re.escape(name)}\s*\+\s*1\s*", statements[0].get("expr") or ""):
            return None
        test = re.fullmatch(rf"\s*{re.escape(name)}\s*(==|>=)\s*(\d+)\s*",
                            statements[1].get("cond") or "")
        return (name, int(test.group(2))) if test and int(test.group(2)) >= 1 else None

    def split_counter(self, items: list, counter) -> tuple[list, list | None]:
        """A handler's statements without the idiom: (when under the limit, when it is
        reached)."""
        elements = [item for item in items if isinstance(item, XmlElement)]
        test = elements[1]
        arms = self.arms(test)
        leave = arms[0][1]
        stay = next((body for cond, body, _ in arms[1:] if cond is None), [])
        after = items[items.index(test) + 1:]
        return stay + after, leave

    # -- one handler -------------------------------------------------------------------------

    def action(self, items: list, node_id: str, where, prompts, exhausted: bool = False):
        """A failure action: a word, a target, or {say, then}; handlers that do more (an
        `<if>`, a `<transfer>`) become nodes of their own."""
        speech, values = Speech(), dict(where.values)
        for index, item in enumerate(items):
            if isinstance(item, str) or item.tag in _PLAYS:
                if isinstance(item, str) or self.prompt_plays(item, values):
                    self.speech_of(item, speech, values)
                continue
            if item.tag == "assign":
                value = evaluate(item.get("expr") or "undefined", values)
                if value is UNKNOWN:
                    values.pop(item.get("name"), None)
                else:
                    values[item.get("name")] = value
                continue
            if item.tag in ("log", "var", "script") or item.namespace not in KNOWN_NAMESPACES:
                continue
            if item.tag == "reprompt":
                then = self.replayed(prompts, values)
            elif item.tag in ("disconnect", "exit"):
                then = "hangup"
            elif item.tag in ("goto", "submit"):
                then = self.goto_target(item, where)
            else:  # more than a message and a transition: nodes of their own
                inner = where.with_values(**values)
                then = self.sequence(items[index:], node_id, inner, f"{node_id}.handler")
            return self.with_message(speech, then, node_id, exhausted, items)
        self.assume(msg(N_("this handler ends without <reprompt/> or a transition: VoiceXML "
                           "then waits again without the prompt; taken as a reprompt")),
                    where.item.pos,
                    node_id)
        return self.with_message(speech, "reprompt", node_id, exhausted, items)

    def with_message(self, speech: Speech, then: str, node_id: str, exhausted: bool, items):
        if exhausted and then == "replay":
            then = node_id  # a way out that stays: the node itself (SPEC 9.10)
        if speech.guessed:
            first = next((i for i in items if isinstance(i, XmlElement)), None)
            if first is not None:
                self.recordings_assumed(speech, first.pos, node_id)
        if not speech:
            # a plain `on_exhausted: reprompt` is refused; the mapping stays without the intro
            return {"then": then} if exhausted and then == "reprompt" else then
        return {**speech.segment(), "then": then}

    def replayed(self, prompts: list[XmlElement], values: dict) -> str:
        """`<reprompt/>` plays the prompts again: all of them (`replay`), or all but the
        leading ones that a variable now turns off (`reprompt`: options and outro only)."""
        playing = [self.prompt_plays(prompt, values) for prompt in prompts]
        if all(playing) or not playing:
            return "replay"
        skipped = playing.index(True) if True in playing else len(playing)
        if skipped and all(playing[skipped:]):
            return "reprompt"
        return "replay"
