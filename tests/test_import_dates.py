"""The dates of sales as files and commands give them: a delivery with a time keeps its time,
a day alone is stored as `kehu add --delivered DAY` stores it (that day, no time of day)."""

import os
import subprocess
import sys
from datetime import datetime

import openpyxl


def _sheet(path, header, *rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


AT_TEN = ["王芳", "13800138000", "Golf", datetime(2026, 9, 1, 10, 0)]  # a real date-time cell


def test_a_delivery_with_a_time_imports_from_excel_and_csv_and_keeps_its_time(kehu, tmp_path):
    xlsx = _sheet(tmp_path / "a.xlsx", ["姓名", "电话", "产品", "交付日期"], AT_TEN)
    text = _sheet(tmp_path / "b.xlsx", ["name", "phone", "product", "purchase date"],
                  ["Li", "13800138001", "Polo", "2026-09-02 14:30"])  # fmt: skip
    csv = tmp_path / "c.csv"
    csv.write_text(
        "姓名,电话,产品,交车日期\n李雷,13900139000,Golf,2026/9/3 9:05\n", encoding="utf-8"
    )
    for path in (xlsx, text, csv):
        assert kehu.ok("import", str(path)) == "Imported 1 customer.\n"
    delivered = {
        name: kehu.json("show", name)["purchases"][0]["delivered_at"]
        for name in ("王芳", "Li", "李雷")
    }
    assert delivered == {
        "王芳": "2026-09-01T10:00:00+08:00",
        "Li": "2026-09-02T14:30:00+08:00",
        "李雷": "2026-09-03T09:05:00+08:00",
    }
    assert "delivered Tue 1 Sep 10:00" in kehu.ok("show", "王芳")


def test_in_chinese_an_excel_delivery_with_a_time_imports(isolated, tmp_path):
    xlsx = _sheet(tmp_path / "a.xlsx", ["姓名", "电话", "产品", "交付日期"], AT_TEN)
    done = subprocess.run([sys.executable, "-m", "kehu", "import", str(xlsx)],
                          env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True,
                          text=True)  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "已导入 1 位客户。\n", "")


def test_an_unreadable_delivery_names_the_forms_with_a_time(kehu, tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("姓名,产品,交车日期\n李雷,Golf,2026-09-03 25:00\n", encoding="utf-8")
    before = kehu.snapshot()
    result = kehu("import", str(csv))
    assert result.code == 2 and kehu.snapshot() == before
    assert "with or without a time (2026-03-15 14:30); nothing was imported" in result.err


def test_a_delivery_day_alone_is_stored_as_add_stores_it(kehu, tmp_path):
    kehu.ok("add", "甲", "--phone", "13800138000", "--product", "Polo", "--delivered",
            "2026-11-20")  # fmt: skip
    csv = tmp_path / "c.csv"
    csv.write_text("姓名,电话,产品,交车日期\n乙,13900139000,Polo,2026-11-20\n", encoding="utf-8")
    kehu.ok("import", str(csv))
    added, imported = (kehu.json("show", n)["purchases"][0] for n in ("甲", "乙"))
    assert added["delivered_at"] == imported["delivered_at"] == "2026-11-20T00:00:00+08:00"
    card = kehu.ok("show", "乙")
    assert "delivered Fri 20 Nov\n" in card and "12:00" not in card
    thanks = [i for i in kehu.json("today")["items"] if i["kind"] == "thank-you"]
    assert [i["reason"] for i in thanks] == [
        "Delivered Polo Fri 20 Nov — the thank-you note was due by the end of yesterday"
    ] * 2


def test_purchase_edit_stores_a_delivery_day_alone_without_the_clock_time(kehu):
    kehu.ok("add", "甲", "--product", "Polo")
    kehu.ok("purchase-edit", "1", "--delivered", "2026-11-20", now="2026-11-22T14:37")
    assert kehu.json("show", "甲")["purchases"][0]["delivered_at"] == "2026-11-20T00:00:00+08:00"
    kehu.ok("purchase-edit", "1", "--delivered", "2026-11-21 16:00")
    assert kehu.json("show", "甲")["purchases"][0]["delivered_at"] == "2026-11-21T16:00:00+08:00"


def test_purchase_edit_stores_a_sale_day_alone_without_the_clock_time(kehu):
    kehu.ok("add", "甲", "--product", "Polo")
    kehu.ok("purchase-edit", "1", "--sold", "2026-11-20", "--delivered", "2026-11-20",
            now="2026-11-22T14:37")  # fmt: skip
    sale = kehu.json("show", "甲")["purchases"][0]
    assert sale["sold_at"] == sale["delivered_at"] == "2026-11-20T00:00:00+08:00"
    kehu.ok("purchase-edit", "1", "--sold", "2026-11-19 16:00")
    assert kehu.json("show", "甲")["purchases"][0]["sold_at"] == "2026-11-19T16:00:00+08:00"


def test_a_sale_delivered_in_the_past_is_dated_by_its_delivery_as_import_dates_it(kehu, tmp_path):
    kehu.ok("add", "甲", "--product", "Polo", "--delivered", "2026-11-20")
    kehu.ok("add", "乙", "--product", "Golf")
    kehu.ok("sale", "乙", "--product", "Tiguan", "--delivered", "2026-11-21 15:00")
    kehu.ok("sale", "乙", "--product", "Passat", "--delivered", "2026-11-25 10:00")  # booked
    csv = tmp_path / "c.csv"
    csv.write_text("姓名,产品,交车日期\n丙,Polo,2026-11-20\n", encoding="utf-8")
    kehu.ok("import", str(csv))
    sold = {
        (name, p["product"]): (p["sold_at"], p["delivered_at"])
        for name in ("甲", "乙", "丙")
        for p in kehu.json("show", name)["purchases"]
    }
    assert sold == {
        ("甲", "Polo"): ("2026-11-20T00:00:00+08:00", "2026-11-20T00:00:00+08:00"),
        ("乙", "Golf"): ("2026-11-22T10:00:00+08:00", "2026-11-22T10:00:00+08:00"),
        ("乙", "Tiguan"): ("2026-11-21T15:00:00+08:00", "2026-11-21T15:00:00+08:00"),
        ("乙", "Passat"): ("2026-11-22T10:00:00+08:00", "2026-11-25T10:00:00+08:00"),
        ("丙", "Polo"): ("2026-11-20T00:00:00+08:00", "2026-11-20T00:00:00+08:00"),
    }
    assert "  #1  Fri 20 Nov  Polo  delivered Fri 20 Nov\n" in kehu.ok("show", "甲")
    assert kehu.json("report", "day")["totals"]["sales"] == 2  # Golf and the booked Passat
    days = {d["date"]: d["sales"] for d in kehu.json("report", "week", "--from", "2026-11-16",
                                                      "--to", "2026-11-22")["days"]}  # fmt: skip
    assert (days["2026-11-20"], days["2026-11-21"], days["2026-11-22"]) == (2, 1, 2)
