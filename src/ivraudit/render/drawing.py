"""Menu graphs for designers: graph + metrics + findings -> DOT source -> SVG, PNG or PDF.

``menu_dot`` and ``to_dot`` are pure: they write DOT text and run nothing. ``dot_bytes`` runs
Graphviz's ``dot`` program (through the graphviz package) and is the only part that needs it.

What the drawing shows: one shape per node type; each node's id, the start of its prompt, its
duration and a FORCED mark when the prompt cannot be interrupted; option edges labelled with
their key (hidden options marked; a spoken option by its phrase in quotes and drawn dotted; a
global option marked "all menus"); failure edges (wrong key, no key, too many failures) dashed,
one colour per kind, the k-th action of an escalation list numbered; a full queue's overflow
edge bold and dotted; a transfer out of the menu as an arrow shape; the chosen best path to a
person bold; nodes with findings outlined in their worst severity's colour, with the rule ids;
and a legend of what is drawn.

Every piece of menu text reaches Graphviz as an HTML-like label (or a tooltip) escaped for
XML *and* for Graphviz's own backslash escapes (``\\N`` would otherwise print the node name),
so no prompt can break or inject DOT, or markup in the SVG.
"""

from __future__ import annotations

from .dottext import label_text, quoted, wrap
from ..format.durations import seconds_text, tenths
from ..errors import IvrauditError
from ..analysis.graph import FAILURE_KINDS, HANGUP_NODE
from ..analysis.paths import is_active

FORMATS = ("svg", "png", "pdf", "dot")
HIGHLIGHTS = ("forced", "steps", "listen", "none")

# Noto Sans CJK covers Latin and CJK text alike (Debian: fonts-noto-cjk); the regional
# variant follows the menu's locale so that shared ideographs take the local forms.
FONT = "Noto Sans CJK SC"
_FONTS = {"zh-tw": "Noto Sans CJK TC", "zh-hant": "Noto Sans CJK TC", "zh-hk": "Noto Sans CJK HK",
          "zh-mo": "Noto Sans CJK HK", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}

INSTALL_HINT = (
    "install Graphviz and a CJK font, then try again (`--format dot` works without them): "
    "Debian/Ubuntu: sudo apt-get install graphviz fonts-noto-cjk; "
    "macOS: brew install graphviz; "
    "Windows: winget install graphviz (or choco install graphviz), then put its bin folder "
    "on PATH")

# A shape per node type: a box offers keys, a folded note speaks, a rounded box (a keypad
# key) takes digits, a diamond decides, a double ellipse is a person, a hexagon calls back,
# an octagon (a stop sign) ends the call. (Graphviz inflates slanted shapes around long
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
# One colour per failure kind (Okabe-Ito, darkened for text contrast on white).
FAILURE_STYLE = {"invalid": ("#c24e00", "wrong key"), "timeout": ("#0067a3", "no key"),
                 "exhausted": ("#a3336f", "too many failures")}
PROMPT_COLUMNS = 30  # display columns per prompt line in a node (a CJK character takes two)


class RenderError(IvrauditError):
    """A menu graph that cannot be drawn: no ``dot`` program, or Graphviz failed."""


def font_for(locale: str) -> str:
    """The Noto Sans CJK variant for a BCP 47 locale (Simplified Chinese by default)."""
    tag = locale.lower()
    for prefix, font in _FONTS.items():
        if tag == prefix or tag.startswith(prefix + "-"):
            return font
    return FONT


# -- pieces of the drawing ------------------------------------------------------------------

def _small(text: str, color: str = MUTED, bold: bool = False) -> str:
    inner = f"<B>{text}</B>" if bold else text
    return f'<FONT POINT-SIZE="10" COLOR="{color}">{inner}</FONT>'


def _prompt_text(node) -> str:
    """The node's whole prompt as written, in the order it plays (audio files named)."""
    played = [node.intro] + [option.segment for option in node.options] + [node.outro]
    parts = [segment.say or f"[audio {segment.audio}]" for segment in played
             if segment is not None and (segment.say or segment.audio)]
    return " ".join(" ".join(parts).split())


def _prompt_lines(node) -> list[str]:
    text = _prompt_text(node) if node.type != "branch" else ""
    if not text:
        return []
    return [_small(label_text(line), "#222222") for line in wrap(text, PROMPT_COLUMNS, 2)]


