"""Prospects in the book: registered with a level and the prospect card, re-graded with a
contact, lost with a reason, converted by a sale; and what the level table, the card and the
conversion figures read. Reads start from the owner's customers (ix_customer_owner)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.book import engine, find
from kehu.book.timestamps import from_db, typed_row
from kehu.rules.prospects import Outcome, conversion, ordered

CARD_FIELDS = (
    "interest", "budget", "expected_on", "payment", "current_car", "usage", "cares",
    "competitors", "best_time",
)  # fmt: skip
# A prospect not sold to (open or lost): no after-sale frequency mark, suggestion nor holiday
# greeting (SQL, on a customer aliased c).
NOT_A_PROSPECT = (
    "NOT EXISTS (SELECT 1 FROM prospect p WHERE p.customer_id = c.id AND p.converted_at IS NULL)"
)
# When a customer's first delivery is (SQL, on a customer aliased c): a prospect sold to is
# ordered (level O) from the sale until then. NULL when a purchase has no delivery (owned
# from its sale) or there is none.
FIRST_DELIVERY = (
    "(SELECT CASE WHEN COUNT(*) = COUNT(q.delivered_at) THEN MIN(q.delivered_at) END"
    " FROM purchase q WHERE q.customer_id = c.id)"
)
MAX_COMPETITORS = 3
COMPETITOR_SEPARATOR = "; "


class Card(NamedTuple):
    """The prospect card's fields (意向客户管理卡); None: not known."""

    interest: str | None = None
    budget: str | None = None
    expected_on: date | None = None
    payment: str | None = None
    current_car: str | None = None
    usage: str | None = None
    cares: str | None = None
    competitors: tuple[str, ...] = ()
    best_time: str | None = None

    def stored(self) -> dict[str, Any]:
        values = self._asdict()
        values["competitors"] = COMPETITOR_SEPARATOR.join(self.competitors) or None
        return values


def _open_row(tx: engine.Tx, customer_id: int) -> Any:
    return engine.one(
        tx,
        "SELECT p.level, p.converted_at, p.lost_at, p.lost_reason, p.lost_note, p.interest,"
        f" {FIRST_DELIVERY} AS delivery FROM prospect p CROSS JOIN customer c"
        " WHERE p.customer_id = :c AND c.id = :c",
        c=customer_id,
    )


def order_of(tx: engine.Tx, *, customer_id: int, now: datetime) -> tuple[int, datetime] | None:
    """The order of a prospect ordered at `now` (sold to, nothing delivered yet: level O): the
    purchase delivered first, and when; None for anyone else."""
    row = _open_row(tx, customer_id)
    if row is None:
        return None
    delivery = from_db(row["delivery"])
    if delivery is None or not ordered(from_db(row["converted_at"]), delivery, now):
        return None
    purchase = engine.scalar(
        tx,
        "SELECT id FROM purchase WHERE customer_id = :c ORDER BY delivered_at, id LIMIT 1",
        c=customer_id,
    )
    return int(purchase), delivery


# ------------------------------------------------------------------------------- writes


def register(
    tx: engine.Tx, *, customer_id: int, level: str, card: Card, now: datetime, made_by: str
) -> None:
    """Make a customer a prospect at `level`, with the card's fields."""
    values = {"customer_id": customer_id, "level": level, "created_at": now, **card.stored()}
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    tx.run(f"INSERT INTO prospect ({columns}) VALUES ({marks})", **values)
    _grade(tx, customer_id=customer_id, level=level, at=now, contact_id=None, made_by=made_by)


def change_card(tx: engine.Tx, *, customer_id: int, values: Mapping[str, Any]) -> None:
    """Card fields (columns of CARD_FIELDS, as Card.stored() gives them) replaced; the card of
    a prospect sold to or lost stays theirs to correct."""
    if engine.one(tx, "SELECT 1 AS x FROM prospect WHERE customer_id = :c", c=customer_id) is None:
        raise BadInput(
            _("#{id} is not a prospect: --interest, --budget… describe one (register with "
              "`kehu add NAME --prospect`); nothing was changed").format(id=customer_id)
        )  # fmt: skip
    assert set(values) <= set(CARD_FIELDS)
    sets = ", ".join(f"{column} = :{column}" for column in values)
    tx.run(f"UPDATE prospect SET {sets} WHERE customer_id = :customer_id",
           customer_id=customer_id, **values)  # fmt: skip


