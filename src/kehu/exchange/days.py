"""Dates as other programs write them in cells and cards, with or without a year."""

import re
import unicodedata
from datetime import date, datetime, timedelta

from kehu.base.errors import BadInput
from kehu.base.occasion_input import FIRST_YEAR, LAST_YEAR, occasion_date, written_lunar
from kehu.exchange.records import Day
from kehu.rules.occasions import Occasion

_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MD = re.compile(r"(?:--)?(\d{1,2})[-/.月](\d{1,2})[日号]?")
_MD_COMPACT = re.compile(r"--(\d{2})(\d{2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")  # Outlook: 3/15/1985
# Excel's day number, what a date cell holds without a date format (46086 is 2026-03-05),
# optionally with the time of day as a fraction; five digits: 1927-05-18 to 2173-10-14.
_SERIAL = re.compile(r"([1-9]\d{4})(?:\.(\d+))?")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MIDNIGHT = re.compile(r"\s+0?0:00(?::00)?$")
# A day and the time of day run together: 2026年3月15日14:30, 2026-03-15下午3点.
_RUN_ON = re.compile(r"(.+[日号]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})([^\d日号].*|(?<=[日号])\d.*)")
_TIME = re.compile(r"(\d{1,2})[:：时点](\d{2})?(?::(\d{2}))?分?")


def parse_day(value: str | date | datetime | None) -> Day | None:
    """A day from a cell or a vCard BDAY; None when empty or unreadable. Accepted: 1985-03-15,
    1985/3/15, 1985.3.15, 19850315, 1985年3月15日 (or 15号), 3月15日, 03-15, --03-15, --0315,
    1985-03-15T00:00:00 and 1985/3/15 0:00 (a date cell Excel saved with its midnight), Outlook's
    3/15/1985 (15/3/1985 when the first number cannot be a month), Excel's day number 31121."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Day(value.year, value.month, value.day)
    text = unicodedata.normalize("NFKC", value).strip().partition("T")[0]
    text = _MIDNIGHT.sub("", text)
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
    2026/3/15 14:30:00, 2026-03-15T14:30, 2026年3月15日14点30分, 2026-03-15 下午3点,
    2026年3月15日下午三点半): a date for a day alone, else
    a naive datetime; None when unreadable or without a year. Excel's day number too (46086,
    46086.4375 with the time 10:30)."""
    text = unicodedata.normalize("NFKC", text).strip().replace("T", " ", 1)
    if (moment := _serial(text)) is not None:
        return moment.date() if moment.time() == datetime.min.time() else moment
    day_part, _, time_part = text.partition(" ")
    if not time_part and (m := _RUN_ON.fullmatch(day_part)):
        day_part, time_part = m[1], m[2]  # 2026年3月15日14:30, 2026-03-15下午3点
    day = parse_day(day_part)
    if day is None or day.year is None:
        return None
    if not time_part.strip():
        return date(day.year, day.month, day.day)
    m = _TIME.fullmatch(time_part.strip())
    if m is None:  # as `kehu add --delivered` reads a time: 下午3点, 下午三点半, 3pm
        from kehu.base.dates import time_of_day

        clock = time_of_day(time_part)
        on = date(day.year, day.month, day.day)
        return None if clock is None else datetime.combine(on, clock)
    if int(m[1]) > 23 or int(m[2] or 0) > 59 or int(m[3] or 0) > 59:
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


# A customer's dates as other programs label them: a column's header, an Android event's type
# or label, an iPhone's X-ABLabel. Compared without case, spaces or punctuation.
LUNAR_WORDS = ("农历", "阴历", "農曆", "陰曆", "旧历", "lunar")
_KIND_WORDS = {
    "birthday": "生日 出生日期 客户生日 本人生日 车主生日 会员生日 birthday",
    "wedding": "纪念日 结婚纪念日 结婚周年 结婚日 结婚日期 anniversary wedding weddinganniversary "
    "_$!<anniversary>!$_",
    "child-birthday": "孩子生日 子女生日 小孩生日 儿子生日 女儿生日 宝宝生日 childbirthday",
    "company": "公司周年 公司成立日 公司成立日期 成立日期 开业日 开业日期 开业纪念日 "
    "companyanniversary",
}
KIND_OF_LABEL = {word: kind for kind, words in _KIND_WORDS.items() for word in words.split()}
# Labels that say no more than "a date": the kind other, without a label.
_NO_LABEL = {"", "other", "其他", "_$!<other>!$_", "abdate", "event", "日期", "重要日期"}
_LUNAR_DAY = re.compile(r"(?:--|(\d{4})[-/.]?)?(\d{1,2})[-/.]?(\d{1,2})")


def label_key(label: str) -> str:
    return re.sub(r"[\s_\-:：()（）]", "", unicodedata.normalize("NFKC", label).casefold())


def says_lunar(label: str) -> bool:
    folded = unicodedata.normalize("NFKC", label).casefold()
    return any(word in folded for word in LUNAR_WORDS)


def dated(label: str | None, value: str, *, lunar: bool = False) -> Occasion | None:
    """A customer's date from a cell or a card: its kind from `label` (结婚纪念日, 孩子生日,
    Anniversary; the kind other, keeping the label, for any other), lunar when the label or the
    value says so (农历生日, 农历八月十五) or `lunar` is given. None when it cannot be read."""
    label = (label or "").strip()
    lunar = lunar or says_lunar(label)
    bare = label
    for word in LUNAR_WORDS:
        bare = re.sub(re.escape(word), "", bare, flags=re.IGNORECASE)
    key = label_key(bare)
    kind = KIND_OF_LABEL.get(key) or KIND_OF_LABEL.get(label_key(label)) or "other"
    own = None if kind != "other" or key in _NO_LABEL else label
    text = unicodedata.normalize("NFKC", value).strip()
    try:
        if lunar or written_lunar(text):
            if written_lunar(text):
                typed = occasion_date(text)
            elif m := _LUNAR_DAY.fullmatch(text.partition("T")[0]):
                typed = occasion_date(f"lunar {m[1] + '-' if m[1] else ''}{m[2]}-{m[3]}")
            else:
                return None
            if typed.calendar != "lunar":
                return None
            found = Occasion(kind, "lunar", typed.month, typed.day, leap=typed.leap,
                             year=typed.year, label=own)  # fmt: skip
        else:
            day = parse_day(text)
            if day is None:
                return None
            found = Occasion(kind, "solar", day.month, day.day, year=day.year, label=own)
    except (BadInput, ValueError):
        return None
    if found.year is not None and not FIRST_YEAR <= found.year <= LAST_YEAR:
        return None
    return found
