"""A snooze puts an item off; once the item is closed (`done`, `kept`, `cancel`, a `log` that
closes it, `lost` or `sale` for a prospect) its snooze ends with it: no end on the calendar,
and the customer is no longer left alone for it. `kehu undo` brings both
back. An item already closed has nothing to put off: `kehu snooze` says so and writes nothing."""

import sqlite3

from conftest import in_chinese, sqlite_only


def keys(kehu, now=None):
    return [i["key"] for i in kehu.json("today", now=now)["items"]]


def calendar_kinds(kehu, days="10"):
    events = kehu.json("calendar", "--days", days)["events"]
    return [(e["customer_name"], e["kind"]) for e in events]


def snoozes(kehu):
    return [(r["key"], r["reason"]) for r in kehu.rows("SELECT key, reason FROM snooze")]


def a_quiet_customer_with_a_snoozed_promise(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")  # W1: cooling
    kehu.ok("promise", "张伟", "Send the tyre quote", "--due", "2026-11-23")
    kehu.ok("snooze", "P1", "--until", "2026-11-28", "--reason", "Travelling")
    assert keys(kehu) == []  # the snooze leaves 张伟 alone: no cooling mark either
    assert ("张伟", "snooze-end") in calendar_kinds(kehu)


def test_keeping_a_snoozed_promise_ends_its_snooze_and_undo_brings_both_back(kehu):
    a_quiet_customer_with_a_snoozed_promise(kehu)
    assert kehu.ok("kept", "P1") == "Promise P1 to 张伟 kept.\n"
    assert snoozes(kehu) == []
    assert calendar_kinds(kehu) == []
    assert keys(kehu) == ["W1"]  # no longer left alone for a promise that is kept
    assert kehu.json("show", "张伟")["snoozes"] == []
    undone = kehu.ok("undo")
    assert "snooze of P1 restored" in undone
    assert snoozes(kehu) == [("P1", "Travelling")]
    assert kehu.json("promises")[0]["status"] == "open"
    assert ("张伟", "snooze-end") in calendar_kinds(kehu)
    assert keys(kehu) == []


def test_cancelling_a_snoozed_promise_ends_its_snooze(kehu):
    a_quiet_customer_with_a_snoozed_promise(kehu)
    kehu.ok("cancel", "P1")
    assert snoozes(kehu) == []
    assert keys(kehu) == ["W1"]
    kehu.ok("undo")
    assert snoozes(kehu) == [("P1", "Travelling")]


def test_a_promise_already_kept_keeps_nothing_to_undo_and_its_snooze_stays_ended(kehu):
    a_quiet_customer_with_a_snoozed_promise(kehu)
    kehu.ok("kept", "P1")
    assert "already kept" in kehu.ok("kept", "P1")
    assert snoozes(kehu) == []


def test_done_on_a_snoozed_item_ends_its_snooze(kehu):
    a_quiet_customer_with_a_snoozed_promise(kehu)
    kehu.ok("done", "P1")
    assert snoozes(kehu) == []
    assert keys(kehu) == ["W1"]
    kehu.ok("undo")
    assert snoozes(kehu) == [("P1", "Travelling")]
    kehu.ok("snooze", "W1", "--until", "2026-11-30")  # a cooling mark snoozed, then done
    kehu.ok("done", "W1")
    assert snoozes(kehu) == [("P1", "Travelling")]  # the promise's own snooze runs on
    assert ("张伟", "snooze-end") in calendar_kinds(kehu)


def test_a_log_that_closes_a_snoozed_item_ends_its_snooze(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    kehu.ok("log", "张伟", "--next", "2026-11-22", now="2026-11-15T10:00")  # F1 due today
    kehu.ok("snooze", "F1", "--until", "2026-11-25", "--reason", "Busy")
    kehu.ok("log", "张伟", "--no-answer")  # a try closes nothing
    assert snoozes(kehu) == [("F1", "Busy")]
    kehu.ok("log", "张伟", "--note", "Happy with the car")
    assert snoozes(kehu) == []
    assert calendar_kinds(kehu) == []
    kehu.ok("undo")
    assert snoozes(kehu) == [("F1", "Busy")]
    assert ("张伟", "snooze-end") in calendar_kinds(kehu)


def test_a_log_that_closes_nothing_snoozed_leaves_the_snooze(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "张伟", "--next", "2026-11-30")  # F1, due in 8 days
    kehu.ok("snooze", "F1", "--until", "2026-12-05")
    kehu.ok("log", "张伟", "--note", "Asked about the service", now="2026-11-23T10:00")
    assert [key for key, _ in snoozes(kehu)] == ["F1"]  # a call before its day does not do it


def test_a_cooling_mark_snoozed_ends_with_any_reached_contact(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    kehu.ok("snooze", "W1", "--until", "2026-12-20", "--reason", "Abroad")
    kehu.ok("log", "张伟", "--via", "wechat", "--note", "Back early")
    assert snoozes(kehu) == []
    assert calendar_kinds(kehu, "30") == []


def test_a_prospect_lost_or_sold_to_ends_the_snooze_of_their_item(kehu):
    kehu.ok("add", "王强", "--phone", "13700137000", "--prospect", "--level", "B",
            now="2026-11-10T10:00")  # fmt: skip
    kehu.ok("snooze", "L1", "--until", "2026-12-05", "--reason", "Away")
    kehu.ok("lost", "王强", "--reason", "price")
    assert snoozes(kehu) == []
    kehu.ok("undo")
    assert snoozes(kehu) == [("L1", "Away")]
    kehu.ok("sale", "王强", "--product", "Golf")
    assert snoozes(kehu) == []
    assert [kind for _, kind in calendar_kinds(kehu)] == ["thank-you", "call-back"]


def test_snoozing_an_item_already_closed_writes_nothing(kehu):
    a_quiet_customer_with_a_snoozed_promise(kehu)
    kehu.ok("kept", "P1")
    before = kehu.snapshot()
    said = kehu.ok("snooze", "P1", "--until", "2026-11-30")
    assert said == "P1 is already done: kept today 10:00. Nothing to put off; nothing changed.\n"
    assert kehu.snapshot() == before
    assert keys(kehu) == ["W1"]
    kehu.ok("log", "张伟")  # W1 is closed by the call
    said = kehu.ok("snooze", "W1", "--until", "2026-11-30")
    assert said.startswith("W1 is already done: reached by call (follow-up) today 10:00.")
    assert snoozes(kehu) == []
    assert "Undid `log`" in kehu.ok("undo")  # nothing of the snooze to undo


def test_snoozing_the_item_of_a_prospect_no_longer_open_is_refused(kehu):
    kehu.ok("add", "王强", "--phone", "13700137000", "--prospect", "--level", "B")
    kehu.ok("lost", "王强", "--reason", "price")
    refused = kehu("snooze", "L1", "--until", "2026-11-30")
    assert refused.code == 3
    assert refused.err.startswith("kehu: L1 is not on the list: #1 is not an open prospect")
    assert snoozes(kehu) == []


def test_a_sale_to_a_lost_prospect_says_they_came_back_to_buy(kehu):
    kehu.ok("add", "王强", "--phone", "13700137000", "--prospect", "--level", "B",
            now="2026-11-10T10:00")  # fmt: skip
    kehu.ok("lost", "王强", "--reason", "price", now="2026-11-15T10:00")
    said = kehu.ok("sale", "王强", "--product", "Golf")
    assert said.splitlines()[0] == (
        "Sale to 王强 (#1), a lost prospect who came back to buy (lost Sun 15 Nov: price); a "
        "customer now."
    )
    again = kehu.ok("sale", "王强", "--product", "Tiguan")  # a customer now: a plain sale
    assert again.splitlines()[0] == "Sale to 王强 (#1)."


def test_in_chinese(kehu):
    kehu.ok("add", "王强", "--phone", "13700137000", "--prospect", "--level", "B",
            now="2026-11-10T10:00")  # fmt: skip
    kehu.ok("lost", "王强", "--reason", "price", now="2026-11-15T10:00")
    sold = in_chinese("sale", "王强", "--product", "Golf")
    assert sold.returncode == 0, sold
    assert sold.stdout.splitlines()[0] == (
        "已记录对王强（#1）的销售：战败客户回头购买（11月15日 周日战败：价格），现为保有客户。"
    )
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    kehu.ok("promise", "张伟", "Send the tyre quote", "--due", "2026-11-23")
    kehu.ok("snooze", "P1", "--until", "2026-11-28", "--reason", "出差")
    assert "推迟结束" in in_chinese("calendar", "--days", "10").stdout
    assert in_chinese("kept", "P1").returncode == 0
    assert "推迟结束" not in in_chinese("calendar", "--days", "10").stdout
    again = in_chinese("snooze", "P1", "--until", "2026-11-30")
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout == "P1 已经完成：今天 10:00已兑现。没有可推迟的事项，未做任何更改。\n"
    assert "恢复" in in_chinese("undo").stdout
    assert "推迟结束" in in_chinese("calendar", "--days", "10").stdout


def test_the_calendar_leaves_out_the_end_of_a_snooze_whose_item_was_closed_otherwise(kehu):
    """A try corrected into a reached call closes the planned call; so does anything that
    closed an item before snoozes ended with their items: the calendar reads the item."""
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    kehu.ok("log", "张伟", "--next", "2026-11-22", now="2026-11-15T10:00")  # F1 due today
    kehu.ok("snooze", "F1", "--until", "2026-11-25", "--reason", "Busy")
    kehu.ok("log", "张伟", "--no-answer")
    assert calendar_kinds(kehu) == [("张伟", "planned-call"), ("张伟", "snooze-end")]
    kehu.ok("contact-edit", "2", "--reached")
    assert calendar_kinds(kehu) == []
    assert "Busy" not in kehu.ok("calendar", "--days", "10")


def test_a_try_corrected_into_a_reached_call_ends_the_snooze_of_what_it_closed(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    kehu.ok("log", "张伟", "--next", "2026-11-12", now="2026-11-10T10:00")  # F1
    kehu.ok("log", "张伟", "--no-answer", now="2026-11-12T10:00")
    kehu.ok("snooze", "F1", "--until", "2026-12-20", "--reason", "Travelling",
            now="2026-11-12T10:05")  # fmt: skip
    assert keys(kehu) == []  # left alone until 20 Dec: not even suggested
    kehu.ok("contact-edit", "2", "--reached", now="2026-11-12T18:00")
    assert snoozes(kehu) == []  # the planned call is done, and its snooze ended with it
    assert keys(kehu) == ["S1"]  # no longer left alone: quiet for ten days, suggested
    assert kehu.json("show", "张伟")["snoozes"] == []
    assert "snooze of F1 restored" in kehu.ok("undo")
    assert snoozes(kehu) == [("F1", "Travelling")]
    assert keys(kehu) == []


@sqlite_only
def test_a_snooze_an_older_kehu_left_running_after_its_item_was_done_leaves_no_one_alone(kehu):
    """Before snoozes ended with their items, `done` wrote the closed item and left the snooze
    running: a key customer stayed off the list until it ended."""
    kehu.ok("add", "张伟", "--phone", "13800138000", "--tier", "A", now="2026-08-01T10:00")
    kehu.ok("log", "张伟", "--via", "visit", now="2026-11-01T10:00")  # what `done K1` logged
    with sqlite3.connect(kehu.target) as db:  # as the older kehu left the book
        db.execute(
            "INSERT INTO closed_item (key, customer_id, closed_at, contact_id, made_by)"
            " VALUES ('K1', 1, '2026-11-01 02:00:00+00:00', 1, 'mei')"
        )
        db.execute(
            "INSERT INTO snooze (key, customer_id, until, reason, created_at, made_by)"
            " VALUES ('K1', 1, '2026-12-19 16:00:00+00:00', 'Abroad',"
            " '2026-10-31 02:00:00+00:00', 'mei')"
        )
    db.close()
    assert keys(kehu) == ["K1"]  # three weeks since the visit: keep in touch
    assert kehu.json("show", "张伟")["snoozes"] == []
    assert calendar_kinds(kehu, "30") == []
    # A snooze still running for an open item leaves them alone, as ever.
    kehu.ok("promise", "张伟", "Send the tyre quote", "--due", "2026-11-30")
    kehu.ok("snooze", "P1", "--until", "2026-12-05")
    assert keys(kehu) == []
