"""`kehu import --contacts FILE`: past contacts from a spreadsheet, on the customers they name,
all rows or none."""

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from conftest import in_chinese

from kehu.exchange import history

CUSTOMERS = (
    "姓名,手机,购买车型,交车日期\r\n张三,138 0013 8000,凯美瑞,2025/3/15\r\n李四,13900139000,,\r\n"
)
HISTORY = (
    "日期,客户,电话,方式,类型,结果,备注\r\n"
    "2026-11-20 14:30,,138-0013-8000,微信,回访,接通,问了保养\r\n"
    "2026/11/21,李四,,电话,,未接通,\r\n"
    "2026年11月18日,李四,,拜访,问候,,送了挂历\r\n"
)


def _files(tmp_path, history_text=HISTORY):
    customers = tmp_path / "客户.csv"
    customers.write_bytes(CUSTOMERS.encode("gbk"))  # as Chinese Excel saves it
    contacts = tmp_path / "联系记录.csv"
    contacts.write_text(history_text, encoding="utf-8-sig")
    return customers, contacts


def test_customers_and_their_past_contacts_come_in_together(kehu, tmp_path):
    customers, contacts = _files(tmp_path)
    out = kehu.ok("import", str(customers), "--contacts", str(contacts))
    assert "Imported 2 customers." in out and "Added 3 past contacts." in out
    zhang = kehu.json("show", "张三")["contacts"]
    assert [(c["channel"], c["kind"], c["outcome"], c["note"]) for c in zhang] == [
        ("wechat", "follow-up", "reached", "问了保养")
    ]
    assert zhang[0]["at"].startswith("2026-11-20T14:30")
    li = sorted(kehu.json("show", "李四")["contacts"], key=lambda c: c["at"])
    assert [(c["channel"], c["kind"], c["outcome"]) for c in li] == [
        ("visit", "greeting", "reached"),
        ("call", "follow-up", "no-answer"),
    ]
    assert li[1]["at"].startswith("2026-11-21T12:00")  # a day alone is taken as noon


def test_a_row_that_names_no_customer_stops_everything(kehu, tmp_path):
    customers, contacts = _files(tmp_path, HISTORY + "2026-11-19,王五,,电话,,,\r\n")
    kehu.new_book()
    before = kehu.snapshot()
    result = kehu("import", str(customers), "--contacts", str(contacts))
    assert result.code != 0 and "Traceback" not in result.err
    assert "line 5" in result.err and "nothing was imported" in result.err
    assert "王五" not in result.err  # customer data never in error text
    assert kehu.snapshot() == before  # not even the customers of the first file


@pytest.mark.parametrize(
    ("row", "line_says"),
    [
        ("2026-11-19,李四,,飞鸽传书,,,", "channel"),
        ("2099-01-01,李四,,电话,,,", "after now"),
        ("昨天,李四,,电话,,,", "date"),
        ("2026-11-19,,,电话,,,", "name"),
    ],
)
def test_bad_rows_are_named_by_line_and_nothing_is_written(kehu, tmp_path, row, line_says):
    customers, contacts = _files(tmp_path, HISTORY + row + "\r\n")
    kehu.new_book()
    before = kehu.snapshot()
    result = kehu("import", str(customers), "--contacts", str(contacts))
    assert result.code != 0 and "Traceback" not in result.err
    last = result.err.strip().splitlines()[-1]
    assert "line 5" in last and line_says in last
    assert kehu.snapshot() == before


def test_contacts_alone_go_onto_the_book_and_dry_run_writes_nothing(kehu, tmp_path):
    customers, contacts = _files(tmp_path)
    kehu.ok("import", str(customers))
    before = kehu.snapshot()
    assert "3 past contacts will be added" in kehu.ok(
        "import", "--contacts", str(contacts), "--dry-run"
    )
    assert kehu.snapshot() == before
    assert kehu.ok("import", "--contacts", str(contacts)) == "Added 3 past contacts.\n"
    assert len(kehu.json("show", "李四")["contacts"]) == 2
    missing = kehu("import")
    assert missing.code != 0 and "--contacts" in missing.err


def test_an_excel_sheet_of_contacts_with_real_date_cells(kehu, tmp_path):
    customers, _ = _files(tmp_path)
    kehu.ok("import", str(customers))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Customer", "Phone", "Channel", "Outcome", "Note"])
    sheet.append([datetime(2026, 11, 20, 9, 15), "李四", None, "email", "no answer", "quote"])
    path = tmp_path / "history.xlsx"
    book.save(path)
    assert kehu.ok("import", "--contacts", str(path)) == "Added 1 past contact.\n"
    [contact] = kehu.json("show", "李四")["contacts"]
    assert contact["at"].startswith("2026-11-20T09:15") and contact["outcome"] == "no-answer"


def test_the_chinese_interface_words_the_problems(tmp_path):
    customers, contacts = _files(tmp_path, HISTORY + "2026-11-19,王五,,电话,,,\r\n")
    env = {**os.environ, "KEHU_LANG": "zh", "KEHU_DB": str(tmp_path / "k.db")}
    result = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(customers), "--contacts", str(contacts)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and "第 5 行" in result.stderr and "没有客户" in result.stderr


def test_a_bad_date_says_what_is_accepted_not_that_it_is_kept(kehu, tmp_path):
    kehu.ok("add", "王芳")
    contacts = tmp_path / "h.csv"
    contacts.write_text("date,customer,channel\nbad,王芳,fax\n", encoding="utf-8")
    before = kehu.snapshot()
    result = kehu("import", "--contacts", str(contacts))
    assert result.code == 2 and kehu.snapshot() == before
    assert result.err == (
        f"kehu: {contacts}, line 2: the date in date/日期 cannot be read; accepted: 2026-03-15, "
        "2026/3/15, 2026年3月15日, with or without a time (2026-03-15 14:30); "
        "nothing was imported\n"
    )
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", "--contacts", str(contacts)],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert chinese.returncode == 2 and "档案" not in chinese.stderr
    assert "第 2 行：date/日期 里的日期读不懂；可以写：2026-03-15、" in chinese.stderr


