"""A book that is a folder, not SQLite, truncated, read-only or out of reach: one line that names
the path and what to do, a non-zero exit, and the file's bytes untouched."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import in_chinese, sqlite_only

from kehu.base import i18n
from kehu.base.errors import BookUnusable
from kehu.book import backup

pytestmark = sqlite_only
WORKERS = Path(__file__).with_name("workers.py")
COMMANDS = (
    ("list",),
    ("today",),
    ("show", "1"),
    ("add", "新客户", "--phone", "13900009999", "--product", "Golf"),
    ("log", "1", "--via", "call"),
    ("doctor",),
    ("backup",),
)
CODE = BookUnusable.exit_code


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(err: str) -> bool:
    return err.startswith("kehu: ") and err.count("\n") == 1 and "Traceback" not in err


def _real_book(kehu, isolated: str) -> Path:
    """A book with data and a backup beside it, checkpointed so the file holds everything."""
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    kehu.ok("log", "1", "--via", "call", "--note", "谈了保养", now="2026-11-23T10:00")
    kehu.ok("backup")
    conn = sqlite3.connect(isolated)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return Path(isolated)


def _refused_everywhere(kehu, path: Path, *needles: str) -> list[str]:
    errors = []
    for command in COMMANDS:
        result = kehu("--db", str(path), *command)
        assert result.code == CODE, (command, result)
        assert _one_line(result.err) and result.out == "", (command, result)
        for needle in (str(path), *needles):
            assert needle in result.err, (command, needle, result)
        errors.append(result.err)
    return errors


@pytest.mark.parametrize(
    "content, words",
    [
        (os.urandom(5000), "not a SQLite database"),
        (b"", "is empty"),
        ("客户名单\n张伟, 13800138000\n".encode(), "not a SQLite database"),
        (b"SQLite format 2\x00" + bytes(100), "not a SQLite database"),
    ],
    ids=["random-bytes", "empty", "text", "almost-sqlite"],
)
def test_a_file_that_is_not_sqlite(kehu, tmp_path, content, words):
    path = tmp_path / "kehu.db"
    path.write_bytes(content)
    before = _sha(path)
    errors = _refused_everywhere(kehu, path, words, "leaves it as it is")
    assert _sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kehu.db"]  # nothing made beside it
    print(f"\n{words}: {errors[0].strip()}")


def test_a_folder_given_as_the_book(kehu, tmp_path):
    folder = tmp_path / "客户"
    folder.mkdir()
    _refused_everywhere(kehu, folder, "is a folder", "--db")
    assert list(folder.iterdir()) == []


def test_another_programs_database(kehu, tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO orders (total) VALUES (9.5)")
    conn.commit()
    conn.close()
    before = _sha(path)
    _refused_everywhere(kehu, path, "not a kehu book", "leaves it as it is")
    assert _sha(path) == before


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.2])
def test_a_truncated_book_names_the_latest_backup(kehu, isolated, keep):
    book = _real_book(kehu, isolated)
    latest = backup.latest(book)
    assert latest is not None
    data = book.read_bytes()
    book.write_bytes(data[: int(len(data) * keep)])
    before = _sha(book)
    errors = _refused_everywhere(kehu, book, "is damaged", f"the latest backup is {latest}")
    assert _sha(book) == before
    assert sqlite3.connect(latest).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print(f"\ntruncated to {keep:.0%}: {errors[0].strip()}")


def test_a_truncated_copy_without_backups_says_so(kehu, isolated, tmp_path):
    book = _real_book(kehu, isolated)
    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    copy.write_bytes(book.read_bytes()[:20000])
    before = _sha(copy)
    _refused_everywhere(kehu, copy, "is damaged", "no backup was found")
    assert _sha(copy) == before


def test_a_damaged_book_and_a_newer_one_are_told_in_chinese(kehu, isolated, tmp_path, monkeypatch):
    book = _real_book(kehu, isolated)
    latest = backup.latest(book)
    newer = tmp_path / "newer.db"
    shutil.copyfile(book, newer)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    book.write_bytes(book.read_bytes()[:20000])
    monkeypatch.setenv("KEHU_LANG", "zh")
    try:
        i18n.bind(None)
        damaged = kehu("list")
        unknown = kehu("--db", str(newer), "list")
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        i18n.bind(None)
    assert damaged.code == CODE and _one_line(damaged.err), damaged
    assert "已损坏" in damaged.err and f"最近的备份是 {latest}" in damaged.err, damaged
    assert "is damaged" not in damaged.err and "backup" not in damaged.err.replace(str(latest), "")
    assert unknown.code == CODE and _one_line(unknown.err), unknown
    assert "由更新版本的 kehu 写入（表结构 99，本版最高认识" in unknown.err, unknown


@pytest.mark.parametrize("version", [2097024512, -3, 0])
def test_a_schema_version_no_kehu_has_is_a_damaged_book_not_a_newer_one(kehu, isolated, version):
    """A damaged page where the version is kept: not "written by a newer kehu; upgrade kehu"."""
    book = _real_book(kehu, isolated)
    latest = backup.latest(book)
    conn = sqlite3.connect(book)
    conn.execute("UPDATE schema_version SET version = ?", (version,))
    conn.commit()
    conn.close()
    before = _sha(book)
    errors = _refused_everywhere(
        kehu, book, "is damaged", f"its schema version reads {version}, which no kehu has",
        f"the latest backup is {latest}; see README, Your data, to restore",
    )  # fmt: skip
    assert not any("newer" in e or "upgrade" in e for e in errors), errors
    chinese = in_chinese("list")
    assert chinese.returncode == CODE and _one_line(chinese.stderr), chinese
    assert f"已损坏（读出的数据结构版本是 {version}，任何 kehu 都没有这个版本）" in chinese.stderr
    assert f"最近的备份是 {latest}" in chinese.stderr and "升级" not in chinese.stderr
    assert _sha(book) == before


# ---------------------------------------------------------------- permissions (a real user)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's tmp_path is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="kehu-perm-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for sub in [path, *path.rglob("*")]:
            if sub.is_dir():
                sub.chmod(0o755)
        shutil.rmtree(path, ignore_errors=True)


def _as_user(shared: Path, book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run kehu as a user that permission bits apply to: nobody when we are root."""
    env = {**os.environ, "KEHU_DB": str(book), "KEHU_CONFIG": str(shared / "config.toml")}
    if os.geteuid() == 0:
        command = [sys.executable, str(WORKERS), "as-nobody", *args]
    else:
        command = [sys.executable, "-m", "kehu", *args]
    return subprocess.run(command, env=env, cwd=shared, capture_output=True, text=True, timeout=60)


