"""Item keys (P12, T5, C5.1m, …): what each names, the customer it concerns, and closing or
snoozing the item. What a key's letter means and how `done` closes it is rules/kinds.py."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from kehu.base import typed
from kehu.base.errors import BadInput, NotFound
from kehu.base.i18n import _
from kehu.book import colleagues, contacts, engine
from kehu.book.timestamps import from_db
from kehu.rules import kinds, records

KEY = re.compile(kinds.KEY_PATTERN)
T = TypeVar("T")


def accepted() -> str:
    """The item keys there are, for an error about a key."""
    return _(
        "P12 (promise), F3 (planned call), T5 (thank-you), B12 (birthday or other date), "
        "C5.1m (call-back), X9 (complaint), L8 (prospect), R4 (referral), A7/W7/K7 (at risk/"
        "cooling/keep in touch), S7 (suggestion), H7.20261001 (holiday greeting), G20261001 "
        "(grouped holiday greeting)"
    )


# The customer (and purchase) the number of a key names, by what it names.
_LOOKUP = {
    kinds.PROMISE: "SELECT customer_id AS cid, NULL AS pid FROM promise WHERE id = :n",
    kinds.PLANNED_CALL: "SELECT customer_id AS cid, NULL AS pid FROM followup WHERE id = :n",
    kinds.PURCHASE: "SELECT customer_id AS cid, id AS pid FROM purchase WHERE id = :n",
    kinds.COMPLAINT: "SELECT customer_id AS cid, NULL AS pid FROM contact WHERE id = :n"
    " AND kind = 'complaint' AND outcome = 'reached'",
    # {referred}: also a colleague's customer whom one's own referred (colleagues.referred).
    kinds.REFERRED: "SELECT referred_by AS cid, NULL AS pid FROM {referred} WHERE id = :n"
    " AND referred_by IS NOT NULL",
    kinds.CUSTOMER: "SELECT id AS cid, NULL AS pid FROM customer WHERE id = :n",
    kinds.OCCASION: "SELECT customer_id AS cid, NULL AS pid FROM occasion WHERE id = :n",
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
    level: str | None = None  # a prospect's level in force after the contact, when it graded


@dataclass(frozen=True)
class AlreadyDone:
    """What closed an item that `done` was asked to close again: how (a code: kept,
    cancelled, done, or contact), when, and the contact's channel and kind when one did."""

    key: str
    how: str
    at: datetime
    channel: str | None = None
    contact_kind: str | None = None


@dataclass(frozen=True)
class Snoozed:
    key: str
    customer_id: int
    customer_name: str
    until: datetime
    unchanged: bool = False  # the same snooze was there already: nothing written


def parse(text: str) -> tuple[str, kinds.Kind, int, str | None]:
    """(the key as written canonically, its kind, its number, its milestone or None)."""
    key = typed.half_width(text).strip().upper().replace("M", "m").replace("D", "d")
    match = KEY.match(key)
    kind = kinds.BY_LETTER[match.group(1)] if match else None
    suffix = match.group(3) if match else None
    wanted = "milestone" if kind and kind.milestone else "dated" if kind and kind.dated else None
    found = None if suffix is None else "dated" if suffix.isdigit() else "milestone"
    if kind is None or match is None or wanted != found:
        raise BadInput(
            _("{text} is not an item key; accepted: {accepted}").format(
                text=repr(text), accepted=accepted()
            )
        )
    return key, kind, int(match.group(2)), match.group(3)


