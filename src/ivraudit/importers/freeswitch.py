"""FreeSWITCH `ivr.conf` menus (mod_dptools IVR menus, src/switch_ivr_menu.c) -> menus.

Every `<menu>` of the file is a `menu` node; a menu no other menu opens with `menu-sub` starts
a line (one flow each). `greet-long` is the prompt on entry; `greet-short` the one played again
after a failure (taken as the options and outro: `reprompt`); `invalid-sound` plays on a wrong
key. `max-failures` and `max-timeouts` are separate counts (escalation lists, SPEC 9.1): the
n-th wrong key or silence leaves the menu with `exit-sound`, back to the dialplan, taken as the
end of the call. Entries: `menu-sub` (a submenu), `menu-top` (the line's first menu),
`menu-back` (the menu that opened this one), `menu-exit`, `menu-play-sound`, `menu-exec-app`
with transfer, bridge, voicemail, callcenter, fifo, playback and hangup. Prompt text comes
from the phrase macros (`phrase:NAME`) of phrase files given among the inputs, and from sound
file names (the FreeSWITCH sound library names files after their words). docs/importers.md
has the table and the defaults with their sources.
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from fractions import Fraction
from pathlib import Path

from ..errors import MenuError
from ..format.model import Assumption, SourcePos
from .announce import unrouted
from .base import ImportedFlow, mapping
from .numbers import whole
from .source import Source
from .speech import Speech, guessed_message, name_words, number
from .xml import XmlElement
from ..i18n import N_, Joined, Message, msg

NAME = "freeswitch"
TITLE = "FreeSWITCH"
SUFFIXES = (".xml",)
# words its files hold whatever their shape: such a file that does not parse is a damaged
# flow, an error (importers.damaged_flow)
SIGNS = ("<menu ",)
CODE = ("https://github.com/signalwire/freeswitch/blob/master/src/switch_ivr_menu.c "
        "(max-failures 3, max-timeouts = max-failures, timeout 10000 ms)")
DOCS = ("https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Modules/"
        "mod-dptools/6586989")
DEFAULT_TIMEOUT_MS = 10000
DEFAULT_FAILURES = 3
MAX_TRIES = 100  # max-failures or max-timeouts above this: the menu never gives up
_MENU_FILE = re.compile(rb"<configuration[^>]*name\s*=\s*[\"']ivr\.conf|<menu\s[^>]*greet-|"
                        rb"<entry\s[^>]*action\s*=\s*[\"']menu-")
_PHRASE_FILE = re.compile(rb"<macro\s[^>]*name\s*=")
_APP = re.compile(r"^[A-Za-z_][\w-]*$")


def detect(source: Source) -> bool:
    """An ivr.conf, a fragment of `<menu>`s, or a file of phrase macros."""
    head = source.data[:65536]
    if b"<vxml" in head:
        return False
    return bool(_MENU_FILE.search(head) or (_PHRASE_FILE.search(head)
                                            and b"play-file" in head))


def helps(source: Source, options) -> bool:
    """A phrase file that a menu among the inputs uses, or a menu fragment that an ivr.conf
    among the inputs includes, is read through that file."""
    if not source.has_xml():
        return False
    found = options.across_inputs(NAME, _FreeswitchFiles)
    if _menus(source.xml) and not _include_elements(source.xml):
        return any(other is not source for other in found.included_by.get(source.path, ()))
    macros = {macro.get("name") for macro in source.xml.iter("macro")}
    return any(user is not source for name in macros for user in found.users.get(name, ()))


def read(source: Source, options) -> list[ImportedFlow]:
    root = source.xml
    if not (root.tag == "configuration" or _menus(root) or _include_elements(root)
            or any(True for _ in root.iter("macro"))):
        raise MenuError(source.path, *root.pos, "not a FreeSWITCH IVR file: no ivr.conf "
                        "configuration, no <menu> with greet-long or menu-* entries, and no "
                        "phrase macros", "give an ivr.conf (or a file of its <menu>s), or drop "
                        "--from freeswitch")
    menus: dict[str, XmlElement] = {}
    files: dict[str, str] = {}
    found = options.across_inputs(NAME, _FreeswitchFiles)
    for menu, path in [(m, source.path) for m in _menus(root)] + _included_menus(source, found):
        name = menu.get("name") or f"menu{len(menus) + 1}"
        menus.setdefault(name, menu)
        files.setdefault(name, path)
    if not menus:
        return [_no_menu(source, root)]
    opened = {(entry.get("param") or "").strip() for other, menu in menus.items()
              for entry in menu.findall("entry") if entry.get("action") == "menu-sub"
              and (entry.get("param") or "").strip() != other}  # submenus of another menu
    roots = [name for name in menus if name not in opened] or list(menus)
    return [_Line(source, options, menus, files, found, root_name).flow()
            for root_name in roots]


# -- files ---------------------------------------------------------------------------------

def _menus(root: XmlElement) -> list[XmlElement]:
    return [menu for menu in root.iter("menu") if menu.findall("entry")
            or any(key.startswith("greet") for key in menu.attrib)]


def _include_elements(root: XmlElement) -> list[XmlElement]:
    return [p for p in root.iter("X-PRE-PROCESS") if (p.get("cmd") or "") == "include"]


class _FreeswitchFiles:
    """What the FreeSWITCH files among the inputs are, looked for once per set of inputs
    (ImportOptions.across_inputs): ``menu_files`` (an ivr.conf, a fragment of menus; in the
    inputs' order), ``macros`` (phrase macro name -> (the macro, its file), the first one
    given; ``macro`` chooses among macros of the same name), ``users`` (phrase macro
    name -> the menu files that use it) and ``included_by`` (an input's path -> the menu files
    among the inputs whose includes name it)."""

    def __init__(self, inputs: dict[str, Source]) -> None:
        self.menu_files: list[Source] = []
        self.macros: dict[str, tuple[XmlElement, str]] = {}
        # name -> every macro of that name, in the inputs' order, where there are several
        self.namesakes: dict[str, list[tuple[XmlElement, str]]] = {}
        self._by_folder: dict[str, dict[tuple[str, ...], tuple[XmlElement, str]]] = {}
        for other in inputs.values():
            if not other.is_menu_file:
                self._add(other)
        self.users: dict[str, list[Source]] = {}
        for menu_file in self.menu_files:
            for name in _phrases_used(menu_file):
                self.users.setdefault(name, []).append(menu_file)
        # every input's path in parts, and by folder: an include's glob names files in a
        # folder it usually writes out, so that matching every include costs about one pass
        # (a glob with a wildcard in a folder, `../*/menus/*.xml`, is matched against all)
        self.split_paths = [(_parts(other.path), other) for other in inputs.values()]
        self.in_folder: dict[tuple[str, ...], list[int]] = {}
        for index, (parts, _) in enumerate(self.split_paths):
            self.in_folder.setdefault(tuple(parts[:-1]), []).append(index)
        self._included: dict[str, list[Source]] = {}
        self.included_by: dict[str, list[Source]] = {}
        for menu_file in self.menu_files:
            for other in self.included(menu_file):
                self.included_by.setdefault(other.path, []).append(menu_file)

    def _add(self, other: Source) -> None:
        """Count ``other`` in, if it is a FreeSWITCH file: a menu file, phrase macros."""
        try:  # an unreadable input is reported on its own
            if not (detect(other) and other.has_xml()):
                return
        except Exception:
            return
        if _menus(other.xml) or _include_elements(other.xml):
            self.menu_files.append(other)
        for macro in other.xml.iter("macro"):
            name = macro.get("name")
            first = self.macros.setdefault(name, (macro, other.path))
            if first[0] is not macro:
                self.namesakes.setdefault(name, [first]).append((macro, other.path))

    def macro(self, name: str, menu_file: str) -> tuple[XmlElement, str] | None:
        """The phrase macro ``name`` (with its file) as a menu written in ``menu_file`` sees
        it. Where the inputs hold several of that name (a fleet of sites, each with its own
        phrase files), the nearest to the menu's file: the one whose file shares the most
        leading folders with it, then of those the one fewest folders below them (a phrase
        file shared by the sites, beside them), then the first given. FreeSWITCH loads the
        phrase files its configuration names, which the inputs alone do not say."""
        if name not in self.namesakes:
            return self.macros.get(name)
        folder = tuple(_parts(menu_file)[:-1])
        nearest = self._namesakes_by_folder(name)
        for depth in range(len(folder), -1, -1):
            found = nearest.get(folder[:depth])
            if found is not None:
                return found
        return None  # never: every file is under the root

    def _namesakes_by_folder(self, name: str) -> dict[tuple[str, ...], tuple[XmlElement, str]]:
        """Folder (in parts) -> the macro ``name`` in it or below it that is fewest folders
        below it (the first given of those), made once per name: a menu's nearest macro is
        then found by the menu file's own folders, longest first, however many sites."""
        table = self._by_folder.get(name)
        if table is None:
            best: dict[tuple[str, ...], int] = {}
            table = self._by_folder[name] = {}
            for found in self.namesakes[name]:
                folder = tuple(_parts(found[1])[:-1])
                for depth in range(len(folder), -1, -1):
                    prefix = folder[:depth]
                    if len(folder) < best.get(prefix, len(folder) + 1):
                        best[prefix], table[prefix] = len(folder), found
        return table

    def included(self, source: Source) -> list[Source]:
        """The other inputs that ``source`` includes (`<X-PRE-PROCESS cmd="include"
        data="GLOB">`, the glob relative to ``source``), in the inputs' order. A glob is
        matched against the inputs' own paths, part by part as a shell matches it: the file
        system is never searched for what a file names."""
        found = self._included.get(source.path)
        if found is None:
            found = self._included[source.path] = self._matching(source)
        return found

    def _matching(self, source: Source) -> list[Source]:
        found = set()
        for process in _include_elements(source.xml):
            pattern = _parts(os.path.join(source.folder, process.get("data") or ""))
            folder = tuple(pattern[:-1])
            candidates = range(len(self.split_paths)) if any(map(_is_glob, folder)) \
                else self.in_folder.get(folder, ())
            for index in candidates:
                parts, other = self.split_paths[index]
                if other is not source and len(parts) == len(pattern) and all(
                        fnmatchcase(name, part) for name, part in zip(parts, pattern)):
                    found.add(index)
        return [self.split_paths[index][1] for index in sorted(found)]


