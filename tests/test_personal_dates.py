"""Birthdays and other dates on the daily list, and `kehu date`.

The replay: a book with solar, lunar, leap-month, day-30 and 29-February birthdays, listed every
morning for two years; each date must be listed from its lead day to a week after the day it is
kept, and on no other morning. The kept days come from zhdate (table-based), not from kehu."""

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import in_chinese
from zhdate import ZhDate

from kehu.base import i18n
from kehu.book import daily, opening
from kehu.rules import records, schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST, DAYS = date(2025, 1, 1), 730  # 2025 has a leap 6th month; 腊月 of 2025 has 29 days


def zh_kept(year: int, month: int, day: int, leap: bool) -> date:
    """The oracle: the day a lunar date is kept in lunar `year`, by zhdate's tables."""
    kept_leap = bool(leap and ZhDate.validate(year, month, 1, True))  # in its leap month if any
    for number in (day, 29):  # day 30 of a 29-day month is kept on day 29
        if ZhDate.validate(year, month, number, kept_leap):
            return ZhDate(year, month, number, kept_leap).to_datetime().date()
    raise AssertionError((year, month, day, leap))


def solar_kept(year: int, month: int, day: int) -> date:
    if (month, day) == (2, 29) and year % 4:
        return date(year, 2, 28)
    return date(year, month, day)


BIRTHDAYS = [  # (name, tier, typed date, kept in a solar/lunar year)
    ("solar", "B", "1985-03-15", lambda y: solar_kept(y, 3, 15)),
    ("feb29", "B", "1988-02-29", lambda y: solar_kept(y, 2, 29)),
    ("mid-autumn", "A", "农历1986年八月十五", lambda y: zh_kept(y, 8, 15, False)),
    ("leap", "B", "闰六月初十", lambda y: zh_kept(y, 6, 10, True)),
    ("regular-of-leap", "B", "六月初十", lambda y: zh_kept(y, 6, 10, False)),
    ("day30", "A", "腊月三十", lambda y: zh_kept(y, 12, 30, False)),
]
LEAD = {"A": 7, "B": 3}


def test_each_birthday_is_listed_on_the_right_mornings_for_two_years(kehu):
    for name, tier, typed, _kept in BIRTHDAYS:
        kehu.ok("add", name, "--tier", tier, now="2024-12-01T10:00")
        kehu.ok("date", "add", name, "birthday", typed, now="2024-12-01T10:00")
    ids = {r["name"]: r["id"] for r in kehu.rows(
        "SELECT c.name, o.id FROM occasion o JOIN customer c ON c.id = o.customer_id"
    )}  # fmt: skip
    expected_days: dict[str, set[date]] = {}
    for name, tier, _typed, kept in BIRTHDAYS:
        listed = set()
        for year in (2023, 2024, 2025, 2026, 2027):
            day = kept(year)
            listed |= {day + timedelta(days=n) for n in range(-LEAD[tier], 8)}
        expected_days[f"B{ids[name]}"] = listed
    book = opening.open_book(kehu.target)
    rules = records.Rules()
    checked = 0
    try:
        for n in range(DAYS):
            today = FIRST + timedelta(days=n)
            now = datetime.combine(today, time(9, 0), SHANGHAI)

            def read(tx, at=now):
                return schedule.schedule(daily.book_state(tx, now=at, rules=rules, owner="mei"),
                                         at, rules)  # fmt: skip

            items = book.transact(read, write=False)
            listed = {i.key for i in items if i.kind == "personal-date"}
            expected = {key for key, days in expected_days.items() if today in days}
            assert listed == expected, today
            for item in items:
                if item.kind == "personal-date":
                    kept = item.reason_params["date"]
                    assert item.due.date() == kept and item.late_since.date() == kept + timedelta(1)
                    assert item.is_late(now) == (today > kept)
            checked += len(expected)
    finally:
        book.close()
    print(f"personal dates: {DAYS} mornings replayed, {checked} listings checked")
    assert checked > 6 * 2 * 10


