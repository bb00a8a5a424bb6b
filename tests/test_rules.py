"""The rule catalogue: registry, documentation, and each rule's own examples."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from ivraudit import rules
from ivraudit.audit.auditor import audit_menu
from ivraudit.format.loader import load_text
from ivraudit.audit.policy import BUILTIN, load
from ivraudit.rules.docs import (
    DocumentedFinding, describe, documented_findings, examples, rules_markdown,
)

ROOT = Path(__file__).resolve().parent.parent


def rule_findings(text: str, rule_id: str, policy=None, today: str = "2026-01-01"):
    """The unsuppressed findings of one rule on a menu written as YAML."""
    result = audit_menu(load_text(text, "example.yaml"), policy, today)
    return [f for f in result.findings if f.rule == rule_id and not f.suppressed]


def test_ids_and_names_are_unique_and_well_formed():
    ids = [rule.id for rule in rules.RULES]
    names = [rule.name for rule in rules.RULES]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)
    assert all(re.fullmatch(r"IVR\d{3}", i) for i in ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)
    assert all(rule.severity in ("error", "warning", "info") for rule in rules.RULES)


def test_a_rule_is_found_by_id_or_name_and_typos_get_a_suggestion():
    assert rules.get("IVR003") is rules.get("one-key-human") is rules.get("ivr003")
    assert "did you mean 'one-key-human'" in rules.unknown("one-key-humna")[0]


@pytest.mark.parametrize("rule", rules.RULES, ids=[r.name for r in rules.RULES])
def test_each_rule_documents_itself(rule):
    assert rule.doc.startswith(f"{rule.name} ({rule.id}):")
    assert rule.doc.index("Passes::") < rule.doc.index("Fails::") < rule.doc.index("Finds::")
    assert set(rule.param_help) == set(rule.params)
    page = describe(rule)
    assert rule.summary and rule.id in page and all(s.url in page for s in rule.sources)


@pytest.mark.parametrize("rule", rules.RULES, ids=[r.name for r in rules.RULES])
def test_each_rules_examples_find_exactly_what_the_docs_say(rule):
    passing, failing = examples(rule)
    assert rule_findings(passing, rule.id) == []
    found = [DocumentedFinding(f.line, f.node, f.scenario, f.message)
             for f in rule_findings(failing, rule.id)]
    assert found == documented_findings(rule), f"{rule.name}: the Finds:: block and the " \
        f"findings of the Fails:: example differ; they are, in report order:\n{found}"


def test_a_finds_entry_that_is_not_well_formed_is_an_error():
    rule = rules.get("IVR003")
    broken = replace(rule, doc=rule.doc.replace("line 5, node main", "at main line 5"))
    with pytest.raises(ValueError, match="a Finds:: entry must read"):
        documented_findings(broken)


def test_docs_rules_md_is_generated_from_the_code():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), \
        "regenerate it: python -m ivraudit.rules.docs > docs/rules.md"


def test_the_strict_policy_makes_every_rule_an_error():
    strict = load("strict")
    assert all(s.enabled and s.severity == "error" for s in strict.settings.values())
    assert set(strict.settings) == {rule.id for rule in rules.RULES}


@pytest.mark.parametrize("name", BUILTIN)
def test_built_in_policies_load(name):
    assert load(name).name == name


MENU = """\
ivr: Judged line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    timeout: 3
    options:
      - {key: 1, say: For billing press 1., goto: billing}
  billing:
    type: menu
    options:
      - {key: 0, say: For a person press 0., goto: agent}
  agent: {type: human, wait: 30}
"""


def test_findings_carry_rule_severity_location_and_measured_value():
    (finding,) = rule_findings(MENU, "IVR015")
    assert (finding.name, finding.severity, finding.file) == ("input-timeout", "warning", "example.yaml")
    assert (finding.line, finding.column, finding.node) == (8, 14, "main")
    assert (float(finding.value), float(finding.limit)) == (3.0, 5.0)
    (one_key,) = rule_findings(MENU, "IVR003")
    assert (one_key.line, one_key.node, one_key.scenario) == (5, "main", "default")


def test_a_policy_changes_severity_and_parameters(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: gethuman\nrules:\n  input-timeout: {severity: info, min_menu_seconds: 2}\n"
                    "  one-key-human: {enabled: false}\n", encoding="utf-8")
    policy = load(str(path))
    assert rule_findings(MENU, "IVR015", policy) == []
    assert rule_findings(MENU, "IVR003", policy) == []
    assert policy.settings["IVR002"].severity == "error"  # from gethuman


def test_a_menu_waiver_suppresses_with_its_reason_until_it_expires():
    waived = MENU + "waivers:\n  - {rule: one-key-human, node: main, reason: New menu in May., expires: 2026-06-01}\n"
    menu = load_text(waived, "example.yaml")
    before = audit_menu(menu, today="2026-05-31").findings
    (suppressed,) = [f for f in before if f.rule == "IVR003"]
    assert suppressed.suppressed and suppressed.reason == "New menu in May."
    assert not [f for f in before if f.rule == "IVR029"]
    after = audit_menu(menu, today="2026-06-02").findings
    assert not [f for f in after if f.rule == "IVR003"][0].suppressed
    (expired,) = [f for f in after if f.rule == "IVR029"]
    assert expired.line == 17 and "expired on 2026-06-01" in expired.message
