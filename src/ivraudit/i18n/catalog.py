"""Keeping the translations in step with the code (Babel; ``pip install -e '.[test]'``)::

    python -m ivraudit.i18n.catalog           # extract, update every .po, compile its .mo
    python -m ivraudit.i18n.catalog --check   # exit 1 if a .po or .mo is behind the code

What is extracted: every string marked ``N_`` or ``Np_`` in the package's Python source
(Babel's Python extractor, keywords ``N_`` and ``Np_:1,2``), and the rules' own words, kept in
their declarations: each rule's summary, parameter help, source titles and rationale paragraphs
(rules.docs.paragraphs). Updating adds new message ids (untranslated) and drops the ones the code
no longer has; a translator then fills in ``msgstr`` and runs it again to compile. The .po files
carry no source locations (they would change with every edit), and the compiled .mo files are in
the package, so reading a report needs only the standard library's gettext.

Only maintainers and the tests (tests/test_i18n.py) import this module.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from . import _CATALOG_NAMES, DOMAIN

PACKAGE = Path(__file__).resolve().parent.parent  # src/ivraudit
HERE = Path(__file__).resolve().parent
KEYWORDS = {"N_": None, "Np_": (1, 2)}
_FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)  # header dates: no churn between runs


def rule_texts():
    """(message id, where) for the words of every rule: summary, parameter help, source
    titles, rationale paragraphs."""
    from .. import rules
    from ..rules.docs import paragraphs

    for rule in rules.RULES:
        yield rule.summary, f"{rule.id} summary"
        for name, text in rule.param_help.items():
            yield text, f"{rule.id} parameter {name}"
        for source in rule.sources:
            yield source.title, f"{rule.id} source"
        for n, paragraph in enumerate(paragraphs(rule), 1):
            yield paragraph, f"{rule.id} rationale {n}"


def extract() -> Catalog:
    """Every message id of the code, as a template catalog."""
    template = Catalog(domain=DOMAIN, project="ivraudit", creation_date=_FIXED,
                       charset="utf-8", fuzzy=False)
    for _file, _line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS):
        if message and (isinstance(message, str) or all(message)):
            template.add(message)
    for text, where in rule_texts():
        if text and text not in template:
            template.add(text, auto_comments=[where])
    return template


def po_path(name: str) -> Path:
    return HERE / name / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(name: str) -> Catalog:
    with po_path(name).open("rb") as file:
        return read_po(file, locale=name, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    """The .po text, without the Babel version (so that upgrading Babel changes nothing)."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True)
    return b"".join(line for line in out.getvalue().splitlines(keepends=True)
                    if not line.startswith(b'"Generated-By: '))


def untranslated(catalog: Catalog) -> list:
    """The ids of the catalog (header aside) without a translation in every form."""
    return [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, (tuple, list)) else m.string)]


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(name: str, template: Catalog) -> Catalog:
    """The language's catalog with the template's ids: new ones empty, gone ones dropped."""
    path = po_path(name)
    if path.exists():
        catalog = read(name)
    else:
        catalog = Catalog(locale=name, domain=DOMAIN, project="ivraudit",
                          copyright_holder="the ivraudit authors", creation_date=_FIXED,
                          revision_date=_FIXED, fuzzy=False, language_team=name,
                          last_translator="the ivraudit authors")
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.revision_date = _FIXED
    return catalog


def main(argv: list[str]) -> int:
    template = extract()
    stale = []
    for name in _CATALOG_NAMES.values():
        catalog = updated(name, template)
        po, mo = po_bytes(catalog), mo_bytes(catalog)
        mo_path = po_path(name).with_suffix(".mo")
        old_po = po_path(name).read_bytes() if po_path(name).exists() else b""
        old_mo = mo_path.read_bytes() if mo_path.exists() else b""
        missing = untranslated(catalog)
        if "--check" in argv:
            if po != old_po or mo != old_mo or missing:
                stale.append(f"{name}: {len(missing)} untranslated"
                             + (", .po behind the code" if po != old_po else "")
                             + (", .mo behind the .po" if mo != old_mo else ""))
            continue
        po_path(name).parent.mkdir(parents=True, exist_ok=True)
        po_path(name).write_bytes(po)
        mo_path.write_bytes(mo)
        print(f"{po_path(name)}: {len(catalog)} messages, {len(missing)} untranslated")
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
