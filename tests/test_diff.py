"""`ivraudit diff` (SPEC section 11): the hand-computed case in tests/diff/ (before.yaml ->
after.yaml, the arithmetic in their headers, the diff in expected.json) through files, folders
and a git repository, in every format; matching, regressions, allowances and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import rules
from ivraudit.cli import main

CASE = Path(__file__).parent / "diff"
EXPECTED = json.loads((CASE / "expected.json").read_text(encoding="utf-8"))
EXPECTED_11 = json.loads((CASE / "expected-1.1.json").read_text(encoding="utf-8"))
KEPT = ("IVR003", "IVR006", "IVR011")  # the rules the case's findings are worked out for
SMALL = """\
ivr: {name}
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Hello.
    options:
      - {{key: 0, say: For a person press 0., goto: agent}}
  agent: {{type: human}}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def policy(tmp_path) -> str:
    """A policy with only IVR003, IVR006 and IVR011 (rules added later stay out of the case)."""
    path = tmp_path / "policy.yaml"
    path.write_text("rules:\n" + "".join(f"  {rule.id}: {{enabled: false}}\n"
                                         for rule in rules.RULES if rule.id not in KEPT),
                    encoding="utf-8")
    return str(path)


def subset(actual, expected, where="") -> None:
    """``expected`` holds exactly in ``actual``: every key it names, every list item."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in actual, f"{where}/{key} is missing"
            subset(actual[key], value, f"{where}/{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{where}: {len(actual)} items, not {len(expected)}"
        for index, (got, wanted) in enumerate(zip(actual, expected)):
            subset(got, wanted, f"{where}[{index}]")
    else:
        assert actual == expected and type(actual) is type(expected), \
            f"{where}: {actual!r}, not {expected!r}"


def check_format_11(report: dict) -> None:
    """The format 1.1 metrics, by hand in the menus' headers, once the report carries them."""
    scenarios = report["menus"][0]["scenarios"]
    for name, metrics in EXPECTED_11.items():
        if name.startswith("_"):
            continue
        for metric, wanted in metrics.items():
            if metric in scenarios[name]["metrics"]:
                subset(scenarios[name]["metrics"][metric], wanted, f"{name}/{metric}")


def file_diff(policy: str, monkeypatch, *extra: str):
    monkeypatch.chdir(CASE)
    return run("diff", "--policy", policy, *extra, "before.yaml", "after.yaml")


def test_the_hand_computed_diff_of_two_files(policy, monkeypatch):
    result = file_diff(policy, monkeypatch, "--format", "json")
    assert result.exit_code == 0, result.stderr  # regressions fail only when asked
    report = json.loads(result.stdout)
    subset(report, EXPECTED)
    assert (report["old"], report["new"]) == ("before.yaml", "after.yaml")
    assert set(report["menus"][0]["scenarios"]["default"]["metrics"]) >= {
        "human_reachable", "steps_to_human", "forced_seconds_to_human",
        "listen_seconds_to_human", "silent_seconds_to_human", "wait_seconds", "depth",
        "mistype", "one_key_human"}
    check_format_11(report)


def test_fail_on_regression_allowances_and_fail_on(policy, monkeypatch):
    assert file_diff(policy, monkeypatch, "--fail-on-regression").exit_code == 1
    allowed = json.loads(file_diff(policy, monkeypatch, "--format", "json",
                                   "--allow", "forced_seconds=+12", "--allow", "steps=+1").stdout)
    whats = [(r["scenario"], r["what"]) for r in allowed["regressions"]]
    # forced grew by exactly 12.0 (allowed); steps by 2 (> 1): still a regression
    assert ("default", "forced_seconds") not in whats and ("default", "steps") in whats
    steps = next(r for r in allowed["regressions"] if r["what"] == "steps")
    assert steps["allowed"] == 1.0 and steps["message"] == "keys to a person: 1 -> 3 (+2, allowed +1)"
    assert len(whats) == EXPECTED["summary"]["regressions"] - 1
    # at --fail-on warning the two new IVR006 warnings regress too
    warned = json.loads(file_diff(policy, monkeypatch, "--format", "json", "--fail-on",
                                  "warning").stdout)
    assert [r["rule"] for r in warned["regressions"] if r["what"] == "finding"] == \
        ["IVR006", "IVR006", "IVR003", "IVR003", "IVR003"]
    # everything allowed and nothing new at --fail-on never: no regression but the reach
    lenient = file_diff(policy, monkeypatch, "--fail-on-regression", "--fail-on", "never",
                        "--format", "json", *(f"--allow={name}=+99" for name in (
                            "steps", "forced_seconds", "listen_seconds", "silent_seconds",
                            "depth", "mistype_seconds", "mistype_steps")))
    assert lenient.exit_code == 1
    assert [r["what"] for r in json.loads(lenient.stdout)["regressions"]] == ["reach"]


