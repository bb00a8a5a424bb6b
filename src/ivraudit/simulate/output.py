"""Text and JSON for simulations: a call's transcript, a persona's statistics."""

from __future__ import annotations

from fractions import Fraction

from ..format.durations import seconds_text, tenths
from ..util.safe_text import json_text, terminal
from .call import Event
from .session import Line, Statistics
from .script import ScriptedCall, parse_keys

_TIMING = {"expert": "presses as soon as a key is accepted",
           "listen": "listens until its option has been announced"}


def seconds(value, estimated: bool = False) -> str:
    """'53.0 s'; '≈53.0 s' when it rests on a duration estimated from the text (not 0)."""
    return ("≈" if estimated and value else "") + seconds_text(Fraction(value))


def clock(value) -> str:
    """The transcript's time column."""
    return seconds_text(Fraction(value), width=7)


def _text(say: str | None, width: int = 70) -> str:
    if say is None:
        return "(no text)"
    flat = " ".join(say.split())
    return f'"{flat}"' if len(flat) <= width else f'"{flat[:width - 1]}…"'


def event_lines(event: Event, buffered: list | None = None) -> list[str]:
    """The transcript line(s) of one event (without the time column)."""
    info, node = event.info, event.node
    kind = event.kind
    if kind == "prompt":
        text = f"{node}: {info['part']}, {seconds(info['seconds'], info.get('estimated'))}"
        if info["skipped"]:
            text += ", skipped (a key is held)"
        elif info["forced"]:
            text += ", FORCED (cannot be interrupted)"
        return [text]
    if kind == "segment":
        what = _text(info["say"]) if info["say"] is not None or not info["audio"] else info["audio"]
        marks = "".join(f"[{tag}] " for tag in info["tags"])
        forced = "[forced] " if info["forced"] else ""
        return [f"  {forced}{marks}{what} ({seconds(info['seconds'], info.get('estimated'))})"]
    if kind == "cut":
        return [f"{node}: stopped after {seconds(info['heard'])} ({info['by']})"]
    if kind == "key":
        if not info["keys"]:
            return [f"a key during {node}: {info['effect']}"]
        if info["effect"]:
            return [f"press {info['keys']} during {node}: {info['effect']}"]
        return [f"press {info['keys']}"]
    if kind == "choice":
        what = f"'{info['said']}'" if info.get("said") is not None else f"key {info['key']}"
        if info["goto"] is None:
            return [f"{node}: {what} is no option (invalid)"]
        return [f"{node} takes {what} -> {info['goto']}"]
    if kind == "more":
        return [f"{node}: {info['keys']} begins a longer key: the menu waits up to "
                f"{seconds(info['waits'])} for more digits"]
    if kind == "speech":
        text = f"say '{info['said']}'"
        return [f"{text}: {info['effect']}" if info["effect"] else text]
    if kind == "digits":
        if info.get("problem"):
            return [f"{node}: {info['problem']} (invalid)"]
        if info["done"]:
            count = info["count"]
            return [f"{node}: number entered ({count} digit{'' if count == 1 else 's'})"]
        return []  # digits on their way: the key line shows them
    if kind == "failure":
        what = "invalid input" if info["failure"] == "invalid" else "timeout (no key)"
        limit = "no limit" if info["max"] is None else f"of {info['max']}"
        text = f"{node}: {what}, failure {info['count']} {limit}"
        if info["exhausted"]:
            text += f": retries used up -> on_exhausted: {info['then']}"
        else:
            text += f" -> {info['then']}"
        if info.get("discarded"):
            text += f" (keys typed ahead dropped: {info['discarded']})"
        return [text]
    if kind == "end":
        return [_end_text(info["outcome"], node, seconds(info["seconds"], info.get("estimated")))]
    return [f"{kind} {node} {info}"]  # pragma: no cover


def _end_text(outcome: str, node: str | None, at: str) -> str:
    """The last line; ``at``: the time as printed (≈ when a duration heard was estimated)."""
    where = f" ({node})" if node else ""
    return {
        "person": f"reached a person at {at}{where}",
        "callback": f"reached a callback at {at}{where}",
        "transfer": f"transferred out of the menu at {at}{where}",
        "hangup": f"the menu hung up at {at}{where}",
        "loop": f"the call would go on forever: still stuck{where} at {at}",
        "gave-up": f"the caller gave up at {at}{where}",
        "hung-up": f"you hung up at {at}{where}",
    }[outcome]


def header(line: Line) -> str:
    return f"{line.menu.ivr}: {line.menu.path}, scenario {line.scenario}"


def transcript_text(line: Line, call: ScriptedCall, persona_name: str, keys: str) -> str:
    out = [header(line),
           f"{persona_name} caller ({_TIMING[call.timing]}), keys: {keys.strip() or '(none)'}"]
    for event in call.events:
        for text in event_lines(event):
            out.append(f"{clock(event.at)}  {text}")
    if call.unused:
        out.append(f"keys never pressed: {' '.join(call.unused)}")
    return "".join(terminal(line) + "\n" for line in out)


