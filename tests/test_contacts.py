"""Logging contacts: what is stored, no-answer attempts, --at in local time, --next."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import MADE_BY

from kehu.book.timestamps import from_db
from kehu.cli.contacts import ordinal

NOW_UTC = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # KEHU_NOW, 10:00 in Shanghai


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def contacts(kehu: Any) -> list[dict[str, Any]]:
    rows = kehu.rows(
        "SELECT id, customer_id, at, channel, kind, outcome, note, purchase_id, made_by"
        " FROM contact ORDER BY id"
    )
    for r in rows:
        r["at"] = from_db(r["at"])
    return rows


def customer(kehu: Any, cid: int = 1) -> dict[str, Any]:
    [row] = kehu.rows(
        "SELECT last_reached_at, last_other_at, last_thanks_at, attempts FROM customer"
        " WHERE id = :id",
        id=cid,
    )
    return {k: from_db(v) if k != "attempts" else v for k, v in row.items()}


@pytest.fixture
def fang(kehu: Any) -> Any:
    kehu.ok("add", "王芳", "--phone", "13900001111")
    return kehu


def test_log_stores_the_contact_and_moves_last_reached(fang: Any) -> None:
    out = fang.ok("log", "王芳", "--via", "WeChat", "--note", " 问了保养 ")
    assert out == "Logged wechat with 王芳 (#1) (follow-up).\n"
    assert contacts(fang) == [
        {"id": 1, "customer_id": 1, "at": NOW_UTC, "channel": "wechat", "kind": "follow-up",
         "outcome": "reached", "note": "问了保养", "purchase_id": None, "made_by": MADE_BY},
    ]  # fmt: skip
    assert customer(fang) == {
        "last_reached_at": NOW_UTC, "last_other_at": NOW_UTC, "last_thanks_at": None,
        "attempts": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("word", "stored"),
    [("phone", "call"), ("Phone", "call"), ("weixin", "wechat"), ("text", "sms"),
     ("meeting", "visit"), ("mail", "email"), ("ｐｈｏｎｅ", "call")],
)  # fmt: skip
def test_the_everyday_english_words_for_a_channel_are_read_as_it(
    fang: Any, word: str, stored: str
) -> None:
    out = fang.ok("log", "王芳", "--via", word)
    assert out == f"Logged {stored} with 王芳 (#1) (follow-up).\n"
    assert [c["channel"] for c in contacts(fang)] == [stored]


def test_a_channel_kehu_does_not_know_is_refused_naming_the_words_it_reads(fang: Any) -> None:
    result = fang("log", "王芳", "--via", "fax")
    assert result.code == 2 and result.out == ""
    assert result.err == (
        "kehu: unknown channel (--via) 'fax'; accepted: call, visit, wechat, sms, email, letter,"
        " gift, other, phone, meeting, weixin, text, mail\n"
    )
    assert contacts(fang) == []


def test_at_in_local_time_is_stored_as_the_utc_instant(fang: Any) -> None:
    fang.ok("log", "王芳", "--via", "visit", "--kind", "complaint", "--at", "2026-11-21 15:30")
    [row] = contacts(fang)
    assert (row["at"], row["kind"]) == (utc(2026, 11, 21, 7, 30), "complaint")
    assert customer(fang)["last_reached_at"] == utc(2026, 11, 21, 7, 30)
    [shown] = fang.json("show", "王芳")["contacts"]
    assert shown["at"] == "2026-11-21T15:30:00+08:00"


def test_a_thank_you_moves_last_thanks_not_last_other(fang: Any) -> None:
    fang.ok("log", "王芳", "--via", "gift", "--kind", "thank-you", "--at", "昨天")
    assert customer(fang) == {
        "last_reached_at": utc(2026, 11, 21, 2, 0), "last_other_at": None,
        "last_thanks_at": utc(2026, 11, 21, 2, 0), "attempts": 0,
    }  # fmt: skip


def test_no_answer_is_kept_counted_and_does_not_count_as_reached(fang: Any) -> None:
    fang.ok("log", "王芳", "--via", "call", "--at", "-3d")
    reached = customer(fang)["last_reached_at"]
    assert reached == utc(2026, 11, 19, 2, 0)
    outs = [
        fang.ok("log", "王芳", "--via", "call", "--no-answer", "--at", at)
        for at in ("昨天 09:00", "yesterday 18:00", "today 8:00")
    ]
    assert outs == [
        "Logged call to 王芳 (#1): no answer (1st try).\n",
        "Logged call to 王芳 (#1): no answer (2nd try).\n",
        "Logged call to 王芳 (#1): no answer (3rd try).\n",
    ]
    assert [c["outcome"] for c in contacts(fang)] == ["reached"] + ["no-answer"] * 3
    assert customer(fang)["last_reached_at"] == reached
    assert customer(fang)["attempts"] == 3
    card = fang.json("show", "王芳")
    assert (card["days_since_reached"], card["no_answer_attempts"]) == (3, 3)
    assert "last reached 3 days ago, 3 unanswered tries since" in fang.ok("show", "王芳")
    assert fang.ok("list").splitlines()[1].endswith("  3")

    # an attempt from before the last reached contact is history, not another try
    out = fang.ok("log", "王芳", "--via", "call", "--no-answer", "--at", "-5d")
    assert out == "Logged call to 王芳 (#1): no answer (an earlier try; reached since).\n"
    assert customer(fang)["attempts"] == 3

    # reaching them ends the run of tries
    fang.ok("log", "王芳", "--via", "call")
    assert customer(fang) == {
        "last_reached_at": NOW_UTC, "last_other_at": NOW_UTC, "last_thanks_at": None,
        "attempts": 0,
    }  # fmt: skip
    assert fang.count("contact") == 6


def test_a_late_logged_reached_contact_keeps_the_tries_after_it(fang: Any) -> None:
    fang.ok("log", "王芳", "--via", "call", "--no-answer", "--at", "today 09:00")
    fang.ok("log", "王芳", "--via", "visit", "--at", "昨天 15:00")
    assert customer(fang)["attempts"] == 1
    assert customer(fang)["last_reached_at"] == utc(2026, 11, 21, 7, 0)
    out = fang.ok("log", "王芳", "--via", "sms", "--no-answer")
    assert out == "Logged sms to 王芳 (#1): no answer (2nd try).\n"


def test_tries_are_counted_in_the_order_they_happened_not_logged(fang: Any) -> None:
    fang.ok("log", "王芳", "--via", "call", "--at", "-3d")
    out = fang.ok("log", "王芳", "--via", "call", "--no-answer", "--at", "today 09:00")
    assert out == "Logged call to 王芳 (#1): no answer (1st try).\n"
    # Yesterday's, logged after today's, was the first.
    out = fang.ok("log", "王芳", "--via", "call", "--no-answer", "--at", "yesterday 16:00")
    assert out == "Logged call to 王芳 (#1): no answer (1st try of 2).\n"
    assert customer(fang)["attempts"] == 2
    out = fang.ok("log", "王芳", "--via", "sms", "--no-answer")  # now, 10:00: the latest
    assert out == "Logged sms to 王芳 (#1): no answer (3rd try).\n"
    zh = subprocess.run(
        [sys.executable, "-m", "kehu", "log", "王芳", "--via", "call", "--no-answer", "--at",
         "昨天 17:00"], capture_output=True, text=True, env={**os.environ, "KEHU_LANG": "zh"},
    )  # fmt: skip
    assert zh.returncode == 0 and "（第2次尝试，共4次）" in zh.stdout, zh.stdout
    assert customer(fang)["attempts"] == 4


def test_next_schedules_a_followup(fang: Any) -> None:
    out = fang.ok("log", "王芳", "--via", "call", "--next", "明天", "--next-note", "报价")
    assert out == "Logged call with 王芳 (#1) (follow-up).\nNext: F1, tomorrow.\n"
    out = fang.ok("log", "王芳", "--via", "call", "--no-answer", "--next", "下周一 15:00")
    assert out.endswith("Next: F2, tomorrow 15:00.\n")
    rows = fang.rows(
        "SELECT id, customer_id, due, note, created_at, done_at, contact_id, made_by"
        " FROM followup ORDER BY id"
    )
    for r in rows:
        r["due"], r["created_at"] = from_db(r["due"]), from_db(r["created_at"])
    assert rows == [
        {"id": 1, "customer_id": 1, "due": utc(2026, 11, 22, 16, 0), "note": "报价",
         "created_at": NOW_UTC, "done_at": None, "contact_id": 1, "made_by": MADE_BY},
        {"id": 2, "customer_id": 1, "due": utc(2026, 11, 23, 7, 0), "note": None,
         "created_at": NOW_UTC, "done_at": None, "contact_id": 2, "made_by": MADE_BY},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-11-21", utc(2026, 11, 21, 2, 0)),  # a date alone: at this time of day
        ("2026-11-20T08:15", utc(2026, 11, 20, 0, 15)),
        ("yesterday 3pm", utc(2026, 11, 21, 7, 0)),
        ("前天", utc(2026, 11, 20, 2, 0)),
        ("-2d", utc(2026, 11, 20, 2, 0)),
        ("-1w", utc(2026, 11, 15, 2, 0)),
        ("今天 上午9点", utc(2026, 11, 22, 1, 0)),
        ("now", NOW_UTC),
    ],
)
def test_at_accepts_the_usual_ways_of_saying_when(fang: Any, typed: str, stored: datetime) -> None:
    fang.ok("log", "王芳", "--via", "call", "--at", typed)
    assert [c["at"] for c in contacts(fang)] == [stored]


def test_ordinals_of_tries() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th", "112th",
    ]  # fmt: skip


def test_a_weekday_in_at_means_the_last_one(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "张伟", "--via", "call", "--at", "friday 15:30")  # KEHU_NOW is a Sunday
    at = kehu.rows("SELECT at FROM contact")[0]["at"]
    assert from_db(at) == datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
