"""What an importer had to assume reads in the report's language: with `--lang zh-CN` no IVR038
finding and no line of a menu's "assumed" list holds an English sentence (values from the
platform file, such as ids, URLs and prompt text, stay as written); in English the words are
what they always were, and `ivraudit import` keeps writing them in English."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from importers.corpus import CORPUS, corpus
from ivraudit.cli import main
from ivraudit.i18n import ENGLISH, Joined, Message, Translator
from ivraudit.importers import load_sources

ZH = Translator("zh-CN")

# one flow of each platform, among those that assume the most
FLOWS = {
    "amazon-connect": "amazon-connect/rules-engine-customer-queue.json",
    "twilio-studio": "twilio-studio/ca-regulatory-voicemail-ivr.json",
    "genesys-archy": "genesys-archy/inboundcall-substitutions.yaml",
    "voicexml": "voicexml/jvxml-mobicents-vb-sms-talk.vxml",
    "freeswitch": "freeswitch/vanilla-new_demo_ivr.xml",
    "asterisk": "asterisk/samples-extensions-1.4.0.conf",
    "vonage-ncco": "vonage-ncco/sdk-create-call-with-ncco.json",
}

# four ASCII words in a row ("the call is taken"): an English sentence left in
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'-]*(?:[ ,;]+[A-Za-z][A-Za-z'-]*){3,}")
_CODE = re.compile(r"`[^`]*`|https?://\S+")


def values(message) -> list[str]:
    """The texts a message inserts as written (ids, numbers, file names, platform text)."""
    found = []
    for _, param in message.params:
        if isinstance(param, Message):
            found += values(param)
        elif isinstance(param, Joined):
            for item in param.items:
                found += values(item) if isinstance(item, Message) else [ENGLISH.render(item)]
        elif param is not None:
            found.append(ENGLISH.render(param))
    return found


def english_left(text: str, inserted: list[str]) -> list[str]:
    """Runs of English words in ``text`` once the inserted values and code spans are out."""
    for value in sorted(set(inserted), key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    return _ENGLISH_RUN.findall(_CODE.sub(" ", text))


def assumptions(relative: str):
    menus = [m for m in load_sources([corpus(relative)]) if not isinstance(m, Exception)]
    assert menus, relative
    return [a for menu in menus for a in menu.assumptions]


def every_corpus_flow() -> list[str]:
    if not CORPUS.exists():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*")
                  if p.parent.name != "LICENSES" and p.suffix != ".md")


@pytest.mark.parametrize("relative", every_corpus_flow() or [FLOWS["amazon-connect"]])
def test_every_assumption_of_the_corpus_reads_in_chinese(relative):
    for assumption in assumptions(relative):
        assert isinstance(assumption.message, Message), assumption
        chinese = ZH.render(assumption.message)
        assert chinese != str(assumption.message)
        inserted = values(assumption.message)
        assert english_left(chinese, inserted) == [], (chinese, str(assumption.message))
        source = ZH.render(assumption.source)
        assert english_left(source, []) == [], source


def plain(markdown: str) -> str:
    """Markdown's text without its escapes (``\\_``, ``&lt;``, the zero-width space)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown)).replace("\u200b", "")


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["audit", "--fail-on", "never", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("platform", sorted(FLOWS))
def test_chinese_reports_show_each_assumption_in_chinese(platform):
    relative = FLOWS[platform]
    found = assumptions(relative)
    assert found, f"{relative} assumes nothing: pick a flow that does"
    text = run("--lang", "zh-CN", corpus(relative))
    markdown = plain(run("--lang", "zh-CN", "--format", "markdown", corpus(relative)))
    page = html.unescape(re.sub(r"<[^>]*>", "", run("--lang", "zh-CN", "--format", "html",
                                                   corpus(relative))))
    assert "IVR038" in text
    for assumption in found:
        chinese, english = ZH.render(assumption.message), str(assumption.message)
        # the finding's message and the assumed list, in each report a reader reads
        assert text.count(chinese) >= 2, chinese
        words = chinese.replace("`", "")  # code spans are marked up in Markdown and HTML
        assert words in markdown.replace("`", "") and words in page, chinese
        assert english not in text and english not in page, english
    for line in text.splitlines():
        if "IVR038" in line:
            inserted = [v for a in found for v in values(a.message)] + [
                str(a.source) for a in found]
            left = english_left(line.rsplit("(IVR038", 1)[0], inserted)
            assert left == [], line


@pytest.mark.parametrize("platform", ["amazon-connect", "asterisk"])
def test_english_reports_and_imports_keep_the_english_words(platform, tmp_path):
    relative = FLOWS[platform]
    found = assumptions(relative)
    text = run("--lang", "en", corpus(relative))
    for assumption in found:
        assert ENGLISH.render(assumption.message) in text
    as_json = run("--lang", "zh-CN", "--format", "json", corpus(relative))
    assert all(str(a.message).replace('"', '\\"') in as_json for a in found)
    result = CliRunner().invoke(main, ["import", corpus(relative), "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.yaml")))
    assert "assumptions:" in written
    assert not re.search(r"[\u4e00-\u9fff]", written)
