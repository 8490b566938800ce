"""Item keys (P12, T5, C5.1m, …): what each names, the customer it concerns, and closing or
snoozing the item. What a key's letter means and how `done` closes it is rules/kinds.py."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kehu.base.errors import BadInput, NotFound
from kehu.base.i18n import _
from kehu.book import contacts, engine
from kehu.rules import kinds

KEY = re.compile(kinds.KEY_PATTERN)


def accepted() -> str:
    """The item keys there are, for an error about a key."""
    return _(
        "P12 (promise), F3 (planned call), T5 (thank-you), C5.1m (call-back), X9 "
        "(complaint), R4 (referral), A7/W7/K7 (at risk/cooling/keep in touch), S7 (suggestion)"
    )


# The customer (and purchase) the number of a key names, by what it names.
_LOOKUP = {
    kinds.PROMISE: "SELECT customer_id AS cid, NULL AS pid FROM promise WHERE id = :n",
    kinds.PLANNED_CALL: "SELECT customer_id AS cid, NULL AS pid FROM followup WHERE id = :n",
    kinds.PURCHASE: "SELECT customer_id AS cid, id AS pid FROM purchase WHERE id = :n",
    kinds.COMPLAINT: "SELECT customer_id AS cid, NULL AS pid FROM contact WHERE id = :n"
    " AND kind = 'complaint'",
    kinds.REFERRED: "SELECT referred_by AS cid, NULL AS pid FROM customer WHERE id = :n"
    " AND referred_by IS NOT NULL",
    kinds.CUSTOMER: "SELECT id AS cid, NULL AS pid FROM customer WHERE id = :n",
}


@dataclass(frozen=True)
class Target:
    key: str
    kind: kinds.Kind
    number: int
    customer: Any  # row: id, name, archived_at
    purchase_id: int | None = None


@dataclass(frozen=True)
class Closed:
    """What `close_item` did: how (kinds.KEEP_PROMISE, LOG_THANK_YOU…), for whom."""

    key: str
    how: str
    customer_id: int
    customer_name: str


@dataclass(frozen=True)
class Snoozed:
    key: str
    customer_id: int
    customer_name: str
    until: datetime


def parse(text: str) -> tuple[str, kinds.Kind, int, str | None]:
    """(the key as written canonically, its kind, its number, its milestone or None)."""
    key = text.strip().upper().replace("M", "m").replace("D", "d")
    match = KEY.match(key)
    kind = kinds.BY_LETTER[match.group(1)] if match else None
    if kind is None or match is None or kind.milestone != (match.group(3) is not None):
        raise BadInput(
            _("{text} is not an item key; accepted: {accepted}").format(
                text=repr(text), accepted=accepted()
            )
        )
    return key, kind, int(match.group(2)), match.group(3)


def target(tx: engine.Tx, text: str) -> Target:
    """The customer (and purchase) an item key is about; NotFound when the row is gone."""
    key, kind, number, _milestone = parse(text)
    found = engine.one(tx, _LOOKUP[kind.names], n=number)
    customer = (
        None
        if found is None
        else engine.one(
            tx, "SELECT id, name, archived_at FROM customer WHERE id = :id", id=found["cid"]
        )
    )
    if found is None or customer is None:
        raise NotFound(
            _("nothing in the book has the key {key}; `kehu today` shows the keys").format(key=key)
        )
    return Target(key, kind, number, customer, found["pid"])


def close_item(
    tx: engine.Tx, *, key: str, now: datetime, channel: str, note: str | None, made_by: str
) -> Closed:
    """Close an item as its kind says: keep the promise (logging the note, if any), or log
    the reached contact it asks for (closing a planned call too)."""
    found = target(tx, key)
    how = found.kind.done
    cid = found.customer["id"]
    closed = Closed(found.key, how, cid, found.customer["name"])
    if how == kinds.KEEP_PROMISE:
        contacts.close_promise(tx, promise_id=found.number, column="kept_at", now=now)
        if note is None:
            return closed
    contact_kind = "thank-you" if how == kinds.LOG_THANK_YOU else "follow-up"
    contacts.log_contact(
        tx, customer_id=cid, at=now, channel=channel, kind=contact_kind, reached=True,
        note=note, made_by=made_by, purchase_id=found.purchase_id,
    )  # fmt: skip
    if how == kinds.CLOSE_PLANNED_CALL:
        contacts.close_followup(tx, followup_id=found.number, now=now)
    return closed


def snooze_item(
    tx: engine.Tx,
    *,
    key: str,
    until: datetime,
    reason: str | None,
    now: datetime,
    made_by: str,
) -> Snoozed:
    """Put an item off until `until` (the item is listed again from then on)."""
    found = target(tx, key)
    contacts.snooze(tx, key=found.key, until=until, reason=reason, now=now, made_by=made_by)
    return Snoozed(found.key, found.customer["id"], found.customer["name"], until)
