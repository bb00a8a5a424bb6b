"""`ivraudit render`: DOT built from a menu, drawn by the real Graphviz and read back as SVG."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS, ROOT
from ivraudit.audit.auditor import audit_file
from ivraudit.cli import main
from ivraudit.render.dottext import label_text, quoted, wrap
from ivraudit.errors import MenuError
from ivraudit.render.drawing import (
    FAILURE_STYLE, PATH_COLOR, SEVERITY_COLORS, dot_bytes, menu_dot,
)
from ivraudit.util.watch import watch

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
TELECOM = MENUS / "telecom-complaint.yaml"

# The forced best path (2, 0: no forced audio) differs from the steps path (1, then a
# forced notice); `help` restarts the call on a wrong key, after a message.
PATHS = """\
ivr: Two roads
format: 1
entry: main
nodes:
  main:
    type: menu
    say: Welcome.
    options:
      - {key: 1, say: For a person press 1., goto: notice}
      - {key: 2, say: For help press 2., goto: help}
      - {key: 9, goto: goodbye}
  notice: {type: message, say: A long notice., duration: 30, barge_in: false, next: agent}
  help:
    type: menu
    options:
      - {key: 0, say: For a person press 0., goto: agent}
    on_invalid: {say: Sorry., duration: 2, then: restart}
    on_exhausted: hangup
  agent: {type: human}
  goodbye: {type: hangup}
"""

# Menu text that would break or inject DOT, SVG or HTML if it were not escaped.
NASTY_PROMPT = ('</text><script>alert(1)</script>"]; evil [label="x"]; main -> evil; '
                r'\N \G \l \\ & &amp; ]]> -- <!--')
NASTY = f"""\
ivr: 'Evil <script>alert("ivr")</script> & "co" \\N'
format: 1
entry: main
nodes:
  main:
    type: menu
    say: '{NASTY_PROMPT.replace("'", "''")}'
    options:
      - {{key: 1, say: 'For <b>sales</b> press 1', goto: agent}}
  agent: {{type: human, queue: '<i>q</i>'}}
"""


def require(program: str) -> None:
    """Skip without ``program``, but fail in CI, where the set-up must have installed it."""
    if shutil.which(program) is None:
        if os.environ.get("CI"):
            pytest.fail(f"`{program}` is not installed, and CI must run this test")
        pytest.skip(f"`{program}` is not installed (apt-get install graphviz)")


def _menu(tmp_path: Path, text: str, name: str = "menu.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _svg(path: Path, **options) -> ET.Element:
    require("dot")
    result = audit_file(str(path))
    return ET.fromstring(dot_bytes(menu_dot(result, **options), "svg"))


def _edges(root: ET.Element) -> dict[str, ET.Element]:
    """The menu's edges (not the legend's) by their title, 'source->target'."""
    return {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g")
            if "ivr-edge" in (g.get("class") or "").split()}


def _nodes(root: ET.Element) -> dict[str, ET.Element]:
    return {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g")
            if "ivr-node" in (g.get("class") or "").split()}


def _texts(element: ET.Element) -> list[str]:
    """The text pieces Graphviz drew in an element (blank pieces between fonts left out)."""
    return [t.text.strip() for t in element.iter(f"{SVG}text") if t.text and t.text.strip()]


def _outline(element: ET.Element) -> str:
    """The stroke colour of a node's shape."""
    return next(element.iter(f"{SVG}polygon")).get("stroke")


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


# -- the drawing ----------------------------------------------------------------------------

@pytest.mark.parametrize("highlight, bold", [
    ("forced", {"main->help", "help->agent"}),
    ("steps", {"main->notice", "notice->agent"}),
    ("none", set()),
])
def test_the_chosen_best_path_is_drawn_bold(tmp_path, highlight, bold):
    root = _svg(_menu(tmp_path, PATHS), highlight=highlight)
    edges = _edges(root)
    best = {title for title, g in edges.items() if "best" in _classes(g)}
    assert best == bold
    for title in best:
        stroke = edges[title].find(f"{SVG}path")
        assert stroke.get("stroke") == PATH_COLOR and stroke.get("stroke-width") == "3.5"
    on_path = {title for title, g in _nodes(root).items() if "on-path" in _classes(g)}
    assert on_path == {t.split("->")[0] for t in bold} | {t.split("->")[1] for t in bold}
    title = " ".join(_texts(root.find(f"{SVG}g")))
    if bold:
        keys = "press 2, then 0" if highlight == "forced" else "press 1"
        assert f"{keys} to agent" in title


