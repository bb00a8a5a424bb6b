"""Menus written in a platform's format: ``ivraudit export MENU --to FORMAT``.

An exporter is a module with ``NAME`` (the --to value), ``SUFFIX`` (the file ending) and
``export(menu, file_name) -> str``. What it writes re-imports (importers/) to the same metrics.
"""

from __future__ import annotations

from . import vxml

EXPORTERS = {module.NAME: module for module in (vxml,)}
