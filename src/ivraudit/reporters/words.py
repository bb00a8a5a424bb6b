"""Small helpers the reporters share: values as JSON, paths, callers, occurrences, policies
and parameters in words, each in the reader's language (``tr``: an i18n.Translator)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import yaml

from ..audit.stream import Kept
from ..format.durations import tenths
from ..i18n import ENGLISH, N_, Np_, Joined, Seconds, Translator, msg, msgn
from ..rules.tricks import THEN, how_reached, trick_text


def parts(run, fmt: str, make, *args) -> Iterator:
    """Each menu's part of a report in ``fmt``, in order, one at a time: the one a streaming
    audit kept (audit.stream.Kept), or made now from the whole result by
    ``make(result, run, *args)``."""
    for result in run.results:
        yield result.part(fmt) if isinstance(result, Kept) else make(result, run, *args)


def plain(value):
    """A finding's measured value or limit as JSON: exact seconds rounded like every second."""
    if isinstance(value, Fraction):
        return tenths(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def count(tr: Translator, forms: tuple[str, str], n: int) -> str:
    """'1 key press', '3 key presses' in the reader's language."""
    return tr.count(forms, n)


def reach_text(m, menu, tr: Translator = ENGLISH) -> str:
    """Whether and how a person can be reached in a scenario, never contradicting the
    persistent or silent caller: 'reachable', 'only by failing: ...' or 'no person'."""
    if m.human_reachable:
        return tr(N_("reachable"))
    if m.persistent is not None:
        return tr.render(how_reached(menu, m.persistent))
    return tr(N_("no person can be reached, not even by failing"))


def persistent_text(m, menu, tr: Translator = ENGLISH, estimated: bool = False) -> str:
    """The persistent caller (SPEC 9.8) in words: '47.0 s, 1 key press, 2 failures: press 1,
    then let the account number prompt time out twice'."""
    call = m.persistent
    if call is None:
        return tr(N_("no person, even by failing or staying silent"))
    return tr.render(msg(N_("{seconds}, {keys}, {failures}: {trick}"),
                         seconds=Seconds(call.seconds, estimated),
                         keys=msgn(Np_("{n} key press", "{n} key presses"), call.steps),
                         failures=msgn(Np_("{n} failure", "{n} failures"), call.failures),
                         trick=trick_text(menu.nodes, call.path)))


def spoken_text(m, tr: Translator = ENGLISH, estimated: bool = False) -> str:
    """The speaking caller (SPEC 9.3) in words: '1 step, 9.5 s forced: say "人工"'."""
    found = m.spoken
    if found is None:
        return tr(N_("no person, even by speaking"))
    actions = [msg(N_('say "{phrase}"'), phrase=speech) if speech is not None
               else msg(N_("press {key}"), key=key)
               for _, key, speech in found.path if key is not None or speech is not None]
    return tr.render(msg(N_("{steps}, {seconds} forced: {actions}"),
                         steps=msgn(Np_("{n} step", "{n} steps"), found.steps),
                         seconds=Seconds(found.forced_seconds, estimated),
                         actions=Joined(tuple(actions), THEN) if actions
                         else msg(N_("no choice"))))


def scenarios_text(scenarios: list[str], menu_scenarios, tr: Translator = ENGLISH) -> str:
    """The scenarios a finding concerns: 'every scenario' when it is all of them, else their
    names."""
    if len(menu_scenarios) > 1 and set(scenarios) >= set(menu_scenarios):
        return tr(N_("every scenario"))
    return tr.join(scenarios)


def occurrences_text(finding, menu_scenarios, tr: Translator = ENGLISH) -> str | None:
    """The nodes of a finding that concerns several, or None for one: '5 nodes: a, b, c, d,
    e', each with its scenarios when they differ from node to node ('2 nodes: a (day), b (day,
    night)'). The scenarios they share are said beside the finding (``scenarios_text``)."""
    per_node: dict = {}
    for o in finding.where:
        per_node.setdefault(o.node, []).append(o.scenario)
    if len(per_node) < 2:
        return None
    named = [node if node is not None else tr(N_("the menu")) for node in per_node]
    if len({tuple(s) for s in per_node.values()}) > 1:
        named = [tr.render(msg(N_("{node} ({scenarios})"), node=name,
                               scenarios=scenarios_text(s, menu_scenarios, tr)))
                 for name, s in zip(named, per_node.values())]
    return tr.render(msgn(Np_("{n} node: {nodes}", "{n} nodes: {nodes}"), len(per_node),
                          nodes=Joined(tuple(named))))


def extent_text(finding, menu_scenarios, tr: Translator = ENGLISH) -> str:
    """How far a cause reaches, in a few words: '5 nodes; every scenario', 'busy', '' for one
    node of a menu with one scenario."""
    parts = []
    nodes = {o.node for o in finding.where}
    if len(nodes) > 1:
        parts.append(tr.count(Np_("{n} node", "{n} nodes"), len(nodes)))
    if len(menu_scenarios) > 1 and finding.scenarios:
        parts.append(scenarios_text(finding.scenarios, menu_scenarios, tr))
    return tr.join(parts, N_("; "))


def differing(finding) -> list[tuple]:
    """The occurrences whose own message differs from the finding's (shown with it), one per
    node and message: (node, its scenarios, an occurrence)."""
    found: dict[tuple, tuple] = {}
    for o in finding.where:
        if o.message != finding.message:
            found.setdefault((o.node, o.message), (o.node, [], o))[1].append(o.scenario)
    return list(found.values())


def yaml_value(value) -> str:
    """A value as written in a policy file (YAML flow style): 10, true, [agent, 人工].

    >>> yaml_value({"severity": "error", "max_seconds": 10, "phrases": ["agent", "人工"]})
    '{severity: error, max_seconds: 10, phrases: [agent, 人工]}'
    """
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False,
                          width=10**9).strip().removesuffix("\n...").strip()


def rule_settings(rule, settings) -> dict:
    """A rule's settings in a policy, as its `rules:` entry would write them."""
    return {"severity": str(settings.severity), **settings.params}


def changed_settings(rule, settings) -> dict:
    """What a policy changes from the rule's defaults (severity, parameters); {} for none."""
    changed = {}
    if not settings.enabled:
        return {"enabled": False}
    if str(settings.severity) != str(rule.severity):
        changed["severity"] = str(settings.severity)
    changed.update({k: v for k, v in settings.params.items() if rule.params.get(k) != v})
    return changed


def persona_text(result, tr: Translator = ENGLISH, estimated: bool = False) -> str:
    """A persona's exact result: '87% reach a person, ≈75.3 s on average'."""
    if result is None:
        return tr(N_("not computed (the menu is too large for the audit's exact analysis)"))
    seconds = result.expected_seconds_to_human
    if seconds is None:
        return tr.render(msg(N_("{share} reach a person"),
                             share=f"{result.reach_probability:.0%}"))
    return tr.render(msg(N_("{share} reach a person, {seconds} on average"),
                         share=f"{result.reach_probability:.0%}",
                         seconds=Seconds(seconds, estimated)))
