"""Holiday greetings: an item per key customer, one grouped item for the others, `kehu greet`,
`kehu done G…`, the greetings=no opt-out, the settings; and `kehu calendar`."""

import json
from datetime import date

from conftest import in_chinese
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BadInput, NotFound
from kehu.rules import greetings
from kehu.rules.records import Rules

MID_AUTUMN = "2026-09-25"  # 中秋 2026
LEAD_DAY = "2026-09-22T10:00"  # 3 days before
HOLIDAY_KINDS = ("holiday", "holiday-group")


def _book(kehu, tmp_path, rows):
    path = tmp_path / "book.csv"
    lines = ["name,phone,tier,greetings"]
    lines += [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kehu.ok("import", str(path))


def _holiday_items(kehu, now=LEAD_DAY):
    items = kehu.json("today", now=now)["items"]
    return [i for i in items if i["kind"] in HOLIDAY_KINDS]


# ----------------------------------------------------------------------------- pure


def test_a_holiday_is_read_in_chinese_or_english_full_width_too():
    typed_forms = ("中秋", "中秋节", "mid-autumn", "Mid-Autumn Festival", "mid_autumn")
    typed_forms += ("ＭＩＤ－ＡＵＴＵＭＮ",)
    for typed in typed_forms:
        assert greetings.holiday_code(typed) == "mid-autumn", typed
    assert greetings.holiday_code("春节") == "spring-festival"
    assert greetings.holiday_code("Chinese New Year") == "spring-festival"
    assert greetings.holiday_code("圣诞") is None


def test_the_setting_reads_words_keeps_the_calendar_order_and_refuses_what_is_no_holiday():
    codes = greetings.checked_holidays("国庆, 中秋,七夕,中秋")
    assert codes == ("qixi", "mid-autumn", "national-day")
    assert greetings.checked_holidays("") == ()
    assert greetings.checked_holidays("mid-autumn,halloween") is None


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 10))
def test_greeting_days_lie_in_the_lead_window_and_are_enabled(today, lead):
    rules = Rules(holiday_lead_days=lead)
    for found in greetings.greeting_days(today, rules):
        assert 0 <= (found.day - today).days <= lead
        assert set(found.codes) <= set(rules.holidays)


def test_every_lunar_holiday_falls_in_its_season_from_1900_to_2100():
    from kehu.rules import holidays

    for year in range(1900, 2101):
        for code, (first, last) in greetings.LUNAR_SEASONS.items():
            day = holidays.on(year, code)
            assert first <= (day.month, day.day) <= last, (code, day)


@given(st.dates(date(1990, 1, 1), date(2060, 12, 31)), st.integers(0, 40))
def test_the_season_shortcut_finds_what_the_full_computation_finds(today, lead):
    from kehu.rules import holidays

    enabled = {code.replace("-", "_") for code in greetings.CODES}
    assert greetings._upcoming(today, lead, enabled, "CN") == holidays.upcoming(
        today, lead, enabled
    )


def test_the_default_set_leaves_out_qixi_double_ninth_and_the_eve():
    assert set(greetings.CODES) - set(Rules().holidays) == {"qixi", "double-ninth", "new-years-eve"}


# -------------------------------------------------------------------- the daily list


def test_500_customers_and_a_holiday_add_the_key_customers_and_one_line(kehu, tmp_path):
    rows = [(f"客户{n:03d}", f"1380000{n:04d}", "A" if n < 5 else "B", "") for n in range(500)]
    rows[10] = ("不要问候", "13900000010", "B", "no")
    _book(kehu, tmp_path, rows)
    before = kehu.json("today", now="2026-09-21T10:00")["items"]
    assert not [i for i in before if i["kind"] in HOLIDAY_KINDS]  # not yet: 4 days ahead
    found = _holiday_items(kehu)
    assert [i["kind"] for i in found] == ["holiday"] * 5 + ["holiday-group"]
    assert {i["key"] for i in found if i["kind"] == "holiday"} == {
        f"H{n}.20260925" for n in range(1, 6)
    }
    group = found[-1]
    assert group["key"] == "G20260925"
    assert group["customer_id"] is None and group["late"] is False
    assert group["reason_params"] == {"count": 494, "day": MID_AUTUMN, "holidays": ["mid-autumn"]}
    assert "greet 494 customers" in group["reason"]
    print(f"checked {len(before)} items before the lead day, {len(found)} on it")
    text = kehu.ok("today", now=LEAD_DAY)
    assert text.count("G20260925") == 1 and "494 customers" in text
    assert not _holiday_items(kehu, now="2026-09-26T09:00")  # gone after the day


