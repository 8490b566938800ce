"""Writes to the book. Keyword-only functions that run inside a transaction (engine.Tx)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from kehu.base.errors import BadInput, NotFound
from kehu.book import engine
from kehu.rules import vocab

CUSTOMER_FIELDS = (
    "name", "phone", "email", "wechat", "company", "title", "address", "gender", "birthday",
    "tier", "source", "referred_by", "notes",
)  # fmt: skip
PROMISE_LINK_WINDOW = timedelta(hours=1)


def add_customer(tx: engine.Tx, *, owner: str, now: datetime, **fields: Any) -> int:
    values = {k: v for k, v in fields.items() if v is not None}
    values["phone_digits"] = vocab.phone_digits(values.get("phone"))
    values.setdefault("tier", "B")
    return engine.insert(tx, "customer", owner=owner, created_at=now, **values)


def fill_blanks(tx: engine.Tx, *, customer_id: int, **fields: Any) -> list[str]:
    """Give an existing customer the details they lack; never overwrite. Returns what was set."""
    row = engine.one(tx, "SELECT * FROM customer WHERE id = :id", id=customer_id)
    assert row is not None
    filled = [k for k, v in fields.items() if v is not None and row[k] in (None, "")]
    if filled:
        edit_customer(tx, customer_id=customer_id, changes={k: fields[k] for k in filled})
    return filled


def edit_customer(tx: engine.Tx, *, customer_id: int, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(CUSTOMER_FIELDS)
    assert not unknown, unknown
    if "phone" in changes:
        changes["phone_digits"] = vocab.phone_digits(changes["phone"])
    if changes:
        sets = ", ".join(f"{k} = :{k}" for k in changes)
        tx.run(f"UPDATE customer SET {sets} WHERE id = :customer_id", customer_id=customer_id,
               **changes)  # fmt: skip


def set_profile(tx: engine.Tx, *, customer_id: int, key: str, value: str) -> None:
    tx.run("DELETE FROM profile_field WHERE customer_id = :c AND key = :k", c=customer_id, k=key)
    tx.run(
        "INSERT INTO profile_field (customer_id, key, value) VALUES (:c, :k, :v)",
        c=customer_id,
        k=key,
        v=value,
    )


def unset_profile(tx: engine.Tx, *, customer_id: int, key: str) -> bool:
    count = tx.run(
        "DELETE FROM profile_field WHERE customer_id = :c AND key = :k", c=customer_id, k=key
    )
    return count > 0


def set_archived(tx: engine.Tx, *, customer_id: int, when: datetime | None) -> None:
    tx.run("UPDATE customer SET archived_at = :w WHERE id = :id", w=when, id=customer_id)


def delete_customer(tx: engine.Tx, *, customer_id: int) -> None:
    """Gone for good, with everything recorded about them (the rows cascade)."""
    tx.run("UPDATE customer SET referred_by = NULL WHERE referred_by = :id", id=customer_id)
    tx.run("DELETE FROM customer WHERE id = :id", id=customer_id)


def add_purchase(
    tx: engine.Tx,
    *,
    customer_id: int,
    product: str,
    amount: Decimal | None,
    sold_at: datetime,
    delivered_at: datetime | None,
) -> int:
    return engine.insert(
        tx,
        "purchase",
        customer_id=customer_id,
        product=product,
        amount=amount,
        sold_at=sold_at,
        delivered_at=delivered_at,
    )


def log_contact(
    tx: engine.Tx,
    *,
    customer_id: int,
    at: datetime,
    channel: str,
    kind: str,
    reached: bool,
    note: str | None,
    made_by: str,
    purchase_id: int | None = None,
) -> int:
    """Record a touch and keep the customer's last-contact columns in the same transaction."""
    contact_id = engine.insert(
        tx,
        "contact",
        customer_id=customer_id,
        at=at,
        channel=channel,
        kind=kind,
        outcome="reached" if reached else "no-answer",
        note=note,
        purchase_id=purchase_id,
        made_by=made_by,
    )
    newer = "(last_reached_at IS NULL OR last_reached_at < :at)"
    if reached:
        # attempts is set before last_reached_at moves: both read the row as it was.
        tx.run(
            f"""UPDATE customer SET
                attempts = CASE WHEN {newer} THEN (
                    SELECT COUNT(*) FROM contact WHERE customer_id = :id
                    AND outcome = 'no-answer' AND at > :at) ELSE attempts END,
                last_reached_at = CASE WHEN {newer} THEN :at ELSE last_reached_at END,
                last_other_at = CASE WHEN :kind <> 'thank-you'
                    AND (last_other_at IS NULL OR last_other_at < :at)
                    THEN :at ELSE last_other_at END,
                last_thanks_at = CASE WHEN :kind = 'thank-you'
                    AND (last_thanks_at IS NULL OR last_thanks_at < :at)
                    THEN :at ELSE last_thanks_at END
            WHERE id = :id""",
            id=customer_id,
            at=at,
            kind=kind,
        )
    else:
        tx.run(
            f"UPDATE customer SET attempts = attempts + 1 WHERE id = :id AND {newer}",
            id=customer_id,
            at=at,
        )
    return contact_id


