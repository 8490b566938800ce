"""PostgreSQL through libpq itself (ctypes): the few calls kehu's commands make, without
importing psycopg (0.15 s of CPU before the first query, most of an everyday command's cost).

libpq still does everything about the connection (URL options, ~/.pgpass, PGPASSWORD, SSL,
authentication); this module sends statements with typed parameters, waits for results while
Ctrl-C can still stop it, and turns the text it gets back into Python values as psycopg
would: int, Decimal, float, bool, date, aware datetimes, str. The library is the one psycopg's
wheel ships, else the system's.
"""

import ctypes
import os
import re
import select
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any


class Error(Exception):
    """A failed statement or connection; `sqlstate` is the server's code, when it gave one."""

    def __init__(self, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.sqlstate = sqlstate


class OperationalError(Error):
    """The connection could not be made, or was lost."""


class ProgrammingError(Error):
    """A connection string libpq does not understand (an unknown option)."""


_CONNECTION_OK = 0
_COMMAND_OK, _TUPLES_OK, _COPY_IN = 1, 2, 4
_DIAG_SQLSTATE = ord("C")
_NOTICES = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
_quiet = _NOTICES(lambda _arg, _message: None)  # notices (ROLLBACK with nothing begun) unshown


def _library_paths() -> list[str]:
    from importlib.util import find_spec

    paths = []
    spec = find_spec("psycopg_binary")  # finds the package without running it
    if spec is not None and spec.submodule_search_locations:
        package = spec.submodule_search_locations[0]
        # Where the wheels keep their libraries: Linux and Windows beside it, macOS inside.
        for libs in (package.rstrip("/\\") + ".libs", os.path.join(package, ".dylibs")):
            if os.path.isdir(libs):
                found = [n for n in os.listdir(libs) if n.startswith("libpq")]
                paths += sorted(os.path.join(libs, name) for name in found)
    return paths + ["libpq.so.5", "libpq.5.dylib", "libpq.dylib", "libpq.dll"]


_lib: Any = None


def library() -> Any:
    global _lib
    if _lib is not None:
        return _lib
    for path in _library_paths():
        try:
            lib: Any = ctypes.CDLL(path)
            break
        except OSError:
            continue
    else:
        raise OperationalError("libpq (the PostgreSQL client library) was not found")
    p, s, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    signatures: dict[str, tuple[list[Any], Any]] = {
        "PQconnectdb": ([s], p),
        "PQconninfoParse": ([s, ctypes.POINTER(ctypes.c_char_p)], p),
        "PQconninfoFree": ([p], None),
        "PQfreemem": ([p], None),
        "PQstatus": ([p], i),
        "PQerrorMessage": ([p], s),
        "PQfinish": ([p], None),
        "PQsetNoticeProcessor": ([p, _NOTICES, p], p),
        "PQsocket": ([p], i),
        "PQsendQuery": ([p, s], i),
        "PQsendQueryParams": (
            [p, s, i, ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(s), p, p, i],
            i,
        ),  # fmt: skip
        "PQconsumeInput": ([p], i),
        "PQisBusy": ([p], i),
        "PQgetResult": ([p], p),
        "PQresultStatus": ([p], i),
        "PQresultErrorMessage": ([p], s),
        "PQresultErrorField": ([p, i], s),
        "PQntuples": ([p], i),
        "PQnfields": ([p], i),
        "PQfname": ([p, i], s),
        "PQftype": ([p, i], ctypes.c_uint),
        "PQgetvalue": ([p, i, i], s),  # NUL-ended: text results hold no NUL
        "PQgetisnull": ([p, i, i], i),
        "PQcmdTuples": ([p], s),
        "PQclear": ([p], None),
        "PQputCopyData": ([p, s, i], i),
        "PQputCopyEnd": ([p, s], i),
        "PQgetCancel": ([p], p),
        "PQcancel": ([p, s, i], i),
        "PQfreeCancel": ([p], None),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes, function.restype = args, result
    # The two calls made once a value, as second handles without argtypes: ctypes then skips
    # checking and converting each argument, half the cost of a call (the result handle is
    # passed as a c_void_p, the row and column as the ints they are).
    lib.value_of, lib.null_at = lib["PQgetvalue"], lib["PQgetisnull"]
    lib.value_of.restype, lib.null_at.restype = s, i
    _lib = lib
    return lib


def conninfo(params: dict[str, str]) -> str:
    """A libpq connection string (key='value' …) of `params`, in UTF-8 unless they say
    otherwise (texts are sent and read as UTF-8); ProgrammingError if libpq does not know one
    of the keys."""
    params = {"client_encoding": "UTF8", **params}
    text = " ".join(
        "{}='{}'".format(key, value.replace("\\", "\\\\").replace("'", "\\'"))
        for key, value in params.items()
    )
    lib = library()
    message = ctypes.c_char_p()
    parsed = lib.PQconninfoParse(text.encode(), ctypes.byref(message))
    if not parsed:
        reason = message.value.decode(errors="replace") if message.value else "invalid"
        if message.value:
            lib.PQfreemem(message)
        raise ProgrammingError(reason)
    lib.PQconninfoFree(parsed)
    return text


class Result:
    """A statement's outcome. Its rows are read from libpq's copy of them one at a time, as
    they are used, so a big result is not held twice."""

    def __init__(self, lib: Any = None, result: Any = None, rowcount: int = -1):
        self._lib, self._result = lib, result
        self.rowcount = rowcount
        self.names: list[str] = []
        if result:
            self.names = [lib.PQfname(result, c).decode() for c in range(lib.PQnfields(result))]

    def tuples(self) -> Iterator[tuple[Any, ...]]:
        lib, result = self._lib, self._result
        if not result:
            return
        try:
            columns = range(len(self.names))
            loaders = [LOADERS.get(lib.PQftype(result, c), _text) for c in columns]
            value, isnull, handle = lib.value_of, lib.null_at, ctypes.c_void_p(result)
            for r in range(self.rowcount):
                # One call a value: a NULL reads as b"" (so does an empty text, told apart)
                yield tuple([
                    None
                    if not (text := value(handle, r, c)) and isnull(handle, r, c)
                    else loaders[c](text)
                    for c in columns
                ])  # fmt: skip
        finally:
            self.clear()

    def dicts(self) -> Iterator[dict[str, Any]]:
        names = self.names
        return (dict(zip(names, row, strict=True)) for row in self.tuples())

    def clear(self) -> None:
        if self._result:
            self._lib.PQclear(self._result)
            self._result = None

    def __del__(self) -> None:
        self.clear()


class Connection:
    """One connection, in autocommit: kehu sends its own BEGIN and COMMIT."""

    def __init__(self, info: str):
        self._lib = library()
        self._pg = self._lib.PQconnectdb(info.encode())
        if not self._pg or self._lib.PQstatus(self._pg) != _CONNECTION_OK:
            message = self._message()
            self.close()
            raise OperationalError(message)
        self._lib.PQsetNoticeProcessor(self._pg, _quiet, None)

    @property
    def closed(self) -> bool:
        return not self._pg

    @property
    def broken(self) -> bool:
        return bool(self._pg) and self._lib.PQstatus(self._pg) != _CONNECTION_OK

    def close(self) -> None:
        if self._pg:
            self._lib.PQfinish(self._pg)
            self._pg = None

    def _message(self) -> str:
        text = self._lib.PQerrorMessage(self._pg) if self._pg else None
        return text.decode(errors="replace").strip() if text else "no connection"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        """Run one statement (with $1… parameters) and return its rows."""
        if not self._pg:
            raise OperationalError("the connection is closed")
        if params:
            count = len(params)
            types = (ctypes.c_uint * count)()
            values = (ctypes.c_char_p * count)()
            for n, value in enumerate(params):
                types[n], text = dump(value)
                values[n] = None if text is None else text.encode()
            sent = self._lib.PQsendQueryParams(
                self._pg, sql.encode(), count, types, values, None, None, 0
            )
        else:
            sent = self._lib.PQsendQuery(self._pg, sql.encode())
        if not sent:
            raise OperationalError(self._message())
        return self._result()

    def copy_in(self, sql: str, rows: Iterable[Sequence[Any]]) -> Result:
        """COPY … FROM STDIN of rows (Python values), sent as text a batch at a time."""
        if not self._pg or not self._lib.PQsendQuery(self._pg, sql.encode()):
            raise OperationalError(self._message())
        first = self._next_result()
        status = self._lib.PQresultStatus(first)
        if status != _COPY_IN:
            return self._finish(first)
        self._lib.PQclear(first)
        batch: list[str] = []
        failed: str | None = None
        try:
            for row in rows:
                batch.append("\t".join([_COPY.get(type(v), _copy_text)(v) for v in row]) + "\n")
                if len(batch) >= 1000:
                    self._put("".join(batch))
                    batch = []
            self._put("".join(batch))
        except BaseException as e:
            failed = type(e).__name__
            raise
        finally:
            self._lib.PQputCopyEnd(self._pg, failed.encode() if failed else None)
            if failed:
                self._drain()
        return self._finish(self._next_result())

    def _put(self, text: str) -> None:
        data = text.encode()
        if data and self._lib.PQputCopyData(self._pg, data, len(data)) != 1:
            raise OperationalError(self._message())

    def _next_result(self) -> Any:
        """The next result, waiting on the socket so that a signal (Ctrl-C) is taken at once;
        a KeyboardInterrupt cancels the statement on the server."""
        lib = self._lib
        try:
            while lib.PQisBusy(self._pg):
                select.select([lib.PQsocket(self._pg)], [], [])
                if not lib.PQconsumeInput(self._pg):
                    raise OperationalError(self._message())
        except KeyboardInterrupt:
            self._cancel()
            raise
        return lib.PQgetResult(self._pg)

    def _cancel(self) -> None:
        cancel = self._lib.PQgetCancel(self._pg)
        if cancel:
            buffer = ctypes.create_string_buffer(256)
            self._lib.PQcancel(cancel, buffer, 256)
            self._lib.PQfreeCancel(cancel)
        self._drain()

    def _drain(self) -> None:
        while True:
            result = self._lib.PQgetResult(self._pg)
            if not result:
                return
            self._lib.PQclear(result)

    def _result(self) -> Result:
        return self._finish(self._next_result())

    def _finish(self, result: Any) -> Result:
        """Read `result` (and free it), then the end of the statement's results."""
        lib = self._lib
        if not result:
            raise OperationalError(self._message())
        status = lib.PQresultStatus(result)
        if status == _TUPLES_OK:  # the Result frees it
            read = Result(lib, result, lib.PQntuples(result))
        elif status == _COMMAND_OK:
            count = lib.PQcmdTuples(result)
            read = Result(rowcount=int(count) if count else -1)
            lib.PQclear(result)
        else:
            code = lib.PQresultErrorField(result, _DIAG_SQLSTATE)
            message = lib.PQresultErrorMessage(result)
            text = message.decode(errors="replace").strip() if message else ""
            sqlstate = code.decode() if code else None
            lib.PQclear(result)
            self._drain()
            kind = OperationalError if self.broken or sqlstate is None else Error
            raise kind(text or self._message(), sqlstate)
        self._drain()
        return read


# ------------------------------------------------------------------- values in and out
# Parameters get the types psycopg gives them: a str is "unknown" (the server reads it as the
# column or cast it meets), an int the smallest integer type that holds it.

_UNKNOWN, _BOOL, _INT2, _INT4, _INT8, _NUMERIC, _FLOAT8 = 0, 16, 21, 23, 20, 1700, 701
_DATE, _TIME, _TIMESTAMP, _TIMESTAMPTZ, _BYTEA = 1082, 1083, 1114, 1184, 17


def dump(value: Any) -> tuple[int, str | None]:
    """A parameter's type and text."""
    if value is None:
        return _UNKNOWN, None
    if isinstance(value, str):
        return _UNKNOWN, value
    if isinstance(value, bool):
        return _BOOL, "t" if value else "f"
    if isinstance(value, int):
        if -(2**15) <= value < 2**15:
            return _INT2, str(value)
        if -(2**31) <= value < 2**31:
            return _INT4, str(value)
        return (_INT8 if -(2**63) <= value < 2**63 else _NUMERIC), str(value)
    if isinstance(value, Decimal):
        return _NUMERIC, str(value)
    if isinstance(value, float):
        return _FLOAT8, repr(value).replace("inf", "Infinity").replace("nan", "NaN")
    if isinstance(value, datetime):
        aware = value.tzinfo is not None and value.utcoffset() is not None
        return (_TIMESTAMPTZ if aware else _TIMESTAMP), value.isoformat(sep=" ")
    if isinstance(value, date):
        return _DATE, value.isoformat()
    if isinstance(value, time):
        return _TIME, value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _BYTEA, "\\x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):  # an array: the SQL casts it to its type
        return _UNKNOWN, "{" + ",".join(_array_item(v) for v in value) + "}"
    raise Error(f"cannot send a {type(value).__name__} to PostgreSQL")


def _array_item(value: Any) -> str:
    text = dump(value)[1]
    if text is None:
        return "NULL"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value as COPY's text format reads it."""
    text = dump(value)[1]
    return "\\N" if text is None else _copy_str(text)


def _copy_str(text: str) -> str:
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


# The common types without dump()'s questions (copy-to sends millions of values).
_COPY: dict[type, Any] = {str: _copy_str, int: int.__repr__, type(None): lambda _none: "\\N"}


# Values come as the server writes them in text (DateStyle ISO), as bytes.
_text = bytes.decode


def _bool(data: bytes) -> bool:
    return data == b"t"


def _decimal(data: bytes) -> Decimal:
    return Decimal(data.decode())


def _date(data: bytes) -> date:
    return date.fromisoformat(data.decode())


def _timestamptz(data: bytes) -> datetime:
    """An aware datetime in UTC, whatever the session's TimeZone: the offset the server writes
    (+00, +05:30, -03:30:15) is one fromisoformat reads."""
    moment = datetime.fromisoformat(data.decode())
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _timestamp(data: bytes) -> datetime:
    return datetime.fromisoformat(data.decode())


def _time(data: bytes) -> time:
    return time.fromisoformat(data.decode())


def _bytea(data: bytes) -> bytes:
    return bytes.fromhex(data[2:].decode())


def _json(data: bytes) -> Any:
    import json

    return json.loads(data)


LOADERS: dict[int, Any] = {
    _BOOL: _bool, _INT2: int, _INT4: int, _INT8: int, 26: int, _NUMERIC: _decimal,
    700: float, _FLOAT8: float, _DATE: _date, _TIMESTAMP: _timestamp,
    _TIMESTAMPTZ: _timestamptz, _TIME: _time, _BYTEA: _bytea, 114: _json, 3802: _json,
}  # fmt: skip