def _parts(path: str | os.PathLike) -> list[str]:
    """A path made absolute and normal, in parts: how includes and inputs are compared."""
    return os.path.normpath(os.path.join(os.getcwd(), path)).split(os.sep)


def _is_glob(part: str) -> bool:
    return any(char in part for char in "*?[")


def _included_menus(source: Source, found: _FreeswitchFiles) -> list[tuple[XmlElement, str]]:
    menus = []
    for other in found.included(source):
        if other.has_xml():
            menus += [(menu, other.path) for menu in _menus(other.xml)]
    return menus


def _phrases_used(source: Source) -> set[str]:
    used = set()
    for menu in _menus(source.xml):
        for key in ("greet-long", "greet-short", "invalid-sound", "exit-sound"):
            value = (menu.get(key) or "").strip()
            if value.startswith("phrase:"):
                used.add(value[len("phrase:"):].split(":", 1)[0])
    return used


def _no_menu(source: Source, root: XmlElement) -> ImportedFlow:
    """A file with no menu (phrase macros only, or an include that names no input) says so."""
    flow = ImportedFlow(source.path, Path(source.path).name, NAME, TITLE, pos=root.pos)
    flow.set("ivr", Path(source.path).name, root.pos)
    node = flow.add("dialplan", root.pos, {"type": "transfer", "to": "the dialplan"},
                    note=flow.location(root.pos))
    flow.set("entry", node, root.pos)
    includes = [p.get("data") for p in _include_elements(root)]
    why = msg(N_("its include {includes} names no file among the inputs"),
              includes=Joined(tuple(f"'{i}'" for i in includes))) if includes else \
        msg(N_("it holds phrase macros only: give it with the ivr.conf menus that use them"))
    flow.assume(msg(N_("the file holds no IVR menu ({why}): nothing to audit"), why=why),
                root.pos, DOCS, node)
    return flow


