"""`kehu today`, `overdue`, `done`, `snooze`, `log --next` and the time zone, end to end."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MADE_BY, SERVER_URL, in_chinese

from kehu.base.errors import BadInput, NoBook, NotFound
from kehu.book import engine, opening

ITEM_KEYS = {
    "attempts", "customer_id", "customer_name", "days_late", "due", "key", "kind", "late",
    "late_since", "owner", "phone", "rank", "reason", "reason_code", "reason_params",
    "suggestion", "talking_point", "tier",
}  # fmt: skip


def keys_of(kehu, *args, now=None):
    items = kehu.json("today", *args, now=now)["items"]
    return [i["key"] for i in items if not i["suggestion"]]


def sale(kehu, name, phone, product, when, **extra):
    args = ["add", name, "--phone", phone, "--product", product]
    for option, value in extra.items():
        args += [f"--{option.replace('_', '-')}", value]
    kehu.ok(*args, now=when)


def test_today_json_has_the_documented_keys_and_order(kehu):
    sale(kehu, "张伟", "13800138000", "Golf 1.4T", "2026-11-20T15:30", tier="A")
    kehu.ok("promise", "张伟", "Send the tyre quote", "--due", "2026-11-21", "--force")
    sale(kehu, "Emma Wilson", "13811112222", "Polo", "2026-11-22T08:00", tier="C")
    data = kehu.json("today")
    assert set(data) == {"daily_target", "date", "items", "now", "owner"}
    assert data["date"] == "2026-11-22" and data["owner"] == "mei"
    assert data["now"] == "2026-11-22T10:00:00+08:00"
    items = data["items"]
    assert all(set(i) == ITEM_KEYS for i in items)
    late = [(i["key"], i["kind"], i["days_late"]) for i in items if i["late"]]
    assert late == [("P1", "promise", 1), ("T1", "thank-you", 1)]
    due = [(i["key"], i["kind"]) for i in items if not i["late"] and not i["suggestion"]]
    assert due == [("T2", "thank-you")]
    assert [i["rank"] for i in items] == list(range(1, len(items) + 1))
    thanks = items[1]
    assert thanks["reason"] == (
        "Delivered Golf 1.4T Fri 20 Nov 15:30 — the thank-you note was due by yesterday 15:30"
    )
    assert thanks["reason_code"] == "thank-you"
    assert thanks["reason_params"] == {
        "product": "Golf 1.4T",
        "delivered": "2026-11-20T15:30:00+08:00",
        "due_by": "2026-11-21T15:30:00+08:00",
    }
    assert thanks["phone"] == "13800138000" and thanks["tier"] == "A"
    assert thanks["late_since"] == "2026-11-21T15:30:00+08:00"


def test_today_tops_up_to_the_daily_target_with_the_longest_untouched(kehu):
    for n, when in enumerate(["2026-11-10T10:00", "2026-11-01T10:00", "2026-11-15T10:00"]):
        kehu.ok("add", f"客户{n}", "--phone", f"1390000000{n}", now=when)
        kehu.ok("log", f"客户{n}", "--via", "call", now=when)
    kehu.ok("add", "周杰", "--phone", "13733334444", now="2026-07-01T10:00")
    kehu.ok("config", "rules.daily_target", "3")
    items = kehu.json("today")["items"]
    # 周杰 is at risk (an item of its own); suggestions fill the target, longest untouched first.
    assert [(i["key"], i["kind"], i["suggestion"]) for i in items] == [
        ("A4", "at-risk", False),
        ("S2", "suggestion", True),
        ("S1", "suggestion", True),
    ]
    text = kehu.ok("today")
    assert "SUGGESTED" in text and "No follow-up due — last reached 1 Nov" in text


def test_the_daily_target_counts_customers_not_their_items(kehu):
    # The target is how many customers to contact today: one customer's thank-you and birthday
    # are one contact, so with a target of 3 two others are suggested.
    for n in range(1, 5):
        kehu.ok("add", f"客户{n}", "--phone", f"1390000000{n}", now="2026-11-01T10:00")
        kehu.ok("log", f"客户{n}", "--via", "call", now=f"2026-11-0{n}T10:00")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--birthday",
            "1980-11-24", now="2026-11-22T09:00")  # fmt: skip
    kehu.ok("config", "rules.daily_target", "3")
    items = kehu.json("today")["items"]
    assert [(i["key"], i["suggestion"]) for i in items] == [
        ("T1", False),
        ("B1", False),
        ("S1", True),
        ("S2", True),
    ]
    assert kehu.ok("today").splitlines()[0] == "Today, Sun 22 Nov 2026: 4 items for 3 customers"
    kehu.ok("config", "rules.daily_target", "1")
    assert [i["key"] for i in kehu.json("today")["items"]] == ["T1", "B1"]


def test_today_shows_phone_talking_point_and_attempts(kehu):
    kehu.ok("add", "李强", "--phone", "13922223333", "--set", "hobbies=golf",
            "--set", "family=two daughters", now="2026-07-01T10:00")  # fmt: skip
    kehu.ok("log", "李强", "--via", "call", "--note", "Asked about service", now="2026-07-01T10:00")
    kehu.ok("log", "李强", "--via", "call", "--no-answer", now="2026-11-20T10:00")
    kehu.ok("log", "李强", "--via", "call", "--no-answer", now="2026-11-21T10:00")
    [item] = kehu.json("today")["items"]
    assert (item["key"], item["kind"], item["attempts"]) == ("A1", "at-risk", 2)
    assert (
        item["talking_point"] == "hobbies: golf · family: two daughters · last note: "
        "Asked about service"
    )
    text = kehu.ok("today")
    assert "李强  13922223333 (3rd try)" in text
    assert "talk: hobbies: golf · family: two daughters" in text


def test_today_limit_and_kind(kehu):
    sale(kehu, "张伟", "13800138000", "Golf", "2026-11-20T15:30")
    sale(kehu, "王芳", "13855556666", "Polo", "2026-11-21T15:30")
    kehu.ok("promise", "王芳", "Quote", "--due", "today")
    assert keys_of(kehu, "--kind", "thank-you") == ["T1", "T2"]
    assert keys_of(kehu, "--limit", "1") == ["T1"]
    assert keys_of(kehu, "--kind", "promise") == ["P1"]
    result = kehu("today", "--kind", "birthday")
    assert result.code == BadInput.exit_code
    assert result.err.startswith("kehu: unknown kind 'birthday'; accepted: promise")


def test_a_call_back_window_opens_at_the_start_of_its_first_day(kehu):
    """Delivered Sun 15 Nov 15:30: the 7-day call-back's window opens on Thu 19 Nov, the whole
    day, whatever the delivery's time: a call at 10:00 that day counts, on the daily list, the
    calendar, the card and the month's report alike; one the evening before does not."""
    sale(kehu, "张伟", "13800138000", "Golf 1.4T", "2026-11-15T15:30")
    sale(kehu, "Emma Wilson", "13811112222", "Polo", "2026-11-15T15:30")
    for name in ("张伟", "Emma Wilson"):
        kehu.ok("log", name, "--via", "wechat", "--kind", "thank-you", "--at", "2026-11-15T18:00")
    kehu.ok("log", "张伟", "--via", "call", "--at", "2026-11-19T10:00")  # its first day
    kehu.ok("log", "Emma Wilson", "--via", "call", "--at", "2026-11-18T23:00")  # the day before
    items = kehu.json("today")["items"]
    assert [(i["key"], i["customer_name"]) for i in items if not i["suggestion"]] == [
        ("C2.7d", "Emma Wilson")
    ]
    done = kehu("done", "C1.7d")
    assert done.code == 0 and "already" in done.out + done.err
    assert [e["customer_name"] for e in kehu.json("calendar", "--days", "1")["events"]
            if e["kind"] == "call-back"] == ["Emma Wilson"]  # fmt: skip
    assert kehu.json("report", "month")["call_backs"]["7d"] == {"done": 1, "missed": 0, "open": 1}
    # Before the milestone, the card's next call-back: the 1-month one for 张伟, this one for Emma.
    shown = [kehu.json("show", name, now="2026-11-20T10:00")["coming"]["next_call_back"]
             for name in ("张伟", "Emma Wilson")]  # fmt: skip
    assert [(c["milestone"], c["day"]) for c in shown] == [
        ("1m", "2026-12-15"),
        ("7d", "2026-11-22"),
    ]