def _plain(value):
    if isinstance(value, Fraction):
        return tenths(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def transcript_json(line: Line, call: ScriptedCall, persona_name: str, keys: str) -> str:
    events = []
    for event in call.events:
        item = {"t": tenths(event.at), "event": event.kind, "node": event.node}
        item.update({key: _plain(value) for key, value in event.info.items()})
        events.append(item)
    data = {"file": line.menu.path, "ivr": line.menu.ivr, "scenario": line.scenario,
            "persona": persona_name, "timing": call.timing, "keys": parse_keys(keys),
            "outcome": call.outcome, "seconds": tenths(call.seconds), "node": call.node,
            "digit_waits": tenths(call.digit_waits),
            "unused_keys": list(call.unused), "events": events}
    return json_text(data)


def _percent(share: float) -> str:
    return f"{share * 100:6.2f} %"


_SHARES = (("person", "reach a person"), ("callback", "get a callback"),
           ("hangup", "are hung up on"), ("transfer", "are transferred"),
           ("gave-up", "give up"), ("stuck", "are still stuck"))


def persona_text(persona) -> str:
    patience = "no patience limit" if persona.patience is None else \
        f"hangs up after {persona.patience:g} s"
    knowledge = {"expert": "knows the keys, barges in",
                 "first-time": "listens until its option", "none": "presses no key"}[persona.knowledge]
    if persona.speaks:
        knowledge += "; says what it may say"
    return (f"persona {persona.name}: {knowledge}; reaction {persona.reaction.text()}; "
            f"mistypes {persona.mistype:.0%}; {patience}")


def _guessed(line: Line) -> str:
    """'≈' when the times of this line rest on durations estimated from the text (a prompt a
    call can reach has no `duration` or `audio`), as the audit marks them; else ''."""
    import networkx as nx

    from ..analysis.estimated import any_heard

    entry = line.menu.entry
    reached = {entry} | nx.descendants(line.graph, entry) if entry in line.graph else {entry}
    return "≈" if any_heard(line.menu, sorted(reached)) else ""


def statistics_text(line: Line, stats: Statistics) -> str:
    out = [header(line), persona_text(stats.persona)]
    about = _guessed(line)
    mc = stats.montecarlo
    if mc is not None:
        out.append(f"{mc.callers:,} callers (Monte Carlo, seed {mc.seed}):")
        out += [f"  {label:<18}{_percent(mc.shares[key])}" for key, label in _SHARES]
        if mc.finished_exactly:
            calls = "1 call" if mc.finished_exactly == 1 else f"{mc.finished_exactly:,} calls"
            out.append(f"  ({calls} still in the menus after up to {mc.steps:,} decisions: "
                       "their ends drawn from the exact analysis, their times its expected "
                       "ones)")
        if mc.mean is None:
            out.append("time to a person: nobody reached one")
        else:
            out.append(f"time to a person: mean {about}{mc.mean:.1f} s, p50 {about}"
                       f"{mc.p50:.1f} s, p90 {about}{mc.p90:.1f} s, p99 {about}{mc.p99:.1f} s")
    exact = stats.exact
    if exact is not None:
        expected = "never" if exact.expected_seconds_to_human is None else \
            f"{about}{exact.expected_seconds_to_human:.1f} s"
        states = f"{stats.states} state{'' if stats.states == 1 else 's'}"
        out.append(f"exact (absorbing Markov chain, {states}): reach a person "
                   f"{exact.reach_probability * 100:.2f} %, expected time to a person {expected}")
        out.append(f"  callback {exact.callback_probability * 100:.2f} %, hung up on "
                   f"{exact.hangup_probability * 100:.2f} %, transferred out "
                   f"{exact.transfer_probability * 100:.2f} %, stuck "
                   f"{exact.stuck_probability * 100:.2f} %")
    if stats.note:
        out.append(stats.note)
    if mc is not None and mc.trouble:
        out.append("where calls fail most (per 100 callers):")
        width = max(len(t.node) for t in mc.trouble)
        out.append(f"  {'node'.ljust(width)}  invalid  timeouts   lost")
        out += [f"  {t.node.ljust(width)}  {t.invalid:7.1f}  {t.timeouts:8.1f}  {t.lost:5.1f}"
                for t in mc.trouble]
    return "".join(terminal(line) + "\n" for line in out)


def statistics_json(line: Line, stats: Statistics) -> str:
    persona = stats.persona
    data: dict = {"file": line.menu.path, "ivr": line.menu.ivr, "scenario": line.scenario,
                  "persona": {"name": persona.name, "knowledge": persona.knowledge,
                              "reaction": {"median": persona.reaction.median,
                                           "sigma": persona.reaction.sigma},
                              "mistype": persona.mistype, "patience": persona.patience},
                  "states": stats.states, "montecarlo": None, "exact": None}
    mc = stats.montecarlo
    if mc is not None:
        data["montecarlo"] = {
            "callers": mc.callers, "seed": mc.seed,
            "shares": {key: round(value, 6) for key, value in mc.shares.items()},
            "finished_exactly": mc.finished_exactly,
            "seconds_to_human": {name: _round(value) for name, value in
                                 (("mean", mc.mean), ("p50", mc.p50), ("p90", mc.p90),
                                  ("p99", mc.p99))},
            "fail_most": [{"node": t.node, "invalid": round(t.invalid, 3),
                           "timeouts": round(t.timeouts, 3), "lost": round(t.lost, 3)}
                          for t in mc.trouble]}
    exact = stats.exact
    if exact is not None:
        data["exact"] = {"reach_probability": round(exact.reach_probability, 6),
                         "callback_probability": round(exact.callback_probability, 6),
                         "hangup_probability": round(exact.hangup_probability, 6),
                         "transfer_probability": round(exact.transfer_probability, 6),
                         "stuck_probability": round(exact.stuck_probability, 6),
                         "expected_seconds_to_human": _round(exact.expected_seconds_to_human)}
    if stats.note:
        data["note"] = stats.note
    return json_text(data)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
