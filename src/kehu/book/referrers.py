"""The referrer column of an import (推荐人, referred_by): who sent each row's customer. A cell
names the referrer by exact name or by phone (a referrer's phone column, 推荐人电话, goes first);
it links the customer to them when exactly one person matches, among the active customers in
the book before the import and the rows before it in the file. A cell that matches no one, or
several, stays a profile fact `referrer`.

The cells are gathered as the rows go by and matched at the end, in a few queries whatever the
file's size."""

from collections.abc import Sequence
from typing import Any, NamedTuple

from kehu.base.typed import half_width
from kehu.book import engine, find
from kehu.rules import customer_fields, vocab

FACT = "referrer"  # the profile fact a cell that links no one is kept as


class _Row(NamedTuple):
    position: int
    name: str
    digits: str | None
    referrer: str | None
    referrer_phone: str | None


class Resolved(NamedTuple):
    links: list[tuple[int, int]]  # (customer id, referrer id)
    unlinked: list[tuple[int, str]]  # (customer id, or the row's position without one; cell)


class Referrers:
    """The rows of one import, in file order, and the customers they were written as."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.ids: dict[int, int] = {}  # a row's position -> its customer id, once written
        self.added: set[int] = set()  # the customers this import added

    def note(self, row: customer_fields.Incoming) -> None:
        digits = vocab.phone_digits(row.fields.get("phone"))
        self.rows.append(
            _Row(row.position, row.fields["name"], digits, row.referrer, row.referrer_phone)
        )

    def written(self, rows: Sequence[customer_fields.Incoming], ids: Sequence[int | None],
                *, added: bool) -> None:  # fmt: skip
        for row, customer_id in zip(rows, ids, strict=True):
            if customer_id is not None:
                self.ids[row.position] = customer_id
                if added:
                    self.added.add(customer_id)

    def cell(self, customer_id: int) -> str:
        """The referrer cell of the row written as this customer (its last such row)."""
        cells = [
            " ".join(filter(None, (r.referrer, r.referrer_phone)))
            for r in self.rows
            if self.ids.get(r.position) == customer_id and (r.referrer or r.referrer_phone)
        ]
        return cells[-1]

    def pending(self) -> bool:
        return any(r.referrer or r.referrer_phone for r in self.rows)

    def resolve(self, tx: engine.Tx | None, *, preview: bool = False) -> Resolved:
        """Each referrer cell matched (tx None: a book that does not exist yet). A `preview`
        matches the rows before anything is written; otherwise a row not written (skipped)
        is left out."""
        cells = {c for r in self.rows for c in (r.referrer, r.referrer_phone) if c}
        if not cells:
            return Resolved([], [])
        in_book = _in_book(tx, cells) if tx else []
        in_book = [c for c in in_book if c[0] not in self.added]
        by_name: dict[str, list[tuple[Any, int]]] = {}
        by_digits: dict[str, list[tuple[Any, int]]] = {}
        book_digits = set()
        for book_id, name, digits in in_book:
            by_name.setdefault(name, []).append((("id", book_id), -1))
            if digits:
                by_digits.setdefault(digits, []).append((("id", book_id), -1))
                book_digits.add(digits)
        for index, row in enumerate(self.rows):
            key = self._key(row, index, book_digits, preview)
            if key is None:
                continue
            by_name.setdefault(row.name, []).append((key, index))
            if row.digits:
                by_digits.setdefault(row.digits, []).append((key, index))
        links, unlinked = [], []
        for index, row in enumerate(self.rows):
            if not (row.referrer or row.referrer_phone):
                continue
            own = self._key(row, index, book_digits, preview)
            customer_id = self.ids.get(row.position)
            if customer_id is None and not preview:
                continue  # a skipped row
            keys: set[Any] = set()
            if row.referrer_phone and (digits := _phone(row.referrer_phone)):
                keys = {key for key, at in by_digits.get(digits, []) if at < index and key != own}
            if len(keys) != 1 and row.referrer:
                digits = _phone(row.referrer)
                found = by_name.get(row.referrer, []) + by_digits.get(digits or "", [])
                keys = {key for key, at in found if at < index and key != own}
            if len(keys) != 1:
                cell = " ".join(filter(None, (row.referrer, row.referrer_phone)))
                unlinked.append((customer_id or row.position, cell))
            elif customer_id is not None:  # else a preview, the referrer maybe a row of it
                links.append((customer_id, keys.pop()[1]))
        return Resolved(links, unlinked)

    def _key(self, row: _Row, index: int, book_digits: set[str], preview: bool) -> Any:
        """Who a row is: its customer once written; before that, its phone (the book's
        customer with that phone, whom the row's sale goes to, is one with it) or the row."""
        if (customer_id := self.ids.get(row.position)) is not None:
            return ("id", customer_id)
        if not preview:
            return None  # a skipped row is no one the import writes
        if row.digits:
            return ("phone", row.digits) if row.digits not in book_digits else None
        return ("row", index)


def _phone(text: str) -> str | None:
    """The digits of a cell that is a phone number (7 digits or more), as `find` reads one."""
    digits = vocab.phone_digits(text)
    if digits and len(digits) >= 7 and set(half_width(text)) <= find.PHONE_CHARS:
        return digits
    return None


def _in_book(tx: engine.Tx, cells: set[str]) -> list[tuple[int, str, str | None]]:
    """The active customers whose exact name or phone one of the cells is."""
    names = sorted(cells)
    phones = sorted({d for c in cells if (d := _phone(c))})
    found: dict[int, tuple[int, str, str | None]] = {}
    per = engine.MAX_PARAMETERS
    for column, values in (("name", names), ("phone_digits", phones)):
        for start in range(0, len(values), per):
            chunk = values[start : start + per]
            marks = ", ".join(f":v{i}" for i in range(len(chunk)))
            for r in tx.all(
                f"SELECT id, name, phone_digits FROM customer WHERE archived_at IS NULL"
                f" AND {column} IN ({marks})",
                **{f"v{i}": v for i, v in enumerate(chunk)},
            ):
                found[r["id"]] = (r["id"], r["name"], r["phone_digits"])
    return list(found.values())
