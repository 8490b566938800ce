import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz
from dateutil.relativedelta import relativedelta
from dateutil.tz import datetime_exists
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.dates import ACCEPTED, DateParseError, When, at_end, at_event, at_start, parse_when

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
WED = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
SUN = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
MON = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22", When(d(11, 22), None)),
        ("2026-11-22T15:30", When(d(11, 22), time(15, 30))),
        ("2026-11-22 15:30", When(d(11, 22), time(15, 30))),
        ("2026-11-22T15:30:00", When(d(11, 22), time(15, 30))),
        ("2026-11-22 15:30:10", When(d(11, 22), time(15, 30, 10))),
        ("2026-11-22t09:05", When(d(11, 22), time(9, 5))),
        ("2026-11-22 3pm", When(d(11, 22), time(15))),
        ("1999-01-01", When(d(1, 1, 1999), None)),
        ("2028-02-29", When(d(2, 29, 2028), None)),
    ],
)
def test_iso(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22T15:30+08:00", When(d(11, 22), time(15, 30))),
        ("2026-11-22T15:30Z", When(d(11, 22), time(23, 30))),
        ("2026-11-22T15:30:45z", When(d(11, 22), time(23, 30, 45))),
        ("2026-11-22T20:00-05:00", When(d(11, 23), time(9, 0))),
        ("2026-11-22 01:00+0900", When(d(11, 22), time(0, 0))),
        ("2026-11-22T00:30+09:00", When(d(11, 21), time(23, 30))),
    ],
)
def test_iso_with_offset_is_converted_to_nows_zone(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


def test_iso_with_offset_in_another_zone() -> None:
    now = datetime(2026, 7, 1, 12, 0, tzinfo=NEW_YORK)  # EDT, UTC-4
    assert parse_when("2026-07-01T12:00Z", now) == When(d(7, 1), time(8, 0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", d(11, 25)),
        ("tomorrow", d(11, 26)),
        ("yesterday", d(11, 24)),
        ("今天", d(11, 25)),
        ("明天", d(11, 26)),
        ("后天", d(11, 27)),
        ("昨天", d(11, 24)),
        ("前天", d(11, 23)),
    ],
)
def test_day_words(text: str, expected: date) -> None:
    assert parse_when(text, WED) == When(expected, None)


def test_today_is_the_date_in_nows_own_zone() -> None:
    # 2026-11-25 23:30 in New York is already the 26th in UTC.
    now = datetime(2026, 11, 25, 23, 30, tzinfo=NEW_YORK)
    assert parse_when("today", now).day == d(11, 25)
    assert parse_when("tomorrow", now).day == d(11, 26)


@pytest.mark.parametrize("text", ["now", "现在", "NOW", " now "])
def test_now_keeps_seconds_and_drops_microseconds(text: str) -> None:
    now = datetime(2026, 11, 25, 10, 7, 42, 123456, tzinfo=SHANGHAI)
    assert parse_when(text, now) == When(d(11, 25), time(10, 7, 42))


@pytest.mark.parametrize(
    ("text", "on_wed", "on_sun", "on_mon"),
    [
        ("monday", d(11, 30), d(11, 30), d(12, 7)),
        ("tuesday", d(12, 1), d(12, 1), d(12, 1)),
        ("wednesday", d(12, 2), d(12, 2), d(12, 2)),
        ("thursday", d(11, 26), d(12, 3), d(12, 3)),
        ("friday", d(11, 27), d(12, 4), d(12, 4)),
        ("saturday", d(11, 28), d(12, 5), d(12, 5)),
        ("sunday", d(11, 29), d(12, 6), d(12, 6)),
        ("mon", d(11, 30), d(11, 30), d(12, 7)),
        ("wed", d(12, 2), d(12, 2), d(12, 2)),
        ("Sun", d(11, 29), d(12, 6), d(12, 6)),
        ("周一", d(11, 30), d(11, 30), d(12, 7)),
        ("周三", d(12, 2), d(12, 2), d(12, 2)),
        ("周日", d(11, 29), d(12, 6), d(12, 6)),
        ("周天", d(11, 29), d(12, 6), d(12, 6)),
        ("星期四", d(11, 26), d(12, 3), d(12, 3)),
        ("星期日", d(11, 29), d(12, 6), d(12, 6)),
        ("下周一", d(11, 30), d(11, 30), d(12, 7)),
        ("下周三", d(12, 2), d(12, 2), d(12, 9)),
        ("下周六", d(12, 5), d(12, 5), d(12, 12)),
        ("下周日", d(12, 6), d(12, 6), d(12, 13)),
        ("下周天", d(12, 6), d(12, 6), d(12, 13)),
        ("下星期一", d(11, 30), d(11, 30), d(12, 7)),
        ("下星期日", d(12, 6), d(12, 6), d(12, 13)),
    ],
)
def test_weekdays(text: str, on_wed: date, on_sun: date, on_mon: date) -> None:
    assert parse_when(text, WED) == When(on_wed, None)
    assert parse_when(text, SUN) == When(on_sun, None)
    assert parse_when(text, MON) == When(on_mon, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+0d", d(11, 25)),
        ("+3d", d(11, 28)),
        ("+10d", d(12, 5)),
        ("-2d", d(11, 23)),
        ("+2w", d(12, 9)),
        ("-1w", d(11, 18)),
        ("+1m", d(12, 25)),
        ("+2m", d(1, 25, 2027)),
        ("-1m", d(10, 25)),
        ("+1y", d(11, 25, 2027)),
        ("-1y", d(11, 25, 2025)),
        ("+3D", d(11, 28)),
    ],
)
def test_offsets(text: str, expected: date) -> None:
    assert parse_when(text, WED) == When(expected, None)


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (d(1, 31), "+1m", d(2, 28)),
        (d(1, 31, 2028), "+1m", d(2, 29, 2028)),
        (d(3, 31), "-1m", d(2, 28)),
        (d(8, 31), "+1m", d(9, 30)),
        (d(2, 29, 2028), "+1y", d(2, 28, 2029)),
        (d(12, 31), "+1d", d(1, 1, 2027)),
    ],
)
def test_offsets_at_month_end(today: date, text: str, expected: date) -> None:
    now = datetime.combine(today, time(10), tzinfo=SHANGHAI)
    assert parse_when(text, now).day == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3h", When(d(11, 25), time(13, 0))),
        ("-2h", When(d(11, 25), time(8, 0))),
        ("+15h", When(d(11, 26), time(1, 0))),
        ("-11h", When(d(11, 24), time(23, 0))),
        ("+0h", When(d(11, 25), time(10, 0))),
    ],
)
def test_hours(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


def test_hours_are_elapsed_time_across_a_dst_change() -> None:
    # New York springs forward at 02:00 on 2026-03-08: three hours after 00:30 is 04:30.
    now = datetime(2026, 3, 8, 0, 30, tzinfo=NEW_YORK)
    assert parse_when("+3h", now) == When(d(3, 8), time(4, 30))


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("15:30", time(15, 30)),
        ("9:05", time(9, 5)),
        ("09:05", time(9, 5)),
        ("0:00", time(0, 0)),
        ("23:59:59", time(23, 59, 59)),
        ("15:30:10", time(15, 30, 10)),
        ("3pm", time(15)),
        ("3PM", time(15)),
        ("3 pm", time(15)),
        ("3:30pm", time(15, 30)),
        ("9am", time(9)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("11:59pm", time(23, 59)),
        ("15点", time(15)),
        ("3点半", time(3, 30)),
        ("15点30", time(15, 30)),
        ("15点30分", time(15, 30)),
        ("9点5分", time(9, 5)),
        ("下午3点", time(15)),
        ("下午3点半", time(15, 30)),
        ("下午3:30", time(15, 30)),
        ("上午9点", time(9)),
        ("早上8点", time(8)),
        ("晚上8点", time(20)),
        ("晚上8点15分", time(20, 15)),
    ],
)
def test_time_of_day_after_a_date(suffix: str, expected: time) -> None:
    assert parse_when(f"tomorrow {suffix}", WED) == When(d(11, 26), expected)
    assert parse_when(f"2026-11-22 {suffix}", WED) == When(d(11, 22), expected)
    assert parse_when(f"+1w {suffix}", WED) == When(d(12, 2), expected)
    assert parse_when(f"friday {suffix}", WED) == When(d(11, 27), expected)
    assert parse_when(f"明天 {suffix}", WED) == When(d(11, 26), expected)
    assert parse_when(f"明天{suffix}", WED) == When(d(11, 26), expected)
    assert parse_when(f"下周一{suffix}", WED) == When(d(11, 30), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明天下午3点", When(d(11, 26), time(15))),
        ("后天上午9点", When(d(11, 27), time(9))),
        ("昨天晚上8点", When(d(11, 24), time(20))),
        ("周五15点30分", When(d(11, 27), time(15, 30))),
        ("下星期二 10:00", When(d(12, 1), time(10))),
        ("今天3点半", When(d(11, 25), time(3, 30))),
    ],
)
def test_chinese_date_and_time(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Tomorrow  ", When(d(11, 26), None)),
        ("TOMORROW 3PM", When(d(11, 26), time(15))),
        ("MONDAY", When(d(11, 30), None)),
        ("tomorrow   15:30", When(d(11, 26), time(15, 30))),
        ("\t2026-11-22\n", When(d(11, 22), None)),
        ("明天　１５：３０", When(d(11, 26), time(15, 30))),  # full-width, as Chinese IMEs type
        ("＋３ｄ", When(d(11, 28), None)),
    ],
)
def test_case_and_whitespace_are_ignored(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2026-13-01",
        "2026-02-30",
        "2026-11-00",
        "25:00",
        "tomorrow 25:00",
        "tomorrow 15:60",
        "tomorrow 24:00",
        "tomorrow 3",
        "tomorrow 13pm",
        "tomorrow 0am",
        "tomorrow 下午3pm",
        "tomorrow15:30",
        "+3x",
        "3d",
        "+d",
        "+3h 15:00",
        "now 15:00",
        "现在 15:00",
        "下周八",
        "周八",
        "下周",
        "mond",
        "2026-11-22T15:30+08:99",
        "2026-11-22T25:30Z",
        "2026-11-22T15:30:00.123",
        "+99999999999999999999999d",
        "+99999999999999999999m",
        "+99999999999999999999h",
        "9999-12-31T23:00-05:00",
        "'; DROP TABLE customers; --",
        "tomorrow'); DELETE FROM notes; --",
    ],
)
def test_bad_input_raises_date_parse_error(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, WED)
    message = str(caught.value)
    assert "\n" not in message
    assert text.strip() in message
    assert "accepted" in message
    assert ACCEPTED in message


