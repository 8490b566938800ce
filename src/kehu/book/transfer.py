"""Moving a whole book from SQLite up to an empty PostgreSQL database, in one transaction,
table by table, streamed: memory stays flat whatever the book's size.

Into a new database the tables are made without their keys and indexes, the rows are loaded
with COPY, and the keys and indexes are built once at the end (far cheaper for the server than
keeping them up to date row by row); a failure anywhere rolls it all back, tables included.
The tables are analyzed before the commit: without statistics the first lists on the moved
book would be planned blind until autovacuum came by. The values go as SQLite holds them, in
COPY's text form, and the server reads them by the column's type: instants as ISO 8601 text
(read in UTC, as kehu stores them), dates, numbers and SQLite's 0 and 1 for booleans."""

from collections.abc import Iterator, Sequence
from typing import Any

from kehu.base.errors import BadInput, NotAllowed
from kehu.base.i18n import _
from kehu.book import engine, migrations
from kehu.book.ddl import JOURNAL_TABLES, TABLES_IN_ORDER

# Parents before children; schema_version is the target's own, and the undo journal stays with
# the book it was written in (a moved book starts a history of its own).
TABLES = tuple(t for t in TABLES_IN_ORDER if t != "schema_version" and t not in JOURNAL_TABLES)
BATCH = 5000  # referrals set at a time, into a database that already had the tables
INDEX_MEMORY = "1GB"  # the server's memory for building an index, at least (4M contacts: 26 → 18 s)


def copy_book(source: engine.SQLiteBook, target: engine.ServerBook) -> dict[str, int]:
    """Copy every row; verify the counts; refuse a target that already holds customers. The
    source is read in one transaction while the target is written in one: all or nothing."""

    def write(tx: engine.Tx) -> dict[str, int]:
        # Instants written by hand without an offset are UTC, as kehu reads them on SQLite; the
        # server builds the keys and indexes with more memory than a daily query needs.
        tx.run("SET LOCAL TimeZone = 'UTC'")
        tx.all(
            "SELECT set_config('maintenance_work_mem', :m, true) AS m WHERE"
            " pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes(:m)",
            m=INDEX_MEMORY,
        )
        fresh = migrations.version_of(tx) is None
        if fresh:
            migrations.create_tables(tx)
        else:
            _refuse_a_hidden_book(tx, target)
            _refuse_a_filled_book(tx, target)
        copied, used = source.transact(lambda read: _copy(read, tx, fresh=fresh), write=False)
        if fresh:
            migrations.add_keys_and_indexes(tx)
        _next_ids(tx, used)
        for table in TABLES:  # the planner's statistics, before the first daily list needs them
            tx.run(f"ANALYZE {table}")
        return copied

    return target.transact(write)


def _refuse_a_hidden_book(tx: engine.Tx, target: engine.ServerBook) -> None:
    """A salesperson's role under row-level security sees only their own customers: the book
    may look empty to them and still hold the team's (and COPY is refused under the policy)."""
    from kehu.book.customers import row_security_role

    role = row_security_role(tx)
    if role is not None:
        raise NotAllowed(
            _("{location} is a team's book under row-level security, where {role} sees only "
              "their own customers; copy-to fills an empty database as its owner or a "
              "manager's role (README, Team mode)").format(location=target.location, role=role)
        )  # fmt: skip


def _refuse_a_filled_book(tx: engine.Tx, target: engine.ServerBook) -> None:
    held = {t: int(engine.scalar(tx, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
    if any(held.values()):
        raise BadInput(
            _("{location} already holds a book ({count} customers); copy-to only fills an "
              "empty database").format(location=target.location, count=held["customer"])
        )  # fmt: skip


def _copy(read: engine.Tx, tx: engine.Tx, *, fresh: bool) -> tuple[dict[str, int], dict[str, int]]:
    """The rows copied, by table, and the highest id each table has ever given out."""
    expected = {t: int(engine.scalar(read, f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES}
    copied = {}
    for table in TABLES:
        names = _columns(tx, table)
        selected = list(names)
        if table == "customer" and not fresh:  # a referrer may come later: set afterwards
            selected[names.index("referred_by")] = "NULL"
        rows = read.tuples(f"SELECT {', '.join(selected)} FROM {table}")
        copied[table] = engine.copy_in(tx, table, names, rows, frozen=fresh)
    if not fresh:
        _set_referrals(read, tx)
    if copied != expected:
        raise BadInput(
            _("the copy did not match the book ({copied} != {expected}); rolled back").format(
                copied=copied, expected=expected
            )
        )
    return copied, _ids_given_out(read)


def _ids_given_out(read: engine.Tx) -> dict[str, int]:
    """SQLite's AUTOINCREMENT keeps the highest id each table gave out, even when its row was
    deleted since: the server's sequences go on from there, so no id is ever given twice."""
    if not read.all("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"):
        return {}
    return {r["name"]: int(r["seq"]) for r in read.all("SELECT name, seq FROM sqlite_sequence")}


def _columns(tx: engine.Tx, table: str) -> list[str]:
    """The target table's columns, in their order: the current schema's, as the source's."""
    found = tx.all(
        "SELECT attname AS name FROM pg_attribute WHERE attrelid = CAST(:t AS regclass)"
        " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        t=table,
    )
    return [r["name"] for r in found]


def _set_referrals(read: engine.Tx, tx: engine.Tx) -> None:
    referrals = read.tuples("SELECT id, referred_by FROM customer WHERE referred_by IS NOT NULL")
    for chunk in _chunks(referrals):
        pairs = ", ".join(f"({int(i)}, {int(r)})" for i, r in chunk)
        tx.run(
            "UPDATE customer SET referred_by = v.r FROM (VALUES "
            + pairs
            + ") AS v(id, r) WHERE customer.id = v.id"
        )


def _next_ids(tx: engine.Tx, used: dict[str, int]) -> None:
    """Each table's id sequence continues after the ids copied, and after those the book gave
    out to rows deleted since (a deleted customer's id is never given to another)."""
    for table in TABLES:
        if "id" in _columns(tx, table):
            tx.all(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                " GREATEST(COALESCE(MAX(id), 0), :used, 1),"
                " GREATEST(COALESCE(MAX(id), 0), :used) > 0)"
                f" FROM {table}",
                used=used.get(table, 0),
            )


def _chunks(rows: Iterator[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    import itertools

    while chunk := list(itertools.islice(rows, BATCH)):
        yield chunk
