"""`ivraudit report`: draw each menu's graph, build the HTML pages, write the folder atomically.

Drawing needs Graphviz's ``dot``; without it the report is still written, each page saying
why its drawing is missing (its graph in words is there regardless), and the caller gets a
warning with the install hint. Menus larger than ``MAX_DRAWN_NODES`` are not drawn (Graphviz
would take minutes and the drawing could not be read); ``ivraudit render`` still draws them.
The graphs are drawn in batches, one run of ``dot`` for many (render.drawing.svg_many).

Two ways to write it: ``write_report`` from an AuditRun of whole results, and, for a folder
of thousands of menus, ``ReportWriter``: a streaming audit (audit.stream) makes each menu's
page and drawings where the menu is audited (``report_parts``, a chunk of menus at a time),
and the writer, in input order, names the page, writes its files into the new folder and keeps
only its row of the index. The two write the same bytes, except that a streaming report draws
each chunk afresh after a drawing Graphviz failed on (a whole run stops drawing after it).
"""

from __future__ import annotations

import os
from functools import partial
from typing import NamedTuple

from ..errors import IvrauditError
from ..render.drawing import RenderError, menu_dot, svg_many
from ..util.atomic import FolderWriter, write_folder
from .html import MARKER, PageNames, index_page, index_row, menu_files, pages

MAX_DRAWN_NODES = 300


def draw_graphs(run, highlight: str = "forced") -> tuple[dict, dict, list[IvrauditError]]:
    """SVG text per menu file and scenario, notes for menus not drawn, and the problems (the
    first failure: the menus after it are not drawn)."""
    notes: dict[str, str] = {}
    wanted: list[tuple[str, str, str]] = []  # (menu file, scenario, DOT source)
    for result in run.results:
        path = result.menu.path
        if len(result.graph) > MAX_DRAWN_NODES:
            notes[path] = (f"The graph is not drawn here: {len(result.graph)} nodes are too many "
                           f"to read in a page (`ivraudit render {path}` draws it).")
            continue
        wanted += [(path, scenario, menu_dot(result, scenario, highlight, graph_id=f"s{n + 1}"))
                   for n, scenario in enumerate(result.scenarios)]
    drawn, problem = svg_many([(path, source) for path, _, source in wanted])
    graphs: dict[str, dict[str, str]] = {}
    for (path, scenario, _), svg in zip(wanted, drawn):
        graphs.setdefault(path, {})[scenario] = svg.decode("utf-8")
    if problem is not None:  # `dot` is missing or failing: the menus from there on are not drawn
        stopped = [path for path, _, _ in wanted[len(drawn):]]
        for path in dict.fromkeys(stopped):
            graphs.pop(path, None)
            notes[path] = f"The graph could not be drawn: {problem.message}."
    return graphs, notes, [problem] if problem is not None else []


def write_report(run, folder: str, highlight: str = "forced") -> list[IvrauditError]:
    """Write the report folder; returns the drawing problems (the report is written anyway)."""
    graphs, notes, problems = draw_graphs(run, highlight)
    write_folder(folder, pages(run, graphs, notes), marker=MARKER.encode("utf-8"))
    return problems


class ReportPart(NamedTuple):
    """A menu's share of a streaming report, made where it was audited: its files (page and
    drawings) and its row of the index, named after a stand-in for the page's name, and the
    problem that stopped its drawing."""

    files: dict[str, str]
    row: str
    problem: RenderError | None


def report_parts(results: list, run, highlight: str, stem: str) -> list[dict]:
    """A keeper (audit.stream) for ``ReportWriter``: each menu's ReportPart, its page named
    ``stem``.html until the writer names it; the chunk's graphs drawn by one run of dot."""
    graphs, notes, problems = draw_graphs(type(run)(results, [], run.policy, run.fail_on),
                                          highlight)
    found = []
    for result in results:
        path = result.menu.path
        files = menu_files(run, result, f"{stem}.html", graphs.get(path, {}), notes.get(path))
        problem = next((p for p in problems if p.path == path), None)
        found.append({"report": ReportPart(files, index_row(run, result, f"{stem}.html"),
                                           problem)})
    return found


class ReportWriter:
    """Writes a streaming report into ``folder`` (util.atomic.FolderWriter: in place only when
    ``finish`` runs). ``keeper`` and ``collect`` go to auditor.audit_paths; ``problems``: the
    first drawing problem, as ``write_report`` returns them."""

    def __init__(self, folder: str, highlight: str = "forced") -> None:
        self.files = FolderWriter(folder, marker=MARKER.encode("utf-8"))
        # a page's name until it has one: random, so that no text from a file is it
        self.stem = "ivraudit-page-" + os.urandom(8).hex()
        self.keeper = partial(report_parts, highlight=highlight, stem=self.stem)
        self.names = PageNames()
        self.problems: list[IvrauditError] = []

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.files.__exit__(*exc)

    def collect(self, kept):
        """Name a menu's page (in input order), write its files; keep its row of the index."""
        part = kept.part("report")
        stem = self.names.add(kept.path).removesuffix(".html")
        for name, content in part.files.items():
            self.files.add(name.replace(self.stem, stem), content.replace(self.stem, stem))
        if part.problem is not None and not self.problems:
            self.problems.append(part.problem)
        return kept.with_parts({"report": part.row.replace(self.stem, stem)})

    def finish(self, run) -> None:
        """Write the index and put the folder in place."""
        self.files.add("index.html", index_page(run, self.names.names))
        self.files.commit()
