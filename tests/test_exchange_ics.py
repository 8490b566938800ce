"""The calendar file: parsed back by the icalendar library, and imported by a real calendar
program (khal). In CI khal must be there (.ci/run installs it): the test fails instead of
skipping, so that the check cannot quietly stop running."""

import io
import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kehu.exchange import ics
from kehu.exchange.records import CalendarEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
EVENTS = [
    CalendarEvent("promise-1@kehu", datetime(2026, 12, 3, 15, 30, tzinfo=SHANGHAI), "给张三回电",
                  "说好的报价", timedelta(minutes=30)),
    CalendarEvent("birthday-2-2026@kehu", date(2026, 12, 5), "李四生日",
                  alarm_before=timedelta(days=1)),
    CalendarEvent("callback-3@kehu", date(2027, 1, 20), "Call back Jane Lee"),
]  # fmt: skip


def written(events=EVENTS, now=NOW) -> bytes:
    out = io.BytesIO()
    assert ics.write(events, out, now=now) == len(events)
    return out.getvalue()


def test_the_calendar_parses_back_with_its_uids_zones_and_alarms():
    calendar = icalendar.Calendar.from_ical(written())
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [e.uid for e in EVENTS]
    assert [str(e["SUMMARY"]) for e in events] == [e.summary for e in EVENTS]
    timed, whole_day, plain = events
    assert timed["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert timed.decoded("DTSTART") == EVENTS[0].start
    assert str(timed["DESCRIPTION"]) == "说好的报价"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert whole_day.decoded("DTSTART") == date(2026, 12, 5)
    assert whole_day.decoded("DTEND") == date(2026, 12, 6)
    [alarm] = timed.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=30)
    assert whole_day.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(days=1)
    assert plain.walk("VALARM") == []


def test_two_exports_differ_only_in_their_stamps():
    later = NOW + timedelta(days=1)
    first, second = written(now=NOW), written(now=later)
    assert first != second
    stamp = f"DTSTAMP:{NOW.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}"
    stamp2 = f"DTSTAMP:{later.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}"
    assert first.decode().replace(stamp, stamp2) == second.decode()


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        written([CalendarEvent("x", datetime(2026, 12, 3, 15, 30), "naive")])
    with pytest.raises(ValueError):
        written(now=datetime(2026, 11, 29))


def khal_or_fail() -> str:
    khal = shutil.which("khal")
    if khal is None:
        if os.environ.get("CI"):
            pytest.fail("khal is not installed; .ci/run installs it with apt-get")
        pytest.skip("khal is not installed (apt-get install khal); required in CI")
    return khal


def test_khal_imports_the_calendar_and_lists_each_event_once(tmp_path):
    khal = khal_or_fail()
    calendar_dir = tmp_path / "calendar"
    calendar_dir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[kehu]]\npath = {calendar_dir}/\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Asia/Shanghai\ndefault_timezone = Asia/Shanghai\n"
        f"[default]\ndefault_calendar = kehu\n[sqlite]\npath = {tmp_path}/khal.db\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path), "TZ": "Asia/Shanghai", "LC_ALL": "C.UTF-8"}  # fmt: skip

    def khal_run(*args: str) -> str:
        done = subprocess.run([khal, "-c", str(config), *args], env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    for now in (NOW, NOW + timedelta(days=1)):  # two exports: same UIDs, so no duplicates
        path = tmp_path / "kehu.ics"
        path.write_bytes(written(now=now))
        khal_run("import", "--batch", "-a", "kehu", str(path))
    listed = khal_run("list", "2026-12-01", "90d")
    assert "2026-12-03" in listed and "15:30" in listed
    for event in EVENTS:
        assert listed.count(event.summary) == 1, listed
    assert sorted(p.name for p in calendar_dir.iterdir()) == sorted(f"{e.uid}.ics" for e in EVENTS)


def test_a_promise_or_call_due_on_a_day_without_a_time_is_a_whole_day_with_an_alarm_at_nine(
    kehu, tmp_path
):
    now = "2027-03-06T12:00+08:00"
    kehu.ok("add", "李娜", "--phone", "13800000001")
    kehu.ok("add", "陈静", "--phone", "13800000002")
    kehu.ok("promise", "李娜", "送保养券", "--due", "3月9日", now=now)
    kehu.ok("promise", "李娜", "报价", "--due", "3月10日 15:00", now=now)
    kehu.ok("log", "陈静", "--note", "试驾", "--next", "后天", now=now)
    kehu.ok("promise", "陈静", "回电", "--due", "2027-03-05", "--force", now=now)  # overdue
    path = tmp_path / "c.ics"
    assert kehu("export", "--format", "ics", "--days", "30", str(path), now=now).code == 0
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }
    for uid, day in (("P1@kehu", date(2027, 3, 9)), ("F1@kehu", date(2027, 3, 8)),
                     ("P3@kehu", date(2027, 3, 6))):  # fmt: skip
        event = events[uid]
        assert event["DTSTART"].params["VALUE"] == "DATE", uid
        assert event.decoded("DTSTART") == day and event.decoded("DTEND") == day + timedelta(1)
        [alarm] = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(hours=9), uid  # 09:00 on the day
    timed = events["P2@kehu"]
    assert timed.decoded("DTSTART") == datetime(2027, 3, 10, 15, 0, tzinfo=SHANGHAI)
    assert timed.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(minutes=30)