def test_date_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="can't read the date 'xyz'; accepted: "):
        parse_when("xyz", WED)


def test_accepted_is_one_line() -> None:
    assert ACCEPTED.startswith("accepted: ")
    assert "\n" not in ACCEPTED


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("today", datetime(2026, 11, 25, 10, 0))


DAY_ONLY = When(d(11, 22), None)
WITH_TIME = When(d(11, 22), time(15, 30))


def test_at_start() -> None:
    assert at_start(DAY_ONLY, SHANGHAI) == datetime(2026, 11, 22, 0, 0, tzinfo=SHANGHAI)
    assert at_start(WITH_TIME, SHANGHAI) == datetime(2026, 11, 22, 15, 30, tzinfo=SHANGHAI)
    assert at_start(WITH_TIME, NEW_YORK).isoformat() == "2026-11-22T15:30:00-05:00"


def test_at_end() -> None:
    assert at_end(DAY_ONLY, SHANGHAI) == datetime(2026, 11, 22, 23, 59, 59, tzinfo=SHANGHAI)
    assert at_end(WITH_TIME, SHANGHAI) == datetime(2026, 11, 22, 15, 30, tzinfo=SHANGHAI)


def test_at_event() -> None:
    now = datetime(2026, 11, 25, 10, 7, 42, 123456, tzinfo=SHANGHAI)
    assert at_event(DAY_ONLY, now) == datetime(2026, 11, 22, 10, 7, 42, tzinfo=SHANGHAI)
    assert at_event(WITH_TIME, now) == datetime(2026, 11, 22, 15, 30, tzinfo=SHANGHAI)
    assert at_event(parse_when("yesterday", now), now) == now.replace(microsecond=0) - timedelta(
        days=1
    )
    assert at_event(DAY_ONLY, now).tzinfo is SHANGHAI


