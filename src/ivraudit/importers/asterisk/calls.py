"""A call through the dialplan, priority by priority, as menu nodes.

- `Background(files)`: a message the caller may interrupt (docs: BackGround); directly before
  `WaitExten()` (or last in its extension) it is the menu's prompt. `Playback()`, `SayDigits()`
  and the like: a forced message (docs: Playback is not interruptible); `Wait(n)`: n forced
  seconds of silence.
- `WaitExten([s])`: a `menu` node; its options are the context's dialable extensions (those
  of included contexts too; a pattern stands as its first match), `i` answers a wrong key and
  `t` silence, each missing one ends the call (docs: TIMEOUT). The wait is the argument, else
  `TIMEOUT(response)`, default 10 s. No limit on retries (`max_failures: unlimited`).
- `Goto`, `GotoIf` (decided when its condition reads only known values: a counter set with
  `Set()` is followed, so a retry loop with a counter unrolls into its visits), `Gosub` and
  `Macro` (followed, and back with `Return`), `GotoIfTime` (a run-time condition).
- `Dial()`: a transfer to a person; `Queue()`: a person in a queue; when they go on after no
  answer, that is an `overflow` (SPEC 9.6) on a condition named after them. `VoiceMail()`: a
  callback. `Hangup()` and running out of priorities (autofallthrough): the call ends.
- `Read()`: an `input` node. Other applications pass (listed as assumptions).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from ..aliases import Aliases
from ..announce import unrouted
from ..base import ImportedFlow, mapping
from ..expr import UNKNOWN, evaluate
from ..numbers import decimal, whole
from ..speech import Speech, guessed_message, name_words, number
from . import NAME, TITLE
from .dialplan import Context, Extension, Step, pattern_regex, shortest_match
from ...i18n import N_, Message, msg

# the dialplan's documentation, for what an assumption rests on; TIMEOUT's own page for the
# timeouts it sets
DOCS = "https://docs.asterisk.org/Configuration/Dialplan/"
TIMEOUT_DOCS = "https://docs.asterisk.org/Latest_API/API_Documentation/Dialplan_Functions/TIMEOUT/"
BACKGROUND = ("https://docs.asterisk.org/Asterisk_20_Documentation/API_Documentation/"
              "Dialplan_Applications/BackGround/")
DEFAULT_RESPONSE = 10  # TIMEOUT(response), seconds
QUIET = ("answer", "noop", "verbose", "log", "ringing", "progress", "setvar", "set",
         "setlanguage", "setcallerid", "resetcdr", "nocdr", "execif", "macroexit")
FORCED_PLAYS = ("playback", "saydigits", "saynumber", "sayalpha", "sayphonetic",
                "sayunixtime", "saycountedadj", "saycountednoun", "playtones")
_VAR = re.compile(r"\$\{([A-Za-z_][\w()]*)(?::(-?[0-9]{1,6})(?::([0-9]{1,6}))?)?\}")
_MAX_STATES = 12  # visits of one priority with different known values: a counter's bound
_MAX_STACK = 6


class Line:
    """One IVR context and everything its calls reach, as one flow."""

    def __init__(self, source, options, contexts: dict[str, Context], start: str,
                 missing: list) -> None:
        self.source, self.options, self.contexts = source, options, contexts
        self.start = start
        self.flow = ImportedFlow(source.path, start, NAME, TITLE, pos=contexts[start].pos)
        self.aliases = Aliases()
        self.memo: dict = {}
        self.pending: list = []  # priorities named but not compiled yet (Line.follow)
        self.states: dict = {}
        self.entered: set[str] = set()
        self.conditions: list[str] = []
        self.tracked = self.tracked_variables()
        self.missing = missing
        self.assumed: set = set()

    # -- the flow --------------------------------------------------------------------------

    def build(self) -> set[str]:
        """Compile the line; the contexts it entered."""
        context = self.contexts[self.start]
        flow = self.flow
        flow.set("ivr", self.start, context.pos)
        entry = self.entry_extension(context)
        flow.set("entry", self.at(self.start, entry.name, 0, (), ()), context.pos)
        self.follow()
        for name, pos, path in self.missing:
            self.assume(msg(N_("#include {name} is not among the inputs: its contexts are not "
                               "known"), name=name),
                        pos, path=path)
        if self.conditions:
            scenarios = {"default": []}
            for condition in self.conditions:
                scenarios[_scenario_name(condition, scenarios)] = [condition]
            flow.set("scenarios", scenarios, context.pos)
        self.aliases.apply(flow)
        self.entry_is_node()
        return self.entered

    def entry_is_node(self) -> None:
        """An entry that is a reserved word (the call ends at once) gets a node of its own."""
        if self.flow.header["entry"] in ("hangup", "restart"):
            node = self.flow.add(self.flow.new_id(self.start), self.flow.pos,
                                 {"type": "hangup"}, note=self.flow.location(self.flow.pos))
            self.flow.set("entry", node, self.flow.pos)

    def entry_extension(self, context: Context) -> Extension:
        extensions = context.extensions
        if "s" in extensions:
            return extensions["s"]
        for extension in extensions.values():
            if any(step.app in ("background", "waitexten") for step in extension.steps) \
                    and not extension.dialable or extension.name not in ("i", "t"):
                if any(step.app in ("background", "waitexten") for step in extension.steps):
                    return extension
        return next(iter(extensions.values()))

    def tracked_variables(self) -> set[str]:
        """Variables a condition or a jump reads: only their values are followed."""
        found = set()
        for context in self.contexts.values():
            for extension in context.extensions.values():
                for step in extension.steps:
                    if step.app in ("gotoif", "gotoiftime", "goto", "execif"):
                        found |= {m.group(1) for m in _VAR.finditer(step.text)}
        return found | {"TIMEOUT(response)", "TIMEOUT(digit)"}

    def assume(self, message: Message, pos, node: str | None = None, source: str = DOCS,
               path: str | None = None) -> None:
        from ...format.model import Assumption, SourcePos

        key = (message, pos, path)
        if key in self.assumed:
            return
        self.assumed.add(key)
        self.flow.assumptions.append(Assumption(message, SourcePos(path or self.source.path,
                                                                   *pos), source, node))

    def add(self, node_id: str, step: Step, fields: dict) -> str:
        if step.path != self.source.path:
            self.flow.node_files[node_id] = step.path
        return self.flow.add(node_id, step.pos, fields,
                             note=f"{Path(step.path).name}:{step.pos[0]}, {step.text[:60]}")

    # -- finding extensions ------------------------------------------------------------

    def extension(self, context: str, name: str, priority: str | None = None
                  ) -> tuple[str, Extension] | None:
        """(context, extension) that ``name`` runs in ``context``: exact names first, then
        patterns, included contexts after the context's own; with ``priority``, the first
        that has it (Asterisk looks a label up that way)."""
        candidates = list(self.candidates(context, name))
        if priority is not None:
            having = [c for c in candidates if c[1].index(priority) is not None]
            candidates = having or candidates
        return candidates[0] if candidates else None

    def searched(self, context: str) -> list[str]:
        """The contexts a dial in ``context`` searches, in Asterisk's order: the context, then
        each `include` in turn with what it includes (depth first, each context once; a loop
        rather than recursion, so that a chain of thousands of includes is read too)."""
        found, stack, seen = [], [context], set()
        while stack:
            current = stack.pop()
            if current in seen or current not in self.contexts:
                continue
            seen.add(current)
            found.append(current)
            stack += reversed([i.split(",")[0].strip() for i in self.contexts[current].includes])
        return found

    def candidates(self, context: str, name: str):
        for searched in self.searched(context):
            own = self.contexts[searched]
            if name in own.extensions:
                yield searched, own.extensions[name]
            for extension in own.extensions.values():
                pattern = pattern_regex(extension.name)
                if pattern is not None and pattern.match(name):
                    yield searched, extension

    def dialable(self, context: str) -> list[Extension]:
        found: dict[str, Extension] = {}
        for searched in self.searched(context):
            for extension in self.contexts[searched].extensions.values():
                if extension.dialable:
                    found.setdefault(extension.name, extension)
        return list(found.values())

    # -- following the call --------------------------------------------------------------

    def at(self, context: str, exten: str, index: int, state: tuple, stack: tuple,
           found: tuple[str, Extension] | None = None) -> str:
        """Where the call goes at priority ``index`` of ``exten`` in ``context`` (run by
        ``found``, the (context, extension) it was resolved to), with the known variable values
        ``state`` and the `Gosub` return points ``stack``."""
        found = found or self.extension(context, exten)
        if found is None:
            return "hangup"
        owner, extension = found
        self.entered.add(owner)
        place = (context, exten, owner, extension.name, index)
        states = self.states.setdefault(place, [])
        if state not in states:
            if len(states) >= _MAX_STATES:  # stop following the values: a bound on the walk
                state = ()
            else:
                states.append(state)
        key = (context, exten, owner, extension.name, index, state, stack)
        if key in self.memo:
            return self.memo[key]
        symbol = Aliases.symbol(*key)
        self.memo[key] = symbol
        self.pending.append((symbol, context, exten, found, index, state, stack))
        return symbol

    def follow(self) -> None:
        """Compile every priority ``at`` named, until none is left: a loop, not recursion,
        so that a call path of thousands of priorities is followed too."""
        while self.pending:
            symbol, context, exten, found, index, state, stack = self.pending.pop()
            if index >= len(found[1].steps):
                target = self.returned(stack, state) if stack else "hangup"
            else:
                target = self.step(context, exten, found, index, dict(state), stack)
            self.aliases.set(symbol, target)

    def returned(self, stack: tuple, state: tuple) -> str:
        context, exten, index, found = stack[-1]
        return self.at(context, exten, index, state, stack[:-1], found)

    def next(self, context, exten, found, index, values, stack) -> str:
        return self.at(context, exten, index + 1, _frozen(values, self.tracked), stack, found)

    def node_id(self, context: str, exten: str, step: Step) -> str:
        return self.flow.new_id(f"{context}.{exten}.{step.label or step.priority}")

    def step(self, context, exten, found, index, values, stack) -> str:
        extension = found[1]
        step = extension.steps[index]
        app, args = step.app, [self.substitute(a, values, exten) for a in step.args]
        later = lambda: self.next(context, exten, found, index, values, stack)  # noqa: E731
        if app in ("set", "setvar", "setglobalvar"):
            self.set_variable(args, values)
            return later()
        if app == "wait":
            seconds = _number(args[0] if args else "")
            if not seconds:
                return later()
            node = self.node_id(context, exten, step)
            return self.add(node, step, {"type": "message", "say": "", "duration":
                                         number(seconds), "barge_in": False, "next": later()})
        if app in QUIET:
            return later()
        if app == "background" and self.menu_follows(extension, index):
            return self.menu(context, exten, extension, index, values, stack)
        if app == "waitexten":
            return self.menu(context, exten, extension, index, values, stack)
        if app == "background" or app in FORCED_PLAYS:
            return self.play(step, context, exten, args, app == "background", later())
        if app in ("goto", "gotoif", "gotoiftime"):
            return self.jump(step, context, exten, extension, args, values, stack, later)
        if app in ("gosub", "macro"):
            return self.call(step, context, exten, found, index, args, values, stack)
        if app in ("return", "macroreturn", "stackpop"):
            return self.returned(stack, _frozen(values, self.tracked)) if stack else "hangup"
        if app in ("hangup", "congestion", "busy"):
            return "hangup"
        if app in ("dial", "queue"):
            return self.person(step, context, exten, app, args, later)
        if app in ("voicemail",):
            return self.add(self.node_id(context, exten, step), step, {"type": "callback"})
        if app in ("directory", "voicemailmain", "meetme", "confbridge", "page"):
            node = self.node_id(context, exten, step)
            person = app == "directory"
            self.assume(msg(N_("{app}() takes the call out of the menu: the directory is taken "
                               "to connect the caller to the person named"), app=step.app)
                        if person else
                        msg(N_("{app}() takes the call out of the menu"), app=step.app),
                        step.pos, node, path=step.path)
            return self.add(node, step, {"type": "transfer", "to": step.text,
                                         "person": person})
        if app == "read":
            return self.read(step, context, exten, args, later())
        self.assume(msg(N_("the application {app}() is not modelled: the call is taken to go on "
                           "to the next priority"), app=step.app), step.pos, path=step.path)
        return later()

    def substitute(self, text: str, values: dict, exten: str) -> str:
        """`${VAR}` replaced by its known value (`${EXTEN}` is the extension dialed)."""
        def value(match):
            name = match.group(1)
            known = exten if name == "EXTEN" else values.get(name)
            if known is None:
                return match.group(0)
            known = str(known)
            if match.group(2) is not None:
                start = int(match.group(2))
                known = known[start:start + int(match.group(3))] if match.group(3) \
                    else known[start:]
            return known
        return _VAR.sub(value, text)

    def set_variable(self, args: list[str], values: dict) -> None:
        for assignment in args:
            name, _, value = assignment.partition("=")
            name = name.strip()
            if name.upper().startswith("TIMEOUT("):
                name = "TIMEOUT(" + name[8:].strip(")").lower() + ")"
            result = _value(value.strip())
            if result is UNKNOWN:
                values.pop(name, None)
            else:
                values[name] = result

    # -- menus ---------------------------------------------------------------------------

    @staticmethod
    def menu_follows(extension: Extension, index: int) -> bool:
        """A Background() that is the menu's prompt: WaitExten() next, or nothing after it."""
        rest = extension.steps[index + 1:]
        return not rest or rest[0].app == "waitexten"

    def menu(self, context, exten, extension: Extension, index, values, stack) -> str:
        step = extension.steps[index]
        node = self.node_id(context, exten, step)
        self.flow.nodes[node] = None  # reserved: options may come back here
        wait = step if step.app == "waitexten" else None
        prompt = Speech()
        if step.app == "background":
            args = [self.substitute(a, values, exten) for a in step.args]
            self.sounds(args[0] if args else "", prompt)
            if index + 1 < len(extension.steps):
                wait = extension.steps[index + 1]
        state = _frozen(values, self.tracked)
        options = []
        for option in self.dialable(context):
            key = option.name if not option.name.startswith("_") else shortest_match(option.name)
            if key is None:
                continue
            if option.name.startswith("_"):
                self.assume(msg(N_("the pattern {name} stands as its first match, {key}"),
                                name=option.name, key=key),
                            option.pos, node, path=option.steps[0].path)
            options.append((key, option))
        keys = [key for key, _ in options]
        intro, announced, outro = prompt.split(keys)
        for key in prompt.named_keys():
            if key not in keys:
                self.assume(unrouted(key), step.pos, node, BACKGROUND, path=step.path)
        fields: dict = {"type": "menu"}
        if intro:
            fields.update(intro.segment())
        written = []
        for key, option in options:
            entry = {"key": key}
            if key in announced:
                entry.update(announced[key].segment())
            entry["goto"] = self.at(context, key, 0, state, stack, self.extension(context, key))
            written.append(mapping(option.pos, entry))
        if not written:
            written.append(mapping(step.pos, {"key": "#", "goto": "hangup"}))
            self.assume(msg(N_("the menu's context has no extension a caller can dial: the key "
                               "# stands in, and ends the call")), step.pos, node, path=step.path)
        fields["options"] = written
        if outro:
            fields["outro"] = outro.segment()
        fields["timeout"] = self.wait_seconds(wait, values, step, node)
        fields["max_failures"] = "unlimited"
        for special, key in (("i", "on_invalid"), ("t", "on_timeout")):
            handler = self.extension(context, special)
            fields[key] = self.at(context, special, 0, state, stack) if handler else "hangup"
            if handler is None:
                what = msg(N_("wrong key")) if special == "i" else msg(N_("silence"))
                self.assume(msg(N_("no '{special}' extension: after a {what} Asterisk ends the "
                                   "call"), special=special, what=what),
                            step.pos, node, path=step.path)
        if prompt.guessed:
            self.assume(guessed_message(prompt.guessed), step.pos, node,
                        "docs/importers.md#prompt-lengths", path=step.path)
        return self.add(node, step, fields)

    def wait_seconds(self, wait: Step | None, values: dict, step: Step, node: str):
        if wait is not None and wait.args and _number(wait.args[0]) is not None:
            return number(_number(wait.args[0]))
        if wait is None:
            self.assume(msg(N_("Background() with no WaitExten() after it: the caller is taken "
                               "to have TIMEOUT(response) to dial, as after WaitExten()")),
                        step.pos, node,
                        BACKGROUND, path=step.path)
        if "TIMEOUT(response)" in values and _number(str(values["TIMEOUT(response)"])):
            return number(_number(str(values["TIMEOUT(response)"])))
        self.assume(msg(N_("WaitExten() without seconds waits TIMEOUT(response), "
                           "{default_response} s by default"),
                        default_response=DEFAULT_RESPONSE), step.pos, node, TIMEOUT_DOCS,
                    path=step.path)
        return DEFAULT_RESPONSE

    # -- the other applications ----------------------------------------------------------

    def sounds(self, files: str, speech: Speech) -> Speech:
        for name in files.split("&"):
            name = name.strip()
            if name:
                speech.recording(name, name_words(name), self.source.folder,
                                 self.options.prompts)
        return speech

    def play(self, step: Step, context, exten, args, interruptible: bool, then: str) -> str:
        node = self.node_id(context, exten, step)
        speech = Speech()
        if step.app.startswith("say"):
            speech.say("{" + (args[0] if args else "") + "}")
        else:
            self.sounds(args[0] if args else "", speech)
        fields = {"type": "message", **speech.segment(), "next": then}
        if not interruptible:
            fields["barge_in"] = False
        if speech.guessed:
            self.assume(guessed_message(speech.guessed), step.pos, node,
                        "docs/importers.md#prompt-lengths", path=step.path)
        return self.add(node, step, fields)

    def jump(self, step, context, exten, extension, args, values, stack, later) -> str:
        state = _frozen(values, self.tracked)
        if step.app == "goto":
            return self.goto(step, context, exten, extension, ",".join(args), state, stack)
        condition, _, targets = ",".join(args).partition("?")
        yes, _, no = targets.partition(":")
        if step.app == "gotoiftime":
            holds = UNKNOWN
        else:
            holds = evaluate(_expression(condition), {})
        def go(target: str) -> str:
            if not target.strip():
                return later()
            return self.goto(step, context, exten, extension, target, state, stack)
        if holds is not UNKNOWN:
            return go(yes) if holds else go(no)
        name = f"{'time ' if step.app == 'gotoiftime' else ''}{condition.strip()}"
        if name not in self.conditions:
            self.conditions.append(name)
            self.assume(msg(N_("`{name}` is decided at run time: a condition, with a scenario "
                               "in which it holds"), name=name), step.pos, path=step.path,
                        source="docs/importers.md#asterisk")
        node = self.node_id(context, exten, step)
        return self.add(node, step, {"type": "branch", "cases": [
            {"when": [name], "goto": go(yes)}], "else": go(no)})

    def goto(self, step, context, exten, extension, target: str, state, stack) -> str:
        parts = [part.strip() for part in target.split(",")]
        if len(parts) == 1:
            ctx, ext, priority = context, exten, parts[0]
        elif len(parts) == 2:
            ctx, ext, priority = context, parts[0], parts[1]
        else:
            ctx, ext, priority = parts[0], parts[1], parts[2]
        if "${" in ctx + ext + priority:
            node = self.node_id(context, exten, step)
            self.assume(msg(N_("{step} is computed at run time: the call is taken to leave the "
                               "audited menu there"),
                            step=step.text), step.pos, node, path=step.path)
            return self.add(node, step, {"type": "transfer", "to": f"{ctx},{ext},{priority}"})
        found = self.extension(ctx, ext, priority)
        if found is None:
            self.assume(msg(N_("{step}: no extension '{ext}' in '{ctx}': the call is taken to "
                               "end"),
                            step=step.text, ext=ext, ctx=ctx), step.pos, path=step.path)
            return "hangup"
        index = found[1].index(priority)
        if index is None and len(parts) == 1:  # a label of another extension (lenient)
            owners = [e for e in self.contexts[found[0]].extensions.values()
                      if e.index(priority) is not None]
            if len(owners) == 1:
                self.assume(msg(N_("{step}: the label '{priority}' is not in extension "
                                   "'{exten}'; read as the one in '{name}'"),
                                step=step.text, priority=priority, exten=exten,
                                name=owners[0].name),
                            step.pos, path=step.path)
                ext, index = owners[0].name, owners[0].index(priority)
                found = (found[0], owners[0])
        if index is None:
            self.assume(msg(N_("{step}: no priority '{priority}' there: the call is taken to "
                               "end"),
                            step=step.text, priority=priority), step.pos, path=step.path)
            return "hangup"
        if found[1].name != ext and not found[1].name.startswith("_"):
            found = self.extension(ctx, ext, priority)
        return self.at(ctx, ext, index, state, stack, found)

    def call(self, step, context, exten, here, index, args, values, stack) -> str:
        if len(stack) >= _MAX_STACK:
            return "hangup"
        state = _frozen(values, self.tracked)
        back = stack + ((context, exten, index + 1, here),)
        if step.app == "macro":
            target = f"macro-{args[0]},s,1" if args else ""
        else:
            target = re.sub(r"\(.*\)$", "", ",".join(args))
        parts = [p.strip() for p in target.split(",")]
        if step.app == "gosub" and len(parts) == 1:
            parts = [exten, parts[0]]
        if len(parts) == 2:
            parts = [context] + parts
        ctx, ext, priority = parts if len(parts) == 3 else (context, exten, "1")
        found = self.extension(ctx, ext, priority)
        index_ = found[1].index(priority) if found else None
        if index_ is None:
            self.assume(msg(N_("{step}: the subroutine is not found; the call is taken to go "
                               "on after it"), step=step.text), step.pos, path=step.path)
            return self.at(context, exten, index + 1, state, stack, here)
        return self.at(ctx, ext, index_, state, back, found)

    def person(self, step, context, exten, app, args, later) -> str:
        node = self.node_id(context, exten, step)
        if app == "dial":
            fields = {"type": "transfer", "to": args[0] if args else "?", "person": True}
            name = f"Dial({args[0] if args else ''}) unanswered"
        else:
            queue = args[0] if args else "queue"
            fields = {"type": "human", "queue": queue}
            name = f"Queue({queue}) timed out"
        self.flow.nodes[node] = None  # reserved before what follows is built
        if name not in self.conditions:
            self.conditions.append(name)
        fields["overflow"] = {"when": [name], "goto": later()}
        self.assume(msg(N_("when {app} ends without a person, the dialplan goes on: an "
                           "overflow on the condition '{name}'"),
                        app=name.split(" ")[0], name=name), step.pos, node, path=step.path)
        return self.add(node, step, fields)

    def read(self, step, context, exten, args, then: str) -> str:
        node = self.node_id(context, exten, step)
        speech = self.sounds(args[1] if len(args) > 1 else "", Speech())
        most = whole(args[2]) if len(args) > 2 else None
        digits = min(most, 255) if most is not None and most > 0 else 16  # Read()'s maximum
        fields = {"type": "input", **speech.segment(), "digits": {"min": 1, "max": digits},
                  "terminator": "#", "next": then, "max_failures": "unlimited",
                  "on_timeout": then, "on_invalid": then}
        seconds = _number(args[5]) if len(args) > 5 else None
        if seconds:
            fields["timeout"] = number(seconds)
        asks = re.sub(r"[^\w]", "", args[0]) if args else ""
        if asks:
            fields["asks"] = asks
        return self.add(node, step, fields)


