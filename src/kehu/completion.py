"""Completing customer names and ids on Tab: stdlib sqlite3, read-only, never creates a book."""

import sqlite3
from pathlib import Path


def customers(target: str, incomplete: str, limit: int = 50) -> list[tuple[str, str]]:
    path = Path(target).expanduser()
    if "://" in target or not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            pattern = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = conn.execute(
                "SELECT id, name, phone FROM customer WHERE archived_at IS NULL AND"
                " (name LIKE :p ESCAPE '\\' OR CAST(id AS TEXT) LIKE :p ESCAPE '\\')"
                " ORDER BY name, id LIMIT :limit",
                {"p": f"{pattern}%", "limit": limit},
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    names = [r[1] for r in rows]
    result = []
    for cid, name, phone in rows:
        value = name if names.count(name) == 1 and not str(cid).startswith(incomplete) else str(cid)
        result.append((value, f"#{cid} {name} {phone or ''}".strip()))
    return result
