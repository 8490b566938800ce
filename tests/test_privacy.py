"""The book is the user's alone: private files whatever the umask, and no customer data in
error output, whatever goes wrong in whichever command.

A marked customer (name and phone) is planted in the book; every command is then made to fail
in several ways, and its stderr is searched for the marks.
"""

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SERVER_URL, sqlite_only

from kehu.book import engine
from kehu.cli.app import app

NAME = "SENTINEL名字Ω"
PHONE = "13999990000"
MARKS = ("SENTINEL", "名字Ω", PHONE, "9999 0000", "秘密")
WORKERS = Path(__file__).with_name("workers.py")

# Every command, aimed at the marked customer (#1) where it takes one.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("path",),
    ("config",),
    ("config", "rules.daily_target", "12"),
    ("backup",),
    ("doctor",),
    ("copy-to", "postgresql+psycopg://kehu:pw@127.0.0.1:9/none"),
    ("export",),
    ("export", "{tmp}/export.csv"),
    ("import", "{tmp}/planted.csv"),
    ("add", NAME, "--phone", PHONE, "--product", "秘密车型二"),
    ("sale", "1", "--product", "秘密配件"),
    ("lost", "1", "--reason", "budget", "--note", "秘密原因"),
    ("prospects",),
    ("log", "1", "--via", "call", "--note", "秘密谈话"),
    ("promise", "1", "秘密承诺", "--due", "tomorrow"),
    ("kept", "P1"),
    ("cancel", "P2"),
    ("promises",),
    ("show", "1"),
    ("show", PHONE),
    ("list",),
    ("edit", "1", "--company", "秘密公司"),
    ("archive", "1"),
    ("unarchive", "1"),
    ("assign", "1", "lei"),
    ("delete", "1", "--yes"),
    ("today",),
    ("overdue",),
    ("done", "S1"),
    ("greet", "mid-autumn"),
    ("done", "G20270101", "1"),
    ("calendar", "--days", "60"),
    ("snooze", "S1", "--until", "+3d"),
    ("report", "day"),
    ("report", "health", "--show", "lost"),
    ("report", "tiers"),
    ("report", "referrals"),
    ("report", "profile"),
    ("report", "week", "--html", "{tmp}/week.html"),
    ("contact-edit", "1", "--note", "秘密更正"),
    ("contact-delete", "1"),
    ("purchase-edit", "1", "--product", "秘密车型三"),
    ("purchase-delete", "1"),
    ("promise-edit", "1", "--text", "秘密承诺二"),
    ("promise-delete", "1"),
    ("followup-edit", "1", "--note", "秘密电话"),
    ("followup-delete", "1"),
    ("date", "add", "1", "birthday", "农历八月十五", "--note", "秘密备注"),
    ("date", "list"),
    ("date", "delete", "1"),
    ("undo", "--list"),
    ("undo",),
    ("draft", "1", "--for", "greeting"),
    ("template", "show", "thank-you"),
)


def test_every_command_is_covered():
    import typer

    from kehu.cli.main import load_commands

    load_commands()
    names = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    missing = names - {c[0] for c in COMMANDS}
    assert not missing, f"add {missing} to COMMANDS, so that their errors are checked for leaks"


def _plant(kehu, tmp_path: Path) -> list[tuple[str, ...]]:
    """The marked customer, with everything a customer can have; returns the commands to try."""
    kehu.ok("add", NAME, "--phone", PHONE, "--product", "秘密车型", "--note", "SENTINEL 备注",
            "--set", "家人=SENTINEL 家人")  # fmt: skip
    kehu.ok("log", "1", "--via", "call", "--note", "SENTINEL 通话", "--next", "+2d")
    kehu.ok("promise", "1", "SENTINEL 承诺", "--due", "tomorrow")
    kehu.ok("promise", "1", "SENTINEL 另一个", "--due", "+3d")
    planted = tmp_path / "planted.csv"
    planted.write_text(kehu.ok("export").replace(PHONE, "13999990001"), encoding="utf-8")
    return [tuple(a.replace("{tmp}", str(tmp_path)) for a in c) for c in COMMANDS]


def _leaks(text: str) -> int:
    return sum(text.count(mark) for mark in MARKS)


class Tally:
    def __init__(self) -> None:
        self.runs = 0
        self.failures = 0
        self.leaks: list[tuple[str, tuple[str, ...], str]] = []

    def run(self, kehu, mode: str, command: tuple[str, ...], *, must_fail: bool = True) -> None:
        result = kehu(*command)
        self.runs += 1
        self.failures += result.code != 0
        if must_fail:
            assert result.code != 0, (mode, command, result)
        if result.code != 0:
            assert result.err.startswith("kehu: "), (mode, command, result)
            assert "Traceback" not in result.err, (mode, command, result)
            assert result.err.count("\n") == 1, (mode, command, result)
            if _leaks(result.out):
                self.leaks.append((mode, command, result.out))
        if _leaks(result.err):
            self.leaks.append((mode, command, result.err))


