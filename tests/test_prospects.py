"""Prospects before the sale: the level's cadence on the daily list (at its boundaries, pure),
a month replayed through the book, re-grading, losing, a sale turning a prospect into a
customer, the card and the level table."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import in_chinese
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BadInput
from kehu.rules import prospects
from kehu.rules.records import BookState, CustomerState, ProspectState, Rules
from kehu.rules.schedule import schedule

TZ = ZoneInfo("Asia/Shanghai")
INTERVALS = {"H": 2, "A": 4, "B": 7, "C": 15, "O": 3, "N": 15}


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def state(*graded: tuple[int, str, datetime, date | None]) -> BookState:
    customers = {
        cid: CustomerState(cid, f"P{cid}", None, "B", "mei", since, since, since, None, None)
        for cid, _level, since, _expected in graded
    }
    return BookState(
        customers=customers,
        prospects={
            cid: ProspectState(cid, level, since, expected)
            for cid, level, since, expected in graded
        },
    )


# ------------------------------------------------------------------------- pure: cadence


@pytest.mark.parametrize("level", list(INTERVALS))
def test_a_prospect_is_due_on_its_levels_day_and_late_the_day_after(level):
    days = INTERVALS[level]
    book = state((1, level, at(2, 15), None))
    assert schedule(book, at(2, 9) + timedelta(days=days - 1, hours=14)) == []  # the eve, late
    due = schedule(book, at(2, 0) + timedelta(days=days))  # the first minute of its day
    assert [(i.key, i.kind, i.is_late(due[0].due)) for i in due] == [("L1", "prospect", False)]
    assert due[0].reason_code == "prospect" and due[0].reason_params["days"] == days
    still_due = at(2, 23) + timedelta(days=days)
    assert not schedule(book, still_due)[0].is_late(still_due)
    next_day = at(2, 0) + timedelta(days=days + 1)
    assert schedule(book, next_day)[0].is_late(next_day)


def test_h_before_a_before_b_before_c_and_no_after_sale_marks():
    long_ago = at(1, 9, month=6)  # months without contact: a customer would be at risk
    book = state(
        (1, "C", long_ago, None), (2, "B", long_ago, None), (3, "H", long_ago, None),
        (4, "A", long_ago, None),
    )  # fmt: skip
    items = schedule(book, at(22))
    assert [i.key for i in items] == ["L3", "L4", "L2", "L1"]


def test_an_expected_purchase_time_passed_asks_for_a_re_grade():
    book = state((1, "C", at(1), date(2026, 11, 5)))
    assert schedule(book, at(5, 23)) == []  # the day itself: still their time
    items = schedule(book, at(6, 0))
    assert [(i.key, i.reason_code) for i in items] == [("L1", "prospect-regrade")]
    assert items[0].reason_params["expected"] == date(2026, 11, 5)


def test_every_interval_is_a_setting():
    rules = Rules(prospect_h_days=1)
    assert schedule(state((1, "H", at(2), None)), at(3, 0), rules)[0].key == "L1"
    assert schedule(state((1, "H", at(2), None)), at(3, 0)) == []


@given(level=st.sampled_from(list(INTERVALS)), base=st.integers(0, 10))
def test_planned_days_fall_every_interval_after_the_last_contact(level, base):
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    start = date(2026, 10, 31) - timedelta(days=base)
    planned = prospects.planned_days(
        first=first, last=last, base=start, level=level, contacts=[], rules=Rules()
    )
    assert planned and all((d - start).days % INTERVALS[level] == 0 for d in planned)
    assert all(first <= d <= last for d in planned)
    contacted = prospects.planned_days(
        first=first, last=last, base=start, level=level, contacts=[(date(2026, 11, 10), "H")],
        rules=Rules(),
    )  # fmt: skip
    after = [d for d in contacted if d > date(2026, 11, 10)]
    assert after[0] == date(2026, 11, 12)  # counted afresh, at the new level (H: 2 days)


def test_conversion_figures_by_source_and_level():
    def one(source, level, first, sold=None, lost=None):
        return prospects.Outcome(source, level, at(first), sold and at(sold), lost)

    figures = prospects.conversion(
        [one("walk-in", "H", 1, sold=5), one("walk-in", "B", 1, lost="budget"),
         one("phone", "B", 2, sold=12), one(None, "N", 3)]
    )  # fmt: skip
    assert figures["by_source"]["walk-in"] == {"prospects": 2, "sales": 1, "lost": 1}
    assert figures["by_level"]["B"] == {"prospects": 2, "sales": 1, "lost": 1}
    assert figures["by_source"]["unknown"] == {"prospects": 1, "sales": 0, "lost": 0}
    assert figures["lost_by_reason"] == {"budget": 1}
    assert figures["days_to_sale"] == {"sales": 2, "median": 7.0, "mean": 7.0}


# ------------------------------------------------------------------- through the CLI


def keys(kehu: Any, day: str) -> list[str]:
    return [i["key"] for i in kehu.json("today", now=day)["items"] if i["kind"] == "prospect"]


@pytest.fixture
def prospects_book(kehu: Any) -> Any:
    now = "2026-11-02T09:00"
    kehu.ok("add", "王强", "--phone", "13900001111", "--prospect", "--level", "ｈ",
            "--interest", "Tiguan L", "--budget", "25万", "--expected", "2026-11-20",
            "--payment", "贷款", "--competitor", "CR-V", "--competitor", "RAV4",
            "--source", "来店", "--best-time", "evenings", now=now)  # fmt: skip
    kehu.ok("add", "李娜", "--phone", "13900002222", "--prospect", "--level", "B", now=now)
    return kehu


def test_a_month_replayed_puts_each_prospect_on_its_levels_days(prospects_book):
    kehu = prospects_book
    assert keys(kehu, "2026-11-03T09:00") == []
    assert keys(kehu, "2026-11-04T09:00") == ["L1"]  # H: 2 days
    assert keys(kehu, "2026-11-09T09:00") == ["L1", "L2"]  # B: 7 days, H first
    kehu.ok("log", "王强", "--level", "A", "--note", "test drive", now="2026-11-09T10:00")
    assert keys(kehu, "2026-11-12T09:00") == ["L2"]  # A: 4 days from the 9th
    assert keys(kehu, "2026-11-13T09:00") == ["L2", "L1"]  # L2 late since the 10th
    kehu.ok("lost", "李娜", "--reason", "竞品", now="2026-11-13T10:00")
    assert keys(kehu, "2026-11-14T09:00") == ["L1"]
    assert kehu.rows("SELECT level, contact_id IS NOT NULL AS with_contact FROM prospect_grade"
                     " WHERE customer_id = 1 ORDER BY id") == [
        {"level": "H", "with_contact": 0}, {"level": "A", "with_contact": 1}]  # fmt: skip


def test_a_sale_makes_the_prospect_a_customer_with_thanks_and_call_backs(prospects_book):
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", now="2026-11-10T15:00")
    today = kehu.json("today", now="2026-11-10T16:00")["items"]
    assert [i["key"] for i in today if i["customer_id"] == 1] == ["T1"]
    kehu.ok("done", "T1", now="2026-11-11T10:00")
    later = kehu.json("today", now="2026-11-17T16:00")["items"]
    assert [i["key"] for i in later if i["customer_id"] == 1] == ["C1.7d"]
    card = kehu.json("show", "王强", now="2026-11-17T16:00")
    assert card["prospect"]["state"] == "sold" and card["prospect"]["level"] == "H"
    assert card["prospect"]["competitors"] == ["CR-V", "RAV4"]
    assert card["prospect"]["payment"] == "loan"


def test_a_lost_prospect_gets_no_after_sale_marks(prospects_book):
    kehu = prospects_book
    kehu.ok("lost", "李娜", "--reason", "budget", "--note", "too dear", now="2026-11-03T09:00")
    items = kehu.json("today", now="2027-05-01T09:00")["items"]
    assert [i for i in items if i["customer_id"] == 2] == []  # no cooling, at risk, suggestion


def test_the_card_shows_the_prospect_card_headings(prospects_book):
    shown = prospects_book.ok("show", "王强", now="2026-11-03T09:00")
    assert "Prospect card (意向客户管理卡)" in shown
    assert "interested in:      Tiguan L" in shown
    assert "competing products: CR-V, RAV4" in shown
    assert "best time to call:  evenings" in shown


def test_the_level_table_of_the_month(prospects_book):
    kehu = prospects_book
    kehu.ok("log", "王强", "--level", "A", now="2026-11-04T10:00")
    kehu.ok("lost", "李娜", "--reason", "postponed", now="2026-11-06T10:00")
    table = kehu.json("prospects", "--month", "2026-11", now="2026-11-20T10:00")
    first, second = table["prospects"]
    assert first["source"] == "walk-in" and first["level_at_start"] is None
    assert first["levels_after_contacts"] == [
        {"day": "2026-11-02", "level": "H"}, {"day": "2026-11-04", "level": "A"}]  # fmt: skip
    assert first["planned_days"][:2] == ["2026-11-08", "2026-11-12"]  # A: every 4 days
    assert first["level_now"] == "A" and second["state"] == "lost"
    assert all(d < "2026-11-06" for d in second["planned_days"])
    assert table["counts"]["A"] == 1 and table["counts"]["B"] == 0
    assert table["lost"] == [
        {"id": 2, "name": "李娜", "reason": "postponed", "note": None, "day": "2026-11-06"}
    ]
    december = kehu.json("prospects", "--month", "2026-12", now="2026-12-02T10:00")
    assert [(p["id"], p["level_at_start"]) for p in december["prospects"]] == [(1, "A")]
    shown = kehu.ok("prospects", now="2026-11-20T10:00")
    assert "意向客户级别状况表" in shown and "Lost: 李娜 (#2)" in shown


def test_bad_prospect_input_is_refused_with_nothing_written(prospects_book):
    kehu = prospects_book
    before = kehu.snapshot()
    for args in (
        ("add", "周", "--prospect", "--level", "X"),
        ("add", "周", "--level", "H"),
        ("add", "周", "--prospect", "--product", "Golf"),
        ("add", "周", "--prospect", "--competitor", "a", "--competitor", "b",
         "--competitor", "c", "--competitor", "d"),
        ("lost", "王强", "--reason", "weather"),
        ("log", "王强", "--level", "战败"),
        ("prospects", "--month", "November"),
    ):  # fmt: skip
        result = kehu(*args)
        assert result.code == BadInput.exit_code, (args, result)
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    kehu.ok("lost", "李娜", "--reason", "other")
    before = kehu.snapshot()
    # A level for a contact before the loss does not undo it.
    before_loss = kehu("log", "李娜", "--level", "A", "--at", "2026-11-10 10:00")
    assert before_loss.code == BadInput.exit_code
    assert kehu.snapshot() == before


def test_lost_again_is_a_no_op_saying_since_when_as_kept_and_archive_are(prospects_book):
    kehu = prospects_book
    kehu.ok("lost", "李娜", "--reason", "budget", "--note", "too dear", now="2026-11-05T10:00")
    before = kehu.snapshot()
    again = kehu("lost", "李娜", "--reason", "competitor", now="2026-11-09T10:00")
    assert (again.code, again.err) == (0, ""), again
    assert again.out.splitlines() == ["李娜 (#2) is already lost, since 5 Nov; nothing changed."]
    assert kehu.snapshot() == before  # the first loss stands: its day, reason and note
    card = kehu.json("show", "李娜", now="2026-11-09T10:05")["prospect"]
    assert (card["lost_reason"], card["lost_note"]) == ("budget", "too dear")
    undone = kehu("undo", now="2026-11-09T10:10")  # the repeat left nothing to undo: the loss goes
    assert undone.code == 0, undone
    assert kehu.json("show", "李娜", now="2026-11-09T10:15")["prospect"]["state"] == "open"
    zh = _zh("lost", "王强", "--reason", "预算", now="2026-11-09T10:20")
    assert zh.returncode == 0, zh
    zh = _zh("lost", "王强", "--reason", "预算", now="2026-11-09T10:30")
    assert (zh.returncode, zh.stderr) == (0, ""), zh
    assert zh.stdout.splitlines() == ["王强（#1）已于11月9日战败，没有改动。"]


def test_chinese_interface_words_the_prospect(prospects_book, monkeypatch):
    from kehu.base import i18n

    monkeypatch.setenv("KEHU_LANG", "zh")
    i18n.bind(None)
    try:
        shown = prospects_book.ok("today", now="2026-11-04T09:00")
        card = prospects_book.ok("show", "王强", now="2026-11-04T09:00")
        lost = prospects_book.ok("lost", "李娜", "--reason", "预算", now="2026-11-04T09:00")
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        i18n.bind(None)
    assert "H 级意向客户：每 2 天跟进一次" in shown
    assert "意向客户管理卡" in card and "意向产品" in card and "竞品" in card
    assert "战败：李娜（#2），预算。" in lost


def test_a_prospect_sheet_imports_its_rows_as_prospects(kehu, tmp_path):
    sheet = tmp_path / "意向客户.csv"
    sheet.write_text(
        "姓名,电话,级别,意向车型,预算,预计购车时间,来源\n"
        "陈晨,13700001111,A,途观L,25万,2026-12-01,来店\n"
        "吴昊,13700002222,c,帕萨特,20万,明年春天,来电\n"
        "老周,13700003333,,,,,\n",
        encoding="utf-8",
    )
    kehu.ok("import", str(sheet))
    chen = kehu.json("show", "陈晨")["prospect"]
    assert (chen["level"], chen["interest"], chen["budget"], chen["expected_on"]) == (
        "A", "途观L", "25万", "2026-12-01")  # fmt: skip
    wu = kehu.json("show", "吴昊")
    assert wu["prospect"]["level"] == "C" and wu["prospect"]["expected_on"] is None
    assert wu["profile"] == {"expected_purchase": "明年春天"}  # not a date: kept as written
    assert kehu.json("show", "老周")["prospect"] is None
    assert keys(kehu, "2026-11-26T09:00") == ["L1"]  # A: 4 days after the import


def test_the_import_summary_counts_prospects_as_prospects(kehu, tmp_path):
    sheet = tmp_path / "客户.csv"
    sheet.write_text(
        "姓名,电话,级别,战败原因,购买车型,交车日期\n"
        "陈晨,13700001111,A,,,\n"  # a prospect
        "吴昊,13700002222,战败,预算,,\n"  # a lost prospect: never sold to
        "老周,13700003333,,,朗逸,2026/11/3\n"  # a customer
        "郑总,13700004444,O,,途观L,2026/12/20\n"  # ordered: sold to, a customer
        "冯姐,,,,,\n",  # a customer without a sale
        encoding="utf-8",
    )
    preview = kehu.ok("import", str(sheet), "--dry-run")
    assert "5 rows to import." in preview and kehu.count("prospect") == 0
    chinese = in_chinese("--db", str(tmp_path / "zh.db"), "import", str(sheet))
    assert chinese.returncode == 0, chinese
    assert chinese.stdout == "已导入 3 位客户和 2 位意向客户。\n", chinese
    out = kehu.ok("import", str(sheet))
    assert out == "Imported 3 customers and 2 prospects.\n", out
    assert kehu.count("customer") == 5 and kehu.count("prospect") == 3  # and 郑总's order
    # prospects alone, and one each, with what was skipped
    sheet.write_text("姓名,电话,级别\n钱一,13700005555,H\n钱二,13700006666,B\n", "utf-8")
    assert kehu.ok("import", str(sheet)) == "Imported 2 prospects.\n"
    sheet.write_text(
        "姓名,电话,级别\n钱一,13700005555,H\n孙三,13700007777,C\n李四,13700008888,\n", "utf-8"
    )
    out = kehu.ok("import", str(sheet))
    assert out == "Imported 1 customer and 1 prospect; 1 skipped (already in the book).\n", out
    sheet.write_text("姓名,电话,级别\n周五,13700009999,H\n", "utf-8")
    chinese = in_chinese("import", str(sheet))
    assert chinese.returncode == 0 and chinese.stdout == "已导入 1 位意向客户。\n", chinese


def test_a_prospect_sheet_s_preview_shows_the_card_and_reads_its_days_and_sources(kehu, tmp_path):
    sheet = tmp_path / "意向客户.csv"
    sheet.write_text(
        "姓名,电话,级别,意向车型,预算,预计购车时间,来源,付款方式,竞品\n"
        "王强,13900001111,H,途观L,25万,12-20,到店,贷款,CR-V;RAV4\n"
        "李娜,13900002222,b,帕萨特,,1-10,电话,,\n",
        encoding="gb18030",
    )
    out = kehu.ok("import", str(sheet), "--dry-run", now="2026-12-08T10:00")
    assert (
        "  line 2: name=王强; phone=13900001111; tier=B; source=walk-in; level=H; interest=途观L;"
        " budget=25万; expected_purchase=2026-12-20; payment=loan; competitors=CR-V, RAV4\n"
    ) in out, out
    assert "  line 3: name=李娜; phone=13900002222; tier=B; source=phone; level=B;" in out
    kehu.ok("import", str(sheet), "--yes", now="2026-12-08T10:00")
    assert kehu.json("show", "王强")["prospect"]["expected_on"] == "2026-12-20"
    assert kehu.json("show", "李娜")["prospect"]["expected_on"] == "2027-01-10"  # the coming one
    assert [kehu.json("show", n)["source"] for n in ("王强", "李娜")] == ["walk-in", "phone"]


def test_a_prospect_s_card_goes_through_a_vcard_and_back(prospects_book, tmp_path):
    kehu = prospects_book
    card = kehu.json("show", "王强")["prospect"]
    for version in ("3", "4"):
        path = tmp_path / f"contacts{version}.vcf"
        assert kehu("export", str(path), "--vcard-version", version).code == 0
        assert "X-KEHU-LEVEL:H" in path.read_text(encoding="utf-8")
        other = str(tmp_path / f"{version}.db")
        kehu.ok("--db", other, "import", str(path), "--yes")
        again = kehu.json("--db", other, "show", "王强")["prospect"]
        fields = ("level", "interest", "budget", "expected_on", "payment", "competitors",
                  "best_time")  # fmt: skip
        assert {k: again[k] for k in fields} == {k: card[k] for k in fields}
        assert kehu.json("--db", other, "show", "李娜")["prospect"]["level"] == "B"


def test_a_level_needs_a_contact_that_reached_them(kehu):
    kehu.ok("add", "李娜", "--phone", "13911112222", "--prospect", "--level", "B")
    before = kehu.snapshot()
    result = kehu("log", "李娜", "--no-answer", "--level", "A")
    assert result.code == BadInput.exit_code and result.out == ""
    assert len(result.err.splitlines()) == 1 and "--level" in result.err
    assert "--no-answer" in result.err and "李娜" not in result.err
    assert kehu.snapshot() == before


def test_edit_corrects_the_prospect_card_and_undo_puts_it_back(prospects_book):
    kehu = prospects_book
    card = "SELECT interest, budget, expected_on, payment, competitors, best_time FROM prospect"
    before = kehu.rows(card + " WHERE customer_id = 1")
    kehu.ok("edit", "王强", "--interest", "Tayron", "--budget", "３０万", "--competitor", "Model Y",
            "--expected", "2026-12-15", "--best-time", "", now="2026-11-05T09:00")  # fmt: skip
    after = kehu.rows(card + " WHERE customer_id = 1")[0]
    assert (after["interest"], after["budget"], after["competitors"]) == (
        "Tayron", "30万", "Model Y")  # fmt: skip
    assert str(after["expected_on"]) == "2026-12-15" and after["best_time"] is None
    assert after["payment"] == before[0]["payment"] == "loan"  # not given: kept
    assert kehu.rows(card + " WHERE customer_id = 2")[0]["interest"] is None  # only 王强's
    kehu.ok("undo", now="2026-11-05T09:01")
    assert kehu.rows(card + " WHERE customer_id = 1") == before


def test_edit_refuses_card_fields_for_someone_who_is_no_prospect(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Passat")
    before = kehu.snapshot()
    result = kehu("edit", "张伟", "--interest", "Tiguan", "--phone", "13800138001")
    assert result.code == BadInput.exit_code and "--interest" in result.err
    assert len(result.err.splitlines()) == 1 and "张伟" not in result.err
    assert kehu.snapshot() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_prospects_item_gets_the_follow_up_script_naming_their_model(prospects_book, lang):
    made = prospects_book.json("draft", "L1", "--lang", lang, now="2026-11-04T09:00")
    assert (made["key"], made["kind"], made["channel"]) == ("L1", "prospect-follow-up", "call")
    assert "Tiguan L" in made["text"]
    assert ("咱们约个时间见面" if lang == "zh" else "suits you to meet") in made["text"]


def test_a_lost_prospect_is_zhanbai_and_every_mark_of_the_level_table_is_explained(
    prospects_book, monkeypatch
):
    """战败 is the prospect's loss (流失 is a customer's); `+` marks a contact that kept the
    level, and the legend says so."""
    from kehu.base import i18n

    kehu = prospects_book
    kehu.ok("log", "王强", "--note", "still thinking", now="2026-11-04T10:00")
    kehu.ok("lost", "李娜", "--reason", "budget", now="2026-11-06T10:00")
    english = kehu.ok("prospects", now="2026-11-20T10:00")
    assert "+: a contact that left the level as it was." in english.splitlines()
    monkeypatch.setenv("KEHU_LANG", "zh")
    i18n.bind(None)
    try:
        table = kehu.ok("prospects", now="2026-11-20T10:00")
        card = kehu.ok("show", "李娜", now="2026-11-20T10:00")
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        i18n.bind(None)
    [row] = [line for line in table.splitlines() if "李娜" in line and "#" not in line]
    assert row.split()[-1] == "战败", table
    [wang] = [line for line in table.splitlines() if "王强" in line]
    assert "H·+" in wang and "+：联系过但级别未变" in table, table
    assert "流失" not in table and "流失" not in card
    assert "各级别未结意向客户：H 1、A 0、B 0、C 0、O 0、N 0" in table.splitlines(), table
    assert "级别：             B（战败）" in card, card


def test_add_with_a_prospects_phone_is_their_first_sale_not_a_repeat_one(prospects_book):
    kehu = prospects_book
    out = kehu.ok("add", "王强", "--phone", "13900001111", "--product", "Tiguan L",
                  now="2026-11-10T15:00")  # fmt: skip
    assert out.splitlines()[0] == "First sale to 王强 (#1), a prospect until now (same phone)."
    assert kehu.json("show", "王强", now="2026-11-10T16:00")["prospect"]["state"] == "sold"
    again = kehu.ok("add", "王强", "--phone", "13900001111", "--product", "tyres",
                    now="2026-11-20T15:00")  # fmt: skip
    assert again.splitlines()[0] == "Repeat sale: 王强 (#1) is already in your book (same phone)."


def test_a_contact_after_the_expected_time_closes_the_re_grade_item(kehu):
    """The re-grade item is closed by any reached contact, as the README's table says: from
    then on the level's cadence counts from that contact."""
    kehu.ok("add", "甲", "--prospect", "--level", "C", "--expected", "2026-11-10",
            now="2026-11-01T10:00")  # fmt: skip

    def reasons(day: str) -> list[str]:
        return [i["reason_code"] for i in kehu.json("today", now=day)["items"]]

    assert reasons("2026-11-11T09:00") == ["prospect-regrade"]
    kehu.ok("log", "甲", "--no-answer", now="2026-11-12T10:00")
    assert reasons("2026-11-13T09:00") == ["prospect-regrade"]  # a try is no contact
    kehu.ok("log", "甲", "--note", "buys in spring", now="2026-11-13T10:00")
    assert reasons("2026-11-14T09:00") == []
    assert reasons("2026-11-27T09:00") == []
    assert reasons("2026-11-28T09:00") == ["prospect"]  # C: 15 days from the 13th


