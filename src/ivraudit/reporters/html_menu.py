"""The HTML report's sections about one menu: metrics, mistypes, findings, rules, graph,
transcript and structure. Each function returns HTML lines; every piece of menu text goes
through ``esc`` (or ``said``, which also marks its language)."""

from __future__ import annotations

import re

from .. import rules as catalogue
from ..format.durations import seconds_text, tenths
from ..analysis.graph import FAILURE_KINDS, HANGUP_NODE
from ..rules.docs import paragraphs
from ..util.safe_text import html as esc
from .words import keys_text, persistent_text, reach_text, spoken_text


def said(value: object, lang: str) -> str:
    """Menu text in the menu's language (screen readers pronounce it right)."""
    return f'<span lang="{esc(lang)}">{esc(value)}</span>'


def heading(level: int, text: str, anchor: str) -> str:
    return f'<h{level} id="{esc(anchor)}">{text}</h{level}>'


def _path_words(path, nodes) -> str:
    return f'<span class="path">{esc(keys_text(path, nodes))}</span>' if path else ""


def _reached(m, menu) -> str:
    if m.human_reachable:
        return "yes"
    return f"<strong>{esc(reach_text(m, menu))}</strong>"


def _silent(m) -> str:
    call = m.silent
    if call.reached_human:
        return f"reaches a person ({esc(call.end)}) after {seconds_text(call.seconds)}"
    if call.end == "hangup":
        return f"hung up after {seconds_text(call.seconds)}"
    if call.end == "loop":
        return f"loops for ever (first loop closes after {seconds_text(call.seconds)})"
    return f"ends at {esc(call.end)} after {seconds_text(call.seconds)}"


def _one_key(m) -> str:
    if not m.one_key_human:
        return "no menu has one"
    return "; ".join(
        f"{esc(menu_id)}: " + ", ".join(esc(k["key"]) + ("" if k["announced"] else " (hidden)")
                                        for k in keys)
        for menu_id, keys in m.one_key_human.items())


def metrics_table(result, level: int, prefix: str) -> list[str]:
    """One column per scenario; seconds with the path that achieves them."""
    menu, nodes, scenarios = result.menu, result.menu.nodes, result.scenarios
    nobody = "no key sequence reaches a person"
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in scenarios)

    def row(title: str, cell) -> str:
        return f'<tr><th scope="row">{title}</th>' + "".join(
            f"<td>{cell(m)}</td>" for m in scenarios.values()) + "</tr>"

    def best(value, path_name):
        return lambda m: (f"{value(m)}{_path_words(m.paths[path_name], nodes)}"
                          if m.human_reachable else nobody)

    rows = [
        row("A person can be reached", lambda m: _reached(m, menu)),
        row("Fewest key presses", best(lambda m: m.steps_to_human, "steps")),
        row("Forced seconds (a caller who knows the keys)",
            best(lambda m: seconds_text(m.forced_seconds_to_human), "forced")),
        row("Listening seconds (a first-time caller)",
            lambda m: (f"{seconds_text(m.listen_seconds_to_human)}"
                       f"{_path_words(m.paths['listen'], nodes)}"
                       if m.paths["listen"] else "only hidden options lead to a person"
                       if m.human_reachable else nobody)),
        row("Pressing nothing", _silent),
        row("Every trick (wrong keys and silence too)", lambda m: esc(persistent_text(m, menu))),
        row("Expected queue wait", lambda m: "not given" if m.wait_seconds is None
            else f"{esc(m.wait_seconds)} s"),
        row("Menu depth", lambda m: str(m.depth)),
        row("One key to a person", _one_key),
    ]
    if result.graph.graph["speech"]:
        rows.insert(-3, row("Speaking caller", lambda m: esc(spoken_text(m))))
    return [heading(level, "Metrics", f"{prefix}metrics"),
            '<table class="metrics"><caption>Metrics per scenario</caption>',
            f'<thead><tr><th scope="col">metric</th>{head}</tr></thead><tbody>',
            *rows, "</tbody></table>"]