def test_a_call_back_due_at_a_later_time_of_day_is_listed_from_the_morning(kehu):
    """With no early days the window opens on the milestone's day: listed from its start."""
    kehu.ok("config", "rules.callback_early_days", "0")
    sale(kehu, "张伟", "13800138000", "Golf 1.4T", "2026-11-15T15:30")
    kehu.ok("log", "张伟", "--via", "wechat", "--kind", "thank-you", "--at", "2026-11-15T18:00")
    assert keys_of(kehu, now="2026-11-22T00:00") == ["C1.7d"]
    assert keys_of(kehu, now="2026-11-21T23:59") == []


def test_a_delivery_booked_for_later_today_is_to_be_delivered_not_delivered(kehu, monkeypatch):
    sale(kehu, "王芳", "13855556666", "Polo", "2026-11-20T10:00", delivered="2026-11-22T14:00")
    [item] = kehu.json("today", now="2026-11-22T09:00")["items"]
    assert item["reason"] == (
        "Polo to be delivered today 14:00 — the thank-you note is due by tomorrow 14:00"
    )
    monkeypatch.setenv("KEHU_NOW", "2026-11-22T09:00")
    assert "Polo 将于今天 14:00交付 —— 感谢信应在明天 14:00前发出" in _zh("today").stdout
    # Once it has happened, it was delivered.
    [item] = kehu.json("today", now="2026-11-22T14:00")["items"]
    assert item["reason"].startswith("Delivered Polo today 14:00 — ")


