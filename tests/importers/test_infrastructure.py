"""The importer machinery, with a toy platform defined here: detection by content, positions
in the platform file, assumptions (IVR038), `ivraudit import` and its YAML, flows that hand
calls to each other audited as one line, announcements cut from a single prompt."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from ivraudit import importers
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main
from ivraudit.format.loader import load_file
from ivraudit.importers.announce import split_prompt
from ivraudit.importers.base import ImportedFlow
from ivraudit.importers.source import Source


class Toy:
    """A made-up platform: {"toy": {"name", "prompt", "choices": {key: target}, "next"}}.
    Targets: "agent" (a person), "flow:NAME" (another toy flow), or "bye"."""

    NAME, TITLE, SUFFIXES = "toy", "Toy IVR", (".json",)

    @staticmethod
    def detect(source: Source) -> bool:
        return source.suffix == ".json" and source.has_tree() and isinstance(source.tree, dict) \
            and "toy" in source.tree

    @staticmethod
    def read(source: Source, options) -> list[ImportedFlow]:
        toy = source.tree["toy"]
        pos = source.tree.value_pos["toy"]
        flow = ImportedFlow(source.path, toy["name"], Toy.NAME, Toy.TITLE, pos=pos)
        flow.set("ivr", toy["name"], pos)
        announced = split_prompt(toy["prompt"], list(toy["choices"]))
        options_ = []
        for key, target in toy["choices"].items():
            goto = {"agent": "agent", "bye": "hangup"}.get(target)
            if target.startswith("flow:"):
                goto = flow.new_id("to_" + target[5:])
                flow.add(goto, toy["choices"].value_pos[key], {"type": "message", "say": "",
                                                               "next": "hangup"})
                flow.handoffs[goto] = target[5:]
            option = {"key": key, "goto": goto}
            if announced.announced(key):
                option["say"] = announced.options[key]
            options_.append(option)
        menu = {"type": "menu", "options": options_}
        if announced.intro:
            menu["say"] = announced.intro
        flow.add("main", toy.value_pos["prompt"], menu, note=flow.location(pos))
        flow.add("agent", pos, {"type": "human"})
        flow.set("entry", "main")
        flow.assume("the menu waits 5 s for a key (the toy platform's default)",
                    toy.value_pos["prompt"], "https://toy.example/docs", node="main")
        return [flow]


@pytest.fixture
def toy():
    importers.register(Toy)
    yield Toy
    importers.PLATFORMS.pop(Toy.NAME)


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return str(path)


MAIN = {"toy": {"name": "Main line", "prompt": "Welcome to the toy line. For sales, press 1. "
                "For a person, press 0.", "choices": {"1": "flow:Sales", "0": "agent", "9": "bye"}}}
SALES = {"toy": {"name": "Sales", "prompt": "Sales. For a person press 0.",
                 "choices": {"0": "agent"}}}


def test_a_platform_file_is_recognised_by_content_and_audited_at_its_own_lines(tmp_path, toy):
    path = write(tmp_path, "main.json", {"toy": {**MAIN["toy"], "choices": {"0": "agent"}}})
    run = audit_paths([path], today="2026-01-01")
    assert not run.errors
    (result,) = run.results
    m = result.scenarios["default"]
    assert (m.steps_to_human, result.menu.ivr) == (1, "Main line")
    assert m.paths["steps"] == [("main", "0"), ("agent", None)]
    # "Welcome to the toy line." then "For sales, press 1." (not an option here: part of the
    # announcement of 0) then "For a person, press 0.": 5 + 4 + 5 = 14 words at 150 a minute
    assert m.listen_seconds_to_human == pytest.approx(14 * 60 / 150)
    (assumed,) = [f for f in result.findings if f.rule == "IVR038"]
    assert (assumed.file, assumed.line, assumed.node, assumed.severity) == (path, 4, "main", "info")
    assert "the menu waits 5 s" in assumed.message


def test_flows_that_hand_calls_to_each_other_are_one_line(tmp_path, toy):
    main_file, sales_file = write(tmp_path, "main.json", MAIN), write(tmp_path, "sales.json", SALES)
    run = audit_paths([str(tmp_path)], today="2026-01-01")
    assert not run.errors
    (line,) = run.results  # Sales is reached from Main: audited inside it, not on its own
    assert line.menu.path == main_file
    nodes = line.menu.nodes
    assert "Sales.main" in nodes and nodes["to_Sales"].type == "branch"
    assert nodes["Sales.main"].pos.path == sales_file  # positions stay in the file they came from
    assert len([f for f in line.findings if f.rule == "IVR038"]) == 2


def test_import_writes_a_menu_file_that_audits_to_the_same_numbers(tmp_path, toy):
    path = write(tmp_path, "main.json", MAIN)
    write(tmp_path, "sales.json", SALES)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", str(tmp_path), "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "assumptions (2)" in result.stderr and "the menu waits 5 s" in result.stderr
    written = out / "main-line.yaml"
    text = written.read_text(encoding="utf-8")
    assert f"# from main.json:2" in text and "at: " + path + ":4" in text
    direct = audit_paths([path], today="2026-01-01").results[0]
    again = audit_paths([str(written)], today="2026-01-01").results[0]
    assert again.scenarios["default"].paths == direct.scenarios["default"].paths
    assert again.scenarios["default"].forced_seconds_to_human == \
        direct.scenarios["default"].forced_seconds_to_human
    assert len([f for f in again.findings if f.rule == "IVR038"]) == 2
    assert load_file(written).assumptions[0].at == f"{path}:4:15"


def test_unknown_files_named_are_errors_and_files_in_folders_are_passed_over(tmp_path, toy):
    other = write(tmp_path, "package.json", {"name": "not a flow"})
    write(tmp_path, "main.json", {"toy": {**MAIN["toy"], "choices": {"0": "agent"}}})
    assert len(audit_paths([str(tmp_path)]).results) == 1
    named = CliRunner().invoke(main, ["audit", other])
    assert named.exit_code == 2
    assert f"{other}:1:1: error: this is not an ivraudit menu" in named.stderr
    assert "Toy IVR (--from toy)" in named.stderr
    # the hint names the option where it exists: `import` has no --skip-non-menus
    imported = CliRunner().invoke(main, ["import", other])
    assert imported.exit_code == 2
    assert "`ivraudit audit --skip-non-menus` passes over other files" in imported.stderr


def test_a_platform_forced_with_from_that_cannot_read_the_file_is_exit_2(tmp_path, toy):
    menu = tmp_path / "menu.yaml"
    menu.write_text(textwrap.dedent("""\
        ivr: Plain
        format: 1
        entry: agent
        nodes:
          agent: {type: human}
        """), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", "--from", "toy", str(menu)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_prompt_is_cut_into_intro_announcements_and_outro():
    cut = split_prompt("欢迎致电。查询话费请按1。人工服务请按0。谢谢。", ["1", "0", "5"])
    assert (cut.intro, cut.options, cut.outro) == (
        "欢迎致电。", {"1": "查询话费请按1。", "0": "人工服务请按0。"}, "谢谢。")
    assert not cut.announced("5")
    both = split_prompt("Press one for sales or two for support. Stay on the line.", ["1", "2"])
    assert both.options == {"1": "Press one for sales or two for support."}
    assert split_prompt("Please hold.", ["1"]).intro == "Please hold."
