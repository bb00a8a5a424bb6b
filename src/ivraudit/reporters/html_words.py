"""The HTML report's sections about one menu's shape: the graph in words (the drawing's text
alternative, every prompt in full), the transcript of the quickest call, and the structure.
Menu text goes through ``esc`` or ``said``; every word through the reader's language."""

from __future__ import annotations

from ..analysis.graph import FAILURE_KINDS, HANGUP_NODE
from ..i18n import ENGLISH, N_, Np_, Translator, msg
from ..util.safe_text import html as esc
from ..i18n.words import node_type, recording
from .html_menu import Markup, esc_words, fill, heading, said


def _prompt(node, lang: str, tr: Translator) -> str:
    parts = []
    segments = [("", node.intro)] + [(f"{o.label}: ", o.segment) for o in node.options] + [
        ("", node.outro)]
    for label, segment in segments:
        if segment is None:
            continue
        text = segment.text(recording(tr))
        tags = f" [{', '.join(segment.tags)}]" if segment.tags else ""
        guessed = f' <span class="estimated">{esc(tr(N_("(duration estimated)")))}</span>' \
            if segment.estimated else ""
        parts.append(f"{esc(label)}{said(text, lang)}{esc(tags)}{guessed}")
    return "<br>".join(parts)


_THEN = {"replay": N_("replay"), "reprompt": N_("reprompt")}


def _transitions(G, node_id: str, tr: Translator) -> str:
    node, moves = G.nodes[node_id]["node"], []
    for _, target, data in G.out_edges(node_id, data=True):
        kind = data["kind"]
        to = tr(N_("hang up")) if target == HANGUP_NODE else target
        if kind == "option":
            option = node.options[data["index"]]
            phrases = " / ".join(f'"{p}"' for p in option.speech)
            what = tr.render(msg(N_("key {key}"), key=option.key)) if option.key else ""
            if option.speech:
                what = tr.render(msg(N_("{what} or saying {phrases}"), what=what,
                                     phrases=phrases)) if option.key else \
                    tr.render(msg(N_("saying {phrases}"), phrases=phrases))
            extra = (tr(N_(" (hidden)")) if data["hidden"] else "") + \
                (tr(N_(" (global)")) if data["global"] else "")
            moves.append(f"{what}{extra} → {to}")
        elif kind == "branch":
            when = tr.render(msg(N_("if {conditions}"), conditions=" & ".join(data["when"]))) \
                if data["case"] is not None else tr(N_("else"))
            moves.append(f"{when} → {to}")
        elif kind == "overflow":
            moves.append(tr.render(msg(N_("queue full (if {conditions})"),
                                       conditions=" & ".join(data["when"]))) + f" → {to}")
        elif kind == "next":
            moves.append(tr(N_("then")) + f" → {to}")
        elif kind in FAILURE_KINDS:
            if kind == "exhausted":
                word = tr.render(msg(N_("failure {n} of {n}"), n=node.max_failures))
            else:
                word = tr(N_("wrong key")) if kind == "invalid" else tr(N_("no key"))
            word += _nth(node, kind, data["index"])
            action = data["action"]
            where = to if action in ("goto", "hangup") else tr.render(
                msg(N_("restart ({node})"), node=to)) if action == "restart" else \
                tr(_THEN.get(action, action))
            message = data["message_seconds"]
            guessed = node.message_estimated(kind, data["index"])
            moves.append(f"{word} → {where}" + (tr.render(msg(
                N_(" after a {seconds} message"), seconds=tr.seconds(message, guessed)))
                if message else ""))
    return "<br>".join(esc(m) for m in moves)


def _nth(node, kind: str, index: int) -> str:
    """' 2' or ' 3+' for the k-th action of an escalation list (nothing for a single one)."""
    actions = {"invalid": node.on_invalid, "timeout": node.on_timeout}.get(kind, ())
    if len(actions) < 2:
        return ""
    return f" {index + 1}" + ("+" if index == len(actions) - 1 else "")


