"""Moving a whole book from SQLite up to an empty PostgreSQL database, in one transaction,
table by table in chunks: memory stays flat whatever the book's size."""

import itertools
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.book import engine, migrations
from kehu.book.schema import JOURNAL_TABLES, TABLES_IN_ORDER
from kehu.book.timestamps import date_from_db, from_db

# Parents before children; schema_version is the target's own, and the undo journal stays with
# the book it was written in (a moved book starts a history of its own).
TABLES = tuple(t for t in TABLES_IN_ORDER if t != "schema_version" and t not in JOURNAL_TABLES)
BATCH = 5000  # rows read, converted and written at a time


def _columns(table: str) -> list[tuple[str, Callable[[Any], Any] | None]]:
    """Each column, with how its SQLite value becomes the value PostgreSQL wants (None: as is)."""
    from sqlalchemy import Boolean, Date, Numeric
    from sqlmodel import SQLModel

    from kehu.book import schema

    columns: list[tuple[str, Callable[[Any], Any] | None]] = []
    for column in SQLModel.metadata.tables[table].columns:
        convert: Callable[[Any], Any] | None = None
        if isinstance(column.type, schema.UTCDateTime):
            convert = from_db
        elif isinstance(column.type, Date):
            convert = date_from_db
        elif isinstance(column.type, Numeric):
            convert = _decimal
        elif isinstance(column.type, Boolean):  # SQLite's 0 and 1
            convert = _boolean
        columns.append((column.name, convert))
    return columns


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _has_id(table: str) -> bool:
    from sqlmodel import SQLModel

    return "id" in SQLModel.metadata.tables[table].columns


def copy_book(source: engine.SQLiteBook, target: engine.ServerBook) -> dict[str, int]:
    """Copy every row; verify the counts; refuse a target that already holds customers. The
    source is read in one transaction while the target is written in one: all or nothing."""

    def write(tx: engine.Tx) -> dict[str, int]:
        if migrations.version_of(tx) is None:
            migrations.create_schema(tx)
        held = {t: int(engine.scalar(tx, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
        if any(held.values()):
            raise BadInput(
                _("{location} already holds a book ({count} customers); copy-to only fills an "
                  "empty database").format(location=target.location, count=held["customer"])
            )  # fmt: skip
        return source.transact(lambda read: _copy(read, tx), write=False)

    return target.transact(write)


def _copy(read: engine.Tx, tx: engine.Tx) -> dict[str, int]:
    expected = {t: int(engine.scalar(read, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
    for table in TABLES:
        columns = _columns(table)
        names = [name for name, _convert in columns]
        if table == "customer":  # a referrer may come later in id order: set afterwards
            columns[names.index("referred_by")] = ("referred_by", _nothing)
        for chunk in _chunks(read.tuples(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1, 2")):
            engine.copy_in(tx, table, names, [_converted(columns, row) for row in chunk])
    # Referrals, once every customer is in.
    referrals = read.tuples("SELECT id, referred_by FROM customer WHERE referred_by IS NOT NULL")
    for chunk in _chunks(referrals):
        pairs = ", ".join(f"({int(i)}, {int(r)})" for i, r in chunk)
        tx.run(
            "UPDATE customer SET referred_by = v.r FROM (VALUES "
            + pairs
            + ") AS v(id, r) WHERE customer.id = v.id"
        )
    for table in TABLES:
        if _has_id(table) and tx.dialect == "postgresql":
            tx.all(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
            )
    copied = {t: int(engine.scalar(tx, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
    if copied != expected:
        raise BadInput(
            _("the copy did not match the book ({copied} != {expected}); rolled back").format(
                copied=copied, expected=expected
            )
        )
    return copied


def _chunks(rows: Iterator[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    while chunk := list(itertools.islice(rows, BATCH)):
        yield chunk


def _converted(
    columns: list[tuple[str, Callable[[Any], Any] | None]], row: Sequence[Any]
) -> tuple[Any, ...]:
    return tuple(
        convert(value) if convert is not None and value is not None else value
        for (_name, convert), value in zip(columns, row, strict=True)
    )


def _nothing(_value: Any) -> None:
    return None
