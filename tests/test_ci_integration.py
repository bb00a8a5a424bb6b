"""The CI integrations as a user meets them: the pre-commit hook through `pre-commit try-repo`
on a repository holding menus and a GitHub workflow; the GitHub Action's steps run as scripts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import MENUS, ROOT

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
WORKFLOW = "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n" \
           "    steps: [{run: echo hi}]\n"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=os.environ | GIT_ENV).stdout


def test_the_hook_passes_over_a_workflow_and_reports_tersely(tmp_path):
    repo = tmp_path / "repo"
    (repo / "menus").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    shutil.copy(MENUS / "good-practice.yaml", repo / "menus")
    shutil.copy(MENUS / "bank.yaml", repo / "menus")  # one error under the default policy
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    pre_commit = Path(sys.executable).with_name("pre-commit")
    done = subprocess.run([str(pre_commit), "try-repo", str(ROOT), "ivraudit", "--all-files"],
                          cwd=repo, capture_output=True, text=True, timeout=600,
                          env=os.environ | GIT_ENV | {"PRE_COMMIT_HOME": str(tmp_path / "home"),
                                                      "NO_COLOR": "1"})
    assert done.returncode == 1, done.stdout + done.stderr
    report = done.stdout.split("- exit code: 1\n", 1)[1].strip().splitlines()
    # one line per failing finding, then the summary; the workflow is no menu and no error
    assert report == [
        "menus/bank.yaml:70:7: error: running out of retries at menu 'main' ends the call "
        "(on_exhausted: hangup) (IVR012 no-disconnect-on-error)",
        "ivraudit: 1 finding at or above error in 1 of 2 menus; `ivraudit audit FILE` "
        "shows the full report"]
    assert "ci.yml" not in done.stdout


def test_the_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "ivraudit audit --quiet --skip-non-menus"
    assert hook["language"] == "python" and "types" not in hook
    import re

    files = re.compile(hook["files"])
    assert files.search("menus/bank.yaml") and files.search("a/b.yml")
    assert not files.search("menus/bank.yaml.orig") and not files.search("README.md")


# The GitHub Action: its run steps executed as the runner would (bash, the step's env with
# `${{ }}` expressions filled in, a GITHUB_OUTPUT file per step), against a fake GitHub API.

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

CASE = Path(__file__).parent / "diff"
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


class FakeGitHub(BaseHTTPRequestHandler):
    """The three comment endpoints of the REST API, for repository o/r."""

    comments: dict[int, str] = {}
    calls: list[tuple[str, str]] = []

    def _reply(self, status: int, payload) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self):  # noqa: N802
        self.calls.append(("GET", self.path))
        assert self.headers["Authorization"] == "Bearer test-token"
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(self.path).query)
        page, size = int(query["page"][0]), int(query["per_page"][0])
        listed = [{"id": i, "body": b} for i, b in sorted(self.comments.items())]
        self._reply(200, listed[(page - 1) * size:page * size])

    def do_POST(self):  # noqa: N802
        self.calls.append(("POST", self.path))
        assert self.path == "/repos/o/r/issues/7/comments"
        new_id = len(self.comments) + 1
        self.comments[new_id] = self._body()["body"]
        self._reply(201, {"id": new_id})

    def do_PATCH(self):  # noqa: N802
        self.calls.append(("PATCH", self.path))
        comment = int(self.path.rsplit("/", 1)[1])
        self.comments[comment] = self._body()["body"]
        self._reply(200, {"id": comment})

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def github_api():
    FakeGitHub.comments, FakeGitHub.calls = {1: "a reviewer's comment"}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class Runner:
    """Runs action.yml's steps in a workspace, as GitHub's runner runs a composite action."""

    def __init__(self, workspace: Path, temp: Path, inputs: dict, env: dict) -> None:
        action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
        self.steps = action["runs"]["steps"]
        self.inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
        self.inputs |= inputs
        self.inputs["github-token"] = "test-token"
        self.workspace, self.temp, self.env = workspace, temp, env
        self.outputs: dict[str, dict[str, str]] = {}
        self.log = ""

    def value(self, expression: str) -> str:
        scope, _, rest = expression.partition(".")
        if scope == "inputs":
            return self.inputs[rest]
        if scope == "steps":
            step, _, name = rest.partition(".outputs.")
            return self.outputs.get(step, {}).get(name, "")
        if expression == "runner.temp":
            return str(self.temp)
        raise AssertionError(f"the test runner does not know ${{{{ {expression} }}}}")

    def fill(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), str(text))

    def run(self, names: tuple[str, ...] | None = None) -> int:
        """Run the steps (those named, else all); return the last one's exit code."""
        status = 0
        for step in self.steps:
            if names is not None and step["name"] not in names:
                continue
            if "uses" in step:  # actions/cache and upload-sarif run on GitHub only
                continue
            output = self.temp / f"output-{step.get('id', 'step')}"
            output.write_text("")
            env = os.environ | self.env | {"GITHUB_OUTPUT": str(output),
                                           "GITHUB_ACTION_PATH": str(ROOT),
                                           "RUNNER_TEMP": str(self.temp)}
            env |= {key: self.fill(value) for key, value in step.get("env", {}).items()}
            done = subprocess.run(["bash", "-c", step["run"]], cwd=self.workspace, env=env,
                                  capture_output=True, text=True, timeout=600)
            self.log += done.stdout + done.stderr
            lines = output.read_text().splitlines()
            self.outputs[step.get("id", "")] = dict(line.split("=", 1) for line in lines)
            status = done.returncode
            assert status == 0 or step["name"] == "Verdict", f"{step['name']}: {self.log}"
        return status


