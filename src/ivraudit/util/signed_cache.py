"""A cache of generated code that only ever hands back what this user's ivraudit wrote.

The compiled menu validator (format/schema) is kept between runs, and running it means
executing it. A cache folder is easy to plant files in: a CI cache restored from another
workflow, a shared ``$XDG_CACHE_HOME``, a damaged disk. So each entry is signed with
HMAC-SHA256 under a random per-user key kept *outside* the cache folder (in
``$XDG_STATE_HOME/ivraudit/cache.key``, else ``~/.local/state/``, created 0600), over the
entry's identity (what it was built from) and its bytes. An entry that is missing, damaged,
planted, built from something else, or not a regular file is treated as absent: the caller
rebuilds it and stores it again. No key (it cannot be made, or it is readable by others or
not ours): no cache, the caller builds in memory every run. Nothing here raises.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

from ..errors import IvrauditError
from .atomic import replace_file
from .inputs import read_bytes

_MAGIC = b"ivraudit signed cache 1\n"
_KEY_BYTES = 32
_MAX_ENTRY = 64 * 1024 * 1024


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ivraudit"


def _key_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                            "state")
    return Path(base) / "ivraudit" / "cache.key"


def _key() -> bytes | None:
    """This user's signing key, made on first use; None when there is no trustworthy one."""
    path = _key_path()
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, os.O_RDONLY | nofollow)
    except FileNotFoundError:
        return _new_key(path)
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
        if not stat.S_ISREG(found.st_mode) or not mine or found.st_mode & 0o077:
            return None  # someone else could read or write it: sign nothing with it
        key = os.read(handle, _KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(handle)
    return key if len(key) == _KEY_BYTES else None


def _new_key(path: Path) -> bytes | None:
    key = os.urandom(_KEY_BYTES)  # what secrets.token_bytes returns
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = os.open(path, flags, 0o600)
    except FileExistsError:  # another run made it first
        return _key() if path.exists() else None
    except OSError:
        return None
    try:
        os.write(handle, key)
    except OSError:
        return None
    finally:
        os.close(handle)
    return key


def _signature(key: bytes, identity: bytes, payload: bytes) -> bytes:
    message = hashlib.sha256(identity).digest() + payload
    return hmac.new(key, message, hashlib.sha256).digest()


def load(name: str, identity: bytes) -> bytes | None:
    """The payload stored under ``name`` for ``identity``, if this user's ivraudit signed it."""
    key = _key()
    if key is None:
        return None
    try:
        data = read_bytes(cache_dir() / name, limit=_MAX_ENTRY)
    except OSError:
        return None
    head, signature, payload = data[:len(_MAGIC)], data[len(_MAGIC):len(_MAGIC) + 32], \
        data[len(_MAGIC) + 32:]
    if head != _MAGIC or not hmac.compare_digest(signature, _signature(key, identity, payload)):
        return None
    return payload


def store(name: str, identity: bytes, payload: bytes) -> None:
    """Keep ``payload`` under ``name``, signed; silently nothing when it cannot be kept."""
    key = _key()
    if key is None:
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(folder / name, _MAGIC + _signature(key, identity, payload) + payload)
    except (OSError, IvrauditError):  # a cache that cannot be written is only slower
        return
