"""Contacts, promises and planned calls in the book: what `log`, `promise`, `kept`, `cancel`
and `promises` decide and store, and the writes `done` and `snooze` use. Keyword-only functions
that run inside a transaction (engine.Tx)."""

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from typing import Any, NamedTuple, Protocol

from kehu.base.errors import BadInput, NotFound
from kehu.base.i18n import _
from kehu.book import engine, find
from kehu.book.customers import CustomerRef, owner_filter, owner_params
from kehu.book.timestamps import from_db, typed_row
from kehu.rules import vocab

PROMISE_LINK_WINDOW = timedelta(hours=1)
MIN_PHONE_DIGITS = 7  # fewer digits name no one phone: a file's match falls back to the name


class Logged(NamedTuple):
    customer: CustomerRef
    contact_id: int
    followup_id: int | None  # the next call planned with --next
    attempts: int  # which of the no-answer tries since last reached this one is, in the order
    # they happened (one logged late, back-dated, counts where it fell); 0 for a try from
    # before they were last reached
    level: str | None = None  # a prospect's level in force after a contact that graded them
    reopened: tuple[datetime, str] | None = None  # a lost prospect's loss undone: when, why
    tries: int = 0  # the no-answer tries since last reached, this one included


class Promised(NamedTuple):
    customer: CustomerRef
    promise_id: int


class ClosedPromise(NamedTuple):
    promise_id: int
    customer_name: str
    already: datetime | None = None  # kept (or cancelled) already then: nothing changed


# ----------------------------------------------------------------------------- decisions


def record_contact(
    tx: engine.Tx,
    *,
    customer: str,
    at: datetime,
    channel: str,
    kind: str,
    reached: bool,
    note: str | None,
    next_due: datetime | None,
    next_note: str | None,
    made_by: str,
    now: datetime,
    level: str | None = None,
) -> Logged:
    """`kehu log`: the contact, the prospect's new level with it (`level`), and the next call
    when one is planned."""
    row = find.customer(tx, customer)
    contact_id = log_contact(tx, customer_id=row["id"], at=at, channel=channel, kind=kind,
                             reached=reached, note=note, made_by=made_by)  # fmt: skip
    in_force = reopened = None
    if level is not None:
        from kehu.book import prospects

        in_force, reopened = prospects.regrade(tx, customer_id=row["id"], level=level, at=at,
                                     contact_id=contact_id, made_by=made_by)  # fmt: skip
    followup = None
    if next_due is not None:
        followup = add_followup(tx, customer_id=row["id"], due=next_due, note=next_note, now=now,
                                made_by=made_by, contact_id=contact_id)  # fmt: skip
    after = tx.all("SELECT attempts, last_reached_at FROM customer WHERE id = :id", id=row["id"])[0]
    last = from_db(after["last_reached_at"])
    # Not a try from before they were last reached; one in the same second as that contact is
    # after it, logged later (contacts at the same moment are in the order they were logged).
    counted = last is None or last <= at
    nth = 0
    if counted and not reached:
        # Counted in the order they happened: a try logged late, back-dated, before today's.
        since = "" if last is None else f" AND {_AFTER_LAST_REACHED}"
        nth = int(
            engine.scalar(
                tx,
                "SELECT COUNT(*) FROM contact k WHERE customer_id = :c AND outcome = 'no-answer'"
                f" AND (at < :at OR (at = :at AND id <= :id)){since}",
                c=row["id"],
                at=at,
                id=contact_id,
            )  # fmt: skip
        )
    return Logged(
        CustomerRef(row["id"], row["name"]),
        contact_id,
        followup,
        nth,
        in_force,
        reopened,
        int(after["attempts"]) if counted else 0,
    )


# A contact `k` after the customer's last reached contact: later, or in the same second and
# logged after it (a larger id).
_AFTER_LAST_REACHED = (
    "NOT EXISTS (SELECT 1 FROM contact r WHERE r.customer_id = k.customer_id"
    " AND r.outcome = 'reached' AND (r.at > k.at OR (r.at = k.at AND r.id > k.id)))"
)


