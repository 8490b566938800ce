"""A full disk and a read-only book (issue: nothing lost, part two, 16-17): reads, export and a
backup to another place keep working; writes are one line saying why and write nothing; a
healthy book is never called damaged.

The full disk and the read-only filesystem are real: a 1 MiB tmpfs, filled up or remounted
read-only (needs root, as in the CI container; skipped elsewhere). The read-only file is also
simulated in-process (os.access says no), which runs everywhere."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import sqlite_only
from test_bad_input import refused

pytestmark = sqlite_only


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _reads_work(kehu: Any, elsewhere: Path) -> None:
    assert "王芳" in kehu.ok("list")
    assert "王芳" in kehu.ok("show", "1")
    assert "王芳" in kehu.ok("today")
    assert kehu("export", str(elsewhere / "out.csv")).code == 0
    assert "王芳" in (elsewhere / "out.csv").read_text(encoding="utf-8-sig")
    kehu.ok("backup", str(elsewhere / "copy.db"))


def test_a_full_disk_keeps_reads_and_says_so_for_writes(
    kehu: Any, small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = small_disk / "kehu.db"
    monkeypatch.setenv("KEHU_DB", str(book))
    kehu.target = str(book)
    kehu.ok("add", "王芳", "--phone", "13800138000")
    filler = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(filler, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(filler)
    _reads_work(kehu, tmp_path)
    full = f"kehu: the disk holding {small_disk} is full; nothing was written — free some " \
        "space and try again"  # fmt: skip
    assert refused(kehu, 6, "add", "李娜") == full
    assert refused(kehu, 6, "log", "1") == full
    copy = refused(kehu, 6, "backup", str(small_disk / "copy.db"))
    assert "full" in copy and "damaged" not in copy
    (small_disk / "filler").unlink()
    kehu.ok("add", "李娜")
    assert kehu.count("customer") == 2
    print(
        "\nfull disk (1 MiB, filled to 0 bytes free): show, today, export and backup elsewhere"
        " work; add, log and backup there refused in one line, nothing written; book intact"
    )


def test_a_read_only_filesystem_keeps_reads_export_and_backup(
    kehu: Any, small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = small_disk / "kehu.db"
    monkeypatch.setenv("KEHU_DB", str(book))
    kehu.target = str(book)
    kehu.ok("add", "王芳", "--phone", "13800138000")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    _reads_work(kehu, tmp_path)
    line = refused(kehu, 6, "add", "李娜")
    assert line.startswith(f"kehu: {book} is read-only, so nothing was written")


def test_a_read_only_book_file_is_read_and_never_written(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kehu.ok("add", "王芳", "--phone", "13800138000")
    real_access = os.access

    def no_writing(path: Any, mode: int, **kwargs: Any) -> bool:
        return False if mode & os.W_OK else real_access(path, mode, **kwargs)

    monkeypatch.setattr("kehu.book.engine.os.access", no_writing)
    _reads_work(kehu, tmp_path)
    for command in (["add", "李娜"], ["log", "1"], ["edit", "1", "--company", "x"]):
        line = refused(kehu, 6, *command)
        assert "read-only, so nothing was written" in line


def _limited(limit: int, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """kehu in a process whose files cannot grow past `limit` bytes (`ulimit -f`): what a full
    disk quota does too, with room left on the disk."""
    import resource
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "KEHU_LANG": lang}
    return subprocess.run([sys.executable, "-m", "kehu", *args], capture_output=True, text=True,
                          env=env, preexec_fn=cap)  # fmt: skip


def test_a_file_size_limit_is_told_as_such_and_never_as_a_book_that_cannot_be_used(
    kehu: Any, isolated: str, tmp_path: Path
) -> None:
    kehu.ok("add", "王芳", "--phone", "13800138000")
    sheet = tmp_path / "客户.csv"
    sheet.write_text("姓名,电话\n" + "".join(f"客户{i},139{i:08d}\n" for i in range(2000)),
                     encoding="utf-8")  # fmt: skip
    before = kehu.snapshot()
    imported = _limited(64 * 1024, "import", str(sheet), "--yes")
    assert imported.returncode == 6 and imported.stdout == "", imported
    assert imported.stderr == (
        f"kehu: {isolated} could not grow (SQLITE_IOERR_WRITE): its disk is full, or a limit on "
        "your files (a disk quota, ulimit -f) was reached; nothing was written — free some space "
        "or raise the limit and try again\n"
    )
    assert kehu.snapshot() == before
    copy = tmp_path / "elsewhere" / "copy.db"
    backed_up = _limited(16 * 1024, "backup", str(copy))
    assert backed_up.returncode == 6 and backed_up.stdout == "", backed_up
    assert backed_up.stderr == (
        f"kehu: {copy} was not written (SQLITE_IOERR_WRITE): its disk is full, or a limit on "
        "your files (a disk quota, ulimit -f) was reached; the book is as it was\n"
    )
    assert not copy.exists() and os.listdir(copy.parent) == []
    zh = _limited(64 * 1024, "import", str(sheet), "--yes", lang="zh")
    assert zh.returncode == 6 and zh.stderr.count("\n") == 1, zh
    assert "ulimit -f" in zh.stderr and "什么也没写入" in zh.stderr, zh
    assert kehu.snapshot() == before
    assert "王芳" in kehu.ok("list")
    kehu.ok("import", str(sheet), "--yes")
    assert kehu.count("customer") == 2001


def test_a_read_only_book_left_by_a_killed_writer_is_read_with_its_last_changes(
    kehu: Any, small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed after its commit leaves the change in the -wal file; on a filesystem
    made read-only since, without the -shm file, that change is read too (it was skipped)."""
    import sys

    book = small_disk / "kehu.db"
    monkeypatch.setenv("KEHU_DB", str(book))
    kehu.target = str(book)
    kehu.ok("add", "王芳", "--phone", "13800138000")
    killed = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE customer SET name = '王芳芳' WHERE id = 1\")\n"
        "os._exit(0)\n"  # as a kill -9 after the commit: nothing checkpointed, nothing closed
    )
    subprocess.run([sys.executable, "-c", killed, str(book)], check=True)
    assert Path(f"{book}-wal").stat().st_size > 0
    Path(f"{book}-shm").unlink(missing_ok=True)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert "王芳芳" in kehu.ok("show", "1")
    assert kehu("export", str(tmp_path / "out.csv")).code == 0
    assert "王芳芳" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    kehu.ok("backup", str(tmp_path / "copy.db"))
    import sqlite3

    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT name FROM customer").fetchall() == [("王芳芳",)]
    copy.close()
    assert refused(kehu, 6, "add", "李娜").startswith(f"kehu: {book} is read-only")
