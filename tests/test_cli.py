"""The command line through click's CliRunner: outputs, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from helpers import MENUS
from ivraudit.cli import main

SIMPLE = """\
ivr: Simple line
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    barge_in: false
    duration: 4
    on_invalid: restart
    options:
      - {key: 1, say: For billing press 1., duration: 2, goto: billing}
      - {key: 0, say: For a person press 0., duration: 2, goto: agent}
  billing:
    type: menu
    options:
      - {key: 2, say: For an agent press 2., goto: agent}
  agent: {type: human, wait: 90}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_text_output_reads_as_a_summary(tmp_path):
    result = run("audit", "--fail-on", "never", write(tmp_path, "simple.yaml", SIMPLE))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Simple line" in out
    assert "fewest keys:          1 (press 0)" in out
    assert "forced listening:     8.0 s that cannot be skipped (press 0)" in out
    # a wrong key that restarts the call is called a restart, never a replay
    assert "main  2    restart       +8.0 s        +0          forces a restart" in out
    assert "1 menu audited on " in out


def test_json_output_follows_the_spec(tmp_path):
    result = run("audit", "--format", "json", write(tmp_path, "simple.yaml", SIMPLE))
    report = json.loads(result.output)
    assert report["tool"]["name"] == "ivraudit" and report["policy"] == "default"
    menu = report["menus"][0]
    assert (menu["ivr"], menu["locale"]) == ("Simple line", "en-US")
    metrics = menu["scenarios"]["default"]["metrics"]
    assert metrics["paths"]["forced"] == [{"node": "main", "key": "0"}, {"node": "agent", "key": None}]
    assert metrics["wait_seconds"] == 90
    assert metrics["mistype"] == [{"node": "main", "key": "2", "outcome": "restart",
                                   "penalty_seconds": 8.0, "penalty_steps": 0,
                                   "forces_replay": True}]


def test_output_is_deterministic_and_can_go_to_a_file(tmp_path):
    out = tmp_path / "report.json"
    first = run("audit", "--format", "json", str(MENUS))
    second = run("audit", "--format", "json", "--output", str(out), str(MENUS))
    assert first.exit_code == second.exit_code == 1  # the example menus have errors
    assert second.output == ""
    assert out.read_text(encoding="utf-8") == first.output


def test_a_folder_is_searched_for_yaml_and_yml(tmp_path):
    write(tmp_path, "a.yaml", SIMPLE)
    write(tmp_path, "b.yml", SIMPLE.replace("Simple line", "Other line"))
    write(tmp_path, "notes.txt", "not a menu")
    report = json.loads(run("audit", "--format", "json", str(tmp_path)).output)
    assert [m["ivr"] for m in report["menus"]] == ["Simple line", "Other line"]


def test_bad_files_are_reported_good_ones_still_audited_exit_2(tmp_path):
    good = write(tmp_path, "good.yaml", SIMPLE)
    bad = write(tmp_path, "bad.yaml", SIMPLE.replace("goto: billing", "goto: biling"))
    empty = write(tmp_path, "empty.yaml", "")
    result = CliRunner().invoke(main, ["audit", "--format", "json", bad, good, empty])
    assert result.exit_code == 2
    assert f"{bad}:12:" in result.stderr and "did you mean 'billing'" in result.stderr
    assert f"{empty}:1:1: error: the file is empty" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert [m["file"] for m in json.loads(result.stdout)["menus"]] == [good]


