"""The one error hierarchy: every error the user sees carries a source position."""

from __future__ import annotations

from difflib import get_close_matches

from .util.safe_text import terminal


class IvrauditError(Exception):
    """An error in a user's input, reported as ``FILE:LINE:COL: error: MESSAGE``.

    ``hint`` tells the user what to do about it.
    """

    def __init__(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint

    def format(self) -> str:
        """Render the error for a terminal: the located message, then the hint; each one line
        whatever the file holds (util.safe_text.terminal)."""
        text = terminal(f"{self.path}:{self.line}:{self.column}: error: {self.message}")
        if self.hint:
            text += "\n  hint: " + terminal(self.hint)
        return text


def did_you_mean(word: object, choices, cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for the choice nearest ``word``, or '' when none is near.

    >>> did_you_mean("agnet", ["agent", "main"])
    " (did you mean 'agent'?)"
    """
    match = get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f" (did you mean '{match[0]}'?)" if match else ""


class MenuError(IvrauditError):
    """A menu file that cannot be read or is not a valid menu."""


class PolicyError(IvrauditError):
    """A policy file or option that is not valid."""
