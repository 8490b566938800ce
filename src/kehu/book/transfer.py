"""Moving a whole book from SQLite up to an empty PostgreSQL database, in one transaction."""

from decimal import Decimal
from typing import Any

from kehu.base.errors import BadInput
from kehu.book import engine, migrations
from kehu.book.schema import JOURNAL_TABLES, TABLES_IN_ORDER
from kehu.book.timestamps import date_from_db, from_db

# Parents before children; schema_version is the target's own, and the undo journal stays with
# the book it was written in (a moved book starts a history of its own).
TABLES = tuple(t for t in TABLES_IN_ORDER if t != "schema_version" and t not in JOURNAL_TABLES)
BATCH = 5000


def _converters(table: str) -> dict[str, Any]:
    """How each column's SQLite value becomes the value PostgreSQL wants."""
    from sqlalchemy import Boolean, Date, Numeric
    from sqlmodel import SQLModel

    from kehu.book import schema

    converters: dict[str, Any] = {}
    for column in SQLModel.metadata.tables[table].columns:
        if isinstance(column.type, schema.UTCDateTime):
            converters[column.name] = from_db
        elif isinstance(column.type, Date):
            converters[column.name] = date_from_db
        elif isinstance(column.type, Numeric):
            converters[column.name] = lambda v: None if v is None else Decimal(str(v))
        elif isinstance(column.type, Boolean):  # SQLite's 0 and 1
            converters[column.name] = lambda v: None if v is None else bool(v)
    return converters


def _has_id(table: str) -> bool:
    from sqlmodel import SQLModel

    return "id" in SQLModel.metadata.tables[table].columns


def copy_book(source: engine.SQLiteBook, target: engine.ServerBook) -> dict[str, int]:
    """Copy every row; verify the counts; refuse a target that already holds customers."""
    snapshot = source.transact(_read_all, write=False)

    def write(tx: engine.Tx) -> dict[str, int]:
        if migrations.version_of(tx) is None:
            migrations.create_schema(tx)
        held = {t: int(engine.scalar(tx, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
        if any(held.values()):
            raise BadInput(
                f"{target.location} already holds a book ({held['customer']} customers); "
                "copy-to only fills an empty database"
            )
        for table in TABLES:
            _insert_all(tx, table, snapshot[table])
        for row in snapshot["customer"]:
            if row["referred_by"] is not None:
                tx.run(
                    "UPDATE customer SET referred_by = :r WHERE id = :id",
                    r=row["referred_by"],
                    id=row["id"],
                )
        for table in TABLES:
            if _has_id(table):
                tx.all(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                )
        copied = {t: int(engine.scalar(tx, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
        expected = {t: len(snapshot[t]) for t in TABLES}
        if copied != expected:
            raise BadInput(f"the copy did not match the book ({copied} != {expected}); rolled back")
        return copied

    return target.transact(write)


def _read_all(tx: engine.Tx) -> dict[str, list[dict[str, Any]]]:
    return {t: [dict(r) for r in tx.all(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in TABLES}


def _insert_all(tx: engine.Tx, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    convert = _converters(table)
    columns = list(rows[0])
    marks = ", ".join(f":{c}" for c in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    values = []
    for row in rows:
        value = {c: convert[c](v) if c in convert else v for c, v in row.items()}
        if table == "customer":
            value["referred_by"] = None  # set afterwards: a referrer may come later in id order
        values.append(value)
    for start in range(0, len(values), BATCH):
        tx.run_many(sql, values[start : start + BATCH])
