"""The daily list's query loads only what can make an item (daily.book_state). Over random
books, nows and time zones, the scheduler must list exactly what it lists when given the whole
book, read the plain way. Runs on the engine under test (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehu.book import contacts, customers, daily, engine, opening, prospects
from kehu.book import occasions as book_occasions
from kehu.book.schema import TABLES_IN_ORDER
from kehu.book.timestamps import date_from_db, from_db
from kehu.rules import greetings, records, schedule
from kehu.rules import occasions as occasion_rules
from kehu.rules.localtime import LocalClock
from kehu.rules.occasions import Occasion, lunar_of
from kehu.rules.rest import rest_cut
from kehu.rules.snoozes import in_force

ZONES = [ZoneInfo(z) for z in ("Asia/Shanghai", "America/New_York", "Australia/Sydney")]
BASE = datetime(2026, 3, 1, tzinfo=UTC)  # books span 2025-2026, across DST changes
DAY = 24 * 3600
OWNERS = ("mei", "mei", "mei", "jun", "lei")  # a shared book, or one of its own
KINDS = ("follow-up", "follow-up", "thank-you", "thank-you", "complaint", "greeting")
ROUND_TIMES = st.sampled_from([None, None, time(0, 0), time(23, 59, 59), time(9, 30)])


@st.composite
def instants(draw: st.DrawFn, before_days: int, after_days: int, zone: Any) -> datetime:
    """An instant around BASE + 200 days; some on a round local time."""
    days = draw(st.integers(-before_days, after_days))
    seconds = draw(st.integers(0, DAY - 1))
    moment = (BASE + timedelta(days=200 + days, seconds=seconds)).astimezone(zone)
    clock_time = draw(ROUND_TIMES)
    return moment if clock_time is None else datetime.combine(moment.date(), clock_time, zone)


# Days after a delivery where the rules change their mind: thank-you late and expired,
# call-back windows opening (3 days early), milestones, lates, and the last window closing.
MARKS = st.sampled_from([0, 1, 4, 4, 7, 10, 27, 28, 28, 31, 34, 58, 61, 89, 89, 92, 180, 213])
HOURS = st.integers(-12, 12)
MINUTES = st.integers(-59, 59)


@st.composite
def near(draw: st.DrawFn, anchors: list[datetime], zone: Any) -> datetime:
    """An instant around BASE + 200 days, or just around a mark after one of `anchors`."""
    if anchors and draw(st.booleans()):
        anchor = draw(st.sampled_from(anchors))
        return anchor + timedelta(days=draw(MARKS), hours=draw(HOURS), minutes=draw(MINUTES))
    return draw(instants(250, 20, zone))


@st.composite
def books(draw: st.DrawFn) -> dict[str, Any]:
    zone = draw(st.sampled_from(ZONES))
    customers, deliveries, orders = [], [], []
    for number in range(draw(st.integers(1, 8))):
        prospect = draw(st.sampled_from((None, None, None, "open", "sold", "lost", "ordered")))
        purchases = draw(st.lists(st.tuples(near([], zone), st.booleans()), max_size=3))
        created = draw(instants(400, 10, zone))
        if prospect == "ordered":  # an order after registration, every delivery booked
            later = st.integers(21 * DAY, 90 * DAY).map(lambda s: timedelta(seconds=s))
            purchases = [(created + draw(later), True)]
            orders += [delivered for delivered, _booked in purchases]
        deliveries += [delivered for delivered, booked in purchases if booked]
        anchors = [delivered for delivered, _ in purchases]
        if prospect == "ordered":  # contacts from the sale on, some before the delivery
            anchors = [delivered - timedelta(days=20) for delivered in anchors]
        customers.append(
            {
                "tier": draw(st.sampled_from("ABC")),
                "owner": draw(st.sampled_from(OWNERS)),
                "created": created,
                "referred_by": draw(st.none() | st.integers(0, number - 1)) if number else None,
                "archived": draw(st.integers(0, 9)) == 0,
                "prospect": prospect,
                "no_greetings": draw(st.integers(0, 4)) == 0,
                "purchases": purchases,
                "contacts": draw(
                    st.lists(
                        st.tuples(near(anchors, zone), st.sampled_from(KINDS), st.booleans()),
                        max_size=5,
                    )
                ),
                "promises": draw(st.lists(st.tuples(near([], zone), st.booleans()), max_size=2)),
                "followups": draw(st.lists(st.tuples(near([], zone), st.booleans()), max_size=2)),
            }
        )
    nows = draw(st.lists(near(deliveries, zone), min_size=1, max_size=4))
    if orders:  # a moment between an order (sold 20 days before its delivery) and the delivery
        before = st.integers(0, 17 * DAY).map(lambda s: timedelta(seconds=s))
        nows.append(draw(st.sampled_from(orders)) - draw(before))
    for customer in customers:
        customer["occasions"] = draw(st.lists(occasions(nows, zone), max_size=2))
    return {"zone": zone, "customers": customers, "nows": nows}


SPECIAL_DATES = [("solar", 2, 29, False), ("lunar", 12, 30, False), ("lunar", 4, 8, True)]


@st.composite
def occasions(draw: st.DrawFn, nows: list[datetime], zone: Any) -> Occasion:
    """A date kept near one of the nows (within the window the list looks at), or a hard one."""
    year = draw(st.none() | st.sampled_from([1980, 2026, 2027]))
    if draw(st.integers(0, 4)) == 0:
        calendar, month, day, leap = draw(st.sampled_from(SPECIAL_DATES))
    else:
        near_day = draw(st.sampled_from(nows)).astimezone(zone).date()
        near_day += timedelta(days=draw(st.integers(-9, 9)))
        calendar = draw(st.sampled_from(["solar", "lunar"]))
        if calendar == "solar":
            month, day, leap = near_day.month, near_day.day, False
        else:
            month, day, leap, _length = lunar_of(near_day)
    if calendar == "solar" and year is not None and (month, day) == (2, 29):
        year = 1980
    kind = draw(st.sampled_from(occasion_rules.KINDS))
    return Occasion(kind, calendar, month, day, leap=leap, year=year)


def write(tx: engine.Tx, book: dict[str, Any]) -> None:
    ids: list[int] = []
    bought: list[tuple[int, int]] = []  # (purchase id, customer id)
    for c in book["customers"]:
        referrer = None if c["referred_by"] is None else ids[c["referred_by"]]
        cid = customers.add_customer(
            tx,
            owner=c["owner"],
            now=c["created"],
            name=f"Customer {len(ids) + 1}",
            tier=c["tier"],
            referred_by=referrer,
        )
        ids.append(cid)
        if c["prospect"] is not None:
            prospects.register(
                tx, customer_id=cid, level="A", now=c["created"], made_by="mei",
                card=prospects.Card(expected_on=c["created"].date()),
            )  # fmt: skip
            if c["prospect"] in ("sold", "lost"):
                column = "converted_at" if c["prospect"] == "sold" else "lost_at"
                tx.run(f"UPDATE prospect SET {column} = :at WHERE customer_id = :c",
                       at=c["created"] + timedelta(days=1), c=cid)  # fmt: skip
        ordering = c["prospect"] == "ordered"
        if c["no_greetings"]:
            tx.run(
                "INSERT INTO profile_field (customer_id, key, value)"
                " VALUES (:c, 'greetings', 'no')",
                c=cid,
            )
        for delivered, booked in c["purchases"]:
            # An order: sold (and so no longer a prospect in the open) weeks before delivery.
            sold = delivered - timedelta(days=20 if ordering else 3)
            purchase_id = customers.add_purchase(
                tx,
                customer_id=cid,
                product="car",
                amount=None,
                sold_at=sold,
                delivered_at=delivered if booked else None,
            )
            bought.append((purchase_id, cid))
        for at, kind, reached in c["contacts"]:
            contacts.log_contact(
                tx,
                customer_id=cid,
                at=at,
                channel="call",
                kind=kind,
                reached=reached,
                note="note",
                made_by="mei",
            )
        for due, closed in c["promises"]:
            pid = contacts.add_promise(
                tx, customer_id=cid, text="brochure", due=due, now=c["created"], made_by="mei"
            )
            if closed:
                contacts.close_promise(tx, promise_id=pid, column="kept_at", now=due)
        for due, done in c["followups"]:
            fid = contacts.add_followup(
                tx,
                customer_id=cid,
                due=due,
                note=None,
                now=c["created"],
                made_by="mei",
                contact_id=None,
            )
            if done:
                contacts.close_followup(tx, followup_id=fid, now=due)
        for occasion in c["occasions"]:
            book_occasions.insert_occasion(
                tx, customer_id=cid, occasion=occasion, note=None, now=c["created"]
            )
        if c["archived"]:
            customers.set_archived(tx, customer_id=cid, when=c["created"])
    if ids:
        contacts.snooze(
            tx,
            key=f"W{ids[0]}",
            until=book["nows"][0] + timedelta(days=2),
            reason=None,
            now=book["nows"][0],
            made_by="mei",
            customer_id=ids[0],
        )
    if len(bought) > 1:  # a thank-you snoozed, as `kehu snooze` records it: with its customer
        contacts.snooze(
            tx,
            key=f"T{bought[1][0]}",
            until=book["nows"][-1] + timedelta(days=1),
            reason="away",
            now=book["nows"][0],
            made_by="mei",
            customer_id=bought[1][1],
        )


def whole_book(tx: engine.Tx, now: datetime, owner: str | None) -> records.BookState:
    """Every active customer of the owner and everything about them: no filter but the obvious."""
    zone = now.tzinfo

    def local(value: Any) -> datetime | None:
        moment = from_db(value)
        return None if moment is None else moment.astimezone(zone)

    mine = "c.archived_at IS NULL" + ("" if owner is None else " AND c.owner = :owner")
    who = {} if owner is None else {"owner": owner}
    customers = {}
    for r in tx.all(f"SELECT * FROM customer c WHERE {mine}", **who):
        deliveries = [
            local(p["delivered_at"])
            for p in tx.all("SELECT delivered_at FROM purchase WHERE customer_id = :id", id=r["id"])
            if p["delivered_at"] is not None and from_db(p["delivered_at"]) <= now
        ]
        customers[r["id"]] = records.CustomerState(
            id=r["id"],
            name=r["name"],
            phone=r["phone"],
            tier=r["tier"],
            owner=r["owner"],
            created_at=local(r["created_at"]),
            last_reached_at=local(r["last_reached_at"]),
            last_other_at=local(r["last_other_at"]),
            last_thanks_at=local(r["last_thanks_at"]),
            latest_delivery_at=max(deliveries, default=None),
            attempts=r["attempts"],
        )
    purchases = [
        records.PurchaseState(p["id"], p["customer_id"], p["product"], local(p["delivered_at"]))
        for p in tx.all("SELECT * FROM purchase WHERE delivered_at IS NOT NULL")
    ]
    promises = [
        records.PromiseState(p["id"], p["customer_id"], p["text"], local(p["due"]))
        for p in tx.all("SELECT * FROM promise WHERE kept_at IS NULL AND cancelled_at IS NULL")
    ]
    followups = [
        records.FollowUpState(
            f["id"], f["customer_id"], local(f["due"]), f["note"], local(f["created_at"])
        )
        for f in tx.all("SELECT * FROM followup WHERE done_at IS NULL")
    ]
    complaints = [
        records.ComplaintState(k["id"], k["customer_id"], local(k["at"]), k["note"])
        for k in tx.all("SELECT * FROM contact WHERE kind = 'complaint' AND outcome = 'reached'")
        if not tx.all("SELECT 1 FROM closed_item WHERE key = :k", k=f"X{k['id']}")
    ]
    referrals = [
        records.ReferralState(r["id"], r["name"], r["referred_by"], local(r["created_at"]))
        for r in tx.all("SELECT * FROM customer WHERE referred_by IS NOT NULL")
    ]
    snoozed, snoozed_customers = in_force(
        [plain_snooze(tx, s, local) for s in tx.all("SELECT * FROM snooze")],
        LocalClock(now),
        records.Rules().rest_days,
    )
    greeted: dict[int, datetime] = {}
    for k in tx.all("SELECT * FROM contact WHERE kind = 'greeting' AND outcome = 'reached'"):
        at = local(k["at"])
        assert at is not None
        greeted[k["customer_id"]] = max(at, greeted.get(k["customer_id"], at))
    dates = [
        records.OccasionState(
            o["id"], o["customer_id"],
            Occasion(o["kind"], o["calendar"], o["month"], o["day"], leap=bool(o["leap"]),
                     year=o["year"], label=o["label"]),
            o["note"], greeted.get(o["customer_id"]),
        )
        for o in tx.all("SELECT * FROM occasion ORDER BY id")
    ]  # fmt: skip
    holidays = plain_holidays(tx, now, customers, snoozed_customers)
    open_prospects = {}
    for p in tx.all("SELECT * FROM prospect WHERE converted_at IS NULL AND lost_at IS NULL"):
        if p["customer_id"] in customers:
            since = local(p["created_at"])
            reached = customers[p["customer_id"]].last_reached_at
            open_prospects[p["customer_id"]] = records.ProspectState(
                p["customer_id"], p["level"], since if reached is None else max(since, reached),
                date_from_db(p["expected_on"]),
            )  # fmt: skip
    for p in tx.all("SELECT * FROM prospect WHERE converted_at IS NOT NULL"):
        # Ordered: sold to by now, every purchase with a delivery, the first still to come.
        sold, cid = local(p["converted_at"]), p["customer_id"]
        bought = tx.all("SELECT delivered_at FROM purchase WHERE customer_id = :c", c=cid)
        deliveries = [local(b["delivered_at"]) for b in bought]
        if cid not in customers or not bought or None in deliveries:
            continue
        first = min(d for d in deliveries if d is not None)
        if sold is not None and sold <= now < first:
            reached = customers[cid].last_reached_at
            since = max(m for m in (local(p["created_at"]), sold, reached) if m is not None)
            open_prospects[cid] = records.ProspectState(cid, "O", since, None, first)
    lost = tx.all("SELECT * FROM prospect WHERE converted_at IS NULL AND lost_at IS NOT NULL")
    return records.BookState(
        customers, purchases, promises, followups, complaints, referrals, snoozed,
        snoozed_customers, occasions=dates, prospects=open_prospects, holidays=holidays,
        lost_prospects=frozenset(p["customer_id"] for p in lost),
    )  # fmt: skip


def plain_snooze(tx: engine.Tx, s: Any, local: Any) -> records.SnoozeState:
    """A snooze and its item, row by row."""
    key, cid = s["key"], s["customer_id"]
    customer = tx.all("SELECT * FROM customer WHERE id = :c", c=cid) if cid is not None else []
    closed = tx.all("SELECT closed_at FROM closed_item WHERE key = :k", k=key)
    closed_at = local(closed[0]["closed_at"]) if closed else None
    gone, opens = False, None
    digits = key[1:].partition(".")[0]
    letter, number = key[0], int(digits) if digits.isdigit() else None
    table = {"P": "promise", "F": "followup", "T": "purchase", "C": "purchase"}.get(letter)
    if table is not None and number is not None:
        row = tx.all(f"SELECT * FROM {table} WHERE id = :i", i=number)
        if not row:
            gone = True
        elif letter == "P":
            closed_at = local(row[0]["kept_at"] or row[0]["cancelled_at"])
        elif letter == "F":
            closed_at, opens = closed_at or local(row[0]["done_at"]), local(row[0]["due"])
        elif letter == "T":
            opens = local(row[0]["delivered_at"])
    c = dict(customer[0]) if customer else {}
    return records.SnoozeState(
        key, cid, local(s["until"]), local(s["created_at"]), closed_at, gone, opens,
        local(c.get("last_reached_at")), local(c.get("last_other_at")),
        local(c.get("last_thanks_at")),
    )  # fmt: skip


def plain_holidays(
    tx: engine.Tx, now: datetime, customers: dict[int, Any], snoozed_customers: dict[int, Any]
) -> list[greetings.HolidayState]:
    """The greeting days and who is still to greet, customer by customer."""
    rules, clock = records.Rules(), LocalClock(now)
    opted_out = {
        f["customer_id"]
        for f in tx.all("SELECT * FROM profile_field WHERE key = 'greetings' AND value = 'no'")
    }
    prospects = {p["customer_id"] for p in tx.all("SELECT * FROM prospect")
                 if p["converted_at"] is None}  # fmt: skip
    greetings_logged = tx.all("SELECT * FROM contact WHERE kind = 'greeting'")
    rested = rest_cut(clock, rules.rest_days)
    states = []
    for found in greetings.greeting_days(now.date(), rules):
        since = clock.start(greetings.lead_day(found.day, rules))
        greeted = {
            k["customer_id"]
            for k in greetings_logged
            if k["outcome"] == "reached" and from_db(k["at"]) >= since
        }
        key_customers, groups = [], {}
        for c in customers.values():
            if c.id in opted_out or c.id in greeted or c.id in prospects:
                continue
            snoozed = c.id in snoozed_customers and snoozed_customers[c.id] > now
            reached = c.last_reached_at
            resting = rested is not None and reached is not None and reached >= rested
            if c.tier == "A":
                key_customers.append(c.id)
            elif not resting and not snoozed:
                groups[c.owner] = groups.get(c.owner, 0) + 1
        states.append(
            greetings.HolidayState(found.day, found.codes, tuple(sorted(key_customers)), groups)
        )
    return states


def empty(tx: engine.Tx) -> None:
    for table in reversed(TABLES_IN_ORDER):
        tx.run(f"DELETE FROM {table}")


def on_generated_books(
    opened: Any,
    examples: int,
    both: Callable[[engine.Tx, datetime], tuple[Any, Any]],
    compare: Callable[[datetime, Any, Any], None],
) -> None:
    """For generated books, at each of their moments: `both` read in one transaction, its two
    answers given to `compare`; the book is closed at the end."""

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(books())
    def check(book: dict[str, Any]) -> None:
        opened.transact(empty)
        opened.transact(lambda tx: write(tx, book))
        for now in book["nows"]:
            compare(now, *opened.transact(lambda tx, at=now: both(tx, at), write=False))

    try:
        check()
    finally:
        opened.close()


@pytest.mark.parametrize("owner", ["mei", None])
def test_the_filtered_query_lists_what_the_whole_book_lists(owner: str | None) -> None:
    target = os.environ["KEHU_DB"]
    examples = 40 if target.startswith("postgresql") else 150
    opened = opening.open_book(target)
    rules = records.Rules()
    checked = {"items": 0, "kinds": set()}

    def both(tx: engine.Tx, now: datetime) -> tuple[list[Any], list[Any]]:
        filtered = daily.book_state(tx, now=now, rules=rules, owner=owner)
        whole = whole_book(tx, now, owner)
        return schedule.schedule(filtered, now, rules), schedule.schedule(whole, now, rules)

    def compare(now: datetime, listed: list[Any], expected: list[Any]) -> None:
        assert listed == expected, now
        checked["items"] += len(expected)
        checked["kinds"] |= {item.kind for item in expected}

    on_generated_books(opened, examples, both, compare)
    # The books were varied enough to make every kind of item the query filters for.
    assert {"thank-you", "call-back", "promise", "follow-up", "personal-date"} <= checked["kinds"]
    assert {"cooling", "at-risk", "keep-in-touch"} & checked["kinds"]
    assert checked["items"] > examples


@pytest.mark.parametrize("owner", ["mei", None])
def test_a_prospect_who_ordered_is_listed_alike_from_the_sale_to_the_delivery(
    owner: str | None,
) -> None:
    """Sold to with the delivery still to come: level O's item, 3 days from the sale (or the
    last contact), until the delivery's day; read both ways, the same list."""
    zone = ZONES[0]
    delivered = datetime(2026, 12, 15, 15, 0, tzinfo=zone)
    sale = delivered - timedelta(days=20)  # 25 Nov
    customer = {
        "tier": "B", "owner": "mei", "created": sale - timedelta(days=10), "referred_by": None,
        "archived": False, "prospect": "ordered", "no_greetings": False,
        "purchases": [(delivered, True)], "promises": [], "followups": [], "occasions": [],
        "contacts": [(sale - timedelta(days=2), "follow-up", True)],  # before the sale
    }  # fmt: skip
    first = datetime(2026, 11, 26, 9, 0, tzinfo=zone)
    nows = [first + timedelta(days=n) for n in range(21)]  # to 16 Dec
    opened = opening.open_book(os.environ["KEHU_DB"])
    rules = records.Rules()
    listed: dict[str, list[str]] = {}
    try:
        opened.transact(empty)
        opened.transact(lambda tx: write(tx, {"zone": zone, "customers": [customer], "nows": nows}))
        for now in nows:

            def both(tx: engine.Tx, at: datetime = now) -> tuple[list[Any], list[Any]]:
                filtered = daily.book_state(tx, now=at, rules=rules, owner=owner)
                return (schedule.schedule(filtered, at, rules),
                        schedule.schedule(whole_book(tx, at, owner), at, rules))  # fmt: skip

            items, expected = opened.transact(both, write=False)
            assert items == expected, now
            listed[now.strftime("%m-%d")] = [
                f"{i.key} {i.reason_params.get('level', '')}".strip() for i in items
            ]
    finally:
        opened.close()
    assert listed["11-26"] == listed["11-27"] == []  # not a suggestion, nor a quiet mark
    assert listed["11-28"] == ["L1 O"]  # 3 days after the sale, late from the next day on
    assert listed["12-14"] == ["L1 O"]
    assert listed["12-15"] == ["T1"]  # the delivery's day: a customer, thanked
    assert listed["12-16"] == ["T1"]


