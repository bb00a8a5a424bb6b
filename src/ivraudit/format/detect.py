"""Is this file a menu? Recognised by its content, so that other YAML files (a GitHub workflow,
a pre-commit configuration, a policy file) in the same folder are left alone.

A menu file has a top-level `ivr:` or `nodes:` key: at the start of a line (block style), or
anywhere in a document written as one flow mapping (``{ivr: ..., nodes: ...}``). The check reads
text only, never parses, so a menu with a YAML mistake is still recognised (and its mistake
reported), and a workflow whose `on:` key YAML reads as a boolean is still skipped. Importers of
platform files (SPEC section 10) add their formats here.
"""

from __future__ import annotations

import re
from pathlib import Path

MENU_SUFFIXES = (".yaml", ".yml")
_BLOCK_KEY = re.compile(r"""^["']?(?:ivr|nodes)["']?[ \t]*:""", re.MULTILINE)
_FLOW_KEY = re.compile(r"""[{,\s]["']?(?:ivr|nodes)["']?[ \t]*:""")
_LEADING = re.compile(r"\A(?:\ufeff)?(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*(?:---[^\n]*\n\s*)?")


def is_menu_text(text: str) -> bool:
    """Whether YAML ``text`` is a menu (has a top-level `ivr` or `nodes` key).

    >>> is_menu_text("# a line\\nivr: Bank\\nformat: 1\\n")
    True
    >>> is_menu_text("name: CI\\non: [push]\\njobs: {}\\n")
    False
    >>> is_menu_text('{"ivr": "Bank", "nodes": {}}')
    True
    """
    if _BLOCK_KEY.search(text):
        return True
    body = text[_LEADING.match(text).end():]
    return body.startswith("{") and bool(_FLOW_KEY.search(body))


def is_menu_file(path: str | Path) -> bool:
    """Whether ``path`` names a menu: a .yaml or .yml file whose content is one. A file that
    cannot be read is taken for a menu, so that the audit reports why it cannot be read."""
    path = Path(path)
    if path.suffix.lower() not in MENU_SUFFIXES:
        return False
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return True
    return is_menu_text(text)
