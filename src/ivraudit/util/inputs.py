"""Reading the files ivraudit is given: menus, policies, personas, pyproject.toml, recordings.

Input is untrusted (a menu from a pull request, a vendor's export), and so are the paths inside
it. A path that a file names (a recording, a policy's `extends`, pyproject's `policy`) must be a
regular file: a FIFO would block the audit for ever, a device can be endless or act on being
opened. Nothing is read whole without a bound: at most ``MAX_BYTES`` of a file, and of a
recording only its header (durations.py). A path that cannot even be looked up (too long, a NUL
in it) is an error like any other, never a crash.
"""

from __future__ import annotations

import errno
import os
import stat

MAX_BYTES = 64 * 1024 * 1024  # a 2 MB menu is large; 64 MB is past any real file


def kind(path: str | os.PathLike) -> str:
    """What is at ``path``, following symbolic links: 'file', 'folder', 'missing', 'fifo',
    'device', 'socket', 'other', or 'unreadable' (the path cannot be looked up)."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except (OSError, ValueError):  # too long, a loop of links, a NUL in the name
        return "unreadable"
    return _kind_of_mode(mode)


def _kind_of_mode(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "socket" if stat.S_ISSOCK(mode) else "other"


_WHAT = {"folder": "a folder", "fifo": "a FIFO (named pipe)", "device": "a device",
         "socket": "a socket", "other": "something other than a regular file"}


class NotAFileError(OSError):
    """The path is a folder, a FIFO, a device or a socket where a regular file is needed."""


def _os_path(path: str | os.PathLike) -> str | os.PathLike:
    if "\0" in os.fspath(path):
        raise OSError(errno.EINVAL, "the path holds a NUL character")
    return path


def open_regular(path: str | os.PathLike):
    """``path`` opened for binary reading, refusing anything but a regular file.

    Checked before opening (opening a FIFO waits for a writer; a device may act on being
    opened) and again on the open file, which a swapped path cannot fool. Raises OSError,
    NotAFileError for a folder, FIFO, device or socket.
    """
    found = kind(_os_path(path))
    if found in _WHAT:
        raise NotAFileError(errno.EINVAL, f"it is {_WHAT[found]}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    handle = os.open(path, flags)
    try:
        found = _kind_of_mode(os.fstat(handle).st_mode)
        if found != "file":
            raise NotAFileError(errno.EINVAL, f"it is {_WHAT[found]}")
        os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def read_bytes(path: str | os.PathLike, *, regular_only: bool = True,
               limit: int = MAX_BYTES) -> bytes:
    """The bytes of the file at ``path``, at most ``limit`` of them.

    ``regular_only=False`` (a file the user named on the command line) also reads a pipe,
    such as ``<(cat menu.yaml)`` or /dev/stdin. Raises OSError with a readable ``strerror``.
    """
    if regular_only:
        handle = open_regular(path)
    else:
        if kind(_os_path(path)) == "folder":
            raise NotAFileError(errno.EISDIR, "it is a folder")
        handle = open(path, "rb")
    with handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"it is larger than {limit // (1024 * 1024)} MB, "
                                   "far past any menu")
    return data
