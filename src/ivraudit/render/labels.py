"""The HTML-like labels of a menu drawing: each node's (id, type, prompt, duration, FORCED
mark, failures written inline, findings), a stub's, the title and the legend.

Every piece of menu text goes through ``label_text`` (dottext.py), escaped for XML and for
Graphviz's own backslash escapes.
"""

from __future__ import annotations

from ..analysis.graph import FAILURE_KINDS
from ..analysis.settle import HANGUP_NODE
from ..format.durations import seconds_text
from ..rules.tricks import keys_text, trick_text
from .dottext import label_text, wrap
from .style import (
    FAILURE_STYLE, FILLS, FORCED_FILL, HIDDEN_COLOR, MUTED, OVERFLOW_COLOR, PATH_COLOR,
    PROMPT_COLUMNS, SEVERITY_COLORS, SHAPES, SPOKEN_COLOR, STUB_BORDER, severity_rank,
)

_THEN = {"replay": "replay", "reprompt": "reprompt", "restart": "restart", "hangup": "hang up"}


def small(text: str, color: str = MUTED, bold: bool = False) -> str:
    inner = f"<B>{text}</B>" if bold else text
    return f'<FONT POINT-SIZE="10" COLOR="{color}">{inner}</FONT>'


def prompt_text(node) -> str:
    """The node's whole prompt as written, in the order it plays (audio files named)."""
    return "" if node.type == "branch" else node.prompt_text()


def is_forced(node) -> bool:
    """A prompt that plays whole: no barge-in, and some seconds of it."""
    return node.type in ("message", "menu", "input") and not node.barge_in \
        and node.prompt_seconds > 0


def _facts(node) -> list[str]:
    if node.type in ("message", "menu", "input"):
        time = seconds_text(node.prompt_seconds)
        if node.type == "input":
            digits = (f"{node.digits_min} digits" if node.digits_min == node.digits_max
                      else f"{node.digits_min}-{node.digits_max} digits")
            time += f" · {digits}" + (f" + {label_text(node.terminator)}" if node.terminator
                                      else "")
        if is_forced(node):
            return [small(f"FORCED {time}", "#8a2f00", bold=True) + small(" (no barge-in)",
                                                                         "#8a2f00")]
        return [small(time)]
    if node.type in ("human", "transfer"):
        facts = [f"to {label_text(node.to)}" if node.to else "",
                 "a person answers" if node.type == "transfer" and node.person else "",
                 f"wait {node.wait} s" if node.wait is not None else "",
                 f"queue {label_text(node.queue)}" if node.queue else ""]
        return [small(" · ".join(f for f in facts if f))] if any(facts) else []
    return []


def finding_line(found: list) -> list[str]:
    """The rule ids found at a node, each in its worst severity's colour."""
    if not found:
        return []
    worst: dict[str, str] = {}
    for finding in found:
        if finding.rule not in worst or severity_rank(finding.severity) < severity_rank(
                worst[finding.rule]):
            worst[finding.rule] = finding.severity
    return [" ".join(small(rule, SEVERITY_COLORS[severity], bold=True)
                     for rule, severity in sorted(worst.items()))]


def failure_line(node, kinds: list[tuple[str, int]], data: dict,
                 target: str | None = None) -> str:
    """'wrong key / no key: replay (after a 2.0 s message)', each kind in its colour; the k-th
    action of an escalation list numbered ('no key 2', 'no key 3+' for the last); ``kinds``:
    (kind, index in its list); ``target``: where a failure written inside its node goes
    ('3 failures: → agent')."""
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
    then = _THEN.get(data["action"], "")
    if not then and target is not None:
        then = f"→ {label_text(target)}"
    text = " / ".join(words) + (f": {then}" if then else "")
    if data["message_seconds"]:
        forced = "forced " if not node.barge_in else ""
        text += small(f" (after a {seconds_text(data['message_seconds'])} {forced}message)",
                      "#333333")
    return text


def failure_lines(node, routes) -> list[str]:
    """One line per distinct outcome of the failures ``routes`` (written inside the node)."""
    outcomes: dict[tuple, list] = {}
    for route in routes:
        kind, data = route.data["kind"], route.data
        outcomes.setdefault((kind == "exhausted", data["action"], data["message_seconds"],
                             route.target), []).append((kind, data, route.target))
    return [failure_line(node, [(kind, data["index"]) for kind, data, _ in same], same[0][1],
                         same[0][2]) for same in outcomes.values()]


def node_label(node_id: str, node, found: list, inline) -> str:
    """Id and type, two lines of prompt, duration (FORCED when it cannot be skipped), the
    failures written inside it, the rule ids of its findings."""
    kind = node.type + (" (language)" if node.role == "language" else "")
    head = f"<B>{label_text(node_id)}</B> " + small(kind)
    text = prompt_text(node)
    prompt = [small(label_text(line), "#222222") for line in wrap(text, PROMPT_COLUMNS, 2)]
    failures = [small(line, "#333333") for line in failure_lines(node, inline)]
    return "<BR/>".join([head] + prompt + _facts(node) + failures + finding_line(found))