def _grade(
    tx: engine.Tx,
    *,
    customer_id: int,
    level: str,
    at: datetime,
    contact_id: int | None,
    made_by: str,
) -> None:
    engine.insert(tx, "prospect_grade", customer_id=customer_id, level=level, at=at,
                  contact_id=contact_id, made_by=made_by)  # fmt: skip


def regrade(
    tx: engine.Tx,
    *,
    customer_id: int,
    level: str,
    at: datetime,
    contact_id: int | None,
    made_by: str,
) -> tuple[str, tuple[datetime, str] | None]:
    """A new level, given with a contact: the prospect must be open, or lost before the contact
    (who came back: open again; the loss is kept in prospect_loss), or ordered at the contact
    (sold to, nothing delivered yet: then only O, kept as a grade for the level table). The
    level in force is the latest grade's (a contact logged back-dated grades the past, not now);
    it is returned, with the loss undone if there was one (its time and reason)."""
    row = engine.one(
        tx,
        f"SELECT p.converted_at, p.lost_at, p.lost_reason, p.lost_note, {FIRST_DELIVERY}"
        " AS delivery FROM prospect p CROSS JOIN customer c WHERE p.customer_id = :c AND c.id = :c",
        c=customer_id,
    )
    on_order = row is not None and ordered(
        from_db(row["converted_at"]), from_db(row["delivery"]), at
    )
    if on_order and level != "O":  # level O until the delivery: a contact may say so, no other
        raise BadInput(
            _("#{id} has ordered and waits for the delivery: their level is O until then; "
              "nothing was logged").format(id=customer_id)
        )  # fmt: skip
    lost_at = None if row is None or on_order else from_db(row["lost_at"])
    if (
        row is None
        or (row["converted_at"] is not None and not on_order)
        or (lost_at is not None and lost_at > at)
    ):
        raise BadInput(
            _("#{id} is not an open prospect: --level grades prospects; nothing was logged").format(
                id=customer_id
            )
        )
    reopened = None
    if lost_at is not None:
        reopened = (lost_at, str(row["lost_reason"]))
        engine.insert(tx, "prospect_loss", customer_id=customer_id, lost_at=lost_at,
                      reason=row["lost_reason"], note=row["lost_note"], reopened_at=at,
                      contact_id=contact_id, made_by=made_by)  # fmt: skip
        tx.run(
            "UPDATE prospect SET lost_at = NULL, lost_reason = NULL, lost_note = NULL"
            " WHERE customer_id = :c",
            c=customer_id,
        )
    _grade(tx, customer_id=customer_id, level=level, at=at, contact_id=contact_id,
           made_by=made_by)  # fmt: skip
    in_force = str(
        engine.scalar(
            tx,
            "SELECT level FROM prospect_grade WHERE customer_id = :c"
            " ORDER BY at DESC, id DESC LIMIT 1",
            c=customer_id,
        )
    )
    tx.run("UPDATE prospect SET level = :l WHERE customer_id = :c", l=in_force, c=customer_id)
    return in_force, reopened


class Cancelled(NamedTuple):
    """A booked purchase deleted with the order it was (`kehu lost` of an ordered prospect)."""

    purchase_id: int
    product: str
    delivered_at: datetime


class Lost(NamedTuple):
    """What `kehu lost` did: `already` is when they were lost, if they were (nothing changed)."""

    customer_id: int
    name: str
    cancelled: list[Cancelled]
    already: datetime | None = None