def test_a_greeting_closes_the_birthday_and_done_logs_one(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "1985-11-25",
            now="2026-01-01T10:00")  # fmt: skip
    kehu.ok("add", "李娜", now="2026-01-01T10:00")
    kehu.ok("date", "add", "李娜", "wedding", "2010-11-23", "--note", "丈夫 王强",
            now="2026-01-01T10:00")  # fmt: skip
    listed = kehu.json("today", now="2026-11-21T09:00")["items"]
    [wedding] = [i for i in listed if i["kind"] == "personal-date"]  # the birthday: 4 days off
    assert wedding["reason_code"] == "personal-date"
    assert wedding["reason"] == "Wedding anniversary, 丈夫 王强 in 2 days: Mon 23 Nov, 16 years"
    assert wedding["reason_params"]["date"] == "2026-11-23"
    kehu.ok("log", "李娜", "--kind", "greeting", "--via", "wechat", now="2026-11-21T10:00")
    listed = kehu.json("today", now="2026-11-23T09:00")["items"]
    [birthday] = [i for i in listed if i["kind"] == "personal-date"]
    assert birthday["customer_name"] == "张伟" and birthday["reason_params"]["age"] == 41
    kehu.ok("done", birthday["key"], now="2026-11-23T10:00")
    assert kehu.rows("SELECT kind FROM contact WHERE customer_id = 1") == [{"kind": "greeting"}]
    keys = [i["key"] for i in kehu.json("today", now="2026-11-26T09:00")["items"]]
    assert birthday["key"] not in keys


def test_a_birthday_is_late_the_day_after_and_gone_after_a_week(kehu):
    kehu.ok("add", "张伟", "--birthday", "03-15", now="2026-01-01T10:00")

    def listed(now: str) -> list[dict]:
        return [i for i in kehu.json("today", now=now)["items"] if i["kind"] == "personal-date"]

    assert listed("2026-03-11T09:00") == []
    assert [i["late"] for i in listed("2026-03-12T09:00")] == [False]
    assert [i["late"] for i in listed("2026-03-16T09:00")] == [True]
    assert [i["days_late"] for i in listed("2026-03-22T09:00")] == [6]
    assert listed("2026-03-23T09:00") == []


def test_a_birthday_past_says_the_age_it_turned(kehu):
    kehu.ok("add", "钱七", "--birthday", "2000-02-29", now="2027-02-01T10:00")
    reason = lambda now: [  # noqa: E731
        i["reason"] for i in kehu.json("today", now=now)["items"] if i["kind"] == "personal-date"
    ]
    kept = "29 Feb (kept on Sun 28 Feb this year, not a leap year)"
    assert reason("2027-02-28T09:00") == [f"Birthday today: {kept}, turns 27"]
    assert reason("2027-03-01T09:00") == [f"Birthday was {kept}, turned 27"]


def test_a_date_the_next_day_is_tomorrow_and_never_in_0_days(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "1985-11-23",
            now="2026-11-01T10:00")  # fmt: skip
    kehu.ok("date", "add", "张伟", "other", "2020-11-23", "--label", "入职纪念日",
            now="2026-11-01T10:00")  # fmt: skip
    now = "2026-11-22T10:00"
    reasons = [i["reason"] for i in kehu.json("today", now=now)["items"]]
    assert reasons == [
        "Birthday tomorrow: Mon 23 Nov, turns 41",
        "入职纪念日 tomorrow: Mon 23 Nov, 6 years",
    ]
    shown = kehu.ok("today", now=now) + kehu.ok("show", "张伟", now=now)
    assert "Birthday tomorrow: Mon 23 Nov, turns 41" in shown
    assert " day:" not in shown and " days:" not in shown
    chinese = in_chinese("today", now=now).stdout + in_chinese("show", "张伟", now=now).stdout
    assert "明天生日：11月23日 周一，满41周岁" in chinese
    assert "明天入职纪念日：11月23日 周一，6周年" in chinese
    assert "还有 1 天" not in chinese
    assert [i["reason"] for i in kehu.json("today", now="2026-11-23T10:00")["items"]][0] == (
        "Birthday today: Mon 23 Nov, turns 41"
    )
    assert "Birthday in 2 days: Mon 23 Nov" in kehu.ok("today", now="2026-11-21T10:00")


