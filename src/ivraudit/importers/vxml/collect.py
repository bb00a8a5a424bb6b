"""`<menu>` and `<field>` -> `menu` or `input` nodes: their grammars, options and prompts.

- `<menu>`: each `<choice>` an option (`dtmf`, or 1-9 in order with `<menu dtmf="true">`);
  its text is its announcement when the prompt says `<enumerate/>`, and a phrase a caller may
  say when the menu takes voice (VoiceXML 2.0 2.2).
- `<field>` with `<option>`s, or with a DTMF grammar of a few literal keys (inline SRGS,
  `builtin:dtmf/digits?length=1`, `builtin:dtmf/boolean`): a `menu` whose options are routed
  by the `<filled>` `<if cond="field == 'literal'">` arms; accepted keys no arm names go where
  the `<else>` (or the end of `<filled>`) goes.
- `<field>` with a DTMF digit-string grammar (`builtin:dtmf/digits`, an SRGS `repeat`,
  OPAL's `X-OPAL/digits`): an `input` node.
- `<field>` or `<initial>` with a speech grammar only: a `menu` of spoken options (SPEC 9.3): a
  keypad caller can only fail there.

Without `<enumerate/>`, a prompt's sentences that name a key announce that option (importers.
announce). The noinput timeout is the last prompt's `timeout`, else the `timeout` property in
scope, else 5 s (the platform's default, an assumption).
"""

from __future__ import annotations

import re
from dataclasses import field

from ...i18n import N_, Joined, msg
from ...util.cached import record
from ..announce import unrouted
from ..base import mapping
from ..numbers import whole
from ..speech import Speech, name_words, number, seconds_of
from ..xml import XmlElement

DEFAULT_TIMEOUT = 5
_BUILTIN = re.compile(r"builtin:(?:(dtmf|voice|grammar)/)?(\w+)(?:\?(.*))?$")
_ROUTE = re.compile(r"""\s*(?:(?P<n1>[A-Za-z_$][\w$]*)\s*===?\s*(?P<v1>'[^']*'|"[^"]*"|\d+)
    |(?P<v2>'[^']*'|"[^"]*"|\d+)\s*===?\s*(?P<n2>[A-Za-z_$][\w$]*))\s*$""", re.X)
_MAX_KEYS = 200


@record(frozen=False)
class Grammar:
    """What a field accepts: literal DTMF ``keys``, or a DTMF digit string (``digits``:
    (min, max)), and speech (``voice``: grammar names; ``phrases``: value -> phrases)."""

    keys: list[str] | None = None
    values: dict[str, str] = field(default_factory=dict)  # key -> the value it fills in
    digits: tuple[int, int] | None = None
    fixed: bool = False
    terminator: str | None = None
    voice: list[str] = field(default_factory=list)
    phrases: dict[str, list[str]] = field(default_factory=dict)
    unknown_dtmf: str | None = None

    @property
    def dtmf(self) -> bool:
        return self.keys is not None or self.digits is not None or bool(self.unknown_dtmf)


