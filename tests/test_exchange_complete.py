"""What `kehu export` writes to CSV, Excel and vCards comes back whole through `kehu import` into
an empty book: every date of a customer's (with its year, lunar or solar, its label and note), a
lost prospect (战败) with the reason, and an ordered prospect with the sale waiting for its
delivery. A sheet's 战败 rows are lost prospects, and one without its reason is refused."""

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import sqlite_only


def table(path: Path) -> list[dict[str, Any]]:
    """The exported file's rows, as a spreadsheet shows them (a CSV as Excel opens it: UTF-8
    with its BOM)."""
    if path.suffix == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    sheet = openpyxl.load_workbook(path).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def dates_of_the_book(kehu: Any) -> list[dict[str, Any]]:
    """`kehu date list --json` without the dates' own ids (numbers of the book they are in)."""
    return [{k: v for k, v in d.items() if k != "id"} for d in kehu.json("date", "list")]


def into_an_empty_book(kehu: Any, path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("KEHU_DB", str(path.parent / f"empty-{path.suffix[1:]}.db"))
    assert kehu.ok("import", str(path)) == "Imported 2 customers and 1 prospect.\n"


def a_book_with_everything(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800000001", "--birthday", "1985-03-15")
    kehu.ok("date", "add", "张伟", "wedding", "2010-10-01", "--note", "结婚纪念")
    kehu.ok("date", "add", "张伟", "child-birthday", "2015-06-01", "--note", "儿子小明")
    kehu.ok("date", "add", "张伟", "child-birthday", "农历2020年闰四月初八")
    kehu.ok("date", "add", "张伟", "company", "06-18")
    kehu.ok("date", "add", "张伟", "other", "03-01", "--label", "入职纪念日")
    kehu.ok("date", "add", "张伟", "other", "农历八月十五", "--label", "开业",
            "--note", "老店(一号)")  # fmt: skip
    kehu.ok("date", "add", "张伟", "other", "05-05")
    kehu.ok("date", "add", "张伟", "birthday", "农历1985年正月廿五")
    kehu.ok("date", "add", "张伟", "birthday", "07-07", "--note", "身份证上的")
    kehu.ok("add", "李娜", "--phone", "13800000002", "--prospect", "--level", "B",
            "--interest", "凯美瑞")  # fmt: skip
    kehu.ok("lost", "李娜", "--reason", "竞品", "--note", "买了雅阁", now="2026-11-10T15:30")
    kehu.ok("add", "王强", "--phone", "13800000003", "--prospect", "--level", "H",
            "--interest", "汉兰达", now="2026-11-01T09:00")  # fmt: skip
    kehu.ok("sale", "王强", "--product", "汉兰达", "--amount", "268000",
            "--delivered", "2026-12-05", now="2026-11-18T11:00")  # fmt: skip


def prospect_of(kehu: Any, name: str) -> dict[str, Any]:
    p = kehu.json("show", name)["prospect"]
    keys = ("state", "lost_at", "lost_reason", "lost_note", "converted_at", "interest")
    return {k: p[k] for k in keys} | {"shown_level": p["level"]}


@sqlite_only  # a second book is a second SQLite file
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_date_a_lost_and_an_ordered_prospect_come_back_from_a_table(
    kehu, tmp_path, monkeypatch, suffix
):
    a_book_with_everything(kehu)
    dates = dates_of_the_book(kehu)
    lost, ordered = prospect_of(kehu, "李娜"), prospect_of(kehu, "王强")
    purchases = kehu.json("show", "王强")["purchases"]
    path = tmp_path / f"c{suffix}"
    assert kehu("export", str(path)).code == 0
    rows = {row["name"]: row for row in table(path)}
    quote = "'" if suffix == ".csv" else ""  # a CSV cell starting with - is kept from formulas
    zhang = rows["张伟"]
    assert {k: zhang[k] for k in (
        "wedding_anniversary", "child_birthday", "child_birthday 2", "company_anniversary",
        "date", "date:入职纪念日", "date:开业", "birthday 2", "lunar_birthday",
    )} == {
        "wedding_anniversary": "2010-10-01 (结婚纪念)", "child_birthday": "2015-06-01 (儿子小明)",
        "child_birthday 2": "2020年闰四月初八", "company_anniversary": f"{quote}--06-18",
        "date": f"{quote}--05-05", "date:入职纪念日": f"{quote}--03-01",
        "date:开业": "八月十五 (老店(一号))", "birthday 2": f"{quote}--07-07 (身份证上的)",
        "lunar_birthday": "1985年正月廿五",
    }  # fmt: skip
    li, wang = rows["李娜"], rows["王强"]
    assert (li["level"], li["lost_reason"], li["lost_note"], li["lost_at"]) == (
        "lost", "competitor", "买了雅阁", "2026-11-10 15:30")  # fmt: skip
    assert {k: wang[k] for k in ("level", "product", "amount", "sold_at", "delivered")} == {
        "level": "O", "product": "汉兰达", "amount": "268000", "sold_at": "2026-11-18 11:00",
        "delivered": "2026-12-05",
    }  # fmt: skip

    into_an_empty_book(kehu, path, monkeypatch)
    assert dates_of_the_book(kehu) == dates
    assert prospect_of(kehu, "李娜") == lost | {"shown_level": "N"}  # the level before: unknown
    assert prospect_of(kehu, "王强") == ordered
    assert ordered["state"] == "ordered" and ordered["shown_level"] == "O"
    assert kehu.json("show", "王强")["purchases"] == purchases
    assert kehu.json("show", "张伟")["profile"] == {}  # nothing left over as a fact


@sqlite_only
def test_a_lost_and_an_ordered_prospect_come_back_from_vcards(kehu, tmp_path, monkeypatch):
    a_book_with_everything(kehu)
    lost, ordered = prospect_of(kehu, "李娜"), prospect_of(kehu, "王强")
    path = tmp_path / "c.vcf"
    assert kehu("export", str(path)).code == 0
    assert "\nX-KEHU-LEVEL:lost\n" in path.read_text(encoding="utf-8")
    into_an_empty_book(kehu, path, monkeypatch)
    assert prospect_of(kehu, "李娜") == lost | {"shown_level": "N"}
    assert prospect_of(kehu, "王强") == ordered


def test_a_customer_sold_to_is_exported_without_a_prospects_level(kehu, tmp_path):
    kehu.ok("add", "王强", "--prospect", "--level", "H", now="2026-11-01T09:00")
    kehu.ok("sale", "王强", "--product", "汉兰达", "--delivered", "2026-11-05",
            now="2026-11-02T09:00")  # fmt: skip
    assert kehu("export", str(tmp_path / "c.csv")).code == 0
    [row] = table(tmp_path / "c.csv")
    assert (row["level"], row["interest"], row["product"], row["delivered"]) == ("", "", "", "")


def test_a_sheets_lost_row_is_a_lost_prospect_with_its_reason(kehu, tmp_path):
    sheet = tmp_path / "意向.csv"
    sheet.write_text(
        "姓名,电话,级别,意向车型,战败原因,战败说明,战败日期\n"
        "赵六,13900000001,战败,雅阁,预算不足,首付不够,2026-10-03\n"
        "钱七,13900000002,F,,嫌油耗高,,\n"
        "孙八,13900000003,lost,,unreachable,,2026-11-01 14:00\n",
        encoding="utf-8",
    )
    preview = kehu.ok("import", str(sheet), "--dry-run")
    assert "level=lost; lost_reason=budget; lost_note=首付不够; lost_at=2026-10-03 00:00" in preview
    assert kehu.ok("import", str(sheet)) == "Imported 3 prospects.\n"
    assert prospect_of(kehu, "赵六") | {"interest": None} == {
        "state": "lost", "lost_at": "2026-10-03T00:00:00+08:00", "lost_reason": "budget",
        "lost_note": "首付不够", "converted_at": None, "interest": None, "shown_level": "N",
    }  # fmt: skip
    # words of one's own are the reason other, kept as the note
    assert prospect_of(kehu, "钱七")["lost_reason"] == "other"
    assert prospect_of(kehu, "钱七")["lost_note"] == "嫌油耗高"
    assert prospect_of(kehu, "钱七")["lost_at"] == "2026-11-22T10:00:00+08:00"  # when imported
    assert prospect_of(kehu, "孙八")["lost_at"] == "2026-11-01T14:00:00+08:00"
    assert all(kehu.json("show", n)["profile"] == {} for n in ("赵六", "钱七", "孙八"))
    # a lost prospect is not on the daily list
    assert not [i for i in kehu.json("today")["items"] if i["kind"] == "prospect"]


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        ("战败,,", "needs its reason, in a lost_reason (战败原因) column"),
        ("战败,竞品,2026-13-01", "can't read the day they were lost (lost_at)"),
        ("战败,竞品,2026-12-01", "the day they were lost (lost_at) is after today"),
    ],
)
def test_a_lost_row_without_its_reason_or_with_a_bad_day_is_refused(kehu, tmp_path, cells, says):
    kehu.ok("add", "张伟", "--phone", "13800000001")
    sheet = tmp_path / "意向.csv"
    sheet.write_text(
        f"姓名,电话,级别,战败原因,战败日期\n赵六,13900000001,A,,\n钱七,13900000002,{cells}\n",
        encoding="utf-8",
    )
    before = kehu.snapshot()
    result = kehu("import", str(sheet))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"kehu: {sheet}, line 3: ") and says in result.err
    assert result.err.endswith("; nothing was imported\n") and result.err.count("\n") == 1
    assert "钱七" not in result.err and "Traceback" not in result.err
    assert kehu.snapshot() == before


