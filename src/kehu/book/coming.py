"""What is coming, for a calendar file: open promises and planned calls due in a window, and
the birthdays of active customers."""

from datetime import datetime
from typing import Any

from kehu.book import engine, occasions
from kehu.book.timestamps import typed_row


def coming(tx: engine.Tx, *, end: datetime) -> dict[str, list[dict[str, Any]]]:
    """Promises and planned calls due before `end` (late ones too: they are still owed), and
    every active customer with a birthday (the caller finds its next date)."""

    def rows(sql: str) -> list[dict[str, Any]]:
        return [typed_row(r) for r in tx.all(sql, end=end)]

    return {
        "promises": rows(
            "SELECT p.id, p.text, p.due, c.id AS customer_id, c.name, c.phone FROM promise p"
            " JOIN customer c ON c.id = p.customer_id WHERE p.kept_at IS NULL"
            " AND p.cancelled_at IS NULL AND p.due < :end AND c.archived_at IS NULL"
            " ORDER BY p.due, p.id"
        ),
        "calls": rows(
            "SELECT f.id, f.note, f.due, c.id AS customer_id, c.name, c.phone FROM followup f"
            " JOIN customer c ON c.id = f.customer_id WHERE f.done_at IS NULL AND f.due < :end"
            " AND c.archived_at IS NULL ORDER BY f.due, f.id"
        ),
        "birthdays": _birthdays(tx),
    }


def _birthdays(tx: engine.Tx) -> list[dict[str, Any]]:
    """Active customers' solar birthdays (occasions.birthdays: year UNKNOWN_YEAR if unknown)."""
    people = [
        dict(r)
        for r in tx.all(
            "SELECT DISTINCT c.id AS customer_id, c.name, c.phone FROM customer c"
            " JOIN occasion o ON o.customer_id = c.id WHERE o.kind = 'birthday'"
            " AND o.calendar = 'solar' AND c.archived_at IS NULL ORDER BY c.id"
        )
    ]
    born = occasions.birthdays(tx, [p["customer_id"] for p in people])
    return [p | {"birthday": born[p["customer_id"]]} for p in people]
