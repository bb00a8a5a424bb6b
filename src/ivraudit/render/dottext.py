"""Text for Graphviz: menu text escaped for HTML-like labels and for escString attributes
(util.safe_text.dot_label and dot_string), and wrapped by display width (a CJK character
takes two columns)."""

from __future__ import annotations

import unicodedata

from ..util.safe_text import dot_label, dot_string

label_text, quoted = dot_label, dot_string  # what drawing.py calls them


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


# Chinese and Japanese line breaking (kinsoku): these never start a line; they hang at the end
# of the line before, past its width (GB/T 15834, JIS X 4051 "gyoto kinsoku").
NO_LINE_START = frozenset("，。、；：？！）】」』》〉〕］｝…・ー!),.:;?]}")


def wrap(text: str, columns: int, lines: int) -> list[str]:
    """At most ``lines`` lines of at most ``columns`` display columns (a CJK character
    counts two), broken between words or between CJK characters; "…" marks a cut. A closing
    punctuation mark ("，" "。" ...) never starts a line: it hangs at the end of the one before.

    >>> wrap("Calls may be recorded and monitored", 12, 2)
    ['Calls may be', 'recorded and…']
    >>> wrap("请选择您需要的服务。", 8, 2)
    ['请选择您', '需要的服…']
    >>> wrap("您好，欢迎致电。请按一号键。", 4, 4)
    ['您好，', '欢迎', '致电。', '请按…']
    """
    out, line, used = [], "", 0
    for unit in _units(text):
        if unit.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        size = sum(_width(c) for c in unit)
        if used and used + size > columns and unit[0] in NO_LINE_START and line:
            line, used = line + unit, used + size  # hangs: never starts the next line
            continue
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
