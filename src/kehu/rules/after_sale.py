"""After a sale: the thank-you note (late after `thank_you_late_hours`) and the call-backs at
each milestone after delivery (7 days; 1, 3 and 6 calendar months by default)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, Step, utc
from kehu.rules.records import BookState, CustomerState, Draft, PurchaseState, Rules

THANK_YOU = BY_NAME["thank-you"]
CALL_BACK = BY_NAME["call-back"]
# More than any change of UTC offset: widens the bounds below so that they stay generous.
_OFFSET_SLACK = timedelta(hours=3)


class PurchaseFilter(NamedTuple):
    """Which delivered purchases can have a thank-you or call-back open at `now`.

    Lets a query layer leave out the rest: a superset, the exact test stays in `schedule`.
    - thank-you: delivered at or after `thanks_from` and before `thanks_until` (the end of
      today: a delivery booked for later today has its thank-you listed from the morning),
      and not thanked since delivery (nor since the start of its day, which `schedule` checks);
    - call-back: delivered in [start, end) of one of `callbacks`, and no reached contact
      other than a thank-you at or after `contacted_by` (the start of the day the latest
      window open for those deliveries opened)."""

    thanks_from: datetime
    thanks_until: datetime
    callbacks: tuple[tuple[datetime, datetime, datetime], ...]  # (start, end, contacted_by)


def purchase_filter(now: datetime, rules: Rules | None = None) -> PurchaseFilter:
    rules = rules or Rules()
    clock = LocalClock(now)
    plan = _call_back_plan(clock.today, rules)
    callbacks = []
    day = plan.oldest
    while day <= clock.today:
        windows = plan.candidates(day)
        if windows:
            opened = max(window.opens for window in windows)
            callbacks.append(
                (
                    clock.start(day) - _OFFSET_SLACK,
                    clock.start(day + timedelta(days=1)) + _OFFSET_SLACK,
                    clock.start(opened) + _OFFSET_SLACK,
                )
            )
        day += timedelta(days=1)
    thanks_from = clock.start(clock.today - timedelta(days=rules.thank_you_expire_days))
    thanks_until = clock.start(clock.today + timedelta(days=1))
    return PurchaseFilter(thanks_from - _OFFSET_SLACK, thanks_until, tuple(callbacks))


def after_sales(clock: LocalClock, state: BookState, rules: Rules) -> Iterator[Draft]:
    """Thank-you notes and call-backs, in one pass over the purchases."""
    plan = _call_back_plan(clock.today, rules)
    # Dates alone rule out most purchases: delivered long ago, or on a later day.
    thanks_from = clock.today - timedelta(days=rules.thank_you_expire_days)
    for purchase in state.purchases:
        delivered = clock.local(purchase.delivered_at)
        day = delivered.date()
        thanks = thanks_from <= day <= clock.today
        windows = plan.candidates(day)
        customer = state.customers.get(purchase.customer_id) if thanks or windows else None
        if customer is None:
            continue
        for window in windows:
            draft = _call_back(clock, rules, purchase, customer, delivered, window)
            if draft is not None:
                yield draft
        if thanks and (draft := _thank_you(clock, rules, purchase, customer)) is not None:
            yield draft


def _thank_you(
    clock: LocalClock, rules: Rules, purchase: PurchaseState, customer: CustomerState
) -> Draft | None:
    """Listed from the start of the delivery's day, due at delivery, late
    `thank_you_late_hours` later (after the day's end for a day without a time), dropped after
    `thank_you_expire_days`; a reached thank-you since the day started (the list showed it
    then) closes it."""
    delivered = purchase.delivered_at
    if clock.reached(customer.last_thanks_at, clock.start(clock.day_of(delivered))):
        return None
    if clock.is_past(clock.add_days(delivered, rules.thank_you_expire_days)):
        return None
    due = utc(delivered)
    late = thank_you_late(clock.local(delivered), rules)
    params = {"product": purchase.product, "delivered": due, "due_by": late}
    key = f"{THANK_YOU.letter}{purchase.id}"
    return Draft(key, THANK_YOU.name, customer, due, late, "thank-you", params)


def thank_you_late(delivered: datetime, rules: Rules) -> datetime:
    """When the thank-you of a delivery at `delivered` (local time) is late, in UTC:
    `thank_you_late_hours` after it. A delivery given as a day alone (stored at the start of
    that day) may have been at any hour of it: its hours count from the day's end on the
    local clock, so that the thank-you is late at the end of the next day (24 hours), not at
    the end of the day itself, nor an hour before or after that midnight when the clocks
    change in between."""
    late = timedelta(hours=rules.thank_you_late_hours)
    if delivered.time() != time(0):
        return utc(delivered) + late
    next_day = datetime.combine(delivered.date() + timedelta(days=1), time(0), delivered.tzinfo)
    return utc(next_day + late)  # an aware time plus a timedelta: on the wall clock


class _Window(NamedTuple):
    """One call-back milestone, as local dates for a given delivery date."""

    label: str  # 7d, 1m…
    steps: int  # how many units after delivery
    unit: str  # "day" | "month"
    milestone: date
    opens: date
    closes: date


@lru_cache(maxsize=4)
def _call_back_plan(today: date, rules: Rules) -> _CallBackPlan:
    """One plan per day and rules: `purchase_filter` and `schedule` share it."""
    return _CallBackPlan(today, rules)


class _CallBackPlan:
    """Milestone windows per local delivery date (memoised: many purchases share a date)."""

    def __init__(self, today: date, rules: Rules) -> None:
        self.today = today
        self.rules = rules
        last_window = timedelta(days=rules.callback_last_window_days)
        # A delivery before this day has had every window closed (one day to spare).
        self.oldest = self.today - timedelta(days=longest_milestone_days(rules) + 1) - last_window
        self._memo: dict[date, tuple[_Window, ...]] = {}

    def candidates(self, delivered: date) -> tuple[_Window, ...]:
        """Windows that, judged by dates alone, may contain now and be due by today."""
        windows = self._memo.get(delivered)
        if windows is None:
            windows = self._memo[delivered] = self._candidates(delivered)
        return windows

    def _candidates(self, delivered: date) -> tuple[_Window, ...]:
        if delivered < self.oldest or delivered > self.today:
            return ()
        return tuple(
            window
            for window in call_back_windows(delivered, self.rules)
            if window.opens <= self.today < window.closes and window.milestone <= self.today
        )


def longest_milestone_days(rules: Rules) -> int:
    """At most how many days after a delivery its last call-back milestone falls."""
    return max([*rules.callback_days, *(31 * n for n in rules.callback_months), 0])


def call_back_windows(delivered: date, rules: Rules) -> tuple[_Window, ...]:
    """Every call-back milestone of a delivery on that local date, with the days its window
    opens and closes: open from the start of the day `callback_early_days` before the
    milestone until the start of the day the next window opens (the last one
    `callback_last_window_days` after its milestone). Whole local days: a salesperson
    counts a call on the window's first day, whatever the delivery's time of day."""
    steps = [(n, "day", Step(days=n)) for n in rules.callback_days] + [
        (n, "month", Step(months=n)) for n in rules.callback_months
    ]
    if not steps:
        return ()
    milestones = sorted(
        (step.after(delivered), f"{count}{unit[0]}", count, unit) for count, unit, step in steps
    )
    opens = [milestone[0] - timedelta(days=rules.callback_early_days) for milestone in milestones]
    closes = [*opens[1:], milestones[-1][0] + timedelta(days=rules.callback_last_window_days)]
    return tuple(
        _Window(label, count, unit, day, start, end)
        for (day, label, count, unit), start, end in zip(milestones, opens, closes, strict=True)
    )


def _call_back(
    clock: LocalClock,
    rules: Rules,
    purchase: PurchaseState,
    customer: CustomerState,
    delivered: datetime,
    window: _Window,
) -> Draft | None:
    """Due at the milestone, late `callback_late_days` later; a reached contact other than a
    thank-you on or after the day the window opened closes it; missed from the day the next
    window opens. Listed by whole local days, as `call_back_windows` says."""
    at_time = delivered.time()
    # Only the current window matters, so any non-thank-you contact since it opened counts.
    other = customer.last_other_at
    if other is not None and clock.day_of(other) >= window.opens:
        return None
    if not window.opens <= clock.today < window.closes:
        return None
    due = utc(clock.at(window.milestone, at_time))
    late = utc(clock.at(window.milestone + timedelta(days=rules.callback_late_days), at_time))
    params = {
        "product": purchase.product,
        "delivered": utc(purchase.delivered_at),
        "milestone": window.label,
        "count": window.steps,
        "unit": window.unit,
    }
    key = f"{CALL_BACK.letter}{purchase.id}.{window.label}"
    return Draft(key, CALL_BACK.name, customer, due, late, "call-back", params)


class NextCallBack(NamedTuple):
    """The next call-back milestone still ahead of a customer."""

    day: date
    number: int  # of days or months after the delivery
    unit: str  # "day" | "month"
    purchase_id: int


def next_call_back(
    deliveries: Iterator[tuple[int, date]] | list[tuple[int, date]],
    today: date,
    rules: Rules,
    called_back: datetime | None = None,
) -> NextCallBack | None:
    """The earliest milestone after today over the (purchase id, local delivery day or time)
    given, leaving out one whose window already holds `called_back` (the customer's last
    reached contact other than a thank-you, local), as the daily list closes it."""

    def made(window: _Window) -> bool:
        return called_back is not None and called_back.date() >= window.opens

    ahead = [
        NextCallBack(window.milestone, window.steps, window.unit, purchase_id)
        for purchase_id, delivered in deliveries
        for window in call_back_windows(_day(delivered), rules)
        if window.milestone > today and not made(window)
    ]
    return min(ahead, default=None)


def _day(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