def test_a_key_customer_never_reached_is_said_to_be_never_reached(kehu, monkeypatch):
    kehu.ok("config", "rules.keep_in_touch_jitter_days", "0")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--tier", "A", now="2026-11-07T10:00")
    kehu.ok("add", "李强", "--phone", "13922223333", "--tier", "A", now="2026-11-01T10:00")
    kehu.ok("log", "李强", "--via", "call", now="2026-11-07T10:00")
    reasons = {i["customer_name"]: i["reason"] for i in kehu.json("today")["items"]}
    assert reasons == {
        "张伟": "Key customer: never reached, added 15 days ago (7 Nov)",
        "李强": "Key customer: 15 days since last contact (last reached 7 Nov)",
    }
    zh = _zh("today").stdout
    assert "重点客户：从未联系上，15 天前添加（11月7日）" in zh
    assert "重点客户：已经 15 天没联系了（上次联系上：11月7日）" in zh


def _zh(*args: str) -> subprocess.CompletedProcess[str]:
    """kehu in Chinese: the language is bound when kehu starts, so a process of its own."""
    return subprocess.run([sys.executable, "-m", "kehu", *args], capture_output=True, text=True,
                          env={**os.environ, "KEHU_LANG": "zh"})  # fmt: skip


def test_an_empty_book_says_so(kehu):
    kehu.new_book()
    out = kehu.ok("today")
    assert out == "Today, Sun 22 Nov 2026: nothing is due; your book has no customers yet.\n"
    zh = _zh("today").stdout
    assert zh == "今天，2026年11月22日 周日：没有到期的事项，客户簿里还没有客户。\n"


def test_a_book_all_followed_up_does_not_say_it_is_empty(kehu):
    kehu.ok("add", "张伟", "--phone", "13800000001")
    kehu.ok("log", "张伟", "--via", "call")
    out = kehu.ok("today")
    assert out == "Today, Sun 22 Nov 2026: nothing is due; everyone is followed up.\n"
    assert _zh("today").stdout == "今天，2026年11月22日 周日：没有到期的事项，客户都已跟进。\n"


