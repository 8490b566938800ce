"""Dates as salespeople type them every day (下个月5号, 周末, 下月初, 3小时后, 12.15, 刚才,
last friday, -2d), through the commands that take them. The tests' now is Sunday 2026-11-22
10:00 in Shanghai."""

import json
import subprocess
from typing import Any

from conftest import in_chinese


def zh(*args: str) -> subprocess.CompletedProcess[str]:
    return in_chinese(*args)


def customer(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")


def test_a_promise_due_on_a_day_of_next_month_and_in_hours(kehu: Any) -> None:
    customer(kehu)
    assert "due Sat 5 Dec" in kehu.ok("promise", "张伟", "报价", "--due", "下个月5号")
    assert "due today 13:00" in kehu.ok("promise", "张伟", "试驾", "--due", "3小时后")
    assert "due Thu 31 Dec" in kehu.ok("promise", "张伟", "保养券", "--due", "年底")
    assert "due Mon 30 Nov" in kehu.ok("promise", "张伟", "合同", "--due", "月底")
    assert "due today 10:30" in kehu.ok("promise", "张伟", "回电", "--due", "半小时后")
    dues = {p["text"]: p["due"] for p in kehu.json("promises")}
    assert dues == {
        "报价": "2026-12-05T23:59:59+08:00",
        "试驾": "2026-11-22T13:00:00+08:00",
        "保养券": "2026-12-31T23:59:59+08:00",
        "合同": "2026-11-30T23:59:59+08:00",
        "回电": "2026-11-22T10:30:00+08:00",
    }


def test_weekend_and_start_of_next_month_for_a_planned_call_and_a_snooze(kehu: Any) -> None:
    customer(kehu)
    # On a Sunday the weekend is still on: 周末 is today; 下周末 next Saturday.
    assert "Next: F1, today." in kehu.ok("log", "张伟", "--next", "周末")
    assert "Next: F2, Sat 28 Nov." in kehu.ok("log", "张伟", "--next", "下周末")
    assert "until Tue 1 Dec" in kehu.ok("snooze", "T1", "--until", "下月初")
    [snooze] = kehu.json("show", "张伟")["snoozes"]
    assert snooze["until"] == "2026-12-01T00:00:00+08:00"
    dues = [f["due"] for f in kehu.json("show", "张伟")["followups"]]
    assert sorted(dues) == ["2026-11-22T00:00:00+08:00", "2026-11-28T00:00:00+08:00"]


def test_a_contact_logged_just_now_or_half_an_hour_ago(kehu: Any) -> None:
    customer(kehu)
    kehu.ok("log", "张伟", "--at", "刚才", "--note", "a")
    kehu.ok("log", "张伟", "--at", "半小时前", "--note", "b")
    kehu.ok("log", "张伟", "--at", "last friday 3pm", "--note", "c")
    kehu.ok("log", "张伟", "--at", "11.20", "--note", "d")
    kehu.ok("log", "张伟", "--at", "周末下午", "--note", "e", now="2026-11-25T10:00")
    at = {c["note"]: c["at"] for c in kehu.json("show", "张伟")["contacts"] if c["note"]}
    assert at == {
        "a": "2026-11-22T10:00:00+08:00",
        "b": "2026-11-22T09:30:00+08:00",
        "c": "2026-11-13T15:00:00+08:00",  # Friday of last week: 上周五
        "d": "2026-11-20T10:00:00+08:00",
        "e": "2026-11-21T15:00:00+08:00",  # on a Wednesday, the weekend that has been
    }


def test_a_delivery_on_month_dot_day_is_the_nearest_such_day(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--product", "Polo", "--delivered", "11.20")
    kehu.ok("sale", "王芳", "--product", "脚垫", "--delivered", "12.1")
    delivered = sorted(p["delivered_at"] for p in kehu.json("show", "王芳")["purchases"])
    assert delivered == ["2026-11-20T00:00:00+08:00", "2026-12-01T00:00:00+08:00"]


def test_report_day_reads_a_day_back_last_friday_and_last_month(kehu: Any) -> None:
    customer(kehu)
    assert kehu.json("report", "day", "-2d")["date"] == "2026-11-20"
    assert kehu.json("report", "day", "--json", "-1w")["date"] == "2026-11-15"
    assert json.loads(kehu.ok("report", "day", "--json", "--", "-3d"))["date"] == "2026-11-19"
    assert kehu.json("report", "day", "last friday")["date"] == "2026-11-13"
    assert kehu.json("report", "day", "上周五")["date"] == "2026-11-13"
    assert kehu.json("report", "day", "上个月")["date"] == "2026-10-22"
    assert kehu.json("report", "day", "上月底")["date"] == "2026-10-31"
    month = kehu.json("report", "month", "--from", "上月初")
    assert (month["from"], month["to"]) == ("2026-10-01", "2026-10-31")
    extra = kehu("report", "day", "-2d", "昨天")
    assert extra.code == 2 and extra.out == ""
    assert extra.err.count("\n") == 1 and "Traceback" not in extra.err


def test_a_form_kehu_cannot_read_is_one_line_naming_the_new_forms_and_writes_nothing(
    kehu: Any,
) -> None:
    customer(kehu)
    before = kehu.snapshot()
    refused = kehu("promise", "张伟", "报价", "--due", "下下个月5号")
    assert refused.code == 2 and refused.out == ""
    assert refused.err.count("\n") == 1 and refused.err.startswith("kehu: can't read the date")
    for form in ("周末", "下个月5号", "下月初", "3小时后", "11.22"):
        assert form in refused.err
    no_such_day = kehu("promise", "张伟", "报价", "--due", "下个月31号", now="2027-01-05T10:00")
    assert no_such_day.code == 2 and "下个月31号" in no_such_day.err
    assert kehu.snapshot() == before


def test_the_new_forms_in_chinese(kehu: Any) -> None:
    customer(kehu)
    promised = zh("promise", "张伟", "报价", "--due", "下个月5号下午3点")
    assert promised.returncode == 0, promised.stderr
    assert "期限12月5日 周六 15:00" in promised.stdout
    planned = zh("log", "张伟", "--next", "下周末")
    assert planned.returncode == 0, planned.stderr
    assert "11月28日 周六" in planned.stdout
    report = zh("report", "day", "-2d")
    assert report.returncode == 0, report.stderr
    assert "2026年11月20日 周五" in report.stdout
    refused = zh("promise", "张伟", "回电", "--due", "周末末")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("kehu: 看不懂日期 '周末末'；可接受：")
    for form in ("周末", "下个月5号", "下月初", "3小时后", "11.22"):
        assert form in refused.stderr


def test_an_english_user_types_dates_as_kehu_shows_them(kehu: Any) -> None:
    customer(kehu)
    assert "due Tue 15 Dec." in kehu.ok("promise", "张伟", "Quote", "--due", "15 Dec")
    assert "due tomorrow 15:00." in kehu.ok("promise", "张伟", "Test drive", "--due",
                                            "tomorrow at 3pm")  # fmt: skip
    assert "Next: F1, Sun 6 Dec." in kehu.ok("log", "张伟", "--next", "in two weeks")
    dues = {p["text"]: p["due"] for p in kehu.json("promises")}
    assert dues == {"Quote": "2026-12-15T23:59:59+08:00", "Test drive": "2026-11-23T15:00:00+08:00"}
    before = kehu.snapshot()
    refused = kehu("promise", "张伟", "Quote", "--due", "15/12")
    assert (refused.code, refused.out) == (2, "")
    assert refused.err == (
        "kehu: can't read the date '15/12': a day and month are written month/day; "
        "write 12/15, 15 Dec\n"
    )
    assert kehu.snapshot() == before
    refused = zh("promise", "张伟", "Quote", "--due", "15/12/2026")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("kehu: 看不懂日期 '15/12/2026'：")
    assert "2026-12-15" in refused.stderr


def test_a_date_typed_back_with_its_weekday_as_kehu_shows_it(kehu: Any) -> None:
    customer(kehu)
    # kehu writes 11月27日 周五 (Fri 27 Nov); copied back, the weekday checks the date.
    promised = zh("promise", "张伟", "报价", "--due", "１１月２７日　周五")
    assert promised.returncode == 0, promised.stderr
    assert "期限11月27日 周五。" in promised.stdout
    assert "due Fri 27 Nov 15:00" in kehu.ok(
        "promise", "张伟", "试驾", "--due", "11月27日（周五）15:00"
    )
    assert "Next: F1, Tue 1 Dec." in kehu.ok("log", "张伟", "--next", "Tue 1 Dec")
    # This year's date, as kehu wrote it without its year, even when it has passed.
    kehu.ok("log", "张伟", "--at", "11月20日 周五 10:00", "--note", "a")
    kehu.ok("snooze", "T1", "--until", "Fri 27 Nov", "--reason", "出差")
    dues = {p["text"]: p["due"] for p in kehu.json("promises")}
    assert dues == {"报价": "2026-11-27T23:59:59+08:00", "试驾": "2026-11-27T15:00:00+08:00"}
    card = kehu.json("show", "张伟")
    assert [c["at"] for c in card["contacts"] if c["note"] == "a"] == ["2026-11-20T10:00:00+08:00"]
    assert [f["due"] for f in card["followups"]] == ["2026-12-01T00:00:00+08:00"]
    assert card["snoozes"][0]["until"] == "2026-11-27T00:00:00+08:00"
    before = kehu.snapshot()
    refused = zh("promise", "张伟", "回电", "--due", "11月27日 周四")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        "kehu: 看不懂日期 '11月27日 周四'：2026-11-27 是周五，不是周四；"
        "请只写日期，或写上它自己的星期\n"
    )
    wrong = kehu("log", "张伟", "--next", "Mon 1 Dec")
    assert (wrong.code, wrong.out) == (2, "")
    assert wrong.err == (
        "kehu: can't read the date 'Mon 1 Dec': 2026-12-01 is a Tue, not a Mon; write the date "
        "alone or with its own weekday\n"
    )
    assert kehu.snapshot() == before


def test_month_end_half_a_year_half_a_month_and_the_week_after_next(kehu: Any) -> None:
    """月末 as 月底, 半年后 as 6个月后, 半个月后 as 15 days, 下下周一 the Monday of the week
    after next: read wherever a date is taken, on a Wednesday."""
    customer(kehu)
    wed = "2026-11-25T10:00"
    assert "due Mon 30 Nov." in kehu.ok("promise", "张伟", "合同", "--due", "月末", now=wed)
    assert "due Thu 31 Dec." in kehu.ok("promise", "张伟", "报价", "--due", "下月末", now=wed)
    assert "Next: F1, Tue 25 May 2027." in kehu.ok("log", "张伟", "--next", "半年后", now=wed)
    assert "Next: F2, Thu 10 Dec." in kehu.ok("log", "张伟", "--next", "半个月后", now=wed)
    assert "Next: F3, Mon 7 Dec." in kehu.ok("log", "张伟", "--next", "下下周一", now=wed)
    assert "until Sun 13 Dec" in kehu.ok("snooze", "F3", "--until", "下下周日", now=wed)
    kehu.ok("log", "张伟", "--at", "上上周五 15:00", "--note", "试驾", now=wed)
    dues = {p["text"]: p["due"] for p in kehu.json("promises", now=wed)}
    assert dues == {"合同": "2026-11-30T23:59:59+08:00", "报价": "2026-12-31T23:59:59+08:00"}
    card = kehu.json("show", "张伟", now=wed)
    assert sorted(f["due"] for f in card["followups"]) == [
        "2026-12-07T00:00:00+08:00",
        "2026-12-10T00:00:00+08:00",
        "2027-05-25T00:00:00+08:00",
    ]
    assert card["snoozes"][0]["until"] == "2026-12-13T00:00:00+08:00"
    assert [c["at"] for c in card["contacts"] if c["note"] == "试驾"] == [
        "2026-11-13T15:00:00+08:00"
    ]
    # 半天后 (half a day? the afternoon?) and 下下个月 are still not read: one line, no write.
    before = kehu.snapshot()
    for text in ("半天后", "下下个月5号", "半个年后"):
        refused = kehu("promise", "张伟", "回电", "--due", text, now=wed)
        assert (refused.code, refused.out) == (2, "")
        assert refused.err.count("\n") == 1 and "Traceback" not in refused.err
        assert refused.err.startswith(f"kehu: can't read the date '{text}'; accepted: ")
    assert kehu.snapshot() == before


def test_the_new_words_in_chinese(kehu: Any) -> None:
    customer(kehu)
    wed = "2026-11-25T10:00"
    promised = in_chinese("promise", "张伟", "合同", "--due", "月末下午5点", now=wed)
    assert promised.returncode == 0, promised.stderr
    assert "期限11月30日 周一 17:00" in promised.stdout
    planned = in_chinese("log", "张伟", "--next", "下下周三", now=wed)
    assert planned.returncode == 0, planned.stderr
    assert "12月9日 周三" in planned.stdout
    planned = in_chinese("log", "张伟", "--next", "半个月以后", now=wed)
    assert planned.returncode == 0, planned.stderr
    assert "12月10日 周四" in planned.stdout
    refused = in_chinese("log", "张伟", "--next", "半天后", now=wed)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("kehu: 看不懂日期 '半天后'；可接受：")


def test_the_weekend_after_next(kehu: Any) -> None:
    """下下周末, as 下下周一 and 下周末: the Saturday of the week after next."""
    customer(kehu)
    wed = "2026-11-25T10:00"
    assert "Next: F1, Sat 12 Dec." in kehu.ok("log", "张伟", "--next", "下下周末", now=wed)
    planned = in_chinese("log", "张伟", "--next", "下下个周末下午3点", now=wed)
    assert planned.returncode == 0, planned.stderr
    assert "12月12日 周六 15:00" in planned.stdout
    kehu.ok("log", "张伟", "--at", "上上周末", "--note", "看车", now=wed)
    card = kehu.json("show", "张伟", now=wed)
    assert sorted(f["due"] for f in card["followups"]) == [
        "2026-12-12T00:00:00+08:00",
        "2026-12-12T15:00:00+08:00",
    ]
    assert [c["at"] for c in card["contacts"] if c["note"] == "看车"] == [
        "2026-11-14T10:00:00+08:00"
    ]
