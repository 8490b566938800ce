"""An archived customer exported with --archived (CSV, xlsx, vCard) comes back archived, since
when the file says, in a new book: not back on the daily list and in `kehu list`."""

import pytest


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "vcf"])
def test_an_archived_customer_comes_back_archived(kehu, tmp_path, suffix):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Polo", now="2026-11-01T10:00")
    kehu.ok("add", "冯二", "--phone", "13700137008", "--product", "Golf", now="2026-11-01T10:00")
    kehu.ok("archive", "冯二", now="2026-11-20T09:30")
    path = tmp_path / f"all.{suffix}"
    assert kehu("export", "--archived", str(path)).code == 0
    other = ("--db", str(tmp_path / "other.db"))
    assert "Imported 2 customers." in kehu.ok(*other, "import", str(path))
    feng = kehu.json(*other, "show", "冯二")
    assert feng["archived_at"] == kehu.json("show", "冯二")["archived_at"]
    assert feng["archived_at"].startswith("2026-11-20T09:30")
    assert kehu.json(*other, "show", "张伟")["archived_at"] is None
    assert [c["name"] for c in kehu.json(*other, "list")] == ["张伟"]
    assert "冯二" in kehu.ok(*other, "list", "--archived")
    # undo takes the whole import back, the archived customer too
    kehu.ok(*other, "undo")
    assert "No customers" in kehu.ok(*other, "list", "--archived")


def test_an_archived_at_cell_that_cannot_be_read_stops_the_import(kehu, tmp_path):
    kehu.new_book()
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,name,phone,owner,created_at,archived_at\n1,张伟,13800138000,mei,,不知道\n", "utf-8"
    )
    before = kehu.snapshot()
    result = kehu("import", str(path))
    assert result.code != 0 and "archived_at" in result.err and "line 2" in result.err, result
    assert "Traceback" not in result.err and "不知道" not in result.err
    assert kehu.snapshot() == before
