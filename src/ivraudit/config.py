"""`[tool.ivraudit]` in the nearest pyproject.toml: defaults for the command line's options.

Every key is an option of `audit` (and of `report` and `diff` where they share it); the command
line wins over the file. Paths in it (``paths``, ``output``, a policy file) are relative to the
pyproject.toml's folder::

    [tool.ivraudit]
    policy = "gethuman"            # a built-in policy or a policy file
    paths = ["menus/"]             # what `audit`, `report` and `diff --base` read by default
    format = "text"                # audit's --format
    output = "reports/audit.txt"   # audit's --output
    fail-on = "warning"            # error, warning, info or never
    allow = ["forced_seconds=+2"]  # diff's --allow

Every mistake is a ConfigError naming pyproject.toml's line and the closest valid key.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .errors import ConfigError, MenuError, did_you_mean
from .format.yamlsource import decode
from .util.cached import record
from .util.inputs import kind, read_bytes

FAIL_ON = ("error", "warning", "info", "never")
KEYS = ("policy", "paths", "format", "output", "fail-on", "allow")


@record
class Settings:
    """The options pyproject.toml sets (None or empty where it sets none); paths relative to
    the current folder."""

    policy: str | None = None
    paths: tuple[str, ...] = ()
    format: str | None = None
    output: str | None = None
    fail_on: str | None = None
    allow: tuple[str, ...] = ()


def load(start: Path | None = None, formats: tuple[str, ...] = ()) -> Settings:
    """The settings of the nearest pyproject.toml at or above ``start`` (the current folder).

    ``formats``: the formats `format` may name. Raises ConfigError.
    """
    start = Path.cwd() if start is None else start
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if kind(candidate) == "file":
            return _read(candidate, formats)
    return Settings()


def _toml(path: Path) -> tuple[str, dict]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        text = decode(read_bytes(path), str(path))  # TOML is UTF-8: a bad byte is located
        return text, tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(str(path), 1, 1, f"cannot read pyproject.toml: {exc.strerror or exc}"
                          ) from None
    except MenuError as exc:
        raise ConfigError(exc.path, exc.line, exc.column, exc.message, exc.hint) from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(at.group(1)), int(at.group(2))) if at else (1, 1)
        raise ConfigError(str(path), line, column, f"pyproject.toml is not valid TOML: {exc}",
                          "fix the TOML syntax") from None


def _read(path: Path, formats: tuple[str, ...]) -> Settings:
    text, config = _toml(path)
    tool = config.get("tool", {})
    section = tool.get("ivraudit", {}) if isinstance(tool, dict) else None
    if not isinstance(section, dict):
        name = "tool" if not isinstance(tool, dict) else "ivraudit"
        found = re.search(rf"^[ \t]*(?:tool\.)?{name}[ \t]*=", text, re.MULTILINE)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        raise ConfigError(str(path), line, 1, f"`{name}` in pyproject.toml must be a table",
                          'write [tool.ivraudit] and, under it, policy = "gethuman"')
    folder = path.parent

    header = re.search(r"^[ \t]*\[tool\.ivraudit\]", text, re.MULTILINE)
    section_start = header.start() if header else 0

    def error(key: str, message: str, hint: str = "") -> ConfigError:
        """A ConfigError at the line of ``key`` in the section (its first line if not found)."""
        pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
        found = pattern.search(text, section_start)
        line = text.count("\n", 0, found.start() if found else section_start) + 1
        return ConfigError(str(path), line, 1, message, hint)

    def relative(value: str) -> str:
        return _relative(folder / value)

    def strings(key: str) -> tuple[str, ...]:
        value = section[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise error(key, f"`{key}` must be a string or a list of strings")
        return tuple(value)

    def choice(key: str, choices: tuple[str, ...]) -> str:
        value = section[key]
        if value not in choices:
            raise error(key, f"`{key}` is '{value}', which is not one of: {', '.join(choices)}"
                        + did_you_mean(value, choices))
        return value

    for key in section:
        if key not in KEYS:
            raise error(key, f"unknown key '{key}' in [tool.ivraudit]" + did_you_mean(key, KEYS),
                        "keys: " + ", ".join(KEYS))
    settings = {}
    if "policy" in section:
        settings["policy"] = _policy(section["policy"], folder, error)
    if "paths" in section:
        settings["paths"] = tuple(relative(p) for p in strings("paths"))
    if "format" in section and formats:
        settings["format"] = choice("format", formats)
    if "output" in section:
        settings["output"] = relative(strings("output")[0])
    if "fail-on" in section:
        settings["fail_on"] = choice("fail-on", FAIL_ON)
    if "allow" in section:
        from .diff.allow import names_hint, parse_allowance

        for entry in strings("allow"):
            try:
                parse_allowance(entry)
            except ValueError as exc:
                raise error("allow", str(exc), names_hint()) from None
        settings["allow"] = strings("allow")
    return Settings(**settings)


def _policy(chosen, folder: Path, error) -> str:
    from .audit.policy import BUILTIN

    if not isinstance(chosen, str):
        raise error("policy", "`policy` must be a string: a built-in policy or a policy file")
    if chosen in BUILTIN:
        return chosen
    if kind(folder / chosen) != "file":
        raise error("policy", f"no policy named '{chosen}'" + did_you_mean(chosen, BUILTIN),
                    "built-in policies: " + ", ".join(BUILTIN) + "; or a policy file")
    return _relative(folder / chosen)


def _relative(path: Path) -> str:
    """A path as seen from the current folder (absolute when on another drive)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover (Windows, another drive)
        return str(path.absolute())
