"""The example menus in menus/ judged as the README promises."""

from __future__ import annotations

from helpers import MENUS
from ivraudit.audit.auditor import audit_file
from ivraudit.audit.policy import load


def names(path: str, policy: str = "default", scenario: str | None = None) -> set[str]:
    result = audit_file(str(MENUS / path), load(policy), today="2026-11-28")
    return {f.name for f in result.findings
            if not f.suppressed and (scenario is None or f.scenario == scenario)}


def test_the_news_complaint_fails_the_core_rules():
    found = names("telecom-complaint.yaml")
    assert {"one-key-human", "forced-audio-before-human", "mistype-no-replay",
            "no-ads-before-human"} <= found


def test_the_good_practice_line_passes_strict():
    assert names("good-practice.yaml", "strict") == set()


def test_the_hidden_human_is_flagged():
    found = names("delivery-app.yaml")
    assert {"one-key-human", "human-option-announced-early", "structure"} <= found


def test_the_hotline_65_plus_scenario_passes_cn_elderly():
    assert names("city-hotline-12345.yaml", "cn-elderly", scenario="elderly") == set()
    assert "elder-direct-human" not in names("city-hotline-12345.yaml", "cn-elderly")


def test_a_menu_without_a_65_plus_scenario_fails_cn_elderly():
    assert "elder-direct-human" in names("bank.yaml", "cn-elderly")
