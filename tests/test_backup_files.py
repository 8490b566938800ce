"""Backups are matched to their own book, never counted when dated ahead, empty or damaged,
and `kehu backup DIR` sweeps only what a killed kehu of its own left behind."""

import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conftest import sqlite_only

from kehu.book import backup

pytestmark = sqlite_only
NOW = datetime(2026, 11, 22, 10, 0)


def _book(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()
    return path


def _copy(folder: Path, name: str, content: bytes = b"SQLite format 3\x00" + bytes(84)) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    (folder / name).write_bytes(content)
    return folder / name


def test_two_books_in_one_folder_keep_their_own_backups(tmp_path: Path) -> None:
    shop, shop2025 = _book(tmp_path / "shop.db"), _book(tmp_path / "shop-2025.db")
    folder = backup.folder(shop)
    theirs = [_copy(folder, f"shop-2025-202611{d:02d}-090000-daily.db") for d in range(10, 22)]
    _copy(folder, "shop-2025-20261122-090000-daily.db")
    assert backup.all_copies(shop) == []
    assert backup.latest(shop, NOW) is None
    assert backup.daily_due(shop, NOW)
    made = backup.daily(shop, NOW)
    assert made is not None and made.name == "shop-20261122-100000-daily.db"
    assert all(t.exists() for t in theirs)  # the other book's rotation is its own
    assert backup.latest(shop, NOW) == made
    assert backup.latest(shop2025, NOW) == folder / "shop-2025-20261122-090000-daily.db"


def test_a_book_named_with_glob_characters_is_backed_up_once_a_day(tmp_path: Path) -> None:
    book = _book(tmp_path / "kehu[1].db")
    assert backup.daily(book, NOW) is not None
    assert not backup.daily_due(book, NOW)
    assert backup.daily(book, NOW) is None
    assert len(backup.all_copies(book, "daily")) == 1


def test_future_empty_or_damaged_copies_never_count(kehu: Any, isolated: str) -> None:
    kehu.ok("add", "Ann")
    kehu.ok("add", "Zed")  # the first write after the book was made takes the day's copy
    book = Path(isolated)
    folder = backup.folder(book)
    for name in os.listdir(folder):
        (folder / name).unlink()
    _copy(folder, "kehu-20991231-000000-daily.db")
    _copy(folder, "kehu-20261122-090000-daily.db", b"")
    _copy(folder, "kehu-20261122-080000-manual.db", b"not a book at all")
    assert backup.latest(book, NOW) is None
    assert backup.daily_due(book, NOW)
    kehu.ok("add", "Bob")  # the day's first write takes a copy after all
    assert backup.latest(book) == folder / "kehu-20261122-100000-daily.db"
    report = json.loads(kehu("doctor", "--json").out)
    problems = {(p["code"], Path(p["path"]).name) for p in report["problems"]}
    assert ("backup_future", "kehu-20991231-000000-daily.db") in problems
    assert ("backup_empty", "kehu-20261122-090000-daily.db") in problems
    assert ("backup_damaged", "kehu-20261122-080000-manual.db") in problems
    text = kehu("doctor").out
    assert "kehu-20991231-000000-daily.db is dated in the future" in text
    assert "kehu-20261122-090000-daily.db is empty" in text
    assert "kehu-20261122-080000-manual.db is not a readable book" in text
    assert report["latest backup"].endswith("kehu-20261122-100000-daily.db")


def _doctor_problems(kehu: Any) -> str:
    """The doctor's problems in words, and their codes with the path each concerns."""
    problems = json.loads(kehu("doctor", "--json").out)["problems"]
    codes = "\n".join(f"{p['code']} {p.get('path')}" for p in problems)
    return kehu("doctor").out + "\n" + codes


def test_a_backup_that_cannot_be_made_says_the_change_is_saved(kehu: Any, isolated: str) -> None:
    kehu.ok("add", "Ann")
    folder = backup.folder(Path(isolated))
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("not a folder")  # as a folder kehu cannot write makes it fail
    result = kehu("add", "Bob")
    assert result.code == 0, result
    assert "the change is saved in the book" in result.err, result
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")] == ["Ann", "Bob"]
    assert f"kehu cannot write daily backups to {folder}" in _doctor_problems(kehu)
    assert f"backup_folder {folder}" in _doctor_problems(kehu)


def test_doctor_names_a_backup_folder_owned_by_another_user(kehu: Any, isolated: str) -> None:
    kehu.ok("add", "Ann")
    kehu.ok("add", "Zed")
    folder = backup.folder(Path(isolated))
    if os.getuid() == 0:
        os.chown(folder, 65534, 65534)  # as a root run leaves it, the other way round
    else:
        folder.chmod(0o500)
    try:
        assert f"kehu cannot write daily backups to {folder}" in _doctor_problems(kehu)
        assert f"backup_folder {folder}" in _doctor_problems(kehu)
    finally:
        if os.getuid() == 0:
            os.chown(folder, 0, 0)
        folder.chmod(0o700)


def test_backup_into_a_folder_sweeps_only_its_own_leftovers(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "Ann")
    shared = tmp_path / "shared"
    shared.mkdir()
    hour_ago = datetime(2026, 11, 22, 0, 0, tzinfo=UTC).timestamp()  # the frozen clock's
    others = [shared / ".session.tmp", shared / ".x.db.abc123.tmp", shared / ".kehu.db.tmp"]
    ours = [
        shared / ".kehu-20261121-090000-manual.db.a1b2c3d4.tmp",
        shared / ".kehu-20261121-090000-manual.db.a1b2c3d4.tmp-journal",
        shared / ".shop-20261120-090000-daily.db.zz_9.tmp-wal",
    ]
    for path in others + ours:
        path.write_text("x")
        os.utime(path, (hour_ago, hour_ago))
    fresh = shared / ".kehu-20261122-095900-manual.db.q1w2e3.tmp"
    fresh.write_text("x")  # a kehu copying right now
    kehu.ok("backup", str(shared))
    assert all(p.exists() for p in others) and fresh.exists()
    assert not any(p.exists() for p in ours)


def test_a_symlinked_book_is_backed_up_under_its_own_name(tmp_path: Path) -> None:
    real = _book(tmp_path / "real" / "shop.db")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    made = backup.daily(link, NOW)
    assert made == tmp_path / "real" / "backups" / "shop-20261122-100000-daily.db"
    assert backup.latest(link, NOW) == made


def test_an_export_sweeps_what_a_killed_export_left(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "Ann")
    out = tmp_path / "out"
    out.mkdir()
    stale_time = datetime(2026, 11, 22, 0, 0, tzinfo=UTC).timestamp()
    left = [out / ".customers.csv.k3j_9x2a.tmp", out / ".customers.csv.k3j_9x2a.tmp-journal"]
    others = [out / ".customers.csv.tmp", out / ".other.csv.k3j_9x2a.tmp", out / "notes.tmp"]
    for path in left + others:
        path.write_text("x")
        os.utime(path, (stale_time, stale_time))
    assert kehu("export", str(out / "customers.csv")).code == 0
    assert not any(p.exists() for p in left)
    assert all(p.exists() for p in others)
