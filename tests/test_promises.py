"""Promises: made with a due time, kept or cancelled by id, listed open (or --all)."""

from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import MADE_BY, in_chinese

from kehu.book.timestamps import from_db

NOW_UTC = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # KEHU_NOW, 10:00 in Shanghai


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def promises(kehu: Any) -> list[dict[str, Any]]:
    rows = kehu.rows(
        "SELECT id, customer_id, text, due, created_at, kept_at, cancelled_at, contact_id,"
        " made_by FROM promise ORDER BY id"
    )
    for r in rows:
        for key in ("due", "created_at", "kept_at", "cancelled_at"):
            r[key] = from_db(r[key])
    return rows


@pytest.fixture
def na(kehu: Any) -> Any:
    kehu.ok("add", "李娜", "--phone", "13700137000")
    return kehu


def test_a_promise_due_on_a_date_is_due_at_the_end_of_that_day(na: Any) -> None:
    out = na.ok("promise", "李娜", " 送保养券 ", "--due", "2026-11-23")
    assert out == "Promise P1 to 李娜 (#1), due tomorrow.\n"
    assert promises(na) == [
        {"id": 1, "customer_id": 1, "text": "送保养券", "due": utc(2026, 11, 23, 15, 59, 59),
         "created_at": NOW_UTC, "kept_at": None, "cancelled_at": None, "contact_id": None,
         "made_by": MADE_BY},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "due", "shown"),
    [
        ("今天", utc(2026, 11, 22, 15, 59, 59), "today"),
        ("tomorrow", utc(2026, 11, 23, 15, 59, 59), "tomorrow"),
        ("后天", utc(2026, 11, 24, 15, 59, 59), "Tue 24 Nov"),
        ("friday", utc(2026, 11, 27, 15, 59, 59), "Fri 27 Nov"),
        ("下周日", utc(2026, 11, 29, 15, 59, 59), "Sun 29 Nov"),
        ("+3d", utc(2026, 11, 25, 15, 59, 59), "Wed 25 Nov"),
        ("+2w", utc(2026, 12, 6, 15, 59, 59), "Sun 6 Dec"),
        ("+1m", utc(2026, 12, 22, 15, 59, 59), "Tue 22 Dec"),
        ("明天下午3点", utc(2026, 11, 23, 7, 0), "tomorrow 15:00"),
        ("明天上午", utc(2026, 11, 23, 1, 0), "tomorrow 09:00"),
        ("后天晚上", utc(2026, 11, 24, 12, 0), "Tue 24 Nov 20:00"),
        ("2026-12-01 09:30", utc(2026, 12, 1, 1, 30), "Tue 1 Dec 09:30"),
    ],
)
def test_due_accepts_the_usual_ways_of_saying_when(
    na: Any, typed: str, due: datetime, shown: str
) -> None:
    assert na.ok("promise", "1", "回电话", "--due", typed).endswith(f", due {shown}.\n")
    assert [p["due"] for p in promises(na)] == [due]


def test_kept_and_cancel_close_a_promise_by_either_id_form(na: Any) -> None:
    for text in ("送保养券", "回电话", "寄资料"):
        na.ok("promise", "李娜", text, "--due", "明天")
    assert na.ok("kept", "1") == "Promise P1 to 李娜 kept.\n"
    assert na.ok("cancel", "p2") == "Promise P2 to 李娜 cancelled.\n"
    assert na.ok("kept", " P3 ", now="2026-11-23T18:00") == "Promise P3 to 李娜 kept.\n"
    rows = promises(na)
    assert [(r["kept_at"], r["cancelled_at"]) for r in rows] == [
        (NOW_UTC, None),
        (None, NOW_UTC),
        (utc(2026, 11, 23, 10, 0), None),
    ]
    assert na.ok("promises") == "No open promises.\n"
    assert [(p["id"], p["status"]) for p in na.json("promises", "--all")] == [
        (1, "kept"),
        (2, "cancelled"),
        (3, "kept"),
    ]


def test_kept_or_cancel_again_says_since_when_and_changes_nothing(na: Any) -> None:
    na.ok("promise", "李娜", "送保养券", "--due", "明天")
    na.ok("promise", "李娜", "回电话", "--due", "明天")
    na.ok("kept", "P1")
    na.ok("cancel", "P2")
    before = na.snapshot()
    again = na("kept", "1", now="2026-11-23T09:00")
    assert (again.code, again.err) == (0, "")
    assert again.out == "Promise P1 to 李娜 was already kept yesterday 10:00; nothing changed.\n"
    again = na("cancel", "P2", now="2026-11-23T09:00")
    assert (again.code, again.err) == (0, "")
    assert again.out == (
        "Promise P2 to 李娜 was already cancelled yesterday 10:00; nothing changed.\n"
    )
    assert na.snapshot() == before
    undone = na.ok("undo")  # the last change is still the cancel: nothing was journaled since
    assert "`cancel`" in undone
    other_way = na("cancel", "P1")
    assert other_way.code == 2 and "promise 1 is already kept" in other_way.err


