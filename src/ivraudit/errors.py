"""The one error hierarchy: every error the user sees carries a source position."""

from __future__ import annotations

from .util.safe_text import terminal


class IvrauditError(Exception):
    """An error in a user's input, reported as ``FILE:LINE:COL: error: MESSAGE``.

    ``hint`` tells the user what to do about it. An error in something typed on the command line
    (a policy name, a git revision) has no file: ``path`` is None and it prints as
    ``error: MESSAGE`` (see ``without_position``).
    """

    def __init__(self, path: str | None, line: int, column: int, message: str,
                 hint: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint

    def __reduce__(self):
        """Pickled by its fields (the audit's worker processes send errors back), rebuilt by
        the base class whatever a subclass's own constructor takes."""
        return _rebuild, (type(self), self.path, self.line, self.column, self.message, self.hint)

    @classmethod
    def without_position(cls, message: str, hint: str = ""):
        """An error in a command-line value rather than in a file.

        >>> PolicyError.without_position("no policy named 'x'", "use default").format()
        "error: no policy named 'x'\\n  hint: use default"
        """
        return cls(None, 0, 0, message, hint)

    def format(self) -> str:
        """Render the error for a terminal: the located message, then the hint; each one line
        whatever the file holds (util.safe_text.terminal)."""
        where = f"{self.path}:{self.line}:{self.column}: " if self.path is not None else ""
        text = terminal(f"{where}error: {self.message}")
        if self.hint:
            text += "\n  hint: " + terminal(self.hint)
        return text


def _rebuild(kind: type, path, line: int, column: int, message: str, hint: str):
    error = IvrauditError.__new__(kind)
    IvrauditError.__init__(error, path, line, column, message, hint)
    return error


def did_you_mean(word: object, choices, cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for the choice nearest ``word``, or '' when none is near.

    >>> did_you_mean("agnet", ["agent", "main"])
    " (did you mean 'agent'?)"
    """
    from difflib import get_close_matches  # loaded only to explain a mistake

    match = get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f" (did you mean '{match[0]}'?)" if match else ""


class MenuError(IvrauditError):
    """A menu file that cannot be read or is not a valid menu."""


class PolicyError(IvrauditError):
    """A policy file or option that is not valid."""


class ConfigError(IvrauditError):
    """A `[tool.ivraudit]` setting in pyproject.toml that is not valid."""
