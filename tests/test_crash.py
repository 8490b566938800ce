"""kehu killed with SIGKILL in the middle of a write leaves the book all-or-nothing.

KEHU_TEST_SLOW_WRITE (engine.py, for tests only) makes each write transaction wait before its
COMMIT, so that many of the random kills land inside the transaction.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from conftest import Kehu, sqlite_only

from kehu.book import backup, customers, engine, opening

pytestmark = sqlite_only
KILLS = 64
SLOW_WRITE = "0.15"


def _start(args: list[str], **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kehu", *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _sale(i: int) -> list[str]:
    return ["add", f"崩溃{i}", "--phone", f"137{i:08d}", "--product", f"车{i}"] + [
        "--set", f"爱好=钓鱼{i}", "--set", f"孩子=小{i}",
    ]  # fmt: skip


def _timed(args: list[str]) -> float:
    started = time.monotonic()
    process = _start(args, KEHU_TEST_SLOW_WRITE=SLOW_WRITE)
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    return time.monotonic() - started


def _kill_after(args: list[str], delay: float) -> int:
    process = _start(args, KEHU_TEST_SLOW_WRITE=SLOW_WRITE)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


def _writing(path: str) -> bool:
    """Whether some process holds the book's write lock (is inside a write transaction)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _kill_inside(args: list[str], path: str, rng: random.Random) -> tuple[int, bool]:
    """Wait until the write transaction has begun, kill at a random point inside it."""
    process = _start(args, KEHU_TEST_SLOW_WRITE=SLOW_WRITE)
    deadline = time.monotonic() + 30
    while not _writing(path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(rng.uniform(0, float(SLOW_WRITE)))
    inside = _writing(path)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60), inside