def _uses_book(command: tuple[str, ...]) -> bool:
    return command[0] not in ("path", "config", "template")  # templates are files of their own


def _is_schema(sql: str) -> bool:
    return any(word in sql for word in ("sqlite_master", "information_schema", "schema_version"))


def _leaky_error(kind: type[Exception], sql: str, params: dict) -> Exception:
    """What a careless driver might say: the statement, the values, and the customer."""
    return kind(f"UNIQUE constraint failed: customer.phone; {sql} with {params} ({NAME}, {PHONE})")


@contextmanager
def _injected(
    monkeypatch: pytest.MonkeyPatch, kind: type[Exception], when: Callable[[str], bool]
) -> Iterator[None]:
    with monkeypatch.context() as m:
        for cls in (engine.SQLiteTx, engine.ServerTx):
            for method in ("all", "run"):
                real = getattr(cls, method)

                def failing(self, sql, _real=real, **params):
                    if not _is_schema(sql) and when(sql):
                        raise _leaky_error(kind, sql, params)
                    return _real(self, sql, **params)

                m.setattr(cls, method, failing)
            real_many = cls.run_many

            def failing_many(self, sql, rows, _real=real_many):
                if not _is_schema(sql) and when(sql):
                    raise _leaky_error(kind, sql, rows[0] if rows else {})
                return _real(self, sql, rows)

            m.setattr(cls, "run_many", failing_many)
        yield


def _writes(sql: str) -> bool:
    return sql.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")


@pytest.mark.parametrize(
    "kind, when",
    [
        (sqlite3.OperationalError, lambda sql: True),
        (sqlite3.IntegrityError, _writes),
        (sqlite3.DatabaseError, _writes),
        (ValueError, lambda sql: True),
        (KeyError, _writes),
    ],
    ids=[
        "operational-first-statement",
        "integrity-on-write",
        "database-on-write",
        "unexpected-ValueError",
        "unexpected-KeyError-on-write",
    ],  # fmt: skip
)
def test_errors_inside_commands_show_no_customer_data(kehu, tmp_path, monkeypatch, kind, when):
    """The engine's error text may carry the statement's values: kehu never prints it."""
    commands = _plant(kehu, tmp_path)
    before = kehu.snapshot()
    tally = Tally()
    with _injected(monkeypatch, kind, when):
        for command in commands:
            tally.run(kehu, kind.__name__, command, must_fail=False)
    assert tally.leaks == [], tally.leaks
    assert tally.failures >= 10, tally.failures
    snapshot = kehu.snapshot()
    snapshot.pop("schema_version")
    before.pop("schema_version")
    assert snapshot == before  # whatever failed, failed whole
    print(
        f"\nprivacy, injected {kind.__name__}: {tally.runs} commands, {tally.failures} failed, "
        f"sentinel leaks in stderr: {len(tally.leaks)}"
    )


def test_an_unexpected_error_prints_its_type_only(kehu, tmp_path, monkeypatch):
    _plant(kehu, tmp_path)
    from kehu.book import contacts

    def broken(*args, **kwargs):
        raise RuntimeError(f"cannot handle {NAME} {PHONE}")

    monkeypatch.setattr(contacts, "log_contact", broken)
    result = kehu("log", "1", "--via", "call", "--note", "秘密")
    assert result.code == 70
    assert result.err == (
        "kehu: unexpected RuntimeError; nothing was written. "
        "Run again with --debug for the full error.\n"
    )


