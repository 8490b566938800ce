"""Who to contact today, and why: the follow-up rules as one pure function.

`schedule(state, now, rules)` turns plain data about a customer book into the list of
follow-ups that are open and due by the end of today, ranked. Nothing here touches a
database, the clock or the console: `now` is a parameter and "today" is `now.date()` in
`now.tzinfo` (the user's configured time zone).

Time conventions:
- "N hours" is elapsed time; "N days" and "N months" are calendar steps on the local wall
  clock of `now.tzinfo` (a 7-day call-back after a 15:30 delivery is at 15:30 local time,
  even across a daylight-saving change).
- Aware datetimes that share a tzinfo object compare by wall clock, ignoring `fold`, which
  is wrong in the repeated hour when daylight saving ends. So moments are compared by
  their local dates when those differ (cheap, and the common case when looping over a
  whole book) and as UTC instants only when they fall on the same local day.
"""

from __future__ import annotations

import heapq
from calendar import monthrange
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

Tier = str  # "A" | "B" | "C"

KINDS = (
    "promise",
    "follow-up",
    "thank-you",
    "complaint-follow-up",
    "call-back",
    "referral-thanks",
    "at-risk",
    "keep-in-touch",
    "cooling",
    "suggestion",
)
KIND_ORDER: Mapping[str, int] = {kind: index for index, kind in enumerate(KINDS)}
TIER_ORDER: Mapping[str, int] = {"A": 0, "B": 1, "C": 2}
DEFAULT_DAILY_TARGET = 10


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


class ComplaintState(NamedTuple):
    """A contact of kind complaint."""

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


class BookState(NamedTuple):
    customers: Mapping[int, CustomerState]  # active (not archived) customers by id
    purchases: Sequence[PurchaseState] = ()
    promises: Sequence[PromiseState] = ()
    followups: Sequence[FollowUpState] = ()
    complaints: Sequence[ComplaintState] = ()
    referrals: Sequence[ReferralState] = ()
    snoozed: Mapping[str, datetime] = MappingProxyType({})  # item key -> until


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
    referral_late_days: int = 3
    referral_expire_days: int = 30
    complaint_followup_days: int = 3
    complaint_expire_days: int = 30
    daily_target: int = DEFAULT_DAILY_TARGET


# --------------------------------------------------------------------------- output


class Item(NamedTuple):
    key: str  # stable: same data -> same key, whatever `now`
    kind: str  # one of KINDS
    customer_id: int
    customer_name: str
    phone: str | None
    tier: str
    owner: str
    due: datetime  # in now.tzinfo
    late_since: datetime | None  # None: this kind of item is never late
    reason: str
    attempts: int
    rank: int  # 1-based position in the sorted list

    def is_late(self, now: datetime) -> bool:
        return self.late_since is not None and _utc(self.late_since) <= _utc(now)

    def days_late(self, now: datetime) -> int:
        if self.late_since is None or not self.is_late(now):
            return 0
        return (now.date() - self.late_since.astimezone(now.tzinfo).date()).days


def late_only(items: Iterable[Item], now: datetime) -> list[Item]:
    """The late items, ranks kept."""
    return [item for item in items if item.is_late(now)]


# ------------------------------------------------------------------------ public API


def schedule(state: BookState, now: datetime, rules: Rules | None = None) -> list[Item]:
    """The open follow-ups due by the end of today, ranked (1 = most urgent)."""
    rules = rules or Rules()
    clock = _Clock(now)
    found = [
        draft
        for source in (
            _promises(clock, state),
            _followups(clock, state),
            _after_sales(clock, state, rules),
            _complaints(clock, state, rules),
            _referrals(clock, state, rules),
        )
        for draft in source
        if not _snoozed(state, draft.key, clock)
    ]
    busy = {draft.customer.id for draft in found}
    found.extend(
        draft
        for draft in _frequency(clock, state, rules, busy)
        if not _snoozed(state, draft.key, clock)
    )
    found.sort(key=lambda draft: draft.order(clock.now))
    return [draft.item(rank, clock.tz) for rank, draft in enumerate(found, start=1)]


