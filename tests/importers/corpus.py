"""Where the real platform files are: ../shared/corpus beside the repository (as tests/helpers
says), or the folder named by IVRAUDIT_SHARED. Missing in CI is a failure, elsewhere a skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import SHARED

CORPUS = Path(os.environ.get("IVRAUDIT_SHARED", SHARED)) / "corpus"


def corpus(relative: str) -> str:
    path = CORPUS / relative
    if not path.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"the corpus file {path} is missing")
        pytest.skip(f"the corpus is not beside the repository ({CORPUS})")
    return str(path)


def corpus_files(folder: str) -> list[str]:
    """The corpus files of one platform folder (an empty list when the corpus is absent)."""
    found = CORPUS / folder
    return sorted(str(p.relative_to(CORPUS)) for p in found.iterdir()) if found.exists() else []
