"""The holidays people greet customers on, computed for any year (no table of dates).

Codes only: ui/ words them. 除夕 is the last day of the lunar year (the 29th or 30th of 腊月).
Another country's holidays come from the `holidays` package, imported only when asked for; their
code is "<country>:<the package's name>", e.g. "US:Thanksgiving Day" (English where the package
has it, else the country's language). Days of mourning (清明) are left out, and so are the
further days of a Chinese festival; one that is a Chinese greeting day is that day, when on.
"""

import re
from collections.abc import Set
from datetime import date, timedelta

from kehu.base import settings
from kehu.rules.occasions import lunar_kept

# code → (calendar, month, day); 除夕 is computed apart.
FIXED = {
    "new_year": ("solar", 1, 1),
    "spring_festival": ("lunar", 1, 1),
    "lantern": ("lunar", 1, 15),
    "dragon_boat": ("lunar", 5, 5),
    "qixi": ("lunar", 7, 7),
    "mid_autumn": ("lunar", 8, 15),
    "double_ninth": ("lunar", 9, 9),
    "national_day": ("solar", 10, 1),
}
NEW_YEARS_EVE = "new_years_eve"
CODES = tuple(code.replace("-", "_") for code in settings.HOLIDAY_CODES)
assert NEW_YEARS_EVE in CODES and set(FIXED) == set(CODES) - {NEW_YEARS_EVE}
# 七夕 and 重阳 are greeted less often: off unless the user turns them on.
DEFAULT_ENABLED = frozenset(CODES) - {"qixi", "double_ninth"}
HOME_COUNTRY = settings.HOME_COUNTRY  # its greeting days are the ones above


def upcoming(
    today: date,
    days: int,
    enabled: Set[str] = DEFAULT_ENABLED,
    *,
    country: str | None = None,
) -> list[tuple[date, str]]:
    """The enabled holidays from `today` to `today + days` (both included), in date order."""
    last = today + timedelta(days=days)
    found = [(day, code) for day, code in _chinese(today.year, last.year) if code in enabled]
    if country and country.upper() != HOME_COUNTRY:
        # A country's holiday that is a Chinese greeting day is greeted as that day, when on.
        found += [(day, code) for day, code in _country(country.upper(), today.year, last.year)
                  if ":" in code or code in enabled]  # fmt: skip
    return sorted((day, code) for day, code in set(found) if today <= day <= last)


def on(year: int, code: str) -> date:
    """The day holiday `code` falls in `year` (for 除夕: the eve of that year's 春节)."""
    if code == NEW_YEARS_EVE:
        return lunar_kept(year, 1, 1) - timedelta(days=1)
    calendar, month, day = FIXED[code]
    return date(year, month, day) if calendar == "solar" else lunar_kept(year, month, day)


is_known_country = settings.is_known_country


def _chinese(first_year: int, last_year: int) -> list[tuple[date, str]]:
    return [(on(year, code), code) for year in range(first_year, last_year + 1) for code in CODES]


def _country(country: str, first_year: int, last_year: int) -> list[tuple[date, str]]:
    import holidays

    years = range(first_year, last_year + 1)
    try:
        calendar = holidays.country_holidays(country, years=years, observed=False, language="en_US")
    except NotImplementedError:
        raise ValueError(f"no holidays known for country {country!r}") from None
    found = []
    for day in calendar:
        for name in calendar.get_list(day):
            words = " ".join(name.lower().replace("'", "").replace("-", " ").split())
            if _SOMBRE.search(words):
                continue
            code = _as_chinese(day, name)
            if code is None and _FESTIVAL.search(words):
                continue
            found.append((day, code or f"{country}:{name}"))
    return found


# Days of mourning and remembrance are no days to wish a customer well: 清明 (Tomb-Sweeping Day,
# Ching Ming) is no greeting day, nor All Souls', a memorial or martyrs' day, Good Friday.
_SOMBRE = re.compile(
    r"\b(tomb|ching ming|qingming|souls|dead|mourning|martyrs?|remembrance|memorial|genocide"
    r"|good friday)\b"
)
# The further days of a Chinese festival a country keeps (the second day of Chinese New Year,
# Taiwan's eve before the eve, the day following Mid-Autumn Festival): the festival's own
# greeting covers them.
_FESTIVAL = re.compile(r"\b(chinese new year|lunar new year|spring festival|mid autumn)")


# A country's holiday that is one of the Chinese greeting days (its New Year's Day, Singapore's
# Chinese New Year, Taiwan's Mid-Autumn Festival), by its English name, on that very day.
_SAME = {
    "new-years-day": "new_year", "chinese-new-year": "spring_festival",
    "chinese-new-years-day": "spring_festival", "lunar-new-year": "spring_festival",
    "lunar-new-years-day": "spring_festival", "spring-festival": "spring_festival",
    "chinese-new-years-eve": NEW_YEARS_EVE, "lunar-new-years-eve": NEW_YEARS_EVE,
    "lantern-festival": "lantern", "dragon-boat-festival": "dragon_boat",
    "mid-autumn-festival": "mid_autumn", "double-ninth-festival": "double_ninth",
    "national-day": "national_day",  # Hong Kong's and Macao's, on 1 October
}  # fmt: skip


def _as_chinese(day: date, name: str) -> str | None:
    """The Chinese greeting day's code a country's holiday is the same as, or None: so that
    1 January is greeted once, not as 元旦 and again as the country's New Year's Day."""
    code = _SAME.get("-".join(name.lower().replace("'", "").replace("-", " ").split()))
    return code if code is not None and on(day.year, code) == day else None