def frequency_cuts(now: datetime, rules: Rules | None = None) -> tuple[datetime, datetime]:
    """(cut, cut for tier A): a customer can get an at-risk, cooling or keep-in-touch item only
    when their creation, last reached contact and latest delivery all lie before the cut.
    Lets a query layer leave out the customers who cannot have one."""
    frequency = _Frequency(_Clock(now), rules or Rules())
    return frequency.cut, frequency.cut_a


# More than any change of UTC offset: widens the bounds below so that they stay generous.
_OFFSET_SLACK = timedelta(hours=3)


class PurchaseFilter(NamedTuple):
    """Which delivered purchases can have a thank-you or call-back open at `now`.

    Lets a query layer leave out the rest: a superset, the exact test stays in `schedule`.
    - thank-you: delivered at or after `thanks_from` and not thanked since delivery;
    - call-back: delivered in [start, end) of one of `callbacks`, and no reached contact
      other than a thank-you at or after `contacted_by` (by then every window open for those
      deliveries has opened)."""

    thanks_from: datetime
    callbacks: tuple[tuple[datetime, datetime, datetime], ...]  # (start, end, contacted_by)


def purchase_filter(now: datetime, rules: Rules | None = None) -> PurchaseFilter:
    rules = rules or Rules()
    clock = _Clock(now)
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
                    clock.start(opened + timedelta(days=1)) + _OFFSET_SLACK,
                )
            )
        day += timedelta(days=1)
    thanks_from = clock.start(clock.today - timedelta(days=rules.thank_you_expire_days))
    return PurchaseFilter(thanks_from - _OFFSET_SLACK, tuple(callbacks))


def top_up(
    items: Sequence[Item],
    state: BookState,
    now: datetime,
    target: int = DEFAULT_DAILY_TARGET,
) -> list[Item]:
    """Suggestions to reach `target` contacts today: the longest untouched customers first."""
    wanted = target - len(items)
    if wanted <= 0:
        return []
    clock = _Clock(now)
    listed = {item.customer_id for item in items}
    candidates = (
        customer
        for customer in state.customers.values()
        if customer.id not in listed and not _snoozed(state, f"S{customer.id}", clock)
    )
    chosen = heapq.nsmallest(wanted, candidates, key=lambda c: _untouched_order(c, clock))
    due = _utc(clock.start(clock.today))
    first_rank = max((item.rank for item in items), default=0) + 1
    drafts = [
        _Draft(f"S{c.id}", "suggestion", c, due, None, _suggestion_reason(c, clock)) for c in chosen
    ]
    return [draft.item(rank, clock.tz) for rank, draft in enumerate(drafts, start=first_rank)]


# ------------------------------------------------------------------------- internals


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:  # stored instants arrive in UTC: no conversion, no new object
        return moment
    return moment.astimezone(UTC)


