"""The whole book as plain data (for kehu's JSON file), and that data restored into an empty
book. Values are written in one form whatever the engine (instants as UTC ISO 8601, dates as
ISO, amounts with two decimals), so that restoring and dumping again gives the same data."""

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.base.typed import UNKNOWN_YEAR
from kehu.book import ddl, engine
from kehu.book.ddl import JOURNAL_TABLES, TABLES_IN_ORDER
from kehu.book.timestamps import date_from_db, from_db, is_instant_column

# Parents before children; schema_version and the undo journal belong to each book.
TABLES = tuple(t for t in TABLES_IN_ORDER if t != "schema_version" and t not in JOURNAL_TABLES)
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
    if table == "customer":
        yield from _customers(tx)
        return
    for row in tx.each(f"SELECT * FROM {table} ORDER BY 1, 2"):
        yield {column: _plain(column, value) for column, value in dict(row).items()}


def _customers(tx: engine.Tx) -> Iterator[dict[str, Any]]:
    """The customer rows; a referrer the session cannot read (under row-level security, a
    colleague's customer) is left out, as the file holds only the customers it can: a file that
    names a row it lacks could not be restored."""
    for row in tx.each(
        "SELECT c.*, CASE WHEN c.referred_by IS NULL OR EXISTS (SELECT 1 FROM customer r"
        " WHERE r.id = c.referred_by) THEN 1 ELSE 0 END AS referrer_seen"
        " FROM customer c ORDER BY 1, 2"
    ):
        values = dict(row)
        if not values.pop("referrer_seen"):
            values["referred_by"] = None
        yield {column: _plain(column, value) for column, value in values.items()}


def restore(tx: engine.Tx, *, tables: dict[str, Any], today: date | None = None) -> dict[str, int]:
    """Put a dump into this book, which must hold no customers. Ids are kept, so references
    between rows (and the daily list's item keys) stay as they were. Returns rows per table.
    `today`: a birthday with its year after it is refused, as check() says."""
    if engine.scalar(tx, "SELECT COUNT(*) AS n FROM customer"):
        raise BadInput(
            _("kehu's JSON file restores a whole book: import it into an empty book (--db)")
        )
    tables = check(tables, today=today)
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
            if schema()[table].key == ("id",):  # its ids come from a sequence
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
    if not any("birthday" in row for row in customers):
        return tables
    plain = [{k: v for k, v in row.items() if k != "birthday"} for row in customers]
    dates = [
        {"id": n, "customer_id": row.get("id"), "kind": "birthday", "label": None,
         "calendar": "solar", "month": born.month, "day": born.day, "leap": False,
         "year": None if born.year == UNKNOWN_YEAR else born.year, "note": None,
         "created_at": row.get("created_at")}
        for n, (row, born) in enumerate(
            ((row, _birthday(row, at)) for at, row in enumerate(customers)
             if row.get("birthday")), start=1
        )
    ]  # fmt: skip
    return {**tables, "customer": plain, "occasion": tables.get("occasion") or dates}


def _birthday(row: dict[str, Any], at: int) -> date:
    try:
        born = date_from_db(row["birthday"])
    except (TypeError, ValueError):
        born = None
    if born is None:
        raise BadRow("wrong", "customer", at, "birthday", Column("date", False, None))
    return born


