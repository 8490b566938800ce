"""Team books: N customers over K owners, written in bulk into SQLite or PostgreSQL.

    python benchmarks/generate.py --team 20 --customers 200000 --out /tmp/team.db

The rows are those kehu itself would have written (the same history as generate.py's books:
tiers, about 20 contacts, two purchases, promises, planned calls, snoozes, referrals, archived
customers), including the customer columns kehu keeps up to date with every contact
(last_reached_at, last_other_at, last_thanks_at, attempts). The schema is made by kehu itself
(opening the book with kehu's engine runs its migrations); the rows then go in directly:
executemany in large transactions with journal and sync off on SQLite, COPY on PostgreSQL.

Deterministic: each customer's history comes from a generator seeded with (seed, owner, the
customer's number among the owner's), and customers of all owners take turns in id order. So
the first owner ("bench") has exactly the same customers, with the same history, in a team book
and in a book of their own (`split(10000, 1)`), whatever the other owners hold.
"""

import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import generate as g

from kehu.rules import vocab

BATCH = 5000  # customers per transaction (SQLite) or per COPY round (PostgreSQL)
PROMISE_LINK = timedelta(hours=1)  # writes.PROMISE_LINK_WINDOW

COLUMNS = {
    "customer": (
        "id", "name", "phone", "phone_digits", "wechat", "company", "gender", "tier",
        "source", "referred_by", "owner", "created_at", "archived_at", "last_reached_at",
        "last_other_at", "last_thanks_at", "attempts",
    ),
    "profile_field": ("customer_id", "key", "value"),
    "occasion": ("customer_id", "kind", "calendar", "month", "day", "leap", "year", "created_at"),
    "purchase": ("id", "customer_id", "product", "amount", "sold_at", "delivered_at"),
    "contact": (
        "id", "customer_id", "at", "channel", "kind", "outcome", "note", "purchase_id", "made_by",
    ),
    "promise": (
        "id", "customer_id", "text", "due", "created_at", "kept_at", "cancelled_at", "contact_id",
        "made_by",
    ),
    "followup": ("id", "customer_id", "due", "note", "created_at", "done_at", "contact_id",
                 "made_by"),
    "snooze": ("key", "until", "reason", "created_at", "made_by", "customer_id"),
    "prospect": ("customer_id", "level", "interest", "created_at", "converted_at", "lost_at",
                 "lost_reason"),
    "closed_item": ("key", "customer_id", "closed_at", "contact_id", "made_by"),
}  # fmt: skip
SEQUENCED = ("customer", "purchase", "contact", "promise", "followup")

Rows = dict[str, list[tuple]]


def owner_name(number: int) -> str:
    return g.OWNER if number == 0 else f"rep{number:03d}"


def split(customers: int, owners: int) -> list[tuple[str, int]]:
    """customers spread evenly over owners (the first ones get the remainder)."""
    each, extra = divmod(customers, owners)
    return [(owner_name(n), each + (n < extra)) for n in range(owners)]


def ts(moment: datetime | None) -> str | None:
    """An instant as kehu stores it (timestamps.to_db): UTC ISO text, which PostgreSQL reads."""
    return None if moment is None else moment.astimezone(UTC).isoformat(sep=" ")


class Ids:
    def __init__(self) -> None:
        self.next = dict.fromkeys(SEQUENCED, 1)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def new_stats() -> dict[str, int]:
    keys = ("customers", "purchases", "contacts", "promises", "open_promises", "followups",
            "archived", "prospects", "closed_items")  # fmt: skip
    return dict.fromkeys(keys, 0)


def rows(
    seed: int, counts: list[tuple[str, int]], stats: dict[str, int], batch: int = BATCH
) -> Iterator[Rows]:
    """Batches of rows per table (each batch's customers first, so references hold), the
    customers of all owners taking turns in id order; counts what it made into stats."""
    ids = Ids()
    own_ids: dict[str, list[int]] = {owner: [] for owner, _ in counts}
    out: Rows = {table: [] for table in COLUMNS}
    done = 0
    for index in range(max(n for _, n in counts)):
        for owner, count in counts:
            if index >= count:
                continue
            rng = random.Random(f"{seed}/{owner}/{index}")
            customer(out, rng, ids, owner, own_ids[owner], stats)
            done += 1
            if done % batch == 0:
                yield out
                out = {table: [] for table in COLUMNS}
    yield out


