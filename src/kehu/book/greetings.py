"""Holiday greetings in the book: who is still to greet for a greeting day, and logging the
greetings. rules/greetings.py decides the days and the items; these are its reads and writes.

Greeted: a reached contact of kind greeting from the lead day on, except one logged for a
customer's own date (`kehu done B12`: birthday wishes are not the holiday's greeting, nor is a
holiday's greeting a birthday's; each greeting logged through `done` is kept in closed_item under
the key it was for, a grouped one under the customer's own `H` key). Opted out: the profile fact
greetings=no. Resting: reached (by anything else) in the last rules.rest_days (rules/rest.py): a
grouped greeting, a care-only item, leaves them out; a key customer's own greeting does not.
Prospects never sold to (open or lost) are not greeted: the greetings are for customers who
bought, and a prospect's own cadence (L items) keeps in touch with them; named by hand, they are.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from kehu.book import contacts, engine, snoozes
from kehu.book.customers import owner_filter, owner_params
from kehu.book.prospects import NOT_A_PROSPECT
from kehu.book.timestamps import from_db
from kehu.rules import greetings
from kehu.rules.localtime import LocalClock
from kehu.rules.records import Rules
from kehu.rules.rest import rest_cut

_OPTED_IN = (
    "NOT EXISTS (SELECT 1 FROM profile_field f WHERE f.customer_id = c.id"
    f" AND f.key = '{greetings.OPT_OUT_KEY}' AND f.value = '{greetings.OPT_OUT_VALUE}')"
)


def for_a_date(contact: str) -> str:
    """SQL: the greeting contact (`contact` the alias or table name) was logged for one of the
    customer's own dates, closing its item (`kehu done B12`)."""
    return (
        "EXISTS (SELECT 1 FROM occasion o JOIN closed_item d ON d.key = 'B' || o.id"
        f" WHERE o.customer_id = {contact}.customer_id AND d.contact_id = {contact}.id)"
    )


_GREETED = (
    "EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = c.id AND k.outcome = 'reached'"
    f" AND k.kind = 'greeting' AND k.at >= :since AND NOT {for_a_date('k')})"
)
_NOT_RESTING = "(c.last_reached_at IS NULL OR c.last_reached_at < :rest_cut)"


def _not_snoozed(left_alone: Collection[int]) -> str:
    """Not left alone by a snooze of an open item (book/snoozes.left_alone)."""
    if not left_alone:
        return "1 = 1"
    return f"c.id NOT IN ({', '.join(str(int(i)) for i in sorted(left_alone))})"


@dataclass(frozen=True)
class Greetee:
    """A customer to greet for a holiday, and whether they have been."""

    id: int
    name: str
    phone: str | None
    tier: str
    owner: str
    greeted: bool


class _Scope:
    def __init__(self, now: datetime, rules: Rules, day: date, owner: str | None) -> None:
        clock = LocalClock(now)
        self.where = (
            "c.archived_at IS NULL" + owner_filter(owner) + f" AND {_OPTED_IN} AND {NOT_A_PROSPECT}"
        )
        self.params: dict[str, Any] = {
            **owner_params(owner),
            "now": now,
            "since": clock.start(greetings.lead_day(day, rules)),
        }
        cut = rest_cut(clock, rules.rest_days)
        # Not resting: everyone when the rest rule is off (rules.rest_days 0).
        self.not_resting = "1 = 1" if cut is None else _NOT_RESTING
        if cut is not None:
            self.params["rest_cut"] = cut


