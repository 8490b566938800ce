"""A lunar date its year lacks, as the screens word it: a 30th of a 29-day month is kept on the
29th, a leap-month date in a year without that leap month in the regular month, and each screen
says so (`date add`, `date list`, `show`, `today`, `calendar`, the calendar file) in both
languages. The kept days come from zhdate (table-based), not from kehu."""

from datetime import date

from conftest import in_chinese
from zhdate import ZhDate

# Lunar 2026 has no leap month and a 腊月 of 29 days: 腊月三十 is kept on 廿九, 5 Feb 2027.
# Lunar 2025 repeats the 6th month (闰六月, 29 days); lunar 2027 repeats none, and its 六月 has
# 29 days.
LA_YUE_29 = ZhDate(2026, 12, 29).to_datetime().date()
DONG_YUE_15 = ZhDate(2026, 11, 15).to_datetime().date()
LEAP_6_29 = ZhDate(2025, 6, 29, True).to_datetime().date()


def test_the_oracle_agrees_with_the_days_these_tests_name():
    assert not ZhDate.validate(2026, 12, 30, False) and date(2027, 2, 5) == LA_YUE_29
    assert not ZhDate.validate(2026, 11, 1, True) and date(2026, 12, 23) == DONG_YUE_15
    assert not ZhDate.validate(2025, 6, 30, True) and date(2025, 8, 22) == LEAP_6_29


