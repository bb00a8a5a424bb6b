"""Writing reports, drawings and caches only where asked, so that no reader ever sees half of one.

``write_file`` writes an output the user named (``audit -o``, ``render -o``):

- a regular file, or a new one: a temporary file beside it moved over it with ``os.replace``
  (atomic on POSIX and Windows: readers see the old file or the new one);
- a symbolic link: its target, written in place (the link stays a link);
- a FIFO, and standard output or standard error under any name (``/dev/stdout``,
  ``/dev/fd/1``), and ``/dev/null``: written in place;
- anything else (a device such as ``/dev/full`` or a disk, a socket, a folder) is never
  written, let alone replaced by a file: an OutputError (exit 2).

``replace_file`` always replaces the path itself, a link included (caches: a link planted in a
cache folder never redirects the write). A new folder is built whole under a temporary name and
renamed into place; an existing folder gets each file replaced that way, the index last, so
that it never links to a page not yet written. Files a previous report wrote and this one does
not (they carry ``marker`` near their start) are removed; nothing else in the folder is touched.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
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
    """Write an output the user named at ``path`` (see the module's documentation).

    Raises OutputError for a device, a socket or a folder, or when the write fails.
    """
    path = Path(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except (OSError, ValueError) as error:  # too long, a NUL in the name
        raise _fail(path, error if isinstance(error, OSError) else OSError(0, str(error)),
                    "the file") from None
    if link is None or stat.S_ISREG(link.st_mode):
        replace_file(path, data, mode=None if link is None else stat.S_IMODE(link.st_mode))
        return
    try:
        target = os.stat(path)  # through links
    except FileNotFoundError:
        target = None  # a dangling link: its target is created
    except OSError as error:
        raise _fail(path, error, "the file") from None
    stream = _standard_stream(target)
    if stream is not None:
        stream.flush()
        stream.buffer.write(_bytes(data))
        stream.buffer.flush()
    elif target is None or _in_place(path, target):
        _write_in_place(path, data)
    else:
        raise OutputError(str(path), 1, 1, f"will not write here: it is {_what(target.st_mode)}",
                          "name a file (it is replaced atomically), a FIFO, or leave out -o "
                          "for standard output")


def _standard_stream(target: os.stat_result | None):
    """sys.stdout or sys.stderr when ``target`` is the very file behind it, else None."""
    if target is None:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            if os.path.samestat(target, os.fstat(stream.fileno())):
                return stream
        except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
            continue
    return None


def _in_place(path: Path, target: os.stat_result) -> bool:
    """A symbolic link's regular file, a FIFO, or /dev/null: written where it is."""
    if stat.S_ISREG(target.st_mode) or stat.S_ISFIFO(target.st_mode):
        return True
    try:
        return os.path.samestat(target, os.stat(os.devnull))
    except OSError:
        return False


def _what(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def _write_in_place(path: Path, data: bytes | str) -> None:
    try:
        with open(path, "wb") as out:
            out.write(_bytes(data))
    except OSError as error:
        raise _fail(path, error, "the file") from None


def replace_file(path: str | os.PathLike, data: bytes | str, mode: int | None = None) -> None:
    """Replace whatever is at ``path`` (a link itself, not its target) with a regular file
    holding ``data``, atomically; ``mode``: its permissions (default: new-file permissions).
    Raises OutputError."""
    path = Path(path)
    try:
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(21, "it is a folder")
        handle, temp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.",
                                        suffix=".tmp")
    except OSError as error:
        raise _fail(path, error, "the file") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_bytes(data))
        os.chmod(temp, (0o666 & ~_umask()) if mode is None else mode)
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
