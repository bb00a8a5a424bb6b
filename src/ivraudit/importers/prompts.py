"""How long a platform's recorded prompts play (SPEC section 10).

A prompt given as text is estimated like any `say` (SPEC section 2). A recording is measured
when its file can be found beside the input (the importer then writes it as `audio:` and the
loader measures it), else its length comes from ``--prompts FILE``: a YAML mapping from a
prompt's name, id or URL to seconds or to a WAV file (relative to the prompts file)::

    welcome.wav: 12.5
    arn:aws:connect:...:prompt/1234: 4
    https://example.org/greeting.wav: prompts/greeting.wav

else from the platform's documented default, listed as an assumption.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from ..errors import MenuError
from ..format.durations import exact, wav_seconds
from ..format.yamlsource import PosDict, decode, parse
from ..util.inputs import kind, read_bytes

# A recording or run-time prompt whose length nothing gives (not beside the input, not in
# --prompts): no platform documents a length, so it counts as silent and the import lists it
# as an assumption; every number then comes from the files (docs/importers.md).
UNKNOWN_PROMPT_SECONDS = 0


class PromptLengths:
    """Prompt name, id or URL -> seconds (exact), from a ``--prompts`` file."""

    def __init__(self, seconds: dict[str, Fraction] | None = None, path: str = "") -> None:
        self.seconds = seconds or {}
        self.path = path

    @classmethod
    def read(cls, path: str | None) -> PromptLengths:
        """Read a prompts file; None gives an empty table. Raises MenuError at the place of a
        mistake."""
        if path is None:
            return cls()
        try:
            text = decode(read_bytes(path, regular_only=False), path)
        except OSError as exc:
            raise MenuError(path, 1, 1, f"cannot read the prompts file: {exc.strerror or exc}",
                            "check the path given to --prompts") from None
        document = parse(text, path)
        if not isinstance(document, PosDict):
            raise MenuError(path, 1, 1, "a prompts file must map prompt names to seconds",
                            "write lines like `welcome.wav: 12.5`")
        seconds = {}
        for name, value in document.items():
            line, column = document.value_pos[name]
            seconds[str(name)] = cls._length(value, Path(path).parent, path, line, column)
        return cls(seconds, path)

    @staticmethod
    def _length(value, folder: Path, path: str, line: int, column: int) -> Fraction:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value >= 0 and math.isfinite(value):
                return exact(value)
        elif isinstance(value, str):
            try:
                return wav_seconds(folder / value)
            except Exception as exc:  # a WAV that cannot be measured: say which and why
                raise MenuError(path, line, column, f"cannot measure '{value}' ({exc})",
                                "give the prompt's length in seconds, or a WAV file") from None
        raise MenuError(path, line, column, f"{value!r} is not a length",
                        "give seconds (e.g. 12.5) or the path of a WAV file")

    def lookup(self, *names: str | None) -> Fraction | None:
        """The length of the first of ``names`` (name, id, URL; also tried without its folder
        or URL path) that the table knows."""
        for name in names:
            if not name:
                continue
            for candidate in (name, name.rsplit("/", 1)[-1]):
                if candidate in self.seconds:
                    return self.seconds[candidate]
        return None


def recording_beside(input_folder: Path, reference: str) -> str | None:
    """A recording named by a platform file, if its WAV file is there beside the input
    (relative to it, or by its last path part): the path to write as `audio:`."""
    if not reference or "://" in reference and not reference.startswith("file://"):
        name = reference.rsplit("/", 1)[-1] if reference else ""
        candidates = [name] if name else []
    else:
        plain = reference.removeprefix("file://")
        candidates = [plain, plain.rsplit("/", 1)[-1]]
    for candidate in candidates:
        if candidate.lower().endswith(".wav") and not Path(candidate).is_absolute() \
                and kind(input_folder / candidate) == "file":
            return candidate
    return None
