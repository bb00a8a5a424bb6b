"""Menu graphs for designers: graph + metrics + findings -> DOT source -> SVG, PNG or PDF.

``menu_dot`` and ``to_dot`` are pure: they write DOT text and run nothing. ``dot_bytes`` runs
Graphviz's ``dot`` program (through the graphviz package) and is the only part that needs it.

What the drawing shows: one shape per node type; each node's id, the start of its prompt, its
duration and a FORCED mark when the prompt cannot be interrupted; option edges labelled with
their key, in key order (hidden options marked; a spoken option by its phrase in quotes and
drawn dotted; a global option marked "all menus"); failures (wrong key, no key, too many
failures) dashed or written in the node, one colour per kind, the k-th action of an
escalation list numbered; a full queue's overflow edge bold and dotted; a transfer out of the
menu as an arrow shape; the chosen best path to a person bold; nodes with findings outlined in their worst severity's colour, with the rule ids; and a
small legend of what is drawn. Where things go (levels, stubs, sub-menu clusters, direction)
is decided in layout.py.

Every piece of menu text reaches Graphviz as an HTML-like label (or a tooltip) escaped for
XML *and* for Graphviz's own backslash escapes (``\\N`` would otherwise print the node name),
so no prompt can break or inject DOT, or markup in the SVG.
"""

from __future__ import annotations


from ..analysis.graph import FAILURE_KINDS
from ..analysis.paths import is_active
from ..analysis.settle import HANGUP_NODE
from ..errors import IvrauditError
from ..i18n import ENGLISH, N_, Joined, Translator, msg
from ..rules.base import severity_rank
from .dottext import label_text, quoted
from .labels import (
    failure_line, is_forced, legend_table, node_label, prompt_text, small, stub_label, title,
)
from .layout import LAYOUTS, Plan, plan as layout_plan
from .style import (
    CLUSTER_BORDER, CLUSTER_FILL, FAILURE_STYLE, FILLS, FORCED_FILL, HIDDEN_COLOR, MUTED,
    OVERFLOW_COLOR, PATH_COLOR, SEVERITY_COLORS, SHAPES, SPOKEN_COLOR, STUB_BORDER, font_for,
)

FORMATS = ("svg", "png", "pdf", "dot")
HIGHLIGHTS = ("forced", "steps", "listen", "none")

INSTALL_HINT = (
    "install Graphviz and a CJK font, then try again (`--format dot` works without them): "
    "Debian/Ubuntu: sudo apt-get install graphviz fonts-noto-cjk; "
    "macOS: brew install graphviz; "
    "Windows: winget install graphviz (or choco install graphviz), then put its bin folder "
    "on PATH")


class RenderError(IvrauditError):
    """A menu graph that cannot be drawn: no ``dot`` program, or Graphviz failed."""


class DotMissing(RenderError):
    """Graphviz's ``dot`` program is not installed (or not on PATH)."""


# -- nodes ----------------------------------------------------------------------------------

def _node_statement(node_id: str, node, found: list, on_path: bool, plan: Plan,
                    tr: Translator = ENGLISH) -> str:
    forced = is_forced(node)
    shape = dict(SHAPES[node.type], **({"peripheries": "2"} if node.is_person else {}))
    attrs = {**shape, "fillcolor": FORCED_FILL if forced else FILLS[node.type],
             "ordering": "out",  # its options left to right in key order
             "class": " ".join(["ivr-node", node.type] + (["forced"] if forced else [])
                               + (["on-path"] if on_path else [])
                               + [f"finding-{f.severity}" for f in found[:1]])}
    if found:
        worst = min((f.severity for f in found), key=severity_rank)
        attrs.update(color=SEVERITY_COLORS[worst], penwidth="3")
    elif on_path:
        attrs.update(color=PATH_COLOR, penwidth="2.5")
    full = prompt_text(node, tr)
    tooltip = f" tooltip={quoted(full)}" if full else ""
    label = node_label(node_id, node, found, plan.inline(node_id), tr)
    return f"  {_id(node_id)} [label=<{label}>{tooltip} " + _attrs(attrs) + "];"


