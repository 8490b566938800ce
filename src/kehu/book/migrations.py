"""Schema versions. A new book gets the current schema in one step, from the DDL shipped in
book/ddl/ (schema.py's models, compiled by scripts/ddl.py); an older book is brought up to date
by the steps below, append-only: a released step is never edited.

Each step runs in one transaction together with its version record, with foreign keys off
(a table rebuild with them on would cascade-delete child rows) and a foreign_key_check before
commit. A backup of the book is made before the first step runs.
"""

from collections.abc import Callable
from datetime import UTC

from kehu.base.errors import BookUnusable, NoBook
from kehu.base.i18n import _
from kehu.book import backup, ddl, engine

Step = Callable[[engine.Tx], None]

# ---------------------------------------------------------------------------------------------
# Version 2 (kehu 0.2.0): CHECK constraints on the words kehu knows (tier; contact channel, kind
# and outcome), so that a row written by another tool cannot derail the daily list.
# SQLite can only add a CHECK by rebuilding the table; customer is the parent of every other
# table, which is why steps run with foreign keys off (a DROP with them on would cascade).


def _m002_sqlite_rebuild(tx: engine.Tx, table: str, checks: str) -> None:
    original = engine.scalar(
        tx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t", t=table
    )
    indexes = [
        r["sql"]
        for r in tx.all(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
            " AND sql IS NOT NULL",
            t=table,
        )
    ]
    body = original[original.index("(") + 1 : original.rindex(")")].rstrip()
    tx.run(f"CREATE TABLE {table}_v2 ({body},\n\t{checks}\n)")
    tx.run(f"INSERT INTO {table}_v2 SELECT * FROM {table}")
    tx.run(f"DROP TABLE {table}")
    tx.run(f"ALTER TABLE {table}_v2 RENAME TO {table}")
    for sql in indexes:
        tx.run(sql)


M002_CHECKS = {
    "customer": ["CONSTRAINT ck_tier CHECK (tier IN ('A', 'B', 'C'))"],
    "contact": [
        "CONSTRAINT ck_channel CHECK (channel IN ('call', 'visit', 'wechat', 'sms', 'email',"
        " 'letter', 'gift', 'other'))",
        "CONSTRAINT ck_kind CHECK (kind IN ('follow-up', 'thank-you', 'greeting', 'complaint',"
        " 'other'))",
        "CONSTRAINT ck_outcome CHECK (outcome IN ('reached', 'no-answer'))",
    ],
}


def m002_known_words(tx: engine.Tx) -> None:
    for table, checks in M002_CHECKS.items():
        if tx.dialect == "sqlite":
            _m002_sqlite_rebuild(tx, table, ",\n\t".join(checks))
        else:
            for check in checks:
                tx.run(f"ALTER TABLE {table} ADD {check}")


# ---------------------------------------------------------------------------------------------
# Version 3 (kehu 0.2.0): indexes for the daily list. The two purchase indexes carry both the
# customer and the delivery time, so the list reads neither from the purchase rows; and the
# contacts that carry a note are indexed, so each customer's last note is one seek.


def m003_daily_list_indexes(tx: engine.Tx) -> None:
    for name, columns in (("delivered", "delivered_at, customer_id"),
                          ("customer", "customer_id, delivered_at")):  # fmt: skip
        tx.run(f"DROP INDEX ix_purchase_{name}")
        tx.run(f"CREATE INDEX ix_purchase_{name} ON purchase ({columns})")
    tx.run("CREATE INDEX ix_contact_noted ON contact (customer_id, id) WHERE note IS NOT NULL")


# ---------------------------------------------------------------------------------------------
# Version 4 (kehu 0.3.0): the journal `kehu undo` reads: each change a command made, and the rows
# it touched with their images from before it.


