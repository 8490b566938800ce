"""Dates as users type them ("WHEN"): ISO dates, words, weekdays, offsets and Chinese forms.

`now` passed by the caller is the only time source; nothing here reads the clock. Each form
and what it means when it could mean more than one thing is listed in README, "Dates (WHEN)".
"""

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from dateutil.relativedelta import relativedelta
from dateutil.tz import resolve_imaginary

from kehu.base.clock import FIRST_YEAR, LAST_YEAR
from kehu.base.i18n import N_, _

ACCEPTED = N_(
    "accepted: 2026-11-22, 11/22, 11.22, 22 Nov, 11月22日, 22号, today, friday, next friday, "
    "in 3 days, "
    "+3d, -2d, +3h, 明天, 周五, 下周一, 周末, 3天后, 3小时后, 下个月5号, 下月初, 月底, 今晚, "
    "or a time (15:00, 3pm, 下午三点) alone or after a day"
)


class DateParseError(ValueError):
    """Raised with a one-line message naming the text and the accepted forms."""


class _WrongWeekday(Exception):
    """A date typed with a weekday it does not fall on (11月27日 周四): the day and the weekday."""

    def __init__(self, day: date, stated: int) -> None:
        super().__init__(day, stated)
        self.day, self.stated = day, stated


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
    "大后天": 3,
    "昨天": -1,
    "前天": -2,
    "大前天": -3,
}
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {name: i for i, name in enumerate(_DAY_NAMES)} | {
    name[:3]: i for i, name in enumerate(_DAY_NAMES)
}
_CN_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_PM = ("pm", "下午", "晚上")
# English month names, by their first three letters: 15 Dec, December 15th, Sept 3.
_MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip
_MONTH_NAME = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR_AFTER = r"(?:,? (?P<y>\d{4}))?"
_EN_UNIT = r"(?P<unit>day|week|month|year)"
# Numbers in English words, as in "in two weeks", "in a month".
_EN_NUMBERS = {"a": 1, "an": 1} | {
    word: i
    for i, word in enumerate(
        (
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ),
        1,
    )  # fmt: skip
}
_EN_NUM = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# Day and month the other way round (15/12, 15/12/2026), or a year after them (12/15/2026):
# refused with a line saying how kehu reads them.
_DAY_MONTH = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?", re.ASCII)
# 今晚 and 明早 alone: a time of day people mean by "tonight" and "tomorrow morning".
_PARTS_OF_DAY = {"早": ("早上", time(9)), "晚": ("晚上", time(20))}
# A part of the day named without its hour (明天上午, 周五下午, 晚上): the hour it means, the same
# as 明早 and 今晚 for the morning and the evening.
_PART_HOURS = {
    "早上": time(9), "早晨": time(9), "上午": time(9), "中午": time(12),
    "下午": time(15), "傍晚": time(18), "晚上": time(20),
    "morning": time(9), "noon": time(12), "midday": time(12), "afternoon": time(15),
    "evening": time(18), "night": time(20),
}  # fmt: skip

_CN = "[零〇一二两三四五六七八九十]{1,3}"
_NUM = rf"(?:\d+|{_CN})"
_HOURS = re.compile(r"([+-])(\d+)h", re.ASCII)
# Elapsed time in words: 3小时后, 半小时后, 一个半小时后, 10分钟前, in 2 hours, an hour ago.
_ELAPSED = (
    re.compile(
        rf"(?:(?P<n>{_NUM}) ?个?(?P<half>半)?|(?P<a>半)个?)(?P<unit>小时|钟头|分钟)"
        r"(?P<dir>以后|之后|后|以前|之前|前)"
    ),
    re.compile(rf"in (?P<n>{_EN_NUM}|(?P<a>half an)) (?P<unit>hour|minute)s?(?P<dir>)", re.ASCII),
    re.compile(rf"(?P<n>{_EN_NUM}|(?P<a>half an)) (?P<unit>hour|minute)s? (?P<dir>ago)", re.ASCII),
)
_NOW_WORDS = ("now", "just now", "现在", "刚才", "刚刚")
_ISO_WITH_OFFSET = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[t ](\d{1,2}):(\d{2})(?::(\d{2}))? ?(z|[+-]\d{2}:?\d{2})", re.ASCII
)
_CLOCK = re.compile(
    rf"(?P<period>上午|早上|下午|晚上)? ?(?P<h>\d{{1,2}}|{_CN})"
    r"(?::(?P<min>\d{2})(?::(?P<sec>\d{2}))?"
    rf"|(?P<dian>点钟?)(?:(?P<half>半)|(?P<quarters>[一三])刻|(?P<cnmin>\d{{1,2}}|{_CN})分?)?)?"
    r" ?(?P<ampm>[ap]m)?",
    re.ASCII,
)

