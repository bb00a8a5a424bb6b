"""Twilio Studio flows (SPEC section 10; docs/importers.md, Twilio Studio).

A flow is ``{description, initial_state, flags, states: [{name, type, transitions: [{event,
next}], properties}]}``, as exported, or as a Terraform template (``${...}`` and bare HCL
expressions, read by importers.templates). The call starts at the Trigger's ``incomingCall``
transition. A transition with no ``next`` ends the execution, and so the call: a silent
hang-up. Studio has no retry counter; a flow that counts its own retries in flow variables
(`set-variables` + `split-based-on`) is followed as far as the counts can be evaluated
statically: nodes are made per (widget, the counter values still read later).
"""

from __future__ import annotations

import re
from collections import deque
from difflib import get_close_matches
from pathlib import Path

from ..errors import MenuError
from ..format.yamlsource import PosDict
from .base import ImportedFlow
from .announce import unrouted
from .flowkit import (Decisions, Prompt, menu_fields, name_part, recorded_prompt, reserve_id,
                      text_prompt, unrouted_keys)
from .numbers import decimal, whole
from .speech import number
from .source import Source
from .studio_liquid import READS, Variables, assign, decide, variable_of
from ..i18n import N_, Message, msg

NAME, TITLE = "studio", "Twilio Studio"
SUFFIXES = (".json", ".tftpl", ".tpl")
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ('"initial_state"',)
DOCS = "https://www.twilio.com/docs/studio/widget-library/"
GATHER_DOCS = DOCS + "gather-input-call"
_KEY = re.compile(r"^[0-9*#]{1,16}$")
MAX_LOOPS = 99  # the Say/Play widget's Loops: "The minimum value is 1, and the maximum is 99"
MAX_GATHER_SECONDS = 30  # Gather Input On Call: "Stop Gathering After ___ Seconds: 1s-30s"
_LIQUID_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)

HANDLED = {"trigger", "say-play", "gather-input-on-call", "split-based-on", "set-variables",
           "run-function", "make-http-request", "run-subflow", "send-to-flex", "enqueue-call",
           "connect-call-to", "record-voicemail", "add-twiml-redirect", "send-message",
           "send-and-wait-for-reply", "record-call", "capture-payments", "fork-stream",
           "connect-virtual-agent", "call-recording", "set-variables"}


def detect(source: Source) -> bool:
    if source.suffix not in SUFFIXES + ("",) or not source.has_lenient_tree():
        return False
    tree = source.lenient_tree
    return isinstance(tree, PosDict) and isinstance(tree.get("states"), list) \
        and "initial_state" in tree


def read(source: Source, options) -> list[ImportedFlow]:
    tree = source.lenient_tree
    if not detect(source):
        raise MenuError(source.path, *getattr(tree, "pos", (1, 1)),
                        "not a Twilio Studio flow: no `states` and `initial_state`",
                        "give a flow exported from Twilio Studio, or drop --from studio")
    return [_Builder(source, tree, options).build()]