def m004_undo_journal(tx: engine.Tx) -> None:
    serial, instant = ("INTEGER", "VARCHAR(32)") if tx.dialect == "sqlite" else (
        "SERIAL", "TIMESTAMP WITH TIME ZONE")  # fmt: skip
    tx.run(
        f"CREATE TABLE journal_change (id {serial} NOT NULL, made_by VARCHAR(100) NOT NULL,"
        f" command VARCHAR(40) NOT NULL, made_at {instant} NOT NULL, undone_at {instant},"
        " PRIMARY KEY (id))"
    )
    tx.run("CREATE INDEX ix_journal_change_made_by ON journal_change (made_by, id)")
    tx.run(
        f"CREATE TABLE journal_row (id {serial} NOT NULL, change_id INTEGER NOT NULL,"
        " table_name VARCHAR(40) NOT NULL, row_key VARCHAR(400) NOT NULL, image VARCHAR,"
        " PRIMARY KEY (id),"
        " FOREIGN KEY(change_id) REFERENCES journal_change (id) ON DELETE CASCADE)"
    )
    tx.run("CREATE INDEX ix_journal_row_change ON journal_row (change_id)")
    tx.run("CREATE INDEX ix_journal_row_key ON journal_row (table_name, row_key)")


# ---------------------------------------------------------------------------------------------
# Version 5 (kehu 0.3.0): the pinyin forms of every name (zhangwei, zw, 张w…), one per row in an
# indexed table, so that `kehu show zw` finds 张伟 with one index range and no pinyin library.
# The forms are computed in Python (pypinyin), a batch of customers at a time.

M005_BATCH = 2000


def m005_name_pinyin(tx: engine.Tx) -> None:
    from kehu.rules import pinyin

    collate = ' COLLATE "C"' if tx.dialect == "postgresql" else ""  # byte order: prefix ranges
    tx.run(
        "CREATE TABLE customer_pinyin (\n"
        "\tcustomer_id INTEGER NOT NULL, \n"
        f"\tform VARCHAR(200){collate} NOT NULL, \n"
        "\tPRIMARY KEY (customer_id, form), \n"
        "\tFOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE\n)"
    )
    tx.run("CREATE INDEX ix_customer_pinyin_form ON customer_pinyin (form, customer_id)")
    last = 0
    while True:
        batch = tx.all(
            "SELECT id, name FROM customer WHERE id > :last ORDER BY id LIMIT :n",
            last=last,
            n=M005_BATCH,
        )
        if not batch:
            return
        rows = [{"c": r["id"], "f": f[:200]} for r in batch for f in pinyin.forms(r["name"])]
        if rows:
            tx.run_many("INSERT INTO customer_pinyin (customer_id, form) VALUES (:c, :f)", rows)
        last = batch[-1]["id"]


# ---------------------------------------------------------------------------------------------
# Version 6 (kehu 0.3.0): a snooze leaves the whole customer alone (no frequency mark, no
# suggestion) until it ends, so each snooze names its customer; and `kehu done` records what
# it closed, so that a complaint follow-up can be done before its day and a second `done` can
# say it was done.
# Snoozes written before are given their customer from their key (a row gone: none).

M006_SNOOZE_CUSTOMER = {
    "P": "SELECT customer_id FROM promise WHERE id = :n",
    "F": "SELECT customer_id FROM followup WHERE id = :n",
    "T": "SELECT customer_id FROM purchase WHERE id = :n",
    "C": "SELECT customer_id FROM purchase WHERE id = :n",
    "X": "SELECT customer_id FROM contact WHERE id = :n",
    "R": "SELECT referred_by AS customer_id FROM customer WHERE id = :n",
    "A": "SELECT id AS customer_id FROM customer WHERE id = :n",
    "K": "SELECT id AS customer_id FROM customer WHERE id = :n",
    "W": "SELECT id AS customer_id FROM customer WHERE id = :n",
    "S": "SELECT id AS customer_id FROM customer WHERE id = :n",
}


