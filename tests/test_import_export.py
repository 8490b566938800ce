"""`kehu import` and `kehu export` end to end: files as other programs write them come in with
a preview and nothing lost; what kehu writes is read by other programs; the JSON file restores
a whole book exactly."""

import io
import json

import icalendar
import openpyxl
import pytest
import vobject
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_exchange_ics import khal_or_fail

from kehu.base.errors import BadInput

GBK_SHEET = (
    "姓名,手机,购买车型,交车日期,成交价,客户等级,爱好\r\n"
    "张三,138 0013 8000,凯美瑞,2025/3/15,15.8万,A,钓鱼\r\n"
    "李四,13900139000,,,,,\r\n"
)
ANDROID = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E8=8A=B3;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E8=8A=B3\r\n"
    "TEL;CELL:13700137000\r\nBDAY:--0315\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;CELL:13600136000\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jane Lee\r\nTEL;CELL:13500135000\r\nEND:VCARD\r\n"
)


def test_a_gbk_sheet_with_chinese_headers_previews_then_imports_with_its_history(kehu, tmp_path):
    source = tmp_path / "客户.csv"
    source.write_bytes(GBK_SHEET.encode("gbk"))
    before = kehu.snapshot()
    preview = kehu.ok("import", str(source), "--dry-run")
    assert "  姓名 → name" in preview and "  爱好 → profile fact" in preview
    assert (
        "line 2: name=张三; phone=138 0013 8000; tier=A; 爱好=钓鱼; purchase 凯美瑞 2025-03-15"
        in preview
    )
    assert "2 rows to import." in preview
    assert kehu.snapshot() == before
    assert kehu.ok("import", str(source)) == "Imported 2 customers.\n"
    card = kehu.json("show", "张三")
    assert card["tier"] == "A" and card["profile"] == {"爱好": "钓鱼"}
    [purchase] = card["purchases"]
    assert purchase["product"] == "凯美瑞" and purchase["amount"] == 158000
    assert purchase["delivered_at"].startswith("2025-03-15") == purchase["sold_at"].startswith(
        "2025-03-15"
    )


