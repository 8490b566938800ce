"""Completing customer names and ids on Tab: stdlib sqlite3, read-only, never creates a book.

Runs on every Tab, so every lookup is an index range scan, whatever the size of the book: names
that start with what was typed, names whose pinyin does (zw, zhangw and 张w find 张伟: the
stored forms, no pinyin library), and ids when it is a number (12 finds 12, 120-129, ...).
"""

import sqlite3
from pathlib import Path

HIGHEST = "\U0010ffff"  # sorts after any character: "ab" <= name < "ab" + HIGHEST is a prefix


def customers(target: str, incomplete: str, limit: int = 50) -> list[tuple[str, str]]:
    path = Path(target).expanduser()
    if "://" in target or not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            found = {row[0]: row for row in _by_name(conn, incomplete, limit)}
            found.update((row[0], row) for row in _by_pinyin(conn, incomplete, limit))
            found.update((row[0], row) for row in _by_id(conn, incomplete, limit))
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    rows = sorted(found.values(), key=lambda row: (row[1], row[0]))[:limit]
    names = [name for _, name, _ in rows]
    result = []
    for cid, name, phone in rows:
        value = name if names.count(name) == 1 and not str(cid).startswith(incomplete) else str(cid)
        result.append((value, f"#{cid} {name} {phone or ''}".strip()))
    return result


def _by_name(conn: sqlite3.Connection, prefix: str, limit: int) -> list[tuple[int, str, str]]:
    return conn.execute(
        "SELECT id, name, phone FROM customer WHERE name >= :lo AND name < :hi"
        " AND archived_at IS NULL ORDER BY name, id LIMIT :n",
        {"lo": prefix, "hi": prefix + HIGHEST, "n": limit},
    ).fetchall()


def _by_pinyin(conn: sqlite3.Connection, typed: str, limit: int) -> list[tuple[int, str, str]]:
    from kehu.rules import pinyin

    key = pinyin.search_key(typed)
    if key is None:
        return []
    low, high = pinyin.prefix_bounds(key)
    try:
        return conn.execute(
            "SELECT id, name, phone FROM customer WHERE id IN (SELECT customer_id FROM"
            " customer_pinyin WHERE form >= :lo AND form < :hi) AND archived_at IS NULL"
            " ORDER BY name, id LIMIT :n",
            {"lo": low, "hi": high, "n": limit},
        ).fetchall()
    except sqlite3.OperationalError:  # a book not yet upgraded to schema 5 has no forms
        return []


def _by_id(conn: sqlite3.Connection, prefix: str, limit: int) -> list[tuple[int, str, str]]:
    if not (prefix.isascii() and prefix.isdecimal()) or prefix.startswith("0"):  # not ², ①
        return []
    top = conn.execute("SELECT MAX(id) FROM customer").fetchone()[0] or 0
    rows: list[tuple[int, str, str]] = []
    low, high = int(prefix), int(prefix) + 1
    while low <= top and len(rows) < limit:
        rows += conn.execute(
            "SELECT id, name, phone FROM customer WHERE id >= :lo AND id < :hi"
            " AND archived_at IS NULL ORDER BY id LIMIT :n",
            {"lo": low, "hi": high, "n": limit - len(rows)},
        ).fetchall()
        low, high = low * 10, high * 10
    return rows