def _stub_statement(stub: str, target: str, G, tr: Translator = ENGLISH) -> str:
    """A small box beside its source naming where the call goes (drawn once elsewhere), or a
    small octagon for the implicit hangup."""
    if target == HANGUP_NODE:
        attrs = {"shape": "octagon", "fillcolor": FILLS["hangup"], "margin": "0.04",
                 "class": "ivr-node hangup implicit"}
        return f"  {_id(stub)} [label=<{stub_label(target, tr)}> {_attrs(attrs)}];"
    kind = G.nodes[target]["type"]
    attrs = {"shape": "box", "style": "filled,rounded,dashed", "fillcolor": FILLS[kind],
             "color": STUB_BORDER, "margin": "0.06,0.02", "height": "0.3",
             "class": f"ivr-node stub {kind}"}
    tooltip = quoted(tr.render(msg(N_("goes to {node}, drawn once where the call first reaches "
                                      "it"), node=target)))
    return f"  {_id(stub)} [label=<{stub_label(target, tr)}> tooltip={tooltip} {_attrs(attrs)}];"


def _attrs(attrs: dict) -> str:
    return " ".join(f'{k}="{v}"' for k, v in attrs.items())


def _id(node_id: str) -> str:
    return '"' + node_id.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- edges ----------------------------------------------------------------------------------

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


def _edge_statements(G, plan: Plan, chosen, taken: set, tr: Translator = ENGLISH) -> list[str]:
    """Every route drawn as an edge, in the plan's order (options in key order); a node's
    failures that end at the same place as one dashed arrow."""
    lines = []
    failures: dict[tuple, list] = {}  # (source, end): its failure routes, drawn as one arrow
    for route in plan.routes:
        source, data, kind = route.source, route.data, route.data["kind"]
        if route.to is None:
            continue  # written inside the node
        if kind in FAILURE_KINDS:
            failures.setdefault((source, route.to), []).append(route)
            continue
        bold = (source, route.target, route.key) in taken
        attrs = {"class": f"ivr-edge {kind}" + (" best" if bold else "")}
        if kind == "option":
            parts = [f"<B>{label_text(data['key'])}</B>"] if data.get("key") is not None else []
            if data.get("speech"):
                parts.append(f"<I>“{label_text(data['speech'][0])}”</I>")
            key = " / ".join(parts)
            if data.get("key") is None:
                attrs.update(style="dotted", color=SPOKEN_COLOR, fontcolor=SPOKEN_COLOR)
                attrs["class"] += " spoken"
            if data["hidden"]:
                attrs.update(color=HIDDEN_COLOR, fontcolor=HIDDEN_COLOR)
                attrs["class"] += " hidden"
                key += f" <I>{label_text(tr(N_('hidden')))}</I>"
            if data.get("global"):
                attrs["class"] += " global"
                key += " " + small(label_text(tr(N_("all menus"))))
            attrs["label"] = f"<{key}>"
        elif kind in ("branch", "overflow"):
            when = tr.render(msg(N_("if {conditions}"), conditions=Joined(
                tuple(data["when"]), N_(" and ")))) if data["case"] is not None else tr(N_("else"))
            if kind == "overflow":
                when = tr.render(msg(N_("queue full, {when}"), when=when))
                attrs.update(style="bold,dotted", color=OVERFLOW_COLOR, fontcolor=OVERFLOW_COLOR)
            attrs["label"] = f"<<I>{label_text(when)}</I>>"
            if not is_active(data, source, chosen):
                attrs.update(color="#999999", fontcolor=MUTED)
        if bold:
            attrs.update(color=PATH_COLOR, penwidth="3.5", arrowsize="1.2")
        lines.append(_edge(source, route.to, attrs, route.minlen))
    for (source, end), group in failures.items():
        lines.append(_failure_edge(G.nodes[source]["node"], source, end, group, tr))
    return lines


def _failure_edge(node, source: str, end: str, group: list, tr: Translator = ENGLISH) -> str:
    """One dashed arrow for every failure of ``source`` that leads to ``end``, a label line
    per distinct outcome."""
    outcomes: dict[tuple, list] = {}
    for route in group:
        data = route.data
        outcomes.setdefault((data["kind"] == "exhausted", data["action"],
                             data["message_seconds"]), []).append(route)
    label = "<BR/>".join(failure_line(node, [(r.data["kind"], r.data["index"]) for r in same],
                                      same[0].data, tr=tr) for same in outcomes.values())
    kinds = [route.data["kind"] for route in group]
    return _edge(source, end, {
        "class": "ivr-edge failure " + " ".join(kinds), "style": "dashed",
        "color": FAILURE_STYLE[kinds[0]][0], "label": f"<{label}>"},
        max(route.minlen for route in group))


