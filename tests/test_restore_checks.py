"""`kehu import BOOK.json` checks every row of kehu's own JSON file before it writes: a value
that is null where the book needs one, of the wrong kind, too long, not a word kehu knows, or a
reference to a row the file does not have is one line naming the row and field (contact[3].sent,
counting from 0 as the file's lists do) and what is accepted; exit 2, nothing written."""

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Kehu, in_chinese
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PRIVATE = ("张伟", "13800000001", "王强", "13900001111", "回电", "雅阁", "烘焙", "喜欢喝茶")

# Columns the book cannot store without a value (NOT NULL, no default).
REQUIRED = (
    ("customer", "id"), ("customer", "name"), ("customer", "tier"), ("customer", "owner"),
    ("customer", "created_at"), ("customer_pinyin", "form"), ("profile_field", "value"),
    ("occasion", "kind"), ("occasion", "month"), ("occasion", "leap"), ("purchase", "product"),
    ("purchase", "sold_at"), ("contact", "at"), ("contact", "channel"), ("contact", "sent"),
    ("contact", "made_by"), ("promise", "text"), ("promise", "due"), ("followup", "due"),
    ("prospect", "level"), ("prospect_grade", "level"), ("prospect_grade", "at"),
)  # fmt: skip


@pytest.fixture
def export(kehu: Kehu, tmp_path: Path) -> dict[str, Any]:
    """A book with a row in most tables, exported as kehu's JSON file."""
    kehu.ok("add", "张伟", "--phone", "13800000001", "--product", "雅阁", "--amount", "15.8万",
            "--set", "hobby=烘焙")  # fmt: skip
    kehu.ok("promise", "张伟", "回电", "--due", "2026-11-25")
    kehu.ok("log", "张伟", "--via", "wechat", "--note", "喜欢喝茶", "--next", "2026-12-01")
    kehu.ok("date", "add", "张伟", "birthday", "1985-03-15")
    kehu.ok("add", "王强", "--phone", "13900001111", "--prospect", "--level", "B")
    kehu.ok("log", "王强", "--level", "A", now="2026-11-23T10:00")
    path = tmp_path / "book.json"
    assert kehu("export", "--format", "json", str(path)).code == 0
    return json.loads(path.read_text(encoding="utf-8"))


def _import(kehu: Kehu, tmp_path: Path, document: dict[str, Any], *options: str) -> Any:
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return kehu(*options, "import", str(path)), path


def _changed(document: dict[str, Any], table: str, row: int, column: str, value: Any) -> Any:
    changed = json.loads(json.dumps(document))
    changed["tables"][table][row][column] = value
    return changed


def _refused(result: Any, where: str) -> None:
    assert result.code == 2 and result.out == "", result
    assert len(result.err.splitlines()) == 1 and result.err.endswith("\n"), result
    assert f": {where} " in result.err and "; nothing was imported" in result.err, result
    assert "Traceback" not in result.err and "cannot be used" not in result.err, result
    assert not any(word in result.err for word in PRIVATE), result


def _wrong_kinds(value: Any, column: str) -> list[Any]:
    """JSON values of another kind than the exported one, that its column cannot hold."""
    if isinstance(value, bool):
        return ["yes", 2, 0.5, [], {"x": 1}]
    if isinstance(value, int):
        return ["7", 4.5, True, [], {"x": 1}, 2**40]
    if column == "amount":  # a number is an amount too
        return ["abc", True, [], {"x": 1}, "1.234"]
    return [42, 4.5, True, [], {"x": 1}]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_a_field_null_or_of_the_wrong_kind_stops_the_restore_naming_it(
    kehu, tmp_path_factory, export, data
):
    tmp = tmp_path_factory.mktemp("restore")
    other = Kehu(str(tmp / "other.db"))
    other.new_book()
    before = other.snapshot()
    cells = [
        (table, n, column, value)
        for table, rows in export["tables"].items()
        for n, row in enumerate(rows)
        for column, value in row.items()
        if value is not None
    ]
    nulls = [(t, n, c, None) for t, n, c, _ in cells if (t, c) in REQUIRED]
    table, n, column, value = data.draw(st.sampled_from(cells))
    kind = st.sampled_from([None]) if (table, column) in REQUIRED else st.nothing()
    bad = data.draw(st.sampled_from(_wrong_kinds(value, column)) | kind)
    if data.draw(st.booleans()):
        table, n, column, bad = data.draw(st.sampled_from(nulls))
    result, _path = _import(kehu, tmp, _changed(export, table, n, column, bad), "--db",
                            other.target)  # fmt: skip
    _refused(result, f"{table}[{n}].{column}")
    assert other.snapshot() == before
    assert {r["n"] for r in other.rows("SELECT COUNT(*) AS n FROM customer")} == {0}


