"""`ivraudit export --to vxml`: VoiceXML 2.1 that re-imports to the same metrics (issue 12 item 7).

The property: for every example menu, every hand-computed case and generated menus, auditing the
exported document gives exactly the metrics of the JSON report that the menu gives (every
scenario, every metric, paths and node ids included)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from helpers import ROOT
from importers.corpus import corpus, corpus_files
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main
from ivraudit.errors import MenuError
from ivraudit.exporters.vxml import export
from ivraudit.format.loader import load_file, load_text
from ivraudit.reporters import render
from test_properties import menus

EXAMPLES = sorted((ROOT / "menus").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "hand").glob("*.yaml"))


def metrics(path: Path) -> dict:
    """Every scenario's metrics as the JSON report prints them."""
    run = audit_paths([str(path)], today="2026-01-01")
    assert not run.errors, [error.format() for error in run.errors]
    (menu,) = json.loads(render(run, "json"))["menus"]
    return scenarios_of(menu)


def scenarios_of(menu: dict) -> dict:
    """Per scenario its metrics and which of its seconds rest on estimated durations (an
    estimate must stay one: its ≈ is what tells a reader it was not measured)."""
    return {name: {**scenario["metrics"], "estimated": scenario["estimated"]}
            for name, scenario in menu["scenarios"].items()}


def round_trip(menu_path: Path, folder: Path) -> tuple[dict, dict]:
    exported = folder / (menu_path.stem + ".vxml")
    exported.write_text(export(load_file(menu_path), exported.name), encoding="utf-8")
    return metrics(menu_path), metrics(exported)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_menu_re_imports_to_the_same_metrics(path, tmp_path):
    before, after = round_trip(path, tmp_path)
    assert after == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=menus())
def test_generated_menus_re_import_to_the_same_metrics(text, tmp_path):
    try:
        load_text(text)
    except MenuError:
        return  # the generator also makes menus that name missing nodes
    menu_path = tmp_path / "generated.yaml"
    menu_path.write_text(text, encoding="utf-8")
    before, after = round_trip(menu_path, tmp_path)
    assert after == before


def test_export_command_writes_a_document_that_audits_like_the_menu(tmp_path):
    out = tmp_path / "bank.vxml"
    result = CliRunner().invoke(main, ["export", str(ROOT / "menus" / "bank.yaml"),
                                       "--to", "vxml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<vxml version="2.1"')
    assert '<form id="main">' in text and '<option dtmf="1" value="o1">' in text
    assert metrics(out) == metrics(ROOT / "menus" / "bank.yaml")


def test_export_of_a_bad_menu_is_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ivr: x\nformat: 1\nentry: main\nnodes:\n  main: {type: menu}\n",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(bad), "--to", "vxml"])
    assert result.exit_code == 2 and f"{bad}:" in result.stderr and "Traceback" not in result.output


PLATFORM_FILES = [name for folder in ("amazon-connect", "twilio-studio", "genesys-archy",
                                      "voicexml", "freeswitch", "asterisk", "vonage-ncco")
                  for name in corpus_files(folder)]


@pytest.mark.parametrize("name", PLATFORM_FILES)
def test_every_corpus_line_re_imports_to_the_same_metrics(name, tmp_path):
    """Each line read from a real platform file, exported and read back: the same metrics
    in every scenario (an overflow condition with spaces, such as Asterisk's "Dial(Console/dsp)
    unanswered", once fell apart into words and changed the best path)."""
    run = audit_paths([corpus(name)], today="2026-01-01")
    for n, result in enumerate(run.results):
        exported = tmp_path / f"line{n}.vxml"
        exported.write_text(export(result.menu, exported.name), encoding="utf-8")
        again = audit_paths([str(exported)], today="2026-01-01")
        assert not again.errors, [error.format() for error in again.errors]
        (before,) = json.loads(render(type(run)(results=[result]), "json"))["menus"]
        (after,) = json.loads(render(again, "json"))["menus"]
        assert scenarios_of(after) == scenarios_of(before), result.menu.path


def test_a_menu_at_its_own_speech_rate_exports_its_estimates_as_estimates(tmp_path):
    """good-practice.yaml speaks at 140 words a minute and gives no durations: the export
    writes the words and the rate (not a duration per prompt), so the export's audit estimates
    them alike and marks them ≈ (it showed estimated seconds as measured)."""
    path = ROOT / "menus" / "good-practice.yaml"
    exported = tmp_path / "gp.vxml"
    exported.write_text(export(load_file(path), exported.name), encoding="utf-8")
    text = exported.read_text(encoding="utf-8")
    assert '<meta name="ivraudit.speech_rate" content="140 4"/>' in text
    assert "<prompt>Thanks for calling Riverbend Water.</prompt>" in text  # words alone
    assert text.count("<prosody") == 1  # the one prompt whose duration the menu states
    audit = CliRunner().invoke(main, ["audit", str(exported)]).output
    assert "first-time caller's seconds:         ≈6.4 s" in audit
