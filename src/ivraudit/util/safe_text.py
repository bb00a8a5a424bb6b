r"""Text from an input, made safe for the place it is printed: one function per destination.

Menu files, policies and personas come from pull requests and vendors: their text (names,
prompts, ids, paths, waiver reasons), and every message that quotes it, is untrusted. Printed
raw, an escape sequence changes a terminal's title or clears it, a newline starts a line that
a CI log reads as a GitHub workflow command (``::error ...``) or that an editor's problem
matcher reads as a ``FILE:LINE:COL: error:`` line, and Markdown turns ``@name`` into a mention.
Every output goes through one of these functions:

=====================  =====================================================================
``terminal``           a line on a terminal, stderr or a CI log: the text report, errors,
                       ``simulate`` and ``call``
``github_data``,       a GitHub workflow command's message and property values
``github_property``
``markdown``,          inline Markdown (a pull-request comment), and a code span
``markdown_code``
``xml``                XML text and attribute values (JUnit)
``html``               HTML text and attribute values
``dot_label``,         Graphviz: an HTML-like label, and a quoted escString attribute
``dot_string``
``json_text``          a JSON document (the json and sarif reports, ``simulate --format json``)
=====================  =====================================================================

Control characters are shown, never sent: ``\x1b`` for ESC, ``\n`` for a newline, ``\u2028``
for a line separator, so the reader sees what the file holds. Shown this way: every C0 and C1
control and DEL, the Unicode line and paragraph separators, the bidirectional embeddings,
overrides and isolates (which reorder what a reader sees), and lone surrogates.
"""

from __future__ import annotations

import html as _html
import json
import os
import re

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Active beyond C0: DEL and C1, line and paragraph separators, bidi controls, lone surrogates.
_NOT_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_ACTIVE_CHAR = re.compile(f"[\x00-\x1f{_NOT_C0}]")
_ACTIVE_BUT_LINE_BREAKS = re.compile(f"[\x00-\x09\x0b\x0c\x0e-\x1f{_NOT_C0}]")
_NOT_XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_NOT_C0}\ufffe\uffff]")
_JSON_ACTIVE = re.compile(f"[{_NOT_C0}]")  # json.dumps escapes C0 itself


def _shown(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _visible(value: object) -> str:
    r"""``value`` as text with every control character shown as an escape, on one line.

    >>> _visible("a\x1b]0;title\x07\nb\u202e")
    'a\\x1b]0;title\\x07\\nb\\u202e'
    """
    text = str(value)
    if text.isprintable():  # most lines: every character shown escaped is unprintable
        return text
    return _ACTIVE_CHAR.sub(_shown, text)


def terminal(value: object) -> str:
    r"""A line (or a piece of one) for a terminal, stderr or a CI log.

    Control characters are shown (``_visible``), so no value can move the cursor, retitle the
    window or start a new line; and a line that would begin with ``::``, which the GitHub
    Actions runner reads as a workflow command on stdout and stderr alike, begins with
    ``\x3a:`` instead.

    >>> terminal("IVR999\n::error file=x::forged")
    'IVR999\\n::error file=x::forged'
    >>> terminal("::error file=x::forged")
    '\\x3a:error file=x::forged'
    """
    text = _visible(value)
    start = len(text) - len(text.lstrip())
    if text.startswith("::", start):
        text = text[:start] + "\\x3a" + text[start + 1:]
    return text


def github_data(value: object) -> str:
    r"""A workflow command's message: ``%``, CR and LF escaped as the runner decodes them (an
    annotation may span lines), other control characters shown.

    >>> github_data("50% done,\nthen\x1b[2J")
    '50%25 done,%0Athen\\x1b[2J'
    """
    text = _ACTIVE_BUT_LINE_BREAKS.sub(_shown, str(value).replace("%", "%25"))
    return text.replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: object) -> str:
    """A workflow command's property value (file, title): also ``:`` and ``,``, which end it.

    >>> github_property("menus/a,b:c.yaml")
    'menus/a%2Cb%3Ac.yaml'
    """
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


