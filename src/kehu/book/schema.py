"""The customer book's tables: the one source of the DDL. scripts/ddl.py writes the DDL these
models compile to into book/ddl/ (a test checks it is up to date), and a new book is created
from that file (migrations.create_schema), without SQLAlchemy; migrations.py brings older books
to the same shape, and a test compares the two.

Reads and writes are plain SQL in the modules beside this one (see README, Performance), so
that a book is used without importing SQLAlchemy at all: these models are never instantiated,
they only describe the tables.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Index, Numeric, String, false, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from kehu.base.typed import LONGEST
from kehu.book.ddl import JOURNAL_TABLES, TABLES_IN_ORDER  # noqa: F401  (named here too)
from kehu.rules import occasions, vocab
from kehu.rules.pinyin import FORM_LONGEST


class UTCDateTime(TypeDecorator[datetime]):
    """An instant's column: timestamptz on PostgreSQL, UTC ISO 8601 text on SQLite (whose own
    DateTime type drops the offset). Only the DDL uses it; values are converted by
    timestamps.py, in engine.Tx."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(32))


class PrefixText(TypeDecorator[str]):
    """Text searched by prefix ranges (form >= 'zw' AND form < 'zx'): byte order ("C"
    collation) on PostgreSQL, where a language's collation would break the range; SQLite's
    default order is byte order already."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        length = getattr(self.impl_instance, "length", None)
        if dialect.name == "postgresql":
            return dialect.type_descriptor(String(length, collation="C"))
        return dialect.type_descriptor(String(length))


# Ids are never reused (schema 9): a deleted customer's id and item keys stay theirs. SQLite
# needs AUTOINCREMENT for that; PostgreSQL's sequences never go back anyway.
NEVER_REUSED = {"sqlite_autoincrement": True}


def _open(*columns: str) -> str:
    return " AND ".join(f"{c} IS NULL" for c in columns)


def _one_of(column: str, words: tuple[str, ...]) -> CheckConstraint:
    """Rows written by other tools cannot hold words kehu does not know (schema 2)."""
    listed = ", ".join(f"'{w}'" for w in words)
    return CheckConstraint(f"{column} IN ({listed})", name=f"ck_{column}")


# A person who bought something; the denormalised last_* columns are kept by store.py in the
# same transaction as each contact, so the daily list never scans all contacts.
class Customer(SQLModel, table=True):
    __table_args__ = (
        Index("ix_customer_name", "name"),
        Index("ix_customer_phone_digits", "phone_digits"),
        # Schema 13: with the id, one owner's customer ids from the index alone on PostgreSQL.
        # Schema 14: with what the call-backs and the quiet customers' marks ask of each of the
        # owner's customers, so that only the customers listed have their rows read.
        Index(
            "ix_customer_owner",
            "owner",
            "archived_at",
            "id",
            "last_thanks_at",
            "last_other_at",
            "last_reached_at",
            "created_at",
            "tier",
        ),
        # Schema 8: a referrer's referrals (the card, the daily list) without a scan.
        Index("ix_customer_referred_by", "referred_by", "created_at"),
        _one_of("tier", vocab.TIERS),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(LONGEST["name"]))
    phone: str | None = Field(default=None, sa_type=String(LONGEST["phone"]))
    phone_digits: str | None = Field(default=None, sa_type=String(LONGEST["phone"]))
    email: str | None = Field(default=None, sa_type=String(LONGEST["email"]))
    wechat: str | None = Field(default=None, sa_type=String(LONGEST["wechat"]))
    company: str | None = Field(default=None, sa_type=String(LONGEST["company"]))
    title: str | None = Field(default=None, sa_type=String(LONGEST["title"]))
    address: str | None = Field(default=None, sa_type=String(LONGEST["address"]))
    gender: str | None = Field(default=None, sa_type=String(20))
    tier: str = Field(default="B", sa_type=String(1))  # A key, B, C
    source: str | None = Field(default=None, sa_type=String(20))
    referred_by: int | None = Field(default=None, foreign_key="customer.id", ondelete="SET NULL")
    notes: str | None = None
    owner: str = Field(sa_type=String(LONGEST["owner"]))
    created_at: datetime = Field(sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_reached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_other_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_thanks_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    # Schema 4, added last as ALTER TABLE adds them: the form of address (称呼), and the
    # language of the customer's drafts (None: the interface's).
    salutation: str | None = Field(default=None, sa_type=String(LONGEST["salutation"]))
    language: str | None = Field(default=None, sa_type=String(2))


# The pinyin forms a customer's name is found by (rules/pinyin.forms: zhangwei, zw, 张w…), one
# per row, written with the name: a pinyin search is one range on ix_customer_pinyin_form.
class CustomerPinyin(SQLModel, table=True):
    __tablename__ = "customer_pinyin"
    __table_args__ = (Index("ix_customer_pinyin_form", "form", "customer_id"),)
    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    form: str = Field(primary_key=True, sa_type=PrefixText(FORM_LONGEST))


# Business-specific facts about a customer: job, family, hobbies, taboos, preferred channel…
class ProfileField(SQLModel, table=True):
    __tablename__ = "profile_field"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(primary_key=True, sa_type=String(LONGEST["key"]))
    value: str


# A date that matters to a customer, kept every year (rules/occasions.py): a birthday, an
# anniversary… solar or lunar; year NULL when unknown. Replaced customer.birthday (schema 8).
class Occasion(SQLModel, table=True):
    __table_args__ = (
        Index("ix_occasion_customer", "customer_id"),
        # The daily list reads only the month-days that can make an item today; on PostgreSQL
        # it finds the owner's among them from this index alone (schema 15).
        Index(
            "ix_occasion_month_day",
            "month",
            "day",
            "customer_id",
            postgresql_include=["calendar", "id"],
        ),
        # Schema 13: whether any lunar date is kept (or one customer's) is one seek.
        Index(
            "ix_occasion_lunar",
            "customer_id",
            sqlite_where=text("calendar = 'lunar'"),
            postgresql_where=text("calendar = 'lunar'"),
        ),
        _one_of("kind", occasions.KINDS),
        _one_of("calendar", occasions.CALENDARS),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    kind: str = Field(sa_type=String(20))
    label: str | None = Field(default=None, sa_type=String(LONGEST["key"]))
    calendar: str = Field(sa_type=String(10))
    month: int
    day: int
    leap: bool = False
    year: int | None = None
    note: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


# A sale. delivered_at may lie ahead (a delivery booked for later) or be unknown.
class Purchase(SQLModel, table=True):
    __table_args__ = (
        # Schema 14: with the id on PostgreSQL, a customer's deliveries from the index alone
        # (SQLite's indexes hold the rowid).
        Index("ix_purchase_customer", "customer_id", "delivered_at", postgresql_include=["id"]),
        Index("ix_purchase_delivered", "delivered_at", "customer_id"),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    product: str = Field(sa_type=String(LONGEST["product"]))
    amount: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    sold_at: datetime = Field(sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# One logged touch. A no-answer attempt is kept but does not count as contact.
class Contact(SQLModel, table=True):
    __table_args__ = (
        Index("ix_contact_customer", "customer_id", "outcome", "at", "kind"),  # schema 12
        Index("ix_contact_kind_at", "kind", "at", "outcome", "customer_id"),  # schema 12
        Index("ix_contact_customer_kind", "customer_id", "kind", "at"),  # schema 8: owner-first
        # The last note per customer (the daily list's talking points) in one seek each: a
        # note, not the text sent to the customer (schema 17).
        Index(
            "ix_contact_noted",
            "customer_id",
            "id",
            sqlite_where=text("note IS NOT NULL AND NOT sent"),
            postgresql_where=text("note IS NOT NULL AND NOT sent"),
        ),
        _one_of("channel", vocab.CHANNELS),
        _one_of("kind", vocab.CONTACT_KINDS),
        _one_of("outcome", vocab.OUTCOMES),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    at: datetime = Field(sa_type=UTCDateTime)
    channel: str = Field(sa_type=String(20))
    kind: str = Field(sa_type=String(20))
    outcome: str = Field(sa_type=String(20))
    note: str | None = None
    purchase_id: int | None = Field(default=None, foreign_key="purchase.id", ondelete="SET NULL")
    made_by: str = Field(sa_type=String(100))
    # The note is the text sent to the customer (`done --sent/--draft`), not what they said:
    # never their talking point (schema 17).
    sent: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


# Something promised to the customer, due at a time; late promises outrank everything.
class Promise(SQLModel, table=True):
    __table_args__ = (
        Index("ix_promise_customer", "customer_id"),
        Index(
            "ix_promise_customer_open",
            "customer_id",
            "due",
            postgresql_include=["id"],  # schema 15: the owner's open promises from it alone
            sqlite_where=text(_open("kept_at", "cancelled_at")),
            postgresql_where=text(_open("kept_at", "cancelled_at")),
        ),
        Index(
            "ix_promise_open_due",
            "due",
            sqlite_where=text(_open("kept_at", "cancelled_at")),
            postgresql_where=text(_open("kept_at", "cancelled_at")),
        ),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    text: str
    due: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    kept_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    made_by: str = Field(sa_type=String(100))


# "Call again on …": the next step scheduled when a contact is logged with --next.
class FollowUp(SQLModel, table=True):
    __tablename__ = "followup"
    __table_args__ = (
        Index("ix_followup_customer", "customer_id"),
        Index(
            "ix_followup_customer_open",
            "customer_id",
            "due",
            sqlite_where=text(_open("done_at")),
            postgresql_where=text(_open("done_at")),
        ),
        Index(
            "ix_followup_open_due",
            "due",
            sqlite_where=text(_open("done_at")),
            postgresql_where=text(_open("done_at")),
        ),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    due: datetime = Field(sa_type=UTCDateTime)
    note: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    made_by: str = Field(sa_type=String(100))


# An item of the daily list put off until a later time. Keyed by the item's stable key; the
# customer it concerns is left alone until then (no frequency mark, no suggestion).
class Snooze(SQLModel, table=True):
    __table_args__ = (
        Index("ix_snooze_customer", "customer_id", "until"),
        # Schema 15: the snoozes still running, whoever's (few, however large the book).
        Index("ix_snooze_until", "until"),
    )
    key: str = Field(primary_key=True, sa_type=String(40))
    until: datetime = Field(sa_type=UTCDateTime)
    reason: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    made_by: str = Field(sa_type=String(100))
    customer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="CASCADE")


# An item closed with `kehu done` when no contact alone would close it (a complaint follow-up
# done before its day), and what `done` logged: said again when the same key is done twice.
class ClosedItem(SQLModel, table=True):
    __tablename__ = "closed_item"
    key: str = Field(primary_key=True, sa_type=String(40))
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    closed_at: datetime = Field(sa_type=UTCDateTime)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    made_by: str = Field(sa_type=String(100))


# A prospect (意向客户): a customer who has not bought yet, with an intent level and the
# prospect card's fields. Sold (converted_at) or lost (lost_at, with a reason), the row stays:
# the history of how the sale came about.
class Prospect(SQLModel, table=True):
    __table_args__ = (
        _one_of("level", vocab.LEVELS),
        CheckConstraint(
            "lost_reason IS NULL OR lost_reason IN ({})".format(
                ", ".join(f"'{w}'" for w in vocab.LOST_REASONS)
            ),
            name="ck_lost_reason",
        ),
    )
    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    level: str = Field(sa_type=String(1))
    interest: str | None = Field(default=None, sa_type=String(LONGEST["product"]))  # model
    budget: str | None = Field(default=None, sa_type=String(100))
    expected_on: date | None = None  # the expected purchase time
    payment: str | None = Field(default=None, sa_type=String(10))  # full | loan
    current_car: str | None = Field(default=None, sa_type=String(200))
    usage: str | None = Field(default=None, sa_type=String(200))  # who will use it, for what
    cares: str | None = Field(default=None, sa_type=String(200))  # price, fuel, space…
    competitors: str | None = Field(default=None, sa_type=String(400))  # up to 3, "; " between
    best_time: str | None = Field(default=None, sa_type=String(100))  # to call
    created_at: datetime = Field(sa_type=UTCDateTime)
    converted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lost_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lost_reason: str | None = Field(default=None, sa_type=String(20))
    lost_note: str | None = None


# Each grade a prospect was given, when, and with which contact: the level table's "level after
# each contact" and "level at the start of the month".
class ProspectGrade(SQLModel, table=True):
    __tablename__ = "prospect_grade"
    __table_args__ = (Index("ix_prospect_grade_customer", "customer_id", "at"), NEVER_REUSED)
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    level: str = Field(sa_type=String(1))
    at: datetime = Field(sa_type=UTCDateTime)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    made_by: str = Field(sa_type=String(100))


# A loss (战败) a prospect came back from: `kehu lost` keeps the loss on the prospect row, and a
# contact with a level that opens them again moves it here, so that the card, the level table
# and the reports still show it.
class ProspectLoss(SQLModel, table=True):
    __tablename__ = "prospect_loss"
    __table_args__ = (
        _one_of("reason", vocab.LOST_REASONS),
        Index("ix_prospect_loss_customer", "customer_id", "lost_at"),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    lost_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(sa_type=String(20))
    note: str | None = None
    reopened_at: datetime = Field(sa_type=UTCDateTime)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    made_by: str = Field(sa_type=String(100))


# One change made by one command, for `kehu undo` (journal.py): who, which command, when.
class JournalChange(SQLModel, table=True):
    __tablename__ = "journal_change"
    __table_args__ = (
        Index("ix_journal_change_made_by", "made_by", "id"),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    made_by: str = Field(sa_type=String(100))
    command: str = Field(sa_type=String(40))
    made_at: datetime = Field(sa_type=UTCDateTime)
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# A row a change touched: its table, its key (JSON) and its image before the change (JSON; NULL
# when the change inserted it).
class JournalRow(SQLModel, table=True):
    __tablename__ = "journal_row"
    __table_args__ = (
        Index("ix_journal_row_change", "change_id"),
        Index("ix_journal_row_key", "table_name", "row_key"),
        NEVER_REUSED,
    )
    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="journal_change.id", ondelete="CASCADE")
    table_name: str = Field(sa_type=String(40))
    row_key: str = Field(sa_type=String(400))
    image: str | None = None


# Which schema steps this book has had (see migrations.py).
class SchemaVersion(SQLModel, table=True):
    __tablename__ = "schema_version"
    version: int = Field(primary_key=True)
    name: str = Field(sa_type=String(100))
    applied_at: datetime = Field(sa_type=UTCDateTime)


def compiled_ddl(dialect_name: str) -> dict[str, list[str]]:
    """The DDL of the current schema on one engine, as book/ddl/ ships it: the tables, then
    (PostgreSQL) their keys, then the indexes. On PostgreSQL the primary and foreign keys are
    added after the tables, so that copy-to can load the rows first and build them once."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = sqlite.dialect() if dialect_name == "sqlite" else postgresql.dialect()
    sections: dict[str, list[str]] = {"tables": [], "constraints": [], "indexes": []}
    for table in SQLModel.metadata.sorted_tables:
        lines = [line.rstrip() for line in str(CreateTable(table).compile(dialect=dialect))
                 .strip().splitlines()]  # fmt: skip
        if dialect_name == "postgresql":
            keys = [line for line in lines if line.lstrip().startswith(_KEYS)]
            lines = [line for line in lines if line not in keys]
            sections["constraints"] += [
                f"ALTER TABLE {table.name} ADD {key.strip().rstrip(',')}" for key in keys
            ]
            lines[-2] = lines[-2].rstrip(",")  # the last column or check before ")"
        sections["tables"].append("\n".join(lines))
        sections["indexes"] += [
            str(CreateIndex(index).compile(dialect=dialect)).strip()
            for index in sorted(table.indexes, key=lambda i: str(i.name))
        ]
    return sections


_KEYS = ("PRIMARY KEY (", "FOREIGN KEY(")
