"""Opening a customer book and running transactions on it.

A book is a SQLite file (the default, through the stdlib driver) or a PostgreSQL database named
by a postgresql+psycopg:// URL (through libpq, book/libpq.py): neither imports SQLAlchemy nor
psycopg on the everyday path. Both run the same SQL texts with :name parameters; Tx hides how
each engine wants its instants.
"""

import functools
import itertools
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kehu.base.errors import BookLocked, BookUnusable, NoBook, error_name
from kehu.base.i18n import _
from kehu.book import timestamps

if TYPE_CHECKING:
    from kehu.book import libpq

T = TypeVar("T")
Row = Any  # sqlite3.Row or a dict (PostgreSQL): both index by column name and have .keys()
STATEMENT_TIMEOUT_S = 300.0  # the server.statement_timeout setting's default
BUSY_TIMEOUT_S = 30.0  # how long a write waits for another kehu (a cron run, an edit) to finish
# KEHU_BUSY_TIMEOUT=SECONDS overrides it (tests that hold a lock on purpose use a short one).
# KEHU_TEST_SLOW_WRITE=SECONDS, for tests only: every SQLite write transaction sleeps that long
# between its last statement and COMMIT, so a test can kill kehu in the middle of a write.
SQLITE_HEADER = b"SQLite format 3\x00"


class Tx(Protocol):
    dialect: str

    def all(self, sql: str, **params: Any) -> list[Row]: ...
    def each(self, sql: str, **params: Any) -> Iterator[Row]: ...
    def tuples(self, sql: str, **params: Any) -> Iterator[Sequence[Any]]: ...
    def run(self, sql: str, **params: Any) -> int: ...
    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None: ...


def one(tx: Tx, sql: str, **params: Any) -> Row | None:
    rows = tx.all(sql, **params)
    return rows[0] if rows else None


def scalar(tx: Tx, sql: str, **params: Any) -> Any:
    row = one(tx, sql, **params)
    return None if row is None else row[next(iter(row.keys()))]


def insert(tx: Tx, table: str, **values: Any) -> int:
    """Insert one row and return its id. Table and column names come from code, never users."""
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    rows = tx.all(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", **values)
    return int(rows[0]["id"])


MAX_PARAMETERS = 900  # per statement: SQLite before 3.32 takes at most 999


def insert_many(
    tx: Tx, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, ids: bool
) -> list[int]:
    """Insert rows (values in the order of columns), many to a statement; with `ids`, return
    their ids in the order of rows (both engines number the rows of one INSERT in the order
    of its VALUES, so the ids, sorted, are the rows' in order)."""
    if isinstance(tx, ServerTx):
        return _insert_arrays(tx, table, columns, rows, ids=ids)
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    inserted: list[int] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        if isinstance(tx, SQLiteTx):  # ? marks: sqlite3 binds them far faster than names
            sql = _many_marks(table, tuple(columns), len(chunk)) + (" RETURNING id" if ids else "")
            values = [_sqlite_value(v) if isinstance(v, (date, Decimal)) else v
                      for v in itertools.chain.from_iterable(chunk)]  # fmt: skip
            found = tx.conn.execute(sql, values).fetchall()
            inserted += sorted(int(r[0]) for r in found) if ids else []
            continue
        sql, names = _many_values(table, tuple(columns), len(chunk))
        params = dict(zip(names, itertools.chain.from_iterable(chunk), strict=True))
        if ids:
            inserted += sorted(int(r["id"]) for r in tx.all(sql + " RETURNING id", **params))
        else:
            tx.run(sql, **params)
    return inserted


def copy_in(
    tx: Tx, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
    frozen: bool = False,
) -> int:  # fmt: skip
    """Insert rows as fast as the engine takes them, and return how many: PostgreSQL's COPY
    (one statement for the lot, streamed: rows may be an iterator of any length), else
    multi-row INSERTs. No ids are returned. `frozen`: the table was made in this transaction,
    so nobody else sees the rows before it commits; they are written as already visible to
    all (COPY FREEZE), which spares the server rewriting every page later."""
    if not isinstance(tx, ServerTx):
        rows = list(rows)
        insert_many(tx, table, columns, rows, ids=False)
        return len(rows)
    options = " (FREEZE)" if frozen else ""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN{options}"
    return tx.conn.copy_in(sql, rows).rowcount


@functools.cache
def _many_values(table: str, columns: tuple[str, ...], rows: int) -> tuple[str, list[str]]:
    """An INSERT of `rows` rows and its parameters' names, row after row."""
    names = [f"{c}_{n}" for n in range(rows) for c in columns]
    per_row = len(columns)
    values = ", ".join(
        "(" + ", ".join(":" + name for name in names[n * per_row : (n + 1) * per_row]) + ")"
        for n in range(rows)
    )
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}", names


