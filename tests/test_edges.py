"""Input at the edges (issue: nothing lost, part two, 13-18): dates within 1900-2199, settings
within their ranges, odd files where the book or the config should be, and one clear line for
each instead of a traceback or a hang."""

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import sqlite_only
from test_bad_input import refused

from kehu.book import timestamps


@pytest.mark.parametrize(
    "args",
    [
        ("promise", "1", "call", "--due", "9999-12-31"),
        ("promise", "1", "call", "--due", "1899-12-31"),
        ("log", "1", "--at", "0001-01-01"),
        ("edit", "1", "--birthday", "0001-01-01"),
        ("log", "1", "--next", "2200-01-01"),
    ],
)
def test_dates_outside_1900_to_2199_are_refused(kehu: Any, args: tuple[str, ...]) -> None:
    kehu.ok("add", "王芳")
    line = refused(kehu, 2, *args)
    assert "1900" in line and "2199" in line


def test_the_last_accepted_day_shows_in_every_zone(
    kehu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kehu.ok("add", "王芳")
    monkeypatch.setenv("KEHU_TZ", "UTC")
    kehu.ok("promise", "1", "call", "--due", "2199-12-31")
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Shanghai"):
        monkeypatch.setenv("KEHU_TZ", zone)
        assert "P1" in kehu.ok("promises")
        assert "P1" in kehu.ok("show", "1")


def test_an_instant_at_the_end_of_time_is_read_as_one_that_shows() -> None:
    end = timestamps.from_db("9999-12-31 23:59:59+00:00")
    start = timestamps.from_db("0001-01-01 00:00:00+00:00")
    from zoneinfo import ZoneInfo

    for zone in ("Asia/Shanghai", "Pacific/Kiritimati", "America/New_York"):
        end.astimezone(ZoneInfo(zone))
        start.astimezone(ZoneInfo(zone))
    assert end.year == 9999 and start.year == 1


@sqlite_only
def test_a_far_future_promise_stored_before_the_range_still_shows(
    kehu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    kehu.ok("add", "王芳")
    kehu.ok("promise", "1", "call", "--due", "2199-12-31")
    with sqlite3.connect(kehu.target) as conn:
        conn.execute("UPDATE promise SET due = '9999-12-31 23:59:59+00:00'")
    conn.close()
    monkeypatch.setenv("KEHU_TZ", "Asia/Shanghai")
    assert "9999" in kehu.ok("promises")
    assert "9999" in kehu.ok("show", "1")


@pytest.mark.parametrize("value", ["9999-12-31T23:00", "0001-01-01T00:00", "1800-01-01T00:00"])
def test_kehu_now_out_of_range_names_the_range(
    kehu: Any, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    kehu.ok("add", "王芳")
    monkeypatch.setenv("KEHU_NOW", value)
    line = refused(kehu, 2, "today")
    assert "KEHU_NOW" in line and "1900" in line


def _kehu_process(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args], stderr=subprocess.PIPE, text=True, timeout=60,
        **kwargs,
    )  # fmt: skip


@sqlite_only
@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_a_book_that_is_no_regular_file_is_one_line_not_a_hang(
    kehu: Any, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:
        path = Path("/dev/null")
    monkeypatch.setenv("KEHU_DB", str(path))
    for command in (["list"], ["add", "王芳"]):
        result = kehu(*command)
        assert result.code == 6, result
        assert result.err == f"kehu: {path} is not a regular file (a pipe, socket or device), " \
            "so it is not a kehu book; point --db or KEHU_DB at your book's file\n"  # fmt: skip
    assert stat.S_ISFIFO(path.stat().st_mode) or kind != "fifo"


@sqlite_only
def test_closed_or_full_stdout_is_one_line(kehu: Any) -> None:
    kehu.ok("add", "王芳")
    closed = _kehu_process("list", stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                           preexec_fn=lambda: os.close(1))  # fmt: skip
    assert closed.returncode == 70 and "Traceback" not in closed.stderr
    assert closed.stderr == (
        "kehu: the output could not be written (Bad file descriptor); nothing was written\n"
    )
    with open("/dev/full", "w") as full:
        result = _kehu_process("list", stdout=full)
    assert result.returncode == 70
    assert result.stderr == (
        "kehu: the output could not be written (No space left on device); nothing was written\n"
    )
    with open("/dev/full", "w") as full:
        saved = _kehu_process("add", "李娜", stdout=full)
    assert saved.returncode == 74 and saved.stderr.startswith("kehu: Saved;")
    assert kehu.count("customer") == 2


@sqlite_only
def test_ctrl_c_at_any_moment_of_start_up_is_one_line_and_130(kehu: Any) -> None:
    kehu.ok("add", "王芳")
    tracebacks, seen = 0, []
    for delay in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "kehu", "list"], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        # Before the interpreter reaches kehu, Python itself is being interrupted: not counted.
        if "Traceback" in err and "kehu" in err:
            tracebacks += 1
            seen.append(err[-1500:])
        if process.returncode == 130:
            assert err == "kehu: interrupted; nothing was written\n", (delay, err, out)
    print(f"\nCtrl-C during start-up: {tracebacks} tracebacks from kehu in 8 tries")
    assert tracebacks == 0, seen


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:///{tmp}/s.db", "sqlite:// is not a book kehu can use"),
        ("mysql://u@h/db", "mysql:// is not a book kehu can use"),
        ("foo://x", "foo:// is not a book kehu can use"),
        ("postgresql+psycopg://u:secret@h:notaport/db", "is not a URL kehu can read"),
        ("postgresql+psycopg://[::1", "is not a URL kehu can read"),
    ],
)
def test_urls_kehu_cannot_use_are_one_line_and_make_no_file(
    kehu: Any, tmp_path: Path, url: str, says: str
) -> None:
    url = url.format(tmp=tmp_path)
    for command in (["list"], ["add", "王芳"]):
        result = kehu("--db", url, *command)
        assert result.code == 6 and result.out == "", result
        assert result.err.count("\n") == 1 and says in result.err, result
        assert "secret" not in result.err
    assert not (tmp_path / "s.db").exists()


def test_opaque_one_liners_say_what_was_wrong(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kehu.ok("add", "王芳")
    line = refused(kehu, 2, "list", "--search", "x" * 60_000)
    assert line == "kehu: an argument is too long (60000 bytes); at most 50000 are accepted"
    line = refused(kehu, 2, "sale", "1", "--product", "车", "--amount", "999999999999.999")
    assert "too large" in line and "999,999,999,999.99" in line
    monkeypatch.setenv("KEHU_USER", "u" * 101)  # the owner of what `add` adds, on both engines
    assert refused(kehu, 2, "add", "张三") == (
        "kehu: KEHU_USER is too long (101 characters); give at most 100"
    )


def test_a_csv_cell_over_131072_characters_is_imported_whole(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    note = "长" * 140_000
    path.write_text(f"name,notes\n李娜,{note}\n", encoding="utf-8")
    assert kehu("import", str(path)).code == 0
    assert kehu.json("show", "李娜")["notes"] == note


def test_completion_after_a_superscript_digit_offers_nothing(kehu: Any) -> None:
    from kehu.book import completion

    kehu.ok("add", "王芳")
    assert completion.customers(kehu.target, "²") == []
    assert completion.customers(kehu.target, "1") != [] or kehu.target.startswith("postgresql")