def m006_snooze_customer_and_closed_items(tx: engine.Tx) -> None:
    instant = "VARCHAR(32)" if tx.dialect == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    key = '"key"' if tx.dialect == "sqlite" else "key"
    if tx.dialect == "sqlite":
        # Rebuilt rather than altered, so that the foreign key reads as a new book's does.
        tx.run(
            'CREATE TABLE snooze_v6 ("key" VARCHAR(40) NOT NULL, until VARCHAR(32) NOT NULL,'
            " reason VARCHAR, created_at VARCHAR(32) NOT NULL, made_by VARCHAR(100) NOT NULL,"
            ' customer_id INTEGER, PRIMARY KEY ("key"),'
            " FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE)"
        )
        tx.run(
            "INSERT INTO snooze_v6 (key, until, reason, created_at, made_by)"
            " SELECT key, until, reason, created_at, made_by FROM snooze"
        )
        tx.run("DROP TABLE snooze")
        tx.run("ALTER TABLE snooze_v6 RENAME TO snooze")
    else:
        tx.run(
            "ALTER TABLE snooze ADD COLUMN customer_id INTEGER"
            " REFERENCES customer (id) ON DELETE CASCADE"
        )
    tx.run("CREATE INDEX ix_snooze_customer ON snooze (customer_id, until)")
    tx.run(
        f"CREATE TABLE closed_item ({key} VARCHAR(40) NOT NULL, customer_id INTEGER NOT NULL,"
        f" closed_at {instant} NOT NULL, contact_id INTEGER, made_by VARCHAR(100) NOT NULL,"
        f" PRIMARY KEY ({key}),"
        " FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE,"
        " FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL)"
    )
    for row in tx.all("SELECT key FROM snooze"):
        letter, number = row["key"][:1], row["key"][1:].split(".")[0]
        if letter not in M006_SNOOZE_CUSTOMER or not number.isdecimal():
            continue
        found = engine.one(tx, M006_SNOOZE_CUSTOMER[letter], n=int(number))
        if found is not None and found["customer_id"] is not None:
            tx.run(
                "UPDATE snooze SET customer_id = :c WHERE key = :k",
                c=found["customer_id"],
                k=row["key"],
            )


# ---------------------------------------------------------------------------------------------
# Version 7 (kehu 0.3.0): a customer's own form of address (称呼) and the language their drafts
# are written in.


def m007_salutation_and_language(tx: engine.Tx) -> None:
    tx.run("ALTER TABLE customer ADD COLUMN salutation VARCHAR(40)")
    tx.run("ALTER TABLE customer ADD COLUMN language VARCHAR(2)")


# ---------------------------------------------------------------------------------------------
# Version 8 (kehu 0.3.0): the dates that matter to a customer, solar or lunar, as rows of their
# own. customer.birthday (a date; year 1904 standing for "year unknown") becomes one birthday
# occasion each, and the column goes. SQLite drops it by rebuilding the table (as in step 2,
# whose foreign keys are off for the same reason): ALTER TABLE … DROP COLUMN needs SQLite 3.35.
# The undo journal's images of customer rows lose the column too, so that an undo of a change
# made before the upgrade still puts the rest of the row back.

M008_OCCASION = """CREATE TABLE occasion (
\tid {serial} NOT NULL,
\tcustomer_id INTEGER NOT NULL,
\tkind VARCHAR(20) NOT NULL,
\tlabel VARCHAR(100),
\tcalendar VARCHAR(10) NOT NULL,
\tmonth INTEGER NOT NULL,
\tday INTEGER NOT NULL,
\tleap BOOLEAN NOT NULL,
\tyear INTEGER,
\tnote VARCHAR,
\tcreated_at {instant} NOT NULL,
\tPRIMARY KEY (id),
\tCONSTRAINT ck_kind CHECK (kind IN ('birthday', 'wedding', 'child-birthday', 'company',
\t\t'other')),
\tCONSTRAINT ck_calendar CHECK (calendar IN ('solar', 'lunar')),
\tFOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
)"""
M008_UNKNOWN_YEAR = 1904


