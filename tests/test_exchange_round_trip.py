"""What `kehu export` writes to CSV and Excel comes back the same through `kehu import` into a
fresh book: a birthday without a year stays without one, and who referred whom stays linked."""

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import sqlite_only


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


def test_vcards_write_a_birthday_without_a_year_in_each_versions_own_form(kehu):
    kehu.ok("add", "张伟", "--birthday", "03-15")
    assert "\nBDAY:--0315\r" in kehu.ok("export", "--format", "vcf")
    three = kehu.ok("export", "--format", "vcf", "--vcard-version", "3")
    assert "\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15\r" in three
