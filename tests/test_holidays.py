"""kehu.rules.holidays: the greeting days, computed, checked against zhdate and `holidays`."""

from datetime import date, timedelta

import holidays as holidays_package
import pytest
from zhdate import ZhDate

from kehu.rules.holidays import (
    CODES,
    DEFAULT_ENABLED,
    FIXED,
    is_known_country,
    on,
    upcoming,
)

DISPUTED = {(2057, "double_ninth")}  # 2057's month 9: see DISPUTED_MONTHS in test_calendar_rules


def test_2026_greeting_days():
    assert upcoming(date(2026, 1, 1), 364, set(CODES)) == [
        (date(2026, 1, 1), "new_year"),
        (date(2026, 2, 16), "new_years_eve"),
        (date(2026, 2, 17), "spring_festival"),
        (date(2026, 3, 3), "lantern"),
        (date(2026, 6, 19), "dragon_boat"),
        (date(2026, 8, 19), "qixi"),
        (date(2026, 9, 25), "mid_autumn"),
        (date(2026, 10, 1), "national_day"),
        (date(2026, 10, 18), "double_ninth"),
    ]


def test_lunar_holidays_agree_with_zhdate_1950_to_2100():
    checked = 0
    for year in range(1950, 2101):
        assert on(year, "new_years_eve") == _zh(year, 1, 1) - timedelta(days=1)
        for code, (calendar, month, day) in FIXED.items():
            if calendar == "lunar" and (year, code) not in DISPUTED:
                assert on(year, code) == _zh(year, month, day), (year, code)
                checked += 1
    print(f"lunar holidays checked against zhdate: {checked}")


def test_holidays_agree_with_the_holidays_packages_chinese_calendar():
    names = {
        "spring_festival": "Chinese New Year (Spring Festival)",
        "dragon_boat": "Dragon Boat Festival",
        "mid_autumn": "Mid-Autumn Festival",
        "national_day": "National Day",
        "new_year": "New Year's Day",
    }
    years = range(2008, 2051)
    china = holidays_package.country_holidays("CN", years=years, language="en_US")
    first_day: dict[tuple[int, str], date] = {}
    for day in sorted(china):
        for name in china.get_list(day):
            first_day.setdefault((day.year, name), day)
    for year in years:
        for code, name in names.items():
            assert on(year, code) == first_day[(year, name)], (year, code)


def test_qixi_and_double_ninth_are_off_by_default():
    assert set(CODES) - {"qixi", "double_ninth"} == DEFAULT_ENABLED
    codes = [code for _day, code in upcoming(date(2026, 1, 1), 364)]
    assert "qixi" not in codes and "double_ninth" not in codes
    assert "mid_autumn" in codes


def test_the_window_includes_both_ends_and_crosses_the_year():
    assert upcoming(date(2026, 9, 25), 0) == [(date(2026, 9, 25), "mid_autumn")]
    assert upcoming(date(2026, 9, 20), 5) == [(date(2026, 9, 25), "mid_autumn")]
    assert upcoming(date(2026, 9, 20), 4) == []
    assert upcoming(date(2026, 9, 26), 5) == [(date(2026, 10, 1), "national_day")]
    assert upcoming(date(2026, 12, 20), 60) == [
        (date(2027, 1, 1), "new_year"),
        (date(2027, 2, 5), "new_years_eve"),
        (date(2027, 2, 6), "spring_festival"),
    ]


def test_only_the_enabled_ones():
    assert upcoming(date(2026, 1, 1), 364, {"mid_autumn"}) == [(date(2026, 9, 25), "mid_autumn")]
    assert upcoming(date(2026, 1, 1), 364, set()) == []


def test_new_years_eve_is_the_29th_or_the_30th_of_the_twelfth_month():
    eves = {on(year, "new_years_eve") for year in range(2020, 2031)}
    lunar_days = {ZhDate.from_datetime(_midnight(eve)).lunar_day for eve in eves}
    assert lunar_days == {29, 30}
    assert on(2025, "new_years_eve") == date(2025, 1, 28)  # a 29th: 2024's 腊月 had 29 days


def test_another_countrys_holidays_come_with_their_country_in_the_code():
    found = upcoming(date(2026, 11, 20), 10, set(), country="us")
    assert found == [(date(2026, 11, 26), "US:Thanksgiving Day")]
    both = upcoming(date(2026, 9, 20), 20, {"mid_autumn"}, country="DE")
    assert both == [(date(2026, 9, 25), "mid_autumn"), (date(2026, 10, 3), "DE:German Unity Day")]


def test_china_as_the_country_adds_no_days_off():
    assert upcoming(date(2026, 4, 1), 40, country="CN") == upcoming(date(2026, 4, 1), 40)


def test_unknown_country():
    assert is_known_country("us") and is_known_country("DE")
    assert not is_known_country("XX")
    with pytest.raises(ValueError):
        upcoming(date(2026, 1, 1), 10, country="XX")


def _zh(year: int, month: int, day: int) -> date:
    return ZhDate(year, month, day).to_datetime().date()


def _midnight(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)
