"""`ivraudit report` and `audit --format html`: pages parsed back, escaping, atomic writes, and
the real report opened in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit.util.atomic import OutputError, write_folder
from ivraudit.cli import main
from ivraudit.reporters.html_assets import SORT_SCRIPT

CHROMIUM = "/usr/bin/chromium"
PAYLOAD = "document.documentElement.setAttribute(`data-pwned`, `{}`)"
# A menu whose every text tries to run a script in the report.
EVIL = f"""\
ivr: 'Evil line <script>{PAYLOAD.format("name")}</script>'
format: 1
entry: main
locale: en-GB
owner: '<img src=x onerror="{PAYLOAD.format("owner")}">'
scenarios:
  default: []
  vip: [vip]
nodes:
  main:
    type: menu
    say: '<script>{PAYLOAD.format("prompt")}</script> Welcome & "hello"'
    options:
      - {{key: 1, say: 'For <b>sales</b> press 1', goto: agent}}
      - {{key: 2, say: '<iframe srcdoc="x"></iframe> press 2', goto: route}}
  route:
    type: branch
    cases:
      - {{when: [vip], goto: agent}}
    else: agent
  agent: {{type: human, queue: '<svg onload="{PAYLOAD.format("queue")}">', wait: 30}}
waivers:
  - {{rule: IVR002, reason: '<b onclick="{PAYLOAD.format("reason")}">known</b>'}}
"""
BROKEN = EVIL.replace("goto: agent}", "goto: agnet}")


def require(program: str) -> None:
    if shutil.which(program) is None:
        if os.environ.get("CI"):
            pytest.fail(f"`{program}` is not installed, and CI must run this test")
        pytest.skip(f"`{program}` is not installed (apt-get install graphviz)")


class Page(HTMLParser):
    """An HTML page read back: its elements with attributes, its text, its scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in != "style":
            (self.scripts if self._in == "script" else self.text).append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.elements if name == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture
