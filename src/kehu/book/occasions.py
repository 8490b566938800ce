"""The dates that matter to each customer (birthdays, anniversaries), solar or lunar: `kehu date`
and the `--birthday` of add and edit. Keyword-only functions inside a transaction."""

from datetime import date, datetime
from typing import Any, NamedTuple

from kehu.base.errors import NotFound
from kehu.base.i18n import _
from kehu.base.typed import UNKNOWN_YEAR
from kehu.book import engine, find
from kehu.rules.occasions import Occasion

COLUMNS = "o.id, o.customer_id, o.kind, o.label, o.calendar, o.month, o.day, o.leap, o.year, o.note"


class OccasionRow(NamedTuple):
    id: int
    customer_id: int
    customer_name: str
    occasion: Occasion
    note: str | None


def add_occasion(
    tx: engine.Tx,
    *,
    customer: str,
    occasion: Occasion,
    note: str | None,
    now: datetime,
) -> OccasionRow:
    """`kehu date add`: one more date of a customer's."""
    row = find.customer(tx, customer, archived=True)
    new_id = insert_occasion(tx, customer_id=row["id"], occasion=occasion, note=note, now=now)
    return OccasionRow(new_id, int(row["id"]), str(row["name"]), occasion, note)


def insert_occasion(
    tx: engine.Tx, *, customer_id: int, occasion: Occasion, note: str | None, now: datetime
) -> int:
    return engine.insert(
        tx, "occasion", customer_id=customer_id, kind=occasion.kind, label=occasion.label,
        calendar=occasion.calendar, month=occasion.month, day=occasion.day,
        leap=occasion.leap, year=occasion.year, note=note, created_at=now,
    )  # fmt: skip


def set_birthday(tx: engine.Tx, *, customer_id: int, birthday: date | None, now: datetime) -> None:
    """`--birthday` of add and edit: the customer's solar birthday replaced (None: removed).
    A year of typed.UNKNOWN_YEAR means the year is not known."""
    tx.run(
        "DELETE FROM occasion WHERE customer_id = :c AND kind = 'birthday' AND calendar = 'solar'",
        c=customer_id,
    )
    if birthday is None:
        return
    year = None if birthday.year == UNKNOWN_YEAR else birthday.year
    occasion = Occasion("birthday", "solar", birthday.month, birthday.day, year=year)
    insert_occasion(tx, customer_id=customer_id, occasion=occasion, note=None, now=now)


def birthdays(tx: engine.Tx, customer_ids: list[int]) -> dict[int, date]:
    """Each customer's solar birthday as the old birthday column held it (year UNKNOWN_YEAR
    when not known): for the card's `birthday` and the CSV export."""
    if not customer_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(set(customer_ids)))
    found: dict[int, date] = {}
    for customer_id, month, day, year in tx.tuples(
        "SELECT customer_id, month, day, year FROM occasion WHERE kind = 'birthday'"
        f" AND calendar = 'solar' AND customer_id IN ({ids}) ORDER BY id DESC"
    ):
        found[customer_id] = date(year or UNKNOWN_YEAR, month, day)
    return found


def lunar_birthdays(tx: engine.Tx, customer_ids: list[int]) -> dict[int, Occasion]:
    """Each customer's lunar birthday (the latest written), for the vCard export."""
    if not customer_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(set(customer_ids)))
    found: dict[int, Occasion] = {}
    for customer_id, month, day, leap, year in tx.tuples(
        "SELECT customer_id, month, day, leap, year FROM occasion WHERE kind = 'birthday'"
        f" AND calendar = 'lunar' AND customer_id IN ({ids}) ORDER BY id"
    ):
        found[customer_id] = Occasion("birthday", "lunar", month, day, leap=bool(leap), year=year)
    return found


