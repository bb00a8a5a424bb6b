"""Reports in the reader's language: the zh_CN catalog is complete and in step with the code,
every example menu renders in Chinese with no English sentence of the catalog left, the
language follows --lang and the locale, and Chinese lines never start with "，" or "。"."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from helpers import MENUS
from ivraudit.audit import policy as policies
from ivraudit.audit.auditor import audit_paths
from ivraudit.cli import main
from ivraudit.i18n import LANGUAGES, Translator, language_from_environment
from ivraudit.render.dottext import wrap
from ivraudit.reporters import render
from ivraudit.reporters.html import pages

catalog = pytest.importorskip("ivraudit.i18n.catalog")  # needs Babel (the test extra)

EXAMPLES = sorted(MENUS.glob("*.yaml"))


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_catalog_holds_exactly_what_the_code_marks_and_translates_all_of_it():
    extracted = {m.id if isinstance(m.id, str) else tuple(m.id)
                 for m in catalog.extract() if m.id}
    translated = catalog.read("zh_CN")
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in translated if m.id}
    assert extracted == ids, "run: python -m ivraudit.i18n.catalog"
    assert catalog.untranslated(translated) == []
    for message in translated:
        if not message.id:
            continue
        singular = message.id if isinstance(message.id, str) else message.id[0]
        for text in ([message.string] if isinstance(message.string, str) else message.string):
            # the same {fields} (a plural's {n} may be left out), no fuzzy guess
            assert fields(text) - {"n"} == fields(singular) - {"n"}, (message.id, text)
        assert not message.fuzzy, message.id


def test_the_compiled_catalog_in_the_package_is_the_po_compiled():
    translated = catalog.read("zh_CN")
    mo = catalog.po_path("zh_CN").with_suffix(".mo").read_bytes()
    assert mo == catalog.mo_bytes(translated), "run: python -m ivraudit.i18n.catalog"
    assert catalog.main(["--check"]) == 0


def test_a_mark_the_catalog_cannot_read_is_an_error(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from x import N_\nWORD = N_(some_variable)\n", encoding="utf-8")
    with pytest.raises(ValueError, match="N_\\(\\) needs 1 string literal"):
        catalog.marked(bad)
    inside = tmp_path / "fstring.py"
    inside.write_text('x = f"{tr(N_(\'seen inside an f-string\'))}"\n', encoding="utf-8")
    assert catalog.marked(inside) == ["seen inside an f-string"]


class Words(HTMLParser):
    """An HTML page's own words: menu text (marked with the menu's language, or quoted from
    it in <code>, <blockquote> and the drawings) left out."""

    SKIP = ("code", "blockquote", "svg", "style", "script", "title")

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "meta", "img", "hr", "link"):
            return
        skip = tag in self.SKIP or (dict(attrs).get("lang") not in (None, "zh-CN"))
        self.depth.append(tag if skip else "")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth.pop()

    def handle_data(self, data):
        if not any(self.depth):
            self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def english_sentences() -> list[str]:
    """The catalog's English that would show if a string were left untranslated: each piece of
    a message id between its {fields}, of three words or more."""
    pieces = set()
    for message in catalog.read("zh_CN"):
        if not message.id:
            continue
        for text in ([message.id] if isinstance(message.id, str) else message.id):
            for literal, *_ in string.Formatter().parse(text):
                words = re.findall(r"[A-Za-z][A-Za-z'-]+", literal)
                if len(words) >= 3 and literal.isascii():
                    pieces.add(" ".join(literal.split()).strip(" ,;:.()"))
    return sorted(pieces)


def leftovers(text: str) -> list[str]:
    return [piece for piece in english_sentences() if piece and piece in text]


@pytest.fixture(scope="module")
def chinese_run():
    return audit_paths([str(p) for p in EXAMPLES], policies.load("cn-elderly"),
                       today="2026-05-01")


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "junit", "html"])
def test_every_example_menu_renders_in_chinese_with_no_english_left(chinese_run, fmt):
    out = render(chinese_run, fmt, lang="zh-CN")
    if fmt == "html":
        out = Words(out).words
    # menu text in the output (English menus' names and prompts) is not ours to translate
    for result in chinese_run.results:
        for value in (result.menu.ivr, result.menu.owner or ""):
            out = out.replace(value, "")
    assert not leftovers(out)
    assert {"text": "结论：", "markdown": "不通过（策略 cn-elderly）", "github": "只等待来电者",
            "junit": "只等待来电者", "html": "关于本次审计"}[fmt] in out


def test_every_page_of_the_chinese_report_has_no_english_left(chinese_run):
    files = pages(chinese_run, lang="zh-CN", compare=True, printable=True)
    for name, content in files.items():
        if not name.endswith(".html"):
            continue
        words = Words(content).words
        for result in chinese_run.results:  # names of English menus, in link text
            words = words.replace(result.menu.ivr, "")
        assert not leftovers(words), name
        assert 'lang="zh-CN"' in content.split("<head>")[0]
    assert "不通过" in Words(files["index.html"]).words


def test_the_same_report_in_english_has_the_english_words():
    run = audit_paths([str(MENUS / "telecom-complaint.yaml")], today="2026-05-01")
    text = render(run, "text", lang="en")
    assert "verdict: FAIL under policy default" in text and "结论" not in text
    chinese = render(run, "text", lang="zh-CN")
    assert "结论：不通过（策略 default）" in chinese
    assert "按 4，然后 3，然后 0" in chinese  # keys_text in Chinese
    assert "≈29.5 秒" in chinese  # seconds with their unit, estimated ones marked


def test_the_language_comes_from_lang_else_the_locale(monkeypatch):
    menu = str(MENUS / "good-practice.yaml")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "结论：" in CliRunner().invoke(main, ["audit", menu]).output
    assert "verdict:" in CliRunner().invoke(main, ["audit", "--lang", "en", menu]).output
    monkeypatch.setenv("LC_ALL", "C")  # LC_ALL wins over LANG, as gettext reads them
    assert "verdict:" in CliRunner().invoke(main, ["audit", menu]).output
    bad = CliRunner().invoke(main, ["audit", "--lang", "fr", menu])
    assert bad.exit_code == 2 and "'fr' is not one of 'en', 'zh-CN'" in bad.output
    assert language_from_environment({"LC_MESSAGES": "zh_TW"}) == "zh-CN"
    assert LANGUAGES == ("en", "zh-CN")


def test_an_unknown_language_is_refused_by_the_library():
    with pytest.raises(ValueError, match="unknown language"):
        Translator("fr")


@pytest.mark.parametrize("text", [
    "您好，欢迎致电华远通信客户服务热线，我们将竭诚为您服务。",
    "为了更好地为您服务，我们的菜单已经更新，请您仔细收听。",
    "对不起，您的输入有误。",
])
@pytest.mark.parametrize("columns", [4, 6, 8, 10, 14, 20])
def test_chinese_lines_in_drawings_never_start_with_a_comma_or_full_stop(text, columns):
    lines = wrap(text, columns, 20)
    assert "".join(lines) == text  # nothing lost or cut
    assert not [line for line in lines if line[:1] in "，。、；：？！）"], lines
    # a line goes past its width only by the punctuation that hangs at its end
    for line in lines:
        width = sum(2 if "\u4e00" <= c <= "\u9fff" or c in "，。、；：？！）" else 1 for c in line)
        assert width <= columns or line[-1] in "，。、；：？！）"


def test_chinese_menu_text_in_a_drawing_is_wrapped_by_those_rules(chinese_run):
    from ivraudit.render.drawing import menu_dot

    telecom = next(r for r in chinese_run.results if r.menu.path.endswith("telecom-complaint.yaml"))
    dot = menu_dot(telecom, lang="zh-CN")
    lines = re.findall(r'COLOR="#222222">([^<]+)</FONT>', dot)  # prompt lines of the labels
    assert lines and not [line for line in lines if line[:1] in "，。"]
    assert "图例" in dot and "强制" in dot  # the drawing's own words in Chinese
