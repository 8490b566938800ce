"""Properties of the scheduler (kehu.rules) over random books, nows and time zones."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kehu.rules import kinds
from kehu.rules.records import (
    BookState,
    ComplaintState,
    CustomerState,
    FollowUpState,
    Item,
    PromiseState,
    PurchaseState,
    ReferralState,
)
from kehu.rules.schedule import customers_listed, schedule, top_up
from kehu.ui import words

ZONES = [ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")]
OTHER_ZONES: list[tzinfo] = [
    UTC,
    timezone(timedelta(hours=-7)),
    timezone(timedelta(hours=5, minutes=45)),
    ZoneInfo("Australia/Lord_Howe"),
    *ZONES,
]
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = 4 * 365 * 24 * 3600  # seconds: nows fall in 2023-2026
DAY = 24 * 3600
CUSTOMER_IDS = range(1, 7)  # a few of them archived (missing) in each book
FAST = settings(max_examples=200, deadline=None)
T = TypeVar("T")


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# Strategies are built once: building them inside each draw is what makes hypothesis slow.
ROUND_TIMES = st.sampled_from([None, None, time(0, 0), time(23, 59, 59), time(9, 30)])
CUSTOMER = st.sampled_from(CUSTOMER_IDS)
SOME_CUSTOMERS = st.sets(CUSTOMER, max_size=5)
TIER = st.sampled_from("ABC")
ZONE = st.sampled_from(ZONES)
NOW_DAYS = st.integers(0, SPAN // DAY)
HOURS = st.integers(-48, 48)
SNOOZABLE = st.sets(
    st.sampled_from(["P1", "T1", "C1.1m", "A1", "W2", "K3", "F1", "X1", "R101", "S4"]), max_size=3
)
COUNT = {n: st.integers(0, n) for n in (3, 6)}
# Days and seconds apart: one wide integer range would cluster around zero.
DAYS = {
    (before, after): st.integers(-before, after)
    for before, after in [(250, 5), (400, 0), (900, 0), (20, 3), (10, 3), (40, 0)]
}
SECONDS = st.integers(0, DAY - 1)


def moment(draw: st.DrawFn, now: datetime, before: int, after: int = 0) -> datetime:
    """An instant near now, in now's zone; some of them on a round local time."""
    offset = timedelta(days=draw(DAYS[before, after]), seconds=draw(SECONDS) - DAY // 2)
    instant = (now + offset).astimezone(now.tzinfo)
    clock_time = draw(ROUND_TIMES)
    if clock_time is None:
        return instant
    # A wall time skipped by a DST change is no instant a book can hold (typed ones are moved
    # forward, stored ones come back from UTC): normalise it the way the round trip does.
    local = datetime.combine(instant.date(), clock_time, tzinfo=now.tzinfo)
    return local.astimezone(UTC).astimezone(now.tzinfo)


def maybe_moment(draw: st.DrawFn, now: datetime, before: int) -> datetime | None:
    return moment(draw, now, before) if draw(st.booleans()) else None


@st.composite
def books(draw: st.DrawFn) -> tuple[BookState, datetime]:
    now = (START + timedelta(days=draw(NOW_DAYS), seconds=draw(SECONDS))).astimezone(draw(ZONE))
    purchases = [
        PurchaseState(pid, draw(CUSTOMER), f"car {pid}", moment(draw, now, 250, 5))
        for pid in range(1, draw(COUNT[6]) + 1)
    ]
    customers = {}
    for cid in sorted(draw(SOME_CUSTOMERS)):
        other, thanks = maybe_moment(draw, now, 400), maybe_moment(draw, now, 400)
        reached = max((m for m in (other, thanks) if m is not None), default=None, key=utc)
        delivered = [p.delivered_at for p in purchases if p.customer_id == cid]
        customers[cid] = CustomerState(
            id=cid,
            name=f"Customer {cid}",
            phone=None,
            tier=draw(TIER),
            owner="wang",
            created_at=moment(draw, now, 900),
            last_reached_at=reached,
            last_other_at=other,
            last_thanks_at=thanks,
            latest_delivery_at=max(
                (d for d in delivered if utc(d) <= utc(now)), default=None, key=utc
            ),
            attempts=draw(COUNT[3]),
        )
    promises = [
        PromiseState(i, draw(CUSTOMER), f"promise {i}", moment(draw, now, 20, 3))
        for i in range(1, draw(COUNT[3]) + 1)
    ]
    followups = [
        FollowUpState(i, draw(CUSTOMER), moment(draw, now, 10, 3), None)
        for i in range(1, draw(COUNT[3]) + 1)
    ]
    complaints = [
        ComplaintState(i, draw(CUSTOMER), moment(draw, now, 40), "noise")
        for i in range(1, draw(COUNT[3]) + 1)
    ]
    referrals = [
        ReferralState(100 + i, f"Friend {i}", draw(CUSTOMER), moment(draw, now, 40))
        for i in range(1, draw(COUNT[3]) + 1)
    ]
    snoozed = {key: now + timedelta(hours=draw(HOURS)) for key in sorted(draw(SNOOZABLE))}
    state = BookState(customers, purchases, promises, followups, complaints, referrals, snoozed)
    return state, now


def instants_equal(first: datetime, second: datetime) -> bool:
    return utc(first) == utc(second)


@FAST
@given(books())
def test_nothing_is_late_before_it_is_due(book: tuple[BookState, datetime]) -> None:
    state, now = book
    for item in schedule(state, now):
        assert item.late_since is None or utc(item.late_since) >= utc(item.due)
        if item.is_late(now):
            assert utc(item.due) <= utc(now)
            assert item.days_late(now) >= 0


@FAST
@given(books(), st.integers(1, 72))
def test_keys_are_unique_and_stable(book: tuple[BookState, datetime], hours: int) -> None:
    state, now = book
    first = {item.key: item for item in schedule(state, now)}
    later_items = schedule(state, now + timedelta(hours=hours))
    assert len(first) == len(schedule(state, now))
    assert len({item.key for item in later_items}) == len(later_items)
    for item in later_items:
        if item.key in first:
            assert (item.kind, item.customer_id) == (
                first[item.key].kind,
                first[item.key].customer_id,
            )


def contacted(customer: CustomerState, now: datetime, thanks: bool) -> CustomerState:
    """The customer after a reached contact at `now` (a thank-you one or another kind)."""
    if thanks:
        return customer._replace(last_reached_at=now, last_thanks_at=now, attempts=0)
    return customer._replace(last_reached_at=now, last_other_at=now, attempts=0)


CLOSABLE = {
    "thank-you": True,
    "referral-thanks": True,
    "call-back": False,
    "complaint-follow-up": False,
    "follow-up": False,
    "cooling": False,
    "at-risk": False,
    "keep-in-touch": False,
}


@FAST
@given(books())
def test_an_item_goes_once_the_contact_it_asks_for_is_logged(
    book: tuple[BookState, datetime],
) -> None:
    state, now = book
    for item in schedule(state, now):
        if item.kind not in CLOSABLE:
            continue
        customers = dict(state.customers)
        customers[item.customer_id] = contacted(
            customers[item.customer_id], now, CLOSABLE[item.kind]
        )
        after = schedule(state._replace(customers=customers), now)
        assert item.key not in {other.key for other in after}


@FAST
@given(books())
def test_everything_is_due_by_the_end_of_today_and_ranked(
    book: tuple[BookState, datetime],
) -> None:
    state, now = book
    items = schedule(state, now)
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    for item in items:
        assert utc(item.due) < utc(tomorrow)
        assert item.due.tzinfo is now.tzinfo
    assert [item.rank for item in items] == list(range(1, len(items) + 1))
    lateness = [item.is_late(now) for item in items]
    assert lateness == sorted(lateness, reverse=True)


def shuffled(state: BookState, rng: random.Random) -> BookState:
    def mix(values: Sequence[T]) -> list[T]:
        return rng.sample(list(values), k=len(values))

    return BookState(
        customers={cid: state.customers[cid] for cid in mix(list(state.customers))},
        purchases=mix(state.purchases),
        promises=mix(state.promises),
        followups=mix(state.followups),
        complaints=mix(state.complaints),
        referrals=mix(state.referrals),
        snoozed=dict(state.snoozed),
    )


@FAST
@given(books(), st.randoms(use_true_random=False))
def test_schedule_is_deterministic_whatever_the_input_order(
    book: tuple[BookState, datetime], rng: random.Random
) -> None:
    state, now = book
    items = schedule(state, now)
    assert schedule(state, now) == items
    assert schedule(shuffled(state, rng), now) == items


def re_expressed(state: BookState, rng: random.Random) -> BookState:
    """The same instants, written in other time zones."""

    def move(record: Any, *names: str) -> Any:
        return record._replace(**{name: moved(getattr(record, name)) for name in names})

    def moved(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(rng.choice(OTHER_ZONES))

    fields = ("created_at", "last_reached_at", "last_other_at", "last_thanks_at")
    return BookState(
        customers={
            cid: move(c, *fields, "latest_delivery_at") for cid, c in state.customers.items()
        },
        purchases=[move(p, "delivered_at") for p in state.purchases],
        promises=[move(p, "due") for p in state.promises],
        followups=[move(f, "due") for f in state.followups],
        complaints=[move(c, "at") for c in state.complaints],
        referrals=[move(r, "created_at") for r in state.referrals],
        snoozed={
            key: until.astimezone(rng.choice(OTHER_ZONES)) for key, until in state.snoozed.items()
        },
    )


@FAST
@given(books(), st.randoms(use_true_random=False))
def test_the_same_instants_in_other_zones_give_the_same_items(
    book: tuple[BookState, datetime], rng: random.Random
) -> None:
    state, now = book
    assert schedule(re_expressed(state, rng), now) == schedule(state, now)


@FAST
@given(books(), st.integers(0, 8))
def test_top_up_fills_up_to_the_target_with_other_customers(
    book: tuple[BookState, datetime], target: int
) -> None:
    state, now = book
    items = schedule(state, now)
    suggestions = top_up(items, state, now, target)
    listed = {item.customer_id for item in items}
    wanted = max(0, target - customers_listed(items))
    assert len(suggestions) <= wanted
    assert all(isinstance(s, Item) and s.kind == "suggestion" for s in suggestions)
    assert not listed & {s.customer_id for s in suggestions}
    assert len({s.customer_id for s in suggestions}) == len(suggestions)
    assert [s.rank for s in suggestions] == list(
        range(len(items) + 1, len(items) + len(suggestions) + 1)
    )
    eligible = [
        cid
        for cid in state.customers
        if cid not in listed
        and not (f"S{cid}" in state.snoozed and utc(state.snoozed[f"S{cid}"]) > utc(now))
        # reached after now (a clock set back): not "untouched"; top_up leaves them out
        and not (
            state.customers[cid].last_reached_at is not None
            and utc(state.customers[cid].last_reached_at) > utc(now)
        )
    ]
    assert len(suggestions) == min(len(eligible), wanted)


@FAST
@given(books(), st.integers(0, 8))
def test_every_item_is_worded_from_its_code_and_params(
    book: tuple[BookState, datetime], target: int
) -> None:
    """The scheduler says why as data; ui words every code it returns, and --json can carry
    the parameters."""
    state, now = book
    items = schedule(state, now)
    items += top_up(items, state, now, target)
    for item in items:
        assert item.kind in kinds.NAMES and item.key[0] == kinds.BY_NAME[item.kind].letter
        assert item.reason_code in words.REASON_CODES
        sentence = words.reason(item, now)
        assert sentence and "{" not in sentence and "\n" not in sentence
        params = words.reason_params(item.reason_params, now)
        assert json.loads(json.dumps(params)) == params
        for name, value in item.reason_params.items():
            if isinstance(value, datetime):  # instants in --json: ISO in the user's zone
                assert params[name] == value.astimezone(now.tzinfo).isoformat()
