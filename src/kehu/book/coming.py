"""What is coming, for a calendar file: open promises and planned calls due in a window, and
the dates of active customers (birthdays, anniversaries)."""

from datetime import datetime
from typing import Any

from kehu.book import engine, occasions
from kehu.book.timestamps import typed_row


def coming(tx: engine.Tx, *, end: datetime) -> dict[str, list[dict[str, Any]]]:
    """Promises and planned calls due before `end` (late ones too: they are still owed), and
    every date of the active customers (the caller finds the days they are kept)."""

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
        "dates": _dates(tx),
    }


def _dates(tx: engine.Tx) -> list[dict[str, Any]]:
    """Every date of every active customer (the caller finds the days each is kept)."""
    return [
        {"customer_id": row.customer_id, "name": row.customer_name, "phone": phone,
         "id": row.id, "occasion": row.occasion}
        for row, phone in occasions.of_active_customers(tx)
    ]  # fmt: skip
