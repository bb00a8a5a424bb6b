"""[tool.ivraudit] in pyproject.toml: every audit option, the command line winning, mistakes
named with their line; and errors in command-line values printed without a file position."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit.cli import main

BANK = MENUS / "bank.yaml"  # one error (IVR012) and warnings under the default policy
GOOD = MENUS / "good-practice.yaml"


def audit(*args: str):
    return CliRunner().invoke(main, ["audit", *args])


def project(tmp_path, monkeypatch, toml: str):
    """A project folder with menus/bank.yaml and the given [tool.ivraudit] section."""
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "bank.yaml").write_text(BANK.read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.ivraudit]\n" + toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def test_paths_format_and_fail_on_come_from_pyproject(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, 'paths = ["menus/"]\nformat = "json"\nfail-on = "never"\n')
    result = audit()  # no PATHS: the configured ones
    assert result.exit_code == 0, result.output + result.stderr
    assert [m["file"] for m in json.loads(result.stdout)["menus"]] == ["menus/bank.yaml"]
    # the command line wins
    strict = audit("--fail-on", "error", "--format", "text")
    assert strict.exit_code == 1 and strict.stdout.startswith("Harbourline Bank")


def test_paths_are_relative_to_pyproject_from_a_sub_folder(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, 'paths = "menus"\nfail-on = "never"\nformat = "json"\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = audit()
    assert result.exit_code == 0, result.stderr
    assert [m["file"] for m in json.loads(result.stdout)["menus"]] == ["../menus/bank.yaml"]


def test_output_comes_from_pyproject(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, 'paths = ["menus"]\noutput = "out/audit.json"\n'
                                   'format = "json"\n')
    (tmp_path / "out").mkdir()
    result = audit()
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((tmp_path / "out" / "audit.json").read_text())["summary"]["error"] >= 1


def test_fail_on_info_fails_on_an_info_finding(tmp_path):
    menu = tmp_path / "m.yaml"
    # nine options in the first menu: menu-breadth (IVR008) is the only finding, at info
    options = "\n".join(f"      - {{key: {k}, say: Option {k}., goto: agent}}" for k in range(1, 10))
    menu.write_text("ivr: Wide\nformat: 1\nentry: main\nnodes:\n  main:\n    type: menu\n"
                    "    say: Hello.\n    options:\n" + options
                    + "\n      - {key: 0, say: For a person press 0., goto: agent}\n"
                      "    on_exhausted: agent\n  agent: {type: human}\n", encoding="utf-8")
    report = json.loads(audit("--format", "json", "--fail-on", "never", str(menu)).stdout)
    severities = {f["severity"] for f in report["menus"][0]["findings"]}
    assert severities == {"info"}, report["menus"][0]["findings"]
    assert audit(str(menu)).exit_code == 0
    assert audit("--fail-on", "warning", str(menu)).exit_code == 0
    assert audit("--fail-on", "info", str(menu)).exit_code == 1


@pytest.mark.parametrize("toml, line, words", [
    ('fail-on = "warn"\n', 2, ["`fail-on` is 'warn'", "did you mean 'warning'"]),
    ('fail_on = "error"\n', 2, ["unknown key 'fail_on'", "did you mean 'fail-on'"]),
    ('format = "sarf"\n', 2, ["`format` is 'sarf'", "did you mean 'sarif'"]),
    ('paths = [1, 2]\n', 2, ["`paths` must be a string or a list of strings"]),
    ('\nallow = ["forced=+2"]\n', 3, ["unknown metric 'forced'", "did you mean 'forced_seconds'"]),
])
def test_pyproject_mistakes_name_their_line(tmp_path, monkeypatch, toml, line, words):
    project(tmp_path, monkeypatch, toml)
    result = audit("menus")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{tmp_path / 'pyproject.toml'}:{line}:1: error: "), result.stderr
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr


def test_no_paths_anywhere_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = audit()
    assert result.exit_code == 2 and "set `paths` in [tool.ivraudit]" in result.stderr


def test_a_bad_policy_name_is_not_printed_as_a_file_position():
    result = audit("--policy", "gethumen", str(GOOD))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no policy named 'gethumen' (did you mean 'gethuman'?)\n")
    assert "gethumen:1:1" not in result.stderr
