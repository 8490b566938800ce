"""kehu.base.occasion_input: the date forms people type for a birthday or an anniversary."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BadInput
from kehu.base.occasion_input import ACCEPTED, OccasionDate, occasion_date

S, L = "solar", "lunar"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1985-03-15", (S, 3, 15, False, 1985)),
        ("1985-3-5", (S, 3, 5, False, 1985)),
        ("1985/03/15", (S, 3, 15, False, 1985)),
        ("03-15", (S, 3, 15, False, None)),
        ("02-29", (S, 2, 29, False, None)),
        ("1984-02-29", (S, 2, 29, False, 1984)),
        ("3月15日", (S, 3, 15, False, None)),
        ("3月15号", (S, 3, 15, False, None)),
        ("1985年3月15日", (S, 3, 15, False, 1985)),
        ("公历八月十五", (S, 8, 15, False, None)),
        ("农历八月十五", (L, 8, 15, False, None)),
        ("农历1985年八月十五", (L, 8, 15, False, 1985)),
        ("农历一九八五年八月十五", (L, 8, 15, False, 1985)),
        ("农历8月15日", (L, 8, 15, False, None)),
        ("农历 八月 十五", (L, 8, 15, False, None)),
        ("八月十五", (L, 8, 15, False, None)),
        ("闰四月初八", (L, 4, 8, True, None)),
        ("农历闰四月初八", (L, 4, 8, True, None)),
        ("腊月廿三", (L, 12, 23, False, None)),
        ("正月初一", (L, 1, 1, False, None)),
        ("冬月初一", (L, 11, 1, False, None)),
        ("十一月初十", (L, 11, 10, False, None)),
        ("十二月三十", (L, 12, 30, False, None)),
        ("二月廿", (L, 2, 20, False, None)),
        ("三月卅", (L, 3, 30, False, None)),
        ("五月二十九", (L, 5, 29, False, None)),
        ("lunar 8-15", (L, 8, 15, False, None)),
        ("Lunar 1985-8-15", (L, 8, 15, False, 1985)),
        ("lunar leap 4-8", (L, 4, 8, True, None)),
        ("LUNAR LEAP 12-30", (L, 12, 30, True, None)),
        ("solar 3-15", (S, 3, 15, False, None)),
        ("  1985-03-15 ", (S, 3, 15, False, 1985)),
        ("１９８５－０３－１５", (S, 3, 15, False, 1985)),  # full-width digits and hyphen
        ("农历８月１５", (L, 8, 15, False, None)),
        ("ｌｕｎａｒ ８－１５", (L, 8, 15, False, None)),
    ],
)
def test_accepted_forms(typed, expected):
    assert occasion_date(typed) == OccasionDate(*expected)


@pytest.mark.parametrize(
    "typed",
    [
        "", "   ", "tomorrow", "15", "1985", "2026-13-01", "13-01", "00-10", "02-30", "04-31",
        "1985-02-29", "1799-01-01", "2201-01-01", "lunar 13-1", "lunar 8-31", "lunar 8-0",
        "leap 4-8", "solar leap 4-8", "公历闰四月初八", "公历腊月初八", "农历十三月初一",
        "八月卅一", "初十一", "八月初十一", "八月初", "八月廿十", "八月三十一", "十三月初一",
        "3月32日", "3月", "月15日", "闰月", "1985-03-15-01", "85-03-15", "lunar", "农历",
    ],
)  # fmt: skip
def test_bad_forms_name_the_accepted_ones_on_one_line(typed):
    with pytest.raises(BadInput) as caught:
        occasion_date(typed)
    message = str(caught.value)
    assert ACCEPTED in message and "\n" not in message
    problem = message.replace(ACCEPTED, "")
    assert not typed.strip() or typed.strip() not in problem  # it may be a customer's birthday


def test_range_errors_say_what_was_wrong():
    with pytest.raises(BadInput, match="month must be 1 to 12"):
        occasion_date("lunar 13-1")
    with pytest.raises(BadInput, match="lunar day is 1 to 30"):
        occasion_date("lunar 8-31")
    with pytest.raises(BadInput, match="only a lunar date has a leap month"):
        occasion_date("leap 4-8")
    with pytest.raises(BadInput, match="no such day"):
        occasion_date("1985-02-29")
    with pytest.raises(BadInput, match="year must be 1900 to 2199"):
        occasion_date("1899-12-31")


@given(st.text(max_size=16))
def test_any_text_is_read_or_refused_with_bad_input(typed):
    try:
        found = occasion_date(typed)
    except BadInput:
        return
    assert 1 <= found.month <= 12 and 1 <= found.day <= 30 + (found.calendar == S)
    assert found.calendar in (S, L) and (found.calendar == L or not found.leap)
