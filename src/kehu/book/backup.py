"""Copies of the book: on demand (`kehu backup`), daily, and before a schema upgrade.

SQLite's online backup API gives a consistent copy while others write; each copy is checked
with integrity_check before it counts, and is private to the user (0600).
"""

import os
import re
import sqlite3
import stat
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from kehu.base import files
from kehu.base.errors import BadInput, BookUnusable, error_name
from kehu.base.i18n import _

KEEP_DAILY = 7
# A copy's name: BOOK-YYYYmmdd-HHMMSS-LABEL.db, LABEL daily, manual, schemaN or schemaN.M.
STAMP_AND_LABEL = r"-(\d{8})-(\d{6})-(daily|manual|schema\d+(?:\.\d+)?)\.db"
# What base.files leaves of a copy made by a kehu killed halfway: the hidden temporary file
# and the journal SQLite kept beside it.
LEFTOVER = re.compile(r"\..+" + STAMP_AND_LABEL + r"\.[A-Za-z0-9_]+\.tmp(-journal|-wal|-shm)?")
SQLITE_HEADER = b"SQLite format 3\x00"


def real_book(book_path: Path) -> Path:
    """The book file itself: a symlinked KEHU_DB's copies are named after (and kept beside)
    the file it points to."""
    return Path(os.path.realpath(book_path))


def folder(book_path: Path) -> Path:
    return real_book(book_path).parent / "backups"


def all_copies(book_path: Path, label: str | None = None) -> list[Path]:
    """This book's copies (never another book's that shares a prefix), oldest first; names
    carry the time they were taken. Listed, not globbed: a book may be named kehu[1].db."""
    pattern = re.compile(re.escape(real_book(book_path).stem) + STAMP_AND_LABEL)
    try:
        names = os.listdir(folder(book_path))
    except OSError:
        return []
    found = []
    for name in names:
        match = pattern.fullmatch(name)
        if match and (label is None or match[3] == label):
            found.append((match[1], match[2], name))
    return [folder(book_path) / name for *_, name in sorted(found)]


def taken_at(copy: Path) -> datetime | None:
    """The wall-clock time in a copy's name (names before 0.3 were in UTC: hours apart)."""
    match = re.search(STAMP_AND_LABEL + "$", copy.name)
    try:
        return datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S") if match else None
    except ValueError:
        return None


def flaw(copy: Path, now: datetime) -> str | None:
    """Why a copy cannot count as a backup: "future" (dated after `now`, on the user's clock),
    "empty" or "damaged" (not a SQLite file); None for a copy that counts."""
    when = taken_at(copy)
    if when is None or when > now.replace(tzinfo=None):
        return "future"
    try:
        with open(copy, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError:
        return "damaged"
    if not header:
        return "empty"
    return None if header == SQLITE_HEADER else "damaged"


def latest(book_path: Path, now: datetime | None = None) -> Path | None:
    """The newest copy that counts: never one dated in the future, empty or damaged."""
    now = now or _now()
    usable = [c for c in all_copies(book_path) if flaw(c, now) is None]
    return max(usable, key=lambda c: taken_at(c) or datetime.min, default=None)


def stamped(book_path: Path, label: str, when: datetime) -> Path:
    """The copy's name carries `when` on the user's wall clock (its zone), like every time
    kehu shows."""
    return folder(book_path) / f"{real_book(book_path).stem}-{when:%Y%m%d-%H%M%S}-{label}.db"


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
            if error_name(e) == "SQLITE_FULL" or error_name(e).startswith("SQLITE_IOERR_WRITE"):
                # The copy's disk, not the book: never call a healthy book damaged.
                if files.nearly_full(target.parent):
                    raise BookUnusable(
                        _("the disk holding {folder} is full, so {target} was not written; the "
                          "book is as it was").format(folder=target.parent, target=target)
                    ) from None  # fmt: skip
                raise BookUnusable(  # room on the disk: a limit on the user's files stopped it
                    _("{target} was not written ({error}): its disk is full, or a limit on your "
                      "files (a disk quota, ulimit -f) was reached; the book is as it was").format(
                        target=target, error=error_name(e))
                ) from None  # fmt: skip
            verdict = error_name(e)
        finally:
            copy.close()
        if verdict != "ok":
            raise BookUnusable(
                _("the copy failed its integrity check ({verdict}), so {target} was not written;"
                  " the book may be damaged: `kehu doctor` checks it").format(
                    verdict=verdict, target=target)
            )  # fmt: skip


def _sweep(folder: Path, keep: Path) -> None:
    """Remove what copies made by a kehu killed over an hour ago left: only kehu's own
    temporary names, and only this user's files."""
    an_hour_ago = _now().timestamp() - 3600
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        stale = folder / name
        if not LEFTOVER.fullmatch(name) or name.startswith(keep.name):
            continue
        try:
            info = stale.lstat()
            if (
                info.st_uid == os.getuid()
                and stat.S_ISREG(info.st_mode)
                and (info.st_mtime < an_hour_ago)
            ):
                stale.unlink()
        except OSError:
            pass  # another kehu's, or gone already


def _now() -> datetime:
    from kehu.base import clock

    return clock.now(_user_zone())


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
    """No daily copy yet for today (the user's calendar day, `now`'s zone)? A copy dated in the
    future, empty or damaged does not count (a clock that ran ahead once stops nothing)."""
    today = now.date()
    for copy in all_copies(book_path, "daily"):
        when = taken_at(copy)
        if when is not None and when.date() == today and flaw(copy, now) is None:
            return False
    return True


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
    target = stamped(book_path, "daily", now)
    source = sqlite3.connect(book_path, timeout=30)
    try:
        verified_copy(source, target)
    except files.AlreadyThere:  # another kehu took today's copy a moment ago
        return None
    finally:
        source.close()
    counted = [c for c in all_copies(book_path, "daily") if flaw(c, now) is None]
    for old in counted[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
    return target


if __name__ == "__main__":  # the background daily copy: python -m kehu.book.backup BOOK
    import sys

    from kehu.base import clock, settings

    os.umask(0o077)
    try:
        daily(Path(sys.argv[1]), clock.now(settings.load().tz()))
    except Exception:  # nobody is there to read it; the next write of the day tries again
        sys.exit(1)
