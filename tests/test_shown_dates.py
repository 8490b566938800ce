"""The one date formatter (kehu.ui.dates): relative to now, in now's time zone, the date
alone for a date-only value; names and the order of parts come from the catalog."""

import gettext
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kehu.base import i18n
from kehu.ui import dates

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)  # a Sunday


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, year: int = 2026):
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def test_near_days_are_words_and_others_a_weekday_and_date():
    assert dates.moment(at(11, 22, 15, 30), NOW) == "today 15:30"
    assert dates.moment(at(11, 21, 16), NOW) == "yesterday 16:00"
    assert dates.moment(at(11, 23, 9, 5), NOW) == "tomorrow 09:05"
    assert dates.moment(at(11, 24, 9), NOW) == "Tue 24 Nov 09:00"
    assert dates.moment(at(11, 2, 9), NOW) == "Mon 2 Nov 09:00"
    assert dates.moment(at(12, 30, 18, year=2025), NOW) == "Tue 30 Dec 2025 18:00"


def test_a_date_only_value_shows_without_a_time():
    assert dates.moment(at(11, 22), NOW) == "today"
    assert dates.moment(at(11, 25, 23, 59, 59), NOW) == "Wed 25 Nov"
    assert dates.moment(at(12, 30, 23, 59, 59, year=2025), NOW) == "Tue 30 Dec 2025"
    assert dates.moment(at(1, 4, year=2027), NOW) == "Mon 4 Jan 2027"
    assert dates.date_only(at(11, 21, 16), NOW) == "yesterday"


def test_an_instant_is_shown_in_nows_time_zone():
    assert dates.moment(datetime(2026, 11, 22, 20, 0, tzinfo=UTC), NOW) == "tomorrow 04:00"
    new_york = NOW.astimezone(ZoneInfo("America/New_York"))  # Sat 21 Nov 21:00 there
    assert dates.moment(at(11, 22, 15, 30), new_york) == "tomorrow 02:30"


def test_days_and_headings():
    assert dates.day(date(2026, 11, 20), NOW.date()) == "20 Nov"
    assert dates.day(date(2024, 12, 31), NOW.date()) == "31 Dec 2024"
    assert dates.day_of(datetime(2026, 11, 19, 17, tzinfo=UTC), NOW) == "20 Nov"
    assert dates.long_day(NOW.date()) == "Sun 22 Nov 2026"
    assert dates.long_moment(at(11, 25, 9)) == "Wed 25 Nov 2026 09:00"


class Chinese(gettext.NullTranslations):
    WORDS = {
        "{weekday} {date}": "{date} {weekday}",
        "{day} {month}": "{month}{day}日",
        "{day} {month} {year}": "{year}年{month}{day}日",
        "Mon": "周一",
        "Nov": "11月",
        "Dec": "12月",
        "yesterday": "昨天",
    }

    def gettext(self, message: str) -> str:
        return self.WORDS.get(message, message)


def test_a_chinese_form_is_a_catalog_choice(monkeypatch):
    monkeypatch.setattr(i18n, "_lookup", i18n._lookup)  # restored after the test
    monkeypatch.setattr(i18n, "_translation", i18n._translation)
    i18n.install(Chinese())
    assert dates.moment(at(11, 23), at(11, 20)) == "11月23日 周一"
    assert dates.moment(at(11, 21, 16), NOW) == "昨天 16:00"
    assert dates.day(date(2025, 12, 1), NOW.date()) == "2025年12月1日"


ZONES = [TZ, UTC, ZoneInfo("America/New_York"), timezone(timedelta(hours=5, minutes=45))]
INSTANTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@given(INSTANTS, INSTANTS, st.sampled_from(ZONES))
def test_the_time_is_shown_unless_at_the_start_or_end_of_a_day(value, now, zone):
    now = now.astimezone(zone)
    local = value.astimezone(zone)
    shown = dates.moment(value, now)
    at_day_edge = (local.hour, local.minute, local.second) in ((0, 0, 0), (23, 59, 59))
    assert shown.endswith(f" {local:%H:%M}") != at_day_edge
    assert shown.startswith("today") == (local.date() == now.date())
    assert (str(local.year) in shown) == (
        local.year != now.year and abs((local.date() - now.date()).days) > 1
    )