@pytest.mark.parametrize("allow, words", [
    ("forced=+2", "unknown metric 'forced'"),
    ("forced_seconds=-2", "is not NAME=+N"),
    ("forced_seconds", "is not NAME=+N"),
])
def test_a_bad_allowance_is_exit_2(policy, monkeypatch, allow, words):
    result = file_diff(policy, monkeypatch, "--allow", allow)
    assert result.exit_code == 2 and words in result.stderr and "Traceback" not in result.stderr


def test_the_text_diff(policy, monkeypatch):
    out = file_diff(policy, monkeypatch).stdout
    assert out.startswith("ivraudit diff: before.yaml -> after.yaml (policy policy; new "
                          "findings count from error)\n\nafter.yaml (Diff line): changed "
                          "(was before.yaml)\n  scenario default: changed\n")
    assert "    keys to a person                         1 -> 3  (+2)  REGRESSION\n" in out
    assert ("    wrong key at main                        key 2: replay, +0.0 s, +0 keys -> "
            "key 0: restart, +12.0 s, +0 keys  REGRESSION\n") in out
    assert "  scenario holiday: added\n" in out and "  scenario weekend: removed\n" in out
    regressions = out.split("regressions (10):\n")[1].split("\n\n")[0].splitlines()
    assert regressions == [f"  {r['file']}:{r['line']}:{r['column']}: {r['message']} "
                           f"[{r['scenario']}]" for r in EXPECTED["regressions"]]
    # findings count causes: IVR006 (2 scenarios) and IVR003 (3) added, IVR011 fixed
    assert out.endswith("menus: 1 changed, 0 unchanged, 0 added, 0 removed; findings: 2 added, "
                        "1 fixed; 10 regressions\n")


def test_the_markdown_diff_reads_as_a_pull_request_comment(policy, monkeypatch):
    out = file_diff(policy, monkeypatch, "--format", "markdown").stdout
    assert out.startswith("## ivraudit diff\n\n**10 regressions**: reaching a person got "
                          "harder.\n\n`before.yaml` → `after.yaml` · policy `policy` · menus: "
                          "1 changed · findings: 2 added, 1 fixed\n\n### Regressions\n")
    assert "| `after.yaml:31` | default | keys to a person: 1 -&gt; 3 (+2) |\n" in out
    assert "| **keys to a person** | 1 | **3** | **+2** |\n" in out  # a regression, in bold
    assert "| queue wait (s) | 60 | 90 | +30 |\n" in out  # a change that is no regression
    assert "Findings fixed:" in out and "`before.yaml:41`" in out
    assert "<b>" not in out


