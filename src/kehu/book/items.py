"""Item keys (P12, T5, C5.1m, …): what each names, and the customer it concerns."""

import re
from dataclasses import dataclass
from typing import Any

from kehu.base.errors import BadInput, NotFound
from kehu.book import engine

KEY = re.compile(r"^([PFTCXRAWKS])(\d{1,12})(?:\.(\d{1,3}[dm]))?$")
ACCEPTED = (
    "P12 (promise), F3 (planned call), T5 (thank-you), C5.1m (call-back), X9 "
    "(complaint), R4 (referral), A7/W7/K7 (at risk/cooling/keep in touch), S7 (suggestion)"
)


@dataclass(frozen=True)
class Target:
    key: str
    letter: str
    number: int
    customer: Any  # row: id, name
    purchase_id: int | None = None


def parse(text: str) -> tuple[str, str, int, str | None]:
    key = text.strip().upper().replace("M", "m").replace("D", "d")
    match = KEY.match(key)
    if not match or (match.group(1) == "C") != (match.group(3) is not None):
        raise BadInput(f"{text!r} is not an item key; accepted: {ACCEPTED}")
    return key, match.group(1), int(match.group(2)), match.group(3)


def target(tx: engine.Tx, text: str) -> Target:
    """The customer (and purchase) an item key is about; NotFound when the row is gone."""
    key, letter, number, _ = parse(text)
    where = {
        "P": "SELECT customer_id AS cid, NULL AS pid FROM promise WHERE id = :n",
        "F": "SELECT customer_id AS cid, NULL AS pid FROM followup WHERE id = :n",
        "T": "SELECT customer_id AS cid, id AS pid FROM purchase WHERE id = :n",
        "C": "SELECT customer_id AS cid, id AS pid FROM purchase WHERE id = :n",
        "X": "SELECT customer_id AS cid, NULL AS pid FROM contact WHERE id = :n"
        " AND kind = 'complaint'",
        "R": "SELECT referred_by AS cid, NULL AS pid FROM customer WHERE id = :n"
        " AND referred_by IS NOT NULL",
    }.get(letter, "SELECT id AS cid, NULL AS pid FROM customer WHERE id = :n")
    found = engine.one(tx, where, n=number)
    customer = (
        None
        if found is None
        else engine.one(
            tx, "SELECT id, name, archived_at FROM customer WHERE id = :id", id=found["cid"]
        )
    )
    if found is None or customer is None:
        raise NotFound(f"nothing in the book has the key {key}; `kehu today` shows the keys")
    return Target(key, letter, number, customer, found["pid"])
