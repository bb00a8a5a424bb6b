"""Genesys Cloud Architect flows written as Archy YAML (SPEC section 10; docs/importers.md,
Genesys Cloud Architect).

The top key is the flow type (`inboundCall`, `inqueueCall`); the call plays the
`initialGreeting`, then starts at `startUpRef` (a menu or a task, by path) or, in an in-queue
flow, runs `startUpTaskActions`. Menus offer choices by `dtmf: digit_N`; tasks are action lists
run in order, whose branching actions (decision, switch, evaluateScheduleGroup, collectInput,
transferToAcd failures, data actions) rejoin after their outputs. Values are wrapped: `lit:`
(a literal), `exp:` (an expression, run-time), `noValue: true` (the flow's setting applies).
Node comments name the Archy path (``/inboundCall/menus/menu[Main Menu_10]``).
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path

from ..errors import MenuError
from ..format.yamlsource import PosDict
from .aliases import Aliases
from .announce import unrouted
from .archy_audio import Audio, read_audio
from .base import ImportedFlow, mapping, positioned
from .flowkit import (Decisions, Prompt, joined, menu_fields, name_part, recorded_prompt,
                      reserve_id, text_prompt, unrouted_keys)
from .numbers import decimal
from .source import Source
from ..i18n import N_, Message, msg

NAME, TITLE = "archy", "Genesys Cloud Architect"
SUFFIXES = (".yaml", ".yml")
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ("inboundCall:", "inqueueCall:")
FLOW_TYPES = ("inboundCall", "inqueueCall", "outboundCall", "secureCall", "inboundShortMessage",
              "inboundEmail", "bot", "commonModule")
HELP = "https://help.mypurecloud.com/articles/"
MENU_DOCS = HELP + "configure-default-menu-settings/"
_DTMF = {f"digit_{n}": str(n) for n in range(10)} | {"star": "*", "pound": "#"}
_REF = re.compile(r"(menu|task)\[(.+)\]\s*$")

ACTIONS = ("playAudio", "holdMusic", "playEstimatedWaitTime", "collectInput", "decision",
           "switch", "evaluateScheduleGroup", "evaluateSchedule", "transferToAcd",
           "transferToUser", "transferToGroup", "transferToNumber", "transferToFlow",
           "transferToFlowSecure", "transferToVoicemail", "disconnect", "jumpToMenu",
           "jumpToTask", "callTask", "loop", "callData", "dataTableLookup", "callBridge",
           "setParticipantData", "getParticipantData", "updateData", "setFlowOutcome",
           "initializeFlowOutcome", "setLanguage", "setScreenPop", "setWrapupCode",
           "setUUIData", "setExternalTag", "addFlowMilestone", "sendResponse", "flushAudio",
           "endTask", "previousMenu", "repeatMenu", "loopAnythingElse", "setWhisperAudio")
CHOICES = ("menuDisconnect", "menuTransferToAcd", "menuSubMenu", "menuJumpToMenu", "menuTask",
           "menuJumpToTask", "menuRepeatMenu", "menuPreviousMenu", "menuTransferVoicemail",
           "menuTransferToVoicemail", "menuTransferFlow", "menuTransferFlowSecure",
           "menuTransferExternal", "menuTransferToNumber", "menuTransferUser", "menuTransferGroup",
           "menuDialExtension", "menuDialName", "menuMenu")


def _body(tree):
    if not isinstance(tree, PosDict) or len(tree) != 1:
        return None, None
    (kind, body), = tree.items()
    return (kind, body) if kind in FLOW_TYPES and isinstance(body, PosDict) else (None, None)


def detect(source: Source) -> bool:
    if source.suffix not in SUFFIXES or not source.has_lenient_tree():
        return False
    kind, body = _body(source.lenient_tree)
    return kind is not None and any(k in body for k in ("startUpRef", "menus", "tasks",
                                                        "startUpTaskActions", "name"))


def read(source: Source, options) -> list[ImportedFlow]:
    kind, body = _body(source.lenient_tree)
    if kind is None:
        raise MenuError(source.path, 1, 1, "not an Archy flow: the file's only top key must be "
                        "the flow type (" + ", ".join(FLOW_TYPES[:2]) + ")",
                        "give a flow exported with Archy, or drop --from archy")
    return [_Builder(source, kind, body, options).build()]


def _lit(value):
    """A wrapped value: the literal inside `lit:`, None for `noValue` or an expression."""
    if isinstance(value, dict):
        if "lit" in value:
            return value["lit"]
        return None
    return value


def _seconds(value) -> float | None:
    """A duration (`{lit: {seconds: 10}}`, `{lit: {ms: 1500}}`, a number); None when it is not
    a plain, non-negative number (an expression, `noValue`, text)."""
    value = _lit(value)
    scale = 1
    if isinstance(value, dict):
        if "seconds" in value:
            value = value["seconds"]
        elif "ms" in value:
            value, scale = value["ms"], 1000
        else:
            return None
    elif not isinstance(value, (int, float)):
        return None
    found = decimal(value)
    return float(found / scale) if found is not None and found >= 0 else None


def _count(value) -> bool:
    """Whether ``value`` is a count Architect takes (a whole number, 0 or more)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _global_keys(value) -> set[str]:
    """The keys of every menu choice marked `globalDtmf: true` in the flow (any depth: nested
    menus hold choices too)."""
    found, stack = set(), [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if _lit(item.get("globalDtmf")) is True and str(item.get("dtmf", "")) in _DTMF:
                found.add(_DTMF[str(item["dtmf"])])
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return found


def _single(item) -> tuple[str, PosDict] | tuple[None, None]:
    """A list item written ``- kind: {fields}``."""
    if isinstance(item, PosDict) and len(item) == 1:
        (kind, fields), = item.items()
        if isinstance(fields, PosDict):
            return kind, fields
        if fields is None:
            empty = PosDict()
            empty.pos, empty.key_pos, empty.value_pos = item.value_pos[kind], {}, {}
            return kind, empty
    return None, None


class _Builder:
    def __init__(self, source: Source, kind: str, body: PosDict, options) -> None:
        self.kind, self.body, self.options = kind, body, options
        self.path = source.path
        name = body.get("name")
        name = str(name) if name else Path(source.path).stem
        self.flow = ImportedFlow(source.path, name, NAME, TITLE, pos=body.pos)
        self.decisions = Decisions()
        self.menus: dict[str, PosDict] = {}
        self.tasks: dict[str, PosDict] = {}
        for group, store in (("menus", self.menus), ("tasks", self.tasks)):
            for item in body.get(group) or []:
                what, fields = _single(item)
                if what in ("menu", "task"):
                    store.setdefault(str(fields.get("refId") or fields.get("name")), fields)
                    if fields.get("name"):
                        store.setdefault(str(fields["name"]), fields)
        self.built: dict[object, str] = {}
        self.taken: set[str] = set()
        self.parents: dict[str, str] = {}
        self.global_options: list = []
        self.aliases = Aliases()  # task symbol -> its first node (tasks are built later)
        self.tasks_built: set[int] = set()  # tasks built (after some action or on their own)
        self.pending: list = []  # menus and tasks named but not built yet (follow)
        self.global_keys = _global_keys(body)  # offered in every menu (SPEC 9.4)
        self.announced_globals: list = []  # (menu node, key, its announcement there, place)
        settings = body.get("settingsMenu") if isinstance(body.get("settingsMenu"), dict) else {}
        self.menu_timeout = _seconds(settings.get("menuSelectionTimeout"))
        self.repeats = _lit(settings.get("repeatCount"))
        defaults = body.get("settingsActionDefaults")
        collect = defaults.get("collectInput") if isinstance(defaults, dict) else None
        self.input_timeout = _seconds(collect.get("noEntryTimeout")) if isinstance(collect, dict) \
            else None
        self.said: set[str] = set()

    def assume_once(self, key: str, message: Message, pos, source: str, node=None) -> None:
        if key not in self.said:
            self.said.add(key)
            self.flow.assume(message, pos, source, node)

    def _alloc(self, wanted: str) -> str:
        return reserve_id(self.flow, self.taken, wanted)

    def _add(self, node_id: str, pos, fields: dict, note: str) -> str:
        self.flow.add(node_id, pos, fields, note=f"{self.flow.location(pos)}, {note}")
        return node_id

    # -- the flow ---------------------------------------------------------------------------

    def build(self) -> ImportedFlow:
        body, flow = self.body, self.flow
        flow.set("ivr", flow.name, body.pos)
        if self.kind == "inqueueCall":
            waiting = self._waiting()
            start = self.actions(body.get("startUpTaskActions") or [], waiting,
                                 f"/{self.kind}/startUpTaskActions")
        else:
            start = self._startup()
        greeting = read_audio(body.get("initialGreeting")) if body.get("initialGreeting") else None
        if greeting is not None and greeting.parts:
            pos = body.value_pos["initialGreeting"]
            node = self._alloc("initial_greeting")
            self.built[("greeting",)] = node
            prompt = self.prompt(greeting, pos, node)
            barge = greeting.barge_in if greeting.barge_in is not None else True
            start = self._add(node, pos, {"type": "message", **prompt.fields,
                                          "barge_in": barge, "next": start},
                              f"/{self.kind}/initialGreeting")
        self.follow()
        for ref, fields in list(self.menus.items()):  # menus no call reaches: kept, so that
            if ("menu", id(fields)) not in self.built:  # audits say so
                self.menu(ref)
                self.follow()
        for ref, fields in list(self.tasks.items()):
            if id(fields) not in self.tasks_built:
                self.task(ref, "hangup")
                self.follow()
        for option in self.global_options:
            option["goto"] = self.aliases.resolve(option["goto"])
        self._announce_globals()
        self.aliases.apply(flow)
        start = self.aliases.resolve(start)
        if start in ("hangup",):
            start = self._add(self._alloc("disconnect"), body.pos, {"type": "hangup"},
                              f"/{self.kind}")
        flow.set("entry", start, body.value_pos.get("startUpRef", body.pos))
        if self.global_options:
            flow.set("global_options", self.global_options, body.pos)
        self.decisions.apply(flow, body.pos)
        return flow

    def _announce_globals(self) -> None:
        """Each global choice a menu's prompt announces becomes that menu's own option, with
        the announcement and the global choice's target (known once every menu is built)."""
        targets = {option["key"]: option["goto"] for option in self.global_options}
        for node_id, key, say, pos in self.announced_globals:
            options = self.flow.nodes[node_id].get("options")
            if key in targets and options is not None:
                options.append(positioned(mapping(pos, {"key": key, "say": say,
                                                        "goto": targets[key]}), pos))
                options.item_pos.append(pos)

    def _startup(self) -> str:
        body = self.body
        reference = body.get("startUpRef")
        if not isinstance(reference, str):
            raise MenuError(self.path, *body.pos, "the flow has no `startUpRef`",
                            "name the menu or task the call starts at, e.g. "
                            "startUpRef: ./menus/menu[mainMenu]")
        found = _REF.search(reference)
        where = body.value_pos["startUpRef"]
        if not found:
            raise MenuError(self.path, *where, f"startUpRef '{reference}' names no menu or task",
                            "write it as ./menus/menu[refId] or ./tasks/task[refId]")
        what, ref = found.groups()
        store = self.menus if what == "menu" else self.tasks
        if ref not in store:
            raise MenuError(self.path, *where, f"startUpRef names {what} '{ref}', which the flow "
                            "does not define" + _near(ref, store),
                            f"give the refId of one of the flow's {what}s")
        return self.menu(ref) if what == "menu" else self.task(ref, "hangup")

    def _waiting(self) -> str:
        node = self._alloc("waiting_in_queue")
        self.built[("waiting",)] = node
        self.flow.assume(msg(N_("at the end of the in-queue actions the caller waits on in the "
                                "queue for an agent, hearing the hold music")), self.body.pos,
                         HELP + "in-queue-call-flows/", node)
        return self._add(node, self.body.pos, {"type": "human"}, f"/{self.kind} (in queue)")

    # -- prompts ----------------------------------------------------------------------------

    def prompt(self, audio: Audio, pos, node_id: str) -> Prompt:
        parts = []
        for kind, value in audio.parts:
            if kind == "tts":
                parts.append(text_prompt(value))
            elif kind == "silence":
                parts.append(Prompt({"duration": value}))
            elif kind == "recording":
                parts.append(recorded_prompt(self.flow, self.options, pos, node_id,
                                             msg(N_("the recorded prompt")), value,
                                             source=HELP + "about-prompts/"))
            else:
                parts.append(recorded_prompt(self.flow, self.options, pos, node_id,
                                             msg(N_("the prompt is the run-time value")), value,
                                             source=HELP + "about-prompts/"))
        return joined(parts, Path(self.path).parent)

    # -- menus ------------------------------------------------------------------------------

    def menu(self, ref: str, fields: PosDict | None = None, path: str = "",
             parent: str | None = None) -> str:
        fields = self.menus[ref] if fields is None else fields
        key = ("menu", id(fields))
        if key in self.built:
            return self.built[key]
        node_id = self._alloc(name_part(fields.get("refId") or fields.get("name") or ref))
        self.built[key] = node_id
        if parent is not None:
            self.parents.setdefault(node_id, parent)
        path = path or f"/{self.kind}/menus/menu[{ref}]"
        self.pending.append(lambda: self._menu_body(node_id, fields, path))
        return node_id

    def _menu_body(self, node_id: str, fields: PosDict, path: str) -> None:
        audio = read_audio(fields.get("audio"))
        prompt = self.prompt(audio, fields.value_pos.get("audio", fields.pos), node_id)
        choices, keys = [], []
        for index, item in enumerate(fields.get("choices") or []):
            what, choice = _single(item)
            if what is None:
                continue
            self._check(what, CHOICES, choice.pos if choice.pos else fields.pos, "menu choice")
            key = _DTMF.get(str(choice.get("dtmf", ""))) if choice.get("dtmf") else None
            speech = _terms(choice.get("speechRecTerms"))
            if key is None and not speech:
                self.flow.assume(msg(N_("choice '{choice}' has no DTMF key and no speech terms: "
                                        "no caller can choose it"),
                                     choice=choice.get("name", what)), choice.pos,
                                 HELP + "menu-action/", node_id)
                continue
            choices.append((what, choice, key, speech))
            if key:
                keys.append(key)
        # a global choice this menu's prompt announces is announced here (SPEC 9.4: an option
        # the menu defines itself takes the place of the global one): not a hidden key
        named = [key for key in unrouted_keys(prompt, keys) if key in self.global_keys]
        fields_out, announced = menu_fields(prompt, keys + named)
        for key in named:
            if announced.get(key) is not None:
                self.announced_globals.append((node_id, key, announced[key], fields.pos))
        for key in unrouted_keys(prompt, keys + sorted(self.global_keys)):
            self.flow.assume(unrouted(key), fields.pos, HELP + "menu-action/", node_id)
        options = []
        for what, choice, key, speech in choices:
            target = self.choice(what, choice, node_id, f"{path}/choices/{what}"
                                 f"[{choice.get('name', '')}]")
            option = {**({"key": key} if key else {}), **({"speech": speech} if speech else {})}
            if key and announced.get(key) is not None:
                option["say"] = announced[key]
            option["goto"] = target
            options.append(option)
            if key and _lit(choice.get("globalDtmf")) is True:
                self.global_options.append({"key": key, "goto": target})
        own = fields.get("settingsMenu") if isinstance(fields.get("settingsMenu"), dict) else {}
        timeout = _seconds(own.get("menuSelectionTimeout")) or self.menu_timeout
        if timeout is None:
            timeout = 10.0
            self.assume_once("menu timeout", msg(N_("no menu selection timeout is set: "
                                                    "Architect's default, 10 s")),
                                             fields.pos, MENU_DOCS, node_id)
        repeats = _lit(own.get("repeatCount"))
        repeats = repeats if _count(repeats) else self.repeats
        if not _count(repeats):
            repeats = 3
            self.assume_once("repeat default", msg(N_("no menu repeat count is set: Architect's "
                                                      "default, 3")),
                                               fields.pos, MENU_DOCS, node_id)
        self.assume_once("repeats", msg(N_("a menu plays once and then is repeated "
                                           "`repeatCount` times when the caller presses nothing "
                                           "or a wrong key; after the last repeat the call is "
                                           "disconnected (no default menu choice is set)")),
                                    fields.pos,
                         MENU_DOCS, node_id)
        barge = audio.barge_in if audio.barge_in is not None else True
        result = {"type": "menu", **fields_out, "barge_in": barge}
        if options:
            result.update(options=options, timeout=timeout, max_failures=repeats + 1,
                          on_invalid="replay", on_timeout="replay", on_exhausted="hangup")
        else:
            result = {"type": "message", **prompt.fields, "barge_in": barge, "next": "hangup"}
        self._add(node_id, fields.pos, result, path)

    def choice(self, what: str, choice: PosDict, menu_id: str, path: str) -> str:
        pos = choice.pos
        if what == "menuDisconnect":
            return "hangup"
        if what in ("menuRepeatMenu",):
            return menu_id
        if what == "menuPreviousMenu":
            parent = self.parents.get(menu_id)
            if parent is None:
                self.flow.assume(msg(N_("the previous menu is not known here: the choice is "
                                        "taken to play this menu again")),
                                 pos, HELP + "menu-action/", menu_id)
                return menu_id
            return parent
        if what in ("menuSubMenu", "menuMenu"):
            inner = choice.get("menu") if isinstance(choice.get("menu"), PosDict) else choice
            return self.menu(str(inner.get("refId") or inner.get("name") or "submenu"), inner,
                             path, parent=menu_id)
        if what == "menuJumpToMenu":
            ref = _ref(choice.get("targetMenuRef") or choice.get("targetMenu"))
            if ref not in self.menus:
                return self._missing(msg(N_("menu")), ref, pos)
            return self.menu(ref, parent=menu_id)
        if what == "menuJumpToTask":
            ref = _ref(choice.get("targetTaskRef") or choice.get("targetTask"))
            return self.task(ref, "hangup") if ref in self.tasks else \
                self._missing(msg(N_("task")), ref, pos)
        if what == "menuTask":
            task = choice.get("task") if isinstance(choice.get("task"), PosDict) else choice
            return self.actions(task.get("actions") or [], "hangup", path, end_of_task=True)
        return self.transfer(what.removeprefix("menu"), choice, path)

    def _missing(self, what: Message, ref, pos) -> str:
        self.flow.assume(msg(N_("a jump names {what} '{ref}', which the flow does not define; "
                                "the call is taken to end there"),
                             what=what, ref=ref), pos, HELP + "menu-action/")
        return "hangup"

    # -- tasks ------------------------------------------------------------------------------

    def task(self, ref: str, after: str) -> str:
        """The task's first node, as a symbol (importers.aliases): the task is built later,
        so that tasks jumping to tasks are followed by a loop, however long the chain; a task
        that jumps to itself before any action ends the call (the symbol resolves to itself)."""
        fields = self.tasks[ref]
        key = ("task", id(fields), after)
        if key in self.built:
            return self.built[key]
        symbol = self.built[key] = Aliases.symbol("task", ref, after)
        self.tasks_built.add(id(fields))
        self.pending.append(lambda: self.aliases.set(symbol, self.actions(
            fields.get("actions") or [], after, f"/{self.kind}/tasks/task[{ref}]",
            end_of_task=after == "hangup")))
        return symbol

    def follow(self) -> None:
        """Build every menu and task named so far, and those they name, until none is left."""
        while self.pending:
            self.pending.pop()()

    def actions(self, listed, after: str, path: str, end_of_task: bool = False) -> str:
        """The node the first of ``listed`` actions is; the last goes on to ``after``."""
        items = [(_single(item), listed.item_pos[i] if hasattr(listed, "item_pos") else (1, 1))
                 for i, item in enumerate(listed)]
        if end_of_task and after == "hangup" and items:
            last = items[-1][0][0]
            if last not in ("disconnect", "jumpToMenu", "jumpToTask", "transferToAcd",
                            "transferToFlow", "transferToNumber", "transferToUser",
                            "transferToGroup", "transferToVoicemail", "transferToFlowSecure"):
                self.flow.assume(msg(N_("the task can end without disconnecting or "
                                        "transferring: the call is taken to be disconnected "
                                        "there")), items[-1][1],
                                 HELP + "task-editor/")
        for (what, fields), pos in reversed(items):
            if what is None:
                continue
            after = self.action(what, fields, pos, after, f"{path}/actions/{what}"
                                f"[{fields.get('name', '')}]")
        return after

    def action(self, what: str, fields: PosDict, pos, after: str, path: str) -> str:
        self._check(what, ACTIONS, pos, "action")
        name = str(fields.get("name") or what)
        if what in ("playAudio", "holdMusic", "playEstimatedWaitTime"):
            node = self._alloc(name_part(name))
            self.built[("action", id(fields), after)] = node
            if what == "playEstimatedWaitTime":
                audio = Audio([("unknown", "the estimated wait time")])
            else:
                audio = read_audio(fields.get("audio") or fields.get("prompt"))
            barge = audio.barge_in
            if what == "holdMusic":
                barge = _lit(fields.get("bargeInEnabled"))
                if barge is None:
                    barge = False
                    self.flow.assume(msg(N_("hold music cannot be interrupted unless "
                                            "bargeInEnabled is set (Architect's default for "
                                            "hold music)")), pos,
                                     HELP + "about-barge-in-options/", node)
            prompt = self.prompt(audio, pos, node)
            return self._add(node, pos, {"type": "message", **prompt.fields,
                                         "barge_in": True if barge is None else bool(barge),
                                         "next": after}, path)
        if what == "disconnect":
            return "hangup"
        if what == "jumpToMenu":
            ref = _ref(fields.get("targetMenuRef") or fields.get("targetMenu"))
            if ref in self.menus:
                return self.menu(ref)
            return self._missing(msg(N_("menu")), ref, pos)
        if what == "jumpToTask":
            ref = _ref(fields.get("targetTaskRef") or fields.get("targetTask"))
            return self.task(ref, "hangup") if ref in self.tasks else \
                self._missing(msg(N_("task")), ref, pos)
        if what == "callTask":
            ref = _ref(fields.get("targetTaskRef") or fields.get("targetTask"))
            if ref in self.tasks:
                return self.task(ref, after)
            return self._missing(msg(N_("task")), ref, pos)
        if what == "collectInput":
            return self._collect(fields, pos, after, path)
        if what == "decision":
            return self._decision(fields, pos, after, path)
        if what == "switch":
            return self._switch(fields, pos, after, path)
        if what in ("evaluateScheduleGroup", "evaluateSchedule"):
            return self._schedule(fields, pos, after, path)
        if what in ("callData", "dataTableLookup", "callBridge"):
            return self._data(fields, pos, after, path)
        if what == "loop":
            return self._loop(fields, pos, after, path)
        if what.startswith("transferTo"):
            return self.transfer(what.removeprefix("transferTo"), fields, path, after)
        if what not in ACTIONS:
            self.flow.assume(msg(N_("action '{what}' is not one ivraudit knows; the call is "
                                    "taken to pass through it"),
                                 what=what), pos, "https://developer.genesys.cloud/devapps/archy/")
        return after

    def outputs(self, fields: PosDict, name: str, after: str, path: str) -> str:
        outputs = fields.get("outputs") if isinstance(fields.get("outputs"), PosDict) else {}
        output = outputs.get(name) if isinstance(outputs, dict) else None
        actions = output.get("actions") if isinstance(output, dict) else None
        return self.actions(actions, after, f"{path}/outputs/{name}") if actions else after

    def _branch(self, node_hint: str, pos, cases: list, otherwise: str, path: str) -> str:
        node = self._alloc(name_part(node_hint))
        fields = {"type": "branch", "cases": cases, "else": otherwise} if cases else \
            {"type": "branch", "else": otherwise}
        return self._add(node, pos, fields, path)

    def _decision(self, fields, pos, after, path):
        name = str(fields.get("name") or "decision")
        yes, no = self.outputs(fields, "yes", after, path), self.outputs(fields, "no", after, path)
        literal = _lit(fields.get("condition"))
        if isinstance(literal, bool):
            return yes if literal else no
        condition = self.decisions.condition(f"decision_{name}", False, f"decision_{name}")
        self.flow.assume(msg(N_("decision '{name}' is decided at run time: `default` takes its "
                                "`no` output, scenario {condition} its `yes`"),
                             name=name, condition=condition), pos,
                         HELP + "decision-action/")
        return self._branch(name, pos, [{"when": [condition], "goto": yes}], no, path)

    def _switch(self, fields, pos, after, path):
        name = str(fields.get("name") or "switch")
        evaluate = fields.get("evaluate") if isinstance(fields.get("evaluate"), dict) else {}
        first = evaluate.get("firstTrue") if isinstance(evaluate.get("firstTrue"), dict) else {}
        cases = []
        for index, item in enumerate(first.get("cases") or []):
            case = item.get("case") if isinstance(item, dict) else None
            if not isinstance(case, dict):
                continue
            actions = case.get("actions")
            target = self.actions(actions, after, f"{path}/case[{index}]") if actions else after
            condition = self.decisions.condition(f"{name}_case_{index + 1}", False,
                                                 f"{name}_case_{index + 1}")
            cases.append({"when": [condition], "goto": target})
        default = first.get("default") if isinstance(first.get("default"), dict) else {}
        otherwise = self.actions(default.get("actions"), after, f"{path}/default") \
            if default.get("actions") else after
        return self._branch(name, pos, cases, otherwise, path)

    def _schedule(self, fields, pos, after, path):
        name = name_part(str(fields.get("name") or "schedule"))
        targets = {k: self.outputs(fields, k, after, path)
                   for k in ("emergency", "holiday", "open", "closed")}
        cases = [{"when": [self.decisions.condition(f"{name}_emergency", False, "emergency")],
                  "goto": targets["emergency"]},
                 {"when": [self.decisions.condition(f"{name}_holiday", False, "holiday")],
                  "goto": targets["holiday"]},
                 {"when": [self.decisions.condition(f"{name}_open", True, "closed")],
                  "goto": targets["open"]}]
        return self._branch(name, pos, cases, targets["closed"], path)

    def _data(self, fields, pos, after, path):
        name = name_part(str(fields.get("name") or "data"))
        success = self.outputs(fields, "success", after, path)
        failure = self.outputs(fields, "failure", after, path)
        if success == failure:
            return success
        condition = self.decisions.condition(f"{name}_ok", True, f"{name}_fails")
        return self._branch(name, pos, [{"when": [condition], "goto": success}], failure, path)

    def _loop(self, fields, pos, after, path):
        count = _lit(fields.get("loopCount"))
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 20:
            self.flow.assume(msg(N_("the loop's count ({count}) is taken as 1 turn"),
                                 count=count), pos,
                             HELP + "loop-action/")
            count = 1
        start = after
        for turn in range(count, 0, -1):
            start = self.outputs(fields, "loop", start, f"{path}[turn {turn}]")
        return start

    def _collect(self, fields, pos, after, path):
        name = str(fields.get("name") or "collect_input")
        node = self._alloc(name_part(name))
        self.built[("action", id(fields), after)] = node
        audio = read_audio(fields.get("inputAudio"))
        prompt = self.prompt(audio, pos, node)
        digits = fields.get("digits") if isinstance(fields.get("digits"), dict) else {}
        exact = _lit(digits.get("exact")) if "exact" in digits else digits.get("exact")
        low, high = _lit(digits.get("min")), _lit(digits.get("max"))
        count = exact if isinstance(exact, int) else None
        spec = count if count else {"min": low if isinstance(low, int) and low > 0 else 1,
                                    **({"max": high} if isinstance(high, int) and high > 0
                                       else {})}
        timeout = _seconds(fields.get("noEntryTimeout")) or self.input_timeout
        if timeout is None:
            timeout = 5.0
            self.assume_once("input timeout", msg(N_("no collect-input timeout is set: "
                                                     "Architect's default, 5 s")),
                                              pos, HELP + "calculating-timeout-behavior/", node)
        self.flow.assume(msg(N_("a failed input is taken to be asked again up to 3 times before "
                                "the `failure` output (the retry count is not in the file)")), pos,
                         HELP + "collect-input-action/", node)
        success = self.outputs(fields, "success", after, path)
        failure = self.outputs(fields, "failure", after, path)
        barge = audio.barge_in if audio.barge_in is not None else True
        return self._add(node, pos, {"type": "input", **prompt.fields, "barge_in": barge,
                                     "digits": spec, "next": success, "timeout": timeout,
                                     "max_failures": 3, "on_exhausted": failure}, path)

    def transfer(self, what: str, fields: PosDict, path: str, after: str = "hangup") -> str:
        what = what.removeprefix("TransferTo").removeprefix("Transfer")
        name = str(fields.get("name") or what)
        node = self._alloc(name_part(name))
        pos = fields.pos
        failed = self.outputs(fields, "failure", after, path) if "failureOutputs" not in fields \
            else self._failure_outputs(fields, after, path)
        if what in ("Acd", "User", "Group"):
            target = _lit(fields.get("targetQueue") or fields.get("targetUser")
                          or fields.get("targetGroup"))
            queue = target.get("name") if isinstance(target, dict) else target
            result = {"type": "human", **({"queue": str(queue)} if queue else {})}
            condition = self.decisions.condition("transfer_fails", False, "transfer_fails")
            result["overflow"] = {"when": [condition], "goto": failed}
        elif what == "Voicemail":
            result = {"type": "callback"}
        elif what in ("Flow", "FlowSecure"):
            target = _lit(fields.get("targetFlow") or fields.get("targetFlowInfo"))
            if isinstance(target, dict):
                target = target.get("name") or _lit(target.get("flow"))
                target = target.get("name") if isinstance(target, dict) else target
            flow_name = str(target or name)
            result = {"type": "transfer", "to": flow_name}
            self.flow.handoffs[node] = flow_name
        elif what in ("DialExtension", "DialName"):
            result = {"type": "transfer", "to": "an extension the caller dials"}
            self.flow.assume(msg(N_("dial by extension or name: the person reached depends on "
                                    "what the caller dials, so it counts as leaving the menu")),
                             pos,
                             HELP + "dial-extension-action/", node)
        else:  # Number, External
            written = _lit(fields.get("targetNumber") or fields.get("number"))
            number = str(written or "an outside number")
            self.flow.assume(msg(N_("the call put through to {number} is taken to be answered "
                                    "by a person"),
                                 number=number if written else msg(N_("an outside number"))),
                             pos, HELP + "transfer-to-number-action/", node)
            result = {"type": "transfer", "to": number, "person": True}
        pre = read_audio(fields.get("preTransferAudio"))
        words = [value for kind, value in pre.parts if kind == "tts"]
        if words and result["type"] in ("human", "transfer"):
            result["say"] = " ".join(words)
        return self._add(node, pos, result, path)

    def _failure_outputs(self, fields, after, path) -> str:
        outputs = fields.get("failureOutputs")
        if isinstance(outputs, dict):
            for output in outputs.values():
                actions = output.get("actions") if isinstance(output, dict) else None
                if actions:
                    return self.actions(actions, after, f"{path}/failureOutputs")
        return after

    def _check(self, what: str, known, pos, kind: str) -> None:
        if what in known:
            return
        close = get_close_matches(what, known, n=1, cutoff=0.85)
        if close:
            raise MenuError(self.path, *pos, f"unknown {kind} '{what}' (did you mean "
                            f"'{close[0]}'?)", f"correct the {kind}'s name")
        if kind == "menu choice":
            self.flow.assume(msg(N_("menu choice '{what}' is not one ivraudit knows; it is "
                                    "taken to leave the menu"),
                                 what=what), pos, "https://developer.genesys.cloud/devapps/archy/")


def _ref(value) -> str:
    text = str(_lit(value) if isinstance(value, dict) else value or "")
    found = _REF.search(text)
    return found.group(2) if found else text


def _terms(value) -> list[str]:
    terms = []
    if isinstance(value, dict):
        for language in value.values():
            listed = language.get("terms") if isinstance(language, dict) else language
            if isinstance(listed, list):
                terms += [str(t) for t in listed if str(t).strip()]
    return terms


def _near(word, choices) -> str:
    match = get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