def test_done_on_the_grouped_key_greets_some_then_all_and_the_item_goes(kehu, tmp_path):
    _book(kehu, tmp_path, [
        ("张伟", "13800000001", "A", ""), ("李娜", "13800000002", "B", ""),
        ("刘洋", "13800000003", "C", ""), ("王芳", "13800000004", "B", "no"),
    ])  # fmt: skip
    out = kehu.ok("done", "G20260925", "李娜", "--via", "wechat", now=LEAD_DAY)
    assert "1 customer" in out
    assert _holiday_items(kehu)[-1]["reason_params"]["count"] == 1
    kehu.ok("done", "g20260925", now=LEAD_DAY)
    assert [i["kind"] for i in _holiday_items(kehu)] == ["holiday"]  # the key customer's own
    greeted = kehu.rows(
        "SELECT c.name, k.channel, k.outcome FROM contact k JOIN customer c"
        " ON c.id = k.customer_id WHERE k.kind = 'greeting' ORDER BY c.name"
    )
    assert greeted == [
        {"name": "刘洋", "channel": "call", "outcome": "reached"},
        {"name": "李娜", "channel": "wechat", "outcome": "reached"},
    ]  # neither the key customer nor the one opted out
    kehu.ok("done", "H1.20260925", now=LEAD_DAY)
    assert _holiday_items(kehu) == []


def test_a_grouped_greeting_points_to_each_customers_own_draft(kehu, tmp_path):
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", ""), ("刘洋", "13800000003", "C", "")])
    for args in (("draft", "G20260925"), ("done", "g20260925", "--draft")):
        before = kehu.snapshot()
        result = kehu(*args, now=LEAD_DAY)
        assert result.code == 2 and result.out == "", result
        assert "`kehu draft CUSTOMER --for holiday --occasion mid-autumn`" in result.err
        assert kehu.snapshot() == before
    assert (
        "中秋快乐"
        in kehu.json(
            "draft", "李娜", "--for", "holiday", "--occasion", "mid-autumn", "--lang", "zh"
        )["text"]
    )


def test_a_grouped_key_typed_in_full_width_characters_greets(kehu, tmp_path):
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", ""), ("刘洋", "13800000003", "C", "")])
    out = kehu.ok("done", "Ｇ２０２６０９２５", now=LEAD_DAY)
    assert out.startswith("Done G20260925: logged a greeting with 2 customers")


def test_done_on_a_grouped_key_not_on_the_list_now_is_not_found_and_logs_nothing(kehu, tmp_path):
    kehu.ok("add", "赵强", "--tier", "A", now="2026-01-01T10:00")
    off = "kehu: G20260925 is not on the list now; `kehu today` shows the keys\n"
    result = kehu("done", "G20260925", now=LEAD_DAY)  # key customers only: no grouped item
    assert (result.code, result.out, result.err) == (NotFound.exit_code, "", off)
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", ""), ("刘洋", "13800000003", "C", "")])
    before = kehu.snapshot()
    for now in ("2026-09-21T10:00", "2026-09-26T09:00"):  # before the lead day, after the day
        for args in (("done", "G20260925"), ("done", "g20260925", "李娜")):
            result = kehu(*args, now=now)
            assert (result.code, result.out, result.err) == (NotFound.exit_code, "", off), now
    result = kehu("done", "G20261001", now=LEAD_DAY)
    assert (result.code, result.err) == (NotFound.exit_code, off.replace("0925", "1001"))
    assert kehu.snapshot() == before
    assert kehu.ok("done", "G20260925", now="2026-09-25T09:00") == (
        "Done G20260925: logged a greeting with 2 customers.\n"
    )
    assert kehu.ok("done", "G20260925", now="2026-09-25T10:00") == (
        "G20260925 is already done: everyone it counts is greeted. Nothing changed.\n"
    )


def test_a_greeting_closes_the_key_customers_item_only_from_the_lead_day(kehu, tmp_path):
    _book(kehu, tmp_path, [("张伟", "13800000001", "A", "")])
    kehu.ok("log", "张伟", "--kind", "greeting", "--at", "2026-09-20 10:00", now="2026-09-20T11:00")
    assert [i["key"] for i in _holiday_items(kehu)] == ["H1.20260925"]
    kehu.ok("log", "张伟", "--kind", "问候", "--via", "微信", now=LEAD_DAY)
    assert _holiday_items(kehu) == []
    item = kehu.json("today", now="2026-09-25T09:00")["items"]
    assert not [i for i in item if i["kind"] == "holiday"]


def test_the_key_customers_item_is_late_on_the_day(kehu, tmp_path):
    _book(kehu, tmp_path, [("张伟", "13800000001", "A", "")])
    [item] = _holiday_items(kehu, now="2026-09-25T09:00")
    assert item["late"] is True and item["reason"].startswith("Mid-Autumn Festival today")


