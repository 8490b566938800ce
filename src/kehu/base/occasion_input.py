"""Reading the date of an occasion as people type it, solar or lunar, with or without the year.

Lunar when written 农历/阴历…, with 闰 (leap month), with a month name only the lunar calendar
has (正月, 冬月, 腊月), with Chinese numerals (八月十五, 初一, 廿三), or as `lunar 8-15`;
otherwise solar.
Pure text work: whether a lunar date exists in a given year is for the calendar rules to say.
"""

import re
import unicodedata
from datetime import date
from typing import NamedTuple

from kehu.base.clock import FIRST_YEAR as FIRST_YEAR
from kehu.base.clock import LAST_YEAR as LAST_YEAR
from kehu.base.errors import BadInput
from kehu.base.i18n import _

ACCEPTED = (
    "1985-03-15, 03-15, 3月15日, 农历八月十五, 农历1985年八月十五, 闰四月初八, 腊月廿三, "
    "正月初一, lunar 8-15, lunar leap 4-8"
)
LEAP_YEAR = 2004  # to check a solar month-day typed without its year (02-29 is allowed)


class OccasionDate(NamedTuple):
    calendar: str  # "solar" or "lunar"
    month: int
    day: int
    leap: bool  # a lunar leap month (闰月)
    year: int | None


_LATIN = re.compile(
    r"(?:(?P<calendar>lunar|solar)\s+)?(?P<leap>leap\s+)?"
    r"(?:(?P<year>\d{4})[-/.])?(?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
)
_LUNAR_WORDS = ("农历", "阴历", "農曆", "陰曆", "旧历")
_SOLAR_WORDS = ("公历", "阳历", "陽曆", "新历")
_CHINESE = re.compile(
    rf"(?P<calendar>{'|'.join(_LUNAR_WORDS + _SOLAR_WORDS)})?"
    r"(?:(?P<year>[0-9]{4}|[〇零一二三四五六七八九]{4})年)?"
    r"(?P<leap>[闰閏])?"
    r"(?P<month>[0-9]{1,2}|[正元冬腊臘]|[一二三四五六七八九十]{1,2})月"
    r"(?P<day>[0-9]{1,2}|[初廿卅一二三四五六七八九十]{1,3})[日号號]?"
)
_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_MONTH_NAMES = {"正": 1, "元": 1, "冬": 11, "腊": 12, "臘": 12}


def occasion_date(text: str) -> OccasionDate:
    """The calendar, month, day, leap flag and year (None if not given) typed in `text`."""
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    if latin := _LATIN.fullmatch(raw):
        return _latin(latin)
    if chinese := _CHINESE.fullmatch(re.sub(r"\s+", "", raw)):
        return _chinese(chinese)
    raise _bad(_("can't read the date"))


def written_lunar(text: str) -> bool:
    """Whether `text` is written as a lunar date (农历…, 腊月廿三, lunar 8-15), read or not."""
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    if raw.startswith("lunar") or any(word in raw for word in _LUNAR_WORDS):
        return True
    try:
        return occasion_date(text).calendar == "lunar"
    except BadInput:
        return False


def _latin(found: re.Match[str]) -> OccasionDate:
    lunar = found["calendar"] == "lunar"
    if found["leap"] and not lunar:
        raise _bad(_("only a lunar date has a leap month"))
    year = int(found["year"]) if found["year"] else None
    calendar = "lunar" if lunar else "solar"
    return _checked(calendar, int(found["month"]), int(found["day"]), bool(found["leap"]), year)


def _chinese(found: re.Match[str]) -> OccasionDate:
    month_text, day_text = found["month"], found["day"]
    month = _MONTH_NAMES.get(month_text) or _number(month_text, allow_prefix=False)
    day = _number(day_text, allow_prefix=True)
    if month is None or day is None:
        raise _bad(_("can't read the date"))
    leap = found["leap"] is not None
    written_lunar = month_text in _MONTH_NAMES or not (month_text + day_text).isascii()
    if found["calendar"] in _SOLAR_WORDS:
        if leap or month_text in _MONTH_NAMES:
            raise _bad(_("a solar date has no leap month and no 正月, 冬月 or 腊月"))
        calendar = "solar"
    elif found["calendar"] in _LUNAR_WORDS or leap or written_lunar:
        calendar = "lunar"
    else:
        calendar = "solar"
    year_text = found["year"]
    year = None
    if year_text:
        year = int(year_text) if year_text.isascii() else int("".join(
            str(_DIGITS[ch]) for ch in year_text
        ))  # fmt: skip
    return _checked(calendar, month, day, leap, year)


def _number(text: str, *, allow_prefix: bool) -> int | None:
    """1–30 written in digits or the Chinese way: 八, 十五, 二十, 初八, 廿三, 卅."""
    if text.isascii():
        return int(text)
    head, rest = text[0], text[1:]
    if head in "初廿卅":
        if not allow_prefix:
            return None
        if head == "初":
            n = _number(rest, allow_prefix=False) if rest else None
            return n if n is not None and 1 <= n <= 10 else None
        if head == "廿":
            ones = _DIGITS.get(rest) if rest else 0
            return None if ones is None else 20 + ones
        return 30 if not rest else None
    if "十" in text:
        tens_text, _sep, ones_text = text.partition("十")
        tens = _DIGITS.get(tens_text) if tens_text else 1
        ones = _DIGITS.get(ones_text) if ones_text else 0
        if tens is None or ones is None or "十" in ones_text:
            return None
        return tens * 10 + ones
    return _DIGITS.get(text) if len(text) == 1 else None


def _checked(calendar: str, month: int, day: int, leap: bool, year: int | None) -> OccasionDate:
    if found := problem(calendar, month, day, leap, year):
        raise _bad(problem_words(found[1]))
    return OccasionDate(calendar, month, day, leap, year)


def problem(
    calendar: str, month: int, day: int, leap: bool, year: int | None
) -> tuple[str, str] | None:
    """Why kehu keeps no such date, as (the part at fault: "month", "day", "leap" or "year",
    a code for problem_words()), or None. Whether a lunar date with its year is in that year
    is rules/occasions.py's lunar_exists()."""
    if not 1 <= month <= 12:
        return "month", "month"
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return "year", "year"
    if calendar == "lunar":
        if not 1 <= day <= 30:
            return "day", "lunar_day"
        return None
    try:
        date(LEAP_YEAR if year is None else year, month, day)
    except ValueError:
        return "day", "no_such_day"
    return ("leap", "solar_leap") if leap else None


def problem_words(code: str) -> str:
    """A problem() code in words."""
    words = {
        "month": _("the month must be 1 to 12"),
        "year": _("the year must be {first} to {last}"),
        "lunar_day": _("a lunar day is 1 to 30"),
        "no_such_day": _("that month has no such day"),
        "solar_leap": _("only a lunar date has a leap month"),
        "no_lunar_day": _("that lunar year has no such day"),
    }
    return words[code].format(first=FIRST_YEAR, last=LAST_YEAR)


def _bad(problem: str) -> BadInput:
    return BadInput(_("{problem}; accepted: {forms}").format(problem=problem, forms=ACCEPTED))