def customer(
    out: Rows, rng: random.Random, ids: Ids, owner: str, mine: list[int], stats: dict[str, int]
) -> None:
    """One customer and their history: generate.add_one's story, as rows."""
    cid = ids.take("customer")
    number = cid
    tier = rng.choices("ABC", weights=(20, 30, 50))[0]
    created = g.moment(rng, g.START, g.NOW - timedelta(days=1))
    sales = (created, g.moment(rng, created, g.NOW - timedelta(hours=1)))
    phone = f"1{3 + number % 6}{number:09d}"
    birthday: date | None = date(rng.randint(1955, 2002), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() >= 0.8:
        birthday = None
    gender = rng.choice(("female", "male"))
    source = rng.choice(("walk-in", "phone", "ad", "own"))
    wechat = f"wx_{number}" if rng.random() < 0.3 else None
    company = None
    if rng.random() < 0.2:
        company = rng.choice(("华为", "比亚迪", "Acme Trading", "平安保险", "本地医院"))
    referred_by = None
    if mine and rng.random() < 0.08:  # referred by one of the same owner's customers
        referred_by = mine[rng.randint(max(0, len(mine) - 250), len(mine) - 1)]
        source = "referral"
    name = g.name_of(rng)
    mine.append(cid)
    stats["customers"] += 1
    for key, choices in (("hobbies", g.HOBBIES), ("family", g.FAMILY), ("job", g.JOBS)):
        if rng.random() < 0.4:
            out["profile_field"].append((cid, key, rng.choice(choices)))

    deliveries = []
    for sold in sales:
        product, price = rng.choice(g.PRODUCTS)
        delivered = sold + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 6))
        pid = ids.take("purchase")
        out["purchase"].append((pid, cid, product, str(price), ts(sold), ts(delivered)))
        deliveries.append((delivered, pid))
        stats["purchases"] += 1

    last = g.NOW - timedelta(days=g.days_since_last_reached(rng, tier), minutes=rng.randint(0, 600))
    last = min(max(last, created + timedelta(hours=2)), g.NOW - timedelta(minutes=30))
    touches = sorted(g.moment(rng, created, last) for _ in range(rng.randint(7, 15)))
    events: list[tuple[datetime, str, bool, int | None]] = [
        (at, g._kind(rng), rng.random() >= 0.15, None) for at in touches
    ]
    events.append((last, "follow-up", True, None))
    for delivered, pid in deliveries:
        if rng.random() < 0.92:
            events.append((delivered + timedelta(hours=rng.randint(2, 20)), "thank-you", True, pid))
        for days, months in ((7, 0), (0, 1), (0, 3), (0, 6)):
            due = delivered + timedelta(days=days + 30.4 * months + rng.uniform(-2, 2))
            if rng.random() < 0.9:
                events.append((due, "follow-up", True, None))
    events = [e for e in events if e[0] < g.NOW - timedelta(minutes=10)]
    if rng.random() < 0.1:
        for _ in range(rng.randint(1, 3)):
            events.append((g.moment(rng, last, g.NOW), "follow-up", False, None))
    if rng.random() < 0.01:
        events.append((g.moment(rng, g.NOW - timedelta(days=25), g.NOW), "complaint", True, None))
    events.sort(key=lambda e: e[0])

    # What writes.log_contact keeps on the customer row, contact after contact.
    reached_at = other_at = thanks_at = None
    logged: list[tuple[datetime, int]] = []
    for at, kind, reached, pid in events:
        note = rng.choice(g.NOTES) if rng.random() < 0.3 else None
        contact_id = ids.take("contact")
        logged.append((at, contact_id))
        outcome = "reached" if reached else "no-answer"
        out["contact"].append(
            (contact_id, cid, ts(at), rng.choice(g.CHANNELS), kind, outcome, note, pid, owner)
        )
        if reached:
            reached_at = at if reached_at is None or reached_at < at else reached_at
            if kind == "thank-you":
                thanks_at = at if thanks_at is None or thanks_at < at else thanks_at
            else:
                other_at = at if other_at is None or other_at < at else other_at
    attempts = sum(
        1
        for at, _k, reached, _p in events
        if not reached and (reached_at is None or at > reached_at)
    )
    stats["contacts"] += len(events)

    def linked(made: datetime) -> int | None:  # writes.recent_contact
        near = [i for at, i in logged if made - PROMISE_LINK <= at <= made]
        return max(near) if near else None

    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        made = g.moment(rng, created, last)
        due = made + timedelta(days=rng.randint(1, 14))
        text = rng.choice(
            (
                "送保养券",
                "call about the insurance renewal",
                "寄车模",
                "check the spare-part delivery",
            )
        )
        out["promise"].append(
            (ids.take("promise"), cid, text, ts(due), ts(made), ts(min(due, g.NOW)), None,
             linked(made), owner)
        )  # fmt: skip
        stats["promises"] += 1
    if rng.random() < 0.03:
        made = g.moment(rng, max(created, g.NOW - timedelta(days=20)), g.NOW - timedelta(hours=1))
        due = g.moment(rng, made + timedelta(hours=1), g.NOW + timedelta(days=14))
        text = rng.choice(("回复贷款方案", "send the brochure"))
        out["promise"].append(
            (ids.take("promise"), cid, text, ts(due), ts(made), None, None, linked(made), owner)
        )
        stats["promises"] += 1
        stats["open_promises"] += 1
    if rng.random() < 0.02:
        due = last + timedelta(days=rng.randint(1, 30))
        note = rng.choice((None, "问问试驾感受", "check the quote"))
        out["followup"].append(
            (ids.take("followup"), cid, ts(due), note, ts(last), None, logged[-1][1], owner)
        )
        stats["followups"] += 1
    if rng.random() < 0.002:
        out["snooze"].append((f"W{cid}", ts(g.NOW + timedelta(days=7)), "on holiday", ts(g.NOW),
                              owner, cid))  # fmt: skip
    if rng.random() < 0.05:  # a snooze that has ended stays in the book: most snoozes have
        until = g.moment(rng, created, last)
        reason = rng.choice((None, "出差", "on holiday"))
        out["snooze"].append((f"E{cid}", ts(until), reason, ts(until - timedelta(days=7)), owner,
                              cid))  # fmt: skip
    prospect_and_closed(out, rng, cid, created, logged, events, deliveries[0][1], owner, stats)
    archived = None
    if rng.random() < 0.02:
        archived = g.moment(rng, last, g.NOW)
        stats["archived"] += 1
    if birthday:
        out["occasion"].append((cid, "birthday", "solar", birthday.month, birthday.day, 0,
                                birthday.year, ts(created)))  # fmt: skip
    out["customer"].append(
        (cid, name, phone, vocab.phone_digits(phone), wechat, company, gender,
         tier, source, referred_by, owner,
         ts(created), ts(archived), ts(reached_at), ts(other_at), ts(thanks_at), attempts)
    )  # fmt: skip