def mistype_tables(result, level: int, prefix: str) -> list[str]:
    out = [heading(level, "One wrong key on the way to a person", f"{prefix}mistype"),
           '<p class="note">At each menu on the quickest path, the caller presses the first key '
           "that is no option. Extra seconds are forced audio heard again.</p>"]
    for name, m in result.scenarios.items():
        caption = f"Scenario {esc(name)}"
        if not m.mistype:
            out.append(f"<p>{caption}: no menu on the path has an invalid key"
                       f"{'' if m.human_reachable else ' (' + nobody_words(m) + ')'}.</p>")
            continue
        out += [f"<table><caption>{caption}</caption><thead><tr>"
                '<th scope="col">menu</th><th scope="col">key</th>'
                '<th scope="col">what happens</th><th scope="col" class="num">extra forced</th>'
                '<th scope="col" class="num">extra keys</th><th scope="col">verdict</th>'
                "</tr></thead><tbody>"]
        for r in m.mistype:
            if r.penalty_seconds is None:
                extra, keys = "—", "—"
                verdict = '<span class="badge fail">a person can no longer be reached</span>'
            else:
                extra, keys = f"+{seconds_text(r.penalty_seconds)}", f"+{r.penalty_steps}"
                verdict = ('<span class="badge warning">forces a replay</span>'
                           if r.forces_replay else '<span class="badge pass">no cost</span>')
            out.append(f'<tr><th scope="row"><code>{esc(r.node)}</code></th><td>{esc(r.key)}</td>'
                       f"<td>{esc(r.outcome)}</td><td class=\"num\">{extra}</td>"
                       f'<td class="num">{keys}</td><td>{verdict}</td></tr>')
        out.append("</tbody></table>")
    return out


def nobody_words(m) -> str:
    """Why a scenario has no path: no key sequence at all, or only failing reaches a person."""
    return "no key sequence reaches a person" if m.persistent is not None else \
        "no person can be reached"


def _where(f) -> str:
    return f"<code>{esc(f.file)}:{f.line}:{f.column}</code>"


def findings_tables(result, level: int, prefix: str) -> list[str]:
    out = [heading(level, "Findings", f"{prefix}findings")]
    open_ = [f for f in result.findings if not f.suppressed]
    waived = [f for f in result.findings if f.suppressed]
    if not open_:
        out.append("<p>No findings.</p>")
    else:
        out.append('<table><caption>Findings, most severe first</caption><thead><tr>'
                   '<th scope="col">severity</th><th scope="col">rule</th><th scope="col">node</th>'
                   '<th scope="col">scenario</th><th scope="col">message</th>'
                   '<th scope="col">where</th></tr></thead><tbody>')
        order = {"error": 0, "warning": 1, "info": 2}
        for f in sorted(open_, key=lambda f: (order[f.severity], f.file, f.line, f.column, f.rule)):
            out.append(f'<tr><td><span class="badge {f.severity}">{f.severity}</span></td>'
                       f'<td><a href="#{esc(prefix)}rule-{esc(f.rule)}">{esc(f.rule)}</a> '
                       f"{esc(f.name)}</td><td>{_code(f.node)}</td>"
                       f"<td>{esc(f.scenario or 'all')}</td><td>{esc(f.message)}</td>"
                       f"<td>{_where(f)}</td></tr>")
        out.append("</tbody></table>")
    if waived:
        out.append('<table><caption>Waived findings</caption><thead><tr>'
                   '<th scope="col">rule</th><th scope="col">node</th><th scope="col">message</th>'
                   '<th scope="col">reason</th><th scope="col">waived at</th></tr></thead><tbody>')
        for f in waived:
            at = f"<code>{esc(f.waived_at)}</code>" if f.waived_at else ""
            out.append(f'<tr><td><a href="#{esc(prefix)}rule-{esc(f.rule)}">{esc(f.rule)}</a> '
                       f"{esc(f.name)}</td><td>{_code(f.node)}</td><td>{esc(f.message)}</td>"
                       f"<td>{esc(f.reason or 'no reason given')}</td><td>{at}</td></tr>")
        out.append("</tbody></table>")
    return out


def _code(value) -> str:
    return f"<code>{esc(value)}</code>" if value else ""


def _source_link(source) -> str:
    url = source.url if source.url.startswith(("https://", "http://")) else "#"
    return f'<a class="source" href="{esc(url)}">{esc(source.title)}</a>'