def test_greet_lists_whom_to_greet_with_phone_talking_point_and_who_is_greeted(kehu, tmp_path):
    _book(kehu, tmp_path, [
        ("张伟", "13800000001", "A", ""), ("李娜", "13800000002", "B", ""),
        ("王芳", "13800000004", "B", "no"), ("赵强", "13800000005", "C", ""),
    ])  # fmt: skip
    kehu.ok("edit", "李娜", "--set", "hobbies=golf")
    kehu.ok("log", "赵强", "--at", "2026-09-20 10:00", now="2026-09-20T11:00")  # reached lately
    kehu.ok("done", "G20260925", "李娜", now=LEAD_DAY)
    listed = kehu.json("greet", "ＭＩＤ－ＡＵＴＵＭＮ", now=LEAD_DAY)
    assert set(listed) == {"customers", "day", "holidays", "key", "owner"}
    assert (listed["key"], listed["day"], listed["holidays"]) == ("G20260925", MID_AUTUMN,
                                                                   ["mid-autumn"])  # fmt: skip
    assert [(c["customer_name"], c["phone"], c["greeted"], c["talking_point"])
            for c in listed["customers"]] == [
        ("张伟", "13800000001", False, None), ("李娜", "13800000002", True, "hobbies: golf"),
    ]  # fmt: skip
    text = kehu.ok("greet", "中秋", now=LEAD_DAY)
    assert "1 of 2 to greet" in text and "王芳" not in text


def test_a_manager_lists_whom_a_salesperson_or_the_team_has_to_greet(kehu, tmp_path, monkeypatch):
    """The team's list shows each salesperson's grouped greeting, pointing to `kehu greet`: with
    --owner NAME or --all that lists their customers (an owner column with --all)."""
    _book(kehu, tmp_path, [("张伟", "13800000001", "A", ""), ("李娜", "13800000002", "B", "")])
    kehu.ok("assign", "李娜", "lei")
    monkeypatch.setenv("KEHU_USER", "boss")
    hint = kehu("greet", "中秋", "--json", now=LEAD_DAY)
    assert hint.code == 0 and json.loads(hint.out)["customers"] == [], hint
    assert hint.err.startswith("kehu: no customers belong to 'boss'; 2 belong to others")
    leis = kehu.json("greet", "中秋", "--owner", "ｌｅｉ", now=LEAD_DAY)
    assert leis["owner"] == "lei"
    assert [(c["customer_name"], c["owner"]) for c in leis["customers"]] == [("李娜", "lei")]
    everyone = kehu.json("greet", "中秋", "--all", now=LEAD_DAY)
    assert everyone["owner"] is None
    assert [(c["customer_name"], c["owner"]) for c in everyone["customers"]] == [
        ("张伟", "mei"), ("李娜", "lei")
    ]  # fmt: skip
    text = kehu.ok("greet", "中秋", "--all", now=LEAD_DAY).splitlines()
    assert text[1].split()[:3] == ["name", "owner", "phone"]
    assert text[2].split()[:3] == ["张伟", "mei", "13800000001"]
    assert "owner" not in kehu.ok("greet", "中秋", "--owner", "lei", now=LEAD_DAY)
    for args in (("--owner", " "), ("--owner", "lei", "--all")):
        refused = kehu("greet", "中秋", *args, now=LEAD_DAY)
        assert refused.code == BadInput.exit_code and refused.out == "", refused
        assert len(refused.err.splitlines()) == 1, refused
    chinese = in_chinese("greet", "中秋", "--all", now=LEAD_DAY)
    assert chinese.returncode == 0 and "负责人" in chinese.stdout, chinese


def test_greet_with_nobody_to_greet_says_why(kehu, tmp_path):
    """Not only "0 of 0 to greet": no customers yet, or each one left out (reached lately,
    snoozed, opted out, a prospect never sold to), as README's holiday greetings say."""
    kehu.new_book()
    none = kehu.ok("greet", "中秋", now=LEAD_DAY).splitlines()
    assert none == [
        "Mid-Autumn Festival in 3 days (25 Sep) [G20260925]: 0 of 0 to greet",
        "Nobody to greet: no customers yet (`kehu add` adds one).",
    ]
    assert in_chinese("greet", "中秋", now=LEAD_DAY).stdout.splitlines()[1] == (
        "没有要问候的人：还没有客户（用 `kehu add` 添加）。"
    )
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", "no"), ("赵强", "13800000005", "C", "")])
    kehu.ok("log", "赵强", "--at", "2026-09-20 10:00", now="2026-09-20T11:00")  # reached lately
    before = kehu.snapshot()
    text = kehu.ok("greet", "中秋", now=LEAD_DAY).splitlines()
    assert text == [
        "Mid-Autumn Festival in 3 days (25 Sep) [G20260925]: 0 of 0 to greet",
        "Nobody to greet: each of the 2 customers was reached in the last 7 days "
        "(rules.rest_days), is snoozed, has opted out (greetings=no) or is a prospect never "
        "sold to.",
    ]
    assert kehu.json("greet", "中秋", now=LEAD_DAY)["customers"] == []
    chinese = in_chinese("greet", "中秋", now=LEAD_DAY)
    assert (chinese.returncode, chinese.stderr) == (0, "")
    assert chinese.stdout.splitlines()[1] == (
        "没有要问候的人：这 2 位客户最近 7 天内联系上过（rules.rest_days）、已推迟、"
        "退订了问候（greetings=no），或是从未成交的意向客户。"
    )
    kehu.ok("config", "rules.rest_days", "0")
    kehu.ok("archive", "赵强")
    assert kehu.ok("greet", "中秋", now=LEAD_DAY).splitlines()[1] == (
        "Nobody to greet: the customer is snoozed, has opted out (greetings=no) or is a "
        "prospect never sold to."
    )
    assert kehu.count("contact") == len(before["contact"])