def make_promise(
    tx: engine.Tx, *, customer: str, text: str, due: datetime, now: datetime, made_by: str
) -> Promised:
    row = find.customer(tx, customer)
    pid = add_promise(tx, customer_id=row["id"], text=text, due=due, now=now, made_by=made_by)
    return Promised(CustomerRef(row["id"], row["name"]), pid)


# ------------------------------------------------------------------------------- writes


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
    sent: bool = False,
) -> int:
    """Record a touch and keep the customer's last-contact columns in the same transaction.
    `sent`: the note is the text sent to the customer, not a note about them."""
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
        sent=sent,
    )
    # A contact in the same second as the last reached one is after it: it is logged later.
    newer = "(last_reached_at IS NULL OR last_reached_at <= :at)"
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
        done_planned_calls(tx, customer_id=customer_id, at=at)
    else:
        tx.run(
            f"UPDATE customer SET attempts = attempts + 1 WHERE id = :id AND {newer}",
            id=customer_id,
            at=at,
        )
    return contact_id


def done_planned_calls(tx: engine.Tx, *, customer_id: int, at: datetime) -> None:
    """A reached contact on or after a planned call's day, made after it was planned, does what
    was planned (as the daily list reads it): the call is done then. `at` is local: its day is
    the user's."""
    next_day = datetime.combine(at.date() + timedelta(days=1), time(), tzinfo=at.tzinfo)
    tx.run(
        "UPDATE followup SET done_at = :at WHERE customer_id = :id AND done_at IS NULL"
        " AND due < :next_day AND created_at < :at",
        at=at,
        id=customer_id,
        next_day=next_day,
    )


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


def close_promise(tx: engine.Tx, *, promise_id: int, column: str, now: datetime) -> ClosedPromise:
    """Mark a promise kept or cancelled. One already closed the same way is left as it is (the
    result says since when); one closed the other way is refused."""
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
        raise NotFound(
            _("there is no promise {id}; `kehu promises` lists them with ids").format(id=promise_id)
        )
    if not changed:
        if row[column] is not None:
            return ClosedPromise(promise_id, row["customer_name"], from_db(row[column]))
        raise promise_closed(promise_id, kept=row["kept_at"] is not None)
    return ClosedPromise(promise_id, row["customer_name"])


def promise_closed(promise_id: int, *, kept: bool) -> BadInput:
    """The refusal to change a promise already kept (or cancelled): only open ones change."""
    if kept:
        said = _("promise {id} is already kept; only open promises can change")
    else:
        said = _("promise {id} is already cancelled; only open promises can change")
    return BadInput(said.format(id=promise_id))


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
    tx: engine.Tx, *, key: str, until: datetime, reason: str | None, now: datetime, made_by: str,
    customer_id: int | None = None,
) -> None:  # fmt: skip
    tx.run("DELETE FROM snooze WHERE key = :k", k=key)
    tx.run(
        "INSERT INTO snooze (key, customer_id, until, reason, created_at, made_by) "
        "VALUES (:k, :c, :u, :r, :now, :by)",
        k=key,
        c=customer_id,
        u=until,
        r=reason,
        now=now,
        by=made_by,
    )


# -------------------------------------------------------------------------------- reads


def promises(tx: engine.Tx, *, include_closed: bool, owner: str | None) -> list[dict[str, Any]]:
    where = "" if include_closed else " AND p.kept_at IS NULL AND p.cancelled_at IS NULL"
    where += owner_filter(owner)
    return [
        typed_row(r)
        for r in tx.all(
            "SELECT p.id, p.customer_id, c.name AS customer_name, c.phone, c.owner, p.text, p.due,"
            " p.created_at, p.kept_at, p.cancelled_at, p.made_by FROM promise p"
            f" JOIN customer c ON c.id = p.customer_id WHERE 1 = 1{where} ORDER BY p.due, p.id",
            **owner_params(owner),
        )
    ]