def rule_docs(result, policy, level: int, prefix: str) -> list[str]:
    """The documentation of every rule that found something, with its sources."""
    fired = sorted({f.rule for f in result.findings})
    if not fired:
        return []
    out = [heading(level, "Rules behind the findings", f"{prefix}rules")]
    for rule_id in fired:
        rule = catalogue.get(rule_id)
        settings = policy.settings.get(rule.id)
        out.append(heading(level + 1, f"{esc(rule.id)} {esc(rule.name)}",
                           f"{prefix}rule-{rule.id}"))
        severity = settings.severity if settings else rule.severity
        out.append(f'<p class="meta">It checks that {esc(rule.summary)}. Severity in policy '
                   f'{esc(policy.name)}: <span class="badge {esc(severity)}">{esc(severity)}'
                   "</span></p>")
        out += [f"<p>{_code_spans(esc(p))}</p>" for p in paragraphs(rule)]
        params = settings.params if settings else rule.params
        if params:
            out.append("<p>Parameters: " + ", ".join(
                f"<code>{esc(k)} = {esc(v)}</code> ({esc(rule.param_help.get(k, ''))})"
                for k, v in params.items()) + ".</p>")
        if rule.sources:
            out.append("<p>Sources:</p><ul>" + "".join(
                f"<li>{_source_link(s)}</li>" for s in rule.sources) + "</ul>")
    return out


def _code_spans(escaped: str) -> str:
    """`x` in (already escaped) documentation text as <code>x</code>."""
    return re.sub(r"``?([^`]+)``?", r"<code>\1</code>", escaped)


def _prompt(node, lang: str) -> str:
    parts = []
    segments = [("", node.intro)] + [(f"{o.label}: ", o.segment) for o in node.options] + [
        ("", node.outro)]
    for label, segment in segments:
        if segment is None:
            continue
        text = segment.text
        tags = f" [{', '.join(segment.tags)}]" if segment.tags else ""
        parts.append(f"{esc(label)}{said(text, lang)}{esc(tags)}")
    return "<br>".join(parts)


def _transitions(G, node_id: str) -> str:
    node, moves = G.nodes[node_id]["node"], []
    for _, target, data in G.out_edges(node_id, data=True):
        kind = data["kind"]
        to = "hang up" if target == HANGUP_NODE else target
        if kind == "option":
            option = node.options[data["index"]]
            what = f"key {option.key}" if option.key else "saying"
            if option.speech:
                what += (" or saying " if option.key else " ") + " / ".join(
                    f'"{p}"' for p in option.speech)
            extra = (" (hidden)" if data["hidden"] else "") + (" (global)" if data["global"] else "")
            moves.append(f"{what}{extra} → {to}")
        elif kind == "branch":
            when = "if " + " and ".join(data["when"]) if data["case"] is not None else "else"
            moves.append(f"{when} → {to}")
        elif kind == "overflow":
            moves.append(f"queue full (if {' and '.join(data['when'])}) → {to}")
        elif kind == "next":
            moves.append(f"then → {to}")
        elif kind in FAILURE_KINDS:
            word = {"invalid": "wrong key", "timeout": "no key",
                    "exhausted": f"failure {node.max_failures} of {node.max_failures}"}[kind]
            word += _nth(node, kind, data["index"])
            action = data["action"]
            where = (to if action in ("goto", "hangup") else f"restart ({to})"
                     if action == "restart" else action)
            message = data["message_seconds"]
            moves.append(f"{word} → {where}"
                         + (f" after a {seconds_text(message)} message" if message else ""))
    return "<br>".join(esc(m) for m in moves)


def _nth(node, kind: str, index: int) -> str:
    """' 2' or ' 3+' for the k-th action of an escalation list (nothing for a single one)."""
    actions = {"invalid": node.on_invalid, "timeout": node.on_timeout}.get(kind, ())
    if len(actions) < 2:
        return ""
    return f" {index + 1}" + ("+" if index == len(actions) - 1 else "")


def graph_in_words(result, level: int, prefix: str) -> list[str]:
    """The graph as a table: the text alternative to the drawing, and every prompt in full."""
    G, lang = result.graph, result.menu.locale
    out = [heading(level, "The menu in words", f"{prefix}words"),
           "<table><caption>Every node: its prompt in full, its duration, where it leads"
           '</caption><thead><tr><th scope="col">node</th><th scope="col">type</th>'
           '<th scope="col">prompt</th><th scope="col" class="num">seconds</th>'
           '<th scope="col">leads to</th></tr></thead><tbody>']
    for node_id, node in G.nodes(data="node"):
        if node is None:
            continue
        prompting = node.type in ("message", "menu", "input")
        seconds = seconds_text(node.prompt_seconds) if prompting else ""
        if prompting and not node.barge_in and node.prompt_seconds:
            seconds += "<br><strong>forced</strong>"
        out.append(f'<tr><th scope="row"><code>{esc(node_id)}</code></th><td>{node.type}</td>'
                   f"<td>{_prompt(node, lang)}</td><td class=\"num\">{seconds}</td>"
                   f"<td>{_transitions(G, node_id)}</td></tr>")
    out.append("</tbody></table>")
    return out


