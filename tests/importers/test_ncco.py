"""Vonage NCCO importer: facts checked by hand against each corpus fixture (with its line), the
documented defaults, a small IVR written here, and bad input."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from helpers import assumed
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main

FILES = corpus_files("vonage-ncco")


def audited(path: str):
    run = audit_paths([path], today="2026-01-01")
    assert not run.errors, [error.format() for error in run.errors]
    (result,) = run.results
    return result


@pytest.mark.parametrize("name", FILES)
def test_every_corpus_fixture_imports_and_audits(name):
    assert audited(corpus(name))


def test_talk_with_bargein_and_loop_as_strings():
    result = audited(corpus("vonage-ncco/sdk-talk-bargein.json"))
    talk = result.menu.nodes[result.menu.entry]  # line 2
    # lines 4-6: "Hello World" (2 words, 0.8 s) played "2" times; bargeIn true
    assert (talk.type, talk.barge_in, talk.intro.seconds, talk.next) == (
        "message", True, Fraction(8, 5), "hangup")
    assert assumed(result, "no input follows")
    assert assumed(result, "takes no input: there is no menu")  # says so, not an error


def test_input_dtmf_settings_and_the_webhook_decides():
    result = audited(corpus("vonage-ncco/sdk-input-dtmf-speech.json"))
    node = result.menu.nodes[result.menu.entry]
    # lines 4-8: timeOut 3, maxDigits 1, submitOnHash true
    assert (node.type, node.timeout, node.digits_min, node.digits_max, node.terminator) == (
        "input", 3, 1, 1, "#")
    webhook = result.menu.nodes[node.next]
    assert webhook.type == "transfer" and node.on_timeout[0].target == webhook.id
    assert any(f.rule == "IVR036" for f in result.findings)  # the call leaves: audit that too


def test_create_call_request_defaults_hebrew_and_asynchronous_input():
    result = audited(corpus("vonage-ncco/sdk-create-call-with-ncco.json"))
    nodes = list(result.menu.nodes.values())
    assert [n.type for n in nodes][:4] == ["message", "message", "message", "input"]
    assert nodes[2].intro.say == "בדיקה בדיקה בדיקה"  # line 26
    assert all(not n.barge_in for n in nodes[:3])  # bargeIn defaults to false
    entry = nodes[3]  # line 28: no dtmf settings: maxDigits 4, timeOut 3 s (the SDK defaults)
    assert (entry.digits_max, entry.timeout, entry.terminator) == (4, 3, None)
    assert assumed(result, "dtmf.maxDigits is not written") and assumed(result, "asynchronous")
    assert assumed(result, "waits timeOut (3 s)")


def test_connect_to_a_phone_is_a_person():
    result = audited(corpus("vonage-ncco/sdk-connect-phone.json"))
    node = result.menu.nodes[result.menu.entry]
    assert (node.type, node.to, node.person) == ("transfer", "447700900001", True)  # line 6
    assert result.scenarios["default"].steps_to_human == 0


def test_transfer_file_with_a_byte_order_mark():
    result = audited(corpus("vonage-ncco/sdk-transfer-bom.json"))
    node = result.menu.nodes[result.menu.entry]
    assert (node.type, node.to, node.person) == (
        "transfer", "CON-f972836a-550f-45fa-956c-12a2ab5b7d22", False)  # line 4


def test_a_small_ivr_greeting_then_keys_then_a_person_on_no_answer(tmp_path):
    path = tmp_path / "ncco.json"
    path.write_text(json.dumps([
        {"action": "talk", "text": "Welcome. For sales press 1.", "bargeIn": True},
        {"action": "input", "type": ["dtmf"], "dtmf": {"maxDigits": 1, "timeOut": 5},
         "eventUrl": ["https://example.com/ivr"]},
        {"action": "talk", "text": "Goodbye."},
    ], indent=2), encoding="utf-8")
    result = audited(str(path))
    talk = result.menu.nodes[result.menu.entry]
    key = result.menu.nodes[talk.next]
    assert talk.barge_in and (key.type, key.timeout, key.digits_min) == ("input", 5, 1)
    assert result.menu.nodes[key.next].to == "https://example.com/ivr"


def test_malformed_json_is_exit_2_with_its_place(tmp_path):
    path = tmp_path / "ncco.json"
    path.write_text('[\n  {"action": "talk", "text": "Hi"\n]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2 and f"{path}:" in result.stderr
    assert "Traceback" not in result.output
