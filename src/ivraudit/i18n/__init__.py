"""Words in the reader's language: messages kept as data, rendered through gettext catalogs.

Rules never print: a rule's message is a ``Message``, a template (the English text, which is
also the gettext message id) and its parameters. Reporters render it with a ``Translator`` for
the reader's language (``--lang``), which looks the template up in the catalog
(``i18n/<lang>/LC_MESSAGES/ivraudit.mo``, compiled from the ``.po`` beside it) and fills in the
parameters, each rendered in the same language::

    >>> found = msg(N_("{seconds} to a person ({menus} in menus + {wait} in the queue; limit "
    ...                "{limit})"), seconds=Seconds(Fraction(595, 2), estimated=True),
    ...             menus=Seconds(Fraction(115, 2), estimated=True), wait=Seconds(240),
    ...             limit=Seconds(180))
    >>> ENGLISH.render(found)
    '≈297.5 s to a person (≈57.5 s in menus + 240.0 s in the queue; limit 180.0 s)'
    >>> Translator("zh-CN").render(found)
    '接通人工需 ≈297.5 秒（菜单 ≈57.5 秒 + 排队 240.0 秒；上限 180.0 秒）'
    >>> Translator("zh-CN").render(msgn(Np_("{n} key press", "{n} key presses"), 3))
    '按键 3 次'

``N_`` and ``Np_`` only mark strings for extraction (Babel's ``pybabel extract`` keywords,
``ivraudit.i18n.catalog`` runs it); they return their arguments unchanged. Parameters are
inserted as text, never read as templates: menu text in them stays as written. ``Seconds``
carries whether a value rests on a duration estimated from the text (reports print ``≈``
before it, docs/report.md).

Only the standard library runs here (``gettext``); Babel is needed to extract and compile the
catalogs, not to read them.
"""

from __future__ import annotations

import gettext
import os
from fractions import Fraction
from functools import lru_cache
from importlib import resources

from ..format.durations import seconds_text
from ..util.cached import record

DOMAIN = "ivraudit"
LANGUAGES = ("en", "zh-CN")  # what --lang accepts
_CATALOG_NAMES = {"zh-CN": "zh_CN"}  # gettext's folder name for each translated language
ESTIMATED = "≈"  # before a number that rests on a duration estimated from the text


def N_(text: str) -> str:
    """Mark ``text`` for translation where it is written; translated when rendered."""
    return text


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair (``{n}`` holds the count); chosen when rendered."""
    return singular, plural


@record
class Message:
    """A template (the English text and gettext id) with named ``{fields}`` and their values.

    ``plural``: the template for a count other than one (``count`` chooses, and is also the
    ``{n}`` field). A parameter may be text (inserted as written), a number, a ``Seconds``,
    a ``Joined`` list or another ``Message``.
    """

    text: str
    params: tuple[tuple[str, object], ...] = ()
    plural: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        return ENGLISH.render(self)


def msg(text: str, **params) -> Message:
    """A message with its parameters: ``msg(N_("key {key} at '{menu}'"), key="0", menu="main")``."""
    return Message(text, tuple(params.items()))


def msgn(forms: tuple[str, str], n: int, **params) -> Message:
    """A message whose wording follows the count ``n`` (``Np_`` marks the two forms)."""
    return Message(forms[0], tuple(params.items()), forms[1], n)


@record
class Seconds:
    """Seconds as reports print them (rounded half up to 0.1, with the unit), marked ``≈``
    when ``estimated``: the value rests on a prompt whose duration the menu does not give."""

    value: Fraction | float | None
    estimated: bool = False

    def __str__(self) -> str:
        return ENGLISH.render(self)


@record
class Joined:
    """Items rendered and joined: by the language's list separator (", " or "、"), or by
    ``separator`` (a message such as ``N_(", then ")``)."""

    items: tuple
    separator: str | None = None

    def __str__(self) -> str:
        return ENGLISH.render(self)


class Translator:
    """Renders messages and marked strings in one language (``en`` or ``zh-CN``)."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._catalog = _catalog(lang)
        self._english = lang == "en"  # the message ids are the English: no lookup

    def __call__(self, text: str) -> str:
        """A marked string in this language."""
        return text if self._english else self._catalog.gettext(text)

    def n(self, forms: tuple[str, str], n: int) -> str:
        """The form for count ``n`` of an ``Np_`` pair, in this language (``{n}`` unfilled)."""
        return self._catalog.ngettext(forms[0], forms[1], n)

    def count(self, forms: tuple[str, str], n: int) -> str:
        """'1 key press', '3 key presses' (``{n}`` filled in, with thousands separators)."""
        return self.n(forms, n).format(n=f"{n:,}")

    def seconds(self, value, estimated: bool = False, unit: bool = True, sign: str = "") -> str:
        """'29.5 s' ('29.5 秒'), '≈29.5 s' when estimated (and not zero); '—' for None;
        ``sign`` (e.g. '+') goes after the '≈'."""
        shown = seconds_text(value, unit=self(N_(" s")) if unit else "")
        if value is None:
            return shown
        return (ESTIMATED if estimated and value != 0 else "") + sign + shown

    def join(self, items, separator: str | None = None) -> str:
        sep = self(separator) if separator is not None else self(N_(", "))
        return sep.join(self.render(item) for item in items)

    def template(self, message: Message) -> tuple[str, dict[str, str]]:
        """A message's template in this language and its count field (``{n}``), if any."""
        if message.plural is not None:
            return (self._catalog.ngettext(message.text, message.plural, message.count),
                    {"n": f"{message.count:,}"})
        return (message.text if self._english else self._catalog.gettext(message.text)), {}

    def render(self, value: object) -> str:
        """A message or parameter as text in this language."""
        if type(value) is str:  # most parameters: node ids, keys, text from the menu
            return value
        if isinstance(value, Message):
            template, fields = self.template(value)
            for name, param in value.params:
                fields[name] = param if type(param) is str else self.render(param)
            return template.format(**fields)
        if isinstance(value, Seconds):
            return self.seconds(value.value, value.estimated)
        if isinstance(value, Joined):
            return self.join(value.items, value.separator)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return f"{value:,}"
        return "" if value is None else str(value)

    def text(self, message) -> str:
        """A finding's or occurrence's words: its ``text`` message, else its plain message."""
        found = getattr(message, "text", None)
        if isinstance(found, Message):
            if self._english:  # a finding's `message` is its text already rendered in English
                return message.message
            return self.render(found)
        return str(getattr(message, "message", message))


@lru_cache(maxsize=None)
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
    name = _CATALOG_NAMES.get(lang)
    if name is None:
        return gettext.NullTranslations()
    path = resources.files(__package__).joinpath(name, "LC_MESSAGES", f"{DOMAIN}.mo")
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)


ENGLISH = Translator("en")


def language_from_environment(environ=None) -> str:
    """The report language the locale asks for: the first of LC_ALL, LC_MESSAGES and LANG that
    is set (gettext's order); ``zh-CN`` for a Chinese locale (zh, zh_CN.UTF-8, zh_TW ...),
    else ``en``.

    >>> language_from_environment({"LANG": "zh_CN.UTF-8"}), language_from_environment({})
    ('zh-CN', 'en')
    >>> language_from_environment({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    return "en"
