"""Looks inside kehu for run.py, in a process of its own (KEHU_DB etc. in the environment).

    python benchmarks/probe.py plan today          # the SQL `kehu today` runs, and its full scans
    python benchmarks/probe.py dbwork NAME PHONE   # database-only time of add and log, in ms

`plan` runs the command in this process with every sqlite3 connection traced, then asks SQLite
for the query plan of each statement it ran. It prints JSON: the exit code, how many statements
ran, and for each table read in full (SCAN, not SEARCH) the statements that did it.

`dbwork` times the write transactions of `kehu add --phone … --product …` and `kehu log NAME`
(the same store calls, BEGIN IMMEDIATE to COMMIT) on the book, without process start-up.
"""

import contextlib
import io
import json
import os
import re
import sqlite3
import statistics
import sys
import time
from decimal import Decimal

RUNS = 7
KEYWORDS = {"where", "join", "on", "left", "inner", "cross", "group", "order", "limit", "set"}


def aliases(sql: str) -> dict[str, str]:
    """alias -> table, for `FROM table alias` and `JOIN table AS alias`."""
    found = {}
    for table, alias in re.findall(
        r"(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", sql
    ):
        found[table] = table
        if alias and alias.lower() not in KEYWORDS:
            found[alias] = table
    return found


def plan(args: list[str]) -> None:
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*a, **k):  # type: ignore[no-untyped-def]
        conn = connect(*a, **k)
        conn.set_trace_callback(statements.append)
        return conn

    sqlite3.connect = traced  # type: ignore[assignment]
    from kehu.cli import main

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main.run(args)
    book = connect(f"file:{os.environ['KEHU_DB']}?mode=ro", uri=True)
    scans: dict[str, list[str]] = {}
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b", sql, re.IGNORECASE):
            continue
        try:
            rows = book.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        except sqlite3.Error:
            continue
        names = aliases(sql)
        for row in rows:
            scan = re.match(r"SCAN (\w+)", row[3])
            if scan and scan.group(1) != "CONSTANT":
                table = names.get(scan.group(1), f"subquery {scan.group(1)}")
                scans.setdefault(table, []).append(" ".join(sql.split())[:160])
    print(json.dumps({"code": code, "statements": len(statements), "scans": scans}))


def dbwork(name: str, phone: str) -> None:
    from kehu.base import clock, settings
    from kehu.book import contacts, customers, engine, find, opening

    book = opening.open_book(os.environ["KEHU_DB"])
    now = clock.now(settings.load().tz())
    user = os.environ.get("KEHU_USER", "bench")

    def add(tx: engine.Tx, number: int) -> None:  # what `kehu add NAME --phone --product` writes
        digits = f"{phone}{number}"
        tx.all("SELECT id FROM customer WHERE phone_digits = :p", p=digits)
        cid = customers.add_customer(
            tx, owner=user, now=now, name="测试客户", phone=digits, tier="B"
        )
        customers.add_purchase(
            tx, customer_id=cid, product="Model Y", amount=Decimal(263900), sold_at=now,
            delivered_at=now,
        )  # fmt: skip
        engine.one(tx, "SELECT id, name, tier, archived_at FROM customer WHERE id = :id", id=cid)

    def log(tx: engine.Tx) -> None:  # what `kehu log NAME --via call --note …` writes
        row = find.customer(tx, name)
        contacts.log_contact(
            tx, customer_id=row["id"], at=now, channel="call", kind="follow-up", reached=True,
            note="probe", made_by=user,
        )  # fmt: skip
        tx.all("SELECT attempts FROM customer WHERE id = :id", id=row["id"])

    result = {}
    for label, work in (("add", add), ("log", lambda tx, _n: log(tx))):
        times = []
        for number in range(RUNS):
            start = time.perf_counter()
            book.transact(lambda tx, number=number, work=work: work(tx, number))
            times.append(time.perf_counter() - start)
        result[label] = round(statistics.median(times) * 1000, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["plan"]:
        plan(sys.argv[2:])
    elif sys.argv[1:2] == ["dbwork"] and len(sys.argv) == 4:
        dbwork(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