def test_the_action_comments_the_diff_updates_it_and_leaves_python_alone(tmp_path, github_api):
    from test_diff import KEPT

    from ivraudit import rules

    repo, temp = tmp_path / "repo", tmp_path / "runner-temp"
    temp.mkdir()
    (repo / "menus").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (repo / "policy.yaml").write_text("rules:\n" + "".join(
        f"  {rule.id}: {{enabled: false}}\n" for rule in rules.RULES if rule.id not in KEPT))
    shutil.copy(CASE / "before.yaml", repo / "menus" / "line.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD").strip()
    shutil.copy(CASE / "after.yaml", repo / "menus" / "line.yaml")
    _git(repo, "commit", "-qam", "the pull request")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7, "base": {"sha": base}}}))
    github_env, github_path, summary = (tmp_path / name for name in ("env", "path", "summary"))
    for file in (github_env, github_path, summary):
        file.write_text("")
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_API_URL": github_api,
           "GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://github.example",
           "GITHUB_RUN_ID": "42", "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_OS": "Linux",
           "GITHUB_ENV": str(github_env), "GITHUB_PATH": str(github_path)} | GIT_ENV
    runner = Runner(repo, temp, {"paths": "menus/", "policy": "policy.yaml",
                                 "fail-on-regression": "true"}, env)

    assert runner.run() == 1  # new IVR003 errors: the audit fails the job
    assert runner.outputs["cache-key"]["key"].startswith("ivraudit-pip-Linux-py3.")
    ivraudit = Path(runner.outputs["setup"]["ivraudit"])
    assert ivraudit.parent.parent == temp / "ivraudit-venv"  # its own environment
    assert github_env.read_text() == github_path.read_text() == ""  # the job's Python untouched
    assert (runner.outputs["audit"]["exit-code"], runner.outputs["diff"]["diff-exit-code"]) == \
        ("1", "1")
    # the pull-request comment: the reviewer's comment stays, ours is added with its marker
    marker = "<!-- ivraudit-diff d4cd6ea21e16 -->"
    assert set(FakeGitHub.comments) == {1, 2}
    first = FakeGitHub.comments[2]
    assert first.startswith(marker + "\n## ivraudit diff\n\n**10 regressions**: ")
    # the job summary: the diff, then the audit's Markdown report; annotations in the log
    text = summary.read_text()
    assert text.index("## ivraudit diff") < text.index("## ivraudit report")
    assert "::error file=menus/line.yaml,line=37,col=3,title=IVR003 one-key-human" in runner.log
    sarif = json.loads((repo / "ivraudit.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"IVR003"}

    # a later push puts the menu back: the same comment is updated, not a second one posted
    shutil.copy(CASE / "before.yaml", repo / "menus" / "line.yaml")
    _git(repo, "commit", "-qam", "put back")
    summary.write_text("")
    steps = tuple(step["name"] for step in runner.steps if step.get("id") in ("diff", "audit"))
    assert runner.run(steps + ("Verdict",)) == 0
    assert set(FakeGitHub.comments) == {1, 2}
    assert FakeGitHub.comments[2].startswith(marker + "\n## ivraudit diff\n\nNo change ")
    assert [c for c in FakeGitHub.calls if c[0] != "GET"] == [
        ("POST", "/repos/o/r/issues/7/comments"), ("PATCH", "/repos/o/r/issues/comments/2")]


def test_the_action_without_a_pull_request_only_audits(tmp_path):
    repo, temp = tmp_path / "repo", tmp_path / "temp"
    (repo / "menus").mkdir(parents=True)
    temp.mkdir()
    shutil.copy(MENUS / "good-practice.yaml", repo / "menus")
    _git(repo, "init", "-q")
    summary = tmp_path / "summary"
    runner = Runner(repo, temp, {"paths": "menus/", "sarif": ""},
                    {"GITHUB_STEP_SUMMARY": str(summary)})
    runner.outputs["setup"] = {"ivraudit": str(Path(sys.executable).with_name("ivraudit"))}
    names = tuple(step["name"] for step in runner.steps if step.get("id") in ("diff", "audit"))
    assert runner.run(names + ("Verdict",)) == 0
    assert "nothing to compare with" in runner.log
    assert summary.read_text().startswith("## ivraudit report")


def test_the_action_declares_its_uses_steps_safely():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    uses = {step["uses"]: step for step in action["runs"]["steps"] if "uses" in step}
    upload = uses["github/codeql-action/upload-sarif@v4"]
    assert upload["continue-on-error"] is True
    assert "actions/cache@v4" in uses
    assert not any("setup-python" in name for name in uses)  # the job's Python stays the caller's
    for step in action["runs"]["steps"]:  # every run step calls a script the tests run
        if "run" in step:
            assert re.fullmatch(r'"\$GITHUB_ACTION_PATH/action/[a-z-]+\.sh"', step["run"])
