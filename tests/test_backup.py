"""`kehu backup`: a consistent, verified, private copy, even while another kehu writes; and the
rolling daily copies (the last 7) kept beside the book."""

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from conftest import sqlite_only

from kehu.base.errors import BadInput
from kehu.book import backup

pytestmark = sqlite_only
WORKERS = Path(__file__).with_name("workers.py")


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _check_copy(path: Path) -> int:
    """A copy that passes every check; returns how many sales it holds."""
    assert path.stat().st_mode & 0o777 == 0o600, oct(path.stat().st_mode)
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(path, "PRAGMA foreign_key_check") == []
    assert _rows(path, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert not Path(f"{path}-wal").exists()
    # A snapshot: each sale of the writer is there whole (customer, purchase, two facts) or not.
    sales = _rows(
        path,
        "SELECT c.name, (SELECT COUNT(*) FROM purchase p WHERE p.customer_id = c.id),"
        " (SELECT COUNT(*) FROM profile_field f WHERE f.customer_id = c.id)"
        " FROM customer c WHERE c.name LIKE '备份%'",
    )
    assert all(purchases == 1 and facts == 2 for _, purchases, facts in sales), sales
    orphans = _rows(
        path, "SELECT COUNT(*) FROM purchase WHERE customer_id NOT IN (SELECT id FROM customer)"
    )
    assert orphans == [(0,)]
    return len(sales)


def test_backup_while_another_kehu_writes(kehu, isolated, tmp_path):
    kehu.ok("add", "开始", "--phone", "13700000000", "--product", "Polo")
    stop = tmp_path / "stop"
    out = tmp_path / "adder.json"
    writer = subprocess.Popen(
        [sys.executable, str(WORKERS), "adder", "备份", str(stop), str(out)],
        stderr=subprocess.PIPE,
    )
    copies = []
    try:
        deadline = time.monotonic() + 60
        while kehu.count("purchase") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # the writer is under way
        for i in range(6):
            target = tmp_path / "copies" / f"备份{i}.db"
            target.parent.mkdir(exist_ok=True)
            result = kehu("backup", str(target))
            assert result.code == 0 and result.err == "", result
            assert f"Backed up to {target} (verified" in result.out
            copies.append(target)
            time.sleep(0.15)
    finally:
        stop.touch()
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
    runs = json.loads(out.read_text(encoding="utf-8"))
    assert runs and all(r["code"] == 0 and r["err"] == "" for r in runs), runs[:3]
    sales = [_check_copy(copy) for copy in copies]
    assert sales == sorted(sales) and sales[-1] > sales[0], sales  # taken while rows came in
    assert kehu.count("purchase") == len(runs) + 1
    print(
        f"\nbackup under load: {len(copies)} copies while a writer made {len(runs)} sales; "
        f"sales in the copies {sales}; all verified, 0600, consistent"
    )


def test_backup_never_overwrites(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    target = tmp_path / "mine.db"
    target.write_bytes(b"something of the user's")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    result = kehu("backup", str(target))
    assert result.code == BadInput.exit_code, result
    assert result.err == f"kehu: {target} already exists; kehu never overwrites a file\n"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".mine.db")]