def test_the_github_diff_annotates_each_regression(policy, monkeypatch):
    out = file_diff(policy, monkeypatch, "--format", "github", "--fail-on-regression").stdout
    lines = out.splitlines()
    assert lines == [f"::error file=after.yaml,line={r['line']},col={r['column']},title=ivraudit "
                     f"diff%3A {r['what']} [{r['scenario']}]::{r['message']}"
                     for r in EXPECTED["regressions"]]
    warned = file_diff(policy, monkeypatch, "--format", "github").stdout
    assert warned.startswith("::warning file=after.yaml,line=31,col=3,")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                               "HOME": str(repo), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    return done.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository with two commits of menus/line.yaml (before, then after) and a GitHub
    workflow beside it."""
    repo = tmp_path / "repo"
    (repo / "menus").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("name: CI\non: [push]\njobs: {}\n")
    shutil.copy(CASE / "before.yaml", repo / "menus" / "line.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "before")
    shutil.copy(CASE / "after.yaml", repo / "menus" / "line.yaml")
    _git(repo, "commit", "-qam", "after")
    return repo


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_base_reads_the_old_menu_through_git_in_every_format(repo, policy, monkeypatch, fmt):
    monkeypatch.chdir(repo)
    result = run("diff", "--base", "HEAD~1", "--policy", policy, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # the workflow file is passed over, not an error
    monkeypatch.chdir(CASE)
    by_files = run("diff", "--policy", policy, "--format", fmt, "before.yaml", "after.yaml")
    commit = _git(repo, "rev-parse", "HEAD~1").strip()[:12]
    # the same diff; only the names differ
    expected = (by_files.stdout.replace("before.yaml", "menus/line.yaml")
                .replace("after.yaml", "menus/line.yaml"))
    got = result.stdout.replace(f"HEAD~1 ({commit})", "menus/line.yaml").replace(
        "the working tree", "menus/line.yaml")
    if fmt == "text":  # a renamed file says so; the same path does not
        expected = expected.replace(" (was menus/line.yaml)", "")
    if fmt == "markdown":
        expected = expected.replace(", was `menus/line.yaml`", "")
    assert got == expected
    if fmt == "json":
        subset(json.loads(result.stdout)["summary"], EXPECTED["summary"])
    assert _git(repo, "status", "--porcelain") == ""  # the working tree is untouched


def test_base_compares_the_working_tree_not_the_last_commit(repo, policy, monkeypatch):
    monkeypatch.chdir(repo)
    shutil.copy(CASE / "before.yaml", repo / "menus" / "line.yaml")  # an edit not committed
    report = json.loads(run("diff", "--base", "HEAD~1", "--policy", policy, "--format",
                            "json").stdout)
    assert report["menus"][0]["status"] == "unchanged" and report["regressions"] == []
    against_head = json.loads(run("diff", "--base", "HEAD", "--policy", policy, "--format",
                                  "json", "menus/").stdout)
    # back to before: better in all but one way, the silent caller no longer reaches a person
    assert [(r["scenario"], r["what"], r["before"], r["after"])
            for r in against_head["regressions"]] == [("default", "silent_seconds", 45.0, None),
                                                      ("closed", "silent_seconds", 45.0, None)]
    # causes: IVR011 comes back (one cause); IVR003 and IVR006 go (two causes, five
    # occurrences before grouping)
    assert against_head["summary"]["findings"] == {"added": 1, "fixed": 2}
    assert (repo / "menus" / "line.yaml").read_text() == (CASE / "before.yaml").read_text()


def test_base_reads_audio_prompts_of_the_revision(repo, policy, monkeypatch):
    import wave

    monkeypatch.chdir(repo)
    (repo / "prompts").mkdir()
    with wave.open(str(repo / "prompts" / "hello.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * 3)  # 3 s
    menu = SMALL.format(name="Audio line").replace("say: Hello.", "audio: ../prompts/hello.wav\n"
                                                   "    barge_in: false")
    (repo / "menus" / "audio.yaml").write_text(menu)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "audio")
    (repo / "menus" / "audio.yaml").write_text(menu.replace("barge_in: false", "barge_in: true"))
    report = json.loads(run("diff", "--base", "HEAD", "--policy", policy, "--format", "json",
                            "menus/audio.yaml").stdout)
    (menu_diff,) = report["menus"]
    forced = menu_diff["scenarios"]["default"]["metrics"]["forced_seconds_to_human"]
    # before: the 3 s recording (read from the revision) + "For a person press 0." (5 words at
    # 150 a minute: 2 s), all forced; after: barge-in, nothing forced
    assert forced == {"before": 5.0, "after": 0.0, "change": -5.0}


def test_base_mistakes_are_exit_2_without_a_traceback(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(repo)
    unknown = run("diff", "--base", "no-such-branch")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: 'no-such-branch' is not a commit in this repository")
    outside = run("diff", "--base", "HEAD", str(tmp_path))
    assert outside.exit_code == 2 and "is outside the git repository" in outside.stderr
    (tmp_path / "plain").mkdir()
    monkeypatch.chdir(tmp_path / "plain")
    no_repo = run("diff", "--base", "HEAD")
    assert no_repo.exit_code == 2 and "--base needs a git repository" in no_repo.stderr
    assert "Traceback" not in unknown.stderr + outside.stderr + no_repo.stderr
    assert run("diff", "only-one.yaml").exit_code == 2


def test_base_with_a_path_that_is_on_neither_side_is_exit_2(repo, policy, monkeypatch):
    """A path that is neither in the working tree nor in the revision is a typo: a CI gate
    that compared nothing would pass. A path on one side only is a menu added or removed."""
    monkeypatch.chdir(repo)
    typo = run("diff", "--base", "HEAD~1", "--policy", policy, "menu/")
    assert typo.exit_code == 2 and typo.stdout == ""
    assert typo.stderr.startswith("error: no such file or folder in the working tree or in "
                                  "HEAD~1: menu/")
    (repo / "menus" / "line.yaml").unlink()  # removed since the revision: still compared
    removed = run("diff", "--base", "HEAD~1", "--policy", policy, "--format", "json",
                  "menus/line.yaml")
    assert removed.exit_code == 0, removed.stderr
    assert [m["status"] for m in json.loads(removed.stdout)["menus"]] == ["removed"]
    (repo / "new.yaml").write_text(SMALL.format(name="New"))  # not in the revision: added
    added = run("diff", "--base", "HEAD~1", "--format", "json", "new.yaml")
    assert [m["status"] for m in json.loads(added.stdout)["menus"]] == ["added"]


WAIVED_UNTIL = "waivers:\n  - {rule: IVR011, node: main, reason: Being rebuilt., expires: " \
               "2026-06-30}\n"


@pytest.mark.parametrize("how", ["option", "SOURCE_DATE_EPOCH"])
def test_diff_judges_waivers_on_the_audit_date(tmp_path, policy, monkeypatch, how):
    """Like `audit`, `diff` judges a waiver's expiry on --date, else on SOURCE_DATE_EPOCH's
    day, never on the wall clock alone: a waiver expired by then is no waiver."""
    monkeypatch.chdir(tmp_path)
    menu = SMALL.format(name="Line").replace("say: Hello.", "say: Hello.\n    barge_in: false")
    Path("old.yaml").write_text(menu)
    Path("new.yaml").write_text(menu + WAIVED_UNTIL)

    def fixed_on(day: str) -> list:
        if how == "option":
            args = ("--date", day)
        else:  # 12:00 UTC that day
            import datetime
            noon = datetime.datetime.fromisoformat(day + "T12:00:00+00:00")
            monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))
            args = ()
        result = run("diff", "--policy", policy, "--format", "json", *args, "old.yaml",
                     "new.yaml")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["date"] == day  # the diff says which day it judged
        return [(f["rule"], f["waived"]) for f in
                json.loads(result.stdout)["menus"][0]["findings"]["fixed"]]

    assert fixed_on("2026-06-30") == [("IVR011", "Being rebuilt.")]  # the last day it holds
    assert fixed_on("2026-07-01") == []  # expired: the finding stands on both sides


def test_diff_refuses_a_date_that_is_not_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(SMALL.format(name="Line"))
    bad = run("diff", "--date", "2026-02-30", "a.yaml", "a.yaml")
    assert bad.exit_code == 2 and "--date" in bad.stderr and "Traceback" not in bad.stderr


def test_folders_match_by_path_then_by_name(tmp_path, policy, monkeypatch):
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        (folder / "sub").mkdir(parents=True)
    shutil.copy(CASE / "before.yaml", old / "line.yaml")
    shutil.copy(CASE / "after.yaml", new / "renamed.yaml")  # matched by its `ivr` name
    (old / "sub" / "same.yaml").write_text(SMALL.format(name="Same line"))
    (new / "sub" / "same.yaml").write_text("# a comment moves every line\n"
                                           + SMALL.format(name="Same line, renamed"))
    (old / "gone.yaml").write_text(SMALL.format(name="Gone line"))
    (new / "fresh.yaml").write_text(SMALL.format(name="Fresh line").replace(
        "goto: agent", "goto: main"))  # no person at all: IVR003 (error) and a reach finding
    monkeypatch.chdir(tmp_path)
    result = run("diff", "--policy", policy, "--format", "json", "old", "new")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    status = {(m["old_file"], m["file"]): m["status"] for m in report["menus"]}
    assert status == {(None, "new/fresh.yaml"): "added",
                      ("old/line.yaml", "new/renamed.yaml"): "changed",
                      ("old/sub/same.yaml", "new/sub/same.yaml"): "unchanged",
                      ("old/gone.yaml", "old/gone.yaml"): "removed"}
    assert report["summary"]["menus"] == {"changed": 1, "unchanged": 1, "added": 1, "removed": 1}
    fresh = [r for r in report["regressions"] if r["file"] == "new/fresh.yaml"]
    assert [(r["what"], r["rule"]) for r in fresh] == [("finding", "IVR003")]
    # the same path, even with every line moved: nothing added or fixed
    same = next(m for m in report["menus"] if m["file"] == "new/sub/same.yaml")
    assert same["findings"] == {"added": [], "fixed": []}
    assert run("diff", "old", "new/renamed.yaml").exit_code == 2  # a folder and a file


def test_a_finding_waived_now_is_fixed_with_the_reason(tmp_path, policy, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = (CASE / "before.yaml").read_text()
    Path("old.yaml").write_text(before)
    Path("new.yaml").write_text(before + "waivers:\n  - {rule: barge-in-enabled, node: balance, "
                                         "reason: Read by law.}\n")
    report = json.loads(run("diff", "--policy", policy, "--format", "json", "old.yaml",
                            "new.yaml").stdout)
    (fixed,) = report["menus"][0]["findings"]["fixed"]
    assert (fixed["rule"], fixed["node"], fixed["waived"]) == ("IVR011", "balance", "Read by law.")
    assert report["menus"][0]["findings"]["added"] == [] and report["regressions"] == []


LONE = """\
ivr: Lone
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Main menu.
    on_exhausted: agent
    options:
      - {key: 1, say: For sales press 1, goto: agent}
      - {key: 0, say: For billing press 0, goto: bye}
  bye: {type: message, say: Goodbye., next: hangup}
  agent: {type: human}
