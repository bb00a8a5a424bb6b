"""The two sides of a diff, each audited as `ivraudit audit` would (audit.auditor), so every
file `audit` reads (platform exports too, once importers are in) is compared the same way.

- ``path_sides(OLD, NEW)``: two files, or two folders (menus matched by their path in the folder);
- ``revision_sides(REV, PATHS)``: the menus under PATHS in git revision REV against the working
  tree. Git lists the files on both sides (tracked ones, and for the working tree untracked ones
  that .gitignore does not exclude). The revision's files are read with ``git cat-file`` into a
  temporary folder laid out like the repository (the menus under PATHS and every .wav file, for
  `audio` prompts), and audited from there under the same relative paths, so menu paths, findings
  and policy waivers (matched by path) read exactly as in the working tree. Nothing is checked out
  and the user's files are never touched.

Raises IvrauditError (without a file position) for a wrong command line: no such path, not a git
repository, an unknown revision.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .. import importers
from ..audit.auditor import audit_paths
from ..errors import IvrauditError
from ..util import signals
from ..util.inputs import kind
from ..util.safe_text import terminal
from .compare import Side, keep_compared

AUDIO_SUFFIXES = (".wav",)
WORKING_TREE = "the working tree"


def _audit(files: list[str], policy, today: str | None, fail_on: str, jobs: int,
           skip_non_menus: bool = False):
    """One side audited on ``jobs`` processes, each menu kept as a diff needs it
    (compare.keep_compared): two fleets are compared without holding their models."""
    return audit_paths(files, policy, today, fail_on, skip_non_menus=skip_non_menus,
                       keep=keep_compared, jobs=jobs)


def path_sides(old: str, new: str, policy, fail_on: str, today: str | None = None,
               jobs: int = 1):
    """(old Side, new Side) for two files or two folders, each audited on ``jobs``
    processes."""
    kinds = []
    for given in (old, new):
        found = kind(given)
        if found in ("missing", "unreadable"):
            raise IvrauditError.without_position(f"no such file or folder: {terminal(given)}",
                                                 "give two menu files or two folders of menus")
        kinds.append(found == "folder")
    if kinds[0] != kinds[1]:
        raise IvrauditError.without_position(
            f"cannot compare a {'folder' if kinds[0] else 'file'} with a "
            f"{'folder' if kinds[1] else 'file'}", "give two menu files or two folders of menus")
    sides = []
    for given, folder in zip((old, new), kinds):
        sides.append(Side(given, _audit([given], policy, today, fail_on, jobs),
                          given if folder else None))
    return tuple(sides)


def revision_sides(rev: str, paths: list[str], policy, fail_on: str,
                   today: str | None = None, jobs: int = 1):
    """(old Side at git revision ``rev``, new Side: the working tree) for the menus under
    ``paths`` (relative to the current folder, inside the repository), each audited on
    ``jobs`` processes."""
    cwd = Path.cwd().resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], "--base needs a git repository",
                    "run it inside a git checkout, or compare two files or folders: "
                    "ivraudit diff OLD NEW")).resolve()
    commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                  f"'{rev}' is not a commit in this repository",
                  "give a branch, tag or commit (HEAD~1, main, origin/main); in a shallow CI "
                  "checkout fetch it first: git fetch --depth=1 origin BRANCH")
    wanted = [_inside(top, cwd, given) for given in paths]
    listing = _revision_files(commit)
    for given, path in zip(paths, wanted):
        if kind(given) == "missing" and not any(_under(entry, [path]) for entry, _ in listing):
            raise IvrauditError.without_position(
                f"no such file or folder in the working tree or in {terminal(rev)}: "
                f"{terminal(given)}", "check the path (PATHS, or `paths` of [tool.ivraudit], "
                "are relative to the current folder); a path on either side is compared: "
                "its menus added or removed")
    here = PurePosixPath(cwd.relative_to(top).as_posix())
    specs = [os.path.normpath(given) for given in paths]  # `menu.yaml/` names no file to git
    new_files = [f for f in _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard",
                                  "--", *specs], "cannot list the working tree").split("\0")
                 if f and _is_menu_name(f) and kind(f) == "file" and not os.path.islink(f)]
    new = Side(WORKING_TREE, _audit(new_files, policy, today, fail_on, jobs, True), ".")
    with signals.sigterm_ends_cleanly(), _copy_folder() as folder:
        menus = _extract(listing, wanted, Path(folder))
        old_files = sorted(os.path.relpath(m, here.as_posix() or ".") for m in menus)
        base = Path(folder, *here.parts)
        base.mkdir(parents=True, exist_ok=True)
        with _working_directory(base):
            run = _audit(old_files, policy, today, fail_on, jobs, True)
    return Side(f"{rev} ({commit[:12]})", run, "."), new


@contextmanager
def _copy_folder():
    """A temporary folder for the revision's files, removed whatever ends the command, and
    with SIGINT and SIGTERM held back meanwhile: a second Ctrl-C or SIGTERM (a CI runner's,
    after its first) cannot cut the removal short."""
    folder = tempfile.mkdtemp(prefix="ivraudit-diff-")
    try:
        yield folder
    finally:
        with signals.held():
            shutil.rmtree(folder, ignore_errors=True)


def _is_menu_name(path: str) -> bool:
    """A file that may hold a menu or a platform flow (which it is: decided by its content)."""
    return PurePosixPath(path).suffix.lower() in importers.suffixes()


def _inside(top: Path, cwd: Path, given: str) -> str:
    """``given`` as a path from the repository's top, or an error when outside it. Read as
    git reads a path (``..`` taken away in the text, a symbolic link not followed), so that
    both sides take the same files: a link to a folder is a link, not the folder."""
    path = Path(os.path.normpath(cwd / given))
    try:
        return path.relative_to(top).as_posix()
    except ValueError:
        raise IvrauditError.without_position(f"{given} is outside the git repository {top}",
                                             "--base compares paths inside the repository") \
            from None


def _revision_files(commit: str) -> list[tuple[str, str | None]]:
    """(path from the repository's top, blob id) of every file in the revision; the id is
    None for what is not a regular file's content (a submodule, a symbolic link)."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit], "cannot list the revision")
    files = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, object_type, object_id = meta.split()
        # submodules and symbolic links are not menus
        files.append((path, object_id if object_type == "blob" and mode != "120000" else None))
    return files


def _under(path: str, wanted: list[str]) -> bool:
    """Whether ``path`` (from the repository's top) is one of ``wanted`` (from _inside) or
    inside one."""
    return any(w == "." or path == w or path.startswith(w + "/") for w in wanted)


def _extract(listing: list[tuple[str, str | None]], wanted: list[str], folder: Path
             ) -> list[str]:
    """Write the revision's menus under ``wanted`` and its audio files into ``folder``
    (``listing``: _revision_files); return the menus' paths from the repository's top."""
    menus, blobs = [], []
    for path, object_id in listing:
        if object_id is None:
            continue
        if _is_menu_name(path) and _under(path, wanted):
            menus.append(path)
            blobs.append((path, object_id))
        elif PurePosixPath(path).suffix.lower() in AUDIO_SUFFIXES:
            blobs.append((path, object_id))
    _write_blobs(blobs, folder)
    return menus


def _write_blobs(blobs: list[tuple[str, str]], folder: Path) -> None:
    """Every blob through one `git cat-file --batch`, written under ``folder``."""
    if not blobs:
        return
    request = "".join(f"{object_id}\n" for _, object_id in blobs).encode("ascii")
    done = subprocess.run(["git", "cat-file", "--batch"], input=request, capture_output=True,
                          check=False)
    if done.returncode != 0:
        raise IvrauditError.without_position("git cat-file failed: "
                                             + done.stderr.decode("utf-8", "replace").strip())
    data, at = done.stdout, 0
    root = folder.resolve()
    for path, _ in blobs:
        header_end = data.index(b"\n", at)
        size = int(data[at:header_end].split()[2])
        body = data[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1  # the body is followed by a line feed
        target = (root / path).resolve()
        if root not in target.parents:  # git refuses such paths; never write outside anyway
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def _git(args: list[str], failure: str, hint: str = "") -> str:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], capture_output=True,
                              check=False, env=os.environ | {"LC_ALL": "C"})
    except OSError:
        raise IvrauditError.without_position("git is not installed", "--base reads the old "
                                             "files through git; install git, or give two "
                                             "files or folders (ivraudit diff OLD NEW)") \
            from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IvrauditError.without_position(failure + (f" ({detail[-1]})" if detail else ""),
                                             hint)
    return done.stdout.decode("utf-8", "surrogateescape").strip("\n") if "-z" not in args \
        else done.stdout.decode("utf-8", "surrogateescape")


@contextmanager
def _working_directory(path: Path):
    """Audit from ``path`` (the revision's copy), so that its menus carry the same relative
    paths as in the working tree; the previous folder is restored whatever happens."""
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)
