"""`kehu import` writes new customers in bulk: the book holds exactly what writing them one
row at a time holds, `kehu undo` takes away exactly what the import added, and a later change
by someone else to an imported customer still stops that undo."""

from typing import Any

import pytest
from conftest import sqlite_only
from hypothesis import given
from hypothesis import strategies as st

from kehu.book import engine, importing, new_customers
from kehu.book.schema import JOURNAL_TABLES
from kehu.rules import pinyin

SHEET = "姓名,手机,购买车型,交车日期,成交价,爱好,公司,推荐人\n" + "".join(
    f"{name},{phone},{product},{day},{amount},{hobby},{company},{referrer}\n"
    for name, phone, product, day, amount, hobby, company, referrer in [
        ("张伟", "13800138000", "雅阁", "2025/3/15", "158000", "钓鱼", "", ""),  # known phone
        ("曾强", "13900000001", "凯美瑞", "2024/5/1", "", "", "某公司", "张伟"),
        ("欧阳军", "", "", "", "", "下棋", "", "曾强"),  # no phone: a new person
        ("李娜", "139 0000 0001", "", "", "", "", "李记", "欧阳军"),  # the file's own duplicate
        ("王芳", "13900000002", "凯美瑞", "", "200000", "", "", "刘洋"),  # sold now
        ("Anna Lee", "13900000003", "", "", "", "", "", "13900000002"),
        ("单磊", "13900000004", "思域", "2023/1/2", "", "爬山", "", "王芳"),
        ("王芳", "13900000002", "雅阁", "2025/1/1", "", "钓鱼", "王记", ""),  # duplicate again
        ("刘洋", "", "", "", "", "", "", "某人"),
    ]
)


class OneByOne:
    """The reference: every new row written on its own, as `kehu add` writes it."""

    def __init__(self, tx: engine.Tx, *, owner: str, now: Any, written: Any = None):
        self.tx, self.owner, self.now, self.written = tx, owner, now, written

    def add(self, row: Any) -> None:
        _outcome, customer_id = importing._import_row(
            self.tx, row=row, on_duplicate=self.mode, owner=self.owner, now=self.now
        )
        if self.written is not None:
            self.written([row], [customer_id])

    def flush(self) -> None:
        pass


def content(kehu: Any) -> dict[str, list[Any]]:
    """The book's rows, a customer named by their place in id order (a server's ids keep
    counting after an undo), without the journal and the purchases' own ids."""
    snapshot = kehu.snapshot()
    place = {c["id"]: n for n, c in enumerate(snapshot["customer"])}
    found: dict[str, list[Any]] = {}
    for table, rows in snapshot.items():
        if table in JOURNAL_TABLES:
            continue
        named = []
        for row in rows:
            row = {k: v for k, v in row.items() if k != "id" or table != "purchase"}
            for column in ("id", "referred_by") if table == "customer" else ("customer_id",):
                if row.get(column) is not None:
                    row[column] = place[row[column]]
            named.append(sorted(row.items(), key=repr))
        found[table] = sorted(named, key=repr)
    return found


def imported(kehu: Any, *args: str) -> None:
    result = kehu("import", *args)
    assert result.code == 0, result


@pytest.mark.parametrize("mode", ["sale", "update", "skip"])
def test_a_bulk_import_stores_what_one_row_at_a_time_stores_and_undo_takes_it_all_back(
    kehu, tmp_path, monkeypatch, mode
):
    monkeypatch.setattr(new_customers, "CHUNK", 2)  # several chunks, flushed around duplicates
    monkeypatch.setattr(engine, "MAX_PARAMETERS", 9)  # several statements a chunk
    kehu.ok("add", "张伟", "--phone", "138 0013 8000", "--company", "张记")
    source = tmp_path / "sheet.csv"
    source.write_text(SHEET, encoding="utf-8")
    before = kehu.snapshot()
    imported(kehu, str(source), "--on-duplicate", mode)
    bulk = content(kehu)
    assert len(bulk["customer"]) == 7  # one in the book, six new
    assert "Undid `import`" in kehu.ok("undo")
    assert {t: r for t, r in kehu.snapshot().items() if t not in JOURNAL_TABLES} == {
        t: r for t, r in before.items() if t not in JOURNAL_TABLES
    }
    OneByOne.mode = mode
    monkeypatch.setattr(new_customers, "Batch", OneByOne)
    imported(kehu, str(source), "--on-duplicate", mode)
    assert content(kehu) == bulk


@sqlite_only  # two users by KEHU_USER: on a server book everything is signed by the role
def test_undo_of_an_import_is_refused_after_someone_else_changed_an_imported_customer(
    kehu, tmp_path, monkeypatch
):
    source = tmp_path / "sheet.csv"
    source.write_text(SHEET, encoding="utf-8")
    imported(kehu, str(source))
    monkeypatch.setenv("KEHU_USER", "lei")
    kehu.ok("edit", "曾强", "--set", "爱好=钓鱼")  # a fact: the customer row is untouched
    monkeypatch.setenv("KEHU_USER", "mei")
    before = kehu.snapshot()
    result = kehu("undo")
    assert result.code != 0 and "lei changed the same rows later (`edit`)" in result.err
    assert kehu.snapshot() == before


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(st.text(st.one_of(HAN, st.sampled_from("曾单区欧阳司马于a1 ·𠀀𪚥")), max_size=6))
def test_pinyin_read_a_character_at_a_time_is_the_whole_names_reading(name):
    tokens = pinyin._tokens(name)
    if all(not pinyin.is_han(t) or pinyin._char_readings(t) for t in tokens):
        assert pinyin.readings(name) == pinyin._as_surname(pinyin._whole_name_readings(tokens))