"""


def test_a_finding_of_one_occurrence_is_fixed_and_waived_like_any(tmp_path, monkeypatch):
    """A menu without `scenarios:` has findings of one occurrence each: sending key 0 to the
    person fixes the two about the goodbye that hangs up; a waiver makes one fixed, with its
    reason. (Such findings were never listed as fixed: a lone occurrence was made anew each
    time it was asked for, and matched by identity.)"""
    monkeypatch.chdir(tmp_path)
    Path("old.yaml").write_text(LONE)
    Path("new.yaml").write_text(LONE.replace("goto: bye", "goto: agent"))
    report = json.loads(run("diff", "--format", "json", "old.yaml", "new.yaml").stdout)
    fixed = report["menus"][0]["findings"]["fixed"]
    assert {(f["rule"], f["node"], f["waived"]) for f in fixed} >= {("IVR002", "main", None)}
    assert len(fixed) == 2  # and 'bye', which no call reaches now, is added
    assert [f["rule"] for f in report["menus"][0]["findings"]["added"]] == ["IVR028"]
    Path("waived.yaml").write_text(LONE + "waivers:\n  - {rule: IVR002, node: main, reason: "
                                          "Billing is by letter.}\n")
    report = json.loads(run("diff", "--format", "json", "old.yaml", "waived.yaml").stdout)
    (menu,) = report["menus"]
    assert menu["status"] == "changed"
    assert [(f["rule"], f["waived"]) for f in menu["findings"]["fixed"]] == \
        [("IVR002", "Billing is by letter.")]


def test_a_broken_new_menu_is_exit_2_a_broken_old_one_a_warning(tmp_path, policy, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = SMALL.format(name="Line")
    Path("good.yaml").write_text(good)
    Path("bad.yaml").write_text(good.replace("goto: agent", "goto: agnet"))
    broken_new = run("diff", "--policy", policy, "good.yaml", "bad.yaml")
    assert broken_new.exit_code == 2 and "bad.yaml:9:" in broken_new.stderr
    fixed_now = run("diff", "--policy", policy, "--fail-on-regression", "--format", "json",
                    "bad.yaml", "good.yaml")
    assert fixed_now.exit_code == 0
    assert fixed_now.stderr.startswith("warning: in bad.yaml: bad.yaml:9:")
    assert [m["status"] for m in json.loads(fixed_now.stdout)["menus"]] == ["added"]


def test_an_unchanged_menu_says_so(policy, monkeypatch):
    monkeypatch.chdir(CASE)
    result = run("diff", "--policy", policy, "--fail-on-regression", "--format", "markdown",
                 "after.yaml", "after.yaml")
    assert result.exit_code == 0
    assert "No change to the menus' metrics or findings." in result.stdout
    assert "1 unchanged menu" in result.stdout


def test_diff_github_writes_the_job_summary(policy, monkeypatch, tmp_path):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    file_diff(policy, monkeypatch, "--format", "github")
    markdown = file_diff(policy, monkeypatch, "--format", "markdown").stdout
    assert summary.read_text(encoding="utf-8") == markdown + "\n"


def test_allow_and_fail_on_come_from_pyproject(policy, tmp_path, monkeypatch):
    for name in ("before.yaml", "after.yaml"):
        shutil.copy(CASE / name, tmp_path / name)
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.ivraudit]\npolicy = "{policy}"\nfail-on = "warning"\n'
        'allow = ["forced_seconds=+12", "steps=+2"]\n')
    monkeypatch.chdir(tmp_path)
    report = json.loads(run("diff", "--format", "json", "before.yaml", "after.yaml").stdout)
    whats = [r["what"] for r in report["regressions"]]
    assert "forced_seconds" not in whats and "steps" not in whats
    assert whats.count("finding") == 5 and report["fail_on"] == "warning"
    # the command line adds to (and overrides) the file's allowances
    again = json.loads(run("diff", "--format", "json", "--allow", "steps=+1", "before.yaml",
                           "after.yaml").stdout)
    assert "steps" in [r["what"] for r in again["regressions"]]


def test_a_person_behind_a_hidden_option_only_is_a_listen_regression(tmp_path, policy,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    announced = SMALL.format(name="Line")
    Path("old.yaml").write_text(announced)
    Path("new.yaml").write_text(announced.replace("say: For a person press 0., ", ""))
    report = json.loads(run("diff", "--policy", policy, "--format", "json", "old.yaml",
                            "new.yaml").stdout)
    # before: intro "Hello." (1 word, 0.4 s) + "For a person press 0." (2.0 s) = 2.4 s
    assert [(r["what"], r["before"], r["after"], r["message"]) for r in report["regressions"]] \
        == [("listen_seconds", 2.4, None,
             "first-time caller's seconds to a person: ≈2.4 s -> none"),
            ("finding", None, None, "new error IVR003 one-key-human: the first menu 'main' "
                                    "reaches a person only through hidden key 0: the option is "
                                    "never announced")]


def _metrics(**values) -> dict:
    """A scenario's metrics in their JSON form, a person reachable in one key by default."""
    base = {"human_reachable": True, "steps_to_human": 1, "forced_seconds_to_human": 0.0,
            "listen_seconds_to_human": 2.0, "silent_seconds_to_human": None,
            "silent_end": "hangup", "wait_seconds": None, "depth": 1, "mistype": [],
            "one_key_human": {}, "unreachable": [], "dead_ends": [], "traps": []}
    return base | values


