"""Errors of the simulator: bad command-line input and bad persona files.

Both are ``IvrauditError``s, so the CLI prints them and exits 2. A command-line problem has no
file position and prints as ``error: MESSAGE``; a persona file names its file, line and column.
"""

from __future__ import annotations

from ..errors import IvrauditError


class SimulateError(IvrauditError):
    """A command-line problem (bad --keys, unknown persona or scenario): ``error: MESSAGE``."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(None, 0, 0, message, hint)


class PersonaError(IvrauditError):
    """A persona file that cannot be read or is not a valid persona."""