@pytest.mark.parametrize("zone", [NEW_YORK, dateutil_tz.gettz("America/New_York")])
def test_dst_gaps_and_overlaps_give_real_times(zone: tzinfo) -> None:
    # New York springs forward 02:00 -> 03:00 on 2026-03-08 and falls back on 2026-11-01.
    end = at_end(When(d(3, 8), None), zone)
    assert end.isoformat() == "2026-03-08T23:59:59-04:00"

    skipped = at_start(When(d(3, 8), time(2, 30)), zone)
    assert skipped.isoformat() == "2026-03-08T03:30:00-04:00"
    assert datetime_exists(skipped)

    repeated = at_start(When(d(11, 1), time(1, 30)), zone)
    assert repeated.isoformat() == "2026-11-01T01:30:00-04:00"  # first occurrence
    assert repeated.fold == 0

    event_now = datetime(2026, 3, 9, 2, 30, tzinfo=zone)
    event = at_event(When(d(3, 8), None), event_now)
    assert event.isoformat() == "2026-03-08T03:30:00-04:00"
    assert datetime_exists(event)


def test_missing_midnight_moves_forward() -> None:
    # Sao Paulo skipped 00:00-01:00 on 2018-11-04.
    start = at_start(When(d(11, 4, 2018), None), ZoneInfo("America/Sao_Paulo"))
    assert start.isoformat() == "2018-11-04T01:00:00-02:00"


def test_results_are_aware_in_the_given_zone() -> None:
    zone = dateutil_tz.gettz("Europe/Berlin")
    assert zone is not None
    start = at_start(parse_when("2026-07-01 09:00", WED), zone)
    assert start.tzinfo is zone
    assert start.astimezone(UTC) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)


nows = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.timezones()
)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), nows)
def test_any_iso_date_reads_back(day: date, now: datetime) -> None:
    assert parse_when(day.isoformat(), now) == When(day, None)


@given(st.integers(min_value=0, max_value=400), nows)
def test_plus_n_days(n: int, now: datetime) -> None:
    assert parse_when(f"+{n}d", now) == When(now.date() + timedelta(days=n), None)
    assert parse_when(f"-{n}d", now) == When(now.date() - timedelta(days=n), None)


WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@given(st.integers(min_value=0, max_value=6), st.booleans(), nows)
def test_weekday_names_are_the_next_such_day(weekday: int, short: bool, now: datetime) -> None:
    name = WEEKDAY_NAMES[weekday][:3] if short else WEEKDAY_NAMES[weekday]
    day = parse_when(name, now).day
    assert 1 <= (day - now.date()).days <= 7
    assert day.weekday() == weekday
    assert parse_when("周" + "一二三四五六日"[weekday], now).day == day


@given(st.integers(min_value=0, max_value=6), nows)
def test_next_week_is_in_the_next_monday_to_sunday_week(weekday: int, now: datetime) -> None:
    day = parse_when("下周" + "一二三四五六日"[weekday], now).day
    next_monday = now.date() + timedelta(days=7 - now.date().weekday())
    assert day == next_monday + timedelta(days=weekday)


# Random text, and text built from the pieces of the grammar so it gets past the first regex.
near_misses = st.text(
    alphabet="0123456789-+: tzdwmyhapno点半分下午上晚早周星期礼拜一二三四五六日天今明后昨前"
)


@given(st.one_of(st.text(), near_misses), nows)
def test_random_text_only_ever_raises_date_parse_error(text: str, now: datetime) -> None:
    try:
        when = parse_when(text, now)
    except DateParseError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(when.day, date)


@given(
    st.sampled_from(["today", "明天", "+3d", "friday", "下周三", "2026-11-22"]),
    st.sampled_from(["15:30", "3pm", "下午3点", "9:05:07", ""]),
    nows,
)
def test_times_are_valid_and_round_trip(day_text: str, time_text: str, now: datetime) -> None:
    when = parse_when(f"{day_text} {time_text}", now)
    assert (when.time is None) == (time_text == "")
    zone = now.tzinfo
    assert zone is not None
    for moment in (at_start(when, zone), at_end(when, zone), at_event(when, now)):
        assert moment.tzinfo is zone
        assert datetime_exists(moment)


def test_weekday_names_mean_the_latest_one_for_things_that_happened():
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert parse_when("friday", sunday, past=True).day == date(2026, 11, 27)
    assert parse_when("sunday", sunday, past=True).day == date(2026, 11, 29)
    assert parse_when("周五", sunday, past=True).day == date(2026, 11, 27)
    assert parse_when("friday", sunday).day == date(2026, 12, 4)
    assert parse_when("下周一", sunday, past=True).day == date(2026, 11, 30)


