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
from collections.abc import Callable, Iterable
from functools import partial
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


def _write_all(handle, data: bytes | str | Iterable) -> None:
    """Write bytes, text (as UTF-8), or an iterable of them one piece at a time (a report of
    thousands of menus is never encoded whole)."""
    if isinstance(data, (bytes, str)):
        handle.write(_bytes(data))
        return
    for piece in data:
        handle.write(_bytes(piece))


def _fail(path: Path, error: OSError, what: str) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError(str(path), 1, 1, f"cannot write {what}: {reason}",
                       "check that the folder exists and that you may write there")


def write_file(path: str | os.PathLike, data: bytes | str | Iterable) -> None:
    """Write an output the user named at ``path`` (see the module's documentation); ``data``:
    bytes, text, or an iterable of them written piece by piece.

    Raises OutputError for a device, a socket or a folder, or when the write fails.
    """
    _writer(Path(path))(data)


def check_writable(path: str | os.PathLike) -> None:
    """Raise now the OutputError that ``write_file(path, ...)`` would raise, where it can be
    known before the work that makes the output (an audit of thousands of files): a device, a
    socket or a folder at ``path``, a folder that does not exist or takes no new file (the
    temporary file a replacement is written to is made beside it, and removed). A disk that
    fills up is found only when written."""
    _writer(Path(path), probe=True)


def _writer(path: Path, probe: bool = False) -> Callable[[bytes | str | Iterable], None]:
    """How ``path`` is written (write_file), as a function of the data; with ``probe``, the
    folder of a file to replace is tried first. Raises OutputError."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except (OSError, ValueError) as error:  # too long, a NUL in the name
        raise _fail(path, error if isinstance(error, OSError) else OSError(0, str(error)),
                    "the file") from None
    if link is None or stat.S_ISREG(link.st_mode):
        if probe:
            handle, temp = _temporary_beside(path)
            os.close(handle)
            Path(temp).unlink(missing_ok=True)
        return partial(replace_file, path,
                       mode=None if link is None else stat.S_IMODE(link.st_mode))
    try:
        target = os.stat(path)  # through links
    except FileNotFoundError:
        target = None  # a dangling link: its target is created
    except OSError as error:
        raise _fail(path, error, "the file") from None
    stream = _standard_stream(target)
    if stream is not None:
        return partial(_write_stream, stream)
    if target is None or _in_place(path, target):
        return partial(_write_in_place, path)
    raise OutputError(str(path), 1, 1, f"will not write here: it is {_what(target.st_mode)}",
                      "name a file (it is replaced atomically), a FIFO, or leave out -o "
                      "for standard output")


def _write_stream(stream, data: bytes | str | Iterable) -> None:
    stream.flush()
    _write_all(stream.buffer, data)
    stream.buffer.flush()


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
            _write_all(out, data)
    except OSError as error:
        raise _fail(path, error, "the file") from None


def replace_file(path: str | os.PathLike, data: bytes | str | Iterable,
                 mode: int | None = None) -> None:
    """Replace whatever is at ``path`` (a link itself, not its target) with a regular file
    holding ``data``, atomically; ``mode``: its permissions (default: new-file permissions).
    Raises OutputError."""
    path = Path(path)
    handle, temp = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as out:
            _write_all(out, data)
        os.chmod(temp, (0o666 & ~_umask()) if mode is None else mode)
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise _fail(path, error, "the file") from None


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder, to be moved over it: (handle, name)."""
    try:
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(21, "it is a folder")
        return tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _fail(path, error, "the file") from None


def write_folder(folder: str | os.PathLike, files: dict[str, bytes | str], *,
                 last: str = "index.html", marker: bytes | None = None,
                 unmarked: tuple[str, ...] = ()) -> None:
    """Write ``files`` (name -> content, names without folders) into ``folder``.

    ``last`` is moved into place after every other file. With ``marker``, files in the
    folder that are not in ``files`` and hold it in their first 256 bytes (files an earlier
    report wrote) are removed, and those named in ``unmarked`` when ``last`` held it.
    """
    with FolderWriter(folder, last=last, marker=marker, unmarked=unmarked) as writer:
        for name, data in files.items():
            writer.add(name, data)
        writer.commit()


class FolderWriter:
    """``write_folder`` one file at a time: each file is written as soon as it is made (a
    report of thousands of pages never holds them all), under a temporary folder, and
    ``commit`` puts them all in place as ``write_folder`` does. Leaving the ``with`` block
    without a commit leaves the folder as it was. Raises OutputError."""

    def __init__(self, folder: str | os.PathLike, *, last: str = "index.html",
                 marker: bytes | None = None, unmarked: tuple[str, ...] = ()) -> None:
        self.folder, self.last, self.marker = Path(folder), last, marker
        # files that cannot hold the marker (a PDF) but are an earlier report's when its
        # ``last`` file was: stale ones go too
        self.unmarked = unmarked
        self.names: list[str] = []
        self.mode = 0o666 & ~_umask()
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputError(str(self.folder), 1, 1, "cannot write the report: this is a file, "
                              "not a folder", "name a folder (it is created if needed)")
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            self.new = not self.folder.exists()  # built whole, then renamed into place
            index = self.folder / last
            self.was_report = bool(marker) and index.is_file() and _marked(index, marker)
            inside = self.folder.parent if self.new else self.folder
            prefix = f".{self.folder.name}." if self.new else ".ivraudit-"
            self.temp = Path(tempfile.mkdtemp(dir=inside, prefix=prefix, suffix=".tmp"))
        except OSError as error:
            raise _fail(self.folder, error, "the report") from None

    def __enter__(self) -> FolderWriter:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)

    def add(self, name: str, data: bytes | str) -> None:
        """Write one file (a name without folders) of the new folder."""
        try:
            (self.temp / name).write_bytes(_bytes(data))
            os.chmod(self.temp / name, self.mode)
        except OSError as error:
            raise _fail(self.folder, error, "the report") from None
        self.names.append(name)

    def commit(self) -> None:
        """Put every file written in place: the new folder renamed into place, or in an
        existing one each file replaced, ``last`` last, and the files an earlier report wrote
        and this one did not removed."""
        try:
            if self.new and self._rename():
                return
            for name in sorted(self.names, key=lambda n: (n == self.last, n)):
                os.replace(self.temp / name, self.folder / name)
            if self.marker is None:
                return
            written = set(self.names)
            for stale in sorted(self.folder.iterdir()):
                if stale.name in written or not stale.is_file():
                    continue
                if _marked(stale, self.marker) or (self.was_report
                                                    and stale.name in self.unmarked):
                    stale.unlink()
        except OSError as error:
            raise _fail(self.folder, error, "the report") from None

    def _rename(self) -> bool:
        """Rename the new folder into place; False if one appeared meanwhile (never merged)."""
        try:
            os.chmod(self.temp, 0o777 & ~_umask())
            os.rename(self.temp, self.folder)  # fails if `folder` now exists
            return True
        except OSError:
            if self.folder.exists():
                return False
            raise


def _marked(path: Path, marker: bytes) -> bool:
    with path.open("rb") as handle:
        return marker in handle.read(256)
