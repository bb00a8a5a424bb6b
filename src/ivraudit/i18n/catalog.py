"""Keeping the translations in step with the code (Babel; ``pip install -e '.[test]'``)::

    python -m ivraudit.i18n.catalog           # extract, update every .po, compile its .mo
    python -m ivraudit.i18n.catalog --check   # exit 1 if a .po or .mo is behind the code

What is extracted: every string marked ``N_`` or ``Np_`` in the package's Python source (read
with ``ast``, which sees calls inside f-strings too, where Babel's own Python extractor does not
look before Python 3.12), and the rules' own words, kept in
their declarations: each rule's summary, parameter help, source titles and rationale paragraphs
(rules.docs.paragraphs), and the built-in policies' descriptions. Updating adds new message ids
(untranslated) and drops the ones the code no longer has; a translator then fills in ``msgstr`` and runs it again to compile. The .po files
carry no source locations (they would change with every edit), and the compiled .mo files are in
the package, so reading a report needs only the standard library's gettext.

Only maintainers and the tests (tests/test_i18n.py) import this module.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

import ast

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from . import _CATALOG_NAMES, DOMAIN

PACKAGE = Path(__file__).resolve().parent.parent  # src/ivraudit
HERE = Path(__file__).resolve().parent
MARKERS = {"N_": 1, "Np_": 2}  # the marking functions and how many strings each takes
_FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)  # header dates: no churn between runs


def rule_texts():
    """(message id, where) for the words of every rule (summary, parameter help, source
    titles, rationale paragraphs) and the built-in policies' descriptions."""
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
    from ..audit.policy import BUILTIN, load

    for name in BUILTIN:
        yield load(name).description, f"policy {name}"


def marked(path: Path) -> list:
    """The message ids marked in one source file: a string for ``N_``, a (singular, plural)
    pair for ``Np_``. Raises ValueError for a marker whose arguments are not string literals
    (it could not be translated)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS):
            continue
        args = node.args
        if len(args) != MARKERS[node.func.id] or not all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            raise ValueError(f"{path}:{node.lineno}: {node.func.id}() needs "
                             f"{MARKERS[node.func.id]} string literal(s)")
        values = tuple(a.value for a in args)
        found.append(values[0] if len(values) == 1 else values)
    return found


def extract() -> Catalog:
    """Every message id of the code, as a template catalog."""
    template = Catalog(domain=DOMAIN, project="ivraudit", creation_date=_FIXED,
                       charset="utf-8", fuzzy=False)
    for path in sorted(PACKAGE.rglob("*.py")):
        for message in marked(path):
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