def test_promises_lists_open_ones_soonest_first(kehu: Any) -> None:
    kehu.ok("add", "李娜", "--phone", "13700137000")
    kehu.ok("add", "欧阳娜娜")
    kehu.ok("promise", "李娜", "寄资料", "--due", "+1w")
    kehu.ok("promise", "欧阳娜娜", "送保养券", "--due", "昨天", "--force")
    kehu.ok("promise", "李娜", "回电话", "--due", "明天 15:00")
    kehu.ok("promise", "李娜", "送伞", "--due", "明天")
    kehu.ok("cancel", "P4")
    assert kehu.ok("promises") == (
        "id  customer  phone        promise   due             status\n"
        "P2  欧阳娜娜               送保养券  yesterday       late\n"
        "P3  李娜      13700137000  回电话    tomorrow 15:00  open\n"
        "P1  李娜      13700137000  寄资料    Sun 29 Nov      open\n"
    )
    lines = kehu.ok("promises", "--all").splitlines()
    assert lines[-1] == "P1  李娜      13700137000  寄资料    Sun 29 Nov      open"
    assert "P4  李娜      13700137000  送伞      tomorrow        cancelled" in lines


PROMISE_KEYS = {
    "id", "text", "due", "created_at", "kept_at", "cancelled_at", "status", "customer_id",
    "customer_name", "owner", "phone",
}  # fmt: skip


def test_promises_json_has_pinned_keys(na: Any) -> None:
    na.ok("promise", "李娜", "送保养券", "--due", "明天")
    na.ok("promise", "李娜", "回电话", "--due", "昨天 18:00", "--force")
    na.ok("kept", "P2", now="2026-11-22T11:00")
    [entry] = na.json("promises")
    assert set(entry) == PROMISE_KEYS
    assert entry == {
        "id": 1, "text": "送保养券", "due": "2026-11-23T23:59:59+08:00",
        "created_at": "2026-11-22T10:00:00+08:00", "kept_at": None, "cancelled_at": None,
        "status": "open", "customer_id": 1, "customer_name": "李娜", "owner": "mei",
        "phone": "13700137000",
    }  # fmt: skip
    closed = na.json("promises", "--all")[0]
    assert set(closed) == PROMISE_KEYS
    assert (closed["id"], closed["status"], closed["kept_at"]) == (
        2, "kept", "2026-11-22T11:00:00+08:00"
    )  # fmt: skip


def test_a_promise_becomes_late_once_its_due_time_passes(na: Any) -> None:
    na.ok("promise", "李娜", "送保养券", "--due", "明天")
    assert [p["status"] for p in na.json("promises", now="2026-11-23T23:59")] == ["open"]
    assert [p["status"] for p in na.json("promises", now="2026-11-24T00:00")] == ["late"]


def test_a_promise_due_on_a_day_alone_goes_late_at_midnight_not_at_its_last_second(
    na: Any,
) -> None:
    """Due "by Friday": due all Friday, late from Saturday 00:00 — on the daily list, the card,
    `kehu promises`, their JSON, the reports and the drafts — as a planned call is."""
    na.ok("promise", "李娜", "送保养券", "--due", "周五")  # Fri 27 Nov
    last_half_second, midnight = "2026-11-27T23:59:59.5", "2026-11-28T00:00:00"
    for now in ("2026-11-27T23:59:59", last_half_second):
        [item] = na.json("today", now=now)["items"]
        assert (item["late"], item["late_since"]) == (False, "2026-11-28T00:00:00+08:00")
        assert [p["status"] for p in na.json("promises", now=now)] == ["open"]
        assert na.json("show", "李娜", now=now)["promises"][0]["status"] == "open"
        assert "DUE TODAY" in na.ok("today", now=now) and "LATE" not in na.ok("today", now=now)
        assert "late" not in na.ok("promises", now=now)
        assert "Promised: 送保养券" in na.ok("calendar", "--days", "1", now=now)
        assert na.json("report", "week", now=now)["promises"]["open_late"] == 0
        chinese = in_chinese("today", now=now).stdout
        assert "今天到期" in chinese and "已逾期" not in chinese, chinese
    [item] = na.json("today", now=midnight)["items"]
    assert (item["late"], item["days_late"]) == (True, 1)  # the day after its day
    assert [p["status"] for p in na.json("promises", now=midnight)] == ["late"]
    assert "Promised (due since yesterday): 送保养券" in na.ok("calendar", now=midnight)
    assert na.json("report", "week", now=midnight)["promises"]["open_late"] == 1
    # Kept in its last half second: on time, no apology; at midnight: late, with one.
    na.ok("kept", "P1", now=last_half_second)
    assert na.json("report", "day", now=last_half_second)["promises"]["kept_late"] == 0
    week = na.json("report", "week", now=last_half_second)["promises"]
    assert (week["kept_on_time"], week["kept_late"]) == (1, 0)
    assert "Sorry" not in na("draft", "李娜", "--for", "promise-kept", now=last_half_second).out
    na.ok("undo", now=last_half_second)
    na.ok("kept", "P1", now=midnight)
    week = na.json("report", "week", now=midnight)["promises"]
    assert (week["kept_on_time"], week["kept_late"]) == (0, 1)
    assert "Sorry" in na("draft", "李娜", "--for", "promise-kept", now=midnight).out


def test_a_promise_made_during_a_call_is_linked_to_it(na: Any) -> None:
    na.ok("log", "李娜", "--via", "call", "--at", "today 09:30")
    na.ok("promise", "李娜", "送保养券", "--due", "明天")
    na.ok("promise", "李娜", "寄资料", "--due", "明天", now="2026-11-22T10:31")
    assert [p["contact_id"] for p in promises(na)] == [1, None]


def test_no_promises_yet(kehu: Any) -> None:
    kehu.new_book()
    assert kehu.ok("promises") == "No open promises.\n"
    assert kehu.ok("promises", "--all") == "No promises.\n"
    assert kehu.json("promises") == []