def m008_occasions(tx: engine.Tx) -> None:
    sqlite = tx.dialect == "sqlite"
    tx.run(
        M008_OCCASION.format(
            serial="INTEGER" if sqlite else "SERIAL",
            instant="VARCHAR(32)" if sqlite else "TIMESTAMP WITH TIME ZONE",
        )
    )
    tx.run("CREATE INDEX ix_occasion_customer ON occasion (customer_id)")
    tx.run("CREATE INDEX ix_occasion_month_day ON occasion (month, day, customer_id)")
    if sqlite:  # the date is ISO text
        year, month, day = (f"CAST(substr(birthday, {a}, {n}) AS INTEGER)"
                            for a, n in ((1, 4), (6, 2), (9, 2)))  # fmt: skip
    else:
        year, month, day = (f"CAST(EXTRACT({part} FROM birthday) AS INTEGER)"
                            for part in ("YEAR", "MONTH", "DAY"))  # fmt: skip
    tx.run(
        "INSERT INTO occasion (customer_id, kind, label, calendar, month, day, leap, year,"
        f" note, created_at) SELECT id, 'birthday', NULL, 'solar', {month}, {day}, FALSE,"
        f" NULLIF({year}, {M008_UNKNOWN_YEAR}), NULL, created_at FROM customer"
        " WHERE birthday IS NOT NULL ORDER BY id"
    )
    _m008_journal_without_birthday(tx)
    if not sqlite:
        tx.run("ALTER TABLE customer DROP COLUMN birthday")
        return
    original = engine.scalar(
        tx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'customer'"
    )
    indexes = [
        r["sql"]
        for r in tx.all(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer'"
            " AND sql IS NOT NULL"
        )
    ]
    body = original[original.index("(") + 1 : original.rindex(")")]
    lines = body.split("\n")
    kept = [line for line in lines if not line.strip().startswith("birthday ")]
    assert len(kept) == len(lines) - 1, "customer.birthday not found"
    columns = [r["name"] for r in tx.all("PRAGMA table_info(customer)") if r["name"] != "birthday"]
    listed = ", ".join(columns)
    tx.run("CREATE TABLE customer_v8 (" + "\n".join(kept) + ")")
    tx.run(f"INSERT INTO customer_v8 ({listed}) SELECT {listed} FROM customer")
    tx.run("DROP TABLE customer")
    tx.run("ALTER TABLE customer_v8 RENAME TO customer")
    for sql in indexes:
        tx.run(sql)


def _m008_journal_without_birthday(tx: engine.Tx) -> None:
    import json

    for row in tx.all(
        "SELECT id, image FROM journal_row WHERE table_name = 'customer' AND image IS NOT NULL"
    ):
        image = json.loads(row["image"])
        if image.pop("birthday", False) is not False:
            tx.run(
                "UPDATE journal_row SET image = :i WHERE id = :id",
                i=json.dumps(image, ensure_ascii=False),
                id=row["id"],
            )


# Version 9 (kehu 0.3.0): prospects before the sale, with the prospect card's fields, and each
# grade they were given (with its contact) for the monthly level table. New tables only.


def m009_prospects(tx: engine.Tx) -> None:
    serial, instant = ("INTEGER", "VARCHAR(32)") if tx.dialect == "sqlite" else (
        "SERIAL", "TIMESTAMP WITH TIME ZONE")  # fmt: skip
    tx.run(
        "CREATE TABLE prospect (customer_id INTEGER NOT NULL, level VARCHAR(1) NOT NULL,"
        " interest VARCHAR(400), budget VARCHAR(100), expected_on DATE, payment VARCHAR(10),"
        " current_car VARCHAR(200), usage VARCHAR(200), cares VARCHAR(200),"
        f" competitors VARCHAR(400), best_time VARCHAR(100), created_at {instant} NOT NULL,"
        f" converted_at {instant}, lost_at {instant}, lost_reason VARCHAR(20),"
        " lost_note VARCHAR, PRIMARY KEY (customer_id),"
        " CONSTRAINT ck_level CHECK (level IN ('H', 'A', 'B', 'C', 'O', 'N')),"
        " CONSTRAINT ck_lost_reason CHECK (lost_reason IS NULL OR lost_reason IN ('competitor',"
        " 'budget', 'postponed', 'price', 'unreachable', 'other')),"
        " FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE)"
    )
    tx.run(
        f"CREATE TABLE prospect_grade (id {serial} NOT NULL, customer_id INTEGER NOT NULL,"
        f" level VARCHAR(1) NOT NULL, at {instant} NOT NULL, contact_id INTEGER,"
        " made_by VARCHAR(100) NOT NULL, PRIMARY KEY (id),"
        " FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE,"
        " FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL)"
    )
    tx.run("CREATE INDEX ix_prospect_grade_customer ON prospect_grade (customer_id, at)")


