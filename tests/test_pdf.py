"""The regulator's copy and the pages as a browser shows them (issue 13): `ivraudit report
--pdf` through headless Chromium (the same bytes every time for one --date, drawings within the
page, no heading alone at the bottom of a page), and screenshots of the summary, a finding with
occurrences, the Chinese report and the PDF's first page, read back: their text is there and
nothing runs past the page's width. IVRAUDIT_SCREENSHOTS=folder keeps the pictures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit import __version__
from ivraudit.cli import main
from ivraudit.reporters.pdf import browser

CHROMIUM = "/usr/bin/chromium"
DATE = "2026-05-01"


def need(*programs: str) -> None:
    for program in programs:
        if shutil.which(program) is None and not Path(program).exists():
            if os.environ.get("CI"):
                pytest.fail(f"{program} is missing, and CI must run this test")
            pytest.skip(f"{program} is not installed (apt-get install chromium graphviz "
                        "poppler-utils)")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """The English and Chinese reports of two example menus, with their PDFs."""
    need("dot", "pdftotext", "pdftoppm")
    if browser() is None:
        need(CHROMIUM)
    base = tmp_path_factory.mktemp("reports")
    for name in ("telecom-complaint.yaml", "city-hotline-12345.yaml"):
        shutil.copy(MENUS / name, base / name)
    for lang in ("en", "zh-CN"):
        result = CliRunner().invoke(main, [
            "report", str(base / "telecom-complaint.yaml"), str(base / "city-hotline-12345.yaml"),
            "-o", str(base / lang), "--pdf", "--compare", "--lang", lang, "--date", DATE,
            "--policy", "cn-elderly"])
        assert result.exit_code == 1, result.output  # telecom fails the policy
    return base


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_pdf_is_dated_by_the_audit_and_the_same_bytes_every_time(reports, tmp_path):
    pdf = (reports / "en" / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/CreationDate (D:20260501000000" in pdf
    again = CliRunner().invoke(main, [
        "report", str(reports / "telecom-complaint.yaml"),
        str(reports / "city-hotline-12345.yaml"), "-o", str(tmp_path / "again"), "--pdf",
        "--compare", "--lang", "en", "--date", DATE, "--policy", "cn-elderly"])
    assert again.exit_code == 1
    second = (tmp_path / "again" / "report.pdf").read_bytes()
    where = next((i for i, (a, b) in enumerate(zip(pdf, second)) if a != b), None)
    assert second == pdf, (len(pdf), len(second), where,
                           pdf[max(0, (where or 0) - 300):(where or 0) + 80],
                           second[max(0, (where or 0) - 300):(where or 0) + 80])


def test_the_pdf_says_what_was_audited_when_by_what_and_under_which_policy(reports):
    text = pdftotext(reports / "en" / "report.pdf", "-layout")
    assert re.search(rf"Audit date +{DATE}", text)
    words = " ".join(text.split())
    assert f"ivraudit {__version__}" in words
    assert "7759a1f975aa12f977fa4f12fb92bb64c6d0d31c9db3eb1a19ac9abd8d973f98" in words
    assert "cn-elderly: China MIIT 65+ programme" in words
    assert "input-timeout" in words and "min_menu_seconds: 10" in words
    # each menu's verdict, and the menus side by side
    assert "FAIL under policy cn-elderly" in words and "PASS under policy cn-elderly" in words
    assert "The menus side by side" in words
    chinese = pdftotext(reports / "zh-CN" / "report.pdf", "-layout")
    assert re.search(rf"审计日期 +{DATE}", chinese) and "不通过（策略 cn-elderly）" in chinese


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_nothing_runs_past_a_page_and_drawings_are_scaled_to_it(reports, lang):
    pdf = reports / lang / "report.pdf"
    sizes = _page_sizes(pdf)
    assert sizes and any(w > h for w, h in sizes)  # wide drawings on landscape pages
    boxed = pdftotext(pdf, "-bbox")
    pages = boxed.split("<page ")[1:]
    assert len(pages) == len(sizes)
    for number, (page, (width, height)) in enumerate(zip(pages, sizes), 1):
        for x_max, y_max in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)"', page):
            assert float(x_max) <= width and float(y_max) <= height, (lang, number)


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(reports):
    class Headings(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.inside = [], None

        def handle_starttag(self, tag, attrs):
            if re.fullmatch(r"h[1-4]", tag):
                self.inside = []

        def handle_endtag(self, tag):
            if re.fullmatch(r"h[1-4]", tag) and self.inside is not None:
                self.found.append(" ".join("".join(self.inside).split()))
                self.inside = None

        def handle_data(self, data):
            if self.inside is not None:
                self.inside.append(data)

    for lang in ("en", "zh-CN"):
        parser = Headings()
        parser.feed((reports / lang / "print.html").read_text(encoding="utf-8"))
        headings = set(parser.found)
        pdf = reports / lang / "report.pdf"
        for number in range(1, len(_page_sizes(pdf)) + 1):
            lines = [" ".join(line.split()) for line in
                     pdftotext(pdf, "-f", str(number), "-l", str(number)).splitlines()]
            lines = [line for line in lines if line]
            assert not lines or lines[-1] not in headings, (lang, number, lines[-1])


def test_without_a_browser_the_pdf_is_an_error_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("IVRAUDIT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = CliRunner().invoke(main, ["report", str(MENUS / "good-practice.yaml"), "-o",
                                       str(tmp_path / "out"), "--pdf", "--date", DATE])
    assert result.exit_code == 2 and "cannot write the PDF" in result.stderr
    assert "apt-get install chromium" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# -- in the browser, by screenshot ------------------------------------------------------------

def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, path  # not blank
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_screenshots_of_the_summary_a_cause_the_chinese_report_and_the_pdf(reports, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    overflow = ("() => [document.documentElement.scrollWidth, window.innerWidth, "
                "Array.from(document.querySelectorAll('main *')).filter(e => "
                "!e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth "
                "+ 1).length]")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser() or CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            page = chromium.new_page(viewport={"width": 1024, "height": 900})
            page.goto((reports / "en" / "telecom-complaint.html").as_uri())
            summary = page.locator("section.summary")
            summary.screenshot(path=shots / "summary.png")
            said = summary.inner_text()
            assert "FAIL under policy cn-elderly" in said and "Top causes" in said
            assert "elderly caller" in said and "keys to a person" in said
            causes = page.locator("table.findings tr", has_text="5 nodes: main, package_menu")
            assert causes.count() == 3  # IVR012, IVR013, IVR015: each one cause at five menus
            cause = page.locator("table.findings tr", has_text="running out of retries")
            cause.screenshot(path=shots / "cause.png")
            assert "5 nodes: main, package_menu, other_menu, complaint_menu, old_vip_menu" in \
                cause.inner_text()
            scroll, inner, past = page.evaluate(overflow)
            assert scroll <= inner and past == 0

            page.goto((reports / "zh-CN" / "telecom-complaint.html").as_uri())
            page.screenshot(path=shots / "chinese.png")
            said = page.locator("section.summary").inner_text()
            assert "不通过（策略 cn-elderly）" in said and "首要原因" in said
            scroll, inner, past = page.evaluate(overflow)
            assert scroll <= inner and past == 0
            page.goto((reports / "zh-CN" / "index.html").as_uri())
            assert "只有回拨，没有人工" in page.locator("table.index").inner_text()
        finally:
            chromium.close()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(reports / "zh-CN" / "report.pdf"), str(shots / "pdf-first-page")],
                   check=True)
    width, height = _png_size(shots / "pdf-first-page.png")
    assert height > width  # an A4 page, upright
    first = " ".join(pdftotext(reports / "zh-CN" / "report.pdf", "-f", "1", "-l", "1").split())
    assert "IVR 语音菜单审计报告" in first and DATE in first
    for name in ("summary", "cause", "chinese"):
        _png_size(shots / f"{name}.png")
    keep = os.environ.get("IVRAUDIT_SCREENSHOTS")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)


def test_a_later_report_without_pdf_removes_the_old_pdf_but_never_a_users(reports, tmp_path):
    """A report folder written with --pdf, then without: the old report.pdf (another date,
    other menus) goes with the old pages; a report.pdf in a folder no report wrote stays."""
    folder = tmp_path / "report"
    shutil.copytree(reports / "en", folder)
    assert (folder / "report.pdf").exists() and (folder / "compare.html").exists()
    result = CliRunner().invoke(main, ["report", str(MENUS / "good-practice.yaml"), "-o",
                                       str(folder), "--date", DATE])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["good-practice.html",
                                                        "good-practice.svg", "index.html"]
    own = tmp_path / "own"
    own.mkdir()
    (own / "report.pdf").write_bytes(b"%PDF-1.4 a user's own file")
    assert CliRunner().invoke(main, ["report", str(MENUS / "good-practice.yaml"), "-o",
                                     str(own)]).exit_code == 0
    assert (own / "report.pdf").read_bytes() == b"%PDF-1.4 a user's own file"
