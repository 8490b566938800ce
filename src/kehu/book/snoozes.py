"""The running snoozes, with what the book holds about each one's item (rules/snoozes.py
decides which still put something off)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kehu.book import engine
from kehu.book.customers import owner_filter, owner_params
from kehu.book.timestamps import from_db
from kehu.rules.localtime import LocalClock
from kehu.rules.records import SnoozeState
from kehu.rules.snoozes import in_force

# In the order `states` reads them: the snooze, its customer's last contacts, and when
# `kehu done` closed its item (closed_item, one seek by its key).
COLUMNS = (
    "s.key, s.customer_id, s.until, s.created_at, c.last_reached_at, c.last_other_at,"
    " c.last_thanks_at, (SELECT d.closed_at FROM closed_item d WHERE d.key = s.key)"
)
# The same for a snooze whose customer is not known (one from before schema 6): its key alone.
ORPHANS = (
    "SELECT s.key, s.customer_id, s.until, s.created_at, NULL, NULL, NULL,"
    " (SELECT d.closed_at FROM closed_item d WHERE d.key = s.key)"
    " FROM snooze s WHERE s.customer_id IS NULL AND s.until > :now"
)


def _number(key: str) -> str:
    """The row number in an item's key ("" when there is none): C5.1m names purchase 5."""
    number = key[1:].partition(".")[0]
    return number if number.isdigit() else ""


def states(tx: engine.Tx, rows: Iterable[Any]) -> list[SnoozeState]:
    """SnoozeStates from rows of COLUMNS, with the promises, planned calls and purchases they
    put off (looked up by id: running snoozes are few)."""
    found = [tuple(row) for row in rows]
    rows_of: dict[str, dict[int, Any]] = {}
    for letter, table, columns in (
        ("P", "promise", "id, COALESCE(kept_at, cancelled_at), NULL"),
        ("F", "followup", "id, done_at, due"),
        ("T", "purchase", "id, NULL, delivered_at"),
        ("C", "purchase", "id, NULL, NULL"),
    ):
        ids = sorted({int(n) for r in found if r[0][:1] == letter and (n := _number(r[0]))})
        rows_of[letter] = (
            {}
            if not ids
            else {
                int(i): (closed, due)
                for i, closed, due in tx.tuples(
                    f"SELECT {columns} FROM {table} WHERE id IN ({', '.join(map(str, ids))})"
                )
            }
        )
    result = []
    for key, cid, until, made, reached, other, thanks, done_at in found:
        closed, gone, opens = from_db(done_at), False, None
        letter, number = key[:1], _number(key)
        if letter in rows_of and number:
            row = rows_of[letter].get(int(number))
            if row is None:
                gone = True
            else:
                closed = closed or from_db(row[0])
                opens = from_db(row[1])
        result.append(
            SnoozeState(
                key,
                cid,
                from_db(until),
                from_db(made),
                closed,
                gone,
                opens,
                from_db(reached),
                from_db(other),
                from_db(thanks),
            )  # fmt: skip
        )
    return result


def in_force_now(
    tx: engine.Tx, *, now: datetime, owner: str | None, rest_days: int
) -> tuple[dict[str, datetime], dict[int, datetime]]:
    """The owner's running snoozes of open items (rules/snoozes.in_force): until when each
    puts its item off, and until when each customer is left alone."""
    rows = tx.tuples(
        f"SELECT {COLUMNS} FROM snooze s JOIN customer c ON c.id = s.customer_id"
        f" WHERE s.until > :now AND c.archived_at IS NULL{owner_filter(owner)}",
        now=now,
        **owner_params(owner),
    )
    return in_force(states(tx, rows), LocalClock(now), rest_days)


def left_alone(
    tx: engine.Tx, *, now: datetime, owner: str | None, rest_days: int
) -> dict[int, datetime]:
    """The owner's customers a running snooze of an open item leaves alone, and until when."""
    return in_force_now(tx, now=now, owner=owner, rest_days=rest_days)[1]