def holiday_states(
    tx: engine.Tx,
    *,
    now: datetime,
    rules: Rules,
    owner: str | None,
    customer_id: int | None = None,
    left_alone: Collection[int] = (),
) -> list[greetings.HolidayState]:
    """The greeting days in the lead window: the key customers still to greet, and how many
    others each owner still has to greet (a customer reached lately, or of `left_alone` — a
    snooze of an open item leaves them alone —, not counted)."""
    states = []
    for found in greetings.greeting_days(now.date(), rules):
        scope = _Scope(now, rules, found.day, owner)
        where, params = scope.where, scope.params
        if customer_id is not None:
            where += " AND c.id = :only_customer"
            params["only_customer"] = customer_id
        key_ids = tuple(
            cid
            for (cid,) in tx.tuples(
                f"SELECT c.id FROM customer c WHERE {where} AND c.tier = 'A'"
                f" AND NOT {_GREETED} ORDER BY c.id",
                **params,
            )
        )
        groups: dict[str, int] = {
            owner: count
            for owner, count in tx.tuples(
                f"SELECT c.owner, COUNT(*) FROM customer c WHERE {where} AND c.tier <> 'A'"
                f" AND NOT {_GREETED} AND {scope.not_resting} AND {_not_snoozed(left_alone)}"
                " GROUP BY c.owner",
                **params,
            )
        }
        states.append(greetings.HolidayState(found.day, found.codes, key_ids, groups))
    return states


def greetees(
    tx: engine.Tx, *, now: datetime, rules: Rules, owner: str | None, day: date
) -> list[Greetee]:
    """Everyone to greet for the greeting day `day`, greeted or not, key customers first: the
    customers not opted out nor prospects never sold to, less those resting (reached lately
    by something else)."""
    scope = _Scope(now, rules, day, owner)
    alone = snoozes.left_alone(tx, now=now, owner=owner, rest_days=rules.rest_days)
    rows = tx.tuples(
        f"SELECT c.id, c.name, c.phone, c.tier, c.owner, CASE WHEN {_GREETED} THEN 1 ELSE 0 END"
        f" FROM customer c WHERE {scope.where}"
        f" AND ({_GREETED} OR c.tier = 'A' OR ({scope.not_resting} AND {_not_snoozed(alone)}))"
        " ORDER BY c.tier, c.name, c.id",
        **scope.params,
    )
    return [Greetee(cid, name, phone, tier, who, bool(greeted))
            for cid, name, phone, tier, who, greeted in rows]  # fmt: skip


def greet(
    tx: engine.Tx,
    *,
    now: datetime,
    rules: Rules,
    owner: str | None,
    day: date,
    customer_ids: list[int] | None,
    channel: str,
    note: str | None,
    made_by: str,
    sent: bool = False,
) -> tuple[list[Greetee], list[Greetee]] | None:
    """Log a reached greeting with each customer still to greet: those of the grouped item (the
    others than key customers), or the customers named. (greeted now, greeted before); None,
    nothing logged, when the grouped item has no one. `sent`: the note is the text sent."""
    everyone = greetees(tx, now=now, rules=rules, owner=owner, day=day)
    if customer_ids is None:
        group = [g for g in everyone if g.tier != "A"]
        if not group:
            return None
        chosen = [g for g in group if not g.greeted]
    else:
        by_id = {g.id: g for g in everyone}
        chosen = [by_id[cid] if cid in by_id else _greetee(tx, cid, now, rules, day)
                  for cid in dict.fromkeys(customer_ids)]  # fmt: skip
    before = [g for g in chosen if g.greeted]
    now_greeted = [g for g in chosen if not g.greeted]
    for greetee in now_greeted:
        contact_id = contacts.log_contact(
            tx, customer_id=greetee.id, at=now, channel=channel, kind="greeting", reached=True,
            note=note, made_by=made_by, sent=sent,
        )  # fmt: skip
        # Kept as the holiday's greeting of this customer: it closes no birthday's item.
        key = greetings.customer_key(greetee.id, day)
        tx.run("DELETE FROM closed_item WHERE key = :k", k=key)
        tx.run(
            "INSERT INTO closed_item (key, customer_id, closed_at, contact_id, made_by)"
            " VALUES (:k, :c, :at, :contact, :by)",
            k=key, c=greetee.id, at=now, contact=contact_id, by=made_by,
        )  # fmt: skip
    return now_greeted, before