def test_the_cases_say_what_is_accepted(kehu, tmp_path, export):
    other = Kehu(str(tmp_path / "other.db"))
    other.new_book()
    before = other.snapshot()
    cases = [
        (("contact", 0, "sent", None), "contact[0].sent is null; accepted: true or false"),
        (("purchase", 0, "product", None),
         "purchase[0].product is null; accepted: text of up to 400 characters"),
        (("customer", 0, "name", 42),
         "customer[0].name cannot be read; accepted: text of up to 200 characters"),
        (("customer", 1, "created_at", "昨天"),
         "customer[1].created_at cannot be read; accepted: a time in ISO 8601 with its offset, "
         "like 2026-03-15T06:30:00+00:00"),
        (("customer", 0, "id", "1"), "customer[0].id cannot be read; accepted: a whole number"),
        (("customer", 0, "tier", "Z"), "customer[0].tier is not one kehu knows; accepted: A, B, C"),
        (("customer", 0, "name", "张" * 201),
         "customer[0].name is too long; accepted: text of up to 200 characters"),
        (("contact", 0, "customer_id", 99),
         "contact[0].customer_id refers to a row of customer that the file does not have"),
        (("contact", 0, "purchase_id", 99),
         "contact[0].purchase_id refers to a row of purchase that the file does not have"),
        (("customer", 1, "id", 1), "customer[1] has the same key (id) as an earlier row"),
        (("contact", 0, "张伟", 1), "contact[0] has a field kehu does not know"),
        (("purchase", 0, "amount", "15.8万"),
         "purchase[0].amount cannot be read; accepted: a number with up to 2 decimals"),
    ]  # fmt: skip
    for (table, n, column, value), words in cases:
        document = _changed(export, table, n, column, value)
        for dry_run in ((), ("--dry-run",)):  # the preview checks the same rows
            path = tmp_path / "changed.json"
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            result = kehu("--db", other.target, "import", *dry_run, str(path))
            assert result.code == 2 and result.out == "", result
            assert len(result.err.splitlines()) == 1, result
            assert result.err.startswith(f"kehu: {path}: {words}"), result
            assert result.err.endswith("; nothing was imported\n"), result
    missing = json.loads(json.dumps(export))
    del missing["tables"]["contact"][0]["made_by"]
    result, path = _import(kehu, tmp_path, missing, "--db", other.target)
    assert result.err == (
        f"kehu: {path}: contact[0].made_by is missing; accepted: text of up to 100 characters; "
        "nothing was imported\n"
    )
    assert other.snapshot() == before


def test_what_the_book_fills_in_may_be_left_out_and_one_and_zero_are_booleans(
    kehu, tmp_path, export
):
    document = json.loads(json.dumps(export))
    del document["tables"]["contact"][0]["sent"]  # as before schema 17
    del document["tables"]["customer"][0]["attempts"]
    del document["tables"]["customer"][0]["salutation"]
    document["tables"]["occasion"][0]["leap"] = 0
    document["tables"]["purchase"][0]["amount"] = 158000
    result, _path = _import(kehu, tmp_path, document, "--db", str(tmp_path / "other.db"))
    assert result.code == 0 and result.out.startswith("Restored 2 customers"), result
    back = Kehu(str(tmp_path / "other.db"))
    assert back.rows("SELECT sent FROM contact")[0]["sent"] in (0, False)
    assert back.rows("SELECT attempts, salutation FROM customer WHERE id = 1") == [
        {"attempts": 0, "salutation": None}
    ]
    assert float(back.rows("SELECT amount FROM purchase")[0]["amount"]) == 158000


