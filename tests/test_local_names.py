"""Backup names in the user's local time, times in the export in it too, and a server that
cannot be reached named by host and port."""

import csv
import io
import os
from pathlib import Path
from typing import Any

from conftest import sqlite_only


@sqlite_only
def test_backup_names_are_in_local_time(kehu: Any, isolated: str) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")  # KEHU_NOW is 10:00 in Shanghai
    out = kehu.ok("backup")
    assert "kehu-20261122-100000-manual.db" in out
    os.environ["KEHU_BACKUP"] = "inline"
    try:
        kehu.ok("add", "王芳", now="2026-11-23T07:30")  # 23:30 UTC on the 22nd
    finally:
        del os.environ["KEHU_BACKUP"]
    names = sorted(p.name for p in (Path(isolated).parent / "backups").glob("*-daily.db"))
    assert names == ["kehu-20261122-100000-daily.db", "kehu-20261123-073000-daily.db"]


def test_export_gives_times_in_local_time(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "1", "--via", "call", "--at", "2026-11-22 08:00")
    [row] = csv.DictReader(io.StringIO(kehu.ok("export").lstrip("\ufeff")))
    assert row["created_at"] == "2026-11-22T10:00:00+08:00"
    assert row["last_reached_at"] == "2026-11-22T08:00:00+08:00"


@sqlite_only
def test_copy_to_an_unreachable_server_names_its_host_and_port(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    result = kehu("copy-to", "postgresql+psycopg://bob:s3cret@127.0.0.1:1/kehu")
    assert result.code != 0
    assert result.err.count("\n") == 1
    assert "could not connect" in result.err and "127.0.0.1" in result.err and "1" in result.err
    assert "s3cret" not in result.err and "OperationalError" not in result.err