def _stored(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A checked row (see check()) with its values as the engine takes them."""
    values = dict(row)
    for column, value in values.items():
        if value is None:
            continue
        if is_instant_column(column):
            values[column] = from_db(value)
        elif column in DATE_COLUMNS:
            values[column] = date_from_db(value)
        elif column == "amount":
            values[column] = Decimal(str(value).strip())
        elif column in BOOLEAN_COLUMNS:
            values[column] = bool(value)  # 1 and 0 are read too
    if table == "customer":
        values["referred_by"] = None  # set afterwards: a referrer may come later in id order
    return values


# What a file's rows are checked against before anything is written: the current schema, as
# book/ddl/postgresql.sql declares it (its types say more than SQLite's).


@dataclass(frozen=True)
class Column:
    kind: str  # "integer", "text", "instant", "date", "boolean" or "amount"
    required: bool  # NOT NULL
    default: Any  # the value a row without the column gets (None: none, unless not required)
    longest: int | None = None  # text: VARCHAR(n)
    words: tuple[str, ...] = ()  # text: the only values a CHECK allows


@dataclass(frozen=True)
class Table:
    columns: dict[str, Column]
    key: tuple[str, ...]  # the primary key
    references: tuple[tuple[str, str], ...]  # (column, table whose key it names)


class BadRow(BadInput):
    """A row of a kehu JSON file that the book cannot take. `code`: "not_object", "unknown",
    "missing", "null", "wrong" (not of the column's kind), "too_long", "not_allowed" (not one of
    `words`), "negative" (an amount below 0), "impossible" (an occasion's date kehu does not
    keep: `detail` is base.occasion_input.problem()'s code), "future_birthday" (a birthday
    whose year makes it after today, `detail` today's ISO date), "no_such_row" (refers to a row the
    file does not have, in table `detail`) or "same_key" (an earlier row has the same key, whose
    columns `detail` names). Never the value itself: it may be customer data. `row` counts from
    0, as the file's list does."""

    def __init__(self, code: str, table: str, row: int, column: str = "",
                 expected: Column | None = None, detail: str = "") -> None:  # fmt: skip
        self.code, self.table, self.row, self.column = code, table, row, column
        self.expected, self.detail = expected, detail
        where = f"{table}[{row}]" + (f".{column}" if column else "")
        super().__init__(f"not a kehu JSON file: {where}: {code.replace('_', ' ')}")


_INT_RANGE = (-(2**31), 2**31 - 1)  # INTEGER on PostgreSQL
_AMOUNT_LIMIT = Decimal(10) ** 12  # NUMERIC(14, 2)
_KINDS = (
    (r"SERIAL|INTEGER", "integer"), (r"TIMESTAMP", "instant"), (r"DATE", "date"),
    (r"BOOLEAN", "boolean"), (r"NUMERIC", "amount"), (r"VARCHAR", "text"),
)  # fmt: skip


@functools.cache
def schema() -> dict[str, Table]:
    """Each table a file may hold, as the current schema has it."""
    statements = ddl.statements("postgresql")
    keys: dict[str, tuple[str, ...]] = {}
    references: dict[str, list[tuple[str, str]]] = {}
    for statement in statements["constraints"]:
        if found := re.match(r"ALTER TABLE (\w+) ADD PRIMARY KEY \(([^)]*)\)", statement):
            keys[found[1]] = tuple(c.strip() for c in found[2].split(","))
        elif found := re.match(
            r"ALTER TABLE (\w+) ADD FOREIGN KEY\((\w+)\) REFERENCES (\w+)", statement
        ):
            references.setdefault(found[1], []).append((found[2], found[3]))
    tables = {}
    for statement in statements["tables"]:
        name = re.match(r"CREATE TABLE (\w+)", statement)
        if name is None or name[1] not in TABLES:
            continue
        columns, words = {}, {}
        for line in statement.splitlines()[1:]:
            line = line.strip().rstrip(",")
            if check := re.search(r"CHECK \(.*?(\w+) IN \(([^)]*)\)", line):
                words[check[1]] = tuple(re.findall(r"'([^']*)'", check[2]))
            elif found := re.match(r"(\w+) (\w+)(?:\((\d+))?", line):
                kind = next(k for pattern, k in _KINDS if re.match(pattern, found[2]))
                default = re.search(r"DEFAULT (\S+)", line)
                columns[found[1]] = Column(
                    kind, "NOT NULL" in line,
                    None if default is None else _default(kind, default[1]),
                    int(found[3]) if found[3] else None,
                )  # fmt: skip
        for column, allowed in words.items():
            columns[column] = Column(**{**columns[column].__dict__, "words": allowed})
        tables[name[1]] = Table(columns, keys[name[1]], tuple(references.get(name[1], ())))
    return tables


def _default(kind: str, written: str) -> Any:
    return written == "true" if kind == "boolean" else int(written)


def check(tables: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """The file's tables as restore() writes them: every row an object whose every value is of
    its column's kind (a column it lacks gets its default; a file written before schema 8 has
    its birthdays made dates), every key unique and every reference to a row of the file; with
    `today`, no birthday with its year after it (as `kehu date add` refuses one). Raises BadRow
    at the first row that is not, before anything is written."""
    unknown = set(tables) - set(TABLES)
    if unknown or not all(isinstance(rows, list) for rows in tables.values()):
        raise BadInput(_("not a kehu JSON file: unknown part {name!r}").format(
            name=sorted(unknown)[0] if unknown else "?"))  # fmt: skip
    for table, rows in tables.items():
        for n, row in enumerate(rows):
            if not isinstance(row, dict):
                raise BadRow("not_object", table, n)
    tables = _with_dates(tables)
    known = schema()
    complete: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        shape, seen = known[table], set[tuple[Any, ...]]()
        complete[table] = []
        for n, row in enumerate(tables.get(table, [])):
            for column in row:
                if column not in shape.columns:
                    raise BadRow("unknown", table, n)  # its name may be customer data
            values = {}
            for column, expected in shape.columns.items():
                if column not in row and expected.required and expected.default is None:
                    raise BadRow("missing", table, n, column, expected)
                value = row.get(column, expected.default)
                if value is None and expected.required:
                    raise BadRow("null", table, n, column, expected)
                if value is not None and (code := _wrong(value, expected)):
                    raise BadRow(code, table, n, column, expected)
                values[column] = value
            if table == "occasion" and (impossible := _impossible(values)):
                raise BadRow("impossible", table, n, impossible[0], detail=impossible[1])
            if table == "occasion" and today is not None and _born_after(values, today):
                raise BadRow("future_birthday", table, n, "year", detail=today.isoformat())
            key = tuple(values[c] for c in shape.key)
            if key in seen:
                raise BadRow("same_key", table, n, detail=", ".join(shape.key))
            seen.add(key)
            complete[table].append(values)
    ids = {t: {row[known[t].key[0]] for row in rows} for t, rows in complete.items()}
    for table, rows in complete.items():
        for column, parent in known[table].references:
            for n, row in enumerate(rows):
                if row[column] is not None and row[column] not in ids[parent]:
                    raise BadRow("no_such_row", table, n, column, detail=parent)
    return complete


def _impossible(row: dict[str, Any]) -> tuple[str, str] | None:
    """Why an occasion row of the right kinds is still no date kehu keeps, as `kehu date add`
    refuses it: (its column at fault, base.occasion_input.problem()'s code), or None."""
    from kehu.base.occasion_input import problem

    calendar, month, day, leap, year = (
        row["calendar"], row["month"], row["day"], bool(row["leap"]), row["year"]
    )  # fmt: skip
    if found := problem(calendar, month, day, leap, year):
        return found
    if calendar == "lunar" and year is not None:
        from kehu.rules.occasions import lunar_exists

        if not lunar_exists(year, month, day, leap=leap):
            no_month = leap and not lunar_exists(year, month, 1, leap=True)
            return ("leap" if no_month else "day"), "no_lunar_day"
    return None


def _born_after(row: dict[str, Any], today: date) -> bool:
    """Whether an occasion row kehu keeps is a birthday with its year, after `today`."""
    if row["kind"] != "birthday" or row["year"] is None:
        return False
    from kehu.rules import occasions

    occasion = occasions.Occasion(
        "birthday", row["calendar"], row["month"], row["day"], leap=bool(row["leap"]),
        year=row["year"],
    )  # fmt: skip
    first = occasions.first_day(occasion)
    return first is not None and first > today


def _wrong(value: Any, expected: Column) -> str | None:
    """Why `value` cannot be stored in such a column ("wrong", "negative", "too_long",
    "not_allowed")."""
    kind = expected.kind
    if kind == "integer":
        fits = isinstance(value, int) and not isinstance(value, bool)
        return None if fits and _INT_RANGE[0] <= value <= _INT_RANGE[1] else "wrong"
    if kind == "boolean":
        return None if value in (True, False) and not isinstance(value, float) else "wrong"
    if kind == "amount":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return "wrong"
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return "wrong"
        if not amount.is_finite() or abs(amount) >= _AMOUNT_LIMIT:
            return "wrong"
        if amount != amount.quantize(Decimal("0.01")):
            return "wrong"
        return "negative" if amount < 0 else None  # as `kehu add --amount` refuses it
    if not isinstance(value, str):
        return "wrong"
    if kind in ("instant", "date"):
        try:
            from_db(value) if kind == "instant" else date_from_db(value)
        except ValueError:
            return "wrong"
        return None
    if expected.longest is not None and len(value) > expected.longest:
        return "too_long"
    return None if not expected.words or value in expected.words else "not_allowed"
