"""What `kehu doctor` checks."""

import os
import sqlite3
import stat
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from kehu import __version__
from kehu.base.errors import error_name
from kehu.book import backup, engine, migrations


def _mode(path: Path) -> str:
    return stat.filemode(path.stat().st_mode)


def _page_verdict(conn: sqlite3.Connection, full: bool) -> tuple[list[str], str | None]:
    """The page check's messages (quick_check, or integrity_check when `full`: ["ok"] when
    all is well) and, when it failed outright, the error's name: a damaged file can make it
    fail, which is a verdict too.

    It reads every page of the file. By default the values are not checked against the tables'
    CHECK rules: on a book of 100,000 customers that is ~85% of quick_check's time (2 million
    contacts' channel, kind and outcome against their lists); `full` checks them, and every
    index against its table."""
    pragma = "integrity_check" if full else "quick_check"
    conn.execute(f"PRAGMA ignore_check_constraints = {'OFF' if full else 'ON'}")
    try:
        found = [
            line
            for (row,) in conn.execute(f"PRAGMA {pragma}").fetchall()
            for line in str(row).splitlines()
            if line and not line.startswith("*** in database")
        ]
        return found, None
    except sqlite3.DatabaseError as e:
        return [], error_name(e)
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")


def _broken_links(conn: sqlite3.Connection) -> list[Any]:
    """The rows foreign_key_check finds."""
    try:
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.ProgrammingError:
        raise  # a misuse of the connection, not a verdict on the file
    except sqlite3.DatabaseError:
        return []  # the page check says the file is damaged (or it was cut short: see _checks)


def _read_together(first: sqlite3.Connection, second: sqlite3.Connection) -> bool:
    """Begin a read transaction on both connections over the same state of the file; False
    (neither left in a transaction) when that cannot be made sure of.

    `second`'s data version changes when anyone commits between its two readings; `first`
    began reading in between, so an unchanged version means both read the same commit."""
    for _attempt in range(3):
        try:
            before = second.execute("PRAGMA data_version").fetchone()[0]
            first.execute("BEGIN")
            first.execute("PRAGMA schema_version").fetchone()
            second.execute("BEGIN")
            if second.execute("PRAGMA data_version").fetchone()[0] == before:
                return True
        except sqlite3.Error:
            _end_reads(first, second)
            return False
        _end_reads(first, second)
    return False


def _end_reads(*conns: sqlite3.Connection) -> None:
    for conn in conns:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _checks(
    conn: sqlite3.Connection, full: bool, *, other: sqlite3.Connection | None = None
) -> tuple[tuple[list[str], str | None], list[Any]]:
    """The page check's verdict and foreign_key_check's rows, both over one state of the file.

    Both read every page. With `other` (a second connection to the same file), the links are
    checked on it in a thread while the page check runs here: sqlite3 lets go of the GIL
    while a statement steps, so the two take the time of the longer one. The thread ends
    before this returns, whatever happens."""
    if other is None or not _read_together(conn, other):
        return _page_verdict(conn, full), _broken_links(conn)
    links: list[list[Any]] = []
    failed: list[BaseException] = []

    def check_links() -> None:
        try:
            links.append(_broken_links(other))
        except BaseException as e:  # raised below, in the command's own thread
            failed.append(e)

    thread = threading.Thread(target=check_links)
    thread.start()
    try:
        verdict = _page_verdict(conn, full)
    except BaseException:
        other.interrupt()
        raise
    finally:
        thread.join()
        _end_reads(conn, other)
    if failed:
        raise failed[0]
    return verdict, links[0]


def _backup_problems(book_path: Path, now: datetime) -> list[dict[str, Any]]:
    """Copies that do not count as backups (backup_future, backup_empty, backup_damaged), and
    a backup folder kehu cannot write (backup_folder)."""
    problems: list[dict[str, Any]] = []
    for copy in backup.all_copies(book_path):
        flaw = backup.flaw(copy, now)
        if flaw is not None:
            problems.append({"code": f"backup_{flaw}", "path": str(copy)})
    where = backup.folder(book_path)
    if where.exists() and not (
        where.is_dir()
        and os.access(where, os.W_OK | os.X_OK)
        and where.stat().st_uid == os.getuid()
    ):
        problems.append({"code": "backup_folder", "path": str(where)})
    return problems


def check(book: engine.Book, now: datetime, *, full: bool = False) -> dict[str, Any]:
    """The doctor's report. Every page by default (quick_check without the CHECK rules: its
    time grows with the file, not ~13x per 10x as integrity_check's does); `full` also checks
    every value against its table's rules and every index against its table ("check" names
    which ran)."""
    problems: list[dict[str, Any]] = []
    pragma = "integrity_check" if full else "quick_check"

    def inspect(tx: engine.Tx) -> tuple[int | None, int | None]:
        version = migrations.version_of(tx)
        try:
            return version, int(engine.scalar(tx, "SELECT COUNT(*) FROM customer"))
        except sqlite3.DatabaseError:  # a damaged page: integrity_check below tells more
            return version, None

    version, customers = book.transact(inspect, write=False)
    report: dict[str, Any] = {
        "kehu": __version__,
        "book": book.location,
        "engine": book.dialect,
        "schema": version,
        "kehu_schema": migrations.CURRENT,
        "customers": customers,
    }
    if isinstance(book, engine.SQLiteBook):
        try:
            reader = book.another_reader()
        except sqlite3.Error:
            reader = None  # the links are then checked after the pages, on one connection
        try:
            (messages, error), broken_links = _checks(book.conn, full, other=reader)
        finally:
            if reader is not None:
                reader.close()
        report["check"] = pragma
        report["integrity"] = messages
        report["integrity_error"] = error
        report["broken_links"] = len(broken_links)
        report["size_bytes"] = book.path.stat().st_size
        files = [book.path, *(Path(f"{book.path}{s}") for s in ("-wal", "-shm"))]
        report["permissions"] = ", ".join(f"{p.name} {_mode(p)}" for p in files if p.exists())
        report["folder"] = f"{book.path.parent} {_mode(book.path.parent)}"
        latest = backup.latest(book.path, now)
        report["latest backup"] = str(latest) if latest else None
        problems += _backup_problems(book.path, now)
        if messages != ["ok"] or error is not None:
            problems.append({"code": "damaged", "check": pragma})
        if broken_links:
            problems.append({"code": "broken_links", "count": len(broken_links)})
        for path in files:
            if path.exists() and path.stat().st_mode & 0o077:
                problems.append({"code": "file_readable", "path": str(path)})
        if book.path.parent.stat().st_mode & 0o077:
            problems.append({"code": "folder_open", "path": str(book.path.parent)})
    if book.unsafe_flaw:
        problems.append(book.unsafe_flaw)
    report["problems"] = problems
    return report
