"""The junit, sarif, markdown and github reports: real runs parsed back, exact lines, escaping."""

from __future__ import annotations

import functools
import os
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from helpers import MENUS, SHARED
from ivraudit.audit import policy as policies
from ivraudit import rules as catalogue
from ivraudit.analysis.metrics import MenuMetrics, Structure
from ivraudit.audit.auditor import AuditRun, MenuResult, audit_paths
from ivraudit.cli import main
from ivraudit.errors import MenuError
from ivraudit.rules.base import Finding
from ivraudit.format.model import Menu
from ivraudit.reporters import render

# The first menu offers no key to a person (IVR003 fails in both scenarios); its name needs
# escaping in every format that shows it.
MENU = """\
ivr: "热线 | Billing <b> `x`"
format: 1
entry: main
scenarios:
  default: []
  elderly: [over_65]
nodes:
  main:
    type: menu
    say: 欢迎致电。
    options:
      - {key: 1, say: 账单查询请按1。, goto: billing}
  billing:
    type: menu
    options:
      - {key: 0, say: For a person press 0., goto: agent}
  agent: {type: human}
"""
WAIVED = MENU.replace('"热线 | Billing <b> `x`"', "Waived line") + """\
waivers:
  - {rule: IVR003, reason: "Replaced in March, see ticket #12"}
"""
BROKEN = MENU.replace("goto: agent", "goto: agnet")
# A policy waiver (not in the menu): IVR002 for a.yaml.
POLICY = """\
extends: default
waivers:
  - {rule: zero-for-operator, file: "menus/a.yaml", reason: "Key 0 is the lift alarm."}
"""


def _message(run: AuditRun, rule: str, file: str, node: str = "main") -> str:
    """The message of a finding, as the rule words it (the reports must carry it unchanged)."""
    return next(f.message for f in run.findings()
                if (f.rule, f.file, f.node) == (rule, file, node))