_UNITS = {
    "day": "d", "天": "d", "日": "d",
    "week": "w", "周": "w", "星期": "w", "个星期": "w", "礼拜": "w", "个礼拜": "w",
    "month": "m", "个月": "m",
    "year": "y", "年": "y",
}  # fmt: skip


def parse_when(text: str, now: datetime, *, past: bool = False, nearest: bool = False) -> When:
    """Read what a user typed as a date, optionally with a time, relative to the aware `now`.
    With `past` (when something happened), a day named without its week, month or year (friday,
    1月31日, 31号, a time alone) means the latest such day, today included, instead of the next.
    With `nearest` (what was or will be), a day without its month or year (1月31日, 12.15, 2月底,
    31号) is the nearer of the latest and the next such day; the other forms keep `past`'s rule."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # NFKC turns full-width input from Chinese keyboards (１５：３０, ＋３ｄ, ／) into ASCII.
    normalized = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    try:
        when = _parse(normalized, now, past, nearest)
    except _WrongWeekday as wrong:
        raise DateParseError(
            _(
                "can't read the date {text}: {day} is a {weekday}, not a {stated}; write the "
                "date alone or with its own weekday"
            ).format(
                text=repr(text.strip()),
                day=wrong.day.isoformat(),
                weekday=_(_WEEKDAY_WORDS[wrong.day.weekday()]),
                stated=_(_WEEKDAY_WORDS[wrong.stated]),
            )
        ) from None
    except (ValueError, OverflowError):  # out-of-range dates and times from the stdlib
        when = None
    if when is None and (m := _DAY_MONTH.fullmatch(normalized)):
        first, second, year = int(m[1]), int(m[2]), m[3]
        if (message := _day_month_message(text.strip(), first, second, year)) is not None:
            raise DateParseError(message)
    if when is None:
        raise DateParseError(
            _("can't read the date {text}; {accepted}").format(
                text=repr(text.strip()), accepted=_(ACCEPTED)
            )
        )
    if not FIRST_YEAR <= when.day.year <= LAST_YEAR:
        raise DateParseError(
            _("the date {text} is out of range; accepted: years {first} to {last}").format(
                text=repr(text.strip()), first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return when


def _day_month_message(text: str, first: int, second: int, year: str | None) -> str | None:
    """What to type instead of 15/12 (kehu reads month/day) or 15/12/2026 (which order?);
    None when the numbers make no day either way round."""
    month, day = (second, first) if first > 12 else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2028, month)[1]):  # leap year
        return None
    if not year and first <= 12:
        return None  # 11/30 is read, month/day; 13/13 is no date at all
    named = f"{day} {calendar.month_abbr[month]}"
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        instead = f"{full}-{month:02d}-{day:02d}, {named} {full}"
    else:
        instead = f"{month}/{day}, {named}"
    if year:
        return _(
            "can't read the date {text}: day and month could be either way round; write "
            "the year first or the month's name: {instead}"
        ).format(text=repr(text), instead=instead)
    return _(
        "can't read the date {text}: a day and month are written month/day; write {instead}"
    ).format(text=repr(text), instead=instead)


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


def _parse(text: str, now: datetime, past: bool = False, nearest: bool = False) -> When | None:
    if text == "tonight" or text.startswith("tonight "):  # 今晚: today at 20:00, or at its time
        text = "today night" if text == "tonight" else "today" + text[len("tonight") :]
    if text in _NOW_WORDS:
        return When(now.date(), _whole_seconds(now))
    if m := _HOURS.fullmatch(text):
        return _elapsed(now, timedelta(hours=int(m[2]) * (-1 if m[1] == "-" else 1)))
    for pattern in _ELAPSED:
        if m := pattern.fullmatch(text):
            return _elapsed(now, _worded_elapsed(m))
    if m := _ISO_WITH_OFFSET.fullmatch(text):
        return _from_offset_iso(m, now)
    if (clock := _clock(text) or _PART_HOURS.get(text)) is not None:
        return When(_day_of_time_alone(clock, now, past), clock)
    # A date with its weekday, as kehu writes one (11月27日 周五, Fri 27 Nov): the weekday is
    # read as a check on the date, before an English date or after a Chinese one.
    stated = None
    if (before := _WEEKDAY_BEFORE.match(text)) and any(
        pattern.match(text[before.end() :]) for pattern, day_of in _DAY_FORMS if day_of in _DATED
    ):
        stated, text = _WEEKDAYS[before["wd"][:3]], text[before.end() :]
    for pattern, day_of in _DAY_FORMS:
        if m := pattern.match(text):
            day = day_of(m, now.date(), past)
            if nearest and day_of in (_month_day, _named_month_day, _month_edge_of, _day_of_month):
                day = _nearer(day, day_of(m, now.date(), not past), now.date())
            rest = text[m.end() :]
            if day_of in _DATED and stated is None and (after := _WEEKDAY_AFTER.match(rest)):
                stated, rest = _CN_WEEKDAYS[after["wd"]], rest[after.end() :]
            if stated is not None:
                if day_of not in _DATED:
                    return None
                day = _on_weekday(m, day_of, day, now.date(), stated)
            return _day_and_time(m, day, rest)
    return None


def _elapsed(now: datetime, span: timedelta) -> When:
    """`now` moved by elapsed time, added in UTC: across a DST change the wall clock differs."""
    moment = (now.astimezone(UTC) + span).astimezone(now.tzinfo)
    return When(moment.date(), _whole_seconds(moment))


def _worded_elapsed(m: re.Match[str]) -> timedelta:
    """3小时后, 一个半小时后, 半小时前, 10分钟后, in 2 hours, an hour ago, half an hour ago."""
    hours = m["unit"] in ("小时", "钟头", "hour")
    half = m.groupdict().get("half")
    if m["a"]:  # 半小时, half an hour
        if not hours:
            raise ValueError("half a minute")
        minutes = 30
    elif m["n"] in _EN_NUMBERS:
        minutes = _EN_NUMBERS[m["n"]] * (60 if hours else 1)
    elif hours:
        minutes = _number(m["n"]) * 60 + (30 if half else 0)
    elif half or "个" in m.group():
        raise ValueError("not said of minutes")  # 3个半分钟, 10个分钟
    else:
        minutes = _number(m["n"])
    back = m["dir"] in ("ago", "前", "以前", "之前")
    return timedelta(minutes=-minutes if back else minutes)


def _nearer(one: date, other: date, today: date) -> date:
    """The day closer to today; the earlier one when both are as close."""
    return min(one, other, key=lambda day: (abs(day - today), day))


def _day_and_time(m: re.Match[str], day: date, rest: str) -> When | None:
    """The day a form gave, and the time of day that follows it, if any."""
    period, default_time = _PARTS_OF_DAY.get(m.groupdict().get("part") or "", (None, None))
    if not rest:
        return When(day, default_time)
    if rest.startswith(" at ") and m.group().isascii():  # tomorrow at 3pm, 15 Dec at 10:30
        rest = rest[4:]
    elif rest[0] == " " or (rest[0] == "t" and m.re is _YMD):
        rest = rest[1:]
    elif m.group().isascii() and rest[0].isascii():
        return None  # only Chinese forms may run straight into the time: 明天下午3点, 11-05下午3点
    clock = _clock(rest, period) or (None if period else _PART_HOURS.get(rest))
    return None if clock is None else When(day, clock)


def _day_of_time_alone(clock: time, now: datetime, past: bool) -> date:
    """A time alone is today's, unless that has passed (or, for an event, is still to come)."""
    today, current = now.date(), _whole_seconds(now)
    if past:
        return today if clock <= current else today - timedelta(days=1)
    return today if clock >= current else today + timedelta(days=1)


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


