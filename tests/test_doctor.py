"""`kehu doctor`: integrity_check, foreign_key_check, schema version, where the file is, its
size and permissions, and the latest backup; a non-zero exit when anything is wrong."""

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SERVER_URL, sqlite_only

from kehu.book import backup, health, migrations


def _book(kehu) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--set", "爱好=钓鱼")
    kehu.ok("log", "1", "--via", "call", "--note", "谈了保养")
    kehu.ok("promise", "1", "送保养券", "--due", "tomorrow")


def _lines(out: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def test_a_healthy_book(kehu, isolated):
    _book(kehu)
    if not SERVER_URL:
        kehu.ok("backup")
    result = kehu("doctor")
    assert result.code == 0 and result.err == "", result
    fields = _lines(result.out)
    assert fields["schema"] == f"{migrations.CURRENT} (this kehu: {migrations.CURRENT})"
    assert fields["status"] == "ok" and "problem" not in fields
    assert fields["customers"] == "1"
    report = kehu.json("doctor")
    assert report["problems"] == []
    if SERVER_URL:
        assert "***" in report["book"] or "@" not in report["book"]  # no password shown
        return
    book = Path(isolated)
    assert fields["book"] == isolated
    assert fields["integrity"] == "ok" and fields["foreign keys"] == "ok"
    assert fields["checked"] == "every page and row (quick_check); value rules and indexes: --full"
    assert report["check"] == "quick_check" and kehu.json("doctor", "--full")["check"] == (
        "integrity_check"
    )
    assert fields["size"] == f"{book.stat().st_size:,} bytes"
    assert "kehu.db -rw-------" in fields["permissions"]
    assert fields["folder"] == f"{book.parent} drwx------"
    assert fields["latest backup"] == str(backup.latest(book))
    print(f"\ndoctor on a healthy book:\n{result.out}")


@sqlite_only
def test_no_backup_yet_is_said(kehu):
    kehu.new_book()  # no change made yet, so no day's copy
    assert kehu.json("doctor")["latest backup"] is None
    assert _lines(kehu.ok("doctor"))["latest backup"] == "none yet"


def test_the_json_holds_numbers_and_codes_the_same_in_both_languages(kehu, isolated):
    _book(kehu)
    report = kehu.json("doctor")
    assert report["schema"] == report["kehu_schema"] == migrations.CURRENT
    assert report["customers"] == 1
    if not SERVER_URL:
        assert report["size_bytes"] == Path(isolated).stat().st_size
        assert report["broken_links"] == 0 and report["integrity"] == ["ok"]
        assert report["integrity_error"] is None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    printed = []
    for language in ("en", "zh"):
        done = subprocess.run(
            [sys.executable, "-m", "kehu", "doctor", "--json"], env={**env, "KEHU_LANG": language},
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        printed.append(done.stdout)
    assert printed[0] == printed[1]
    assert json.loads(printed[0])["schema"] == migrations.CURRENT


@sqlite_only
def test_a_book_with_problems_has_the_same_json_in_both_languages(kehu, isolated):
    """The problems are codes with what they concern; the words are the text output's."""
    _book(kehu)
    os.chmod(isolated, 0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    printed = {}
    for language in ("en", "zh"):
        done = subprocess.run(
            [sys.executable, "-m", "kehu", "doctor", "--json"], env={**env, "KEHU_LANG": language},
            capture_output=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 1, done
        printed[language] = done.stdout
    assert printed["en"] == printed["zh"]
    problems = json.loads(printed["en"])["problems"]
    assert problems[0] == {"code": "file_readable", "path": isolated}
    assert {p["code"] for p in problems} == {"file_readable"}  # with -wal and -shm, if there
    words = subprocess.run(
        [sys.executable, "-m", "kehu", "doctor"], env={**env, "KEHU_LANG": "zh"},
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert f"chmod 600 {isolated}" in words and "file_readable" not in words
    assert "can be read by others" not in words


@sqlite_only
def test_a_world_readable_book_is_a_problem(kehu, isolated):
    _book(kehu)
    os.chmod(isolated, 0o644)
    result = kehu("doctor")
    assert result.code == 1, result
    assert f"{isolated} can be read by others: chmod 600 {isolated}" in result.out
    assert _lines(result.out)["status"] == "NOT OK"
    os.chmod(isolated, 0o600)
    Path(isolated).parent.chmod(0o755)
    result = kehu("doctor")
    assert result.code == 1 and "is open to others: chmod 700" in result.out, result


@sqlite_only
@pytest.mark.parametrize("check", ["quick_check", "integrity_check"])
@pytest.mark.parametrize(
    "tree, offset, garbage",
    [
        ("ix_customer_phone_digits", 8, random.Random(2).randbytes(200)),
        ("customer", 0, b"\xff" * 64),  # integrity_check itself stops on this one
        ("contact", 0, b"\xff" * 64),  # the largest table of a real book
        ("ix_contact_kind_at", 8, random.Random(3).randbytes(200)),
    ],
)
def test_a_damaged_page_is_reported(kehu, isolated, tmp_path, tree, offset, garbage, check):
    """quick_check by default, integrity_check with --full."""
    # A copy with one page overwritten: the book still opens, doctor says NOT OK.
    _book(kehu)
    for i in range(30):
        kehu.ok("add", f"客户{i}", "--phone", f"1390000{i:04d}", "--note", "备注" * 100)
    conn = sqlite3.connect(isolated)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = :tree", {"tree": tree}
    ).fetchone()[0]
    conn.close()
    copy = tmp_path / "copy" / "kehu.db"
    copy.parent.mkdir(mode=0o700)
    shutil.copyfile(isolated, copy)
    with copy.open("r+b") as f:
        f.seek((root - 1) * page_size + offset)
        f.write(garbage)
    full = ["--full"] if check == "integrity_check" else []
    result = kehu("--db", str(copy), "doctor", *full)
    assert result.code == 1, result
    fields = _lines(result.out)
    assert fields["integrity"] != "ok" and fields["status"] == "NOT OK", result
    assert "problem" in fields and f"{check}:" in fields["problem"], result
    print(f"\ndoctor on a damaged copy: integrity: {fields['integrity']}")


@sqlite_only
def test_a_value_breaking_its_tables_rule_is_found_by_full(kehu, isolated):
    """The default does not check values against the CHECK rules (most of quick_check's time
    on a big book) and says so; --full does."""
    _book(kehu)
    conn = sqlite3.connect(isolated)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE contact SET channel = 'pigeon'")
    conn.commit()
    conn.close()
    quick = kehu("doctor")
    assert quick.code == 0 and _lines(quick.out)["integrity"] == "ok", quick
    assert "value rules and indexes: --full" in _lines(quick.out)["checked"]
    full = kehu("doctor", "--full")
    assert full.code == 1, full
    fields = _lines(full.out)
    assert fields["checked"] == "every page, row, value rule and index (integrity_check)"
    assert "CHECK constraint failed" in fields["integrity"], full
    assert fields["problem"].startswith("integrity_check:"), full


def test_the_page_check_leaves_the_rules_on(tmp_path):
    """Switching CHECK rules off for the default check lasts only as long as the check."""
    conn = sqlite3.connect(tmp_path / "b.db")
    conn.execute("CREATE TABLE t (x INTEGER CHECK (x > 0))")
    for full in (False, True):
        assert health._checks(conn, full) == ((["ok"], None), [])
        assert conn.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO t VALUES (0)")


@sqlite_only
def test_rows_pointing_nowhere_are_reported(kehu, isolated):
    _book(kehu)
    _purchase_of_no_customer(isolated)
    result = kehu("doctor")
    assert result.code == 1, result
    assert _lines(result.out)["foreign keys"] == "1 broken"
    assert "1 rows point at rows that do not exist" in result.out


def _purchase_of_no_customer(book: str) -> None:
    conn = sqlite3.connect(book)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO purchase (customer_id, product, sold_at) "
        "VALUES (999, 'Ghost', '2026-11-22 02:00:00+00:00')"
    )
    conn.commit()
    conn.close()


def _damage(book: str, copy: Path, tree: str) -> None:
    """`copy`: the book with the root page of `tree` overwritten."""
    conn = sqlite3.connect(book)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = :tree", {"tree": tree}
    ).fetchone()[0]
    conn.close()
    copy.parent.mkdir(mode=0o700)
    shutil.copyfile(book, copy)
    with copy.open("r+b") as f:
        f.seek((root - 1) * page_size + 8)
        f.write(random.Random(3).randbytes(200))


@sqlite_only
def test_a_broken_link_and_a_damaged_page_are_both_reported(kehu, isolated, tmp_path):
    """The links and the pages are checked side by side; one run reports both."""
    _book(kehu)
    for i in range(30):
        kehu.ok("add", f"客户{i}", "--phone", f"1390000{i:04d}", "--note", "备注" * 100)
    _purchase_of_no_customer(isolated)
    copy = tmp_path / "copy" / "kehu.db"
    _damage(isolated, copy, "ix_customer_phone_digits")
    before = copy.read_bytes()
    threads = threading.active_count()
    result = kehu("--db", str(copy), "doctor")
    assert result.code == 1 and result.err == "", result
    fields = _lines(result.out)
    assert fields["integrity"] != "ok" and fields["foreign keys"] == "1 broken", result
    assert "quick_check:" in result.out, result
    assert "1 rows point at rows that do not exist" in result.out, result
    assert fields["status"] == "NOT OK", result
    assert threading.active_count() == threads  # the second check ended with the command
    assert copy.read_bytes() == before


def test_both_checks_read_one_state_of_the_file(tmp_path):
    """A commit landing while the checks run is in neither: they read one state of the file."""
    path = tmp_path / "b.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA foreign_keys = ON")
    writer.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    writer.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))")
    first = sqlite3.connect(path, isolation_level=None)
    second = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    assert health._read_together(first, second)
    writer.execute("PRAGMA foreign_keys = OFF")
    writer.execute("INSERT INTO child VALUES (7)")  # a broken link, committed after the start
    for conn in (first, second):
        assert conn.execute("SELECT COUNT(*) FROM child").fetchone() == (0,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    health._end_reads(first, second)
    assert not first.in_transaction and not second.in_transaction
    assert health._checks(first, False, other=second) == (
        (["ok"], None),
        [("child", 1, "parent", 0)],
    )
    assert not first.in_transaction and not second.in_transaction


def test_a_failure_of_the_second_check_is_not_taken_for_ok(tmp_path):
    path = tmp_path / "b.db"
    sqlite3.connect(path, isolation_level=None).execute("CREATE TABLE t (x)")
    first = sqlite3.connect(path, isolation_level=None)
    second = sqlite3.connect(path, isolation_level=None)  # usable in this thread only
    with pytest.raises(sqlite3.ProgrammingError):
        health._checks(first, False, other=second)
    assert not first.in_transaction and not second.in_transaction