# ---------------------------------------------------------------------------------------------
# Version 10 (kehu 0.3.0): ids are never reused. SQLite gave a deleted customer's id (and its
# purchase's, so its item keys) to the next one, whose thank-you T1 an old snooze then hid;
# AUTOINCREMENT needs a table rebuild. PostgreSQL's sequences never reuse a value already.
# Rows about a customer that no longer exists, left by older versions, are removed, and a phone
# with letters no longer identifies anyone by its digits alone.

M010_TABLES = (
    "customer", "purchase", "contact", "promise", "followup", "occasion", "prospect_grade",
    "journal_change", "journal_row",
)  # fmt: skip
M010_ORPHANS = (
    "customer_pinyin", "profile_field", "purchase", "contact", "promise", "followup", "snooze",
    "closed_item", "occasion", "prospect", "prospect_grade",
)  # fmt: skip


def _m010_sqlite_autoincrement(tx: engine.Tx, table: str) -> None:
    import re

    original = engine.scalar(
        tx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t", t=table
    )
    indexes = [
        r["sql"]
        for r in tx.all(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
            " AND sql IS NOT NULL",
            t=table,
        )
    ]
    body = original[original.index("(") + 1 : original.rindex(")")]
    body = re.sub(r",\s*PRIMARY KEY \(id\)", "", body)
    body = re.sub(
        r"\bid INTEGER NOT NULL\b", "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT", body, count=1
    )
    tx.run(f"CREATE TABLE {table}_v9 ({body})")
    tx.run(f"INSERT INTO {table}_v9 SELECT * FROM {table}")
    tx.run(f"DROP TABLE {table}")
    tx.run(f"ALTER TABLE {table}_v9 RENAME TO {table}")
    for sql in indexes:
        tx.run(sql)


def m010_ids_never_reused(tx: engine.Tx) -> None:
    from kehu.rules import vocab

    # A snooze still without its customer is given it from its key, as in version 6; one whose
    # row is gone is an orphan.
    for row in tx.all("SELECT key FROM snooze WHERE customer_id IS NULL"):
        letter, number = row["key"][:1], row["key"][1:].split(".")[0]
        if letter in M006_SNOOZE_CUSTOMER and number.isdecimal():
            found = engine.one(tx, M006_SNOOZE_CUSTOMER[letter], n=int(number))
            if found is not None and found["customer_id"] is not None:
                tx.run(
                    "UPDATE snooze SET customer_id = :c WHERE key = :k",
                    c=found["customer_id"],
                    k=row["key"],
                )
    for table in M010_ORPHANS:
        tx.run(
            f"DELETE FROM {table} WHERE customer_id IS NULL"
            " OR customer_id NOT IN (SELECT id FROM customer)"
        )
    for row in tx.all("SELECT id, phone, phone_digits FROM customer WHERE phone IS NOT NULL"):
        digits = vocab.phone_digits(row["phone"])
        if digits != row["phone_digits"]:
            tx.run("UPDATE customer SET phone_digits = :d WHERE id = :id", d=digits, id=row["id"])
    for table in M010_TABLES:
        if tx.dialect == "sqlite":
            _m010_sqlite_autoincrement(tx, table)
        else:
            _m010_sequence_past_rows(tx, table)


def _m010_sequence_past_rows(tx: engine.Tx, table: str) -> None:
    """Rows written with their ids (by another tool) leave a sequence behind them: move it
    past them, never back."""
    sequence = engine.scalar(tx, "SELECT pg_get_serial_sequence(:t, 'id')", t=table)
    highest = engine.scalar(tx, f"SELECT MAX(id) FROM {table}")
    if sequence and highest and highest > engine.scalar(tx, f"SELECT last_value FROM {sequence}"):
        engine.scalar(tx, "SELECT setval(:s, :n)", s=sequence, n=highest)


