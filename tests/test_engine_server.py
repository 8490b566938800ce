"""The PostgreSQL engine: URLs read as libpq's connection parameters, :name parameters as
numbered ones, and (against the test server) transactions, casts, literal percents and lost
connections."""

import os
import string
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import SERVER_URL
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BookUnusable
from kehu.book import engine

server_only = pytest.mark.skipif(SERVER_URL is None, reason="needs the test PostgreSQL server")


def test_named_parameters_become_numbered_placeholders():
    assert engine.numbered("SELECT * FROM c WHERE id = :id AND owner = :owner OR :id = 0") == (
        "SELECT * FROM c WHERE id = $1 AND owner = $2 OR $1 = 0",
        ("id", "owner"),
    )


def test_casts_literal_percents_and_escaped_colons_stay_as_written():
    assert engine.numbered("SELECT :at::date, x::text FROM t") == (
        "SELECT $1::date, x::text FROM t",
        ("at",),
    )
    assert engine.numbered("SELECT name LIKE '%' || :q || '%'") == (
        "SELECT name LIKE '%' || $1 || '%'",
        ("q",),
    )
    assert engine.numbered(r"SELECT '10\:30'") == ("SELECT '10:30'", ())


def test_a_text_is_translated_once():
    sql = "SELECT :a AS once"
    assert engine.numbered(sql) is engine.numbered(sql)


names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8)
words = st.text(string.ascii_letters + string.digits + " ,()=<>'%", max_size=12)


@given(st.lists(st.tuples(words, names), max_size=6), words)
def test_every_parameter_and_nothing_else_becomes_a_placeholder(parts, tail):
    sql = "".join(f"{text} :{name} " for text, name in parts) + tail
    order = list(dict.fromkeys(name for _text, name in parts))
    expected = "".join(f"{text} ${order.index(name) + 1} " for text, name in parts)
    assert engine.numbered(sql) == (expected + tail, tuple(order))


def test_an_unknown_connection_option_is_a_bad_url_without_the_password():
    book = engine.ServerBook("postgresql+psycopg://mei:s3cret@localhost/kehu?colour=blue")
    with pytest.raises(BookUnusable) as refused:
        book.transact(lambda tx: None, write=False)
    assert "s3cret" not in str(refused.value) and "is not a URL kehu can read" in str(refused.value)


def test_the_session_options_follow_the_urls_own():
    book = engine.ServerBook("postgresql+psycopg:///kehu?options=-c%20search_path%3Dsales")
    assert book.params["options"].startswith("-c search_path=sales -c lock_timeout=")
    assert "-c statement_timeout=300000" in book.params["options"]


@pytest.fixture
def book():
    assert SERVER_URL is not None
    opened = engine.ServerBook(SERVER_URL)
    yield opened
    opened.close()


@server_only
def test_rows_index_by_name_and_instants_are_stored_in_utc(book):
    at = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8)))

    def read(tx):
        row = engine.one(
            tx, "SELECT :at::timestamptz AS at, '50%' AS share, :n + 1 AS n", at=at, n=1
        )
        return row, list(tx.tuples("SELECT 1 AS a, 2 AS b")), tx.all("SELECT 1 WHERE false")

    row, tuples, none = book.transact(read, write=False)
    assert list(row.keys()) == ["at", "share", "n"]
    assert row["at"] == datetime(2026, 11, 22, 2, 0, tzinfo=UTC) and row["share"] == "50%"
    assert row["n"] == 2 and tuples == [(1, 2)] and none == []


@server_only
def test_a_write_is_serializable_and_a_read_repeatable(book):
    levels = [
        book.transact(lambda tx: engine.scalar(tx, "SHOW transaction_isolation"), write=write)
        for write in (True, False)
    ]
    assert levels == ["serializable", "repeatable read"]


@server_only
def test_a_failed_transaction_leaves_nothing_and_the_book_usable(book):
    book.transact(lambda tx: tx.run("CREATE TABLE scratch (n INTEGER)"))

    def half(tx):
        tx.run("INSERT INTO scratch VALUES (:n)", n=1)
        raise KeyError("stop")

    with pytest.raises(KeyError):
        book.transact(half)
    book.transact(lambda tx: tx.run_many("INSERT INTO scratch VALUES (:n)", [{"n": 2}, {"n": 3}]))
    rows = book.transact(lambda tx: tx.all("SELECT n FROM scratch ORDER BY n"), write=False)
    assert [r["n"] for r in rows] == [2, 3]


@server_only
def test_a_connection_the_server_closed_meanwhile_is_replaced(book):
    first = book.transact(lambda tx: engine.scalar(tx, "SELECT pg_backend_pid()"), write=False)
    other = engine.ServerBook(SERVER_URL)
    try:
        other.transact(lambda tx: tx.all("SELECT pg_terminate_backend(:p)", p=first))
    finally:
        other.close()
    second = book.transact(lambda tx: engine.scalar(tx, "SELECT pg_backend_pid()"), write=False)
    assert second != first


@server_only
def test_a_lost_server_is_one_line_naming_it_without_the_password():
    url = SERVER_URL.rsplit("@", 1)[0] + "@127.0.0.1:1/kehu_test"  # nothing listens on port 1
    with pytest.raises(BookUnusable) as refused:
        engine.ServerBook(url).transact(lambda tx: None, write=False)
    password = SERVER_URL.split("://", 1)[1].split("@")[0].partition(":")[2]
    assert "127.0.0.1:1" in str(refused.value) and password not in str(refused.value)
    assert os.environ.get("PGPASSWORD", "\0") not in str(refused.value)


def test_times_in_literals_are_not_parameters():
    assert engine.numbered("SELECT '10:30:00'::time, :t") == ("SELECT '10:30:00'::time, $1", ("t",))