def test_failure_edges_are_dashed_in_one_colour_per_kind(tmp_path):
    """The plain layout draws every failure as an arrow, as the graph has it."""
    edges = _edges(_svg(_menu(tmp_path, PATHS), layout="plain"))
    failures = {t: g for t, g in edges.items() if "failure" in _classes(g)}
    # main: wrong key and no key replay it (one arrow), three failures hang up; help: a wrong
    # key restarts the call after a message, no key replays it, three failures hang up
    assert set(failures) == {"main->main", "main->(hangup)/main", "help->main", "help->help",
                             "help->(hangup)/help"}
    for title, g in edges.items():
        dashed = g.find(f"{SVG}path").get("stroke-dasharray")
        assert (dashed is not None) == (title in failures), title
    def colour(title):
        return failures[title].find(f"{SVG}path").get("stroke")
    assert colour("help->main") == FAILURE_STYLE["invalid"][0]
    assert colour("help->help") == FAILURE_STYLE["timeout"][0]
    assert colour("help->(hangup)/help") == FAILURE_STYLE["exhausted"][0]
    assert len({colour(t) for t in ("help->main", "help->help", "help->(hangup)/help")}) == 3
    assert " ".join(_texts(failures["help->main"])) == (
        "wrong key : restart (after a 2.0 s message)")
    assert {"invalid", "timeout"} <= _classes(failures["main->main"])
    assert "3 failures" in " ".join(_texts(failures["main->(hangup)/main"]))


def _coloured(element: ET.Element) -> dict[str, str]:
    """The text pieces of an element by their colour."""
    return {t.text.strip(): t.get("fill") for t in element.iter(f"{SVG}text")
            if t.text and t.text.strip()}


def test_failures_that_loop_go_back_or_hang_up_are_written_in_their_node(tmp_path):
    """The default layout writes a failure that replays, restarts or hangs up inside its node,
    each kind in its colour; a failure that leads on to a node below stays a dashed arrow."""
    root = _svg(_menu(tmp_path, PATHS.replace("    on_exhausted: hangup",
                                              "    on_exhausted: operator") +
                      "  operator: {type: human}\n"))
    nodes, edges = _nodes(root), _edges(root)
    help_lines = " ".join(_texts(nodes["help"]))
    assert "wrong key : restart (after a 2.0 s message)" in help_lines
    assert "no key : replay" in help_lines
    assert "wrong key / no key : replay" in " ".join(_texts(nodes["main"]))
    assert "3 failures : hang up" in " ".join(_texts(nodes["main"]))
    colours = _coloured(nodes["help"])
    assert colours["wrong key"] == FAILURE_STYLE["invalid"][0]
    assert colours["no key"] == FAILURE_STYLE["timeout"][0]
    failures = {t for t, g in edges.items() if "failure" in _classes(g)}
    assert failures == {"help->operator"}  # on to a node drawn below: an arrow
    arrow = edges["help->operator"]
    assert arrow.find(f"{SVG}path").get("stroke") == FAILURE_STYLE["exhausted"][0]
    assert arrow.find(f"{SVG}path").get("stroke-dasharray") is not None
    assert "(hangup)/main" not in nodes and "main->main" not in edges


def test_nodes_show_type_prompt_duration_forced_mark_and_findings():
    root = _svg(TELECOM)
    nodes = _nodes(root)
    welcome = nodes["welcome"]
    assert {"message", "forced"} <= _classes(welcome)
    text = " ".join(_texts(welcome))
    assert text.startswith("welcome message 您好，欢迎致电华远通信客户服务 热线，")
    assert "FORCED 6.0 s" in text and "(no barge-in)" in text
    # findings: the worst severity's colour around the node, the rule ids inside
    main = nodes["main"]
    assert _outline(main) == SEVERITY_COLORS["error"]
    assert "IVR003" in _texts(main) and "IVR014" in _texts(main)
    assert _outline(nodes["balance_info"]) == SEVERITY_COLORS["warning"]
    assert "forced" not in _classes(nodes["balance_info"])
    # one shape per type: a human is a double ellipse, a menu a box, a hang-up an octagon
    assert len(nodes["agent"].findall(f".//{SVG}ellipse")) == 2
    def corners(node):
        return len(next(node.iter(f"{SVG}polygon")).get("points").split()) - 1
    assert (corners(nodes["main"]), corners(nodes["goodbye"])) == (4, 8)  # box, octagon
    assert "3" in _texts(_edges(root)["main->broadband_repair"])  # the key on its option


