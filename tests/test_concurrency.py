"""Many kehu processes on one book at once: nothing lost, nothing half-done, no tracebacks.

Writers go through the real command line (tests/workers.py runs kehu.cli.run in a loop), a
reader runs `kehu today` and `kehu overdue` meanwhile. On PostgreSQL (KEHU_TEST_DATABASE_URL)
the same test runs against the server.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import SERVER_URL, sqlite_only

from kehu.base.errors import BookLocked
from kehu.book import engine, opening

WORKERS = Path(__file__).with_name("workers.py")
WRITERS = 8
WRITES = 100


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WORKERS), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _integrity(target: str) -> str:
    if SERVER_URL:
        return "ok"  # PostgreSQL checks its own pages; the row counts below are what matter
    with sqlite3.connect(target) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_writers_and_a_reader_lose_nothing(kehu, isolated, tmp_path):
    customers = []
    for w in range(WRITERS):
        kehu.ok("add", f"并发{w}", "--phone", f"1390000{w:04d}", "--product", "Golf")
        customers.append(kehu.rows("SELECT MAX(id) AS id FROM customer")[0]["id"])
    go, stop = tmp_path / "go", tmp_path / "stop"
    outs = [tmp_path / f"writer{w}.json" for w in range(WRITERS)]
    writers = [
        _spawn("writer", str(w), str(WRITES), str(customers[w]), str(go), str(outs[w]))
        for w in range(WRITERS)
    ]
    reader = _spawn("reader", str(stop), str(tmp_path / "reader.json"))
    started = time.monotonic()
    go.touch()
    try:
        exits = [p.wait(timeout=240) for p in writers]
    finally:
        stop.touch()
        reader_exit = reader.wait(timeout=60)
    elapsed = time.monotonic() - started
    crashes = [p.stderr.read().decode() for p in [*writers, reader] if p.stderr]
    assert exits == [0] * WRITERS and reader_exit == 0, crashes

    runs = [run for out in outs for run in json.loads(out.read_text(encoding="utf-8"))]
    reads = json.loads((tmp_path / "reader.json").read_text(encoding="utf-8"))
    errors = [r for r in runs + reads if r["code"] != 0 or r["err"]]
    logs = sum(r["args"][0] == "log" for r in runs)
    promises = sum(r["args"][0] == "promise" for r in runs)
    kept = sum(r["args"][0] == "done" and r["args"][1].startswith("P") for r in runs)
    done_contacts = sum(r["args"][0] == "done" and r["args"][1].startswith("S") for r in runs)

    ids = ", ".join(str(c) for c in customers)
    contacts = kehu.rows(f"SELECT COUNT(*) AS n FROM contact WHERE customer_id IN ({ids})")[0]
    stored_promises = kehu.rows(
        f"SELECT COUNT(*) AS n, COUNT(kept_at) AS kept FROM promise WHERE customer_id IN ({ids})"
    )[0]
    notes = kehu.rows("SELECT note FROM contact WHERE note IS NOT NULL")
    lost = (
        (logs + done_contacts - contacts["n"])
        + (promises - stored_promises["n"])
        + (kept - stored_promises["kept"])
    )
    integrity = _integrity(isolated)
    figures = (
        f"concurrency ({'postgresql' if SERVER_URL else 'sqlite'}): {WRITERS} writers x "
        f"{WRITES} writes = {len(runs)} attempts ({logs} log, {promises} promise, "
        f"{kept} done P, {done_contacts} done S) with {len(reads)} reads alongside in "
        f"{elapsed:.1f} s: lost={lost}, errors={len(errors)}, integrity={integrity}"
    )
    print(f"\n{figures}")
    assert len(runs) == WRITERS * WRITES, figures
    assert errors == [], f"{figures}; first errors: {errors[:3]}"
    assert contacts["n"] == logs + done_contacts, figures
    assert stored_promises["n"] == promises, figures
    assert stored_promises["kept"] == kept, figures
    assert len({n["note"] for n in notes}) == len(notes) == logs + done_contacts, figures
    assert lost == 0 and integrity == "ok", figures
    attempts = kehu.rows(f"SELECT SUM(attempts) AS n FROM customer WHERE id IN ({ids})")[0]
    assert attempts["n"] == 0, figures  # every contact reached: the counters agree


@sqlite_only
def test_every_connection_has_foreign_keys_and_wal(isolated, kehu):
    kehu.ok("add", "王芳", "--phone", "13900001111")
    book = opening.open_book(isolated)
    try:
        conn = book.conn
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == engine.BUSY_TIMEOUT_S * 1000
    finally:
        book.close()


@sqlite_only
def test_writes_begin_immediate(isolated, kehu, monkeypatch):
    """A write takes the write lock at BEGIN, so it never fails half-way for a lock."""
    kehu.ok("add", "王芳", "--phone", "13900001111")
    statements: list[str] = []
    real = sqlite3.connect

    def traced(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(engine.sqlite3, "connect", traced)
    kehu.ok("log", "1", "--via", "call")
    kehu.ok("today")
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert "BEGIN IMMEDIATE" in begins
    writes = [i for i, s in enumerate(statements) if s.startswith("INSERT INTO contact")]
    before = [s for s in statements[: writes[0]] if s.startswith("BEGIN")]
    assert before[-1] == "BEGIN IMMEDIATE"


def _hold_write_lock(path: str) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@sqlite_only
def test_a_lock_held_past_the_timeout_is_one_line_in_process(isolated, kehu, monkeypatch):
    kehu.ok("add", "王芳", "--phone", "13900001111")
    before = kehu.snapshot()
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT", "0.3")
    holder = _hold_write_lock(isolated)
    try:
        started = time.monotonic()
        result = kehu("log", "1", "--via", "call")
        waited = time.monotonic() - started
        assert kehu("today").code == 0  # readers are not blocked by a writer
    finally:
        holder.rollback()
        holder.close()
    assert result.code == BookLocked.exit_code, result
    assert result.err.count("\n") == 1 and result.err.startswith("kehu: "), result
    assert isolated in result.err and "0.3 s" in result.err, result
    assert 0.3 <= waited < 5, waited
    assert kehu.snapshot() == before


@sqlite_only
def test_a_lock_held_past_the_timeout_in_a_real_process(isolated, kehu):
    kehu.ok("add", "王芳", "--phone", "13900001111")
    holder = _hold_write_lock(isolated)
    env = {**os.environ, "KEHU_BUSY_TIMEOUT": "0.5"}
    try:
        results = [
            subprocess.run(
                [sys.executable, "-m", "kehu", *args], env=env, capture_output=True, timeout=60
            )
            for args in (
                ["log", "1", "--via", "call"],
                ["promise", "1", "试驾", "--due", "tomorrow"],
                ["add", "李娜", "--phone", "13900002222", "--product", "Polo"],
            )
        ]
    finally:
        holder.rollback()
        holder.close()
    for result in results:
        err = result.stderr.decode()
        assert result.returncode == BookLocked.exit_code, err
        assert err.count("\n") == 1 and "busy" in err and isolated in err, err
        assert "Traceback" not in err and result.stdout == b"", err
    print(f"\nlock timeout: {len(results)} writes refused with one line, exit 5")
    assert kehu.count("contact") == kehu.count("promise") == 0
    assert kehu.count("customer") == 1


def test_busy_timeout_from_the_environment(monkeypatch):
    assert engine.busy_timeout() == engine.BUSY_TIMEOUT_S == 30
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT", "2.5")
    assert engine.busy_timeout() == 2.5
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT", "soon")
    assert engine.busy_timeout() == engine.BUSY_TIMEOUT_S