def test_a_prospect_under_a_known_name_without_a_phone_is_refused_unless_new(prospects_book):
    """As `add` does for anyone: a second 李娜 is listed and refused (exit 4, nothing added);
    --new adds another person of that name."""
    kehu = prospects_book
    before = kehu.snapshot()
    refused = kehu("add", "李娜", "--prospect", "--level", "A", now="2026-11-05T10:00")
    assert refused.code == 4 and "--new" in refused.err and "Traceback" not in refused.err
    assert kehu.snapshot() == before
    kehu.ok("add", "李娜", "--prospect", "--level", "A", "--new", now="2026-11-05T10:00")
    assert [p["name"] for p in kehu.json("list")] == ["王强", "李娜", "李娜"]


def test_a_manager_reads_a_colleagues_level_table(prospects_book):
    kehu = prospects_book
    kehu.ok("assign", "李娜", "li")

    def names(*flag: str) -> list[str]:
        table = kehu.json("prospects", *flag, now="2026-11-20T10:00")
        return [p["name"] for p in table["prospects"]]

    assert (names(), names("--owner", "li"), names("--all")) == (
        ["王强"], ["李娜"], ["王强", "李娜"]
    )  # fmt: skip
    bad = kehu("prospects", "--all", "--owner", "li")
    assert bad.code == 2 and "--owner" in bad.err and bad.out == ""


