"""Dates as other programs write them in cells and cards, with or without a year."""

import re
import unicodedata
from datetime import date, datetime, timedelta

from kehu.exchange.records import Day

_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MD = re.compile(r"(?:--)?(\d{1,2})[-/.月](\d{1,2})日?")
_MD_COMPACT = re.compile(r"--(\d{2})(\d{2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")  # Outlook: 3/15/1985
# Excel's day number, what a date cell holds without a date format (46086 is 2026-03-05),
# optionally with the time of day as a fraction; five digits: 1927-05-18 to 2173-10-14.
_SERIAL = re.compile(r"([1-9]\d{4})(?:\.(\d+))?")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_TIME = re.compile(r"(\d{1,2})[:：时点](\d{2})?(?::(\d{2}))?分?")


def parse_day(value: str | date | datetime | None) -> Day | None:
    """A day from a cell or a vCard BDAY; None when empty or unreadable. Accepted: 1985-03-15,
    1985/3/15, 1985.3.15, 19850315, 1985年3月15日, 3月15日, 03-15, --03-15, --0315,
    1985-03-15T00:00:00, Outlook's 3/15/1985 (15/3/1985 when the first number cannot be a month),
    Excel's day number 31121."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Day(value.year, value.month, value.day)
    text = unicodedata.normalize("NFKC", value).strip().partition("T")[0]
    if not text:
        return None
    if (moment := _serial(text)) is not None:
        return Day(moment.year, moment.month, moment.day)
    if m := _YMD.fullmatch(text) or _COMPACT.fullmatch(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if m := _MD.fullmatch(text) or _MD_COMPACT.fullmatch(text):
        return _checked(None, int(m[1]), int(m[2]))
    if m := _US.fullmatch(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            return None  # 1/0/00 is Outlook's "no date"; a two-digit year is a guess
        month, day = (second, first) if first > 12 else (first, second)
        return _checked(year, month, day)
    return None


def parse_moment(text: str) -> date | datetime | None:
    """A day with its year, optionally followed by a time of day (2026-03-15 14:30,
    2026/3/15 14:30:00, 2026-03-15T14:30, 2026年3月15日14点30分): a date for a day alone, else
    a naive datetime; None when unreadable or without a year. Excel's day number too (46086,
    46086.4375 with the time 10:30)."""
    text = unicodedata.normalize("NFKC", text).strip().replace("T", " ", 1)
    if (moment := _serial(text)) is not None:
        return moment.date() if moment.time() == datetime.min.time() else moment
    day_part, _, time_part = text.partition(" ")
    if not time_part and (m := re.fullmatch(r"(.+日)(.+)", day_part)):
        day_part, time_part = m[1], m[2]  # 2026年3月15日14:30
    day = parse_day(day_part)
    if day is None or day.year is None:
        return None
    if not time_part.strip():
        return date(day.year, day.month, day.day)
    m = _TIME.fullmatch(time_part.strip())
    if m is None or int(m[1]) > 23 or int(m[2] or 0) > 59 or int(m[3] or 0) > 59:
        return None
    return datetime(day.year, day.month, day.day, int(m[1]), int(m[2] or 0), int(m[3] or 0))


def _serial(text: str) -> datetime | None:
    """Excel's day number as a moment, to the second."""
    if not (m := _SERIAL.fullmatch(text)):
        return None
    seconds = round(float(f"0.{m[2] or 0}") * 86400)
    return _EXCEL_EPOCH + timedelta(days=int(m[1]), seconds=seconds)


def is_empty_date(value: str) -> bool:
    """Cells that programs fill in for "no date": Outlook writes 0/0/00."""
    return value.strip() in ("", "0/0/00", "00/00/0000", "1/0/00")


def _checked(year: int | None, month: int, day: int) -> Day | None:
    try:
        date(2000 if year is None else year, month, day)  # 2000: a leap year for 02-29
    except ValueError:
        return None
    if year is not None and year < 1800:
        year = None  # iPhone's 1604 (X-APPLE-OMIT-YEAR) and such: the year is not known
    return Day(year, month, day)


def to_date(day: Day) -> date | None:
    return None if day.year is None else date(day.year, day.month, day.day)
