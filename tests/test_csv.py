"""CSV export and import: formulas neutralised for spreadsheets, restored on the way back."""

import csv
import os
import random
import signal
import subprocess
import sys
import time

from conftest import sqlite_only
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BadInput
from kehu.exchange import csvfile

DANGEROUS = ["=SUM(A1:A9)", "+86 138 0013 8000", "-2 days", "@cmd", "\tx", "\rx", "'=already"]


@given(st.text())
def test_neutralised_cells_never_start_a_formula_and_come_back_exactly(value):
    cell = csvfile.neutralise(value)
    assert not cell.startswith(csvfile.FORMULA_START)
    assert csvfile.restore(cell) == value


def test_export_neutralises_and_a_reimport_restores_the_originals(kehu, tmp_path):
    for n, value in enumerate(DANGEROUS):
        kehu.ok(
            "add", "--phone", f"1380000000{n}", "--note", value, "--set", f"x={value}", "--", value
        )
    kehu.ok("add", "张伟", "--company", "张记茶行", "--set", "爱好=钓鱼", "--tier", "A")
    path = tmp_path / "book.csv"
    result = kehu("export", str(path))
    assert result.code == 0 and result.err == "Exported 8 customers to " + str(path) + ".\n"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows][:3] == ["'=SUM(A1:A9)", "'+86 138 0013 8000", "'-2 days"]
    assert all(not cell.startswith(csvfile.FORMULA_START) for r in rows for cell in r.values())
    before = [kehu.json("show", str(i)) for i in range(1, 9)]
    other = str(tmp_path / "other" / "kehu.db")
    out = kehu.ok("--db", other, "import", str(path))
    assert out == "Imported 8 customers.\n"
    after = [kehu.json("--db", other, "show", str(i)) for i in range(1, 9)]
    same = ("name", "phone", "notes", "profile", "tier", "company")
    assert [{k: c[k] for k in same} for c in after] == [{k: c[k] for k in same} for c in before]


@sqlite_only
def test_an_export_file_is_private_whatever_the_umask(kehu, isolated, tmp_path):
    kehu.ok("add", "张伟")
    path = tmp_path / "out.csv"
    result = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0); from kehu.cli.main import main; "
         f"import sys; sys.argv=['kehu', 'export', {str(path)!r}]; main()"],
        capture_output=True, timeout=60, env={**os.environ, "KEHU_DB": isolated},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_export_to_stdout_and_never_over_a_file(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    text = kehu.ok("export")
    assert text.splitlines()[1].startswith("1,张伟,13800138000,")
    existing = tmp_path / "x.csv"
    existing.write_text("keep me")
    result = kehu("export", str(existing))
    assert result.code == BadInput.exit_code
    assert result.err == f"kehu: {existing} already exists; add --replace to write over it\n"
    assert existing.read_text() == "keep me"


def test_import_is_all_or_nothing_and_skips_known_phones(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    good = tmp_path / "good.csv"
    good.write_text("name,phone,tier,profile:hobbies\n王芳,13855556666,A,烘焙\n"
                    "Zhang Wei,+86 138-0013-8000,B,\n", encoding="utf-8")  # fmt: skip
    assert kehu.ok("import", str(good)) == (
        "Imported 1 customer; 1 skipped (already in the book).\n"
    )
    assert kehu.json("show", "王芳")["profile"] == {"hobbies": "烘焙"}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,phone,tier\nA,13100000001,B\nB,13100000002,Z\n", encoding="utf-8")
    before = kehu.snapshot()
    result = kehu("import", str(bad))
    assert result.code == BadInput.exit_code
    assert (
        result.err == f"kehu: {bad}, line 3: unknown tier 'Z'; accepted: A, B, C; "
        "nothing was imported\n"
    )
    assert kehu.snapshot() == before


@sqlite_only
def test_an_import_killed_midway_leaves_all_or_nothing(kehu, isolated, tmp_path):
    rows = "".join(f"客户{n},139{n:08d},B\n" for n in range(3000))
    source = tmp_path / "many.csv"
    source.write_text("name,phone,tier\n" + rows, encoding="utf-8")
    kehu.ok("add", "张伟")  # the book exists before the kills
    env = {**os.environ, "KEHU_DB": isolated}
    rng = random.Random(7)
    outcomes = {"complete": 0, "none": 0, "partial": 0}
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-m", "kehu", "import", str(source)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.05, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        count = kehu.count("customer") - 1
        if count == 0:
            outcomes["none"] += 1
        elif count == 3000:
            outcomes["complete"] += 1
            _reset(isolated)
        else:
            outcomes["partial"] += 1
    print(f"import kills: {outcomes}")
    assert outcomes["partial"] == 0, outcomes
    assert kehu.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def _reset(path: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM customer WHERE name LIKE '客户%'")
    conn.close()


def test_an_export_killed_midway_leaves_no_half_file(kehu, tmp_path, monkeypatch):
    kehu.ok("add", "张伟")
    target = tmp_path / "out.csv"

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    from kehu.exchange import table_files

    monkeypatch.setattr(table_files, "write_csv", crash)
    result = kehu("export", str(target))
    assert result.code == 130
    assert not target.exists() and list(tmp_path.glob(".out.csv.*")) == []
