"""Import of sheets as WPS Office, LibreOffice and Chinese Excel save them: titles and a header
over two rows with merged cells, an empty first column, row numbers, a total row and notes under
the table, trailing empty rows, dates and phones and amounts as people type them."""

import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from test_bad_input import refused

HEADER = ["序号", "姓名", "手机", "车型", "成交价", "交车日期", "生日", "备注"]
ROWS = [
    [1, "张总", 13800138000, "途观L", "¥158,000", 46086, datetime(1985, 3, 5), "老客户"],
    [2, "王经理", "+86 139 0013 9000", "帕萨特", "15.8万", "2026/11/5", "1985年3月5日", ""],
    [3, "李四", "138-0013-8001/139-0013-9001", "朗逸", "120000元", "2026年11月5日", "19850305", ""],
    [4, "赵六", "13700137000 13600136000", "Polo", "￥9.8万元", "20261105", "", ""],
    [5, "钱七", "13500135000", "Polo", "98000", "2026年11月5号", "3月5号", ""],
]
# What each row becomes: name, phone, the second phone (a profile fact), purchase, birthday.
STORED = [
    ("张总", "13800138000", None, ("途观L", 158000.0, "2026-03-05"), "1985-03-05"),
    ("王经理", "+86 139 0013 9000", None, ("帕萨特", 158000.0, "2026-11-05"), "1985-03-05"),
    ("李四", "138-0013-8001", "139-0013-9001", ("朗逸", 120000.0, "2026-11-05"), "1985-03-05"),
    ("赵六", "13700137000", "13600136000", ("Polo", 98000.0, "2026-11-05"), None),
    ("钱七", "13500135000", None, ("Polo", 98000.0, "2026-11-05"), "03-05"),
]


def wps_sheet(path: Path) -> Path:
    """A sheet as salespeople keep it in WPS: an empty first column, a title and a line under it
    merged across the table, a row of groups (客户信息 | 购车信息 | 其他) merged over the
    columns' names, a total row with the sum, and empty rows with formatting left below."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([None, "2026年客户名单"])
    sheet.merge_cells("B1:I1")
    sheet.append([None, "销售顾问：（本人） 导出日期：2026-11-20"])
    sheet.merge_cells("B2:I2")
    sheet.append([None, "客户信息", None, None, "购车信息", None, None, "其他", None])
    for cells in ("B3:D3", "E3:G3", "H3:I3"):
        sheet.merge_cells(cells)
    sheet.append([None, *HEADER])
    for row in ROWS:
        sheet.append([None, *row])
    sheet.append([None, "合计", None, None, None, 532000, None, None, None])
    sheet.merge_cells("B10:E10")
    for row in range(11, 16):  # formatted, never filled
        sheet.cell(row=row, column=3).font = Font(bold=True)
    book.save(path)
    return path


def gbk_csv(path: Path) -> Path:
    """The same sheet saved as CSV by Excel on Chinese Windows: GBK without a BOM, CRLF, the
    merged cells' text in their first cell, dates and numbers as the cells show them."""
    lines = [
        ",2026年客户名单,,,,,,,,",
        ",销售顾问：（本人） 导出日期：2026-11-20,,,,,,,,",
        ",客户信息,,,购车信息,,,其他,",
        "," + ",".join(HEADER),
    ]
    shown = {13800138000: "13800138000", 46086: "2026/3/5", datetime(1985, 3, 5): "1985/3/5 0:00"}
    for row in ROWS:
        cells = [shown.get(c, str(c)) if not isinstance(c, str) else c for c in row]
        cells = [c.replace("¥", "￥") for c in cells]  # GBK has only the full-width sign
        lines.append("," + ",".join(f'"{c}"' if "," in c else c for c in cells))
    lines += [",合计,,,,532000,,,", ",,,,,,,,", ",,,,,,,,"]
    path.write_bytes("".join(line + "\r\n" for line in lines).encode("gbk"))
    return path


def stored(kehu: Any) -> list[tuple[Any, ...]]:
    found = []
    for listed in kehu.json("list"):
        card = kehu.json("show", str(listed["id"]))
        [bought] = card["purchases"]
        sale = (bought["product"], bought["amount"], bought["delivered_at"][:10])
        found.append((card["name"], card["phone"], card["profile"].get("phone 2"), sale,
                      card["birthday"]))  # fmt: skip
        assert set(card["profile"]) <= {"phone 2"}, card["profile"]  # 序号 is not kept
    return found