def mark_lost(
    tx: engine.Tx, *, customer: str, reason: str, note: str | None, now: datetime, made_by: str
) -> Lost:
    """`kehu lost`: the prospect is closed without a sale, for `reason`. An ordered one (sold
    to, nothing delivered yet) cancelled the order: the booked purchases are deleted (a
    cancelled order is no sale: no thank-you, call-backs nor sale in the reports; `kehu undo`
    brings them back), the card keeps the model they wanted, and a grade O at the sale keeps
    the level table's history of the order. The deleted purchases are returned. One already
    lost is left as it is (their loss, its day and reason stand), with the day they were lost."""
    found = find.customer(tx, customer)
    cid = int(found["id"])
    row = _open_row(tx, cid)
    cancelled: list[Cancelled] = []
    if row is not None and order_of(tx, customer_id=cid, now=now) is not None:
        cancelled = [
            Cancelled(int(r["id"]), str(r["product"]), from_db(r["delivered_at"]))
            for r in tx.all(
                "SELECT id, product, delivered_at FROM purchase WHERE customer_id = :c"
                " ORDER BY delivered_at, id",
                c=cid,
            )
        ]
        for purchase in cancelled:
            tx.run("DELETE FROM purchase WHERE id = :i", i=purchase.purchase_id)
        if row["interest"] is None:
            tx.run("UPDATE prospect SET interest = :m WHERE customer_id = :c",
                   m=cancelled[0].product, c=cid)  # fmt: skip
        sold = from_db(row["converted_at"])
        if row["lost_at"] is not None:  # lost before, back with the order: a loss of the past
            engine.insert(tx, "prospect_loss", customer_id=cid, lost_at=from_db(row["lost_at"]),
                          reason=row["lost_reason"], note=row["lost_note"], reopened_at=sold,
                          contact_id=None, made_by=made_by)  # fmt: skip
        _grade(tx, customer_id=cid, level="O", at=sold, contact_id=None, made_by=made_by)
        tx.run(
            "UPDATE prospect SET converted_at = NULL, level = 'O', lost_at = NULL,"
            " lost_reason = NULL, lost_note = NULL WHERE customer_id = :c",
            c=cid,
        )
        row = _open_row(tx, cid)
    if row is None or row["converted_at"] is not None:
        raise BadInput(
            _("#{id} is not a prospect (no sale to lose); nothing was changed").format(
                id=found["id"]
            )
        )
    if row["lost_at"] is not None:
        return Lost(cid, str(found["name"]), cancelled, already=from_db(row["lost_at"]))
    tx.run(
        "UPDATE prospect SET lost_at = :at, lost_reason = :r, lost_note = :n"
        " WHERE customer_id = :c",
        at=now, r=reason, n=note, c=cid,
    )  # fmt: skip
    return Lost(cid, str(found["name"]), cancelled)


def lose(tx: engine.Tx, *, customer_id: int, reason: str, note: str | None, at: datetime) -> None:
    """A prospect just registered (by `kehu import`), lost at `at` for `reason`."""
    tx.run(
        "UPDATE prospect SET lost_at = :at, lost_reason = :r, lost_note = :n"
        " WHERE customer_id = :c AND converted_at IS NULL",
        at=at, r=reason, n=note, c=customer_id,
    )  # fmt: skip


# -------------------------------------------------------------------------------- reads


def card(tx: engine.Tx, *, customer_id: int) -> dict[str, Any] | None:
    """The prospect card of a customer who was ever a prospect, with their grades."""
    row = engine.one(
        tx,
        f"SELECT p.*, {FIRST_DELIVERY} AS first_delivered_at FROM prospect p CROSS JOIN customer c"
        " WHERE p.customer_id = :c AND c.id = :c",
        c=customer_id,
    )
    if row is None:
        return None
    shown = typed_row(row)
    shown["competitors"] = split_competitors(shown["competitors"])
    shown["grades"] = [
        typed_row(r)
        for r in tx.all(
            "SELECT level, at, contact_id FROM prospect_grade WHERE customer_id = :c"
            " ORDER BY at, id",
            c=customer_id,
        )
    ]
    shown["losses"] = [
        typed_row(r)
        for r in tx.all(
            "SELECT lost_at, reason, note, reopened_at, contact_id FROM prospect_loss"
            " WHERE customer_id = :c ORDER BY lost_at, id",
            c=customer_id,
        )
    ]
    return shown