def test_a_book_whose_customers_are_all_colleagues_does_not_say_it_is_empty(kehu, monkeypatch):
    kehu.ok("add", "张伟", "--phone", "13800000001")
    monkeypatch.setenv("KEHU_USER", "lei")
    result = kehu("today")
    assert result.code == 0, result
    # Whose the customers are, and what to do, said once: on stderr, as every list says it.
    assert result.out == "Today, Sun 22 Nov 2026: nothing is due.\n"
    assert result.err == (
        "kehu: no customers belong to 'lei'; 1 belongs to others — use --all, --owner NAME, "
        "or `kehu assign`\n"
    )
    assert "belong" not in result.out and "everyone is followed up" not in result.out
    as_json = kehu("today", "--json")
    assert json.loads(as_json.out)["items"] == [] and as_json.err == result.err
    zh = _zh("today")
    assert zh.stdout == "今天，2026年11月22日 周日：没有到期的事项。\n"
    assert zh.stderr.count("没有属于 'lei' 的客户；有 1 位属于别人") == 1, zh
    assert "属于" not in zh.stdout
    assert kehu("today", "--owner", "mei").out.startswith("Today, Sun 22 Nov 2026: 1 item")


def test_a_try_after_no_answer_is_in_chinese_brackets(kehu):
    kehu.ok("add", "李强", "--phone", "13922223333")
    kehu.ok("log", "李强", "--via", "call", "--no-answer")
    assert "李强  13922223333 (2nd try)" in kehu.ok("today")
    assert "李强  13922223333（第2次尝试）" in _zh("today").stdout


def test_a_kind_with_nothing_due_says_what_the_others_hold(kehu):
    kehu.ok("add", "张伟", "--phone", "13800000001", "--product", "Golf",
            "--delivered", "2026-10-22")  # fmt: skip
    kehu.ok("add", "李娜", "--phone", "13800000002", "--product", "Polo",
            "--delivered", "2026-10-22")  # fmt: skip
    out = kehu.ok("today", "--kind", "promise")
    assert out == (
        "Today, Sun 22 Nov 2026: no promise item is due; 2 items of other kinds (`kehu today`).\n"
    )
    assert kehu.ok("today", "--kind", "承诺") == out
    assert kehu.json("today", "--kind", "promise")["items"] == []


@pytest.mark.parametrize("command", ["today", "overdue", "list", "show 1", "promises", "doctor"])
def test_a_command_that_reads_never_creates_a_book(kehu, isolated, command):
    result = kehu(*command.split())
    assert result.code == 6 and result.out == ""
    assert result.err.startswith(
        f"kehu: no kehu book at {engine.masked(isolated)} (KEHU_DB says so)"
    )
    assert "KEHU_DB=PATH" in result.err and "`kehu add`" in result.err
    if SERVER_URL is None:
        assert not Path(isolated).exists()
    else:  # an empty server database stays empty
        with pytest.raises(NoBook):
            opening.open_book(isolated, create=False)


WRITES_ON_SOMETHING_THERE = [
    "done T1", "snooze T1 --until tomorrow", "log 1 --via call", "edit 1 --phone 13900000000",
    "sale 1 --product Golf", "archive 1", "unarchive 1", "delete 1 --yes", "assign 1 lei",
    "assign --from mei --to lei", "lost 1 --reason price", "promise 1 Quote --due tomorrow",
    "kept 1", "cancel 1", "contact-edit 1 --note x", "contact-delete 1",
    "purchase-edit 1 --amount 5", "purchase-delete 1", "promise-edit 1 --text x",
    "promise-delete 1", "followup-edit 1 --note x", "followup-delete 1", "undo", "undo --list",
    "date add 1 birthday 1990-01-01", "date delete 1", "report tiers --apply",
]  # fmt: skip


@pytest.mark.parametrize("command", WRITES_ON_SOMETHING_THERE)
def test_a_change_to_something_in_the_book_says_there_is_no_book(kehu, isolated, command):
    """As the commands that read say it: not "nothing has the key T1" (exit 3)."""
    result = kehu(*command.split())
    assert result.code == NoBook.exit_code and result.out == "", result
    assert (
        result.err.startswith(f"kehu: no kehu book at {engine.masked(isolated)} (KEHU_DB says so)")
        and result.err.count("\n") == 1
    ), result
    assert "`kehu add`" in result.err
    if SERVER_URL is None:
        assert not Path(isolated).exists() and not Path(isolated).parent.exists()
    else:  # an empty server database stays empty
        with pytest.raises(NoBook):
            opening.open_book(isolated, create=False)


