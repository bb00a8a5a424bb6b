"""The one-page verdict of a menu, shared by the text, HTML and PDF reports: pass or fail under
the policy and why in one sentence, the three numbers that matter per scenario (the first
scenario and, beside it, those for callers over 65), the top causes and the personas.

Nothing is judged here: pass or fail and the order of the findings come from the AuditRun
(audit.auditor); this module only chooses what the first page shows and words it.
"""

from __future__ import annotations

from ..i18n import N_, Np_, Seconds, Translator, msg, msgn
from ..i18n.words import severity
from ..rules.elder_direct_human import RULE as ELDER_RULE

TOP_CAUSES = 3
PERSONAS = (("elderly", N_("elderly caller")), ("first-time", N_("first-time caller")))


def columns(run, result) -> list[str]:
    """The scenarios the verdict shows: the menu's first, then each scenario for callers over
    65 (named or conditioned by the policy's elder-direct-human markers)."""
    names = list(result.scenarios)
    settings = run.policy.settings.get(ELDER_RULE.id)
    markers = set(settings.params["markers"] if settings else ELDER_RULE.params["markers"])
    elderly = [name for name, conditions in result.menu.scenarios.items()
               if name in markers or conditions & markers]
    return list(dict.fromkeys(names[:1] + elderly))


def why(run, result, tr: Translator) -> str:
    """The verdict in one sentence: 'FAIL under policy cn-elderly: 5 errors; above all: ...'."""
    failing = [f for f in run.ranked(result) if f.counts_at(run.fail_on)]
    if failing:
        return tr.render(msgn(
            Np_("FAIL under policy {policy}: {n} finding at or above {fail_on}; above all: "
                "{first}",
                "FAIL under policy {policy}: {n} findings at or above {fail_on}; above all: "
                "{first}"),
            len(failing), policy=run.policy.name, fail_on=tr(severity_word(run.fail_on)),
            first=tr.text(failing[0]) + _only_in(failing[0], result, tr)))
    open_ = [f for f in result.findings if not f.suppressed]
    if not open_:
        return tr.render(msg(N_("PASS under policy {policy}: no findings"),
                             policy=run.policy.name))
    if run.fail_on == "never":
        return tr.render(msgn(Np_("PASS under policy {policy}: findings never fail this run "
                                  "({n} finding)",
                                  "PASS under policy {policy}: findings never fail this run "
                                  "({n} findings)"), len(open_), policy=run.policy.name))
    return tr.render(msgn(Np_("PASS under policy {policy}: no finding at or above {fail_on} "
                              "({n} below it)",
                              "PASS under policy {policy}: no finding at or above {fail_on} "
                              "({n} below it)"), len(open_), policy=run.policy.name,
                          fail_on=tr(severity_word(run.fail_on))))


def _only_in(finding, result, tr: Translator) -> str:
    """' [busy]' after the verdict's first cause when it holds in some scenarios only: the
    verdict must not read as if every caller met it."""
    from .words import scenarios_text

    names = list(result.scenarios)
    if len(names) < 2 or set(finding.scenarios) >= set(names):
        return ""
    return f" [{scenarios_text(finding.scenarios, names, tr)}]"


def described(policy, tr: Translator) -> str:
    """A policy's description in the reader's language (a built-in one is in the catalog)."""
    return tr(policy.description) if policy.description else tr(N_("no description"))


def severity_word(name) -> str:
    """A severity's name, marked for translation."""
    return severity(name)


def numbers(result, scenario: str, tr: Translator) -> list[tuple[str, str]]:
    """The three numbers of one scenario, in words: (what, value)."""
    m = result.scenarios[scenario]
    guessed = result.metrics.estimated(scenario)
    if m.human_reachable:
        keys = str(m.steps_to_human)
        forced = tr.render(Seconds(m.forced_seconds_to_human, guessed["forced"]))
        listen = tr.render(Seconds(m.listen_seconds_to_human, guessed["listen"])) \
            if m.listen_seconds_to_human is not None else tr(N_("never announced"))
    else:
        keys = forced = listen = nobody(m, result.menu, tr)
    return [(tr(N_("keys to a person")), keys),
            (tr(N_("forced seconds (cannot be skipped)")), forced),
            (tr(N_("first-time caller's seconds")), listen)]


def nobody(m, menu, tr: Translator) -> str:
    """What a scenario without a best path offers instead of a number: never '—' alone."""
    end = menu.nodes.get(m.silent.end)
    if m.persistent is not None:
        return tr(N_("only by failing"))
    if end is not None and end.type == "callback":
        return tr(N_("a callback, no person"))
    return tr(N_("no person"))


def personas(result, scenario: str, tr: Translator) -> list[tuple[str, str]]:
    """(persona, its result in words) for the elderly and first-time personas."""
    from .words import persona_text

    found = result.personas.get(scenario, {})
    guessed = result.metrics.estimated(scenario)["any"]
    return [(tr(label), persona_text(found.get(name), tr, guessed)) for name, label in PERSONAS]


def causes(run, result) -> list:
    """The top causes: the run's ranking of the menu's open findings, first few."""
    return run.ranked(result)[:TOP_CAUSES]


def more_causes(run, result, tr: Translator) -> str | None:
    """'and 22 more findings' below the top causes, or None."""
    rest = len(run.ranked(result)) - TOP_CAUSES
    if rest <= 0:
        return None
    return tr.render(msgn(Np_("and {n} more finding", "and {n} more findings"), rest))


def assumptions_count(result, tr: Translator) -> str | None:
    """'3 assumptions: see below', or None."""
    found = result.assumptions
    if not found:
        return None
    return tr.render(msgn(Np_("{n} value the menu does not state was assumed (listed below)",
                              "{n} values the menu does not state were assumed (listed below)"),
                          len(found)))
