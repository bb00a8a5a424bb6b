"""Outputs are written only where asked (issue 9): a regular file replaced atomically, a
symbolic link's target, a FIFO, `-` or standard output written in place, a device never; and
the cached schema validator runs only when this user's ivraudit signed it."""

from __future__ import annotations

import marshal
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MENUS, ROOT
from ivraudit.cli import main

BANK = str(MENUS / "bank.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", [["render", "--format", "dot"], ["audit", "--format", "json"]])
def test_a_regular_file_is_replaced_keeping_its_permissions(tmp_path, command):
    out = tmp_path / "out"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    before = out.stat().st_ino
    result = run(*command, "-o", str(out), BANK)
    assert result.exit_code in (0, 1), result.output
    assert out.read_text(encoding="utf-8").startswith(("digraph", "{"))
    assert out.stat().st_ino != before  # a new file moved over the old one
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file left


def test_a_symbolic_link_has_its_target_written_and_stays_a_link(tmp_path):
    target = tmp_path / "target.dot"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.dot"
    link.symlink_to(target)
    inode = target.stat().st_ino
    assert run("render", "--format", "dot", "-o", str(link), BANK).exit_code == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("digraph")
    assert target.stat().st_ino == inode  # written in place


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("render", "--format", "dot", "-o", str(fifo), BANK)
    reader.join(10)
    assert result.exit_code == 0 and received[0].startswith(b"digraph")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("device", ["/dev/full", "/dev/zero"])
def test_a_device_is_never_written_nor_replaced(tmp_path, device):
    link = tmp_path / "link.svg"
    link.symlink_to(device)
    for output in (device, str(link)):
        for command in (["render", "--format", "dot"], ["audit", "--format", "json"]):
            result = run(*command, "-o", output, BANK)
            assert result.exit_code == 2, result.output
            assert f"{output}:1:1: error: will not write here: it is a device" in result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode) and link.is_symlink()


def test_a_folder_or_a_socket_is_refused(tmp_path):
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        result = run("render", "--format", "dot", "-o", str(tmp_path / "sock"), BANK)
    finally:
        server.close()
    assert result.exit_code == 2 and "it is a socket" in result.stderr
    (tmp_path / "folder.dot").mkdir()
    assert run("render", "--format", "dot", "-o", str(tmp_path / "folder.dot"), BANK).exit_code == 2


def test_dev_null_is_written_in_place():
    assert run("audit", "--format", "json", "-o", os.devnull, BANK).exit_code == 1
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def _cli(*args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "ivraudit", *args], stdout=stdout,
                          stderr=subprocess.PIPE, env=env, timeout=60)


@pytest.mark.parametrize("output, into", [("-", "pipe"), ("/dev/stdout", "file"),
                                          ("/dev/fd/1", "pipe")])
def test_standard_output_under_any_name(tmp_path, output, into):
    if into == "file":  # standard output redirected to a file: written there, not replaced
        with open(tmp_path / "captured", "wb") as captured:
            done = _cli("render", "--format", "dot", "-o", output, BANK, stdout=captured)
        written = (tmp_path / "captured").read_bytes()
    else:
        done = _cli("audit", "--format", "json", "-o", output, BANK)
        written = done.stdout
    assert done.returncode in (0, 1) and written.startswith((b"digraph", b"{")), done.stderr


# -- the cached validator ---------------------------------------------------------------------

