"""Copies of the book: on demand (`kehu backup`), daily, and before a schema upgrade.

SQLite's online backup API gives a consistent copy while others write; each copy is checked
with integrity_check before it counts, and is private to the user (0600).
"""

import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from kehu.base.errors import BadInput, BookUnusable

KEEP_DAILY = 7


def folder(book_path: Path) -> Path:
    return book_path.parent / "backups"


def all_copies(book_path: Path, label: str = "*") -> list[Path]:
    """Backups of this book, oldest first (names carry the time they were taken)."""
    return sorted(folder(book_path).glob(f"{book_path.stem}-*-{label}.db"))


def latest(book_path: Path) -> Path | None:
    copies = sorted(all_copies(book_path), key=lambda p: p.name.split("-")[-3:-1])
    return copies[-1] if copies else None


def stamped(book_path: Path, label: str, when: datetime) -> Path:
    utc = when.astimezone(UTC)
    return folder(book_path) / f"{book_path.stem}-{utc:%Y%m%d-%H%M%S}-{label}.db"


def copy_to(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live book to target (which must not exist), verify it, make it 0600.

    The copy is made under a hidden temporary name and appears under its own name only once
    verified, so a kehu killed halfway never leaves a half-written file that looks like a backup.
    """
    from kehu.book import engine

    exists = f"{target} already exists; kehu never overwrites a file"
    if target.exists():
        raise BadInput(exists)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise BadInput(f"cannot write {target}: {e.strerror}") from None
    os.close(fd)  # mkstemp makes it 0600
    partial = Path(name)
    _sweep(target.parent, keep=partial)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as e:  # a damaged page can stop the check itself
            verdict = engine.error_name(e)
        finally:
            copy.close()
        if verdict != "ok":
            raise BookUnusable(
                f"the copy failed its integrity check ({verdict}), so {target} was not written;"
                " the book may be damaged: `kehu doctor` checks it"
            )
        if not engine.publish(partial, target):
            raise BadInput(exists)
    finally:
        partial.unlink(missing_ok=True)


def _sweep(folder: Path, keep: Path) -> None:
    """Remove half-made copies (.NAME.….tmp) left by a kehu killed over an hour ago."""
    from kehu.base import clock

    an_hour_ago = clock.now(UTC).timestamp() - 3600
    for stale in folder.glob(".*.tmp"):
        try:
            if stale != keep and stale.stat().st_mtime < an_hour_ago:
                stale.unlink()
        except OSError:
            pass  # another kehu's, or gone already


def before_migration(book: object, version: int) -> None:
    from kehu.base import clock
    from kehu.book import engine

    if isinstance(book, engine.SQLiteBook):  # a server book is backed up by the server's tools
        # Called while book.conn holds the write lock: read through a connection of its own.
        reader = sqlite3.connect(book.path)
        try:
            now, label, attempt = clock.now(UTC), f"schema{version}", 1
            while stamped(book.path, label, now).exists():  # an earlier try was cut short
                attempt += 1
                label = f"schema{version}.{attempt}"
            copy_to(reader, stamped(book.path, label, now))
        finally:
            reader.close()


def daily_due(book: object, now: datetime) -> bool:
    """No daily copy yet for today (the user's calendar day, `now`'s zone)?"""
    from kehu.book import engine

    if not isinstance(book, engine.SQLiteBook) or book.created:
        return False
    copies = all_copies(book.path, "daily")
    return not copies or _taken(copies[-1]).astimezone(now.tzinfo).date() < now.date()


def start_daily(book: object, now: datetime) -> None:
    """Take today's copy once the first change of the day is committed: in a process of its
    own, so that nobody waits for it (a big book takes seconds to copy and verify).
    KEHU_BACKUP=inline takes it in this process instead (tests, scripts that want it done)."""
    import subprocess
    import sys

    from kehu.book import engine

    if not daily_due(book, now) or not isinstance(book, engine.SQLiteBook):
        return
    if os.environ.get("KEHU_BACKUP") == "inline":
        daily(book, now)
        return
    subprocess.Popen(
        [sys.executable, "-m", "kehu.book.backup", str(book.path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def daily(book: object, now: datetime) -> Path | None:
    """Today's copy, if nobody took it yet; the last KEEP_DAILY are kept. A day is a day of the
    user's calendar: `now` is in their time zone."""
    from kehu.book import engine

    if not daily_due(book, now):
        return None
    assert isinstance(book, engine.SQLiteBook)
    copies = all_copies(book.path, "daily")
    target = stamped(book.path, "daily", now)
    try:
        copy_to(book.conn, target)
    except BadInput:  # another kehu took today's copy a moment ago
        return None
    for old in (copies + [target])[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
    return target


def _taken(copy: Path) -> datetime:
    stamp = "-".join(copy.stem.split("-")[-3:-1])
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


if __name__ == "__main__":  # the background daily copy: python -m kehu.book.backup BOOK
    import sys

    from kehu.base import clock, settings
    from kehu.book import engine as _db

    os.umask(0o077)
    try:
        daily(_db.SQLiteBook(sys.argv[1], create=False), clock.now(settings.load().tz()))
    except Exception:  # nobody is there to read it; the next write of the day tries again
        sys.exit(1)