def graph_in_words(result, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    """The graph as a table: the text alternative to the drawing, and every prompt in full."""
    G, lang = result.graph, result.menu.locale
    out = [heading(level, esc(tr(N_("The menu in words"))), f"{prefix}words"),
           '<table class="words"><caption>' + esc(tr(N_(
               "Every node: its prompt in full, its duration, where it leads")))
           + "</caption><thead><tr>" + "".join(
               f'<th scope="col"{" class=num" if h == N_("seconds") else ""}>{esc(tr(h))}</th>'
               for h in (N_("node"), N_("type"), N_("prompt"), N_("seconds"),
                         N_("leads to"))) + "</tr></thead><tbody>"]
    for node_id, node in G.nodes(data="node"):
        if node is None:
            continue
        prompting = node.type in ("message", "menu", "input")
        seconds = esc(tr.seconds(node.prompt_seconds, node.prompt_estimated)) if prompting else ""
        if prompting and not node.barge_in and node.prompt_seconds:
            seconds += f"<br><strong>{esc(tr(N_('forced')))}</strong>"
        out.append(f'<tr><th scope="row"><code>{esc(node_id)}</code></th>'
                   f"<td>{esc(tr(node_type(node.type)))}</td>"
                   f"<td>{_prompt(node, lang, tr)}</td><td class=\"num\">{seconds}</td>"
                   f"<td>{_transitions(G, node_id, tr)}</td></tr>")
    out.append("</tbody></table>")
    return out


def transcript(result, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    """The quickest call per scenario: a caller who knows the keys and presses each as early
    as the menu allows. Times are forced seconds heard so far."""
    from .words import reach_text

    out = [heading(level, esc(tr(N_("Transcript of the quickest call"))),
                   f"{prefix}transcript"),
           '<p class="note">' + esc(tr(N_(
               "A caller who knows the keys and presses each one as soon as the menu lets them. "
               "The time is the audio heard so far that could not be skipped."))) + "</p>"]
    nodes, lang = result.menu.nodes, result.menu.locale
    for name, m in result.scenarios.items():
        if len(result.scenarios) > 1:
            out.append(heading(level + 1, fill(tr, N_("Scenario {name}"), name=name),
                               f"{prefix}transcript-{name}"))
        path = m.paths["forced"]
        if not path:
            words = tr(N_("No person can be reached in this scenario.")) \
                if m.persistent is None else tr.render(msg(
                    N_("No key sequence reaches a person in this scenario; a caller gets one "
                       "{how}."), how=reach_text(m, result.menu, tr)))
            out.append(f"<p>{esc(words)}</p>")
            continue
        out.append('<ol class="transcript">')
        elapsed, guessed = 0, False
        for node_id, key in path:
            node = nodes[node_id]
            passed = node.is_person and node_id != path[-1][0]  # a full queue (SPEC 9.6)
            out.append(f'<li><span class="time">{esc(tr.seconds(elapsed, guessed))}</span> '
                       f"{_call_step(node, key, lang, tr, passed)}</li>")
            elapsed += node.forced_seconds
            guessed = guessed or bool(node.forced_seconds and node.prompt_estimated)
        presses = sum(1 if key is not None else nodes[n].input_steps
                      if nodes[n].type == "input" else 0 for n, key in path)
        wait = tr.render(msg(N_(", then about {wait} s in the queue"), wait=str(m.wait_seconds))) \
            if m.wait_seconds else ""
        out.append("</ol><p>" + fill(
            tr, N_("In all: {presses} and {seconds} of audio that cannot be skipped{wait}."),
            presses=tr.count(Np_("{n} key press", "{n} key presses"), presses),
            seconds=tr.seconds(m.forced_seconds_to_human,
                               result.metrics.estimated(name)["forced"]), wait=wait) + "</p>")
    return out


def _call_step(node, key, lang: str, tr: Translator, passed: bool = False) -> str:
    where = Markup(f"<code>{esc(node.id)}</code>")
    text = node.prompt_text(recording(tr))
    quote = f"<blockquote>{said(text, lang)}</blockquote>" if text else ""
    tags = {t for s in node.segments() for t in s.tags}
    notes = "".join(tr.render(msg(N_(" ({note})"), note=tr(label))) for tag, label in
                    (("ad", N_("advertising")), ("legal", N_("legal notice"))) if tag in tags)
    if passed:
        return fill(tr, N_("{node}: the queue is full: the call goes on to {goto}."), node=where,
                    goto=Markup(f"<code>{esc(node.overflow.goto)}</code>"))
    if node.is_person:
        wait = tr.render(msg(N_(", expected wait {wait} s"), wait=str(node.wait))) \
            if node.wait is not None else ""
        queue = Markup(" " + fill(tr, N_("(queue {queue})"),
                                  queue=Markup(said(node.queue, lang)))) if node.queue else ""
        return fill(tr, N_("{node}: {connected}{queue}{wait}."), node=where, queue=queue,
                    wait=wait, connected=Markup(
                        f"<strong>{esc(tr(N_('connected to a person')))}</strong>")) + quote
    if node.type == "branch":
        return fill(tr, N_("{node}: the line routes the call (no key)."), node=where)
    seconds = tr.seconds(node.prompt_seconds, node.prompt_estimated)
    cannot = Markup(f"<strong>{esc(tr(N_('cannot be interrupted')))}</strong>")
    heard = fill(tr, N_("the line plays {seconds} that {cannot}"), seconds=seconds,
                 cannot=cannot) if not node.barge_in and node.prompt_seconds else \
        fill(tr, N_("the line starts {seconds} of prompt"), seconds=seconds)
    heard = Markup(heard + esc_words(notes))
    if node.type == "message":
        template = N_("{node}: {heard}.") if not node.barge_in else \
            N_("{node}: {heard}; the caller may press the next key during it.")
        return fill(tr, template, node=where, heard=heard) + quote
    if node.type == "input":
        template = N_("{node}: {heard}; the caller enters {digits} and {terminator}.") \
            if node.terminator else N_("{node}: {heard}; the caller enters {digits}.")
        return fill(tr, template, node=where, heard=heard, terminator=node.terminator or "",
                    digits=tr.count(Np_("{n} digit", "{n} digits"), node.digits_min)) + quote
    template = N_("{node}: {heard}; the caller presses {key} at once, cutting it short.") \
        if node.barge_in else N_("{node}: {heard}; the caller presses {key} when it ends.")
    return fill(tr, template, node=where, heard=heard,
                key=Markup(f"<strong>{esc(key)}</strong>")) + quote


def structure_list(result, level: int, prefix: str, tr: Translator = ENGLISH) -> list[str]:
    shape = result.metrics.structure
    none = esc(tr(N_("none")))

    def ids(values) -> str:
        return esc_words(tr(N_(", "))).join(f"<code>{esc(v)}</code>" for v in values) or none

    traps = "; ".join("{" + ids(t) + "}" for t in shape.traps) or none
    return [heading(level, esc(tr(N_("Structure (all scenarios)"))), f"{prefix}structure"),
            '<dl class="meta">',
            f"<dt>{esc(tr(N_('Unreachable nodes')))}</dt><dd>{ids(shape.unreachable)}</dd>",
            f"<dt>{esc(tr(N_('Dead ends (no person or callback after them)')))}</dt>"
            f"<dd>{ids(shape.dead_ends)}</dd>",
            f"<dt>{esc(tr(N_('Traps (no way out)')))}</dt><dd>{traps}</dd>", "</dl>"]