class _Clock:
    """`now`, and moments on the local calendar of its time zone."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        self.tz: tzinfo = now.tzinfo
        self.local_now = now
        self.now = _utc(now)
        # "Due by the end of today" is tested as "due on a local date <= today".
        self.today = now.date()

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is self.tz:  # the common case, and much cheaper than astimezone
            return moment
        return moment.astimezone(self.tz)

    def day_of(self, moment: datetime) -> date:
        return self.local(moment).date()

    def before(self, first: datetime, second: datetime) -> bool:
        """first < second, as instants."""
        first_day, second_day = self.day_of(first), self.day_of(second)
        if first_day != second_day:
            return first_day < second_day
        return _utc(first) < _utc(second)

    def reached(self, moment: datetime | None, since: datetime) -> bool:
        """moment is set and at or after since."""
        return moment is not None and not self.before(moment, since)

    def is_past(self, moment: datetime) -> bool:
        """moment <= now."""
        return not self.before(self.local_now, moment)

    def passed(self, day: date, clock_time: time) -> bool:
        """The local moment `clock_time` on `day` is at or before now."""
        if day != self.today:
            return day < self.today
        return _utc(self.at(day, clock_time)) <= self.now

    def since(self, moment: datetime | None, day: date, clock_time: time) -> bool:
        """moment is set and at or after the local moment `clock_time` on `day`."""
        if moment is None:
            return False
        moment_day = self.day_of(moment)
        if moment_day != day:
            return moment_day > day
        return _utc(moment) >= _utc(self.at(day, clock_time))

    def at(self, day: date, clock_time: time) -> datetime:
        """A local wall-clock moment (in a skipped hour it means the hour after)."""
        return datetime.combine(day, clock_time, tzinfo=self.tz)

    def start(self, day: date) -> datetime:
        return self.at(day, time())

    def add_days(self, moment: datetime, days: int) -> datetime:
        return self.local(moment) + timedelta(days=days)

    def when(self, moment: datetime) -> str:
        """'today 15:30', 'yesterday', 'Mon 23 Nov 15:30' ..., relative to today."""
        local = self.local(moment)
        offset = (local.date() - self.today).days
        word = _RELATIVE_DAYS.get(offset) or (
            f"{_WEEKDAYS[local.weekday()]} {_day_text(local.date(), self.today)}"
        )
        return f"{word} {local:%H:%M}" if _has_time(local) else word

    def day(self, moment: datetime) -> str:
        return _day_text(self.day_of(moment), self.today)


_RELATIVE_DAYS = {-1: "yesterday", 0: "today", 1: "tomorrow"}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Date-only values are stored at the start or the very end of their day.
_NO_TIME = (time(0, 0), time(23, 59, 59))


def _has_time(local: datetime) -> bool:
    return local.time().replace(microsecond=0, fold=0) not in _NO_TIME


def _day_text(day: date, today: date) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


class _Draft(NamedTuple):
    """An item before ranking; due and late_since are UTC instants."""

    key: str
    kind: str
    customer: CustomerState
    due: datetime
    late_since: datetime | None
    reason: str

    def order(self, now: datetime) -> tuple[int, int, int, datetime, str]:
        late = self.late_since is not None and self.late_since <= now
        return (
            0 if late else 1,
            KIND_ORDER[self.kind],
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
            reason=self.reason,
            attempts=customer.attempts,
            rank=rank,
        )


def _snoozed(state: BookState, key: str, clock: _Clock) -> bool:
    until = state.snoozed.get(key)
    return until is not None and _utc(until) > clock.now


# ------------------------------------------------------------- one rule per function


def _promises(clock: _Clock, state: BookState) -> Iterator[_Draft]:
    for promise in state.promises:
        customer = state.customers.get(promise.customer_id)
        if customer is None or clock.day_of(promise.due) > clock.today:
            continue
        due = _utc(promise.due)
        when = clock.when(due)
        reason = (
            f"Promised: {promise.text} — due since {when}"
            if due <= clock.now
            else f"Promised: {promise.text} — due {when}"
        )
        yield _Draft(f"P{promise.id}", "promise", customer, due, due, reason)


def _followups(clock: _Clock, state: BookState) -> Iterator[_Draft]:
    for followup in state.followups:
        customer = state.customers.get(followup.customer_id)
        if customer is None:
            continue
        due_day = clock.day_of(followup.due)
        if due_day > clock.today:
            continue
        # Any reached contact on or after the planned day does what was planned.
        reached = customer.last_reached_at
        if reached is not None and clock.day_of(reached) >= due_day:
            continue
        late = _utc(clock.start(due_day + timedelta(days=1)))
        note = f": {followup.note}" if followup.note else ""
        reason = f"Call back as planned{note}"
        yield _Draft(f"F{followup.id}", "follow-up", customer, _utc(followup.due), late, reason)


def _thank_you(
    clock: _Clock, rules: Rules, purchase: PurchaseState, customer: CustomerState
) -> _Draft | None:
    delivered = purchase.delivered_at
    if not clock.is_past(delivered) or clock.reached(customer.last_thanks_at, delivered):
        return None
    if clock.is_past(clock.add_days(delivered, rules.thank_you_expire_days)):
        return None
    due = _utc(delivered)
    late = due + timedelta(hours=rules.thank_you_late_hours)
    verb = "was" if late <= clock.now else "is"
    reason = (
        f"Delivered {purchase.product} {clock.when(due)}"
        f" — the thank-you note {verb} due by {clock.when(late)}"
    )
    return _Draft(f"T{purchase.id}", "thank-you", customer, due, late, reason)


def _complaints(clock: _Clock, state: BookState, rules: Rules) -> Iterator[_Draft]:
    wait = rules.complaint_followup_days
    for complaint in state.complaints:
        customer = state.customers.get(complaint.customer_id)
        if customer is None:
            continue
        at = complaint.at
        if clock.day_of(at) + timedelta(days=wait) > clock.today:
            continue
        if clock.is_past(clock.add_days(at, rules.complaint_expire_days)):
            continue
        # The complaint is itself a reached contact, so only a later one closes it.
        if customer.last_other_at is not None and clock.before(at, customer.last_other_at):
            continue
        note = f": {complaint.note}" if complaint.note else ""
        reason = f"Complained on {clock.day(at)}{note} — call to check it is resolved"
        due = _utc(clock.add_days(at, wait))
        late = _utc(clock.add_days(at, wait + 1))
        yield _Draft(f"X{complaint.contact_id}", "complaint-follow-up", customer, due, late, reason)


def _referrals(clock: _Clock, state: BookState, rules: Rules) -> Iterator[_Draft]:
    for referral in state.referrals:
        referrer = state.customers.get(referral.referrer_id)
        created = referral.created_at
        # A referral recorded after `now` has not happened yet as far as `now` knows.
        if referrer is None or not clock.is_past(created):
            continue
        if clock.is_past(clock.add_days(created, rules.referral_expire_days)):
            continue
        if clock.reached(referrer.last_thanks_at, created):
            continue
        late = _utc(clock.add_days(created, rules.referral_late_days))
        reason = f"Referred {referral.referred_name} on {clock.day(created)} — thank them"
        key = f"R{referral.referred_id}"
        yield _Draft(key, "referral-thanks", referrer, _utc(created), late, reason)


# ---------------------------------------------------------------------- call-backs


class _Window(NamedTuple):
    """One call-back milestone, as local dates for a given delivery date."""

    label: str
    milestone: date
    opens: date
    closes: date


class _Step(NamedTuple):
    """A calendar step: whole months, then days. As dateutil's relativedelta counts them (a
    month's end clamps: 31 Jan + 1 month is 28 Feb), at a fraction of the cost per date."""

    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        if self.months:
            year, month = divmod(day.year * 12 + day.month - 1 + self.months, 12)
            month += 1
            day = date(year, month, min(day.day, monthrange(year, month)[1]))
        return day + timedelta(days=self.days)


