"""A failure after a committed write says what was saved: never "nothing was written"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import sqlite_only

from kehu.base.errors import OUTPUT_LOST


def _kehu(*args: str, stdout: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args], stdout=stdout, stderr=subprocess.PIPE,
        text=True, env=os.environ, timeout=120,
    )  # fmt: skip


@sqlite_only
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_after_the_add_says_it_was_saved(kehu):
    with open("/dev/full", "w") as full:
        done = _kehu("add", "王芳", "--phone", "13900001111", "--product", "Golf", stdout=full)
    assert done.returncode == OUTPUT_LOST
    assert done.stderr == "kehu: Saved; the output could not be written: No space left on device\n"
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer")] == ["王芳"]
    assert kehu.count("purchase") == 1


@sqlite_only
def test_a_closed_pipe_after_the_log_says_it_was_saved(kehu):
    kehu.ok("add", "王芳", "--phone", "13900001111")
    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write fails
    with os.fdopen(write, "w") as pipe:
        done = _kehu("log", "王芳", "--via", "call", stdout=pipe)
    assert done.returncode == OUTPUT_LOST
    assert done.stderr == "kehu: Saved; the output could not be written: Broken pipe\n"
    assert kehu.count("contact") == 1


def test_an_output_failure_before_any_write_still_says_nothing_was_written(kehu, monkeypatch):
    kehu.ok("add", "王芳", "--phone", "13900001111")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kehu.ui.card.card", full)
    result = kehu("show", "王芳")
    assert result.code == 70 and "nothing was written" in result.err


@sqlite_only
def test_ctrl_c_while_the_commit_runs_says_the_change_was_saved(kehu, monkeypatch):
    import signal
    import sqlite3

    class CtrlCDuringCommit(sqlite3.Connection):
        writing = False

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            cursor = super().execute(sql, *args)
            if sql == "BEGIN IMMEDIATE":
                self.writing = True
            elif sql == "COMMIT" and self.writing:
                self.writing = False
                os.kill(os.getpid(), signal.SIGINT)  # as a Ctrl-C that came while it ran
            return cursor

    kehu.new_book()
    # A process started in the background of a script ignores SIGINT: be one that a Ctrl-C stops.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: connect(*a, **k,
                        factory=CtrlCDuringCommit))  # fmt: skip
    try:
        result = kehu("add", "王芳", "--phone", "13900001111")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.code == 130
    assert result.err == "kehu: Saved; interrupted before the output was written\n"
    monkeypatch.setattr(sqlite3, "connect", connect)
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer")] == ["王芳"]
    assert "Undid `add`" in kehu.ok("undo")