class _Builder:
    def __init__(self, source: Source, tree: PosDict, options) -> None:
        self.tree = tree
        self.options = options
        self.path = source.path
        name = Path(source.path).stem
        self.flow = ImportedFlow(source.path, name, NAME, TITLE, pos=tree.pos)
        self.decisions = Decisions()
        self.widgets: dict[str, PosDict] = {}
        for index, state in enumerate(tree["states"]):
            where = tree["states"].item_pos[index]
            if not isinstance(state, PosDict) or not isinstance(state.get("name"), str) \
                    or not isinstance(state.get("type"), str):
                raise MenuError(self.path, *where, "a state needs a `name` and a `type` (text)",
                                "give every widget its name and type")
            if state["name"] in self.widgets:
                raise MenuError(self.path, *where, f"two widgets are named '{state['name']}'",
                                "widget names must be unique in a flow (Twilio error 81022)")
            self.widgets[state["name"]] = state
        self.ids: dict[tuple, str] = {}
        self.built: set[str] = set()  # widgets with a node (in some state of the variables)
        self.taken: set[str] = set()
        self.todo: deque = deque()
        self.reported: set = set()
        self.reads = self._live_variables()
        self.folded: set[str] = set()  # splits read as a gather's options
        self.named_at = {}  # a missing widget -> where a transition names it
        for widget in self.widgets.values():
            for transition in _transitions(widget):
                target = transition.get("next")
                if isinstance(target, str) and target and target not in self.widgets:
                    self.named_at.setdefault(target, getattr(transition, "pos", widget.pos))

    # -- walking ----------------------------------------------------------------------------

    def build(self) -> ImportedFlow:
        flow, tree = self.flow, self.tree
        start = tree["initial_state"]
        trigger = self.widgets.get(start) if isinstance(start, str) else None
        if trigger is None:
            raise MenuError(self.path, *tree.value_pos["initial_state"],
                            f"the flow starts at widget '{start}', which it does not define"
                            + _near(start, self.widgets),
                            "set initial_state to the name of the flow's Trigger widget")
        for widget in self.widgets.values():
            self._check_type(widget)
        call = _transition(trigger, "incomingCall")
        if call is None or not call.get("next"):
            raise MenuError(self.path, *trigger.pos, "the flow does not answer calls: its "
                            "Trigger has no `incomingCall` transition with a `next`",
                            "connect the Trigger's Incoming Call to the first widget")
        flow.set("ivr", str(tree.get("description") or flow.name), tree.pos)
        entry = self.ref(call["next"], ())
        if entry == "hangup":
            entry = self._alloc("end")
            flow.add(entry, trigger.pos, {"type": "hangup"})
        while self.todo:
            self._emit(*self.todo.popleft())
        for name, widget in self.widgets.items():  # widgets no call reaches: kept, so that
            if widget["type"] != "trigger" and name not in self.folded \
                    and name not in self.built:
                self.ref(name, ())                  # audits say so
                while self.todo:
                    self._emit(*self.todo.popleft())
        flow.set("entry", entry, trigger.pos)
        self.decisions.apply(flow, tree.pos)
        return flow

    def _check_type(self, widget: PosDict) -> None:
        kind = widget["type"]
        if kind in HANDLED:
            return
        close = get_close_matches(kind, sorted(HANDLED), n=1, cutoff=0.85)
        if close:
            raise MenuError(self.path, *widget.value_pos["type"],
                            f"unknown widget type '{kind}' (did you mean '{close[0]}'?)",
                            "correct the widget's type")

    def _alloc(self, wanted: str) -> str:
        return reserve_id(self.flow, self.taken, wanted)

    def _live_variables(self) -> dict[str, frozenset[str]]:
        """For each widget, the flow variables read at it or after it."""
        own = {}
        for name, widget in self.widgets.items():
            properties = widget.get("properties") if isinstance(widget.get("properties"),
                                                                dict) else {}
            text = str(properties.get("input", "")) if widget["type"] == "split-based-on" else ""
            if widget["type"] == "set-variables":
                text = " ".join(str(v.get("value", "")) for v in properties.get("variables") or []
                                if isinstance(v, dict))
            own[name] = set(READS.findall(text))
        edges = {name: {t.get("next") for t in _transitions(w) if t.get("next") in self.widgets}
                 for name, w in self.widgets.items()}
        live = {name: set(reads) for name, reads in own.items()}
        changed = True
        while changed:  # a fixed point: at most widgets x variables rounds of growth
            changed = False
            for name, targets in edges.items():
                for target in targets:
                    if not live[target] <= live[name]:
                        live[name] |= live[target]
                        changed = True
        return {name: frozenset(v) for name, v in live.items()}

    def ref(self, name: str | None, variables: Variables) -> str:
        """The node a transition to widget ``name`` goes to (made when first needed)."""
        seen = set()
        while True:
            if not name:
                return "hangup"
            widget = self.widgets.get(name)
            if widget is None:
                if ("missing", name) not in self.reported:
                    self.reported.add(("missing", name))
                    self.flow.assume(msg(N_("a transition names widget '{name}', which the flow "
                                            "does not define; the call is taken to end there"),
                                         name=name),
                                     self.named_at.get(name, self.tree.pos),
                                     "https://www.twilio.com/docs/api/errors/81022")
                return "hangup"
            variables = tuple((k, v) for k, v in variables if k in self.reads[name])
            if (name, variables) in seen:
                break
            seen.add((name, variables))
            properties = _properties(widget)
            if widget["type"] == "set-variables":
                for item in properties.get("variables") or []:
                    if isinstance(item, dict) and item.get("key"):
                        variables = assign(variables, str(item["key"]), item.get("value"))
                name = _next(widget, "next")
                continue
            if widget["type"] == "split-based-on":
                variable = variable_of(properties.get("input", ""))
                if variable is not None:
                    chosen = decide(variables, _transitions(widget), variable)
                    if chosen is not None:
                        transitions = _transitions(widget)
                        name = _next(widget, "noMatch") if chosen < 0 else \
                            transitions[chosen].get("next")
                        continue
            break
        key = (name, variables)
        if key not in self.ids:
            suffix = "".join(f"_{v}" for _, v in variables if v not in (None, ""))
            self.ids[key] = self._alloc(name_part(name) + suffix)
            self.built.add(name)
            self.todo.append(key)
        return self.ids[key]

    def _emit(self, name: str, variables: Variables) -> None:
        widget = self.widgets[name]
        node_id = self.ids[(name, variables)]
        make = getattr(self, "_" + widget["type"].replace("-", "_"), None)
        fields = make(widget, variables, node_id) if make else self._other(widget, variables,
                                                                          node_id)
        self.flow.add(node_id, widget.pos, fields,
                      note=f"{self.flow.location(widget.pos)}, {widget['type']} '{name}'")

    def _to(self, widget: PosDict, event: str, variables: Variables) -> str:
        return self.ref(_next(widget, event), variables)

    def _branch(self, cases: list, otherwise: str) -> dict:
        return {"type": "branch", "cases": cases, "else": otherwise} if cases else \
            {"type": "branch", "else": otherwise}

    def _ends(self, widget: PosDict, event: str, node_id: str, what: Message) -> None:
        """Say so when a transition has no ``next``: the call silently ends there."""
        if not _next(widget, event):
            self.flow.assume(msg(N_("{what} ({event}) goes nowhere: the execution ends there "
                                    "and the call is hung up"),
                                 what=what, event=event), widget.pos, DOCS + "trigger", node_id)

    # -- prompts ----------------------------------------------------------------------------

    def prompt(self, widget: PosDict, node_id: str) -> Prompt:
        properties = _properties(widget)
        loops = self._loops(widget, properties.get("loop"), node_id)
        if properties.get("say"):
            text = str(properties["say"])
            if _LIQUID_TAG.search(text):
                self.flow.assume(msg(N_("the text holds Liquid tags ({{% ... %}}): every "
                                        "branch's words are counted")),
                                 widget.pos, DOCS + "say-play", node_id)
                text = " ".join(_LIQUID_TAG.sub(" ", text).split())
            return text_prompt(" ".join([text] * loops))
        if properties.get("play"):
            found = recorded_prompt(self.flow, self.options, widget.pos, node_id,
                                    msg(N_("the recording")), str(properties["play"]),
                                    source=DOCS + "say-play")
            if loops > 1 and "duration" in found.fields:
                found.fields["duration"] *= loops
            return found
        return Prompt({})

    def _loops(self, widget: PosDict, written, node_id: str) -> int:
        """How many times the prompt plays: `loop`, 1 to 99 in Studio (Say/Play widget,
        "Loops"), else 1; a value out of that range is taken as its nearest, an assumption."""
        loops = _int(written)
        if written is None or loops is not None and 1 <= loops <= MAX_LOOPS:
            return loops or 1
        taken = 1 if loops is None or loops < 1 else MAX_LOOPS
        self.flow.assume(msg(N_("loop {written} is not a count Studio allows (1 to "
                                "{max_loops}): taken as {taken}"),
                             written=f"{written!r}", max_loops=MAX_LOOPS, taken=taken),
                         widget.pos, DOCS + "sayplay", node_id)
        return taken

    # -- widgets ----------------------------------------------------------------------------

    def _say_play(self, widget, variables, node_id):
        self._ends(widget, "audioComplete", node_id, msg(N_("the message's only transition")))
        return {"type": "message", **self.prompt(widget, node_id).fields, "barge_in": False,
                "next": self._to(widget, "audioComplete", variables)}

    def _gather_input_on_call(self, widget, variables, node_id):
        properties = _properties(widget)
        prompt = self.prompt(widget, node_id)
        written = properties.get("timeout")
        timeout = decimal(written)
        if timeout is None or not 1 <= timeout <= MAX_GATHER_SECONDS:
            self.flow.assume(msg(N_("the gather's timeout is not given: Studio's default, 5 s"))
                             if written is None else
                             msg(N_("the gather's timeout {written} is not one Studio allows (1 "
                                    "to {most} s): taken as 5 s, its default"),
                                 written=repr(written), most=MAX_GATHER_SECONDS),
                             widget.pos, GATHER_DOCS, node_id)
            timeout = 5
        timeout = number(timeout)
        if "gather" not in self.reported:
            self.reported.add("gather")
            self.flow.assume(msg(N_("a key pressed during a gather's prompt stops the prompt "
                                    "(TwiML <Gather> nests it); Studio has no barge-in switch")),
                             widget.pos,
                             "https://www.twilio.com/docs/voice/twiml/gather", node_id)
        keyed = self._split_after(widget, "keypress", "Digits")
        spoken = self._split_after(widget, "speech", "SpeechResult")
        self.folded |= {split["name"] for split in (keyed, spoken) if split is not None}
        on_timeout = self._to(widget, "timeout", variables)
        self._ends(widget, "timeout", node_id, msg(N_("silence at the gather")))
        keypress = _next(widget, "keypress")
        if keypress and keyed is None:  # the digits go on to something else: an input
            digits = _int(properties.get("number_of_digits"))
            digits = digits if digits is not None and 0 < digits <= 16 else None
            self.flow.assume(msg(N_("the digits are used at run time after the gather (not a "
                                    "split on them): which entries are valid is not in the file")),
                             widget.pos,
                             GATHER_DOCS, node_id)
            return {"type": "input", **prompt.fields, "barge_in": True,
                    "digits": digits if digits else {"min": 1, "max": 16},
                    "next": self.ref(keypress, variables), "timeout": timeout,
                    "max_failures": "unlimited", "on_invalid": node_id,
                    "on_timeout": on_timeout}
        routes: dict[str, str] = {}
        invalid = "hangup"
        if keyed is not None:
            for transition in _transitions(keyed):
                if transition.get("event") != "match":
                    continue
                target = self.ref(transition.get("next"), variables)
                for key in self._keys(keyed, transition, node_id):
                    routes.setdefault(key, target)
            invalid = self._to(keyed, "noMatch", variables)
            self._ends(keyed, "noMatch", node_id, msg(N_("a key that matches no case")))
        elif not keypress:
            self._ends(widget, "keypress", node_id, msg(N_("a key pressed at the gather")))
        fields, announced = menu_fields(prompt, list(routes))
        if keyed is not None:
            for key in unrouted_keys(prompt, routes):
                self.flow.assume(unrouted(key), widget.pos, DOCS + "split-based-on", node_id)
        options = [{"key": key, **({"say": announced[key]} if announced[key] is not None else {}),
                    "goto": goto} for key, goto in routes.items()]
        if spoken is not None:
            for transition in _transitions(spoken):
                if transition.get("event") == "match":
                    phrases = self._phrases(transition)
                    if phrases:
                        options.append({"speech": phrases,
                                        "goto": self.ref(transition.get("next"), variables)})
        if not options:
            return {"type": "input", **prompt.fields, "barge_in": True, "digits": 1,
                    "next": invalid, "timeout": timeout, "max_failures": "unlimited",
                    "on_invalid": invalid, "on_timeout": on_timeout}
        return {"type": "menu", **fields, "barge_in": True, "options": options,
                "timeout": timeout, "max_failures": "unlimited",
                "on_invalid": invalid, "on_timeout": on_timeout}

    def _split_after(self, gather: PosDict, event: str, result: str) -> PosDict | None:
        """The split that routes the gather's ``result`` (Digits, SpeechResult), if the
        ``event`` transition goes to one."""
        target = self.widgets.get(_next(gather, event) or "")
        if target is None or target["type"] != "split-based-on":
            return None
        wanted = f"widgets.{gather['name']}.{result}"
        return target if wanted in str(_properties(target).get("input", "")) else None

    def _keys(self, split: PosDict, transition: dict, node_id: str) -> list[str]:
        keys = []
        for condition in transition.get("conditions") or []:
            kind, value = condition.get("type"), str(condition.get("value", ""))
            values = [v.strip() for v in value.split(",")] if kind == "matches_any_of" else \
                [value.strip()] if kind == "equal_to" else []
            good = [v for v in values if _KEY.match(v)]
            if len(good) != len(values) or not values:
                self.flow.assume(msg(N_("split condition '{kind} {value}' is not a set of keys; "
                                        "it is left out"),
                                     kind=kind, value=value),
                                 split.pos, DOCS + "split-based-on", node_id)
            keys += good
        return keys

    @staticmethod
    def _phrases(transition: dict) -> list[str]:
        phrases = []
        for condition in transition.get("conditions") or []:
            value = str(condition.get("value", ""))
            if condition.get("type") == "matches_any_of":
                phrases += [v.strip() for v in value.split(",") if v.strip()]
            elif condition.get("type") in ("equal_to", "contains", "starts_with") and value.strip():
                phrases.append(value.strip())
        return phrases

    def _split_based_on(self, widget, variables, node_id):
        properties = _properties(widget)
        subject = str(properties.get("input", "value"))
        label = name_part(re.sub(r"[{}\s]|widgets\.|flow\.|trigger\.", "", subject) or "value", 32)
        cases = []
        for transition in _transitions(widget):
            if transition.get("event") != "match":
                continue
            described = "_".join(f"{c.get('type')}_{c.get('value', '')}"
                                 for c in transition.get("conditions") or [] if isinstance(c, dict))
            condition = self.decisions.condition(f"{label}_{name_part(described, 32)}", False,
                                                 f"{label}_{name_part(described, 32)}")
            cases.append({"when": [condition], "goto": self.ref(transition.get("next"), variables)})
        if cases:
            self.flow.assume(msg(N_("{subject} is known only at run time: `default` takes the "
                                    "no-match transition, and a scenario per case takes that "
                                    "case"), subject=subject),
                             widget.pos, DOCS + "split-based-on", node_id)
        self._ends(widget, "noMatch", node_id, msg(N_("the split's no-match")))
        return self._branch(cases, self._to(widget, "noMatch", variables))

    def _run_function(self, widget, variables, node_id, ok="success", failed="fail"):
        name = name_part(widget["name"])
        success = self._to(widget, ok, variables)
        failure = self._to(widget, failed, variables)
        self._ends(widget, failed, node_id, msg(N_("a failure here")))
        if success == failure:
            return self._branch([], success)
        condition = self.decisions.condition(f"{name}_ok", True, f"{name}_fails")
        return self._branch([{"when": [condition], "goto": success}], failure)

    _make_http_request = _run_function

    def _run_subflow(self, widget, variables, node_id):
        self.flow.assume(msg(N_("the subflow is not among the inputs: the call passes through "
                                "it to its `completed` transition")), widget.pos,
                         msg(N_("SPEC section 10 (sub-flows that return)")), node_id)
        return self._run_function(widget, variables, node_id, "completed", "failed")

    def _send_to_flex(self, widget, variables, node_id):
        properties = _properties(widget)
        fields = {"type": "human"}
        queue = properties.get("workflow") or properties.get("queue_name")
        if queue:
            fields["queue"] = str(queue)
        failed = _next(widget, "failedToEnqueue")
        condition = self.decisions.condition(f"{name_part(widget['name'])}_enqueue_fails", False,
                                             "enqueue_fails")
        fields["overflow"] = {"when": [condition], "goto": self.ref(failed, variables)}
        self._ends(widget, "failedToEnqueue", node_id, msg(N_("a failure to enqueue the call")))
        return fields

    _enqueue_call = _send_to_flex

    def _connect_call_to(self, widget, variables, node_id):
        properties = _properties(widget)
        written = properties.get("to") or properties.get("noun")
        to = written or "an outside party"
        self.flow.assume(msg(N_("the call connected to {to} is taken to be answered by a person"),
                             to=to if written else msg(N_("an outside party"))),
                         widget.pos, DOCS + "connect-call-to", node_id)
        return {"type": "transfer", "to": str(to), "person": True}

    def _add_twiml_redirect(self, widget, variables, node_id):
        url = str(_properties(widget).get("url") or "a TwiML URL")
        if _next(widget, "return"):
            self.flow.assume(msg(N_("the TwiML at {url} is not in the file: the call is taken "
                                    "to come back by its `return` transition"),
                                 url=url if _properties(widget).get("url")
                                 else msg(N_("a TwiML URL"))), widget.pos,
                             DOCS + "twiml-redirect", node_id)
            return self._branch([], self._to(widget, "return", variables))
        return {"type": "transfer", "to": url}

    def _record_voicemail(self, widget, variables, node_id):
        recorded = self._to(widget, "recordingComplete", variables)
        nothing = self._to(widget, "noAudio", variables)
        self.flow.assume(msg(N_("the caller records a message here; the `noAudio` transition "
                                "(nothing recorded) is kept in the structure checks, no "
                                "scenario takes it")),
                         widget.pos, DOCS + "record-voicemail", node_id)
        if nothing == recorded:
            return self._branch([], recorded)
        condition = self.decisions.condition(f"{name_part(widget['name'])}_no_audio", False, None)
        return self._branch([{"when": [condition], "goto": nothing}], recorded)

    def _other(self, widget, variables, node_id):
        """A widget with nothing to do with the call's route (or unknown): passed through by
        its first transition that goes somewhere."""
        onward = next((t.get("next") for t in _transitions(widget) if t.get("next")), None)
        if widget["type"] not in HANDLED:
            self.flow.assume(msg(N_("widget type '{widget}' is not one ivraudit knows; the call "
                                    "is taken to pass through it"),
                                 widget=widget['type']), widget.pos, DOCS, node_id)
        return self._branch([], self.ref(onward, variables))


def _properties(widget) -> dict:
    properties = widget.get("properties")
    return properties if isinstance(properties, dict) else {}


def _transitions(widget) -> list:
    found = widget.get("transitions")
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def _transition(widget, event: str) -> dict | None:
    return next((t for t in _transitions(widget) if t.get("event") == event), None)


def _next(widget, event: str) -> str | None:
    transition = _transition(widget, event)
    target = transition.get("next") if transition else None
    return target if isinstance(target, str) and target else None


def _int(value) -> int | None:
    return whole(value)


def _near(word, choices) -> str:
    match = get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