@lru_cache(maxsize=4)
def _call_back_plan(today: date, rules: Rules) -> _CallBackPlan:
    """One plan per day and rules: `purchase_filter` and `schedule` share it."""
    return _CallBackPlan(today, rules)


class _CallBackPlan:
    """Milestone windows per local delivery date (memoised: many purchases share a date)."""

    def __init__(self, today: date, rules: Rules) -> None:
        self.today = today
        self.early = timedelta(days=rules.callback_early_days)
        self.last_window = timedelta(days=rules.callback_last_window_days)
        self.steps = [(f"{n}d", _Step(days=n)) for n in rules.callback_days] + [
            (f"{n}m", _Step(months=n)) for n in rules.callback_months
        ]
        longest = max([*rules.callback_days, *(31 * n for n in rules.callback_months), 0])
        # A delivery before this day has had every window closed (one day to spare).
        self.oldest = self.today - timedelta(days=longest + 1) - self.last_window
        self._memo: dict[date, tuple[_Window, ...]] = {}

    def candidates(self, delivered: date) -> tuple[_Window, ...]:
        """Windows that, judged by dates alone, may contain now and be due by today."""
        windows = self._memo.get(delivered)
        if windows is None:
            windows = self._memo[delivered] = self._candidates(delivered)
        return windows

    def _candidates(self, delivered: date) -> tuple[_Window, ...]:
        if not self.steps or delivered < self.oldest or delivered > self.today:
            return ()
        milestones = sorted((step.after(delivered), label) for label, step in self.steps)
        opens = [day - self.early for day, _ in milestones]
        closes = [*opens[1:], milestones[-1][0] + self.last_window]
        return tuple(
            _Window(label, day, start, end)
            for (day, label), start, end in zip(milestones, opens, closes, strict=True)
            if start <= self.today <= end and day <= self.today
        )