def split_competitors(value: str | None) -> list[str]:
    return [part for part in (value or "").split(COMPETITOR_SEPARATOR) if part]


def _mine(owner: str | None) -> tuple[str, dict[str, Any]]:
    """The condition on `c` that keeps one owner's active customers, and its parameters."""
    if owner is None:
        return "c.archived_at IS NULL", {}
    return "c.owner = :owner AND c.archived_at IS NULL", {"owner": owner}


class MonthRows(NamedTuple):
    prospects: list[dict[str, Any]]  # open at some time in the month, with grades, contacts
    converted: list[dict[str, Any]]  # sold to in the month
    lost: list[dict[str, Any]]  # lost in the month


def month(tx: engine.Tx, *, owner: str | None, start: datetime, end: datetime) -> MonthRows:
    """The level table's data for [start, end): each prospect open or ordered at some time in
    it (not sold to with a delivery, nor lost, before it starts; registered before it ends),
    its grades, its first delivery, its reached contacts up to `end`, the sales of its
    cancelled orders (grades O given without a contact); and the month's conversions and
    losses."""
    mine, params = _mine(owner)
    params.update(start=start, end=end)
    rows = [
        typed_row(r)
        for r in tx.all(
            "SELECT * FROM (SELECT c.id, c.name, c.phone, c.source, c.last_reached_at, p.level,"
            " p.interest, p.created_at, p.converted_at, p.lost_at, p.lost_reason, p.lost_note,"
            f" {FIRST_DELIVERY} AS first_delivered_at"
            " FROM customer c JOIN prospect p ON p.customer_id = c.id"
            f" WHERE {mine} AND p.created_at < :end) x"
            " WHERE (x.converted_at IS NULL OR x.converted_at >= :start"
            " OR x.first_delivered_at > :start)"
            " AND (x.lost_at IS NULL OR x.lost_at >= :start OR x.converted_at IS NOT NULL)"
            " ORDER BY x.id",
            **params,
        )
    ]
    ids = ", ".join(str(int(r["id"])) for r in rows) or "NULL"
    grades: dict[int, list[tuple[datetime, str]]] = {}
    orders: dict[int, list[datetime]] = {}
    for customer_id, level, at, contact_id in tx.tuples(
        f"SELECT customer_id, level, at, contact_id FROM prospect_grade"
        f" WHERE customer_id IN ({ids}) AND at < :end ORDER BY at, id",
        end=end,
    ):
        grades.setdefault(customer_id, []).append((from_db(at), level))
        if level == "O" and contact_id is None:  # the sale of an order since cancelled
            orders.setdefault(customer_id, []).append(from_db(at))
    reached: dict[int, list[datetime]] = {}
    for customer_id, at in tx.tuples(
        f"SELECT customer_id, at FROM contact WHERE customer_id IN ({ids})"
        " AND outcome = 'reached' AND at < :end ORDER BY at, id",
        end=end,
    ):
        reached.setdefault(customer_id, []).append(from_db(at))
    losses: dict[int, list[tuple[datetime, datetime]]] = {}
    for customer_id, lost_at, reopened_at in tx.tuples(
        f"SELECT customer_id, lost_at, reopened_at FROM prospect_loss WHERE customer_id IN ({ids})"
        " AND lost_at < :end ORDER BY lost_at, id",
        end=end,
    ):
        losses.setdefault(customer_id, []).append((from_db(lost_at), from_db(reopened_at)))
    for row in rows:
        row["grades"] = grades.get(row["id"], [])
        row["contacts"] = reached.get(row["id"], [])
        row["cancelled_orders"] = orders.get(row["id"], [])  # level O from each, no contact
        row["losses"] = losses.get(row["id"], [])  # lost, and back since: no planned days
    converted = [
        r for r in rows if r["converted_at"] is not None and start <= r["converted_at"] < end
    ]
    lost = [
        r
        for r in rows
        if r["lost_at"] is not None and r["lost_at"] < end and r["converted_at"] is None
    ]
    lost += [  # lost in the month, and since come back
        {"id": r["customer_id"], "name": r["name"], "lost_at": r["lost_at"],
         "lost_reason": r["reason"], "lost_note": r["note"]}
        for r in past_losses(tx, owner=owner, start=start, end=end)
    ]  # fmt: skip
    lost.sort(key=lambda r: (r["lost_at"], r["id"]))
    return MonthRows(rows, converted, lost)