def test_backup_into_a_folder_and_by_default(kehu, isolated, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    folder = tmp_path / "usb"
    folder.mkdir()
    kehu.ok("backup", str(folder))
    (made,) = folder.iterdir()
    assert made.name.startswith("kehu-") and made.name.endswith("-manual.db")
    kehu.ok("backup", now="2026-11-22T10:05")  # after the day's copy the add took
    latest = backup.latest(Path(isolated), datetime(2026, 11, 22, 10, 5))
    assert latest is not None and latest.name.endswith("-manual.db")
    for copy in (made, latest):
        assert copy.stat().st_mode & 0o777 == 0o600
        assert _rows(copy, "SELECT name FROM customer") == [("张伟",)]
    assert backup.folder(Path(isolated)).stat().st_mode & 0o777 == 0o700


def test_backup_into_a_folder_still_to_make_when_its_name_ends_in_a_slash(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    folder = tmp_path / "usb" / "kehu"
    said = kehu.ok("backup", f"{folder}/")
    assert folder.is_dir()  # a folder, never a file named like it
    (made,) = folder.iterdir()
    assert made.name.startswith("kehu-") and made.name.endswith("-manual.db")
    assert said == f"Backed up to {made} (verified, {made.stat().st_size:,} bytes).\n"
    assert _rows(made, "SELECT name FROM customer") == [("张伟",)]
    assert made.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700
    kehu.ok("backup", f"{folder}/", now="2026-11-22T10:05")  # again: a second copy beside it
    assert len(list(folder.iterdir())) == 2


def test_daily_backups_keep_the_last_seven(kehu, isolated):
    first = date(2026, 11, 22)
    days = [first + timedelta(days=n) for n in range(9)]
    for n, day in enumerate(days):
        for hour, who in ((9, "早"), (17, "晚")):
            kehu.ok(
                "add", f"{who}{n}", "--phone", f"1380{n:03d}{hour:04d}", now=f"{day}T{hour:02d}:00"
            )
    daily = backup.all_copies(Path(isolated), "daily")
    # One copy a day, right after the day's first write (the first day's too, which made the
    # book): nine taken, the oldest two pruned.
    assert len(daily) == 7, [p.name for p in daily]
    stamps = [p.name.split("-")[1] for p in daily]
    assert stamps == [f"{d:%Y%m%d}" for d in days[2:]], stamps
    last_evening = datetime(2026, 11, 30, 17, 0)  # copies dated after "now" would not count
    assert backup.latest(Path(isolated), last_evening) == daily[-1]
    for n, copy in enumerate(daily, start=2):
        # Taken after the day's first write: the evening before, and that morning's sale.
        assert _rows(copy, "SELECT COUNT(*) FROM customer") == [(2 * n + 1,)]
        assert copy.stat().st_mode & 0o777 == 0o600
        assert _rows(copy, "PRAGMA integrity_check") == [("ok",)]
    print(f"\ndaily backups after 9 days of work: {len(daily)} kept, newest {daily[-1].name}")


def test_the_command_that_makes_the_book_takes_that_days_copy(kehu, tmp_path):
    source = tmp_path / "out.csv"
    source.write_text("name,phone\n张伟,13800138000\n", encoding="utf-8")
    book = tmp_path / "new" / "a.db"
    book.parent.mkdir()
    kehu.ok("--db", str(book), "import", str(source))
    [copy] = backup.all_copies(book, "daily")
    assert copy.parent == book.parent / "backups" and copy.name.startswith("a-20261122-")
    assert _rows(copy, "SELECT name FROM customer") == [("张伟",)]
    kehu.ok("--db", str(book), "add", "李娜")  # the day's copy is taken once
    assert backup.all_copies(book, "daily") == [copy]
    failed = tmp_path / "bad.csv"
    failed.write_text("name,phone\n,13800138000\n", encoding="utf-8")
    other = tmp_path / "other" / "b.db"
    other.parent.mkdir()
    assert kehu("--db", str(other), "import", str(failed)).code == 2
    assert list(other.parent.iterdir()) == []  # a failed first write leaves no book, no copy


@sqlite_only
def test_the_daily_copy_is_taken_in_the_background(kehu, isolated):
    import os

    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-11-21T10:00")  # the day before
    env = {k: v for k, v in os.environ.items() if k != "KEHU_BACKUP"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "kehu", "log", "张伟", "--via", "call"],
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "")
    deadline = started + 30

    def todays() -> list[Path]:
        return [c for c in backup.all_copies(Path(isolated), "daily") if "-20261122-" in c.name]

    while not todays() and time.perf_counter() < deadline:
        time.sleep(0.1)
    [copy] = todays()
    while _rows(copy, "PRAGMA integrity_check") != [("ok",)] and time.perf_counter() < deadline:
        time.sleep(0.1)  # the copy is published only once verified, but be patient with CI
    assert _rows(copy, "SELECT COUNT(*) FROM contact") == [(1,)]
    assert copy.stat().st_mode & 0o777 == 0o600
