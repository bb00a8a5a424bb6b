"""Vonage NCCO (Nexmo Call Control Objects) -> menus.

An NCCO is a JSON array of actions run in order; the call ends when they are done
(developer.vonage.com/voice/voice-api/ncco-reference). It is also read inside a create-call
request (`{"ncco": [...]}`). `talk` is a message (`bargeIn`, default false; `loop` plays it
again), `stream` a recording, `input` an `input` node whose digits go to the `eventUrl` webhook:
what the call does next is the webhook's answer, so the call leaves the audited NCCO there (a
`transfer`, listed as an assumption). `connect` reaches a person at a phone, SIP, app or VBC
endpoint (a websocket is a machine); `transfer` moves the call to another conversation.
Numbers written as strings (`"loop": "2"`) are read as numbers. docs/importers.md has the
table and the defaults with their sources.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from . import base
from .base import ImportedFlow
from .numbers import decimal
from .source import Source
from .speech import Speech, guessed_message, number
from ..i18n import N_, Message, msg

NAME = "ncco"
TITLE = "Vonage NCCO"
SUFFIXES = (".json",)
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ('"action":',)
ACTIONS = ("talk", "stream", "input", "connect", "record", "conversation", "notify", "transfer",
           "wait")
REFERENCE = "https://developer.vonage.com/en/voice/voice-api/ncco-reference"
SDK = "https://github.com/Vonage/vonage-java-sdk (DTMFSettings: maxDigits 4, timeOut 3 s)"
DEFAULT_MAX_DIGITS = 4
DEFAULT_TIMEOUT = 3
MAX_DIGITS, MAX_TIMEOUT = 20, 10  # dtmf.maxDigits 1-20, timeOut 0-10 s (vonage-python-sdk)
# Plays of one talk ivraudit follows (Vonage sets no limit but 0, for ever): 100 plays of the
# longest text Vonage takes (1,500 characters) stay within the seconds a menu may use.
MAX_LOOPS = 100
WAIT_SDK = ("https://github.com/Vonage/vonage-node-sdk (WaitAction: 0.1 to 7200 s, default 10; "
            "below and above taken as the bound)")
PEOPLE = ("phone", "sip", "app", "vbc")


def _actions(tree) -> list | None:
    if isinstance(tree, dict) and isinstance(tree.get("ncco"), list):
        tree = tree["ncco"]
    if isinstance(tree, list) and tree and all(isinstance(a, dict) and a.get("action") in ACTIONS
                                               for a in tree):
        return tree
    return None


def detect(source: Source) -> bool:
    """A JSON array of NCCO actions, or a create-call request holding one."""
    return source.suffix in (".json", "") and source.has_tree() and \
        _actions(source.tree) is not None


def read(source: Source, options) -> list[ImportedFlow]:
    actions = _actions(source.tree)
    if actions is None:
        raise ValueError("no NCCO actions (a JSON array of {\"action\": ...} objects)")
    return [_Ncco(source, options, actions).flow()]




def _true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


class _Ncco:
    def __init__(self, source: Source, options, actions: list) -> None:
        self.source, self.options, self.actions = source, options, actions
        self.flow_ = ImportedFlow(source.path, Path(source.path).name, NAME, TITLE,
                                  pos=getattr(actions, "pos", (1, 1)))

    def pos(self, index: int):
        return self.actions.item_pos[index] if hasattr(self.actions, "item_pos") else (1, 1)

    def assume(self, message: Message, index: int, node: str | None = None,
               source: str = REFERENCE) -> None:
        self.flow_.assume(message, self.pos(index), source, node)

    def number(self, holder: dict, key: str, default: Fraction, low: Fraction, high: Fraction,
               index: int, node_id: str, source: str = REFERENCE,
               whose: Message = msg(N_("Vonage allows"))) -> Fraction:
        """``holder[key]`` as a number (written as a number or as text, "60"): ``default`` when
        it is not written; when it is no plain number, or out of the documented range
        [``low``, ``high``], the default or the nearest bound, listed as an assumption."""
        written = holder.get(key)
        if written is None:
            return default
        value = decimal(written)
        taken = default if value is None else min(max(value, low), high)
        if value is None or taken != value:
            what = msg(N_("is not a plain decimal number")) if value is None else \
                msg(N_("is out of the range {whose} ({low} to {high})"), whose=whose,
                    low=number(low), high=number(high))
            self.assume(msg(N_("{key} {written} {what}: taken as {number}"),
                            key=key, written=f"{written!r}", what=what, number=number(taken)),
                        index, node_id, source)
        return taken

    def flow(self) -> ImportedFlow:
        flow = self.flow_
        flow.set("ivr", Path(self.source.path).name, flow.pos)
        if len(self.actions) > base.MAX_NODES:
            raise base.too_many_nodes(flow.path, self.pos(base.MAX_NODES))
        ids = [flow.new_id(f"{index + 1}_{action['action']}")
               for index, action in enumerate(self.actions)]
        for node_id in ids:
            flow.nodes[node_id] = None  # reserved: the document's order
        target = "hangup"  # "When all the actions in the NCCO are complete, the Call ends"
        for index in range(len(self.actions) - 1, -1, -1):
            target = self.action(index, ids[index], target)
        for node_id in ids:
            if flow.nodes.get(node_id) is None:
                del flow.nodes[node_id]
        if target in ("hangup",):
            target = flow.add(flow.new_id("start"), flow.pos, {"type": "hangup"})
        flow.set("entry", target, flow.pos)
        if not any(action.get("action") == "input" for action in self.actions):
            self.assume(msg(N_("the NCCO takes no input: there is no menu, only the call's "
                               "path")), 0)
        return flow

    def add(self, node_id: str, index: int, fields: dict) -> str:
        return self.flow_.add(node_id, self.pos(index), fields,
                              note=f"{self.flow_.location(self.pos(index))}, action "
                                   f"{index + 1} ({self.actions[index]['action']})")

    def action(self, index: int, node_id: str, then: str) -> str:
        action = self.actions[index]
        kind = action["action"]
        handler = getattr(self, "a_" + kind, None)
        if handler is None:
            self.assume(msg(N_("the action '{kind}' is not modelled: the call goes on"),
                            kind=kind), index)
            return then
        return handler(action, index, node_id, then)

    def a_talk(self, action, index, node_id, then) -> str:
        speech = Speech().say(str(action.get("text") or ""))
        return self.play(action, index, node_id, then, speech)

    def a_stream(self, action, index, node_id, then) -> str:
        urls = action.get("streamUrl") or []
        url = str(urls[0] if isinstance(urls, list) and urls else urls)
        speech = Speech().recording(url, "", self.source.folder, self.options.prompts)
        if speech.guessed:
            self.assume(guessed_message(speech.guessed, silent=True), index, node_id,
                        "docs/importers.md#prompt-lengths")
        return self.play(action, index, node_id, then, speech)

    def play(self, action, index, node_id, then, speech: Speech) -> str:
        loop = self.number(action, "loop", Fraction(1), Fraction(0), Fraction(MAX_LOOPS), index,
                           node_id, whose=msg(N_("ivraudit follows")))
        if loop == 0:
            self.assume(msg(N_("loop 0 plays it until the call ends (or an input, with "
                               "bargeIn): taken as once")), index, node_id)
            loop = Fraction(1)
        loop = Fraction(int(loop))  # plays are whole
        barge = _true(action.get("bargeIn"))
        fields = {"type": "message", "say": speech.text}
        if loop != 1 or any(piece.seconds is not None for piece in speech.pieces):
            fields["duration"] = number(speech.seconds * loop)
        fields["barge_in"] = barge
        if barge and not self.input_follows(index):
            self.assume(msg(N_("bargeIn is true, but no input follows to take the key")), index,
                        node_id)
        fields["next"] = then
        return self.add(node_id, index, fields)

    def input_follows(self, index: int) -> bool:
        for action in self.actions[index + 1:]:
            if action.get("action") == "input":
                return True
            if action.get("action") != "stream":
                return False
        return False

    def a_input(self, action, index, node_id, then) -> str:
        dtmf = action.get("dtmf") if isinstance(action.get("dtmf"), dict) else {}
        kinds = action.get("type") if isinstance(action.get("type"), list) else ["dtmf"]
        most = int(self.number(dtmf, "maxDigits", Fraction(DEFAULT_MAX_DIGITS), Fraction(1),
                               Fraction(MAX_DIGITS), index, node_id, SDK))
        wait = self.number(dtmf, "timeOut", Fraction(DEFAULT_TIMEOUT), Fraction(0),
                           Fraction(MAX_TIMEOUT), index, node_id, SDK)
        on_hash = _true(dtmf.get("submitOnHash"))
        for key, value, default in (("maxDigits", dtmf.get("maxDigits"), DEFAULT_MAX_DIGITS),
                                    ("timeOut", dtmf.get("timeOut"),
                                     msg(N_("{wait} s"), wait=DEFAULT_TIMEOUT)),
                                    ("submitOnHash", dtmf.get("submitOnHash"), "false")):
            if value is None:
                self.assume(msg(N_("dtmf.{key} is not written: Vonage's default, {default}"),
                                key=key, default=default), index, node_id, SDK)
        webhook = self.webhook(action, index, node_id)
        fields = {"type": "input", "digits": 1 if most <= 1 else {"min": 1, "max": most},
                  "timeout": number(wait), "next": webhook, "on_invalid": webhook,
                  "on_timeout": webhook, "max_failures": "unlimited", "asks": "dtmf"}
        if on_hash:
            fields["terminator"] = "#"
        if most > 1 and not on_hash:
            self.assume(msg(N_("up to {most} digits and no submitOnHash: after the last key the "
                               "call waits timeOut ({number} s) before the webhook hears it; "
                               "that wait is not counted"),
                            most=most, number=number(wait)), index, node_id, SDK)
        if "dtmf" not in kinds:
            self.assume(msg(N_("the input takes speech only: a keypad caller can only wait for "
                               "the webhook")), index, node_id)
        if action.get("mode") == "asynchronous":
            self.assume(msg(N_("mode asynchronous: each key goes to the webhook as it is "
                               "pressed")),
                        index, node_id)
        return self.add(node_id, index, fields)

    def webhook(self, action, index, node_id) -> str:
        urls = action.get("eventUrl")
        url = str(urls[0] if isinstance(urls, list) and urls else urls or "the event webhook")
        shown = url if urls else msg(N_("the event webhook"))
        target = self.flow_.new_id(f"{node_id}.webhook")
        self.assume(msg(N_("what follows the input is the answer of {url} at run time (a new "
                           "NCCO): the call leaves the audited NCCO there"),
                        url=shown), index, target)
        return self.add(target, index, {"type": "transfer", "to": url})

    def a_connect(self, action, index, node_id, then) -> str:
        endpoints = action.get("endpoint") if isinstance(action.get("endpoint"), list) else []
        endpoint = endpoints[0] if endpoints and isinstance(endpoints[0], dict) else {}
        kind = str(endpoint.get("type") or "phone")
        to = str(endpoint.get("number") or endpoint.get("uri") or endpoint.get("user")
                 or endpoint.get("extension") or kind)
        person = kind in PEOPLE
        fields = {"type": "transfer", "to": to, "person": person}
        if person:
            self.assume(msg(N_("a {kind} endpoint is taken to be answered by a person"),
                            kind=kind), index, node_id)
        if then != "hangup" and str(action.get("eventType")) == "synchronous":
            condition = f"connect to {to} not answered"
            fields["overflow"] = {"when": [condition], "goto": then}
            self.flow_.set("scenarios", {**self.flow_.header.get("scenarios",
                                                                 {"default": []}),
                                         "not_answered": [condition]}, self.flow_.pos)
        return self.add(node_id, index, fields)

    def a_transfer(self, action, index, node_id, then) -> str:
        to = action.get("conversationId") or action.get("destination") or "another conversation"
        written = action.get("conversationId") or action.get("destination")
        self.assume(msg(N_("transfer to {to}: the call leaves this NCCO for another "
                           "conversation"), to=to if written else msg(N_("another conversation"))),
                    index, node_id)
        return self.add(node_id, index, {"type": "transfer", "to": str(to)})

    def a_conversation(self, action, index, node_id, then) -> str:
        return self.add(node_id, index, {"type": "transfer",
                                         "to": f"conversation {action.get('name', '')}".strip()})

    def a_record(self, action, index, node_id, then) -> str:
        self.assume(msg(N_("record: the call is recorded while the NCCO goes on")), index, node_id)
        return then

    def a_notify(self, action, index, node_id, then) -> str:
        return then

    def a_wait(self, action, index, node_id, then) -> str:
        seconds = self.number(action, "timeout", Fraction(10), Fraction(1, 10), Fraction(7200),
                              index, node_id, WAIT_SDK)
        return self.add(node_id, index, {"type": "message", "say": "", "duration":
                                         number(seconds), "barge_in": False, "next": then})