def test_a_bad_row_is_told_in_chinese(kehu, tmp_path, export):
    document = _changed(export, "contact", 0, "sent", None)
    path = tmp_path / "book.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = in_chinese("--db", str(tmp_path / "zh.db"), "import", str(path))
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr == (
        f"kehu: {path}：contact[0].sent 为空（null）；可以用：true 或 false；什么都没有导入\n"
    ), done.stderr


def test_a_restored_book_goes_on_with_the_next_ids_on_either_engine(kehu, tmp_path):
    source = ("--db", str(tmp_path / "source.db"))
    kehu.ok(*source, "add", "张伟", "--phone", "13800000001", "--product", "雅阁")
    kehu.ok(*source, "log", "张伟", "--via", "call", "--note", "回电")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert kehu(*source, "export", "--format", "json", str(first)).code == 0
    kehu.new_book()  # on PostgreSQL a server book, whose ids come from sequences
    assert kehu.ok("import", str(first)) == f"Restored 1 customer from {first}.\n"
    assert kehu("export", "--format", "json", str(second)).code == 0
    assert first.read_bytes() == second.read_bytes()
    kehu.ok("add", "李娜", "--phone", "13800000002")
    kehu.ok("log", "李娜", "--via", "call")
    assert kehu.rows("SELECT id, name FROM customer ORDER BY id") == [
        {"id": 1, "name": "张伟"}, {"id": 2, "name": "李娜"}
    ]  # fmt: skip
    assert [r["id"] for r in kehu.rows("SELECT id FROM contact ORDER BY id")] == [1, 2]


def _occasion(document: dict[str, Any], **values: Any) -> Any:
    changed = json.loads(json.dumps(document))
    changed["tables"]["occasion"][0].update(values)
    return changed


def test_a_date_kehu_date_add_refuses_or_a_negative_amount_stops_the_restore(
    kehu, tmp_path, export
):
    other = Kehu(str(tmp_path / "other.db"))
    other.new_book()
    before = other.snapshot()
    cases = [
        ({"month": 13}, "occasion[0].month is not possible: the month must be 1 to 12"),
        ({"month": 0}, "occasion[0].month is not possible: the month must be 1 to 12"),
        ({"day": 40}, "occasion[0].day is not possible: that month has no such day"),
        ({"month": 4, "day": 31}, "occasion[0].day is not possible: that month has no such day"),
        ({"month": 2, "day": 29, "year": 1985},
         "occasion[0].day is not possible: that month has no such day"),
        ({"calendar": "lunar", "day": 31},
         "occasion[0].day is not possible: a lunar day is 1 to 30"),
        ({"calendar": "lunar", "day": 0},
         "occasion[0].day is not possible: a lunar day is 1 to 30"),
        ({"leap": True}, "occasion[0].leap is not possible: only a lunar date has a leap month"),
        ({"year": 1899}, "occasion[0].year is not possible: the year must be 1900 to 2199"),
        ({"calendar": "lunar", "year": 2200},
         "occasion[0].year is not possible: the year must be 1900 to 2199"),
        ({"calendar": "lunar", "month": 3, "leap": True, "year": 2020},  # 2020: 闰四月
         "occasion[0].leap is not possible: that lunar year has no such day"),
        ({"calendar": "lunar", "month": 1, "day": 30, "year": 2020},  # 正月 of 29 days
         "occasion[0].day is not possible: that lunar year has no such day"),
    ]  # fmt: skip
    documents = [(_occasion(export, **values), words) for values, words in cases]
    documents += [
        (_changed(export, "purchase", 0, "amount", "-1.00"),
         "purchase[0].amount is below 0; accepted: 0 or more"),
        (_changed(export, "purchase", 0, "amount", -158000),
         "purchase[0].amount is below 0; accepted: 0 or more"),
    ]  # fmt: skip
    for document, words in documents:
        for dry_run in ((), ("--dry-run",)):
            path = tmp_path / "changed.json"
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            result = kehu("--db", other.target, "import", *dry_run, str(path))
            assert result.err == f"kehu: {path}: {words}; nothing was imported\n", result
            assert result.code == 2 and result.out == "", result
            assert not any(word in result.err for word in PRIVATE), result
    assert other.snapshot() == before


