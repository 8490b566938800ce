"""Export neutralises every cell a spreadsheet would run (full-width signs, a zero-width space
or leading spaces before =) and import gives each back exactly; a malformed CSV is an error
with its line, never a silent merge or loss (issue: nothing lost, part two, 20-21)."""

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_bad_input import refused

from kehu.exchange.csvfile import is_dangerous, neutralise, restore

DANGEROUS = ["＝1+1", "＋1", "－1", "＠SUM(A1)", "\u200b=1", " =1+1", "\u00a0=1", "\u3000=1",
             "\t=1", "'=1", "''＝1"]  # fmt: skip


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_looking_cells_are_neutralised_and_restored(value: str) -> None:
    written = neutralise(value)
    assert written.startswith("'") and is_dangerous(written)
    assert restore(written) == value


@given(st.text(alphabet=" \u00a0\u3000\u200b'=+-@＝＋－＠a1\t", max_size=8))
def test_round_trip_is_exact(value: str) -> None:
    assert restore(neutralise(value)) == value


def test_export_then_import_gives_back_the_same_texts(kehu: Any, tmp_path: Path) -> None:
    for n, value in enumerate(["＝1+1", "＋1", "－1", "＠x", "\u200b=1", "'=x"]):
        kehu.ok("add", f"客户{n}", "--company", value)
    before = {c["name"]: c["company"] for c in kehu.json("list")}
    out = tmp_path / "out.csv"
    assert kehu("export", str(out)).code == 0
    assert all(("'" + v) in out.read_text(encoding="utf-8-sig") for v in before.values())
    other = tmp_path / "second.db"
    result = kehu("--db", str(other), "import", str(out))
    assert result.code == 0, result
    after = kehu.json("--db", str(other), "list")
    assert {c["name"]: c["company"] for c in after} == before


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ('name,phone\n"李娜,13800000001\n王芳,13800000002\n', 2, "still open"),
        ("name,phone,phone\n李娜,13800000001,13900000000\n", 1, "two columns are called"),
        ("name,phone\n李娜,13800000001,extra\n", 2, "more cells than the header"),
    ],
)
def test_malformed_csv_is_an_error_with_its_line(
    kehu: Any, tmp_path: Path, text: str, line: int, says: str
) -> None:
    kehu.ok("add", "王五")
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    message = refused(kehu, 2, "import", str(path))
    assert f"line {line}:" in message and says in message


def test_cr_in_a_quoted_cell_and_a_nameless_profile_column_are_kept(
    kehu: Any, tmp_path: Path
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes('name,notes,profile:\n李娜,"一\r二",x\n'.encode())
    assert kehu("import", str(path)).code == 0
    card = kehu.json("show", "李娜")
    assert card["notes"] == "一\r二"
    assert card["profile"] == {"#3": "x"}  # a column without a name keeps its position
