"""Many files at once: a streaming audit (parts kept, model and graph let go), a pool of
workers, reports written a piece at a time, and what makes them cheap: the same bytes as
auditing whole results one by one, and nothing left behind for a garbage collector that is off.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS, ROOT
from ivraudit.analysis.graph import _fill, build_graph, forget_views
from ivraudit.audit.auditor import AuditRun, audit_file, audit_paths
from ivraudit.audit.stream import Kept
from ivraudit.cli import main
from ivraudit.errors import MenuError
from ivraudit.format import schema
from ivraudit.format.loader import load_text
from ivraudit.importers import MenuFile, plan_sources, read_menu_file
from ivraudit.reporters import FORMATS, PARTS, keeper, menu_parts, render
from ivraudit.reporters.folder import ReportWriter, report_parts, write_report
from ivraudit.render.drawing import dot_bytes, menu_dot, svg_many
from ivraudit.simulate.errors import SimulateError

BROKEN = "ivr: Broken\nformat: 1\nentry: main\nnodes:\n  main: {type: menu, options: []}\n"


def _generated(count: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    return [generate(3, seed=n) for n in range(count)]


@pytest.fixture
def fleet(tmp_path) -> Path:
    """A folder of 40 menus: the examples, generated ones, a broken one and two files with the
    same name in different folders (their pages must get different names)."""
    folder = tmp_path / "fleet"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    for path in sorted(MENUS.glob("*.yaml")):
        shutil.copy(path, folder / path.name)
    for n, text in enumerate(_generated(28)):
        (folder / f"gen{n:02d}.yaml").write_text(text, encoding="utf-8")
    (folder / "a" / "same.yaml").write_text(_generated(1)[0], encoding="utf-8")
    (folder / "b" / "same.yaml").write_text(_generated(2)[1], encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def _audit(*args: str):
    return CliRunner().invoke(main, ["audit", *args])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_the_same_bytes_streamed_on_one_job_or_two(fleet, fmt):
    """The command streams (parts kept, pieces written) on one job or two; the library
    renders whole results: the same bytes (--fail-on never: the exit code says nothing)."""
    one = _audit("--format", fmt, "--jobs", "1", str(fleet))
    two = _audit("--format", fmt, "--jobs", "2", str(fleet))
    whole = render(audit_paths([str(fleet)]), fmt)
    assert one.exit_code == two.exit_code == 2  # the broken file
    assert one.stdout == two.stdout == whole
    assert "broken.yaml:5:31: error:" in one.stderr and one.stderr == two.stderr


def test_quiet_and_a_file_are_the_same_streamed(fleet, tmp_path):
    one = _audit("--quiet", "--jobs", "1", str(fleet))
    two = _audit("--quiet", "--jobs", "2", str(fleet))
    assert one.stdout == two.stdout and one.stdout.count("\n") > 40
    _audit("--format", "sarif", "--jobs", "2", "-o", str(tmp_path / "out.sarif"), str(fleet))
    assert (tmp_path / "out.sarif").read_text(encoding="utf-8") == \
        render(audit_paths([str(fleet)]), "sarif")


@pytest.mark.parametrize("compare", [False, True])
def test_the_report_folder_is_the_same_streamed_on_one_job_or_two(fleet, tmp_path, compare):
    """`report` streams (each menu's page written as it comes, its rows of the index kept, and
    with --compare its columns of compare.html): the same files as from whole results. (With
    --compare it kept every menu whole: 939 MB for 1,000 files, now 62 MB.)"""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    extra = ["--compare"] if compare else []
    for jobs in ("1", "2"):
        done = CliRunner().invoke(main, ["report", "--jobs", jobs, *extra, "-o",
                                         str(tmp_path / f"jobs{jobs}"), str(fleet)])
        assert done.exit_code == 2 and "(39 menus)" in done.stderr
    write_report(audit_paths([str(fleet)]), str(tmp_path / "whole"), compare=compare)
    names = sorted(p.name for p in (tmp_path / "whole").iterdir())
    assert "same.html" in names and "same-2.html" in names
    assert ("compare.html" in names) == compare
    with ReportWriter(str(tmp_path / "unused"), compare=compare) as writer:
        assert writer.keeper is not None  # parts kept, not whole results
    for other in ("jobs1", "jobs2"):
        assert sorted(p.name for p in (tmp_path / other).iterdir()) == names
        for name in names:
            assert (tmp_path / other / name).read_bytes() == \
                (tmp_path / "whole" / name).read_bytes(), name


def _bar_states(stderr: str, unit: str = "menus") -> list[str]:
    """What the progress bar counting ``unit`` drew, one state per redraw (each begins with a
    carriage return)."""
    return [state for state in stderr.split("\r") if state.startswith("[")
            and state.rstrip("\n").endswith(" " + unit)]


def test_a_fleet_audit_shows_its_progress_and_wipes_it(fleet, monkeypatch):
    """40 items (39 menus, 1 broken file): the bar counts each, is drawn again only when the
    whole per cent changes, and is wiped before the errors; the report is the same bytes."""
    monkeypatch.setenv("COLUMNS", "100")  # no terminal here: the width a bar is cut to
    shown = _audit("--progress", "--jobs", "2", str(fleet))
    plain = _audit("--no-progress", "--jobs", "2", str(fleet))
    assert shown.stdout == plain.stdout and shown.exit_code == plain.exit_code == 2
    assert "\r" not in plain.stderr and "menus" not in plain.stderr
    states = _bar_states(shown.stderr)
    # 0, 1, ..., 40 items: 100 * done // 40 changes at every item (2.5 per cent each)
    assert len(states) == 41
    assert states[0] == "[" + "-" * 30 + "]   0 %  0 / 40 menus"
    assert states[20] == "[" + "#" * 15 + "-" * 15 + "]  50 %  20 / 40 menus"
    assert states[-1] == "[" + "#" * 30 + "] 100 %  40 / 40 menus"
    # wiped: spaces over the last state, then back to the line's start, before the first error
    wipe = "\r" + " " * len(states[-1]) + "\r"
    assert shown.stderr.index(wipe) < shown.stderr.index("broken.yaml:5:31: error:")
    assert _audit(str(fleet)).stderr == plain.stderr  # not a terminal: no bar by default
    # before them, the files read (each identified as a menu), wiped before the menus' bar
    reading = _bar_states(shown.stderr, "files read")
    assert len(reading) == 41 and reading[-1] == "[" + "#" * 30 + "] 100 %  40 / 40 files read"
    wiped = "\r" + " " * len(reading[-1]) + "\r"
    assert shown.stderr.index(wiped) < shown.stderr.index(states[0])


def test_a_progress_bar_redraws_per_whole_per_cent_and_ends_its_line_if_cut_short(monkeypatch):
    import io

    from ivraudit.util.progress import ProgressBar

    monkeypatch.setenv("COLUMNS", "100")

    stream = io.StringIO()
    with ProgressBar("callers", stream=stream, width=10) as bar:
        for done in range(0, 1001):
            bar(done, 1000)
    states = _bar_states(stream.getvalue(), "callers")
    assert len(states) == 101 and states[-1] == "[##########] 100 %  1,000 / 1,000 callers\n"
    for cut_short, ending in ((RuntimeError, "1 / 3 menus\n"),  # the error: its own line
                              (KeyboardInterrupt, "1 / 3 menus")):  # click ends the line
        stream = io.StringIO()
        with pytest.raises(cut_short), ProgressBar("menus", transient=True,
                                                   stream=stream) as bar:
            bar(1, 3)
            raise cut_short
        assert stream.getvalue().endswith(ending)
    stream = io.StringIO()
    ProgressBar("menus", stream=stream)(0, 1)  # one item: no progress to show
    ProgressBar("menus", stream=stream)(1, 1)
    assert stream.getvalue() == ""
    monkeypatch.setenv("COLUMNS", "40")  # a narrow terminal: a wrapped line can't be redrawn
    stream = io.StringIO()
    ProgressBar("menus", transient=True, stream=stream)(500, 1000)
    assert stream.getvalue() == "\r[" + "#" * 15 + "-" * 15 + "]  50 % "  # 39 characters


def test_the_pool_leaves_signal_handlers_it_did_not_set_alone():
    """A program using the library keeps its own handler, and an ignored signal stays
    ignored, while a pool runs; only Python's defaults are taken over, and given back."""
    import signal

    from ivraudit.util.signals import noted as _signals_noted, sigterm_ends_cleanly

    def own(number, frame):
        pass

    before = signal.signal(signal.SIGTERM, own), signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with _signals_noted() as noted:
            assert signal.getsignal(signal.SIGTERM) is own
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert noted == []
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with _signals_noted() as noted:
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, own)
            signal.raise_signal(signal.SIGTERM)
            assert noted == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        # ivraudit's own "end cleanly on SIGTERM" (diff --base) is noted like the default
        with sigterm_ends_cleanly():
            ending = signal.getsignal(signal.SIGTERM)
            with _signals_noted() as noted:
                signal.raise_signal(signal.SIGTERM)
                assert noted == [signal.SIGTERM]
            assert signal.getsignal(signal.SIGTERM) is ending
            with pytest.raises(SystemExit) as stopped:
                signal.raise_signal(signal.SIGTERM)
            assert stopped.value.code == 143
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN  # the ending is not cut short
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])