def test_a_wps_sheet_imports_as_the_salesperson_reads_it(kehu: Any, tmp_path: Path) -> None:
    path = wps_sheet(tmp_path / "客户名单.xlsx")
    kehu.new_book()
    before = kehu.snapshot()
    preview = kehu("import", str(path), "--dry-run")
    assert preview.code == 0, preview
    assert "  序号 → not imported\n  姓名 → name\n  手机 → phone\n" in preview.out
    assert "  line 5: name=张总; phone=13800138000; birthday=1985-03-05;" in preview.out
    assert preview.out.rstrip().endswith("\n5 rows to import.")
    warning = f"kehu: warning: {path}, line 10: a total row (合计, 小计…), not a customer: skipped"
    assert preview.err.splitlines() == [warning]
    assert kehu.snapshot() == before  # the preview wrote nothing
    result = kehu("import", str(path), "--yes")
    assert (result.code, result.err.splitlines()) == (0, [warning]), result
    assert "Imported 5 customers." in result.out
    assert stored(kehu) == STORED


def test_the_same_sheet_as_a_gbk_csv_from_chinese_excel_imports_alike(
    kehu: Any, tmp_path: Path
) -> None:
    path = gbk_csv(tmp_path / "客户名单.csv")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = kehu("import", str(path), "--yes")
    assert result.code == 0, result
    assert result.err == f"kehu: warning: {path}, line 10: a total row (合计, 小计…), not a " \
        "customer: skipped\n"  # fmt: skip
    assert stored(kehu) == STORED