def target(
    tx: engine.Tx, text: str, rules: records.Rules, *, now: datetime | None = None
) -> Target:
    """The customer (and purchase) an item key is about; NotFound when the row is gone, or
    for a call-back at a milestone the rules do not have (C5.77m), or (given `now`) for a
    holiday greeting whose day is no greeting day on the list now (H7.20260101 in September,
    H7.20260923)."""
    key, kind, number, milestone = parse(text)
    if kind.names == kinds.HOLIDAY_DAY:
        raise BadInput(
            _("{key} greets many customers: `kehu done {key}` greets them all, `kehu done {key} "
              "CUSTOMER…` some; `kehu greet` lists them").format(key=key)
        )  # fmt: skip
    if kind.name == "holiday" and now is not None and not _greeting_day_now(milestone, now, rules):
        raise NotFound(
            _("{key} is not on the list now; `kehu today` shows the keys").format(key=key)
        )
    lookup = _LOOKUP[kind.names]
    if kind.names == kinds.REFERRED:
        lookup = lookup.format(referred=colleagues.referred(tx))
    found = engine.one(tx, lookup, n=number)
    customer = (
        None
        if found is None
        else engine.one(
            tx, "SELECT id, name, archived_at FROM customer WHERE id = :id", id=found["cid"]
        )
    )
    steps = {f"{n}d" for n in rules.callback_days} | {f"{n}m" for n in rules.callback_months}
    if found is None or customer is None or (kind.milestone and milestone not in steps):
        raise NotFound(
            _("nothing in the book has the key {key}; `kehu today` shows the keys").format(key=key)
        )
    return Target(key, kind, number, customer, found["pid"])


def _greeting_day_now(suffix: str | None, now: datetime, rules: records.Rules) -> bool:
    """Whether a holiday key's yyyymmdd is a greeting day whose items are listed now (from
    its lead day to the holiday itself)."""
    from kehu.rules import greetings
    from kehu.rules.localtime import LocalClock

    day = greetings.day_of_key(suffix or "")
    listed = greetings.greeting_days(LocalClock(now).today, rules)
    return day is not None and any(found.day == day for found in listed)


def close_item(
    tx: engine.Tx,
    *,
    key: str,
    now: datetime,
    channel: str,
    note: str | None,
    made_by: str,
    rules: records.Rules,
    again: bool = False,
    sent: bool = False,
    level: str | None = None,
) -> Closed | AlreadyDone:
    """Close an item as its kind says: keep the promise (logging the note, if any), or log
    the reached contact it asks for (closing a planned call too). An item that is no longer
    open because something closed it is left as it is (AlreadyDone), unless `again`. `sent`:
    the note is the text sent to the customer. `level`: a prospect's item (L) re-grades them
    with the contact, as `kehu log --level` does. The snoozes of what it closes end with it."""
    found = target(tx, key, rules, now=now)
    return snoozes_closed_by(tx, found.customer["id"], now, rules, lambda: _close_item(
        tx, found, now=now, channel=channel, note=note, made_by=made_by, rules=rules,
        again=again, sent=sent, level=level,
    ))  # fmt: skip


def _close_item(
    tx: engine.Tx,
    found: "Target",
    *,
    now: datetime,
    channel: str,
    note: str | None,
    made_by: str,
    rules: records.Rules,
    again: bool,
    sent: bool,
    level: str | None,
) -> Closed | AlreadyDone:
    how = found.kind.done
    cid = found.customer["id"]
    if level is not None and found.kind.name != "prospect":
        raise BadInput(
            _("--level re-grades a prospect with the contact that closes their L item; {key} is "
              "not one (`kehu log CUSTOMER --level L` grades with any contact); nothing was "
              "logged").format(key=found.key)
        )  # fmt: skip
    _refuse_closed_prospect(tx, found, now)
    closed = Closed(found.key, how, cid, found.customer["name"])
    # What could have closed it first (a few indexed reads), the whole rule only then; with
    # `again` nothing is read that the write does not need (fewer conflicts on PostgreSQL).
    if how == kinds.KEEP_PROMISE or not again:
        done = _already_done(tx, found, now, rules)
        if done is not None and how == kinds.KEEP_PROMISE:
            if not again:
                return done
            how = kinds.LOG_FOLLOW_UP  # done again: log the contact, the promise stays closed
        elif done is not None and not _is_open(tx, found, now, rules):
            return done
    if how == kinds.KEEP_PROMISE:
        contacts.close_promise(tx, promise_id=found.number, column="kept_at", now=now)
        if note is None:
            return closed
    contact_kind = {kinds.LOG_THANK_YOU: "thank-you", kinds.LOG_GREETING: "greeting"}.get(
        how, "follow-up"
    )
    contact_id = contacts.log_contact(
        tx, customer_id=cid, at=now, channel=channel, kind=contact_kind, reached=True,
        note=note, made_by=made_by, purchase_id=found.purchase_id, sent=sent,
    )  # fmt: skip
    if how == kinds.CLOSE_PLANNED_CALL:
        contacts.close_followup(tx, followup_id=found.number, now=now)
    tx.run("DELETE FROM closed_item WHERE key = :k", k=found.key)
    tx.run(
        "INSERT INTO closed_item (key, customer_id, closed_at, contact_id, made_by)"
        " VALUES (:k, :c, :at, :contact, :by)",
        k=found.key, c=cid, at=now, contact=contact_id, by=made_by,
    )  # fmt: skip
    if level is not None:
        from kehu.book import prospects

        in_force, _reopened = prospects.regrade(
            tx, customer_id=cid, level=level, at=now, contact_id=contact_id, made_by=made_by
        )
        return Closed(closed.key, closed.how, cid, closed.customer_name, in_force)
    return closed