def test_a_lost_row_with_a_sale_is_a_customers_and_keeps_its_level_as_a_fact(kehu, tmp_path):
    sheet = tmp_path / "a.csv"
    sheet.write_text("姓名,级别,购买车型,交车日期\n赵六,战败,雅阁,2026-10-03\n", encoding="utf-8")
    kehu.ok("import", str(sheet))
    card = kehu.json("show", "赵六")
    assert card["prospect"] is None and card["profile"] == {"level": "战败"}


def test_in_chinese_a_lost_row_without_its_reason_is_refused_in_chinese(isolated, tmp_path):
    sheet = tmp_path / "意向.csv"
    sheet.write_text("姓名,级别\n赵六,战败\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kehu", "import", str(sheet)],
                          env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert "第 2 行" in done.stderr and "战败原因" in done.stderr and "需要" in done.stderr


def test_an_update_fills_a_known_customers_missing_dates_with_their_notes(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800000001")
    kehu.ok("add", "李娜", "--phone", "13800000002")
    kehu.ok("date", "add", "李娜", "child-birthday", "2016-08-08", "--note", "女儿")
    path = tmp_path / "c.csv"
    assert kehu("export", str(path)).code == 0
    kehu.ok("date", "delete", "1")
    kehu.ok("import", str(path), "--on-duplicate", "update")
    [date] = kehu.json("date", "list")
    assert (date["customer_name"], date["kind"], date["year"], date["note"]) == (
        "李娜", "child-birthday", 2016, "女儿")  # fmt: skip