def test_a_change_without_a_book_says_so_in_chinese(kehu, isolated):
    for command in (["done", "T1"], ["snooze", "T1", "--until", "明天"], ["log", "1"]):
        result = in_chinese(*command)
        assert result.returncode == NoBook.exit_code and result.stdout == "", result
        assert result.stderr.startswith(f"kehu: {engine.masked(isolated)} 没有 kehu 客户簿"), result
        assert "T1" not in result.stderr
    if SERVER_URL is None:
        assert not Path(isolated).exists()


def test_overdue_is_silent_on_a_quiet_day_and_complete_on_a_busy_one(kehu):
    sale(kehu, "张伟", "13800138000", "Golf 1.4T", "2026-11-21T15:30")
    quiet = kehu("overdue", "--fail")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    busy_day = "2026-11-25T09:00"
    kehu.ok("add", "Emma Wilson", "--phone", "13811112222", now="2026-11-20T10:00")
    kehu.ok("promise", "Emma Wilson", "Send the brochure", "--due", "2026-11-23")
    out = kehu.ok("overdue", now=busy_day)
    assert out.splitlines() == [
        "kehu: 2 follow-ups are late on Wed 25 Nov 2026 09:00.",
        "",
        "promise (1)",
        "  Emma Wilson  13811112222  Promised: Send the brochure — due since Mon 23 Nov  "
        "[P1, 2 days late]",
        "",
        "thank-you (1)",
        "  张伟  13800138000  Delivered Golf 1.4T Sat 21 Nov 15:30 — the thank-you note was "
        "due by Sun 22 Nov 15:30  [T1, 3 days late]",
    ]
    failing = kehu("overdue", "--fail", now=busy_day)
    assert failing.code == 1 and failing.out == out
    late = kehu.json("overdue", now=busy_day)
    assert [(i["key"], i["late"]) for i in late] == [("P1", True), ("T1", True)]
    assert all(set(i) == ITEM_KEYS for i in late)
    # As README says: with --json a quiet day is an empty list, and --fail still decides the code.
    failing_json = kehu("overdue", "--json", "--fail", now=busy_day)
    assert failing_json.code == 1 and json.loads(failing_json.out) == late
    quiet_json = kehu("overdue", "--json", "--fail")
    assert (quiet_json.code, quiet_json.out, quiet_json.err) == (0, "[]\n", "")


@pytest.mark.skipif(SERVER_URL is not None, reason="cron's book is the local file")
def test_overdue_as_cron_runs_it(kehu, isolated, tmp_path):
    long_product = "Tiguan L 330TSI 两驱智享版 with the winter package and extended warranty " * 2
    sale(kehu, "欧阳娜娜", "13800138000", long_product.strip(), "2026-11-19T15:30")
    home = tmp_path / "home"
    config = home / ".config" / "kehu"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('timezone = "Asia/Shanghai"\n', encoding="utf-8")
    bare = {"HOME": str(home), "PATH": "/usr/bin:/bin", "KEHU_NOW": "2026-11-22T08:30",
            "KEHU_USER": "mei"}  # cron runs as the user who keeps the book  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", isolated, "overdue"],
        env=bare, capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")
    assert "\x1b[" not in text and "…" not in text
    assert f"欧阳娜娜  13800138000  Delivered {long_product.strip()} Thu 19 Nov 15:30" in text
    quiet = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", isolated, "overdue"],
        env={**bare, "KEHU_NOW": "2026-11-19T16:00"}, capture_output=True, timeout=60,
    )  # fmt: skip
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"", b"")


