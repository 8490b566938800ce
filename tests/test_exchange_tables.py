"""Tables in and out: encodings decided per file, CSV problems with their lines, formula-safe CSV
with a BOM, and .xlsx checked against openpyxl itself."""

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehu.exchange import encoding, table_files
from kehu.exchange.csvfile import is_dangerous, neutralise, restore
from kehu.exchange.records import FileProblem

CHINESE_EXCEL_ROWS = [
    ["客户姓名", "手机号", "性别", "生日", "购买车型", "成交价", "交车日期", "备注", "爱好"],
    ["张三", "13800138000", "男", "1985/3/15", "轩逸", "158000", "2025/6/1", "老客户", "钓鱼"],
    ["李四", "13900139000", "女", "农历三月初五", "", "", "", "", ""],
]


def chinese_excel_csv(path: Path, rows: list[list[str]]) -> Path:
    """A CSV as Excel on Chinese Windows saves it: GBK bytes, CRLF, no BOM."""
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(text.encode("gbk"))
    return path


def rows_of(table: table_files.Table) -> list[tuple[int, list[str]]]:
    return [(row.line, row.cells) for row in table.rows]


def test_a_gbk_csv_from_chinese_excel_is_read_whole(tmp_path):
    path = chinese_excel_csv(tmp_path / "客户.csv", CHINESE_EXCEL_ROWS)
    assert not path.read_bytes().startswith(encoding.UTF8_BOM)
    table = table_files.read_csv(path)
    assert table.encoding == "gb18030"
    assert table.header == CHINESE_EXCEL_ROWS[0]
    assert rows_of(table) == [(2, CHINESE_EXCEL_ROWS[1]), (3, CHINESE_EXCEL_ROWS[2])]


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (encoding.UTF8_BOM + "姓名\r\n张三\r\n".encode(), "utf-8-sig"),
        ("姓名\n张三\n".encode(), "utf-8"),
        (b"name\nplain ascii\n", "utf-8"),
        ("姓名\n张三\n".encode("gbk"), "gb18030"),
        ("姓名\n𠀀\n".encode("gb18030"), "gb18030"),  # beyond GBK: four-byte GB18030
    ],
)
def test_encoding_is_decided_for_the_whole_file(tmp_path, data, codec):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert encoding.decide(path) == codec
    assert encoding.decide_bytes(data) == codec


def test_one_gbk_cell_far_down_decides_for_the_whole_file(tmp_path):
    # Past the first read chunk: a per-chunk guess would call the file UTF-8 and garble it.
    rows = [["name", "note"]] + [[f"n{i}", "x" * 50] for i in range(3000)] + [["王五", "备注"]]
    path = chinese_excel_csv(tmp_path / "long.csv", rows)
    table = table_files.read_csv(path)
    assert table.encoding == "gb18030"
    assert rows_of(table)[-1] == (3002, ["王五", "备注"])


def test_bytes_that_no_encoding_reads_name_their_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name\r\nok\r\n\xff\xfe\xff\r\n")
    with pytest.raises(FileProblem) as caught:
        table_files.read_csv(path)
    assert (caught.value.problem.code, caught.value.problem.position) == ("undecodable", 3)


def test_each_bad_row_is_reported_with_its_line_and_the_others_are_read(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b'name,phone\r\nA,1\r\n"B"x,2\r\nC,3,extra\r\nD,4,,\r\n\r\nE,"5\r\n')
    table = table_files.read_csv(path)
    found = [(r.line, r.problem.code if r.problem else None, r.cells) for r in table.rows]
    assert found == [
        (2, None, ["A", "1"]),
        (3, "bad_quoting", []),
        (4, "extra_cells", ["C", "3", "extra"]),
        (5, None, ["D", "4"]),  # empty cells past the header are not data
        (7, "unterminated_quote", []),
    ]