def _refuse_closed_prospect(tx: engine.Tx, found: Target, now: datetime) -> None:
    """NotFound for a prospect's L item when they are no open prospect (`done`, `snooze`)."""
    if found.kind.name != "prospect":
        return
    cid = found.customer["id"]
    shut = _prospect_closed(tx, cid, now)
    if shut == "delivered":
        raise NotFound(
            _("{key} is not on the list: #{id}'s order has reached its delivery day, so they are "
              "a customer now (the thank-you and the call-backs follow); `kehu today` shows the "
              "keys").format(
                key=found.key, id=cid
            )
        )  # fmt: skip
    if shut is not None:
        raise NotFound(
            _("{key} is not on the list: #{id} is not an open prospect (sold to, lost or never "
              "one); `kehu today` shows the keys").format(key=found.key, id=cid)
        )  # fmt: skip


def _prospect_closed(tx: engine.Tx, customer_id: int, now: datetime) -> str | None:
    """None for a prospect whose `L` item the daily list may hold: neither sold to nor lost, or
    ordered (sold to) before their first delivery's day, when the thank-you takes over; else
    why not: "delivered" (ordered, and the delivery's day has come), or "closed"."""
    from kehu.book.prospects import FIRST_DELIVERY
    from kehu.rules.localtime import LocalClock
    from kehu.rules.prospects import ordered

    row = engine.one(
        tx,
        f"SELECT p.converted_at, p.lost_at, {FIRST_DELIVERY} AS delivery"
        " FROM prospect p CROSS JOIN customer c WHERE p.customer_id = :c AND c.id = :c",
        c=customer_id,
    )
    if row is None:
        return "closed"
    if row["converted_at"] is None:
        return None if row["lost_at"] is None else "closed"
    sold, delivery = from_db(row["converted_at"]), from_db(row["delivery"])
    if delivery is None or sold > now or sold >= delivery:  # never ordered: sold at delivery
        return "closed"
    clock = LocalClock(now)
    if ordered(sold, delivery, now) and clock.today < clock.day_of(delivery):
        return None
    return "delivered"


def is_closed(tx: engine.Tx, key: str, now: datetime, rules: records.Rules) -> bool:
    """Whether the item of `key` is closed (or gone): a promise kept or cancelled, the contact
    its kind asks for made, a prospect sold to or lost, its row deleted. A snooze of it no
    longer puts anything off."""
    try:
        found = target(tx, key, rules)
    except (NotFound, BadInput):
        return True
    if found.kind.name == "prospect" and _prospect_closed(tx, found.customer["id"], now):
        return True
    done = _already_done(tx, found, now, rules)
    return done is not None and not _is_open(tx, found, now, rules)


def _is_open(tx: engine.Tx, found: Target, now: datetime, rules: records.Rules) -> bool:
    """Whether the item is on the customer's list now (snoozes aside)."""
    from kehu.book import daily
    from kehu.rules import schedule

    cid = found.customer["id"]
    state = daily.book_state(tx, now=now, rules=rules, owner=None, customer_id=cid)
    state = state._replace(snoozed={}, snoozed_customers={})
    listed = schedule.schedule(state, now, rules)
    return any(item.key == found.key for item in listed)


