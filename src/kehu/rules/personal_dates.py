"""Birthdays and the other dates that matter to a customer, on the daily list.

An item appears `occasion_lead_days` before the day (tier A: `occasion_lead_days_a`), is due on
the day, late from the day after, and gone a week after the day. A reached greeting logged on or
after the first day it was listed closes it. Its key is B and the occasion's id: B12.
The day each date is kept in a given year is rules/occasions.py's (lunar, leap month, day 30,
29 February).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.occasions import Occasion, event_params, lunar_of, next_occurrence
from kehu.rules.records import BookState, Draft, Rules

PERSONAL_DATE = BY_NAME["personal-date"]
GONE_AFTER_DAYS = 7
REASON = "personal-date"


def lead_days(tier: str, rules: Rules) -> int:
    return rules.occasion_lead_days_a if tier == "A" else rules.occasion_lead_days


def longest_lead(rules: Rules) -> int:
    return max(rules.occasion_lead_days, rules.occasion_lead_days_a)


def occurrence(occasion: Occasion, today: date, rules: Rules) -> date:
    """The day the date is kept that today's list is about: the first one not yet gone."""
    return next_occurrence(occasion, today - timedelta(days=GONE_AFTER_DAYS), feb29=rules.feb29)


def first_listed(occasion: Occasion, tier: str, today: date, rules: Rules) -> date:
    """The first morning the item about that day is listed: a greeting from then closes it."""
    return occurrence(occasion, today, rules) - timedelta(days=lead_days(tier, rules))


def personal_dates(clock: LocalClock, state: BookState, rules: Rules) -> Iterator[Draft]:
    today = clock.today
    for found in state.occasions:
        customer = state.customers.get(found.customer_id)
        if customer is None:
            continue
        day = occurrence(found.occasion, today, rules)
        first = first_listed(found.occasion, customer.tier, today, rules)
        if today < first:
            continue
        greeted = found.last_greeting_at
        if greeted is not None and clock.day_of(greeted) >= first:
            continue
        occasion = found.occasion
        params = {**event_params(occasion, day, feb29=rules.feb29), "note": found.note}
        yield Draft(
            f"{PERSONAL_DATE.letter}{found.id}", PERSONAL_DATE.name, customer,
            utc(clock.start(day)), utc(clock.start(day + timedelta(days=1))), REASON, params,
        )  # fmt: skip


def month_days(
    today: date, rules: Rules, *, lunar_too: bool = True
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(solar, lunar) month-days of the occasions that can make an item today: a superset,
    for a query to load only those (the rules above decide exactly). Without `lunar_too` the
    lunar set is empty, and the lunar calendar is not loaded (a quarter of a second)."""
    days = _window(today, rules)
    solar = {(d.month, d.day) for d in days}
    if (2, 28) in solar or (3, 1) in solar:
        solar.add((2, 29))  # kept on 28 February or 1 March in other years
    lunar: set[tuple[int, int]] = set()
    for d in days if lunar_too else ():
        month, number, _leap, length = lunar_of(d)
        lunar.add((month, number))  # a leap-month date is kept in the regular month too
        if number == length == 29:
            lunar.add((month, 30))  # day 30 is kept on day 29 in a short month
    return solar, lunar


def _window(today: date, rules: Rules) -> Iterable[date]:
    first = today - timedelta(days=GONE_AFTER_DAYS)
    return [first + timedelta(days=n) for n in range(GONE_AFTER_DAYS + longest_lead(rules) + 1)]