def _run(tmp_path, monkeypatch, *, broken: bool = False,
         policy_text: str | None = None) -> AuditRun:
    """Audit menus/a.yaml and menus/b.yaml (and menus/c.yaml, which cannot be read) with the
    default policy or one written as ``policy_text``; paths are relative, as in CI."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "menus"
    folder.mkdir()
    (folder / "a.yaml").write_text(MENU, encoding="utf-8")
    (folder / "b.yaml").write_text(WAIVED, encoding="utf-8")
    if broken:
        (folder / "c.yaml").write_text(BROKEN, encoding="utf-8")
    policy = "default"
    if policy_text is not None:
        (tmp_path / "policy.yaml").write_text(policy_text, encoding="utf-8")
        policy = "policy.yaml"
    return audit_paths(["menus"], policies.load(policy), today="2026-01-01")


@pytest.fixture
def audited(tmp_path, monkeypatch) -> AuditRun:
    return _run(tmp_path, monkeypatch)


# junit


def _case(suite, name: str):
    (case,) = [c for c in suite.findall("testcase") if c.get("name") == name]
    return case


def test_junit_has_a_suite_per_menu_and_a_case_per_rule_and_scenario(audited):
    root = ET.fromstring(render(audited, "junit"))
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("file")) for s in suites] == [
        ("热线 | Billing <b> `x`", "menus/a.yaml"), ("Waived line", "menus/b.yaml")]
    enabled = policies.load("default").enabled()
    for suite, result in zip(suites, audited.results):
        cases = suite.findall("testcase")
        assert len(cases) == int(suite.get("tests")) == len(enabled) * 2
        # a case fails when its rule found something at or above --fail-on in its scenario or
        # in every scenario
        failing = {(f.rule, s) for f in result.findings if f.counts_at(audited.fail_on)
                   for s in ("default", "elderly") if f.concerns(s)}
        assert int(suite.get("failures")) == len(failing) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites)

    case = _case(suites[0], "IVR003 one-key-human [elderly]")
    assert case.get("classname") == "menus/a.yaml IVR003 one-key-human"
    failure = case.find("failure")
    no_key = _message(audited, "IVR003", "menus/a.yaml")
    assert failure.get("message") == no_key and failure.get("type") == "error"
    assert failure.text == f"menus/a.yaml:8:3: error: IVR003 one-key-human: {no_key} (node main)"
    assert list(_case(suites[0], "IVR001 human-reachable [default]")) == []  # passed


def test_junit_a_finding_of_every_scenario_fails_each_scenario_once(audited):
    suite = ET.fromstring(render(audited, "junit")).find("testsuite")
    for scenario in ("default", "elderly"):
        failure = _case(suite, f"IVR012 no-disconnect-on-error [{scenario}]").find("failure")
        # one cause (the built-in on_exhausted: hangup) at main and billing: one line naming both
        assert failure.get("message").startswith("running out of retries ends the call")
        assert "an assumed default" in failure.get("message")
        (line,) = failure.text.splitlines()
        assert line.endswith("(2 nodes: main, billing)")


def test_junit_a_finding_below_fail_on_is_not_a_failure(tmp_path, monkeypatch):
    run = _run(tmp_path, monkeypatch)
    warning = next(f for f in run.findings() if f.severity == "warning" and not f.suppressed)
    name = f"{warning.rule} {warning.name} [{warning.scenario or 'default'}]"
    at_error = _case(ET.fromstring(render(run, "junit")).find("testsuite"), name)
    assert at_error.find("failure") is None  # the run fails on errors only
    assert "[below --fail-on error]" in at_error.find("system-out").text
    run.fail_on = "warning"
    at_warning = _case(ET.fromstring(render(run, "junit")).find("testsuite"), name)
    assert at_warning.find("failure").get("type") == "warning"
    run.fail_on = "never"
    root = ET.fromstring(render(run, "junit"))
    assert root.get("failures") == "0" and root.get("tests") != "0"


def test_junit_waived_findings_are_skipped_with_the_reason(audited):
    suite = ET.fromstring(render(audited, "junit")).findall("testsuite")[1]
    skipped = _case(suite, "IVR003 one-key-human [default]").find("skipped")
    assert skipped.get("message") == "waived: Replaced in March, see ticket #12"
    assert suite.get("skipped") == "2"  # the waiver holds in both scenarios


def test_junit_files_that_cannot_be_read_are_failing_cases(tmp_path, monkeypatch):
    run = _run(tmp_path, monkeypatch, broken=True)
    root = ET.fromstring(render(run, "junit"))
    errors = root.findall("testsuite")[-1]
    assert errors.get("name") == "ivraudit load errors"
    assert (errors.get("tests"), errors.get("failures")) == ("1", "1")
    failure = errors.find("testcase/failure")
    assert errors.find("testcase").get("name") == "menus/c.yaml"
    (error,) = run.errors
    assert failure.get("message") == error.message and "agnet" in error.message
    assert failure.text == error.format() and failure.text.startswith("menus/c.yaml:16:")


def test_junit_shows_characters_xml_cannot_carry(audited):
    from ivraudit.reporters.junit import xml_text

    assert xml_text("bell\x07 tab\t ok") == "bell\\x07 tab\t ok"
    ET.fromstring(render(audited, "junit"))


# sarif


SARIF_SCHEMA = SHARED / "schemas" / "sarif-2.1.0.json"


def _sarif_validator():
    if not SARIF_SCHEMA.is_file():
        missing = f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (shared/ beside the repo)"
        if os.environ.get("CI"):  # CI has shared/ beside the checkout: never skip there
            pytest.fail(missing)
        pytest.skip(missing)
    return _compiled_sarif_schema()


@functools.lru_cache(maxsize=1)
def _compiled_sarif_schema():
    """fastjsonschema (a dependency already) checks draft-04 and the `uri` formats; compiling
    takes half a second, so once. use_default=False: validate without filling in defaults."""
    import fastjsonschema

    return fastjsonschema.compile(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")),
                                  use_default=False)


def _results(log, rule: str, uri: str) -> list[dict]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule
            and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri]


def test_sarif_is_valid_and_locates_each_finding(tmp_path, monkeypatch):
    run = _run(tmp_path, monkeypatch, broken=True)
    text = render(run, "sarif")
    log = json.loads(text)
    _sarif_validator()(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.id for r in catalogue.RULES]
    ivr003 = driver["rules"][[r.id for r in catalogue.RULES].index("IVR003")]
    assert ivr003["defaultConfiguration"]["level"] == "error"
    assert ivr003["helpUri"] == catalogue.get("IVR003").sources[0].url
    assert "max_forced_seconds" in ivr003["help"]["text"]

    result = _results(log, "IVR003", "menus/a.yaml")[0]
    assert driver["rules"][result["ruleIndex"]]["id"] == "IVR003"
    assert result["level"] == "error"
    assert result["message"]["text"] == _message(run, "IVR003", "menus/a.yaml")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (8, 3)
    assert result["locations"][0]["logicalLocations"] == [{"name": "main"}]
    # one cause, found in both scenarios: the scenarios listed, the node a related location
    assert result["properties"]["scenarios"] == ["default", "elderly"]
    assert result["properties"]["occurrences"] == 2
    (related,) = result["relatedLocations"]
    assert related["logicalLocations"] == [{"name": "main"}]
    assert related["physicalLocation"]["region"]["startLine"] == 8
    assert related["message"]["text"] == "main (default, elderly)"
    assert "suppressions" not in result
    (artifact_a, artifact_b) = log["runs"][0]["artifacts"]
    assert artifact_a["location"]["uri"] == "menus/a.yaml"
    assert len(artifact_a["hashes"]["sha-256"]) == 64

    (notification,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert notification["level"] == "error" and "agnet" in notification["message"]["text"]


def test_sarif_waived_findings_carry_a_suppression(tmp_path, monkeypatch):
    log = json.loads(render(_run(tmp_path, monkeypatch, policy_text=POLICY), "sarif"))
    _sarif_validator()(log)
    (in_menu,) = _results(log, "IVR003", "menus/b.yaml")  # one cause, in both scenarios
    (suppression,) = in_menu["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["justification"] == "Replaced in March, see ticket #12"
    waiver_at = suppression["location"]["physicalLocation"]
    assert waiver_at["artifactLocation"]["uri"] == "menus/b.yaml"
    (by_policy,) = _results(log, "IVR002", "menus/a.yaml")  # one cause for both scenarios
    (external,) = by_policy["suppressions"]
    assert (external["kind"], external["justification"]) == ("external", "Key 0 is the lift alarm.")
    policy_at = external["location"]["physicalLocation"]
    assert (policy_at["artifactLocation"]["uri"], policy_at["region"]["startLine"]) == ("policy.yaml", 3)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_uris_are_relative_with_forward_slashes_or_file_uris():
    from ivraudit.reporters.sarif import artifact_uri

    assert artifact_uri("menus\\sub\\热线.yaml") == "menus/sub/%E7%83%AD%E7%BA%BF.yaml"
    assert artifact_uri("/tmp/a b.yaml") == "file:///tmp/a%20b.yaml"


# markdown


def test_markdown_has_a_summary_metrics_and_a_row_per_finding(audited):
    text = render(audited, "markdown")
    assert text.startswith("## ivraudit report\n\n2 menus audited, ")
    # IVR003 waived in menus/b.yaml: one cause (both scenarios), one suppressed finding
    assert "1 suppressed (policy `default`; audited on 2026-01-01 by ivraudit " in text
    assert "### 热线 \\| Billing &lt;b&gt; \\`x\\`\n" in text  # the name cannot break the page
    assert "<b>" not in text
    no_key = _message(audited, "IVR003", "menus/a.yaml")
    assert (f"| error | IVR003 one-key-human | `main` | every scenario | {no_key} | "
            "`menus/a.yaml:8` |" in text)
    assert "| default | 2 | 0.0 | " in text  # two keys to a person, no forced audio
    assert "| severity | rule | node | scenario | message | where |" in text


def test_markdown_lists_waived_findings_with_their_reasons(audited):
    text = render(audited, "markdown")
    suppressed = text.split("### Waived line")[1].split("Suppressed:")[1]
    no_key = _message(audited, "IVR003", "menus/b.yaml")
    assert (f"- IVR003 one-key-human at `main` (default, elderly), `menus/b.yaml:8`: {no_key}. "
            "Waived: Replaced in March, see ticket \\#12") in suppressed
    assert "| error | IVR003" not in text.split("### Waived line")[1]


def test_markdown_keeps_the_spaces_around_code_in_what_the_menu_should_state(audited):
    text = render(audited, "markdown")  # the menus set no barge_in: an assumption with its fix
    assert "to remove it, set `barge_in` under `defaults:`, or on each of these nodes" in text


def test_markdown_escapes_menu_text():
    from ivraudit.reporters.markdown import code, text

    assert text("a|b <i>&\n`c`") == "a\\|b &lt;i&gt;&amp; \\`c\\`"
    assert code("``x|y") == "``` ``x\\|y ```"


# github


def _menu(path: str) -> Menu:
    return Menu(path=path, ivr="x", entry="main", nodes={}, scenarios={"default": frozenset()})


def test_github_prints_one_escaped_command_per_open_finding():
    findings = (
        Finding("IVR003", "one-key-human", "error", "100% forced, then:\nmore\r",
                "menus/a,b:c.yaml", 3, 5, node="main", scenario="default"),
        Finding("IVR002", "zero-for-operator", "warning", "key 0, no person", "menus/x.yaml", 7, 1),
        Finding("IVR008", "menu-breadth", "info", "nine options", "menus/x.yaml", 9, 3),
        Finding("IVR006", "forced-audio-before-human", "warning", "waived", "menus/x.yaml", 9, 3,
                suppressed=True, reason="accepted"),
    )
    metrics = MenuMetrics(_menu("menus/x.yaml"), None, Structure([], [], []), {})
    run = AuditRun(results=[MenuResult(metrics, findings)],
                   errors=[MenuError("menus/bad.yaml", 4, 2, "`goto` names 'agnet'", "fix it")])
    assert render(run, "github") == (
        "::error file=menus/bad.yaml,line=4,col=2,title=ivraudit%3A cannot read this menu"
        "::`goto` names 'agnet'%0Ahint: fix it\n"
        "::error file=menus/a%2Cb%3Ac.yaml,line=3,col=5,title=IVR003 one-key-human"
        "::100%25 forced, then:%0Amore%0D\n"
        "::warning file=menus/x.yaml,line=7,col=1,title=IVR002 zero-for-operator"
        "::key 0, no person\n"
        "::notice file=menus/x.yaml,line=9,col=3,title=IVR008 menu-breadth::nine options\n")


def test_github_prints_nothing_without_findings():
    assert render(AuditRun(), "github") == ""


def _findings(count: int, severity: str) -> list[Finding]:
    return [Finding(f"IVR{i:03}", "rule", severity, f"{severity} {i}", "menus/x.yaml", i, 1)
            for i in range(1, count + 1)]


@pytest.mark.parametrize("errors, warnings, notices, shown, notice", [
    (15, 12, 3, (10, 10, 3), "7 more findings"),  # 5 errors and 2 warnings left out
    (2, 0, 12, (2, 0, 9), "3 more findings"),  # the count takes one of the notices' places
    (10, 10, 10, (10, 10, 10), None),  # nothing left out: no count
])
def test_github_shows_what_github_shows_errors_first_and_counts_the_rest(
        errors, warnings, notices, shown, notice):
    found = _findings(notices, "info") + _findings(warnings, "warning") + _findings(errors, "error")
    metrics = MenuMetrics(_menu("menus/x.yaml"), None, Structure([], [], []), {})
    lines = render(AuditRun(results=[MenuResult(metrics, tuple(found))]), "github").splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines]
    counted = [line for line in lines if "title=ivraudit%3A more findings" in line]
    assert (kinds.count("::error"), kinds.count("::warning"),
            kinds.count("::notice") - len(counted)) == shown
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
    assert lines[0].endswith("::error 1")  # in the run's order within a kind
    if notice is None:
        assert not counted
    else:
        assert counted == [lines[-1]] and notice in lines[-1] and "job summary" in lines[-1]


def test_github_real_run_has_a_line_per_open_finding_up_to_the_limit(audited, monkeypatch):
    from ivraudit.reporters import github

    monkeypatch.setattr(github, "PER_KIND", 2)  # GitHub's 10, made 2 for this small run
    lines = render(audited, "github").splitlines()
    open_ = [f for f in audited.findings() if not f.suppressed]
    per_kind = [sum(f.severity == kind for f in open_) for kind in ("error", "warning", "info")]
    left_out = sum(max(0, n - 2) for n in per_kind)
    assert left_out  # this run has more than are shown
    assert len(lines) == sum(min(n, 2) for n in per_kind) + 1
    assert lines[-1].startswith("::notice title=ivraudit%3A more findings::"
                                f"{left_out} more findings not shown")
    # one annotation per cause: the scenarios in its title, its nodes after its message
    assert (f"::error file=menus/a.yaml,line=8,col=3,title=IVR003 one-key-human [every scenario]"
            f"::{_message(audited, 'IVR003', 'menus/a.yaml')}") in lines
    ivr012 = next(f for f in open_ if (f.rule, f.file) == ("IVR012", "menus/a.yaml"))
    assert (f"::error file=menus/a.yaml,line=1,col=1,title=IVR012 no-disconnect-on-error "
            f"[every scenario]::{ivr012.message}%0A2 nodes: main, billing") in lines


# every format through the command line


@pytest.mark.parametrize("fmt", ["junit", "sarif", "markdown", "github"])
def test_cli_output_is_deterministic(fmt):
    runner = CliRunner()
    first = runner.invoke(main, ["audit", "--format", fmt, "--fail-on", "never", str(MENUS)])
    second = runner.invoke(main, ["audit", "--format", fmt, "--fail-on", "never", str(MENUS)])
    assert first.exit_code == 0, first.output + first.stderr
    assert first.stdout_bytes == second.stdout_bytes and first.stdout.strip()
    if fmt == "junit":
        assert ET.fromstring(first.stdout).get("tests")
    elif fmt == "sarif" and SARIF_SCHEMA.is_file():
        _sarif_validator()(json.loads(first.stdout))
    elif fmt == "github":
        assert all(line.startswith("::") for line in first.stdout.splitlines())


def test_sarif_fingerprints_are_stable_when_lines_move_and_distinct_otherwise(tmp_path, monkeypatch):
    first = json.loads(render(_run(tmp_path, monkeypatch), "sarif"))
    # the same menus with two comment lines on top: every line moves, no finding changes
    for name in ("a.yaml", "b.yaml"):
        path = tmp_path / "menus" / name
        path.write_text("# moved\n# down\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = json.loads(render(audit_paths(["menus"], today="2026-01-01"), "sarif"))

    def prints(log):
        return [r["partialFingerprints"]["ivraudit/v2"] for r in log["runs"][0]["results"]]

    def lines(log):
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"]
                for r in log["runs"][0]["results"]]

    assert all(after == before + 2 for before, after in zip(lines(first), lines(moved)))
    assert sorted(prints(first)) == sorted(prints(moved))
    assert len(set(prints(first))) == len(prints(first))  # one per finding
    assert all(p.split(":")[1].isdigit() for p in prints(first))


def test_github_format_adds_the_markdown_report_to_the_job_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    bank = str(MENUS / "bank.yaml")
    result = CliRunner().invoke(main, ["audit", "--format", "github", bank])
    assert result.exit_code == 1 and result.stdout.startswith("::error ")
    markdown = CliRunner().invoke(main, ["audit", "--format", "markdown", bank]).stdout
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown + "\n"
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    CliRunner().invoke(main, ["audit", "--format", "github", bank])  # outside Actions: none
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown + "\n"


def test_the_json_report_lists_the_files_that_could_not_be_read(tmp_path):
    """A CI job that keeps only the JSON sees why the run exits 2: each file that could not
    be read, where and what to do, as stderr says it."""
    from click.testing import CliRunner

    from ivraudit.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("ivr: x\nformat: 1\nentry: a\nnodes:\n  a: {type: nope}\n", encoding="utf-8")
    from helpers import MENUS

    good = MENUS / "good-practice.yaml"
    result = CliRunner().invoke(main, ["audit", "--format", "json", str(bad), str(good)])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [m["ivr"] for m in report["menus"]] == ["Riverbend Water customer line"]
    (error,) = report["errors"]
    assert (error["file"], error["line"], error["column"]) == (str(bad), 5, 13)
    assert "'nope'" in error["message"] and error["hint"] == "use one of the values listed"