def test_done_closes_each_kind_of_item(kehu):
    sale(kehu, "张伟", "13800138000", "Golf", "2026-11-21T15:30")
    kehu.ok("add", "刘洋", "--phone", "13700001111", "--referred-by", "张伟")
    kehu.ok("promise", "刘洋", "Send photos", "--due", "today")
    assert keys_of(kehu) == ["P1", "T1", "R2"]
    assert kehu.ok("done", "T1", "--via", "wechat", "--note", "谢谢") == (
        "Done T1: logged wechat with 张伟 (#1).\n"
    )
    [contact] = kehu.rows(
        "SELECT customer_id, channel, kind, outcome, note, purchase_id FROM contact"
    )
    assert contact == {"customer_id": 1, "channel": "wechat", "kind": "thank-you",
                       "outcome": "reached", "note": "谢谢", "purchase_id": 1}  # fmt: skip
    # The thank-you to 张伟 after the referral also closes R2; T1 is gone.
    assert keys_of(kehu) == ["P1"]
    assert kehu.ok("done", "p1") == "Done P1: the promise to 刘洋 (#2) is kept.\n"
    assert kehu.rows("SELECT kept_at FROM promise")[0]["kept_at"] is not None
    assert kehu.count("contact") == 1  # keeping a promise without a note logs no contact
    suggestions = kehu.json("today")["items"]
    # Nothing left but suggestions, and not 张伟, reached a moment ago.
    assert [i["key"] for i in suggestions] == ["S2"]


def test_done_with_a_bad_or_unknown_key_changes_nothing(kehu):
    sale(kehu, "张伟", "13800138000", "Golf", "2026-11-21T15:30")
    before = kehu.snapshot()
    for key, code, words in [
        ("Z9", BadInput.exit_code, "is not an item key; accepted: P12 (promise)"),
        ("C1", BadInput.exit_code, "is not an item key"),
        ("T99", NotFound.exit_code, "nothing in the book has the key T99"),
        ("X1", NotFound.exit_code, "nothing in the book has the key X1"),
    ]:
        result = kehu("done", key)
        assert result.code == code, result
        assert words in result.err and len(result.err.splitlines()) == 1
    assert kehu("done", "P1", "--via", "pigeon").code == BadInput.exit_code
    assert kehu.snapshot() == before


def test_a_kept_promise_cannot_be_done_again(kehu):
    kehu.ok("add", "张伟")
    kehu.ok("promise", "张伟", "Call back", "--due", "today")
    kehu.ok("done", "P1")
    before = kehu.snapshot()
    result = kehu("done", "P1", "--note", "again")
    assert result.code == 0 and "already done: kept" in result.out
    assert kehu.snapshot() == before


def test_snooze_hides_an_item_until_the_day_given(kehu):
    sale(kehu, "张伟", "13800138000", "Golf", "2026-11-21T15:30")
    out = kehu.ok("snooze", "T1", "--until", "2026-11-24", "--reason", "abroad")
    assert out == "Snoozed T1 (张伟) until Tue 24 Nov.\n"
    assert "T1" not in keys_of(kehu)
    assert "T1" not in keys_of(kehu, now="2026-11-23T23:00")
    assert "T1" in keys_of(kehu, now="2026-11-24T08:00")
    [row] = kehu.rows("SELECT key, reason, made_by FROM snooze")
    assert row == {"key": "T1", "reason": "abroad", "made_by": MADE_BY}
    result = kehu("snooze", "T1", "--until", "yesterday")
    assert result.code == BadInput.exit_code and "--until must be in the future" in result.err


def test_log_next_schedules_a_follow_up_for_that_day(kehu):
    kehu.ok("add", "黄磊", "--phone", "13399990000")
    out = kehu.ok("log", "黄磊", "--via", "call", "--next", "2026-11-25",
                  "--next-note", "Test drive decision")  # fmt: skip
    assert out.splitlines()[-1] == "Next: F1, Wed 25 Nov."
    assert "F1" not in keys_of(kehu, now="2026-11-24T09:00")
    [item] = [i for i in kehu.json("today", now="2026-11-25T09:00")["items"] if i["key"] == "F1"]
    assert item["reason"] == "Call back as planned: Test drive decision"
    assert not item["late"]
    assert "F1" in [i["key"] for i in kehu.json("overdue", now="2026-11-26T09:00")]
    kehu.ok("done", "F1", now="2026-11-26T09:00")
    assert kehu.rows("SELECT done_at FROM followup")[0]["done_at"] is not None
    assert "F1" not in keys_of(kehu, now="2026-11-26T09:05")