def date_greetings(
    tx: engine.Tx, *, dates: list[tuple[int, int]], since: datetime, clock: LocalClock,
    rules: Rules,
) -> dict[int, datetime]:  # fmt: skip
    """Per date (occasion id) of `dates` ((occasion id, customer id) pairs): the latest reached
    greeting with its customer from `since` on that was for that date or for nothing named —
    not one logged for another of their dates (`done B…`) nor for a holiday (`done H…`, `G…`)."""
    customers = sorted({int(cid) for _oid, cid in dates})
    if not customers:
        return {}
    ids = ", ".join(str(cid) for cid in customers)
    found = list(
        tx.tuples(
            "SELECT k.id, k.customer_id, k.at FROM contact k WHERE k.customer_id IN"
            f" ({ids}) AND k.outcome = 'reached' AND k.kind = 'greeting' AND k.at >= :since",
            since=since,
        )
    )
    if not found:
        return {}
    greeted = [(kid, cid, from_db(at)) for kid, cid, at in found]
    claims = greeting_claims(tx, greeted, clock, rules)
    by_customer: dict[int, list[tuple[int, datetime]]] = {}
    for kid, cid, when in greeted:
        by_customer.setdefault(cid, []).append((kid, when))
    latest: dict[int, datetime] = {}
    for oid, cid in dates:
        mine = f"B{oid}"
        for kid, when in by_customer.get(cid, ()):
            if claims.get(kid, mine) == mine and (oid not in latest or latest[oid] < when):
                latest[oid] = when
    return latest


def greeting_claims(
    tx: engine.Tx, found: list[tuple[int, int, datetime]], clock: LocalClock, rules: Rules
) -> dict[int, str]:
    """Of greeting contacts (id, customer id, at): the item each was logged for, when it was
    logged for one — a date's (`B12`) or a holiday's (`H7.20270101`, a grouped greeting's too).
    A holiday's key names a greeting day listed when the greeting was logged: one of the days
    from then to the lead days after."""
    wanted = {kid for kid, _cid, _at in found}
    claims: dict[int, str] = {}
    if not found:
        return claims
    customers = ", ".join(str(int(cid)) for cid in sorted({cid for _kid, cid, _at in found}))
    for contact_id, key in tx.tuples(
        "SELECT d.contact_id, d.key FROM occasion o JOIN closed_item d ON d.key = 'B' || o.id"
        f" WHERE o.customer_id IN ({customers})"
    ):
        if contact_id in wanted:
            claims[contact_id] = key
    keys = sorted({
        greetings.customer_key(cid, clock.day_of(at) + timedelta(days=n))
        for _kid, cid, at in found for n in range(rules.holiday_lead_days + 1)
    })  # fmt: skip
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        named = {f"h{n}": key for n, key in enumerate(chunk)}
        marks = ", ".join(f":{name}" for name in named)
        for contact_id, key in tx.tuples(
            f"SELECT contact_id, key FROM closed_item WHERE key IN ({marks})", **named
        ):
            if contact_id in wanted:
                claims[contact_id] = key
    return claims


def _greetee(tx: engine.Tx, cid: int, now: datetime, rules: Rules, day: date) -> Greetee:
    """A customer named by hand: greeted even when reached lately or opted out."""
    scope = _Scope(now, rules, day, None)
    row = next(
        iter(
            tx.tuples(
                f"SELECT c.id, c.name, c.phone, c.tier, c.owner, CASE WHEN {_GREETED} THEN 1"
                " ELSE 0 END FROM customer c WHERE c.id = :cid",
                cid=cid,
                since=scope.params["since"],
            )
        )
    )
    cid, name, phone, tier, who, greeted = row
    return Greetee(cid, name, phone, tier, who, bool(greeted))