def test_the_legend_shows_what_the_drawing_uses(tmp_path):
    root = _svg(TELECOM)
    legend = [g for g in root.iter(f"{SVG}g")
              if g.get("id") == "legend" or "legend" in _classes(g)]
    texts = {text for g in legend for text in _texts(g)}
    assert {"Legend", "menu", "message", "human", "hangup", "best path", "wrong key", "no key",
            "too many failures", "error finding", "warning finding"} <= texts
    assert "input" not in texts and "hidden" not in texts  # the menu has neither


def test_hidden_options_are_marked(tmp_path):
    edge = _edges(_svg(_menu(tmp_path, PATHS)))["main->goodbye"]
    assert "hidden" in _classes(edge) and _texts(edge) == ["9", "hidden"]


def test_menu_text_cannot_break_or_inject_dot_or_svg(tmp_path):
    root = _svg(_menu(tmp_path, NASTY))
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert set(_nodes(root)) == {"main", "agent"}  # no node "evil"
    assert set(_edges(root)) == {"main->agent"}
    main = _nodes(root)["main"]
    tooltip = next(a.get(f"{XLINK}title") for a in main.iter(f"{SVG}a"))
    assert tooltip == NASTY_PROMPT + " For <b>sales</b> press 1"  # the whole prompt, as written
    shown = "".join(_texts(main)[2:4])  # two lines, a long word cut between them
    assert shown.startswith('</text><script>alert(1)</script>"];')
    graph_title = _texts(root.find(f"{SVG}g"))[0]
    assert graph_title == 'Evil <script>alert("ivr")</script> & "co" \\N'
    assert "queue <i>q</i>" in " ".join(_texts(_nodes(root)["agent"]))


def test_label_escaping_by_hand():
    # \x01 is shown as the four characters \x01 (its backslash doubled for Graphviz)
    assert label_text("a\\Nb <c> & \"d\"\x01\n e") == (
        "a\\\\Nb &lt;c&gt; &amp; &quot;d&quot;\\\\x01 e")
    assert quoted('x\\N "y" &z') == '"x\\\\\\\\N \\"y\\" &amp;z"'
    assert wrap("话费查询请按1 then more words", 10, 1) == ["话费查询请…"]


