"""The whole book as plain data (for kehu's JSON file), and that data restored into an empty
book. Values are written in one form whatever the engine (instants as UTC ISO 8601, dates as
ISO, amounts with two decimals), so that restoring and dumping again gives the same data."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.base.typed import UNKNOWN_YEAR
from kehu.book import engine
from kehu.book.ddl import JOURNAL_TABLES, TABLES_IN_ORDER
from kehu.book.timestamps import date_from_db, from_db, is_instant_column

# Parents before children; schema_version and the undo journal belong to each book.
TABLES = tuple(t for t in TABLES_IN_ORDER if t != "schema_version" and t not in JOURNAL_TABLES)
_WITHOUT_ID = ("profile_field", "snooze", "prospect")
DATE_COLUMNS = ("expected_on",)
BOOLEAN_COLUMNS = ("leap", "sent")  # SQLite's 0 or 1, PostgreSQL's boolean: true or false


def dump(tx: engine.Tx) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in key order, as JSON-ready values."""
    return {table: list(rows) for table, rows in each_table(tx)}


def each_table(tx: engine.Tx) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Like dump(), table by table in name order, each read row by row as it is used."""
    for table in sorted(TABLES):
        yield table, _plain_rows(tx, table)


def _plain_rows(tx: engine.Tx, table: str) -> Iterator[dict[str, Any]]:
    for row in tx.each(f"SELECT * FROM {table} ORDER BY 1, 2"):
        yield {column: _plain(column, value) for column, value in dict(row).items()}


def restore(tx: engine.Tx, *, tables: dict[str, Any]) -> dict[str, int]:
    """Put a dump into this book, which must hold no customers. Ids are kept, so references
    between rows (and the daily list's item keys) stay as they were. Returns rows per table."""
    if engine.scalar(tx, "SELECT COUNT(*) AS n FROM customer"):
        raise BadInput(
            _("kehu's JSON file restores a whole book: import it into an empty book (--db)")
        )
    unknown = set(tables) - set(TABLES)
    if unknown or not all(isinstance(rows, list) for rows in tables.values()):
        raise BadInput(_("not a kehu JSON file: unknown part {name!r}").format(
            name=sorted(unknown)[0] if unknown else "?"))  # fmt: skip
    tables = _with_dates(tables)
    counts = {}
    for table in TABLES:
        rows = [_stored(table, row) for row in tables.get(table, [])]
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            columns = list(batch[0])
            marks = ", ".join(f":{c}" for c in columns)
            tx.run_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
        counts[table] = len(rows)
    for row in tables.get("customer", []):
        if row.get("referred_by") is not None:
            tx.run("UPDATE customer SET referred_by = :r WHERE id = :id", r=row["referred_by"],
                   id=row["id"])  # fmt: skip
    if getattr(tx, "dialect", "sqlite") == "postgresql":
        for table in TABLES:
            if table not in _WITHOUT_ID:
                tx.all(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                )
    return counts


def _plain(column: str, value: Any) -> Any:
    if value is None:
        return None
    if is_instant_column(column):
        return from_db(value).isoformat()
    if column in DATE_COLUMNS:
        return str(date_from_db(value))
    if column == "amount":
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if column in BOOLEAN_COLUMNS:
        return bool(value)
    return value


def _with_dates(tables: dict[str, Any]) -> dict[str, Any]:
    """A file written before schema 8 keeps each birthday on its customer row: it becomes the
    customer's birthday date (year 1904 stood for a year not known)."""
    customers = tables.get("customer", [])
    if not any(isinstance(row, dict) and "birthday" in row for row in customers):
        return tables
    plain = [{k: v for k, v in row.items() if k != "birthday"} for row in customers]
    dates = [
        {"id": n, "customer_id": row["id"], "kind": "birthday", "label": None,
         "calendar": "solar", "month": born.month, "day": born.day, "leap": False,
         "year": None if born.year == UNKNOWN_YEAR else born.year, "note": None,
         "created_at": row["created_at"]}
        for n, (row, born) in enumerate(
            ((row, _birthday(row)) for row in customers if row.get("birthday")), start=1
        )
    ]  # fmt: skip
    return {**tables, "customer": plain, "occasion": tables.get("occasion") or dates}


def _birthday(row: dict[str, Any]) -> date:
    try:
        born = date_from_db(row["birthday"])
    except (TypeError, ValueError):
        born = None
    if born is None:
        raise BadInput(_("not a kehu JSON file: {table}.{column} cannot be read").format(
            table="customer", column="birthday"))  # fmt: skip
    return born


def _stored(table: str, row: Any) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise BadInput(_("not a kehu JSON file: a row of {table} is not an object").format(
            table=table))  # fmt: skip
    values = dict(row)
    for column, value in values.items():
        if value is None:
            continue
        try:
            if is_instant_column(column):
                values[column] = from_db(value)
            elif column in DATE_COLUMNS:
                values[column] = date_from_db(value)
            elif column == "amount":
                values[column] = Decimal(str(value))
            elif column in BOOLEAN_COLUMNS and value not in (True, False):  # 1 and 0 are too
                raise ValueError(value)
        except (TypeError, ValueError, ArithmeticError):
            raise BadInput(_("not a kehu JSON file: {table}.{column} cannot be read").format(
                table=table, column=column)) from None  # fmt: skip
    if table == "customer":
        values["referred_by"] = None  # set afterwards: a referrer may come later in id order
    return values