def past_losses(
    tx: engine.Tx, *, owner: str | None, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """The losses in [start, end) of prospects who came back since (prospect_loss)."""
    mine, params = _mine(owner)
    return [
        typed_row(r)
        for r in tx.all(
            "SELECT l.customer_id, c.name, l.lost_at, l.reason, l.note FROM prospect_loss l"
            f" JOIN customer c ON c.id = l.customer_id WHERE {mine}"
            " AND l.lost_at >= :start AND l.lost_at < :end ORDER BY l.lost_at, l.id",
            start=start, end=end, **params,
        )
    ]  # fmt: skip


def outcomes(tx: engine.Tx, *, owner: str | None) -> list[dict[str, Any]]:
    """Every prospect with its source, first level, first contact and end (for the figures)."""
    mine, params = _mine(owner)
    return [
        typed_row(r)
        for r in tx.all(
            "SELECT c.id, c.source, p.created_at, p.converted_at, p.lost_at, p.lost_reason,"
            " (SELECT g.level FROM prospect_grade g WHERE g.customer_id = c.id"
            "  ORDER BY g.at, g.id LIMIT 1) AS first_level,"
            " (SELECT MIN(k.at) FROM contact k WHERE k.customer_id = c.id) AS first_contact_at"
            " FROM customer c JOIN prospect p ON p.customer_id = c.id"
            f" WHERE {mine} ORDER BY c.id",
            **params,
        )
    ]


def outcome_of(row: Mapping[str, Any]) -> Outcome:
    """A row of outcomes() as the conversion figures take it: its first contact is the earlier
    of the first contact logged and the registration."""
    first = min(m for m in (row["first_contact_at"], row["created_at"]) if m is not None)
    return Outcome(
        row["source"], row["first_level"] or "N", first, row["converted_at"], row["lost_reason"]
    )


def period(tx: engine.Tx, *, owner: str | None, start: datetime, end: datetime) -> dict[str, Any]:
    """The prospects of [start, end): how many were registered, sold to and lost in it; the
    losses by reason and the days to a sale of those that ended in it; and, by source and
    first level, what became of those registered in it (so far)."""

    def within(moment: datetime | None) -> bool:
        return moment is not None and start <= moment < end

    rows = outcomes(tx, owner=owner)
    new = [r for r in rows if within(r["created_at"])]
    sold = [r for r in rows if within(r["converted_at"])]
    lost = [r for r in rows if r["converted_at"] is None and within(r["lost_at"])]
    by_id = {r["id"]: r for r in rows}
    lost += [  # lost in the period, and since come back: lost then all the same
        {**by_id[r["customer_id"]], "converted_at": None, "lost_reason": r["reason"]}
        for r in past_losses(tx, owner=owner, start=start, end=end)
        if r["customer_id"] in by_id
    ]
    ended, cohort = conversion(map(outcome_of, sold + lost)), conversion(map(outcome_of, new))
    return {
        "new": len(new),
        "sold": len(sold),
        "lost": len(lost),
        "lost_by_reason": ended["lost_by_reason"],
        "days_to_sale": ended["days_to_sale"],
        "by_source": cohort["by_source"],
        "by_level": cohort["by_level"],
    }