# -- one line ------------------------------------------------------------------------------

class _Line:
    """The menus reachable from one root menu, as one flow."""

    def __init__(self, source, options, menus, files, found: _FreeswitchFiles,
                 root_name) -> None:
        self.source, self.options = source, options
        self.menus, self.files, self.found = menus, files, found
        self.root_name = root_name
        self.flow_ = ImportedFlow(source.path, root_name, NAME, TITLE,
                                  pos=menus[root_name].pos)
        self.ids: dict[str, str] = {}
        self.callers: dict[str, list[str]] = {}
        self.menu_file = source.path  # the menu being read may be in an included file

    def flow(self) -> ImportedFlow:
        flow = self.flow_
        flow.set("ivr", self.root_name, flow.pos)
        reachable = self.reachable()
        for name in reachable:
            self.ids[name] = flow.new_id(name)
            flow.nodes[self.ids[name]] = None  # reserved: ids follow the file
        for name in reachable:
            self.menu_file = self.files[name]
            self.menu(name, self.menus[name])
        flow.set("entry", self.ids[self.root_name], flow.pos)
        return flow

    def reachable(self) -> list[str]:
        found, queue = [self.root_name], [self.root_name]
        while queue:
            name = queue.pop(0)
            for entry in self.menus[name].findall("entry"):
                if entry.get("action") == "menu-sub":
                    target = (entry.get("param") or "").strip()
                    self.callers.setdefault(target, [])
                    if name not in self.callers[target] and name != target:
                        self.callers[target].append(name)
                    if target in self.menus and target not in found:
                        found.append(target)
                        queue.append(target)
        return found

    def assume(self, message: Message, pos, node: str | None = None, source: str = DOCS) -> None:
        where = SourcePos(self.menu_file, *pos)
        self.flow_.assumptions.append(Assumption(message, where, source,
                                                 node))

    def add(self, node_id: str, pos, fields: dict) -> str:
        if self.menu_file != self.source.path:
            self.flow_.node_files[node_id] = self.menu_file
        note = f"{Path(self.menu_file).name}:{pos[0]}"
        return self.flow_.add(node_id, pos, fields, note=note)

    # -- a menu --------------------------------------------------------------------------

    def menu(self, name: str, menu: XmlElement) -> None:
        node_id = self.ids[name]
        entries = [entry for entry in menu.findall("entry") if entry.get("digits")]
        options = []
        for entry in entries:
            key = self.key(entry, node_id)
            if key is not None:
                options.append((key, entry))
        long = self.sound(menu.get("greet-long"), menu, node_id)
        short = self.sound(menu.get("greet-short"), menu, node_id)
        intro, announced, outro = long.split([key for key, _ in options])
        for key in long.named_keys():
            if key not in {k for k, _ in options}:
                self.assume(unrouted(key), menu.pos, node_id)
        self.compare_greetings(long, short, [key for key, _ in options], menu, node_id)
        fields: dict = {"type": "menu"}
        if intro:
            fields.update(intro.segment())
        written = []
        for key, entry in options:
            option = {"key": key}
            if key in announced:
                option.update(announced[key].segment())
            option["goto"] = self.entry_target(entry, name, node_id)
            written.append(mapping(entry.pos, option))
        if not written:
            written.append(mapping(menu.pos, {"key": "*", "goto": node_id}))
            self.assume(msg(N_("the menu has no entry: a key returns to it")), menu.pos, node_id)
        fields["options"] = written
        if outro:
            fields["outro"] = outro.segment()
        fields.update(self.failures(menu, node_id, long, short))
        guessed = long.guessed + [n for n in short.guessed if n not in long.guessed]
        if guessed:
            self.assume(guessed_message(guessed), menu.pos, node_id,
                        "docs/importers.md#prompt-lengths")
        self.add(node_id, menu.pos, fields)

    def key(self, entry: XmlElement, node_id: str) -> str | None:
        digits = (entry.get("digits") or "").strip()
        if not digits.startswith("/"):
            return digits if re.fullmatch(r"[0-9*#]{1,16}", digits) else None
        keys = _pattern_keys(digits.strip("/"))
        if not keys:
            self.assume(msg(N_("the pattern digits='{digits}' is not read: the entry is left "
                               "out"), digits=digits),
                        entry.pos, node_id)
            return None
        self.assume(msg(N_("the pattern digits='{digits}' matches {n} key sequences ({first} to "
                           "{last}): the first stands for them all"),
                        digits=digits, n=str(len(keys)), first=keys[0], last=keys[-1]),
                    entry.pos, node_id)
        return keys[0]

    def compare_greetings(self, long: Speech, short: Speech, keys, menu, node_id) -> None:
        """The short greeting is played after a failure: say where it announces other keys
        than the long one, or a key for something else."""
        if not short or not long:
            return
        _, announced_long, _ = long.split(keys)
        _, announced_short, _ = short.split(keys)
        changed = [key for key in keys if (key in announced_long) != (key in announced_short)
                   or (key in announced_short and _topic(announced_short[key]) !=
                       _topic(announced_long[key]))]
        if changed:
            detail = Joined(tuple(
                msg(N_("key {key}: long '{long}', short '{short}'"), key=key,
                    long=announced_long[key].text if key in announced_long else "-",
                    short=announced_short[key].text if key in announced_short else "-")
                for key in changed), N_("; "))
            self.assume(msg(N_("greet-short (played after a failure) announces the keys "
                               "differently from greet-long ({detail}); modelled as "
                               "greet-long's options"), detail=detail),
                        menu.pos, node_id)

    def failures(self, menu: XmlElement, node_id: str, long: Speech, short: Speech) -> dict:
        timeout_ms = _int(menu.get("timeout"), 0)
        if timeout_ms <= 0:
            timeout_ms = DEFAULT_TIMEOUT_MS
            self.assume(msg(N_("no timeout: FreeSWITCH waits 10 s (10000 ms)")), menu.pos, node_id,
                        CODE)
        failures = _int(menu.get("max-failures"), 0)
        failures = failures if failures > 0 else DEFAULT_FAILURES  # as switch_ivr_menu.c does
        timeouts = _int(menu.get("max-timeouts"), 0)
        timeouts = timeouts if timeouts > 0 else failures
        if menu.get("max-failures") is None or menu.get("max-timeouts") is None:
            self.assume(msg(N_("max-failures {failures} and max-timeouts {timeouts} "
                               "(FreeSWITCH's defaults where not written)"),
                            failures=failures, timeouts=timeouts), menu.pos, node_id, CODE)
        if max(failures, timeouts) > MAX_TRIES:  # one action per try: the list stays short
            self.assume(msg(N_("max-failures {failures} / max-timeouts {timeouts}: more than "
                               "{max_tries} tries are taken as a menu that never gives up"),
                            failures=failures, timeouts=timeouts, max_tries=MAX_TRIES), menu.pos,
                        node_id, CODE)
        if (_int(menu.get("digit-len"), 1) > 1):
            self.assume(msg(N_("digit-len {digits}: after a key FreeSWITCH may wait {wait} ms "
                               "for more digits; that wait is not counted (SPEC 9.2)"),
                            digits=menu.get("digit-len"),
                            wait=str(menu.get("inter-digit-timeout") or timeout_ms // 2)),
                        menu.pos, node_id, CODE)
        again = "replay" if not short or short.text == long.text else "reprompt"
        if again == "reprompt":
            self.assume(msg(N_("greet-short, played after a failure, is taken as the options "
                               "and outro of greet-long (reprompt)")), menu.pos, node_id)
        invalid = self.sound(menu.get("invalid-sound"), menu, node_id)
        leave = self.exit(menu, node_id)
        on_invalid = [self.message(invalid, again)] * (min(failures, MAX_TRIES + 1) - 1)
        if failures <= MAX_TRIES:
            on_invalid.append(self.message(Speech().extend(invalid).extend(leave), "hangup"))
        on_timeout = [again] * (min(timeouts, MAX_TRIES + 1) - 1)
        if timeouts <= MAX_TRIES:
            on_timeout.append(self.message(leave, "hangup"))
        self.assume(msg(N_("when the menu gives up it plays exit-sound and returns to the "
                           "dialplan, taken as the end of the call")), menu.pos, node_id)
        return {"timeout": number(Fraction(timeout_ms, 1000)), "max_failures": "unlimited",
                "on_invalid": on_invalid if len(on_invalid) > 1 else on_invalid[0],
                "on_timeout": on_timeout if len(on_timeout) > 1 else on_timeout[0]}

    def exit(self, menu: XmlElement, node_id: str) -> Speech:
        return self.sound(menu.get("exit-sound"), menu, node_id)

    @staticmethod
    def message(speech: Speech, then: str):
        return {**speech.segment(), "then": then} if speech else then

    # -- entries -------------------------------------------------------------------------

    def entry_target(self, entry: XmlElement, menu_name: str, menu_id: str) -> str:
        action = (entry.get("action") or "").strip()
        param = (entry.get("param") or "").strip()
        label = f"{menu_id}.{re.sub(r'[^0-9A-Za-z*#]', '', entry.get('digits') or '') or 'key'}"
        if action == "menu-sub":
            if param in self.ids:
                return self.ids[param]
            self.assume(msg(N_("menu-sub names '{param}', which is no menu of the inputs: the "
                               "call is taken to end"), param=param), entry.pos, menu_id)
            return "hangup"
        if action == "menu-top":
            return self.ids[self.root_name]
        if action == "menu-back":
            callers = self.callers.get(menu_name, [])
            if len(callers) == 1:
                return self.ids[callers[0]]
            if not callers:
                self.assume(msg(N_("menu-back in the first menu: the menu is left, taken as the "
                                   "end of the call")), entry.pos, menu_id)
                return self.exit_node(label, entry, menu_name, menu_id)
            self.assume(msg(N_("menu-back: several menus open this one ({callers}); the first, "
                               "'{first}', is taken"),
                            callers=Joined(tuple(callers)), first=callers[0]), entry.pos, menu_id)
            return self.ids[callers[0]]
        if action == "menu-exit":
            return self.exit_node(label, entry, menu_name, menu_id)
        if action in ("menu-play-sound", "menu-playback"):
            speech = self.sound(param, entry, menu_id)
            return self.add(self.flow_.new_id(label), entry.pos, {
                "type": "message", **speech.segment(), "next": menu_id})
        if action == "menu-exec-app":
            return self.application(param, entry, label, menu_id)
        self.assume(msg(N_("the action '{action}' is not modelled: the caller is taken back to "
                           "the menu"), action=action), entry.pos, menu_id)
        return menu_id

    def exit_node(self, label: str, entry, menu_name: str, menu_id: str) -> str:
        leave = self.exit(self.menus[menu_name], menu_id)
        if not leave:
            return "hangup"
        return self.add(self.flow_.new_id(label + ".exit"), entry.pos, {
            "type": "message", **leave.segment(), "next": "hangup"})

    def application(self, param: str, entry: XmlElement, label: str, menu_id: str) -> str:
        app, _, args = param.partition(" ")
        app, args = app.strip(), args.strip()
        node_id = self.flow_.new_id(label)
        if not app or not _APP.match(app):
            self.assume(msg(N_("menu-exec-app '{param}' names no application ('{app}' is not "
                               "one): FreeSWITCH cannot run it; the caller stays in the menu"),
                            param=param, app=app), entry.pos,
                        menu_id)
            return menu_id
        if app in ("transfer", "execute_extension"):
            return self.add(node_id, entry.pos, {"type": "transfer", "to": args or app})
        if app == "bridge":
            self.assume(msg(N_("bridge {args}: a person is taken to answer there"),
                            args=args), entry.pos, node_id)
            return self.add(node_id, entry.pos, {"type": "transfer", "to": args, "person": True})
        if app in ("callcenter", "fifo"):
            return self.add(node_id, entry.pos, {"type": "human", "queue": args.split()[0]
                                                 if args else app})
        if app in ("voicemail", "voicemail_leave"):
            return self.add(node_id, entry.pos, {"type": "callback"})
        if app in ("hangup",):
            return "hangup"
        if app in ("playback", "phrase", "speak"):
            speech = self.sound(args if app == "playback" else f"phrase:{args}", entry, menu_id)
            return self.add(node_id, entry.pos, {"type": "message", **speech.segment(),
                                                 "next": menu_id})
        self.assume(msg(N_("the application '{app}' is not modelled: the caller is taken back "
                           "to the menu"), app=app), entry.pos, menu_id)
        return menu_id

    # -- sounds --------------------------------------------------------------------------

    def sound(self, value: str | None, where: XmlElement, node_id: str) -> Speech:
        """What a sound attribute plays: `phrase:NAME`, `say:TEXT`, a file, silence."""
        speech = Speech()
        value = (value or "").strip()
        if not value:
            return speech
        if value.startswith("say:"):
            return speech.say(value[4:])
        if value.startswith("phrase:"):
            name = value[len("phrase:"):].split(":", 1)[0]
            macro = self.phrase(name)
            if macro is None:
                self.assume(msg(N_("the phrase macro '{name}' is not among the inputs: its "
                                   "words are not known (give the phrase file too)"),
                                name=name), where.pos, node_id)
                return speech.recording(value, name_words(name), self.source.folder,
                                        self.options.prompts)
            return self.macro(macro, speech, 0)
        return self.file(value, speech)

    def phrase(self, name: str) -> XmlElement | None:
        """The phrase macro ``name`` nearest the menu being read (_FreeswitchFiles.macro); its
        file counts among those the line was read from."""
        found = self.found.macro(name, self.menu_file)
        if found is None:
            return None
        macro, path = found
        if path not in self.flow_.read_files:
            self.flow_.read_files.append(path)
        return macro

    def file(self, value: str, speech: Speech) -> Speech:
        if value.startswith("silence_stream://"):
            millis = _int(value[len("silence_stream://"):].split(",")[0], 0)
            return speech.pause(Fraction(millis, 1000))
        speech.recording(value, name_words(value), self.source.folder, self.options.prompts)
        key = re.search(r"(?:^|/)digits/(\d|star|pound)\.\w+$", value)
        if key:  # a key's name ends what is said, and names that key
            speech.pieces[-1].ends_sentence = True
            speech.pieces[-1].names_key = {"star": "*", "pound": "#"}.get(key.group(1),
                                                                          key.group(1))
        return speech

    def macro(self, macro: XmlElement, speech: Speech, depth: int) -> Speech:
        match = next(iter(macro.iter("match")), None)
        for action in (match.findall("action") if match is not None else []):
            function, data = action.get("function"), (action.get("data") or "").strip()
            if function == "play-file":
                self.file(data, speech)
            elif function in ("speak-text",):
                speech.say(data)
            elif function == "say":
                speech.say("{" + data + "}")
            elif function == "phrase" and depth < 5 and data in self.found.macros:
                self.macro(self.phrase(data), speech, depth + 1)
        return speech


def _topic(speech: Speech) -> str:
    """An announcement's words without the key-pressing ones, to compare two greetings."""
    words = re.findall(r"[a-z]+", speech.text.lower())
    return " ".join(w for w in words if w not in ("please", "press", "to", "for", "star",
                                                   "pound", "the", "a"))


def _int(value: str | None, default: int) -> int:
    found = whole(value)
    return default if found is None else found


def _pattern_keys(pattern: str) -> list[str]:
    """The key sequences a simple digits regex matches (`^(10[01][0-9])$` -> 1000..1019):
    literal keys, classes and groups; empty when it is not that simple or matches too many."""
    body = pattern.strip("^$").replace("(", "").replace(")", "")
    parts: list[list[str]] = []
    at = 0
    while at < len(body):
        char = body[at]
        if char == "[":
            end = body.find("]", at)
            if end < 0:
                return []
            chars = []
            spec = body[at + 1:end]
            index = 0
            while index < len(spec):
                if index + 2 < len(spec) and spec[index + 1] == "-":
                    chars += [chr(c) for c in range(ord(spec[index]), ord(spec[index + 2]) + 1)]
                    index += 3
                else:
                    chars.append(spec[index])
                    index += 1
            parts.append(chars)
            at = end + 1
        elif body.startswith("\\d", at):
            parts.append(list("0123456789"))
            at += 2
        elif char in "0123456789*#":
            parts.append([char])
            at += 1
        else:
            return []
    keys = [""]
    for chars in parts:
        keys = [key + c for key in keys for c in chars]
        if len(keys) > 1000:
            return []
    return keys if len(keys[0]) <= 16 else []