def test_prospects_never_sold_to_are_not_greeted_and_resting_customers_wait(kehu, tmp_path):
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", ""), ("赵强", "13800000005", "C", "")])
    early = "2026-09-01T09:00"
    kehu.ok("add", "王强", "--phone", "13900001111", "--prospect", "--level", "H", now=early)
    kehu.ok("add", "陈静", "--tier", "A", "--prospect", "--level", "A", now=early)
    kehu.ok("add", "刘洋", "--prospect", "--level", "B", now=early)
    kehu.ok("lost", "王强", "--reason", "price", now="2026-09-03T09:00")
    kehu.ok("sale", "刘洋", "--product", "Tiguan L", now="2026-09-05T15:00")
    kehu.ok("log", "赵强", "--at", "2026-09-17 10:00", now="2026-09-17T11:00")  # 6 days before
    [group] = _holiday_items(kehu)  # no H item for the tier A prospect
    assert group["kind"] == "holiday-group" and group["reason_params"]["count"] == 2
    listed = kehu.json("greet", "中秋", now=LEAD_DAY)["customers"]
    assert sorted(c["customer_name"] for c in listed) == ["刘洋", "李娜"]
    kehu.ok("config", "rules.rest_days", "5")  # 赵强 rests no more
    assert _holiday_items(kehu)[0]["reason_params"]["count"] == 3
    kehu.ok("config", "rules.rest_days", "0")
    assert _holiday_items(kehu)[0]["reason_params"]["count"] == 3
    kehu.ok("done", "G20260925", "陈静", now=LEAD_DAY)  # named by hand: greeted all the same
    assert kehu.rows("SELECT customer_id FROM contact WHERE kind = 'greeting'") == [
        {"customer_id": 4}
    ]


def test_an_unknown_holiday_and_a_bad_opt_out_are_one_line_and_write_nothing(kehu, tmp_path):
    _book(kehu, tmp_path, [("张伟", "13800000001", "A", "")])
    before = kehu.snapshot()
    result = kehu("greet", "圣诞")
    assert result.code == BadInput.exit_code and "accepted: new-year" in result.err
    result = kehu("edit", "张伟", "--set", "greetings=maybe")
    assert result.code == BadInput.exit_code and "accepted: yes, no" in result.err
    result = kehu("done", "T1", "张伟")
    assert result.code == BadInput.exit_code
    assert kehu.snapshot() == before
    kehu.ok("edit", "张伟", "--set", "greetings=不")
    assert kehu.rows("SELECT value FROM profile_field WHERE key = 'greetings'") == [{"value": "no"}]
    assert _holiday_items(kehu) == []


def test_the_settings_choose_the_holidays_and_the_lead_days(kehu, tmp_path):
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", "")])
    kehu.ok("config", "rules.holidays", "七夕,国庆")
    assert _holiday_items(kehu) == []  # 中秋 is no longer greeted
    assert kehu.json("config", "rules.holidays") == {"rules.holidays": ["qixi", "national-day"]}
    kehu.ok("config", "rules.holiday_lead_days", "9")
    [group] = _holiday_items(kehu)
    assert group["key"] == "G20261001"
    result = kehu("config", "rules.holidays", "halloween")
    assert result.code == BadInput.exit_code and "mid-autumn" in result.err
    result = kehu("config", "rules.holiday_country", "XX")
    assert result.code == BadInput.exit_code


# ------------------------------------------------------------------------ calendar


def test_calendar_lists_what_is_coming_by_day_for_the_owners_customers(kehu):
    kehu.ok("add", "张伟", "--phone", "13800000001", "--birthday", "1980-10-03")
    kehu.ok("add", "李娜", "--birthday", "09-30", "--product", "Model Y", "--delivered",
            "2026-09-01", now="2026-09-01T12:00")  # fmt: skip
    kehu.ok("promise", "李娜", "send the brochure", "--due", "2026-09-28", now=LEAD_DAY)
    kehu.ok("date", "add", "张伟", "wedding", "农历2016年八月十八")  # 28 Sep 2026
    kehu.ok("add", "别人的", "--birthday", "1990-09-26")
    kehu.ok("assign", "别人的", "lei")
    found = kehu.json("calendar", "--days", "12", now=LEAD_DAY)
    assert (found["start"], found["end"], found["owner"]) == ("2026-09-22", "2026-10-04", "mei")
    assert {frozenset(e) for e in found["events"]} == {
        frozenset(
            ("customer_id", "customer_name", "date", "kind", "owner", "params", "phone", "text")
        )
    }
    assert [(e["date"], e["kind"], e["customer_name"], e["params"].get("age"))
            for e in found["events"]] == [
        ("2026-09-25", "holiday", None, None),
        ("2026-09-28", "personal-date", "张伟", 10),
        ("2026-09-28", "promise", "李娜", None),
        ("2026-09-30", "personal-date", "李娜", None),
        ("2026-10-01", "holiday", None, None),
        ("2026-10-01", "call-back", "李娜", None),
        ("2026-10-03", "personal-date", "张伟", 46),
    ]  # fmt: skip
    wedding = found["events"][1]["params"]
    assert (wedding["occasion"], wedding["calendar"], wedding["month"], wedding["day"]) == (
        "wedding", "lunar", 8, 18,
    )  # fmt: skip
    text = kehu.ok("calendar", "--days", "12", now=LEAD_DAY)
    assert "Fri 25 Sep 2026\n  Mid-Autumn Festival" in text
    assert "张伟  Wedding anniversary (lunar 8/18), 10 years" in text
    assert "张伟  Birthday, turns 46" in text
    assert "李娜  1-month call-back: Model Y" in text
    everyone = kehu.json("calendar", "--all", "--days", "5", now=LEAD_DAY)["events"]
    assert ("2026-09-26", "别人的") in [(e["date"], e["customer_name"]) for e in everyone]


