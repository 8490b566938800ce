"""Data never lost or given to the wrong customer: an id means that id, ids are never reused,
rows about a customer go with them, and only real phones make two people one."""

from typing import Any

from conftest import ENGINE, sqlite_only


def test_an_id_that_is_gone_matches_no_name(kehu: Any) -> None:
    kehu.ok("add", "Ann")  # 1
    kehu.ok("add", "3号店 老板")  # 2, a name with a 3 in it
    kehu.ok("add", "Bob")  # 3
    kehu.ok("delete", "3", "--yes")
    for typed in ("3", "#3", "＃３"):
        again = kehu("delete", typed, "--yes")
        assert again.code != 0 and "no customer #3" in again.err, again
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")] == [
        "Ann",
        "3号店 老板",
    ]


def test_an_archived_id_is_not_a_name_either(kehu: Any) -> None:
    kehu.ok("add", "Ann")  # 1
    kehu.ok("add", "客户1号")  # 2
    kehu.ok("archive", "1")
    result = kehu("log", "1", "--note", "called")
    assert result.code != 0 and "#1 is archived" in result.err, result
    assert kehu.count("contact") == 0


def test_ids_are_never_reused_and_a_snooze_goes_with_its_customer(kehu: Any) -> None:
    kehu.ok("add", "Ann", "--product", "car", "--delivered", "2026-11-20")
    kehu.ok("snooze", "T1", "--until", "2026-12-20")
    kehu.ok("delete", "1", "--yes")
    assert kehu.count("snooze") == 0
    kehu.ok("add", "Bob", "--product", "van", "--delivered", "2026-11-20")
    assert kehu.rows("SELECT id FROM customer") == [{"id": 2}]
    assert kehu.rows("SELECT id FROM purchase") == [{"id": 2}]


def test_letters_and_short_numbers_are_no_same_phone(kehu: Any) -> None:
    kehu.ok("add", "Flowers", "--phone", "1-800-FLOWERS")
    kehu.ok("add", "Contacts", "--phone", "1-800-CONTACTS")
    kehu.ok("add", "Zero", "--phone", "0")
    kehu.ok("add", "Nought", "--phone", "0")
    assert kehu.count("customer") == 4


@sqlite_only
def test_importing_rows_with_phone_zero_keeps_each(kehu: Any, tmp_path: Any) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("name,phone\nA,0\nB,0\nC,0\nD,13800138000\nE,138 0013 8000\n", "utf-8")
    result = kehu("import", str(csv), "--yes")
    assert result.code == 0 and "line 6: the same phone as line 5" in result.err, result
    assert "line 3" not in result.err and "line 4" not in result.err, result
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")] == [
        "A",
        "B",
        "C",
        "D",
    ]


def test_the_upgrade_to_9_removes_orphans_and_stops_reusing_ids(kehu: Any, isolated: str) -> None:
    from test_migrations import build_old_book

    build_old_book(isolated, 7)
    orphans = [
        "INSERT INTO profile_field (customer_id, key, value) VALUES (9, 'job', 'gone')",
        "INSERT INTO snooze (key, until, reason, created_at, made_by, customer_id) VALUES"
        " ('T9', '2026-12-01 00:00:00+00:00', NULL, '2026-11-01 02:00:00+00:00', 'mei', NULL)",
        "INSERT INTO closed_item (key, customer_id, closed_at, contact_id, made_by) VALUES"
        " ('C9.1w', 9, '2026-11-01 02:00:00+00:00', NULL, 'mei')",
        "UPDATE customer SET phone = '1-800-FLOWERS', phone_digits = '1800' WHERE id = 2",
    ]
    _run_raw(isolated, orphans if ENGINE == "sqlite" else orphans[-1:])  # PostgreSQL: no orphans
    kehu.ok("list")
    assert kehu.rows("SELECT customer_id FROM profile_field WHERE key = 'job'") == []
    assert [r["key"] for r in kehu.rows("SELECT key FROM snooze")] == ["W2"]
    assert kehu.count("closed_item") == 0
    assert kehu.rows("SELECT phone_digits FROM customer WHERE id = 2") == [{"phone_digits": None}]
    kehu.ok("delete", "2", "--yes")
    kehu.ok("add", "New", "--product", "Golf")
    assert kehu.rows("SELECT id FROM customer WHERE name = 'New'") == [{"id": 3}]
    assert kehu.rows("SELECT id FROM purchase ORDER BY id")[-1] == {"id": 3}


def _run_raw(target: str, statements: list[str]) -> None:
    if "://" not in target:
        import sqlite3

        conn = sqlite3.connect(target)
        with conn:
            for sql in statements:
                conn.execute(sql)
        conn.close()
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(target)
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))
    engine.dispose()


def test_a_clock_gone_back_says_in_the_future(kehu: Any) -> None:
    kehu.ok("add", "Ann", now="2026-11-24T10:00")
    kehu.ok("log", "Ann", "--via", "call", "--note", "talked", now="2026-11-24T10:05")
    listed = kehu.ok("list")  # the clock is back at 2026-11-22
    assert "in the future" in listed and "-2" not in listed, listed
    card = kehu.ok("show", "Ann")
    (contact_line,) = [line for line in card.splitlines() if "contact:" in line]
    assert "last reached in the future" in contact_line, card