def _integrity(path: Path | str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _sale_state(path: str, i: int) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM customer WHERE name = ?", (f"崩溃{i}",))]
        marks = ",".join("?" * len(ids))
        purchases = conn.execute(
            f"SELECT COUNT(*) FROM purchase WHERE customer_id IN ({marks})", ids
        ).fetchone()[0]
        facts = conn.execute(
            f"SELECT COUNT(*) FROM profile_field WHERE customer_id IN ({marks})", ids
        ).fetchone()[0]
        return len(ids), purchases, facts
    finally:
        conn.close()


def test_killed_sales_are_all_or_nothing(kehu, isolated):
    kehu.ok("add", "开始", "--phone", "13700000000", "--product", "Polo")
    rng = random.Random(20261122)
    typical = max(_timed(_sale(10_000)), _timed(_sale(10_001)))
    killed = completed = inside = committed_then_killed = rolled_back = partial = broken = 0
    for i in range(KILLS):
        if i % 2:  # anywhere: before, during or after the transaction
            delay = rng.uniform(0, typical * 1.1)
            process = _start(_sale(i), KEHU_TEST_SLOW_WRITE=SLOW_WRITE)
            time.sleep(delay)
            in_tx = _writing(isolated)
            process.send_signal(signal.SIGKILL)
            code = process.wait(timeout=60)
        else:  # aimed inside the write transaction
            code, in_tx = _kill_inside(_sale(i), isolated, rng)
        killed += code == -signal.SIGKILL
        inside += code == -signal.SIGKILL and in_tx
        completed += code == 0
        state = _sale_state(isolated, i)
        if state == (1, 1, 2):
            committed_then_killed += code != 0
        elif state == (0, 0, 0):
            rolled_back += 1
        else:
            partial += 1
        broken += _integrity(isolated) != "ok"
    figures = (
        f"crash: {KILLS} runs of `kehu add` (customer + purchase + 2 profile rows), half killed "
        f"at random in 0..{typical * 1.1:.2f} s, half inside the write transaction: "
        f"kills={killed} ({inside} inside the transaction; {completed} runs finished first), "
        f"killed after commit={committed_then_killed}, rolled back={rolled_back}, "
        f"partial writes={partial}, integrity failures={broken}"
    )
    print(f"\n{figures}")
    assert partial == 0 and broken == 0, figures
    assert killed >= 50 and inside >= 25, figures
    # The book is usable afterwards, and the next write goes through.
    kehu.ok("add", "之后", "--phone", "13799999999", "--product", "Golf")
    assert kehu.ok("list")


def test_killed_imports_are_all_or_nothing(kehu, isolated, tmp_path):
    """`kehu import` of 300 customers (with a profile fact each), killed again and again."""
    source = str(tmp_path / "source" / "kehu.db")
    book = opening.open_book(source)
    now = datetime(2026, 11, 22, 2, tzinfo=UTC)

    def fill(tx: engine.Tx) -> None:
        for i in range(300):
            cid = customers.add_customer(
                tx, owner="mei", now=now, name=f"导入{i}", phone=f"136{i:08d}"
            )
            customers.set_profile(tx, customer_id=cid, key="来源", value=f"展会{i}")

    book.transact(fill)
    book.close()
    csv = tmp_path / "customers.csv"
    assert Kehu(source)("--db", source, "export", str(csv)).code == 0
    kehu.ok("add", "开始", "--phone", "13700000000")
    rng = random.Random(3)
    outcomes = {"none": 0, "all": 0, "partial": 0}
    killed = inside = broken = 0
    for _ in range(16):
        code, in_tx = _kill_inside(["import", str(csv)], isolated, rng)
        killed += code == -signal.SIGKILL
        inside += code == -signal.SIGKILL and in_tx
        conn = sqlite3.connect(isolated)
        imported, facts = conn.execute(
            "SELECT COUNT(*), (SELECT COUNT(*) FROM profile_field WHERE key = '来源')"
            " FROM customer WHERE name LIKE '导入%'"
        ).fetchone()
        conn.close()
        outcomes[{(0, 0): "none", (300, 300): "all"}.get((imported, facts), "partial")] += 1
        broken += _integrity(isolated) != "ok"
    figures = (
        f"crash during `kehu import` of 300 customers: kills={killed} ({inside} inside the "
        f"transaction), book afterwards: {outcomes}, integrity failures={broken}"
    )
    print(f"\n{figures}")
    assert outcomes["partial"] == 0 and broken == 0, figures
    assert inside >= 10, figures
    _timed(["import", str(csv)])  # and left alone, it brings them all
    assert kehu.count("customer") == 301 and kehu.count("profile_field") == 300


def test_killed_first_run_leaves_a_usable_book(tmp_path, isolated):
    """The very first run creates the book: a kill at any point leaves no empty or
    half-made file that kehu would later refuse."""
    rng = random.Random(7)
    first = tmp_path / "first" / "kehu.db"
    typical = _timed(["--db", str(first), *_sale(0)])
    outcomes = {"no file": 0, "empty book": 0, "complete": 0}
    for i in range(8):
        path = tmp_path / f"fresh{i}" / "kehu.db"
        _kill_after(["--db", str(path), *_sale(i)], rng.uniform(0, typical * 1.1))
        if not path.exists():
            outcomes["no file"] += 1
        else:
            assert _integrity(path) == "ok"
            state = _sale_state(str(path), i) if _tables(path) else (0, 0, 0)
            assert state in ((0, 0, 0), (1, 1, 2)), state
            outcomes["complete" if state[0] else "empty book"] += 1
        book = Kehu(str(path))
        book.ok("--db", str(path), "add", "之后", "--phone", "13799999999")
        assert book.ok("--db", str(path), "list").count("之后") == 1
    print(f"\ncrash on the first run (book creation): 8 kills, {outcomes}, all usable after")


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_killed_backup_leaves_nothing_that_counts_as_latest(kehu, isolated):
    kehu.ok("add", "开始", "--phone", "13700000000", "--product", "Polo")
    conn = sqlite3.connect(isolated)
    with conn:  # a bigger book, so that the copy takes a while
        conn.executemany(
            "INSERT INTO contact (customer_id, at, channel, kind, outcome, note, made_by)"
            " VALUES (1, '2026-11-01 02:00:00+00:00', 'call', 'follow-up', 'reached', ?, 'mei')",
            [(f"{i} " + "备注" * 200,) for i in range(15_000)],
        )
    conn.close()
    book = Path(isolated)
    started = time.monotonic()
    assert _start(["backup"]).wait(timeout=60) == 0
    typical = time.monotonic() - started
    good = backup.latest(book)
    assert good is not None
    rng = random.Random(11)
    killed = 0
    for i in range(10):
        when = f"2026-11-22T10:{i + 1:02d}"  # each copy has a name of its own
        process = _start(["backup"], KEHU_NOW=when)
        time.sleep(rng.uniform(0, typical * 1.1))
        process.send_signal(signal.SIGKILL)
        killed += process.wait(timeout=60) == -signal.SIGKILL
        for copy in backup.all_copies(book):
            assert copy.stat().st_size > 0 and _integrity(copy) == "ok", copy
            assert copy.stat().st_mode & 0o777 == 0o600, copy
        latest = backup.latest(book)
        assert latest is not None and _integrity(latest) == "ok"
    leftovers = [p.name for p in backup.folder(book).iterdir() if p.name.startswith(".")]
    print(
        f"\ncrash during `kehu backup`: {killed} of 10 killed, half-written backups counted: 0, "
        f"hidden temporary files left: {len(leftovers)}"
    )