def _owned_by_user(path: Path) -> None:
    if os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.chown(path, nobody.pw_uid, nobody.pw_gid)


def _copy_of_book(kehu, isolated: str, target: Path) -> Path:
    book = _real_book(kehu, isolated)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(book, target)
    return target


@pytest.mark.parametrize("folder_writable", [True, False])
def test_a_read_only_book(kehu, isolated, shared_dir, folder_writable):
    book = _copy_of_book(kehu, isolated, shared_dir / "ro" / "kehu.db")
    _owned_by_user(book.parent)
    _owned_by_user(book)
    book.chmod(0o400)
    book.parent.chmod(0o755 if folder_writable else 0o555)
    before = _sha(book)
    listed = _as_user(shared_dir, book, "list")  # reads work on a read-only book
    assert listed.returncode == 0 and listed.stderr == "" and "1" in listed.stdout, listed
    for command in (["log", "1", "--via", "call"], ["add", "新客户"]):
        result = _as_user(shared_dir, book, *command)
        assert result.returncode == CODE, result
        assert _one_line(result.stderr), result
        assert str(book) in result.stderr and "read-only" in result.stderr, result
        assert "chmod u+w" in result.stderr, result
    assert "Traceback" not in _as_user(shared_dir, book, "doctor").stderr
    assert _sha(book) == before
    # Reading a WAL book in a folder the user can write makes SQLite's shared-memory files.
    others = {p.name for p in book.parent.iterdir()} - {"kehu.db"}
    assert others <= ({"kehu.db-shm", "kehu.db-wal"} if folder_writable else set())
    assert not (book.parent / "kehu.db-wal").exists() or _size(book.parent / "kehu.db-wal") == 0


def test_a_book_made_read_only_is_not_written_by_its_owner_even_as_root(kehu, isolated):
    """chmod a-w says "do not change this": root, whom permission bits do not stop, obeys too."""
    book = _real_book(kehu, isolated)
    book.chmod(0o400)
    before = _sha(book)
    try:
        assert "张伟" in kehu.ok("list")
        for command in (["log", "1", "--via", "call"], ["add", "新客户"]):
            result = kehu(*command)
            assert result.code == CODE and _one_line(result.err), result
            assert str(book) in result.err and "read-only" in result.err, result
        assert _sha(book) == before
        book.parent.chmod(0o500)  # the folder made read-only instead, the file writable
        book.chmod(0o600)
        result = kehu("log", "1", "--via", "call")
        assert result.code == CODE and "read-only" in result.err, result
    finally:
        book.parent.chmod(0o700)
        book.chmod(0o600)
    assert _sha(book) == before


def _size(path: Path) -> int:
    return path.stat().st_size


def test_a_folder_without_permission(kehu, isolated, shared_dir):
    book = _copy_of_book(kehu, isolated, shared_dir / "locked" / "kehu.db")
    book.parent.chmod(0o700)  # the owner's (root's, or ours when not root) alone
    before = _sha(book)
    if os.geteuid() != 0:
        book.parent.chmod(0o000)
    try:
        for command in (["list"], ["add", "新客户", "--phone", "13900009999"], ["doctor"]):
            result = _as_user(shared_dir, book, *command)
            assert result.returncode == CODE, result
            assert _one_line(result.stderr), result
            assert str(book) in result.stderr and "permission denied" in result.stderr, result
            assert "folder" in result.stderr, result
    finally:
        book.parent.chmod(0o700)
    assert _sha(book) == before


def test_a_new_book_in_a_folder_it_cannot_write(shared_dir):
    folder = shared_dir / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    result = _as_user(shared_dir, folder / "kehu.db", "add", "新客户", "--phone", "13900009999")
    assert result.returncode == CODE, result
    assert _one_line(result.stderr), result
    assert str(folder / "kehu.db") in result.stderr and "cannot create" in result.stderr
    assert list(folder.iterdir()) == []