_STEP_NAMES = {"d": "day", "m": "month"}


def _after_sales(clock: _Clock, state: BookState, rules: Rules) -> Iterator[_Draft]:
    """Thank-you notes and call-backs, in one pass over the purchases."""
    plan = _call_back_plan(clock.today, rules)
    # Dates alone rule out most purchases: delivered long ago, or not yet.
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


def _call_back(
    clock: _Clock,
    rules: Rules,
    purchase: PurchaseState,
    customer: CustomerState,
    delivered: datetime,
    window: _Window,
) -> _Draft | None:
    at_time = delivered.time()
    # Only the current window matters, so any non-thank-you contact since it opened counts.
    if clock.since(customer.last_other_at, window.opens, at_time):
        return None
    if not clock.passed(window.opens, at_time) or clock.passed(window.closes, at_time):
        return None
    due = _utc(clock.at(window.milestone, at_time))
    late = _utc(clock.at(window.milestone + timedelta(days=rules.callback_late_days), at_time))
    count, unit = window.label[:-1], _STEP_NAMES[window.label[-1]]
    reason = (
        f"Bought {purchase.product} on {_day_text(delivered.date(), clock.today)}"
        f" — {count}-{unit} call-back (how is it going?)"
    )
    return _Draft(f"C{purchase.id}.{window.label}", "call-back", customer, due, late, reason)


# ----------------------------------------------------------------------- frequency


class _Base(NamedTuple):
    """When the relationship was last refreshed (the latest of added, delivery, reached)."""

    moment: datetime
    day: date  # local
    basis: str  # "added" | "delivery" | "last reached"


def _base(customer: CustomerState, clock: _Clock) -> _Base:
    base, day, basis = customer.created_at, clock.day_of(customer.created_at), "added"
    for moment, label in (
        (customer.latest_delivery_at, "delivery"),
        (customer.last_reached_at, "last reached"),
    ):
        if moment is None:
            continue
        moment_day = clock.day_of(moment)
        if moment_day > day or (moment_day == day and _utc(moment) >= _utc(base)):
            base, day, basis = moment, moment_day, label
    return _Base(base, day, basis)


def _latest_base(today: date, step: _Step) -> date:
    """The latest base date whose mark (base + step) falls on or before today."""
    # base -> base + months is monotone but not invertible (31 Dec and 28 Dec both reach
    # 28 Feb), so step forward from the plain inverse.
    base = _Step(-step.months, -step.days).after(today)
    while step.after(base + timedelta(days=1)) <= today:
        base += timedelta(days=1)
    return base


class _Mark(NamedTuple):
    kind: str
    prefix: str
    step: _Step
    latest_base: date  # a customer whose base date is on or before this has reached the mark
    tier_a_only: bool


