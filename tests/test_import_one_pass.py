"""`kehu import` checks and writes its rows in one pass over the file, in one transaction: a
problem found after rows were written still rolls them all back, every problem is listed, and a
book the import had to create is not left behind."""

from pathlib import Path
from typing import Any

from conftest import SERVER_URL

from kehu.book import new_customers

ROWS = 1200  # more than a chunk: rows are in the book when the last problem is found


def sheet(tmp_path: Path, bad: dict[int, str]) -> Path:
    """A sheet of ROWS customers; bad maps a line number to the amount written on it."""
    lines = ["姓名,手机,购买车型,成交价"]
    for line in range(2, ROWS + 2):
        lines.append(f"客户{line},139{line:08d},凯美瑞,{bad.get(line, '158000')}")
    path = tmp_path / "客户.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def test_problems_early_and_late_are_all_listed_and_nothing_is_written(
    kehu: Any, tmp_path: Path
) -> None:
    kehu.ok("add", "王芳", "--phone", "13800138000")
    before = kehu.snapshot()
    result = kehu("import", str(sheet(tmp_path, {3: "很多", 1150: "-5"})), "--yes")
    assert result.code != 0
    lines = result.err.splitlines()
    assert len(lines) == 2, result.err
    assert "line 3" in lines[0] and "can't read the amount; accepted" in lines[0]
    assert "很多" not in result.err and "-5" not in result.err  # a customer's figure
    assert "line 1150" in lines[1] and "negative" in lines[1]
    assert lines[1].endswith("nothing was imported")
    assert kehu.snapshot() == before


def test_a_failed_import_into_no_book_leaves_no_book(kehu: Any, tmp_path: Path) -> None:
    result = kehu("import", str(sheet(tmp_path, {ROWS + 1: "x"})), "--yes")
    assert result.code != 0 and f"line {ROWS + 1}" in result.err
    if not SERVER_URL:
        assert not Path(kehu.target).exists()
        assert not Path(f"{kehu.target}-wal").exists()


def test_a_good_file_is_written_whole_with_its_warnings(
    kehu: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(new_customers, "CHUNK", 7)
    path = sheet(tmp_path, {})
    text = path.read_bytes().decode("gbk").replace("13900000005", "13900000004")
    path.write_bytes(text.encode("gbk"))
    result = kehu("import", str(path), "--yes")
    assert result.code == 0, result
    assert "line 5: the same phone as line 4" in result.err
    assert kehu.count("customer") == ROWS - 1
    assert kehu.count("purchase") == ROWS
    names = [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")]
    assert names == [f"客户{line}" for line in range(2, ROWS + 2) if line != 5]