# Dates as people type them, in both languages. `now` is WED: Wednesday 2026-11-25 10:00.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A month and day without a year: this year's, or next year's once it has passed.
        ("1月31日", When(d(1, 31, 2027), None)),
        ("1月31号", When(d(1, 31, 2027), None)),
        ("12月31日", When(d(12, 31), None)),
        ("11月25日", When(d(11, 25), None)),
        ("一月三十一日", When(d(1, 31, 2027), None)),
        ("2028年1月31日", When(d(1, 31, 2028), None)),
        ("1/31", When(d(1, 31, 2027), None)),
        ("12/31", When(d(12, 31), None)),
        ("2/29", When(d(2, 29, 2028), None)),  # the next year that has one
        ("2028/1/31", When(d(1, 31, 2028), None)),
        ("2028.1.31", When(d(1, 31, 2028), None)),
        # A day of the month: this month's, or next month's once it has passed.
        ("25号", When(d(11, 25), None)),
        ("30号", When(d(11, 30), None)),
        ("24号", When(d(12, 24), None)),
        ("1号", When(d(12, 1), None)),
        ("31号", When(d(12, 31), None)),  # November has no 31st
        ("三十号", When(d(11, 30), None)),
        ("28日", When(d(11, 28), None)),
        # Offsets in words.
        ("3天后", When(d(11, 28), None)),
        ("三天后", When(d(11, 28), None)),
        ("3 天后", When(d(11, 28), None)),
        ("10天以后", When(d(12, 5), None)),
        ("两周后", When(d(12, 9), None)),
        ("2个星期后", When(d(12, 9), None)),
        ("一个礼拜后", When(d(12, 2), None)),
        ("1个月后", When(d(12, 25), None)),
        ("一年后", When(d(11, 25, 2027), None)),
        ("3天前", When(d(11, 22), None)),
        ("两周之前", When(d(11, 11), None)),
        ("in 3 days", When(d(11, 28), None)),
        ("in 1 day", When(d(11, 26), None)),
        ("in 2 weeks", When(d(12, 9), None)),
        ("in 1 month", When(d(12, 25), None)),
        ("in 2 years", When(d(11, 25, 2028), None)),
        ("3 days ago", When(d(11, 22), None)),
        ("1 week ago", When(d(11, 18), None)),
        # Named days.
        ("大后天", When(d(11, 28), None)),
        ("大前天", When(d(11, 22), None)),
        ("下个月", When(d(12, 25), None)),  # the same day next month
        ("下月", When(d(12, 25), None)),
        ("next month", When(d(12, 25), None)),
        ("月底", When(d(11, 30), None)),
        ("本月底", When(d(11, 30), None)),
        ("end of month", When(d(11, 30), None)),
        ("end of the month", When(d(11, 30), None)),
        ("本周五", When(d(11, 27), None)),
        ("这周五", When(d(11, 27), None)),
        ("这个星期五", When(d(11, 27), None)),
        ("本周一", When(d(11, 23), None)),  # this week's Monday, even when it has passed
        ("上周五", When(d(11, 20), None)),
        ("下个星期一", When(d(11, 30), None)),
        ("this friday", When(d(11, 27), None)),
        ("next friday", When(d(12, 4), None)),  # like 下周五: in next week, not this one
        ("next tuesday", When(d(12, 1), None)),
        ("next mon", When(d(11, 30), None)),
        # Parts of the day.
        ("今晚", When(d(11, 25), time(20))),
        ("明晚", When(d(11, 26), time(20))),
        ("今早", When(d(11, 25), time(9))),
        ("明早", When(d(11, 26), time(9))),
        ("今晚8点", When(d(11, 25), time(20))),
        ("今晚八点半", When(d(11, 25), time(20, 30))),
        ("明早8点", When(d(11, 26), time(8))),
        ("明早 7:30", When(d(11, 26), time(7, 30))),
        # A part of the day without its hour: 上午 as 明早, 晚上 as 今晚; 中午 12, 下午 15, 傍晚 18.
        ("明天上午", When(d(11, 26), time(9))),
        ("明天中午", When(d(11, 26), time(12))),
        ("明天下午", When(d(11, 26), time(15))),
        ("后天晚上", When(d(11, 27), time(20))),
        ("周五傍晚", When(d(11, 27), time(18))),
        ("下周一上午", When(d(11, 30), time(9))),
        ("今天下午", When(d(11, 25), time(15))),
        ("下午", When(d(11, 25), time(15))),  # as a time alone: today's, or tomorrow's once past
        ("上午", When(d(11, 26), time(9))),
        # Chinese numerals in times.
        ("周五下午三点", When(d(11, 27), time(15))),
        ("明天十点半", When(d(11, 26), time(10, 30))),
        ("明天三点十五分", When(d(11, 26), time(3, 15))),
        ("明天下午三点一刻", When(d(11, 26), time(15, 15))),
        ("明天下午三点三刻", When(d(11, 26), time(15, 45))),
        ("明天下午两点", When(d(11, 26), time(14))),
        ("明天下午三点零五", When(d(11, 26), time(15, 5))),
        ("明天十二点", When(d(11, 26), time(12))),
        ("明天二十点", When(d(11, 26), time(20))),
        ("明天上午十一点二十分", When(d(11, 26), time(11, 20))),
        ("明天三点钟", When(d(11, 26), time(3))),
        # New day forms followed by a time.
        ("next friday 3pm", When(d(12, 4), time(15))),
        ("in 3 days 15:00", When(d(11, 28), time(15))),
        ("1/31 15:30", When(d(1, 31, 2027), time(15, 30))),
        ("2028/1/31 15:30", When(d(1, 31, 2028), time(15, 30))),
        ("2028/1/31t15:30", When(d(1, 31, 2028), time(15, 30))),
        ("1月31日下午3点", When(d(1, 31, 2027), time(15))),
        ("31号下午三点", When(d(12, 31), time(15))),
        ("3天后下午3点", When(d(11, 28), time(15))),
        ("月底 17:00", When(d(11, 30), time(17))),
        ("大后天上午十点", When(d(11, 28), time(10))),
        # A time alone: today, or tomorrow once that time has passed.
        ("15:00", When(d(11, 25), time(15))),
        ("15:30", When(d(11, 25), time(15, 30))),
        ("3pm", When(d(11, 25), time(15))),
        ("下午3点", When(d(11, 25), time(15))),
        ("下午三点", When(d(11, 25), time(15))),
        ("十点半", When(d(11, 25), time(10, 30))),
        ("10:00", When(d(11, 25), time(10))),  # now exactly is still today
        ("9:00", When(d(11, 26), time(9))),
        ("早上8点", When(d(11, 26), time(8))),
        ("9am", When(d(11, 26), time(9))),
    ],
)
def test_dates_people_type(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


# For something that happened (`log --at`), a day named without its week, month or year is the
# latest such day, today included; a time alone is today's, or yesterday's if still to come.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1月31日", When(d(1, 31), None)),
        ("12月31日", When(d(12, 31, 2025), None)),
        ("11月25日", When(d(11, 25), None)),
        ("1/31", When(d(1, 31), None)),
        ("2/29", When(d(2, 29, 2024), None)),
        ("24号", When(d(11, 24), None)),
        ("25号", When(d(11, 25), None)),
        ("26号", When(d(10, 26), None)),
        ("31号", When(d(10, 31), None)),
        ("15:00", When(d(11, 24), time(15))),
        ("9:00", When(d(11, 25), time(9))),
        ("10:00", When(d(11, 25), time(10))),
        ("下午3点", When(d(11, 24), time(15))),
        ("下午", When(d(11, 24), time(15))),
        ("上午", When(d(11, 25), time(9))),
        ("昨天下午", When(d(11, 24), time(15))),
        ("3天前", When(d(11, 22), None)),
        ("本周五", When(d(11, 27), None)),
    ],
)
def test_dates_people_type_for_events(text: str, expected: When) -> None:
    assert parse_when(text, WED, past=True) == expected


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (datetime(2026, 1, 31, 10, 0, tzinfo=SHANGHAI), "下个月", d(2, 28)),
        (datetime(2028, 2, 3, 10, 0, tzinfo=SHANGHAI), "月底", d(2, 29, 2028)),
        (datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI), "1号", d(1, 1, 2027)),
        (datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI), "1/1", d(1, 1, 2027)),
        (datetime(2026, 1, 31, 10, 0, tzinfo=SHANGHAI), "30号", d(3, 30)),  # February has none
        (SUN, "本周五", d(11, 27)),
        (SUN, "next friday", d(12, 4)),
        (SUN, "this sunday", d(11, 29)),
        (MON, "next friday", d(12, 11)),
        (datetime(2026, 11, 25, 23, 30, tzinfo=SHANGHAI), "15:00", d(11, 26)),
        (datetime(2026, 11, 25, 23, 30, tzinfo=SHANGHAI), "今晚", d(11, 25)),
    ],
)
def test_dates_people_type_at_edges(now: datetime, text: str, expected: date) -> None:
    assert parse_when(text, now).day == expected