@pytest.mark.parametrize("owner", ["mei", None])
def test_the_lean_query_counts_what_the_whole_book_lists(owner: str | None) -> None:
    """What `today --summary` counts (a lean read, schedule.tally) is the whole book's items,
    counted per owner and kind, with those late."""
    target = os.environ["KEHU_DB"]
    examples = 30 if target.startswith("postgresql") else 100
    opened = opening.open_book(target)
    rules = records.Rules()
    seen = {"owners": set()}

    def both(tx: engine.Tx, now: datetime) -> tuple[Any, Any]:
        lean = daily.book_state(tx, now=now, rules=rules, owner=owner, lean=True)
        items = schedule.schedule(whole_book(tx, now, owner), now, rules)
        expected: dict[tuple[str, str], tuple[int, int]] = {}
        for item in items:
            count, late = expected.get((item.owner, item.kind), (0, 0))
            expected[item.owner, item.kind] = (count + 1, late + item.is_late(now))
        return schedule.tally(lean, now, rules), expected

    def compare(now: datetime, counted: Any, expected: Any) -> None:
        assert counted == expected, now
        seen["owners"] |= {owner for owner, _kind in expected}

    on_generated_books(opened, examples, both, compare)
    assert len(seen["owners"]) > (1 if owner is None else 0)