def test_a_duplicate_header_is_a_problem_of_line_1(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("姓名,电话,电话\n张三,1,2\n", encoding="utf-8")
    with table_files.read_csv(path) as table:
        problems = table.problems
    assert [(p.code, p.position, p.detail) for p in problems] == [("duplicate_header", 1, "电话")]


def test_a_cr_inside_a_quoted_cell_is_kept_and_lines_count_lf(tmp_path):
    path = tmp_path / "cr.csv"
    path.write_bytes(b'name,note\r\nA,"one\rtwo"\r\nB,"three\r\nfour"\r\nC,x\r\n')
    assert rows_of(table_files.read_csv(path)) == [
        (2, ["A", "one\rtwo"]),
        (3, ["B", "three\r\nfour"]),
        (5, ["C", "x"]),
    ]


def test_an_empty_file_has_no_header(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileProblem) as caught:
        table_files.read_csv(path)
    assert caught.value.problem.code == "no_header"


def test_semicolon_separated_csv_from_european_excel(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("name;phone\nA;1\n", encoding="utf-8")
    assert rows_of(table_files.read_csv(path)) == [(2, ["A", "1"])]


def test_written_csv_has_a_bom_crlf_and_no_live_formula():
    out = io.BytesIO()
    table_files.write_csv(["name", "note"], [["张三", "=HYPERLINK(1)"], ["李四", "＝1+1"]], out)
    data = out.getvalue()
    assert data.startswith(encoding.UTF8_BOM)
    assert data.decode("utf-8-sig") == "name,note\r\n张三,'=HYPERLINK(1)\r\n李四,'＝1+1\r\n"


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠x", " =1",
     "\u00a0=1", "\u3000=1", "\u200b=1", "  \u3000+1", "'=1", "\u200b"],
)  # fmt: skip
def test_formula_looking_cells_are_neutralised(cell):
    if cell == "\u200b":  # a zero-width space alone starts nothing
        assert neutralise(cell) == cell
        return
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@given(st.text())
def test_neutralise_then_restore_gives_back_any_text(value):
    assert restore(neutralise(value)) == value
    assert not is_dangerous(neutralise(value)) or neutralise(value).startswith("'")


cell_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=2, max_size=2), max_size=8))
def test_csv_written_then_read_gives_back_the_same_cells(tmp_path_factory, rows):
    rows = [r for r in rows if any(c.strip() for c in r)]  # blank rows are not data
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    with path.open("wb") as f:
        table_files.write_csv(["a", "b"], rows, f)
    assert [row.cells for row in table_files.read_csv(path).rows] == rows


def test_xlsx_written_is_read_by_openpyxl_with_text_never_a_formula(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [["张三", "=1+1", 158000, date(2025, 6, 1)], ["李四", "a\x01b_x0041_", 1.5, None]]
    assert table_files.write_xlsx(["姓名", "备注", "金额", "交车日期"], rows, path) == 2
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["C2"].value == 158000
    assert sheet["D2"].value == datetime(2025, 6, 1)
    table = table_files.read_xlsx(path)
    assert table.header == ["姓名", "备注", "金额", "交车日期"]
    assert rows_of(table) == [
        (2, ["张三", "=1+1", "158000", "2025-06-01"]),
        (3, ["李四", "a\x01b_x0041_", "1.5", ""]),
    ]


def test_an_excel_sheet_keeps_phone_numbers_dates_and_line_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["客户姓名", "手机", "生日", "成交价"])
    sheet.append(["张三", 13800138000, datetime(1985, 3, 15), 158000.5])
    sheet.append([])
    sheet.append(["王五", "139 0000 1111", "03-15", None])
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    table = table_files.read_xlsx(path)
    assert rows_of(table) == [
        (2, ["张三", "13800138000", "1985-03-15", "158000.5"]),
        (4, ["王五", "139 0000 1111", "03-15", ""]),
    ]


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"name,phone\n")
    with pytest.raises(FileProblem) as caught:
        table_files.read_xlsx(path)
    assert caught.value.problem.code == "no_header"


def test_a_table_closed_before_its_rows_are_read_releases_its_file(tmp_path):
    path = chinese_excel_csv(tmp_path / "客户.csv", CHINESE_EXCEL_ROWS)
    with table_files.read_csv(path) as table:
        assert next(table.rows).line == 2
    with pytest.raises(ValueError):  # reading a closed file
        list(table.rows)


def test_the_chinese_excel_file_becomes_records_with_nothing_lost(tmp_path):
    from kehu.exchange import columns
    from kehu.exchange.records import Day

    path = chinese_excel_csv(tmp_path / "客户.csv", CHINESE_EXCEL_ROWS)
    with table_files.read_csv(path) as table:
        mapping = columns.recognise(table.header)
        records = [mapping.record(row.cells, row.line) for row in table.rows]
    assert [p for _, problems in records for p in problems] == []
    zhang, li = (record for record, _ in records)
    assert (zhang.name, zhang.phones, zhang.gender) == ("张三", ["13800138000"], "男")
    assert (zhang.birthday, zhang.product, zhang.amount) == (Day(1985, 3, 15), "轩逸", "158000")
    assert (zhang.delivered, zhang.note, zhang.facts) == (
        date(2025, 6, 1),
        "老客户",
        {"爱好": "钓鱼"},
    )
    assert (li.name, li.lunar_birthday, li.position) == ("李四", "三月初五", 3)