class _Frequency:
    """The frequency marks for one call: thresholds computed once, dates memoised."""

    def __init__(self, clock: _Clock, rules: Rules) -> None:
        self.clock = clock
        marks = [
            ("at-risk", "A", _Step(months=rules.at_risk_months), False),
            ("cooling", "W", _Step(months=rules.cooling_months), False),
        ]
        if rules.keep_in_touch_days > 0:
            step = _Step(days=rules.keep_in_touch_days)
            marks.append(("keep-in-touch", "K", step, True))
        self.marks = [
            _Mark(kind, prefix, step, _latest_base(clock.today, step), tier_a_only)
            for kind, prefix, step, tier_a_only in marks
        ]
        self.cut = self._cut(tier_a=False)
        self.cut_a = self._cut(tier_a=True)
        self._dues: dict[tuple[date, str], datetime] = {}
        self._reasons: dict[tuple[date, str, str], str] = {}

    def _cut(self, tier_a: bool) -> datetime:
        """Local midnight after the latest base date that reaches any mark, in UTC."""
        latest = max(mark.latest_base for mark in self.marks if tier_a or not mark.tier_a_only)
        return _utc(self.clock.start(latest + timedelta(days=1)))

    def might_list(self, customer: CustomerState) -> bool:
        """Cheap test: every moment that could be the base is old enough for some mark."""
        # Instants before a local midnight are exactly those on earlier local dates; against
        # a cut in UTC, moments in UTC (as the book stores them) compare without conversion.
        cut = self.cut_a if customer.tier == "A" else self.cut
        reached, delivered = customer.last_reached_at, customer.latest_delivery_at
        return (
            (reached is None or reached < cut)
            and (delivered is None or delivered < cut)
            and customer.created_at < cut
        )

    def draft(self, customer: CustomerState) -> _Draft | None:
        base = _base(customer, self.clock)
        base_day, basis = base.day, base.basis
        for mark in self.marks:
            if base_day <= mark.latest_base and (customer.tier == "A" or not mark.tier_a_only):
                key = f"{mark.prefix}{customer.id}"
                reason = self._reason(mark, base_day, basis)
                return _Draft(key, mark.kind, customer, self._due(mark, base_day), None, reason)
        return None

    def _due(self, mark: _Mark, base_day: date) -> datetime:
        due = self._dues.get((base_day, mark.kind))
        if due is None:
            due = _utc(self.clock.start(mark.step.after(base_day)))
            self._dues[base_day, mark.kind] = due
        return due

    def _reason(self, mark: _Mark, base_day: date, basis: str) -> str:
        reason = self._reasons.get((base_day, mark.kind, basis))
        if reason is None:
            reason = self._reasons[base_day, mark.kind, basis] = self._explain(
                mark, base_day, basis
            )
        return reason

    def _explain(self, mark: _Mark, base_day: date, basis: str) -> str:
        today = self.clock.today
        since = f"({basis} {_day_text(base_day, today)})"
        if mark.kind == "keep-in-touch":
            return f"Key customer: {(today - base_day).days} days since last contact {since}"
        months = _whole_months(base_day, today)
        text = f"No contact for {months} month{'' if months == 1 else 's'}"
        if mark.kind == "at-risk":
            text += " — at risk of leaving"
        return f"{text} {since}"


def _whole_months(start: date, end: date) -> int:
    """Calendar months from start to end, as relativedelta counts them (31 Dec -> 28 Feb: 2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    # start + months lands in end's month, on start's day or that month's last day.
    if min(start.day, monthrange(end.year, end.month)[1]) > end.day:
        months -= 1
    return months


def _frequency(clock: _Clock, state: BookState, rules: Rules, busy: set[int]) -> Iterator[_Draft]:
    frequency = _Frequency(clock, rules)
    for customer in state.customers.values():
        # Contacting the customer for their other item resolves this one too.
        if customer.id in busy or not frequency.might_list(customer):
            continue
        draft = frequency.draft(customer)
        if draft is not None:
            yield draft


def _untouched_order(customer: CustomerState, clock: _Clock) -> tuple[datetime, int, int]:
    """Longest without a reached contact first, then by tier and id."""
    tier = TIER_ORDER.get(customer.tier, len(TIER_ORDER))
    return _utc(_base(customer, clock).moment), tier, customer.id


def _suggestion_reason(customer: CustomerState, clock: _Clock) -> str:
    base = _base(customer, clock)
    detail = {"added": "added", "delivery": "delivered"}.get(base.basis, base.basis)
    never = "never reached, " if customer.last_reached_at is None else ""
    return f"No follow-up due — {never}{detail} {_day_text(base.day, clock.today)}"