def test_today_is_computed_in_the_configured_time_zone(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-11-20T10:00")
    kehu.ok("promise", "张伟", "Send the quote", "--due", "2026-11-23", now="2026-11-20T10:00")
    utc_evening = "2026-11-22T17:00+00:00"  # already Monday 01:00 in Shanghai
    data = kehu.json("today", now=utc_evening)
    assert data["date"] == "2026-11-23"
    assert "P1" in [i["key"] for i in data["items"]]
    kehu.ok("config", "timezone", "UTC")
    os.environ.pop("KEHU_TZ")  # the environment would win over the settings file
    data = kehu.json("today", now=utc_evening)
    assert data["date"] == "2026-11-22"
    assert "P1" not in [i["key"] for i in data["items"]]


def test_owners_see_their_own_customers_and_managers_see_all(kehu, monkeypatch):
    sale(kehu, "张伟", "13800138000", "Golf", "2026-11-21T15:30")
    monkeypatch.setenv("KEHU_USER", "lei")
    sale(kehu, "王芳", "13855556666", "Polo", "2026-11-21T16:00")
    assert keys_of(kehu) == ["T2"]
    assert keys_of(kehu, "--owner", "mei") == ["T1"]
    assert keys_of(kehu, "--all") == ["T1", "T2"]
    text = kehu.ok("today", "--all")
    assert "== lei ==" in text and "== mei ==" in text
    monkeypatch.setenv("KEHU_USER", "nobody")
    result = kehu("today")
    assert result.code == 0
    assert "no customers belong to 'nobody'; 2 belong to others" in result.err


def test_one_customer_of_others_is_counted_in_the_singular(kehu, monkeypatch):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    monkeypatch.setenv("KEHU_USER", "nobody")
    result = kehu("today")
    assert result.code == 0
    assert "no customers belong to 'nobody'; 1 belongs to others — use --all" in result.err
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "today"], env={**os.environ, "KEHU_LANG": "zh"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "没有属于 'nobody' 的客户；有 1 位属于别人" in chinese.stderr


def test_everyone_s_list_numbers_each_owner_s_items_as_shown(kehu, monkeypatch):
    for n in (1, 2, 3):
        kehu.ok("add", f"客户{n}", "--phone", f"1380013800{n}")
    kehu.ok("assign", "2", "lei")
    text = kehu.ok("today", "--all")
    numbered = re.findall(r"^(?:== (\w+) ==|\s+(\d+)\. (\S+))", text, re.MULTILINE)
    assert [" ".join(filter(None, found)) for found in numbered] == [
        "lei", "1 S2", "mei", "1 S1", "2 S3"
    ]  # fmt: skip
    monkeypatch.setenv("KEHU_USER", "lei")
    assert [i["rank"] for i in kehu.json("today")["items"]] == [1]


def test_the_manager_sees_counts_per_owner_and_kind(kehu, monkeypatch):
    sale(kehu, "张伟", "13800138000", "Golf", "2026-11-21T15:30")
    kehu.ok("promise", "张伟", "Quote", "--due", "2026-11-21", "--force")
    monkeypatch.setenv("KEHU_USER", "lei")
    sale(kehu, "王芳", "13855556666", "Polo", "2026-11-21T16:00")
    data = kehu.json("today", "--all", "--summary")
    assert data["owner"] is None and data["date"] == "2026-11-22"
    assert data["summary"] == [
        {"owner": "lei", "kind": "thank-you", "count": 1, "late": 0},
        {"owner": "mei", "kind": "promise", "count": 1, "late": 1},
        {"owner": "mei", "kind": "thank-you", "count": 1, "late": 0},
    ]
    text = kehu.ok("today", "--all", "--summary").splitlines()
    assert text == [
        "Sun 22 Nov 2026: 3 items, 1 late",
        "lei: 1 (0 late) — thank-you 1",
        "mei: 2 (1 late) — promise 1, thank-you 1",
    ]


def test_config_shows_sets_and_resets_rules(kehu):
    out = kehu.ok("config")
    assert ["rules.cooling_months", "2"] in [line.split() for line in out.splitlines()]
    shown = [" ".join(line.split()) for line in out.splitlines()]
    assert "timezone Asia/Shanghai (from KEHU_TZ, which wins over the setting)" in shown
    kehu.ok("config", "rules.cooling_months", "3")
    kehu.ok("config", "rules.callback_months", "1,3,6,12")
    data = kehu.json("config")
    assert data["rules.cooling_months"] == 3 and data["rules.callback_months"] == [1, 3, 6, 12]
    kehu.ok("config", "rules.cooling_months", "--unset")
    assert kehu.json("config")["rules.cooling_months"] == 2
    for args, words in [
        (("rules.bogus", "3"), "unknown setting 'rules.bogus'; accepted: timezone"),
        (("rules.cooling_months", "soon"), "rules.cooling_months takes a whole number"),
        (("rules.callback_months", "0,3"), "takes whole numbers from 1 to 120"),
        (("timezone", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
    ]:
        result = kehu("config", *args)
        assert result.code == BadInput.exit_code and words in result.err, result
    assert kehu.json("config")["rules.callback_months"] == [1, 3, 6, 12]


def test_changed_rules_change_the_list(kehu):
    kehu.ok("add", "周杰", "--phone", "13733334444", now="2026-09-10T10:00")
    kehu.ok("log", "周杰", "--via", "call", now="2026-09-10T10:00")
    assert [(i["key"], i["kind"]) for i in kehu.json("today")["items"]][0] == ("W1", "cooling")
    kehu.ok("config", "rules.cooling_months", "3")
    kehu.ok("config", "rules.daily_target", "0")
    assert kehu.json("today")["items"] == []


def test_call_backs_counted_in_days_or_months_can_be_turned_off(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-10-22T10:00")
    kehu.ok("log", "张伟", "--kind", "thank-you", now="2026-10-22T11:00")
    kehu.ok("config", "rules.daily_target", "0")
    assert [i["key"] for i in kehu.json("today", now="2026-10-29T10:00")["items"]] == ["C1.7d"]
    kehu.ok("config", "rules.callback_days", "")  # an insurance agent's: no week's call-back
    assert kehu.json("config", "rules.callback_days") == {"rules.callback_days": []}
    shown = [line.split() for line in kehu.ok("config", "rules.callback_days").splitlines()]
    assert ["rules.callback_days", "(none)", "(changed)"] in shown
    assert kehu.json("today", now="2026-10-29T10:00")["items"] == []
    assert [i["key"] for i in kehu.json("today")["items"]] == ["C1.1m"]
    assert kehu.json("overdue", now="2026-11-02T10:00") == []
    kehu.ok("config", "rules.callback_months", "")
    assert kehu.json("today")["items"] == [] and kehu.json("overdue", now="2027-01-02T10:00") == []
    result = kehu("config", "rules.callback_months", "1,x")
    assert result.code == BadInput.exit_code, result
    assert result.err == (
        "kehu: rules.callback_months takes whole numbers from 1 to 120, like 1,3,6 (empty: none)\n"
    )
    chinese = in_chinese("config", "rules.callback_days", "1,x")
    assert chinese.returncode == BadInput.exit_code and chinese.stderr == (
        "kehu: rules.callback_days 需要 1 到 3650 之间的整数，如 1,3,6（留空：不做）\n"
    )
    kehu.ok("config", "rules.callback_days", "--unset")
    assert [i["key"] for i in kehu.json("today", now="2026-10-29T10:00")["items"]] == ["C1.7d"]


def test_an_unreadable_config_file_is_one_clear_line(kehu, tmp_path, monkeypatch):
    kehu.ok("add", "张伟")
    folder = tmp_path / "locked"
    folder.mkdir()
    monkeypatch.setenv("KEHU_CONFIG", str(folder))  # a folder, which cannot be read as a file
    result = kehu("today")  # the daily list still comes, with the defaults
    assert result.code == 0 and "张伟" in result.out, result
    assert (
        result.err.startswith(f"kehu: warning: the config file {folder} is not a regular file")
        and len(result.err.splitlines()) == 1
    ), result
