"""Copies of the book: on demand (`kehu backup`), daily, and before a schema upgrade.

SQLite's online backup API gives a consistent copy while others write; each copy is checked
with integrity_check before it counts, and is private to the user (0600).
"""

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from kehu.errors import BookUnusable

KEEP_DAILY = 7


def folder(book_path: Path) -> Path:
    return book_path.parent / "backups"


def latest(book_path: Path) -> Path | None:
    copies = sorted(folder(book_path).glob(f"{book_path.stem}-*.db"))
    return copies[-1] if copies else None


def copy_to(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live book to target (which must not exist), verify it, make it 0600."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
        if verdict != "ok":
            raise BookUnusable(f"the backup {target} failed its integrity check ({verdict})")
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def stamped(book_path: Path, label: str, when: datetime) -> Path:
    return folder(book_path) / f"{book_path.stem}-{when:%Y%m%d-%H%M%S}-{label}.db"


def before_migration(book: object, version: int) -> None:
    from kehu import clock, db

    if not isinstance(book, db.SQLiteBook):
        return  # a server book is backed up by the server's own tools (README, Team mode)
    from datetime import UTC

    copy_to(book.conn, stamped(book.path, f"schema{version}", clock.now(UTC)))