@sqlite_only
def test_a_locked_book_shows_no_customer_data(kehu, isolated, tmp_path, monkeypatch):
    commands = _plant(kehu, tmp_path)
    monkeypatch.setenv("KEHU_BUSY_TIMEOUT", "0.05")
    holder = sqlite3.connect(isolated, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # even readers must wait
    tally = Tally()
    try:
        for command in commands:
            if _uses_book(command):
                tally.run(kehu, "locked", command)
    finally:
        holder.rollback()
        holder.close()
    assert tally.leaks == []
    print(f"\nprivacy, locked book: {tally.runs} commands failed, sentinel leaks: 0")


@sqlite_only
def test_a_damaged_book_shows_no_customer_data(kehu, isolated, tmp_path):
    commands = _plant(kehu, tmp_path)
    kehu.ok("backup")
    conn = sqlite3.connect(isolated)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    book = Path(isolated)
    book.write_bytes(book.read_bytes()[:12000])
    tally = Tally()
    for command in commands:
        if _uses_book(command):
            tally.run(kehu, "damaged", command)
    assert tally.leaks == []
    print(f"\nprivacy, damaged book: {tally.runs} commands failed, sentinel leaks: 0")


@sqlite_only
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the book to nobody")
def test_a_read_only_book_shows_no_customer_data(kehu, isolated, tmp_path):
    import tempfile

    _plant(kehu, tmp_path)
    shared = Path(tempfile.mkdtemp(prefix="kehu-priv-"))
    try:
        shared.chmod(0o755)
        book = shared / "kehu.db"
        shutil.copyfile(isolated, book)
        book.chmod(0o444)
        env = {**os.environ, "KEHU_DB": str(book), "KEHU_CONFIG": str(shared / "c.toml")}
        leaks = 0
        # Reads work on a read-only book; writes are refused without quoting the book.
        for command in (("log", "1", "--via", "call"), ("add", NAME)):
            result = subprocess.run(
                [sys.executable, str(WORKERS), "as-nobody", *command],
                env=env, cwd=shared, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert result.returncode != 0 and "read-only" in result.stderr, result
            leaks += _leaks(result.stderr)
        assert leaks == 0
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_no_log_files_carry_customer_data(kehu, isolated, tmp_path):
    """kehu writes no logs; whatever it leaves outside the book and its backups is checked."""
    _plant(kehu, tmp_path)
    with_data = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file()
        and "backups" not in p.parts
        and p.suffix != ".csv"  # the export the test asked for
        and not p.name.startswith(Path(isolated).name)
        and _leaks(p.read_bytes().decode("utf-8", "replace"))
    ]
    assert with_data == []
    if not SERVER_URL:
        assert all(_leaks(p.name) == 0 for p in (Path(isolated).parent / "backups").iterdir())


# ---------------------------------------------------------------------- files and umask


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@sqlite_only
def test_files_are_private_whatever_the_umask(tmp_path):
    root = tmp_path / "open"
    env = {
        **os.environ,
        "KEHU_DB": str(root / "data" / "kehu.db"),
        "KEHU_CONFIG": str(root / "config" / "config.toml"),
    }

    def kehu(*args: str, **extra: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "kehu", *args],
            env={**env, **extra},
            preexec_fn=lambda: os.umask(0),  # noqa: PLW1509  (a umask that hides nothing)
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def ok(*args: str, **extra: str) -> None:
        process = kehu(*args, **extra)
        assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""

    ok("add", NAME, "--phone", PHONE, "--product", "Golf")
    ok("log", "1", "--via", "call")  # the first write to a made book: a daily backup too
    data = root / "data"
    book = data / "kehu.db"
    # Caught in the middle of a write, the -wal and -shm files exist: look at them then.
    # (Only that kehu opens the book meanwhile: the files are its own.)
    wal, shm = Path(f"{book}-wal"), Path(f"{book}-shm")
    assert not wal.exists() and not shm.exists()
    writer = kehu("log", "1", "--via", "call", KEHU_TEST_SLOW_WRITE="3")
    deadline = time.monotonic() + 30
    while not (wal.exists() and shm.exists()) and time.monotonic() < deadline:
        time.sleep(0.01)
    modes = {p.name: _mode(p) for p in (book, wal, shm)}
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    ok("backup")
    outside = tmp_path / "copies" / "mine.db"
    outside.parent.mkdir(mode=0o777)
    ok("backup", str(outside))
    ok("config", "rules.daily_target", "12")
    exported = tmp_path / "copies" / "customers.csv"
    ok("export", str(exported))

    backups = data / "backups"
    copies = [p for p in backups.iterdir() if not p.name.startswith(".")]
    assert len(copies) == 2, copies  # the daily one and the manual one
    modes |= {p.name: _mode(p) for p in [*copies, outside, exported]}
    modes |= {"config.toml": _mode(root / "config" / "config.toml")}
    folders = {p.name: _mode(p) for p in (data, backups, root / "config")}
    print(f"\numask 000: files {sorted(set(map(oct, modes.values())))}, folders "
          f"{sorted(set(map(oct, folders.values())))}")  # fmt: skip
    assert set(modes.values()) == {0o600}, modes
    assert set(folders.values()) == {0o700}, folders


@sqlite_only
@pytest.mark.parametrize("planted", ["file 0666", "folder 0777", "another user's file"])
def test_a_book_others_can_write_is_read_with_a_warning_and_never_written(kehu, isolated, planted):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    book = Path(isolated)
    if planted == "file 0666":
        book.chmod(0o666)
    elif planted == "folder 0777":
        book.parent.chmod(0o777)
    else:
        if os.geteuid() != 0:
            pytest.skip("giving a file to another user needs root")
        os.chown(book, 12345, -1)
    before = kehu.snapshot()
    refused = kehu("log", "张伟", "--via", "call")
    assert refused.code == engine.BookUnusable.exit_code, refused
    assert len(refused.err.splitlines()) == 1
    assert ("chmod go-w" in refused.err) != (planted == "another user's file")
    assert kehu.snapshot() == before
    read = kehu("list")
    assert read.code == 0 and "张伟" in read.out
    assert read.err.startswith("kehu: warning: ") and len(read.err.splitlines()) == 1
    assert "张伟" not in read.err
