"""What is coming, for one owner or everyone: for a calendar file (open promises and planned
calls due in a window, the dates of active customers) and for `kehu calendar` (the same, with
deliveries for their call-backs and the ends of snoozes)."""

from datetime import datetime
from typing import Any

from kehu.book import engine, occasions
from kehu.book.customers import owner_filter, owner_params
from kehu.book.timestamps import typed_row
from kehu.rules.localtime import LocalClock
from kehu.rules.promises import planned_call_done

WHO = "c.id AS customer_id, c.name, c.phone, c.owner"
# What tells whether a reached contact has done a planned call `f`.
DONE_BY = "f.created_at AS planned_at, c.last_reached_at"


def open_calls(rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The planned calls no reached contact has done, as the daily list reads them."""
    clock = LocalClock(now)
    return [
        r for r in rows
        if not planned_call_done(clock, r["due"], r["planned_at"], r["last_reached_at"])
    ]  # fmt: skip


def coming(
    tx: engine.Tx,
    *,
    end: datetime,
    now: datetime,
    delivered_since: datetime | None = None,
    owner: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Promises and planned calls due before `end` (late ones too: they are still owed), and
    every date of the active customers of `owner` (None: everyone's; the caller finds the days
    they are kept); with `delivered_since`, the deliveries since then and those booked before
    `end` too (their thank-yous and call-backs)."""
    mine = f"c.archived_at IS NULL{owner_filter(owner)}"

    def rows(sql: str) -> list[dict[str, Any]]:
        return [typed_row(r) for r in tx.all(sql, end=end, **owner_params(owner))]

    found = {
        "promises": rows(
            f"SELECT p.id, p.text, p.due, {WHO} FROM promise p"
            " JOIN customer c ON c.id = p.customer_id WHERE p.kept_at IS NULL"
            f" AND p.cancelled_at IS NULL AND p.due < :end AND {mine}"
            " ORDER BY p.due, p.id"
        ),
        "calls": open_calls(
            rows(
                f"SELECT f.id, f.note, f.due, {WHO}, {DONE_BY}"
                " FROM followup f JOIN customer c ON c.id = f.customer_id WHERE f.done_at IS NULL"
                f" AND f.due < :end AND {mine} ORDER BY f.due, f.id"
            ),
            now,
        ),
        "dates": dates(tx, owner=owner),
    }
    if delivered_since is not None:
        found["deliveries"] = deliveries(tx, end=end, since=delivered_since, owner=owner)
    return found


def dates(tx: engine.Tx, *, owner: str | None) -> list[dict[str, Any]]:
    """Every date of every active customer of `owner` (None: everyone's): the one read of the
    dates for what is coming (the caller finds the days each is kept)."""
    return [
        {"customer_id": row.customer_id, "name": row.customer_name, "phone": phone,
         "owner": whose, "id": row.id, "occasion": row.occasion, "note": row.note}
        for row, phone, whose in occasions.of_active_customers(tx, owner=owner)
    ]  # fmt: skip


def deliveries(
    tx: engine.Tx, *, end: datetime, since: datetime, owner: str | None
) -> list[dict[str, Any]]:
    """The deliveries to active customers of `owner` (None: everyone's) from `since` to before
    `end` (booked ones too), with when the customer was last thanked and last reached
    otherwise."""
    return [
        typed_row(r)
        for r in tx.all(
            f"SELECT q.id, q.product, q.delivered_at, c.last_thanks_at, c.last_other_at, {WHO}"
            " FROM purchase q"
            " JOIN customer c ON c.id = q.customer_id WHERE q.delivered_at >= :since"
            f" AND q.delivered_at < :end AND c.archived_at IS NULL{owner_filter(owner)}"
            " ORDER BY q.id",
            end=end,
            since=since,
            **owner_params(owner),
        )
    ]


def agenda(
    tx: engine.Tx, *, now: datetime, end: datetime, delivered_since: datetime, owner: str | None
) -> dict[str, list[dict[str, Any]]]:
    """What `kehu calendar` lists for one owner (None: everyone): open promises and planned
    calls due before `end`, deliveries from `delivered_since` to `end` (their thank-yous and
    call-backs), snoozes
    that end before `end`, and the customers' dates."""
    mine = f"c.archived_at IS NULL{owner_filter(owner)}"
    params = {"now": now, "end": end, **owner_params(owner)}

    def rows(sql: str) -> list[dict[str, Any]]:
        return [typed_row(r) for r in tx.all(sql, **params)]

    return {
        "promises": rows(
            f"SELECT p.id, p.text, p.due, {WHO} FROM promise p JOIN customer c"
            " ON c.id = p.customer_id WHERE p.kept_at IS NULL AND p.cancelled_at IS NULL"
            f" AND p.due < :end AND {mine}"
        ),
        "calls": open_calls(
            rows(
                f"SELECT f.id, f.note, f.due, {WHO}, {DONE_BY} FROM followup f JOIN customer c"
                f" ON c.id = f.customer_id WHERE f.done_at IS NULL AND f.due < :end AND {mine}"
            ),
            now,
        ),
        "deliveries": deliveries(tx, end=end, since=delivered_since, owner=owner),
        "snoozes": rows(
            f"SELECT s.key, s.until, s.reason, {WHO} FROM snooze s JOIN customer c"
            f" ON c.id = s.customer_id WHERE s.until > :now AND s.until < :end AND {mine}"
        ),
        "dates": dates(tx, owner=owner),
    }
