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


def _metrics(path: str):
    return audit_file(str(MENUS / path), load("default"), today="2026-11-28").scenarios


def test_the_speech_first_line_has_a_spoken_way_to_a_person():
    normal = _metrics("bank-speech-cn.yaml")["normal"]
    assert normal.spoken is not None and normal.spoken.steps == 1
    assert normal.persistent.failures == 0 and normal.persistent.steps == 1
    found = names("bank-speech-cn.yaml", scenario="normal")
    assert "spoken-request-for-person" not in found and "human-reachable" not in found
    assert "dtmf-fallback" in names("bank-speech-cn.yaml")


def test_the_speech_first_line_when_busy_offers_a_callback_and_says_the_trick():
    busy = _metrics("bank-speech-cn.yaml")["busy"]
    assert busy.silent.end == "call_back" and not busy.human_reachable
    assert busy.spoken.path[1] == ("main", None, "挂失")  # a speaker reaches the lost-card team
    found = names("bank-speech-cn.yaml", scenario="busy")
    assert "queue-no-hangup" not in found and "person-only-by-failing" in found


def test_the_pbx_dials_extensions_after_a_language_menu():
    scenarios = _metrics("pbx-extensions.yaml")
    assert scenarios["open"].steps_to_human == 1  # 0, offered in every menu
    assert scenarios["open"].listen_seconds_to_human > 0
    found = names("pbx-extensions.yaml")
    assert {"language-default", "transfer-out"} <= found
    assert "one-key-human" not in found  # judged per language, past the language menu
    assert scenarios["queue_full"].one_key_human["main_en"] == [
        {"key": "0", "announced": True}, {"key": "1", "announced": True}]