def no_menu(source, missing) -> ImportedFlow:
    """A dialplan with no IVR context says so, as an assumption at its first line."""
    flow = ImportedFlow(source.path, Path(source.path).name, NAME, TITLE)
    flow.set("ivr", Path(source.path).name)
    node = flow.add("dialplan", (1, 1), {"type": "transfer", "to": "the dialplan"},
                    note=flow.location((1, 1)))
    flow.set("entry", node)
    flow.assume(msg(N_("the dialplan has no context that plays Background() or waits with "
                       "WaitExten(): there is no IVR menu to audit")), (1, 1), DOCS, node)
    for name, pos, path in missing:
        flow.assume(msg(N_("#include {name} is not among the inputs: its contexts are not known"),
                        name=name),
                    pos, DOCS)
    return flow


def _frozen(values: dict, tracked: set) -> tuple:
    return tuple(sorted((k, v) for k, v in values.items() if k in tracked and v is not UNKNOWN))


def _number(text: str) -> Fraction | None:
    value = decimal(text)
    return value if value is not None and value >= 0 else None


def _value(text: str):
    """A value `Set()` gives: a literal, or `$[...]` over known values."""
    if "${" in text:
        return UNKNOWN
    if text.startswith("$[") and text.endswith("]"):
        return evaluate(text[2:-1], {})
    number_ = _number(text)
    if number_ is not None and number_.denominator == 1:
        return int(number_)
    return text.strip('"')


def _expression(condition: str) -> str:
    """A GotoIf condition as an expression (`$[...]` unwrapped); unknown values stay
    `${...}`, which the evaluator cannot read."""
    text = condition.strip()
    if text.startswith("$[") and text.endswith("]"):
        text = text[2:-1]
    return text if "${" not in text else "${unknown}"


def _scenario_name(condition: str, taken: dict) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", condition).strip("_")[:60] or "condition"
    while name in taken:
        name += "_"
    return name
