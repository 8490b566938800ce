"""Dates as users type them ("WHEN"): ISO dates, words, weekdays, offsets and Chinese forms.

`now` passed by the caller is the only time source; nothing here reads the clock.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from dateutil.relativedelta import relativedelta
from dateutil.tz import resolve_imaginary

ACCEPTED = (
    "accepted: 2026-11-22, 2026-11-22 15:30, today, tomorrow, yesterday, now, monday…sunday, "
    "+3d, +2w, +1m, +1y, -2d, +3h, 今天, 明天, 后天, 昨天, 前天, 现在, 周一…周日, 下周一…下周日, "
    "optionally followed by a time like 15:30, 3pm or 下午3点"
)


class DateParseError(ValueError):
    """Raised with a one-line message naming the text and the accepted forms."""


@dataclass(frozen=True)
class When:
    """A day, and the time of day if the user gave one."""

    day: date
    time: time | None  # None when the user gave a date alone


_DAY_OFFSETS = {
    "today": 0,
    "tomorrow": 1,
    "yesterday": -1,
    "今天": 0,
    "明天": 1,
    "后天": 2,
    "昨天": -1,
    "前天": -2,
}
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {name: i for i, name in enumerate(_DAY_NAMES)} | {
    name[:3]: i for i, name in enumerate(_DAY_NAMES)
}
_CN_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}
_PM = ("pm", "下午", "晚上")

_HOURS = re.compile(r"([+-])(\d+)h", re.ASCII)
_ISO_WITH_OFFSET = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[t ](\d{1,2}):(\d{2})(?::(\d{2}))? ?(z|[+-]\d{2}:?\d{2})", re.ASCII
)
_DAY = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"|(?P<sign>[+-])(?P<n>\d+)(?P<unit>[dwmy])"
    r"|(?P<next>下)?(?:周|星期|礼拜)(?P<cnwd>[一二三四五六日天])"
    r"|(?P<word>[a-z]+|[今明后昨前]天)",
    re.ASCII,
)
_CLOCK = re.compile(
    r"(?P<period>上午|早上|下午|晚上)? ?(?P<h>\d{1,2})"
    r"(?::(?P<min>\d{2})(?::(?P<sec>\d{2}))?|(?P<dian>点)(?:(?P<half>半)|(?P<cnmin>\d{1,2})分?)?)?"
    r" ?(?P<ampm>[ap]m)?",
    re.ASCII,
)


def parse_when(text: str, now: datetime, *, past: bool = False) -> When:
    """Read what a user typed as a date, optionally with a time, relative to the aware `now`.
    With `past` (when something happened), a weekday name means the latest such day, today
    included, instead of the next one."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # NFKC turns full-width input from Chinese keyboards (１５：３０, ＋３ｄ) into ASCII.
    normalized = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    try:
        when = _parse(normalized, now, past)
    except (ValueError, OverflowError):  # out-of-range dates and times from the stdlib
        when = None
    if when is None:
        raise DateParseError(f"can't read the date {text.strip()!r}; {ACCEPTED}")
    return when


def at_start(w: When, tz: tzinfo) -> datetime:
    """The moment `w` begins: 00:00 for a date alone, else its day and time; aware in `tz`."""
    return _aware(w.day, time(0) if w.time is None else w.time, tz)


def at_end(w: When, tz: tzinfo) -> datetime:
    """A due moment: 23:59:59 for a date alone (due that day), else its day and time."""
    return _aware(w.day, time(23, 59, 59) if w.time is None else w.time, tz)


def at_event(w: When, now: datetime) -> datetime:
    """A past event: a date alone takes `now`'s time of day; aware in `now`'s zone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return _aware(w.day, _whole_seconds(now) if w.time is None else w.time, now.tzinfo)


def _parse(text: str, now: datetime, past: bool = False) -> When | None:
    if text in ("now", "现在"):
        return When(now.date(), _whole_seconds(now))
    if m := _HOURS.fullmatch(text):
        # Hours are elapsed time, so add them in UTC: across a DST change the wall clock differs.
        hours = timedelta(hours=int(m[2]) * (-1 if m[1] == "-" else 1))
        moment = (now.astimezone(UTC) + hours).astimezone(now.tzinfo)
        return When(moment.date(), _whole_seconds(moment))
    if m := _ISO_WITH_OFFSET.fullmatch(text):
        return _from_offset_iso(m, now)
    if not (m := _DAY.match(text)):
        return None
    if (day := _day(m, now.date(), past)) is None:
        return None
    if not (rest := text[m.end() :]):
        return When(day, None)
    if rest[0] == " " or (rest[0] == "t" and m["y"]):
        rest = rest[1:]
    elif m.group().isascii():
        return None  # only Chinese forms may run straight into the time: 明天下午3点
    clock = _clock(rest)
    return None if clock is None else When(day, clock)


def _from_offset_iso(m: re.Match[str], now: datetime) -> When | None:
    y, mo, d, h, mi, sec, offset = m.groups()
    zone = UTC
    if offset != "z":
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        if minutes > 59:
            return None
        zone = timezone((-1 if offset[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes))
    given = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0), tzinfo=zone)
    local = given.astimezone(now.tzinfo)
    return When(local.date(), _whole_seconds(local))


def _day(m: re.Match[str], today: date, past: bool = False) -> date | None:
    if m["y"]:
        return date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if m["unit"]:
        n = int(m["n"]) * (-1 if m["sign"] == "-" else 1)
        if m["unit"] in ("d", "w"):
            return today + timedelta(days=n * (7 if m["unit"] == "w" else 1))
        # relativedelta clamps to the month's end: 2026-01-31 +1m is 2026-02-28.
        return today + relativedelta(months=n * (12 if m["unit"] == "y" else 1))
    if m["cnwd"]:
        weekday = _CN_WEEKDAYS[m["cnwd"]]
        if m["next"]:  # 下周X: day X of next calendar week, weeks starting on Monday
            return today + timedelta(days=7 - today.weekday() + weekday)
        return _last_weekday(today, weekday) if past else _next_weekday(today, weekday)
    if m["word"] in _DAY_OFFSETS:
        return today + timedelta(days=_DAY_OFFSETS[m["word"]])
    if m["word"] in _WEEKDAYS:
        weekday = _WEEKDAYS[m["word"]]
        return _last_weekday(today, weekday) if past else _next_weekday(today, weekday)
    return None


def _last_weekday(today: date, weekday: int) -> date:
    """The latest such weekday on or before today (0 to 6 days back)."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def _next_weekday(today: date, weekday: int) -> date:
    """The next such weekday strictly after today (1 to 7 days ahead)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _clock(text: str) -> time | None:
    m = _CLOCK.fullmatch(text)
    # A bare number is not a time, and "下午3pm" says the half of the day twice.
    if not m or not (m["min"] or m["dian"] or m["ampm"]) or (m["period"] and m["ampm"]):
        return None
    hour = int(m["h"])
    if half_of_day := m["period"] or m["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half_of_day in _PM else 0)
    minute = 30 if m["half"] else int(m["min"] or m["cnmin"] or 0)
    return time(hour, minute, int(m["sec"] or 0))


def _whole_seconds(moment: datetime) -> time:
    return moment.time().replace(microsecond=0)  # keeps fold: which of a repeated hour


def _aware(day: date, t: time, tz: tzinfo) -> datetime:
    # A wall time skipped by a DST change moves forward by the gap; a repeated one means its
    # first occurrence unless the time says otherwise (fold=1: from an offset or from now).
    moment: datetime = resolve_imaginary(datetime.combine(day, t, tzinfo=tz))
    return moment