def other_dates(tx: engine.Tx, customer_ids: list[int], *, notes: bool = False) -> dict[int, Any]:
    """Each customer's dates but the solar birthday of `birthdays` and the lunar birthday of
    `lunar_birthdays`, in the order written: for the exports. With `notes`, (Occasion, note)
    pairs."""
    if not customer_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(set(customer_ids)))
    rows = tx.tuples(
        "SELECT id, customer_id, kind, label, calendar, month, day, leap, year, note"
        f" FROM occasion WHERE customer_id IN ({ids}) ORDER BY id"
    )
    found: dict[int, list[tuple[int, Occasion, str | None]]] = {}
    for id_, customer_id, kind, label, calendar, month, day, leap, year, note in rows:
        occasion = Occasion(kind, calendar, month, day, leap=bool(leap), year=year, label=label)
        found.setdefault(customer_id, []).append((id_, occasion, note))
    others: dict[int, Any] = {}
    for customer_id, dates in found.items():
        solar = [i for i, o, _n in dates if o.kind == "birthday" and o.calendar == "solar"]
        lunar = [i for i, o, _n in dates if o.kind == "birthday" and o.calendar == "lunar"]
        written = {min(solar, default=None), max(lunar, default=None)}
        others[customer_id] = [(o, n) if notes else o for i, o, n in dates if i not in written]
    return others


def listing(tx: engine.Tx, *, customer: str | None, owner: str | None) -> list[OccasionRow]:
    """`kehu date list`: one customer's dates, or those of every active customer of `owner`
    (None: everyone's), by customer then id."""
    params: dict[str, Any] = {}
    if customer is not None:
        where = "c.id = :cid"
        params["cid"] = find.customer(tx, customer, archived=True)["id"]
    else:
        where = "c.archived_at IS NULL"
        if owner is not None:
            where += " AND c.owner = :owner"
            params["owner"] = owner
    return [
        _row(r)
        for r in tx.tuples(
            f"SELECT {COLUMNS}, c.name FROM occasion o JOIN customer c ON c.id = o.customer_id"
            f" WHERE {where} ORDER BY o.customer_id, o.id",
            **params,
        )
    ]


def of_active_customers(
    tx: engine.Tx, *, owner: str | None = None
) -> list[tuple[OccasionRow, str | None, str]]:
    """Every date of every active customer of `owner` (None: everyone's), with the customer's
    phone and owner, by customer then id."""
    mine = "" if owner is None else " AND c.owner = :owner"
    return [
        (_row(r[:-2]), r[-2], r[-1])
        for r in tx.tuples(
            f"SELECT {COLUMNS}, c.name, c.phone, c.owner FROM occasion o JOIN customer c"
            f" ON c.id = o.customer_id WHERE c.archived_at IS NULL{mine}"
            " ORDER BY o.customer_id, o.id",
            **({} if owner is None else {"owner": owner}),
        )
    ]


def of_customer(tx: engine.Tx, *, customer_id: int) -> list[OccasionRow]:
    return [
        _row(r)
        for r in tx.tuples(
            f"SELECT {COLUMNS}, c.name FROM occasion o JOIN customer c ON c.id = o.customer_id"
            " WHERE o.customer_id = :cid ORDER BY o.id",
            cid=customer_id,
        )
    ]


def occasion_of(tx: engine.Tx, *, occasion_id: int) -> tuple[Occasion, str]:
    """A date and its customer's tier (what the daily list needs to place its item)."""
    [row] = tx.tuples(
        f"SELECT {COLUMNS}, c.tier FROM occasion o JOIN customer c ON c.id = o.customer_id"
        " WHERE o.id = :id",
        id=occasion_id,
    )
    *columns, tier = row
    return _row((*columns, None)).occasion, tier


def delete_occasion(tx: engine.Tx, *, occasion_id: int) -> OccasionRow:
    found = [
        _row(r)
        for r in tx.tuples(
            f"SELECT {COLUMNS}, c.name FROM occasion o JOIN customer c ON c.id = o.customer_id"
            " WHERE o.id = :id",
            id=occasion_id,
        )
    ]
    if not found:
        raise NotFound(
            _("there is no date #{id}; `kehu date list` shows them").format(id=occasion_id)
        )
    tx.run("DELETE FROM occasion WHERE id = :id", id=occasion_id)
    return found[0]


def _row(r: Any) -> OccasionRow:
    oid, cid, kind, label, calendar, month, day, leap, year, note, name = r
    occasion = Occasion(kind, calendar, month, day, leap=bool(leap), year=year, label=label)
    return OccasionRow(oid, cid, name, occasion, note)