def _already_done(
    tx: engine.Tx, found: Target, now: datetime, rules: records.Rules
) -> AlreadyDone | None:
    """What closed an item that is not open, if anything did (None: it is just not due)."""
    cid, key, number = found.customer["id"], found.key, found.number
    if found.kind.name == "promise":
        row = engine.one(tx, "SELECT kept_at, cancelled_at FROM promise WHERE id = :n", n=number)
        if row is not None and row["kept_at"] is not None:
            return AlreadyDone(key, "kept", from_db(row["kept_at"]))
        if row is not None and row["cancelled_at"] is not None:
            return AlreadyDone(key, "cancelled", from_db(row["cancelled_at"]))
        return None
    row = engine.one(
        tx,
        "SELECT d.closed_at, k.channel, k.kind FROM closed_item d LEFT JOIN contact k"
        " ON k.id = d.contact_id WHERE d.key = :k",
        k=key,
    )
    if row is not None:
        return AlreadyDone(key, "done", from_db(row["closed_at"]), row["channel"], row["kind"])
    since, which, until = _closing_contacts(tx, found, now, rules)
    if since is None:
        return None
    if until is not None:  # a call-back: the contact that closed it, in its window
        which += " AND at < :until ORDER BY at, id"
    else:
        which += " ORDER BY at DESC, id DESC"
    if found.kind.name == "personal-date":
        contact = _date_greeting(tx, found, since, now, rules)
    else:
        contact = engine.one(
            tx,
            "SELECT at, channel, kind FROM contact WHERE customer_id = :c AND outcome = 'reached'"
            f" AND at >= :since{which} LIMIT 1",
            c=cid,
            since=since,
            **({} if until is None else {"until": until}),
        )
    if contact is None:
        return None
    return AlreadyDone(key, "contact", from_db(contact["at"]), contact["channel"], contact["kind"])


def _date_greeting(
    tx: engine.Tx, found: Target, since: datetime, now: datetime, rules: records.Rules
) -> dict[str, Any] | None:
    """The latest greeting that closed a date's item: one for it or for nothing named (not for
    another of the customer's dates, nor for a holiday)."""
    from kehu.book.greetings import greeting_claims
    from kehu.rules.localtime import LocalClock

    cid = found.customer["id"]
    rows = [
        dict(row)
        for row in tx.all(
            "SELECT id, at, channel, kind FROM contact WHERE customer_id = :c AND outcome ="
            " 'reached' AND kind = 'greeting' AND at >= :since ORDER BY at DESC, id DESC",
            c=cid,
            since=since,
        )
    ]
    claims = greeting_claims(
        tx, [(row["id"], cid, from_db(row["at"])) for row in rows], LocalClock(now), rules
    )
    return next((row for row in rows if claims.get(row["id"], found.key) == found.key), None)


def _closing_contacts(
    tx: engine.Tx, found: Target, now: datetime, rules: records.Rules
) -> tuple[datetime | None, str, datetime | None]:
    """From when a reached contact closes this kind of item, which contacts (SQL), and until
    when (a call-back's window: a contact after it closed, its milestone missed, closes
    nothing; None: no end)."""
    from kehu.rules.localtime import LocalClock

    clock, number = LocalClock(now), found.number
    thanks, other = " AND kind = 'thank-you'", " AND kind <> 'thank-you'"
    greeting = " AND kind = 'greeting'"
    name = found.kind.name
    if name == "follow-up":
        due = engine.scalar(tx, "SELECT due FROM followup WHERE id = :n", n=number)
        return clock.start(clock.day_of(from_db(due))), "", None
    if name == "complaint-follow-up":
        at = from_db(engine.scalar(tx, "SELECT at FROM contact WHERE id = :n", n=number))
        due_day = clock.day_of(at) + timedelta(days=rules.complaint_followup_days)
        return clock.start(due_day), "", None
    if name in ("thank-you", "call-back"):
        delivered = from_db(
            engine.scalar(tx, "SELECT delivered_at FROM purchase WHERE id = :n", n=number)
        )
        if delivered is None:
            return None, thanks, None
        if name == "thank-you":
            return clock.start(clock.day_of(delivered)), thanks, None
        # A call-back's window opens at the start of the day a few days before its milestone,
        # and closes at the start of the day the next one opens (the last some days after its
        # milestone), as the daily list reads it.
        from kehu.rules.after_sale import call_back_windows

        label = found.key.partition(".")[2]
        for window in call_back_windows(clock.day_of(delivered), rules):
            if window.label == label:
                return clock.start(window.opens), other, clock.start(window.closes)
        return None, other, None
    if name == "holiday":
        from kehu.rules import greetings

        day = greetings.day_of_key(found.key.partition(".")[2])
        if day is None:
            return None, "", None
        from kehu.book.greetings import for_a_date

        # Not a greeting logged for one of the customer's own dates (`done B12`).
        return (
            clock.start(greetings.lead_day(day, rules)),
            f"{greeting} AND NOT {for_a_date('contact')}",
            None,
        )
    if name == "referral-thanks":
        created = engine.scalar(
            tx, f"SELECT created_at FROM {colleagues.referred(tx)} WHERE id = :n", n=number
        )
        return from_db(created), thanks, None
    if name == "personal-date":
        from kehu.book.occasions import occasion_of
        from kehu.rules.personal_dates import first_listed

        occasion, tier = occasion_of(tx, occasion_id=number)
        return clock.start(first_listed(occasion, tier, clock.today, rules)), greeting, None
    return clock.start(clock.today - timedelta(days=rules.rest_days)), "", None