def test_a_thank_you_for_a_delivery_on_a_day_without_a_time_is_that_whole_day_not_midnight(
    kehu, tmp_path
):
    now = "2026-11-22T10:00+08:00"
    kehu.ok("add", "郑一", "--phone", "13700137007", "--product", "Tayron", "--delivered",
            "2026-11-25", now=now)  # fmt: skip
    kehu.ok("add", "吴十", "--phone", "13700137006", "--product", "Polo", "--delivered",
            "2026-11-26 15:30", now=now)  # fmt: skip
    path = tmp_path / "c.ics"
    assert kehu("export", "--format", "ics", "--days", "30", str(path), now=now).code == 0
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }
    day_only = events["T1@kehu"]
    assert day_only["DTSTART"].params["VALUE"] == "DATE"  # no alarm at midnight
    assert day_only.decoded("DTSTART") == date(2026, 11, 25)
    assert day_only.walk("VALARM")[0].decoded("TRIGGER") == timedelta(hours=9)
    timed = events["T2@kehu"]
    assert timed.decoded("DTSTART") == datetime(2026, 11, 26, 15, 30, tzinfo=SHANGHAI)
    assert timed.walk("VALARM")[0].decoded("TRIGGER") == timedelta(0)


def test_the_file_holds_what_the_calendar_lists_up_to_the_last_day_of_the_window(kehu, tmp_path):
    now = "2026-11-30T09:00+08:00"
    kehu.ok("add", "王芳", "--phone", "13800000001", "--birthday", "12-10")
    kehu.ok("promise", "王芳", "带宣传册", "--due", "2026-12-10 15:00", now=now)
    kehu.ok("promise", "王芳", "寄台历", "--due", "2026-12-10", now=now)
    kehu.ok("log", "王芳", "--next", "2026-12-10 16:00", now=now)
    listed = kehu.json("calendar", "--days", "10", now=now)["events"]
    path = tmp_path / "c.ics"
    assert kehu("export", "--days", "10", str(path), now=now).code == 0
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    on_the_day = sorted(
        str(e["UID"]) for e in events if str(e.decoded("DTSTART"))[:10] == "2026-12-10"
    )
    assert on_the_day == ["F1@kehu", "P1@kehu", "P2@kehu", "birthday-1-2026@kehu"]
    assert len(events) == len(listed) == 4


def test_a_second_solar_birthday_of_a_customer_has_its_own_uid(kehu, tmp_path):
    now = "2026-11-30T09:00+08:00"
    kehu.ok("add", "李娜", "--phone", "13800000001", "--birthday", "1984-02-28")
    kehu.ok("date", "add", "李娜", "birthday", "06-01")
    path = tmp_path / "c.ics"
    assert kehu("export", "--days", "400", str(path), now=now).code == 0
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events if "birthday" in str(e["SUMMARY"])) == [
        "birthday-1-2027@kehu", "date-2-20270601@kehu",
    ]  # fmt: skip


def test_a_planned_call_in_a_chinese_calendar_file_has_chinese_punctuation(
    kehu, tmp_path, monkeypatch
):
    import subprocess
    import sys

    monkeypatch.setenv("KEHU_NOW", "2026-11-30T09:00+08:00")
    kehu.ok("add", "李娜", "--phone", "13800000001")
    kehu.ok("log", "李娜", "--next", "2026-12-08", "--next-note", "问保险")
    path = tmp_path / "c.ics"
    # The language is bound when kehu starts: in Chinese, a process of its own.
    subprocess.run(
        [sys.executable, "-m", "kehu", "export", "--days", "30", str(path)],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, check=True,
    )  # fmt: skip
    [event] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "给李娜打电话：问保险"


