"""What two months of daily use found in the daily list: snoozes that hide the customer, the
complaint follow-up, back-dated customers, `done` twice, suggestions of someone just reached,
and how `kehu today` reads on a terminal."""

from conftest import in_chinese, sqlite_only


def items_of(kehu, now=None):
    return kehu.json("today", now=now)["items"]


def customer_keys(kehu, customer_id, now=None):
    return [i["key"] for i in items_of(kehu, now) if i["customer_id"] == customer_id]


# 1. A snooze leaves the customer alone --------------------------------------------------------


def test_snoozing_a_cooling_mark_does_not_bring_the_customer_back_as_a_suggestion(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    assert customer_keys(kehu, 1) == ["W1"]
    kehu.ok("snooze", "W1", "--until", "2026-11-30", "--reason", "Travelling")
    for day in ("2026-11-23T09:00", "2026-11-26T09:00", "2026-11-29T23:00"):
        assert customer_keys(kehu, 1, now=day) == [], day
    assert customer_keys(kehu, 1, now="2026-11-30T09:00") == ["W1"]


def test_snoozing_a_call_back_does_not_bring_back_a_cooling_mark(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-08-22T10:00")
    assert customer_keys(kehu, 1) == ["C1.3m"]
    kehu.ok("snooze", "C1.3m", "--until", "2026-11-25")
    assert customer_keys(kehu, 1) == []
    assert customer_keys(kehu, 1, now="2026-11-24T20:00") == []
    assert customer_keys(kehu, 1, now="2026-11-25T09:00") == ["C1.3m"]


def test_a_dated_item_keeps_its_own_snooze(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-08-22T10:00")
    kehu.ok("promise", "张伟", "Send the tyre quote", "--due", "today")
    kehu.ok("snooze", "C1.3m", "--until", "2026-11-25")
    assert customer_keys(kehu, 1) == ["P1"]


def test_the_reason_of_a_snooze_is_on_the_card_and_beside_the_item_when_it_returns(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    kehu.ok("snooze", "W1", "--until", "2026-12-06", "--reason", "Travelling")
    card = kehu.json("show", "张伟")
    assert card["snoozes"] == [
        {"key": "W1", "until": "2026-12-06T00:00:00+08:00", "reason": "Travelling"}
    ]
    assert "W1 snoozed until Sun 6 Dec: Travelling" in kehu.ok("show", "张伟")
    [item] = items_of(kehu, now="2026-12-06T09:00")
    assert item["talking_point"] == "snoozed until today: Travelling"
    kehu.ok("done", "W1", now="2026-12-06T10:00")
    assert kehu.json("show", "张伟", now="2026-12-07T10:00")["snoozes"] == []


def test_the_reason_of_a_snooze_is_said_beside_the_item_snoozed_only(kehu):
    kehu.ok("add", "陈明", "--phone", "13800138000", "--product", "X", now="2026-08-01T10:00")
    kehu.ok("snooze", "C1.1m", "--until", "2026-09-01", "--reason", "Travelling",
            now="2026-08-01T10:00")  # fmt: skip
    kehu.ok("promise", "陈明", "Send the brochure", "--due", "2026-09-01", now="2026-08-01T10:00")
    listed = {i["key"]: i["talking_point"] for i in items_of(kehu, now="2026-09-01T10:00")}
    assert listed == {"P1": None, "C1.1m": "snoozed until today: Travelling"}
    out = kehu.ok("today", now="2026-09-01T10:00")
    assert out.count("Travelling") == 1
    assert out.index("C1.1m") < out.index("Travelling")
    [first] = kehu.json("today", "--limit", "1", now="2026-09-01T10:00")["items"]
    assert (first["key"], first["talking_point"]) == ("P1", "snoozed until today: Travelling")


# 2. A complaint follow-up checks, days later, that it was solved ------------------------------


def test_a_call_on_the_day_of_a_complaint_does_not_close_its_follow_up(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "张伟", "--via", "call", "--kind", "complaint", "--note", "noise",
            now="2026-11-22T10:00")  # fmt: skip
    kehu.ok("log", "张伟", "--via", "call", "--note", "repair booked", now="2026-11-22T11:00")
    assert customer_keys(kehu, 1, now="2026-11-25T09:00") == ["X1"]
    kehu.ok("log", "张伟", "--via", "call", "--note", "all fine", now="2026-11-25T10:00")
    assert customer_keys(kehu, 1, now="2026-11-25T11:00") == []


def test_done_closes_a_complaint_follow_up_before_its_day(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "张伟", "--via", "call", "--kind", "complaint", now="2026-11-22T10:00")
    kehu.ok("done", "X1", "--note", "fixed already", now="2026-11-23T10:00")
    assert customer_keys(kehu, 1, now="2026-11-25T09:00") == []


def test_an_unanswered_call_logged_as_a_complaint_has_no_follow_up(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "张伟", "--via", "call", "--kind", "complaint", "--no-answer",
            now="2026-11-22T10:00")  # fmt: skip
    assert "X1" not in customer_keys(kehu, 1, now="2026-11-25T09:00")
    assert kehu("done", "X1", now="2026-11-25T09:00").code == 3
    kehu.ok("log", "张伟", "--via", "call", "--kind", "complaint", now="2026-11-22T11:00")
    assert customer_keys(kehu, 1, now="2026-11-25T09:00") == ["X2"]


# 3. Back-dated history -------------------------------------------------------------------------


def test_a_customer_entered_with_back_dated_history_is_quiet_since_then(kehu):
    out = kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
                  "--delivered", "2026-04-10")  # fmt: skip
    assert "Send a thank-you note by" not in out
    assert "delivered Fri 10 Apr" in out and "10 Apr 00:00" not in out
    assert "The thank-you window has passed." in out
    kehu.ok("log", "张伟", "--via", "call", "--at", "2026-08-01 15:00")
    [item] = items_of(kehu)
    assert (item["key"], item["reason_params"]["basis"]) == ("W1", "last-reached")
    [purchase] = kehu.json("show", "张伟")["purchases"]
    assert purchase["delivered_at"] == "2026-04-10T00:00:00+08:00"


def test_added_counts_only_for_a_customer_with_no_delivery_and_no_contact(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    [item] = items_of(kehu)
    assert (item["key"], item["reason_params"]["basis"]) == ("W1", "added")


# 10. done on an item already closed ----------------------------------------------------------


def test_done_on_an_item_already_done_says_so_and_changes_nothing(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-11-21T15:30")
    kehu.ok("done", "T1", "--via", "wechat", now="2026-11-22T09:00")
    before = kehu.snapshot()
    out = kehu.ok("done", "T1")
    assert "T1 is already done" in out and "wechat" in out and "today 09:00" in out
    assert kehu.snapshot() == before
    kehu.ok("done", "T1", "--again")
    assert kehu.count("contact") == 2


def test_done_on_a_kept_promise_says_when_it_was_kept(kehu):
    kehu.ok("add", "张伟")
    kehu.ok("promise", "张伟", "Call back", "--due", "today")
    kehu.ok("done", "P1", now="2026-11-22T09:00")
    before = kehu.snapshot()
    result = kehu("done", "P1", "--note", "again")
    assert result.code == 0 and "P1 is already done: kept today 09:00" in result.out
    assert kehu.snapshot() == before


def test_done_on_a_thank_you_written_with_log_names_that_contact(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-11-21T15:30")
    kehu.ok("log", "张伟", "--via", "sms", "--kind", "thank-you", now="2026-11-21T18:00")
    out = kehu.ok("done", "T1")
    assert "T1 is already done" in out and "sms" in out and "yesterday 18:00" in out
    assert kehu.count("contact") == 1


def test_done_on_a_missed_call_back_is_not_closed_by_a_later_greeting(kehu):
    # Delivered 10 Apr: the 3-month window ran 7 Jul – 7 Oct, the 6-month one 7 Oct – 9 Nov.
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
            "--delivered", "2026-04-10", now="2026-04-10T10:00")  # fmt: skip
    kehu.ok("log", "张伟", "--via", "call", "--note", "All fine", now="2026-07-12T10:00")
    kehu.ok("log", "张伟", "--via", "wechat", "--kind", "greeting", now="2026-11-15T10:00")
    assert "C1.6m" not in customer_keys(kehu, 1)  # the 6-month milestone was missed
    out = kehu.ok("done", "C1.6m", "--note", "Late call-back")
    assert out.startswith("Done C1.6m") and "already" not in out
    [row] = kehu.rows("SELECT kind, note, purchase_id FROM contact WHERE note = 'Late call-back'")
    assert row == {"kind": "follow-up", "note": "Late call-back", "purchase_id": 1}
    # The 3-month one was made in its window: that call, not the greeting, is what did it.
    before = kehu.snapshot()
    out = kehu.ok("done", "C1.3m")
    assert "C1.3m is already done: reached by call (follow-up) Sun 12 Jul 10:00" in out
    assert kehu.snapshot() == before


def test_done_on_a_listed_call_back_closes_it_whatever_was_logged_before(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
            "--delivered", "2026-05-10", now="2026-05-10T10:00")  # fmt: skip
    kehu.ok("log", "张伟", "--via", "wechat", "--kind", "greeting", now="2026-11-01T10:00")
    assert customer_keys(kehu, 1) == ["C1.6m"]
    out = kehu.ok("done", "C1.6m")
    assert out.startswith("Done C1.6m") and kehu.count("contact") == 2
    assert customer_keys(kehu, 1) == []


# 11. Suggestions leave out customers reached lately --------------------------------------------


def test_a_customer_reached_minutes_ago_is_not_suggested(kehu):
    kehu.ok("add", "张伟", now="2026-10-01T10:00")
    kehu.ok("add", "李娜", now="2026-10-02T10:00")
    kehu.ok("log", "张伟", "--via", "call", now="2026-11-22T09:50")
    assert [i["key"] for i in items_of(kehu)] == ["S2"]
    assert [i["key"] for i in items_of(kehu, now="2026-11-29T09:51")] == ["S2", "S1"]
    kehu.ok("config", "rules.suggest_quiet_days", "0")  # now rules.rest_days, the old key kept
    assert [i["key"] for i in items_of(kehu)] == ["S2", "S1"]


# 12. Plurals; the terminal view ----------------------------------------------------------------


def test_today_heading_counts_with_plurals(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-11-20T15:30")
    kehu.ok("config", "rules.daily_target", "1")
    first = kehu.ok("today").splitlines()[0]
    assert first == "Today, Sun 22 Nov 2026: 1 item for 1 customer (1 late)"


def test_the_terminal_view_has_headings_and_two_lines_an_item_at_80_columns(kehu, monkeypatch):
    from kehu.ui import tables

    note = "Wants to hear about the extended warranty before the end of the month, after 5"
    kehu.ok("add", "欧阳娜娜", "--phone", "13800138000", now="2026-11-01T10:00")
    kehu.ok("log", "欧阳娜娜", "--via", "call", "--note", note, "--next", "2026-11-21",
            "--next-note", note, now="2026-11-01T10:05")  # fmt: skip
    kehu.ok("add", "Anna Schmidt", "--phone", "13900139000", "--set", "hobbies=fishing",
            "--product", "Golf 1.4T Comfortline with the long name, white",
            now="2026-10-22T10:00")  # fmt: skip
    kehu.ok("log", "Anna Schmidt", "--via", "call", "--note", "x" * 90, now="2026-10-23T10:00")
    kehu.ok("add", "黄磊", now="2026-10-01T10:00")
    kehu.ok("config", "rules.daily_target", "3")
    monkeypatch.setattr(tables, "plain", lambda: False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "xterm-256color")
    lines = kehu.ok("today").splitlines()
    assert lines[0] == "Today, Sun 22 Nov 2026: 3 items for 3 customers (1 late)"
    body = [line for line in lines[1:] if line.strip()]
    assert [body[0].strip(), body[3].strip(), body[6].strip()] == ["LATE", "DUE TODAY", "SUGGESTED"]
    assert len(body) == 9 and all(tables.width(line) <= 80 for line in lines)
    assert "欧阳娜娜" in body[1] and "F1" in body[1] and note[:20] in body[2]
    assert "last note" not in body[2]  # the note is the reason: not repeated
    assert "Anna Schmidt" in body[4] and "Golf" in body[5] and "hobbies: fishing" in body[5]
    assert "黄磊" in body[7] and "never reached" in body[8]


# 13. A delivery booked for later today ---------------------------------------------------------


def thanks(kehu, now):
    return [i for i in items_of(kehu, now) if i["kind"] == "thank-you"]


def test_a_delivery_later_today_has_its_thank_you_on_the_morning_list_and_card(kehu):
    kehu.ok("add", "陈静", "--phone", "13500004444", "--product", "Polo",
            "--delivered", "2026-12-02 10:00", now="2026-11-30T09:00")  # fmt: skip
    assert thanks(kehu, "2026-12-01T23:59") == []
    [item] = thanks(kehu, "2026-12-02T09:00")
    assert (item["key"], item["due"], item["late"]) == ("T1", "2026-12-02T10:00:00+08:00", False)
    assert "due by tomorrow 10:00" in kehu.ok(
        "today", "--kind", "thank-you", now="2026-12-02T09:00"
    )
    card = kehu.json("show", "陈静", now="2026-12-02T09:00")
    assert [i["key"] for i in card["coming"]["today"]] == ["T1"]
    [item] = thanks(kehu, "2026-12-03T10:01")
    assert (item["key"], item["late"]) == ("T1", True)
    kehu.ok("done", "T1", "--via", "wechat", now="2026-12-02T09:05")
    assert thanks(kehu, "2026-12-02T09:10") == []
    assert "already done" in kehu.ok("done", "T1", now="2026-12-02T11:00")


@sqlite_only  # two salespeople by KEHU_USER: on a server book everything is signed by the role
def test_on_a_shared_book_each_salesperson_sees_the_thank_you_of_a_delivery_later_today(
    kehu, monkeypatch
):
    monkeypatch.setenv("KEHU_USER", "lei")
    kehu.ok("add", "王芳", "--phone", "13500005555", "--product", "Golf",
            "--delivered", "2026-12-02 15:00", now="2026-11-30T09:00")  # fmt: skip
    monkeypatch.setenv("KEHU_USER", "mei")
    kehu.ok("add", "陈静", "--phone", "13500004444", "--product", "Polo",
            "--delivered", "2026-12-02 10:00", now="2026-11-30T09:00")  # fmt: skip
    assert [i["key"] for i in thanks(kehu, "2026-12-02T09:00")] == ["T2"]
    everyone = kehu.json("today", "--all", now="2026-12-02T09:00")["items"]
    assert sorted(i["key"] for i in everyone if i["kind"] == "thank-you") == ["T1", "T2"]


def test_the_calendar_has_the_thank_you_of_a_delivery_from_today_on(kehu, tmp_path):
    kehu.ok("add", "陈静", "--phone", "13500004444", "--product", "Polo",
            "--delivered", "2026-12-02 10:00", now="2026-11-30T09:00")  # fmt: skip
    for now in ("2026-11-30T09:00", "2026-12-02T09:00"):
        events = kehu.json("calendar", "--days", "2", now=now)["events"]
        assert [(e["date"], e["kind"]) for e in events] == [("2026-12-02", "thank-you")], now
        assert events[0]["params"] == {
            "delivered": "2026-12-02T10:00:00+08:00", "id": 1, "product": "Polo"
        }  # fmt: skip
    assert "陈静  Thank-you: Polo, delivered today 10:00" in kehu.ok(
        "calendar", "--days", "2", now="2026-12-02T09:00"
    )
    ics = tmp_path / "kehu.ics"
    assert kehu("export", str(ics), "--days", "2", now="2026-12-02T09:00").code == 0
    assert "UID:T1@kehu" in ics.read_text(encoding="utf-8")
    kehu.ok("done", "T1", now="2026-12-02T09:05")
    assert kehu.json("calendar", "--days", "2", now="2026-12-02T09:10")["events"] == []
    assert kehu.json("calendar", "--days", "2", now="2026-12-03T09:00")["events"] == []


def test_the_card_and_the_calendar_agree_on_the_first_call_back_of_a_booked_delivery(kehu):
    kehu.ok("add", "陈静", "--phone", "13500004444", "--product", "Polo",
            "--delivered", "2026-12-02 10:00", now="2026-11-30T09:00")  # fmt: skip
    coming = kehu.json("show", "陈静", now="2026-11-30T09:00")["coming"]
    assert coming["next_call_back"] == {"day": "2026-12-09", "milestone": "7d", "purchase_id": 1}
    events = kehu.json("calendar", "--days", "10", now="2026-11-30T09:00")["events"]
    assert [(e["date"], e["kind"]) for e in events][-1] == ("2026-12-09", "call-back")


# 14. A delivery on a day alone, when the clocks change the next day ---------------------------


def test_a_day_alone_delivery_is_thanked_by_the_end_of_the_next_day_when_the_clocks_change(
    kehu, monkeypatch
):
    # London's clocks go back on Sun 25 Oct 2026 and forward on Sun 29 Mar 2026: the day
    # after a delivery on a day alone is 25 or 23 hours long, and its end is still midnight.
    monkeypatch.setenv("KEHU_TZ", "Europe/London")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--delivered",
            "2026-10-24", now="2026-10-24T10:00")  # fmt: skip
    kehu.ok("add", "王芳", "--phone", "13900139000", "--product", "Polo", "--delivered",
            "2026-03-28", now="2026-03-28T10:00")  # fmt: skip
    for before, after, midnight in (
        ("2026-10-25T23:30", "2026-10-26T00:00", "2026-10-26T00:00:00+00:00"),
        ("2026-03-29T23:30", "2026-03-30T00:00", "2026-03-30T00:00:00+01:00"),
    ):
        [item] = thanks(kehu, before)
        assert not item["late"] and item["late_since"] == midnight, before
        assert item["reason"].endswith("the thank-you note is due by the end of today")
        late = [i["key"] for i in kehu.json("overdue", now=before)]
        assert not [key for key in late if key.startswith("T")], before
        [item] = thanks(kehu, after)
        assert item["late"], after
    chinese = in_chinese("today", "--kind", "thank-you", now="2026-10-25T23:30")
    assert "感谢信应在今天之内发出" in chinese.stdout and "已逾期" not in chinese.stdout
    # `report week` counts a thank-you sent that evening as in time, as the daily list does.
    kehu.ok("log", "张伟", "--kind", "thank-you", now="2026-10-25T23:30")
    report = kehu.json("report", "week", "--from", "2026-10-19", now="2026-10-30T10:00")
    assert report["thank_you"] == {"deliveries": 1, "in_time": 1}
