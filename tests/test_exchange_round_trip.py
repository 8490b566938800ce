"""What `kehu export` writes to CSV and Excel comes back the same through `kehu import` into a
fresh book: a birthday without a year stays without one, and who referred whom stays linked."""

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import sqlite_only

from kehu.book import engine


def table(path: Path) -> list[dict[str, Any]]:
    """The exported file's rows, as a spreadsheet shows them."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    sheet = openpyxl.load_workbook(path).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def into_a_fresh_book(kehu: Any, path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("KEHU_DB", str(path.parent / f"fresh-{path.suffix[1:]}.db"))
    kehu.ok("import", str(path))


@sqlite_only  # a second book is a second SQLite file
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_birthday_without_a_year_goes_out_without_one_and_comes_back_so(
    kehu, tmp_path, monkeypatch, suffix
):
    kehu.ok("add", "张伟", "--birthday", "03-15")
    kehu.ok("add", "李娜", "--birthday", "1985-03-08")
    path = tmp_path / f"c{suffix}"
    assert kehu("export", str(path)).code == 0
    born = {row["name"]: row["birthday"] for row in table(path)}
    # a CSV cell starting with "-" gets a ' so that a spreadsheet never computes it
    assert born == {"张伟": "'--03-15" if suffix == ".csv" else "--03-15", "李娜": "1985-03-08"}
    into_a_fresh_book(kehu, path, monkeypatch)
    card = kehu.json("show", "张伟")
    assert card["birthday"] == "03-15"
    assert [(o["month"], o["day"], o["year"]) for o in card["occasions"]] == [(3, 15, None)]
    assert kehu.json("show", "李娜")["birthday"] == "1985-03-08"


def test_the_preview_shows_a_birthday_without_a_year_without_one(kehu, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("姓名,生日\n张伟,--03-15\n李娜,1985-03-08\n", encoding="utf-8")
    preview = kehu.ok("import", str(path), "--dry-run")
    assert "line 2: name=张伟; birthday=03-15; tier=B" in preview
    assert "line 3: name=李娜; birthday=1985-03-08; tier=B" in preview


def test_vcards_write_a_birthday_without_a_year_in_each_versions_own_form(kehu):
    kehu.ok("add", "张伟", "--birthday", "03-15")
    assert "\nBDAY:--0315\r" in kehu.ok("export", "--format", "vcf")
    three = kehu.ok("export", "--format", "vcf", "--vcard-version", "3")
    assert "\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15\r" in three


def sheet(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "推荐.csv"
    path.write_text(text, encoding="utf-8")
    return path


def referrer_of(kehu: Any, name: str) -> Any:
    card = kehu.json("show", name)
    return (card["referred_by"] or {}).get("name"), card["profile"].get("referrer")


@pytest.mark.parametrize("header", ["referrer", "推荐人", "介绍人", "referred_by", "referred by"])
def test_the_referrer_column_links_the_customer_to_the_one_it_names(kehu, tmp_path, header):
    kehu.ok("add", "王小二", "--phone", "13800001111")
    path = sheet(tmp_path, f"name,phone,{header}\n钱三,13355558888,王小二\n")
    preview = kehu.ok("import", str(path), "--dry-run")
    assert "line 2: name=钱三; phone=13355558888; tier=B; referred by 王小二" in preview
    assert "kept as the profile fact" not in preview
    assert kehu.ok("import", str(path)) == "Imported 1 customer.\n"
    assert referrer_of(kehu, "钱三") == ("王小二", None)
    assert kehu.json("show", "钱三")["source"] == "referral"
    referrals = kehu.ok("report", "referrals")
    assert "王小二 (#1)           1   0.00" in referrals and "└ 钱三 (#2)" in referrals


KEPT = ("customer", "profile_field", "occasion", "purchase")


def test_an_update_that_would_close_a_referral_loop_keeps_the_cell_as_a_fact(kehu, tmp_path):
    """王小二 brought in 钱三, who brought in 赵六: a file saying 王小二 was referred by 赵六
    (or by someone the same file says 王小二 brought in) keeps the referrals trees."""
    kehu.ok("add", "王小二", "--phone", "13800001111")
    kehu.ok("add", "钱三", "--phone", "13355558888", "--referred-by", "王小二")
    kehu.ok("add", "赵六", "--phone", "13366669999", "--referred-by", "钱三")
    kehu.ok("add", "孙七", "--phone", "13377770000")
    path = sheet(tmp_path, (
        "姓名,电话,推荐人\n"
        "王小二,13800001111,赵六\n"  # 赵六 was brought in through 王小二
        "周八,13388880000,孙七\n"  # new, brought in by 孙七
        "孙七,13377770000,周八\n"  # ... so 孙七 cannot be referred by 周八
    ))  # fmt: skip
    assert kehu.ok("import", str(path), "--on-duplicate", "update") == (
        "Imported 1 customer; 2 updated; 2 referrers kept as profile facts (no one, or several, "
        "match them).\n"
    )
    assert referrer_of(kehu, "王小二") == (None, "赵六")
    assert referrer_of(kehu, "孙七") == (None, "周八")
    assert referrer_of(kehu, "周八") == ("孙七", None)
    referrals = kehu.ok("report", "referrals")
    assert "王小二 (#1)" in referrals and "└ 钱三 (#2)" in referrals


def test_a_referrer_is_found_by_phone_or_on_an_earlier_row_else_kept_as_a_fact(kehu, tmp_path):
    kehu.ok("add", "王小二", "--phone", "13800001111")
    kehu.ok("add", "李四")
    kehu.ok("add", "李四", "--new")
    kehu.ok("add", "郑十", "--phone", "13600001111")
    kehu.ok("archive", "郑十")
    path = sheet(tmp_path, (
        "姓名,电话,推荐人\n"
        "钱三,13355558888,138 0000 1111\n"  # a phone in the book
        "赵六,,钱三\n"  # an earlier row
        "孙七,,李四\n"  # two customers in the book
        "周八,,吴九\n"  # a later row
        "吴九,,无名氏\n"  # no one
        "冯十,,郑十\n"  # only archived
    ))  # fmt: skip
    before = kehu.snapshot()
    preview = kehu.ok("import", str(path), "--dry-run")
    assert (
        "4 referrers name no customer in the book or on an earlier row, or several: they will "
        "be kept as the profile fact referrer.\n6 rows to import." in preview
    )
    assert kehu.snapshot() == before
    assert kehu.ok("import", str(path)) == (
        "Imported 6 customers; 4 referrers kept as profile facts (no one, or several, match "
        "them).\n"
    )
    assert referrer_of(kehu, "钱三") == ("王小二", None)
    assert referrer_of(kehu, "赵六") == ("钱三", None)
    for name, cell in (("孙七", "李四"), ("周八", "吴九"), ("吴九", "无名氏"), ("冯十", "郑十")):
        assert referrer_of(kehu, name) == (None, cell)
    assert "Undid `import`" in kehu.ok("undo")
    assert {t: kehu.snapshot()[t] for t in KEPT} == {t: before[t] for t in KEPT}


def test_the_summary_and_the_preview_count_unlinked_referrers_in_chinese(kehu, tmp_path):
    kehu.ok("add", "王小二")
    path = sheet(tmp_path, "姓名,推荐人\n钱三,无名氏\n赵六,王小二\n")

    def chinese(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "kehu", *args], env={**os.environ, "KEHU_LANG": "zh"},
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    preview = chinese("import", str(path), "--dry-run")
    assert "第 2 行：name=钱三；tier=B；介绍人 无名氏" in preview
    assert (
        "1 位介绍人在客户簿和前面的行里都找不到对应客户，或对应多位：将作为档案信息 referrer 保留。"
        in preview
    )
    assert chinese("import", str(path)) == (
        "已导入 2 位客户；1 位介绍人作为档案信息保留（找不到对应客户，或对应多位）。\n"
    )
    assert referrer_of(kehu, "赵六") == ("王小二", None)


@sqlite_only  # counts the statements SQLite runs
def test_a_large_import_matches_its_referrers_in_a_few_queries(kehu, tmp_path, monkeypatch):
    kehu.ok("add", "王小二", "--phone", "13800001111")
    rows = "".join(f"客户{n},139{n:08d},{'王小二' if n % 2 else f'客户{n - 1}'}\n"
                   for n in range(1, 1201))  # fmt: skip
    plain = sheet(tmp_path, "姓名,电话,备注\n" + rows)
    referred = tmp_path / "referred.csv"
    referred.write_text("姓名,电话,推荐人\n" + rows, encoding="utf-8")
    statements: list[str] = []
    for method in ("all", "each", "tuples", "run", "run_many"):
        real = getattr(engine.SQLiteTx, method)
        monkeypatch.setattr(engine.SQLiteTx, method,
                            lambda self, sql, *a, _real=real, **k: statements.append(sql)
                            or _real(self, sql, *a, **k))  # fmt: skip
    kehu.ok("import", str(plain))
    without = len(statements)
    kehu.ok("undo")
    statements.clear()
    kehu.ok("import", str(referred))
    assert len(statements) - without < 10
    assert kehu.json("show", "客户1200")["referred_by"]["name"] == "客户1199"
    assert kehu.json("show", "客户1199")["referred_by"]["name"] == "王小二"


@sqlite_only  # a second book is a second SQLite file
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_referrer_goes_out_by_name_and_phone_and_comes_back_linked(
    kehu, tmp_path, monkeypatch, suffix
):
    kehu.ok("add", "王小二", "--phone", "13800001111")
    kehu.ok("add", "王小二", "--new", "--phone", "13800002222")  # a namesake: the phone decides
    kehu.ok("add", "张伟", "--phone", "13900002222", "--referred-by", "13800002222")
    kehu.ok("add", "李四", "--referred-by", "张伟")
    path = tmp_path / f"c{suffix}"
    assert kehu("export", str(path)).code == 0
    sent = {row["name"]: (row["referred_by"], row["referred_by_phone"]) for row in table(path)}
    empty = "" if suffix == ".csv" else None
    assert sent == {
        "王小二": (empty, empty),
        "张伟": ("王小二", "13800002222"),
        "李四": ("张伟", "13900002222"),
    }
    into_a_fresh_book(kehu, path, monkeypatch)
    assert kehu.json("show", "张伟")["referred_by"] == {"id": 2, "name": "王小二"}
    assert kehu.json("show", "李四")["referred_by"] == {"id": 3, "name": "张伟"}
    assert kehu.json("show", "李四")["profile"] == {}


def test_a_referrers_phone_column_picks_one_of_namesakes(kehu, tmp_path):
    kehu.ok("add", "王小二", "--phone", "13800001111")
    kehu.ok("add", "王小二", "--new", "--phone", "13800002222")
    path = sheet(tmp_path, "姓名,推荐人,推荐人电话\n钱三,王小二,13800002222\n赵六,王小二,\n")
    assert kehu.ok("import", str(path)) == (
        "Imported 2 customers; 1 referrer kept as a profile fact (no one, or several, match it).\n"
    )
    assert kehu.json("show", "钱三")["referred_by"] == {"id": 2, "name": "王小二"}
    assert referrer_of(kehu, "赵六") == (None, "王小二")


def test_vcards_carry_the_referrers_name(kehu):
    kehu.ok("add", "王小二")
    kehu.ok("add", "张伟", "--referred-by", "王小二")
    assert "\nX-KEHU-REFERRER:王小二\r" in kehu.ok("export", "--format", "vcf")


@sqlite_only  # a second book is a second SQLite file
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_open_prospect_goes_out_with_level_and_card_and_comes_back_a_prospect(
    kehu, tmp_path, monkeypatch, suffix
):
    kehu.ok("add", "王强", "--phone", "13900000001", "--prospect", "--level", "H", "--interest",
            "Tiguan L", "--budget", "25万", "--expected", "2026-12-01", "--payment", "贷款",
            "--current-car", "Jetta", "--usage", "commute", "--cares", "space", "--competitor",
            "CR-V", "--competitor", "RAV4", "--best-time", "evenings")  # fmt: skip
    kehu.ok("add", "李娜", "--phone", "13900000002", "--prospect", "--level", "B")
    kehu.ok("lost", "李娜", "--reason", "price")
    kehu.ok("add", "张伟", "--phone", "13900000003", "--product", "Golf")
    path = tmp_path / f"c{suffix}"
    assert kehu("export", str(path)).code == 0
    columns = ("level", "interest", "budget", "expected_purchase")
    rows = {row["name"]: tuple(row[c] or "" for c in columns) for row in table(path)}
    assert rows == {
        "王强": ("H", "Tiguan L", "25万", "2026-12-01"), "李娜": ("lost", "", "", ""),
        "张伟": ("", "", "", ""),
    }  # fmt: skip
    into_a_fresh_book(kehu, path, monkeypatch)
    card = kehu.json("show", "王强")
    prospect = card["prospect"]
    assert (prospect["state"], prospect["level"], prospect["interest"], prospect["budget"],
            prospect["expected_on"]) == ("open", "H", "Tiguan L", "25万", "2026-12-01")  # fmt: skip
    assert {k: prospect[k] for k in ("payment", "current_car", "usage", "cares", "competitors",
                                     "best_time")} == {
        "payment": "loan", "current_car": "Jetta", "usage": "commute", "cares": "space",
        "competitors": ["CR-V", "RAV4"], "best_time": "evenings",
    }  # fmt: skip
    assert card["profile"] == {}
    assert kehu.json("show", "张伟")["prospect"] is None
    lost = kehu.json("show", "李娜")["prospect"]
    assert (lost["state"], lost["lost_reason"]) == ("lost", "price")


def test_a_prospect_cell_the_card_cannot_hold_stays_a_fact(kehu, tmp_path):
    path = tmp_path / "意向客户.csv"
    path.write_text("姓名,级别,付款方式,竞品车型,现有车辆\n陈晨,A,信用卡,a;b;c;d,捷达\n老周,,全款,,\n",
                    encoding="utf-8")  # fmt: skip
    kehu.ok("import", str(path))
    chen = kehu.json("show", "陈晨")
    assert chen["profile"] == {"payment": "信用卡", "competitors": "a;b;c;d"}
    assert chen["prospect"]["current_car"] == "捷达"
    assert kehu.json("show", "老周")["profile"] == {"payment": "全款"}


@sqlite_only  # a second book is a second SQLite file
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".vcf"])
def test_the_form_of_address_and_the_drafts_language_go_out_and_come_back(
    kehu, tmp_path, monkeypatch, suffix
):
    kehu.ok("add", "Emma Wilson", "--phone", "13900000001", "--language", "en",
            "--salutation", "Dr Wilson")  # fmt: skip
    kehu.ok("add", "张伟", "--phone", "13900000002", "--salutation", "张总")
    path = tmp_path / f"c{suffix}"
    assert kehu("export", str(path)).code == 0
    into_a_fresh_book(kehu, path, monkeypatch)
    emma, zhang = kehu.json("show", "Emma Wilson"), kehu.json("show", "张伟")
    assert (emma["language"], emma["salutation"]) == ("en", "Dr Wilson")
    assert (zhang["language"], zhang["salutation"]) == (None, "张总")