def test_a_date_event_says_what_the_calendar_says_of_it(kehu, tmp_path, monkeypatch):
    import subprocess
    import sys

    import vobject

    monkeypatch.setenv("KEHU_NOW", "2026-11-30T09:00+08:00")
    kehu.ok("add", "张伟", "--phone", "13800000001")
    kehu.ok("date", "add", "张伟", "birthday", "农历1985年腊月三十")  # 2027-02-05
    kehu.ok("date", "add", "张伟", "child-birthday", "2010-12-05", "--note", "son 小明")
    kehu.ok("date", "add", "张伟", "wedding", "12-10")
    listed = {e["date"]: e["text"] for e in kehu.json("calendar", "--days", "70")["events"]}
    assert listed["2026-12-05"] == "Child's birthday, son 小明, turns 16"
    expected = {
        "2027-02-05": ("张伟's birthday",  # 腊月 of lunar 2026 has 29 days: kept on 廿九
                       "Birthday (lunar 12/30; 12/29 this year, a 29-day month), turns 41\n"
                       "13800000001"),
        "2026-12-05": ("张伟's child's birthday",
                       "Child's birthday, son 小明, turns 16\n13800000001"),
        "2026-12-10": ("张伟's wedding anniversary", "Wedding anniversary\n13800000001"),
    }  # fmt: skip
    path = tmp_path / "c.ics"
    assert kehu("export", "--days", "70", str(path)).code == 0

    def dates_in(text: str) -> dict[str, tuple[str, str]]:
        found = {
            str(e.decoded("DTSTART")): (str(e["SUMMARY"]), str(e["DESCRIPTION"]))
            for e in icalendar.Calendar.from_ical(text).walk("VEVENT")
            if str(e["UID"]).startswith(("date-", "birthday-"))
        }
        read = vobject.readOne(text)  # a second reader agrees
        assert {
            str(v.dtstart.value): (v.summary.value, v.description.value)
            for v in read.vevent_list
            if v.uid.value.startswith(("date-", "birthday-"))
        } == found
        return found

    assert dates_in(path.read_text(encoding="utf-8")) == expected
    for day, (_title, description) in expected.items():
        assert description.partition("\n")[0] == listed[day]
    chinese = tmp_path / "zh.ics"
    subprocess.run(
        [sys.executable, "-m", "kehu", "export", "--days", "70", str(chinese)],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, check=True,
    )  # fmt: skip
    assert dates_in(chinese.read_text(encoding="utf-8")) == {
        "2027-02-05": (
            "张伟的生日",
            "生日（农历腊月三十，今年腊月只有廿九），满41周岁\n13800000001",
        ),
        "2026-12-05": ("张伟的孩子生日", "孩子生日，son 小明，满16周岁\n13800000001"),
        "2026-12-10": ("张伟的结婚纪念日", "结婚纪念日\n13800000001"),
    }