@pytest.mark.parametrize(
    "text",
    [
        "1/32",
        "0/1",
        "2月30日",
        "13月1日",
        "32号",
        "0号",
        "三十二号",
        "十十号",
        "十十点",
        "二十五点",
        "三",
        "三pm",
        "三:30",
        "下午十三点",
        "今晚下午3点",
        "今晚上",
        "明天下午下午",
        "明早3pm",
        "今晚 3pm",
        "1/31x",
        "1/3115:00",
        "next week",
        "next",
        "this",
        "next friday3pm",
        "in 3",
        "in 3 fortnights",
        "3 days",
        "3天",
        "3月后",
        "下周",
        "下下个月底",
        "end of week",
        "本周八",
        "99999999999天后",
    ],
)
def test_new_forms_refuse_what_they_cannot_read(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, WED)
    assert text in str(caught.value)
    assert ACCEPTED in str(caught.value)


def test_accepted_lists_the_new_forms_on_one_short_line() -> None:
    for form in ("1/31", "22号", "3天后", "next friday", "今晚", "月底", "15:00", "下午三点"):
        assert form.replace("1/31", "11/22") in ACCEPTED
    assert len(ACCEPTED) < 250


ACCEPTED_FORMS = [
    "2026-11-22",
    "2026-11-22 15:30",
    "2026-11-22T15:30+08:00",
    "+3d",
    "-2w",
    "+1m",
    "+3h",
    "now",
    "现在",
    "today",
    "tomorrow 3pm",
    "friday",
    "周五",
    "下周一",
    "明天下午3点",
    "1月31日",
    "2028年1月31日",
    "1/31",
    "2/29",
    "31号",
    "2028/1/31",
    "2028.1.31 15:30",
    "3天后",
    "两周后",
    "下个月",
    "大后天",
    "月底",
    "本周五",
    "这周五",
    "周五下午三点",
    "十点半",
    "三点十五分",
    "今晚",
    "明早",
    "15:00",
    "3pm",
    "下午3点",
    "next friday",
    "in 3 days",
    "end of month",
    "in 2 weeks",
    "3 days ago",
    "下个月5号",
    "下月初",
    "上个月底",
    "年底",
    "2月底",
    "周末",
    "下周末",
    "3小时后",
    "半小时后",
    "10分钟前",
    "刚才",
    "12.15",
    "12.15 15:00",
    "last friday",
    "上个月",
    "in 2 hours",
    "end of next month",
]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))} | {" ": "\u3000"}


@given(st.sampled_from(ACCEPTED_FORMS), nows, st.booleans())
def test_accepted_forms_at_any_now_only_ever_raise_date_parse_error(
    text: str, now: datetime, past: bool
) -> None:
    try:
        when = parse_when(text, now, past=past)
    except DateParseError:
        pass  # e.g. an offset past the year 9999
    else:
        zone = now.tzinfo
        assert zone is not None
        assert datetime_exists(at_end(when, zone))


@given(st.sampled_from(ACCEPTED_FORMS), nows, st.booleans())
def test_full_width_forms_read_as_ascii(text: str, now: datetime, past: bool) -> None:
    wide = "".join(FULL_WIDTH.get(c, c) for c in text)
    assert parse_when(wide, now, past=past) == parse_when(text, now, past=past)


def test_every_accepted_form_reads_at_a_fixed_now() -> None:
    for text in ACCEPTED_FORMS:
        assert isinstance(parse_when(text, WED), When), text


near_misses_of_new_forms = st.text(
    alphabet="0123456789/.:+- 年月日号天周个星期礼拜后前以之大下上本这底今明晚早点钟半刻分"
    "零〇一二两三四五六七八九十nextisdaywkagoendofmthpm"
)


@given(near_misses_of_new_forms, nows, st.booleans())
def test_near_misses_of_new_forms_only_ever_raise_date_parse_error(
    text: str, now: datetime, past: bool
) -> None:
    try:
        parse_when(text, now, past=past)
    except DateParseError as error:
        assert "\n" not in str(error)


