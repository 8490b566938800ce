"""kehu show costs what one customer holds, not what the book holds: every statement it runs on
a SQLite book reaches the book's tables through an index (a SCAN only of constant rows)."""

import sqlite3

import pytest
from conftest import SERVER_URL

pytestmark = pytest.mark.skipif(bool(SERVER_URL), reason="SQLite's query plans")
SMALL = ("sqlite_master",)  # the schema's own table, whatever the book's size


def test_show_reads_every_table_through_an_index(kehu, isolated, monkeypatch):
    kehu.ok("add", "张伟", "--phone", "13800000001", "--product", "雅阁", "--amount", "15万")
    kehu.ok("add", "李娜", "--phone", "13800000002", "--referred-by", "张伟")
    kehu.ok("date", "add", "李娜", "birthday", "农历八月十五")
    kehu.ok("log", "李娜", "--via", "call", "--next", "2026-12-01")
    statements: list[str] = []
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    kehu.ok("show", "李娜")
    monkeypatch.undo()
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) > 10
    conn = real(isolated)
    scans = {
        step
        for sql in reads
        for (*_ids, step) in conn.execute("EXPLAIN QUERY PLAN " + sql)
        if step.startswith("SCAN") and "CONSTANT ROWS" not in step
        and step.split()[1] not in (*SMALL, "w")  # w: a VALUES list of the statement's own
    }  # fmt: skip
    conn.close()
    assert scans == set()