def test_unknown_holidays_or_country_in_the_file_warn_and_keep_the_default(kehu, tmp_path):
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", "")])
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text('[rules]\nholidays = "halloween"\nholiday_country = "X1"\n', encoding="utf-8")
    today = kehu("today", "--json", now=LEAD_DAY)
    assert today.code == 0
    warnings = today.err.splitlines()  # one each, naming the setting and what it takes
    assert [w.split(" has a bad value for ")[1].split(" ")[0] for w in warnings] == [
        "rules.holidays",
        "rules.holiday_country",
    ]
    [group] = [i for i in json.loads(today.out)["items"] if i["kind"] in HOLIDAY_KINDS]
    assert group["reason_params"]["holidays"] == ["mid-autumn"]
    calendar = kehu("calendar", "--days", "3", "--json", now=LEAD_DAY)
    assert json.loads(calendar.out)["events"][0]["kind"] == "holiday"
    # A code of a country's form that the holidays package does not know: the commands that
    # compute holidays say so as they say of the file's other bad values, and greet CN's days.
    config.write_text('[rules]\nholiday_country = "XX"\n', encoding="utf-8")
    unknown = (
        f"kehu: warning: the config file {config} has a bad value for rules.holiday_country "
        "(rules.holiday_country takes a country code, like CN, US or DE; 'XX' is none); the "
        "default, CN, is used\n"
    )
    today = kehu("today", "--json", now=LEAD_DAY)
    assert (today.code, today.err) == (0, unknown)
    [group] = [i for i in json.loads(today.out)["items"] if i["kind"] in HOLIDAY_KINDS]
    assert group["reason_params"]["holidays"] == ["mid-autumn"]
    for args in (("calendar", "--days", "3"), ("show", "李娜"), ("greet", "中秋")):
        result = kehu(*args, now=LEAD_DAY)
        assert (result.code, result.err) == (0, unknown), args
    shown = kehu("config", "--json")
    assert (shown.code, shown.err) == (0, unknown)
    assert json.loads(shown.out)["rules.holiday_country"] == "CN"
    # A command that computes no holiday does not check (it would load the package).
    assert kehu("log", "李娜", "--via", "call", now=LEAD_DAY).err == ""
    chinese = in_chinese("today", now=LEAD_DAY)
    assert chinese.returncode == 0 and chinese.stderr == (
        f"kehu: 注意：配置文件 {config} 中 rules.holiday_country 的值有误（rules.holiday_country "
        "要填国家代码，例如 CN、US 或 DE；'XX' 不是）；改用默认值 CN\n"
    )


def test_calendar_days_beyond_ten_years_are_refused_in_one_line(kehu):
    kehu.ok("add", "张伟", "--phone", "13800000001", "--birthday", "1980-10-03")
    result = kehu("calendar", "--days", "10000000")
    assert result.code == BadInput.exit_code and result.out == ""
    assert "3660" in result.err and len(result.err.strip().splitlines()) == 1, result
    assert kehu.json("calendar", "--days", "3660")["end"] == "2036-11-29"


def test_the_grouped_greeting_alone_counts_its_customers_in_the_heading(kehu, tmp_path):
    _book(kehu, tmp_path, [("李娜", "13800000002", "B", ""), ("王芳", "13800000003", "C", "")])
    heading = kehu.ok("today", "--kind", "holiday-group", now=LEAD_DAY).splitlines()[0]
    assert heading == "Today, Tue 22 Sep 2026: 1 item for 2 customers"


def test_a_late_planned_call_is_marked_late_on_the_calendar_as_a_late_promise_is(kehu):
    kehu.ok("add", "李娜", "--phone", "13800000002")
    kehu.ok("log", "李娜", "--next", "2026-09-20", "--next-note", "ask about insurance",
            now="2026-09-18T10:00")  # fmt: skip
    kehu.ok("log", "李娜", "--no-answer", "--next", "2026-09-22", now="2026-09-18T10:05")
    text = kehu.ok("calendar", "--days", "1", now=LEAD_DAY)
    assert "李娜  Planned call (due since Sun 20 Sep): ask about insurance" in text
    assert "李娜  Planned call\n" in text + "\n"