def _book(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--tier", "A", now="2026-11-01T10:00")
    kehu.ok("add", "李娜", "--phone", "13900139000", now="2026-11-01T10:00")
    kehu.ok("date", "add", "张伟", "birthday", "农历1980年腊月三十", now="2026-11-01T10:00")
    kehu.ok("date", "add", "李娜", "birthday", "闰冬月十五", now="2026-11-01T10:00")
    kehu.ok("date", "add", "李娜", "wedding", "lunar leap 12-30", now="2026-11-01T10:00")


def test_date_list_says_the_day_a_missing_lunar_date_is_kept_on(kehu):
    _book(kehu)
    listed = kehu.json("date", "list", now="2026-11-30T10:00")
    assert [(d["customer_name"], d["next"]) for d in listed] == [
        ("李娜", DONG_YUE_15.isoformat()),
        ("张伟", LA_YUE_29.isoformat()),
        ("李娜", LA_YUE_29.isoformat()),
    ]
    stored = [(d["month"], d["day"], d["leap"]) for d in listed]
    assert stored == [(11, 15, True), (12, 30, False), (12, 30, True)]  # as typed, unchanged
    lines = kehu.ok("date", "list", now="2026-11-30T10:00").splitlines()
    assert "lunar leap 11/15 (Wed 23 Dec; 11/15 this year, no leap month)" in lines[0]
    assert "lunar 12/30 (Fri 5 Feb 2027; 12/29 next year, a 29-day month), turns 46" in lines[1], (
        lines
    )
    assert (
        "lunar leap 12/30 (Fri 5 Feb 2027; 12/29 next year, no leap month and 29 days)"
        in (lines[2])
    )
    chinese = in_chinese("date", "list", now="2026-11-30T10:00")
    lines = chinese.stdout.splitlines()
    assert "农历闰冬月十五（今年没有闰冬月，按冬月十五过，12月23日 周三）" in lines[0], chinese
    # 腊月 of lunar 2026 is 今年 to a Chinese speaker until 春节, though it falls in 2027.
    assert "农历腊月三十（今年腊月只有廿九，2027年2月5日 周五），满46周岁" in lines[1], lines
    assert "农历闰腊月三十（今年没有闰腊月，腊月只有廿九，2027年2月5日 周五）" in lines[2]


def test_a_leap_month_of_29_days_keeps_its_30th_on_its_29th(kehu):
    kehu.ok("add", "李娜", now="2025-08-01T10:00")
    kehu.ok("date", "add", "李娜", "other", "闰六月三十", "--label", "开业", now="2025-08-01T10:00")
    [listed] = kehu.json("date", "list", now="2025-08-01T10:00")
    assert listed["next"] == LEAP_6_29.isoformat()
    assert "lunar leap 6/30 (Fri 22 Aug; leap 6/29 this year, a 29-day month)" in kehu.ok(
        "date", "list", now="2025-08-01T10:00"
    )
    chinese = in_chinese("date", "list", now="2025-08-01T10:00").stdout
    assert "农历闰六月三十（今年闰六月只有廿九，8月22日 周五）" in chinese, chinese
    # Lunar 2026 has no 闰六月 (its 六月 has 30 days); 2027 neither, with a 六月 of 29 days.
    assert not ZhDate.validate(2026, 6, 1, True) and ZhDate.validate(2026, 6, 30, False)
    assert not ZhDate.validate(2027, 6, 1, True) and not ZhDate.validate(2027, 6, 30, False)
    chinese = in_chinese("date", "list", now="2025-09-01T10:00").stdout
    assert "农历闰六月三十（明年没有闰六月，按六月三十过，2026年8月12日 周三）" in chinese, chinese
    assert ZhDate(2026, 6, 30).to_datetime().date() == date(2026, 8, 12)
    chinese = in_chinese("date", "list", now="2026-09-01T10:00").stdout
    assert "农历闰六月三十（明年没有闰六月，六月只有廿九，2027年8月1日 周日）" in chinese, chinese
    assert ZhDate(2027, 6, 29).to_datetime().date() == date(2027, 8, 1)


def test_a_date_its_year_has_is_shown_as_it_is(kehu):
    kehu.ok("add", "张伟", now="2024-01-01T10:00")
    kehu.ok("date", "add", "张伟", "birthday", "闰六月初十", now="2024-01-01T10:00")
    kehu.ok("date", "add", "张伟", "wedding", "腊月三十", now="2024-01-01T10:00")
    assert ZhDate(2023, 12, 30).to_datetime().date() == date(2024, 2, 9)  # 腊月 of 30 days
    text = kehu.ok("date", "list", now="2024-01-01T10:00")
    assert "lunar 12/30 (Fri 9 Feb)  " in text, text  # nothing more said of it
    assert ZhDate(2025, 6, 10, True).to_datetime().date() == date(2025, 8, 3)  # 闰六月 of 2025
    text = kehu.ok("date", "list", now="2025-01-01T10:00")
    assert "lunar leap 6/10 (Sun 3 Aug)" in text and "leap month" not in text, text
    chinese = in_chinese("date", "list", now="2025-01-01T10:00").stdout
    assert "农历闰六月初十（8月3日 周日）" in chinese, chinese


def test_the_daily_list_the_card_and_the_calendar_say_it_in_both_languages(kehu):
    _book(kehu)
    now = "2027-02-03T09:00"
    [item, wedding] = kehu.json("today", "--kind", "personal-date", now=now)["items"]
    assert wedding["reason"] == (
        "Wedding anniversary in 2 days: lunar leap 12/30 (Fri 5 Feb; 12/29 this year, no leap "
        "month and 29 days)"
    )
    assert item["reason"] == (
        "Birthday in 2 days: lunar 12/30 (Fri 5 Feb; 12/29 this year, a 29-day month), turns 46"
    )
    assert item["reason_params"]["date"] == LA_YUE_29.isoformat()
    assert item["reason_params"]["day"] == 30  # the date as typed; the words say the kept day
    chinese = in_chinese("today", "--kind", "personal-date", now=now).stdout
    assert "生日还有 2 天：农历腊月三十（今年腊月只有廿九，2月5日 周五），满46周岁" in chinese
    card = kehu.ok("show", "张伟", now=now)
    assert "birthday  lunar 12/30 (Fri 5 Feb; 12/29 this year, a 29-day month), turns 46" in card
    calendar = kehu.ok("calendar", "--days", "3", now=now)
    assert "张伟  Birthday (lunar 12/30; 12/29 this year, a 29-day month), turns 46" in calendar
    wedding = "李娜  Wedding anniversary (lunar leap 12/30; 12/29 this year, no leap month and 29 "
    assert wedding in calendar
    chinese = in_chinese("calendar", "--days", "3", now=now).stdout
    assert "张伟  生日（农历腊月三十，今年腊月只有廿九），满46周岁" in chinese, chinese
    assert "李娜  结婚纪念日（农历闰腊月三十，今年没有闰腊月，腊月只有廿九）" in chinese
    # After 春节 the same 腊月 is 去年's to a Chinese speaker; still this (solar) year in English.
    late = in_chinese("today", "--kind", "personal-date", now="2027-02-07T09:00").stdout
    assert "生日已过：农历腊月三十（去年腊月只有廿九，2月5日 周五），满46周岁" in late, late
    late = kehu.json("today", "--kind", "personal-date", now="2027-02-07T09:00")["items"]
    assert late[0]["reason"] == (
        "Birthday was lunar 12/30 (Fri 5 Feb; 12/29 this year, a 29-day month), turned 46"
    )


def test_the_calendar_and_its_file_say_it_as_of_the_events_own_day(kehu, tmp_path):
    import icalendar

    _book(kehu)
    path = tmp_path / "dates.ics"
    exported = kehu("export", "--format", "ics", "--days", "400", str(path), now="2026-11-30T10:00")
    assert exported.code == 0
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    described = {(e.decoded("DTSTART"), str(e["DESCRIPTION"]).splitlines()[0])
                 for e in events if str(e["UID"]).startswith("date-1-")}  # fmt: skip
    # "This year" is the event's own, as under its day's heading in `kehu calendar`: the file
    # outlives the day it was written (here 2026, where the daily list would say next year).
    assert described == {(LA_YUE_29, "Birthday (lunar 12/30; 12/29 this year, a 29-day month), "
                                     "turns 46")}  # fmt: skip
    listed = kehu.json("calendar", "--days", "70", now="2026-11-30T10:00")["events"]
    assert [e["text"] for e in listed if e["date"] == LA_YUE_29.isoformat()][:1] == [
        "Birthday (lunar 12/30; 12/29 this year, a 29-day month), turns 46"
    ]
    chinese = in_chinese("calendar", "--days", "70", now="2026-11-30T10:00").stdout
    assert "张伟  生日（农历腊月三十，今年腊月只有廿九），满46周岁" in chinese, chinese


def test_date_add_says_the_kind_and_the_date_with_one_separator(kehu):
    kehu.ok("add", "张伟", now="2026-11-30T10:00")
    out = kehu.ok("date", "add", "张伟", "birthday", "腊月三十", now="2026-11-30T10:00")
    assert out == (
        "Added date #1 for 张伟: birthday, lunar 12/30 (Fri 5 Feb 2027; 12/29 next year, a 29-day "
        "month)\n"
    )
    chinese = in_chinese("date", "add", "张伟", "wedding", "3月15日", now="2026-11-30T10:00")
    assert chinese.stdout == "已为张伟添加日期 #2：结婚纪念日，2027年3月15日 周一\n", chinese


def test_a_solar_birthday_item_is_not_wished_a_happy_lunar_birthday(kehu):
    kehu.ok("add", "赵六", "--phone", "13700137000", "--language", "zh", now="2027-03-01T10:00")
    kehu.ok("date", "add", "赵六", "birthday", "1985-03-12", now="2027-03-01T10:00")
    kehu.ok("date", "add", "赵六", "birthday", "农历1985年正月廿一", now="2027-03-01T10:00")
    solar = kehu.json("draft", "B1", now="2027-03-10T09:00")["text"]
    assert solar.startswith("赵六，祝您生日快乐！"), solar
    lunar = kehu.json("draft", "B2", now="2027-03-10T09:00")["text"]
    assert lunar.startswith("赵六，祝您农历生日快乐！"), lunar
    shown = kehu.ok("today", "--drafts", "--kind", "personal-date", now="2027-03-10T09:00")
    assert "祝您生日快乐" in shown
