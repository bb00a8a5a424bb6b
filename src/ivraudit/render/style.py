"""How a menu drawing looks: shapes and fills per node type, the colours of findings, of the
best path and of each kind of failure, and the font for the menu's language. One place, read
by the DOT writer (drawing.py), the labels (labels.py) and the live preview's page."""

from __future__ import annotations

from ..i18n import N_

# Noto Sans CJK covers Latin and CJK text alike (Debian: fonts-noto-cjk); the regional
# variant follows the menu's locale so that shared ideographs take the local forms.
FONT = "Noto Sans CJK SC"
_FONTS = {"zh-tw": "Noto Sans CJK TC", "zh-hant": "Noto Sans CJK TC", "zh-hk": "Noto Sans CJK HK",
          "zh-mo": "Noto Sans CJK HK", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}

# A shape per node type: a box offers keys, a folded note speaks, a rounded box (a keypad
# key) takes digits, a diamond decides, a double ellipse is a person, a hexagon calls back,
# an octagon (a stop sign) ends the call, an arrow-shaped box leaves the menu (a transfer). (Graphviz inflates slanted shapes around long
# labels, so the flowchart parallelogram for input would dwarf every other node.)
SHAPES = {"menu": {"shape": "box"}, "message": {"shape": "note"},
          "input": {"shape": "box", "style": "filled,rounded"},
          "branch": {"shape": "diamond"}, "human": {"shape": "ellipse", "peripheries": "2"},
          "callback": {"shape": "hexagon"}, "hangup": {"shape": "octagon"},
          "transfer": {"shape": "cds"}}
FILLS = {"menu": "#e8f1fb", "message": "#f4f4f4", "input": "#f1ebfa", "branch": "#fff8dc",
         "human": "#d4f0de", "callback": "#dbeafe", "hangup": "#e6e6e6", "transfer": "#e4f4f1"}
SPOKEN_COLOR = "#00607a"
OVERFLOW_COLOR = "#8a4b00"
FORCED_FILL = "#ffdcb5"
SEVERITY_COLORS = {"error": "#c62828", "warning": "#b35c00", "info": "#1f5fae"}
PATH_COLOR = "#00684a"
HIDDEN_COLOR = "#7b3fa0"
MUTED = "#555555"
STUB_BORDER = "#666666"
CLUSTER_BORDER, CLUSTER_FILL = "#c8d3df", "#fbfcfe"
# One colour per failure kind (Okabe-Ito, darkened for text contrast on white).
FAILURE_STYLE = {"invalid": ("#c24e00", N_("wrong key")), "timeout": ("#0067a3", N_("no key")),
                 "exhausted": ("#a3336f", N_("too many failures"))}
PROMPT_COLUMNS = 30  # display columns per prompt line in a node (a CJK character takes two)


def font_for(locale: str) -> str:
    """The Noto Sans CJK variant for a BCP 47 locale (Simplified Chinese by default)."""
    tag = locale.lower()
    for prefix, font in _FONTS.items():
        if tag == prefix or tag.startswith(prefix + "-"):
            return font
    return FONT