# Forms salespeople type every day. `now` is WED: Wednesday 2026-11-25 10:00.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A day of a named month: next, last or this one.
        ("下个月5号", When(d(12, 5), None)),
        ("下月5号", When(d(12, 5), None)),
        ("下个月十五日", When(d(12, 15), None)),
        ("上个月5号", When(d(10, 5), None)),
        ("上月31日", When(d(10, 31), None)),
        ("本月5号", When(d(11, 5), None)),  # this month's, even when it has passed
        ("这个月28号", When(d(11, 28), None)),
        ("下个月5号下午3点", When(d(12, 5), time(15))),
        # The first and the last day of a month or a year.
        ("下月初", When(d(12, 1), None)),
        ("下个月初", When(d(12, 1), None)),
        ("月初", When(d(11, 1), None)),
        ("上个月初", When(d(10, 1), None)),
        ("下个月底", When(d(12, 31), None)),
        ("上月底", When(d(10, 31), None)),
        ("这个月底", When(d(11, 30), None)),
        ("start of next month", When(d(12, 1), None)),
        ("beginning of the month", When(d(11, 1), None)),
        ("end of next month", When(d(12, 31), None)),
        ("end of last month", When(d(10, 31), None)),
        ("年底", When(d(12, 31), None)),
        ("今年底", When(d(12, 31), None)),
        ("明年底", When(d(12, 31, 2027), None)),
        ("明年初", When(d(1, 1, 2027), None)),
        ("去年底", When(d(12, 31, 2025), None)),
        ("2028年底", When(d(12, 31, 2028), None)),
        ("end of year", When(d(12, 31), None)),
        ("end of the year", When(d(12, 31), None)),
        ("start of next year", When(d(1, 1, 2027), None)),
        ("年底 17:00", When(d(12, 31), time(17))),
        # A month's edge without its year: this year's, or next year's once it has passed.
        ("2月底", When(d(2, 28, 2027), None)),
        ("二月底", When(d(2, 28, 2027), None)),
        ("11月底", When(d(11, 30), None)),
        ("12月初", When(d(12, 1), None)),
        ("11月初", When(d(11, 1, 2027), None)),
        ("2028年2月底", When(d(2, 29, 2028), None)),
        # 末 as 底: 月末, 下月末, 2月末, 年末.
        ("月末", When(d(11, 30), None)),
        ("下个月末", When(d(12, 31), None)),
        ("上月末", When(d(10, 31), None)),
        ("2月末", When(d(2, 28, 2027), None)),
        ("年末", When(d(12, 31), None)),
        ("明年末", When(d(12, 31, 2027), None)),
        # Half a year is 6 months; half a month, as people mean it, 15 days.
        ("半年后", When(d(5, 25, 2027), None)),
        ("半年以后", When(d(5, 25, 2027), None)),
        ("半年前", When(d(5, 25), None)),
        ("半个月后", When(d(12, 10), None)),
        ("半月后", When(d(12, 10), None)),
        ("半个月之前", When(d(11, 10), None)),
        ("半个月后下午3点", When(d(12, 10), time(15))),
        # The week after next, and the week before last: from Monday, as 下周一.
        ("下下周一", When(d(12, 7), None)),
        ("下下周日", When(d(12, 13), None)),
        ("下下个星期三", When(d(12, 9), None)),
        ("下下礼拜天", When(d(12, 13), None)),
        ("上上周五", When(d(11, 13), None)),
        ("下下周末", When(d(12, 12), None)),
        ("下下个周末", When(d(12, 12), None)),
        ("上上周末", When(d(11, 14), None)),
        # The weekend: this week's Saturday; next and last week's.
        ("周末", When(d(11, 28), None)),
        ("这周末", When(d(11, 28), None)),
        ("本周末", When(d(11, 28), None)),
        ("这个周末", When(d(11, 28), None)),
        ("下周末", When(d(12, 5), None)),
        ("下个周末", When(d(12, 5), None)),
        ("上周末", When(d(11, 21), None)),
        ("weekend", When(d(11, 28), None)),
        ("this weekend", When(d(11, 28), None)),
        ("next weekend", When(d(12, 5), None)),
        ("last weekend", When(d(11, 21), None)),
        ("周末下午3点", When(d(11, 28), time(15))),
        ("weekend 10am", When(d(11, 28), time(10))),
        # Elapsed time from now, as +3h.
        ("3小时后", When(d(11, 25), time(13))),
        ("3个小时后", When(d(11, 25), time(13))),
        ("两个小时后", When(d(11, 25), time(12))),
        ("三小时以后", When(d(11, 25), time(13))),
        ("半小时后", When(d(11, 25), time(10, 30))),
        ("半个小时后", When(d(11, 25), time(10, 30))),
        ("一个半小时后", When(d(11, 25), time(11, 30))),
        ("1个半小时后", When(d(11, 25), time(11, 30))),
        ("半个钟头后", When(d(11, 25), time(10, 30))),
        ("10分钟后", When(d(11, 25), time(10, 10))),
        ("十五分钟后", When(d(11, 25), time(10, 15))),
        ("3小时前", When(d(11, 25), time(7))),
        ("半小时前", When(d(11, 25), time(9, 30))),
        ("20分钟之前", When(d(11, 25), time(9, 40))),
        ("15小时后", When(d(11, 26), time(1))),
        ("in 2 hours", When(d(11, 25), time(12))),
        ("in 1 hour", When(d(11, 25), time(11))),
        ("in an hour", When(d(11, 25), time(11))),
        ("in half an hour", When(d(11, 25), time(10, 30))),
        ("in 45 minutes", When(d(11, 25), time(10, 45))),
        ("2 hours ago", When(d(11, 25), time(8))),
        ("an hour ago", When(d(11, 25), time(9))),
        ("half an hour ago", When(d(11, 25), time(9, 30))),
        ("10 minutes ago", When(d(11, 25), time(9, 50))),
        # Now.
        ("刚才", When(d(11, 25), time(10))),
        ("刚刚", When(d(11, 25), time(10))),
        ("just now", When(d(11, 25), time(10))),
        # Month.day, as 12/15.
        ("12.15", When(d(12, 15), None)),
        ("1.31", When(d(1, 31, 2027), None)),
        ("11.25", When(d(11, 25), None)),
        ("12.15 15:00", When(d(12, 15), time(15))),
        ("2.29", When(d(2, 29, 2028), None)),
        # Last week's day, as 上周五; last month's day, as 下个月.
        ("last friday", When(d(11, 20), None)),
        ("last mon", When(d(11, 16), None)),
        ("last sunday", When(d(11, 22), None)),
        ("last friday 3pm", When(d(11, 20), time(15))),
        ("上个月", When(d(10, 25), None)),
        ("上月", When(d(10, 25), None)),
        ("last month", When(d(10, 25), None)),
        ("两天后", When(d(11, 27), None)),
    ],
)
def test_everyday_forms(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.15", d(12, 15, 2025)),
        ("11.25", d(11, 25)),
        ("2月底", d(2, 28)),
        ("11月底", d(11, 30, 2025)),
        ("11月初", d(11, 1)),
        ("last friday", d(11, 20)),  # a named week: the same for an event
        ("上周末", d(11, 21)),
        ("上个月5号", d(10, 5)),
        ("周末", d(11, 21)),  # the weekend alone: the latest one
        ("weekend", d(11, 21)),
        ("这周末", d(11, 28)),  # this week's, as 本周五
    ],
)
def test_everyday_forms_for_events(text: str, expected: date) -> None:
    assert parse_when(text, WED, past=True) == When(expected, None)


