"""kehu export writes rows as it reads them: the streamed JSON document is byte for byte the one
json.dumps gives, and customers read a chunk at a time come out whole and in order, with each
one's own facts and dates, whatever the chunk boundaries."""

import csv
import io
import json

import openpyxl
import vobject
from hypothesis import given
from hypothesis import strategies as st

from kehu.book import exporting
from kehu.exchange import jsonfile

VALUES = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
ROWS = st.lists(st.dictionaries(st.text(min_size=1, max_size=5), VALUES, min_size=1, max_size=4),
                max_size=3)  # fmt: skip


@given(tables=st.dictionaries(st.text(min_size=1, max_size=6), ROWS, max_size=4))
def test_the_streamed_document_is_the_one_written_whole(tables):
    whole, streamed = io.BytesIO(), io.BytesIO()
    jsonfile.write({"tables": tables}, whole)
    counts = jsonfile.write_tables(sorted(tables.items()), streamed)
    assert streamed.getvalue() == whole.getvalue()
    assert counts == {name: len(rows) for name, rows in tables.items()}
    assert jsonfile.read(streamed.getvalue()) == {"tables": tables}


def _small_book(kehu):
    for n in range(7):
        kehu.ok("add", f"客户{n}", "--phone", f"1380000000{n}", "--set", f"k{n % 3}=v{n}")
    kehu.ok("date", "add", "客户5", "birthday", "1985-03-15")
    kehu.ok("date", "add", "客户6", "birthday", "农历八月十五")
    kehu.ok("archive", "客户2")


def test_customers_read_in_chunks_come_out_whole_and_in_order(kehu, tmp_path, monkeypatch):
    _small_book(kehu)
    whole = tmp_path / "whole.csv"
    kehu("export", str(whole))
    monkeypatch.setattr(exporting, "EXPORT_CHUNK", 2)
    chunked = tmp_path / "chunked.csv"
    assert kehu("export", str(chunked)).err.startswith("Exported 6 customers")
    assert chunked.read_bytes() == whole.read_bytes()
    rows = list(csv.DictReader(io.StringIO(chunked.read_text("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["客户0", "客户1", "客户3", "客户4", "客户5", "客户6"]
    assert [(r["profile:k0"], r["profile:k1"], r["profile:k2"]) for r in rows] == [
        ("v0", "", ""), ("", "v1", ""), ("v3", "", ""), ("", "v4", ""), ("", "", "v5"),
        ("v6", "", ""),
    ]  # fmt: skip
    assert [r["birthday"] for r in rows] == ["", "", "", "", "1985-03-15", ""]
    assert kehu.ok("export") == whole.read_bytes().decode("utf-8-sig")  # stdout: the same, no BOM


def test_every_format_streams_the_same_customers_in_chunks(kehu, tmp_path, monkeypatch):
    _small_book(kehu)
    monkeypatch.setattr(exporting, "EXPORT_CHUNK", 2)
    kehu("export", "--archived", "--format", "xlsx", str(tmp_path / "all.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [f"客户{n}" for n in range(7)]
    cards = list(vobject.readComponents(kehu.ok("export", "--format", "vcf")))
    assert [c.fn.value for c in cards] == ["客户0", "客户1", "客户3", "客户4", "客户5", "客户6"]
    lunar = [c for c in cards if "note" in c.contents]
    assert [c.fn.value for c in lunar] == ["客户6"] and "八月十五" in lunar[0].note.value
    document = json.loads(kehu.ok("export", "--format", "json"))
    assert [c["name"] for c in document["tables"]["customer"]] == [f"客户{n}" for n in range(7)]