# Version 11 (kehu 0.3.0): owner-first indexes. On a book shared by a team, one salesperson's
# daily list starts from their own customers (ix_customer_owner) and reaches each one's open
# promises and planned calls, complaints and referrals by customer: its cost follows their
# customers, not the whole book.


def m011_owner_first_indexes(tx: engine.Tx) -> None:
    tx.run("CREATE INDEX ix_customer_referred_by ON customer (referred_by, created_at)")
    tx.run("CREATE INDEX ix_contact_customer_kind ON contact (customer_id, kind, at)")
    tx.run(
        "CREATE INDEX ix_promise_customer_open ON promise (customer_id, due)"
        " WHERE kept_at IS NULL AND cancelled_at IS NULL"
    )
    tx.run(
        "CREATE INDEX ix_followup_customer_open ON followup (customer_id, due)"
        " WHERE done_at IS NULL"
    )


# ---------------------------------------------------------------------------------------------
# Version 12 (kehu 0.3.0): the reports' indexes. A customer's contacts by outcome, then time, so
# that the last reached contact before any moment is one seek (the health trend asks for it
# every week); the contacts of a period with their outcome and customer, read from the index
# alone (the activity reports count them by day).


def m012_report_indexes(tx: engine.Tx) -> None:
    for name, columns in (("customer", "customer_id, outcome, at, kind"),
                          ("kind_at", "kind, at, outcome, customer_id")):  # fmt: skip
        tx.run(f"DROP INDEX ix_contact_{name}")
        tx.run(f"CREATE INDEX ix_contact_{name} ON contact ({columns})")


# ---------------------------------------------------------------------------------------------
# Version 13 (kehu 0.3.0): one owner's daily list on a team book. Whether a book keeps any
# lunar date (the list loads the lunar calendar only then) is one seek, not a scan of every
# date; the owner's customer ids are read from ix_customer_owner alone on PostgreSQL too.


def m013_team_daily_list_indexes(tx: engine.Tx) -> None:
    tx.run("CREATE INDEX ix_occasion_lunar ON occasion (customer_id) WHERE calendar = 'lunar'")
    tx.run("DROP INDEX ix_customer_owner")
    tx.run("CREATE INDEX ix_customer_owner ON customer (owner, archived_at, id)")


# ---------------------------------------------------------------------------------------------
# Version 14 (kehu 0.3.0): one owner's daily list reads the rows of the customers it lists, not
# of all their customers. What the call-backs and the quiet customers' marks ask of each of the
# owner's customers (last thank-you, contact and reach, when added, tier) comes with its id from
# ix_customer_owner; on PostgreSQL a delivery's id comes from ix_purchase_customer (SQLite's
# indexes hold the rowid).


def m014_owner_list_indexes(tx: engine.Tx) -> None:
    tx.run("DROP INDEX ix_customer_owner")
    tx.run(
        "CREATE INDEX ix_customer_owner ON customer (owner, archived_at, id,"
        " last_thanks_at, last_other_at, last_reached_at, created_at, tier)"
    )
    if tx.dialect == "postgresql":
        tx.run("DROP INDEX ix_purchase_customer")
        tx.run(
            "CREATE INDEX ix_purchase_customer ON purchase (customer_id, delivered_at) INCLUDE (id)"
        )


def m015_team_item_indexes(tx: engine.Tx) -> None:
    tx.run("CREATE INDEX ix_snooze_until ON snooze (until)")
    if tx.dialect == "postgresql":
        tx.run("DROP INDEX ix_promise_customer_open")
        tx.run(
            "CREATE INDEX ix_promise_customer_open ON promise (customer_id, due) INCLUDE (id)"
            " WHERE kept_at IS NULL AND cancelled_at IS NULL"
        )
        tx.run("DROP INDEX ix_occasion_month_day")
        tx.run(
            "CREATE INDEX ix_occasion_month_day ON occasion (month, day, customer_id)"
            " INCLUDE (calendar, id)"
        )