def test_a_missing_path_is_exit_2(tmp_path):
    result = run("audit", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_a_bad_option_is_exit_2():
    assert run("audit", "--format", "xml", str(MENUS)).exit_code == 2


def test_schema_prints_the_shipped_json_schema():
    result = run("schema")
    schema = json.loads(result.output)
    assert schema["title"].startswith("ivraudit") and "nodes" in schema["required"]


def test_every_example_menu_is_audited_without_errors():
    result = run("audit", "--fail-on", "never", str(MENUS))
    assert result.exit_code == 0, result.output
    assert len(list(MENUS.glob("*.yaml"))) >= 6


def test_rules_lists_the_catalogue_and_shows_one_rule():
    listing = run("rules")
    assert listing.exit_code == 0 and "IVR003  one-key-human" in listing.output
    page = run("rules", "one-key-human")
    assert "max_forced_seconds = 10" in page.output and "Sources:" in page.output
    assert run("rules", "IVR003").output == page.output
    missing = run("rules", "one-key-humen")
    assert missing.exit_code == 2 and "did you mean 'one-key-human'" in missing.stderr


def test_text_is_coloured_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    from ivraudit import cli
    from ivraudit.audit.auditor import audit_paths
    from ivraudit.reporters import render

    run_ = audit_paths([str(MENUS / "bank.yaml")])
    assert "\033[31m" in render(run_, "text", color=True)
    assert "\033[" not in render(run_, "text", color=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._color_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._color_wanted()
    assert "\033[" not in run("audit", str(MENUS / "bank.yaml")).output  # not a terminal


def test_the_readme_sample_is_the_real_output(monkeypatch):
    from helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ ivraudit audit --date 2026-05-01 menus/telecom-complaint.yaml\n"
    sample = readme.split(command, 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    assert run("audit", "--date", "2026-05-01", "menus/telecom-complaint.yaml").output == sample


def test_an_output_file_in_a_missing_folder_is_exit_2(tmp_path):
    result = run("audit", "-o", str(tmp_path / "no" / "such" / "out.json"), str(MENUS / "bank.yaml"))
    assert result.exit_code == 2 and "cannot write the file" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_html_page_judges_at_the_chosen_fail_on():
    bank = str(MENUS / "bank.yaml")  # an error under the default policy
    strict_page = run("audit", "--format", "html", bank).output
    lenient_page = run("audit", "--format", "html", "--fail-on", "never", bank).output
    assert "(fail on: error): 0 pass, 1 fail" in strict_page
    assert "(fail on: never): 1 pass, 0 fail" in lenient_page


def test_audit_help_lists_the_exit_codes():
    page = run("audit", "--help").output
    exit_codes = page.split("Exit codes:")[1]
    for code in ("0  nothing at or above --fail-on", "1  an unsuppressed finding",
                 "2  a file could not be read"):
        assert code in exit_codes


def test_help_summaries_are_whole_sentences():
    listing = run("--help").output.split("Commands:")[1]
    summaries = [line.split(None, 1)[1] for line in listing.strip().splitlines()]
    assert len(summaries) == len(main.commands)
    assert all(not s.endswith("...") and s.endswith(".") for s in summaries), summaries


WORKFLOW = """\
name: CI
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""


def test_a_folder_skips_yaml_files_that_are_not_menus(tmp_path):
    write(tmp_path, "menu.yaml", SIMPLE)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    write(tmp_path / ".github" / "workflows", "ci.yml", WORKFLOW)
    write(tmp_path, "policy.yaml", "extends: gethuman\n")
    (tmp_path / "ci").mkdir()
    write(tmp_path / "ci", "pipeline.yml", WORKFLOW)  # not hidden: passed over by content
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    write(tmp_path / ".venv" / "lib", "menu.yaml", SIMPLE.replace("Simple", "Hidden"))
    result = run("audit", "--fail-on", "never", "--format", "json", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert [m["ivr"] for m in json.loads(result.stdout)["menus"]] == ["Simple line"]


def test_a_folder_without_menus_is_exit_2(tmp_path):
    write(tmp_path, "ci.yml", WORKFLOW)
    result = run("audit", str(tmp_path))
    assert result.exit_code == 2 and "no menu files in this folder" in result.stderr


def test_a_named_file_that_is_no_menu_fails_unless_skipped(tmp_path):
    workflow = write(tmp_path, "ci.yml", WORKFLOW)
    menu = write(tmp_path, "menu.yaml", SIMPLE)
    named = run("audit", "--fail-on", "never", workflow, menu)
    assert named.exit_code == 2
    assert named.stderr.startswith(f"{workflow}:1:1: error: this is not an ivraudit menu")
    assert "--skip-non-menus" in named.stderr
    skipped = run("audit", "--fail-on", "never", "--skip-non-menus", workflow, menu)
    assert skipped.exit_code == 0 and skipped.stderr == ""
    assert "1 menu audited on " in skipped.stdout
    # a menu with a mistake is still a menu: its mistake is reported, not skipped
    broken = write(tmp_path, "broken.yaml", SIMPLE.replace("goto: billing", "goto: biling"))
    assert run("audit", "--skip-non-menus", broken).exit_code == 2


def test_quiet_prints_only_the_failing_findings(tmp_path):
    menu = write(tmp_path, "simple.yaml", SIMPLE)
    quiet = run("audit", "--quiet", menu)
    full = run("audit", "--format", "json", menu)
    failing = [f for f in json.loads(full.stdout)["menus"][0]["findings"]
               if f["severity"] == "error" and not f["suppressed"]]
    lines = quiet.stdout.splitlines()
    assert quiet.exit_code == 1 and len(lines) == len(failing) + 1 and failing
    assert lines[0].startswith(f"{menu}:{failing[0]['line']}:{failing[0]['column']}: error: ")
    word = "finding" if len(failing) == 1 else "findings"
    assert lines[-1].startswith(f"ivraudit: {len(failing)} {word} at or above error in 1 of 1 "
                                "menu;")
    # nothing fails: nothing printed
    never = run("audit", "--quiet", "--fail-on", "never", menu)
    assert never.exit_code == 0 and never.stdout == ""
    assert run("audit", "--quiet", "--format", "json", menu).exit_code == 2


def test_the_readme_diff_sample_is_the_real_output(monkeypatch):
    from helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ ivraudit diff tests/diff/before.yaml tests/diff/after.yaml\n"
    sample = readme.split(command, 1)[1].split("...\n```", 1)[0]
    monkeypatch.chdir(ROOT)
    assert run("diff", "tests/diff/before.yaml", "tests/diff/after.yaml").output.startswith(sample)


def test_the_readme_names_the_release_tag_that_the_release_script_makes(tmp_path):
    import re
    import shutil
    import subprocess

    from helpers import ROOT
    from ivraudit import __version__

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tags = set(re.findall(r"(?:ivraudit@|rev: )(v[0-9][0-9.]*)", readme))
    assert tags == {f"v{__version__}"}
    check = subprocess.run([str(ROOT / ".ci" / "release"), "--check"], capture_output=True,
                           text=True)
    assert (check.returncode, check.stdout) == (0, f"v{__version__}\n"), check.stderr
    # in a copy of the repository: the script tags the commit, once
    copy = tmp_path / "copy"
    for part in (".ci/release", "README.md", "src/ivraudit/__init__.py"):
        (copy / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, copy / part)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(copy)}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "release"]):
        subprocess.run(["git", *command], cwd=copy, check=True, env=env)
    release = [str(copy / ".ci" / "release")]
    assert subprocess.run(release, cwd=copy, env=env, capture_output=True).returncode == 0
    tags_made = subprocess.run(["git", "tag"], cwd=copy, capture_output=True, text=True).stdout
    assert tags_made == f"v{__version__}\n"
    again = subprocess.run(release, cwd=copy, env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "exists already" in again.stderr
    (copy / "README.md").write_text(readme.replace(f"rev: v{__version__}", "rev: v0.0.9"))
    stale = subprocess.run(release + ["--check"], cwd=copy, env=env, capture_output=True,
                           text=True)
    assert stale.returncode == 1 and "README.md must show" in stale.stderr


def test_the_output_file_suffix_names_the_format_when_none_is_given(tmp_path):
    bank = str(MENUS / "bank.yaml")
    for name, check in (("a.json", lambda t: json.loads(t)["menus"]),
                        ("a.sarif", lambda t: json.loads(t)["runs"]),
                        ("a.md", lambda t: t.startswith("## ivraudit report")),
                        ("a.txt", lambda t: t.startswith("Harbourline Bank"))):
        out = tmp_path / name
        assert run("audit", "--fail-on", "never", "-o", str(out), bank).exit_code == 0
        assert check(out.read_text(encoding="utf-8")), name
    out = tmp_path / "forced.json"
    run("audit", "--fail-on", "never", "--format", "text", "-o", str(out), bank)
    assert out.read_text(encoding="utf-8").startswith("Harbourline Bank")  # --format wins
