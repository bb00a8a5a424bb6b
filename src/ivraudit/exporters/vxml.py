"""A menu as a VoiceXML 2.1 document that re-imports to the same metrics.

Each node is one `<form>` named by the node's id, the entry first (a VoiceXML document starts
at its first dialog):

- `message`: a `<block>` with its `<prompt>` and the transition (`<exit/>` to end the call);
  `hangup`: prompt then `<disconnect/>`; `branch`: an `<if>` on its conditions (``a && b``;
  ``true`` for a case that always holds) with `<goto>`s.
- `menu`: a `<field>` with an `<option>` per option (`dtmf`, its announcement as text), the
  intro and `<enumerate/>` and outro as prompts, phrases in an inline SRGS voice grammar whose
  items fill in the option's value, and `<filled>` routing each value with `<goto>`.
- `input`: a `<field>` with `builtin:dtmf/digits?minlength=N;maxlength=M` and `termchar` for
  the terminator (empty for none).
- Failures: `<nomatch count="k">`/`<noinput count="k">` per action of the escalation list;
  `replay` is `<reprompt/>`, `reprompt` a `<reprompt/>` with the intro's prompt turned off by a
  form variable, `restart` a `<goto>` to the document itself, `hangup` `<disconnect/>`.
  `max_failures: N` is a form variable counting every failure, which takes `on_exhausted` at N.
- `human`, `callback` and `transfer`: a `<transfer>` (the `ivraudit.*` properties say what
  VoiceXML cannot: a person, a callback, the queue's wait, an overflow).
- A segment whose length the menu states (a recording, a `duration`) is written as SSML
  `<prosody duration>`; one the audit estimates from its words is written as words alone, so
  that the export's audit estimates it too (and marks it ≈): the menu's `speech_rate`, when
  not the default, is `<meta name="ivraudit.speech_rate" content="WPM CPS">`. Scenarios are
  `<meta name="ivraudit.scenario.NAME">`.

Not kept (they change no metric): segment tags, audio file names, `asks` of an input becomes
its field's name. Findings that read tags (IVR011's legal notice, IVR019's adverts) differ.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from xml.sax.saxutils import escape as _escape, quoteattr

from ..format.durations import SpeechRate
from ..format.model import HANGUP, REPLAY, REPROMPT, RESTART, Action, Menu, Node, Segment
from ..util.safe_text import xml as xml_safe

NAME = "vxml"
SUFFIX = ".vxml"
_COUNTER, _INTRO, _CHOICE = "ivraudit_failures", "ivraudit_intro", "choice"


def export(menu: Menu, file_name: str) -> str:
    """The VoiceXML text of ``menu``; ``file_name`` is the document's own name (a `restart`
    goes to it)."""
    return _Writer(menu, file_name).document()


def _decimal(value: Fraction) -> str:
    """A number as a decimal, exact where a decimal can be."""
    value = Fraction(value)
    denominator = value.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator == 1:
        text = f"{float(value):.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _seconds(value: Fraction) -> str:
    """Seconds as a CSS2 time."""
    return _decimal(value) + "s"


def escape(value: str) -> str:
    """Text for the document: markup escaped, and characters XML 1.0 cannot carry or that act
    on a terminal (ESC, BEL) shown as ``\\x1b`` (util.safe_text.xml), so that the export is
    well-formed and safe to print."""
    return _escape(xml_safe(value))


def _attr(name: str, value: str) -> str:
    return f" {name}={quoteattr(xml_safe(value))}"


class _Writer:
    def __init__(self, menu: Menu, file_name: str) -> None:
        self.menu = menu
        self.file_name = file_name
        self.lines: list[str] = []

    def write(self, depth: int, text: str) -> None:
        self.lines.append("  " * depth + text)

    def document(self) -> str:
        menu = self.menu
        self.lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                      f'<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"'
                      f'{_attr("xml:lang", menu.locale)}>']
        self.write(1, f'<meta name="title"{_attr("content", menu.ivr)}/>')
        if menu.speech_rate != SpeechRate():
            rate = menu.speech_rate
            content = f"{_decimal(rate.words_per_minute)} {_decimal(rate.chars_per_second)}"
            self.write(1, f'<meta name="ivraudit.speech_rate"{_attr("content", content)}/>')
        for name, conditions in menu.scenarios.items():
            self.write(1, f'<meta{_attr("name", "ivraudit.scenario." + name)}'
                          f'{_attr("content", json.dumps(sorted(conditions)))}/>')
        order = [menu.entry] + [node_id for node_id in menu.nodes if node_id != menu.entry]
        for node_id in order:
            self.node(menu.nodes[node_id])
        self.lines.append("</vxml>")
        return "\n".join(self.lines) + "\n"

    # -- pieces ----------------------------------------------------------------------------

    def segment(self, segment: Segment | None) -> str:
        """A segment's content: its words, timed with SSML when the menu states its length."""
        if segment is None:
            return ""
        words = segment.say or ""
        if segment.estimated and xml_safe(words) == words:
            return escape(words)  # shown control characters would change the estimate
        return f'<prosody duration="{_seconds(segment.seconds)}">{escape(words)}</prosody>'

    def target(self, target: str) -> str:
        """The transition to a node id, `restart` or `hangup`."""
        if target == HANGUP:
            return "<disconnect/>"
        if target == RESTART:
            return f"<goto{_attr('next', self.file_name)}/>"
        return f"<goto{_attr('next', '#' + target)}/>"

    def action(self, depth: int, action: Action, node: Node) -> None:
        if action.message is not None:
            self.write(depth, f"<prompt>{self.segment(action.message)}</prompt>")
        if action.kind in (REPLAY, REPROMPT):
            if self.uses_intro_flag(node):
                value = "false" if action.kind == REPROMPT else "true"
                self.write(depth, f'<assign name="{_INTRO}" expr="{value}"/>')
            self.write(depth, "<reprompt/>")
        elif action.kind == "goto":
            self.write(depth, self.target(action.target))
        else:
            self.write(depth, self.target(action.kind))

    @staticmethod
    def uses_intro_flag(node: Node) -> bool:
        # `on_exhausted: {say, then: reprompt}` keeps the call at the node without the intro too
        actions = node.on_invalid + node.on_timeout + (node.on_exhausted,)
        return any(a is not None and a.kind == REPROMPT for a in actions)

    # -- nodes -----------------------------------------------------------------------------

    def node(self, node: Node) -> None:
        self.write(1, f"<!-- {escape(node.type)} -->")
        self.write(1, f"<form{_attr('id', node.id)}>")
        getattr(self, f"node_{node.type}")(node)
        self.write(1, "</form>")

    def node_message(self, node: Node) -> None:
        if not node.barge_in:
            self.write(2, '<property name="bargein" value="false"/>')
        self.write(2, "<block>")
        self.write(3, f"<prompt>{self.segment(node.intro)}</prompt>")
        # <exit/>: the message then the end of the call; prompts then <disconnect/> are a
        # hangup node that says them
        self.write(3, "<exit/>" if node.next == HANGUP else self.target(node.next))
        self.write(2, "</block>")

    def node_hangup(self, node: Node) -> None:
        self.write(2, "<block>")
        self.write(3, f"<prompt>{self.segment(node.intro)}</prompt>")
        self.write(3, "<disconnect/>")
        self.write(2, "</block>")

    def node_branch(self, node: Node) -> None:
        self.write(2, "<block>")
        if not node.cases:
            self.write(3, self.target(node.else_))
        for index, case in enumerate(node.cases):
            cond = " && ".join(case.when) if case.when else "true"
            opening = "<if" if index == 0 else "<elseif"
            self.write(3 if index == 0 else 4, f"{opening}{_attr('cond', cond)}"
                       + (">" if index == 0 else "/>"))
            self.write(4, self.target(case.goto))
        if node.cases:
            self.write(4, "<else/>")
            self.write(4, self.target(node.else_))
            self.write(3, "</if>")
        self.write(2, "</block>")

    def node_human(self, node: Node) -> None:
        self.transfer(node, "human", node.queue or "agent")

    def node_callback(self, node: Node) -> None:
        self.transfer(node, "callback", "callback")

    def node_transfer(self, node: Node) -> None:
        self.transfer(node, None, node.to or "")

    def transfer(self, node: Node, kind: str | None, dest: str) -> None:
        properties = {}
        if kind:
            properties["ivraudit.node"] = kind
        if node.type == "transfer":
            properties["ivraudit.person"] = "true" if node.person else "false"
        if node.wait is not None:
            properties["ivraudit.wait"] = str(node.wait)
        if node.queue:
            properties["ivraudit.queue"] = node.queue
        if node.announces_wait:
            properties["ivraudit.announces_wait"] = "true"
        if node.overflow is not None:
            properties["ivraudit.overflow"] = json.dumps(list(node.overflow.when),
                                                         ensure_ascii=False)
            goto = node.overflow.goto
            properties["ivraudit.overflow.goto"] = self.file_name if goto == RESTART else (
                "#" + goto)
        for name, value in properties.items():
            self.write(2, f"<property{_attr('name', name)}{_attr('value', value)}/>")
        self.write(2, f'<transfer type="blind"{_attr("dest", dest)}>')
        if node.intro is not None:
            self.write(3, f"<prompt>{self.segment(node.intro)}</prompt>")
        self.write(2, "</transfer>")

    def node_menu(self, node: Node) -> None:
        self.collecting(node, self.menu_field)

    def node_input(self, node: Node) -> None:
        self.collecting(node, self.input_field)

    # -- menus and inputs ----------------------------------------------------------------

    def collecting(self, node: Node, field) -> None:
        if node.max_failures is not None:
            self.write(2, f'<var name="{_COUNTER}" expr="0"/>')
        if self.uses_intro_flag(node):
            self.write(2, f'<var name="{_INTRO}" expr="true"/>')
        self.write(2, f'<property name="timeout" value="{_seconds(node.timeout)}"/>')
        if not node.barge_in:
            self.write(2, '<property name="bargein" value="false"/>')
        if node.role:
            self.write(2, f"<property name=\"ivraudit.role\"{_attr('value', node.role)}/>")
        field(node)

    def intro(self, node: Node) -> None:
        if node.intro is None and not self.uses_intro_flag(node):
            return
        cond = _attr("cond", _INTRO) if self.uses_intro_flag(node) else ""
        self.write(3, f"<prompt{cond}>{self.segment(node.intro)}</prompt>")

    def menu_field(self, node: Node) -> None:
        speaking = any(option.speech for option in node.options)
        if not speaking:
            self.write(2, '<property name="inputmodes" value="dtmf"/>')
        self.write(2, f'<field name="{_CHOICE}">')
        self.intro(node)
        self.write(3, f"<prompt><enumerate/>{self.segment(node.outro)}</prompt>")
        for index, option in enumerate(node.options, 1):
            dtmf = _attr("dtmf", option.key) if option.key is not None else ""
            text = self.segment(option.segment) if option.segment is not None else ""
            if option.segment is not None and not text:
                text = '<prosody duration="0s"></prosody>'
            self.write(3, f'<option{dtmf} value="o{index}">{text}</option>')
        if speaking:
            self.write(3, '<grammar mode="voice" root="options">')
            self.write(4, '<rule id="options"><one-of>')
            for index, option in enumerate(node.options, 1):
                for phrase in option.speech:
                    self.write(5, f'<item>{escape(phrase)}<tag>out="o{index}"</tag></item>')
            self.write(4, "</one-of></rule>")
            self.write(3, "</grammar>")
        self.handlers(node)
        self.write(3, "<filled>")
        for index, option in enumerate(node.options, 1):
            opening = "<if" if index == 1 else "<elseif"
            self.write(4 if index == 1 else 5, f"{opening} cond=\"{_CHOICE}=='o{index}'\""
                       + (">" if index == 1 else "/>"))
            self.write(5, self.target(option.goto))
        self.write(4, "</if>")
        self.write(3, "</filled>")
        self.write(2, "</field>")

    def input_field(self, node: Node) -> None:
        name = node.asks if node.asks and re.fullmatch(r"[A-Za-z_$][\w$]*", node.asks) \
            else "digits"
        self.write(2, f"<field{_attr('name', name)}>")
        # minlength/maxlength (length=1 reads as a one-key menu); termchar "" for none
        src = f"builtin:dtmf/digits?minlength={node.digits_min};maxlength={node.digits_max}"
        self.write(3, f'<grammar mode="dtmf"{_attr("src", src)}/>')
        self.write(3, f'<property name="termchar"{_attr("value", node.terminator or "")}/>')
        self.intro(node)
        if node.intro is None and not self.uses_intro_flag(node):
            self.write(3, "<prompt/>")
        self.handlers(node)
        self.write(3, "<filled>")
        self.write(4, self.target(node.next))
        self.write(3, "</filled>")
        self.write(2, "</field>")

    def handlers(self, node: Node) -> None:
        for tag, actions in (("nomatch", node.on_invalid), ("noinput", node.on_timeout)):
            for count, action in enumerate(actions, 1):
                self.write(3, f'<{tag} count="{count}">')
                if node.max_failures is None:
                    self.action(4, action, node)
                else:
                    self.write(4, f'<assign name="{_COUNTER}" expr="{_COUNTER} + 1"/>')
                    self.write(4, f'<if cond="{_COUNTER} == {node.max_failures}">')
                    self.action(5, node.on_exhausted, node)
                    self.write(4, "<else/>")
                    self.action(5, action, node)
                    self.write(4, "</if>")
                self.write(3, f"</{tag}>")
