"""Pinyin search in the book: forms stored with every name write, found by show, list --search,
every command naming a customer and Tab completion, after id, phone, exact name and part of it."""

import os
import subprocess
import sys

import pytest
from conftest import SERVER_URL


def _forms(kehu, name: str) -> set[str]:
    rows = kehu.rows(
        "SELECT p.form FROM customer_pinyin p JOIN customer c ON c.id = p.customer_id"
        " WHERE c.name = :n",
        n=name,
    )
    return {r["form"] for r in rows}


@pytest.mark.parametrize("typed", ["zw", "zhangwei", "zhang wei", "张w", "ZHANGW", "ｚｗ"])
def test_show_finds_a_chinese_name_by_its_pinyin(kehu, typed):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "Anna", "--phone", "13800138001")
    assert kehu.json("show", typed)["name"] == "张伟"


def test_a_surname_is_read_as_a_surname(kehu):
    kehu.ok("add", "曾伟", "--phone", "13800138000")
    assert kehu.json("show", "zengwei")["name"] == "曾伟"
    assert kehu("show", "cengwei").code != 0


def test_an_exact_name_or_a_part_of_one_comes_before_pinyin(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "Zw Motors", "--phone", "13800138001")  # "zw" is part of this name
    assert kehu.json("show", "zw")["name"] == "Zw Motors"
    assert kehu.json("show", "zhangwei")["name"] == "张伟"


def test_names_that_sound_alike_are_listed_with_their_pinyin(kehu):
    for phone, name in (("13800138000", "张伟"), ("13800138001", "张伟"), ("13800138002", "章伟")):
        kehu.ok("add", name, "--phone", phone)
    result = kehu("show", "zw")
    assert result.code != 0 and result.out == ""
    assert "3 customers match" in result.err
    assert result.err.count("(zhang wei)") == 3
    assert "章伟" in result.err
    assert kehu.json("show", "章w")["name"] == "章伟"


def test_commands_that_name_a_customer_take_pinyin(kehu):
    kehu.ok("add", "欧阳娜娜", "--phone", "13800138000")
    kehu.ok("log", "oynn", "--via", "微信", "--note", "问好")
    contacts = kehu.rows("SELECT channel, note FROM contact")
    assert contacts == [{"channel": "wechat", "note": "问好"}]


def test_list_search_finds_by_pinyin_too(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "李娜", "--phone", "13800138001")
    kehu.ok("add", "Zhang Company", "--phone", "13800138002")
    found = kehu.json("list", "--search", "zhang")
    assert [c["name"] for c in found] == ["张伟", "Zhang Company"]
    assert [c["name"] for c in kehu.json("list", "--search", "zw")] == ["张伟"]
    assert [c["name"] for c in kehu.json("list", "--search", "ln")] == ["李娜"]


def test_a_renamed_customer_is_found_by_the_new_name_only(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("edit", "zw", "--name", "李伟")
    assert kehu.json("show", "lw")["name"] == "李伟"
    assert kehu("show", "zhangwei").code != 0
    assert "zhangwei" not in _forms(kehu, "李伟") and "liwei" in _forms(kehu, "李伟")


def test_forms_go_with_their_customer(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "李娜", "--phone", "13800138001")
    kehu.ok("delete", "zw", "--yes")
    assert kehu.rows("SELECT DISTINCT customer_id FROM customer_pinyin") == [{"customer_id": 2}]


def test_imported_names_get_their_forms(kehu, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("name,phone\n王芳,13900000001\n", encoding="utf-8")
    kehu.ok("import", str(path))
    assert {"wangfang", "wf", "王f", "王fang"} <= _forms(kehu, "王芳")
    assert kehu.json("show", "wangf")["name"] == "王芳"


def test_a_search_imports_no_pinyin_library(kehu, isolated):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    code = (
        "import sys; from kehu.cli import main; main.run(['show', 'zw', '--json']);"
        " assert 'pypinyin' not in sys.modules, 'pypinyin loaded'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "KEHU_DB": isolated}, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"张伟"' in result.stdout


@pytest.mark.skipif(SERVER_URL is not None, reason="completion reads the local book")
def test_tab_completion_finds_names_by_pinyin(kehu, isolated):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "曾伟", "--phone", "13800138001")
    kehu.ok("add", "Anna", "--phone", "13800138002")
    from kehu.book import completion

    assert [v for v, _ in completion.customers(isolated, "zhangw")] == ["张伟"]
    assert [v for v, _ in completion.customers(isolated, "张w")] == ["张伟"]
    assert sorted(v for v, _ in completion.customers(isolated, "zw")) == ["张伟", "曾伟"]
    assert [v for v, _ in completion.customers(isolated, "An")] == ["Anna"]


@pytest.mark.parametrize("typed", ["sunli", "sun li", "sl", "孙li", "ＳＵＮＬＩ"])
def test_a_whole_pinyin_wins_over_the_longer_names_it_begins(kehu, typed):
    kehu.ok("add", "孙丽丽", "--phone", "13800138000")
    kehu.ok("add", "孙丽", "--phone", "13800138001")
    assert kehu.json("show", typed)["name"] == "孙丽"
    kehu.ok("log", typed, "--note", "问好")
    [contact] = kehu.rows("SELECT customer_id, note FROM contact")
    assert contact == {"customer_id": 2, "note": "问好"}
    assert kehu.json("show", "sunlili")["name"] == "孙丽丽"


def test_names_with_the_same_whole_pinyin_are_still_asked(kehu):
    for n, name in enumerate(("孙丽", "孙莉", "孙丽丽")):
        kehu.ok("add", name, "--phone", f"1380013800{n}")
    result = kehu("show", "sunli")
    assert result.code == 4 and result.out == ""
    assert "2 customers match" in result.err and "孙丽丽" not in result.err
    assert "孙丽  (sun li)" in result.err and "孙莉  (sun li)" in result.err
    assert kehu("show", "sun").err.startswith("kehu: 3 customers match")