@pytest.mark.skipif(not os.path.exists("/dev/full") or sys.platform == "win32",
                    reason="needs /dev/full and fork")
def test_a_progress_bar_that_cannot_be_written_stops_and_the_audit_goes_on(fleet, tmp_path):
    """Standard error full (2>/dev/full) or closed (2>&-): the report is written whole."""
    import io

    from ivraudit.util.progress import ProgressBar

    class Full(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")

    bar = ProgressBar("menus", stream=Full())
    bar(1, 3)
    bar(2, 3)  # drew nothing, raised nothing
    command = [sys.executable, "-m", "ivraudit", "audit", "--progress", "--quiet", str(MENUS)]
    plain = subprocess.run(command, capture_output=True, text=True)
    with open("/dev/full", "w") as full:
        on_full = subprocess.run(command, stdout=subprocess.PIPE, stderr=full, text=True)
    closed = subprocess.run(command, stdout=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.close(2))
    assert plain.returncode == 1 and plain.stdout.count("\n") > 5
    for done in (on_full, closed):
        assert (done.returncode, done.stdout) == (plain.returncode, plain.stdout)


def test_an_output_that_cannot_be_written_fails_before_the_audit(fleet, tmp_path):
    """`-o` into a folder that does not exist, or onto a device: exit 2 at once, naming it,
    before any file is audited (the broken file of the fleet is never read). It failed only
    after the whole audit: 30 s for 5,000 files."""
    for output, said in ((tmp_path / "missing" / "out.txt",
                          "cannot write the file: No such file or directory"),
                         (Path("/dev/full"), "will not write here: it is a device")):
        if output.name == "full" and not output.exists():
            continue  # no /dev/full here
        done = _audit("-o", str(output), str(fleet))
        assert done.exit_code == 2 and done.stderr.startswith(f"{output}:1:1: error: {said}")
        assert "broken.yaml" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "missing").exists()
    assert _audit("-o", str(tmp_path / "fine.txt"), str(fleet)).exit_code == 2  # broken.yaml
    assert (tmp_path / "fine.txt").read_text().count("\nsha256 ") == 39
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fine.txt", "fleet"]  # no probe left


