"""A planned call done by an ordinary contact, and times in the past for what is to come."""

from typing import Any

import pytest


@pytest.fixture
def wei(kehu: Any) -> Any:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "1", "--via", "call", "--next", "2026-11-25", "--next-note", "quote")
    return kehu


def planned(kehu: Any, now: str) -> list[int]:
    return [f["id"] for f in kehu.json("show", "1", now=now)["followups"]]


def test_a_reached_contact_on_the_planned_day_does_the_planned_call(wei: Any) -> None:
    wei.ok("log", "1", "--via", "wechat", now="2026-11-25T15:00")
    assert planned(wei, "2026-11-25T16:00") == []
    assert "Planned calls" not in wei.ok("show", "1", now="2026-11-25T16:00")
    [row] = wei.rows("SELECT done_at FROM followup")
    assert row["done_at"] is not None
    assert "F1" not in [i["key"] for i in wei.json("today", now="2026-11-26T09:00")["items"]]


def test_a_later_reached_contact_does_it_too(wei: Any) -> None:
    wei.ok("log", "1", "--via", "visit", now="2026-11-28T11:00")
    assert planned(wei, "2026-11-28T12:00") == []


def test_a_contact_before_the_day_or_no_answer_leaves_it_planned(wei: Any) -> None:
    wei.ok("log", "1", "--via", "call", now="2026-11-24T15:00")
    wei.ok("log", "1", "--via", "call", "--no-answer", now="2026-11-25T15:00")
    wei.ok("log", "1", "--via", "call", "--at", "2026-11-24 18:00", now="2026-11-26T09:00")
    assert planned(wei, "2026-11-26T09:00") == [1]
    assert "F1" in [i["key"] for i in wei.json("today", now="2026-11-26T09:00")["items"]]


def test_the_call_planned_by_the_same_log_stays_planned(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "1", "--via", "call", "--next", "today 18:00")
    assert planned(kehu, "2026-11-22T10:00") == [1]


def everywhere(kehu: Any, now: str) -> dict[str, list[str]]:
    """The planned calls the daily list, the card and the calendar show at `now`."""
    events = kehu.json("calendar", "--days", "1", now=now)["events"]
    return {
        "today": [i["key"] for i in kehu.json("today", now=now)["items"] if i["key"][0] == "F"],
        "show": [f"F{f['id']}" for f in kehu.json("show", "1", now=now)["followups"]],
        "calendar": [e["customer_name"] for e in events if e["kind"] == "planned-call"],
    }


def test_the_list_the_card_and_the_calendar_agree_on_a_planned_call(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "1", "--via", "call", "--next", "today 18:00", now="2026-11-22T10:00")
    kehu.ok("log", "1", "--via", "call", "--at", "today 09:00", now="2026-11-22T11:00")
    shown = {"today": ["F1"], "show": ["F1"], "calendar": ["张伟"]}
    assert everywhere(kehu, "2026-11-22T12:00") == shown
    kehu.ok("log", "1", "--via", "wechat", now="2026-11-22T13:00")
    assert everywhere(kehu, "2026-11-22T14:00") == {"today": [], "show": [], "calendar": []}


def test_a_call_moved_to_a_day_already_reached_is_done_everywhere(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "1", "--via", "call", "--next", "2026-11-28", now="2026-11-21T10:00")
    kehu.ok("log", "1", "--via", "call", now="2026-11-22T10:00")
    kehu.ok("followup-edit", "F1", "--due", "today", now="2026-11-22T11:00")
    assert everywhere(kehu, "2026-11-22T12:00") == {"today": [], "show": [], "calendar": []}


# a time in the past for what is to come


@pytest.mark.parametrize(
    "args",
    [
        ["log", "1", "--via", "call", "--next", "yesterday"],
        ["log", "1", "--via", "call", "--next", "today 9:00"],
        ["promise", "1", "brochure", "--due", "yesterday"],
        ["promise", "1", "brochure", "--due", "2026-11-22 08:00"],
    ],
)
def test_a_past_time_is_refused_off_a_terminal_and_force_accepts_it(
    kehu: Any, args: list[str]
) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    before = kehu.snapshot()
    result = kehu(*args)
    assert result.code != 0
    assert result.err.count("\n") == 1 and "in the past" in result.err and "--force" in result.err
    assert kehu.snapshot() == before
    kehu.ok(*args, "--force")
    assert kehu.count("followup") + kehu.count("promise") == 1


def test_a_past_time_is_asked_about_on_a_terminal(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    declined = kehu("promise", "1", "brochure", "--due", "yesterday", tty=True, input="n\n")
    assert declined.code != 0 and "in the past" in declined.err
    assert kehu.count("promise") == 0
    accepted = kehu("promise", "1", "brochure", "--due", "yesterday", tty=True, input="y\n")
    assert accepted.code == 0, accepted
    assert kehu.count("promise") == 1


def test_a_past_time_is_answered_in_the_words_people_type(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    for answer in ("不用", "算了", "x", ""):
        declined = kehu("log", "1", "--next", "前天", tty=True, input=answer + "\n")
        assert declined.code == 2 and "nothing was recorded" in declined.err, answer
    assert kehu.count("contact") == 0
    for answer in ("是的", "好的", "可以", "ｙ"):
        accepted = kehu("log", "1", "--next", "前天", tty=True, input=answer + "\n")
        assert accepted.code == 0, (answer, accepted)
    assert kehu.count("followup") == 4


def test_today_and_later_times_are_not_in_the_past(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "1", "--via", "call", "--next", "today")
    kehu.ok("log", "1", "--via", "call", "--next", "today 18:00")
    kehu.ok("promise", "1", "brochure", "--due", "today")
    assert kehu.count("followup") == 2 and kehu.count("promise") == 1


def test_the_edits_refuse_a_past_due_without_force_as_promise_and_log_do(wei: Any) -> None:
    wei.ok("promise", "1", "寄资料", "--due", "2026-11-30")
    before = wei.snapshot()
    for args in (["followup-edit", "F1", "--due", "2026-11-01"],
                 ["promise-edit", "P1", "--due", "yesterday"]):  # fmt: skip
        result = wei(*args)
        assert result.code == 2 and result.out == "", result
        assert (
            result.err.count("\n") == 1 and "in the past" in result.err and "--force" in result.err
        )
    assert wei.snapshot() == before
    wei.ok("followup-edit", "F1", "--due", "2026-11-01", "--force")
    wei.ok("promise-edit", "P1", "--due", "yesterday", "--force")
    wei.ok("followup-edit", "F1", "--due", "today")  # a day alone today is not in the past
