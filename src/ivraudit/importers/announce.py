"""Which options a single prompt announces, and where each announcement ends (SPEC section 10).

Many platforms play one prompt for a whole menu (Connect and Studio gathers, Archy menus,
VoiceXML fields): "Welcome. For sales, press 1. For support, press 2." An option is announced
when the prompt names its key ("press 2", "dial 2", "选择2", "按2", "2键", digits or words); its
announcement ends at the end of the sentence that names it; the text before the first such
sentence is the intro, the text after the last one the outro. An option never named is hidden.
"""

from __future__ import annotations

import re
from dataclasses import field

from ..i18n import N_, Message, msg
from ..util.cached import record

_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
          "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "star": "*",
          "asterisk": "*", "pound": "#", "hash": "#", "零": "0", "〇": "0", "一": "1",
          "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
          "星号": "*", "星": "*", "井号": "#", "井": "#"}
_KEY = (r"(?P<key>[0-9*#]+|zero|oh|one|two|three|four|five|six|seven|eight|nine|star|asterisk"
        r"|pound|hash|星号|井号|[零〇一二三四五六七八九星井])")
_NAMING = [
    re.compile(r"\b(?:press|dial|enter|push|select|choose|key|hit|touch)\s+(?:the\s+)?"
               r"(?:key\s+|number\s+)?" + _KEY + r"(?![0-9A-Za-z])", re.IGNORECASE),
    re.compile(r"(?:请按|按下|按|选择|请选|拨打|拨|输入)\s*" + _KEY),
    re.compile(_KEY + r"\s*(?:键|號键|号键)"),
]
# A sentence ends at . ! ? ; and their CJK forms, or at a line break.
_SENTENCE = re.compile(r"[^.!?;。！？；\n]*(?:[.!?;。！？；]+|\n|$)")


def _key_of(word: str) -> str:
    lowered = word.lower()
    if lowered in _WORDS:
        return _WORDS[lowered]
    return "".join(_WORDS.get(ch, ch) for ch in word)


def named_keys(sentence: str) -> list[str]:
    """The keys a sentence tells the caller to press, in the order it names them.

    >>> named_keys("For billing, press 1 or dial two.")
    ['1', '2']
    >>> named_keys("查询话费请按1，人工服务请按0。")
    ['1', '0']
    """
    found = []
    for pattern in _NAMING:
        for match in pattern.finditer(sentence):
            found.append((match.start(), _key_of(match.group("key"))))
    keys = []
    for _, key in sorted(found):
        if key not in keys:
            keys.append(key)
    return keys


@record(frozen=False)
class Announcements:
    """A prompt cut at its sentences: ``intro``, each named key's sentence(s) in ``options``
    (key -> text, in the order spoken), and the ``outro`` after the last naming sentence."""

    intro: str = ""
    options: dict[str, str] = field(default_factory=dict)
    outro: str = ""

    def announced(self, key: str) -> bool:
        return key in self.options


def split_prompt(text: str, keys) -> Announcements:
    """Cut ``text`` for a menu whose options have ``keys``.

    A sentence that names several keys announces the first one it names; the others end
    their announcement there too (with nothing more to hear, an empty text). Sentences
    between two naming sentences belong to the option after them.

    >>> a = split_prompt("Welcome. For sales, press 1. For support, press 2. Goodbye.", ["1", "2", "0"])
    >>> a.intro, a.options, a.outro
    ('Welcome.', {'1': 'For sales, press 1.', '2': 'For support, press 2.'}, 'Goodbye.')
    """
    wanted = set(keys)
    result = Announcements()
    pending: list[str] = []
    for sentence in _SENTENCE.findall(text):
        if not sentence.strip():
            continue
        named = [key for key in named_keys(sentence) if key in wanted and key not in
                 result.options]
        if not named:
            pending.append(sentence)
            continue
        if not result.options:
            result.intro, pending = _join(pending), []
        result.options[named[0]] = _join(pending + [sentence])
        pending = []
        for other in named[1:]:
            result.options[other] = ""
    if result.options:
        result.outro = _join(pending)
    else:
        result.intro = _join(pending)
    return result


def unrouted(key: str) -> Message:
    """The assumption for a key the menu's prompt tells the caller to press that no option of
    the menu has: the platform takes it as a wrong key, which the caller was told to press."""
    return msg(N_("the prompt tells the caller to press {key}, but the menu has no option {key}: "
                  "pressing it is a wrong key"), key=key)


def _join(parts: list[str]) -> str:
    return " ".join(" ".join(part.split()) for part in parts).strip()