def test_deleting_the_sale_that_made_a_prospect_a_customer_makes_them_a_prospect_again(
    prospects_book,
):
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", now="2026-11-05T10:00")
    [purchase] = kehu.json("show", "王强", now="2026-11-05T10:00")["purchases"]
    kehu.ok("purchase-delete", str(purchase["id"]), now="2026-11-05T10:05")
    assert kehu.json("show", "王强", now="2026-11-05T10:05")["prospect"]["state"] == "open"
    assert keys(kehu, "2026-11-08T09:00") == ["L1"]  # H: 2 days from the 2nd, late
    assert kehu.json("report", "tiers", now="2026-11-08T09:00")["customers"] == []
    kehu.ok("undo", now="2026-11-05T10:10")
    assert kehu.json("show", "王强", now="2026-11-05T10:10")["prospect"]["state"] == "sold"


def test_a_back_dated_contact_grades_the_past_not_the_level_now(prospects_book):
    kehu = prospects_book
    kehu.ok("log", "王强", "--level", "A", now="2026-11-06T10:00")
    out = kehu.ok("log", "王强", "--level", "C", "--at", "2026-11-04 10:00",
                  now="2026-11-06T11:00")  # fmt: skip
    assert "Level now A." in out.splitlines()
    card = kehu.json("show", "王强", now="2026-11-06T12:00")["prospect"]
    assert card["level"] == "A"
    assert [g["level"] for g in card["grades"]] == ["H", "C", "A"]
    assert "L1" not in keys(kehu, "2026-11-09T09:00")  # A: 4 days from the 6th
    assert "L1" in keys(kehu, "2026-11-10T09:00")


def test_deleting_the_contact_that_re_graded_a_prospect_puts_the_level_back(prospects_book):
    kehu = prospects_book
    kehu.ok("log", "王强", "--level", "C", "--note", "wrong customer", now="2026-11-03T10:00")
    [contact] = kehu.json("show", "王强", now="2026-11-03T10:05")["contacts"]
    kehu.ok("contact-delete", str(contact["id"]), now="2026-11-03T10:05")
    card = kehu.json("show", "王强", now="2026-11-03T10:10")["prospect"]
    assert (card["level"], [g["level"] for g in card["grades"]]) == ("H", ["H"])
    assert keys(kehu, "2026-11-04T09:00") == ["L1"]  # H: 2 days from the 2nd
    kehu.ok("undo", now="2026-11-03T10:15")
    assert kehu.json("show", "王强", now="2026-11-03T10:20")["prospect"]["level"] == "C"