def _edge(source: str, target: str, attrs: dict, minlen: int = 1) -> str:
    if minlen > 1:
        attrs = {**attrs, "minlen": str(minlen)}
    parts = [f"{k}={v}" if k == "label" else f'{k}="{v}"' for k, v in attrs.items()]
    return f"  {_id(source)} -> {_id(target)} [{' '.join(parts)}];"


# -- the whole graph ------------------------------------------------------------------------

def to_dot(G, metrics, findings=(), *, scenario: str = "default", highlight: str = "forced",
           locale: str = "en-US", graph_id: str = "ivr", layout: str = "auto",
           legend: bool = True, tr: Translator = ENGLISH, estimated: bool = False) -> str:
    """DOT source for one scenario of a menu graph: ``metrics`` are that scenario's
    (ScenarioMetrics: its paths, and the branch cases it takes). ``layout``: one of
    layout.LAYOUTS; ``legend``: a small table of what the colours and lines mean, beside
    the entry. ``tr``: the language of the drawing's own words; ``estimated``: whether the
    forced seconds of the title rest on durations estimated from the text."""
    font = font_for(locale)
    path = metrics.paths.get(highlight) if highlight != "none" else None
    taken = _path_edges(G, path, metrics.chosen) if path else set()
    on_path = {node_id for node_id, _ in path or ()}
    shown = [f for f in findings if not f.suppressed and f.concerns(scenario)]
    per_node: dict[str, list] = {}
    for finding in sorted(shown, key=lambda f: (severity_rank(f.severity), f.rule)):
        for node in dict.fromkeys(o.node if o.node in G else None for o in finding.where
                                  if o.scenario in (None, scenario)):
            per_node.setdefault(node, []).append(finding)
    plan = layout_plan(G, G.graph["entry"], layout)
    heading = title(G, metrics, scenario, highlight, path, per_node.get(None, []), tr,
                    estimated)
    lines = [f"digraph {_id(graph_id)} {{",
             f'  graph [id="{graph_id}" rankdir="{plan.direction}" nodesep="0.3" '
             f'ranksep="0.45" newrank="true" fontname="{font}" fontsize="12" '
             f'labelloc="t" labeljust="l" label=<{heading}>];',
             f'  node [fontname="{font}" fontsize="12" style="filled" margin="0.1,0.05" '
             'penwidth="1.2"];',
             f'  edge [fontname="{font}" fontsize="11" color="#333333" arrowsize="0.8"];']
    beside_entry = [
        f'  "(legend)" [id="legend" class="legend" shape="plaintext" style="" margin="0" '
        f'fontsize="10" label=<{legend_table(G, plan, shown, bool(path), tr)}>];',
        f'  {{ rank="min"; {_id(G.graph["entry"])}; "(legend)"; }}'] if legend else []
    lines += _node_statements(G, plan, per_node, on_path, beside_entry, tr)
    lines += _edge_statements(G, plan, metrics.chosen, taken, tr)
    lines += _key_order(plan)
    lines += _card_columns(plan)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_statements(G, plan: Plan, per_node: dict, on_path: set,
                     beside_entry: list[str], tr: Translator = ENGLISH) -> list[str]:
    """Nodes and stubs in the plan's order; when the drawing wraps, the main card first
    (with ``beside_entry``, the legend), then each sub-menu's card in a box headed by where
    it is reached from."""
    def statement(node_id: str) -> str:
        if node_id in plan.stubs:
            return _stub_statement(node_id, plan.stubs[node_id], G, tr)
        return _node_statement(node_id, G.nodes[node_id]["node"], per_node.get(node_id, []),
                               node_id in on_path, plan, tr)

    if not plan.cards:
        return [statement(node_id) for node_id in plan.order] + beside_entry
    place = {node_id: index for index, node_id in enumerate(plan.order)}
    lines = [statement(node_id) for node_id in sorted(plan.cards[0], key=place.__getitem__)]
    lines += beside_entry
    for number, card in enumerate(plan.cards[1:], start=1):
        lines += [f'  subgraph "cluster_card_{number}" {{',
                  f'    graph [style="rounded,filled" color="{CLUSTER_BORDER}" '
                  f'fillcolor="{CLUSTER_FILL}" margin="10" labeljust="l" class="sub-menu" '
                  f'label=<{_card_heading(plan, card[0], tr)}>];']
        lines += ["  " + statement(node_id) for node_id in sorted(card, key=place.__getitem__)]
        lines.append("  }")
    return lines