_instants = st.integers(0, 400).map(
    lambda hours: datetime(2026, 5, 1, tzinfo=UTC) + timedelta(hours=hours)
)


@settings(max_examples=300, deadline=None)
@given(
    windows=st.lists(
        st.tuples(_instants, st.integers(1, 60), _instants).map(
            lambda w: (w[0], w[0] + timedelta(hours=w[1]), w[2])
        ),
        min_size=1,
        max_size=12,
    ),
    delivered=_instants,
    contacted=st.none() | _instants,
)
def test_call_back_spans_tell_what_the_windows_tell(
    windows: list[tuple[datetime, datetime, datetime]],
    delivered: datetime,
    contacted: datetime | None,
) -> None:
    """What PostgreSQL is asked of a delivery (the span it falls in, by width_bucket, and that
    span's latest contacted_by) keeps exactly the deliveries some window keeps."""
    windows = sorted(windows)
    edges, latest = daily.call_back_spans(windows)
    bucket = sum(1 for edge in edges if edge <= delivered)  # width_bucket: 0 before the first
    bound = latest[bucket - 1] if bucket else None
    asked = bound is not None and (contacted is None or contacted < bound)
    opened = any(
        start <= delivered < end and (contacted is None or contacted < by)
        for start, end, by in windows
    )
    assert asked == opened
    assert len(edges) == len(latest) and edges == sorted(set(edges))