def test_a_lost_prospect_who_comes_back_is_open_again_with_a_level(prospects_book):
    kehu = prospects_book
    kehu.ok("lost", "李娜", "--reason", "price", now="2026-11-05T10:00")
    out = kehu.ok("log", "李娜", "--via", "visit", "--level", "C", now="2026-11-20T10:00")
    assert "Open again (lost Thu 5 Nov: price); level now C." in out.splitlines(), out
    card = kehu.json("show", "李娜", now="2026-11-20T10:05")["prospect"]
    assert (card["state"], card["level"], card["lost_reason"]) == ("open", "C", None)
    assert [g["level"] for g in card["grades"]] == ["B", "C"]
    assert "L2" not in keys(kehu, "2026-12-04T09:00")  # C: 15 days from the 20th
    assert "L2" in keys(kehu, "2026-12-05T09:00")
    kehu.ok("undo", now="2026-11-20T10:10")
    card = kehu.json("show", "李娜", now="2026-11-20T10:15")["prospect"]
    assert (card["state"], card["lost_reason"]) == ("lost", "price")


def test_a_prospect_who_came_back_keeps_the_loss_in_their_history(prospects_book):
    import os
    import subprocess
    import sys

    kehu = prospects_book
    kehu.ok("lost", "李娜", "--reason", "竞品", "--note", "买了途岳", now="2026-11-05T10:00")
    kehu.ok("log", "李娜", "--level", "B", "--note", "回来了", now="2026-12-03T10:00")
    card = kehu.json("show", "李娜", now="2026-12-03T10:05")["prospect"]
    assert (card["state"], card["lost_at"], card["lost_reason"]) == ("open", None, None)
    assert card["losses"] == [{
        "lost_at": "2026-11-05T10:00:00+08:00", "reason": "competitor", "note": "买了途岳",
        "reopened_at": "2026-12-03T10:00:00+08:00",
    }]  # fmt: skip
    shown = kehu.ok("show", "李娜", now="2026-12-03T10:05")
    assert "  lost:              Thu 5 Nov, bought a competitor: 买了途岳; open again today" in (
        shown.splitlines()
    ), shown
    november = kehu.json("prospects", "--month", "2026-11", now="2026-12-03T10:05")
    lina = next(p for p in november["prospects"] if p["name"] == "李娜")
    assert lina["planned_days"] == []  # B: the 9th would be its first, and it was lost then
    assert lina["state_at_end"] == "lost"  # lost at the month's end, back only in December
    december = kehu.json("prospects", "--month", "2026-12", now="2026-12-03T10:05")
    lina = next(p for p in december["prospects"] if p["name"] == "李娜")
    assert (lina["state_at_start"], lina["state_at_end"]) == ("lost", "open")
    assert november["lost"] == [
        {"id": 2, "name": "李娜", "reason": "competitor", "note": "买了途岳", "day": "2026-11-05"}
    ]
    figures = kehu.json("report", "month", "--from", "2026-11-01", now="2026-12-03T10:05")
    assert figures["prospects"]["lost"] == 1
    assert figures["prospects"]["lost_by_reason"] == {"competitor": 1}
    assert kehu.json("prospects", "--month", "2026-12", now="2026-12-03T10:05")["lost"] == []
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "show", "李娜"],
        env={**os.environ, "KEHU_LANG": "zh", "KEHU_NOW": "2026-12-03T10:05"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 0, chinese.stderr
    assert "战败：             11月5日 周四，购买竞品：买了途岳；重新跟进：今天" in chinese.stdout
    # Lost again, and back again: each loss is kept.
    kehu.ok("lost", "李娜", "--reason", "budget", now="2026-12-10T10:00")
    kehu.ok("log", "李娜", "--level", "C", now="2026-12-20T10:00")
    losses = kehu.json("show", "李娜", now="2026-12-20T10:05")["prospect"]["losses"]
    assert [loss["reason"] for loss in losses] == ["competitor", "budget"]
    kehu.ok("undo", now="2026-12-20T10:10")  # the last come-back: lost to the budget again
    card = kehu.json("show", "李娜", now="2026-12-20T10:15")["prospect"]
    assert (card["state"], card["lost_reason"]) == ("lost", "budget")
    assert [loss["reason"] for loss in card["losses"]] == ["competitor"]


def test_an_expected_purchase_time_before_today_is_refused(prospects_book):
    kehu = prospects_book
    before = kehu.snapshot()
    for args in (
        ("add", "周", "--prospect", "--expected", "2020-01-01"),
        ("edit", "王强", "--expected", "２０２６-11-04"),
    ):
        result = kehu(*args, now="2026-11-05T09:00")
        assert result.code == BadInput.exit_code, (args, result)
        assert result.err.strip().splitlines() == [
            f"kehu: --expected {args[-1].replace('２０２６', '2026')} is before today; the "
            "expected purchase time is today or later (12/15, 下个月, in 3 days); nothing was "
            "written"
        ], result
    assert kehu.snapshot() == before
    kehu.ok("edit", "王强", "--expected", "2026-11-05", now="2026-11-05T09:00")


def test_done_of_a_prospects_item_is_refused_once_they_are_sold_or_lost(prospects_book):
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", now="2026-11-03T10:00")
    kehu.ok("lost", "李娜", "--reason", "price", now="2026-11-03T10:00")
    kehu.ok("add", "张伟", "--phone", "13900003333", now="2026-11-03T10:00")
    before = kehu.snapshot()
    for key in ("L1", "l2", "L3"):
        result = kehu("done", key, now="2026-11-10T09:00")
        assert result.code == 3, (key, result)
        assert result.err.strip().splitlines() == [
            f"kehu: {key.upper()} is not on the list: #{key[1]} is not an open prospect (sold "
            "to, lost or never one); `kehu today` shows the keys"
        ], result
    assert kehu.snapshot() == before
    kehu.ok("log", "李娜", "--level", "B", now="2026-11-10T10:00")
    kehu.ok("done", "L2", now="2026-11-20T10:00")


def test_the_grade_follows_an_edited_contact(prospects_book):
    """A contact that did not reach them cannot grade; a grade moves with its contact's time."""
    kehu = prospects_book
    kehu.ok("log", "王强", "--level", "C", now="2026-11-03T10:00")
    [contact] = kehu.json("show", "王强", now="2026-11-03T10:05")["contacts"]
    kehu.ok("contact-edit", str(contact["id"]), "--no-answer", now="2026-11-03T10:05")
    card = kehu.json("show", "王强", now="2026-11-03T10:10")["prospect"]
    assert (card["level"], [g["level"] for g in card["grades"]]) == ("H", ["H"])
    kehu.ok("undo", now="2026-11-03T10:15")
    assert kehu.json("show", "王强", now="2026-11-03T10:20")["prospect"]["level"] == "C"
    kehu.ok("log", "王强", "--level", "A", now="2026-11-05T10:00")
    kehu.ok("contact-edit", str(contact["id"]), "--at", "2026-11-06 10:00", now="2026-11-06T11:00")
    card = kehu.json("show", "王强", now="2026-11-06T11:05")["prospect"]
    assert card["level"] == "C"  # the contact that graded C is now the latest
    assert [(g["level"], g["at"][:10]) for g in card["grades"]] == [
        ("H", "2026-11-02"), ("A", "2026-11-05"), ("C", "2026-11-06")
    ]  # fmt: skip


def test_a_past_months_level_table_shows_the_level_at_the_months_end(kehu, monkeypatch):
    """The form's last column is the level at the month's end (月末级别): a later re-grade or
    sale does not change a past month's table; the running month shows the level now."""
    kehu.ok("add", "何", "--phone", "13800138901", "--prospect", "--level", "B",
            now="2026-04-10T10:00")  # fmt: skip
    kehu.ok("add", "孔", "--phone", "13800138902", "--prospect", "--level", "A",
            now="2026-04-11T10:00")  # fmt: skip
    kehu.ok("log", "何", "--level", "C", now="2026-04-20T10:00")
    kehu.ok("log", "何", "--level", "H", now="2026-05-05T10:00")
    kehu.ok("sale", "孔", "--product", "Golf", now="2026-05-06T10:00")
    april = kehu.json("prospects", "--month", "2026-04", now="2026-05-07T10:00")
    rows = {p["name"]: p for p in april["prospects"]}
    assert april["ended"] is True
    assert (rows["何"]["level_at_end"], rows["何"]["state_at_end"]) == ("C", "open")
    assert (rows["孔"]["level_at_end"], rows["孔"]["state_at_end"]) == ("A", "open")
    assert (rows["何"]["level_now"], rows["孔"]["state"]) == ("H", "sold")  # as they are now
    assert april["counts"] == {"H": 0, "A": 1, "B": 0, "C": 1, "O": 0, "N": 0}
    shown = kehu.ok("prospects", "--month", "2026-04", now="2026-05-07T10:00")
    header, he, kong = shown.splitlines()[1:4]
    assert header.split()[-2:] == ["month", "end"]
    assert he.split()[-1] == "C" and kong.split()[-1] == "A"
    assert "Open prospects by level at the month's end: H 0, A 1, B 0, C 1" in shown
    may = kehu.json("prospects", "--month", "2026-05", now="2026-05-07T10:00")
    rows = {p["name"]: p for p in may["prospects"]}
    assert may["ended"] is False
    assert (rows["何"]["level_at_end"], rows["孔"]["state_at_end"]) == ("H", "sold")
    assert may["counts"]["H"] == 1 and may["counts"]["A"] == 0
    assert kehu.ok("prospects", now="2026-05-07T10:00").splitlines()[1].split()[-1] == "now"
    monkeypatch.setenv("KEHU_NOW", "2026-05-07T10:00")
    zh = subprocess.run(
        [sys.executable, "-m", "kehu", "prospects", "--month", "2026-04"],
        capture_output=True, text=True, env={**os.environ, "KEHU_LANG": "zh"}, check=True,
    ).stdout  # fmt: skip
    assert (
        zh.splitlines()[1].split()[-1] == "月末"
        and "月末各级别未结意向客户：H 0、A 1、B 0、C 1" in zh
    )


def _items_of(kehu: Any, day: str, customer_id: int) -> list[tuple[str, str | None]]:
    return [
        (i["key"], i["reason_params"].get("level"))
        for i in kehu.json("today", now=day)["items"]
        if i["customer_id"] == customer_id
    ]


def test_a_prospect_who_orders_is_at_level_o_until_the_delivery(prospects_book):
    """Ordered but not delivered (O): followed up every 3 days from the sale, nothing else
    (no suggestion, no quiet mark); from the delivery's day a customer, thanked and called
    back as any. `kehu add` with their phone and a booked delivery does the same."""
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "12月15日",
            now="2026-11-03T10:00")  # fmt: skip
    assert _items_of(kehu, "2026-11-05T09:00", 1) == []  # not a suggestion either
    assert _items_of(kehu, "2026-11-06T09:00", 1) == [("L1", "O")]  # 3 days after the sale
    kehu.ok("done", "L1", now="2026-11-06T10:00")
    assert _items_of(kehu, "2026-11-08T09:00", 1) == []
    assert _items_of(kehu, "2026-11-09T09:00", 1) == [("L1", "O")]
    kehu.ok("log", "王强", "--level", "o", "--note", "paperwork", now="2026-11-09T10:00")
    before = kehu.snapshot()
    refused = kehu("log", "王强", "--level", "A", now="2026-11-09T11:00")
    assert refused.code == BadInput.exit_code and refused.err.strip().splitlines() == [
        "kehu: #1 has ordered and waits for the delivery: their level is O until then; "
        "nothing was logged"
    ]  # fmt: skip
    assert kehu.snapshot() == before
    card = kehu.json("show", "王强", now="2026-11-10T09:00")["prospect"]
    assert (card["state"], card["level"]) == ("ordered", "O")
    assert "O (ordered, awaiting delivery)" in kehu.ok("show", "王强", now="2026-11-10T09:00")
    assert _items_of(kehu, "2026-12-14T09:00", 1) == [("L1", "O")]  # late since 13 Nov
    assert _items_of(kehu, "2026-12-15T08:00", 1) == [("T1", None)]  # the delivery's day
    kehu.ok("done", "T1", now="2026-12-15T18:00")
    assert _items_of(kehu, "2026-12-20T09:00", 1) == []
    assert _items_of(kehu, "2026-12-22T09:00", 1) == [("C1.7d", None)]
    assert kehu("done", "L1", now="2026-12-22T09:00").code == 3  # a customer now
    card = kehu.json("show", "王强", now="2026-12-16T09:00")["prospect"]
    assert (card["state"], card["level"]) == ("sold", "O")
    # The first sale by a known phone, delivered later: the same.
    kehu.ok("add", "李娜", "--phone", "13900002222", "--product", "Golf", "--delivered",
            "2026-11-30 10:00", now="2026-11-10T09:00")  # fmt: skip
    assert _items_of(kehu, "2026-11-13T09:00", 2) == [("L2", "O")]
    assert _items_of(kehu, "2026-11-30T09:00", 2) == [("T2", None)]