class Collecting:
    """Menus and fields (mixed into DocumentImport)."""

    def menu_node(self, menu: XmlElement, where) -> str:
        node_id = where.take_id(self, self.dialog_of[id(menu)])
        auto = (menu.get("dtmf") or "").lower() == "true"
        voice = self.takes_voice(menu)
        options, next_key = [], 1
        for choice in menu.findall("choice"):
            key = choice.get("dtmf")
            if key is None and auto and next_key <= 9:
                key, next_key = str(next_key), next_key + 1
            speech = self.option_speech(choice, where)
            phrases = self.choice_phrases(choice, voice)
            options.append(self.option(choice, key, phrases, speech,
                                       self.goto_target(choice, where)))
        options += self.scope_links(menu, options, where)
        prompts = self.entry_prompts(menu, where)
        return self.collecting(node_id, menu, prompts, options, {"type": "menu"}, where)

    def field_node(self, item: XmlElement, cont: str, where) -> str:
        name = item.get("name") or item.tag
        node_id = where.take_id(self, f"{where.hint}.{name}")
        grammar = self.grammar(item, where)
        filled = item.find("filled")
        statements = filled.content if filled is not None else []
        prompts = self.entry_prompts(item, where)
        inner = where.with_values()
        inner.hint = f"{where.hint}.{name}"
        if item.findall("option") or grammar.keys is not None or (
                not grammar.dtmf and item.tag in ("field", "initial")):
            options = self.routed_options(item, name, grammar, statements, cont, inner)
            options += self.scope_links(item, options, where)
            return self.collecting(node_id, item, prompts, options, {"type": "menu"}, where)
        after = self.sequence(statements, cont, inner, f"{inner.hint}.filled")
        low, high = grammar.digits or (1, 1)
        fields = {"type": "input", "digits": low if low == high else {"min": low, "max": high},
                  "next": after, "asks": name}
        if grammar.terminator:
            fields["terminator"] = grammar.terminator
        if grammar.unknown_dtmf:
            self.assume(msg(N_("the DTMF grammar '{unknown_dtmf}' is not read: one digit is "
                               "taken"), unknown_dtmf=grammar.unknown_dtmf), item.pos, node_id)
        return self.collecting(node_id, item, prompts, [], fields, where)

    # -- options -------------------------------------------------------------------------

    def option(self, element, key, phrases, speech: Speech | None, goto: str) -> dict:
        option = {"goto": goto}
        if key is not None:
            option["key"] = key
        if phrases:
            option["speech"] = phrases
        option["_speech"] = speech
        option["_pos"] = element.pos
        return option

    def routed_options(self, item, name, grammar: Grammar, statements, cont, where) -> list:
        """Options of a field-menu, each going where the `<filled>` routes its value."""
        prefix, arms, rest_after, else_body = self.routing(statements, name)
        def target(body, label):
            return self.sequence(prefix + body + rest_after, cont, where.with_values(),
                                 f"{where.hint}.{label}")
        routed = {value: (body, pos) for value, body, pos in arms}
        elsewhere = target(else_body, "other") if arms or statements else cont
        options = []
        listed = item.findall("option")
        voice = self.takes_voice(item)
        if listed:
            for element in listed:
                text = element.text()
                value = element.get("value") or text
                # an explicit voice grammar says what each option's phrases are; without one,
                # an option's text is its phrase (VoiceXML 2.0 2.3.1.3)
                phrases = grammar.phrases.get(value, []) if grammar.phrases else (
                    [text] if voice and text else [])
                goto = target(routed[value][0], value) if value in routed else elsewhere
                options.append(self.option(element, element.get("dtmf"), phrases,
                                           self.option_speech(element, where), goto))
            return options
        keys = grammar.keys if grammar.keys is not None else []
        for key in keys:
            value = grammar.values.get(key, key)
            goto = target(routed[value][0], value) if value in routed else elsewhere
            options.append(self.option(item, key, grammar.phrases.get(value, []), None, goto))
        if not grammar.dtmf or grammar.voice:
            for value, (body, pos) in routed.items():
                if value in grammar.values.values() or value in keys:
                    continue
                options.append({"speech": [value], "goto": target(body, value), "_pos": pos})
            if not grammar.dtmf:
                said = " ".join(name_words(n.rsplit(".", 1)[0]) for n in grammar.voice
                                ) or "anything"
                options.append({"speech": [said], "goto": elsewhere, "_pos": item.pos})
                self.assume(msg(N_("<{tag} name='{name}'> takes speech only ({grammars}): a "
                                   "keypad caller cannot answer it; what else the grammar "
                                   "accepts is one spoken option '{said}'"),
                                tag=item.tag, name=name, said=said,
                                grammars=Joined(tuple(grammar.voice)) if grammar.voice
                                else msg(N_("no grammar"))), item.pos)
        return options

    def routing(self, statements: list, name: str):
        """(statements before, [(value, arm, pos)], statements after, else arm) when the
        `<filled>` routes on the field's value with one `<if>`; else no arms."""
        elements = [s for s in statements if isinstance(s, XmlElement)]
        test = next((s for s in elements if s.tag == "if"), None)
        if test is None:
            return list(statements), [], [], []
        arms, else_body = [], []
        for cond, body, pos in self.arms(test):
            if cond is None:
                else_body = body
                continue
            match = _ROUTE.fullmatch(cond)
            variable = match and (match.group("n1") or match.group("n2"))
            if not match or variable != name:
                return list(statements), [], [], []
            value = (match.group("v1") or match.group("v2")).strip("'\"")
            arms.append((value, body, pos))
        at = statements.index(test)
        return list(statements[:at]), arms, list(statements[at + 1:]), else_body

    def scope_links(self, element, options, where) -> list:
        """`<link dtmf>` of the dialog (not the document's: those are global options)."""
        taken = {option.get("key") for option in options}
        found = []
        for scope in self.scopes(element)[:-1]:
            for link in self.links(scope):
                if link["key"] not in taken:
                    taken.add(link["key"])
                    found.append({"key": link["key"], "goto": link["goto"], "_pos": link.pos})
        return found

    def choice_phrases(self, choice: XmlElement, voice: bool) -> list[str]:
        if not voice:
            return []
        grammar = choice.find("grammar")
        if grammar is not None:
            return [p for phrases in self.inline_phrases(grammar).values() for p in phrases]
        text = " ".join(i for i in choice.content if isinstance(i, str)).strip()
        return [" ".join(text.split())] if text else []

    def option_speech(self, element: XmlElement, where) -> Speech:
        speech = Speech()
        for child in element.content:
            if not (isinstance(child, XmlElement) and child.tag == "grammar"):
                self.speech_of(child, speech, where.values)
        return speech

    def takes_voice(self, element: XmlElement) -> bool:
        modes = self.property(element, "inputmodes")
        return modes is None or "voice" in modes.split()

    # -- the node ------------------------------------------------------------------------

    def entry_prompts(self, element: XmlElement, where) -> list[XmlElement]:
        """The prompts played on entry (tapered prompts with count > 1 are not modelled)."""
        prompts = [child for child in element.children if child.tag in ("prompt", "audio")]
        tapered = [p for p in prompts if (p.get("count") or "1").strip() not in ("1", "")]
        if tapered:
            self.assume(msg(N_("tapered prompts (count > 1) are not modelled: every visit plays "
                               "the first prompt")), tapered[0].pos)
        first = [p for p in prompts if p not in tapered]
        undecided = [p for p in first if p.get("cond") and self.prompt_plays(p, {})
                     and not self._decided(p, where)]
        if len(undecided) > 1:
            self.assume(msg(N_("prompts chosen by run-time `cond`s: the first one is taken")),
                        undecided[1].pos)
            first = [p for p in first if p not in undecided[1:]]
        return first

    def _decided(self, prompt, where) -> bool:
        from ..expr import UNKNOWN, evaluate

        return evaluate(prompt.get("cond"), {**self.values, **where.values}) is not UNKNOWN

    def collecting(self, node_id, element, prompts, options, fields: dict, where) -> str:
        values = where.values
        playing = [p for p in prompts if self.prompt_plays(p, values)]
        speech = Speech()
        intro, outro, enumerated = Speech(), Speech(), False
        for prompt in playing:
            enumerate_ = next(prompt.iter("enumerate"), None)
            if enumerate_ is not None:
                enumerated = True
                if enumerate_.content and enumerate_.text():  # a template for each choice
                    for option in options:
                        option["_speech"] = self.enumerated(enumerate_, option, values)
                before, after = self.around_enumerate(prompt, values)
                intro.extend(speech).extend(before)
                speech, outro = Speech(), after
            elif enumerated:
                outro.extend(self.speech_of(prompt, Speech(), values))
            else:
                self.speech_of(prompt, speech, values)
        bargein = [self.bargein(p) for p in playing] or [self.bargein(element)]
        if not all(bargein):
            fields["barge_in"] = False
            if any(bargein):
                self.assume(msg(N_("some prompts here allow barge-in and some do not: the whole "
                                   "prompt is taken as forced")), element.pos, node_id)
        guessed = Speech().extend(speech).extend(intro).extend(outro)
        if fields["type"] == "menu":
            keys = [o["key"] for o in options if o.get("key")]
            everywhere = self.link_keys(self.root)
            for key in Speech().extend(intro).extend(speech).extend(outro).named_keys():
                if key not in keys + everywhere:
                    self.assume(unrouted(key), element.pos, node_id)
            if not enumerated:
                intro, announced, outro = speech.split(keys)
                for option in options:
                    option["_speech"] = announced.get(option.get("key"))
            self.menu_options(fields, options)
        else:
            intro = speech
        if intro:
            fields.update(intro.segment())
        if outro and fields["type"] == "menu":
            fields["outro"] = outro.segment()
        if fields["type"] == "menu" and self.property(element, "ivraudit.role"):
            fields["role"] = self.property(element, "ivraudit.role")
        fields["timeout"] = self.timeout(element, playing, node_id)
        fields.update(self.failure_fields(element, node_id, where, playing))
        for option in options:
            if option.get("_speech"):
                guessed.extend(option["_speech"])
        self.recordings_assumed(guessed, element.pos, node_id)
        if fields["type"] == "menu" and not fields["options"]:
            fields["options"] = [{"speech": ["anything"], "goto": node_id}]
        return self.add(node_id, element.pos, fields)

    def link_keys(self, scope: XmlElement) -> list[str]:
        """The keys of a scope's `<link dtmf>`s (read once per scope)."""
        key = ("link keys", id(scope))
        if key not in self.per_scope:
            self.per_scope[key] = [link.get("dtmf") for link in scope.findall("link")
                                   if link.get("dtmf")]
        return self.per_scope[key]

    def menu_options(self, fields: dict, options: list) -> None:
        written = []
        for option in options:
            entry = {key: option[key] for key in ("key", "speech") if key in option}
            speech = option.get("_speech")
            if speech:
                entry.update(speech.segment())
            entry["goto"] = option["goto"]
            written.append(mapping(option.get("_pos") or (1, 1), entry))
        fields["options"] = written

    def enumerated(self, template: XmlElement, option: dict, values) -> Speech:
        """What `<enumerate>For <value expr="_prompt"/>, press <value expr="_dtmf"/>.
        </enumerate>` says for one choice (2.2.4): its prompt where `_prompt` stands (with its
        recordings), its key where `_dtmf` does."""
        own = option.get("_speech") or Speech()
        local = {**values, "_prompt": own.text, "_dtmf": option.get("key") or ""}
        speech = Speech()
        for child in template.content:
            if isinstance(child, XmlElement) and child.tag == "value" \
                    and (child.get("expr") or "").strip() == "_prompt":
                speech.extend(Speech(list(own.pieces), list(own.guessed)))
            else:
                self.speech_of(child, speech, local)
        return speech

    def around_enumerate(self, prompt: XmlElement, values) -> tuple[Speech, Speech]:
        before, after, seen = Speech(), Speech(), False
        for child in prompt.content:
            if isinstance(child, XmlElement) and child.tag == "enumerate":
                seen = True
                continue
            self.speech_of(child, after if seen else before, values)
        return before, after

    def timeout(self, element: XmlElement, prompts: list[XmlElement], node_id: str):
        for prompt in reversed(prompts):
            seconds = seconds_of(prompt.get("timeout"))
            if seconds is not None:
                return number(seconds)
        seconds = seconds_of(self.property(element, "timeout"))
        if seconds is not None:
            return number(seconds)
        if element.get("timeout") is not None:
            self.assume(msg(N_("timeout='{timeout}' is not an attribute of <{tag}> in VoiceXML "
                               "2.x: ignored"),
                            timeout=element.get("timeout"), tag=element.tag), element.pos, node_id)
        self.assume(msg(N_("no timeout is written: the platform's default, taken as "
                           "{default_timeout} s (VoiceXML leaves it to the platform, 6.3.4)"),
                        default_timeout=DEFAULT_TIMEOUT), element.pos, node_id)
        return DEFAULT_TIMEOUT

    # -- grammars ------------------------------------------------------------------------

    def grammar(self, item: XmlElement, where) -> Grammar:
        found = Grammar()
        grammars = item.findall("grammar")
        kind = item.get("type")
        if kind:
            self.builtin(kind, found, voice_too=True)
        if not grammars and not kind and not item.findall("option"):
            form_grammars = [g for g in where.dialog.findall("grammar")]
            for grammar in form_grammars:
                found.voice.append(grammar.get("src") or "grammar")
        for grammar in grammars:
            self.read_grammar(grammar, found)
        modes = self.property(item, "inputmodes")
        if modes is not None and "voice" not in modes.split():
            found.voice, found.phrases = [], {}
        if found.digits and not found.terminator and not found.fixed:
            termchar = self.property(item, "termchar")
            found.terminator = "#" if termchar is None else (termchar or None)
        return found

    def read_grammar(self, grammar: XmlElement, found: Grammar) -> None:
        src, mode = grammar.get("src") or "", (grammar.get("mode") or "").lower()
        if src.startswith("builtin:"):
            self.builtin(src[len("builtin:"):], found, voice_too=False,
                         dtmf="dtmf/" in src or mode == "dtmf")
            return
        if (grammar.get("type") or "").lower() == "x-opal/digits":
            body = dict(re.findall(r"(\w+)\s*=\s*([^;\s]+)", grammar.text()))
            low, high = _length(body.get("minDigits"), 1), _length(body.get("maxDigits"), 16)
            found.digits, found.terminator = (low, max(low, high)), body.get("terminators")
            return
        if mode == "dtmf":
            if src:
                found.unknown_dtmf = src
                found.digits = (1, 1)
                return
            self.inline_dtmf(grammar, found)
            return
        if src:
            found.voice.append(src)
        elif grammar.children:
            found.voice.append("grammar")
            for value, phrases in self.inline_phrases(grammar).items():
                found.phrases.setdefault(value, []).extend(phrases)

    def builtin(self, name: str, found: Grammar, voice_too: bool, dtmf: bool = True) -> None:
        match = _BUILTIN.match("builtin:" + name if not name.startswith("builtin:") else name)
        kind, params = (match.group(2), match.group(3) or "") if match else (name, "")
        parameters = dict(re.findall(r"(\w+)=([0-9]{1,6})\b", params))
        if voice_too:
            found.voice.append(kind)
        if not dtmf:
            found.voice.append(kind)
            return
        if kind == "boolean":
            found.keys, found.values = ["1", "2"], {"1": "true", "2": "false"}
        elif kind in ("digits", "number", "currency", "date", "phone", "time"):
            if "length" in parameters:
                length = _length(parameters["length"], 1)
                if length == 1:
                    found.keys = [str(d) for d in range(10)]
                    return
                found.digits, found.fixed = (length, length), True
            else:
                low = _length(parameters.get("minlength"), 1)
                found.digits = (low, max(low, _length(parameters.get("maxlength"), 16)))
        else:
            found.unknown_dtmf = name
            found.digits = (1, 1)

    def inline_dtmf(self, grammar: XmlElement, found: Grammar) -> None:
        """An SRGS DTMF grammar: a finite set of keys, or a digit string of a key set."""
        rules = {rule.get("id"): rule for rule in grammar.findall("rule")}
        root = rules.get(grammar.get("root")) or next(iter(rules.values()), grammar)
        strings = _strings(root, rules, 0)
        if strings is not None and len(strings) <= _MAX_KEYS:
            found.keys = sorted(set(strings), key=lambda k: (len(k), k))
            return
        low, high = _repeat_shape(root, rules)
        found.digits, found.fixed = (low, high), low == high

    def inline_phrases(self, grammar: XmlElement) -> dict[str, list[str]]:
        """Phrases of an inline SRGS voice grammar, by the value each one fills in (its
        `<tag>out = "value"</tag>`, else the phrase itself)."""
        found: dict[str, list[str]] = {}
        for item in grammar.iter("item"):
            if item.find("item", "one-of", "ruleref"):
                continue
            text = item.own_text()
            if not text:
                continue
            tag = item.find("tag")
            value = text
            if tag is not None:
                out = re.search(r"out\s*=\s*['\"]([^'\"]*)['\"]", tag.text())
                value = out.group(1) if out else text
            found.setdefault(value, []).append(text)
        return found