# Each day form: a pattern matched at the start of the text, and how it gives the day. The first
# form that matches is the one read; whatever follows it must be a time of day.
_DayOf = Callable[[re.Match[str], date, bool], date]


def _full_date(m: re.Match[str], today: date, past: bool) -> date:
    return date(int(m["y"]), int(m["mo"]), int(m["d"]))


def _month_day(m: re.Match[str], today: date, past: bool) -> date:
    return _yearless(m, _number(m["mo"]), lambda year, month: _number(m["d"]), today, past)


def _named_month_day(m: re.Match[str], today: date, past: bool) -> date:
    """15 Dec, December 15th, Dec 15, 2026: as 12月15日."""
    return _yearless(m, _MONTHS[m["mon"][:3]], lambda year, month: int(m["d"]), today, past)


def _month_edge_of(m: re.Match[str], today: date, past: bool) -> date:
    """2月底, 12月初: the month's last or first day, its year found as for 2月28日."""
    return _yearless(m, _number(m["mo"]), _edge_day(m["edge"]), today, past)


def _edge_day(edge: str) -> Callable[[int, int], int]:
    """The day of the month an edge names: 初 (start) the 1st, 底 and 末 (end) the last."""
    if edge in ("初", "start", "beginning"):
        return lambda year, month: 1
    return lambda year, month: calendar.monthrange(year, month)[1]