def test_an_order_delivered_leaves_level_o_on_the_card_and_the_level_table(
    prospects_book, monkeypatch
):
    """One who ordered was level O until the delivery, as the level table of the next month
    starts them: after it the card and the table say O (sold), the level they bought at,
    whether or not a contact graded them O meanwhile (they said A (sold), the grade before)."""
    kehu = prospects_book
    kehu.ok("log", "李娜", "--level", "A", now="2026-11-06T10:00")
    kehu.ok("sale", "李娜", "--product", "Passat", "--delivered", "2026-12-05",
            now="2026-11-26T10:00")  # fmt: skip
    kehu.ok("sale", "王强", "--product", "Tiguan L", now="2026-11-26T10:00")  # delivered now
    now = "2026-12-06T10:00"
    table = kehu.json("prospects", now=now)
    row = {r["name"]: r for r in table["prospects"]}["李娜"]
    assert (row["level_at_start"], row["state"], row["level_now"]) == ("O", "sold", "O")
    card = kehu.json("show", "李娜", now=now)["prospect"]
    assert (card["state"], card["level"]) == ("sold", "O")
    assert "  level:             O (sold)" in kehu.ok("show", "李娜", now=now).splitlines()
    # A sale delivered at once keeps the grade they bought at.
    assert kehu.json("show", "王强", now=now)["prospect"]["level"] == "H"
    monkeypatch.setenv("KEHU_NOW", now)
    zh = in_chinese("show", "李娜")
    assert zh.returncode == 0 and "  级别：             O（成交）" in zh.stdout.splitlines()


def test_the_cards_levels_show_the_order_as_level_o_from_the_sale(prospects_book):
    """The card's history of levels (`levels:`, `grades` in --json) has the sale of an order
    as the change to O that it is, as a contact's re-grade is shown (it went from A straight
    to the delivery), while the delivery is to come and after it; a sale delivered at once is
    no order; a cancelled order keeps its O, once."""
    kehu = prospects_book
    kehu.ok("log", "王强", "--level", "A", now="2026-11-04T10:00")
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "12月15日",
            now="2026-11-06T10:00")  # fmt: skip
    for now in ("2026-11-08T10:00", "2026-12-20T10:00"):  # ordered, then delivered
        grades = kehu.json("show", "王强", now=now)["prospect"]["grades"]
        assert [(g["level"], g["at"], g["contact_id"]) for g in grades] == [
            ("H", "2026-11-02T09:00:00+08:00", None),
            ("A", "2026-11-04T10:00:00+08:00", 1),
            ("O", "2026-11-06T10:00:00+08:00", None),
        ], now
    shown = kehu.ok("show", "王强", now="2026-11-08T10:00").splitlines()
    [levels] = [line for line in shown if line.startswith("  levels:")]
    assert levels.split(":", 1)[1].strip() == "H Mon 2 Nov → A Wed 4 Nov → O Fri 6 Nov"
    zh = in_chinese("show", "王强", now="2026-11-08T10:00")
    assert zh.returncode == 0, zh.stderr
    [levels] = [line for line in zh.stdout.splitlines() if line.startswith("  级别变化：")]
    assert levels.split("：", 1)[1].strip() == "H 11月2日 周一 → A 11月4日 周三 → O 11月6日 周五"
    assert kehu.rows("SELECT level FROM prospect_grade") == [
        {"level": "H"}, {"level": "B"}, {"level": "A"}]  # fmt: skip
    kehu.ok("sale", "李娜", "--product", "Golf", now="2026-11-08T10:00")  # delivered at once
    grades = kehu.json("show", "李娜", now="2026-11-08T11:00")["prospect"]["grades"]
    assert [g["level"] for g in grades] == ["B"]
    kehu.ok("lost", "王强", "--reason", "budget", now="2026-11-09T10:00")  # the order cancelled
    grades = kehu.json("show", "王强", now="2026-11-09T11:00")["prospect"]["grades"]
    assert [(g["level"], g["at"][:10]) for g in grades] == [
        ("H", "2026-11-02"), ("A", "2026-11-04"), ("O", "2026-11-06")]  # fmt: skip


