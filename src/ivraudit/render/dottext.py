"""Text for Graphviz: menu text escaped for HTML-like labels and for escString attributes,
and wrapped by display width (a CJK character takes two columns).

Graphviz reads an HTML-like label as XML and then expands its own backslash escapes in it
(``\\N`` is the node's name), so a label needs both kinds of escaping; a quoted attribute
such as ``tooltip`` has backslashes halved twice and ``&`` entities decoded.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Characters XML 1.0 forbids (Graphviz parses HTML-like labels as XML and stops at them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def label_text(value: object) -> str:
    """Menu text for an HTML-like label: one line, shown exactly as written.

    >>> label_text('a <b> & "c" \\\\N')
    'a &lt;b&gt; &amp; &quot;c&quot; \\\\\\\\N'
    """
    one_line = " ".join(_NOT_XML.sub("\ufffd", str(value)).split())
    return html.escape(one_line.replace("\\", "\\\\"), quote=True)


def quoted(value: object) -> str:
    """Menu text as a quoted DOT string for an escString attribute such as ``tooltip``.

    The DOT lexer and then the escString expansion each halve backslashes; Graphviz also
    decodes ``&`` entities in it.
    """
    one_line = " ".join(_NOT_XML.sub("\ufffd", str(value)).split())
    text = one_line.replace("\\", "\\\\\\\\").replace("&", "&amp;").replace('"', '\\"')
    return f'"{text}"'


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _units(text: str) -> list[str]:
    """Where a line may break: runs of spaces, words, and each wide (CJK) character."""
    units: list[list[str]] = []
    for char in text:
        kind = "wide" if _width(char) == 2 else "space" if char.isspace() else "word"
        if units and kind != "wide" and units[-1][0] == kind:
            units[-1][1] += char
        else:
            units.append([kind, char])
    return [unit for _, unit in units]


def wrap(text: str, columns: int, lines: int) -> list[str]:
    """At most ``lines`` lines of at most ``columns`` display columns (a CJK character
    counts two), broken between words or between CJK characters; "…" marks a cut.

    >>> wrap("Calls may be recorded and monitored", 12, 2)
    ['Calls may be', 'recorded and…']
    >>> wrap("请选择您需要的服务。", 8, 2)
    ['请选择您', '需要的服…']
    """
    out, line, used = [], "", 0
    for unit in _units(text):
        if unit.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        size = sum(_width(c) for c in unit)
        if used and used + size > columns:
            out.append(line.rstrip())
            line, used = "", 0
        while size > columns:  # a word longer than a line: cut it
            cut, taken = "", 0
            for char in unit:
                if taken + _width(char) > columns:
                    break
                cut, taken = cut + char, taken + _width(char)
            out.append(cut)
            unit, size = unit[len(cut):], size - taken
        line, used = line + unit, used + size
    if line.strip():
        out.append(line.rstrip())
    if len(out) > lines:
        out = out[:lines]
        out[-1] += "…"
    return out