def menus(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "menus"
    folder.mkdir()
    (folder / "evil.yaml").write_text(EVIL, encoding="utf-8")
    shutil.copy(MENUS / "telecom-complaint.yaml", folder)
    shutil.copy(MENUS / "city-hotline-12345.yaml", folder)
    return folder


def report(*args: str):
    return CliRunner().invoke(main, ["report", *args])


def test_the_report_folder_has_an_index_and_a_page_per_menu(menus):
    require("dot")
    result = report("menus", "-o", "reports/")
    assert result.exit_code == 1, result.output  # findings at error, like `audit`
    folder = Path("reports")
    assert sorted(p.name for p in folder.iterdir()) == [
        "city-hotline-12345.2.svg", "city-hotline-12345.3.svg", "city-hotline-12345.4.svg",
        "city-hotline-12345.html", "city-hotline-12345.svg", "evil.2.svg", "evil.html",
        "evil.svg", "index.html", "telecom-complaint.html", "telecom-complaint.svg"]
    html = (folder / "index.html").read_text(encoding="utf-8")
    index = Page(html)
    table = html.split('<table class="sortable index">')[1].split("</table>")[0]
    # the heading and a row per menu and scenario: every scenario, not only the worst
    assert table.count("<tr>") == 1 + 4 + 2 + 1
    links = [a["href"] for a in index.all("a")]
    assert links == ["#main"] + ["city-hotline-12345.html"] * 4 + ["evil.html"] * 2 + [
        "telecom-complaint.html"]
    words = index.words
    assert "3 menus audited with policy default (fail on: error): 1 pass, 2 fail" in words
    assert ("华远通信客户服务热线 menus/telecom-complaint.yaml default 3 ≈29.5 s ≈57.5 s 2 23 "
            "FAIL" in words)
    city = "云岭市12345政务服务便民热线 menus/city-hotline-12345.yaml"
    assert f"{city} default 1 0.0 s ≈8.5 s 0 0 PASS" in words
    # at night the hotline offers a callback: said so, never a bare "no person" dash
    assert (f"{city} after_hours a callback, no person a callback, no person a callback, no "
            "person 0 0 PASS") in words
    assert "—" not in Page(table).words
    # the facts of the audit: date, tool, files with their SHA-256, the policy's rules
    assert "Audit date" in words and "menus/telecom-complaint.yaml 7759a1f975aa12f9" in words
    assert "IVR003 one-key-human from the first menu" in words
    assert "{severity: error, max_forced_seconds: 10}" in words
    sort_keys = [a.get("data-sort") for a in index.all("td")]
    assert "Infinity" in sort_keys and "29.5" in sort_keys  # numbers sort as numbers
    assert index.scripts == [SORT_SCRIPT]


def test_each_index_row_counts_and_judges_its_own_scenario(monkeypatch):
    # the clinic is fine in opening hours and broken after them (menus/clinic-appointment.yaml):
    # its two errors (no person, no key to one) and three of its warnings (key 0, silence, the
    # retry limit of the night menu, which no daytime call reaches) hold after hours only; four
    # warnings (the file's structure) hold in both
    monkeypatch.chdir(MENUS.parent)
    clinic = "menus/clinic-appointment.yaml"
    page = CliRunner().invoke(main, ["audit", "--format", "html", clinic]).output
    table = Page(page.split('<table class="sortable index">')[1].split("</table>")[0]).words
    assert f"南湖社区卫生服务中心预约电话 {clinic} default 1 0.0 s ≈10.0 s 0 4 PASS" in table
    assert f"{clinic} after_hours no person no person no person 2 7 FAIL" in table
    assert "1 menu audited with policy default (fail on: error): 0 pass, 1 fail" in Page(
        page).words


def test_a_menu_page_shows_metrics_paths_mistypes_findings_graph_and_transcript(menus):
    require("dot")
    report("menus", "-o", "reports")
    text = Path("reports/telecom-complaint.html").read_text(encoding="utf-8")
    page = Page(text)
    words = page.words
    assert [h for h, _ in page.elements if h == "h1"] == ["h1"]
    # the verdict first: why in a sentence, the three numbers, the personas, the top causes
    assert words.index("Summary FAIL under policy default: 2 findings at or above error; above "
                       "all: no key in the first menu 'main' reaches a person") < words.index(
                           "Metrics")
    assert "keys to a person 3 forced seconds (cannot be skipped) ≈29.5 s" in words
    assert "elderly caller 95% reach a person, ≈72.1 s on average" in words
    assert "Top causes error no key in the first menu 'main' reaches a person" in words
    # what the menu does not state, and the field that removes each assumption
    assert ("on_invalid: replay (ivraudit's default; the menu does not set it) package_menu , "
            "other_menu , complaint_menu , old_vip_menu set on_invalid under defaults:" in words)
    assert "Fewest key presses 3 press 4, then 3, then 0" in words
    assert "Forced seconds (a caller who knows the keys) ≈29.5 s press 4, then 3, then 0" in words
    assert "main 0 restart ≈+29.5 s +0 forces a restart" in words  # the mistype table
    assert "error IVR003 one-key-human main default no key in the first menu 'main'" in words
    # one finding per cause, with the nodes it concerns
    assert ("error IVR012 no-disconnect-on-error 5 nodes: main, package_menu, other_menu, "
            "complaint_menu, old_vip_menu default running out of retries ends the call" in words)
    # the rule's documentation and its sources, linked
    assert ("IVR003 one-key-human It checks that from the first menu, one announced key "
            "reaches a person after little forced audio. Severity in policy default: error"
            in words)
    sources = [a["href"] for a in page.all("a") if a.get("class") == "source"]
    assert "https://zxb.ccn.com.cn/html/zxb/20250521/132553.html" in sources
    # the graph inline, named by its caption, with the text version beside it
    (svg,) = page.all("svg")
    (caption,) = [a for tag, a in page.elements if a.get("id") == svg["aria-labelledby"]]
    assert svg["role"] == "img" and "the table “The menu in words”" in page.words
    assert "The menu in words" in words and "key 4 → other_menu" in words
    # the transcript of the quickest call
    assert "0.0 s welcome : the line plays 6.0 s that cannot be interrupted ." in words
    assert "6.0 s promo : the line plays 17.5 s that cannot be interrupted (advertising)" in words
    # menu_changed's 6.0 s is estimated from its text: every time after it too
    assert ("≈29.5 s main : the line starts ≈11.9 s of prompt; the caller presses 4 at once"
            in words)
    assert "≈29.5 s agent : connected to a person (queue 综合客服 ), expected wait 240 s" in words
    assert "In all: 3 key presses and ≈29.5 s of audio that cannot be skipped" in words
    assert page.scripts == []  # a menu page needs no script
    menus_in_zh = [a for _, a in page.elements if a.get("lang") == "zh-CN"]
    assert menus_in_zh  # menu text is marked with the menu's language
    city = Page(Path("reports/city-hotline-12345.html").read_text(encoding="utf-8"))
    head = [h for h in city.words.split(" metric ", 1)[1].split(" A person ")[0].split()]
    assert head == ["default", "elderly", "after_hours", "elderly_after_hours"]
    assert len(city.all("svg")) == 4  # a drawing per scenario


def test_pages_are_self_contained_accessible_and_escaped(menus):
    require("dot")
    report("menus", "-o", "reports")
    for path in sorted(Path("reports").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        page = Page(text)
        assert text.startswith("<!DOCTYPE html>\n<!-- written by ivraudit -->\n<html lang=\"en\">")
        (csp,) = [a for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
        assert "default-src 'none'" in csp["content"] and "unsafe-inline" not in csp["content"]
        # nothing is loaded from anywhere: no src, no stylesheet link, no remote url in CSS
        assert not [a for _, a in page.elements if "src" in a or "srcdoc" in a]
        assert not page.all("link") and not page.all("iframe") and not page.all("img")
        for attrs in page.all("a"):
            if "href" not in attrs:
                continue  # a tooltip in the drawing
            href = attrs["href"]
            assert href.startswith("#") or (Path("reports") / href).is_file() or (
                attrs.get("class") == "source" and href.startswith(("https://", "http://"))), href
        # no event handler from menu text became an attribute
        assert not [k for _, a in page.elements for k in a if k.startswith("on")]
        # headings go down one level at a time
        levels = [int(tag[1]) for tag, _ in page.elements if re.fullmatch(r"h[1-6]", tag)]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
        for attrs in page.all("th"):
            assert attrs.get("scope") in ("col", "row")
        # every drawing is named by an element of the page
        ids = {a["id"] for _, a in page.elements if "id" in a}
        assert all(svg["aria-labelledby"] in ids and svg["role"] == "img"
                   for svg in page.all("svg"))
    evil = Path("reports/evil.html").read_text(encoding="utf-8")
    for raw in ("<script>document", "<img src", "<iframe", "<svg onload", "<b onclick", "<b>"):
        assert raw not in evil, raw
    words = Page(evil).words
    assert f"Evil line <script>{PAYLOAD.format('name')}</script>" in words
    assert f'<script>{PAYLOAD.format("prompt")}</script> Welcome & "hello"' in words
    assert '<img src=x onerror="' in words and '<b onclick="' in words


def test_the_report_is_the_same_bytes_every_time(menus):
    require("dot")
    report("menus", "-o", "first")
    report("menus", "-o", "second")
    first = {p.name: p.read_bytes() for p in Path("first").iterdir()}
    assert first == {p.name: p.read_bytes() for p in Path("second").iterdir()}


def test_exit_codes_follow_audit_and_unreadable_files_are_listed(menus):
    require("dot")
    assert report("menus", "-o", "r1", "--fail-on", "never").exit_code == 0
    warned = report("menus/city-hotline-12345.yaml", "-o", "r2", "--fail-on", "warning")
    assert warned.exit_code == 0
    (menus / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = report("menus", "-o", "r3", "--policy", "strict")
    assert result.exit_code == 2 and "menus/broken.yaml:" in result.output
    index = Page(Path("r3/index.html").read_text(encoding="utf-8")).words
    assert "Files that could not be read" in index and "menus/broken.yaml:" in index
    assert "policy strict" in index
    bad_policy = report("menus", "-o", "r4", "--policy", "nonesuch")
    assert bad_policy.exit_code == 2 and not Path("r4").exists()


def test_the_report_is_written_atomically(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    marker = b"<!-- written by ivraudit -->"
    write_folder(folder, {"index.html": marker + b" one", "a.html": marker + b" a"},
                 marker=marker)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # no temporary left
    (folder / "notes.txt").write_text("mine")
    (folder / "mine.html").write_text("<p>not from ivraudit</p>")
    write_folder(folder, {"index.html": marker + b" two", "b.html": marker + b" b"},
                 marker=marker)
    assert sorted(p.name for p in folder.iterdir()) == ["b.html", "index.html", "mine.html",
                                                      "notes.txt"]  # a.html was ours: gone
    # a failure halfway leaves the old index whole and no temporary behind
    real_replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(Path(target).name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        write_folder(folder, {"index.html": marker + b" three", "c.html": marker + b" c"},
                     marker=marker)
    assert calls == ["c.html", "index.html"]  # the index goes last
    assert (folder / "index.html").read_bytes() == marker + b" two"
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="this is a file, not a folder"):
        write_folder(tmp_path / "file", {"index.html": "x"})


def test_without_dot_the_report_is_written_without_drawings(menus, monkeypatch):
    monkeypatch.setenv("PATH", str(menus))  # no `dot` to be found
    result = report("menus/telecom-complaint.yaml", "-o", "reports")
    assert result.exit_code == 1  # the findings decide, as in `audit`
    assert "warning: cannot draw svg: Graphviz's `dot` program is not installed" in result.output
    assert "apt-get install graphviz fonts-noto-cjk" in result.output
    assert sorted(p.name for p in Path("reports").iterdir()) == ["index.html",
                                                                "telecom-complaint.html"]
    page = Page(Path("reports/telecom-complaint.html").read_text(encoding="utf-8"))
    assert "The graph could not be drawn: cannot draw svg" in page.words
    assert "The menu in words" in page.words and not page.all("svg")


def test_audit_format_html_is_one_page_for_every_menu(menus):
    result = CliRunner().invoke(main, ["audit", "menus", "--format", "html"])
    assert result.exit_code == 1
    page = Page(result.output)
    assert result.output.startswith("<!DOCTYPE html>")
    h2 = [a.get("id") for tag, a in page.elements if tag == "h2"]
    assert h2 == ["menus", "menu-1", "menu-2", "menu-3", "audit", "policy"]
    links = [a["href"] for a in page.all("a") if a["href"].startswith("#menu-")]
    assert list(dict.fromkeys(links))[:3] == ["#menu-1", "#menu-2", "#menu-3"]
    assert not page.all("svg") and "<script>document" not in result.output
    assert page.scripts == [SORT_SCRIPT]
    assert "Menu graphs are drawn by ivraudit report" in page.words


# -- in a real browser ----------------------------------------------------------------------

def _chromium(url: str, *args: str, profiles: Path) -> subprocess.Popen:
    profile = tempfile.mkdtemp(dir=profiles)  # a new empty profile each time
    return subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args, url],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def test_the_report_in_headless_chromium(menus, tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, and CI must run the browser test "
                        "(apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    require("dot")
    report("menus", "-o", "reports")
    folder = Path("reports").resolve()
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    runs = {
        "index": _chromium(folder.joinpath("index.html").as_uri(), "--dump-dom",
                           profiles=profiles),
        "evil": _chromium(folder.joinpath("evil.html").as_uri(), "--dump-dom",
                          profiles=profiles),
        "telecom": _chromium(folder.joinpath("telecom-complaint.html").as_uri(), "--dump-dom",
                             profiles=profiles),
    }
    for name in ("index", "telecom-complaint"):
        runs[f"shot-{name}"] = _chromium(
            folder.joinpath(f"{name}.html").as_uri(), f"--screenshot={shots / name}.png",
            "--window-size=1280,2000", "--hide-scrollbars", profiles=profiles)
    dom = {}
    for name, child in runs.items():
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0, name
        dom[name] = out.decode("utf-8")
    for name in ("index", "evil", "telecom"):
        page = Page(dom[name])
        # no script from menu text ran: it would have marked the document
        assert not [a for _, a in page.elements if "data-pwned" in a], name
        assert "Evil line" not in page.words or "<script>" in page.words
    index = Page(dom["index"])
    # our own sort script did run (the page's policy allows it by hash, and only it)
    assert index.all("table")[0].get("data-sortable") == "ready"
    assert index.all("button")  # the headings became sort buttons
    words = index.words
    assert "Evil line <script>" in words and "华远通信客户服务热线" in words
    assert "29.5 s" in words and "57.5 s" in words
    telecom = Page(dom["telecom"])
    assert len(telecom.all("svg")) == 1 and "FORCED 6.0 s" in telecom.words
    assert "press 4, then 3, then 0" in telecom.words
    evil = Page(dom["evil"])
    assert f"<script>{PAYLOAD.format('prompt')}</script>" in evil.words
    for name in ("index", "telecom-complaint"):
        png = (shots / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
        assert size == (1280, 2000)
    keep = os.environ.get("IVRAUDIT_SCREENSHOTS")
    if keep:  # e.g. a CI artifact folder
        shutil.copytree(shots, keep, dirs_exist_ok=True)
