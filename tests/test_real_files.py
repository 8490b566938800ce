"""Import of the files salespeople really have: sheets with a title above the header, CSV as
Excel saves it, phones Excel has mangled."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from conftest import in_chinese
from test_bad_input import refused


def test_a_sheet_with_a_title_row_above_the_header_imports(kehu: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户名单 2026"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["姓名", "手机", "生日", "车型"])
    sheet.append(["张伟", 13800138000, date(1985, 3, 5), "Tiguan L"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    kehu.ok("import", str(path), "--yes")
    [customer] = kehu.json("list")
    assert (customer["name"], customer["phone"]) == ("张伟", "13800138000")
    assert kehu.json("show", "张伟")["birthday"] == "1985-03-05"


def test_a_csv_with_title_lines_above_the_header_imports(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    text = "客户名单\n导出日期 2026-11-30,,\n,,\n姓名,手机,备注\n张伟,13800138000,老客户\n"
    path.write_text(text, encoding="gb18030")
    out = kehu.ok("import", str(path), "--dry-run")
    assert "line 5: name=张伟" in out
    kehu.ok("import", str(path), "--yes")
    assert [(c["name"], c["phone"]) for c in kehu.json("list")] == [("张伟", "13800138000")]


def test_a_one_column_table_keeps_its_first_row_as_header(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("姓名\n张伟\n李娜\n", encoding="utf-8")
    kehu.ok("import", str(path), "--yes")
    assert [c["name"] for c in kehu.json("list")] == ["张伟", "李娜"]


def test_the_preview_shows_the_amount_and_lunar_birthday_and_counts_one_row(
    kehu: Any, tmp_path: Path
) -> None:
    path = tmp_path / "名单.csv"
    text = "姓名,手机,农历生日,车型,购买日期,成交价\n"
    text += "王强,13700137000,三月初五,Lavida,2026/3/5,15.8万\n"
    path.write_text(text, encoding="utf-8-sig")
    out = kehu.ok("import", str(path), "--dry-run")
    assert "lunar_birthday=lunar 3/5; purchase Lavida 2026-03-05 158,000.00" in out
    assert out.rstrip().endswith("\n1 row to import.")


def test_the_preview_shows_a_lunar_birthdays_year_as_it_is_imported(
    kehu: Any, tmp_path: Path
) -> None:
    path = tmp_path / "名单.csv"
    text = "姓名,手机,农历生日,结婚纪念日\n"
    text += "张三,13800138000,1985年腊月廿三,农历2010年八月十五\n王五,13700137000,闰四月初八,\n"
    path.write_text(text, encoding="utf-8-sig")
    out = kehu.ok("import", str(path), "--dry-run")
    assert "lunar_birthday=lunar 12/23 1985; wedding anniversary=lunar 8/15 2010" in out
    assert "lunar_birthday=lunar leap 4/8\n" in out  # no year given, none shown
    zh = in_chinese("import", str(path), "--dry-run")
    assert "lunar_birthday=1985年农历腊月廿三；结婚纪念日=2010年农历八月十五" in zh.stdout
    kehu.ok("import", str(path))
    assert "lunar 12/23 (Sat 30 Jan 2027), turns 41" in kehu.ok("show", "张三")


def test_a_lunar_birthday_goes_through_csv_and_xlsx_and_back(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "王强", "--phone", "13700137000")
    kehu.ok("date", "add", "王强", "birthday", "农历三月初五")
    kehu.ok("add", "李娜", "--phone", "13900139000")
    kehu.ok("date", "add", "李娜", "birthday", "农历闰四月初八")
    dates = sorted((d["customer_name"], d["month"], d["day"], d["leap"], d["calendar"])
                   for d in kehu.json("date", "list"))  # fmt: skip
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"out.{suffix}"
        assert kehu("export", str(out)).code == 0
        other = str(tmp_path / f"{suffix}.db")
        kehu.ok("--db", other, "import", str(out), "--yes")
        again = sorted((d["customer_name"], d["month"], d["day"], d["leap"], d["calendar"])
                       for d in kehu.json("--db", other, "date", "list"))  # fmt: skip
        assert again == dates
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "三月初五" in text and "闰四月初八" in text


def test_a_phone_excel_wrote_in_scientific_notation_stops_the_import(
    kehu: Any, tmp_path: Path
) -> None:
    kehu.ok("add", "王五")
    path = tmp_path / "名单.csv"
    path.write_text("姓名,手机\n张三,13700137000\n李四,1.38001E+10\n", encoding="gb18030")
    message = refused(kehu, 2, "import", str(path), "--yes")
    assert "line 3: the phone is a number in scientific notation" in message
    assert "1.38001" not in message
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(path), "--yes"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 2
    assert "第 3 行：电话成了科学计数法的数字" in chinese.stderr


def test_excel_unicode_text_in_utf16_imports(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_text("姓名\t手机\t备注\r\n张伟\t13800138000\t老客户\r\n", encoding="utf-16")
    assert "line 2: name=张伟; phone=13800138000" in kehu.ok("import", str(path), "--dry-run")
    kehu.ok("import", str(path), "--yes")
    [customer] = kehu.json("list")
    assert (customer["name"], customer["phone"]) == ("张伟", "13800138000")
    assert kehu.json("show", "张伟")["notes"] == "老客户"


def test_dates_as_excel_day_numbers_are_read_as_their_dates(kehu: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "生日", "车型", "交车日期"])
    sheet.append(["张伟", "13800138000", 31121, "Tiguan L", 46086.4375])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    csv_path = tmp_path / "名单.csv"
    csv_path.write_text("姓名,手机,生日,车型,交车日期\n李娜,13900139000,31121,Polo,46086\n")
    kehu.ok("import", str(path), "--yes")
    kehu.ok("import", str(csv_path), "--yes")
    zhang, li = kehu.json("show", "张伟"), kehu.json("show", "李娜")
    assert zhang["birthday"] == li["birthday"] == "1985-03-15"
    assert zhang["purchases"][0]["delivered_at"] == "2026-03-05T10:30:00+08:00"
    assert li["purchases"][0]["delivered_at"] == "2026-03-05T00:00:00+08:00"


def _dates(kehu: Any, *args: str) -> list[tuple[Any, ...]]:
    return sorted((d["customer_name"], d["kind"], d["calendar"], d["month"], d["day"], d["leap"],
                   d["year"], d["label"]) for d in kehu.json(*args, "date", "list"))  # fmt: skip


def test_a_vcard_anniversary_is_the_wedding_date(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    cards = [
        "VERSION:4.0\r\nFN:张伟\r\nTEL:13800138000\r\nANNIVERSARY:20100520",
        "VERSION:3.0\r\nFN:李娜\r\nTEL:13900139000\r\nitem1.X-ABDATE;type=pref:2015-10-01\r\n"
        "item1.X-ABLabel:_$!<Anniversary>!$_",
        "VERSION:3.0\r\nFN:王强\r\nTEL:13700137000\r\nX-MS-ANNIVERSARY:2012-06-18",
    ]
    path.write_text("".join(f"BEGIN:VCARD\r\n{c}\r\nEND:VCARD\r\n" for c in cards), "utf-8")
    out = kehu.ok("import", str(path), "--dry-run")
    assert "card 1: name=张伟; phone=13800138000; tier=B; wedding anniversary=2010-05-20" in out
    kehu.ok("import", str(path), "--yes")
    assert _dates(kehu) == [
        ("张伟", "wedding", "solar", 5, 20, False, 2010, None),
        ("李娜", "wedding", "solar", 10, 1, False, 2015, None),
        ("王强", "wedding", "solar", 6, 18, False, 2012, None),
    ]
    assert all(c["profile"] == {} for c in (kehu.json("show", n) for n in ("张伟", "李娜")))


def test_an_android_export_s_events_and_lunar_birthdays_are_dates(
    kehu: Any, tmp_path: Path
) -> None:
    event = "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event"
    cards = [  # as Android's contacts app writes them: date;type;label;…;data15 (1: lunar)
        "VERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=9F;;;\r\n"
        "TEL;CELL:138-0013-8000\r\nBDAY:1985-03-15\r\n"
        f"{event};2010-05-20;1;;;;;;;;;;;;;\r\n"
        f"X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{event[17:]};1985-01-23;0;"
        "=E5=86=9C=E5=8E=86=E7=94=9F=E6=97=A5;;;;;;;;;;;;\r\n"  # 农历生日, its custom label
        f"{event};2015-06-01;0;孩子生日;;;;;;;;;;;;0\r\n"
        f"{event};--09-09;2;;;;;;;;;;;;;0\r\n"
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;小张;1;;;;;;;;;;;;;",
        f"VERSION:2.1\r\nFN:李娜\r\nTEL;CELL:13900139000\r\n{event};--04-08;3;;;;;;;;;;;;;1",
        "VERSION:3.0\r\nFN:王强\r\nTEL:13700137000\r\nBDAY;X-LUNAR=1:1988-05-05\r\n"
        "item1.X-ABDATE:2001-09-09\r\nitem1.X-ABLabel:公司成立日",
        "VERSION:3.0\r\nFN:赵敏\r\nTEL:13600136000\r\nX-ALTBDAY;CALSCALE=chinese:007800010101",
        f"VERSION:2.1\r\nFN:钱七\r\nTEL:13500135000\r\n{event};明年;1;;;;;;;;;;;;;",
    ]
    path = tmp_path / "00001.vcf"
    path.write_text("".join(f"BEGIN:VCARD\r\n{c}\r\nEND:VCARD\r\n" for c in cards), "utf-8")
    preview = kehu("import", str(path), "--dry-run")
    assert "card 2: name=李娜; phone=13900139000; tier=B; lunar_birthday=lunar 4/8" in preview.out
    result = kehu("import", str(path), "--yes")
    assert result.code == 0, result
    assert (
        result.err.splitlines()
        == preview.err.splitlines()
        == [
            f"kehu: warning: {path}, card 5: the date in X-ANDROID-CUSTOM cannot be read; "
            "it is kept as a profile fact"
        ]
    )
    assert _dates(kehu) == [
        ("张伟", "birthday", "lunar", 1, 23, False, 1985, None),
        ("张伟", "birthday", "solar", 3, 15, False, 1985, None),
        ("张伟", "child-birthday", "solar", 6, 1, False, 2015, None),
        ("张伟", "other", "solar", 9, 9, False, None, None),
        ("张伟", "wedding", "solar", 5, 20, False, 2010, None),
        ("李娜", "birthday", "lunar", 4, 8, False, None, None),
        ("王强", "birthday", "lunar", 5, 5, False, 1988, None),
        ("王强", "company", "solar", 9, 9, False, 2001, None),
        ("赵敏", "birthday", "lunar", 1, 1, False, 1984, None),
    ]
    assert kehu.json("show", "张伟")["profile"] == {"NICKNAME": "小张"}
    assert kehu.json("show", "钱七")["profile"] == {"anniversary": "明年"}


def test_a_sheet_s_anniversary_columns_are_dates(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text(
        "姓名,手机,结婚纪念日,孩子生日,公司成立日,入职纪念日,备注\n"
        "张伟,13800138000,2010-05-20,2015/6/1,2001年9月9日,03-15,老客户\n"
        "李娜,13900139000,农历八月十五,,,,\n王强,13700137000,明年,,,,\n",
        encoding="gb18030",
    )
    out = kehu("import", str(path), "--dry-run").out
    assert "  结婚纪念日 → anniversary\n" in out and "  入职纪念日 → anniversary\n" in out
    assert (
        "line 2: name=张伟; phone=13800138000; tier=B; notes=老客户;"
        " wedding anniversary=2010-05-20; child's birthday=2015-06-01;"
        " company anniversary=2001-09-09; 入职纪念日=03-15" in out
    )
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(path), "--dry-run"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 0, chinese.stderr
    lina = "第 3 行：name=李娜；phone=13900139000；tier=B；结婚纪念日=农历八月十五"
    assert lina in chinese.stdout
    assert "第 4 行：结婚纪念日 里的日期读不懂；已作为档案信息保留" in chinese.stderr
    kehu("import", str(path), "--yes")
    assert _dates(kehu) == [
        ("张伟", "child-birthday", "solar", 6, 1, False, 2015, None),
        ("张伟", "company", "solar", 9, 9, False, 2001, None),
        ("张伟", "other", "solar", 3, 15, False, None, "入职纪念日"),
        ("张伟", "wedding", "solar", 5, 20, False, 2010, None),
        ("李娜", "wedding", "lunar", 8, 15, False, None, None),
    ]
    assert kehu.json("show", "张伟")["profile"] == {}
    assert kehu.json("show", "王强")["profile"] == {"结婚纪念日": "明年"}  # kept, not lost


def test_a_customer_s_own_birthday_column_is_the_birthday(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text(
        "姓名,手机,客户生日,车主农历生日,老婆生日\n张伟,13800138000,1985-03-05,八月十五,1987-07-07\n",
        encoding="utf-8",
    )
    out = kehu.ok("import", str(path), "--dry-run")
    assert "  客户生日 → birthday\n  车主农历生日 → lunar_birthday\n" in out
    kehu.ok("import", str(path), "--yes")
    assert _dates(kehu) == [
        ("张伟", "birthday", "lunar", 8, 15, False, None, None),
        ("张伟", "birthday", "solar", 3, 5, False, 1985, None),
        ("张伟", "other", "solar", 7, 7, False, 1987, "老婆生日"),
    ]


def test_a_vcf_file_without_a_card_is_refused(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "王五")
    before = kehu.snapshot()
    for text in ("", "姓名,手机\n张伟,13800138000\n"):
        path = tmp_path / "contacts.vcf"
        path.write_text(text, encoding="utf-8")
        message = refused(kehu, 2, "import", str(path), "--yes")
        assert "line 1: no contact card (BEGIN:VCARD … END:VCARD): not a vCard file" in message
    assert kehu.snapshot() == before


def test_an_xls_that_is_text_imports_and_one_that_is_not_says_what_to_do(
    kehu: Any, tmp_path: Path
) -> None:
    text = tmp_path / "客户导出.xls"  # what many dealer systems export as "Excel"
    text.write_bytes("姓名\t手机\t车型\r\n张伟\t13800138000\t途观\r\n".encode("gbk"))
    assert "line 2: name=张伟; phone=13800138000; tier=B; purchase 途观" in kehu.ok(
        "import", str(text), "--dry-run"
    )
    kehu.ok("add", "王五")
    web = tmp_path / "web.xls"
    web.write_text("<html><table><tr><td>姓名</td></tr></table></html>", encoding="utf-8")
    assert "is a web page saved as .xls" in refused(kehu, 2, "import", str(web), "--yes")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    message = refused(kehu, 2, "import", str(old), "--yes")
    assert message.endswith(
        "is an Excel 97-2003 workbook (.xls), which kehu does not read: open it in Excel or WPS, "
        "save it as .xlsx or CSV, and import that"
    )
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(old), "--yes"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 2
    assert "是 Excel 97-2003 工作簿（.xls），kehu 读不了" in chinese.stderr
    kehu.ok("import", str(text), "--yes")
    assert [c["name"] for c in kehu.json("list")] == ["王五", "张伟"]


def test_a_customers_dates_go_through_vcf_and_back(kehu: Any, tmp_path: Path) -> None:
    import vobject

    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "1985-03-05")
    kehu.ok("date", "add", "张伟", "wedding", "2010-05-20")
    kehu.ok("date", "add", "张伟", "child-birthday", "农历闰四月初八")
    kehu.ok("date", "add", "张伟", "other", "06-01", "--label", "开业 十周年")
    kehu.ok("add", "李娜", "--phone", "13900139000")
    kehu.ok("date", "add", "李娜", "wedding", "农历八月十五")
    kehu.ok("date", "add", "李娜", "company", "2001-09-09")
    dates = _dates(kehu)
    for version in ("3", "4"):
        out = tmp_path / f"out{version}.vcf"
        assert kehu("export", str(out), "--vcard-version", version).code == 0
        text = out.read_text(encoding="utf-8")
        cards = list(vobject.readComponents(text))
        assert [c.fn.value for c in cards] == ["张伟", "李娜"]
        if version == "4":
            assert cards[0].anniversary.value == "20100520"
        else:
            assert cards[0].contents["x-abdate"][0].value == "2010-05-20"
            assert cards[0].contents["x-ablabel"][0].value == "_$!<Anniversary>!$_"
        other = str(tmp_path / f"{version}.db")
        kehu.ok("--db", other, "import", str(out), "--yes")
        assert _dates(kehu, "--db", other) == dates


def test_the_chinese_preview_writes_a_chinese_colon(kehu: Any, tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("姓名,手机\n张伟,13800138000\n", encoding="utf-8")
    assert "  line 2: name=张伟; phone=13800138000" in kehu.ok("import", str(path), "--dry-run")
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(path), "--dry-run"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 0, chinese.stderr
    assert "  第 2 行：name=张伟；phone=13800138000" in chinese.stdout