def _insert_arrays(
    tx: "ServerTx", table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
    ids: bool,
) -> list[int]:  # fmt: skip
    """PostgreSQL: all the rows in one statement, a column an array (parsing a statement of
    hundreds of marks cost the client more than the server took to run it)."""
    if not rows:
        return []
    found = tx.all(
        "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute"
        " WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped",
        t=table,
    )
    types = {r["name"]: r["type"] for r in found}
    arrays = ", ".join(f"CAST(:c{n} AS {types[c]}[])" for n, c in enumerate(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"
    values = {f"c{n}": list(column) for n, column in enumerate(zip(*rows, strict=True))}
    if not ids:
        tx.run(sql, **values)
        return []
    return sorted(int(r["id"]) for r in tx.all(sql + " RETURNING id", **values))


@functools.cache
def _many_marks(table: str, columns: tuple[str, ...], rows: int) -> str:
    """An INSERT of `rows` rows with ? marks."""
    row = "(" + ", ".join("?" * len(columns)) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([row] * rows)


def busy_timeout() -> float:
    try:
        return float(os.environ.get("KEHU_BUSY_TIMEOUT") or BUSY_TIMEOUT_S)
    except ValueError:
        return BUSY_TIMEOUT_S


def is_url(target: str) -> bool:
    return "://" in target


SERVER_SCHEMES = ("postgresql+psycopg",)  # the driver kehu installs


def check_url(url: str, shown: str) -> None:
    """Refuse a URL of another database, or one that cannot be read, before any driver sees it
    (SQLAlchemy's sqlite:// would make a file; others fail with a driver's error)."""
    scheme = url.partition("://")[0].lower()
    if scheme not in SERVER_SCHEMES:
        raise BookUnusable(
            _("--db {url}: {scheme}:// is not a book kehu can use; accepted: a SQLite file path "
              "(like ~/kehu.db) or a postgresql+psycopg:// URL").format(url=shown, scheme=scheme)
        )  # fmt: skip
    from urllib.parse import urlsplit

    try:
        urlsplit(url).port  # noqa: B018  (reading it checks it)
    except ValueError:
        raise _bad_url(shown) from None


def _bad_url(shown: str) -> BookUnusable:
    return BookUnusable(
        _("--db {url} is not a URL kehu can read; accepted: "
          "postgresql+psycopg://ROLE:PASSWORD@HOST:PORT/DATABASE").format(url=shown)
    )  # fmt: skip


def masked(target: str) -> str:
    """The book's location as it may be shown: a URL's password, before the @ or in the query
    string (?password=…), is replaced by ***."""
    if not is_url(target):
        return target
    import re

    scheme, _, rest = target.partition("://")
    rest, question, query = rest.partition("?")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    query = re.sub(r"(?i)((?:^|[&;])\s*password\s*=)[^&;]*", r"\1***", query)
    return f"{scheme}://{credentials}{at}{host}{question}{query}"


def _writable(path: Path) -> bool:
    """kehu may write `path`: the system lets it, and someone's write permission is set. Root may
    write anything, so a book or folder made read-only for everyone (chmod a-w) is read-only
    for root too, as for its owner."""
    if not os.access(path, os.W_OK):
        return False
    try:
        return os.geteuid() != 0 or bool(path.stat().st_mode & 0o222)
    except OSError:
        return False


def unsafe_flaw(path: Path) -> dict[str, Any] | None:
    """Why another user could change the book at `path` behind kehu's back (as OpenSSH's
    StrictModes asks of its files), as a code and what it concerns; None when only its owner
    can."""
    try:
        mine, folder = path.stat(), path.parent.stat()
    except OSError:
        return None
    if mine.st_uid != os.geteuid():
        return {"code": "book_owner", "path": str(path), "uid": mine.st_uid}
    if mine.st_mode & 0o022:
        return {"code": "book_writable", "path": str(path)}
    if folder.st_mode & 0o022 or folder.st_uid not in (os.geteuid(), 0):
        return {"code": "folder_writable", "path": str(path), "folder": str(path.parent)}
    return None


def unsafe_words(flaw: dict[str, Any]) -> str:
    """`unsafe_flaw`'s finding in words, with how to fix it."""
    words = {
        "book_owner": _(
            "{path} belongs to another user (uid {uid}); kehu writes only to its own user's "
            "books — fix with chown, or copy the book to a file of your own"
        ),
        "book_writable": _(
            "{path} can be written by other users; kehu will not write to it — fix with: "
            "chmod go-w {path}"
        ),
        "folder_writable": _(
            "{folder}, the folder holding {path}, can be changed by other users; kehu will not "
            "write to the book there — fix with: chmod go-w {folder}, or move the book to a "
            "folder of your own"
        ),
    }
    return words[flaw["code"]].format(**flaw)


class SQLiteTx:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def all(self, sql: str, **params: Any) -> list[Row]:
        return self.conn.execute(sql, _sqlite_params(params)).fetchall()

    def each(self, sql: str, **params: Any) -> Iterator[Row]:
        """Rows one at a time: a big result never sits in memory twice."""
        return iter(self.conn.execute(sql, _sqlite_params(params)))

    def tuples(self, sql: str, **params: Any) -> Iterator[Sequence[Any]]:
        """Like each(), as plain tuples in the order of the SELECT (no lookup by name)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return iter(cursor.execute(sql, _sqlite_params(params)))

    def run(self, sql: str, **params: Any) -> int:
        return self.conn.execute(sql, _sqlite_params(params)).rowcount

    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        self.conn.executemany(sql, [_sqlite_params(dict(r)) for r in rows])


def _sqlite_params(params: dict[str, Any]) -> dict[str, Any]:
    for name, value in params.items():
        if isinstance(value, (date, Decimal)):  # most are text, numbers or None
            params[name] = _sqlite_value(value)
    return params


def _sqlite_value(value: date | Decimal) -> str | datetime:
    if isinstance(value, datetime):
        return timestamps.to_db(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class SQLiteBook:
    dialect = "sqlite"

    def __init__(self, path: str, *, create: bool = True):
        self.location = path
        self.path = Path(path).expanduser()
        self.created = False
        self.made_folders: list[Path] = []  # the folders made for a new book, deepest first
        self.read_only = False
        self._wal_copy: Path | None = None  # a read-only book read with its -wal (_connect)
        self.timeout = busy_timeout()
        # why others could write the file (`unsafe` says it in words): writes are refused
        self.unsafe_flaw: dict[str, Any] | None = None
        try:
            self._check_file(create)
        except PermissionError:
            raise BookUnusable(
                _("{path} cannot be reached (permission denied on its folder); check the "
                  "folder's owner and permissions, or point --db elsewhere").format(path=self.path)
            ) from None  # fmt: skip
        try:
            self.conn = self._connect()
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        except sqlite3.Error as e:
            raise self.explain(e) from None

    @property
    def unsafe(self) -> str | None:
        """Why others could write the file, in words with the fix; None when they cannot."""
        return unsafe_words(self.unsafe_flaw) if self.unsafe_flaw else None

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            return sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
        uri = Path(os.path.abspath(self.path)).as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None,
                               check_same_thread=False)  # fmt: skip
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL book in a folder kehu cannot write has no shared-memory file to use. What a
            # writer that closed left in its -wal file was checkpointed: read the book as a file
            # nobody changes. Changes a writer that was killed left there are read from a
            # private copy of the two files, where SQLite can read its WAL.
            conn.close()
            wal = Path(f"{self.path}-wal")
            if wal.is_file() and wal.stat().st_size > 0:
                uri = self._copy_with_wal().as_uri() + "?mode=ro"
                return sqlite3.connect(uri, uri=True, timeout=self.timeout,
                                       isolation_level=None, check_same_thread=False)  # fmt: skip
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None,
                                   check_same_thread=False)  # fmt: skip
        return conn

    def _copy_with_wal(self) -> Path:
        """The book and its -wal file copied to a private folder (once), removed at exit."""
        if self._wal_copy is None:
            import atexit
            import shutil
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="kehu-read-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            copy = folder / self.path.name
            shutil.copyfile(self.path, copy)
            shutil.copyfile(f"{self.path}-wal", f"{copy}-wal")
            self._wal_copy = copy
        return self._wal_copy

    def another_reader(self) -> sqlite3.Connection | None:
        """A second connection that only reads the same file, for work done alongside this one;
        None when this connection keeps the file to itself (exclusive locking)."""
        if self.conn.execute("PRAGMA locking_mode").fetchone()[0] == "exclusive":
            return None
        conn = self._connect()
        conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        return conn

    def refuse_write(self) -> None:
        raise BookUnusable(
            _(
                "{path} is read-only, so nothing was written (it can still be read, exported and "
                "backed up elsewhere); to write, fix with chmod u+w on the file and its folder, or "
                "copy it elsewhere"
            ).format(path=self.path)
        )

    def use_wal(self) -> None:
        """Readers never block the writer. Set once the file is known to be a kehu book."""
        if self.read_only:
            return
        try:
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as e:
            raise self.explain(e) from None

    def _check_file(self, create: bool) -> None:
        path = self.path
        if path.is_dir():
            raise BookUnusable(
                _("{path} is a folder, not a kehu book; give a file path with --db").format(
                    path=path
                )
            )
        if path.exists():
            if not stat.S_ISREG(path.stat().st_mode):
                # A FIFO would hang the open, a device or socket is no book either.
                raise BookUnusable(
                    _(
                        "{path} is not a regular file (a pipe, socket or device), so it is not a "
                        "kehu book; point --db or KEHU_DB at your book's file"
                    ).format(path=path)
                )
            if not os.access(path, os.R_OK):
                raise BookUnusable(
                    _("{path} cannot be read (permission denied); check its owner").format(
                        path=path
                    )
                )
            with path.open("rb") as f:
                header = f.read(len(SQLITE_HEADER))
            if header != SQLITE_HEADER:
                message = (
                    _(
                        "{path} is empty, so it is not a kehu book; kehu leaves it as it is — "
                        "point --db or KEHU_DB at your book, or move this file away"
                    )
                    if not header
                    else _(
                        "{path} is not a SQLite database, so it is not a kehu book; kehu leaves "
                        "it as it is — point --db or KEHU_DB at your book, or move this file away"
                    )
                )
                raise BookUnusable(message.format(path=path))
            # Read-only (the file, its folder or the filesystem): it can still be read,
            # exported and backed up elsewhere; writes are refused (see transact).
            self.read_only = not _writable(path) or not _writable(path.parent)
            self.unsafe_flaw = unsafe_flaw(path)
            return
        if not create:
            raise NoBook(str(path))
        from kehu.base import files

        # The new book gets its SQLite header under a temporary name and then appears whole:
        # a kehu killed meanwhile, or another one starting, never finds an empty file there.
        missing = [folder for folder in path.parents if not folder.exists()]
        try:
            with files.new_file(path, make_folder=True) as new:
                conn = sqlite3.connect(new)
                try:
                    conn.execute("PRAGMA journal_mode = WAL")
                finally:
                    conn.close()
        except files.AlreadyThere:
            return  # another kehu created it a moment ago
        except files.CannotWrite as e:
            raise BookUnusable(
                _("cannot create a book at {path}: {reason}").format(path=path, reason=e.reason)
            ) from None
        except (OSError, sqlite3.Error) as e:
            raise BookUnusable(
                _("cannot create a book at {path} ({error})").format(path=path, error=error_name(e))
            ) from None
        self.created = True
        self.made_folders = missing

    def explain(self, error: sqlite3.Error) -> Exception:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return BookLocked(
                _("the book {path} is busy: another kehu kept it locked for {seconds:g} s; "
                  "try again in a moment").format(path=self.path, seconds=self.timeout)
            )  # fmt: skip
        from kehu.base import files

        if _is_disk_error(error) and files.nearly_full(self.path.parent):
            return BookUnusable(
                _("the disk holding {folder} is full; nothing was written — free some space "
                  "and try again").format(folder=self.path.parent)
            )  # fmt: skip
        if _is_write_refused(error):  # by a limit (ulimit -f, a quota), with room on the disk
            return BookUnusable(
                _("{path} could not grow ({error}): its disk is full, or a limit on your files "
                  "(a disk quota, ulimit -f) was reached; nothing was written — free some space "
                  "or raise the limit and try again").format(
                    path=self.path, error=error_name(error))
            )  # fmt: skip
        if "readonly" in text or "read-only" in text:
            return BookUnusable(
                _("{path} is read-only; fix with chmod u+w or copy it").format(path=self.path)
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return self.damaged(error_name(error))
        return BookUnusable(
            _("{path} cannot be used ({error})").format(path=self.path, error=error_name(error))
        )

    def damaged(self, error: str) -> BookUnusable:
        """The book is damaged (`error` says how): left as it is, with where to restore from."""
        from kehu.book import backup

        latest = backup.latest(self.path)
        message = (
            _("{path} is damaged ({error}); kehu leaves it as it is — the latest backup is "
              "{backup}; see README, Your data, to restore")
            if latest
            else _("{path} is damaged ({error}); kehu leaves it as it is — no backup was "
                   "found; see README, Your data, to restore")
        )  # fmt: skip
        return BookUnusable(message.format(path=self.path, error=error, backup=latest))

    def transact(
        self,
        fn: Callable[[Tx], T],
        *,
        write: bool = True,
        on_commit: Callable[[], None] | None = None,
    ) -> T:
        """Run fn in one transaction; on_commit is called as soon as the COMMIT is made."""
        if write and self.read_only:
            self.refuse_write()
        if write and self.unsafe:
            raise BookUnusable(self.unsafe)
        if write:
            return self._transact(fn, write=True, on_commit=on_commit)
        try:
            return self._transact(fn, write=False)
        except BookUnusable as e:
            if not isinstance(e.__context__, sqlite3.Error) or not _is_disk_error(e.__context__):
                raise
        # A full disk: the shared-memory file cannot grow. Read without it (exclusive locking
        # keeps the WAL index in memory); a writer waits for this short read.
        self.conn.close()
        self.conn = self._connect()
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        return self._transact(fn, write=False)

    def _transact(
        self, fn: Callable[[Tx], T], *, write: bool, on_commit: Callable[[], None] | None = None
    ) -> T:
        try:
            self.conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as e:
            raise self.explain(e) from None
        try:
            result = fn(SQLiteTx(self.conn))
            if write and os.environ.get("KEHU_TEST_SLOW_WRITE"):
                time.sleep(float(os.environ["KEHU_TEST_SLOW_WRITE"]))
            with _ctrl_c_after(on_commit):
                self.conn.execute("COMMIT")
                if on_commit is not None:
                    on_commit()
        except sqlite3.Error as e:
            if self.conn.in_transaction:  # a failed COMMIT may have rolled back already
                self.conn.execute("ROLLBACK")
            raise self.explain(e) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        return result

    @contextmanager
    def foreign_keys_off(self) -> Iterator[None]:
        """For migrations: a table rebuild with foreign keys on would cascade-delete children."""
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        self.conn.close()


@contextmanager
def _ctrl_c_after(on_commit: Callable[[], None] | None) -> Iterator[None]:
    """A Ctrl-C that comes while the COMMIT runs is taken once the caller knows it was made:
    taken as soon as COMMIT returned, it said "nothing was written" of a change all saved."""
    import signal
    import threading

    if on_commit is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)
        elif caught and previous == signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGINT)


def _is_disk_error(error: BaseException) -> bool:
    name = error_name(error) if isinstance(error, Exception) else ""
    return name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR")


def _is_write_refused(error: BaseException) -> bool:
    """SQLite's answer when the system refused to write more: no space (SQLITE_FULL), or a
    file size limit or disk quota reached (EFBIG, EDQUOT: SQLITE_IOERR_WRITE)."""
    name = error_name(error) if isinstance(error, Exception) else ""
    return name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR_WRITE")


class ServerTx:
    """A transaction on a PostgreSQL book, straight through libpq: rows are dicts (by column
    name, with .keys()), as SQLite's rows are sqlite3.Row."""

    dialect = "postgresql"

    def __init__(self, conn: "libpq.Connection"):
        self.conn = conn

    def _execute(self, sql: str, params: dict[str, Any]) -> "libpq.Result":
        text, names = numbered(sql)
        values = _server_params(params)
        return self.conn.execute(text, [values[name] for name in names])

    def all(self, sql: str, **params: Any) -> list[Row]:
        return list(self._execute(sql, params).dicts())

    def each(self, sql: str, **params: Any) -> Iterator[Row]:
        return self._execute(sql, params).dicts()

    def tuples(self, sql: str, **params: Any) -> Iterator[Sequence[Any]]:
        return self._execute(sql, params).tuples()

    def run(self, sql: str, **params: Any) -> int:
        return self._execute(sql, params).rowcount

    def run_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self._execute(sql, dict(row))


# A `:name` parameter, as SQLAlchemy's text() finds them: a whole word, not part of a `::` cast
# nor of a time like '10:30:00', not after `\`; but `:name::date` is a parameter cast to date.
_NAMED_PARAMETER = re.compile(r"(?<![:\w\\]):(\w+)(?!\w)(?!:(?!:))")


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> tuple[str, tuple[str, ...]]:
    r"""A SQL text with :name parameters as the server reads them: $1, $2… (a name used twice
    is one number), `\:` a literal colon; and the names in the order of their numbers. Once
    per text: the same few texts run again and again."""
    names: dict[str, int] = {}

    def number(found: re.Match[str]) -> str:
        return f"${names.setdefault(found.group(1), len(names) + 1)}"

    text = _NAMED_PARAMETER.sub(number, sql).replace("\\:", ":")
    return text, tuple(names)


def _server_params(params: dict[str, Any]) -> dict[str, Any]:
    for name, value in params.items():
        if isinstance(value, datetime):
            params[name] = timestamps.to_db(value, "postgresql")  # refuses naive ones
    return params


def connect_params(url: str, shown: str) -> dict[str, str]:
    """libpq's connection parameters from a postgresql+psycopg:// URL, read as SQLAlchemy
    reads it: role, password, host, port and database, then the query string's options
    (?host=/run/postgresql for a socket folder, sslmode=…), which win. A repeated option
    (host=a&host=b) is libpq's list of hosts."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise _bad_url(shown) from None
    params: dict[str, str] = {}
    if parts.username:
        params["user"] = unquote(parts.username)
    if parts.password is not None:
        params["password"] = unquote(parts.password)
    if parts.hostname:
        params["host"] = unquote(parts.hostname)
    if port is not None:
        params["port"] = str(port)
    if parts.path.strip("/"):
        params["dbname"] = unquote(parts.path.lstrip("/"))
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(key, []).append(value)
    params.update({key: ",".join(values) for key, values in query.items()})
    return params


RETRIES = 60  # a write rolled back by the server is tried again this many times in all


class ServerBook:
    """A PostgreSQL book, through libpq (no SQLAlchemy: a new book's schema is shipped DDL).
    Write transactions are SERIALIZABLE and retried on conflict. Every session waits for a
    lock at most as long as a SQLite book waits for its writer, and stops a statement that runs
    longer than `statement_timeout` seconds: a colleague holding a lock cannot hang everyone's
    kehu. One connection serves the book's transactions, opened by the first."""

    dialect = "postgresql"

    def __init__(self, url: str, *, statement_timeout: float = STATEMENT_TIMEOUT_S):
        self.location = masked(url)
        self.created = False
        self.unsafe_flaw: dict[str, Any] | None = None
        self.unsafe: str | None = None
        self.lock_timeout = busy_timeout()
        self.statement_timeout = statement_timeout
        check_url(url, self.location)
        self.params = connect_params(url, self.location)
        # No JIT: kehu's statements are short, and compiling them costs more than it saves
        # (80-150 ms on the daily list of a team book, whose estimates cross jit_above_cost).
        # An index probe priced as a book's pages are, in memory or on an SSD (the default 4
        # is a disk's seek): one owner's rows of a team book are then read through the owner's
        # customers, not by a scan of everyone's.
        options = (
            f"-c lock_timeout={int(self.lock_timeout * 1000)}"
            f" -c statement_timeout={int(statement_timeout * 1000)} -c jit=off"
            " -c random_page_cost=1.1"
        )
        self.params["options"] = f"{self.params.get('options', '')} {options}".strip()
        self.conn: libpq.Connection | None = None

    @cached_property
    def role(self) -> str:
        """The session's role: who the server knows is working (row-level security's user)."""
        return str(self.transact(lambda tx: scalar(tx, "SELECT current_user AS r"), write=False))

    def damaged(self, error: str) -> BookUnusable:
        """The book is damaged (`error` says how): left as it is."""
        return BookUnusable(
            _("the book at {location} is damaged ({error}); kehu leaves it as it is — restore "
              "it from the server's backup").format(location=self.location, error=error)
        )  # fmt: skip

    def explain(self, error: Exception) -> Exception:
        return BookUnusable(
            _("the book at {location} cannot be used ({error})").format(
                location=self.location, error=type(error).__name__
            )
        )

    def _connection(self) -> "libpq.Connection":
        """The open connection, or a new one; or one line naming the server that could not be
        reached: its host and port, never the password (nor the driver's text, which may quote
        the URL)."""
        if self.conn is not None and not self.conn.closed:
            return self.conn
        from kehu.book import libpq

        try:
            self.conn = libpq.Connection(libpq.conninfo(self.params))
        except libpq.ProgrammingError:  # an option libpq does not know (?foo=bar)
            raise _bad_url(self.location) from None
        except libpq.Error:
            place = "{host}:{port}".format(
                host=self.params.get("host") or "localhost", port=self.params.get("port") or 5432
            )
            raise BookUnusable(
                _("could not connect to the PostgreSQL server at {place} ({location}): it "
                  "refused, could not be reached or did not accept the login; check the URL and "
                  "that the server is running").format(place=place, location=self.location)
            ) from None  # fmt: skip
        return self.conn

    def transact(
        self,
        fn: Callable[[Tx], T],
        *,
        write: bool = True,
        on_commit: Callable[[], None] | None = None,
    ) -> T:
        """Run fn in one transaction; on_commit is called as soon as the COMMIT is made."""
        from kehu.book import libpq

        begin = "BEGIN ISOLATION LEVEL " + ("SERIALIZABLE" if write else "REPEATABLE READ")
        for attempt in range(RETRIES):
            conn = self._begun(begin)
            try:
                result = fn(ServerTx(conn))
                with _ctrl_c_after(on_commit):
                    conn.execute("COMMIT")
                    if on_commit is not None:
                        on_commit()
                return result
            except libpq.Error as e:
                self._roll_back(conn)
                code = e.sqlstate
                if code is not None and code.startswith("40") and attempt < RETRIES - 1:
                    # Rolled back (a serialization failure or a deadlock): again, after a random
                    # pause that grows, so that writers colliding on one customer fall out of step.
                    import random

                    time.sleep(random.uniform(0.005, min(0.25, 0.005 * 2**attempt)))
                    continue
                raise self._failure(e, conn) from None
            except BaseException:
                self._roll_back(conn)
                raise
        raise BookLocked(  # pragma: no cover
            _("the book at {location} stayed busy; try again").format(location=self.location)
        )

    def _failure(self, error: "libpq.Error", conn: "libpq.Connection") -> Exception:
        """What to tell of a failed transaction: one line for what kehu knows, else the error."""
        code = error.sqlstate
        if code == "55P03":  # lock_not_available: lock_timeout
            return BookLocked(
                _("the book at {location} is busy: another session kept a lock for "
                  "{seconds:g} s; nothing was written — try again in a moment").format(
                    location=self.location, seconds=self.lock_timeout)
            )  # fmt: skip
        if code == "57014":  # query_canceled: statement_timeout
            return BookLocked(
                _("a statement on the book at {location} ran longer than {seconds:g} s "
                  "and was stopped (the server.statement_timeout setting); nothing was "
                  "written").format(
                    location=self.location, seconds=self.statement_timeout)
            )  # fmt: skip
        if code == "42501":
            from kehu.base.errors import NotAllowed

            role = self.params.get("user") or _("your role")
            return NotAllowed(
                _("the server does not let {role} do that: the customer belongs to someone "
                  "else, or the role lacks a privilege (README, Team mode)").format(role=role)
            )  # fmt: skip
        if conn.closed or conn.broken or code is None or code.startswith("08"):
            return self.explain(error)
        return error

    def _begun(self, begin: str) -> "libpq.Connection":
        """A connection in a new transaction. One the server closed since the last transaction
        (a restart, an idle timeout) is replaced once: nothing had run on it yet."""
        from kehu.book import libpq

        conn = self._connection()
        try:
            conn.execute(begin)
        except libpq.OperationalError as e:
            if not conn.broken:
                raise
            conn.close()
            conn = self._connection()
            try:
                conn.execute(begin)
            except libpq.Error:
                raise self.explain(e) from None
        return conn

    def _roll_back(self, conn: "libpq.Connection") -> None:
        """End a failed transaction; a connection that cannot is closed (the next one is new).
        After a failed COMMIT the server has already rolled back: ROLLBACK only warns."""
        from kehu.book import libpq

        try:
            conn.execute("ROLLBACK")
        except libpq.Error:
            conn.close()

    @contextmanager
    def foreign_keys_off(self) -> Iterator[None]:
        yield  # PostgreSQL checks constraints at commit; ALTER TABLE does not cascade.

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


Book = SQLiteBook | ServerBook
