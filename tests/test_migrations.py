"""Upgrading books written by every released schema: nothing lost, one migrator at a time."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SERVER_URL, sqlite_only

from kehu.base.errors import BookUnusable
from kehu.book import migrations, opening
from kehu.book.schema import JOURNAL_TABLES, TABLES_IN_ORDER

SCHEMAS = Path(__file__).parent / "schemas"
ENGINE = "postgresql" if SERVER_URL else "sqlite"
OLD_VERSIONS = [v for v in range(1, migrations.CURRENT)]
# the book's own rows
TABLES = tuple(t for t in TABLES_IN_ORDER if t not in ("schema_version", *JOURNAL_TABLES))
# Tables an upgrade adds (filled from other tables), and the version that adds them.
ADDED = {
    "customer_pinyin": 5,
    "closed_item": 6,
    "occasion": 8,
    "prospect": 9,
    "prospect_grade": 9,
    "prospect_loss": 16,
}

# Rows as a version-1 book holds them: written with that version's columns only.
V1_ROWS = [
    "INSERT INTO customer (id, name, phone, phone_digits, tier, owner, created_at, birthday,"
    " referred_by, last_reached_at, last_other_at, last_thanks_at, attempts) VALUES"
    " (1, '张伟', '13800138000', '13800138000', 'A', 'mei', '2026-08-01 02:00:00+00:00',"
    " '1985-03-15', NULL, '2026-10-01 02:00:00+00:00', '2026-10-01 02:00:00+00:00',"
    " '2026-08-01 10:00:00+00:00', 1),"
    " (2, 'Anna Schmidt', NULL, NULL, 'C', 'mei', '2026-09-01 02:00:00+00:00', '1904-02-29', 1,"
    " NULL, NULL, NULL, 0)",
    "INSERT INTO profile_field (customer_id, key, value) VALUES (1, 'hobbies', '钓鱼'),"
    " (2, 'family', 'two cats')",
    "INSERT INTO purchase (id, customer_id, product, amount, sold_at, delivered_at) VALUES"
    " (1, 1, 'Golf 1.4T', 158000, '2026-08-01 02:00:00+00:00', '2026-08-01 02:00:00+00:00'),"
    " (2, 2, 'Polo', NULL, '2026-09-01 02:00:00+00:00', NULL)",
    "INSERT INTO contact (id, customer_id, at, channel, kind, outcome, note, purchase_id,"
    " made_by) VALUES"
    " (1, 1, '2026-08-01 10:00:00+00:00', 'wechat', 'thank-you', 'reached', 'thanks', 1, 'mei'),"
    " (2, 1, '2026-10-01 02:00:00+00:00', 'call', 'follow-up', 'reached', NULL, NULL, 'mei'),"
    " (3, 1, '2026-10-05 02:00:00+00:00', 'call', 'follow-up', 'no-answer', NULL, NULL, 'mei')",
    "INSERT INTO promise (id, customer_id, text, due, created_at, kept_at, cancelled_at,"
    " contact_id, made_by) VALUES"
    " (1, 1, 'Send the tyre quote', '2026-10-08 15:59:59+00:00', '2026-10-01 02:00:00+00:00',"
    " NULL, NULL, 2, 'mei'),"
    " (2, 2, 'Call about the Polo', '2026-09-05 15:59:59+00:00', '2026-09-01 02:00:00+00:00',"
    " '2026-09-04 02:00:00+00:00', NULL, NULL, 'mei')",
    "INSERT INTO followup (id, customer_id, due, note, created_at, done_at, contact_id, made_by)"
    " VALUES (1, 2, '2026-11-25 00:00:00+00:00', 'test drive', '2026-11-01 02:00:00+00:00',"
    " NULL, NULL, 'mei')",
    "INSERT INTO snooze (key, until, reason, created_at, made_by) VALUES"
    " ('W2', '2026-12-01 00:00:00+00:00', 'abroad', '2026-11-01 02:00:00+00:00', 'mei')",
]


# From schema 8 the birthdays are occasions of their own, as the upgrade to 8 leaves them.
V8_CUSTOMERS = [
    V1_ROWS[0]
    .replace(" birthday,", "")
    .replace(" '1985-03-15',", "")
    .replace(" '1904-02-29',", ""),
    "INSERT INTO occasion (id, customer_id, kind, label, calendar, month, day, leap, year, note,"
    " created_at) VALUES (1, 1, 'birthday', NULL, 'solar', 3, 15, FALSE, 1985, NULL,"
    " '2026-08-01 02:00:00+00:00'), (2, 2, 'birthday', NULL, 'solar', 2, 29, FALSE, NULL, NULL,"
    " '2026-09-01 02:00:00+00:00')",
]


def _rows(version: int) -> list[str]:
    if version < ADDED["occasion"]:
        return V1_ROWS
    rows = [V8_CUSTOMERS[0], *V1_ROWS[1:], V8_CUSTOMERS[1]]
    if version >= 10:  # from schema 10 every snooze names its customer
        rows = [
            r.replace("INSERT INTO snooze (key,", "INSERT INTO snooze (customer_id, key,").replace(
                "('W2',", "(2, 'W2',"
            )
            for r in rows
        ]
    return rows


def _statements(version: int) -> list[str]:
    text = (SCHEMAS / f"v{version}.{ENGINE}.sql").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def build_old_book(target: str, version: int) -> None:
    """A book exactly as kehu of that version left it, with rows in every table."""
    statements = _statements(version) + _rows(version)
    statements.append(
        f"INSERT INTO schema_version (version, name, applied_at) VALUES ({version},"
        " 'current schema', '2026-08-01 00:00:00+00:00')"
    )
    if ENGINE == "sqlite":
        import sqlite3

        Path(target).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(target)
        with conn:
            for sql in statements:
                conn.execute(sql)
        conn.close()
        os.chmod(target, 0o600)
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(target)
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
        engine.dispose()


def _old_tables(version: int) -> tuple[str, ...]:
    return tuple(t for t in TABLES if ADDED.get(t, 0) <= version)


def _contents(kehu, tables: tuple[str, ...]) -> dict[str, list[dict]]:
    rows = {t: kehu.rows(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}
    for table in rows.values():
        for row in table:
            for key, value in row.items():  # the engines return instants differently
                if hasattr(value, "isoformat") and not isinstance(value, str):
                    row[key] = value.isoformat()
                elif value is not None and key == "amount":
                    row[key] = float(value)
    return rows


def _kept_columns(after: dict[str, list[dict]], before: dict[str, list[dict]]) -> dict:
    """The rows after an upgrade, in the columns they had before; a column added since holds
    nothing yet (schema 7's salutation and language), or its default (schema 17's
    contact.sent: false)."""
    kept = {}
    for table, rows in after.items():
        old = set(before[table][0]) if before[table] else set(rows[0] if rows else ())
        for row in rows:
            added = {key: value for key, value in row.items() if key not in old}
            assert all(value is None or (key, value) == ("sent", False) for key, value in
                       added.items()), row  # fmt: skip
        kept[table] = [{k: v for k, v in row.items() if k in old} for row in rows]
    return kept


def _schema(target: str) -> dict[str, object]:
    from sqlalchemy import create_engine, inspect

    url = target if "://" in target else f"sqlite:///{target}"
    engine = create_engine(url)
    inspector = inspect(engine)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        shape[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)
            ),
            "foreign keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                for f in inspector.get_foreign_keys(table)
            ),
            "checks": sorted(c["name"] for c in inspector.get_check_constraints(table)),
        }
    engine.dispose()
    return shape


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_an_old_book_is_upgraded_with_every_row_kept(kehu, isolated, tmp_path, version):
    build_old_book(isolated, version)
    from conftest import Kehu

    tables = _old_tables(version)
    before = _contents(Kehu(isolated), tables) if ENGINE == "postgresql" else None
    if ENGINE == "sqlite":
        import sqlite3

        conn = sqlite3.connect(isolated)
        conn.row_factory = sqlite3.Row
        before = {
            t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables
        }
        conn.close()
    # (on PostgreSQL `before` is read through kehu, so already upgraded: no birthday column)
    birthdays = {row["id"]: row.pop("birthday", None) for row in before["customer"]}
    listed = kehu.json("list")
    assert [c["name"] for c in listed] == ["张伟", "Anna Schmidt"]
    after = _contents(kehu, tables)
    # Versions 6 and 10 give each snooze its customer, from its key (W2: customer 2).
    assert [row.pop("customer_id") for row in after["snooze"]] == [2]
    for row in before["snooze"]:  # on PostgreSQL, read through kehu: upgraded already
        row.pop("customer_id", None)
    after = _kept_columns(after, before)
    # schema 8: each birthday became a solar birthday occasion; 1904 stood for "year unknown".
    if ENGINE == "sqlite" and version < ADDED["occasion"]:
        assert {str(d) for d in birthdays.values()} == {"1985-03-15", "1904-02-29"}
    occasions = _contents(kehu, ("occasion",))["occasion"]
    assert [(o["customer_id"], o["kind"], o["calendar"], o["month"], o["day"], o["year"],
             bool(o["leap"])) for o in occasions] == [
        (1, "birthday", "solar", 3, 15, 1985, False),
        (2, "birthday", "solar", 2, 29, None, False),
    ]  # fmt: skip
    if ENGINE == "sqlite":
        assert after == before
    else:
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
        assert after == before
    versions = kehu.rows("SELECT version FROM schema_version ORDER BY version")
    assert [v["version"] for v in versions] == list(range(version, migrations.CURRENT + 1))
    card = kehu.json("show", "张伟")
    assert card["birthday"] == "1985-03-15"
    assert kehu.json("show", "Anna Schmidt")["birthday"] == "02-29"
    assert card["purchases"][0]["product"] == "Golf 1.4T"
    assert card["promises"][0]["text"] == "Send the tyre quote"
    assert card["profile"] == {"hobbies": "钓鱼"}
    if version < ADDED["customer_pinyin"]:  # the upgrade filled in the names' pinyin
        assert kehu.json("show", "zhangw")["id"] == 1
        assert kehu.json("show", "annas")["id"] == 2
    if ENGINE == "sqlite":
        assert kehu.rows("PRAGMA foreign_key_check") == []
        assert kehu.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_an_upgraded_book_has_the_schema_of_a_new_one(kehu, isolated, tmp_path, version):
    build_old_book(isolated, version)
    kehu.ok("list")
    upgraded = _schema(isolated)
    if ENGINE == "sqlite":
        fresh = tmp_path / "fresh.db"
        opening.open_book(str(fresh)).close()
        assert upgraded == _schema(str(fresh))
    else:
        assert all(t in upgraded for t in TABLES)
        assert upgraded["contact"]["checks"] == ["ck_channel", "ck_kind", "ck_outcome"]
        assert upgraded["customer"]["checks"] == ["ck_tier"]


@sqlite_only
def test_an_upgrade_first_makes_a_backup_of_the_old_book(kehu, isolated):
    build_old_book(isolated, 1)
    kehu.ok("list")
    backups = sorted((Path(isolated).parent / "backups").glob("kehu-*-schema1.db"))
    assert len(backups) == 1
    import sqlite3

    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
    assert copy.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 3
    copy.close()
    assert oct(backups[0].stat().st_mode & 0o777) == "0o600"


@sqlite_only
def test_a_book_from_a_newer_kehu_is_refused_and_left_untouched(kehu, isolated):
    build_old_book(isolated, 1)
    import sqlite3

    conn = sqlite3.connect(isolated)
    with conn:
        conn.execute(
            "INSERT INTO schema_version VALUES (99, 'from the future', '2027-01-01 00:00:00+00:00')"
        )
    conn.close()
    digest = hashlib.sha256(Path(isolated).read_bytes()).hexdigest()
    result = kehu("list")
    assert result.code == BookUnusable.exit_code
    assert "newer kehu" in result.err and "99" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert hashlib.sha256(Path(isolated).read_bytes()).hexdigest() == digest


@sqlite_only
def test_a_database_of_another_program_is_refused_and_left_untouched(kehu, isolated):
    import sqlite3

    Path(isolated).parent.mkdir(parents=True)
    conn = sqlite3.connect(isolated)
    with conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 99.5)")
    conn.close()
    digest = hashlib.sha256(Path(isolated).read_bytes()).hexdigest()
    result = kehu("add", "张伟")
    assert result.code == BookUnusable.exit_code
    assert "not a kehu book" in result.err
    assert hashlib.sha256(Path(isolated).read_bytes()).hexdigest() == digest


def test_two_processes_opening_an_old_book_at_once_migrate_it_once(kehu, isolated):
    build_old_book(isolated, 1)
    env = {**os.environ, "KEHU_DB": isolated}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kehu", "list", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [(code, err) for code, _, err in results] == [(0, ""), (0, "")]
    assert all("张伟" in out for _, out, _ in results)
    versions = kehu.rows("SELECT version FROM schema_version ORDER BY version")
    assert [v["version"] for v in versions] == list(range(1, migrations.CURRENT + 1))
    assert kehu.count("contact") == 3
    if ENGINE == "sqlite":
        backups = list((Path(isolated).parent / "backups").glob("kehu-*-schema1.db"))
        assert 1 <= len(backups) <= 2  # each may copy the old book before taking the lock


@sqlite_only
def test_an_upgrade_killed_midway_leaves_the_old_book_or_the_new_one(kehu, isolated, tmp_path):
    import random
    import signal
    import sqlite3
    import time

    rng = random.Random(11)
    outcomes = {"old": 0, "upgraded": 0, "partial": 0, "damaged": 0}
    # The upgrade's transaction waits 0.4 s before COMMIT, so kills land before, in and after it.
    env = {**os.environ, "KEHU_DB": isolated, "KEHU_TEST_SLOW_WRITE": "0.4"}
    for _ in range(12):
        Path(isolated).unlink(missing_ok=True)
        for leftover in Path(isolated).parent.glob("kehu.db-*"):
            leftover.unlink()
        build_old_book(isolated, 1)
        proc = subprocess.Popen([sys.executable, "-m", "kehu", "list"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.3, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(isolated)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                outcomes["damaged"] += 1
                continue
            version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            counts = [
                conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _old_tables(1)
            ]
            checks = conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%ck_tier%'"
                " OR name IN ('ix_contact_noted', 'customer_pinyin')"
            ).fetchone()[0]
            stray = conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%_v2' OR name LIKE '%_v6'"
            ).fetchone()[0]
        finally:
            conn.close()
        whole = counts == [2, 2, 2, 3, 2, 1, 1] and not stray
        if whole and version == 1 and checks == 0:
            outcomes["old"] += 1
        elif whole and version == migrations.CURRENT and checks == 3:
            outcomes["upgraded"] += 1
        else:
            outcomes["partial"] += 1
    print(f"migration kills: {outcomes}")
    assert outcomes["partial"] == 0 and outcomes["damaged"] == 0, outcomes


def test_the_pinyin_of_every_name_is_filled_in_batches(kehu, isolated, monkeypatch):
    build_old_book(isolated, 3)
    monkeypatch.setattr(migrations, "M005_BATCH", 1)
    kehu.ok("list")
    forms = kehu.rows("SELECT customer_id, form FROM customer_pinyin ORDER BY customer_id, form")
    assert {(f["customer_id"], f["form"]) for f in forms} >= {
        (1, "zhangwei"), (1, "zw"), (1, "张w"), (2, "annaschmidt"), (2, "as"),
    }  # fmt: skip
    assert kehu.json("show", "zhang wei")["name"] == "张伟"
