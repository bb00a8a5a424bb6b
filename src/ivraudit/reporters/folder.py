"""`ivraudit report`: draw each menu's graph, build the HTML pages (and with ``pdf`` the PDF
printed from them, reporters.pdf), write the folder atomically.

Drawing needs Graphviz's ``dot``; without it the report is still written, each page saying
why its drawing is missing (its graph in words is there regardless), and the caller gets a
warning with the install hint. Menus larger than ``MAX_DRAWN_NODES`` are not drawn (Graphviz
would take minutes and the drawing could not be read); ``ivraudit render`` still draws them.
"""

from __future__ import annotations

from ..util.atomic import write_folder
from ..util.gcpause import without_cycle_collection
from ..errors import IvrauditError
from ..i18n import N_, Translator, msg
from ..render.drawing import dot_bytes, menu_dot
from .html import MARKER, pages
from .pdf import pdf_bytes

PDF_NAME = "report.pdf"

MAX_DRAWN_NODES = 300


def draw_graphs(run, highlight: str = "forced",
                lang: str = "en") -> tuple[dict, dict, list[IvrauditError]]:
    """SVG text per menu file and scenario, notes for menus not drawn, and the problems."""
    tr = Translator(lang)
    graphs: dict[str, dict[str, str]] = {}
    notes: dict[str, str] = {}
    problems: list[IvrauditError] = []
    for result in run.results:
        path = result.menu.path
        if len(result.graph) > MAX_DRAWN_NODES:
            notes[path] = tr.render(msg(N_("The graph is not drawn here: {n} nodes are too many "
                                           "to read in a page (`ivraudit render {path}` draws "
                                           "it)."), n=len(result.graph), path=path))
            continue
        if problems:  # `dot` is missing or failing: do not try every menu again
            notes[path] = tr.render(msg(N_("The graph could not be drawn: {problem}."),
                                        problem=problems[0].message))
            continue
        try:
            graphs[path] = {
                scenario: dot_bytes(menu_dot(result, scenario, highlight, graph_id=f"s{n + 1}",
                                             lang=lang),
                                    "svg", path).decode("utf-8")
                for n, scenario in enumerate(result.scenarios)}
        except IvrauditError as error:
            problems.append(error)
            notes[path] = tr.render(msg(N_("The graph could not be drawn: {problem}."),
                                        problem=error.message))
    return graphs, notes, problems


def write_report(run, folder: str, highlight: str = "forced", lang: str = "en",
                 compare: bool = False, pdf: bool = False) -> list[IvrauditError]:
    """Write the report folder (in ``lang``; ``compare``: with compare.html; ``pdf``: with
    print.html and report.pdf); returns the drawing problems (the report is written anyway).
    Raises IvrauditError when the folder cannot be written or the PDF cannot be printed (then
    nothing is written)."""
    graphs, notes, problems = draw_graphs(run, highlight, lang)
    with without_cycle_collection():  # many small objects, no cycles (reporters.render)
        files: dict[str, str | bytes] = pages(run, graphs, notes, lang, compare, printable=pdf)
    if pdf:
        files[PDF_NAME] = pdf_bytes(files["print.html"], run.date,
                                    f"{folder.rstrip('/')}/{PDF_NAME}")
    write_folder(folder, files, marker=MARKER.encode("utf-8"))
    return problems