def test_the_report_command_shows_its_progress(fleet, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    done = CliRunner().invoke(main, ["report", "--progress", "--jobs", "1", "-o",
                                     str(tmp_path / "out"), str(fleet)])
    assert done.exit_code == 2 and "] 100 %  40 / 40 menus" in done.stderr


def test_a_streaming_run_keeps_little_of_each_menu(fleet):
    run = audit_paths([str(fleet)], keep=keeper(("text",)), jobs=2)
    assert all(isinstance(result, Kept) for result in run.results) and len(run.results) == 39
    whole = audit_file(str(MENUS / "telecom-complaint.yaml"))
    small = next(r for r in run.results if r.path.endswith("telecom-complaint.yaml"))
    assert len(pickle.dumps(small)) * 10 < len(pickle.dumps(whole))
    assert small.counts() == whole.counts() and small.fails("warning") == whole.fails("warning")
    assert run.counts() == audit_paths([str(fleet)]).counts()


def test_each_menu_is_let_go_as_soon_as_its_part_is_kept(fleet):
    """A keeper is handed each menu as soon as it is audited, and the menu is freed before the
    next one is read, by reference counting alone (while its objects are still in the
    processor's cache); with ``hold`` (the command: the process ends after) only the last menu
    is kept, with what its file was parsed into. The report's keeper, which draws each menu,
    is handed one menu at a time too. Once the run is done nothing holds a menu: not a
    report's ranking of findings, nor the traceback of the broken file's error."""
    import weakref

    from ivraudit.audit import stream

    graphs: list = []
    at_read: list = []
    handed: list = []
    parsed: list = []  # with hold: the parsed trees each file was read into
    parsed_at_read: list = []
    real_read = stream.read_menu_file

    def read(path: str, keep: list | None = None):
        at_read.append(sum(graph() is not None for graph in graphs))
        parsed_at_read.append(sum(tree() is not None for tree in parsed))
        try:
            return real_read(path, keep)
        finally:
            parsed.extend(weakref.ref(tree) for tree in keep or ())

    text = keeper(("text",))  # it ranks a menu's findings: the ranking must not hold the menu

    def keep(results, run):
        handed.append(len(results))
        graphs.extend(weakref.ref(result.graph) for result in results)
        return text(results, run)

    was = gc.isenabled()
    gc.disable()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(stream, "read_menu_file", read)
            for hold in (False, True):
                graphs.clear(), at_read.clear(), handed.clear()
                run = audit_paths([str(fleet)], keep=keep, jobs=1, hold=hold)
                assert handed == [1] * 39 and at_read == [0] * 40 and len(run.errors) == 1
                assert sum(graph() is not None for graph in graphs) == (1 if hold else 0)
                if not hold:  # the library's audit keeps nothing of what it parsed
                    assert not parsed and not stream._held_input
            # with hold, the last file's composed YAML and Source, and nothing before them
            assert len(parsed) >= 2 * 39 and parsed_at_read[-40:] == [0] * 40
            assert sum(tree() is not None for tree in parsed) == 2
            graphs.clear(), handed.clear()
            writer = ReportWriter(str(fleet.parent / "report"))
            drawn = writer.keeper

            def draw(results, run):
                handed.append(len(results))
                graphs.extend(weakref.ref(result.graph) for result in results)
                return drawn(results, run)

            audit_paths([str(fleet)], keep=draw, jobs=1)
            writer.__exit__(None, None, None)
            assert handed == [1] * 39 and all(graph() is None for graph in graphs)
    finally:
        stream._held.clear(), stream._held_input.clear()
        if was:
            gc.enable()


def test_the_html_page_is_kept_a_menu_at_a_time_and_numbered_on_the_page(fleet):
    """One page holds every menu, numbered in order (anchors `#menu-N`, and `menu-N-` before
    every id of its section), yet a streaming audit keeps of each menu only its rows of the
    index and its section, made before its number is known: the page is the same bytes as
    one of whole results, with no stand-in for a number left in it. (The page of 1,000 menus
    took 479 MB; now 59 MB.)"""
    run = audit_paths([str(fleet)], keep=keeper(("html",)), jobs=2)
    assert all(isinstance(result, Kept) for result in run.results) and len(run.results) == 39
    whole = audit_file(str(MENUS / "telecom-complaint.yaml"))
    small = next(r for r in run.results if r.path.endswith("telecom-complaint.yaml"))
    assert len(pickle.dumps(small)) * 2 < len(pickle.dumps(whole))  # and no model, no graph
    page = render(run, "html")
    assert page == render(audit_paths([str(fleet)]), "html")
    assert "ivraudit-menu-" not in page
    assert page.count('<section aria-labelledby="menu-') == 39
    assert '<section aria-labelledby="menu-39">' in page and 'href="#menu-39"' in page


def test_jobs_must_be_a_positive_number(fleet):
    done = _audit("--jobs", "0", str(fleet))
    assert done.exit_code == 2 and "--jobs" in done.output


def test_menu_files_are_read_where_they_are_audited(fleet):
    items = list(plan_sources([str(p) for p in sorted(fleet.rglob("*.yaml"))]))
    assert all(isinstance(item, MenuFile) for item in items)
    with pytest.raises(MenuError, match="must contain at least 1 items"):
        read_menu_file(str(fleet / "broken.yaml"))


def test_errors_cross_processes_whole():
    for error in (MenuError("m.yaml", 3, 4, "bad", "fix it"), SimulateError("no", "yes")):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and again.format() == error.format()


# -- the cyclic GC is off: nothing may make a reference cycle ------------------------------

def test_auditing_and_reporting_a_menu_leaves_no_reference_cycle():
    """The audit and report commands run with the cyclic GC off, and a streaming audit lets
    go of each menu by reference counting alone: auditing, every report part and the report
    page of a menu make no cycle (networkx's cached edge views would: forget_views)."""
    run = AuditRun()

    def audit_and_report(path: Path) -> None:
        result = audit_file(str(path))
        menu_parts([result], run, tuple(PARTS))
        if shutil.which("dot"):
            report_parts([result], run, "forced", "stem")
        forget_views(result.graph)

    was = gc.isenabled()
    gc.disable()
    try:
        audit_and_report(MENUS / "bank.yaml")  # first use: caches of modules, once
        gc.collect()
        # the examples, and a menu whose persistent caller burns its retries at once (a
        # _Burn points back at its search)
        for path in sorted(MENUS.glob("*.yaml")) + [ROOT / "tests" / "hand" / "49_persistent_exhausted_stays.yaml"]:
            audit_and_report(path)
            assert gc.collect() == 0, path.name
    finally:
        if was:
            gc.enable()


# -- what makes it cheap, checked against what it replaces --------------------------------

def test_the_graph_is_filled_as_networkx_would():
    import networkx as nx

    menus = [load_text(text, "g.yaml") for text in _generated(3)]
    menus += [read_menu_file(str(path)) for path in sorted(MENUS.glob("*.yaml"))]
    for menu in menus:
        G = build_graph(menu)
        H = nx.MultiDiGraph(**G.graph)
        H.add_nodes_from(G.nodes(data=True))
        H.add_edges_from((u, v, dict(d)) for u, v, d in G.edges(data=True))
        assert list(H.nodes(data=True)) == list(G.nodes(data=True))
        for view in ("out_edges", "in_edges"):
            assert list(getattr(H, view)(keys=True, data=True)) == \
                list(getattr(G, view)(keys=True, data=True))
        G2 = nx.MultiDiGraph()
        _fill(G2, [("a", {}), ("b", {})], [("a", "b", {"k": 1}), ("a", "b", {"k": 2})])
        assert list(G2.edges(keys=True, data=True)) == [("a", "b", 0, {"k": 1}),
                                                      ("a", "b", 1, {"k": 2})]


def test_report_drawings_are_the_same_bytes_whatever_is_drawn_beside_them(tmp_path):
    """Graphviz 2.43 lays out a graph differently after another in the same run of dot, and
    differently from one run to the next: a report that drew a chunk of menus per run changed
    its drawings with the menus beside them and between runs (56 of 60 generated menus' files
    differed between two runs). Each drawing now has a run of its own: two reports on
    different --jobs are the same bytes, and a failing drawing stops only itself."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    folder = tmp_path / "menus"
    folder.mkdir()
    for n in range(12):  # lines of 12 to 17 menus: clusters, as real lines draw them
        (folder / f"m{n:02d}.yaml").write_text(generate(12 + n % 6, seed=n), encoding="utf-8")
    for jobs in ("1", "2"):
        done = CliRunner().invoke(main, ["report", "--jobs", jobs, "-o",
                                         str(tmp_path / f"jobs{jobs}"), str(folder)])
        assert done.exit_code in (0, 1), done.stderr
    names = sorted(p.name for p in (tmp_path / "jobs1").iterdir())
    assert len([n for n in names if n.endswith(".svg")]) >= 12
    for name in names:
        assert (tmp_path / "jobs1" / name).read_bytes() == \
            (tmp_path / "jobs2" / name).read_bytes(), name
    wanted = [(str(path), menu_dot(audit_file(str(path)), "default"))
              for path in sorted(folder.glob("*.yaml"))[3:6]]  # 15 to 17 menus
    alone = [dot_bytes(source, "svg") for _, source in wanted]
    assert svg_many(wanted) == (alone, None)
    drawn, problem = svg_many(wanted[:2] + [("menus/x.yaml", "digraph {")] + wanted[2:])
    assert drawn == alone[:2] and problem.path == "menus/x.yaml"


def test_the_rewritten_validator_says_what_fastjsonschema_says(monkeypatch):
    """rewrite.py changes how the validator runs, never what it answers: on menus broken in
    hundreds of ways, its first error (message and place) is the one of fastjsonschema's own
    code walking keys in the file's order."""
    import random
    import re

    import fastjsonschema
    import yaml

    source = fastjsonschema.compile_to_code(json.loads(schema.schema_text()))
    ordered = re.sub(r"= set\((data\w*)\.keys\(\)\)", r"= _InOrder(\1)", source)

    class _InOrder(dict):
        def __init__(self, mapping):
            super().__init__(dict.fromkeys(mapping))

        def remove(self, key):
            del self[key]

    namespace = {"_InOrder": _InOrder}
    exec(compile(ordered, "<reference>", "exec"), namespace)
    reference = namespace[schema._VALIDATE_FUNCTION]
    rng = random.Random(5)
    texts = [path.read_text(encoding="utf-8") for path in sorted(MENUS.glob("*.yaml"))]
    values = [None, 1, -3, "x", "hangup", [1], {"a": 1}, True, 2.5, "", [], {}, "#", 10 ** 20]
    errors = 0
    for _ in range(300):
        document = yaml.safe_load(rng.choice(texts))
        for _ in range(rng.randint(1, 3)):
            node, path = document, []
            while isinstance(node, (dict, list)) and node and rng.random() < 0.85:
                key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
                path.append(key)
                parent, node = node, node[key]
            if not path:
                continue
            if rng.random() < 0.6 or not isinstance(parent, dict):
                parent[path[-1]] = rng.choice(values)
            else:
                parent[rng.choice(["bogus", "next", "options", "role", "say"])] = \
                    rng.choice(values)
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        from ivraudit.format.yamlsource import parse

        tree = parse(text, "m.yaml")
        mine = theirs = None
        try:
            schema.validate(tree, "m.yaml")
        except MenuError as error:
            mine = error.format()
        monkeypatch.setattr(schema, "_validator", lambda: reference)
        try:
            schema.validate(tree, "m.yaml")
        except MenuError as error:
            theirs = error.format()
        monkeypatch.undo()
        assert mine == theirs, text
        errors += mine is not None
    assert errors > 200


def test_the_program_exits_at_once_with_its_output_whole(tmp_path):
    """`python -m ivraudit` ends with os._exit after flushing: the output is whole and the
    exit code right, on a pipe and into a file."""
    done = subprocess.run([sys.executable, "-m", "ivraudit", "audit", "--date", "2026-01-02",
                           str(MENUS)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert done.stdout.endswith("(`ivraudit rules` lists them)\n")
    assert "\n9 menus audited on 2026-01-02 by ivraudit " in done.stdout
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-m", "ivraudit", "audit", "--format", "json", "-o",
                           str(out), str(MENUS / "good-practice.yaml")], cwd=ROOT)
    assert done.returncode == 0 and json.loads(out.read_text())["summary"]["menus"] == 1
    done = subprocess.run([sys.executable, "-m", "ivraudit", "audit", "nonesuch.yaml"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "nonesuch.yaml:1:1: error: no such file" in done.stderr


def test_never_more_workers_than_chunks_of_work(monkeypatch):
    """`--jobs 300` on 9 menus starts at most 9 workers (it started 300: 1.2 s for 0.5)."""
    from ivraudit.audit import stream

    started = []
    monkeypatch.setattr(stream, "_in_pool", lambda job, chunks, jobs: started.append(jobs)
                        or iter(()))
    list(stream.audited(list(range(9)), AuditRun(), "2026-01-01", jobs=300))
    assert started == [9]


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
@pytest.mark.parametrize("signals, code", [(("SIGINT", "SIGINT"), 130), (("SIGTERM",), 143),
                                           (("ignored SIGINT",), 2)])
def test_a_pool_stopped_by_signals_ends_whole(tmp_path, signals, code):
    """Ctrl-C twice (a user, `timeout -s INT`: the whole process group) or SIGTERM to the
    command while its workers audit: exit 130 or 143, no traceback, no process left. (Twice
    Ctrl-C used to hang the command in the pool's terminate(), its workers orphaned, or end it
    with exit 1 and tracebacks; SIGTERM left workers printing BrokenPipeError.)"""
    import signal
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    for n, text in enumerate(_generated(119)):
        (folder / f"m{n:03d}.yaml").write_text(text, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")  # exit 2 when it runs out
    ignoring = signals[0].startswith("ignored")  # as a shell starts a script's `cmd &`
    command = subprocess.Popen([sys.executable, "-m", "ivraudit", "audit", "--jobs", "2",
                                "--progress", "--quiet", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True, preexec_fn=(lambda: signal.signal(
                                   signal.SIGINT, signal.SIG_IGN)) if ignoring else None)
    seen = b""
    while seen.count(b" / 120 menus") < 2:  # the bar drawn after the first results: working
        piece = command.stderr.read(1)
        assert piece, seen
        seen += piece
    for name in signals:
        if name.endswith("SIGINT"):
            os.killpg(command.pid, signal.SIGINT)
        else:
            command.send_signal(signal.SIGTERM)  # the command only, as `kill` does
        time.sleep(0.02)
    rest = command.stderr.read().decode()
    assert command.wait(timeout=60) == code
    assert "Traceback" not in rest and "Error" not in rest
    assert ("broken.yaml:5:31: error:" in rest) == ignoring  # ignored: the audit ran out
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-g", str(command.pid)], capture_output=True, text=True)
    assert left.stdout == ""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
def test_a_worker_killed_ends_the_audit_with_an_error_not_a_hang(tmp_path):
    """A worker killed alone (by the system for lack of memory, or a SIGTERM to the process
    group of a command that ignores it) lost its chunk, which the pool then awaited for ever:
    the command hung. Now it ends at once: exit 2, saying why, with no process left."""
    import signal
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    for n, text in enumerate(_generated(200)):
        (folder / f"m{n:03d}.yaml").write_text(text, encoding="utf-8")
    command = subprocess.Popen([sys.executable, "-m", "ivraudit", "audit", "--jobs", "2",
                                "--progress", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    seen = b""
    while seen.count(b" / 200 menus") < 2:  # the bar drawn after the first results: working
        piece = command.stderr.read(1)
        assert piece, seen
        seen += piece
    workers = subprocess.run(["pgrep", "-P", str(command.pid)], capture_output=True,
                             text=True).stdout.split()
    os.kill(int(workers[0]), signal.SIGKILL)
    rest = command.stderr.read().decode()
    assert command.wait(timeout=60) == 2
    assert "error: a worker process was killed by signal 9 (SIGKILL) before its menus were " \
           "audited: the audit is incomplete" in rest and "Traceback" not in rest
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-g", str(command.pid)], capture_output=True, text=True)
    assert left.stdout == ""


def _platform_site(folder: Path, n: int) -> None:
    """One site's files: a FreeSWITCH ivr.conf including a menu fragment that greets with a
    phrase macro of a phrase file, an Asterisk dialplan including its menus, and a menu."""
    for part in ("autoload_configs", "ivr_menus", "lang"):
        (folder / part).mkdir(parents=True)
    (folder / "autoload_configs" / "ivr.conf.xml").write_text(
        '<configuration name="ivr.conf">\n  <menus>\n'
        '    <X-PRE-PROCESS cmd="include" data="../ivr_menus/*.xml"/>\n'
        '  </menus>\n</configuration>\n', encoding="utf-8")
    (folder / "ivr_menus" / "main.xml").write_text(
        f'<include>\n  <menu name="main{n}" greet-long="phrase:greet{n}" max-failures="2">\n'
        '    <entry action="menu-exec-app" digits="0" param="transfer 100 XML default"/>\n'
        '  </menu>\n</include>\n', encoding="utf-8")
    (folder / "lang" / "phrases.xml").write_text(
        f'<include>\n  <macro name="greet{n}">\n    <input pattern="(.*)">\n      <match>\n'
        f'        <action function="play-file" data="say:Welcome to site {n}"/>\n'
        '      </match>\n    </input>\n  </macro>\n</include>\n', encoding="utf-8")
    (folder / "extensions.conf").write_text(
        '#include "menus.conf"\n[from-trunk]\nexten => s,1,Goto(menu,s,1)\n', encoding="utf-8")
    (folder / "menus.conf").write_text(
        "[menu]\nexten => s,1,Background(welcome)\n same => n,WaitExten(5)\n"
        "exten => 0,1,Dial(PJSIP/operator)\n", encoding="utf-8")
    shutil.copy(MENUS / "bank.yaml", folder / "bank.yaml")


def test_planning_a_fleet_of_platform_files_looks_at_each_file_a_few_times(tmp_path, monkeypatch):
    """Includes and phrase files are found across the inputs once per run: looking for them
    once per platform file read every input again for each one (1,440 corpus flows took 20 s
    to plan, 88 % of their audit)."""
    from ivraudit.importers import asterisk, freeswitch, source

    sites = 12
    for n in range(sites):
        _platform_site(tmp_path / f"site{n:02d}", n)
    files = sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())
    looked = {"asterisk": 0, "freeswitch": 0, "reads": {}}

    def counted(name, detect):
        def count(found):
            looked[name] += 1
            return detect(found)
        return count

    def read_bytes(path, **kwargs):
        looked["reads"][path] = looked["reads"].get(path, 0) + 1
        return Path(path).read_bytes()

    monkeypatch.setattr(asterisk, "detect", counted("asterisk", asterisk.detect))
    monkeypatch.setattr(freeswitch, "detect", counted("freeswitch", freeswitch.detect))
    monkeypatch.setattr(source, "read_bytes", read_bytes)
    reading = []
    run = audit_paths([str(tmp_path)], today="2026-01-01",
                      reading=lambda done, total: reading.append((done, total)))
    assert not run.errors
    # the files read are counted one by one, platform files once their flows are read
    assert reading == [(done, len(files)) for done in range(len(files) + 1)]
    # each site: one FreeSWITCH line read through its ivr.conf, greeting with its phrase; one
    # Asterisk line read through extensions.conf; the menu
    read_from = [Path(r.menu.pos.path).name for r in run.results]
    assert len(run.results) == 3 * sites
    for n in range(sites):
        freeswitch_line = next(r for r in run.results if r.menu.ivr == f"main{n}")
        assert Path(freeswitch_line.menu.pos.path).name == "ivr.conf.xml"
        assert f"Welcome to site {n}" in freeswitch_line.menu.nodes[f"main{n}"].prompt_text()
    assert read_from.count("extensions.conf") == read_from.count("bank.yaml") == sites
    # work that grows with the inputs, not with their square: 72 files, 12 of each kind
    assert looked["asterisk"] <= 2 * len(files), looked["asterisk"]
    assert looked["freeswitch"] <= 2 * len(files), looked["freeswitch"]
    assert max(looked["reads"].values()) <= 2, looked["reads"]


def test_a_fleet_diff_keeps_little_of_each_menu_and_says_what_whole_results_say(fleet, tmp_path):
    """`diff` of two folders audits each side streaming (a Compared per menu, model and graph
    let go: 1,000 menus on each side took 470 MB, now 72 MB) on one job or two, and says what
    comparing the whole results says, byte for byte."""
    from ivraudit import diff as diffs
    from ivraudit.diff.allow import allowances
    from ivraudit.diff.compare import Side, compare
    from ivraudit.diff.sources import path_sides

    new = tmp_path / "new"
    shutil.copytree(fleet, new)
    bank = (new / "bank.yaml").read_text(encoding="utf-8")
    (new / "bank.yaml").write_text(bank.replace("Welcome to Harbourline Bank.",
                                                "Welcome to Harbourline Bank, " * 4),
                                   encoding="utf-8")  # a longer forced welcome: regressions
    (new / "gen03.yaml").unlink()  # a menu removed
    (new / "a" / "same.yaml").rename(new / "a" / "moved.yaml")  # matched by its `ivr`
    today, allowed = "2026-01-01", allowances(())
    whole = compare(*(Side(str(side), audit_paths([str(side)], today=today), str(side))
                      for side in (fleet, new)), "error", allowed, True)
    for jobs in (1, 2):
        streamed = compare(*path_sides(str(fleet), str(new), None, "error", today, jobs),
                           "error", allowed, True)
        assert all(isinstance(kept, Kept) for kept in streamed.old.run.results)
        for fmt in ("text", "json", "markdown"):
            assert diffs.render(streamed, fmt) == diffs.render(whole, fmt)
    assert whole.regressions and {m.status for m in whole.menus} >= {"changed", "removed"}
