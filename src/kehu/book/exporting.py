"""What `kehu export` reads: the customers a file holds, a chunk at a time (memory stays flat
whatever the book's size), as rows of plain values — with their profile keys, dates, prospect
card and sale waiting for its delivery — for kehu/exchange to write in a format."""

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from kehu.book import engine, occasions
from kehu.book.customers import BIRTHDAY
from kehu.book.timestamps import from_db

EXPORT_CHUNK = 1000  # customers read at a time: memory stays flat whatever the book's size


def export_keys(tx: engine.Tx, *, archived: bool) -> list[str]:
    """The profile keys in use by the customers exported, sorted: the file's extra columns."""
    sql = "SELECT DISTINCT p.key FROM profile_field p"
    if not archived:
        sql += " JOIN customer c ON c.id = p.customer_id WHERE c.archived_at IS NULL"
    return sorted(key for (key,) in tx.tuples(sql))


# A prospect's columns of the export, blank for a customer who is not one (any more).
PROSPECT_COLUMNS = (
    "level", "interest", "budget", "expected_purchase", "payment", "current_car", "usage",
    "cares", "competitors", "best_time", "lost_reason", "lost_note", "lost_at",
)  # fmt: skip


def export_date_columns(tx: engine.Tx, *, archived: bool) -> list[tuple[str, str | None, int]]:
    """The date columns of the exported customers' dates but the birthdays of their own
    columns (occasions.other_dates): (kind, label, n) for the nth date of that kind and label
    a customer has, by kind (occasions.KINDS), label and n."""
    from kehu.rules.occasions import KINDS

    where = "" if archived else " WHERE c.archived_at IS NULL"
    most: dict[tuple[str, str], int] = {}

    def count(dates: list[tuple[int, str, str, str | None]]) -> None:
        solar = [i for i, kind, calendar, _l in dates if (kind, calendar) == ("birthday", "solar")]
        lunar = [i for i, kind, calendar, _l in dates if (kind, calendar) == ("birthday", "lunar")]
        written = {min(solar, default=None), max(lunar, default=None)}
        held: dict[tuple[str, str], int] = {}
        for i, kind, _calendar, label in dates:
            if i not in written:
                key = (kind, label or "")
                held[key] = held.get(key, 0) + 1
        for key, n in held.items():
            most[key] = max(most.get(key, 0), n)

    current: int | None = None
    dates: list[tuple[int, str, str, str | None]] = []
    for customer_id, id_, kind, calendar, label in tx.tuples(
        "SELECT o.customer_id, o.id, o.kind, o.calendar, o.label FROM occasion o"
        f" JOIN customer c ON c.id = o.customer_id{where} ORDER BY o.customer_id, o.id"
    ):
        if customer_id != current:
            count(dates)
            current, dates = customer_id, []
        dates.append((id_, kind, calendar, label))
    count(dates)
    ordered_keys = sorted(most, key=lambda k: (KINDS.index(k[0]), k[1]))
    return [(kind, label or None, n) for kind, label in ordered_keys
            for n in range(1, most[kind, label] + 1)]  # fmt: skip