# Markdown punctuation that can open emphasis, links, code spans or strikethrough, end a table
# cell, or link an issue; a backslash before it prints it as itself.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What GitHub links by itself: @mentions (and e-mail addresses), bare URLs, www. names. A zero
# width space (as an entity, as Dependabot writes it) breaks each and reads the same.
_AUTOLINKED = re.compile(r"(?<=@)(?=\w)|(?<=:)(?=//)|(?<=\bwww)(?=\.)", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "&#8203;"


def _one_line(value: object) -> str:
    return _visible(" ".join(str(value).split()))


def markdown(value: object) -> str:
    """Text as inline Markdown that renders as itself, on one line: punctuation escaped, HTML
    shown as text, no @mention, no autolink.

    >>> markdown("Billing | <b>*VIP*</b> `x`")
    'Billing \\\\| &lt;b&gt;\\\\*VIP\\\\*&lt;/b&gt; \\\\`x\\\\`'
    >>> markdown("ask @octocat at https://x.example or www.x.example")
    'ask @&#8203;octocat at https:&#8203;//x.example or www&#8203;.x.example'
    """
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", _one_line(value))
    escaped = "".join(_HTML_SPECIAL.get(char, char) for char in escaped)
    return _AUTOLINKED.sub(_ZERO_WIDTH_SPACE, escaped)


def markdown_code(value: object) -> str:
    """Text as a code span inside a table cell: backticks and ``|`` cannot break it, and
    nothing in a code span is a mention or a link.

    >>> markdown_code("a`b|c")
    '``a`b\\\\|c``'
    """
    one_line = _one_line(value)
    runs = [len(run) for run in re.findall(r"`+", one_line)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{fence}{pad}{one_line.replace('|', chr(92) + '|')}{pad}{fence}"


def xml(value: object) -> str:
    r"""Text for an XML document (ElementTree escapes the markup): characters XML 1.0 cannot
    carry and control characters are shown; tab, newline and carriage return stay.

    >>> xml("bell\x07 tab\t ok\ufffe")
    'bell\\x07 tab\t ok\\ufffe'
    """
    return _NOT_XML.sub(_shown, str(value))


def html(value: object) -> str:
    """Text as HTML that shows as itself (text or a quoted attribute value), on one line of the
    source as it is on the page (a browser shows a line break in text as a space).

    >>> html('<script>"x"</script>\\x1b\\nforged.yaml:1:1: error:')
    '&lt;script&gt;&quot;x&quot;&lt;/script&gt;\\\\x1b forged.yaml:1:1: error:'
    """
    return _html.escape(_one_line(value), quote=True)


def dot_label(value: object) -> str:
    r"""Text for a Graphviz HTML-like label: one line, shown exactly as written. Graphviz
    parses the label as XML and then expands its own backslash escapes (``\N`` is the node's
    name), so both are escaped.

    >>> dot_label('a <b> & "c" \\N\x1b')
    'a &lt;b&gt; &amp; &quot;c&quot; \\\\N\\\\x1b'
    """
    return _html.escape(_one_line(value).replace("\\", "\\\\"), quote=True)


def dot_string(value: object) -> str:
    r"""Text as a quoted DOT string for an escString attribute such as ``tooltip``: the DOT
    lexer and then the escString expansion each halve backslashes, and Graphviz decodes ``&``
    entities in it.

    >>> dot_string('say "hi" & \\N')
    '"say \\"hi\\" &amp; \\\\\\\\N"'
    """
    text = _one_line(value).replace("\\", "\\\\\\\\").replace("&", "&amp;").replace('"', '\\"')
    return f'"{text}"'


def json_text(data: object) -> str:
    r"""A JSON document on one line, written by the standard library's C encoder (an indented
    document is written in pure Python, several times slower), non-ASCII text kept readable,
    and every control character escaped as ``\uXXXX`` (json escapes C0 itself; DEL, C1, the
    line separators and the bidi controls too), so that printing it on a terminal runs
    nothing. The data reads back the same.

    >>> json_text({"ivr": "a\x1b\x9b\u2028é", "keys": [1, 2]})
    '{"ivr":"a\\u001b\\u009b\\u2028é","keys":[1,2]}\n'
    """
    return json_part(data) + "\n"


def json_part(data: object) -> str:
    """``data`` as it is written inside a json_text document (no line break): a document
    made of parts written apart (``json_joined``) reads as one written whole."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Stands for a list written in parts (json_joined); random, so that no text from a file is it.
JSON_PARTS = "ivraudit-parts-" + os.urandom(16).hex()


def json_joined(data: object, parts) -> str:
    r"""json_text(data), where the one value ``JSON_PARTS`` in ``data`` stands for a list
    whose items are already written (``parts``, each a json_part).

    >>> json_joined({"menus": JSON_PARTS, "n": 2}, ['{"a":1}', '"b"'])
    '{"menus":[{"a":1},"b"],"n":2}\n'
    """
    return "".join(json_chunks(data, parts))


def json_chunks(data: object, parts):
    """``json_joined`` in pieces, an item at a time (``parts``: any iterable)."""
    head, tail = json_part(data).split(f'"{JSON_PARTS}"')
    yield f"{head}["
    for n, part in enumerate(parts):
        if n:
            yield ","
        yield part
    yield f"]{tail}\n"