"""The dates that matter to a customer (birthdays, anniversaries) and when each next falls.

Rules, each the custom and each tested:
- A lunar date is kept in the lunar year of its celebration; a late-year date (腊月) of one lunar
  year is celebrated in January or February of the next solar year, and is found there.
- A birthday in a leap month (闰月) is kept in that leap month in years that have it, otherwise in
  the regular month of the same number.
- A regular-month date is kept in the regular month, also in years that repeat that month.
- Day 30 of a lunar month that has only 29 days that year is kept on day 29.
- 29 February is kept on 28 February in other years, or on 1 March (`feb29=MARCH_1`).
- An occasion with a known year is not celebrated before its own date (a wedding set for next
  year is first kept on the day itself).

lunar_python (astronomical, 1800–3000) is imported only where a lunar date is converted.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

KINDS = ("birthday", "wedding", "child-birthday", "company", "other")
CALENDARS = ("solar", "lunar")
FEBRUARY_28 = "02-28"
MARCH_1 = "03-01"
FEB29_RULES = (FEBRUARY_28, MARCH_1)


@dataclass(frozen=True)
class Occasion:
    """A yearly date of a customer's: `leap` marks a lunar leap month (闰月)."""

    kind: str
    calendar: str
    month: int
    day: int
    leap: bool = False
    year: int | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown occasion kind {self.kind!r}")
        if self.calendar not in CALENDARS:
            raise ValueError(f"unknown calendar {self.calendar!r}")
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if self.calendar == "lunar":
            if not 1 <= self.day <= 30:
                raise ValueError(f"lunar day {self.day} is not 1-30")
        else:
            if self.leap:
                raise ValueError("only a lunar date has a leap month")
            # 2004 is a leap year: any month-day that exists in some year is accepted.
            date(2004 if self.year is None else self.year, self.month, self.day)


def next_occurrence(occasion: Occasion, today: date, *, feb29: str = FEBRUARY_28) -> date:
    """The first day on or after `today` the occasion is kept."""
    if occasion.calendar == "solar":
        year = today.year if occasion.year is None else max(today.year, occasion.year)
        while (kept := solar_kept(occasion.month, occasion.day, year, feb29=feb29)) < today:
            year += 1
        return kept
    # Lunar year Y runs from late January/February of Y into January/February of Y+1.
    year = today.year - 1 if occasion.year is None else max(today.year - 1, occasion.year)
    while (kept := lunar_kept(year, occasion.month, occasion.day, leap=occasion.leap)) < today:
        year += 1
    return kept


def age_on(occasion: Occasion, on: date, *, feb29: str = FEBRUARY_28) -> int | None:
    """Full years (周岁) the occasion has been kept by `on` (its own date counts as 0).

    None when the year is unknown or `on` is before the occasion itself. A lunar birthday
    counts lunar years: the age goes up on the day the lunar birthday is kept."""
    if occasion.year is None:
        return None
    if occasion.calendar == "solar":
        kept = solar_kept(occasion.month, occasion.day, on.year, feb29=feb29)
        years = on.year - occasion.year - (1 if on < kept else 0)
        return years if years >= 0 else None
    # The lunar year of `on`: lunar year Y starts no earlier than 21 January of Y.
    year = on.year if on >= lunar_kept(on.year, 1, 1) else on.year - 1
    if on < lunar_kept(year, occasion.month, occasion.day, leap=occasion.leap):
        year -= 1
    years = year - occasion.year
    return years if years >= 0 else None


def event_params(occasion: Occasion, day: date, *, feb29: str = FEBRUARY_28) -> dict[str, Any]:
    """What an item or a calendar event of a date says of it on `day`: its kind, label,
    calendar and month-day, the day itself and the age then (the screen layer words them)."""
    return {
        "occasion": occasion.kind,
        "label": occasion.label,
        "calendar": occasion.calendar,
        "month": occasion.month,
        "day": occasion.day,
        "leap": occasion.leap,
        "date": day,
        "age": age_on(occasion, day, feb29=feb29),
    }


def first_day(occasion: Occasion) -> date | None:
    """The solar day of an occasion's first time (a birth, a wedding), when its year is known."""
    if occasion.year is None:
        return None
    if occasion.calendar == "lunar":
        return lunar_kept(occasion.year, occasion.month, occasion.day, leap=occasion.leap)
    return solar_kept(occasion.month, occasion.day, occasion.year)


def solar_kept(month: int, day: int, year: int, *, feb29: str = FEBRUARY_28) -> date:
    """The day a solar month-day is kept in `year` (29 February by the `feb29` rule)."""
    if month == 2 and day == 29 and not _is_leap_year(year):
        if feb29 not in FEB29_RULES:
            raise ValueError(f"unknown 29 February rule {feb29!r}; accepted: {FEB29_RULES}")
        return date(year, 2, 28) if feb29 == FEBRUARY_28 else date(year, 3, 1)
    return date(year, month, day)


def lunar_kept(lunar_year: int, month: int, day: int, *, leap: bool = False) -> date:
    """The solar day a lunar month-day is kept in `lunar_year`, by the rules above."""
    months = _lunar_months(lunar_year)
    start, length = months.get((month, leap)) or months[(month, False)]
    return start + timedelta(days=min(day, length) - 1)


def lunar_exists(lunar_year: int, month: int, day: int, *, leap: bool = False) -> bool:
    """Whether that exact lunar date is in the calendar (e.g. 闰四月 only in some years)."""
    found = _lunar_months(lunar_year).get((month, leap))
    return found is not None and day <= found[1]


def lunar_of(day: date) -> tuple[int, int, bool, int]:
    """The lunar (month, day, leap, days in that month) of a solar day."""
    for lunar_year in (day.year, day.year - 1):
        for (month, leap), (start, length) in _lunar_months(lunar_year).items():
            if start <= day < start + timedelta(days=length):
                return month, (day - start).days + 1, leap, length
    raise ValueError(f"{day} is outside the lunar calendar")


def lunar_date_of(day: date) -> tuple[int, int, int, bool]:
    """The lunar (year, month, day, leap) of a solar day: the lunar year is the one whose 正月
    began on or before it (a day in January before 春节 is in the year before)."""
    for lunar_year in (day.year, day.year - 1):
        for (month, leap), (start, length) in _lunar_months(lunar_year).items():
            if start <= day < start + timedelta(days=length):
                return lunar_year, month, (day - start).days + 1, leap
    raise ValueError(f"{day} is outside the lunar calendar")


def lunar_leap_month(lunar_year: int) -> int | None:
    """The month repeated as a leap month in `lunar_year`, or None."""
    return next((m for m, leap in _lunar_months(lunar_year) if leap), None)


def lunar_month_length(lunar_year: int, month: int, *, leap: bool = False) -> int:
    return _lunar_months(lunar_year)[(month, leap)][1]


@lru_cache(maxsize=512)
def _lunar_months(lunar_year: int) -> dict[tuple[int, bool], tuple[date, int]]:
    """(month, leap) → (its first solar day, its number of days) for one lunar year."""
    from lunar_python import LunarYear, Solar

    months = {}
    for month in LunarYear.fromYear(lunar_year).getMonthsInYear():
        first = Solar.fromJulianDay(month.getFirstJulianDay())
        start = date(first.getYear(), first.getMonth(), first.getDay())
        months[(abs(month.getMonth()), month.isLeap())] = (start, month.getDayCount())
    return months


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
