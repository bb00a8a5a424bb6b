"""Policies on the command line: choosing one, and every mistake named with file, line and column."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit.cli import main

GOOD = str(MENUS / "good-practice.yaml")


def audit(*args: str):
    return CliRunner().invoke(main, ["audit", *args])


@pytest.mark.parametrize("text, line, column, words", [
    ("rules:\n  one-key-humna: {severity: error}\n", 2, 3, ["unknown rule 'one-key-humna'", "did you mean 'one-key-human'"]),
    ("rules:\n  one-key-human: {max_forced_second: 3}\n", 2, 19, ["unknown key 'max_forced_second'", "did you mean 'max_forced_seconds'"]),
    ("rules:\n  one-key-human: {severity: fatal}\n", 2, 29, ["unknown severity 'fatal'"]),
    ("rules:\n  one-key-human: {max_forced_seconds: lots}\n", 2, 39, ["must be like 10"]),
    ("extends: gethumn\n", 1, 10, ["'gethumn'", "did you mean 'gethuman'"]),
    ("rule:\n  one-key-human: {}\n", 1, 1, ["unknown key 'rule'", "did you mean 'rules'"]),
    ("waivers:\n  - {rule: IVR999, reason: x}\n", 2, 12, ["unknown rule 'IVR999'"]),
])
def test_policy_mistakes_are_exit_2_with_their_place(tmp_path, text, line, column, words):
    policy = tmp_path / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    result = audit("--policy", str(policy), GOOD)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{policy}:{line}:{column}: error: "), result.stderr
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_profile_name_is_exit_2_with_a_suggestion():
    result = audit("--policy", "stirct", GOOD)
    assert result.exit_code == 2 and "did you mean 'strict'" in result.stderr


def test_pyproject_chooses_the_policy(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.ivraudit]\npolicy = "strict"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found in a parent folder too
    result = audit("--format", "json", str(MENUS / "bank.yaml"))
    assert json.loads(result.stdout)["policy"] == "strict"
    assert json.loads(audit("--policy", "gethuman", "--format", "json", GOOD).stdout)["policy"] == "gethuman"


def test_fail_on_sets_the_exit_code():
    bank = str(MENUS / "bank.yaml")  # errors and warnings under the default policy
    assert audit(bank).exit_code == 1
    assert audit("--fail-on", "never", bank).exit_code == 0
    assert audit(GOOD).exit_code == 0
    assert audit("--policy", "strict", "--fail-on", "warning", GOOD).exit_code == 0


def test_a_policy_file_waives_findings_for_matching_files(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("extends: default\nwaivers:\n  - {rule: no-disconnect-on-error, file: '*bank.yaml',"
                      " reason: Vendor fix due in March.}\n", encoding="utf-8")
    report = json.loads(audit("--policy", str(policy), "--format", "json",
                              str(MENUS / "bank.yaml")).stdout)
    waived = [f for f in report["menus"][0]["findings"] if f["rule"] == "IVR012"]
    assert waived and all(f["suppressed"] and f["reason"] == "Vendor fix due in March." for f in waived)
    assert report["summary"]["suppressed"] == len(waived)


def test_a_policy_file_that_is_not_there_is_called_a_file(tmp_path):
    missing = str(tmp_path / "policies" / "ours.yaml")
    result = audit("--policy", missing, GOOD)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no such policy file '{missing}'\n"), result.stderr
    # a bare word is still taken for a built-in policy's name
    assert "no policy named 'ours'" in audit("--policy", "ours", GOOD).stderr


@pytest.mark.parametrize("toml, line, words", [
    ('[tool.ivraudit]\npolicy = "gethumann"\n', 2, ["no policy named 'gethumann'", "did you mean 'gethuman'"]),
    ('[tool.ivraudit]\npolcy = "strict"\n', 2, ["unknown key 'polcy'", "did you mean 'policy'"]),
    ('[tool.ivraudit]\npolicy = strict\n', 2, ["not valid TOML"]),
])
def test_pyproject_mistakes_are_exit_2_with_their_place(tmp_path, monkeypatch, toml, line, words):
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = audit(GOOD)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{tmp_path / 'pyproject.toml'}:{line}:"), result.stderr
    for word in words:
        assert word in result.stderr