@pytest.mark.parametrize(
    ("now", "text", "expected", "nearest"),
    [
        (SUN, "周末", d(11, 29), None),  # on a Sunday the weekend is still on: today
        (SUN, "这周末", d(11, 29), None),
        (SUN, "下周末", d(12, 5), None),
        (SUN, "上周末", d(11, 21), None),
        (MON, "周末", d(12, 5), None),
        (datetime(2026, 11, 28, 10, tzinfo=SHANGHAI), "周末", d(11, 28), None),
        (datetime(2026, 1, 31, 10, tzinfo=SHANGHAI), "下个月底", d(2, 28), None),
        (datetime(2028, 1, 31, 10, tzinfo=SHANGHAI), "下个月底", d(2, 29, 2028), None),
        (datetime(2026, 12, 31, 10, tzinfo=SHANGHAI), "下月初", d(1, 1, 2027), None),
        (datetime(2026, 1, 15, 10, tzinfo=SHANGHAI), "上月初", d(12, 1, 2025), None),
        (datetime(2026, 12, 8, 10, tzinfo=SHANGHAI), "下个月5号", d(1, 5, 2027), None),
        (datetime(2027, 3, 1, 10, tzinfo=SHANGHAI), "2月底", d(2, 29, 2028), None),  # a leap year
        (datetime(2027, 3, 1, 10, tzinfo=SHANGHAI), "2月底", d(2, 28, 2027), "nearest"),
        (datetime(2026, 12, 8, 10, tzinfo=SHANGHAI), "12.15", d(12, 15), "nearest"),
        (datetime(2026, 12, 8, 10, tzinfo=SHANGHAI), "11.20", d(11, 20), "nearest"),
        (datetime(2026, 11, 25, 23, 30, tzinfo=SHANGHAI), "半小时后", d(11, 26), None),
    ],
)
def test_everyday_forms_at_edges(now: datetime, text: str, expected: date,
                                 nearest: str | None) -> None:  # fmt: skip
    assert parse_when(text, now, past=bool(nearest), nearest=bool(nearest)).day == expected


@pytest.mark.parametrize(
    "text",
    [
        "下个月31号",  # on 25 Nov: December has a 31st, so use January below
        "下个月32号",
        "下个月0号",
        "13月底",
        "0月初",
        "下下个月5号",
        "月中",
        "下周末末",
        "周末末",
        "下月底初",
        "3小时",
        "小时后",
        "半分钟后",
        "3个半分钟后",
        "10个分钟后",
        "半天后",
        "半个年后",
        "半小时月后",
        "下下下周一",
        "in 3 hours ago",
        "in half an minute",
        "half an minute ago",
        "in a hours ago",
        "12.32",
        "12.15.",
        "12.1515:00",
        "last week",
        "last",
        "last today",
        "this today",
        "next tomorrow",
        "this yesterday",
        "end of week",
        "end of next",
        "99999999999小时后",
        "刚才 15:00",
    ],
)
def test_everyday_forms_refuse_what_they_cannot_read(text: str) -> None:
    now = datetime(2027, 1, 5, 10, tzinfo=SHANGHAI) if text == "下个月31号" else WED
    with pytest.raises(DateParseError) as caught:
        parse_when(text, now)
    assert text in str(caught.value)
    assert ACCEPTED in str(caught.value)


def test_accepted_names_the_everyday_forms() -> None:
    for form in ("周末", "下个月5号", "下月初", "3小时后", "11.22", "-2d"):
        assert form in ACCEPTED


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), nows, st.booleans())
def test_month_dot_day_reads_as_month_slash_day(day: date, now: datetime, past: bool) -> None:
    for nearest in (False, True):
        dotted = parse_when(f"{day.month}.{day.day}", now, past=past, nearest=nearest)
        assert dotted == parse_when(f"{day.month}/{day.day}", now, past=past, nearest=nearest)


@given(st.integers(min_value=0, max_value=400), nows)
def test_hours_in_words_are_plus_hours(n: int, now: datetime) -> None:
    for later in (f"{n}小时后", f"{n}个小时后", f"in {n} hours"):
        assert parse_when(later, now) == parse_when(f"+{n}h", now)
    for earlier in (f"{n}小时前", f"{n} hours ago"):
        assert parse_when(earlier, now) == parse_when(f"-{n}h", now)