def prospect_and_closed(
    out: Rows,
    rng: random.Random,
    cid: int,
    created: datetime,
    logged: list[tuple[datetime, int]],
    events: list[tuple[datetime, str, bool, int | None]],
    purchase_id: int,
    owner: str,
    stats: dict[str, int],
) -> None:
    """A few % of customers are prospects (most still open, some sold or lost), and a few
    have items closed with `kehu done` (complaint follow-ups done early, call-backs): so that
    these tables are not empty when the daily list's plans are judged."""
    draw = rng.random()
    if draw < 0.06:
        converted = lost = reason = None
        if draw < 0.01:
            converted = ts(g.moment(rng, created, g.NOW))
        elif draw < 0.015:
            lost, reason = ts(g.moment(rng, created, g.NOW)), "price"
        level = rng.choice(("H", "A", "B", "C", "N"))
        interest = rng.choice([product for product, _price in g.PRODUCTS])
        out["prospect"].append((cid, level, interest, ts(created), converted, lost, reason))
        stats["prospects"] += 1
    complaints = [
        i
        for (at, kind, _r, _p), (_at, i) in zip(events, logged, strict=True)
        if kind == "complaint"
    ]
    closed = [f"X{i}" for i in complaints if rng.random() < 0.5]
    if rng.random() < 0.03:
        closed.append(f"C{purchase_id}.1m")  # a call-back done with `kehu done`
    for key in closed:
        at, contact_id = logged[-1]
        out["closed_item"].append((key, cid, ts(at), contact_id, owner))
        stats["closed_items"] += 1


def make_schema(target: str) -> None:
    """The empty book, made by kehu (its migrations create the tables and indexes)."""
    from kehu.book import opening

    opening.open_book(target).close()


def load_sqlite(path: Path, batches: Iterator[Rows]) -> None:
    import sqlite3

    make_schema(str(path))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # a half-built book is thrown away anyway
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        for batch in batches:
            conn.execute("BEGIN")
            for table, columns in COLUMNS.items():
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                conn.executemany(sql, batch[table])
            conn.execute("COMMIT")
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert not problems, problems[:5]
        conn.execute("PRAGMA journal_mode = WAL")  # as kehu leaves its books
    finally:
        conn.close()


def load_postgres(url: str, batches: Iterator[Rows]) -> None:
    """COPY into a database kehu has just given its schema (the URL's role must own it)."""
    import psycopg

    make_schema(url)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        for batch in batches:
            with conn.cursor() as cur:
                for table, columns in COLUMNS.items():
                    if not batch[table]:
                        continue
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in batch[table]:
                            copy.write_row(row)
            conn.commit()
        with conn.cursor() as cur:
            for table in SEQUENCED:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
        conn.commit()
        conn.autocommit = True
        settled(conn)


def settled(conn: Any) -> None:
    """VACUUM ANALYZE, as autovacuum would have long before the first list, again until every
    page is marked all-visible: a snapshot still open when the vacuum began (an autovacuum's
    ANALYZE during the load) keeps it from marking the pages loaded after it, and each
    index-only scan of those would then read the table's rows too, more of them the bigger
    the book."""
    for _attempt in range(10):
        conn.execute("VACUUM ANALYZE")
        unmarked = conn.execute(
            "SELECT COUNT(*) FROM pg_class WHERE relkind = 'r' AND relallvisible < relpages"
            " AND relnamespace = to_regnamespace(current_schema())"
        ).fetchone()[0]
        if not unmarked:
            return
        time.sleep(2)


def build(target: str, counts: list[tuple[str, int]], seed: int) -> dict[str, object]:
    """Generate and load a team book; returns what it holds and how long it took."""
    started = time.perf_counter()
    stats = new_stats()
    batches = rows(seed, counts, stats)
    if "://" in target:
        load_postgres(target, batches)
    else:
        load_sqlite(Path(target), batches)
    return {
        "seed": seed,
        "now": g.KEHU_NOW,
        "owners": len(counts),
        "bench customers": dict(counts)[g.OWNER],
        **stats,
        "seconds": round(time.perf_counter() - started, 1),
    }