def test_a_sale_with_the_delivery_to_come_says_the_prospect_is_ordered_until_then(
    prospects_book, monkeypatch
):
    """`kehu sale` (and `kehu add` by a known phone) to a prospect whose delivery is still to
    come says they are ordered, level O, until the delivery, as the card and the level table
    have them; a sale delivered now says it is their first; a lost one who orders is not yet
    a customer."""
    kehu = prospects_book
    out = kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "12月15日",
                  now="2026-11-03T10:00")  # fmt: skip
    assert out.splitlines() == [
        "First sale to 王强 (#1), a prospect until now.",
        "Now an ordered prospect (level O) until the delivery; a customer from then.",
        "Sale: Tiguan L, to be delivered Tue 15 Dec.",
    ]
    out = kehu.ok("sale", "王强", "--product", "mats", "--delivered", "12月15日",
                  now="2026-11-04T10:00")  # fmt: skip
    assert out.splitlines()[:2] == [  # still ordered: no delivery yet
        "Sale to 王强 (#1).",
        "Now an ordered prospect (level O) until the delivery; a customer from then.",
    ]
    kehu.ok("lost", "李娜", "--reason", "budget", now="2026-11-16T10:00")
    monkeypatch.setenv("KEHU_NOW", "2026-11-20T10:00")
    zh = in_chinese("sale", "李娜", "--product", "ID.4", "--delivered", "2026-12-01")
    assert zh.returncode == 0 and zh.stdout.splitlines()[:2] == [
        "已记录对李娜（#2）的销售：战败客户回头购买（11月16日 周一战败：预算）。",
        "现为已下单的意向客户（O 级），交付后成为保有客户。",
    ]
    kehu.ok("add", "赵六", "--phone", "13900003333", "--prospect", now="2026-11-20T10:00")
    zh = in_chinese("add", "赵六", "--phone", "13900003333", "--product", "Golf")
    assert zh.returncode == 0 and zh.stdout.splitlines()[:2] == [
        "首次成交：赵六（#3）此前是意向客户（同一电话）。",
        "销售：Golf，今天 10:00交付。请在明天 10:00前发感谢信。",
    ]  # delivered now: a customer at once, no word of an order


def test_an_orders_messages_in_chinese_set_its_delivery_unspaced(prospects_book, monkeypatch):
    """What kehu says of an order in Chinese sets its delivery's day and time as every date
    meets Chinese words (将于12月16日 周三 15:00交付, 原定…交付), on a day alone or at a time."""
    monkeypatch.setenv("KEHU_NOW", "2026-11-03T10:00")
    for purchase, name, when, said in (
        (1, "王强", "2026-12-16 15:00", "12月16日 周三 15:00"),
        (2, "李娜", "12月15日", "12月15日 周二"),
    ):
        sold = in_chinese("sale", name, "--product", "Golf", "--delivered", when)
        assert sold.returncode == 0, sold.stderr
        assert sold.stdout.splitlines()[1:] == [
            "现为已下单的意向客户（O 级），交付后成为保有客户。", f"销售：Golf，将于{said}交付。"
        ]  # fmt: skip
        lost = in_chinese("lost", name, "--reason", "预算", now="2026-11-04T10:00")
        assert lost.returncode == 0, lost.stderr
        assert lost.stdout.splitlines()[1].startswith(
            f"订单取消：购买 #{purchase}，Golf，原定{said}交付，已删除"
        )


def test_the_level_table_and_the_day_report_show_o_from_the_sale_to_the_delivery(
    prospects_book, monkeypatch
):
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "12月15日",
            now="2026-11-03T10:00")  # fmt: skip
    kehu.ok("log", "王强", "--note", "insurance", now="2026-11-06T10:00")
    november = kehu.json("prospects", "--month", "2026-11", now="2026-12-01T09:00")
    row = next(p for p in november["prospects"] if p["id"] == 1)
    assert (row["level_at_end"], row["state_at_end"]) == ("O", "ordered")
    assert row["levels_after_contacts"] == [
        {"day": "2026-11-02", "level": "H"}, {"day": "2026-11-03", "level": "O"}]  # fmt: skip
    assert row["planned_days"][:2] == ["2026-11-09", "2026-11-12"]  # O: every 3 days
    assert row["contact_days"] == ["2026-11-06"]
    assert november["counts"]["O"] == 1 and november["counts"]["H"] == 0
    assert november["converted"] == [{"id": 1, "name": "王强", "day": "2026-11-03"}]
    shown = kehu.ok("prospects", "--month", "2026-11", now="2026-12-01T09:00")
    assert [line.split()[-1] for line in shown.splitlines() if line.startswith("1 ")] == ["O"]
    assert "Open prospects by level at the month's end: H 0, A 0, B 1, C 0, O 1" in shown
    december = kehu.json("prospects", "--month", "2026-12", now="2026-12-20T09:00")
    row = next(p for p in december["prospects"] if p["id"] == 1)
    assert (row["level_at_start"], row["state_at_end"], row["state"]) == ("O", "sold", "sold")
    assert row["planned_days"] and max(row["planned_days"]) < "2026-12-15"
    assert december["converted"] == [] and december["counts"]["O"] == 0
    report = kehu.json("report", "day", "2026-11-06", now="2026-11-06T20:00")
    [contact] = report["contacts"]
    assert (contact["level_before"], contact["level_after"]) == ("O", "O")
    assert report["by_level"] == {"O": 1}
    monkeypatch.setenv("KEHU_NOW", "2026-12-01T09:00")
    env = {**os.environ, "KEHU_LANG": "zh"}

    def zh(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kehu", *args], capture_output=True,
                              text=True, env=env)  # fmt: skip

    table = zh("prospects", "--month", "2026-11").stdout
    assert [line.split()[-1] for line in table.splitlines() if line.startswith("1 ")] == ["O"]
    assert "月末各级别未结意向客户：H 0、A 0、B 1、C 0、O 1" in table
    assert "O（已下单，待交付）" in zh("show", "王强").stdout
    assert "O 级意向客户：每 3 天跟进一次" in zh("today").stdout
    refused = zh("log", "王强", "--level", "A")
    assert refused.returncode == BadInput.exit_code
    assert refused.stderr.strip() == "kehu: #1 已下单、等待交付：交付前级别为 O；没有记录"
    kehu.ok("log", "王强", "--note", "after the handover", now="2026-12-16T10:00")
    [after] = kehu.json("report", "day", "2026-12-16", now="2026-12-16T20:00")["contacts"]
    assert (after["level_before"], after["level_after"]) == (None, None)  # a customer now


def _zh(*args: str, now: str) -> subprocess.CompletedProcess[str]:
    """kehu in Chinese, in a process of its own (the interface language is bound at start)."""
    env = {**os.environ, "KEHU_LANG": "zh", "KEHU_NOW": now}
    return subprocess.run([sys.executable, "-m", "kehu", *args], capture_output=True, text=True,
                          env=env)  # fmt: skip


def _ordered(kehu: Any) -> Any:
    """王强 (#1, 王经理) orders on 3 Nov, his delivery booked for 15 Dec."""
    kehu.ok("config", "signature.name", "王磊")
    kehu.ok("edit", "王强", "--gender", "male", "--title", "经理", now="2026-11-02T10:00")
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--amount", "250000", "--delivered",
            "12月15日", now="2026-11-03T10:00")  # fmt: skip
    return kehu


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_ordered_prospects_item_drafts_a_word_about_the_order_not_a_sales_script(
    prospects_book, lang
):
    kehu = _ordered(prospects_book)
    made = kehu.json("draft", "L1", "--lang", lang, now="2026-11-06T09:00")
    assert (made["key"], made["kind"], made["channel"]) == ("L1", "order-follow-up", "sms")
    assert made["text"] == {
        "zh": "王经理，您好！\n您订的 Tiguan L 预计2026年12月15日交付。\n有事随时找我。\n王磊",
        "en": "Hi 王强,\nYour Tiguan L is due for delivery on 15 December 2026.\n"
              "Anything you need, just let me know.\n王磊",
    }[lang]  # fmt: skip
    # Someone still deciding keeps the prospect's script; so does 王强's item before the sale.
    assert kehu.json("draft", "L2", "--lang", lang, now="2026-11-09T09:00")["kind"] == (
        "prospect-follow-up"
    )
    drafted = {
        i["key"]: i["draft"]
        for i in kehu.json("today", "--drafts", now="2026-11-06T09:00")["items"]
    }
    assert "Tiguan L" in drafted["L1"] and "to meet" not in drafted["L1"]
    kehu.ok("done", "L1", "--draft", now="2026-11-06T10:00")
    [note] = kehu.rows("SELECT channel, note FROM contact WHERE customer_id = 1")
    assert note["channel"] == "wechat" and "15 December 2026" in note["note"]


def test_the_order_follow_up_template_is_listed_shown_and_written_for_a_customer(
    prospects_book,
):
    kehu = _ordered(prospects_book)
    listed = kehu.json("template", "list")
    assert {"kind": "order-follow-up", "lang": "zh", "edited": False} in listed
    assert {"kind": "order-follow-up", "lang": "en", "edited": False} in listed
    assert "${交付日期}" in kehu.ok("template", "show", "order-follow-up", "--lang", "zh")
    made = kehu.json("draft", "王强", "--for", "订单跟进", "--lang", "zh", now="2026-11-06T09:00")
    assert made["kind"] == "order-follow-up" and "2026年12月15日交付" in made["text"]
    chinese = _zh("draft", "L1", now="2026-11-06T09:00")
    assert chinese.returncode == 0 and chinese.stdout.startswith("王经理，您好！\n您订的 Tiguan L ")
    assert "车" not in chinese.stdout and "试驾" not in chinese.stdout  # product-neutral
    shown = _zh("template", "show", "订单跟进", now="2026-11-06T09:00")
    assert shown.returncode == 0 and "${称呼}" in shown.stdout


def _order_rows(kehu: Any) -> dict[str, list[dict[str, Any]]]:
    tables = ("purchase", "prospect", "prospect_grade", "prospect_loss", "contact")
    return {t: kehu.rows(f"SELECT * FROM {t} ORDER BY 1") for t in tables}


