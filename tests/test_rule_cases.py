"""Rule cases with exact expectations: tests/rule_cases/IVRnnn.yaml, one file per rule.

Like sqlfluff's std_rule_cases, each file holds small menus and exactly what one rule finds in
them. The shape of a file::

    rule: IVR003                       # the rule's id; the file is named after it
    cases:
      pass_forced_audio_at_the_limit:  # pass_*: expects nothing; fail_*: at least one finding
        # the arithmetic, in comments: welcome 4 s + main 6 s, both forced = 10 s <= 10 s
        boundary: max_forced_seconds   # optional: the case sits at this parameter's limit
        params: {max_forced_seconds: 10}   # optional: this rule's parameters, as in a policy
        today: 2026-01-01              # optional: the audit's date (for waivers); this default
        menu: |                        # a whole menu file, as `ivraudit audit` reads it
          ivr: One key
          ...
        expect: []                     # every finding of THIS rule, exactly
      fail_forced_audio_just_over:
        ...
        expect:
          - {node: main, scenario: default, line: 5, message: "10.5 s of forced audio"}

An expected finding gives ``node``, ``scenario`` and ``line`` (null where the finding has no
node; the line is counted in ``menu``, from 1), and may add ``column``, ``message`` (a part of
the message) and ``suppressed: true`` (a waived finding). It is one occurrence: the auditor
groups what a rule finds at one source location into one finding (one cause) that lists every
node and scenario it concerns, and a problem that does not depend on the scenario is found in
each. The runner audits the menu with the default policy plus the case's ``params`` for this
rule, keeps only this rule's findings (waived ones included), takes each finding's occurrences
(with the finding's line and column) and compares them with ``expect`` as a multiset: same
number, each matching on every key given. A mismatch prints both lists, the actual one as YAML
ready to paste.

The files are checked too: every rule has one; each numeric parameter (a threshold) has a
``pass_`` and a ``fail_`` case marked ``boundary:`` with its name (the pass exactly at the limit,
the fail just past it, where the measured value allows: see IVR030); every other parameter is
set by some case. A new rule needs only a new file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivraudit import rules
from ivraudit.audit.auditor import audit_menu
from ivraudit.audit.policy import defaults, load
from ivraudit.format.loader import load_text
from ivraudit.format.yamlsource import PosDict, parse

CASES_DIR = Path(__file__).parent / "rule_cases"
TODAY = "2026-01-01"
CASE_KEYS = {"boundary", "params", "today", "menu", "expect"}
REQUIRED = ("node", "scenario", "line")
EXPECT_KEYS = {*REQUIRED, "column", "message", "suppressed"}


def case_file(rule_id: str) -> PosDict:
    path = CASES_DIR / f"{rule_id}.yaml"
    return parse(path.read_text(encoding="utf-8"), str(path))


def all_cases() -> list:
    found = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        document = case_file(path.stem)
        for name, case in document["cases"].items():
            found.append(pytest.param(path.stem, name, case, document["cases"].key_pos[name],
                                      id=f"{path.stem}-{name}"))
    return found


def rule_policy(rule_id: str, params: dict | None, folder: Path):
    """The default policy with ``params`` set for the rule (through the policy loader, which
    rejects an unknown parameter or a value of the wrong type)."""
    if not params:
        return defaults()
    path = folder / "case-policy.yaml"
    path.write_text(json.dumps({"rules": {rule_id: dict(params)}}), encoding="utf-8")
    return load(str(path))


def matches(finding, expected: dict) -> bool:
    actual = shown(finding)
    expected = {"suppressed": False} | expected
    return all(expected[key] in actual["message"] if key == "message" else
               expected[key] == actual[key] for key in expected)


def shown(found) -> dict:
    finding, occurrence = found
    return {"node": occurrence.node, "scenario": occurrence.scenario, "line": finding.line,
            "column": finding.column, "message": occurrence.message,
            "suppressed": finding.suppressed}


def difference(found: list, expected: list) -> tuple[list, list]:
    """(expected entries no finding matched, findings no expected entry matched)."""
    unmatched = list(found)
    missing = []
    for wanted in sorted(expected, key=len, reverse=True):  # the most specific first
        hit = next((f for f in unmatched if matches(f, wanted)), None)
        if hit is None:
            missing.append(wanted)
        else:
            unmatched.remove(hit)
    return missing, unmatched


def as_yaml(finding) -> str:
    entry = {key: value for key, value in shown(finding).items()
             if key in (*REQUIRED, "message") or (key == "suppressed" and value)}
    return "  - " + json.dumps(entry, ensure_ascii=False)


@pytest.mark.parametrize(("rule_id", "name", "case", "where"), all_cases())
def test_rule_case(rule_id, name, case, where, tmp_path):
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"unknown keys {sorted(unknown)}; allowed: {sorted(CASE_KEYS)}"
    assert {"menu", "expect"} <= set(case), "a case needs `menu` and `expect`"
    for wanted in case["expect"]:
        assert set(REQUIRED) <= set(wanted) <= EXPECT_KEYS, \
            f"an expected finding needs {REQUIRED}, may add column, message, suppressed: {wanted}"
    menu = load_text(case["menu"], f"{name}.yaml")
    policy = rule_policy(rule_id, case.get("params"), tmp_path)
    result = audit_menu(menu, policy, str(case.get("today", TODAY)))
    found = [(finding, occurrence) for finding in result.findings if finding.rule == rule_id
             for occurrence in finding.where]
    missing, unexpected = difference(found, case["expect"])
    menu_line = case.value_pos["menu"][0]  # the `|` line: menu line n is file line menu_line + n
    assert not missing and not unexpected, "\n".join([
        f"{rule_id}.yaml line {where[0]}, case {name}: the findings differ",
        "expected but not found:", *(f"  - {json.dumps(m, ensure_ascii=False)}" for m in missing),
        "found but not expected:", *(as_yaml(f) for f in unexpected),
        f"everything found (menu line n is line {menu_line} + n of the case file):",
        *(as_yaml(f) for f in found)])


@pytest.mark.parametrize("rule", rules.RULES, ids=[r.id for r in rules.RULES])
def test_every_rule_has_cases_at_each_threshold(rule):
    path = CASES_DIR / f"{rule.id}.yaml"
    assert path.is_file(), f"write {path.relative_to(CASES_DIR.parent.parent)}"
    document = case_file(rule.id)
    assert document["rule"] == rule.id, "the file's `rule` names another rule"
    cases = document["cases"]
    for name, case in cases.items():
        kind, what = ("pass", "no finding") if case["expect"] == [] else ("fail", "findings")
        assert name.startswith(kind + "_"), f"{name}: a case that expects {what} is named {kind}_*"
        assert set(case.get("params", {})) <= set(rule.params), f"{name}: unknown parameter"
        assert case.get("boundary") in (None, *rule.params), f"{name}: unknown boundary"
    kinds = {name.split("_")[0] for name in cases}
    assert kinds == {"pass", "fail"}, "a rule needs passing and failing cases"
    for param, default in rule.params.items():
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            edges = {name.split("_")[0] for name, case in cases.items()
                     if case.get("boundary") == param}
            assert edges == {"pass", "fail"}, \
                f"threshold {param}: mark a pass_ case at the limit and a fail_ case just past " \
                "it with `boundary: " + param + "`"
        else:
            assert any(param in case.get("params", {}) for case in cases.values()), \
                f"no case sets the parameter {param}"


def test_there_is_no_case_file_for_a_rule_that_does_not_exist():
    assert {path.stem for path in CASES_DIR.glob("*.yaml")} <= {rule.id for rule in rules.RULES}