def _facts(node) -> list[str]:
    if node.type in ("message", "menu", "input"):
        time = seconds_text(node.prompt_seconds)
        if node.type == "input":
            digits = (f"{node.digits_min} digits" if node.digits_min == node.digits_max
                      else f"{node.digits_min}-{node.digits_max} digits")
            time += f" · {digits}" + (f" + {label_text(node.terminator)}" if node.terminator
                                      else "")
        if not node.barge_in and node.prompt_seconds:
            return [_small(f"FORCED {time}", "#8a2f00", bold=True) + _small(" (no barge-in)",
                                                                           "#8a2f00")]
        return [_small(time)]
    if node.type in ("human", "transfer"):
        facts = [f"to {label_text(node.to)}" if node.to else "",
                 "a person answers" if node.type == "transfer" and node.person else "",
                 f"wait {node.wait} s" if node.wait is not None else "",
                 f"queue {label_text(node.queue)}" if node.queue else ""]
        return [_small(" · ".join(f for f in facts if f))] if any(facts) else []
    return []


def _finding_line(found: list) -> list[str]:
    if not found:
        return []
    worst: dict[str, str] = {}
    for finding in found:
        if finding.rule not in worst or _rank(finding.severity) < _rank(worst[finding.rule]):
            worst[finding.rule] = finding.severity
    return [" ".join(_small(rule, SEVERITY_COLORS[severity], bold=True)
                     for rule, severity in sorted(worst.items()))]


def _rank(severity: str) -> int:
    return ("error", "warning", "info").index(severity)


def _node_statement(node_id: str, node, found: list, on_path: bool) -> str:
    kind = node.type + (" (language)" if node.role == "language" else "")
    head = f"<B>{label_text(node_id)}</B> " + _small(kind)
    lines = [head] + _prompt_lines(node) + _facts(node) + _finding_line(found)
    forced = node.type in ("message", "menu", "input") and not node.barge_in \
        and node.prompt_seconds > 0
    shape = dict(SHAPES[node.type], **({"peripheries": "2"} if node.is_person else {}))
    attrs = {**shape, "fillcolor": FORCED_FILL if forced else FILLS[node.type],
             "class": " ".join(["ivr-node", node.type] + (["forced"] if forced else [])
                               + (["on-path"] if on_path else [])
                               + [f"finding-{f.severity}" for f in found[:1]])}
    if found:
        worst = min((f.severity for f in found), key=_rank)
        attrs.update(color=SEVERITY_COLORS[worst], penwidth="3")
    elif on_path:
        attrs.update(color=PATH_COLOR, penwidth="2.5")
    full = _prompt_text(node) if node.type != "branch" else ""
    tooltip = f" tooltip={quoted(full)}" if full else ""
    return (f'  {_id(node_id)} [label=<{"<BR/>".join(lines)}>{tooltip} '
            + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + "];")


def _id(node_id: str) -> str:
    return '"' + node_id.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _path_edges(G, path, chosen) -> set:
    """The (source, target, edge key) of each edge the path takes."""
    taken = set()
    for (here, key), (there, _) in zip(path, path[1:]):
        for edge_key, data in G[here][there].items():
            kind = data["kind"]
            if (kind == "option" and data["key"] == key) or (
                    key is None and kind in ("next", "branch", "overflow")
                    and is_active(data, here, chosen)):
                taken.add((here, there, edge_key))
                break
    return taken


def _failure_line(node, kinds: list, data: dict) -> str:
    """'wrong key / no key: replay (after a 2.0 s message)', each kind in its colour; the k-th
    action of an escalation list is numbered ('no key 2', 'no key 3+' for the last)."""
    words = []
    for kind, index in kinds:
        color, word = FAILURE_STYLE[kind]
        if kind == "exhausted":
            word = f"{node.max_failures} failure{'s' if node.max_failures != 1 else ''}"
        else:
            count = len(node.on_invalid if kind == "invalid" else node.on_timeout)
            if count > 1:
                word += f" {index + 1}" + ("+" if index == count - 1 else "")
        words.append(f'<FONT COLOR="{color}">{word}</FONT>')
    then = {"replay": "replay", "reprompt": "reprompt", "restart": "restart",
            "hangup": "hang up"}.get(data["action"], "")
    text = " / ".join(words) + (f": {then}" if then else "")
    if data["message_seconds"]:
        forced = "forced " if not node.barge_in else ""
        text += _small(f" (after a {seconds_text(data['message_seconds'])} {forced}message)",
                       "#333333")
    return text