def test_format_11_metrics_are_compared_when_the_report_has_them():
    from ivraudit.diff.compare import scenario_diff
    from ivraudit.diff.regressions import reach

    without = scenario_diff(_metrics(), _metrics(steps_to_human=2))
    assert "persistent" not in without["metrics"] and "spoken" not in without["metrics"]
    persistent = {"seconds": 12.0, "steps": 1, "failures": 2, "path": []}
    spoken = {"steps": 1, "forced_seconds": 0.0, "path": []}
    with_11 = scenario_diff(_metrics(persistent=None, spoken=spoken),
                            _metrics(persistent=persistent, spoken=None))
    assert with_11["metrics"]["persistent"] == {
        "seconds": {"before": None, "after": 12.0, "change": None},
        "steps": {"before": None, "after": 1, "change": None},
        "failures": {"before": None, "after": 2, "change": None}}
    assert with_11["metrics"]["spoken"]["steps"] == {"before": 1, "after": None, "change": None}
    assert with_11["status"] == "changed"
    # reach: by a best path, only by failing (persistent or the silent caller), not at all
    assert reach(_metrics()) == 2
    assert reach(_metrics(human_reachable=False, persistent=persistent)) == 1
    assert reach(_metrics(human_reachable=False, silent_seconds_to_human=40.0)) == 1
    assert reach(_metrics(human_reachable=False, persistent=None)) == 0