def test_lost_records_an_ordered_prospects_cancelled_order_and_undo_brings_it_back(
    prospects_book,
):
    kehu = _ordered(prospects_book)
    kehu.ok("edit", "王强", "--interest", "", now="2026-11-03T11:00")  # the card had no model
    kehu.ok("log", "王强", "--note", "paperwork", now="2026-11-06T10:00")
    before = _order_rows(kehu)
    out = kehu.ok("lost", "王强", "--reason", "预算", "--note", "loan refused",
                  now="2026-11-08T10:00")  # fmt: skip
    assert out == (
        "Lost: 王强 (#1), budget.\n"
        "Order cancelled: purchase #1, Tiguan L, to be delivered Tue 15 Dec, is deleted (no "
        "thank-you or call-backs); `kehu undo` brings it back.\n"
    )
    assert kehu.rows("SELECT * FROM purchase") == []
    [prospect] = kehu.rows("SELECT level, interest, converted_at, lost_reason, lost_note"
                           " FROM prospect WHERE customer_id = 1")  # fmt: skip
    assert prospect == {"level": "O", "interest": "Tiguan L", "converted_at": None,
                        "lost_reason": "budget", "lost_note": "loan refused"}  # fmt: skip
    card = kehu.json("show", "王强", now="2026-11-08T10:00")
    assert (card["prospect"]["state"], card["purchases"]) == ("lost", [])
    # The cancelled order leaves nothing to do: no L item, no thank-you at the delivery, no
    # call-back after it; a contact made during the order stays, its level O.
    for day in ("2026-11-12T09:00", "2026-12-15T09:00", "2026-12-23T09:00", "2027-02-01T09:00"):
        assert _items_of(kehu, day, 1) == [], day
    month = kehu.json("prospects", "--month", "2026-11", now="2026-11-30T20:00")
    row = next(p for p in month["prospects"] if p["id"] == 1)
    assert (row["state"], row["level_at_end"]) == ("lost", "O")
    assert row["levels_after_contacts"] == [
        {"day": "2026-11-02", "level": "H"}, {"day": "2026-11-03", "level": "O"}]  # fmt: skip
    assert month["converted"] == [] and [r["id"] for r in month["lost"]] == [1]
    [contact] = kehu.json("report", "day", "2026-11-06", now="2026-11-08T10:00")["contacts"]
    assert (contact["level_before"], contact["level_after"]) == ("O", "O")
    sales = kehu.json("report", "month", "--from", "2026-11-01", now="2026-11-08T10:00")
    assert sales["prospects"]["sold"] == 0
    assert "Undid `lost`" in kehu.ok("undo", now="2026-11-08T10:05")
    assert _order_rows(kehu) == before
    assert _items_of(kehu, "2026-12-15T09:00", 1) == [("T1", None)]


def test_an_order_cancelled_after_a_loss_keeps_that_loss_and_chinese_says_what_was_deleted(
    prospects_book,
):
    kehu = prospects_book
    kehu.ok("lost", "王强", "--reason", "price", now="2026-11-03T09:00")
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "12月15日",
            now="2026-11-05T10:00")  # fmt: skip
    result = _zh("lost", "王强", "--reason", "竞品", now="2026-11-08T10:00")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "订单取消：购买 #1，Tiguan L，原定12月15日 周二交付，已删除（不再有感谢和回访）；"
        "`kehu undo` 可以恢复。"
    )
    card = kehu.json("show", "王强", now="2026-11-08T10:00")["prospect"]
    assert (card["state"], card["lost_reason"]) == ("lost", "competitor")
    assert [(x["reason"], x["reopened_at"][:10]) for x in card["losses"]] == [
        ("price", "2026-11-05")
    ]
    before = kehu.snapshot()
    again = kehu("lost", "王强", "--reason", "other", now="2026-11-09T10:00")
    assert again.code == 0 and "already lost, since 8 Nov" in again.out
    assert kehu.snapshot() == before
    # Delivered, a customer is no prospect to lose: refused as before, nothing written.
    kehu.ok("sale", "李娜", "--product", "Golf", now="2026-11-09T10:00")
    before = kehu.snapshot()
    refused = kehu("lost", "李娜", "--reason", "other", now="2026-11-09T11:00")
    assert refused.code == BadInput.exit_code and "no sale to lose" in refused.err
    assert kehu.snapshot() == before


def test_a_cancelled_orders_planned_days_follow_o_from_the_sale_until_the_loss(prospects_book):
    """Between the sale and the loss of a cancelled order the level is O: its planned contact
    days fall every 3 days from the sale, not at the old level's rhythm (王强 H: every 2), in
    the month of the sale and in a later one (李娜, sold in November, lost in December)."""
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "12月15日",
            now="2026-11-03T10:00")  # fmt: skip
    kehu.ok("lost", "王强", "--reason", "预算", now="2026-11-20T10:00")
    kehu.ok("sale", "李娜", "--product", "Golf", "--delivered", "12月20日",
            now="2026-11-03T11:00")  # fmt: skip
    kehu.ok("lost", "李娜", "--reason", "price", now="2026-12-08T10:00")
    november = kehu.json("prospects", "--month", "2026-11", now="2026-12-01T09:00")
    row = next(p for p in november["prospects"] if p["id"] == 1)
    assert row["planned_days"] == [
        "2026-11-06", "2026-11-09", "2026-11-12", "2026-11-15", "2026-11-18"]  # fmt: skip
    assert row["levels_after_contacts"] == [
        {"day": "2026-11-02", "level": "H"}, {"day": "2026-11-03", "level": "O"}]  # fmt: skip
    marks = "·HO··o··o··o··o··o" + "·" * 12
    shown = kehu.ok("prospects", "--month", "2026-11", now="2026-12-01T09:00")
    [line] = [line for line in shown.splitlines() if line.startswith("1 ")]
    assert line.split()[-2:] == [marks, "lost"]
    chinese = _zh("prospects", "--month", "2026-11", now="2026-12-01T09:00")
    assert chinese.returncode == 0, chinese.stderr
    [line] = [line for line in chinese.stdout.splitlines() if line.startswith("1 ")]
    assert line.split()[-2:] == [marks, "战败"]
    december = kehu.json("prospects", "--month", "2026-12", now="2026-12-31T09:00")
    row = next(p for p in december["prospects"] if p["id"] == 2)
    assert (row["level_at_start"], row["state_at_end"]) == ("O", "lost")
    assert row["planned_days"] == ["2026-12-03", "2026-12-06"]  # 3 Nov + 3 days each
    chinese = _zh("prospects", "--month", "2026-12", now="2026-12-31T09:00")
    [line] = [line for line in chinese.stdout.splitlines() if line.startswith("2 ")]
    assert line.split()[-3:] == ["O", "··o··o" + "·" * 25, "战败"]


def test_done_of_an_ordered_prospects_item_on_the_delivery_day_is_refused(prospects_book):
    """From the delivery's day the list holds the thank-you, not the L item, even before the
    delivery's time: `done L…` says so and logs nothing, in both languages."""
    kehu = prospects_book
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "2026-12-15 14:00",
            now="2026-11-03T10:00")  # fmt: skip
    assert kehu.ok("done", "L1", now="2026-11-06T09:00") == (
        "Done L1: logged call with 王强 (#1).\n"
    )
    assert kehu.ok("done", "L1", now="2026-11-06T09:30") == (
        "L1 is already done: done today 09:00 (logged call follow-up). Nothing changed; "
        "--again logs it anyway.\n"
    )
    assert _items_of(kehu, "2026-12-15T09:00", 1) == [("T1", None)]
    before = kehu.snapshot()
    for now in ("2026-12-15T09:00", "2026-12-16T09:00"):
        result = kehu("done", "L1", now=now)
        assert result.code == 3 and result.err == (
            "kehu: L1 is not on the list: #1's order has reached its delivery day, so they are "
            "a customer now (the thank-you and the call-backs follow); `kehu today` shows the "
            "keys\n"
        ), result
    chinese = _zh("done", "L1", now="2026-12-15T09:00")
    assert chinese.returncode == 3 and chinese.stderr == (
        "kehu: L1 不在清单上：#1 的订单已到交付日，已是保有客户（接下来是感谢和回访）；"
        "`kehu today` 会列出编号\n"
    )
    assert kehu.snapshot() == before