def test_the_calendar_file_holds_the_customers_the_calendar_lists(kehu, tmp_path):
    now = "2026-11-30T09:00+08:00"
    kehu.ok("add", "张伟", "--phone", "13800000001", "--birthday", "12-10")
    kehu.ok("add", "李娜", "--phone", "13800000002", "--birthday", "12-11", now=now)
    kehu.ok("promise", "李娜", "带宣传册", "--due", "2026-12-05", now=now)
    kehu.ok("log", "李娜", "--next", "2026-12-08", now=now)
    kehu.ok("add", "王芳", "--phone", "13800000003", "--product", "Model Y", now=now)
    kehu.ok("assign", "李娜", "lei")
    kehu.ok("assign", "王芳", "lei")

    def customers(*args: str) -> tuple[set[str], set[str]]:
        listed = kehu.json("calendar", "--days", "30", *args, now=now)["events"]
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.ics"
        assert kehu("export", "--days", "30", *args, str(path), now=now).code == 0
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        in_file = {str(e["SUMMARY"]) for e in events if not str(e["UID"]).startswith("holiday")}
        assert len(events) == len(listed), args
        return {e["customer_name"] for e in listed if e["customer_name"]}, in_file

    assert customers() == ({"张伟"}, {"张伟's birthday"})  # mei's own, as KEHU_USER says
    assert customers("--owner", "lei") == (
        {"李娜", "王芳"},
        {"李娜's birthday", "Promise to 李娜: 带宣传册", "Call 李娜", "Thank 王芳: Model Y",
         "Call 王芳 back (7 days): Model Y", "Call 王芳 back (1 month): Model Y"},
    )  # fmt: skip
    everyone = customers("--all")
    assert everyone[0] == {"张伟", "李娜", "王芳"} and len(everyone[1]) == 7
    before = sorted(p.name for p in tmp_path.iterdir())
    for args in (("--owner", "lei", "x.csv"), ("--all", "x.vcf"), ("--format", "json", "--all")):
        result = kehu("export", *args)
        assert result.code == 2 and result.err.startswith("kehu: --owner and --all choose"), args
        assert len(result.err.splitlines()) == 1 and result.out == "", args
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_calendar_file_of_several_owners_names_whose_customer_each_event_is(kehu, tmp_path):
    now = "2026-11-30T09:00+08:00"
    kehu.ok("add", "张伟", "--phone", "13800000001", "--birthday", "12-10", now=now)
    kehu.ok("add", "李娜", "--phone", "13800000002", now=now)
    kehu.ok("promise", "李娜", "带宣传册", "--due", "2026-12-05", now=now)
    kehu.ok("add", "王芳", "--phone", "13800000003", "--product", "Model Y", now=now)
    kehu.ok("assign", "李娜", "lei")

    def summaries(path, *args: str) -> set[str]:
        result = kehu("export", "--days", "30", *args, str(path), now=now)
        assert result.code == 0, result.err
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        return {str(e["SUMMARY"]) for e in events if not str(e["UID"]).startswith("holiday")}

    assert summaries(tmp_path / "all.ics", "--all") == {
        "张伟 (mei)'s birthday", "Promise to 李娜 (lei): 带宣传册", "Thank 王芳 (mei): Model Y",
        "Call 王芳 (mei) back (7 days): Model Y", "Call 王芳 (mei) back (1 month): Model Y",
    }  # fmt: skip
    # one owner's file (their own, or --all while only one owner has customers): names alone
    assert summaries(tmp_path / "lei.ics", "--owner", "lei") == {"Promise to 李娜: 带宣传册"}
    kehu.ok("assign", "李娜", "mei")
    assert "Promise to 李娜: 带宣传册" in summaries(tmp_path / "one.ics", "--all")
    kehu.ok("assign", "李娜", "lei")
    import sys

    chinese = tmp_path / "zh.ics"
    subprocess.run(
        [sys.executable, "-m", "kehu", "export", "--days", "30", "--all", str(chinese)],
        env={**os.environ, "KEHU_LANG": "zh", "KEHU_NOW": now}, capture_output=True, check=True,
    )  # fmt: skip
    events = icalendar.Calendar.from_ical(chinese.read_bytes()).walk("VEVENT")
    assert "对李娜（lei）的承诺：带宣传册" in {str(e["SUMMARY"]) for e in events}


def test_a_promise_due_in_the_hour_the_clocks_go_back_is_at_its_own_instant_in_khal(
    kehu, tmp_path, monkeypatch
):
    """London's clocks go back at 02:00 BST on 25 Oct 2026: 01:30 comes twice. A promise made at
    00:30 "in 2 hours" is due at the second 01:30 (GMT), one made for 1:30am at the first."""
    monkeypatch.setenv("KEHU_TZ", "Europe/London")
    now = "2026-10-25T00:30"
    kehu.ok("add", "Emma Wilson", "--phone", "07700900123", now=now)
    assert "due today 01:30" in kehu.ok("promise", "Emma", "Second", "--due", "in 2 hours", now=now)
    assert "due today 01:30" in kehu.ok("promise", "Emma", "First", "--due", "1:30am", now=now)
    path = tmp_path / "c.ics"
    assert kehu("export", "--days", "3", str(path), now=now).code == 0
    events = {
        str(e["SUMMARY"]): e.decoded("DTSTART")
        for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }
    utc = ZoneInfo("UTC")
    assert events["Promise to Emma Wilson: First"].astimezone(utc) == datetime(
        2026, 10, 25, 0, 30, tzinfo=utc
    )
    assert events["Promise to Emma Wilson: Second"].astimezone(utc) == datetime(
        2026, 10, 25, 1, 30, tzinfo=utc
    )
    khal = khal_or_fail()
    calendar_dir = tmp_path / "calendar"
    calendar_dir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(  # read in New York, where it is still summer time (EDT, UTC-4)
        f"[calendars]\n[[kehu]]\npath = {calendar_dir}/\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = America/New_York\ndefault_timezone = America/New_York\n"
        f"[default]\ndefault_calendar = kehu\n[sqlite]\npath = {tmp_path}/khal.db\n"
    )
    home = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    env = {**os.environ, **home, "TZ": "America/New_York", "LC_ALL": "C.UTF-8"}
    for args in (("import", "--batch", "-a", "kehu", str(path)), ("list", "2026-10-24", "2d")):
        done = subprocess.run([khal, "-c", str(config), *args], env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert "20:30-21:30 Promise to Emma Wilson: First" in done.stdout
    assert "21:30-22:30 Promise to Emma Wilson: Second" in done.stdout
