"""Reads: a handful of aggregate SQL statements per command, never one query per customer.

`a CROSS JOIN b WHERE ...` is an inner join that SQLite runs in the order written: the daily
list's queries start from the few rows an index finds (open promises, recent deliveries)
rather than from every customer of the owner. PostgreSQL plans it freely, as any join."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from kehu import db, scheduler
from kehu.timestamps import from_db


def _owner_filter(owner: str | None, alias: str = "c") -> str:
    return "" if owner is None else f" AND {alias}.owner = :owner"


CUSTOMER_COLUMNS = (
    "c.id, c.name, c.phone, c.tier, c.owner, c.created_at, c.last_reached_at, c.last_other_at,"
    " c.last_thanks_at, c.attempts, (SELECT MAX(q.delivered_at) FROM purchase q"
    " WHERE q.customer_id = c.id AND q.delivered_at <= :now) AS latest_delivery"
)


def _quiet_before(cut: str) -> str:
    """No sign of life since `cut`: nothing that could be a frequency item's base is newer."""
    return (
        f"(c.created_at < :{cut} AND (c.last_reached_at IS NULL OR c.last_reached_at < :{cut})"
        " AND NOT EXISTS (SELECT 1 FROM purchase q WHERE q.customer_id = c.id"
        f" AND q.delivered_at >= :{cut} AND q.delivered_at <= :now))"
    )


def book_state(
    tx: db.Tx, *, now: datetime, rules: scheduler.Rules, owner: str | None
) -> scheduler.BookState:
    """Everything the scheduler needs at `now`, for one owner's customers (None: everyone's).

    Only what can make an item is loaded: purchases whose thank-you or call-back may be open
    (scheduler.purchase_filter), and the customers the rules name or who have been quiet
    long enough for a frequency mark (scheduler.frequency_cuts)."""
    active = "c.archived_at IS NULL" + _owner_filter(owner)
    horizon = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    purchases = _purchases(tx, now, scheduler.purchase_filter(now, rules), active, owner)
    promises = [
        scheduler.PromiseState(
            id=r["id"], customer_id=r["customer_id"], text=r["text"], due=_instant(r["due"])
        )
        for r in tx.each(
            "SELECT p.id, p.customer_id, p.text, p.due FROM promise p CROSS JOIN customer c"
            " WHERE p.kept_at IS NULL AND p.cancelled_at IS NULL AND p.due < :horizon"
            f" AND c.id = p.customer_id AND {active}",
            horizon=horizon,
            **_owner(owner),
        )
    ]
    followups = [
        scheduler.FollowUpState(
            id=r["id"], customer_id=r["customer_id"], due=_instant(r["due"]), note=r["note"]
        )
        for r in tx.each(
            "SELECT f.id, f.customer_id, f.due, f.note FROM followup f CROSS JOIN customer c"
            " WHERE f.done_at IS NULL AND f.due < :horizon"
            f" AND c.id = f.customer_id AND {active}",
            horizon=horizon,
            **_owner(owner),
        )
    ]
    complaints = [
        scheduler.ComplaintState(
            contact_id=r["id"],
            customer_id=r["customer_id"],
            at=_instant(r["at"]),
            note=r["note"],
        )
        for r in tx.each(
            "SELECT k.id, k.customer_id, k.at, k.note FROM contact k"
            " JOIN customer c ON c.id = k.customer_id"
            f" WHERE k.kind = 'complaint' AND k.at >= :since AND k.at <= :now AND {active}",
            since=now - timedelta(days=rules.complaint_expire_days + 1),  # + 1: DST-proof
            now=now,
            **_owner(owner),
        )
    ]
    referrals = [
        scheduler.ReferralState(
            referred_id=r["id"],
            referred_name=r["name"],
            referrer_id=r["referred_by"],
            created_at=_instant(r["created_at"]),
        )
        for r in tx.each(
            "SELECT c.id, c.name, c.referred_by, c.created_at FROM customer c"
            " WHERE c.referred_by IS NOT NULL AND c.created_at >= :since AND c.created_at <= :now",
            since=now - timedelta(days=rules.referral_expire_days + 1),
            now=now,
        )
    ]
    named = {p.customer_id for p in purchases} | {p.customer_id for p in promises}
    named |= {f.customer_id for f in followups} | {k.customer_id for k in complaints}
    named |= {r.referrer_id for r in referrals}
    cut, cut_a = scheduler.frequency_cuts(now, rules)
    wanted = f"{_quiet_before('cut')} OR (c.tier = 'A' AND {_quiet_before('cut_a')})"
    if named:
        wanted += f" OR c.id IN ({', '.join(str(int(i)) for i in sorted(named))})"
    customers = _customer_states(
        tx.each(
            f"SELECT {CUSTOMER_COLUMNS} FROM customer c WHERE {active} AND ({wanted})",
            now=now,
            cut=cut,
            cut_a=cut_a,
            **_owner(owner),
        )
    )
    snoozed = {
        r["key"]: _instant(r["until"])
        for r in tx.each("SELECT key, until FROM snooze WHERE until > :now", now=now)
    }
    return scheduler.BookState(
        customers=customers,
        purchases=purchases,
        promises=promises,
        followups=followups,
        complaints=complaints,
        referrals=referrals,
        snoozed=snoozed,
    )


