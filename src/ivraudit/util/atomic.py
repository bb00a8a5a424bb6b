"""Writing files and report folders so that no reader ever sees half of one.

A file is written to a temporary file beside it and moved over the old one with ``os.replace``
(atomic on POSIX and Windows). A new folder is built whole under a temporary name and renamed
into place; an existing folder gets each file replaced that way, the index last, so that it
never links to a page not yet written. Files a previous report wrote and this one does not
(they carry ``marker`` near their start) are removed; nothing else in the folder is touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import IvrauditError


class OutputError(IvrauditError):
    """A report or drawing that cannot be written where the user asked."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _fail(path: Path, error: OSError, what: str) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError(str(path), 1, 1, f"cannot write {what}: {reason}",
                       "check that the folder exists and that you may write there")


def write_file(path: str | os.PathLike, data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically (readers see the old file or the new one)."""
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        handle, temp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.",
                                        suffix=".tmp")
    except OSError as error:
        raise _fail(path, error, "the file") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_bytes(data))
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise _fail(path, error, "the file") from None


def write_folder(folder: str | os.PathLike, files: dict[str, bytes | str], *,
                 last: str = "index.html", marker: bytes | None = None) -> None:
    """Write ``files`` (name -> content, names without folders) into ``folder``.

    ``last`` is moved into place after every other file. With ``marker``, files in the
    folder that are not in ``files`` and hold it in their first 256 bytes (files an earlier
    report wrote) are removed.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(str(folder), 1, 1, "cannot write the report: this is a file, "
                          "not a folder", "name a folder (it is created if needed)")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        if not folder.exists() and _build_and_rename(folder, files):
            return
        _replace_each(folder, files, last, marker)
    except OSError as error:
        raise _fail(folder, error, "the report") from None


def _fill(target: Path, files: dict[str, bytes | str]) -> None:
    mode = 0o666 & ~_umask()
    for name, data in files.items():
        (target / name).write_bytes(_bytes(data))
        os.chmod(target / name, mode)


def _build_and_rename(folder: Path, files: dict) -> bool:
    """Build the folder under a temporary name, then rename it; False if it appeared meanwhile."""
    temp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        _fill(temp, files)
        os.chmod(temp, 0o777 & ~_umask())
        os.rename(temp, folder)  # fails if `folder` now exists: never merges into it
        return True
    except OSError:
        if folder.exists():
            return False
        raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _replace_each(folder: Path, files: dict, last: str, marker: bytes | None) -> None:
    temp = Path(tempfile.mkdtemp(dir=folder, prefix=".ivraudit-", suffix=".tmp"))
    try:
        _fill(temp, files)
        for name in sorted(files, key=lambda n: (n == last, n)):
            os.replace(temp / name, folder / name)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if marker is None:
        return
    for stale in sorted(folder.iterdir()):
        if stale.name not in files and stale.is_file() and _marked(stale, marker):
            stale.unlink()


def _marked(path: Path, marker: bytes) -> bool:
    with path.open("rb") as handle:
        return marker in handle.read(256)
