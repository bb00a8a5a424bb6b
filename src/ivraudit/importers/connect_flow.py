"""One Amazon Connect flow (flow language 2019-10-30, or a legacy export read into it) -> the
menu document (SPEC section 10; docs/importers.md, Amazon Connect).

The builder walks the flow from its StartAction. Actions that only set things (attributes,
logging, recording, voice) are passed through; a `Loop` is unrolled (each turn is its own copy
of the nodes inside the loop, so `LoopCount` turns run and then `DoneLooping`); every other
action becomes a node whose comment names its action id. Nodes are made per (action, the loop
turns still running), and a loop's count is dropped as soon as the loop cannot be reached
again, so the flow after a loop is built once.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import field
from difflib import get_close_matches

from ..errors import MenuError
from ..util.cached import record
from .base import MAX_NODES, ImportedFlow, Position, TooManyNodes
from .flowkit import (Decisions, Prompt, menu_fields, name_part, node_name, recorded_prompt,
                      reserve_id, strip_ssml, text_prompt, unrouted_keys)
from ..i18n import N_, Joined, msg
from .numbers import decimal, whole

NAME, TITLE = "connect", "Amazon Connect"
GUIDE = "https://docs.aws.amazon.com/connect/latest/adminguide/"
API = "https://docs.aws.amazon.com/connect/latest/APIReference/"
_JSONPATH = re.compile(r"\$\.[A-Za-z0-9_.\-\[\]]+")
_KEY = re.compile(r"^[0-9*#]{1,16}$")
MAX_LOOP_TURNS = 20
MAX_INPUT_SECONDS = 179  # Get customer input's longest timeout (get-customer-input.html)

# Actions that set something and pass the call on (their error branch aside).
PASS_THROUGH = frozenset({
    "UpdateFlowLoggingBehavior", "UpdateContactRecordingBehavior", "UpdateContactAttributes",
    "UpdateContactEventHooks", "UpdateContactTextToSpeechVoice", "UpdateFlowAttributes",
    "UpdateContactTargetQueue", "UpdateContactData", "UpdateContactRoutingBehavior",
    "UpdateContactCallbackNumber", "UpdateContactMediaProcessing", "UpdateContactMediaStreamingBehavior",
    "UpdateRoutingCriteria", "UpdateContactRecordingAndAnalyticsBehavior", "GetMetricData",
    "UpdatePreviousContactParticipantState", "CreateTask", "CreateCase", "StartMediaStreaming",
    "StopMediaStreaming", "TagContact", "UnTagContact", "Wait", "SendMessage",
    "CreateWisdomSession", "UpdateContactAgentMessage", "ResumeContact",
})
HANDLED = frozenset({
    "MessageParticipant", "GetParticipantInput", "ConnectParticipantWithLexBot", "Loop",
    "CheckHoursOfOperation", "CheckMetricData", "Compare", "InvokeLambdaFunction",
    "InvokeFlowModule", "TransferContactToQueue", "TransferToFlow", "DisconnectParticipant",
    "EndFlowExecution", "MessageParticipantIteratively", "TransferParticipantToThirdParty",
    "CreateCallbackContact", "EndFlowModuleExecution", "ReturnFromFlowModule",
})
KNOWN = PASS_THROUGH | HANDLED


@record(frozen=False)
class Condition:
    operator: str
    operands: list
    target: str | None
    pos: Position


@record(frozen=False)
class Action:
    """One action, whatever container it came from (legacy modules are read into this)."""

    id: str
    type: str
    params: dict
    next: str | None
    conditions: list[Condition]
    errors: dict[str, str]  # ErrorType -> target action id
    pos: Position
    meta: dict = field(default_factory=dict)


@record(frozen=False)
class ConnectFlow:
    name: str
    type: str | None
    start: str
    start_pos: Position
    actions: dict[str, Action]
    pos: Position
    aliases: list[str] = field(default_factory=list)


def build(cf: ConnectFlow, path: str, options) -> ImportedFlow:
    """The menu document of one Connect flow; MenuError when its StartAction does not exist
    or an action's type is a misspelling of a known one. Loops nested in loops multiply their
    turns: when the written counts unroll past MAX_NODES nodes, every loop is taken with fewer
    turns (at most 5, 2, then 1: an assumption), and only a flow too big even so is refused."""
    for most in (MAX_LOOP_TURNS, 5, 2, 1):
        try:
            flow = _Builder(cf, path, options, most).build()
        except TooManyNodes:
            if most == 1:
                raise
            continue
        if most < MAX_LOOP_TURNS:
            flow.assume(msg(N_("the flow's loops inside loops would unroll into more than "
                               "{max_nodes} nodes at the counts written: each Loop is taken as "
                               "at most {most} turn(s)"),
                            max_nodes=f"{MAX_NODES:,}", most=most), cf.pos, GUIDE + "loop.html")
        return flow
    raise AssertionError("unreachable")  # pragma: no cover


class _Builder:
    def __init__(self, cf: ConnectFlow, path: str, options, most_turns: int = 20) -> None:
        self.cf = cf
        self.options = options
        self.most_turns = most_turns
        self.flow = ImportedFlow(path, cf.name, NAME, TITLE, pos=cf.pos)
        self.flow.aliases = list(cf.aliases)
        self.decisions = Decisions()
        self.ids: dict[tuple, str] = {}
        self.built: set[str] = set()  # actions with a node (in some state of the loops)
        self.taken: set[str] = set()
        self.todo: deque = deque()
        self.missing: set[str] = set()
        self.error_edges: list[str] = []
        self.queue_flow = cf.type == "CUSTOMER_QUEUE" or (
            cf.type is None and any(a.type == "MessageParticipantIteratively"
                                    for a in cf.actions.values()))
        self.loops = self._loops_reachable()

    # -- the walk ---------------------------------------------------------------------------

    def build(self) -> ImportedFlow:
        cf, flow = self.cf, self.flow
        if cf.start not in cf.actions:
            raise MenuError(flow.path, *cf.start_pos, f"the flow starts at action '{cf.start}', "
                            "which it does not define" + _near(cf.start, cf.actions),
                            "set StartAction to the Identifier of one of the flow's Actions")
        for action in cf.actions.values():
            self._check_type(action)
        flow.set("ivr", cf.name, cf.pos)
        entry = self.ref(cf.start, ())
        if entry == "hangup":
            entry = self._alloc("disconnect")
            flow.add(entry, cf.start_pos, {"type": "hangup"}, note=self._note(cf.actions[cf.start]))
        while self.todo:
            self._emit(*self.todo.popleft())
        for action_id in cf.actions:  # actions no call reaches: kept, so that audits say so
            if action_id not in self.built:
                self.ref(action_id, ())
                while self.todo:
                    self._emit(*self.todo.popleft())
        flow.set("entry", entry, cf.start_pos)
        if self.queue_flow and cf.type is None:
            flow.assume(msg(N_("the file does not say its flow type; it loops prompts "
                               "(MessageParticipantIteratively), which only a customer queue "
                               "flow does, so it is read as one: the caller is waiting in a "
                               "queue")), cf.pos,
                        GUIDE + "loop-prompts.html")
        if self.error_edges:
            flow.assume(msg(N_("{n} action(s) have an error branch taken only when the action "
                               "itself fails (NoMatchingError); it is kept in the structure "
                               "checks, but no scenario takes it: {actions}"),
                            n=str(len(self.error_edges)), actions=Joined(tuple(self.error_edges))),
                        cf.pos, API + "flow-language.html")
        self.decisions.apply(flow, cf.pos)
        return flow

    def _check_type(self, action: Action) -> None:
        if action.type in KNOWN:
            return
        close = get_close_matches(action.type, sorted(KNOWN), n=1, cutoff=0.85)
        if close:
            raise MenuError(self.flow.path, *action.pos,
                            f"unknown action type '{action.type}' (did you mean '{close[0]}'?)",
                            "correct the action's Type")

    def _alloc(self, wanted: str) -> str:
        return reserve_id(self.flow, self.taken, wanted)

    def _loops_reachable(self) -> dict[str, frozenset[str]]:
        """For each action, the Loop actions a call can reach from it (itself included)."""
        actions = self.cf.actions
        edges = {a.id: {t for t in _targets(a) if t in actions} for a in actions.values()}
        loops = [a.id for a in actions.values() if a.type == "Loop"]
        reach = {a: set() for a in actions}
        for loop in loops:  # backwards from each loop: who reaches it
            back: dict[str, set[str]] = {}
            for source, targets in edges.items():
                for target in targets:
                    back.setdefault(target, set()).add(source)
            seen, stack = {loop}, [loop]
            while stack:
                for source in back.get(stack.pop(), ()):
                    if source not in seen:
                        seen.add(source)
                        stack.append(source)
            for action_id in seen:
                reach[action_id].add(loop)
        return {a: frozenset(r) for a, r in reach.items()}

    def ref(self, action_id: str | None, state: tuple) -> str:
        """The node a transition to ``action_id`` goes to (made when first needed)."""
        seen = set()
        while True:
            if action_id is None:
                return "hangup"
            action = self.cf.actions.get(action_id)
            if action is None:
                if action_id not in self.missing:
                    self.missing.add(action_id)
                    self.flow.assume(msg(N_("a transition names action '{action_id}', which the "
                                            "flow does not define; the call is taken to end "
                                            "there"), action_id=action_id),
                                     self.cf.pos, API + "flow-language.html")
                return "hangup"
            state = tuple((loop, n) for loop, n in state if loop in self.loops[action_id])
            if (action_id, state) in seen:  # passing through in a circle: a node of its own
                break
            seen.add((action_id, state))
            if action.type == "DisconnectParticipant":
                return "hangup"
            if action.type == "EndFlowExecution" and not self.queue_flow:
                return "hangup"
            if action.type == "Loop":
                action_id, state = self._loop_turn(action, state)
                continue
            if self._passes(action):
                action_id = action.next or action.errors.get("NoMatchingError")
                continue
            break
        key = (action_id, state)
        if key not in self.ids:
            suffix = "".join(f"_{n}" for _, n in state)
            self.ids[key] = self._alloc(node_name(_KIND.get(action.type, "step"), action.id)
                                        + suffix)
            self.built.add(action_id)
            self.todo.append(key)
        return self.ids[key]

    @staticmethod
    def _passes(action: Action) -> bool:
        """A setter whose error branch, if any, goes where the call goes anyway."""
        error = action.errors.get("NoMatchingError")
        return action.type in PASS_THROUGH and not action.conditions and (
            error is None or error == action.next or action.next is None)

    def _loop_turn(self, loop: Action, state: tuple) -> tuple[str | None, tuple]:
        turns = _loop_count(loop.params.get("LoopCount"))
        if turns is None or turns > MAX_LOOP_TURNS:
            shown = loop.params.get("LoopCount")
            turns = 1 if turns is None else MAX_LOOP_TURNS
            if ("loop", loop.id) not in self.missing:
                self.missing.add(("loop", loop.id))
                self.flow.assume(msg(N_("the Loop's count ({shown}) is taken as {turns} turn(s)"),
                                     shown=shown, turns=turns),
                                 loop.pos, GUIDE + "loop.html")
        turns = min(turns, self.most_turns)
        done = dict(state).get(loop.id, 0)
        by_case = {str(c.operands[0]) if c.operands else "": c.target for c in loop.conditions}
        rest = tuple((lid, n) for lid, n in state if lid != loop.id)
        if done < turns:
            return by_case.get("ContinueLooping") or loop.next, rest + ((loop.id, done + 1),)
        return by_case.get("DoneLooping") or loop.next, rest

    # -- one node per action ----------------------------------------------------------------

    def _emit(self, action_id: str, state: tuple) -> None:
        action = self.cf.actions[action_id]
        node_id = self.ids[(action_id, state)]
        make = getattr(self, "_" + action.type, None) if action.type in HANDLED else None
        fields = make(action, state, node_id) if make else self._unknown(action, state, node_id)
        if fields is not None:
            self.flow.add(node_id, action.pos, fields, note=self._note(action))

    def _note(self, action: Action) -> str:
        return f"{self.flow.location(action.pos)}, {action.type} {action.id}"

    def _to(self, target: str | None, state: tuple) -> str:
        return self.ref(target, state)

    def _error_case(self, action: Action, state: tuple, node_id: str, usual: str) -> list:
        """The action's NoMatchingError branch as a branch case no scenario takes, when it
        goes somewhere else than ``usual``."""
        error = action.errors.get("NoMatchingError")
        if error is None:
            return []
        target = self._to(error, state)
        if target == usual:
            return []
        self.error_edges.append(node_id)
        condition = self.decisions.condition(f"{node_id}_fails", False, None)
        return [{"when": [condition], "goto": target}]

    def _branch(self, cases: list, otherwise: str) -> dict:
        return {"type": "branch", "cases": cases, "else": otherwise} if cases else \
            {"type": "branch", "else": otherwise}

    def _unknown(self, action: Action, state: tuple, node_id: str) -> dict:
        if action.type in PASS_THROUGH or action.type not in KNOWN:
            if action.type not in KNOWN:
                self.flow.assume(msg(N_("action type '{type}' is not one ivraudit knows; the "
                                        "call is taken to pass through it to its next action"),
                                     type=action.type), action.pos,
                                 API + "flow-language-actions.html", node_id)
            usual = self._to(action.next or action.errors.get("NoMatchingError"), state)
            cases = [{"when": [self.decisions.condition(f"{node_id}_{name_part(c.operands)}",
                                                        False, None)],
                      "goto": self._to(c.target, state)} for c in action.conditions]
            return self._branch(cases + self._error_case(action, state, node_id, usual), usual)
        raise AssertionError(action.type)  # pragma: no cover - every handled type has a method

    # -- prompts ----------------------------------------------------------------------------

    def prompt(self, action: Action, node_id: str, params: dict | None = None) -> Prompt:
        params = action.params if params is None else params
        pos = action.pos
        if "Text" in params or "SSML" in params:
            raw = params.get("Text") if "Text" in params else strip_ssml(str(params["SSML"]))
            raw = str(raw)
            if _JSONPATH.fullmatch(raw.strip()):
                return recorded_prompt(self.flow, self.options, pos, node_id,
                                       "the prompt is the run-time value", raw.strip(),
                                       source=API + "flow-language.html")
            refs = sorted({ref.rstrip(".") for ref in _JSONPATH.findall(raw)})
            if refs:
                self.flow.assume(msg(N_("the prompt holds run-time values ({values}); each is "
                                        "counted as one word"), values=Joined(tuple(refs))), pos,
                                 msg(N_("SPEC section 2 (word estimate)")), node_id)
                for ref in sorted(refs, key=len, reverse=True):  # one word, no sentence end
                    raw = raw.replace(ref, "{" + ref[2:].replace(".", "_") + "}")
            return text_prompt(raw)
        if "PromptId" in params:
            prompt_id = str(params["PromptId"])
            name = action.meta.get("promptName") if isinstance(action.meta, dict) else None
            what = msg(N_("the prompt is the run-time value")) if _JSONPATH.fullmatch(prompt_id) \
                else msg(N_("the recorded prompt"))
            return recorded_prompt(self.flow, self.options, pos, node_id, what, name, prompt_id,
                                   source=GUIDE + "prompts.html")
        media = params.get("Media")
        if isinstance(media, dict) and media.get("Uri"):
            return recorded_prompt(self.flow, self.options, pos, node_id, msg(N_("the recording")),
                                   str(media["Uri"]), source=GUIDE + "play.html")
        return Prompt({})

    # -- the actions ------------------------------------------------------------------------

    def _MessageParticipant(self, action, state, node_id):
        fields = {"type": "message", **self.prompt(action, node_id).fields, "barge_in": False}
        fields["next"] = self._to(action.next or action.errors.get("NoMatchingError"), state)
        return fields

    def _failure(self, action: Action, state: tuple, kind: str, node_id: str) -> str:
        """Where a failure of ``kind`` (an ErrorType) goes: its branch, else the catch-all
        NoMatchingError, else the call ends (an assumption)."""
        target = action.errors.get(kind) or action.errors.get("NoMatchingError")
        if target is None:
            self.flow.assume(msg(N_("no {kind} branch: the call is taken to end there"),
                                 kind=kind), action.pos,
                             GUIDE + "get-customer-input.html", node_id)
            return "hangup"
        found = self._to(target, state)
        return node_id if found == node_id else found

    def _timeout(self, action: Action, node_id: str, default_source: str) -> float:
        raw = action.params.get("InputTimeLimitSeconds")
        seconds = decimal(raw)
        if seconds is not None and 0 < seconds <= MAX_INPUT_SECONDS:
            return float(seconds)
        shown = f" ({raw})" if raw is not None else ""
        self.flow.assume(msg(N_("the input timeout{shown} is not one Connect accepts (1 to "
                                "{max_input_seconds} s) or not written: taken as 5 s, the "
                                "block's default"),
                             shown=shown, max_input_seconds=MAX_INPUT_SECONDS),
                         action.pos, default_source, node_id)
        return 5.0

    def _GetParticipantInput(self, action, state, node_id):
        prompt = self.prompt(action, node_id)
        source = GUIDE + "get-customer-input.html"
        timeout = self._timeout(action, node_id, source)
        if str(action.params.get("StoreInput", "False")).lower() == "true" or not action.conditions:
            return self._stored_input(action, state, node_id, prompt, timeout)
        routes: dict[str, str] = {}
        for condition in action.conditions:
            key = str(condition.operands[0]) if condition.operands else ""
            if not _KEY.match(key) or key in routes:
                self.flow.assume(msg(N_("condition {operator} {operands} is not a key the "
                                        "caller can press; it is left out"),
                                     operator=condition.operator, operands=condition.operands),
                                 condition.pos,
                                 source, node_id)
                continue
            routes[key] = self._to(condition.target, state)
        fields, announced = menu_fields(prompt, list(routes))
        if prompt.words is None and prompt.fields:
            self.flow.assume(msg(N_("the menu's prompt is not text, so which keys it announces "
                                    "is not known: its options count as hidden")),
                             action.pos, msg(N_("SPEC section 10")),
                             node_id)
        for key in unrouted_keys(prompt, routes):
            self.flow.assume(msg(N_("the prompt tells the caller to press {key}, but no "
                                    "condition routes {key}: pressing it is a no-match "
                                    "(NoMatchingCondition)"), key=key),
                             action.pos, source, node_id)
        options = [{"key": key, **({"say": announced[key]} if announced[key] is not None else {}),
                    "goto": goto} for key, goto in routes.items()]
        return {"type": "menu", **fields, "barge_in": True, "options": options,
                "timeout": timeout, "max_failures": "unlimited",
                "on_invalid": self._failure(action, state, "NoMatchingCondition", node_id),
                "on_timeout": self._failure(action, state, "InputTimeLimitExceeded", node_id)}

    def _stored_input(self, action, state, node_id, prompt, timeout):
        validation = action.params.get("InputValidation") or {}
        custom = validation.get("CustomValidation") or {} if isinstance(validation, dict) else {}
        maximum = _int(custom.get("MaximumLength") if isinstance(custom, dict) else None)
        if maximum is None:
            maximum = 20
            self.flow.assume(msg(N_("the stored input's length is not given; 1 to 20 digits are "
                                    "taken")),
                             action.pos, GUIDE + "store-customer-input.html", node_id)
        dtmf = action.params.get("DTMFConfiguration") or {}
        terminator = dtmf.get("InputTerminationSequence") if isinstance(dtmf, dict) else None
        nxt = self._to(action.next or action.errors.get("NoMatchingError"), state)
        timed_out = action.errors.get("InputTimeLimitExceeded")
        self.flow.assume(msg(N_("the digits are stored and routed at run time (a Lambda or a "
                                "compare after this block): which entries are valid is not in "
                                "the file")), action.pos,
                         GUIDE + "store-customer-input.html", node_id)
        if timed_out is None:
            self.flow.assume(msg(N_("on a timeout the block takes its success branch with the "
                                    "stored value 'Timeout', as Store customer input does")),
                             action.pos,
                             GUIDE + "store-customer-input.html", node_id)
        fields = {"type": "input", **prompt.fields, "barge_in": True,
                  "digits": {"min": 1, "max": maximum} if maximum > 1 else 1,
                  "asks": "stored_customer_input", "next": nxt, "timeout": timeout,
                  "max_failures": "unlimited",
                  "on_invalid": self._failure(action, state, "NoMatchingError", node_id),
                  "on_timeout": self._to(timed_out, state) if timed_out else nxt}
        if isinstance(terminator, str) and terminator in ("#", "*"):
            fields["terminator"] = terminator
        return fields

    def _ConnectParticipantWithLexBot(self, action, state, node_id):
        prompt = self.prompt(action, node_id)
        attributes = action.params.get("LexSessionAttributes") or {}
        barge_in = any("barge-in-enabled" in str(k) and str(v).lower() == "true"
                       for k, v in (attributes.items() if isinstance(attributes, dict) else ()))
        if not barge_in:
            self.flow.assume(msg(N_("the bot's prompt cannot be interrupted: barge-in is a Lex "
                                    "session attribute (x-amz-lex:barge-in-enabled), off unless "
                                    "set")), action.pos,
                             GUIDE + "get-customer-input.html", node_id)
        self.flow.assume(msg(N_("the bot waits 5 s for speech (Lex's own timeouts are not in "
                                "the flow); intents are spoken options only, keys are not")),
                         action.pos,
                         API + "participant-actions-connectparticipantwithlexbot.html", node_id)
        options, seen = [], set()
        for condition in action.conditions:
            intent = str(condition.operands[0]) if condition.operands else ""
            if not intent or intent in seen:
                continue
            seen.add(intent)
            options.append({"speech": [intent], "goto": self._to(condition.target, state)})
        if not options:
            return {"type": "message", **prompt.fields, "barge_in": barge_in,
                    "next": self._to(action.next or action.errors.get("NoMatchingCondition"),
                                     state)}
        return {"type": "menu", **prompt.fields, "barge_in": barge_in, "options": options,
                "timeout": 5, "max_failures": "unlimited",
                "on_invalid": self._failure(action, state, "NoMatchingCondition", node_id),
                "on_timeout": self._failure(action, state, "InputTimeLimitExceeded", node_id)}

    def _CheckHoursOfOperation(self, action, state, node_id):
        hours = action.params.get("Hours")
        condition = self.decisions.condition(
            "hours_open" + (f"_{_function_name(str(hours))}" if hours else ""), True, "closed")
        by_case = {str(c.operands[0]).lower() if c.operands else "": c.target
                   for c in action.conditions}
        open_ = self._to(by_case.get("true") or action.next, state)
        closed = self._to(by_case.get("false") or action.next, state)
        cases = self._error_case(action, state, node_id, closed)
        return self._branch(cases + [{"when": [condition], "goto": open_}], closed)

    def _CheckMetricData(self, action, state, node_id):
        metric = str(action.params.get("MetricType") or "metric")
        short = _METRICS.get(metric, name_part(metric))
        cases = []
        for condition in action.conditions:
            value = str(condition.operands[0]) if condition.operands else ""
            op = _OPERATORS.get(condition.operator, name_part(condition.operator))
            name = f"{short}_{op}_{name_part(value)}"
            staffed = short.startswith("agents_") and op in ("gt", "ge") and value in ("0", "1")
            scenario = f"no_{short}" if staffed else name
            cases.append({"when": [self.decisions.condition(name, staffed, scenario)],
                          "goto": self._to(condition.target, state)})
        otherwise = self._to(action.errors.get("NoMatchingCondition") or action.next, state)
        return self._branch(self._error_case(action, state, node_id, otherwise) + cases, otherwise)

    def _Compare(self, action, state, node_id):
        value = str(action.params.get("ComparisonValue", "value"))
        subject = name_part(value.removeprefix("$."))
        cases = []
        for condition in action.conditions:
            operand = str(condition.operands[0]) if condition.operands else ""
            op = _OPERATORS.get(condition.operator, name_part(condition.operator))
            name = self.decisions.condition(f"{subject}_{op}_{name_part(operand, 24)}", False,
                                            f"{subject}_{op}_{name_part(operand, 24)}")
            cases.append({"when": [name], "goto": self._to(condition.target, state)})
        otherwise = self._to(action.errors.get("NoMatchingCondition") or action.next, state)
        if cases:
            self.flow.assume(msg(N_("{value} is known only at run time: `default` takes the "
                                    "no-match branch, and a scenario per condition takes that "
                                    "condition"), value=value),
                             action.pos, API + "flow-control-actions-compare.html", node_id)
        return self._branch(self._error_case(action, state, node_id, otherwise) + cases, otherwise)

    def _InvokeLambdaFunction(self, action, state, node_id):
        function = _function_name(action.params.get("LambdaFunctionARN"))
        ok = self._to(action.next, state)
        error = action.errors.get("NoMatchingError")
        if error is None or self._to(error, state) == ok:
            return self._branch([], ok)
        condition = self.decisions.condition(f"lambda_{function}_ok", True,
                                             f"lambda_{function}_fails")
        return self._branch([{"when": [condition], "goto": ok}], self._to(error, state))

    def _InvokeFlowModule(self, action, state, node_id):
        module = _function_name(str(action.params.get("FlowModuleId", "")))
        self.flow.assume(msg(N_("flow module '{module}' is not among the inputs: the call "
                                "passes through it to its next action"),
                             module=module), action.pos,
                         msg(N_("SPEC section 10 (sub-flows that return)")), node_id)
        usual = self._to(action.next, state)
        return self._branch(self._error_case(action, state, node_id, usual), usual)

    def _TransferContactToQueue(self, action, state, node_id):
        fields = {"type": "human"}
        queue = action.meta.get("queue") if isinstance(action.meta, dict) else None
        if isinstance(queue, dict) and queue.get("text"):
            fields["queue"] = str(queue["text"])
        full = action.errors.get("QueueAtCapacity")
        error = action.errors.get("NoMatchingError")
        if full is not None and (error is None or self._to(error, state) == self._to(full, state)):
            when = self.decisions.condition("queue_at_capacity", False, "queue_full")
            fields["overflow"] = {"when": [when], "goto": self._to(full, state)}
        elif full is not None or error is not None:
            fails = self.decisions.condition("queue_transfer_fails", False,
                                             "queue_full" if full is not None else None)
            failed = self._alloc(f"{node_id}_failed")
            cases = []
            if full is not None:
                cases.append({"when": [self.decisions.condition("queue_at_capacity", False,
                                                                "queue_full")],
                              "goto": self._to(full, state)})
            otherwise = self._to(error, state) if error is not None else "hangup"
            self.flow.add(failed, action.pos, self._branch(cases, otherwise),
                          note=self._note(action) + " (when the transfer fails)")
            fields["overflow"] = {"when": [fails], "goto": failed}
        return fields

    def _TransferToFlow(self, action, state, node_id):
        target = self._flow_name(action)
        self.flow.handoffs[node_id] = target
        return {"type": "transfer", "to": target}

    def _TransferParticipantToThirdParty(self, action, state, node_id):
        number = str(action.params.get("ThirdPartyPhoneNumber", "an outside number"))
        shown = number if "ThirdPartyPhoneNumber" in action.params else \
            msg(N_("an outside number"))
        self.flow.assume(msg(N_("the call put through to {number} is taken to be answered by a "
                                "person"), number=shown),
                         action.pos, GUIDE + "transfer-to-phone-number.html", node_id)
        return {"type": "transfer", "to": number, "person": True}

    def _CreateCallbackContact(self, action, state, node_id):
        return {"type": "callback"}

    def _EndFlowExecution(self, action, state, node_id):  # in a customer queue flow
        self.flow.assume(msg(N_("the queue flow ends here: the caller goes on waiting in the "
                                "queue for an agent")),
                         action.pos, GUIDE + "end-flow.html", node_id)
        return {"type": "human"}

    _EndFlowModuleExecution = _EndFlowExecution
    _ReturnFromFlowModule = _EndFlowExecution

    def _MessageParticipantIteratively(self, action, state, node_id):
        messages = action.params.get("Messages") or []
        prompts = [self.prompt(action, node_id, m) for m in messages if isinstance(m, dict)]
        interrupted = next((c.target for c in action.conditions
                            if c.operands and str(c.operands[0]) == "MessagesInterrupted"), None)
        if not self.queue_flow:
            first = prompts[0] if prompts else Prompt({})
            return {"type": "message", **first.fields, "barge_in": False,
                    "next": self._to(interrupted or action.next, state)}
        fields = {"type": "human"}
        words = [p.words for p in prompts if p.words]
        if words:
            fields["say"] = " ".join(words)
        if interrupted is not None:
            when = self.decisions.condition("queue_messages_interrupted", False,
                                            "queue_messages_interrupted")
            fields["overflow"] = {"when": [when], "goto": self._to(interrupted, state)}
        return fields

    def _flow_name(self, action: Action) -> str:
        meta = action.meta.get("contactFlow") if isinstance(action.meta, dict) else None
        if isinstance(meta, dict) and meta.get("text"):
            return str(meta["text"])
        return _function_name(str(action.params.get("ContactFlowId", "")))


_KIND = {"MessageParticipant": "play", "GetParticipantInput": "menu",
         "ConnectParticipantWithLexBot": "bot", "CheckHoursOfOperation": "hours",
         "CheckMetricData": "staffing", "Compare": "compare", "InvokeLambdaFunction": "lambda",
         "InvokeFlowModule": "module", "TransferContactToQueue": "queue",
         "TransferToFlow": "to_flow", "EndFlowExecution": "in_queue",
         "MessageParticipantIteratively": "in_queue", "TransferParticipantToThirdParty":
         "transfer", "CreateCallbackContact": "callback"}
_METRICS = {"NumberOfAgentsStaffed": "agents_staffed", "NumberOfAgentsAvailable":
            "agents_available", "NumberOfAgentsOnline": "agents_online",
            "NumberOfContactsInQueue": "contacts_in_queue",
            "OldestContactInQueueAgeSeconds": "oldest_contact_age"}
_OPERATORS = {"Equals": "eq", "NumberEquals": "eq", "TextContains": "contains",
              "TextStartsWith": "starts_with", "TextEndsWith": "ends_with",
              "NumberGreaterThan": "gt", "NumberLessThan": "lt",
              "NumberGreaterOrEqualTo": "ge", "NumberLessOrEqualTo": "le",
              "NumberGreaterThanOrEqualTo": "ge", "NumberLessThanOrEqualTo": "le"}


def _targets(action: Action):
    yield action.next
    for condition in action.conditions:
        yield condition.target
    yield from action.errors.values()


def _int(value) -> int | None:
    number = whole(value)
    return number if number is not None and number >= 0 else None


def _loop_count(value) -> int | None:
    return _int(value)


def _function_name(reference: str | None) -> str:
    """A readable name for a Lambda, flow or module reference: the ARN's last part, a
    placeholder's inside (``%%X%%``, ``{{a.X.arn}}``, ``${X}``), a flow attribute's name."""
    text = (reference or "").strip()
    if text in ("", "None"):
        return "function"
    for pattern in (r"%%(.+?)%%", r"\{\{\s*(?:[A-Za-z]+\.)?([^.}\s]+)(?:\.arn)?\s*\}\}",
                    r"\$\.FlowAttributes\.(.+)$", r"\$\{F:(.+?):F\}", r"\$\{([^}]+)\}$"):
        found = re.search(pattern, text)
        if found:
            return name_part(found.group(1).split(".")[0] if pattern.startswith(r"\$\{(")
                             else found.group(1))
    if ":function:" in text:
        return name_part(text.split(":function:", 1)[1].split(":")[0])
    return name_part(text.rsplit("/", 1)[-1] or "unknown")


def _near(word: str, choices) -> str:
    match = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