BAD = "ivr: x\nformat: 1\nentry: main\nnodes:\n  main: {type: humn}\n"


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache and key folder, and no validator loaded yet in this process."""
    from ivraudit.format import schema

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    schema._validator.cache_clear()
    yield tmp_path / "cache" / "ivraudit"
    schema._validator.cache_clear()


def _rejects_bad_menus() -> bool:
    from ivraudit.errors import MenuError
    from ivraudit.format.loader import load_text

    try:
        load_text(BAD, "bad.yaml")
    except MenuError as error:
        return "humn" in error.message
    return False


def _reload():
    from ivraudit.format import schema

    schema._validator.cache_clear()
    return _rejects_bad_menus()


def test_the_validator_is_cached_signed_and_reused(fresh_cache, monkeypatch):
    assert _rejects_bad_menus()
    (entry,) = fresh_cache.iterdir()
    key = fresh_cache.parent.parent / "state" / "ivraudit" / "cache.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    import fastjsonschema

    monkeypatch.setattr(fastjsonschema, "compile_to_code",
                        lambda *a, **k: pytest.fail("compiled again instead of reusing the cache"))
    assert _reload()


def _planted_code(marker: Path) -> bytes:
    """A validator that accepts everything and leaves a mark: what an attacker would plant."""
    source = (f"open({str(marker)!r}, 'w').close()\n"
              "def validate_urn_ivraudit_menu_1(data):\n    return data\n")
    return marshal.dumps(compile(source, "planted", "exec"))


@pytest.mark.parametrize("damage", ["planted", "garbage", "truncated", "fifo", "folder", "link"])
def test_a_planted_or_damaged_cache_is_never_run_and_is_rebuilt(fresh_cache, tmp_path, damage):
    assert _rejects_bad_menus()
    (entry,) = fresh_cache.iterdir()
    signed = entry.read_bytes()
    marker = tmp_path / "ran"
    entry.unlink()
    if damage == "planted":  # a whole entry, but not signed with this user's key
        entry.write_bytes(signed[:56] + _planted_code(marker))
    elif damage == "garbage":
        entry.write_bytes(os.urandom(1000))
    elif damage == "truncated":
        entry.write_bytes(signed[:len(signed) // 2])
    elif damage == "fifo":
        os.mkfifo(entry)
    elif damage == "folder":
        entry.mkdir()
    else:  # a link to code elsewhere
        (tmp_path / "elsewhere").write_bytes(_planted_code(marker))
        entry.symlink_to(tmp_path / "elsewhere")
    assert _reload()  # validation still on
    assert not marker.exists()  # the planted code never ran
    if damage != "folder":
        assert entry.is_file() and not entry.is_symlink() and entry.read_bytes() == signed
        assert not (tmp_path / "elsewhere").exists() or \
            (tmp_path / "elsewhere").read_bytes() != signed  # the link's target untouched


def test_a_key_others_can_read_means_no_cache(fresh_cache):
    key = fresh_cache.parent.parent / "state" / "ivraudit" / "cache.key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)
    assert _rejects_bad_menus()
    assert not fresh_cache.exists() or not any(fresh_cache.iterdir())


def _program(*args: str, **how) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ivraudit", *args], cwd=ROOT,
                            stderr=subprocess.PIPE, **how)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["audit", "menus/bank.yaml"],
                                  ["simulate", "menus/bank.yaml", "--keys", "1"],
                                  ["export", "--to", "vxml", "menus/bank.yaml"]])
def test_output_that_cannot_be_written_is_exit_2_with_a_hint(args):
    """A full disk behind standard output: one error line and a hint, exit 2 (never a
    traceback, never 1, the code for findings)."""
    with open("/dev/full", "wb") as full:
        done = _program(*args, stdout=full)
        err = done.communicate()[1].decode()
    assert done.returncode == 2, err
    assert err.startswith("error: cannot write the output: No space left on device\n  hint: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("unbuffered", ["", "1"])
@pytest.mark.parametrize("fmt", ["html", "junit"])
def test_a_report_in_one_piece_left_half_read_exits_141(fmt, unbuffered):
    """The reader of a report over 64 KB (more than a pipe holds; html in one piece, junit a
    suite at a time) goes away after 100 bytes: 141, also under PYTHONUNBUFFERED (set in many
    CI images), where a write came back short, the rest was dropped without an error, and the
    run exited 1 or 0 (with --fail-on never), a pass."""
    done = _program("audit", "--fail-on", "never", "--format", fmt, "menus",
                    stdout=subprocess.PIPE,
                    env={**os.environ, "PYTHONUNBUFFERED": unbuffered} if unbuffered else
                    {key: value for key, value in os.environ.items()
                     if key != "PYTHONUNBUFFERED"})
    assert len(done.stdout.read(100)) == 100
    done.stdout.close()
    assert done.wait(timeout=60) == 141 and done.stderr.read() == b""


def test_a_closed_pipe_and_ctrl_c_are_neither_a_pass_nor_findings():
    """`ivraudit audit ... | head -1` whose reader has gone: 141 (128 + SIGPIPE), quietly;
    Ctrl-C: 130 (128 + SIGINT), one line, nothing written (CI must not read either as a pass
    or as findings)."""
    import signal
    import time

    done = _program("audit", "menus/good-practice.yaml", stdout=subprocess.PIPE)
    done.stdout.close()
    assert done.wait() == 141 and done.stderr.read() == b""
    done = _program("simulate", "menus/bank.yaml", "--persona", "elderly", "--callers",
                    "100000000", "--no-progress", stdout=subprocess.PIPE)
    time.sleep(1.5)
    done.send_signal(signal.SIGINT)
    out, err = done.communicate(timeout=30)
    assert done.returncode == 130, err
    assert err.decode().strip().endswith("ivraudit: interrupted (a file or folder named with -o "
                                         "is left as it was)")
    assert b"Traceback" not in err