def each_export_row(
    tx: engine.Tx, *, archived: bool, tz: tzinfo, now: datetime
) -> Iterator[dict[str, Any]]:
    """Every customer with their solar birthday (`birthday`, a date whose year is
    typed.UNKNOWN_YEAR when not known), their referrer's name and phone (`referrer_name`,
    `referrer_phone`), profile facts (`profile`), lunar birthday (`lunar`, an Occasion or
    None), other dates (`dates`, Occasions; `date_notes`, their notes) and a prospect's level
    and card (`level`, `interest`, `budget`, `expected_purchase`, `payment`…): an open one's,
    a lost one's (level `lost`, `lost_reason`, `lost_note`, `lost_at`) or, at `now`, an
    ordered one's (level O, and the sale waiting for its delivery: `product`, `amount`,
    `sold_at`, `delivered`), in id order, a chunk at a time. Times are ISO 8601 in `tz`, the
    user's zone, with its offset; `lost_at`, `sold_at` and `delivered` are local times as
    `kehu import` reads them (2026-03-15 14:30, or the day alone at its start)."""
    from kehu.book.prospects import FIRST_DELIVERY
    from kehu.rules.prospects import ordered

    where = "" if archived else " AND c.archived_at IS NULL"
    last = 0
    while True:
        rows = [
            dict(r)
            for r in tx.all(
                "SELECT c.*, r.name AS referrer_name, r.phone AS referrer_phone, p.level,"
                " p.interest, p.budget, p.expected_on AS expected_purchase, p.payment,"
                " p.current_car, p.usage, p.cares, p.competitors, p.best_time, p.lost_reason,"
                " p.lost_note, p.lost_at, p.converted_at AS p_converted_at,"
                f" CASE WHEN p.converted_at IS NOT NULL THEN {FIRST_DELIVERY} END AS p_delivery"
                " FROM customer c"
                " LEFT JOIN customer r ON r.id = c.referred_by"
                " LEFT JOIN prospect p ON p.customer_id = c.id"
                f" WHERE c.id > :last{where}"
                f" ORDER BY c.id LIMIT {EXPORT_CHUNK}",
                last=last,
            )
        ]
        if not rows:
            return
        first, last = rows[0]["id"], rows[-1]["id"]
        ids = [r["id"] for r in rows]
        born = occasions.birthdays(tx, ids)
        lunar = occasions.lunar_birthdays(tx, ids)
        others = occasions.other_dates(tx, ids, notes=True)
        facts: dict[int, dict[str, str]] = {}
        for customer_id, key, value in tx.tuples(
            "SELECT customer_id, key, value FROM profile_field"
            " WHERE customer_id BETWEEN :first AND :last ORDER BY customer_id, key",
            first=first,
            last=last,
        ):
            facts.setdefault(customer_id, {})[key] = value
        for row in rows:
            row[BIRTHDAY] = born.get(row["id"])
            row["profile"] = facts.get(row["id"], {})
            row["lunar"] = lunar.get(row["id"])
            row["dates"] = [o for o, _note in others.get(row["id"], [])]
            row["date_notes"] = [note for _o, note in others.get(row["id"], [])]
            for column in ("created_at", "archived_at", "last_reached_at"):
                moment = from_db(row[column])
                row[column] = None if moment is None else moment.astimezone(tz).isoformat()
            sold, lost = from_db(row.pop("p_converted_at")), from_db(row["lost_at"])
            delivery = from_db(row.pop("p_delivery"))
            if sold is not None and ordered(sold, delivery, now):
                row["level"] = "O"
                row.update(_order(tx, customer_id=row["id"], delivery=delivery, tz=tz))
            elif sold is not None:
                row.update(dict.fromkeys(PROSPECT_COLUMNS))  # a customer now
            elif lost is not None:
                row["level"] = "lost"
            row["lost_at"] = _local(from_db(row["lost_at"]), tz)
        yield from rows


def _order(tx: engine.Tx, *, customer_id: int, delivery: Any, tz: tzinfo) -> dict[str, Any]:
    """An ordered prospect's sale waiting for its delivery: product, amount, when sold and
    the delivery, local times."""
    found = engine.one(
        tx,
        "SELECT product, amount, sold_at, delivered_at FROM purchase WHERE customer_id = :c"
        " ORDER BY delivered_at, id LIMIT 1",
        c=customer_id,
    )
    if found is None:
        return {}
    return {
        "product": found["product"],
        "amount": found["amount"],
        "sold_at": _local(from_db(found["sold_at"]), tz),
        "delivered": _local(from_db(found["delivered_at"]), tz),
    }


def _local(moment: datetime | None, tz: tzinfo) -> str | None:
    """A moment as `kehu import` reads it back: the local day alone at its start, else the
    local day and time (to the second when it has seconds)."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    if local.time() == datetime.min.time():
        return local.date().isoformat()
    return f"{local:%Y-%m-%d %H:%M}" + (f":{local:%S}" if local.second else "")