@given(st.integers(min_value=0, max_value=600), nows)
def test_minutes_and_half_hours_are_elapsed_time(n: int, now: datetime) -> None:
    def later(minutes: int) -> When:
        moment = (now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(now.tzinfo)
        return When(moment.date(), moment.time().replace(microsecond=0))

    assert parse_when(f"{n}分钟后", now) == later(n)
    assert parse_when(f"{n}个半小时后", now) == later(n * 60 + 30)
    assert parse_when("半小时后", now) == later(30)
    assert parse_when("half an hour ago", now) == later(-30)


@given(st.integers(min_value=0, max_value=6), nows)
def test_last_weekday_is_in_last_week_as_shang_zhou(weekday: int, now: datetime) -> None:
    day = parse_when(f"last {WEEKDAY_NAMES[weekday]}", now).day
    assert day == parse_when("上周" + "一二三四五六日"[weekday], now).day
    monday = now.date() - timedelta(days=now.date().weekday())
    assert day == monday - timedelta(days=7) + timedelta(days=weekday)


@given(nows, st.booleans())
def test_month_and_year_edges_meet(now: datetime, past: bool) -> None:
    """The day after a month's (year's) last day is the next one's first: 月底 + 1 = 下月初."""
    one = timedelta(days=1)
    assert parse_when("月底", now, past=past).day + one == parse_when("下月初", now, past=past).day
    assert parse_when("上月底", now).day + one == parse_when("月初", now).day
    assert parse_when("下个月底", now).day + one == parse_when("下个月", now).day.replace(
        day=1
    ) + relativedelta(months=1)
    assert parse_when("年底", now).day + one == parse_when("明年初", now).day
    assert parse_when("去年底", now).day + one == parse_when("年初", now).day
    assert parse_when("月初", now).day == now.date().replace(day=1)


@given(st.integers(min_value=1, max_value=31), nows)
def test_a_day_of_next_month_is_in_next_month(day: int, now: datetime) -> None:
    month = now.date().replace(day=1) + relativedelta(months=1)
    try:
        when = parse_when(f"下个月{day}号", now)
    except DateParseError:
        assert day > calendar.monthrange(month.year, month.month)[1]
    else:
        assert when == When(month.replace(day=day), None)


@given(st.integers(min_value=1, max_value=12), nows, st.booleans())
def test_a_months_end_is_its_last_day_within_a_year(month: int, now: datetime, past: bool) -> None:
    day = parse_when(f"{month}月底", now, past=past).day
    assert (day.month, (day + timedelta(days=1)).day) == (month, 1)
    assert (day <= now.date()) if past else (day >= now.date())
    assert abs((day - now.date()).days) < 366


@given(nows)
def test_the_weekend_that_happened_is_the_latest(now: datetime) -> None:
    today = now.date()
    day = parse_when("周末", now, past=True).day
    assert day == today if today.weekday() == 6 else day.weekday() == 5
    assert 0 <= (today - day).days <= 6


@given(nows)
def test_the_weekend_is_a_saturday_or_todays_sunday(now: datetime) -> None:
    today = now.date()
    day = parse_when("周末", now).day
    assert day == today if today.weekday() == 6 else day.weekday() == 5
    assert 0 <= (day - today).days <= 5 or today.weekday() == 6
    assert parse_when("下周末", now).day == parse_when("下周六", now).day
    assert parse_when("上周末", now).day == parse_when("上周六", now).day
    assert parse_when("this weekend", now) == parse_when("周末", now)


@given(nows)
def test_just_now_is_now(now: datetime) -> None:
    for text in ("刚才", "刚刚", "just now"):
        assert parse_when(text, now) == parse_when("now", now)


near_misses_of_everyday_forms = st.text(
    alphabet="0123456789.: 年月号周末初底小时钟头分刚才半个下上本这今明去后前以之一两十"
    "nextlastiswkndofyarmouhg"
)


@given(near_misses_of_everyday_forms, nows, st.booleans(), st.booleans())
def test_near_misses_of_everyday_forms_only_ever_raise_date_parse_error(
    text: str, now: datetime, past: bool, nearest: bool
) -> None:
    try:
        parse_when(text, now, past=past, nearest=nearest)
    except DateParseError as error:
        assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # on Wed 25 Nov 2026
        ("15 Dec", When(d(12, 15), None)),
        ("Dec 15", When(d(12, 15), None)),
        ("15 December", When(d(12, 15), None)),
        ("December 15th", When(d(12, 15), None)),
        ("15th of December", When(d(12, 15), None)),
        ("sept 3", When(d(9, 3, 2027), None)),  # passed this year: next year's
        ("Sep. 3", When(d(9, 3, 2027), None)),
        ("1 Jan 2027", When(d(1, 1, 2027), None)),
        ("Dec 15, 2027", When(d(12, 15, 2027), None)),
        ("December 15th, 2027 3pm", When(d(12, 15, 2027), time(15))),
        ("15 Dec 3pm", When(d(12, 15), time(15))),
        ("15 Dec at 10:30", When(d(12, 15), time(10, 30))),
        ("29 Feb", When(d(2, 29, 2028), None)),
        ("the 3rd", When(d(12, 3), None)),  # as 3号
        ("30th", When(d(11, 30), None)),
        ("tomorrow at 3pm", When(d(11, 26), time(15))),
        ("friday at 9am", When(d(11, 27), time(9))),
        ("in a week", When(d(12, 2), None)),
        ("in two weeks", When(d(12, 9), None)),
        ("in three days", When(d(11, 28), None)),
        ("in a month", When(d(12, 25), None)),
        ("in two hours", When(d(11, 25), time(12))),
        ("tonight", When(d(11, 25), time(20))),
        ("tonight 9pm", When(d(11, 25), time(21))),
        ("tomorrow morning", When(d(11, 26), time(9))),
        ("friday afternoon", When(d(11, 27), time(15))),
        ("tomorrow evening", When(d(11, 26), time(18))),
        ("noon", When(d(11, 25), time(12))),
    ],
)
def test_english_dates_with_month_names_and_words(text: str, expected: When) -> None:
    assert parse_when(text, WED) == expected


def test_a_month_name_date_that_happened_is_the_latest_and_a_delivery_the_nearest() -> None:
    assert parse_when("15 Dec", WED, past=True).day == d(12, 15, 2025)
    assert parse_when("Nov 20", WED, past=True).day == d(11, 20)
    assert parse_when("a week ago", WED, past=True).day == d(11, 18)
    assert parse_when("2 Dec", WED, nearest=True).day == d(12, 2)
    assert parse_when("20 Nov", WED, nearest=True).day == d(11, 20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15/12", "can't read the date '15/12': a day and month are written month/day; "
                  "write 12/15, 15 Dec"),
        ("13.1", "can't read the date '13.1': a day and month are written month/day; "
                 "write 1/13, 13 Jan"),
        ("15/12/2026", "can't read the date '15/12/2026': day and month could be either way "
                       "round; write the year first or the month's name: 2026-12-15, 15 Dec 2026"),
        ("12/15/2026", "can't read the date '12/15/2026': day and month could be either way "
                       "round; write the year first or the month's name: 2026-12-15, 15 Dec 2026"),
    ],
)  # fmt: skip
def test_a_day_before_its_month_is_refused_saying_the_order_kehu_reads(text, message) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, WED)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["31/2", "13/13", "15 Decx", "32 Dec", "Dec 32", "15 Dec 99"])
def test_what_is_no_date_either_way_round_lists_the_accepted_forms(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, WED)
    assert ACCEPTED in str(caught.value)