def _purchases(
    tx: db.Tx, now: datetime, where: scheduler.PurchaseFilter, active: str, owner: str | None
) -> list[scheduler.PurchaseState]:
    """The delivered purchases whose thank-you or call-back may be open: a thank-you not yet
    written, or a call-back window that opened after the customer's last contact."""
    columns = "p.id, p.customer_id, p.product, p.delivered_at"
    params: dict[str, Any] = {"now": now, "thanks_from": where.thanks_from, **_owner(owner)}
    sql = (
        f"SELECT {columns} FROM purchase p CROSS JOIN customer c"
        " WHERE c.id = p.customer_id AND p.delivered_at >= :thanks_from"
        f" AND p.delivered_at <= :now AND {active}"
        " AND (c.last_thanks_at IS NULL OR c.last_thanks_at < p.delivered_at)"
    )
    if where.callbacks:
        rows = []
        for n, (start, end, contacted_by) in enumerate(where.callbacks):
            rows.append(f"(:s{n}, :e{n}, :c{n})")
            params.update({f"s{n}": start, f"e{n}": end, f"c{n}": contacted_by})
        sql = (
            f"WITH w(start_at, end_at, contacted_by) AS (VALUES {', '.join(rows)}) {sql}"
            f" UNION SELECT {columns} FROM w CROSS JOIN purchase p CROSS JOIN customer c"
            " WHERE p.delivered_at >= w.start_at AND p.delivered_at < w.end_at"
            f" AND c.id = p.customer_id AND p.delivered_at <= :now AND {active}"
            " AND (c.last_other_at IS NULL OR c.last_other_at < w.contacted_by)"
        )
    return [
        scheduler.PurchaseState(
            id=r["id"],
            customer_id=r["customer_id"],
            product=r["product"],
            delivered_at=_instant(r["delivered_at"]),
        )
        for r in tx.each(sql, **params)
    ]


def _customer_states(rows: Iterable[Any]) -> dict[int, scheduler.CustomerState]:
    return {
        r["id"]: scheduler.CustomerState(
            id=r["id"],
            name=r["name"],
            phone=r["phone"],
            tier=r["tier"],
            owner=r["owner"],
            created_at=_instant(r["created_at"]),
            last_reached_at=_instant(r["last_reached_at"]),
            last_other_at=_instant(r["last_other_at"]),
            last_thanks_at=_instant(r["last_thanks_at"]),
            latest_delivery_at=_instant(r["latest_delivery"]),
            attempts=r["attempts"],
        )
        for r in rows
    }


def untouched(
    tx: db.Tx, *, now: datetime, owner: str | None, limit: int
) -> dict[int, scheduler.CustomerState]:
    """The `limit` customers longest without a sign of life, to top up the daily list."""
    reached = "COALESCE(last_reached_at, created_at)"
    delivered = "COALESCE(latest_delivery, created_at)"
    base = (
        f"CASE WHEN {reached} >= {delivered} AND {reached} >= created_at THEN {reached}"
        f" WHEN {delivered} >= created_at THEN {delivered} ELSE created_at END"
    )
    rows = tx.all(
        f"SELECT * FROM (SELECT {CUSTOMER_COLUMNS} FROM customer c"
        f" WHERE c.archived_at IS NULL{_owner_filter(owner)}) x"
        f" ORDER BY {base}, tier, id LIMIT :limit",
        now=now,
        limit=limit,
        **_owner(owner),
    )
    return _customer_states(rows)


def _owner(owner: str | None) -> dict[str, Any]:
    return {} if owner is None else {"owner": owner}


def _instant(value: Any) -> Any:
    """A stored instant as an aware datetime in UTC: the scheduler takes moments in any zone
    and converts only those whose local date it needs."""
    if value is None:
        return None
    if value.__class__ is str:  # SQLite's UTC text, read for every customer: the fast path
        return datetime.fromisoformat(value)
    return from_db(value)


def talking_points(tx: db.Tx, customer_ids: list[int], keys: tuple[str, ...]) -> dict[int, str]:
    """A line to open the call with, for each customer: profile facts and the last note."""
    if not customer_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(set(customer_ids)))
    facts: dict[int, dict[str, str]] = {}
    for r in tx.all(
        f"SELECT customer_id, key, value FROM profile_field WHERE customer_id IN ({ids})"
    ):
        if r["key"] in keys:
            facts.setdefault(r["customer_id"], {})[r["key"]] = r["value"]
    notes = {
        r["id"]: r["note"]
        for r in tx.all(
            "SELECT c.id, (SELECT k.note FROM contact k WHERE k.customer_id = c.id"
            "  AND k.note IS NOT NULL ORDER BY k.id DESC LIMIT 1) AS note"
            f" FROM customer c WHERE c.id IN ({ids})"
        )
        if r["note"] is not None
    }
    points = {}
    for cid in set(facts) | set(notes):
        parts = [f"{k}: {v}" for k in keys for v in [facts.get(cid, {}).get(k)] if v]
        if notes.get(cid):
            parts.append(f"last note: {notes[cid]}")
        points[cid] = " · ".join(parts)
    return points