def test_seconds_estimated_from_the_text_are_marked_as_the_audit_marks_them(tmp_path,
                                                                            monkeypatch):
    """A welcome with no duration is estimated from its words, so every seconds metric through
    it is printed with ≈ in the diff too (rows, changes and regression messages), as in the
    audit; a menu with every duration stated shows none."""
    before = SMALL.format(name="Estimated").replace(
        "entry: main", "entry: welcome").replace(
        "nodes:\n", "nodes:\n  welcome: {type: message, say: Welcome., barge_in: false, "
        "next: main}\n")
    after = before.replace("say: Welcome.,", "say: \"Welcome. Calls may be recorded for "
                           "training and quality purposes.\",")
    (tmp_path / "before.yaml").write_text(before, encoding="utf-8")
    (tmp_path / "after.yaml").write_text(after, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = run("diff", "before.yaml", "after.yaml").output
    forced = next(line for line in out.splitlines() if "forced seconds to a person" in line)
    assert re.search(r"≈[0-9.]+ s -> ≈[0-9.]+ s  \(≈\+[0-9.]+ s\)  REGRESSION$", forced), forced
    regressions = out.split("regressions (")[1]
    assert "forced seconds to a person: ≈" in regressions
    audit = run("audit", "after.yaml").output
    assert "≈" in audit
    markdown = run("diff", "before.yaml", "after.yaml", "--format", "markdown").output
    assert "| **forced seconds to a person** | ≈" in markdown
    stated = before.replace("barge_in: false,", "duration: 2, barge_in: false,")
    (tmp_path / "stated.yaml").write_text(stated, encoding="utf-8")
    (tmp_path / "stated2.yaml").write_text(stated.replace("duration: 2", "duration: 9"),
                                           encoding="utf-8")
    out = run("diff", "stated.yaml", "stated2.yaml").output
    assert "    forced seconds to a person               2.0 s -> 9.0 s  (+7.0 s)  REGRESSION\n" \
        in out, out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_base_stopped_by_sigterm_leaves_no_temporary_folder(repo, tmp_path, jobs):
    """SIGTERM (a CI runner cancelling the job) while the revision's menus are audited from
    their temporary copy: exit 143, no traceback, and the copy is removed (it was left behind:
    SIGTERM ended the process at once)."""
    import signal
    import sys
    import time

    for n in range(150):
        (repo / "menus" / f"m{n:03d}.yaml").write_text(SMALL.format(name=f"Line {n}"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "many")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = subprocess.Popen([sys.executable, "-m", "ivraudit", "diff", "--base", "HEAD",
                                "--jobs", jobs], cwd=repo, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(temporary)})
    deadline = time.monotonic() + 60
    while not any(temporary.glob("ivraudit-diff-*/menus/m149.yaml")):  # copied: auditing it
        assert command.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    while jobs == "2" and len(_children(command.pid)) < 2:  # the pool works: it notes signals
        assert command.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    command.send_signal(signal.SIGTERM)
    assert command.wait(timeout=60) == 143
    assert "Traceback" not in command.stderr.read().decode()
    assert list(temporary.iterdir()) == []


def test_regressions_of_a_cause_at_several_nodes_name_each_node(tmp_path, monkeypatch):
    """`barge_in: false` under `defaults` is one cause (IVR011, at that line) at two menus:
    its two regressions share the line and the message, so each names its node (they read
    alike before); a cause at one node is not changed."""
    monkeypatch.chdir(tmp_path)
    old = SMALL.format(name="Line").replace("  agent:", """\
      - {key: 1, say: For sales press 1., goto: sales}
  sales:
    type: menu
    say: Sales.
    options:
      - {key: 0, say: For a person press 0., goto: agent}
  agent:""")
    Path("old.yaml").write_text(old)
    Path("new.yaml").write_text(old.replace("nodes:\n", "defaults:\n  barge_in: false\nnodes:\n"))
    result = run("diff", "--fail-on", "warning", "--format", "json", "old.yaml", "new.yaml")
    found = [r for r in json.loads(result.stdout)["regressions"] if r["rule"] == "IVR011"]
    assert [(r["line"], r["node"]) for r in found] == [(5, "main"), (5, "sales")]
    assert [r["message"].endswith(f" (at node '{r['node']}')") for r in found] == [True, True]
    text = run("diff", "--fail-on", "warning", "old.yaml", "new.yaml").stdout
    assert text.count("are not legal notices (at node 'main')") == 1
    assert text.count("are not legal notices (at node 'sales')") == 1
    one = [r for r in json.loads(result.stdout)["regressions"] if r["rule"] == "IVR014"]
    assert one and all("(at node" not in r["message"] for r in one)


def _children(pid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return found.stdout.split()


def test_the_revision_copy_is_removed_whole_when_a_second_signal_comes(monkeypatch):
    """A second SIGTERM (a CI runner's, after its first) while the copy is being removed waits
    until it is gone (it cut the removal short, leaving the copy behind), then ends the
    command as SIGTERM does."""
    import signal

    from ivraudit.diff import sources
    from ivraudit.util import signals

    removed = []
    real = shutil.rmtree

    def rmtree(path, **options):
        signal.raise_signal(signal.SIGTERM)  # held back: the removal goes on
        real(path, **options)
        removed.append(not os.path.exists(path))

    monkeypatch.setattr(sources.shutil, "rmtree", rmtree)
    try:
        with pytest.raises(SystemExit) as stopped, signals.sigterm_ends_cleanly():
            with sources._copy_folder() as folder:
                Path(folder, "menu.yaml").write_text(SMALL.format(name="Line"))
        assert stopped.value.code == 143 and removed == [True]
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def test_base_reads_paths_as_git_does_on_both_sides(repo, policy, monkeypatch):
    """A trailing slash or a symbolic link read differently on the two sides made a menu
    'removed' in a tree with no change: git names no file by `line.yaml/` and lists a link as a
    link, while the old side took the file and followed the link. Both sides now read a path
    as git does: the slash names the file, and links are passed over on both sides."""
    monkeypatch.chdir(repo)
    (repo / "link.yaml").symlink_to("menus/line.yaml")
    (repo / "linkdir").symlink_to("menus")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "links")

    def statuses(*paths: str) -> list:
        result = run("diff", "--base", "HEAD", "--policy", policy, "--format", "json", *paths)
        assert result.exit_code == 0, result.stderr
        return [(m["file"], m["status"]) for m in json.loads(result.stdout)["menus"]]

    assert statuses("menus/line.yaml/") == statuses("menus/line.yaml") == [
        ("menus/line.yaml", "unchanged")]
    assert statuses("linkdir") == statuses("link.yaml") == []
    assert statuses(".") == [("menus/line.yaml", "unchanged")]
