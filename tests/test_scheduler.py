"""The follow-up rules of kehu.rules, rule by rule, at their boundaries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kehu.rules.kinds import NAMES as KINDS
from kehu.rules.kinds import RANK as KIND_ORDER
from kehu.rules.records import (
    BookState,
    ComplaintState,
    CustomerState,
    FollowUpState,
    Item,
    PromiseState,
    PurchaseState,
    ReferralState,
    Rules,
    late_only,
)
from kehu.rules.schedule import schedule, top_up
from kehu.ui import words

TZ = ZoneInfo("Asia/Shanghai")
LONG_AGO = datetime(2020, 1, 1, 9, 0, tzinfo=TZ)


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def customer(
    cid: int = 1,
    *,
    tier: str = "B",
    created: datetime = LONG_AGO,
    other: datetime | None = None,
    thanks: datetime | None = None,
    reached: datetime | None = None,
    delivery: datetime | None = None,
    attempts: int = 0,
) -> CustomerState:
    """A customer; last_reached_at is the latest of other/thanks unless given."""
    if reached is None:
        reached = max((m for m in (other, thanks) if m is not None), default=None)
    return CustomerState(
        id=cid,
        name=f"Customer {cid}",
        phone=f"1380000{cid:04d}",
        tier=tier,
        owner="wang",
        created_at=created,
        last_reached_at=reached,
        last_other_at=other,
        last_thanks_at=thanks,
        latest_delivery_at=delivery,
        attempts=attempts,
    )


def book(*customers: CustomerState, **rest: object) -> BookState:
    return BookState(customers={c.id: c for c in customers}, **rest)  # type: ignore[arg-type]


def keys(items: list[Item], prefix: str = "") -> list[str]:
    return [item.key for item in items if item.key.startswith(prefix)]


def said(item: Item, now: datetime) -> str:
    """Why the item is listed, as the daily list words it at `now`."""
    return words.reason(item, now)


def only(items: list[Item], key: str) -> Item:
    [item] = [item for item in items if item.key == key]
    return item


# ---------------------------------------------------------------------- thank-you

DELIVERED = at(2025, 3, 10, 15, 30)  # a Monday
GOLF = PurchaseState(id=7, customer_id=1, product="Golf 1.4T", delivered_at=DELIVERED)


def thank_you_book(**fields: datetime | None) -> BookState:
    return book(customer(delivery=DELIVERED, **fields), purchases=[GOLF])  # type: ignore[arg-type]


def test_thank_you_is_due_at_delivery_and_late_after_24_hours() -> None:
    now = DELIVERED + timedelta(hours=23, minutes=59)
    item = only(schedule(thank_you_book(), now), "T7")
    assert item.kind == "thank-you"
    assert item.due == DELIVERED
    assert item.late_since == DELIVERED + timedelta(hours=24)
    assert not item.is_late(now)
    assert item.days_late(now) == 0

    now = DELIVERED + timedelta(hours=24, minutes=1)
    item = only(schedule(thank_you_book(), now), "T7")
    assert item.is_late(now)
    assert item.days_late(now) == 0  # late since earlier today
    assert item.days_late(at(2025, 3, 12, 0, 0)) == 1
    assert only(schedule(thank_you_book(), DELIVERED + timedelta(hours=24)), "T7").is_late(
        DELIVERED + timedelta(hours=24)
    )


def test_thank_you_is_listed_from_the_start_of_the_delivery_day() -> None:
    assert keys(schedule(thank_you_book(), at(2025, 3, 9, 23, 59)), "T") == []
    morning = at(2025, 3, 10, 0, 0)
    item = only(schedule(thank_you_book(), morning), "T7")
    assert item.due == DELIVERED
    assert item.late_since == DELIVERED + timedelta(hours=24)
    assert not item.is_late(morning)
    assert keys(schedule(thank_you_book(), DELIVERED), "T") == ["T7"]


@pytest.mark.parametrize(
    "after", [-timedelta(hours=15, minutes=30), timedelta(0), timedelta(hours=2), timedelta(days=3)]
)
def test_thank_you_is_done_by_a_thank_you_on_or_after_the_delivery_day(after: timedelta) -> None:
    now = DELIVERED + timedelta(days=4)
    assert keys(schedule(thank_you_book(thanks=DELIVERED + after), now), "T") == []


def test_thank_you_is_not_done_by_a_thank_you_before_its_day_or_another_contact() -> None:
    now = DELIVERED + timedelta(days=1)
    the_day_before = at(2025, 3, 9, 23, 59)
    assert keys(schedule(thank_you_book(thanks=the_day_before), now), "T") == ["T7"]
    other = DELIVERED + timedelta(hours=1)
    assert keys(schedule(thank_you_book(other=other), now), "T") == ["T7"]


def test_thank_you_expires_after_30_days() -> None:
    expiry = DELIVERED + timedelta(days=30)
    assert keys(schedule(thank_you_book(), expiry - timedelta(seconds=1)), "T") == ["T7"]
    assert keys(schedule(thank_you_book(), expiry), "T") == []


def test_thank_you_reason_uses_relative_days() -> None:
    now = at(2025, 3, 11, 10, 0)
    item = only(schedule(thank_you_book(), now), "T7")
    assert said(item, now) == (
        "Delivered Golf 1.4T yesterday 15:30 — the thank-you note is due by today 15:30"
    )
    now = at(2025, 3, 13, 10, 0)
    item = only(schedule(thank_you_book(), now), "T7")
    assert said(item, now) == (
        "Delivered Golf 1.4T Mon 10 Mar 15:30 — the thank-you note was due by Tue 11 Mar 15:30"
    )
    now = DELIVERED + timedelta(hours=1)
    assert said(only(schedule(thank_you_book(), now), "T7"), now) == (
        "Delivered Golf 1.4T today 15:30 — the thank-you note is due by tomorrow 15:30"
    )


# ---------------------------------------------------------------------- call-back

SOLD = at(2025, 1, 10, 15, 30)
THANKED = SOLD + timedelta(hours=1)
CAR = PurchaseState(id=3, customer_id=1, product="Golf 1.4T", delivered_at=SOLD)
# label, milestone, the moment its window closes: the start of the day the next one opens
MILESTONES = [
    ("7d", at(2025, 1, 17, 15, 30), at(2025, 2, 7)),
    ("1m", at(2025, 2, 10, 15, 30), at(2025, 4, 7)),
    ("3m", at(2025, 4, 10, 15, 30), at(2025, 7, 7)),
    ("6m", at(2025, 7, 10, 15, 30), at(2025, 8, 9)),
]


def call_backs(
    now: datetime, *, other: datetime | None = None, thanks: datetime = THANKED
) -> list[Item]:
    state = book(customer(thanks=thanks, other=other, delivery=SOLD), purchases=[CAR])
    return [item for item in schedule(state, now) if item.kind == "call-back"]


@pytest.mark.parametrize(("label", "milestone", "closes"), MILESTONES)
def test_call_back_is_listed_from_its_milestone_day(
    label: str, milestone: datetime, closes: datetime
) -> None:
    key = f"C3.{label}"
    assert keys(call_backs(milestone - timedelta(days=1))) == []
    morning = milestone.replace(hour=9)
    [item] = call_backs(morning)
    assert item.key == key
    assert item.due == milestone
    assert item.late_since == milestone + timedelta(days=3)
    assert not item.is_late(morning)
    assert keys(call_backs(milestone + timedelta(days=1))) == [key]


@pytest.mark.parametrize(("label", "milestone", "closes"), MILESTONES)
def test_call_back_is_late_exactly_three_days_after_its_milestone(
    label: str, milestone: datetime, closes: datetime
) -> None:
    late = milestone + timedelta(days=3)
    [item] = call_backs(late - timedelta(seconds=1))
    assert not item.is_late(late - timedelta(seconds=1))
    [item] = call_backs(late)
    assert item.is_late(late)


@pytest.mark.parametrize(("label", "milestone", "closes"), MILESTONES)
def test_call_back_counts_a_contact_from_the_start_of_the_day_three_days_early(
    label: str, milestone: datetime, closes: datetime
) -> None:
    """Whole local days: any time of the window's first day counts, before the delivery's
    time of day too; the day before does not."""
    now = milestone + timedelta(days=1)
    first_day = (milestone - timedelta(days=3)).replace(hour=0, minute=0)
    assert call_backs(now, other=milestone - timedelta(days=3)) == []
    assert call_backs(now, other=first_day) == []
    assert call_backs(now, other=first_day.replace(hour=10)) == []
    assert keys(call_backs(now, other=milestone - timedelta(days=4))) == [f"C3.{label}"]
    assert keys(call_backs(now, other=first_day - timedelta(seconds=1))) == [f"C3.{label}"]


@pytest.mark.parametrize(("label", "milestone", "closes"), MILESTONES)
def test_call_back_is_missed_once_its_window_closes(
    label: str, milestone: datetime, closes: datetime
) -> None:
    assert keys(call_backs(closes - timedelta(seconds=1))) == [f"C3.{label}"]
    # The next milestone is three days away when its window opens, at the start of that day.
    assert call_backs(closes) == []
    assert call_backs(closes.replace(hour=10)) == []


@pytest.mark.parametrize(("label", "milestone", "closes"), MILESTONES)
def test_call_back_is_not_done_by_a_thank_you(
    label: str, milestone: datetime, closes: datetime
) -> None:
    now = milestone + timedelta(days=1)
    items = call_backs(now, thanks=milestone - timedelta(hours=2))
    assert keys(items) == [f"C3.{label}"]


def test_call_back_done_by_a_contact_inside_the_window_only_closes_that_window() -> None:
    called = at(2025, 1, 18, 10, 0)  # inside the 7-day window
    assert call_backs(at(2025, 1, 20), other=called) == []
    assert keys(call_backs(at(2025, 2, 10, 16), other=called)) == ["C3.1m"]


@pytest.mark.parametrize(
    ("sold", "one_month"),
    [
        (at(2025, 1, 31, 11, 0), at(2025, 2, 28, 11, 0)),
        (at(2024, 1, 31, 11, 0), at(2024, 2, 29, 11, 0)),
    ],
)
def test_call_back_months_are_calendar_months(sold: datetime, one_month: datetime) -> None:
    purchase = PurchaseState(id=5, customer_id=1, product="Polo", delivered_at=sold)
    state = book(customer(thanks=sold, delivery=sold), purchases=[purchase])
    assert keys(schedule(state, one_month - timedelta(days=1)), "C") == []
    item = only(schedule(state, one_month.replace(hour=8)), "C5.1m")
    assert item.due == one_month
    assert item.late_since == one_month + timedelta(days=3)


def test_call_back_reason_and_one_item_per_purchase() -> None:
    [item] = call_backs(now := at(2025, 2, 11, 9))
    assert said(item, now) == "Bought Golf 1.4T on 10 Jan — 1-month call-back (how is it going?)"
    [item] = call_backs(now := at(2025, 1, 18, 9))
    assert said(item, now) == "Bought Golf 1.4T on 10 Jan — 7-day call-back (how is it going?)"
    [item] = call_backs(at(2025, 6, 16, 9))
    assert item.key == "C3.3m"
    assert call_backs(at(2026, 1, 10)) == []


def test_call_back_milestones_follow_the_rules() -> None:
    rules = Rules(callback_days=(2,), callback_months=(2,), callback_early_days=1)
    state = book(customer(thanks=THANKED, delivery=SOLD), purchases=[CAR])
    assert keys(schedule(state, at(2025, 1, 12, 16), rules), "C") == ["C3.2d"]
    assert keys(schedule(state, at(2025, 3, 10, 16), rules), "C") == ["C3.2m"]


# ------------------------------------------------------------------------ promise

NOW = at(2025, 11, 26, 10, 0)  # a Wednesday


def promise_items(due: datetime, now: datetime = NOW) -> list[Item]:
    promise = PromiseState(id=4, customer_id=1, text="send the brochure", due=due)
    return [
        item
        for item in schedule(book(customer(), promises=[promise]), now)
        if item.kind == "promise"
    ]


def test_promise_is_due_then_late_at_its_due_time() -> None:
    due = at(2025, 11, 26, 18, 0)
    [item] = promise_items(due)
    assert (item.key, item.kind, item.due, item.late_since) == ("P4", "promise", due, due)
    assert not item.is_late(NOW)
    assert said(item, NOW) == "Promised: send the brochure — due today 18:00"
    [item] = promise_items(due, now=due)
    assert item.is_late(due)
    assert said(item, due) == "Promised: send the brochure — due since today 18:00"
    [item] = promise_items(due, now=due - timedelta(seconds=1))
    assert not item.is_late(due - timedelta(seconds=1))


def test_promise_due_tomorrow_is_not_listed() -> None:
    assert promise_items(at(2025, 11, 27, 0, 0)) == []
    assert keys(promise_items(at(2025, 11, 26, 23, 59, 59))) == ["P4"]


def test_promise_with_only_a_date_shows_no_time() -> None:
    [item] = promise_items(at(2025, 11, 26, 23, 59, 59))
    assert said(item, NOW) == "Promised: send the brochure — due today"
    [item] = promise_items(at(2025, 11, 24, 23, 59, 59))
    assert said(item, NOW) == "Promised: send the brochure — due since Mon 24 Nov"
    assert item.days_late(NOW) == 2
    [item] = promise_items(at(2024, 12, 30, 23, 59, 59), now=(now := at(2025, 1, 2, 9)))
    assert said(item, now) == "Promised: send the brochure — due since Mon 30 Dec 2024"


# ---------------------------------------------------------------------- follow-up


def followup_items(note: str | None = "trade-in", **fields: datetime) -> list[Item]:
    followup = FollowUpState(id=9, customer_id=1, due=at(2025, 11, 26), note=note)
    state = book(customer(**fields), followups=[followup])  # type: ignore[arg-type]
    return [item for item in schedule(state, NOW) if item.kind == "follow-up"]


def test_follow_up_is_due_on_its_day_and_late_the_day_after() -> None:
    followup = FollowUpState(id=9, customer_id=1, due=at(2025, 11, 26), note="trade-in")
    state = book(customer(), followups=[followup])
    assert keys(schedule(state, at(2025, 11, 25, 23, 59)), "F") == []
    item = only(schedule(state, NOW), "F9")
    assert (item.kind, item.due, item.late_since) == (
        "follow-up",
        at(2025, 11, 26),
        at(2025, 11, 27),
    )
    assert not item.is_late(NOW)
    assert said(item, NOW) == "Call back as planned: trade-in"
    assert only(schedule(state, at(2025, 11, 27)), "F9").is_late(at(2025, 11, 27))


def test_follow_up_is_done_by_any_reached_contact_from_its_day() -> None:
    assert followup_items(other=at(2025, 11, 26)) == []
    assert followup_items(thanks=at(2025, 11, 26, 9)) == []
    assert keys(followup_items(other=at(2025, 11, 25, 23, 59, 59))) == ["F9"]


def test_follow_up_reason_without_note() -> None:
    assert said(only(followup_items(note=None), "F9"), NOW) == "Call back as planned"


# ---------------------------------------------------------------------- complaint

COMPLAINED = at(2025, 11, 20, 10, 0)
COMPLAINT = ComplaintState(contact_id=11, customer_id=1, at=COMPLAINED, note="engine noise")


def complaint_items(now: datetime, **fields: object) -> list[Item]:
    fields.setdefault("other", COMPLAINED)  # the complaint is itself a reached contact
    state = book(customer(**fields), complaints=[COMPLAINT])  # type: ignore[arg-type]
    return [item for item in schedule(state, now) if item.kind == "complaint-follow-up"]


def test_complaint_follow_up_is_due_after_three_days_and_late_a_day_later() -> None:
    assert complaint_items(at(2025, 11, 22, 23, 59)) == []
    [item] = complaint_items(at(2025, 11, 23, 9))
    assert (item.key, item.due) == ("X11", at(2025, 11, 23, 10))
    assert item.late_since == at(2025, 11, 24, 10)
    assert not item.is_late(at(2025, 11, 24, 9, 59))
    assert item.is_late(at(2025, 11, 24, 10))
    assert (
        said(item, at(2025, 11, 23, 9))
        == "Complained on 20 Nov: engine noise — call to check it is resolved"
    )


def test_complaint_follow_up_is_done_only_by_a_contact_on_or_after_its_day() -> None:
    now = at(2025, 11, 24)
    assert keys(complaint_items(now, other=COMPLAINED)) == ["X11"]
    # The call that books the repair, the same day or the next, does not check it is solved.
    assert keys(complaint_items(now, other=COMPLAINED + timedelta(hours=1))) == ["X11"]
    assert keys(complaint_items(now, other=at(2025, 11, 22, 23, 59))) == ["X11"]
    # Any reached contact from the day it is due does (a thank-you too).
    assert complaint_items(now, other=at(2025, 11, 23, 0, 0)) == []
    assert complaint_items(now, thanks=at(2025, 11, 23, 9)) == []


def test_complaint_follow_up_expires_after_30_days() -> None:
    expiry = COMPLAINED + timedelta(days=30)
    assert keys(complaint_items(expiry - timedelta(seconds=1))) == ["X11"]
    assert complaint_items(expiry) == []


# ----------------------------------------------------------------------- referral

REFERRED = at(2025, 11, 20, 10, 0)
REFERRAL = ReferralState(referred_id=2, referred_name="Li Lei", referrer_id=1, created_at=REFERRED)


def referral_items(now: datetime, *customers: CustomerState) -> list[Item]:
    state = book(*(customers or (customer(),)), referrals=[REFERRAL])
    return [item for item in schedule(state, now) if item.kind == "referral-thanks"]


def test_referral_thanks_goes_to_the_referrer() -> None:
    assert referral_items(REFERRED - timedelta(seconds=1)) == []
    [item] = referral_items(REFERRED)
    assert (item.key, item.customer_id, item.due) == ("R2", 1, REFERRED)
    assert item.late_since == at(2025, 11, 23, 10)
    assert said(item, REFERRED) == "Referred Li Lei on 20 Nov — thank them"
    assert not item.is_late(at(2025, 11, 23, 9, 59))
    assert item.is_late(at(2025, 11, 23, 10))


def test_referral_thanks_is_done_by_a_thank_you_from_its_creation() -> None:
    now = at(2025, 11, 22)
    assert referral_items(now, customer(thanks=REFERRED)) == []
    assert keys(referral_items(now, customer(thanks=REFERRED - timedelta(seconds=1)))) == ["R2"]
    assert keys(referral_items(now, customer(other=REFERRED + timedelta(hours=1)))) == ["R2"]


def test_referral_thanks_expires_and_needs_the_referrer() -> None:
    assert keys(referral_items(REFERRED + timedelta(days=30, seconds=-1))) == ["R2"]
    assert referral_items(REFERRED + timedelta(days=30)) == []
    assert referral_items(at(2025, 11, 21), customer(cid=2)) == []


# ---------------------------------------------------------------------- frequency


def frequency(now: datetime, *customers: CustomerState, rules: Rules | None = None) -> list[Item]:
    """The list at `now`; keep-in-touch exactly at its interval unless `rules` says otherwise."""
    return schedule(book(*customers), now, rules or Rules(keep_in_touch_jitter_days=0))


def test_keep_in_touch_moves_a_few_days_per_customer_and_period_the_same_every_morning() -> None:
    """Tier A's keep-in-touch comes 12 to 18 days after the last contact (15 ± 3), seeded by
    the customer and the base day: asked again, the same morning lists the same."""

    def first_days(base: datetime) -> dict[int, int]:
        found = {}
        for cid in range(1, 41):
            state = book(customer(cid=cid, tier="A", other=base))
            days = [
                n for n in range(10, 21)
                if keys(schedule(state, base + timedelta(days=n, hours=-9)), "K")
            ]  # fmt: skip
            assert days == list(range(days[0], 21))  # listed from its day on
            again = [
                n for n in range(10, 21)
                if keys(schedule(state, base + timedelta(days=n, hours=-9)), "K")
            ]  # fmt: skip
            assert again == days
            found[cid] = days[0]
        return found

    march, april = first_days(at(2025, 3, 1, 18)), first_days(at(2025, 4, 1, 18))
    assert set(march.values()) == set(april.values()) == set(range(12, 19))
    assert march != april  # the next period gets its own shift


@pytest.mark.parametrize(
    ("base", "first_day"),
    [
        (at(2024, 12, 31, 18), at(2025, 2, 28)),
        (at(2023, 12, 31, 18), at(2024, 2, 29)),
        (at(2024, 2, 29, 18), at(2024, 4, 29)),
        (at(2024, 8, 31, 18), at(2024, 10, 31)),
    ],
)
def test_cooling_from_two_calendar_months(base: datetime, first_day: datetime) -> None:
    c = customer(other=base)
    assert frequency(first_day - timedelta(seconds=1), c) == []
    [item] = frequency(first_day, c)
    assert (item.key, item.kind, item.due, item.late_since) == ("W1", "cooling", first_day, None)
    assert not item.is_late(first_day + timedelta(days=40))
    assert item.days_late(first_day + timedelta(days=40)) == 0


@pytest.mark.parametrize(
    ("base", "first_day"),
    [
        (at(2024, 10, 31, 18), at(2025, 2, 28)),
        (at(2023, 10, 31, 18), at(2024, 2, 29)),
        (at(2024, 2, 29, 18), at(2024, 6, 29)),
    ],
)
def test_at_risk_from_four_calendar_months_supersedes_cooling(
    base: datetime, first_day: datetime
) -> None:
    c = customer(other=base)
    assert keys(frequency(first_day - timedelta(seconds=1), c)) == ["W1"]
    [item] = frequency(first_day, c)
    assert (item.key, item.kind, item.due) == ("A1", "at-risk", first_day)
    assert keys(frequency(first_day + timedelta(days=400), c)) == ["A1"]


def test_frequency_reasons() -> None:
    now = at(2025, 3, 1, 9)
    [item] = frequency(now, customer(other=at(2024, 12, 31, 18)))
    assert said(item, now) == "No contact for 2 months (last reached 31 Dec 2024)"
    [item] = frequency(now, customer(created=at(2024, 10, 12, 18)))
    assert said(item, now) == "No contact for 4 months — at risk of leaving (added 12 Oct 2024)"
    [item] = frequency(now, customer(created=LONG_AGO, delivery=at(2024, 9, 1)))
    assert said(item, now) == "No contact for 6 months — at risk of leaving (delivery 1 Sep 2024)"
    [item] = frequency(at(2025, 3, 16, 9), customer(tier="A", other=at(2025, 3, 1, 18)))
    assert (
        said(item, at(2025, 3, 16, 9))
        == "Key customer: 15 days since last contact (last reached 1 Mar)"
    )


def test_frequency_base_is_the_latest_of_reached_delivery_and_added() -> None:
    now = at(2025, 3, 1, 9)
    assert frequency(now, customer(other=LONG_AGO, delivery=at(2025, 1, 2))) == []
    assert frequency(now, customer(created=at(2025, 1, 2))) == []
    assert keys(frequency(now, customer(other=at(2024, 12, 31), delivery=at(2024, 11, 1)))) == [
        "W1"
    ]


def test_no_answer_attempts_do_not_move_the_base_and_are_carried() -> None:
    c = customer(other=at(2024, 12, 31, 18), attempts=3)
    [item] = frequency(at(2025, 2, 28, 9), c)
    assert (item.key, item.attempts) == ("W1", 3)


def test_keep_in_touch_is_for_key_customers_at_15_days() -> None:
    base = at(2025, 3, 1, 18)
    key_customer = customer(tier="A", other=base)
    assert frequency(at(2025, 3, 15, 23, 59), key_customer) == []
    [item] = frequency(at(2025, 3, 16), key_customer)
    assert (item.key, item.kind, item.due, item.late_since) == (
        "K1",
        "keep-in-touch",
        at(2025, 3, 16),
        None,
    )
    assert frequency(at(2025, 3, 16), customer(tier="B", other=base)) == []
    assert frequency(at(2025, 3, 16), key_customer, rules=Rules(keep_in_touch_days=0)) == []
    assert keys(frequency(at(2025, 5, 1), key_customer)) == ["W1"]


def test_frequency_is_suppressed_by_another_item_for_the_customer() -> None:
    promise = PromiseState(id=1, customer_id=1, text="call about insurance", due=at(2025, 3, 3))
    state = book(customer(other=LONG_AGO), customer(2, other=LONG_AGO), promises=[promise])
    assert keys(schedule(state, at(2025, 3, 3, 9))) == ["P1", "A2"]


# ------------------------------------------------------------------ snooze, archive


def test_snooze_hides_an_item_until_its_time() -> None:
    promise = PromiseState(id=1, customer_id=1, text="call back", due=at(2025, 3, 3, 9))
    until = at(2025, 3, 3, 14)
    state = book(customer(other=at(2025, 3, 1)), promises=[promise], snoozed={"P1": until})
    assert schedule(state, at(2025, 3, 3, 13, 59)) == []
    assert keys(schedule(state, until)) == ["P1"]


def test_snoozing_a_frequency_item_does_not_fall_back_to_a_weaker_one() -> None:
    state = book(customer(other=LONG_AGO), snoozed={"A1": at(2025, 4, 1)})
    assert schedule(state, at(2025, 3, 3)) == []
    assert keys(schedule(state, at(2025, 4, 1))) == ["A1"]


def test_items_of_archived_customers_are_skipped() -> None:
    sold = at(2025, 3, 1, 10)
    state = book(
        customer(1, other=at(2025, 3, 2)),
        purchases=[PurchaseState(1, 2, "Polo", sold)],
        promises=[PromiseState(1, 2, "call", sold)],
        followups=[FollowUpState(1, 2, sold, None)],
        complaints=[ComplaintState(1, 2, sold, None)],
        referrals=[ReferralState(3, "Han Meimei", 2, sold)],
    )
    assert schedule(state, at(2025, 3, 5)) == []


# -------------------------------------------------------------------------- order


def test_order_late_first_then_kind_then_tier_then_longest_late() -> None:
    now = at(2025, 6, 10, 12)
    recent = at(2025, 6, 9)
    state = book(
        customer(1, tier="A", other=recent),
        customer(2, tier="B", other=recent),
        customer(3, tier="C", other=recent),
        customer(4, tier="C", other=at(2025, 1, 1)),
        customer(5, tier="A", other=at(2025, 4, 1)),
        customer(6, tier="A", other=at(2025, 5, 1)),
        promises=[
            PromiseState(1, 3, "late, tier C", at(2025, 6, 9, 9)),
            PromiseState(2, 1, "later today, tier A", at(2025, 6, 10, 18)),
            PromiseState(3, 2, "late for long, tier B", at(2025, 6, 1, 9)),
            PromiseState(4, 2, "late for a while, tier B", at(2025, 6, 8, 9)),
        ],
        purchases=[PurchaseState(1, 1, "Polo", at(2025, 6, 8, 9))],
        followups=[FollowUpState(1, 3, at(2025, 6, 10), "today")],
    )
    items = schedule(state, now)
    assert keys(items) == ["P3", "P4", "P1", "T1", "P2", "F1", "A4", "K6", "W5"]
    assert [item.rank for item in items] == list(range(1, 10))
    assert [item.key for item in late_only(items, now)] == ["P3", "P4", "P1", "T1"]
    assert [item.rank for item in late_only(items, now)] == [1, 2, 3, 4]


def test_kind_order_constants() -> None:
    assert list(KIND_ORDER) == list(KINDS)
    assert KINDS[-1] == "suggestion"


# ------------------------------------------------------------------------- top-up


def test_top_up_suggests_the_longest_untouched_customers() -> None:
    now = at(2025, 3, 10, 9)
    state = book(
        customer(1, other=at(2025, 3, 1)),
        customer(2, tier="C", other=at(2025, 2, 1)),
        customer(3, tier="A", other=at(2025, 2, 1)),
        customer(4, created=at(2025, 1, 3)),
        customer(5, other=at(2025, 3, 2), delivery=at(2025, 3, 5)),
        customer(6, other=at(2025, 3, 9)),
        snoozed={"S6": at(2025, 3, 11)},
    )
    listed: list[Item] = []
    suggestions = top_up(listed, state, now, target=4)
    assert keys(suggestions) == ["S4", "S3", "S2", "S1"]
    assert [s.rank for s in suggestions] == [1, 2, 3, 4]
    first = suggestions[0]
    assert (first.kind, first.due, first.late_since) == ("suggestion", at(2025, 3, 10), None)
    assert said(first, now) == "No follow-up due — never reached, added 3 Jan"
    assert said(suggestions[1], now) == "No follow-up due — last reached 1 Feb"
    assert top_up(listed, state, now, target=10)[-1].key == "S5"
    assert len(top_up(listed, state, now, target=10)) == 5
    assert top_up(listed, state, now, target=0) == []


def test_top_up_fills_after_the_items_and_skips_their_customers() -> None:
    now = at(2025, 3, 10, 9)
    promise = PromiseState(1, 1, "call", at(2025, 3, 10, 8))
    state = book(
        customer(1, created=at(2024, 12, 1)),
        customer(2, other=at(2025, 3, 1)),
        customer(3, other=at(2025, 2, 1)),
        promises=[promise],
    )
    items = schedule(state, now)
    assert keys(items) == ["P1"]
    suggestions = top_up(items, state, now, target=2)
    assert [(s.key, s.rank) for s in suggestions] == [("S3", 2)]
    assert top_up(items, state, now, target=1) == []
    assert keys(top_up(items, state, now, target=5)) == ["S3", "S2"]


# ------------------------------------------------------------------ daylight saving

NEW_YORK = ZoneInfo("America/New_York")  # clocks go forward 9 Mar 2025, back 2 Nov 2025


def ny(month: int, day: int, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, fold=fold, tzinfo=NEW_YORK)


def test_days_are_calendar_days_and_hours_are_elapsed_hours_across_dst() -> None:
    sold = ny(3, 8, 15, 30)
    purchase = PurchaseState(id=1, customer_id=1, product="Polo", delivered_at=sold)
    state = book(customer(delivery=sold), purchases=[purchase])
    thank_you = only(schedule(state, ny(3, 9, 12)), "T1")
    assert thank_you.late_since == ny(3, 9, 16, 30)  # 24 hours later, an hour ahead on the clock
    state = book(customer(delivery=sold, thanks=sold), purchases=[purchase])
    call_back = only(schedule(state, ny(3, 15, 9)), "C1.7d")
    assert (call_back.due.hour, call_back.due.minute) == (15, 30)
    assert call_back.due == ny(3, 15, 15, 30)


def test_a_milestone_in_the_skipped_hour_is_due_an_hour_later() -> None:
    sold = ny(3, 2, 2, 30)
    purchase = PurchaseState(id=1, customer_id=1, product="Polo", delivered_at=sold)
    state = book(customer(delivery=sold, thanks=sold), purchases=[purchase])
    item = only(schedule(state, ny(3, 9, 12)), "C1.7d")
    assert item.due == ny(3, 9, 3, 30)
    assert item.due.utcoffset() == timedelta(hours=-4)


def test_the_repeated_hour_is_compared_as_instants() -> None:
    first_pass = ny(11, 2, 1, 30)  # EDT
    second_pass = ny(11, 2, 1, 15, fold=1)  # EST: later, though the clock shows less
    purchase = PurchaseState(id=1, customer_id=1, product="Polo", delivered_at=first_pass)
    state = book(customer(delivery=first_pass), purchases=[purchase])
    [item] = schedule(state, second_pass)
    assert item.key == "T1"
    promise = PromiseState(id=1, customer_id=1, text="call", due=first_pass)
    [item] = schedule(book(customer(other=ny(11, 1, 9)), promises=[promise]), second_pass)
    assert item.is_late(second_pass)
    assert said(item, second_pass) == "Promised: call — due since today 01:30"
