"""What the scheduler reads (a book's state, the rules) and what it returns (items).

An item says why it is listed as data: a `reason_code` and its `reason_params` (instants in
UTC, local dates, product, milestone, counts, basis). ui/ words it; nothing here does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from types import MappingProxyType
from typing import Any, NamedTuple

from kehu.rules.kinds import RANK
from kehu.rules.localtime import utc
from kehu.rules.occasions import Occasion

Tier = str  # "A" | "B" | "C"
TIER_ORDER: Mapping[str, int] = {"A": 0, "B": 1, "C": 2}
DEFAULT_DAILY_TARGET = 10
Params = Mapping[str, Any]
DEFAULT_HOLIDAYS = ("new-year", "spring-festival", "lantern", "dragon-boat", "mid-autumn",
                    "national-day")  # fmt: skip


# ---------------------------------------------------------------------------- input


class CustomerState(NamedTuple):
    id: int
    name: str
    phone: str | None
    tier: str
    owner: str
    created_at: datetime
    last_reached_at: datetime | None  # latest contact with outcome reached, any kind
    last_other_at: datetime | None  # latest reached contact whose kind is not thank-you
    last_thanks_at: datetime | None  # latest reached contact of kind thank-you
    latest_delivery_at: datetime | None  # latest purchase delivered_at that is <= now
    attempts: int = 0  # no-answer attempts since last_reached_at


class PurchaseState(NamedTuple):
    """A purchase that has been delivered."""

    id: int
    customer_id: int
    product: str
    delivered_at: datetime


class PromiseState(NamedTuple):
    """An open promise (neither kept nor cancelled)."""

    id: int
    customer_id: int
    text: str
    due: datetime


class FollowUpState(NamedTuple):
    """An open manual "call again on ..." reminder."""

    id: int
    customer_id: int
    due: datetime
    note: str | None
    planned_at: datetime | None = None  # when it was planned (None: no matter)


class ComplaintState(NamedTuple):
    """A reached contact of kind complaint whose follow-up was not closed with `kehu done`."""

    contact_id: int
    customer_id: int
    at: datetime
    note: str | None


class ReferralState(NamedTuple):
    """A customer who was added as referred by another one."""

    referred_id: int
    referred_name: str
    referrer_id: int
    created_at: datetime


class OccasionState(NamedTuple):
    """A date of a customer's (rules/occasions.py), and the latest reached greeting with them
    that can be for it: not one logged for another of their dates or for a holiday."""

    id: int
    customer_id: int
    occasion: Occasion
    note: str | None
    last_greeting_at: datetime | None


class ProspectState(NamedTuple):
    """An open prospect (neither sold to nor lost), or one ordered: sold to, with nothing
    delivered yet (level O until the delivery's day, when the thank-you takes over)."""

    customer_id: int
    level: str  # one of vocab.LEVELS: the level in force (O while ordered)
    since: datetime  # the last reached contact, else the sale, else when registered
    expected_on: date | None  # the expected purchase time
    delivery: datetime | None = None  # ordered: the first booked delivery


class SnoozeState(NamedTuple):
    """A running snooze, and what the book holds about its item: enough for the rules to tell
    whether the item was closed since it was put off (rules/snoozes.py)."""

    key: str
    customer_id: int | None  # None: a snooze from before schema 6, its key alone
    until: datetime
    made_at: datetime  # when it was set
    # When a row says the item was closed: `kehu done`'s closed_item, a promise kept or
    # cancelled, a planned call done; None when none does.
    closed_at: datetime | None = None
    gone: bool = False  # the promise, planned call or purchase it puts off is deleted
    # A planned call's due, a thank-you's delivery: the contact its kind asks for closes it
    # from the start of that day (None for the other kinds; a thank-you not delivered yet).
    opens: datetime | None = None
    last_reached_at: datetime | None = None  # the customer's, as in CustomerState
    last_other_at: datetime | None = None
    last_thanks_at: datetime | None = None


class BookState(NamedTuple):
    customers: Mapping[int, CustomerState]  # active (not archived) customers by id
    purchases: Sequence[PurchaseState] = ()
    promises: Sequence[PromiseState] = ()
    followups: Sequence[FollowUpState] = ()
    complaints: Sequence[ComplaintState] = ()
    referrals: Sequence[ReferralState] = ()
    snoozed: Mapping[str, datetime] = MappingProxyType({})  # item key -> until
    # customer id -> the end of their latest snooze: left alone until then (frequency marks
    # and suggestions); promises and dated items keep their own snooze, by key.
    snoozed_customers: Mapping[int, datetime] = MappingProxyType({})
    occasions: Sequence[OccasionState] = ()
    # Open and ordered prospects by customer id: their own cadence, no after-sale frequency
    # marks.
    prospects: Mapping[int, ProspectState] = MappingProxyType({})
    # Lost prospects (never sold to): no frequency marks or suggestions either.
    lost_prospects: frozenset[int] = frozenset()
    holidays: Sequence[Any] = ()  # greetings.HolidayState: the greeting days in the lead window

    def is_snoozed(self, key: str, now_utc: datetime) -> bool:
        until = self.snoozed.get(key)
        return until is not None and utc(until) > now_utc

    def leaves_alone(self, customer_id: int, now_utc: datetime) -> bool:
        until = self.snoozed_customers.get(customer_id)
        return until is not None and utc(until) > now_utc


class Rules(NamedTuple):
    thank_you_late_hours: int = 24
    thank_you_expire_days: int = 30
    callback_days: tuple[int, ...] = (7,)
    callback_months: tuple[int, ...] = (1, 3, 6)
    callback_early_days: int = 3
    callback_late_days: int = 3
    callback_last_window_days: int = 30
    cooling_months: int = 2
    at_risk_months: int = 4
    keep_in_touch_days: int = 15  # tier A only; 0 switches it off
    keep_in_touch_jitter_days: int = 3  # the interval moves this much either way; 0: exact
    referral_late_days: int = 3
    referral_expire_days: int = 30
    complaint_followup_days: int = 3
    complaint_expire_days: int = 30
    daily_target: int = DEFAULT_DAILY_TARGET
    occasion_lead_days: int = 3  # a birthday or other date is listed this many days ahead
    occasion_lead_days_a: int = 7  # … for tier A
    rest_days: int = 7  # no care-only item for a customer reached in the last N days; 0: off
    feb29: str = "02-28"  # the day 29 February is kept in other years: "02-28" or "03-01"
    # Days between a prospect's contacts, by intent level.
    prospect_h_days: int = 2
    prospect_a_days: int = 4
    prospect_b_days: int = 7
    prospect_c_days: int = 15
    prospect_o_days: int = 3
    prospect_n_days: int = 15
    # 除夕 is off by default: the 春节 greeting, sent in the days before, covers the eve.
    holidays: tuple[str, ...] = DEFAULT_HOLIDAYS
    holiday_lead_days: int = 3
    holiday_country: str = "CN"  # CN: the Chinese greeting days; else also that country's


# --------------------------------------------------------------------------- output


class Item(NamedTuple):
    key: str  # stable: same data -> same key, whatever `now`
    kind: str  # one of kinds.NAMES
    customer_id: int
    customer_name: str
    phone: str | None
    tier: str
    owner: str
    due: datetime  # in now.tzinfo
    late_since: datetime | None  # None: this kind of item is never late
    reason_code: str  # what ui words: one of ui's reason codes
    reason_params: Params  # the facts the wording needs (README's JSON section lists them)
    attempts: int
    rank: int  # 1-based position in the sorted list

    def is_late(self, now: datetime) -> bool:
        return self.late_since is not None and utc(self.late_since) <= utc(now)

    def days_late(self, now: datetime) -> int:
        if self.late_since is None or not self.is_late(now):
            return 0
        # A promise is as many days late as days have begun since its due day: one due on a
        # day alone, late from that day's end, is 1 day late the day after.
        since = self.due if self.kind == "promise" else self.late_since
        return (now.date() - since.astimezone(now.tzinfo).date()).days


def late_only(items: Iterable[Item], now: datetime) -> list[Item]:
    """The late items, ranks kept."""
    return [item for item in items if item.is_late(now)]


class Draft(NamedTuple):
    """An item before ranking; due and late_since are UTC instants."""

    key: str
    kind: str
    customer: CustomerState
    due: datetime
    late_since: datetime | None
    reason_code: str
    reason_params: Params
    sub_rank: int = 0  # within a kind: a prospect's level (H before A before B…)

    def order(self, now: datetime) -> tuple[int, int, int, int, datetime, str]:
        late = self.late_since is not None and self.late_since <= now
        return (
            0 if late else 1,
            RANK[self.kind],
            self.sub_rank,
            TIER_ORDER.get(self.customer.tier, len(TIER_ORDER)),
            self.late_since if late and self.late_since is not None else self.due,
            self.key,
        )

    def item(self, rank: int, tz: tzinfo) -> Item:
        customer = self.customer
        return Item(
            key=self.key,
            kind=self.kind,
            customer_id=customer.id,
            customer_name=customer.name,
            phone=customer.phone,
            tier=customer.tier,
            owner=customer.owner,
            due=self.due.astimezone(tz),
            late_since=None if self.late_since is None else self.late_since.astimezone(tz),
            reason_code=self.reason_code,
            reason_params=self.reason_params,
            attempts=customer.attempts,
            rank=rank,
        )
