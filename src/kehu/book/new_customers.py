"""New customers in bulk, for `kehu import`: rows of a file whose phone the book does not know,
written a chunk at a time with multi-row INSERTs, and journaled as ranges of ids (one journal
row per range, not one per row). What is stored is exactly what add_customer, set_profile and
add_purchase store one row at a time; record_sale's rule for a new person with a sale: the
sale is dated by its delivery, else now."""

from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import zip_longest
from typing import Any

from kehu.base.typed import UNKNOWN_YEAR
from kehu.book import engine, journal
from kehu.rules import customer_fields, pinyin, vocab

CHUNK = 500  # rows written at once: bounded memory, few statements (and parameters)
BIRTHDAY = "birthday"  # a field of the row, stored as a birthday occasion (book/occasions.py)
FIELD_COLUMNS = tuple(f for f in customer_fields.FIELDS if f != BIRTHDAY)
CUSTOMER_COLUMNS = (*FIELD_COLUMNS, "phone_digits", "owner", "created_at")
OCCASION_COLUMNS = ("customer_id", "kind", "label", "calendar", "month", "day", "leap", "year",
                    "note", "created_at")  # fmt: skip


class Batch:
    """Rows waiting to be written; `flush` writes them, in the order they came, and tells
    `written` their customers' ids."""

    def __init__(
        self, tx: engine.Tx, *, owner: str, now: datetime,
        written: Callable[[Sequence[customer_fields.Incoming], Sequence[int]], None] | None = None,
    ) -> None:  # fmt: skip
        self.tx = tx
        self.owner = owner
        self.now = now
        self.written = written
        self.pending: list[customer_fields.Incoming] = []

    def add(self, row: customer_fields.Incoming) -> None:
        self.pending.append(row)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        tx = journal.unjournaled(self.tx)
        ids = engine.insert_many(tx, "customer", CUSTOMER_COLUMNS,
                                 [self._customer(row) for row in rows], ids=True)  # fmt: skip
        journal.added(self.tx, "customer", ids)
        if self.written is not None:
            self.written(rows, ids)
        forms = [(cid, form) for cid, row in zip(ids, rows, strict=True)
                 for form in pinyin.forms(row.fields["name"])]  # fmt: skip
        engine.insert_many(tx, "customer_pinyin", ("customer_id", "form"), forms, ids=False)
        facts = [(cid, key, value) for cid, row in zip(ids, rows, strict=True)
                 for key, value in row.profile.items()]  # fmt: skip
        engine.insert_many(tx, "profile_field", ("customer_id", "key", "value"), facts, ids=False)
        born = [self._birthday(cid, row) for cid, row in zip(ids, rows, strict=True)
                if row.fields.get(BIRTHDAY) is not None]  # fmt: skip
        born += [
            (cid, "birthday", None, "lunar", lunar.month, lunar.day, lunar.leap, lunar.year, None,
             self.now)
            for cid, row in zip(ids, rows, strict=True)
            for lunar in row.lunar_birthdays
        ]  # fmt: skip
        born += [
            (cid, d.kind, d.label, d.calendar, d.month, d.day, d.leap, d.year, note, self.now)
            for cid, row in zip(ids, rows, strict=True)
            for d, note in zip_longest(row.dates, row.date_notes[: len(row.dates)])
        ]
        engine.insert_many(tx, "occasion", OCCASION_COLUMNS, born, ids=False)
        sales = [self._purchase(cid, row) for cid, row in zip(ids, rows, strict=True)
                 if row.product]  # fmt: skip
        columns = ("customer_id", "product", "amount", "sold_at", "delivered_at")
        journal.added(self.tx, "purchase", engine.insert_many(tx, "purchase", columns, sales,
                                                               ids=True))  # fmt: skip

    def _customer(self, row: customer_fields.Incoming) -> tuple[Any, ...]:
        fields = {**row.fields, "tier": row.fields.get("tier") or customer_fields.DEFAULT_TIER}
        digits = vocab.phone_digits(fields.get("phone"))
        return (*(fields.get(f) for f in FIELD_COLUMNS), digits, self.owner, self.now)

    def _birthday(self, customer_id: int, row: customer_fields.Incoming) -> tuple[Any, ...]:
        """As occasions.set_birthday stores it: solar, a year of UNKNOWN_YEAR not known."""
        born = row.fields[BIRTHDAY]
        year = None if born.year == UNKNOWN_YEAR else born.year
        return (customer_id, "birthday", None, "solar", born.month, born.day, False, year, None,
                self.now)  # fmt: skip

    def _purchase(self, customer_id: int, row: customer_fields.Incoming) -> tuple[Any, ...]:
        dated = row.delivered_at or self.now
        return (customer_id, row.product, row.amount, row.sold_at or dated, dated)