def test_date_add_list_and_delete(kehu):
    kehu.ok("add", "张伟", "--birthday", "1985-03-15")
    out = kehu.ok("date", "add", "张伟", "child-birthday", "lunar leap 4-8", "--note", "son 小明")
    assert out.startswith("Added date #2 for 张伟: child's birthday, lunar leap 4/8 (")
    kehu.ok("date", "add", "张伟", "other", "农历八月十五", "--label", "first visit")
    dates = kehu.json("date", "list", "张伟")
    fields = ("kind", "calendar", "month", "day", "leap", "year")
    assert [tuple(d[f] for f in fields) for d in dates] == [
        ("birthday", "solar", 3, 15, False, 1985),
        ("child-birthday", "lunar", 4, 8, True, None),
        ("other", "lunar", 8, 15, False, None),
    ]  # fmt: skip
    assert dates[0]["next"] == "2027-03-15" and dates[0]["age_next"] == 42
    assert [d | {"customer_name": "张伟"} for d in kehu.json("show", "张伟")["occasions"]] == dates
    text = kehu.ok("date", "list", "张伟")
    assert "first visit" in text and "张伟 (#1)" in text
    kehu.ok("date", "delete", "2")
    assert [d["id"] for d in kehu.json("date", "list")] == [1, 3]
    assert kehu.json("show", "张伟")["birthday"] == "1985-03-15"
    kehu.ok("edit", "张伟", "--birthday", "04-01")
    assert kehu.json("show", "张伟")["birthday"] == "04-01"
    assert kehu.count("occasion") == 2


def test_date_list_with_no_dates_says_so_and_how_to_add_one(kehu):
    from conftest import in_chinese

    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "李娜", "--phone", "13900139000")
    for args in (["date", "list"], ["date", "list", "张伟"]):
        assert kehu.json(*args) == []
    everyone = kehu.ok("date", "list")
    assert everyone == (
        "None of your customers has a date yet; add one with "
        "`kehu date add CUSTOMER birthday 1985-03-15` (or wedding, child-birthday…).\n"
    )
    kehu.ok("date", "add", "李娜", "wedding", "2015-06-18")
    one = kehu.ok("date", "list", "张伟")
    assert one == (
        "This customer has no dates yet; add one with "
        "`kehu date add CUSTOMER birthday 1985-03-15` (or wedding, child-birthday…).\n"
    )
    chinese = in_chinese("date", "list", "张伟")
    assert (chinese.returncode, chinese.stderr) == (0, "")
    assert chinese.stdout == (
        "这位客户还没有记下任何日期；用 `kehu date add 客户 生日 1985-03-15` 添加一个"
        "（也可以是结婚纪念日、孩子生日……）。\n"
    )
    kehu.ok("date", "delete", "1")
    assert in_chinese("date", "list").stdout.startswith("你的客户还没有记下任何日期；")
    assert kehu.count("occasion") == 0