def _edge_statements(G, chosen, taken: set) -> list[str]:
    lines = []
    failures: dict[tuple, list] = {}  # (source, end): its failure edges, drawn as one arrow
    for source, target, edge_key, data in G.edges(keys=True, data=True):
        if source == HANGUP_NODE:
            continue
        end = f"{HANGUP_NODE}/{source}" if target == HANGUP_NODE else target
        kind = data["kind"]
        if kind in FAILURE_KINDS:
            failures.setdefault((source, end), []).append((kind, data))
            continue
        bold = (source, target, edge_key) in taken
        attrs = {"class": f"ivr-edge {kind}" + (" best" if bold else "")}
        if kind == "option":
            parts = [f"<B>{label_text(data['key'])}</B>"] if data["key"] is not None else []
            if data["speech"]:
                parts.append(f"<I>“{label_text(data['speech'][0])}”</I>")
            key = " / ".join(parts)
            if data["key"] is None:
                attrs.update(style="dotted", color=SPOKEN_COLOR, fontcolor=SPOKEN_COLOR)
                attrs["class"] += " spoken"
            if data["hidden"]:
                attrs.update(color=HIDDEN_COLOR, fontcolor=HIDDEN_COLOR)
                attrs["class"] += " hidden"
                key += " <I>hidden</I>"
            if data["global"]:
                attrs["class"] += " global"
                key += " " + _small("all menus")
            attrs["label"] = f"<{key}>"
        elif kind in ("branch", "overflow"):
            when = "if " + " and ".join(data["when"]) if data["case"] is not None else "else"
            if kind == "overflow":
                when = "queue full, " + when
                attrs.update(style="bold,dotted", color=OVERFLOW_COLOR, fontcolor=OVERFLOW_COLOR)
            attrs["label"] = f"<<I>{label_text(when)}</I>>"
            if not is_active(data, source, chosen):
                attrs.update(color="#999999", fontcolor=MUTED)
        if bold:
            attrs.update(color=PATH_COLOR, penwidth="3.5", arrowsize="1.2")
        lines.append(_edge(source, end, attrs))
    for (source, end), group in failures.items():
        lines.append(_failure_edge(G.nodes[source]["node"], source, end, group))
    return lines


def _failure_edge(node, source: str, end: str, group: list) -> str:
    """One dashed arrow for every failure of ``source`` that leads to ``end``, a label line
    per distinct outcome. Failure edges do not shape the layout; a hang-up stub sits below."""
    outcomes: dict[tuple, list] = {}
    for kind, data in group:
        outcomes.setdefault((kind == "exhausted", data["action"], data["message_seconds"]),
                            []).append((kind, data))
    label = "<BR/>".join(_failure_line(node, [(k, d["index"]) for k, d in same], same[0][1])
                         for same in outcomes.values())
    kinds = [kind for kind, _ in group]
    return _edge(source, end, {
        "class": "ivr-edge failure " + " ".join(kinds), "style": "dashed",
        "color": FAILURE_STYLE[kinds[0]][0], "label": f"<{label}>",
        "constraint": "true" if end.startswith(HANGUP_NODE) else "false"})


def _edge(source: str, target: str, attrs: dict) -> str:
    parts = [f"{k}={v}" if k == "label" else f'{k}="{v}"' for k, v in attrs.items()]
    return f"  {_id(source)} -> {_id(target)} [{' '.join(parts)}];"


def _hangup_stubs(G) -> list[str]:
    """The implicit hangup drawn once beside each node that leads to it (no crossing lines)."""
    return [f'  {_id(f"{HANGUP_NODE}/{source}")} [label=<{_small("hang up", "#333333")}> '
            f'shape="octagon" fillcolor="{FILLS["hangup"]}" class="ivr-node hangup implicit" '
            'margin="0.04"];'
            for source in dict.fromkeys(s for s, _ in G.in_edges(HANGUP_NODE))]


# -- the whole graph ------------------------------------------------------------------------