# ---------------------------------------------------------------------------------------------
# Version 16 (kehu 0.3.0): a lost prospect who comes back keeps the loss in prospect_loss; it
# was cleared from the prospect row, and the card, the level table and the reports forgot it.


def m016_prospect_losses(tx: engine.Tx) -> None:
    serial, instant = ("INTEGER", "VARCHAR(32)") if tx.dialect == "sqlite" else (
        "SERIAL", "TIMESTAMP WITH TIME ZONE")  # fmt: skip
    autoincrement = " AUTOINCREMENT" if tx.dialect == "sqlite" else ""
    key = f"PRIMARY KEY{autoincrement}" if tx.dialect == "sqlite" else ""
    tx.run(
        f"CREATE TABLE prospect_loss (id {serial} NOT NULL {key},"
        f" customer_id INTEGER NOT NULL, lost_at {instant} NOT NULL, reason VARCHAR(20) NOT NULL,"
        f" note VARCHAR, reopened_at {instant} NOT NULL, contact_id INTEGER,"
        " made_by VARCHAR(100) NOT NULL,"
        + ("" if tx.dialect == "sqlite" else " PRIMARY KEY (id),")
        + " CONSTRAINT ck_reason CHECK (reason IN ('competitor', 'budget', 'postponed', 'price',"
        " 'unreachable', 'other')),"
        " FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE,"
        " FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL)"
    )
    tx.run("CREATE INDEX ix_prospect_loss_customer ON prospect_loss (customer_id, lost_at)")


# ---------------------------------------------------------------------------------------------
# Version 17 (kehu 0.3.0): a contact whose note is the text sent to the customer (`kehu done
# --sent/--draft`) says so, and the daily list's talking point (the last note, one seek of
# ix_contact_noted) passes over it: it quoted the salesperson's own message back to them. The
# contacts logged before cannot tell: they stay notes.


def m017_sent_texts(tx: engine.Tx) -> None:
    false = "0" if tx.dialect == "sqlite" else "false"
    tx.run(f"ALTER TABLE contact ADD COLUMN sent BOOLEAN DEFAULT {false} NOT NULL")
    tx.run("DROP INDEX ix_contact_noted")
    tx.run(
        "CREATE INDEX ix_contact_noted ON contact (customer_id, id)"
        " WHERE note IS NOT NULL AND NOT sent"
    )


# (version, name, step). Version N's schema is kept in tests/schemas/vN.*.sql.
MIGRATIONS: list[tuple[int, str, Step]] = [
    (2, "known words", m002_known_words),
    (3, "daily list indexes", m003_daily_list_indexes),
    (4, "undo journal", m004_undo_journal),
    (5, "name pinyin", m005_name_pinyin),
    (6, "snooze customer and closed items", m006_snooze_customer_and_closed_items),
    (7, "salutation and language", m007_salutation_and_language),
    (8, "occasions", m008_occasions),
    (9, "prospects", m009_prospects),
    (10, "ids never reused", m010_ids_never_reused),
    (11, "owner-first indexes", m011_owner_first_indexes),
    (12, "report indexes", m012_report_indexes),
    (13, "team daily list indexes", m013_team_daily_list_indexes),
    (14, "owner list indexes", m014_owner_list_indexes),
    (15, "team item indexes", m015_team_item_indexes),
    (16, "prospect losses", m016_prospect_losses),
    (17, "sent texts", m017_sent_texts),
]

CURRENT = 1 + len(MIGRATIONS)
# No kehu will ever reach this schema version: a book that says it has (or one below 1) has a
# damaged page where its version is kept, and is damaged, not newer.
IMPOSSIBLE = 1000


def version_of(tx: engine.Tx) -> int | None:
    """The book's schema version; None for an empty database; -1 for a foreign one."""
    if not _has_version_table(tx):
        return None if not _table_names(tx) else -1
    return int(engine.scalar(tx, "SELECT MAX(version) AS v FROM schema_version") or 0)