def _key_order(plan: Plan) -> list[str]:
    """Invisible edges of length 0 from each child to the next, in key order: Graphviz keeps
    the tail of a flat edge left of its head, across sub-menu boxes too."""
    children: dict[str, list[str]] = {}
    for route in plan.routes:
        if route.to is not None and route.to != route.source and route.minlen == 1:
            row = children.setdefault(route.source, [])
            if route.to not in row:
                row.append(route.to)
    return [f'  {_id(a)} -> {_id(b)} [style="invis" minlen="0"];'
            for row in children.values() for a, b in zip(row, row[1:])]


def _card_columns(plan: Plan) -> list[str]:
    """Invisible edges that hang each card under the one ``columns`` before it (from the
    middle of that card's lowest rank to this card's root), so that cards stand in columns."""
    rank = dict(plan.levels)
    rank.update((r.to, plan.levels[r.source] + 1) for r in plan.routes if r.to in plan.stubs)
    lines = []
    for above, below in zip(plan.cards, plan.cards[plan.columns:]):
        lowest = max(rank[n] for n in above)
        bottom = [n for n in above if rank[n] == lowest]
        lines.append(f'  {_id(bottom[len(bottom) // 2])} -> {_id(below[0])} [style="invis"];')
    return lines


def _card_heading(plan: Plan, root: str, tr: Translator = ENGLISH) -> str:
    """Where a wrapped card is reached from: 'main, key 2 →'."""
    for route in plan.routes:
        if route.target == root and route.to in plan.stubs:
            key = route.data.get("key")
            how = label_text(tr.render(msg(N_(", key {key}"), key=key))) \
                if route.data["kind"] == "option" and key else ""
            return small(f"{label_text(route.source)}{how} →", "#333333")
    return ""


def menu_dot(result, scenario: str | None = None, highlight: str = "forced",
             graph_id: str = "ivr", layout: str = "auto", legend: bool = True,
             lang: str = "en") -> str:
    """DOT source for an audited menu (a MenuResult) in one of its scenarios (default: the
    first), its own words in ``lang``; raises RenderError for an unknown scenario, highlight
    or layout."""
    menu = result.menu
    scenario = scenario or next(iter(result.scenarios))
    if scenario not in result.scenarios:
        raise RenderError(menu.path, 1, 1, f"the menu has no scenario '{scenario}'",
                          "scenarios: " + ", ".join(result.scenarios))
    for value, allowed, what in ((highlight, HIGHLIGHTS, "highlight"),
                                 (layout, LAYOUTS, "layout")):
        if value not in allowed:
            raise RenderError(menu.path, 1, 1, f"unknown {what} '{value}'",
                              "one of: " + ", ".join(allowed))
    return to_dot(result.graph, result.scenarios[scenario], result.findings, scenario=scenario,
                  highlight=highlight, locale=menu.locale, graph_id=graph_id, layout=layout,
                  legend=legend, tr=Translator(lang),
                  estimated=result.metrics.estimated(scenario)["forced"])


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
        raise DotMissing(path, 1, 1, f"cannot draw {fmt}: Graphviz's `dot` program is not "
                          "installed (or not on PATH)", INSTALL_HINT) from None
    except graphviz.CalledProcessError as error:
        detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(path, 1, 1, f"Graphviz could not draw the menu: "
                          f"{detail[-1] if detail else error}",
                          "please report this with the menu file") from None


def svg_many(drawings: list[tuple[str, str]]) -> tuple[list[bytes], RenderError | None]:
    """The SVG of each (menu file, DOT source), each laid out by a run of ``dot`` of its own,
    and the error that stopped them, if any: when ``dot`` is missing, none is drawn (the
    error names the first file); when Graphviz fails on one, those before it are drawn.

    One run per drawing, though a run for many would start fewer processes: Graphviz 2.43
    (Debian's) lays out a graph differently after another in the same run, and not the same
    way from one run to the next, so a report's drawings changed with the menus beside them
    and between two runs on the same input."""
    done: list[bytes] = []
    for path, source in drawings:
        try:
            done.append(dot_bytes(source, "svg", path))
        except RenderError as error:
            return done, error
    return done, None
