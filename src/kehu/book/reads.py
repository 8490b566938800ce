"""Reads for the book commands: a few SQL statements each, never one query per customer.
(The daily list's reads are in daily_state.py.)"""

from typing import Any

from kehu.book import engine
from kehu.book.timestamps import from_db


def owner_filter(owner: str | None) -> str:
    """The condition that keeps one owner's customers (`c`); none for everyone's."""
    return "" if owner is None else " AND c.owner = :owner"


def owner_params(owner: str | None) -> dict[str, Any]:
    return {} if owner is None else {"owner": owner}


def card(tx: engine.Tx, customer_id: int) -> dict[str, Any]:
    """Everything about one customer, for `kehu show`."""
    return {
        "customer": engine.one(tx, "SELECT * FROM customer WHERE id = :id", id=customer_id),
        "referred_by": engine.one(
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
    tx: engine.Tx, *, tier: str | None, search: str | None, archived: bool, owner: str | None
) -> list[Any]:
    """One row per customer for `kehu list`, most recently reached last."""
    where = ["c.archived_at IS NOT NULL" if archived else "c.archived_at IS NULL"]
    params: dict[str, Any] = owner_params(owner)
    if owner is not None:
        where.append("c.owner = :owner")
    if tier:
        where.append("c.tier = :tier")
        params["tier"] = tier
    if search:
        from kehu.book.find import like_escape

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


def promises(tx: engine.Tx, *, include_closed: bool, owner: str | None) -> list[Any]:
    where = "" if include_closed else " AND p.kept_at IS NULL AND p.cancelled_at IS NULL"
    where += owner_filter(owner)
    return tx.all(
        "SELECT p.id, p.customer_id, c.name AS customer_name, c.phone, p.text, p.due,"
        " p.created_at, p.kept_at, p.cancelled_at, p.made_by FROM promise p"
        f" JOIN customer c ON c.id = p.customer_id WHERE 1 = 1{where} ORDER BY p.due, p.id",
        **owner_params(owner),
    )


def count_customers(tx: engine.Tx, owner: str | None = None) -> int:
    where = "c.archived_at IS NULL" + owner_filter(owner)
    return int(
        engine.scalar(
            tx, f"SELECT COUNT(*) AS n FROM customer c WHERE {where}", **owner_params(owner)
        )
    )


def export_rows(tx: engine.Tx, *, archived: bool) -> tuple[list[dict[str, Any]], list[str]]:
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
