"""Every test gets its own empty book, config and frozen clock; nothing touches the home folder.

The engine is SQLite unless KEHU_TEST_DATABASE_URL names a PostgreSQL database, in which case
each test starts from an empty schema in it.
"""

import contextlib
import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# English whatever the machine's locale; before kehu.cli binds the language (and so that it
# reads no config file in the home folder to find the `language` setting).
os.environ["KEHU_LANG"] = "en"

from kehu.book import opening  # noqa: E402
from kehu.cli import main  # noqa: E402

SERVER_URL = os.environ.get("KEHU_TEST_DATABASE_URL")
ENGINE = "postgresql" if SERVER_URL else "sqlite"
sqlite_only = pytest.mark.skipif(SERVER_URL is not None, reason="about the SQLite file itself")


def in_chinese(*args: str, now: str | None = None) -> subprocess.CompletedProcess[str]:
    """kehu run as a Chinese user runs it: a process of its own with KEHU_LANG=zh, on the test's
    book, at `now` when given (else the test's clock)."""
    env = {**os.environ, "KEHU_LANG": "zh", **({"KEHU_NOW": now} if now else {})}
    return subprocess.run([sys.executable, "-m", "kehu", *args], env=env, capture_output=True,
                          text=True)  # fmt: skip


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def on_a_terminal(args: tuple[str, ...], env: dict[str, str]) -> str:
    """kehu's output in a pseudo-terminal (colour codes removed), run with `env`; it must exit 0."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kehu", *args], stdout=follower, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, env=env, timeout=60, check=False,
        )  # fmt: skip
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once everything has been read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 0, done.stderr.decode()
    return ANSI.sub("", b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))


NOW = "2026-11-22T10:00"  # a Sunday
# Who a change is recorded as: KEHU_USER on SQLite; on a server book the session's role.
MADE_BY = "mei" if SERVER_URL is None else SERVER_URL.split("://", 1)[1].split(":", 1)[0]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def __repr__(self) -> str:  # shown when an assertion fails
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


class TtyInput(io.StringIO):
    def isatty(self) -> bool:
        return True


class Kehu:
    """Runs the real command line in this process, as a user would type it."""

    def __init__(self, target: str):
        self.target = target

    def __call__(self, *args: str, input: str | None = None, tty: bool = False,
                 now: str | None = None) -> Result:  # fmt: skip
        out, err = io.StringIO(), io.StringIO()
        stdin = TtyInput(input or "") if tty else io.StringIO(input or "")
        saved_now = os.environ.get("KEHU_NOW")
        if now is not None:
            os.environ["KEHU_NOW"] = now
        old_stdin, sys.stdin = sys.stdin, stdin
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main.run([str(a) for a in args])
        finally:
            sys.stdin = old_stdin
            if saved_now is not None:
                os.environ["KEHU_NOW"] = saved_now
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *args: str, **kwargs: Any) -> str:
        result = self(*args, **kwargs)
        assert result.code == 0, result
        assert result.err == "", result
        return result.out

    def json(self, *args: str, **kwargs: Any) -> Any:
        import json

        return json.loads(self.ok(*args, "--json", **kwargs))

    def new_book(self) -> None:
        """An empty book, as the first `kehu add` leaves it (commands that read never make one)."""
        opening.open_book(self.target, create=True).close()

    def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        book = opening.open_book(self.target)
        try:
            return book.transact(lambda tx: [dict(r) for r in tx.all(sql, **params)], write=False)
        finally:
            book.close()

    def count(self, table: str) -> int:
        return int(self.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table: to show that a failed command changed nothing."""
        from kehu.book.schema import TABLES_IN_ORDER

        return {t: self.rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in TABLES_IN_ORDER}


def _empty_server_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("KEHU_DB", "KEHU_TZ", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    target = SERVER_URL or str(tmp_path / "data" / "kehu.db")
    if SERVER_URL:
        _empty_server_schema(SERVER_URL)
    monkeypatch.setenv("KEHU_DB", target)
    monkeypatch.setenv("KEHU_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("KEHU_NOW", NOW)
    monkeypatch.setenv("KEHU_USER", "mei")
    monkeypatch.setenv("KEHU_TZ", "Asia/Shanghai")
    monkeypatch.setenv("KEHU_BACKUP", "inline")  # the daily copy in-process, not in the background
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield target


@pytest.fixture
def kehu(isolated: str) -> Kehu:
    return Kehu(isolated)
