"""Platform files the importer tests write: one ``write`` and one ``audited`` for them."""

from __future__ import annotations

import textwrap

from ivraudit.audit.auditor import audit_paths


def write(folder, name: str, text: str) -> str:
    """``text`` (dedented) as file ``name`` in ``folder``; its path."""
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def audited(path: str):
    """The one menu audited from ``path`` (a platform file), read without error."""
    run = audit_paths([path], today="2026-01-01")
    assert not run.errors, [e.format() for e in run.errors]
    (result,) = run.results
    return result
