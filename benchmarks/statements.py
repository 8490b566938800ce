"""Time each SQL statement of one kehu command in-process on a SQLite book: best of N runs.

    KEHU_DB=book.db KEHU_USER=bench KEHU_NOW=... python benchmarks/statements.py overdue

Statements are keyed by their first 90 characters; a statement's time includes reading all
its rows. Compare two books (a team book and the same owner's own) statement by statement.
"""

import collections
import os
import sys
import time
from typing import Any

from kehu.book import engine

RUNS = int(os.environ.get("RUNS", "5"))
best: dict[str, list[float]] = collections.defaultdict(list)
this_run: dict[str, float] = {}


def _timed(name: str) -> None:
    original = getattr(engine.SQLiteTx, name)

    def timed(self: Any, sql: str, **params: Any) -> Any:
        start = time.perf_counter()
        result = original(self, sql, **params)
        if not isinstance(result, (list, int)):
            result = list(result)
        key = sql[:90]
        this_run[key] = this_run.get(key, 0.0) + time.perf_counter() - start
        return iter(result) if name in ("each", "tuples") else result

    setattr(engine.SQLiteTx, name, timed)


def main() -> None:
    for name in ("all", "each", "tuples"):
        _timed(name)
    from typer.testing import CliRunner

    from kehu.cli.app import app
    from kehu.cli.main import COMMAND_MODULES

    __import__(f"kehu.cli.{COMMAND_MODULES[sys.argv[1]]}")

    totals = []
    for _run in range(RUNS):
        this_run.clear()
        start = time.perf_counter()
        result = CliRunner().invoke(app, sys.argv[1:])
        totals.append(time.perf_counter() - start)
        for key, seconds in this_run.items():
            best[key].append(seconds)
    print(
        f"exit {result.exit_code}, {len(result.output.splitlines())} lines,"
        f" best {min(totals) * 1000:.1f} ms"
    )
    for key, times in best.items():
        print(f"{min(times) * 1000:8.2f} ms  {key}")


if __name__ == "__main__":
    main()