def test_chinese_text_is_drawn_with_a_cjk_font_in_svg_png_and_pdf():
    require("dot")
    require("fc-match")
    font = subprocess.run(["fc-match", "-f", "%{family}|%{file}", "Noto Sans CJK SC"],
                          capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in font, f"the CJK font is missing (fonts-noto-cjk): {font}"
    source = menu_dot(audit_file(str(TELECOM)))
    root = ET.fromstring(dot_bytes(source, "svg"))
    texts = [t for t in root.iter(f"{SVG}text") if "请选择您需要的服务" in (t.text or "")]
    assert texts and texts[0].get("font-family") == "Noto Sans CJK SC"
    png = dot_bytes(source, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") > 1000
    pdf = dot_bytes(source, "pdf")
    assert pdf.startswith(b"%PDF") and b"NotoSansCJKsc-Regular" in pdf  # the glyphs embedded


def test_the_svg_is_the_same_bytes_every_time():
    require("dot")
    source = menu_dot(audit_file(str(TELECOM)))
    assert source == menu_dot(audit_file(str(TELECOM)))
    assert dot_bytes(source, "svg") == dot_bytes(source, "svg")


# -- the command ----------------------------------------------------------------------------

def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_render_writes_the_format_named_by_the_suffix(tmp_path):
    require("dot")
    out = tmp_path / "menu.png"
    result = run("render", str(TELECOM), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    svg = run("render", str(TELECOM), "--scenario", "default", "--highlight", "steps")
    assert svg.exit_code == 0 and svg.output.startswith("<?xml")


def test_render_refuses_a_suffix_it_cannot_draw_rather_than_write_svg_into_it(tmp_path):
    gif = tmp_path / "menu.gif"
    result = run("render", str(TELECOM), "-o", str(gif))
    assert result.exit_code == 2 and not gif.exists()
    assert "cannot tell the drawing's format from '.gif'" in result.output
    # --format says it, whatever the name
    assert run("render", str(TELECOM), "--format", "dot", "-o", str(gif)).exit_code == 0
    assert gif.read_text().startswith("digraph")


def test_render_errors_are_located_and_exit_2(tmp_path):
    broken = _menu(tmp_path, PATHS.replace("goto: agent}", "goto: agnet}"))
    result = run("render", str(broken), "--format", "dot")
    assert result.exit_code == 2 and f"{broken}:" in result.output
    assert "Traceback" not in result.output
    result = run("render", str(TELECOM), "--format", "dot", "--scenario", "night")
    assert result.exit_code == 2
    assert f"{TELECOM}:1:1: error: the menu has no scenario 'night'" in result.output
    assert "hint: scenarios: default" in result.output


def test_without_dot_only_the_dot_format_works(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` to be found
    dot = run("render", str(TELECOM), "--format", "dot")
    assert dot.exit_code == 0 and dot.output.startswith('digraph "ivr" {')
    for fmt in ("svg", "png", "pdf"):
        result = run("render", str(TELECOM), "-o", str(tmp_path / f"x.{fmt}"))
        assert result.exit_code == 2, result.output
        assert (f"error: cannot draw {fmt}: Graphviz's `dot` program is not installed"
                in result.output)
        for hint in ("apt-get install graphviz fonts-noto-cjk", "brew install graphviz",
                     "winget install graphviz"):
            assert hint in result.output
        assert "Traceback" not in result.output and not (tmp_path / f"x.{fmt}").exists()


# -- the preview loop -----------------------------------------------------------------------

def _save(menu, text: str) -> None:
    """Save as editors do, by replacing the file: the poller never reads half a file."""
    partial = menu.with_suffix(".partial")
    partial.write_text(text)
    os.replace(partial, menu)


def test_watch_runs_again_on_each_save_and_survives_errors(tmp_path):
    menu = _menu(tmp_path, PATHS)
    (tmp_path / "other.txt").write_text("not watched")
    said: list[str] = []
    runs = iter(range(100))

    def action() -> str:
        n = next(runs)
        if "agnet" in menu.read_text():
            raise MenuError(str(menu), 3, 4, "no node 'agnet'")
        return f"drew {n}"

    stop = threading.Event()
    loop = threading.Thread(target=watch, args=([str(menu)], action, said.append),
                            kwargs={"stop": stop})
    loop.start()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 5
        while len(said) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(said) == count, said

    try:
        wait_for(1)  # the first run comes once the watch is set up
        _save(menu, PATHS.replace("goto: agent}", "goto: agnet}"))
        wait_for(2)
        (tmp_path / "other.txt").write_text("a file beside it changes: no run")
        _save(menu, PATHS + "\n")
        wait_for(3)
    finally:
        stop.set()
        loop.join(5)
    assert not loop.is_alive()
    assert said == ["drew 0", f"{menu}:3:4: error: no node 'agnet'", "drew 2"]


def test_render_watch_redraws_the_file_until_interrupted(tmp_path):
    """The real command in a child process: draw, report a broken menu, draw again, stop."""
    require("dot")
    menu, out = _menu(tmp_path, PATHS), tmp_path / "out.svg"
    child = subprocess.Popen(
        [sys.executable, "-m", "ivraudit", "render", "--watch", str(menu), "-o", str(out)],
        stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stderr], daemon=True).start()

    def next_line() -> str:
        return lines.get(timeout=10).rstrip("\n")

    try:
        assert next_line().startswith("watching ")
        assert next_line() == f"drew {out} from {menu}"
        first = out.read_bytes()
        _save(menu, PATHS.replace("goto: agent}", "goto: agnet}"))
        assert ": error: " in next_line()
        assert out.read_bytes() == first  # the last good drawing stays
        while not next_line().startswith("  hint"):
            pass
        _save(menu, PATHS.replace("Welcome.", "Welcome back."))
        assert next_line() == f"drew {out} from {menu}"
        assert b"Welcome back." in out.read_bytes()
    finally:
        child.send_signal(2)  # Ctrl-C
        child.wait(10)
    assert child.returncode == 0