def several_owners(tx: engine.Tx) -> bool:
    """Whether the customers the session sees belong to more than one owner (a team's book, as
    a manager sees it): two seeks on ix_customer_owner."""
    found = engine.one(tx, "SELECT MIN(owner) AS first, MAX(owner) AS last FROM customer")
    return found is not None and found["first"] != found["last"]


class PastContact(Protocol):
    """A row of a contacts file (exchange.history.PastContact)."""

    @property
    def line(self) -> int: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def at(self) -> datetime: ...
    @property
    def channel(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def reached(self) -> bool: ...
    @property
    def note(self) -> str | None: ...


class HistoryImported(NamedTuple):
    contacts: int
    unmatched: list[tuple[int, str]]  # (line, "no_customer" | "several_customers")
    held: int = 0  # rows the customer's contacts already held: not added again


def _named(
    tx: engine.Tx, row: PastContact, owner: str | None, found: dict[tuple[str, str], list[int]]
) -> list[int]:
    """The customers a row names: the one its phone names (at least 7 digits), else the active
    customers with exactly its name (up to two). `found` keeps the answers already sought."""
    mine, params = owner_filter(owner), owner_params(owner)
    digits = vocab.phone_digits(row.phone)
    if digits and len(digits) >= MIN_PHONE_DIGITS:
        key = ("phone", digits)
        sql = ("SELECT id FROM customer c WHERE phone_digits = :v"
               f"{mine} ORDER BY archived_at IS NULL DESC, id LIMIT 1")  # fmt: skip
    else:
        key = ("name", (row.name or "").strip())
        sql = f"SELECT id FROM customer c WHERE name = :v AND archived_at IS NULL{mine} LIMIT 2"
    if key not in found:
        found[key] = [r["id"] for r in tx.all(sql, v=key[1], **params)] if key[1] else []
    return found[key]


def import_history(
    tx: engine.Tx,
    *,
    rows: Iterable[PastContact],
    owner: str | None,
    made_by: str,
    first_for: Callable[[int], None] | None = None,
) -> HistoryImported:
    """Past contacts, each on the customer its phone names (at least 7 digits), else the one
    active customer with exactly its name. Rows that match no one, or several, are returned
    with their lines: the caller rolls the transaction back, so that all rows go in or none.
    A row the customer's contacts held before this file (the same moment, channel, kind,
    outcome and note) is not added again: a file imported twice doubles nothing.
    `first_for(customer_id)` is called before the first contact written for each customer."""
    found: dict[tuple[str, str], list[int]] = {}
    written, unmatched, held = 0, [], 0
    before = engine.scalar(tx, "SELECT MAX(id) AS last FROM contact") or 0
    had: dict[int, set[tuple[Any, ...]]] = {}
    for row in rows:
        ids = _named(tx, row, owner, found)
        if len(ids) != 1:
            unmatched.append((row.line, "several_customers" if ids else "no_customer"))
            continue
        if ids[0] not in had:
            if first_for is not None:
                first_for(ids[0])
            had[ids[0]] = {(from_db(r["at"]), r["channel"], r["kind"], r["outcome"], r["note"])
                           for r in tx.all(
                "SELECT at, channel, kind, outcome, note FROM contact"
                " WHERE customer_id = :c AND id <= :before", c=ids[0], before=before)}  # fmt: skip
        outcome = "reached" if row.reached else "no-answer"
        if (row.at, row.channel, row.kind, outcome, row.note) in had[ids[0]]:
            held += 1
            continue
        log_contact(tx, customer_id=ids[0], at=row.at, channel=row.channel, kind=row.kind,
                    reached=row.reached, note=row.note, made_by=made_by)  # fmt: skip
        written += 1
    return HistoryImported(written, unmatched, held)