def _has_version_table(tx: engine.Tx) -> bool:
    """Asked of every book every time it is opened: one lookup by name (PostgreSQL's
    information_schema is a view over the whole catalogue, with a privilege check a row)."""
    if tx.dialect == "sqlite":
        sql = "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = :t"
    else:
        sql = (
            "SELECT 1 AS found WHERE"
            " to_regclass(quote_ident(current_schema()) || '.schema_version') IS NOT NULL"
        )
    return engine.one(tx, sql, t="schema_version") is not None


def _table_names(tx: engine.Tx) -> set[str]:
    if tx.dialect == "sqlite":
        rows = tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = tx.all(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    return {r["name"] for r in rows}


def ensure_current(book: engine.Book, *, create: bool = True) -> None:
    version = book.transact(version_of, write=False)
    if version is None and not create:
        raise NoBook(book.location)
    if version != CURRENT:
        _refuse_foreign_or_newer(book, version)
        try:
            with book.foreign_keys_off():
                book.transact(lambda tx: _upgrade(tx, book))
        except Exception:
            # On PostgreSQL two kehus can both start the same step; the second then fails
            # (the table or constraint exists) and rolls back. Fine if the book is current now.
            if book.transact(version_of, write=False) != CURRENT:
                raise
    if isinstance(book, engine.SQLiteBook):
        book.use_wal()


def _refuse_foreign_or_newer(book: engine.Book, version: int | None) -> None:
    if version == -1:
        raise BookUnusable(
            _("{location} holds tables that are not a kehu book; kehu leaves it as it is").format(
                location=book.location
            )
        )
    if version is not None and not 1 <= version < IMPOSSIBLE:
        raise book.damaged(
            _("its schema version reads {version}, which no kehu has").format(version=version)
        )
    if version is not None and version > CURRENT:
        raise BookUnusable(
            _("{location} was written by a newer kehu (schema {version}, this one knows up to "
              "{current}); upgrade kehu — the book is left untouched").format(
                location=book.location, version=version, current=CURRENT)
        )  # fmt: skip


def _upgrade(tx: engine.Tx, book: engine.Book | None = None) -> None:
    # Checked again under the write lock: another process may have done it meanwhile.
    version = version_of(tx)
    if version == CURRENT:
        return
    if version is None:
        create_schema(tx)
        return
    _refuse_newer_in_tx(version)
    if isinstance(book, engine.SQLiteBook):  # a server book is backed up by the server's tools
        backup.before_migration(book.path, version)  # under the lock: one copy, of the old book
    for number, name, step in MIGRATIONS:
        if number > version:
            step(tx)
            _record(tx, number, name)
    _check_foreign_keys(tx)


def _refuse_newer_in_tx(version: int) -> None:
    if version > CURRENT or version < 1:
        raise BookUnusable(
            _("unexpected schema version {version}; the book is left untouched").format(
                version=version
            )
        )


def create_schema(tx: engine.Tx) -> None:
    """The current schema, from the DDL shipped in book/ddl/ (no SQLAlchemy)."""
    create_tables(tx)
    add_keys_and_indexes(tx)


def create_tables(tx: engine.Tx) -> None:
    """The current schema's tables, with their checks but (on PostgreSQL) without their keys:
    copy-to loads the rows before building those once."""
    for sql in ddl.statements(tx.dialect)["tables"]:
        tx.run(sql)
    _record(tx, CURRENT, "current schema")


def add_keys_and_indexes(tx: engine.Tx) -> None:
    statements = ddl.statements(tx.dialect)
    for sql in statements["constraints"] + statements["indexes"]:
        tx.run(sql)


def _record(tx: engine.Tx, version: int, name: str) -> None:
    from kehu.base import clock

    tx.run(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :at)",
        v=version,
        n=name,
        at=clock.now(UTC),
    )


def _check_foreign_keys(tx: engine.Tx) -> None:
    if tx.dialect == "sqlite" and tx.all("PRAGMA foreign_key_check"):
        raise BookUnusable(
            _("a schema upgrade would break links between rows; nothing was changed")
        )