def _yearless(
    m: re.Match[str], month: int, day_in: Callable[[int, int], int], today: date, past: bool
) -> date:
    if m["y"]:
        return date(int(m["y"]), month, day_in(int(m["y"]), month))
    # No year: this year's, or next year's once it has passed (last year's for an event). A day
    # that some years lack (2月29日) is the nearest year that has it.
    step = -1 if past else 1
    for year in range(today.year, today.year + 9 * step, step):
        day = day_in(year, month)
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate == today or (candidate < today) == past:
                return candidate
    raise ValueError("no such day")


def _day_of_month(m: re.Match[str], today: date, past: bool) -> date:
    # 31号: this month's, or the next month's once it has passed (the last one for an event);
    # months without that day are skipped.
    day = _number(m["d"])
    if not 1 <= day <= 31:
        raise ValueError("no such day")
    first = today.replace(day=1)
    for months in range(13):
        month = first + relativedelta(months=-months if past else months)
        if day <= calendar.monthrange(month.year, month.month)[1]:
            candidate = month.replace(day=day)
            if candidate == today or (candidate < today) == past:
                return candidate
    raise ValueError("no such day")


def _signed_offset(m: re.Match[str], today: date, past: bool) -> date:
    return _shift(today, int(m["n"]) * (-1 if m["sign"] == "-" else 1), m["unit"])


def _worded_offset(m: re.Match[str], today: date, past: bool) -> date:
    back = m["ago"] or m["dir"] in ("前", "以前", "之前")
    n = _EN_NUMBERS[m["n"]] if m["n"] in _EN_NUMBERS else _number(m["n"])
    return _shift(today, n * (-1 if back else 1), _UNITS[m["unit"]])


