"""Copies of the book: on demand (`kehu backup`), daily, and before a schema upgrade.

SQLite's online backup API gives a consistent copy while others write; each copy is checked
with integrity_check before it counts, and is private to the user (0600).
"""

import os
import sqlite3
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from kehu.base import files
from kehu.base.errors import BadInput, BookUnusable, error_name

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
    """The copy's name carries `when` on the user's wall clock (its zone), like every time
    kehu shows."""
    return folder(book_path) / f"{book_path.stem}-{when:%Y%m%d-%H%M%S}-{label}.db"


def verified_copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live book to target (which must not exist), verify it, make it 0600.

    The copy appears under its own name only once verified (base.files), so a kehu killed
    halfway never leaves a half-written file that looks like a backup.
    """
    with files.new_file(target, make_folder=True) as partial:
        _sweep(target.parent, keep=partial)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as e:  # a damaged page can stop the check itself
            verdict = error_name(e)
        finally:
            copy.close()
        if verdict != "ok":
            raise BookUnusable(
                f"the copy failed its integrity check ({verdict}), so {target} was not written;"
                " the book may be damaged: `kehu doctor` checks it"
            )


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


def before_migration(book_path: Path, version: int) -> None:
    """A copy of a SQLite book as it was before a schema upgrade. Called while the book's own
    connection holds the write lock: reads through a connection of its own."""
    from kehu.base import clock

    reader = sqlite3.connect(book_path)
    try:
        now, label, attempt = clock.now(_user_zone()), f"schema{version}", 1
        while stamped(book_path, label, now).exists():  # an earlier try was cut short
            attempt += 1
            label = f"schema{version}.{attempt}"
        verified_copy(reader, stamped(book_path, label, now))
    finally:
        reader.close()


def _user_zone() -> tzinfo:
    """The zone of the user's days; UTC when the settings cannot say (a copy is still made)."""
    from kehu.base import settings

    try:
        return settings.load().tz()
    except BadInput:
        return UTC


def daily_due(book_path: Path, now: datetime) -> bool:
    """No daily copy yet for today (the user's calendar day, `now`'s zone)?"""
    copies = all_copies(book_path, "daily")
    return not copies or _taken_on(copies[-1]) < now.date()


def start_daily(book_path: Path, now: datetime) -> None:
    """Take today's copy once the first change of the day is committed: in a process of its
    own, so that nobody waits for it (a big book takes seconds to copy and verify).
    KEHU_BACKUP=inline takes it in this process instead (tests, scripts that want it done)."""
    import subprocess
    import sys

    if not daily_due(book_path, now):
        return
    if os.environ.get("KEHU_BACKUP") == "inline":
        daily(book_path, now)
        return
    subprocess.Popen(
        [sys.executable, "-m", "kehu.book.backup", str(book_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def daily(book_path: Path, now: datetime) -> Path | None:
    """Today's copy, if nobody took it yet; the last KEEP_DAILY are kept. A day is a day of the
    user's calendar: `now` is in their time zone."""
    if not daily_due(book_path, now) or not book_path.is_file():
        return None
    copies = all_copies(book_path, "daily")
    target = stamped(book_path, "daily", now)
    source = sqlite3.connect(book_path, timeout=30)
    try:
        verified_copy(source, target)
    except files.AlreadyThere:  # another kehu took today's copy a moment ago
        return None
    finally:
        source.close()
    for old in (copies + [target])[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
    return target


def _taken_on(copy: Path) -> date:
    """The local day in a copy's name (names before 0.3 were in UTC: at most a day apart)."""
    stamp = copy.stem.split("-")[-3]
    try:
        return datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        return date.min


if __name__ == "__main__":  # the background daily copy: python -m kehu.book.backup BOOK
    import sys

    from kehu.base import clock, settings

    os.umask(0o077)
    try:
        daily(Path(sys.argv[1]), clock.now(settings.load().tz()))
    except Exception:  # nobody is there to read it; the next write of the day tries again
        sys.exit(1)