def transcript(result, level: int, prefix: str) -> list[str]:
    """The quickest call per scenario: a caller who knows the keys and presses each as early
    as the menu allows. Times are forced seconds heard so far."""
    out = [heading(level, "Transcript of the quickest call", f"{prefix}transcript"),
           '<p class="note">A caller who knows the keys and presses each one as soon as the '
           "menu lets them. The time is the audio heard so far that could not be skipped.</p>"]
    nodes, lang = result.menu.nodes, result.menu.locale
    for name, m in result.scenarios.items():
        if len(result.scenarios) > 1:
            out.append(heading(level + 1, f"Scenario {esc(name)}", f"{prefix}transcript-{name}"))
        path = m.paths["forced"]
        if not path:
            words = "No person can be reached in this scenario." if m.persistent is None else \
                (f"No key sequence reaches a person in this scenario; a caller gets one "
                 f"{esc(reach_text(m, result.menu))}.")
            out.append(f"<p>{words}</p>")
            continue
        out.append('<ol class="transcript">')
        elapsed = 0
        for node_id, key in path:
            node = nodes[node_id]
            passed = node.is_person and node_id != path[-1][0]  # a full queue (SPEC 9.6)
            out.append(f'<li><span class="time">{seconds_text(elapsed)}</span> '
                       f"{_call_step(node, key, lang, passed)}</li>")
            elapsed += node.forced_seconds
        wait = f", then about {esc(m.wait_seconds)} s in the queue" if m.wait_seconds else ""
        presses = sum(1 if key is not None else nodes[n].input_steps
                      if nodes[n].type == "input" else 0 for n, key in path)
        out.append(f"</ol><p>In all: {presses} key press{'es' if presses != 1 else ''} and "
                   f"{seconds_text(m.forced_seconds_to_human)} of audio that cannot be skipped{wait}.</p>")
    return out


def _call_step(node, key, lang: str, passed: bool = False) -> str:
    where = f"<code>{esc(node.id)}</code>"
    text = node.prompt_text()
    quote = f"<blockquote>{said(text, lang)}</blockquote>" if text else ""
    tags = {t for s in node.segments() for t in s.tags}
    notes = "".join(f" ({label})" for tag, label in
                    (("ad", "advertising"), ("legal", "legal notice")) if tag in tags)
    if passed:
        return f"{where}: the queue is full: the call goes on to <code>{esc(node.overflow.goto)}</code>."
    if node.is_person:
        wait = f", expected wait {esc(node.wait)} s" if node.wait is not None else ""
        queue = f" (queue {said(node.queue, lang)})" if node.queue else ""
        return f"{where}: <strong>connected to a person</strong>{queue}{wait}.{quote}"
    if node.type == "branch":
        return f"{where}: the line routes the call (no key)."
    heard = (f"the line plays {seconds_text(node.prompt_seconds)} that <strong>cannot be "
             "interrupted</strong>" if not node.barge_in and node.prompt_seconds
             else f"the line starts {seconds_text(node.prompt_seconds)} of prompt")
    if node.type == "message":
        act = "" if not node.barge_in else "; the caller may press the next key during it"
        return f"{where}: {heard}{esc(notes)}{act}.{quote}"
    if node.type == "input":
        digits = f"{node.digits_min} digit{'s' if node.digits_min != 1 else ''}"
        term = f" and {esc(node.terminator)}" if node.terminator else ""
        return f"{where}: {heard}{esc(notes)}; the caller enters {digits}{term}.{quote}"
    when = "at once, cutting it short" if node.barge_in else "when it ends"
    return (f"{where}: {heard}{esc(notes)}; the caller presses <strong>{esc(key)}</strong> "
            f"{when}.{quote}")


def structure_list(result, level: int, prefix: str) -> list[str]:
    shape = result.metrics.structure

    def ids(values) -> str:
        return ", ".join(f"<code>{esc(v)}</code>" for v in values) or "none"

    traps = "; ".join("{" + ids(t) + "}" for t in shape.traps) or "none"
    return [heading(level, "Structure (all scenarios)", f"{prefix}structure"), '<dl class="meta">',
            f"<dt>Unreachable nodes</dt><dd>{ids(shape.unreachable)}</dd>",
            f"<dt>Dead ends (no person or callback after them)</dt><dd>{ids(shape.dead_ends)}</dd>",
            f"<dt>Traps (no way out)</dt><dd>{traps}</dd>", "</dl>"]
