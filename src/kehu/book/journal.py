"""The undo journal: every command's writes pass through a Recorder, which keeps the image of
each row before the command touched it (or that the command inserted it), and stores them in
the same transaction as the change. `kehu undo` puts those images back.

The Recorder reads the statements kehu's own book functions write (INSERT … RETURNING id,
INSERT with named values, UPDATE/DELETE … WHERE): the table and the WHERE clause are enough to
read the rows before they change. Rows a DELETE changes through foreign keys (cascades, SET
NULL) are read as well, from DEPENDENTS, which a test keeps in step with schema.py.

A bulk write (an import of many customers) does not pass its statements through the Recorder:
it notes the ids it inserted with `added`, kept as ranges (one journal row per range, not one
per row, so that a big import stays small in memory). Rows that belong to an added customer
(their profile facts, pinyin forms) are not journaled at all: undo deletes the customer, and
they go with it.
"""

import bisect
import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from kehu.base.errors import BadInput, NotAllowed, NotFound
from kehu.base.i18n import _
from kehu.book import engine

KEEP = 100  # changes kept per user; older ones can no longer be undone
PRIMARY_KEYS = {
    "profile_field": ("customer_id", "key"),
    "customer_pinyin": ("customer_id", "form"),
    "snooze": ("key",),
    "closed_item": ("key",),
    "prospect": ("customer_id",),
}
# table -> rows elsewhere that its DELETE changes: (table, column) cascaded or set to NULL.
DEPENDENTS = {
    "customer": (("customer", "referred_by"), ("profile_field", "customer_id"),
                 ("customer_pinyin", "customer_id"),
                 ("purchase", "customer_id"), ("contact", "customer_id"),
                 ("promise", "customer_id"), ("followup", "customer_id"),
                 ("snooze", "customer_id"), ("closed_item", "customer_id"),
                 ("occasion", "customer_id"), ("prospect", "customer_id"),
                 ("prospect_grade", "customer_id"), ("prospect_loss", "customer_id")),
    "purchase": (("contact", "purchase_id"),),
    "contact": (("promise", "contact_id"), ("followup", "contact_id"),
                ("closed_item", "contact_id"), ("prospect_grade", "contact_id"),
                ("prospect_loss", "contact_id")),
}  # fmt: skip
# Rows that go with their customer when undo deletes an added one (key column customer_id first).
OWNED_BY_CUSTOMER = ("profile_field", "customer_pinyin")
WRITE = re.compile(r"\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)
INSERTED = re.compile(r"\(([^)]*)\)\s*VALUES\s*\(([^)]*)\)", re.IGNORECASE)


def key_columns(table: str) -> tuple[str, ...]:
    return PRIMARY_KEYS.get(table, ("id",))


class IdRanges:
    """Ids as sorted, disjoint [first, last] ranges: a bulk insert's ids in a few numbers."""

    def __init__(self) -> None:
        self.ranges: list[list[int]] = []

    def add(self, ids: Sequence[int]) -> None:
        for id_ in sorted(ids):
            if self.ranges and self.ranges[-1][1] + 1 == id_:
                self.ranges[-1][1] = id_
            elif self.ranges and id_ <= self.ranges[-1][1]:
                if id_ not in self:
                    bisect.insort(self.ranges, [id_, id_])
            else:
                self.ranges.append([id_, id_])

    def __contains__(self, id_: object) -> bool:
        if not isinstance(id_, int):
            return False
        at = bisect.bisect_right(self.ranges, [id_, float("inf")]) - 1
        return at >= 0 and self.ranges[at][0] <= id_ <= self.ranges[at][1]


def added(tx: engine.Tx, table: str, ids: Sequence[int]) -> None:
    """Journal rows a bulk write inserted through unjournaled(tx): undo deletes them."""
    if isinstance(tx, Recorder):
        tx.added.setdefault(table, IdRanges()).add(ids)


def unjournaled(tx: engine.Tx) -> engine.Tx:
    """The transaction under the Recorder, for a bulk write that notes its rows with added()."""
    return tx.tx if isinstance(tx, Recorder) else tx


class Recorder:
    """An engine.Tx that journals what it writes."""

    def __init__(self, tx: engine.Tx):
        self.tx = tx
        self.dialect = tx.dialect
        self.images: dict[tuple[str, str], str | None] = {}  # first image of each row, in order
        self.added: dict[str, IdRanges] = {}  # table -> ids a bulk write inserted

    # -- engine.Tx
    def all(self, sql: str, **params: Any) -> list[engine.Row]:
        write = self._before(sql, params)
        rows = self.tx.all(sql, **params)
        if write and rows and "id" in rows[0].keys():  # noqa: SIM118 (sqlite3.Row)
            for row in rows:
                self._note(write, (row["id"],), None)
        return rows

    def each(self, sql: str, **params: Any) -> Iterator[engine.Row]:
        return self.tx.each(sql, **params)

    def tuples(self, sql: str, **params: Any) -> Iterator[Sequence[Any]]:
        return self.tx.tuples(sql, **params)

    def run(self, sql: str, **params: Any) -> int:
        self._before(sql, params)
        return self.tx.run(sql, **params)

    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        for params in rows:
            self._before(sql, params)
        self.tx.run_many(sql, rows)

    # -- reading rows before they change
    def _before(self, sql: str, params: dict[str, Any]) -> str | None:
        """Journal what this statement will change; the table an INSERT writes, if one."""
        match = WRITE.match(sql)
        if match is None:
            return None
        verb, table = match.group(1).split()[0].upper(), match.group(2)
        if verb == "INSERT":
            named = INSERTED.search(sql)
            if named and "RETURNING" not in sql.upper():
                columns = [c.strip() for c in named.group(1).split(",")]
                marks = [m.strip().lstrip(":") for m in named.group(2).split(",")]
                values = dict(zip(columns, (params.get(m) for m in marks), strict=True))
                self._note(table, tuple(values[c] for c in key_columns(table)), None)
            return table
        where = _where(sql) or "1 = 1"
        rows = self.tx.all(f"SELECT * FROM {table} WHERE {where}", **dict(params))
        self._keep(table, rows, deleting=verb == "DELETE")
        return None

    def _keep(self, table: str, rows: list[engine.Row], *, deleting: bool) -> None:
        for row in rows:
            self._note(table, tuple(row[c] for c in key_columns(table)), encode(row))
        if not deleting or not rows or table not in DEPENDENTS:
            return
        ids = [row["id"] for row in rows]
        for child, column in DEPENDENTS.get(table, ()):
            marks = ", ".join(f":k{i}" for i in range(len(ids)))
            found = self.tx.all(
                f"SELECT * FROM {child} WHERE {column} IN ({marks})",
                **{f"k{i}": v for i, v in enumerate(ids)},
            )
            self._keep(child, found, deleting=column == "customer_id")  # the rest: SET NULL

    def _note(self, table: str, key: tuple[Any, ...], image: str | None) -> None:
        owner = "customer" if table in OWNED_BY_CUSTOMER else table
        if owner in self.added and key[0] in self.added[owner]:
            return  # added by this change: undo deletes it (and what it owns) whatever it holds
        self.images.setdefault((table, json.dumps(list(key), ensure_ascii=False)), image)

    # -- storing the change
    def finish(self, *, made_by: str, command: str, now: datetime) -> int | None:
        """Store the change (none if nothing was written) and forget the oldest ones. A row
        the command wrote back as it was is no change: a command that changed nothing leaves
        nothing for `kehu undo` to take back, and the undo after it goes to the change before."""
        self._forget_unchanged()
        if not self.images and not self.added:
            return None
        change_id = engine.insert(self.tx, "journal_change", made_by=made_by, command=command,
                                  made_at=now)  # fmt: skip
        rows = [{"c": change_id, "t": t, "k": k, "i": i} for (t, k), i in self.images.items()]
        rows += [
            {"c": change_id, "t": table, "k": json.dumps({"ids": first_last}), "i": None}
            for table, ids in self.added.items()
            for first_last in ids.ranges
        ]
        self.tx.run_many(
            "INSERT INTO journal_row (change_id, table_name, row_key, image)"
            " VALUES (:c, :t, :k, :i)",
            rows,
        )
        self.tx.run(
            "DELETE FROM journal_change WHERE made_by = :u AND id < (SELECT MIN(id) FROM"
            " (SELECT id FROM journal_change WHERE made_by = :u ORDER BY id DESC LIMIT :n) kept)",
            u=made_by,
            n=KEEP,
        )
        return change_id

    def _forget_unchanged(self) -> None:
        """Drop the images of rows that are now as they were before the command."""
        kept: dict[str, list[tuple[tuple[str, str], tuple[Any, ...]]]] = {}
        for (table, key), image in self.images.items():
            if image is not None:
                kept.setdefault(table, []).append(((table, key), tuple(json.loads(key))))
        for table, rows in kept.items():
            now = self._rows_now(table, [key for _entry, key in rows])
            for (entry, _key), row in zip(rows, now, strict=True):
                if row is not None and encode(row) == self.images[entry]:
                    del self.images[entry]

    def _rows_now(self, table: str, keys: list[tuple[Any, ...]]) -> list[engine.Row | None]:
        """The rows with these keys as they are now (None for one that is gone), in order."""
        columns = key_columns(table)
        if len(columns) > 1:
            return [
                engine.one(
                    self.tx,
                    f"SELECT * FROM {table} WHERE {_match(table)}",
                    **_key_params(table, key),
                )  # fmt: skip
                for key in keys
            ]
        found: dict[Any, engine.Row] = {}
        per = engine.MAX_PARAMETERS
        for start in range(0, len(keys), per):
            chunk = [key[0] for key in keys[start : start + per]]
            marks = ", ".join(f":k{i}" for i in range(len(chunk)))
            for row in self.tx.all(f"SELECT * FROM {table} WHERE {columns[0]} IN ({marks})",
                                   **{f"k{i}": v for i, v in enumerate(chunk)}):  # fmt: skip
                found[row[columns[0]]] = row
        return [found.get(key[0]) for key in keys]


def _where(sql: str) -> str | None:
    """The statement's own WHERE clause: the last one outside parentheses."""
    depth, found = 0, None
    upper = sql.upper()
    for i, char in enumerate(sql):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and upper.startswith("WHERE", i) and not sql[i - 1 : i].isalnum():
            found = i + len("WHERE")
    return None if found is None else sql[found:]


# ----------------------------------------------------------------------------- images


def encode(row: engine.Row) -> str:
    values = {}
    for name in row.keys():  # noqa: SIM118 (a sqlite3.Row iterates its values)
        value = row[name]
        if isinstance(value, datetime):
            value = {"instant": value.isoformat()}
        elif isinstance(value, date):
            value = {"date": value.isoformat()}
        elif isinstance(value, Decimal):
            value = {"decimal": str(value)}
        values[name] = value
    return json.dumps(values, ensure_ascii=False)


READERS: dict[str, Callable[[str], Any]] = {
    "instant": datetime.fromisoformat, "date": date.fromisoformat, "decimal": Decimal,
}  # fmt: skip


def decode(image: str) -> dict[str, Any]:
    values = json.loads(image)
    for name, value in values.items():
        if isinstance(value, dict):
            kind, text = next(iter(value.items()))
            values[name] = READERS[kind](text)
    return values


# ------------------------------------------------------------------------------- undo


class Touched(NamedTuple):
    table: str
    key: tuple[Any, ...]
    action: str  # what the change did: added, changed; what undo did: removed, restored, reverted


class Change(NamedTuple):
    id: int
    command: str
    made_at: datetime
    undone_at: datetime | None
    rows: list[Touched]


class Conflict(BadInput):
    """Undo refused, nothing changed: `reason` says why, as data the screen words. "later": a
    later change (`later`, the command) by `who` (a login) touched the same rows; "signed": it
    would put back what `who` recorded, under row-level security; "not_yours": some of what it
    changed is a colleague's customer's now."""

    def __init__(self, reason: str, command: str, *, who: str = "", later: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.command = command
        self.who = who
        self.later = later


def undo_last(tx: engine.Tx, *, made_by: str, now: datetime) -> Change:
    """Revert this user's last change that is not undone yet, in this transaction."""
    from kehu.book.timestamps import from_db

    last = engine.one(
        tx,
        "SELECT * FROM journal_change WHERE made_by = :u AND undone_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        u=made_by,
    )
    if last is None:
        raise NotFound(_("nothing to undo: you have made no change that is kept in the journal"))
    later = engine.one(
        tx,
        "SELECT c.id, c.made_by, c.command FROM journal_row mine"
        " JOIN journal_row r ON r.table_name = mine.table_name AND r.row_key = mine.row_key"
        " JOIN journal_change c ON c.id = r.change_id"
        " WHERE mine.change_id = :id AND c.id > :id AND c.undone_at IS NULL ORDER BY c.id LIMIT 1",
        id=last["id"],
    )
    rows = tx.all(
        "SELECT table_name, row_key, image FROM journal_row WHERE change_id = :id ORDER BY id",
        id=last["id"],
    )
    later = later or _later_in_ranges(tx, change_id=last["id"], rows=rows)
    if later is None and tx.dialect == "postgresql":
        later = _later_unseen(tx, last["id"])
    if later is not None:
        raise Conflict(
            "later", last["command"], who=str(later["made_by"]), later=str(later["command"])
        )
    role = _row_security_role(tx)
    try:
        done, whole = _apply(tx, rows, signer=role)
    except _SignedByOther as e:
        raise Conflict("signed", last["command"], who=e.who) from None
    if not whole and role is not None:
        # A row it would take back is hidden by the policy: its customer is a colleague's now
        # (handed over since; the hand-over changed the customer's row, not these). Taking back
        # the rest alone would be half an undo, told as a whole one; the transaction is rolled
        # back.
        raise Conflict("not_yours", last["command"])
    tx.run("UPDATE journal_change SET undone_at = :now WHERE id = :id", now=now, id=last["id"])
    return Change(last["id"], last["command"], from_db(last["made_at"]), now, done)


def _row_security_role(tx: engine.Tx) -> str | None:
    """The session's role when row-level security shows it only the customers it owns (as
    customers.row_security_role says; that module writes through this one)."""
    if tx.dialect != "postgresql":
        return None
    row = engine.one(
        tx,
        "SELECT COALESCE(row_security_active(to_regclass('customer')), FALSE) AS active,"
        " current_user AS role",
    )
    return str(row["role"]) if row is not None and row["active"] else None


def _later_unseen(tx: engine.Tx, change_id: int) -> Any:
    """Under row-level security (examples/team-rls.sql) a salesperson sees only their own
    journal: a later change by the manager to the same rows is found by the setup's function,
    which answers for one's own change only, with who and which command. Without it (a team set
    up before it), undo is refused rather than left to wipe out a change it cannot see."""
    usable = engine.one(
        tx,
        "SELECT CASE WHEN to_regprocedure('kehu_later_change(integer)') IS NULL THEN false"
        " ELSE has_function_privilege(to_regprocedure('kehu_later_change(integer)'), 'EXECUTE')"
        " END AS x,"
        " COALESCE(row_security_active(to_regclass('journal_change')), false) AS hidden",
    )
    if usable is not None and usable["x"]:
        return engine.one(tx, "SELECT made_by, command FROM kehu_later_change(:id)", id=change_id)
    if usable is not None and usable["hidden"]:
        raise NotAllowed(
            _(
                "cannot undo: row-level security hides the others' changes and the server lacks "
                "kehu_later_change, which finds them; run that part of examples/team-rls.sql "
                "again (README, Team mode); nothing was changed"
            )
        )
    return None


def _ranges(rows: list[engine.Row]) -> dict[str, IdRanges]:
    """The ranges of ids a change's bulk write added, by table."""
    added: dict[str, IdRanges] = {}
    for row in rows:
        key = json.loads(row["row_key"])
        if isinstance(key, dict):
            first, last = key["ids"]
            added.setdefault(row["table_name"], IdRanges()).ranges.append([first, last])
    return added


def _keys(row: engine.Row) -> list[tuple[Any, ...]]:
    """The keys of the rows one journal row stands for: one row, or a range of added ids."""
    key = json.loads(row["row_key"])
    if isinstance(key, dict):
        first, last = key["ids"]
        return [(id_,) for id_ in range(first, last + 1)]
    return [tuple(key)]


def _later_in_ranges(tx: engine.Tx, *, change_id: int, rows: list[engine.Row]) -> Any:
    """A later change, not undone, that touched a row this change added in bulk (or a row
    belonging to a customer it added)."""
    added = _ranges(rows)
    if not added:
        return None
    tables = {*added, *(OWNED_BY_CUSTOMER if "customer" in added else ())}
    marks = ", ".join(f":t{i}" for i in range(len(tables)))
    for row in tx.each(
        "SELECT r.table_name, r.row_key, c.id, c.made_by, c.command FROM journal_row r"
        " JOIN journal_change c ON c.id = r.change_id"
        f" WHERE c.id > :id AND c.undone_at IS NULL AND r.table_name IN ({marks}) ORDER BY c.id",
        id=change_id,
        **{f"t{i}": t for i, t in enumerate(sorted(tables))},
    ):
        key = json.loads(row["row_key"])
        owner = "customer" if row["table_name"] in OWNED_BY_CUSTOMER else row["table_name"]
        if isinstance(key, list) and key[0] in added[owner]:
            return row
    return None


class _SignedByOther(Exception):
    def __init__(self, who: str):
        self.who = who


def _apply(
    tx: engine.Tx, rows: list[engine.Row], *, signer: str | None = None
) -> tuple[list[Touched], bool]:
    """Put the images back; the rows touched, and whether every row to remove or revert was
    found (under row-level security a colleague's customer's rows are not). `signer`: the
    role row-level security signs with; a row to put back that someone else signed (a
    colleague's contact on a customer handed over) raises _SignedByOther, as the server would
    refuse it."""
    from kehu.book.ddl import TABLES_IN_ORDER

    order = {t: i for i, t in enumerate(TABLES_IN_ORDER)}
    rows = sorted(rows, key=lambda r: order[r["table_name"]])
    done: dict[tuple[str, str], Touched] = {}
    whole = True
    for row in reversed(rows):  # children first
        if row["image"] is None:
            table, key = row["table_name"], json.loads(row["row_key"])
            if isinstance(key, dict):  # a range of ids a bulk write added
                first, last = key["ids"]
                removed = tx.run(f"DELETE FROM {table} WHERE id >= :first AND id <= :last",
                                 first=first, last=last)  # fmt: skip
                whole = whole and removed >= last - first + 1
                for id_ in range(first, last + 1):
                    done[(table, json.dumps([id_]))] = Touched(table, (id_,), "removed")
                continue
            removed = tx.run(
                f"DELETE FROM {table} WHERE {_match(table)}", **_key_params(table, tuple(key))
            )
            whole = whole and removed > 0
            done[(table, row["row_key"])] = Touched(table, tuple(key), "removed")
    for row in rows:  # parents first; rows missing now first, so that links find them
        if row["image"] is not None:
            table, key = row["table_name"], tuple(json.loads(row["row_key"]))
            if engine.one(tx, f"SELECT 1 AS x FROM {table} WHERE {_match(table)}",
                          **_key_params(table, key)) is None:  # fmt: skip
                values = decode(row["image"])
                if signer is not None and values.get("made_by") not in (None, signer):
                    raise _SignedByOther(str(values["made_by"]))
                tx.run(f"INSERT INTO {table} ({', '.join(values)}) VALUES"
                       f" ({', '.join(':' + c for c in values)})", **values)  # fmt: skip
                done[(table, row["row_key"])] = Touched(table, key, "restored")
    for row in rows:
        if row["image"] is not None and (row["table_name"], row["row_key"]) not in done:
            table, key = row["table_name"], tuple(json.loads(row["row_key"]))
            values = decode(row["image"])
            sets = ", ".join(f"{c} = :{c}" for c in values if c not in key_columns(table))
            if sets:
                reverted = tx.run(f"UPDATE {table} SET {sets} WHERE {_match(table)}", **values)
                whole = whole and reverted > 0
            done[(table, row["row_key"])] = Touched(table, key, "reverted")
    return sorted(done.values(), key=lambda t: order[t.table]), whole


def _match(table: str) -> str:
    return " AND ".join(f"{c} = :{c}" for c in key_columns(table))


def _key_params(table: str, key: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(key_columns(table), key, strict=True))


def recent(tx: engine.Tx, *, made_by: str, limit: int) -> list[Change]:
    """This user's last changes, the newest first, with the rows each touched."""
    from kehu.book.timestamps import from_db

    changes = tx.all(
        "SELECT * FROM journal_change WHERE made_by = :u ORDER BY id DESC LIMIT :n",
        u=made_by,
        n=limit,
    )
    listed = []
    for c in changes:
        rows = tx.all(
            "SELECT table_name, row_key, image FROM journal_row WHERE change_id = :id ORDER BY id",
            id=c["id"],
        )
        touched = [
            Touched(r["table_name"], key, "added" if r["image"] is None else "changed")
            for r in rows
            for key in _keys(r)
        ]
        listed.append(Change(c["id"], c["command"], from_db(c["made_at"]),
                             from_db(c["undone_at"]), touched))  # fmt: skip
    return listed