def _half_offset(m: re.Match[str], today: date, past: bool) -> date:
    """半年后 (6 months on, as 6个月后) and 半个月后 (15 days on: half a month as people mean
    it, not half of this month's days); 半年前 and 半个月前 as far back."""
    back = -1 if m["dir"] in ("前", "以前", "之前") else 1
    return _shift(today, back * (6 if m["unit"] == "年" else 15), "m" if m["unit"] == "年" else "d")


def _shift(today: date, n: int, unit: str) -> date:
    if unit in ("d", "w"):
        return today + timedelta(days=n * (7 if unit == "w" else 1))
    # relativedelta clamps to the month's end: 2026-01-31 +1m is 2026-02-28.
    return today + relativedelta(months=n * (12 if unit == "y" else 1))


# Which week, month or year a form names, from this one: 下个月 +1, 上周 -1, 明年 +1, 去年 -1,
# 下下周末 +2.
_WHICH = {
    "下下": 2, "上上": -2, "下": 1, "上": -1, "本": 0, "这": 0, "今": 0, "明": 1, "去": -1,
    "next": 1, "last": -1, "this": 0, "the": 0,
}  # fmt: skip


def _which(m: re.Match[str]) -> int:
    """How many weeks, months or years on (back) the form's word says: none is this one."""
    word = (m["which"] or "").strip()
    return _WHICH[word if word.isascii() or word in _WHICH else word[:1]] if word else 0


def _next_month(m: re.Match[str], today: date, past: bool) -> date:
    # the same day next (or last) month, or that month's last day
    return today + relativedelta(months=_which(m))


def _month_edge(m: re.Match[str], today: date, past: bool) -> date:
    """月底 (月末), 下月初, 上个月底, end of next month: a month's last or first day."""
    month = today.replace(day=1) + relativedelta(months=_which(m))
    return month.replace(day=_edge_day(m["edge"])(month.year, month.month))


def _year_edge(m: re.Match[str], today: date, past: bool) -> date:
    """年底, 明年初, 2027年底, end of the year: 31 December or 1 January."""
    year = int(m["y"]) if m["y"] else today.year + _which(m)
    return date(year, 1, 1) if m["edge"] in ("初", "start", "beginning") else date(year, 12, 31)


def _day_in_month(m: re.Match[str], today: date, past: bool) -> date:
    """下个月5号, 上月20日, 本月15号: that day of that month (refused if the month lacks it)."""
    return (today.replace(day=1) + relativedelta(months=_which(m))).replace(day=_number(m["d"]))


def _weekend(m: re.Match[str], today: date, past: bool) -> date:
    """周末, 这周末: this week's Saturday, or today on its Sunday; 下周末 and 上周末 the Saturday
    of next and last week, 下下周末 of the week after next. 周末 alone for something that
    happened: the latest weekend."""
    weeks = _which(m)
    if weeks == 0 and today.weekday() == 6:
        return today
    if past and not m["which"]:
        return _last_weekday(today, 5)
    return _in_week(today, weeks, 5)


def _cn_weekday(m: re.Match[str], today: date, past: bool) -> date:
    weekday = _CN_WEEKDAYS[m["wd"]]
    if not m["which"]:
        return _last_weekday(today, weekday) if past else _next_weekday(today, weekday)
    return _in_week(today, _which(m), weekday)


def _word(m: re.Match[str], today: date, past: bool) -> date:
    word = m["word"]
    if word in _DAY_OFFSETS and not m["which"]:
        return today + timedelta(days=_DAY_OFFSETS[word])
    if word not in _WEEKDAYS:
        raise ValueError("unknown word")
    weekday = _WEEKDAYS[word]
    if m["which"]:  # next friday is 下周五, last friday 上周五, this friday 本周五: from Monday
        return _in_week(today, _which(m), weekday)
    return _last_weekday(today, weekday) if past else _next_weekday(today, weekday)