def test_a_key_customers_holiday_key_of_a_day_not_on_the_list_is_not_found_and_logs_nothing(
    kehu, tmp_path
):
    _book(kehu, tmp_path, [("张伟", "13800000001", "A", ""), ("李娜", "13800000002", "B", "")])
    before = kehu.snapshot()
    for key in ("H1.20260923", "H1.20260101", "H1.20261001", "H2.20261001"):  # no greeting day now
        off = f"kehu: {key} is not on the list now; `kehu today` shows the keys\n"
        for args in (("done", key), ("done", key, "--again"), ("draft", key),
                     ("snooze", key, "--until", "+2d")):  # fmt: skip
            result = kehu(*args, now=LEAD_DAY)
            assert (result.code, result.out, result.err) == (NotFound.exit_code, "", off), args
    result = kehu("done", "H1.20260925", now="2026-09-26T09:00")  # the day after the holiday
    assert result.code == NotFound.exit_code and "not on the list now" in result.err
    assert kehu.snapshot() == before
    kehu.ok("done", "H1.20260925", now=LEAD_DAY)
    assert kehu.rows("SELECT customer_id, kind FROM contact") == [
        {"customer_id": 1, "kind": "greeting"}
    ]


def test_another_countrys_holidays_are_greeted_once_listed_by_a_typeable_name_and_drafted(
    kehu, tmp_path
):
    _book(kehu, tmp_path, [("Emma Wilson", "13800000001", "A", ""),
                           ("John Smith", "13800000002", "B", "")])  # fmt: skip
    kehu.ok("config", "rules.holiday_country", "US")
    thanksgiving = "2026-11-23T09:00"
    [item, group] = _holiday_items(kehu, now=thanksgiving)
    assert (item["key"], group["key"]) == ("H1.20261126", "G20261126")
    assert "`kehu greet thanksgiving-day` lists them" in group["reason"]
    for typed in ("thanksgiving-day", "Thanksgiving", "US:Thanksgiving Day", "ＴＨＡＮＫＳ"
                  "ＧＩＶＩＮＧ"):  # fmt: skip
        listed = kehu.json("greet", typed, now=thanksgiving)
        assert (listed["key"], listed["holidays"]) == ("G20261126", ["US:Thanksgiving Day"])
        assert [c["customer_name"] for c in listed["customers"]] == ["Emma Wilson", "John Smith"]
    draft = kehu.json("draft", "H1.20261126", "--lang", "en", now=thanksgiving)["text"]
    assert draft.splitlines()[:2] == [
        "Hi Emma Wilson,",
        "Happy Thanksgiving Day to you and your family!",
    ]
    listed = kehu.json("today", "--drafts", now=thanksgiving)["items"]
    assert all(i["draft"] for i in listed if i["kind"] == "holiday")
    new_year = "2026-12-29T09:00"  # the country's New Year's Day is 元旦: one greeting, not two
    [item, group] = _holiday_items(kehu, now=new_year)
    assert item["reason_params"]["holidays"] == ["new-year"] == group["reason_params"]["holidays"]
    assert item["reason"].startswith("New Year's Day in 3 days")
    events = kehu.json("calendar", "--days", "5", now=new_year)["events"]
    assert [e["params"]["holiday"] for e in events if e["kind"] == "holiday"] == ["new-year"]
    assert kehu.json("greet", "independence", now=new_year)["day"] == "2027-07-04"
    result = kehu("greet", "halloween", now=new_year)
    assert result.code == BadInput.exit_code and result.err.startswith("kehu: unknown holiday")


def _keys(kehu, now):
    return [i["key"] for i in kehu.json("today", now=now)["items"]]