def libreoffice_sheet(path: Path) -> Path:
    """A header over two rows as LibreOffice saves it: 姓名 and 生日 merged down over both, 联系方式
    merged across 手机 and 微信 in the row below; a note of one cell under the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "联系方式", None, "生日"])
    sheet.append([None, "手机", "微信", None])
    for cells in ("A1:A2", "B1:C1", "D1:D2"):
        sheet.merge_cells(cells)
    sheet.append(["张伟", "13800138000", "zw_001", "1985年3月5号"])
    sheet.append(["李娜", "13900139000", None, None])
    sheet.append([])
    sheet.append(["制表人：（本人）"])
    book.save(path)
    return path


def test_a_header_merged_over_two_rows_is_one_header(kehu: Any, tmp_path: Path) -> None:
    path = libreoffice_sheet(tmp_path / "名单.xlsx")
    preview = kehu("import", str(path), "--dry-run")
    assert preview.code == 0, preview
    assert "  姓名 → name\n  手机 → phone\n  微信 → wechat\n  生日 → birthday\n" in preview.out
    assert "  line 3: name=张伟; phone=13800138000; wechat=zw_001; birthday=1985-03-05" in (
        preview.out
    )
    note = f"kehu: warning: {path}, line 6: a note under the table (制表人：, 备注：…), not a "
    assert preview.err == note + "customer: skipped\n"
    kehu("import", str(path), "--yes")
    assert [(c["name"], c["phone"]) for c in kehu.json("list")] == [
        ("张伟", "13800138000"),
        ("李娜", "13900139000"),
    ]
    zhang = kehu.json("show", "张伟")
    assert (zhang["wechat"], zhang["birthday"], zhang["profile"]) == ("zw_001", "1985-03-05", {})


def test_a_first_data_row_is_never_taken_for_part_of_the_header(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"  # a customer whose note is a header word: still a customer
    path.write_text("姓名,手机,备注\n张伟,13800138000,微信\n", encoding="utf-8")
    kehu.ok("import", str(path), "--yes")
    assert kehu.json("show", "张伟")["notes"] == "微信"


def _declared_size(path: Path, size: str) -> None:
    """Rewrite the size the sheet declares (<dimension ref=…>), as many exporters get it wrong."""
    original = path.read_bytes()
    out = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{size}"/>'
                                  .encode(), data)  # fmt: skip
                assert n == 1
            zout.writestr(item, data)
    out.replace(path)
    assert path.read_bytes() != original


def test_a_sheet_that_declares_a_wrong_size_is_read_whole(kehu: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "车型", "备注"])
    for n in range(5):
        sheet.append([f"客户{n}", f"1380013800{n}", "Polo", f"备注{n}"])
    path = tmp_path / "系统导出.xlsx"
    book.save(path)
    _declared_size(path, "A1:B2")  # two columns, two rows: read-only openpyxl stops there
    result = kehu("import", str(path), "--yes")
    assert result.code == 0, result
    customers = [kehu.json("show", f"客户{n}") for n in range(5)]
    assert [(c["phone"], c["notes"], c["purchases"][0]["product"]) for c in customers] == [
        (f"1380013800{n}", f"备注{n}", "Polo") for n in range(5)
    ]


def test_map_names_a_column_without_a_header_by_its_number(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("姓名,手机,\n张伟,13800138000,zw_001\n", encoding="utf-8")
    assert "  #3 → profile fact\n" in kehu.ok("import", str(path), "--dry-run")
    kehu.ok("add", "王五")
    before = kehu.snapshot()
    message = refused(kehu, 2, "import", str(path), "--map", "#4=wechat", "--yes")
    assert (
        message
        == "kehu: --map names a column the file does not have: #4; its columns: 姓名, 手机, #3"
    )
    assert kehu.snapshot() == before
    out = kehu.ok("import", str(path), "--map", "＃3=wechat", "--dry-run")
    assert "  #3 → wechat\n" in out and "wechat=zw_001" in out
    kehu.ok("import", str(path), "--map", "#3=wechat", "--yes")
    assert kehu.json("show", "张伟")["wechat"] == "zw_001"


def test_an_unreadable_amount_is_refused_without_showing_it(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text(
        "姓名,手机,车型,成交价\n张伟,13800138000,Polo,15.8万（含税）\n李娜,13900139000,Polo,-98765\n",
        encoding="utf-8",
    )
    kehu.ok("add", "王五")
    before = kehu.snapshot()
    result = kehu("import", str(path), "--yes")
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.splitlines() == [
        f"kehu: {path}, line 2: can't read the amount; accepted: 158000, 158,000.50, 15.8万",
        f"kehu: {path}, line 3: the amount is negative; give 0 or more; nothing was imported",
    ]
    assert "含税" not in result.err and "98765" not in result.err
    assert kehu.snapshot() == before


def test_a_total_row_of_a_contacts_file_is_skipped(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    path = tmp_path / "联系记录.csv"
    path.write_bytes(
        "日期,客户,方式,备注\r\n2026年11月20号,张伟,电话,问了保养\r\n合计,1 次,,\r\n".encode("gbk")
    )
    result = kehu("import", "--contacts", str(path), "--yes")
    assert result.code == 0, result
    assert result.err == (
        f"kehu: warning: {path}, line 3: a total row (合计, 小计…), not a customer: skipped\n"
    )
    [contact] = kehu.json("show", "张伟")["contacts"]
    assert (contact["at"][:10], contact["note"]) == ("2026-11-20", "问了保养")


def test_the_chinese_warnings_for_rows_under_the_table(kehu: Any, tmp_path: Path) -> None:
    path = wps_sheet(tmp_path / "客户名单.xlsx")
    other = libreoffice_sheet(tmp_path / "名单.xlsx")
    env = {**os.environ, "KEHU_LANG": "zh"}
    for sheet, line, words in (
        (path, 10, "合计行（合计、小计…），不是客户：已跳过"),
        (other, 6, "表格下方的说明（制表人：、备注：…），不是客户：已跳过"),
    ):
        chinese = subprocess.run([sys.executable, "-m", "kehu", "import", str(sheet), "--dry-run"],
                                 env=env, capture_output=True, text=True)  # fmt: skip
        assert chinese.returncode == 0, chinese.stderr
        assert f"第 {line} 行：{words}" in chinese.stderr


def test_a_blank_first_sheet_gives_way_to_the_list(kehu: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"  # left blank, as a new workbook has it
    sheet = book.create_sheet("客户")
    sheet.append(["姓名", "手机"])
    sheet.append(["张伟", 13800138000])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    assert "line 2: name=张伟; phone=13800138000" in kehu.ok("import", str(path), "--dry-run")
    kehu.ok("import", str(path), "--yes")
    assert [c["name"] for c in kehu.json("list")] == ["张伟"]
    blank = openpyxl.Workbook()
    blank.create_sheet("Sheet2")
    blank.save(path)
    kehu.ok("add", "王五")
    message = refused(kehu, 2, "import", str(path), "--yes")
    assert message.endswith("line 1: no header row (an empty file or sheet, or not a spreadsheet)"
                            "; nothing was imported")  # fmt: skip