def _part_of_day(m: re.Match[str], today: date, past: bool) -> date:
    return today + timedelta(days=1 if m["rel"] == "明" else 0)


_YMD = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<mo>\d{1,2})(?P=sep)(?P<d>\d{1,2})", re.ASCII)
_DAY_FORMS: tuple[tuple[re.Pattern[str], _DayOf], ...] = tuple(
    (re.compile(pattern, re.ASCII) if isinstance(pattern, str) else pattern, day_of)
    for pattern, day_of in (
        (_YMD, _full_date),
        (rf"(?:(?P<y>\d{{4}})年)?(?P<mo>{_NUM})月(?P<d>{_NUM})[日号]", _month_day),
        # 12/15, 12-15, 12.15: month and day, as a birthday or a date of a customer's is typed
        (r"(?P<y>)(?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})", _month_day),
        (rf"(?:(?P<y>\d{{4}})年)?(?P<mo>{_NUM})月(?P<edge>初|底|末)", _month_edge_of),
        (r"(?P<sign>[+-])(?P<n>\d+)(?P<unit>[dwmy])", _signed_offset),
        (
            rf"(?P<n>{_NUM}) ?(?P<unit>天|日|周|个?星期|个?礼拜|个月|年)"
            r"(?P<dir>以后|之后|后|以前|之前|前)(?P<ago>)",
            _worded_offset,
        ),
        (r"半(?P<unit>个?月|年)(?P<dir>以后|之后|后|以前|之前|前)", _half_offset),
        (rf"in (?P<n>{_EN_NUM}) {_EN_UNIT}s?(?P<dir>)(?P<ago>)", _worded_offset),
        (rf"(?P<n>{_EN_NUM}) {_EN_UNIT}s? (?P<ago>ago)(?P<dir>)", _worded_offset),
        # 15 Dec, 15th of December 2026, Dec 15, December 15th, 2026
        (rf"(?P<d>\d{{1,2}}){_ORDINAL} (?:of )?{_MONTH_NAME}{_YEAR_AFTER}", _named_month_day),
        (rf"{_MONTH_NAME} (?P<d>\d{{1,2}}){_ORDINAL}{_YEAR_AFTER}", _named_month_day),
        (r"(?:the )?(?P<d>\d{1,2})(?:st|nd|rd|th)", _day_of_month),
        (rf"(?P<d>{_NUM})[号日]", _day_of_month),
        (rf"(?P<which>下个?|上个?|本|这个?)月(?P<d>{_NUM})[号日]", _day_in_month),
        (r"(?P<which>下个?|上个?|本|这个?)?月(?P<edge>初|底|末)", _month_edge),
        (r"(?P<edge>end|start|beginning) of (?:(?P<which>the|this|next|last) )?month", _month_edge),
        (r"(?:(?P<y>\d{4})|(?P<which>今|本|明|去))?年(?P<edge>初|底|末)", _year_edge),
        (
            r"(?P<edge>end|start|beginning) of (?:(?P<which>the|this|next|last) )?year(?P<y>)",
            _year_edge,
        ),
        (r"(?P<which>下|上)个?月", _next_month),
        (r"(?P<which>next|last) month", _next_month),
        (r"(?:(?P<which>下下|上上|[下上本这])个?)?周末", _weekend),
        (r"(?:(?P<which>this|next|last) )?weekend", _weekend),
        (
            r"(?:(?P<which>下下|上上|[下上本这])个?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])",
            _cn_weekday,
        ),
        (r"(?P<rel>[今明])(?P<part>[早晚])", _part_of_day),
        (r"(?:(?P<which>next|this|last) )?(?P<word>[a-z]+|大?[后前]天|[今明昨]天)", _word),
    )
)


