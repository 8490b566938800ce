"""What a draft (话术) may say about a customer, read from the book: their name and form of
address, the purchase it is about (or their latest), one specific detail, and what the item
names (the promise, the friend referred). ui/drafts.py words it."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kehu.base.typed import UNKNOWN_YEAR
from kehu.book import colleagues, engine, find, items, prospects
from kehu.book.daily import talking_points
from kehu.book.timestamps import from_db
from kehu.rules import kinds
from kehu.rules.localtime import LocalClock
from kehu.rules.promises import kept_late
from kehu.rules.records import Rules
from kehu.rules.vocab import LAST_NOTE, TALKING_KEYS, TALKING_TOPICS


@dataclass(frozen=True)
class DraftSource:
    customer_id: int
    name: str
    gender: str | None
    title: str | None
    salutation: str | None
    language: str | None
    birthday: date | None  # the solar birthday (year UNKNOWN_YEAR when not known)
    lunar_birthday: tuple[int, int, bool] | None = None  # (month, day, leap), when kept lunar
    occasion_kind: str | None = None  # what a B item's date is: birthday, wedding…
    product: str | None = None
    delivered: datetime | None = None
    detail: str | None = None  # a profile fact (TALKING_KEYS, in order)
    topic: str | None = None  # what the detail is about: hobby, family, job (TALKING_TOPICS)
    promise: str | None = None
    promise_late: bool = False  # kept (or still open) after its due
    referred: str | None = None
    interest: str | None = None  # a prospect's (the prospect card)
    cares: str | None = None
    ordered: bool = False  # a prospect's item, who has ordered (level O): about the order


def for_item(
    tx: engine.Tx, *, key: str, rules: Rules, now: datetime
) -> tuple[str, str, DraftSource]:
    """(the key as written canonically, the item's kind, what its draft may say)."""
    found = items.target(tx, key, rules, now=now)
    kind, number = found.kind, found.number
    named: dict[str, Any] = {}
    if kind.names == kinds.PROMISE:
        row = engine.one(tx, "SELECT text, due, kept_at FROM promise WHERE id = :n", n=number)
        assert row is not None  # found by items.target in this transaction
        named["promise"], named["promise_late"] = row["text"], _late(row, now)
    elif kind.names == kinds.REFERRED:
        named["referred"] = engine.scalar(
            tx, f"SELECT name FROM {colleagues.referred(tx)} WHERE id = :n", n=number
        )
    elif kind.names == kinds.OCCASION:
        row = engine.one(
            tx, "SELECT kind, calendar, month, day, leap, year FROM occasion WHERE id = :n",
            n=number,
        )  # fmt: skip
        assert row is not None  # found by items.target in this transaction
        named["occasion_kind"] = row["kind"]
        if row["kind"] == "birthday":  # the wishes are for this birthday, in its calendar
            named.update(_birthday_fields(row["calendar"], row["month"], row["day"],
                                          row["leap"], row["year"]))  # fmt: skip
    purchase_id = found.purchase_id
    if kind.name == "prospect":
        order = prospects.order_of(tx, customer_id=found.customer["id"], now=now)
        if order is not None:  # the draft is about the order: the purchase delivered first
            purchase_id, named["ordered"] = order[0], True
    source = _source(tx, found.customer["id"], purchase_id=purchase_id, **named)
    return found.key, kind.name, source


def for_customer(tx: engine.Tx, *, customer: str, now: datetime) -> DraftSource:
    """What any draft to this customer may say: their latest purchase, promise kept and
    referral stand in for the item a key would name."""
    cid = find.customer(tx, customer)["id"]

    def latest(sql: str) -> Any:
        return engine.scalar(tx, sql + " ORDER BY id DESC LIMIT 1", id=cid)

    promise = engine.one(
        tx,
        "SELECT text, due, kept_at FROM promise WHERE customer_id = :id AND cancelled_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        id=cid,
    )
    return _source(
        tx,
        cid,
        promise=promise["text"] if promise else None,
        promise_late=_late(promise, now) if promise else False,
        referred=latest(f"SELECT name FROM {colleagues.referred(tx)} WHERE referred_by = :id"),
    )


def _late(promise: Any, now: datetime) -> bool:
    """Whether a promise was kept, or is still open, after it was due."""
    kept = from_db(promise["kept_at"]) if promise["kept_at"] else now
    return kept_late(from_db(promise["due"]), kept, LocalClock(now))


def _source(
    tx: engine.Tx, cid: int, *, purchase_id: int | None = None, **named: Any
) -> DraftSource:
    row = engine.one(
        tx,
        "SELECT id, name, gender, title, salutation, language FROM customer WHERE id = :id",
        id=cid,
    )
    assert row is not None  # found by find.customer or items.target in this transaction
    where = "id = :p" if purchase_id is not None else "customer_id = :id"
    purchase = engine.one(
        tx,
        f"SELECT product, delivered_at FROM purchase WHERE {where}"
        " ORDER BY sold_at DESC, id DESC LIMIT 1",
        p=purchase_id,
        id=cid,
    )
    return DraftSource(
        customer_id=cid,
        name=row["name"],
        gender=row["gender"],
        title=row["title"],
        salutation=row["salutation"],
        language=row["language"],
        **{**_birthdays(tx, cid), **{k: named.pop(k) for k in BIRTHDAY_FIELDS if k in named}},
        product=purchase["product"] if purchase else None,
        delivered=from_db(purchase["delivered_at"]) if purchase else None,
        **_detail(tx, cid),
        **_prospect_card(tx, cid),
        **named,
    )


def _prospect_card(tx: engine.Tx, cid: int) -> dict[str, Any]:
    """What a prospect's follow-up may name: the model they want and what they care about."""
    row = engine.one(tx, "SELECT interest, cares FROM prospect WHERE customer_id = :id", id=cid)
    return {"interest": row["interest"], "cares": row["cares"]} if row else {}


BIRTHDAY_FIELDS = ("birthday", "lunar_birthday")


def _birthdays(tx: engine.Tx, cid: int) -> dict[str, Any]:
    """The customer's own birthday, solar and lunar, from their dates (the latest of each)."""
    found: dict[str, Any] = dict.fromkeys(BIRTHDAY_FIELDS)
    for row in tx.tuples(
        "SELECT calendar, month, day, leap, year FROM occasion WHERE customer_id = :id"
        " AND kind = 'birthday' ORDER BY id",
        id=cid,
    ):
        found.update({k: v for k, v in _birthday_fields(*row).items() if v is not None})
    return found


def _birthday_fields(
    calendar: str, month: int, day: int, leap: Any, year: int | None
) -> dict[str, Any]:
    """One birthday as the draft's two fields: the wishes of a birthday item are for that
    birthday alone (a customer's solar birthday is not wished a happy lunar one)."""
    if calendar == "lunar":
        return {"birthday": None, "lunar_birthday": (month, day, bool(leap))}
    return {"birthday": date(year or UNKNOWN_YEAR, month, day), "lunar_birthday": None}


def _detail(tx: engine.Tx, cid: int) -> dict[str, Any]:
    """One specific thing the customer talked about: the first profile fact worth talking about,
    and what it is about. Never the last note: it is the salesperson's own words ("sent the
    thank-you card"), not something to quote back to the customer as theirs."""
    points = talking_points(tx, [cid], TALKING_KEYS).get(cid, [])
    facts = [(key, value) for key, value in points if key != LAST_NOTE]
    if not facts:
        return {"detail": None, "topic": None}
    key, value = facts[0]
    return {"detail": value, "topic": TALKING_TOPICS.get(key)}