def to_dot(G, metrics, findings=(), *, scenario: str = "default", highlight: str = "forced",
           locale: str = "en-US", graph_id: str = "ivr") -> str:
    """DOT source for one scenario of a menu graph: ``metrics`` are that scenario's
    (ScenarioMetrics: its paths, and the branch cases it takes)."""
    font = font_for(locale)
    path = metrics.paths.get(highlight) if highlight != "none" else None
    chosen = metrics.chosen
    taken = _path_edges(G, path, chosen) if path else set()
    on_path = {node_id for node_id, _ in path or ()}
    shown = [f for f in findings if not f.suppressed and f.scenario in (None, scenario)]
    per_node: dict[str, list] = {}
    for finding in sorted(shown, key=lambda f: (_rank(f.severity), f.rule)):
        per_node.setdefault(finding.node if finding.node in G else None, []).append(finding)
    lines = [f"digraph {_id(graph_id)} {{",
             f'  graph [id="{graph_id}" rankdir="TB" nodesep="0.35" ranksep="0.55" '
             f'fontname="{font}" fontsize="12" labelloc="t" labeljust="l" '
             f'label=<{_title(G, metrics, scenario, highlight, path, per_node.get(None, []))}>];',
             f'  node [fontname="{font}" fontsize="12" style="filled" margin="0.12,0.06" '
             'penwidth="1.2"];',
             f'  edge [fontname="{font}" fontsize="11" color="#333333" arrowsize="0.8"];']
    for node_id, node in G.nodes(data="node"):
        if node is not None:
            lines.append(_node_statement(node_id, node, per_node.get(node_id, []),
                                         node_id in on_path))
    lines += _hangup_stubs(G)
    lines += _edge_statements(G, chosen, taken)
    lines += _legend(G, font, bool(path))
    lines.append("}")
    return "\n".join(lines) + "\n"


_HIGHLIGHT_WORDS = {"forced": "the fewest forced seconds", "steps": "the fewest key presses",
                   "listen": "the least listening for a first-time caller"}


def _keys(G, path) -> str:
    """The keys along a path: '4, 3, 0' (an input shows its digits)."""
    keys = []
    for node_id, key in path:
        node = G.nodes[node_id]["node"]
        if key is not None:
            keys.append(key)
        elif node.type == "input":
            keys.append(f"{node.digits_min} digits" + (f" {node.terminator}"
                                                       if node.terminator else ""))
    return ", ".join(keys) or "none"


def _trick(G, metrics) -> str:
    """The persistent caller's trick in words."""
    from ..rules.tricks import trick_text

    nodes = {n: node for n, node in G.nodes(data="node") if node is not None}
    return trick_text(nodes, metrics.persistent.path)


def _title(G, metrics, scenario, highlight, path, menu_findings) -> str:
    lines = [f'<FONT POINT-SIZE="16"><B>{label_text(G.graph["ivr"])}</B></FONT>']
    about = f"scenario {label_text(scenario)}"
    if not metrics.human_reachable:
        about += (" · no person can be reached" if metrics.persistent is None
                  else " · no key sequence reaches a person")
    else:
        presses = metrics.steps_to_human
        about += (f" · at best {presses} key press{'es' if presses != 1 else ''} and "
                  f"{seconds_text(metrics.forced_seconds_to_human)} of forced audio to a person")
    lines.append(_small(about, "#333333"))
    if metrics.persistent is not None and not metrics.human_reachable:
        lines.append(_small(f"a person only by failing: {label_text(_trick(G, metrics))}",
                            "#8a2f00", bold=True))
    if path:
        lines.append(_small(f"bold: the path with {_HIGHLIGHT_WORDS[highlight]}: keys "
                            f"{label_text(_keys(G, path))} to {label_text(path[-1][0])}",
                            PATH_COLOR))
    if menu_findings:
        lines.append(_small("menu findings: ", "#333333") + _finding_line(menu_findings)[0])
    return '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'


