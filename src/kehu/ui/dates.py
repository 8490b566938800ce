"""The one date formatter: every date and time a person reads goes through here.

Relative to `now` in its time zone: "today 15:30", "yesterday", "tomorrow 09:00", otherwise
"Mon 23 Nov 15:30", with the year when it is not this year. An instant at the start or the
very end of a day (how a date without a time is stored) shows as the date alone. Names and
the order of the parts are catalog entries, so a Chinese catalog can say 11月23日 周一 or
昨天 16:00 without a change here.
"""

from datetime import date, datetime, time, timedelta

from kehu.base.i18n import N_, _

# Date-only values are stored at the start or the very end of their day.
_NO_TIME = (time(0, 0), time(23, 59, 59))


_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip


def _weekday(day: date) -> str:
    return _(_WEEKDAYS[day.weekday()])


def _month(day: date) -> str:
    return _(_MONTHS[day.month - 1])


def _clock_time(local: datetime) -> str:
    return _("{hour:02d}:{minute:02d}").format(hour=local.hour, minute=local.minute)


def has_time(local: datetime) -> bool:
    return local.time().replace(microsecond=0, fold=0) not in _NO_TIME


def day(value: date, today: date) -> str:
    """'23 Nov', or '23 Nov 2025' when not this year."""
    if value.year == today.year:
        return _("{day} {month}").format(day=value.day, month=_month(value))
    return _("{day} {month} {year}").format(day=value.day, month=_month(value), year=value.year)


def near_day(value: date, today: date) -> str:
    """'today', 'yesterday', 'tomorrow', otherwise as `day` words it."""
    offset = (value - today).days
    if offset in (-1, 0, 1):
        return relative_day(value, today)
    return day(value, today)


def day_of(moment: datetime, now: datetime) -> str:
    """The local date of an instant, as `day` words it."""
    return day(moment.astimezone(now.tzinfo).date(), now.date())


def relative_day(value: date, today: date) -> str:
    """A day without a time, as `moment` words one: 'today', 'tomorrow', 'Fri 27 Nov'."""
    offset = (value - today).days
    if offset == 0:
        return _("today")
    if offset == -1:
        return _("yesterday")
    if offset == 1:
        return _("tomorrow")
    return _("{weekday} {date}").format(weekday=_weekday(value), date=day(value, today))


def moment(value: datetime, now: datetime) -> str:
    """'today 15:30', 'yesterday', 'Mon 23 Nov 15:30', 'Mon 30 Dec 2024'…, relative to now."""
    local = value if value.tzinfo is now.tzinfo else value.astimezone(now.tzinfo)
    word = relative_day(local.date(), now.date())
    if not has_time(local):
        return word
    return _("{day} {time}").format(day=word, time=_clock_time(local))


def end_of_day(value: datetime, now: datetime) -> str | None:
    """A deadline at the start of a day (one counted from a day without a time of day) as the
    day it ends: 'today' for tomorrow 00:00; None for a deadline at a time of day."""
    local = value if value.tzinfo is now.tzinfo else value.astimezone(now.tzinfo)
    if has_time(local):
        return None
    return relative_day(local.date() - timedelta(days=1), now.date())


def date_only(value: datetime, now: datetime) -> str:
    """The day of an instant, relative to now, without its time: 'today', 'Mon 23 Nov'."""
    return relative_day(value.astimezone(now.tzinfo).date(), now.date())


def long_day(value: date) -> str:
    """A day in full, for headings: 'Mon 23 Nov 2026'."""
    return _("{weekday} {day} {month} {year}").format(
        weekday=_weekday(value), day=value.day, month=_month(value), year=value.year
    )


def day_in_period(value: date) -> str:
    """A day of a period whose heading gives the year: 'Mon 21 Dec' (12月21日 周一)."""
    return _("{weekday} {date}").format(weekday=_weekday(value), date=day(value, value))


def full_day(value: date) -> str:
    """A day with its year, without the weekday, for a period's ends: '23 Nov 2026'."""
    return _("{day} {month} {year}").format(day=value.day, month=_month(value), year=value.year)


def month_of(value: date) -> str:
    """The month of a day with its year, for a monthly table's heading: 'Nov 2026' (2026年11月)."""
    return _("{month} {year}").format(month=_month(value), year=value.year)


def long_moment(value: datetime) -> str:
    """A day in full and the time: 'Wed 25 Nov 2026 09:00'."""
    return _("{day} {time}").format(day=long_day(value.date()), time=_clock_time(value))


_CN_DIGITS = "一二三四五六七八九十"
_LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")


def lunar_day(month: int, day_number: int, *, leap: bool = False) -> str:
    """A lunar month-day: 农历八月十五, 农历闰四月初八 in Chinese; lunar 8/15, lunar leap 4/8."""
    from kehu.base.i18n import language

    if language() == "zh":
        return "农历" + lunar_day_chinese(month, day_number, leap=leap)
    if leap:
        return _("lunar leap {month}/{day}").format(month=month, day=day_number)
    return _("lunar {month}/{day}").format(month=month, day=day_number)