def recent_contact(tx: engine.Tx, *, customer_id: int, now: datetime) -> int | None:
    """The contact a promise made just now was made in: one logged within the last hour."""
    return engine.scalar(
        tx,
        "SELECT MAX(id) AS id FROM contact WHERE customer_id = :c AND at >= :since AND at <= :now",
        c=customer_id,
        since=now - PROMISE_LINK_WINDOW,
        now=now,
    )


def add_promise(
    tx: engine.Tx, *, customer_id: int, text: str, due: datetime, now: datetime, made_by: str
) -> int:
    return engine.insert(
        tx,
        "promise",
        customer_id=customer_id,
        text=text,
        due=due,
        created_at=now,
        contact_id=recent_contact(tx, customer_id=customer_id, now=now),
        made_by=made_by,
    )


def close_promise(tx: engine.Tx, *, promise_id: int, column: str, now: datetime) -> Any:
    """Mark a promise kept or cancelled; refuses one that is already closed."""
    assert column in ("kept_at", "cancelled_at")
    changed = tx.run(
        f"UPDATE promise SET {column} = :now WHERE id = :id "
        "AND kept_at IS NULL AND cancelled_at IS NULL",
        now=now,
        id=promise_id,
    )
    row = engine.one(
        tx,
        "SELECT p.*, c.name AS customer_name FROM promise p "
        "JOIN customer c ON c.id = p.customer_id WHERE p.id = :id",
        id=promise_id,
    )
    if row is None:
        raise NotFound(f"there is no promise {promise_id}; `kehu promises` lists them with ids")
    if not changed:
        state = "kept" if row["kept_at"] is not None else "cancelled"
        raise BadInput(f"promise {promise_id} is already {state}; only open promises can change")
    return row


def add_followup(
    tx: engine.Tx,
    *,
    customer_id: int,
    due: datetime,
    note: str | None,
    now: datetime,
    made_by: str,
    contact_id: int | None,
) -> int:
    return engine.insert(
        tx,
        "followup",
        customer_id=customer_id,
        due=due,
        note=note,
        created_at=now,
        contact_id=contact_id,
        made_by=made_by,
    )


def close_followup(tx: engine.Tx, *, followup_id: int, now: datetime) -> None:
    tx.run(
        "UPDATE followup SET done_at = :now WHERE id = :id AND done_at IS NULL",
        now=now,
        id=followup_id,
    )


def snooze(
    tx: engine.Tx, *, key: str, until: datetime, reason: str | None, now: datetime, made_by: str
) -> None:
    tx.run("DELETE FROM snooze WHERE key = :k", k=key)
    tx.run(
        "INSERT INTO snooze (key, until, reason, created_at, made_by) "
        "VALUES (:k, :u, :r, :now, :by)",
        k=key,
        u=until,
        r=reason,
        now=now,
        by=made_by,
    )