def snoozes_closed_by(
    tx: engine.Tx,
    customer: int | str | None,
    now: datetime,
    rules: records.Rules,
    write: Callable[[], T],
) -> T:
    """Run `write`; the running snoozes of the customer's items it closes (`customer`: their id,
    or the text that names them) end with it: a closed item has nothing left to put off, so
    its snooze no longer leaves the customer alone nor ends on the calendar. Same transaction,
    so `kehu undo` brings the snooze back with the item."""
    if isinstance(customer, str):
        from kehu.book import find

        customer = int(find.customer(tx, customer)["id"])
    return snoozes_of_any_closed_by(tx, [] if customer is None else [customer], now, rules, write)


def snoozes_of_any_closed_by(
    tx: engine.Tx,
    customers: Iterable[int],
    now: datetime,
    rules: records.Rules,
    write: Callable[[], T],
) -> T:
    """`snoozes_closed_by` for the items of several customers (the past contacts of a file)."""
    wanted = set(customers)
    if len(wanted) <= 1:
        keys = [key for customer in wanted for key in _running_snoozes(tx, customer, now)]
    else:  # the book's running snoozes are few: one query, not one per customer of the file
        keys = [
            str(row["key"])
            for row in tx.all(
                "SELECT key, customer_id FROM snooze WHERE until > :now ORDER BY key", now=now
            )
            if row["customer_id"] in wanted
        ]
    still_open = [key for key in keys if not is_closed(tx, key, now, rules)]
    result = write()
    for key in still_open:
        if is_closed(tx, key, now, rules):
            tx.run("DELETE FROM snooze WHERE key = :k", k=key)
    return result


def _running_snoozes(tx: engine.Tx, customer_id: int, now: datetime) -> list[str]:
    return [
        str(row["key"])
        for row in tx.all(
            "SELECT key FROM snooze WHERE customer_id = :c AND until > :now ORDER BY key",
            c=customer_id,
            now=now,
        )
    ]


def snooze_item(
    tx: engine.Tx,
    *,
    key: str,
    until: datetime,
    reason: str | None,
    now: datetime,
    made_by: str,
    rules: records.Rules,
) -> Snoozed | AlreadyDone:
    """Put an item off until `until` (the item is listed again from then on). One that is
    closed (a promise kept or cancelled, the contact it asks for made) has nothing to put
    off: left as it is (AlreadyDone), nothing written."""
    found = target(tx, key, rules, now=now)
    _refuse_closed_prospect(tx, found, now)
    done = _already_done(tx, found, now, rules)
    if done is not None and (found.kind.name == "promise" or not _is_open(tx, found, now, rules)):
        return done
    snoozed = Snoozed(found.key, found.customer["id"], found.customer["name"], until)
    same = engine.one(tx, "SELECT customer_id, until, reason FROM snooze WHERE key = :k",
                      k=found.key)  # fmt: skip
    if (
        same is not None
        and same["customer_id"] == found.customer["id"]
        and from_db(same["until"]) == until
        and same["reason"] == reason
    ):
        return replace(snoozed, unchanged=True)  # nothing to write, nor to undo
    contacts.snooze(tx, key=found.key, until=until, reason=reason, now=now, made_by=made_by,
                    customer_id=found.customer["id"])  # fmt: skip
    return snoozed