def lunar_day_chinese(month: int, day_number: int, *, leap: bool = False) -> str:
    """八月十五, 闰四月初八: as a lunar date is written, in any language (files, cards)."""
    return f"{'闰' if leap else ''}{_LUNAR_MONTHS[month - 1]}月{_lunar_day_name(day_number)}"


def _lunar_day_name(n: int) -> str:
    if n <= 10:
        return "初" + _CN_DIGITS[n - 1]
    if n < 20:
        return "十" + _CN_DIGITS[n - 11]
    if n == 20:
        return "二十"
    if n < 30:
        return "廿" + _CN_DIGITS[n - 21]
    return "三十"


def occasion(
    calendar: str, month: int, day_number: int, *, leap: bool, next_day: date, today: date
) -> str:
    """A yearly date shown both ways: '农历八月十五（9月25日 周五）', 'lunar 8/15 (Fri 25 Sep)';
    a solar one as its next day: 'Fri 25 Sep'. A lunar date its year lacks says the day it is
    kept on instead: '农历腊月三十（今年腊月只有廿九，2月5日 周五）', 'lunar 12/30 (Fri 5 Feb;
    12/29 this year, a 29-day month)'; so does 29 February in a year without it: '29 Feb (kept
    on Sun 28 Feb this year, not a leap year)'."""
    solar = _("{weekday} {date}").format(weekday=_weekday(next_day), date=day(next_day, today))
    if calendar != "lunar" and (month, day_number) == (2, 29) and next_day.day != 29:
        return _("{feb29} (kept on {solar} {year}, not a leap year)").format(
            feb29=feb29(), solar=solar, year=_year_word(next_day.year - today.year, next_day.year)
        )
    if calendar != "lunar":
        return solar
    lunar = lunar_day(month, day_number, leap=leap)
    kept = lunar_kept_on(month, day_number, leap=leap, kept_day=next_day, today=today)
    if kept:
        return _("{lunar} ({solar}; {kept})").format(lunar=lunar, solar=solar, kept=kept)
    return _("{lunar} ({solar})").format(lunar=lunar, solar=solar)


def feb29() -> str:
    """'29 Feb' (2月29日): a solar birthday on a leap day, as kept in the years that have it."""
    return _("{day} {month}").format(day=29, month=_(_MONTHS[1]))


def feb29_kept_on(kept_day: date, today: date) -> str | None:
    """The day a 29 February is kept on in a year without one (rules.feb29): 'kept on 28 Feb
    this year, not a leap year' ('今年不是闰年，按2月28日过'); None in a leap year."""
    if (kept_day.month, kept_day.day) == (2, 29):
        return None
    return _("kept on {day} {year}, not a leap year").format(
        day=day(kept_day, kept_day), year=_year_word(kept_day.year - today.year, kept_day.year)
    )


def _year_word(offset: int, year: int) -> str:
    """'this year', 'next year', 'last year' or 'in 2029': a year from the current one."""
    if offset == 0:
        return _("this year")
    if offset == 1:
        return _("next year")
    if offset == -1:
        return _("last year")
    return _("in {year}").format(year=year)


def lunar_kept_on(
    month: int, day_number: int, *, leap: bool, kept_day: date, today: date
) -> str | None:
    """The lunar day a date is kept on in a year that lacks it (a leap month that year does not
    repeat, a 30th of a 29-day month): '今年腊月只有廿九', '明年没有闰冬月，按冬月十五过' (the
    lunar year's word, as Chinese speaks of it, 今年 up to 春节); '12/29 this year, a 29-day
    month', '11/15 next year, no leap month' (the solar year of the day it is kept on). None
    when the year has the date itself."""
    from kehu.base.i18n import language
    from kehu.rules.occasions import lunar_date_of

    year, kept_month, kept_number, kept_leap = lunar_date_of(kept_day)
    if (kept_month, kept_number, kept_leap) == (month, day_number, leap):
        return None
    chinese = language() == "zh"
    if chinese:  # 今年腊月: the lunar year, as Chinese speaks of it up to 春节
        offset = year - lunar_date_of(today)[0]
    else:  # "this year": the year of the solar day shown beside it
        year = kept_day.year
        offset = year - today.year
    year_word = _year_word(offset, year)
    if leap and not kept_leap:  # the regular month's name: 冬月, 11
        month_word = f"{_LUNAR_MONTHS[kept_month - 1]}月" if chinese else str(kept_month)
    elif chinese:
        month_word = ("闰" if kept_leap else "") + f"{_LUNAR_MONTHS[kept_month - 1]}月"
    else:
        month_word = _("leap {month}").format(month=kept_month) if kept_leap else str(kept_month)
    fields = {
        "year": year_word,
        "month": month_word,
        "day": _lunar_day_name(kept_number) if chinese else str(kept_number),
    }
    if leap and not kept_leap and kept_number != day_number:
        return _("{month}/{day} {year}, no leap month and 29 days").format(**fields)
    if leap and not kept_leap:
        return _("{month}/{day} {year}, no leap month").format(**fields)
    return _("{month}/{day} {year}, a 29-day month").format(**fields)