def test_a_lost_prospect_who_comes_back_to_buy_keeps_the_loss_in_its_month(prospects_book):
    """李娜, lost in November (budget), buys in December without a contact that re-graded her
    first: November's table still lists her loss, December's has her lost at its start, with
    no planned contact day before the sale; her card keeps the loss, reopened by the sale.
    Deleting that sale makes her lost again, as she was before it."""
    kehu = prospects_book
    kehu.ok("lost", "李娜", "--reason", "预算", "--note", "等年终奖", now="2026-11-16T10:00")
    out = kehu.ok("sale", "李娜", "--product", "ID.4", "--amount", "180000",
                  now="2026-12-03T11:00")  # fmt: skip
    assert out.splitlines()[0] == (
        "Sale to 李娜 (#2), a lost prospect who came back to buy (lost Mon 16 Nov: budget); a "
        "customer now."
    )
    card = kehu.json("show", "李娜", now="2026-12-03T12:00")["prospect"]
    assert (card["state"], card["lost_at"], card["lost_reason"]) == ("sold", None, None)
    assert card["losses"] == [{
        "lost_at": "2026-11-16T10:00:00+08:00", "reason": "budget", "note": "等年终奖",
        "reopened_at": "2026-12-03T11:00:00+08:00",
    }]  # fmt: skip
    november = kehu.json("prospects", "--month", "2026-11", now="2026-12-03T12:00")
    assert november["lost"] == [
        {"id": 2, "name": "李娜", "reason": "budget", "note": "等年终奖", "day": "2026-11-16"}
    ]
    lina = next(p for p in november["prospects"] if p["id"] == 2)
    assert lina["state_at_end"] == "lost"
    december = kehu.json("prospects", "--month", "2026-12", now="2026-12-31T12:00")
    lina = next(p for p in december["prospects"] if p["id"] == 2)
    assert lina["planned_days"] == [] and lina["state_at_end"] == "sold"
    assert (lina["state_at_start"], lina["level_at_start"]) == ("lost", "B")
    [row] = [x for x in kehu.ok("prospects", "--month", "2026-12", now="2026-12-31T12:00")
             .splitlines() if x.startswith("2 ")]  # fmt: skip
    assert row.split()[3:] == ["lost", "·" * 31, "sold"]
    zh_row = next(x for x in _zh("prospects", "--month", "2026-12", now="2026-12-31T12:00")
                  .stdout.splitlines() if x.startswith("2 "))  # fmt: skip
    assert zh_row.split()[3:] == ["战败", "·" * 31, "成交"]
    assert december["converted"] == [{"id": 2, "name": "李娜", "day": "2026-12-03"}]
    assert december["lost"] == []
    figures = kehu.json("report", "month", "--from", "2026-11-01", now="2026-12-03T12:00")
    assert figures["prospects"]["lost_by_reason"] == {"budget": 1}
    shown = kehu.ok("prospects", "--month", "2026-11", now="2026-12-03T12:00")
    assert "Lost: 李娜 (#2), 16 Nov: budget" in shown.splitlines()
    chinese = _zh("prospects", "--month", "2026-11", now="2026-12-03T12:00")
    assert "战败：李娜（#2），11月16日：预算" in chinese.stdout.splitlines(), chinese
    sold = kehu.ok("prospects", "--month", "2026-12", now="2026-12-31T12:00")
    assert "Sold: 李娜 (#2), 3 Dec" in sold.splitlines(), sold
    [purchase] = kehu.json("show", "李娜", now="2026-12-03T12:00")["purchases"]
    kehu.ok("purchase-delete", str(purchase["id"]), now="2026-12-03T12:05")
    card = kehu.json("show", "李娜", now="2026-12-03T12:10")["prospect"]
    assert (card["state"], card["lost_reason"], card["lost_note"]) == ("lost", "budget", "等年终奖")
    assert card["losses"] == [] and kehu.count("prospect_loss") == 0
    kehu.ok("undo", now="2026-12-03T12:15")
    assert kehu.json("show", "李娜", now="2026-12-03T12:20")["prospect"]["state"] == "sold"


def test_the_level_table_leaves_out_the_calls_after_the_sale(prospects_book):
    """A row's marks are the prospect's contacts: the thank-you after the sale (李娜, sold and
    delivered on the 10th) and the call after an order's delivery (王强, ordered on the 8th,
    delivered on the 15th) are a customer's, not marked `+`; the calls while ordered are. The
    day of a sale is no planned contact day (李娜, A from the 6th: the 10th)."""
    kehu = prospects_book
    kehu.ok("log", "李娜", "--level", "A", now="2026-11-06T10:00")
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "2026-11-15",
            now="2026-11-08T15:00")  # fmt: skip
    kehu.ok("sale", "李娜", "--product", "Golf", now="2026-11-10T10:00")
    kehu.ok("done", "T2", now="2026-11-10T11:00")
    kehu.ok("log", "李娜", "--note", "all well", now="2026-11-17T10:00")
    kehu.ok("log", "王强", "--note", "paperwork", now="2026-11-12T10:00")
    kehu.ok("done", "T1", now="2026-11-16T10:00")
    table = kehu.json("prospects", "--month", "2026-11", now="2026-12-01T10:00")
    rows = {p["id"]: p for p in table["prospects"]}
    assert rows[2]["contact_days"] == ["2026-11-06"]
    assert rows[1]["contact_days"] == ["2026-11-12"]
    shown = kehu.ok("prospects", "--month", "2026-11", now="2026-12-01T10:00")
    marks = {line.split()[0]: line.split()[-2] for line in shown.splitlines()[2:4]}
    assert marks["1"] == "·H·o·o·O··o+" + "·" * 18  # not the thank-you on the 16th
    assert marks["2"] == "·B···A" + "·" * 24


def test_a_grade_logged_before_the_registration_does_not_set_the_months_cadence(prospects_book):
    """李娜, registered at B on 2 Nov, with a call of 20 Oct logged afterwards at H: the level
    in force is B (the latest grade), November's table has her registered in the month (no
    level at its start) with B's planned days from the 2nd, not H's."""
    kehu = prospects_book
    out = kehu.ok("log", "李娜", "--level", "H", "--at", "2026-10-20 10:00",
                  now="2026-11-03T10:00")  # fmt: skip
    assert "Level now B." in out.splitlines()
    table = kehu.json("prospects", "--month", "2026-11", now="2026-11-30T10:00")
    lina = next(p for p in table["prospects"] if p["id"] == 2)
    assert (lina["level_at_start"], lina["state_at_start"]) == (None, None)
    assert lina["planned_days"] == ["2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
    assert [i for i in keys(kehu, "2026-11-09T09:00") if i == "L2"] == ["L2"]


def test_an_online_platforms_lead_is_a_source_of_its_own(kehu, tmp_path):
    """Prospects come from online platforms too (网络: a lead from a car website): a source
    `kehu add` takes in either language and a sheet's 来源 column reads, counted apart in the
    conversion figures."""
    kehu.ok("add", "何", "--phone", "13800138901", "--prospect", "--level", "B",
            "--source", "online", now="2026-11-02T10:00")  # fmt: skip
    kehu.ok("add", "孔", "--phone", "13800138902", "--prospect", "--source", "网络",
            now="2026-11-02T10:00")  # fmt: skip
    sheet = tmp_path / "线索.csv"
    sheet.write_text("姓名,电话,级别,来源\n钱,13800138903,A,线上平台\n", encoding="utf-8")
    kehu.ok("import", str(sheet), now="2026-11-02T10:00")
    assert [kehu.json("show", n)["source"] for n in ("何", "孔", "钱")] == ["online"] * 3
    table = kehu.json("prospects", now="2026-11-03T10:00")
    assert table["conversion"]["by_source"] == {"online": {"prospects": 3, "sales": 0, "lost": 0}}
    zh = _zh("prospects", now="2026-11-03T10:00")
    assert zh.returncode == 0, zh.stderr
    assert [line.split()[2] for line in zh.stdout.splitlines()[2:5]] == ["网络"] * 3
    assert "online" not in zh.stdout


def test_done_of_a_prospects_item_re_grades_them_with_its_contact(prospects_book):
    """`kehu done L1 --level A`: the contact that closes the item grades them, as `kehu log
    --level` does (the level table writes A that day, the next item counts A's 4 days); on
    another kind of item, a greeting or an ordered prospect's item with a level other than O,
    it is refused, nothing written."""
    kehu = prospects_book
    out = kehu.ok("done", "L1", "--level", "ａ", "--note", "试驾", now="2026-11-04T10:00")
    assert out.splitlines() == ["Done L1: logged call with 王强 (#1).", "Level now A."]
    card = kehu.json("show", "王强", now="2026-11-04T10:05")
    assert card["prospect"]["level"] == "A"
    assert card["prospect"]["grades"][-1]["contact_id"] == card["contacts"][0]["id"]
    assert keys(kehu, "2026-11-07T09:00") == []  # A: 4 days from the 4th
    assert keys(kehu, "2026-11-08T09:00") == ["L1"]
    table = kehu.json("prospects", now="2026-11-08T09:00")
    assert table["prospects"][0]["levels_after_contacts"][-1] == {"day": "2026-11-04", "level": "A"}
    kehu.ok("sale", "李娜", "--product", "Golf", now="2026-11-05T10:00")
    kehu.ok("sale", "王强", "--product", "Tiguan L", "--delivered", "2026-12-15",
            now="2026-11-06T10:00")  # fmt: skip
    before = kehu.snapshot()
    for args in (("T1", "--level", "A"), ("L1", "--level", "H"), ("L1", "--level", "X"),
                 ("G1.20261001", "--level", "A")):  # fmt: skip
        refused = kehu("done", *args, now="2026-11-09T10:00")
        assert refused.code == BadInput.exit_code and refused.out == "", (args, refused)
        assert len(refused.err.splitlines()) == 1 and "Traceback" not in refused.err
    assert kehu.snapshot() == before
    zh = _zh("done", "L1", "--level", "O", now="2026-11-09T10:00")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.splitlines()[-1] == "当前级别 O。"