# The forms that name one date, which may carry its weekday: 2026-11-27, 11月27日, 27 Nov, 27号.
_DATED = (_full_date, _month_day, _named_month_day, _day_of_month)
_WEEKDAY_AFTER = re.compile(r" ?(?P<open>\()?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])(?(open)\))")
_WEEKDAY_BEFORE = re.compile(
    r"(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\.?,? ", re.ASCII
)
_WEEKDAY_WORDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _on_weekday(m: re.Match[str], day_of: _DayOf, day: date, today: date, weekday: int) -> date:
    """The day a date typed with its weekday means: `day`, or, for a date without its year
    (month), this year's (month's) when that is the one on the weekday, since kehu writes those
    without it (11月20日 周五 copied from a list, even when past); refused on another weekday."""
    if day.weekday() != weekday and day_of is not _full_date and not m.groupdict().get("y"):
        try:
            own = (
                today.replace(day=day.day)
                if day_of is _day_of_month
                else day.replace(year=today.year)
            )
        except ValueError:  # 2月29日 in a common year, 31号 in a short month
            own = day
        day = own if own.weekday() == weekday else day
    if day.weekday() != weekday:
        raise _WrongWeekday(day, weekday)
    return day


def _number(text: str) -> int:
    """A whole number written in digits or in Chinese numerals up to 99 (十五, 二十, 两, 零五)."""
    if text.isdecimal():
        return int(text)
    tens, ten, ones = text.partition("十")
    if ten:
        high = _CN_DIGITS.get(tens, 0) if tens else 1
        low = _CN_DIGITS.get(ones, -1) if ones else 0
        if high < 1 or low < 0:
            raise ValueError("not a number")
        return high * 10 + low
    if len(text) == 2 and text[0] in "零〇":
        text = text[1]
    if text not in _CN_DIGITS:
        raise ValueError("not a number")
    return _CN_DIGITS[text]


def _in_week(today: date, weeks: int, weekday: int) -> date:
    """Day `weekday` of this week (weeks=0), the next (1) or the last (-1); weeks start Monday."""
    return today + timedelta(days=7 * weeks - today.weekday() + weekday)


def _last_weekday(today: date, weekday: int) -> date:
    """The latest such weekday on or before today (0 to 6 days back)."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def _next_weekday(today: date, weekday: int) -> date:
    """The next such weekday strictly after today (1 to 7 days ahead)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def time_of_day(text: str) -> time | None:
    """A time of day alone as `parse_when` reads one after a day (15:00, 3pm, 下午三点半,
    晚上8点); None when the text is not one."""
    return _clock(" ".join(unicodedata.normalize("NFKC", text).lower().split()))


def _clock(text: str, default_period: str | None = None) -> time | None:
    """A time of day; `default_period` (晚上 after 今晚) applies when the text names none."""
    m = _CLOCK.fullmatch(text)
    # A bare number is not a time, a Chinese numeral needs 点, and "下午3pm" says the half of the
    # day twice.
    if not m or not (m["min"] or m["dian"] or m["ampm"]) or (m["period"] and m["ampm"]):
        return None
    if not m["h"].isdecimal() and not m["dian"]:
        return None
    if default_period and (m["period"] or m["ampm"]):
        return None  # 今晚下午3点: two halves of the day
    hour = _number(m["h"])
    if half_of_day := m["period"] or m["ampm"] or default_period:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half_of_day in _PM else 0)
    if m["half"]:
        minute = 30
    elif m["quarters"]:
        minute = 15 if m["quarters"] == "一" else 45
    else:
        minute = _number(m["min"] or m["cnmin"] or "0")
    return time(hour, minute, int(m["sec"] or 0))


def _whole_seconds(moment: datetime) -> time:
    return moment.time().replace(microsecond=0)  # keeps fold: which of a repeated hour


def _aware(day: date, t: time, tz: tzinfo) -> datetime:
    # A wall time skipped by a DST change moves forward by the gap; a repeated one means its
    # first occurrence unless the time says otherwise (fold=1: from an offset or from now).
    moment: datetime = resolve_imaginary(datetime.combine(day, t, tzinfo=tz))
    return moment
