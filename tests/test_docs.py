"""The README and docs/ as a newcomer meets them: every menu and policy they show can be used
as written, every link goes somewhere, and `./run` sees what is installed."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return ({_slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}
            | set(re.findall(r'<a id="([^"]+)"', text)))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_menu_a_document_shows_loads(doc, tmp_path):
    from ivraudit import load_menu

    for n, block in enumerate(b for b in _blocks(doc, "yaml") if re.search(r"^ivr:", b, re.M)):
        menu = tmp_path / f"shown-{n}.yaml"
        menu.write_text(block, encoding="utf-8")
        load_menu(str(menu))  # raises MenuError, naming line and column, if it cannot


def test_the_readme_policy_file_and_pyproject_settings_are_valid(tmp_path):
    from ivraudit import config
    from ivraudit.audit.policy import load

    readme = ROOT / "README.md"
    policy = next(b for b in _blocks(readme, "yaml") if b.startswith("extends:"))
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    loaded = load(str(tmp_path / "policy.yaml"))
    assert loaded.settings["IVR003"].severity == "warning"
    assert loaded.settings["IVR003"].params["max_forced_seconds"] == 5
    for n, toml in enumerate(_blocks(readme, "toml")):
        folder = tmp_path / f"project-{n}"
        folder.mkdir()
        (folder / "pyproject.toml").write_text(toml, encoding="utf-8")
        assert config.load(folder, formats=("text", "json")).policy == "gethuman"


def test_links_between_documents_resolve():
    broken = []
    for doc in DOCS + [ROOT / "reports" / "README.md"]:
        text = doc.read_text(encoding="utf-8")
        targets = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"`(docs/[\w.-]+\.md#[\w-]+)`",
                                                                     text)
        for target in targets:
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            if path.startswith("docs/") and doc.parent.name == "docs":
                path = path[len("docs/"):]
            linked = (doc.parent / path) if path else doc
            if not linked.exists() or (anchor and linked.suffix == ".md"
                                       and anchor not in _anchors(linked)):
                broken.append(f"{doc.name}: {target}")
    assert broken == []


def test_the_importers_point_at_sections_that_exist():
    cited = set()
    for source in (ROOT / "src" / "ivraudit").rglob("*.py"):
        cited |= set(re.findall(r"docs/(\w+\.md)#([\w-]+)", source.read_text(encoding="utf-8")))
    assert cited
    missing = {f"{doc}#{anchor}" for doc, anchor in cited
               if anchor not in _anchors(ROOT / "docs" / doc)}
    assert missing == set()


def test_run_sees_an_installed_cjk_font_however_long_the_font_list(tmp_path):
    # `fc-list | grep -q` under pipefail: grep stops at the first match, fc-list dies of
    # SIGPIPE and the font counted as missing, so every ./run called apt-get again
    fake = tmp_path / "fc-list"
    fake.write_text("#!/bin/sh\necho '/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC'\n"
                    "yes '/fonts/Other.ttf: Other Sans:style=Regular' | head -n 200000\n")
    fake.chmod(0o755)
    function = re.search(r"^missing_packages\(\) \{.*?^\}", (ROOT / "run").read_text(),
                         re.S | re.M).group(0)
    script = f"set -euo pipefail\n{function}\nmissing_packages fonts-noto-cjk\n"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                          env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
