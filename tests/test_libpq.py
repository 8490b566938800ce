"""kehu's own use of libpq: parameters typed as psycopg types them, results read back as the
same Python values (instants in any session time zone), COPY and array texts escaped, and the
server's error codes kept."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from conftest import SERVER_URL
from hypothesis import given
from hypothesis import strategies as st

from kehu.book import engine, libpq

server_only = pytest.mark.skipif(SERVER_URL is None, reason="needs the test PostgreSQL server")


def test_parameters_get_psycopgs_types():
    assert libpq.dump("x") == (0, "x") and libpq.dump(None) == (0, None)
    assert [libpq.dump(n)[0] for n in (1, 2**15, 2**31, 2**63)] == [21, 23, 20, 1700]
    assert libpq.dump(True) == (16, "t") and libpq.dump(Decimal("1.50")) == (1700, "1.50")
    assert libpq.dump(date(2026, 11, 22)) == (1082, "2026-11-22")
    assert libpq.dump(datetime(2026, 11, 22, 2, tzinfo=UTC)) == (1184, "2026-11-22 02:00:00+00:00")
    assert libpq.dump(datetime(2026, 11, 22, 2)) == (1114, "2026-11-22 02:00:00")
    assert libpq.dump(["a", None, 'say "hi" \\']) == (0, '{"a",NULL,"say \\"hi\\" \\\\"}')


zones = st.integers(min_value=-15 * 60, max_value=15 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 30),
                    timezones=zones))  # fmt: skip
def test_instants_are_read_in_every_offset_the_server_writes(moment):
    offset = moment.utcoffset()
    assert offset is not None
    sign, whole = ("-" if offset < timedelta(0) else "+"), abs(offset)
    hours, minutes = divmod(int(whole.total_seconds()) // 60, 60)
    written = moment.replace(tzinfo=None).isoformat(sep=" ") + f"{sign}{hours:02d}"
    written += f":{minutes:02d}" if minutes else ""
    read = libpq.LOADERS[1184](written.encode())
    assert read == moment and read.tzinfo is UTC


def test_copy_text_escapes_what_copy_reads_as_special():
    assert libpq._copy_text(None) == "\\N"
    assert libpq._copy_text("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"


@pytest.fixture
def conn():
    assert SERVER_URL is not None
    params = engine.connect_params(SERVER_URL, "-")
    params["options"] = "-c TimeZone=Asia/Kolkata"  # instants come back at +05:30
    opened = libpq.Connection(libpq.conninfo(params))
    yield opened
    opened.close()


@server_only
def test_values_come_back_as_they_went(conn):
    at = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    sent = ["是", 7, 2**40, Decimal("12.30"), True, date(2026, 2, 28), at, 1.5, None, b"\x00\xff"]
    marks = ", ".join(f"${n + 1} AS v{n}" for n in range(len(sent)))
    row = next(conn.execute(f"SELECT {marks}", sent).tuples())
    assert row[1:] == tuple(sent[1:]) and row[0] == "是"  # unknown: read back as text
    assert row[6].tzinfo is UTC and row[6] == at


@server_only
def test_copy_and_arrays_keep_awkward_text(conn):
    conn.execute("CREATE TEMP TABLE scratch (t TEXT, n INTEGER, at TIMESTAMPTZ)")
    awkward = "tab\there\nnew line \\ back\\slash \\N 'quote' \"dq\""
    at = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    copied = conn.copy_in("COPY scratch (t, n, at) FROM STDIN", iter([(awkward, 1, at)]))
    assert copied.rowcount == 1
    conn.execute(
        "INSERT INTO scratch SELECT * FROM unnest(CAST($1 AS text[]), CAST($2 AS int[]),"
        " CAST($3 AS timestamptz[]))",
        [[awkward, None], [2, 3], [at, None]],
    )
    rows = list(conn.execute("SELECT t, n, at FROM scratch ORDER BY n").tuples())
    assert rows == [(awkward, 1, at), (awkward, 2, at), (None, 3, None)]


@server_only
def test_errors_keep_the_servers_code_and_the_connection_stays_usable(conn):
    with pytest.raises(libpq.Error) as failed:
        conn.execute("SELECT 1 / $1", [0])
    assert failed.value.sqlstate == "22012"  # division_by_zero
    assert list(conn.execute("SELECT 2 AS two").dicts()) == [{"two": 2}]


def test_an_unknown_option_is_refused_before_connecting():
    with pytest.raises(libpq.ProgrammingError):
        libpq.conninfo({"dbname": "kehu", "colour": "blue"})
