"""What `kehu doctor` checks."""

import stat
from datetime import datetime
from pathlib import Path
from typing import Any

from kehu import __version__, backup, db, migrations


def _mode(path: Path) -> str:
    return stat.filemode(path.stat().st_mode)


def check(book: db.Book, now: datetime) -> dict[str, Any]:
    problems: list[str] = []

    def inspect(tx: db.Tx) -> tuple[int | None, int]:
        return migrations.version_of(tx), int(db.scalar(tx, "SELECT COUNT(*) FROM customer"))

    version, customers = book.transact(inspect, write=False)
    report: dict[str, Any] = {
        "kehu": __version__,
        "book": book.location,
        "engine": book.dialect,
        "schema": f"{version} (this kehu: {migrations.CURRENT})",
        "customers": customers,
    }
    if isinstance(book, db.SQLiteBook):
        conn = book.conn
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        broken_links = conn.execute("PRAGMA foreign_key_check").fetchall()
        report["integrity"] = integrity
        report["foreign keys"] = "ok" if not broken_links else f"{len(broken_links)} broken"
        report["size"] = f"{book.path.stat().st_size:,} bytes"
        files = [book.path, *(Path(f"{book.path}{s}") for s in ("-wal", "-shm"))]
        report["permissions"] = ", ".join(f"{p.name} {_mode(p)}" for p in files if p.exists())
        report["folder"] = f"{book.path.parent} {_mode(book.path.parent)}"
        latest = backup.latest(book.path)
        report["latest backup"] = str(latest) if latest else "none yet"
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        if broken_links:
            problems.append(f"{len(broken_links)} rows point at rows that do not exist")
        for path in files:
            if path.exists() and path.stat().st_mode & 0o077:
                problems.append(f"{path} can be read by others: chmod 600 {path}")
        if book.path.parent.stat().st_mode & 0o077:
            problems.append(f"the folder {book.path.parent} is open to others: chmod 700 it")
    report["problems"] = problems
    return report