def test_a_holiday_greeting_is_no_birthday_greeting_nor_a_birthdays_the_holidays(kehu):
    # The year end: 李娜's 40th birthday is on 元旦, her other date (闰十一月十五, kept in the
    # regular month this year) was a week before; 张伟's lunar birthday 腊月三十 is kept on 除夕
    # (腊月 has 29 days in 2026), the day before 春节.
    kehu.ok("add", "李娜", "--phone", "13800000002", now="2026-06-01T10:00")
    kehu.ok("add", "张伟", "--phone", "13800000001", "--tier", "A", now="2026-06-01T10:00")
    kehu.ok("add", "刘洋", "--phone", "13800000003", now="2026-06-01T10:00")
    kehu.ok("date", "add", "李娜", "birthday", "1987-01-01", now="2026-06-01T10:00")
    kehu.ok("date", "add", "李娜", "other", "闰十一月十五", "--label", "入职纪念日",
            now="2026-06-01T10:00")  # fmt: skip
    kehu.ok("date", "add", "张伟", "birthday", "农历1985年腊月三十", now="2026-06-01T10:00")
    kehu.ok("date", "add", "刘洋", "birthday", "1990-01-02", now="2026-06-01T10:00")
    assert {"B1", "B2", "G20270101"} <= set(_keys(kehu, "2026-12-30T09:00"))
    assert kehu.ok("done", "G20270101", now="2026-12-30T10:00") == (
        "Done G20270101: logged a greeting with 2 customers.\n"
    )
    # The New Year's greeting sent to everyone closes neither of her own dates' items.
    keys = _keys(kehu, "2026-12-30T11:00")
    assert {"B1", "B2"} <= set(keys) and "G20270101" not in keys
    assert kehu.rows("SELECT key, customer_id FROM closed_item ORDER BY key") == [
        {"key": "H1.20270101", "customer_id": 1}, {"key": "H3.20270101", "customer_id": 3},
    ]  # fmt: skip
    kehu.ok("done", "B1", "--via", "wechat", now="2026-12-30T11:00")
    keys = _keys(kehu, "2026-12-30T12:00")
    assert "B1" not in keys and "B2" in keys  # her birthday wishes are not for the other date
    assert "B4" in _keys(kehu, "2026-12-31T09:00")  # 刘洋's, listed from 30 Dec: no wish yet
    # 张伟: birthday wishes on 除夕 are not his 春节 greeting.
    assert {"B3", "H2.20270206"} <= set(_keys(kehu, "2027-02-05T09:00"))
    kehu.ok("done", "B3", now="2027-02-05T10:00")
    keys = _keys(kehu, "2027-02-05T11:00")
    assert "B3" not in keys and "H2.20270206" in keys
    greeted = kehu.json("greet", "春节", now="2027-02-05T11:00")["customers"]
    assert [(g["customer_name"], g["greeted"]) for g in greeted if g["tier"] == "A"] == [
        ("张伟", False)
    ]
    assert kehu.ok("done", "H2.20270206", now="2027-02-05T12:00").startswith("Done H2.20270206")
    assert "H2.20270206" not in _keys(kehu, "2027-02-05T13:00")


def test_a_greeting_logged_by_hand_still_closes_both_and_undo_takes_a_grouped_one_back(kehu):
    kehu.ok("add", "李娜", "--phone", "13800000002", now="2026-06-01T10:00")
    kehu.ok("add", "刘洋", "--phone", "13800000003", now="2026-06-01T10:00")
    kehu.ok("date", "add", "李娜", "birthday", "1987-01-01", now="2026-06-01T10:00")
    kehu.ok("date", "add", "刘洋", "birthday", "1990-01-02", now="2026-06-01T10:00")
    kehu.ok("done", "G20270101", now="2026-12-30T10:00")
    assert "2 closed items removed" in kehu.ok("undo", now="2026-12-30T10:01")
    assert kehu.count("contact") == kehu.count("closed_item") == 0
    # A greeting logged with `kehu log` names no item: it is the birthday's and the holiday's.
    kehu.ok("log", "李娜", "--kind", "greeting", now="2026-12-30T11:00")
    keys = _keys(kehu, "2026-12-30T12:00")
    assert "B1" not in keys and "B2" in keys
    greeted = kehu.json("greet", "元旦", now="2026-12-30T12:00")["customers"]
    assert {g["customer_name"]: g["greeted"] for g in greeted} == {"李娜": True, "刘洋": False}


def test_another_countrys_days_of_mourning_and_further_festival_days_are_not_greeted(kehu):
    kehu.ok("add", "陈静", "--phone", "13800000005", "--tier", "A", now="2026-06-01T10:00")
    kehu.ok("config", "rules.holiday_country", "HK")
    events = kehu.json("calendar", "--days", "366", now="2026-12-20T09:00")["events"]
    greeted = [(e["date"], e["params"]["holiday"]) for e in events if e["kind"] == "holiday"]
    names = [name for _day, name in greeted]
    # 清明 (Tomb-Sweeping Day) is no greeting day; the second to fourth days of Chinese New Year
    # and the day after Mid-Autumn are covered by the festival's greeting; 重阳 is off, as the
    # settings say; Hong Kong's National Day is 国庆, greeted once.
    assert not [n for n in names if "Tomb" in n or "Chinese New Year" in n or "following" in n]
    assert "double-ninth" not in names and "HK:Double Ninth Festival" not in names
    assert [day for day, name in greeted if day.endswith("-10-01")] == ["2027-10-01"]
    assert ("2027-02-06", "spring-festival") in greeted and ("2027-05-13", "HK:The Buddha's "
                                                             "Birthday") in greeted  # fmt: skip
    for now in ("2027-02-07T09:00", "2027-04-03T09:00"):  # after 春节; two days before 清明
        assert _holiday_items(kehu, now=now) == [], now
    kehu.ok("config", "rules.holiday_country", "US")
    events = kehu.json("calendar", "--days", "366", now="2027-05-01T09:00")["events"]
    names = [e["params"]["holiday"] for e in events if e["kind"] == "holiday"]
    assert "US:Memorial Day" not in names and "US:Independence Day" in names