TZ = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-15", datetime(2026, 3, 15, 12, tzinfo=TZ)),
        ("2026/3/15 9:05", datetime(2026, 3, 15, 9, 5, tzinfo=TZ)),
        ("2026-03-15T14:30:10", datetime(2026, 3, 15, 14, 30, 10, tzinfo=TZ)),
        ("2026年3月15日 14点30分", datetime(2026, 3, 15, 14, 30, tzinfo=TZ)),
        ("2026年3月15日14:30", datetime(2026, 3, 15, 14, 30, tzinfo=TZ)),
        ("２０２６－０３－１５", datetime(2026, 3, 15, 12, tzinfo=TZ)),
        ("03-15", None),  # no year: not a moment
        ("2026-02-30", None),
        ("2026-03-15 25:00", None),
        ("soon", None),
    ],
)
def test_the_dates_a_contacts_file_may_hold(text, expected):
    assert history._instant(text, TZ) == expected


def test_past_contacts_that_close_snoozed_items_end_their_snoozes_undoably(kehu, tmp_path):
    """As `kehu log` and `contact-edit` do: a reached call closes the call-back it answers, a
    greeting the birthday; their snoozes end with them, and `kehu undo` brings both back. A
    try closes nothing, and its item's snooze runs on."""
    kehu.ok("add", "张三", "--phone", "13800138000", "--product", "凯美瑞", "--delivered",
            "2026-11-01")  # fmt: skip
    kehu.ok("add", "李四", "--phone", "13900139000", "--birthday", "1985-11-24")
    kehu.ok("add", "王五", "--phone", "13700137000", "--product", "雅阁", "--delivered",
            "2026-11-02")  # fmt: skip
    kehu.ok("snooze", "C1.7d", "--until", "2026-11-30", "--reason", "出差")
    kehu.ok("snooze", "B1", "--until", "2026-11-24T08:00")
    kehu.ok("snooze", "C2.7d", "--until", "2026-11-30")
    contacts = tmp_path / "联系记录.csv"
    contacts.write_text(
        "日期,客户,方式,类型,结果,备注\n"
        "2026-11-22 09:00,张三,电话,回访,接通,车很好\n"
        "2026-11-22 09:10,李四,微信,问候,接通,生日快乐\n"
        "2026-11-22 09:20,王五,电话,回访,未接通,\n",
        encoding="utf-8",
    )

    def snoozes():
        return [r["key"] for r in kehu.rows("SELECT key FROM snooze ORDER BY key")]

    assert snoozes() == ["B1", "C1.7d", "C2.7d"]
    kehu.ok("import", "--contacts", str(contacts))
    assert snoozes() == ["C2.7d"]  # the try closed nothing
    assert [e["kind"] for e in kehu.json("calendar", "--days", "10")["events"]
            if e["kind"] == "snooze-end"] == ["snooze-end"]  # fmt: skip
    undone = kehu.ok("undo")
    assert "3 contacts removed; 2 snoozes restored" in undone
    assert snoozes() == ["B1", "C1.7d", "C2.7d"]


@pytest.mark.skipif(bool(os.environ.get("KEHU_TEST_DATABASE_URL")), reason="a SQLite book file")
def test_past_contacts_alone_without_a_book_say_there_is_none(kehu, tmp_path):
    book = os.environ["KEHU_DB"]
    customers, contacts = _files(tmp_path)
    for env in ({}, {"KEHU_LANG": "zh"}):
        done = subprocess.run(
            [sys.executable, "-m", "kehu", "import", "--contacts", str(contacts), "--yes"],
            env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 6 and len(done.stderr.splitlines()) == 1, done
        said = f"{book} 没有 kehu 客户簿" if env else f"no kehu book at {book} (KEHU_DB says so)"
        assert done.stderr.startswith(f"kehu: {said}"), done
        assert not os.path.exists(book) and not os.path.exists(os.path.dirname(book))
    out = kehu.ok("import", str(customers), "--contacts", str(contacts), "--yes")
    assert "Imported 2 customers." in out and "Added 3 past contacts." in out  # as README says


@pytest.mark.skipif(bool(os.environ.get("KEHU_TEST_DATABASE_URL")), reason="a SQLite book file")
def test_without_a_book_past_contacts_alone_say_so_whatever_the_file(kehu, tmp_path):
    # no book: that is what is said, before the file is read, and nothing is made
    book = os.environ["KEHU_DB"]
    _customers, good = _files(tmp_path)
    no_header = tmp_path / "no_header.csv"
    no_header.write_text("x\n1\n", encoding="utf-8")
    missing = tmp_path / "missing.csv"
    said = f"kehu: no kehu book at {book} (KEHU_DB says so)"
    for path in (missing, no_header, good):
        for dry_run in ((), ("--dry-run",)):
            done = kehu("import", "--contacts", str(path), *dry_run)
            assert done.code == 6 and done.err.startswith(said), (path, dry_run, done)
            assert len(done.err.splitlines()) == 1 and done.out == "", done
            assert not os.path.exists(book) and not os.path.exists(os.path.dirname(book))
    chinese = in_chinese("import", "--contacts", str(missing))
    assert chinese.returncode == 6, chinese
    assert chinese.stderr.startswith(f"kehu: {book} 没有 kehu 客户簿"), chinese
    assert not os.path.exists(book)
