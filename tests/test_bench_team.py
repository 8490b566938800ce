"""The benchmark's team books (benchmarks/team.py): deterministic, the same rows on both engines,
and customer rows as kehu's own writes would have left them."""

import sqlite3
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import team  # noqa: E402
from conftest import SERVER_URL  # noqa: E402

COUNTS = [("bench", 30), ("rep001", 20), ("rep002", 25)]


def all_rows(seed: int, counts: list[tuple[str, int]]) -> dict[str, list[tuple]]:
    merged: dict[str, list[tuple]] = {table: [] for table in team.COLUMNS}
    for batch in team.rows(seed, counts, team.new_stats(), batch=7):
        for table, rows in batch.items():
            merged[table] += rows
    return merged


def test_the_same_seed_gives_the_same_book_and_another_seed_another() -> None:
    assert all_rows(3, COUNTS) == all_rows(3, COUNTS)
    assert all_rows(3, COUNTS)["customer"] != all_rows(4, COUNTS)["customer"]


def test_bench_has_the_same_customers_in_a_team_book_as_in_a_book_of_their_own() -> None:
    def story(rows: dict[str, list[tuple]]) -> list[tuple]:
        columns = team.COLUMNS["customer"]
        same = ("name", "tier", "created_at", "archived_at", "last_reached_at", "attempts")
        keep = [columns.index(c) for c in same]
        return [
            tuple(row[i] for i in keep)
            for row in rows["customer"]
            if row[columns.index("owner")] == "bench"
        ]

    own = story(all_rows(5, [("bench", 30)]))
    assert len(own) == 30
    assert own == story(all_rows(5, COUNTS))


def normal(value: object) -> object:
    if isinstance(value, bool):  # PostgreSQL's boolean, SQLite's 0 or 1
        return str(int(value))
    if isinstance(value, datetime):
        return team.ts(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return format(Decimal(value).normalize(), "f")
    return value


def read_back(tx_all, table: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    columns = team.COLUMNS[table]
    rows = tx_all(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns[:2])}")
    return [tuple(normal(v) for v in row) for row in rows]


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: read_back(lambda sql: conn.execute(sql).fetchall(), t) for t in team.COLUMNS}
    finally:
        conn.close()


def test_a_sqlite_team_book_holds_the_generated_rows_with_kehus_customer_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "team.db"
    stats = team.build(str(path), COUNTS, 2)
    assert stats["customers"] == 75 and stats["bench customers"] == 30
    expected = {t: sorted(tuple(normal(v) for v in r) for r in rows)
                for t, rows in all_rows(2, COUNTS).items()}  # fmt: skip
    assert {t: sorted(rows) for t, rows in sqlite_rows(path).items()} == expected
    conn = sqlite3.connect(path)
    # What writes.log_contact keeps, recomputed from the contacts themselves.
    wrong = conn.execute(
        """SELECT c.id FROM customer c WHERE
           c.last_reached_at IS NOT (SELECT MAX(at) FROM contact WHERE customer_id = c.id
                                     AND outcome = 'reached')
        OR c.last_thanks_at IS NOT (SELECT MAX(at) FROM contact WHERE customer_id = c.id
                                    AND outcome = 'reached' AND kind = 'thank-you')
        OR c.last_other_at IS NOT (SELECT MAX(at) FROM contact WHERE customer_id = c.id
                                   AND outcome = 'reached' AND kind <> 'thank-you')
        OR c.attempts <> (SELECT COUNT(*) FROM contact WHERE customer_id = c.id
                          AND outcome = 'no-answer' AND at > c.last_reached_at)"""
    ).fetchall()
    version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert wrong == []
    assert version is not None and mode == "wal"


@pytest.mark.skipif(not SERVER_URL, reason="needs KEHU_TEST_DATABASE_URL (PostgreSQL)")
def test_postgresql_gets_the_same_rows_as_sqlite_by_copy(tmp_path: Path) -> None:
    import psycopg

    assert SERVER_URL is not None
    team.build(str(tmp_path / "team.db"), COUNTS, 2)
    team.build(SERVER_URL, COUNTS, 2)
    with psycopg.connect(SERVER_URL.replace("postgresql+psycopg://", "postgresql://")) as conn:
        server = {t: read_back(lambda sql: conn.execute(sql).fetchall(), t) for t in team.COLUMNS}
        next_id = conn.execute("SELECT nextval(pg_get_serial_sequence('contact', 'id'))")
        assert next_id.fetchone()[0] == len(server["contact"]) + 1  # type: ignore[index]
    assert server == sqlite_rows(tmp_path / "team.db")
