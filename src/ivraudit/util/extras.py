"""Optional parts of ivraudit and the packages they need (pyproject.toml's extras).

`pip install ivraudit` brings what `audit`, `report`, `render`, `diff` and `import` need; the
statistics of many callers (`simulate`: numpy, scipy) and the live preview (`serve`, `render
--watch`: starlette, uvicorn, sse-starlette, watchfiles) are extras, so that an audit in CI
installs light. A command that needs an extra that is missing says how to install it (exit 2).
"""

from __future__ import annotations

from importlib.util import find_spec

from ..errors import IvrauditError

_WHAT = {"simulate": "the statistics of many callers (simulate --persona)",
         "serve": "the live preview (serve) and render --watch"}


def require(extra: str, *modules: str) -> None:
    """Raise IvrauditError (no file position) unless every module of ``extra`` is installed."""
    missing = [name for name in modules if not _installed(name)]
    if missing:
        raise IvrauditError.without_position(
            f"{_WHAT.get(extra, extra)} need "  # both subjects are plural
            f"{', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed",
            f"install the extra: pip install 'ivraudit[{extra}]'")


def _installed(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked package counts as missing
        return False
