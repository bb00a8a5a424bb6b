"""`ivraudit report`: draw each menu's graph, build the HTML pages (and with ``pdf`` the PDF
printed from them, reporters.pdf), write the folder atomically.

Drawing needs Graphviz's ``dot``; without it the report is still written, each page saying
why its drawing is missing (its graph in words is there regardless), and the caller gets a
warning with the install hint. Menus larger than ``MAX_DRAWN_NODES`` are not drawn (Graphviz
would take minutes and the drawing could not be read); ``ivraudit render`` still draws them.
Each graph is drawn by a run of ``dot`` of its own (render.drawing.svg_many says why).

Two ways to write it: ``write_report`` from an AuditRun of whole results, and, for a folder
of thousands of menus, ``ReportWriter``: a streaming audit (audit.stream) makes each menu's
page and drawings where the menu is audited (``report_parts``), and the writer, in input
order, names the page, writes its files into the new folder and keeps only its rows of the
index. The two write the same bytes, except that a streaming report draws each menu afresh
after a drawing Graphviz failed on (a whole run stops drawing after it).
With ``--compare`` it also keeps each menu's columns of compare.html (its numbers per
scenario: a few lines). ``--pdf`` puts every menu, drawings included, in one page
(print.html): with it the writer keeps whole results and writes the folder at the end
(``write_report``).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from ..errors import IvrauditError
from ..i18n import N_, Translator, msg
from ..render.drawing import RenderError, menu_dot, svg_many
from ..util.atomic import FolderWriter, write_folder
from ..util.gcpause import without_cycle_collection
from .html import MARKER, PageNames, compare_page, index_page, menu_files, pages, stand_in
from .html_summary import CompareColumn, compare_columns, index_rows

PDF_NAME = "report.pdf"
MAX_DRAWN_NODES = 300


def draw_graphs(run, highlight: str = "forced",
                lang: str = "en") -> tuple[dict, dict, list[IvrauditError]]:
    """SVG text per menu file and scenario, notes for menus not drawn, and the problems (the
    first failure: the menus after it are not drawn)."""
    tr = Translator(lang)
    notes: dict[str, str] = {}
    wanted: list[tuple[str, str, str]] = []  # (menu file, scenario, DOT source)
    for result in run.results:
        path = result.menu.path
        if len(result.graph) > MAX_DRAWN_NODES:
            notes[path] = tr.render(msg(N_("The graph is not drawn here: {n} nodes are too many "
                                           "to read in a page (`ivraudit render {path}` draws "
                                           "it)."), n=len(result.graph), path=path))
            continue
        wanted += [(path, scenario, menu_dot(result, scenario, highlight, graph_id=f"s{n + 1}",
                                             lang=lang))
                   for n, scenario in enumerate(result.scenarios)]
    drawn, problem = svg_many([(path, source) for path, _, source in wanted])
    graphs: dict[str, dict[str, str]] = {}
    for (path, scenario, _), svg in zip(wanted, drawn):
        graphs.setdefault(path, {})[scenario] = svg.decode("utf-8")
    if problem is not None:  # `dot` is missing or failing: the menus from there on are not drawn
        stopped = [path for path, _, _ in wanted[len(drawn):]]
        for path in dict.fromkeys(stopped):
            graphs.pop(path, None)
            notes[path] = tr.render(msg(N_("The graph could not be drawn: {problem}."),
                                        problem=problem.message))
    return graphs, notes, [problem] if problem is not None else []


def report_files(run, folder: str, highlight: str = "forced", lang: str = "en",
                 compare: bool = False, pdf: bool = False
                 ) -> tuple[dict[str, str | bytes], list[IvrauditError]]:
    """The report folder's files of whole results (file name -> content) and the drawing
    problems; see ``write_report``."""
    graphs, notes, problems = draw_graphs(run, highlight, lang)
    with without_cycle_collection():  # many small objects, no cycles (reporters.render)
        files: dict[str, str | bytes] = pages(run, graphs, notes, lang, compare, printable=pdf)
    if pdf:
        from .pdf import pdf_bytes

        files[PDF_NAME] = pdf_bytes(files["print.html"], run.date,
                                    f"{folder.rstrip('/')}/{PDF_NAME}")
    return files, problems


def write_report(run, folder: str, highlight: str = "forced", lang: str = "en",
                 compare: bool = False, pdf: bool = False) -> list[IvrauditError]:
    """Write the report folder (in ``lang``; ``compare``: with compare.html; ``pdf``: with
    print.html and report.pdf); returns the drawing problems (the report is written anyway).
    Raises IvrauditError when the folder cannot be written or the PDF cannot be printed (then
    nothing is written)."""
    files, problems = report_files(run, folder, highlight, lang, compare, pdf)
    write_folder(folder, files, marker=MARKER.encode("utf-8"), unmarked=(PDF_NAME,))
    return problems


class ReportPart(NamedTuple):
    """A menu's share of a streaming report, made where it was audited: its files (page and
    drawings), its rows of the index and, for compare.html, its name and columns
    (html_summary.compare_columns), linked to a stand-in for the page's name, and the problem
    that stopped its drawing."""

    files: dict[str, str]
    rows: list[str]
    problem: RenderError | None
    compare: tuple[str, dict[str, CompareColumn]] | None = None


def report_parts(results: list, run, highlight: str, stem: str, lang: str = "en",
                 compare: bool = False) -> list[dict]:
    """A keeper (audit.stream) for ``ReportWriter``: each menu's ReportPart, its page named
    ``stem``.html until the writer names it (``compare``: with its columns of compare.html),
    its graphs drawn."""
    tr = Translator(lang)
    these = type(run)(results=results, policy=run.policy, fail_on=run.fail_on, date=run.date)
    graphs, notes, problems = draw_graphs(these, highlight, lang)
    found = []
    for result in results:
        path, page = result.menu.path, f"{stem}.html"
        files = menu_files(run, result, page, graphs.get(path, {}), notes.get(path), tr)
        problem = next((p for p in problems if p.path == path), None)
        found.append({"report": ReportPart(
            files, index_rows(run, result, page, tr), problem,
            compare_columns(run, result, page, tr) if compare else None)})
    return found


class ReportWriter:
    """Writes ``ivraudit report`` into ``folder`` (util.atomic.FolderWriter: in place only
    when ``finish`` runs). ``keeper`` and ``collect`` go to auditor.audit_paths (None with
    ``pdf``: print.html holds every menu, so whole results are kept); ``problems``: the first
    drawing problem, as ``write_report`` returns them."""

    def __init__(self, folder: str, highlight: str = "forced", lang: str = "en",
                 compare: bool = False, pdf: bool = False) -> None:
        self.folder, self.highlight, self.lang = folder, highlight, lang
        self.compare, self.pdf = compare, pdf
        self.files = FolderWriter(folder, marker=MARKER.encode("utf-8"), unmarked=(PDF_NAME,))
        self.stem = stand_in("page")  # a page's name until it has one
        streaming = not pdf
        self.keeper = partial(report_parts, highlight=highlight, stem=self.stem, lang=lang,
                              compare=compare) if streaming else None
        self.collect = self._collect if streaming else None
        self.names = PageNames()
        self.problems: list[IvrauditError] = []

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.files.__exit__(*exc)

    def _collect(self, kept):
        """Name a menu's page (in input order), write its files; keep its rows of the index
        (and its columns of compare.html)."""
        part = kept.part("report")
        stem = self.names.add(kept.path).removesuffix(".html")
        for name, content in part.files.items():
            self.files.add(name.replace(self.stem, stem), content.replace(self.stem, stem))
        if part.problem is not None and not self.problems:
            self.problems.append(part.problem)
        kept_parts = {"report": [row.replace(self.stem, stem) for row in part.rows]}
        if part.compare is not None:
            name, columns = part.compare
            kept_parts["compare"] = (name, {scenario: column._replace(
                head=column.head.replace(self.stem, stem)) for scenario, column in columns.items()})
        return kept.with_parts(kept_parts)

    def finish(self, run) -> None:
        """Write the index (all the files, for whole results) and put the folder in place."""
        if self.keeper is None:
            files, self.problems = report_files(run, self.folder, self.highlight, self.lang,
                                                self.compare, self.pdf)
            for name, content in files.items():
                self.files.add(name, content)
        else:
            tr = Translator(self.lang)
            self.files.add("index.html", index_page(run, self.names.names, tr, self.compare))
            if self.compare:
                self.files.add("compare.html", compare_page(run, self.names.names, tr))
        self.files.commit()
