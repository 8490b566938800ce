"""The pinyin forms of customers' names (table customer_pinyin): written whenever a name is,
and searched as one index range, so that a search needs no pinyin library."""

from collections.abc import Iterable
from typing import Any

from kehu.book import engine
from kehu.rules import pinyin

# The ids of customers a pinyin search key finds: one range on ix_customer_pinyin_form.
MATCHING_IDS = (
    "SELECT p.customer_id FROM customer_pinyin p"
    " WHERE p.form >= :pinyin_low AND p.form < :pinyin_high"
)

# The ids of customers one of whose forms is the search key itself (sunli finds 孙丽, not 孙丽丽).
EXACT_IDS = "SELECT p.customer_id FROM customer_pinyin p WHERE p.form = :pinyin_key"


def store(tx: engine.Tx, *, customer_id: int, name: str) -> None:
    """Replace the forms of one customer's name."""
    tx.run("DELETE FROM customer_pinyin WHERE customer_id = :id", id=customer_id)
    store_new(tx, names=[(customer_id, name)])


def store_new(tx: engine.Tx, *, names: Iterable[tuple[int, str]]) -> None:
    """The forms of customers who have none yet (a new customer, a migrated book)."""
    rows = [
        {"customer_id": customer_id, "form": form}
        for customer_id, name in names
        for form in pinyin.forms(name)
    ]
    if rows:
        tx.run_many(
            "INSERT INTO customer_pinyin (customer_id, form) VALUES (:customer_id, :form)", rows
        )


def search_params(text: str) -> dict[str, Any] | None:
    """The parameters of MATCHING_IDS for a typed search, or None when it is no pinyin search."""
    key = pinyin.search_key(text)
    if key is None:
        return None
    low, high = pinyin.prefix_bounds(key)
    return {"pinyin_low": low, "pinyin_high": high}


def exact_params(text: str) -> dict[str, Any] | None:
    """The parameters of EXACT_IDS for a typed search, or None when it is no pinyin search."""
    key = pinyin.search_key(text)
    return None if key is None else {"pinyin_key": key}