def _strings(element: XmlElement, rules: dict, depth: int) -> list[str] | None:
    """The finite language of an SRGS rule (None when it repeats without bound or is large)."""
    if depth > 8:
        return None
    results = [""]
    for child in element.content:
        if isinstance(child, str):
            words = "".join(child.split())
            results = [r + words for r in results] if words else results
            continue
        if child.tag == "tag":
            continue
        if child.tag == "one-of":
            options = []
            for item in child.findall("item"):
                found = _strings(item, rules, depth + 1)
                if found is None:
                    return None
                options += found
            part = options
        elif child.tag == "ruleref":
            target = rules.get((child.get("uri") or "").lstrip("#"))
            part = _strings(target, rules, depth + 1) if target is not None else None
            if part is None:
                return None
        elif child.tag == "item":
            part = _strings(child, rules, depth + 1)
            if part is None:
                return None
            repeat = child.get("repeat")
            if repeat:
                counts = _repeats(repeat)
                if counts is None:  # unbounded, or longer than a key: no finite set of keys
                    return None
                expanded = []
                for count in counts:
                    combos = [""]
                    for _ in range(count):
                        combos = [c + p for c in combos for p in part]
                        if len(combos) > _MAX_KEYS:
                            return None
                    expanded += combos
                part = expanded
        else:
            continue
        results = [r + p for r in results for p in part]
        if len(results) > _MAX_KEYS:
            return None
    return results


def _repeat_shape(root: XmlElement, rules: dict) -> tuple[int, int]:
    """(min, max) digits of a rule that repeats a key set (`repeat="4"`, `"1-"`)."""
    for item in root.iter("item"):
        repeat = item.get("repeat")
        if repeat:
            low, dash, high = repeat.partition("-")
            low_n = _length(low, 1)
            high_n = _length(high, 16) if dash else low_n
            return low_n, max(low_n, high_n)
    return 1, 16


def _repeats(repeat: str) -> range | None:
    """The counts an SRGS `repeat` allows (`"4"`, `"1-3"`), when they are few enough to spell
    out keys of at most 16 characters; None for `"1-"` (unbounded) and anything else."""
    found = re.fullmatch(r"\s*([0-9]{1,2})\s*(?:-\s*([0-9]{1,2})\s*)?", repeat)
    if not found:
        return None
    low = int(found.group(1))
    high = int(found.group(2)) if found.group(2) else low
    return range(low, high + 1) if low <= high <= 16 else None


def _length(text, default: int) -> int:
    """A count of digits written in a grammar (1 to 64); ``default`` when it is not one."""
    count = whole(text)
    return count if count is not None and 1 <= count <= 64 else default