def test_a_date_kehu_keeps_is_restored(kehu, tmp_path, export):
    document = _occasion(export, calendar="lunar", month=4, day=29, leap=True, year=2020)
    document["tables"]["purchase"][0]["amount"] = "0.00"
    result, _path = _import(kehu, tmp_path, document, "--db", str(tmp_path / "other.db"))
    assert result.code == 0 and result.out.startswith("Restored 2 customers"), result
    back = Kehu(str(tmp_path / "other.db"))
    assert [
        (r["calendar"], r["month"], r["day"], bool(r["leap"]), r["year"])
        for r in back.rows("SELECT calendar, month, day, leap, year FROM occasion")
    ] == [("lunar", 4, 29, True, 2020)]
    assert float(back.rows("SELECT amount FROM purchase")[0]["amount"]) == 0


def test_an_impossible_date_is_told_in_chinese(kehu, tmp_path, export):
    path = tmp_path / "book.json"
    path.write_text(json.dumps(_occasion(export, month=13), ensure_ascii=False), encoding="utf-8")
    done = in_chinese("--db", str(tmp_path / "zh.db"), "import", str(path))
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr == (
        f"kehu: {path}：occasion[0].month 不成立：月份必须是 1 到 12；什么都没有导入\n"
    ), done.stderr


def test_a_birthday_after_today_stops_the_restore_as_date_add_refuses_it(kehu, tmp_path, export):
    other = Kehu(str(tmp_path / "other.db"))
    other.new_book()
    before = other.snapshot()
    words = (
        "occasion[0].year makes a birthday after today; accepted: a year that puts it on or "
        "before 2026-11-22, or none"
    )
    refused = kehu("date", "add", "张伟", "birthday", "2026-11-23")
    assert refused.code == 2 and "after today" in refused.err, refused
    for values in (
        {"year": 2027},
        {"year": 2026, "month": 11, "day": 23},
        {"calendar": "lunar", "year": 2026, "month": 10, "day": 15},  # 十月十五: 23 Nov
    ):
        for dry_run in ((), ("--dry-run",)):
            path = tmp_path / "changed.json"
            path.write_text(json.dumps(_occasion(export, **values)), encoding="utf-8")
            result = kehu("--db", other.target, "import", *dry_run, str(path))
            assert result.err == f"kehu: {path}: {words}; nothing was imported\n", result
            assert result.code == 2 and result.out == "", result
    assert other.snapshot() == before
    zh = in_chinese("--db", other.target, "import", str(path))
    assert (zh.returncode, zh.stdout) == (2, ""), zh
    assert zh.stderr == (
        f"kehu: {path}：occasion[0].year 使生日晚于今天；可以用：让生日在 2026-11-22 及以前的"
        "年份，或不写年份；什么都没有导入\n"
    ), zh.stderr
    assert other.snapshot() == before
    # Today itself is a birthday that has come; another kind of date may be ahead.
    document = _occasion(export, year=2026, month=11, day=22)
    document["tables"]["occasion"].append(
        {**document["tables"]["occasion"][0], "id": 2, "kind": "wedding", "year": 2027}
    )
    result, _path = _import(kehu, tmp_path, document, "--db", other.target)
    assert result.code == 0 and result.out.startswith("Restored 2 customers"), result
    assert [(r["kind"], r["year"]) for r in other.rows("SELECT kind, year FROM occasion")] == [
        ("birthday", 2026), ("wedding", 2027)
    ]  # fmt: skip