def _legend(G, font: str, has_path: bool) -> list[str]:
    """A cluster in short rows: the node types drawn, the marks on nodes, the edge kinds."""
    drawn = {kind for n, kind in G.nodes(data="type") if n != HANGUP_NODE or G.in_degree(n)}
    types = [t for t in SHAPES if t in drawn]
    kinds = {data["kind"] for _, _, data in G.edges(data=True)}
    hidden = any(data.get("hidden") for _, _, data in G.edges(data=True))
    items = [(f'"legend:{t}"', f'[label="{t}" fillcolor="{FILLS[t]}" '
              + " ".join(f'{k}="{v}"' for k, v in SHAPES[t].items()) + "]") for t in types]
    marks = [('"legend:forced"', f'[label=<<B>FORCED</B>: no barge-in> shape="box" '
                                 f'fillcolor="{FORCED_FILL}"]')]
    marks += [(f'"legend:{s}"', f'[label="{s} finding" shape="box" fillcolor="white" '
                                f'color="{c}" penwidth="3"]') for s, c in SEVERITY_COLORS.items()]
    samples = [("key", "<<B>3</B> press 3>", "")]
    if hidden:
        samples.append(("hidden", "<<B>9</B> <I>hidden</I>>",
                        f'color="{HIDDEN_COLOR}" fontcolor="{HIDDEN_COLOR}"'))
    if any(data.get("key", "") is None for _, _, data in G.edges(data=True)):
        samples.append(("spoken", "<<I>“agent”</I> said>",
                        f'style="dotted" color="{SPOKEN_COLOR}" fontcolor="{SPOKEN_COLOR}"'))
    if "overflow" in kinds:
        samples.append(("overflow", "<<I>queue full</I>>",
                        f'style="bold,dotted" color="{OVERFLOW_COLOR}" '
                        f'fontcolor="{OVERFLOW_COLOR}"'))
    if has_path:
        samples.append(("best", "<best path>", f'color="{PATH_COLOR}" penwidth="3.5"'))
    for kind in FAILURE_KINDS:
        if kind in kinds:
            color, word = FAILURE_STYLE[kind]
            samples.append((kind, f'<<FONT COLOR="{color}">{word}</FONT>>',
                            f'style="dashed" color="{color}"'))
    rows = [items[:4], items[4:], marks[:2], marks[2:]]
    rows += [[(f'"legend:{n}:{end}"', '[shape="point" width="0.05" label=""]')
              for n, _, _ in samples[i:i + 3] for end in "ab"] for i in range(0, len(samples), 3)]
    rows = [row for row in rows if row]
    lines = ['  subgraph "cluster_legend" {',
             f'    graph [label=<<B>Legend</B>> labeljust="l" fontsize="12" style="rounded" '
             f'color="#999999" id="legend" fontname="{font}" margin="10"];',
             '    node [fontsize="10" margin="0.06,0.03" height="0.3" class="legend"];',
             '    edge [fontsize="10" class="legend"];']
    for row in rows:
        lines.append("    { rank=same; " + "; ".join(f"{n} {a}" for n, a in row) + "; }")
    lines += [f'    "legend:{name}:a" -> "legend:{name}:b" [label={label} minlen="2" {style}];'
              for name, label, style in samples]
    # invisible edges keep each row in reading order and stack the rows
    for row in rows:
        lines += [f'    {a} -> {b} [style="invis"];' for (a, _), (b, _) in zip(row, row[1:])
                  if not (a.endswith(':a"') and b.endswith(':b"'))]
    lines += [f'    {a[0][0]} -> {b[0][0]} [style="invis"];' for a, b in zip(rows, rows[1:])]
    return lines + ["  }"]


def menu_dot(result, scenario: str | None = None, highlight: str = "forced",
             graph_id: str = "ivr") -> str:
    """DOT source for an audited menu (a MenuResult) in one of its scenarios (default: the
    first); raises RenderError for an unknown scenario or highlight."""
    menu = result.menu
    scenario = scenario or next(iter(result.scenarios))
    if scenario not in result.scenarios:
        raise RenderError(menu.path, 1, 1, f"the menu has no scenario '{scenario}'",
                          "scenarios: " + ", ".join(result.scenarios))
    if highlight not in HIGHLIGHTS:
        raise RenderError(menu.path, 1, 1, f"unknown highlight '{highlight}'",
                          "one of: " + ", ".join(HIGHLIGHTS))
    return to_dot(result.graph, result.scenarios[scenario], result.findings, scenario=scenario,
                  highlight=highlight, locale=menu.locale, graph_id=graph_id)


# -- running Graphviz -----------------------------------------------------------------------

def dot_bytes(source: str, fmt: str, path: str = "<graph>") -> bytes:
    """Lay out DOT ``source`` with Graphviz's ``dot`` and return the ``fmt`` file's bytes.

    ``fmt`` ``dot`` returns the source itself. Raises RenderError, naming ``path``, when the
    ``dot`` program is missing (with how to install it) or fails.
    """
    data = source.encode("utf-8")
    if fmt == "dot":
        return data
    if fmt not in FORMATS:
        raise RenderError(path, 1, 1, f"unknown format '{fmt}'", "one of: " + ", ".join(FORMATS))
    import graphviz

    try:
        return graphviz.pipe("dot", fmt, data, quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError(path, 1, 1, f"cannot draw {fmt}: Graphviz's `dot` program is not "
                          "installed (or not on PATH)", INSTALL_HINT) from None
    except graphviz.CalledProcessError as error:
        detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(path, 1, 1, f"Graphviz could not draw the menu: "
                          f"{detail[-1] if detail else error}",
                          "please report this with the menu file") from None