def card(tx: db.Tx, customer_id: int) -> dict[str, Any]:
    """Everything about one customer, for `kehu show`."""
    return {
        "customer": db.one(tx, "SELECT * FROM customer WHERE id = :id", id=customer_id),
        "referred_by": db.one(
            tx,
            "SELECT r.id, r.name FROM customer r JOIN customer c ON c.referred_by = r.id"
            " WHERE c.id = :id",
            id=customer_id,
        ),
        "profile": tx.all(
            "SELECT key, value FROM profile_field WHERE customer_id = :id ORDER BY key",
            id=customer_id,
        ),
        "purchases": tx.all(
            "SELECT id, product, amount, sold_at, delivered_at FROM purchase"
            " WHERE customer_id = :id ORDER BY sold_at DESC, id DESC",
            id=customer_id,
        ),
        "promises": tx.all(
            "SELECT id, text, due, created_at, kept_at, cancelled_at FROM promise"
            " WHERE customer_id = :id ORDER BY due, id",
            id=customer_id,
        ),
        "followups": tx.all(
            "SELECT id, due, note FROM followup WHERE customer_id = :id AND done_at IS NULL"
            " ORDER BY due, id",
            id=customer_id,
        ),
        "contacts": tx.all(
            "SELECT id, at, channel, kind, outcome, note, purchase_id, made_by FROM contact"
            " WHERE customer_id = :id ORDER BY at DESC, id DESC",
            id=customer_id,
        ),
        "referrals": tx.all(
            "SELECT id, name FROM customer WHERE referred_by = :id ORDER BY id", id=customer_id
        ),
    }


def customers(
    tx: db.Tx, *, tier: str | None, search: str | None, archived: bool, owner: str | None
) -> list[Any]:
    """One row per customer for `kehu list`, most recently reached last."""
    where = ["c.archived_at IS NOT NULL" if archived else "c.archived_at IS NULL"]
    params: dict[str, Any] = _owner(owner)
    if owner is not None:
        where.append("c.owner = :owner")
    if tier:
        where.append("c.tier = :tier")
        params["tier"] = tier
    if search:
        from kehu.resolve import like_escape

        params["pattern"] = f"%{like_escape(search.lower())}%"
        fields = ("c.name", "c.phone", "c.company", "c.email", "c.wechat", "c.notes")
        matches = [f"LOWER({f}) LIKE :pattern ESCAPE '\\'" for f in fields]
        matches.append(
            "EXISTS (SELECT 1 FROM profile_field f WHERE f.customer_id = c.id"
            " AND LOWER(f.value) LIKE :pattern ESCAPE '\\')"
        )
        where.append("(" + " OR ".join(matches) + ")")
    return tx.all(
        "SELECT c.id, c.name, c.phone, c.company, c.tier, c.owner, c.created_at,"
        " c.last_reached_at, c.archived_at FROM customer c"
        f" WHERE {' AND '.join(where)} ORDER BY c.id",
        **params,
    )


def promises(tx: db.Tx, *, include_closed: bool, owner: str | None) -> list[Any]:
    where = "" if include_closed else " AND p.kept_at IS NULL AND p.cancelled_at IS NULL"
    where += _owner_filter(owner)
    return tx.all(
        "SELECT p.id, p.customer_id, c.name AS customer_name, c.phone, p.text, p.due,"
        " p.created_at, p.kept_at, p.cancelled_at, p.made_by FROM promise p"
        f" JOIN customer c ON c.id = p.customer_id WHERE 1 = 1{where} ORDER BY p.due, p.id",
        **_owner(owner),
    )


def count_customers(tx: db.Tx, owner: str | None = None) -> int:
    where = "archived_at IS NULL" + ("" if owner is None else " AND owner = :owner")
    return int(db.scalar(tx, f"SELECT COUNT(*) AS n FROM customer WHERE {where}", **_owner(owner)))


def export_rows(tx: db.Tx, *, archived: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """Every customer with their profile facts, for CSV; and the profile keys in use."""
    where = "" if archived else " WHERE archived_at IS NULL"
    rows = [dict(r) for r in tx.all(f"SELECT * FROM customer{where} ORDER BY id")]
    facts: dict[int, dict[str, str]] = {}
    for r in tx.all("SELECT customer_id, key, value FROM profile_field ORDER BY key"):
        facts.setdefault(r["customer_id"], {})[r["key"]] = r["value"]
    for row in rows:
        row["profile"] = facts.get(row["id"], {})
        for column in ("created_at", "archived_at", "last_reached_at"):
            moment = from_db(row[column])
            row[column] = None if moment is None else moment.isoformat()
    keys = sorted({key for row in rows for key in row["profile"]})
    return rows, keys