def test_another_countrys_holidays_read_in_chinese_where_a_chinese_name_is_known(kehu, tmp_path):
    _book(kehu, tmp_path, [("Emma Wilson", "13800000001", "A", ""),
                           ("John Smith", "13800000002", "B", "")])  # fmt: skip
    kehu.ok("config", "rules.holiday_country", "US")
    thanksgiving = "2026-11-23T09:00"
    greet = in_chinese("greet", "thanksgiving", now=thanksgiving)
    assert greet.returncode == 0 and "感恩节" in greet.stdout and "Thanksgiving" not in greet.stdout
    today = in_chinese("today", now=thanksgiving).stdout
    assert "感恩节" in today and "kehu greet thanksgiving-day" in today
    calendar = in_chinese("calendar", "--days", "5", now=thanksgiving).stdout
    assert "感恩节" in calendar and "Thanksgiving" not in calendar
    zh = json.loads(in_chinese("draft", "H1.20261126", "--lang", "zh", "--json",
                               now=thanksgiving).stdout)  # fmt: skip
    assert "祝您和家人感恩节快乐！" in zh["text"] and "Thanksgiving" not in zh["text"]
    en = json.loads(in_chinese("draft", "H1.20261126", "--lang", "en", "--json",
                               now=thanksgiving).stdout)  # fmt: skip
    assert "Happy Thanksgiving Day to you and your family!" in en["text"]
    # the English interface keeps the English names, and the JSON codes stay as they were
    assert "Thanksgiving Day" in kehu.ok("calendar", "--days", "5", now=thanksgiving)
    assert kehu.json("greet", "thanksgiving", now=thanksgiving)["holidays"] == [
        "US:Thanksgiving Day"
    ]
    # a country the package has in Chinese is named as it names it (Russia's Victory Day)
    kehu.ok("config", "rules.holiday_country", "RU")
    victory = "2027-05-07T09:00"
    assert "胜利日" in in_chinese("calendar", "--days", "3", now=victory).stdout


def test_another_countrys_holiday_is_taken_by_the_chinese_name_kehu_gives_it(kehu, tmp_path):
    _book(kehu, tmp_path, [("Emma Wilson", "13800000001", "A", ""),
                           ("John Smith", "13800000002", "B", "")])  # fmt: skip
    kehu.ok("config", "rules.holiday_country", "US")
    thanksgiving = "2026-11-23T09:00"
    for typed in ("感恩节", "感恩", "ＴＨＡＮＫＳＧＩＶＩＮＧ", "Thanksgiving Day"):
        found = kehu.json("greet", typed, now=thanksgiving)
        assert (found["key"], found["holidays"]) == ("G20261126", ["US:Thanksgiving Day"]), typed
    greet = in_chinese("greet", "感恩节", now=thanksgiving)
    assert (greet.returncode, greet.stderr) == (0, "")
    assert greet.stdout.startswith("感恩节还有 3 天（11月26日）[G20261126]")
    assert in_chinese("greet", "圣诞", now=thanksgiving).stdout.startswith("圣诞节还有 32 天")
    # a name that is none: one line, what is accepted, the country's holidays among them
    wrong = kehu("greet", "复活节", now=thanksgiving)
    assert wrong.code == 2 and wrong.out == "" and len(wrong.err.splitlines()) == 1
    assert "mid-autumn" in wrong.err and "thanksgiving-day" in wrong.err
    wrong = in_chinese("greet", "复活节", now=thanksgiving)
    assert wrong.returncode == 2 and len(wrong.stderr.splitlines()) == 1
    assert "thanksgiving-day (感恩节)" in wrong.stderr and "Traceback" not in wrong.stderr
    # a draft for one customer takes it too, and the grouped item points to a command that works
    draft = in_chinese("draft", "John Smith", "--for", "holiday", "--occasion", "感恩节",
                       "--lang", "zh", now=thanksgiving)  # fmt: skip
    assert draft.returncode == 0 and "感恩节快乐" in draft.stdout
    pointed = kehu("draft", "G20261126", now=thanksgiving)
    assert pointed.code == 2 and "--occasion thanksgiving-day`" in pointed.err
    english = kehu("draft", "John Smith", "--for", "holiday", "--occasion", "thanksgiving-day",
                   "--lang", "en", now=thanksgiving)  # fmt: skip
    assert english.code == 0 and "Happy Thanksgiving Day" in english.out
    kehu.ok("config", "rules.holiday_country", "CN")  # no other country: not a holiday of ours
    assert kehu("greet", "感恩节", now=thanksgiving).code == 2


def test_an_unknown_holiday_names_the_chinese_names_in_chinese_as_word_options_do(kehu):
    kehu.ok("add", "王芳", "--phone", "13900001111", "--product", "帕萨特")
    before = kehu.snapshot()
    refused = in_chinese("greet", "圣诞快乐")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("kehu: 不认识的节日 '圣诞快乐'；可以用：new-year、")
    for name in ("元旦", "春节", "中秋", "国庆节", "mid-autumn"):
        assert f"、{name}、" in refused.stderr or refused.stderr.endswith(f"、{name}\n"), name
    english = kehu("greet", "halloween")
    assert english.code == 2 and english.err.count("\n") == 1
    assert english.err.startswith("kehu: unknown holiday 'halloween'; accepted: new-year, ")
    assert "中秋" not in english.err
    assert kehu.snapshot() == before
