"""Every command takes the VoiceXML, FreeSWITCH, Asterisk and NCCO files directly (detected by
content, or named with --from), and `import` writes menu files that audit to the same metrics."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from importers.corpus import corpus
from ivraudit.cli import main

FLOWS = {
    "vxml": "voicexml/opal-ivr-test-menu.vxml",
    "freeswitch": "freeswitch/vanilla-demo_ivr.xml",
    "asterisk": "asterisk/basic-pbx-extensions.conf",
    "ncco": "vonage-ncco/sdk-input-dtmf-speech.json",
}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def metrics(*args: str) -> dict:
    result = run("audit", "--format", "json", "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    (menu,) = json.loads(result.stdout)["menus"]
    return {name: scenario["metrics"] for name, scenario in menu["scenarios"].items()}


@pytest.mark.parametrize("platform", FLOWS)
def test_import_writes_a_menu_that_audits_to_the_same_metrics(platform, tmp_path):
    path = corpus(FLOWS[platform])
    out = tmp_path / "menu.yaml"
    result = run("import", path, "--from", platform, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "assumptions (" in result.stderr  # nothing assumed silently
    assert metrics(str(out)) == metrics(path) == metrics("--from", platform, path)


@pytest.mark.parametrize("platform", FLOWS)
def test_render_and_simulate_take_the_platform_file(platform, tmp_path):
    path = corpus(FLOWS[platform])
    drawing = run("render", path, "--format", "dot", "-o", str(tmp_path / "menu.dot"))
    assert drawing.exit_code == 0, drawing.output
    assert (tmp_path / "menu.dot").read_text(encoding="utf-8").startswith("digraph")
    call = run("simulate", path, "--keys", "1")
    assert call.exit_code == 0, call.output


def test_a_platform_named_with_from_that_cannot_read_the_file_is_exit_2():
    result = run("audit", "--from", "ncco", corpus(FLOWS["asterisk"]))
    assert result.exit_code == 2 and "Traceback" not in result.output