def test_on_a_terminal_the_preview_comes_first_and_no_writes_nothing(kehu, tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("name,phone\n王芳,13855556666\n", encoding="utf-8")
    before = kehu.snapshot()
    result = kehu("import", str(source), input="n\n", tty=True)
    assert result.code == 0 and "王芳" in result.out and "Nothing was imported." in result.out
    assert kehu.snapshot() == before
    result = kehu("import", str(source), input="y\n", tty=True)
    assert "Imported 1 customer." in result.out


def test_known_phones_are_skipped_updated_or_sold_to_as_asked(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    source = tmp_path / "a.csv"
    source.write_text("name,phone,company,product\n张伟,+86 138-0013-8000,张记茶行,雅阁\n"
                      "王芳,13855556666,,\n", encoding="utf-8")  # fmt: skip
    assert "1 skipped" in kehu.ok("import", str(source), "--on-duplicate", "skip")
    assert kehu.json("show", "张伟")["company"] is None
    source.write_text("name,phone,company\n张伟,13800138000,张记茶行\n", encoding="utf-8")
    assert "1 updated" in kehu.ok("import", str(source), "--on-duplicate", "update")
    assert kehu.json("show", "张伟")["company"] == "张记茶行"
    source.write_text("name,phone,product\n张伟,13800138000,雅阁\n", encoding="utf-8")
    assert "1 repeat sale" in kehu.ok("import", str(source))
    assert [p["product"] for p in kehu.json("show", "张伟")["purchases"]] == ["雅阁"]
    result = kehu("import", str(source), "--on-duplicate", "merge")
    assert result.code == BadInput.exit_code and "accepted: sale, update, skip" in result.err


def test_update_fills_the_dates_a_known_customer_lacks(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("date", "add", "张伟", "wedding", "2011-06-18")
    kehu.ok("add", "李娜", "--phone", "13900139000")
    source = tmp_path / "a.csv"
    source.write_text(
        "姓名,手机,结婚纪念日,孩子生日,农历生日\n张伟,13800138000,2010-05-20,2015-06-01,八月十五\n"
        "李娜,13900139000,2012-10-01,,\n",
        encoding="utf-8",
    )
    for _ in range(2):  # again: nothing more to fill
        assert "2 updated" in kehu.ok("import", str(source), "--on-duplicate", "update")
        dates = sorted((d["customer_name"], d["kind"], d["calendar"], d["month"], d["day"])
                       for d in kehu.json("date", "list"))  # fmt: skip
        assert dates == [
            ("张伟", "birthday", "lunar", 8, 15), ("张伟", "child-birthday", "solar", 6, 1),
            ("张伟", "wedding", "solar", 6, 18),  # theirs, kept: update never overwrites
            ("李娜", "wedding", "solar", 10, 1),
        ]  # fmt: skip


def test_update_says_how_many_sales_it_did_not_record_and_how_to(kehu, tmp_path):
    import os
    import subprocess
    import sys

    kehu.ok("add", "张伟", "--phone", "13800138000")
    source = tmp_path / "a.csv"
    source.write_text("姓名,手机,车型,交车日期,邮箱\n张伟,13800138000,雅阁,2026-11-01,zw@example.com\n"
                      "李娜,13900139000,轩逸,2026-11-02,\n李娜,13900139000,帕萨特,2026-11-03,\n"
                      "王芳,13855556666,,,\n", encoding="utf-8")  # fmt: skip
    preview = kehu("import", str(source), "--on-duplicate", "update", "--dry-run").out
    assert "\n2 rows with a sale have a phone already in the book or on an earlier row:" in preview
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(source), "--on-duplicate", "update",
         "--dry-run"], env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert "有 2 行带购买，但电话已在客户簿里或前面的行中" in chinese.stdout
    out = kehu("import", str(source), "--on-duplicate", "update").out
    assert "Imported 2 customers; 2 updated.\nThe sales of 2 updated rows were not recorded" in out
    assert "--on-duplicate sale to record them." in out
    assert kehu.json("show", "张伟")["email"] == "zw@example.com"
    assert kehu.json("show", "张伟")["purchases"] == []
    assert [p["product"] for p in kehu.json("show", "李娜")["purchases"]] == ["轩逸"]
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "import", str(source), "--on-duplicate", "update"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    # 李娜's 轩逸 is in the book since the import above: only 雅阁 and 帕萨特 are left out
    assert "有 2 行更新了资料，但购买没有记上" in chinese.stdout, chinese


def test_every_problem_of_a_bad_file_is_one_line_with_its_position_and_nothing_is_written(
    kehu, tmp_path
):
    source = tmp_path / "bad.csv"
    source.write_text("name,phone,tier\n,13100000001,B\nB,13100000002,Z\nC,1,A,extra\n",
                      encoding="utf-8")  # fmt: skip
    before = kehu.snapshot()
    result = kehu("import", str(source))
    assert result.code == BadInput.exit_code
    lines = result.err.splitlines()
    assert len(lines) == 3, result
    assert lines[0] == f"kehu: {source}, line 2: the name is empty"
    assert lines[1].startswith(f"kehu: {source}, line 3: unknown tier 'Z'")
    assert lines[2].endswith(
        "line 4: 1 more cells than the header has columns; nothing was imported"
    )
    assert kehu.snapshot() == before


def test_android_vcards_import_and_an_unreadable_card_is_skipped_unless_strict(kehu, tmp_path):
    source = tmp_path / "contacts.vcf"
    source.write_text(ANDROID, encoding="utf-8")
    before = kehu.snapshot()
    strict = kehu("import", str(source), "--strict")
    assert strict.code == BadInput.exit_code and "card 2" in strict.err
    assert kehu.snapshot() == before
    result = kehu("import", str(source))
    assert result.code == 0 and "Imported 2 customers." in result.out
    assert "card 2" in result.err and "skipped" in result.err
    assert kehu.json("show", "王芳")["birthday"] == "03-15"


def test_an_excel_file_written_by_openpyxl_imports_and_the_export_opens_in_openpyxl(kehu, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["客户姓名", "电话", "微信"])
    book.active.append(["张三", 13800138000, "zs_wx"])
    book.save(tmp_path / "in.xlsx")
    assert kehu.ok("import", str(tmp_path / "in.xlsx")) == "Imported 1 customer.\n"
    kehu.ok("add", "=HYPERLINK(1)")
    kehu("export", "--format", "xlsx", str(tmp_path / "out.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1:4] == ("张三", "13800138000", None)
    assert rows[2][1] == "=HYPERLINK(1)" and sheet.cell(3, 2).data_type == "s"


@pytest.mark.parametrize("version", ["3", "4"])
def test_exported_vcards_are_read_back_by_vobject_and_by_kehu(kehu, tmp_path, version):
    kehu.ok("add", "张三", "--phone", "13800138000", "--birthday", "03-15", "--set", "爱好=钓鱼")
    kehu.ok("add", "Jane Lee", "--birthday", "1985-07-01", "--company", "ACME")
    path = tmp_path / "out.vcf"
    kehu("export", "--format", "vcf", "--vcard-version", version, str(path))
    cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
    assert [c.fn.value for c in cards] == ["张三", "Jane Lee"]
    assert [c.uid.value for c in cards] == ["kehu-customer-1", "kehu-customer-2"]
    other = str(tmp_path / "other.db")
    kehu.ok("--db", other, "import", str(path))
    back = kehu.json("--db", other, "show", "张三")
    assert back["birthday"] == "03-15" and back["profile"] == {"爱好": "钓鱼"}


def test_the_calendar_has_stable_uids_parses_in_icalendar_and_imports_into_khal(kehu, tmp_path):
    kehu.ok("add", "张三", "--phone", "13800138000", "--birthday", "12-01")
    kehu.ok("promise", "张三", "送保养券", "--due", "2026-11-25 15:00")
    kehu.ok("sale", "张三", "--product", "雅阁", "--delivered", "2026-11-10")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    kehu("export", "--format", "ics", "--days", "90", str(first))
    kehu("export", "--format", "ics", str(second), now="2026-11-23T09:00")
    uids = []
    for path in (first, second):
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        uids.append(sorted(str(e["UID"]) for e in events))
        assert all(e.walk("VALARM") for e in events)
    # Call-backs 1 and 3 months after the delivery; 元旦, 春节 and 元宵 (20 Feb: the last day).
    assert uids[0] == uids[1] == [
        "C1.1m@kehu", "C1.3m@kehu", "P1@kehu", "birthday-1-2026@kehu",
        "holiday-lantern-20270220@kehu", "holiday-new-year-20270101@kehu",
        "holiday-spring-festival-20270206@kehu",
    ]  # fmt: skip
    result = kehu("export", "--format", "ics", str(first))
    assert result.code == BadInput.exit_code and "add --replace" in result.err
    assert kehu("export", "--format", "ics", "--replace", str(first)).code == 0
    khal = khal_or_fail()
    import os
    import subprocess

    folder = tmp_path / "calendar"
    folder.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[kehu]]\npath = {folder}/\ntype = calendar\n[locale]\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[default]\ndefault_calendar = kehu\n[sqlite]\npath = {tmp_path}/khal.db\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}  # fmt: skip
    for path in (first, second):
        command = [khal, "-c", str(config), "import", "--batch", "-a", "kehu", str(path)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    listed = subprocess.run([khal, "-c", str(config), "list", "2026-11-22", "30d"], env=env,
                            capture_output=True, text=True, timeout=120).stdout  # fmt: skip
    assert listed.count("送保养券") == 1 and listed.count("张三's birthday") == 1, listed
    assert listed.count("Call 张三 back (1 month): 雅阁") == 1, listed


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=8).filter(lambda s: s.strip() and not s.startswith("-"))  # fmt: skip


@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(names=st.lists(NAMES, min_size=1, max_size=3), fact=NAMES)
def test_json_export_restores_into_an_empty_book_identically(kehu, tmp_path_factory, names, fact):
    tmp = tmp_path_factory.mktemp("json")
    db = ("--db", str(tmp / "book.db"))
    for n, name in enumerate(names):
        kehu.ok(*db, "add", "--phone", f"1380000000{n}", "--set", f"k={fact}", "--product", "雅阁",
                "--amount", "15.8万", "--", name)  # fmt: skip
    kehu.ok(*db, "promise", "1", "回电", "--due", "2026-11-25")
    kehu.ok(*db, "log", "1", "--via", "wechat", "--note", fact, "--next", "2026-12-01")
    first, second = tmp / "a.json", tmp / "b.json"
    kehu(*db, "export", "--format", "json", str(first))
    other = str(tmp / "other.db")
    assert kehu.ok("--db", other, "import", str(first)).startswith(f"Restored {len(names)} ")
    kehu("--db", other, "export", "--format", "json", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text())["tables"]["promise"][0]["text"] == "回电"
    again = kehu("--db", other, "import", str(first))
    assert again.code == BadInput.exit_code and "empty book" in again.err


def test_restoring_one_customer_says_one_customer(kehu, tmp_path):
    import os
    import subprocess
    import sys

    kehu.ok("add", "王强", "--phone", "13900001111", "--prospect", "--level", "B")
    kehu.ok("lost", "王强", "--reason", "price", now="2026-11-23T10:00")
    kehu.ok("log", "王强", "--level", "A", now="2026-11-24T10:00")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert kehu("export", str(first)).code == 0
    assert json.loads(first.read_text())["tables"]["prospect_loss"][0]["reason"] == "price"
    out = kehu.ok("--db", str(tmp_path / "one.db"), "import", str(first))
    assert out == f"Restored 1 customer from {first}.\n"
    assert kehu("--db", str(tmp_path / "one.db"), "export", str(second)).code == 0
    assert first.read_bytes() == second.read_bytes()
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", str(tmp_path / "zh.db"), "import", str(first)],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.stdout == f"已从 {first} 恢复 1 位客户。\n", chinese.stderr


def test_export_writes_csv_with_a_bom_to_a_file(kehu, tmp_path):
    kehu.ok("add", "张三")
    path = tmp_path / "out.csv"
    kehu("export", str(path))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,name,")
    assert io.BytesIO(path.read_bytes()).read(3) == b"\xef\xbb\xbf"


def test_lunar_birthdays_in_a_sheet_become_lunar_dates_and_go_out_in_vcards(kehu, tmp_path):
    sheet = tmp_path / "农历.csv"
    sheet.write_bytes(
        (
            "姓名,手机,农历生日,级别,意向车型\r\n"
            "甲,13811110001,三月初五,,\r\n"
            "乙,13811110002,闰四月初八,,\r\n"
            "丙,13811110003,1985年八月十五,,\r\n"
            "丁,13811110004,记不清,,\r\n"
            "戊,13811110005,腊月廿三,H,途观L\r\n"  # a prospect: written one row at a time
        ).encode("gbk")
    )
    kehu.ok("import", str(sheet))
    found = {
        d["customer_name"]: (d["calendar"], d["month"], d["day"], d["leap"], d["year"])
        for d in kehu.json("date", "list")
    }
    assert found == {
        "甲": ("lunar", 3, 5, False, None),
        "乙": ("lunar", 4, 8, True, None),
        "丙": ("lunar", 8, 15, False, 1985),
        "戊": ("lunar", 12, 23, False, None),
    }
    assert kehu.json("show", "丁")["profile"] == {"lunar_birthday": "记不清"}  # kept, not lost
    assert "lunar_birthday" not in kehu.json("show", "甲")["profile"]
    path = tmp_path / "out.vcf"
    kehu("export", "--format", "vcf", str(path))
    cards = {c.fn.value: c for c in vobject.readComponents(path.read_text(encoding="utf-8"))}
    assert "三月初五 (" in cards["甲"].note.value and "闰四月初八 (" in cards["乙"].note.value
    assert not hasattr(cards["甲"], "bday")  # a lunar date is never a solar BDAY


def test_an_imported_birthday_after_today_stops_the_import_as_add_refuses_it(kehu, tmp_path):
    source = tmp_path / "客户.csv"
    source.write_text("姓名,电话,生日\n钱七,13600136001,1990-05-01\n赵六,13600136000,2027-05-01\n",
                      encoding="utf-8")  # fmt: skip
    kehu.new_book()
    before = kehu.snapshot()
    result = kehu("import", str(source))
    assert result.code == 2 and result.out == ""
    assert result.err == (
        f"kehu: {source}, line 3: a birthday cannot be after today; accepted: a date up to "
        "2026-11-22, or 03-15 without the year; nothing was imported\n"
    )
    assert kehu.snapshot() == before
    source.write_text("姓名,电话,生日\n赵六,13600136000,05-01\n", encoding="utf-8")
    assert kehu.ok("import", str(source)) == "Imported 1 customer.\n"


def test_an_imported_birthday_before_1900_stops_the_import_as_date_add_refuses_it(kehu, tmp_path):
    source = tmp_path / "客户.csv"
    kehu.new_book()
    before = kehu.snapshot()
    for cell in ("1800-01-01", "农历1850年八月十五"):
        source.write_text(f"姓名,电话,生日\n钱七,13600136001,1990-05-01\n赵六,13600136000,{cell}\n",
                          encoding="utf-8")  # fmt: skip
        result = kehu("import", str(source))
        assert (result.code, result.out) == (2, ""), cell
        assert result.err == (
            f"kehu: {source}, line 3: a birthday cannot be before 1900; accepted: a date from "
            "1900-01-01 to 2026-11-22, or 03-15 without the year; nothing was imported\n"
        ), cell
    source.write_text("姓名,电话,农历生日\n赵六,13600136000,2027年八月十五\n", encoding="utf-8")
    assert "a birthday cannot be after today" in kehu("import", str(source)).err
    assert kehu.snapshot() == before
    source.write_text("姓名,电话,生日\n赵六,13600136000,农历1950年八月十五\n", encoding="utf-8")
    assert kehu.ok("import", str(source)) == "Imported 1 customer.\n"


def test_a_dry_run_of_a_whole_book_says_nothing_was_written(kehu, tmp_path):
    import os
    import subprocess
    import sys

    kehu.ok("add", "王强", "--phone", "13900001111")
    kehu.ok("add", "李娜", "--phone", "13900002222")
    first = tmp_path / "a.json"
    assert kehu("export", str(first)).code == 0
    empty = str(tmp_path / "empty.db")
    out = kehu.ok("--db", empty, "import", str(first), "--dry-run")
    assert out == f"{first} would restore 2 customers; nothing was written (--dry-run).\n"
    assert not os.path.exists(empty)
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", empty, "import", str(first), "--dry-run"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout == f"{first} 可恢复 2 位客户；未写入任何内容（--dry-run）。\n"
    assert kehu.ok("--db", empty, "import", str(first)) == f"Restored 2 customers from {first}.\n"