def test_date_delete_takes_the_key_the_daily_list_shows(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    kehu.ok("date", "add", "张伟", "wedding", "2010-11-24")
    kehu.ok("date", "add", "张伟", "birthday", "1985-11-25")
    assert [i["key"] for i in kehu.json("today")["items"] if i["kind"] == "personal-date"] == [
        "B1", "B2"
    ]  # fmt: skip
    assert kehu.ok("date", "delete", "B1") == "Deleted date #1 of 张伟.\n"
    assert kehu.ok("date", "delete", "ｂ２") == "Deleted date #2 of 张伟.\n"  # full width
    assert kehu.count("occasion") == 0
    assert kehu("date", "delete", "B9").err == (
        "kehu: there is no date #9; `kehu date list` shows them\n"
    )


def test_date_delete_refuses_the_key_of_another_kind_of_item(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    kehu.ok("date", "add", "张伟", "wedding", "2010-11-24")
    before = kehu.snapshot()
    for typed in ("T1", "C1.1m", "P1", "H1.20261001"):
        result = kehu("date", "delete", typed)
        assert (result.code, result.out) == (2, ""), typed
        assert result.err == (
            f"kehu: {typed!r} is the key of another kind of item, not of a date; accepted: a "
            "date's id like 12, or its key on the daily list, B12 (`kehu date list` shows the "
            "ids)\n"
        )
    for typed in ("B1.20261001", "Bx", "生日"):
        result = kehu("date", "delete", typed)
        assert (result.code, result.out) == (2, ""), typed
        assert result.err == (
            f"kehu: {typed!r} is not a date's id; accepted: a number like 12 or #12, or the "
            "date's key on the daily list, B12\n"
        )
    assert kehu.snapshot() == before
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "date", "delete", "T1"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert (chinese.returncode, chinese.stderr) == (
        2, "kehu: 'T1' 是另一类事项的编号，不是日期的；可接受：日期的编号（如 12），"
        "或它在每日清单上的事项编号 B12（`kehu date list` 列出编号）\n",
    )  # fmt: skip
    assert kehu.snapshot() == before


def test_everyones_dates_are_listed_the_soonest_first(kehu):
    kehu.ok("add", "张伟")
    kehu.ok("add", "李娜")
    kehu.ok("date", "add", "张伟", "birthday", "1985-03-15")
    kehu.ok("date", "add", "张伟", "wedding", "2010-11-23")
    kehu.ok("date", "add", "李娜", "birthday", "12-01")
    kehu.ok("date", "add", "李娜", "other", "11-22", "--label", "first visit")  # today
    kehu.ok("date", "add", "张伟", "child-birthday", "农历腊月初八")  # 15 Jan 2027
    listed = kehu.json("date", "list")
    assert [(d["customer_name"], d["next"]) for d in listed] == [
        ("李娜", "2026-11-22"), ("张伟", "2026-11-23"), ("李娜", "2026-12-01"),
        ("张伟", "2027-01-15"), ("张伟", "2027-03-15"),
    ]  # fmt: skip
    lines = kehu.ok("date", "list").splitlines()
    assert [line.split()[-1] for line in lines] == ["(#2)", "(#1)", "(#2)", "(#1)", "(#1)"]
    assert "first visit" in lines[0] and "wedding" in lines[1]
    # One customer's, as the card lists them: in the order they were added.
    assert [d["id"] for d in kehu.json("date", "list", "张伟")] == [1, 2, 5]


def test_a_first_anniversary_is_one_year(kehu):
    import os
    import subprocess
    import sys

    kehu.ok("add", "张伟", now="2026-11-22T10:00")
    kehu.ok("date", "add", "张伟", "wedding", "2025-12-01", now="2026-11-22T10:00")
    listed = kehu.ok("date", "list", now="2026-11-22T10:00")
    assert "wedding anniversary  Tue 1 Dec, 1 year  张伟 (#1)" in listed, listed
    assert "张伟  Wedding anniversary, 1 year" in kehu.ok("calendar", now="2026-11-22T10:00")
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "date", "list"],
        env={**os.environ, "KEHU_LANG": "zh", "KEHU_NOW": "2026-11-22T10:00"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert "，1周年" in chinese.stdout, chinese.stderr


def test_a_bad_date_says_which_forms_are_accepted_and_writes_nothing(kehu):
    kehu.ok("add", "张伟")
    before = kehu.snapshot()
    result = kehu("date", "add", "张伟", "birthday", "15/15")
    assert result.code != 0 and "accepted: 1985-03-15" in result.err
    assert len(result.err.strip().splitlines()) == 1
    result = kehu("date", "add", "张伟", "anniversary", "03-15")
    assert result.code != 0 and "birthday" in result.err
    assert kehu("date", "delete", "99").code != 0
    assert kehu.snapshot() == before


def test_a_lunar_date_with_a_year_that_lacks_it_is_refused_and_nothing_written(kehu):
    kehu.ok("add", "张伟")
    before = kehu.snapshot()
    for typed in (
        "农历1985年闰二月初一",
        "农历1985年正月三十",
    ):  # 1985: no leap month; 正月 of 29 days
        result = kehu("date", "add", "张伟", "birthday", typed)
        assert result.code == 2 and result.out == "", typed
        assert result.err == (
            "kehu: the lunar year 1985 has no such day; accepted: 1985-03-15, 03-15, 3月15日, "
            "农历八月十五, 农历1985年八月十五, 闰四月初八, 腊月廿三, 正月初一, "
            "lunar 8-15, lunar leap 4-8\n"
        )
    assert kehu.snapshot() == before
    kehu.ok("date", "add", "张伟", "birthday", "农历1985年腊月三十")  # 腊月 had 30 days in 1985


def test_a_birthday_with_its_year_after_today_is_refused_and_nothing_written(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_NOW", "2026-11-30T09:00+08:00")
    kehu.ok("add", "张伟")
    before = kehu.snapshot()
    refused = "kehu: a birthday cannot be after today; accepted: a date up to 2026-11-30, or 03-15"
    for args in (
        ("date", "add", "张伟", "birthday", "2027-01-01"),
        ("date", "add", "张伟", "生日", "２０２６年１２月１日"),
        ("date", "add", "张伟", "birthday", "农历2026年腊月初一"),  # 2027-01-08
        ("edit", "张伟", "--birthday", "2027-05-01"),
        ("add", "李娜", "--birthday", "2027-05-01"),
    ):
        result = kehu(*args)
        assert (result.code, result.err) == (2, refused + " without the year\n"), args
    assert kehu.snapshot() == before
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "edit", "张伟", "--birthday", "2027-05-01"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert (chinese.returncode, chinese.stderr) == (
        2, "kehu: 生日不能晚于今天；可以填 2026-11-30 及以前的日期，或不带年份的 03-15\n"
    )  # fmt: skip
    kehu.ok("date", "add", "张伟", "birthday", "2026-11-30")
    kehu.ok("date", "add", "张伟", "birthday", "12-25")
    kehu.ok("date", "add", "张伟", "child-birthday", "2027-03-01")
    kehu.ok("date", "add", "张伟", "wedding", "2027-05-01")
    kehu.ok("edit", "张伟", "--birthday", "1985-03-15")
    kehu.ok("add", "李娜", "--birthday", "2026-11-30")


def test_a_birthday_before_1900_is_refused_and_nothing_written(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_NOW", "2026-11-30T09:00+08:00")
    kehu.ok("add", "张伟")
    before = kehu.snapshot()
    for args in (
        ("date", "add", "张伟", "birthday", "1800-01-01"),
        ("date", "add", "张伟", "生日", "１８９９年１２月３１日"),
        ("date", "add", "张伟", "birthday", "农历1850年八月十五"),
        ("date", "add", "张伟", "birthday", "lunar 1800-1-1"),
        ("edit", "张伟", "--birthday", "1800-01-01"),
        ("add", "李娜", "--birthday", "1899-12-31"),
    ):
        result = kehu(*args)
        assert result.code == 2 and result.out == "", args
        assert result.err.startswith("kehu: ") and "1900" in result.err, args
        assert "accepted" in result.err and result.err.count("\n") == 1, args
    assert kehu.snapshot() == before
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "date", "add", "张伟", "birthday", "1800-01-01"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 2 and "1900" in chinese.stderr, chinese
    assert "accepted" not in chinese.stderr and "year" not in chinese.stderr, chinese
    assert kehu.snapshot() == before
    kehu.ok("date", "add", "张伟", "birthday", "1900-01-01")


def test_a_lunar_birthday_option_says_how_to_add_a_lunar_birthday(kehu):
    kehu.ok("add", "张伟")
    before = kehu.snapshot()
    for args in (
        ("add", "李娜", "--birthday", "农历1985年腊月三十"),
        ("add", "李娜", "--birthday", "腊月廿三"),
        ("edit", "张伟", "--birthday", "lunar 8-15"),
        ("edit", "张伟", "--birthday", "农历1985年腊月三十一"),  # no such day, lunar all the same
    ):
        result = kehu(*args)
        assert (result.code, result.out) == (2, ""), args
        assert result.err == (
            f"kehu: the birthday {args[-1]!r} is a lunar date and this birthday is solar; "
            "accepted: 1985-03-15, 1985年3月15日, or 03-15, 3月15日 without a year; for a lunar "
            "birthday: kehu date add NAME birthday 农历1985年八月十五\n"
        ), args
    unreadable = kehu("add", "李娜", "--birthday", "1985-13-01").err
    assert unreadable.startswith("kehu: can't read the birthday '1985-13-01'")
    assert kehu.snapshot() == before
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "add", "李娜", "--birthday", "农历1985年腊月三十"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert (chinese.returncode, chinese.stderr) == (
        2,
        "kehu: 生日 '农历1985年腊月三十' 是农历日期，这里只收公历生日；可接受的格式：1985-03-15、"
        "1985年3月15日，或不含年份的 03-15、3月15日；"
        "农历生日请用 kehu date add 姓名 生日 农历1985年八月十五\n",
    )  # fmt: skip
    kehu.ok("date", "add", "张伟", "生日", "农历1985年八月十五")  # the command the message names


def test_lunar_dates_shown_both_ways_in_chinese(kehu, monkeypatch):
    kehu.ok("add", "张伟")
    kehu.ok("date", "add", "张伟", "birthday", "农历1986年八月十五", now="2026-09-01T10:00")
    monkeypatch.setenv("KEHU_LANG", "zh")
    try:
        i18n.bind(None)
        text = kehu.ok("date", "list", now="2026-09-01T10:00")
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        i18n.bind(None)
    assert "生日  农历八月十五（9月25日 周五），满40周岁" in text


def test_a_birthday_item_gets_birthday_wishes_and_another_date_a_greeting(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--language", "zh", now="2026-09-01T10:00")
    kehu.ok("date", "add", "张伟", "birthday", "农历1986年八月十五", now="2026-09-01T10:00")
    kehu.ok("date", "add", "张伟", "wedding", "2010-09-24", now="2026-09-01T10:00")
    keys = {i["reason_params"]["occasion"]: i["key"]
            for i in kehu.json("today", now="2026-09-23T09:00")["items"]
            if i["kind"] == "personal-date"}  # fmt: skip
    assert keys == {"birthday": "B1", "wedding": "B2"}
    birthday = kehu.json("draft", "B1", now="2026-09-23T09:00")
    assert birthday["kind"] == "birthday" and "农历生日快乐" in birthday["text"]
    assert kehu.json("draft", "B2", now="2026-09-23T09:00")["kind"] == "greeting"
    shown = kehu.ok("today", "--drafts", now="2026-09-23T09:00")
    assert "农历生日快乐" in shown
    kehu.ok("done", "B1", "--draft", now="2026-09-23T10:00")
    [greeting] = kehu.rows("SELECT kind, note FROM contact")
    assert greeting["kind"] == "greeting" and "农历生日快乐" in greeting["note"]


def test_a_greeting_for_another_date_carries_that_dates_wish(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--language", "zh", now="2026-09-01T10:00")
    kehu.ok("add", "Emma Wilson", "--phone", "13900139000", "--language", "en",
            now="2026-09-01T10:00")  # fmt: skip
    kehu.ok("date", "add", "张伟", "wedding", "2010-09-24", now="2026-09-01T10:00")
    kehu.ok("date", "add", "张伟", "company", "09-24", now="2026-09-01T10:00")
    kehu.ok("date", "add", "Emma", "child-birthday", "09-24", now="2026-09-01T10:00")
    kehu.ok("date", "add", "Emma", "other", "09-24", "--label", "move", now="2026-09-01T10:00")
    texts = {key: kehu.json("draft", key, now="2026-09-23T09:00")["text"]
             for key in ("B1", "B2", "B3", "B4")}  # fmt: skip
    assert "结婚纪念日快乐" in texts["B1"]
    assert "恭喜公司又满一年" in texts["B2"]
    assert "Happy birthday to your little one!" in texts["B3"]
    assert "Happy" not in texts["B4"]  # a date of its own kind: a plain greeting
    shown = kehu.ok("today", "--drafts", now="2026-09-23T09:00")
    assert "结婚纪念日快乐" in shown and "Happy birthday to your little one!" in shown
    typed = kehu.json("draft", "张伟", "--for", "greeting", "--occasion", "公司周年")
    assert "恭喜公司又满一年" in typed["text"]


def test_date_add_and_delete_are_undone(kehu):
    kehu.ok("add", "张伟", "--birthday", "03-15")
    kehu.ok("date", "add", "张伟", "wedding", "2010-05-01")
    kehu.ok("undo")
    assert [(r["kind"], r["month"]) for r in kehu.rows("SELECT * FROM occasion")] == [
        ("birthday", 3)
    ]
    kehu.ok("date", "delete", "＃１")  # as `date list` shows it, from a Chinese keyboard too
    assert kehu.count("occasion") == 0
    kehu.ok("undo")
    assert kehu.json("show", "张伟")["birthday"] == "03-15"
    kehu.ok("edit", "张伟", "--birthday", "1985-04-01")
    kehu.ok("undo")
    assert kehu.json("show", "张伟")["birthday"] == "03-15"


def test_a_few_mornings_of_the_replay_through_the_real_command(kehu):
    """The replay above calls the daily list in-process; these mornings go through `kehu today`."""
    for name, tier, _typed, _kept in BIRTHDAYS:
        kehu.ok("add", name, "--tier", tier, now="2024-12-01T10:00")
    for name, _tier, typed, _kept in BIRTHDAYS:
        kehu.ok("date", "add", name, "birthday", typed, now="2024-12-01T10:00")
    mornings = {  # the day: whose birthday is listed (due or late within the week)
        date(2025, 3, 12): {"solar"},  # 3 days ahead of 15 March
        date(2025, 2, 28): {"feb29"},  # 29 February kept on the 28th in 2025
        date(2025, 2, 24): set(),  # not yet: 4 days ahead of it
        date(2025, 8, 4): {"leap"},  # 闰六月初十 of 2025: 4 August
        date(2025, 7, 5): {"regular-of-leap"},  # 六月初十 of 2025: 5 July, not the leap month
        date(2026, 2, 16): {"day30"},  # 腊月 of 2025 has 29 days: 三十 kept on 廿九, 16 Feb
        date(2026, 9, 25): {"mid-autumn"},  # 中秋 2026
    }
    for day, expected in mornings.items():
        items = kehu.json("today", "--kind", "personal-date", now=f"{day}T09:00")["items"]
        assert {i["customer_name"] for i in items} == expected, day


def test_kehu_json_keeps_the_dates_and_an_older_file_brings_its_birthdays(kehu, tmp_path):
    import json

    kehu.ok("add", "张伟", "--birthday", "1985-03-15")
    kehu.ok("date", "add", "张伟", "child-birthday", "闰四月初八", "--note", "son 小明")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert kehu("export", "--format", "json", str(first)).code == 0
    document = json.loads(first.read_text(encoding="utf-8"))
    assert [d["leap"] for d in document["tables"]["occasion"]] == [False, True]
    kehu.ok("--db", str(tmp_path / "copy.db"), "import", str(first))
    kehu("--db", str(tmp_path / "copy.db"), "export", "--format", "json", str(second))
    assert first.read_bytes() == second.read_bytes()
    # A file from before schema 8: the birthday on the customer's row, 1904 for no year.
    tables = document["tables"]
    del tables["occasion"]
    tables["customer"][0]["birthday"] = "1904-02-29"
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    kehu.ok("--db", str(tmp_path / "older.db"), "import", str(older))
    card = kehu.json("--db", str(tmp_path / "older.db"), "show", "张伟")
    assert card["birthday"] == "02-29"
    assert [(d["kind"], d["year"]) for d in card["occasions"]] == [("birthday", None)]


def test_the_calendar_file_has_every_date_on_the_day_it_is_kept(kehu, tmp_path):
    import icalendar

    kehu.ok("add", "张三", "--birthday", "02-29", now="2026-09-01T10:00")
    kehu.ok("date", "add", "张三", "birthday", "农历八月十五", now="2026-09-01T10:00")
    kehu.ok("date", "add", "张三", "wedding", "2010-10-01", now="2026-09-01T10:00")
    path = tmp_path / "dates.ics"
    kehu("export", "--format", "ics", "--days", "400", str(path), now="2026-09-01T10:00")
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    found = sorted((e.decoded("DTSTART"), str(e["SUMMARY"]), str(e["UID"])) for e in events
                   if not str(e["UID"]).startswith("holiday-"))  # fmt: skip
    assert found == [
        (date(2026, 9, 25), "张三's birthday", "date-2-20260925@kehu"),  # 中秋 2026
        (date(2026, 10, 1), "张三's wedding anniversary", "date-3-20261001@kehu"),
        (date(2027, 2, 28), "张三's birthday", "birthday-1-2027@kehu"),  # 29 February kept
        (date(2027, 9, 15), "张三's birthday", "date-2-20270915@kehu"),  # 中秋 2027
        (date(2027, 10, 1), "张三's wedding anniversary", "date-3-20271001@kehu"),
    ]


def test_the_daily_list_of_a_book_without_lunar_dates_does_not_load_the_lunar_calendar(kehu):
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io\n"
        "from kehu.cli import main as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert cli.run(['today']) in (0, None)\n"
        "print('lunar_python' in sys.modules)\n"
    )

    def lunar_loaded() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, check=True).stdout.strip()  # fmt: skip

    kehu.ok("add", "张伟", "--birthday", "03-15")
    assert lunar_loaded() == "False"
    kehu.ok("date", "add", "张伟", "wedding", "农历八月十五")
    assert lunar_loaded() == "True"
