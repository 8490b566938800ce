"""Keeping in touch: at-risk, cooling and keep-in-touch marks for customers who have gone
quiet, and suggestions to top the list up to the daily target.

A tier-A customer's keep-in-touch interval moves by up to `keep_in_touch_jitter_days` either way
(rules/jitter.py), seeded by the customer and the day the quiet time counts from: the same
morning always gives the same list, and the next interval gets its own shift."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from kehu.rules.jitter import jitter_days
from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, Step, utc, whole_months
from kehu.rules.records import (
    DEFAULT_DAILY_TARGET,
    TIER_ORDER,
    BookState,
    CustomerState,
    Draft,
    Item,
    Params,
    Rules,
)
from kehu.rules.rest import rest_cut, resting

AT_RISK, COOLING, KEEP_IN_TOUCH = BY_NAME["at-risk"], BY_NAME["cooling"], BY_NAME["keep-in-touch"]
SUGGESTION, HOLIDAY_GROUP = BY_NAME["suggestion"], BY_NAME["holiday-group"]
# What the quiet time counts from: the latest delivery or the last reached contact, whichever
# is latest; when the customer was added only if they have neither.
ADDED, DELIVERY, LAST_REACHED = "added", "delivery", "last-reached"


def frequency_cuts(now: datetime, rules: Rules | None = None) -> tuple[datetime, datetime]:
    """(cut, cut for tier A): a customer can get an at-risk, cooling or keep-in-touch item only
    when their last reached contact and latest delivery lie before the cut, and so does their
    creation if they have neither.
    Lets a query layer leave out the customers who cannot have one."""
    frequency = _Frequency(LocalClock(now), rules or Rules())
    return frequency.cut, frequency.cut_a


def frequency(clock: LocalClock, state: BookState, rules: Rules, busy: set[int]) -> Iterator[Draft]:
    marks = _Frequency(clock, rules)
    for customer in state.customers.values():
        # Contacting the customer for their other item resolves this one too.
        if customer.id in busy or not marks.might_list(customer):
            continue
        draft = marks.draft(customer)
        if draft is not None:
            yield draft


def top_up(
    items: Sequence[Item],
    state: BookState,
    now: datetime,
    target: int = DEFAULT_DAILY_TARGET,
    *,
    rest_days: int = 0,
) -> list[Item]:
    """Suggestions to reach `target` customers to contact today: the longest untouched
    customers first, none reached in the last `rest_days` days (rules/rest.py)."""
    wanted = target - customers_listed(items)
    if wanted <= 0:
        return []
    clock = LocalClock(now)
    listed = {item.customer_id for item in items}
    letter = SUGGESTION.letter
    cut = rest_cut(clock, rest_days)
    now_utc = utc(clock.now)
    candidates = (
        customer
        for customer in state.customers.values()
        if customer.id not in listed
        and customer.id not in state.prospects
        and customer.id not in state.lost_prospects
        and not state.is_snoozed(f"{letter}{customer.id}", clock.now)
        and not state.leaves_alone(customer.id, clock.now)
        and not resting(customer, cut)
        # reached after now (a clock set back): not "untouched"
        and not (customer.last_reached_at is not None and utc(customer.last_reached_at) > now_utc)
    )
    chosen = heapq.nsmallest(wanted, candidates, key=lambda c: _untouched_order(c, clock))
    due = utc(clock.start(clock.today))
    first_rank = max((item.rank for item in items), default=0) + 1
    drafts = [
        Draft(f"{letter}{c.id}", SUGGESTION.name, c, due, None, "untouched",
              _untouched_params(c, clock))
        for c in chosen
    ]  # fmt: skip
    return [draft.item(rank, clock.tz) for rank, draft in enumerate(drafts, start=first_rank)]


def customers_listed(items: Sequence[Item]) -> int:
    """How many customers the items ask to contact, towards the daily target: a customer with
    several items is one contact; a grouped holiday greeting is no one customer."""
    return len({item.customer_id for item in items if item.kind != HOLIDAY_GROUP.name})


class _Base(NamedTuple):
    """When the relationship was last refreshed (the latest of added, delivery, reached)."""

    moment: datetime
    day: date  # local
    basis: str  # ADDED | DELIVERY | LAST_REACHED


def _base(customer: CustomerState, clock: LocalClock) -> _Base:
    """The latest of the delivery and the reached contact; when the customer was added only
    for a customer with neither (a customer typed in with back-dated history is as quiet as
    that history says)."""
    found: _Base | None = None
    for moment, label in (
        (customer.latest_delivery_at, DELIVERY),
        (customer.last_reached_at, LAST_REACHED),
    ):
        if moment is None:
            continue
        moment_day = clock.day_of(moment)
        if (
            found is None
            or moment_day > found.day
            or (moment_day == found.day and utc(moment) >= utc(found.moment))
        ):
            found = _Base(moment, moment_day, label)
    if found is None:
        return _Base(customer.created_at, clock.day_of(customer.created_at), ADDED)
    return found


def latest_base(today: date, step: Step) -> date:
    """The latest base date whose mark (base + step) falls on or before today: a customer
    quiet since that day or earlier has reached the mark (`report health` counts so too)."""
    # base -> base + months is monotone but not invertible (31 Dec and 28 Dec both reach
    # 28 Feb), so step forward from the plain inverse.
    base = Step(-step.months, -step.days).after(today)
    while step.after(base + timedelta(days=1)) <= today:
        base += timedelta(days=1)
    return base


class _Mark(NamedTuple):
    kind: str
    letter: str
    step: Step
    latest_base: date  # a customer whose base date is on or before this has reached the mark
    tier_a_only: bool
    spread: int = 0  # days either way the mark moves per customer and period (rules/jitter.py)


class _Frequency:
    """The frequency marks for one call: thresholds computed once, dates memoised."""

    def __init__(self, clock: LocalClock, rules: Rules) -> None:
        self.clock = clock
        marks = [
            (AT_RISK, Step(months=rules.at_risk_months), False),
            (COOLING, Step(months=rules.cooling_months), False),
        ]
        if rules.keep_in_touch_days > 0:
            marks.append((KEEP_IN_TOUCH, Step(days=rules.keep_in_touch_days), True))
        self.marks = [
            _Mark(kind.name, kind.letter, step, latest_base(clock.today, step), tier_a_only)
            for kind, step, tier_a_only in marks
        ]
        if rules.keep_in_touch_days > 0 and rules.keep_in_touch_jitter_days > 0:
            # Relationship calls should not feel like a timetable: each customer's interval
            # moves by a few days, the same for the same customer and base day. The mark's
            # latest base is the most lenient one, so the cut below lets every such customer in.
            spread = min(rules.keep_in_touch_jitter_days, rules.keep_in_touch_days - 1)
            soonest = Step(days=rules.keep_in_touch_days - spread)
            self.marks[-1] = self.marks[-1]._replace(
                latest_base=latest_base(clock.today, soonest), spread=spread
            )
        self.cut = self._cut(tier_a=False)
        self.cut_a = self._cut(tier_a=True)
        self._dues: dict[tuple[date, str], datetime] = {}
        self._params: dict[tuple[date, str, str], Params] = {}

    def _cut(self, tier_a: bool) -> datetime:
        """Local midnight after the latest base date that reaches any mark, in UTC."""
        latest = max(mark.latest_base for mark in self.marks if tier_a or not mark.tier_a_only)
        return utc(self.clock.start(latest + timedelta(days=1)))

    def might_list(self, customer: CustomerState) -> bool:
        """Cheap test: every moment that could be the base is old enough for some mark."""
        # Instants before a local midnight are exactly those on earlier local dates; against
        # a cut in UTC, moments in UTC (as the book stores them) compare without conversion.
        cut = self.cut_a if customer.tier == "A" else self.cut
        reached, delivered = customer.last_reached_at, customer.latest_delivery_at
        return (
            (reached is None or reached < cut)
            and (delivered is None or delivered < cut)
            and (reached is not None or delivered is not None or customer.created_at < cut)
        )

    def draft(self, customer: CustomerState) -> Draft | None:
        base = _base(customer, self.clock)
        base_day, basis = base.day, base.basis
        for mark in self.marks:
            if base_day <= mark.latest_base and (customer.tier == "A" or not mark.tier_a_only):
                key = f"{mark.letter}{customer.id}"
                if mark.spread:
                    shift = jitter_days(customer.id, base_day.toordinal(), spread=mark.spread)
                    mark_day = base_day + timedelta(days=mark.step.days + shift)
                    if mark_day > self.clock.today:
                        continue
                    due = utc(self.clock.start(mark_day))
                else:
                    due = self._due(mark, base_day)
                code, params = self._reason(mark, base_day, basis)
                return Draft(key, mark.kind, customer, due, None, code, params)
        return None

    def _due(self, mark: _Mark, base_day: date) -> datetime:
        due = self._dues.get((base_day, mark.kind))
        if due is None:
            due = utc(self.clock.start(mark.step.after(base_day)))
            self._dues[base_day, mark.kind] = due
        return due

    def _reason(self, mark: _Mark, base_day: date, basis: str) -> tuple[str, Params]:
        """Shared by every customer with the same base day and basis (read only)."""
        params = self._params.get((base_day, mark.kind, basis))
        if params is None:
            today = self.clock.today
            if mark.kind == KEEP_IN_TOUCH.name:
                count = {"days": (today - base_day).days}
            else:
                count = {"months": whole_months(base_day, today)}
            params = {"basis": basis, "since": base_day, **count}
            self._params[base_day, mark.kind, basis] = params
        return _REASON_CODES[mark.kind], params


_REASON_CODES = {AT_RISK.name: "at-risk", COOLING.name: "quiet", KEEP_IN_TOUCH.name: "key-quiet"}


def _untouched_order(customer: CustomerState, clock: LocalClock) -> tuple[datetime, int, int]:
    """Longest without a reached contact first, then by tier and id."""
    tier = TIER_ORDER.get(customer.tier, len(TIER_ORDER))
    return utc(_base(customer, clock).moment), tier, customer.id


def _untouched_params(customer: CustomerState, clock: LocalClock) -> Params:
    base = _base(customer, clock)
    return {
        "basis": base.basis,
        "since": base.day,
        "never_reached": customer.last_reached_at is None,
    }
