"""Holiday greetings on the daily list: an item per key customer (tier A), and for everyone else
one grouped item per greeting day, so that a holiday never floods the list.

A greeting day is the day of one or more enabled holidays (中秋 and 国庆 can share one). Its
items appear `holiday_lead_days` before it, are late on the day itself and go after it. A
reached contact of kind greeting from the lead day on closes a customer's greeting. The
holiday codes users type and see are those of rules/holidays.py with hyphens (mid-autumn).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from kehu.base import settings
from kehu.rules import holidays
from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import BookState, CustomerState, Draft, Rules

HOLIDAY, HOLIDAY_GROUP = BY_NAME["holiday"], BY_NAME["holiday-group"]
# The profile fact that opts a customer out of holiday greetings: `--set greetings=no`.
OPT_OUT_KEY, OPT_OUT_VALUE = "greetings", "no"

# The codes and other words for them live with the setting that names them (base/settings.py).
CODES = settings.HOLIDAY_CODES
WORDS = settings.HOLIDAY_WORDS
holiday_code = settings.holiday_code
checked_holidays = settings.checked_holidays


class GreetingDay(NamedTuple):
    day: date
    codes: tuple[str, ...]  # the holidays of that day (user codes, or "US:Thanksgiving Day")


class HolidayState(NamedTuple):
    """A greeting day in the lead window, as the book found it at `now`."""

    day: date
    codes: tuple[str, ...]
    key_customers: tuple[int, ...]  # tier A customers not yet greeted (not opted out)
    groups: Mapping[str, int]  # owner -> how many other customers are still to greet


def typed_name(code: str) -> str:
    """What to type for a holiday (`kehu greet …`): its code, or for another country's
    holiday its name as one word ("US:Thanksgiving Day" → thanksgiving-day)."""
    return _slug(code.partition(":")[2]) if ":" in code else code


def country_holiday(text: str, today: date, rules: Rules) -> tuple[str, date] | None:
    """The holiday of `rules.holiday_country` a user typed (Thanksgiving Day, thanksgiving-day,
    US:Thanksgiving Day, thanksgiving) and its next day within a year, or None."""
    wanted = _slug(text.partition(":")[2] if ":" in text else text)
    if not wanted:
        return None
    for day, code in upcoming(today, 366, rules):
        name = _slug(code.partition(":")[2]) if ":" in code else ""
        if name and wanted in (name, name.removesuffix("-day")):
            return code, day
    return None


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower().replace("'", "").replace("’", "")
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())


def greeting_days(today: date, rules: Rules) -> list[GreetingDay]:
    """The greeting days from today to today + the lead days, in date order."""
    found: dict[date, list[str]] = {}
    for day, code in upcoming(today, rules.holiday_lead_days, rules):
        found.setdefault(day, []).append(code)
    return [GreetingDay(day, tuple(codes)) for day, codes in sorted(found.items())]


def upcoming(today: date, days: int, rules: Rules) -> list[tuple[date, str]]:
    """The holidays greeted from today to today + days, (day, user code), in date order. A
    country the `holidays` package does not know (a hand-edited file) adds nothing."""
    enabled = {code.replace("-", "_") for code in rules.holidays}
    country = rules.holiday_country or None
    try:
        found = _upcoming(today, days, enabled, country)
    except ValueError:
        found = _upcoming(today, days, enabled, None)
    return [(day, code if ":" in code else code.replace("_", "-")) for day, code in found]


# The solar days each lunar holiday can fall on, a few days wider than it does over 1900-2100
# (tests/test_greetings.py checks): out of season the daily list computes no lunar date, and
# so does not load lunar_python, most days of the year.
LUNAR_SEASONS: Mapping[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "new_years_eve": ((1, 17), (2, 21)), "spring_festival": ((1, 18), (2, 22)),
    "lantern": ((2, 1), (3, 9)), "dragon_boat": ((5, 25), (6, 28)), "qixi": ((7, 28), (9, 1)),
    "mid_autumn": ((9, 4), (10, 11)), "double_ninth": ((9, 28), (11, 4)),
}  # fmt: skip


def _upcoming(today: date, lead: int, enabled: set[str], country: str | None) -> Any:
    if (country and country.upper() != holidays.HOME_COUNTRY) or any(
        _in_season(code, today, lead) for code in enabled & LUNAR_SEASONS.keys()
    ):
        return holidays.upcoming(today, lead, enabled, country=country)
    last = today + timedelta(days=lead)
    solar = enabled - LUNAR_SEASONS.keys()
    found = [(holidays.on(year, code), code) for year in range(today.year, last.year + 1)
             for code in solar]  # fmt: skip
    return sorted((day, code) for day, code in found if today <= day <= last)


def _in_season(code: str, today: date, lead: int) -> bool:
    first, last = LUNAR_SEASONS[code]
    if lead > 366:
        return True
    days = (today + timedelta(days=offset) for offset in range(lead + 1))
    return any(first <= (day.month, day.day) <= last for day in days)


def holidays_on(day: date) -> tuple[str, ...]:
    """The Chinese greeting days' holidays that fall on `day`, enabled or not (out of the
    lunar holidays' seasons, without computing a lunar date)."""
    return tuple(
        code.replace("_", "-") for _day, code in _upcoming(day, 0, set(holidays.CODES), None)
    )


def next_day_of(code: str, today: date) -> date:
    """The next day (today included) holiday `code` (a user code) falls on."""
    internal = code.replace("-", "_")
    day = holidays.on(today.year, internal)
    return day if day >= today else holidays.on(today.year + 1, internal)


def lead_day(day: date, rules: Rules) -> date:
    """From this day a greeting counts for the holiday on `day`."""
    return day - timedelta(days=rules.holiday_lead_days)


def group_key(day: date) -> str:
    return f"{HOLIDAY_GROUP.letter}{day:%Y%m%d}"


def customer_key(customer_id: int, day: date) -> str:
    return f"{HOLIDAY.letter}{customer_id}.{day:%Y%m%d}"


def day_of_key(suffix: str) -> date | None:
    """The greeting day a key's yyyymmdd names, or None when it is no date."""
    try:
        return date(int(suffix[:4]), int(suffix[4:6]), int(suffix[6:8]))
    except ValueError:
        return None


def holiday_greetings(clock: LocalClock, state: BookState, rules: Rules) -> Iterator[Draft]:
    """A greeting per key customer, and per owner one grouped greeting of the others."""
    for holiday in state.holidays:
        due = utc(clock.start(max(lead_day(holiday.day, rules), clock.today)))
        late = utc(clock.start(holiday.day))
        params = {"holidays": list(holiday.codes), "day": holiday.day}
        for customer_id in holiday.key_customers:
            customer = state.customers.get(customer_id)
            if customer is not None:
                key = customer_key(customer_id, holiday.day)
                yield Draft(key, HOLIDAY.name, customer, due, late, "holiday", params)
        for owner, count in sorted(holiday.groups.items()):
            if count:
                everyone = _nobody(owner, clock)
                yield Draft(group_key(holiday.day), HOLIDAY_GROUP.name, everyone, due, None,
                            "holiday-group", {**params, "count": count})  # fmt: skip


def _nobody(owner: str, clock: LocalClock) -> CustomerState:
    """The grouped item is about no one customer: id 0, no name."""
    return CustomerState(0, "", None, "", owner, clock.now, None, None, None, None)


def shown(codes: Sequence[str]) -> str:
    return ",".join(codes)