def stub_label(target: str) -> str:
    if target == HANGUP_NODE:
        return small("hang up", "#333333")
    return small("→ " + label_text(target), "#222222", bold=True)


_HIGHLIGHT_WORDS = {"forced": "the fewest forced seconds", "steps": "the fewest key presses",
                    "listen": "the least listening for a first-time caller"}


def title(G, metrics, scenario, highlight, path, menu_findings) -> str:
    """The graph's label: the line's name, the scenario and its best numbers, the path drawn
    bold, and findings about the whole menu."""
    lines = [f'<FONT POINT-SIZE="16"><B>{label_text(G.graph["ivr"])}</B></FONT>']
    about = f"scenario {label_text(scenario)}"
    if not metrics.human_reachable:
        about += (" · no person can be reached" if metrics.persistent is None
                  else " · no key sequence reaches a person")
    else:
        presses = metrics.steps_to_human
        about += (f" · at best {presses} key press{'es' if presses != 1 else ''} and "
                  f"{seconds_text(metrics.forced_seconds_to_human)} of forced audio to a person")
    lines.append(small(about, "#333333"))
    nodes = {node_id: node for node_id, node in G.nodes(data="node") if node is not None}
    if metrics.persistent is not None and not metrics.human_reachable:
        trick = trick_text(nodes, metrics.persistent.path)
        lines.append(small(f"a person only by failing: {label_text(trick)}",
                           "#8a2f00", bold=True))
    if path:
        lines.append(small(f"bold: the path with {_HIGHLIGHT_WORDS[highlight]}: "
                           f"{label_text(keys_text(path, nodes))} to {label_text(path[-1][0])}",
                           PATH_COLOR))
    if menu_findings:
        lines.append(small("menu findings: ", "#333333") + finding_line(menu_findings)[0])
    return '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'


def legend_table(G, plan, findings: list, has_path: bool) -> str:
    """A small table of only what this drawing uses: node colours, the FORCED fill, finding
    outlines, the kinds of line and stubs; a row across a top-to-bottom drawing, a column
    down a left-to-right one."""
    drawn = {G.nodes[n]["type"] for n in G if n != HANGUP_NODE} | (
        {"hangup"} if HANGUP_NODE in plan.stubs.values() else set())
    cells = [f'<TD BGCOLOR="{FILLS[t]}" BORDER="1" COLOR="#888888">{t}</TD>'
             for t in SHAPES if t in drawn]
    if any(node is not None and is_forced(node) for _, node in G.nodes(data="node")):
        cells.append(f'<TD BGCOLOR="{FORCED_FILL}" BORDER="1" COLOR="#888888"><B>FORCED</B>: '
                     "no barge-in</TD>")
    cells += [f'<TD BORDER="2" COLOR="{color}">{severity} finding</TD>'
              for severity, color in SEVERITY_COLORS.items()
              if any(f.severity == severity for f in findings)]
    kinds = {route.data["kind"] for route in plan.routes}
    samples = [("#333333", "───▶", "key")]
    if any(route.data.get("hidden") for route in plan.routes):
        samples.append((HIDDEN_COLOR, "───▶", "hidden option"))
    if any(route.data["kind"] == "option" and route.data.get("key") is None
           for route in plan.routes):
        samples.append((SPOKEN_COLOR, "┈┈┈▶", "<I>“agent”</I> said"))
    if "overflow" in kinds:
        samples.append((OVERFLOW_COLOR, "<B>┈┈┈▶</B>", "queue full"))
    if has_path:
        samples.append((PATH_COLOR, "<B>━━━▶</B>", "best path"))
    samples += [(FAILURE_STYLE[kind][0], "╌╌╌▶", FAILURE_STYLE[kind][1])
                for kind in FAILURE_KINDS if kind in kinds]
    cells += [f'<TD ALIGN="LEFT"><FONT COLOR="{color}">{line}</FONT> {word}</TD>'
              for color, line, word in samples]
    if any(target != HANGUP_NODE for target in plan.stubs.values()):
        cells.append(f'<TD BORDER="1" STYLE="rounded" COLOR="{STUB_BORDER}"><B>→ x</B>: goes '
                     "to x, drawn once</TD>")
    per_row = 1 if plan.direction == "LR" else 7
    rows = "".join("<TR>" + "".join(cells[i:i + per_row]) + "</TR>"
                   for i in range(0, len(cells), per_row))
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">'
            f'<TR><TD COLSPAN="{per_row}" ALIGN="LEFT"><B>Legend</B></TD></TR>{rows}</TABLE>')
