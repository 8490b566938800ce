"""What the daily list reads: a handful of aggregate SQL statements, never one per customer.

Only what can make an item is loaded: the purchases whose thank-you or call-back may be open
(after_sale.purchase_filter), open promises and planned calls, recent complaints and referrals,
and the customers these name or who have been quiet long enough for a frequency mark
(frequency.frequency_cuts). The scheduler makes the exact decisions; tests/test_daily_query.py
checks that it lists the same from this as from the whole book.

`a CROSS JOIN b WHERE ...` is an inner join that SQLite runs in the order written. In a book
of one salesperson, these queries start from the few rows an index finds (open promises,
recent deliveries) rather than from every customer; in a book shared by a team, from the
owner's own customers (ix_customer_owner), reaching their rows by the owner-first indexes
(schema 8), so that one salesperson's list costs what their own customers cost. PostgreSQL
plans it freely, as any join, with the same indexes to choose from. Rows are read as
tuples, in the order of the SELECT: cheaper than by column name, for thousands of customers.
"""

from bisect import bisect_right
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from kehu.book import colleagues, engine, greetings
from kehu.book import snoozes as running
from kehu.book.customers import owner_filter, owner_params
from kehu.book.prospects import FIRST_DELIVERY, NOT_A_PROSPECT
from kehu.book.timestamps import date_from_db, from_db
from kehu.rules import records
from kehu.rules.localtime import LocalClock
from kehu.rules.occasions import Occasion
from kehu.rules.personal_dates import GONE_AFTER_DAYS, longest_lead, month_days
from kehu.rules.prospects import ordered
from kehu.rules.rest import rest_cut
from kehu.rules.schedule import PurchaseFilter, frequency_cuts, purchase_filter
from kehu.rules.snoozes import in_force
from kehu.rules.vocab import LAST_NOTE

# In the order of records.CustomerState.
_DECIDING_COLUMNS = (
    " c.tier, c.owner, c.created_at, c.last_reached_at, c.last_other_at,"
    " c.last_thanks_at, (SELECT MAX(q.delivered_at) FROM purchase q"
    " WHERE q.customer_id = c.id AND q.delivered_at <= :now) AS latest_delivery, c.attempts"
)
CUSTOMER_COLUMNS = "c.id, c.name, c.phone," + _DECIDING_COLUMNS
# For counting items: what the scheduler decides by, without what only words an item (read
# as a customer with no name nor phone by _customer_states).
LEAN_CUSTOMER_COLUMNS = "c.id," + _DECIDING_COLUMNS


def book_state(
    tx: engine.Tx,
    *,
    now: datetime,
    rules: records.Rules,
    owner: str | None,
    customer_id: int | None = None,
    lean: bool = False,
) -> records.BookState:
    """Everything the scheduler needs at `now`, for one owner's customers (None: everyone's),
    or only for one customer. `lean`: without what only words the items (names, phones,
    products, promises' and notes' texts), for counting them."""
    mine = _Owner(tx, owner, customer_id, lean)
    horizon = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    purchases = _purchases(tx, now, purchase_filter(now, rules), mine)
    open_promises = (
        f"FROM {mine.join('promise p')}"
        " WHERE p.kept_at IS NULL AND p.cancelled_at IS NULL AND p.due < :horizon"
        f" AND c.id = p.customer_id AND {mine.active}"
    )
    if tx.dialect == "postgresql" and not mine.everyone:
        # Found from ix_promise_customer_open alone, everyone's open ones kept to the owner's
        # by id; only then are the rows read.
        open_promises = f"FROM promise p WHERE p.id IN (SELECT p.id {open_promises})"
    promises = [
        records.PromiseState(promise_id, customer_id, text, from_db(due))
        for promise_id, customer_id, text, due in tx.tuples(
            f"SELECT p.id, p.customer_id, {mine.text('p.text')}, p.due {open_promises}",
            horizon=horizon,
            **mine.params,
        )
    ]
    followups = [
        records.FollowUpState(followup_id, customer_id, from_db(due), note, from_db(planned_at))
        for followup_id, customer_id, due, note, planned_at in tx.tuples(
            f"SELECT f.id, f.customer_id, f.due, {mine.text('f.note')}, f.created_at"
            f" FROM {mine.join('followup f')}"
            " WHERE f.done_at IS NULL AND f.due < :horizon"
            f" AND c.id = f.customer_id AND {mine.active}{mine.by_ids('f.customer_id')}",
            horizon=horizon,
            **mine.params,
        )
    ]
    complained = (
        " k.kind = 'complaint' AND k.at >= :since AND k.at <= :now AND k.outcome = 'reached'"
    )
    complainers = ""
    if mine.shared_owner and tx.dialect == "postgresql":
        # The owner's customers among everyone's complainers of the window, from
        # ix_contact_kind_at alone (PostgreSQL's index holds no row id to read the rows by);
        # then their complaints through ix_contact_customer_kind, and only those rows read.
        complainers = (
            f" AND c.id IN (SELECT k.customer_id FROM contact k WHERE{complained}"
            f"{mine.among('k.customer_id')})"
        )
    complaints = [
        records.ComplaintState(contact_id, customer_id, from_db(at), note)
        for contact_id, customer_id, at, note in tx.tuples(
            # A window of days over everyone's complaints (ix_contact_kind_at), kept to the
            # owner's by their ids before any row is read.
            f"SELECT k.id, k.customer_id, k.at, {mine.text('k.note')}"
            f" FROM {mine.join('contact k') if complainers else mine.window_join('contact k')}"
            f" WHERE{complained}{complainers}"
            f" AND c.id = k.customer_id AND {mine.active}"
            f"{'' if complainers else mine.among('k.customer_id')}"
            " AND NOT EXISTS (SELECT 1 FROM"
            " closed_item d WHERE d.customer_id = k.customer_id AND d.key = 'X' || k.id)",
            since=now - timedelta(days=rules.complaint_expire_days + 1),  # + 1: DST-proof
            now=now,
            **mine.params,
        )
    ]
    referrals = [
        records.ReferralState(referred_id, name, referrer_id, from_db(created_at))
        for referred_id, name, referrer_id, created_at in tx.tuples(
            f"SELECT n.id, {mine.text('n.name')}, n.referred_by, n.created_at"
            f" FROM {mine.join(colleagues.referred(tx) + ' n')}"
            " WHERE n.referred_by IS NOT NULL AND n.created_at >= :since AND n.created_at <= :now"
            f" AND c.id = n.referred_by AND {mine.active}",
            since=now - timedelta(days=rules.referral_expire_days + 1),
            now=now,
            **mine.params,
        )
    ]
    occasions = _occasions(tx, now, rules, mine)
    named = {p.customer_id for p in purchases} | {p.customer_id for p in promises}
    named |= {o.customer_id for o in occasions}
    named |= {f.customer_id for f in followups} | {k.customer_id for k in complaints}
    named |= {r.referrer_id for r in referrals}
    prospects, lost_prospects = _prospects(tx, now, mine)
    named |= prospects.keys()
    # The owner's customers' snoozes, from those still running (ix_snooze_until: few,
    # whoever's); and, for a snooze whose customer is not known (one from before schema 6),
    # its key alone. The rules leave out those whose items were closed since.
    snoozed, snoozed_customers = in_force(
        running.states(
            tx,
            tx.tuples(
                f"SELECT {running.COLUMNS} FROM {mine.window_join('snooze s')}"
                f" WHERE c.id = s.customer_id AND s.until > :now AND {mine.active}"
                f" UNION ALL {running.ORPHANS}",
                now=now,
                **mine.params,
            ),
        ),
        LocalClock(now),
        rules.rest_days,
    )
    holidays = greetings.holiday_states(
        tx, now=now, rules=rules, owner=owner, customer_id=customer_id,
        left_alone=snoozed_customers,
    )  # fmt: skip
    named |= {cid for holiday in holidays for cid in holiday.key_customers}
    return records.BookState(
        customers=_customers(tx, now, rules, mine, named),
        purchases=purchases,
        promises=promises,
        followups=followups,
        complaints=complaints,
        referrals=referrals,
        snoozed=snoozed,
        snoozed_customers=snoozed_customers,
        occasions=occasions,
        prospects=prospects,
        lost_prospects=lost_prospects,
        holidays=holidays,
    )


def _prospects(
    tx: engine.Tx, now: datetime, mine: "_Owner"
) -> tuple[dict[int, records.ProspectState], frozenset[int]]:
    """The owner's open prospects (their cadence counts from the last reached contact, or from
    when they were registered), their ordered ones (sold to, the first delivery still to come:
    level O, counted from the sale too), and the ids of their lost ones."""
    open_ones, lost = {}, set()
    for customer_id, level, reached, created, expected, lost_at, sold, delivery in tx.tuples(
        "SELECT c.id, p.level, c.last_reached_at, p.created_at, p.expected_on, p.lost_at,"
        f" p.converted_at, CASE WHEN p.converted_at IS NOT NULL THEN {FIRST_DELIVERY} END"
        " FROM customer c CROSS JOIN prospect p WHERE p.customer_id = c.id"
        " AND (p.converted_at IS NULL OR p.converted_at <= :now AND EXISTS (SELECT 1"
        " FROM purchase b WHERE b.customer_id = c.id AND b.delivered_at > :now))"
        f" AND {mine.active}{mine.by_ids('p.customer_id')}",
        now=now,
        **mine.params,
    ):
        since = _later(from_db(reached), from_db(created))
        if sold is not None:
            if ordered(from_db(sold), from_db(delivery), now):
                open_ones[customer_id] = records.ProspectState(
                    customer_id, "O", _later(since, from_db(sold)), None, from_db(delivery)
                )
        elif lost_at is not None:
            lost.add(customer_id)
        else:
            open_ones[customer_id] = records.ProspectState(
                customer_id, level, since, date_from_db(expected)
            )
    return open_ones, frozenset(lost)


def _later(first: datetime | None, second: datetime) -> datetime:
    return second if first is None or first < second else first


class _Owner:
    """Whose customers: a SQL condition on `c` and its parameters, and the order in which
    SQLite should join a table of their rows with `customer c`."""

    def __init__(
        self, tx: engine.Tx, owner: str | None, customer_id: int | None = None, lean: bool = False
    ):
        self.lean = lean
        self.customer_columns = LEAN_CUSTOMER_COLUMNS if lean else CUSTOMER_COLUMNS
        self.active = "c.archived_at IS NULL" + owner_filter(owner)
        self.dialect = tx.dialect
        self.params = owner_params(owner)
        self.owner_first = customer_id is not None or (owner is not None and _shared(tx, owner))
        self.customer_id = customer_id
        self.everyone = owner is None and customer_id is None
        # One owner's list on a book shared with colleagues: read from the owner's customers.
        self.shared_owner = customer_id is None and owner is not None and self.owner_first
        if customer_id is not None:
            self.active += " AND c.id = :only_customer"
            self.params["only_customer"] = customer_id

    def text(self, column: str) -> str:
        """`column`, or when lean an empty text in its place."""
        return "''" if self.lean else column

    def among(self, column: str) -> str:
        """On a shared book, a condition keeping `column` to the owner's active customers,
        checked against their ids (read once, from ix_customer_owner alone) before any
        customer row is read: a window over everyone's rows then costs little per colleague's
        row. Nothing on a book of one's own."""
        if not self.owner_first or "owner" not in self.params:
            return ""
        return (
            f" AND +{column} IN (SELECT o.id FROM customer o"
            " WHERE o.owner = :owner AND o.archived_at IS NULL)"
        )

    def by_ids(self, column: str) -> str:
        """On a PostgreSQL book shared with colleagues, a condition reaching `column`'s rows
        through the index that starts with it, by the owner's customer ids (read once, from
        ix_customer_owner alone): joined with the owner's customers, PostgreSQL reads a small
        table whole, and it grows with everyone's customers. Nothing elsewhere (SQLite joins
        in the order of `join`)."""
        if not self.shared_owner or self.dialect != "postgresql":
            return ""
        return (
            f" AND {column} = ANY(ARRAY(SELECT o.id FROM customer o"
            " WHERE o.owner = :owner AND o.archived_at IS NULL))"
        )

    def window_join(self, rows: str) -> str:
        """`rows` joined with `customer c`, `rows` first (a window of days over everyone's rows,
        to be kept to the owner's by `among`) unless for one customer."""
        return f"{rows} CROSS JOIN customer c" if self.customer_id is None else self.join(rows)

    def join(self, rows: str) -> str:
        """`rows` (a table and its alias) joined with `customer c`, the smaller side first."""
        return (
            f"customer c CROSS JOIN {rows}" if self.owner_first else f"{rows} CROSS JOIN customer c"
        )


def _shared(tx: engine.Tx, owner: str) -> bool:
    """Whether the book holds customers of others too: two seeks on ix_customer_owner (the
    first and the last owner; PostgreSQL scans the table for an EXISTS on a range)."""
    found = engine.one(
        tx,
        "SELECT (SELECT MIN(owner) FROM customer) AS first,"
        " (SELECT MAX(owner) FROM customer) AS last",
    )
    if found is None or found["first"] is None:
        return False
    return not found["first"] == found["last"] == owner


def _purchases(
    tx: engine.Tx, now: datetime, where: PurchaseFilter, mine: _Owner
) -> list[records.PurchaseState]:
    """The delivered purchases whose thank-you or call-back may be open: a thank-you not yet
    written, or a call-back window that opened after the customer's last contact."""
    if where.callbacks and tx.dialect == "postgresql":
        return _purchases_pg(tx, now, where, mine)
    if where.callbacks and mine.shared_owner:
        return _owner_purchases(tx, now, where, mine)
    columns = f"p.id, p.customer_id, {mine.text('p.product')}, p.delivered_at"
    params: dict[str, Any] = {
        "now": now, "thanks_from": where.thanks_from, "thanks_until": where.thanks_until,
        **mine.params,
    }  # fmt: skip
    sql = (
        f"SELECT {columns} FROM {mine.join('purchase p')}"
        " WHERE c.id = p.customer_id AND p.delivered_at >= :thanks_from"
        f" AND p.delivered_at < :thanks_until AND {mine.active}"
        " AND (c.last_thanks_at IS NULL OR c.last_thanks_at < p.delivered_at)"
    )
    if where.callbacks:
        rows = []
        for n, (start, end, contacted_by) in enumerate(where.callbacks):
            rows.append(f"(:s{n}, :e{n}, :c{n})")
            params.update({f"s{n}": start, f"e{n}": end, f"c{n}": contacted_by})
        sql = (
            f"WITH w(start_at, end_at, contacted_by) AS (VALUES {', '.join(rows)}) {sql}"
            f" UNION SELECT {columns} FROM w CROSS JOIN purchase p CROSS JOIN customer c"
            " WHERE p.delivered_at >= w.start_at AND p.delivered_at < w.end_at"
            f" AND c.id = p.customer_id AND p.delivered_at <= :now AND {mine.active}"
            " AND (c.last_other_at IS NULL OR c.last_other_at < w.contacted_by)"
        )
    return [
        records.PurchaseState(purchase_id, customer_id, product, from_db(delivered_at))
        for purchase_id, customer_id, product, delivered_at in tx.tuples(sql, **params)
    ]


def _utc_windows(where: PurchaseFilter) -> list[tuple[datetime, ...]]:
    """The call-back windows in UTC, as read (aware datetimes of one tzinfo compare without
    asking it their offsets), sorted by start."""
    return sorted(tuple(at.astimezone(UTC) for at in window) for window in where.callbacks)


def _owner_purchases(
    tx: engine.Tx, now: datetime, where: PurchaseFilter, mine: _Owner
) -> list[records.PurchaseState]:
    """`_purchases` on a SQLite book shared with colleagues: the owner's deliveries over the
    span of the call-back windows and the thank-you days, read from the owner's customers
    (ix_purchase_customer alone), then matched to the windows here; the products of those kept
    only then. In SQL, a range join of every delivery with some 200 windows costs more than
    these reads; from the windows (by ix_purchase_delivered), the colleagues' deliveries are
    read too."""
    windows = _utc_windows(where)
    starts = [start for start, _end, _by in windows]
    longest = max(end - start for start, end, _by in windows)
    thanks_from = where.thanks_from.astimezone(UTC)
    thanks_until = where.thanks_until.astimezone(UTC)
    kept: dict[int, tuple[int, datetime]] = {}
    for purchase_id, customer_id, delivered_at, thanked, other in tx.tuples(
        "SELECT p.id, p.customer_id, p.delivered_at, c.last_thanks_at, c.last_other_at"
        " FROM customer c CROSS JOIN purchase p WHERE c.id = p.customer_id"
        f" AND p.delivered_at >= :first AND p.delivered_at < :thanks_until AND {mine.active}",
        first=min(starts[0], thanks_from),
        thanks_until=thanks_until,
        **mine.params,
    ):
        delivered = from_db(delivered_at)
        if delivered >= thanks_from and (thanked is None or from_db(thanked) < delivered):
            kept[purchase_id] = (customer_id, delivered)
            continue
        if delivered > now:
            continue
        contacted = from_db(other)
        n = bisect_right(starts, delivered) - 1
        while n >= 0 and windows[n][0] > delivered - longest:
            _start, end, contacted_by = windows[n]
            if delivered < end and (contacted is None or contacted < contacted_by):
                kept[purchase_id] = (customer_id, delivered)
                break
            n -= 1
    return _with_products(tx, kept, mine)


def _with_products(
    tx: engine.Tx, kept: dict[int, tuple[int, datetime]], mine: _Owner
) -> list[records.PurchaseState]:
    """The purchases kept (id: customer id, delivered), with their products read by id."""
    if not kept:
        return []
    if mine.lean:
        return [
            records.PurchaseState(purchase_id, customer_id, "", delivered)
            for purchase_id, (customer_id, delivered) in sorted(kept.items())
        ]
    ids = ", ".join(str(int(i)) for i in sorted(kept))
    states = []
    for purchase_id, product in tx.tuples(f"SELECT id, product FROM purchase WHERE id IN ({ids})"):
        customer_id, delivered = kept[purchase_id]
        states.append(records.PurchaseState(purchase_id, customer_id, product, delivered))
    return states


def call_back_spans(
    windows: list[tuple[datetime, ...]],
) -> tuple[list[datetime], list[datetime | None]]:
    """The call-back windows (start, end, contacted_by), sorted by start, as spans of time:
    the span from edges[k] to edges[k + 1] (the last one: on) lies under windows whose latest
    `contacted_by` is latest[k], None when under none. A delivery in that span has a call-back
    open iff its customer was not contacted since before latest[k]."""
    edges = sorted({at for start, end, _by in windows for at in (start, end)})
    latest: list[datetime | None] = []
    over: list[tuple[datetime, ...]] = []
    n = 0
    for left in edges:
        while n < len(windows) and windows[n][0] <= left:
            over.append(windows[n])
            n += 1
        over = [window for window in over if window[1] > left]
        latest.append(max((by for _start, _end, by in over), default=None))
    return edges, latest


def _purchases_pg(
    tx: engine.Tx, now: datetime, where: PurchaseFilter, mine: _Owner
) -> list[records.PurchaseState]:
    """`_purchases` on PostgreSQL, in one pass over the deliveries of the windows' span: only
    those kept come back, a thank-you still owed or a call-back window open on the delivery
    that the customer has not been contacted since. The windows cut time into spans
    (`call_back_spans`), each with the latest `contacted_by` of the windows over it, and
    width_bucket finds a delivery's (a range join with some 200 windows costs many times
    more). On a book shared with colleagues, one seek per owner's customer, index-only on
    both sides (PostgreSQL would rather hash every delivery of the span, everyone's; OFFSET 0
    keeps the nested loop), and the products of those kept read after, by id."""
    windows = _utc_windows(where)
    edges, latest = call_back_spans(windows)
    thanks_from = where.thanks_from.astimezone(UTC)
    params: dict[str, Any] = {
        "first": min(windows[0][0], thanks_from), "now": now, "thanks_from": thanks_from,
        "thanks_until": where.thanks_until.astimezone(UTC), "edges": edges, "latest": latest,
        **mine.params,
    }  # fmt: skip
    kept_only = (
        " AND ((p.delivered_at >= :thanks_from"
        " AND (c.last_thanks_at IS NULL OR c.last_thanks_at < p.delivered_at))"
        " OR (p.delivered_at <= :now"
        " AND COALESCE(c.last_other_at, '-infinity') < (CAST(:latest AS timestamptz[]))"
        "[width_bucket(p.delivered_at, CAST(:edges AS timestamptz[]))]))"
    )
    if not mine.shared_owner:
        return [
            records.PurchaseState(purchase_id, customer_id, product, from_db(delivered_at))
            for purchase_id, customer_id, product, delivered_at in tx.tuples(
                f"SELECT p.id, p.customer_id, {mine.text('p.product')}, p.delivered_at"
                f" FROM {mine.join('purchase p')} WHERE c.id = p.customer_id"
                f" AND p.delivered_at >= :first AND p.delivered_at < :thanks_until"
                f" AND {mine.active}{kept_only}",
                **params,
            )
        ]
    rows = tx.tuples(
        "SELECT p.id, p.customer_id, p.delivered_at"
        " FROM customer c CROSS JOIN LATERAL (SELECT q.id, q.customer_id, q.delivered_at"
        " FROM purchase q WHERE q.customer_id = c.id AND q.delivered_at >= :first"
        f" AND q.delivered_at < :thanks_until OFFSET 0) p WHERE {mine.active}{kept_only}",
        **params,
    )
    kept = {purchase_id: (customer_id, from_db(at)) for purchase_id, customer_id, at in rows}
    return _with_products(tx, kept, mine)


_OCCASION_COLUMNS = (
    "o.id, o.customer_id, o.kind, o.label, o.calendar, o.month, o.day, o.leap, o.year, o.note"
)


def _occasions(
    tx: engine.Tx, now: datetime, rules: records.Rules, mine: _Owner
) -> list[records.OccasionState]:
    """The dates whose month-day can make an item today (personal_dates.month_days): found
    through the (month, day) index, then kept to the owner's active customers."""
    # Most books keep no lunar date: they need not load the lunar calendar every morning. One
    # customer's list looks at their own dates only (a seek, whatever the book's size).
    whose = "" if mine.customer_id is None else f" AND customer_id = {int(mine.customer_id)}"
    lunar_too = engine.one(
        tx, f"SELECT 1 AS x FROM occasion WHERE calendar = 'lunar'{whose} LIMIT 1"
    )
    solar, lunar = month_days(now.date(), rules, lunar_too=lunar_too is not None)
    wanted = [("solar", m, d) for m, d in sorted(solar)]
    wanted += [("lunar", m, d) for m, d in sorted(lunar)]
    params = dict(mine.params)
    for n, (calendar, month, day) in enumerate(wanted):
        params.update({f"m{n}": month, f"d{n}": day, f"k{n}": calendar})
    one = mine.customer_id is not None
    if tx.dialect == "postgresql":
        # One range of ix_occasion_month_day per month-day (PostgreSQL would hash-join a list
        # of VALUES with a scan of every date), the owner's found in the index alone; only
        # their rows are read.
        days = " OR ".join(
            f"(o.month = :m{n} AND o.day = :d{n} AND o.calendar = :k{n})"
            for n in range(len(wanted))
        )
        rows = "customer c CROSS JOIN occasion o" if one else "occasion o CROSS JOIN customer c"
        owners = f"c.id = o.customer_id AND {mine.active}{mine.among('o.customer_id')}"
        sql = (
            f"SELECT {_OCCASION_COLUMNS} FROM occasion o WHERE o.id IN"
            f" (SELECT o.id FROM {rows} WHERE ({days}) AND {owners})"
        )
    else:
        # SQLite checks the owner's customer ids in the index, before reading a date's row.
        values = ", ".join(f"(:m{n}, :d{n}, :k{n})" for n in range(len(wanted)))
        rows = (
            "customer c CROSS JOIN occasion o CROSS JOIN w"
            if one
            else "w CROSS JOIN occasion o CROSS JOIN customer c"
        )
        sql = (
            f"WITH w(month, day, calendar) AS (VALUES {values}) SELECT {_OCCASION_COLUMNS}"
            f" FROM {rows} WHERE o.month = w.month AND o.day = w.day AND o.calendar = w.calendar"
            f" AND c.id = o.customer_id AND {mine.active}{mine.among('o.customer_id')}"
        )
    found = list(tx.tuples(sql, **params))
    # A greeting before the first morning any of today's items can have been listed closes
    # none of them (listed from the lead days before a day at most a week past).
    clock = LocalClock(now)
    since = clock.start(now.date() - timedelta(days=GONE_AFTER_DAYS + longest_lead(rules)))
    greeted = greetings.date_greetings(
        tx, dates=[(r[0], r[1]) for r in found], since=since, clock=clock, rules=rules
    )
    return [
        records.OccasionState(
            oid,
            cid,
            Occasion(kind, calendar, month, day, leap=bool(leap), year=year, label=label),
            note,
            greeted.get(oid),
        )  # fmt: skip
        for oid, cid, kind, label, calendar, month, day, leap, year, note in found
    ]


def _customers(
    tx: engine.Tx, now: datetime, rules: records.Rules, mine: _Owner, named: set[int]
) -> dict[int, records.CustomerState]:
    """The customers quiet long enough for a frequency mark, and those named by an item (the
    queries that named them kept to the owner's active customers: looked up by id alone)."""
    cut, cut_a = frequency_cuts(now, rules)
    quiet = f"{_quiet_since('cut')} OR (x.tier = 'A' AND {_quiet_since('cut_a')})"
    if tx.dialect == "postgresql" and mine.everyone:
        # Everyone's customers (the manager's whole-team list and summary): every row is read
        # anyway, so once, those not reached since the cuts first; OFFSET 0 keeps each one's
        # latest delivery a single seek (inlined, the quiet test repeats it up to six times).
        sql = (
            f"SELECT x.* FROM (SELECT {mine.customer_columns} FROM customer c"
            f" WHERE {mine.active} AND (c.last_reached_at IS NULL OR c.last_reached_at < :cut"
            f" OR c.tier = 'A' AND c.last_reached_at < :cut_a) AND {NOT_A_PROSPECT} OFFSET 0) x"
            f" WHERE {quiet}"
        )
    elif tx.dialect == "postgresql":
        # The quiet ones found from ix_customer_owner (and a seek for each one's latest
        # delivery) before any customer row is read; then only their rows.
        sql = (
            f"SELECT {mine.customer_columns} FROM customer c WHERE c.id IN (SELECT x.id FROM"
            " (SELECT c.id, c.tier, c.created_at, c.last_reached_at, (SELECT MAX(q.delivered_at)"
            " FROM purchase q WHERE q.customer_id = c.id AND q.delivered_at <= :now)"
            f" AS latest_delivery FROM customer c WHERE {mine.active} AND {NOT_A_PROSPECT}) x"
            f" WHERE {quiet})"
        )
    else:
        quiet = f"{_quiet_before('cut')} OR (c.tier = 'A' AND {_quiet_before('cut_a')})"
        sql = (
            f"SELECT {mine.customer_columns} FROM customer c WHERE {mine.active} AND ({quiet})"
            f" AND {NOT_A_PROSPECT}"
        )
    customers = _customer_states(
        tx.tuples(sql, now=now, cut=cut, cut_a=cut_a, **mine.params), mine.lean
    )
    if named := named - customers.keys():
        ids = ",".join(str(int(i)) for i in sorted(named))
        if tx.dialect == "postgresql":  # an array is read faster than a list of literals
            sql = f"SELECT {mine.customer_columns} FROM customer c WHERE c.id = ANY(:ids)"
            rows = tx.tuples(sql, now=now, ids=f"{{{ids}}}")
        else:
            sql = f"SELECT {mine.customer_columns} FROM customer c WHERE c.id IN ({ids})"
            rows = tx.tuples(sql, now=now)
        customers.update(_customer_states(rows, mine.lean))
    return customers


def _quiet_before(cut: str) -> str:
    """No sign of life since `cut`: nothing that could be a frequency item's base is newer
    (when the customer was added counts only for one never reached nor delivered to)."""
    return (
        f"((c.last_reached_at IS NULL OR c.last_reached_at < :{cut})"
        " AND NOT EXISTS (SELECT 1 FROM purchase q WHERE q.customer_id = c.id"
        f" AND q.delivered_at >= :{cut} AND q.delivered_at <= :now)"
        f" AND (c.created_at < :{cut} OR c.last_reached_at IS NOT NULL OR EXISTS (SELECT 1"
        " FROM purchase q WHERE q.customer_id = c.id AND q.delivered_at <= :now)))"
    )


def _quiet_since(cut: str) -> str:
    """`_quiet_before` on `x`, a row of CUSTOMER_COLUMNS, by its latest delivery (one seek per
    customer): for a NOT EXISTS, PostgreSQL hashes every delivery in the book since `cut`."""
    return (
        f"((x.last_reached_at IS NULL OR x.last_reached_at < :{cut})"
        f" AND (x.latest_delivery IS NULL OR x.latest_delivery < :{cut})"
        f" AND (x.created_at < :{cut} OR x.last_reached_at IS NOT NULL"
        " OR x.latest_delivery IS NOT NULL))"
    )


def _customer_states(rows: Any, lean: bool = False) -> dict[int, records.CustomerState]:
    """Customers from rows of CUSTOMER_COLUMNS (or of LEAN_CUSTOMER_COLUMNS when `lean`)."""
    if lean:
        rows = ((row[0], "", None, *row[1:]) for row in rows)
    states = {}
    for id_, name, phone, tier, owner, created, reached, other, thanks, delivered, tries in rows:
        states[id_] = records.CustomerState(
            id_, name, phone, tier, owner, from_db(created), from_db(reached),
            from_db(other), from_db(thanks), from_db(delivered), tries,
        )  # fmt: skip
    return states


def untouched(
    tx: engine.Tx,
    *,
    now: datetime,
    owner: str | None,
    limit: int,
    rest_days: int,
    left_alone: Collection[int] = (),
) -> dict[int, records.CustomerState]:
    """The `limit` customers longest without a sign of life, to top up the daily list; none
    reached in the last `rest_days` days (rules/rest.py), none of `left_alone` (those a
    snooze of an open item leaves alone: BookState.snoozed_customers)."""
    mine = _Owner(tx, owner)
    cut = rest_cut(LocalClock(now), rest_days)
    resting = "" if cut is None else " AND (c.last_reached_at IS NULL OR c.last_reached_at < :cut)"
    base = (
        "CASE WHEN last_reached_at IS NULL AND latest_delivery IS NULL THEN created_at"
        " WHEN latest_delivery IS NULL OR last_reached_at >= latest_delivery THEN last_reached_at"
        " ELSE latest_delivery END"
    )
    rows = tx.tuples(
        f"SELECT * FROM (SELECT {CUSTOMER_COLUMNS} FROM customer c WHERE {mine.active}{resting}"
        f" AND {NOT_A_PROSPECT}"
        f"{_none_of(left_alone)}) x ORDER BY {base}, tier, id LIMIT :limit",
        now=now,
        limit=limit,
        **({} if cut is None else {"cut": cut}),
        **mine.params,
    )
    return _customer_states(rows)


def _none_of(ids: Collection[int]) -> str:
    """A condition leaving out the customers `ids`."""
    if not ids:
        return ""
    return f" AND c.id NOT IN ({', '.join(str(int(i)) for i in sorted(ids))})"


def snooze_notes(
    tx: engine.Tx, customer_ids: list[int], now: datetime
) -> dict[int, tuple[str, datetime, str]]:
    """(key, until, reason) of each customer's latest snooze with a reason that has ended and
    that nobody has reached them since: said beside the item when it returns."""
    if not customer_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(set(customer_ids)))
    snoozes = f"snooze s WHERE s.customer_id IN ({ids}) AND"
    if tx.dialect == "postgresql":
        # One seek of ix_snooze_customer per listed customer (OFFSET 0 keeps the nested loop):
        # PostgreSQL would rather read every snooze in the book than look up a long list.
        snoozes = (
            f"unnest(ARRAY[{ids}]) i(id) CROSS JOIN LATERAL (SELECT * FROM snooze q"
            " WHERE q.customer_id = i.id AND q.reason IS NOT NULL AND q.until <= :now"
            " OFFSET 0) s WHERE"
        )
    notes: dict[int, tuple[str, datetime, str]] = {}
    for customer_id, key, until, reason in tx.tuples(
        f"SELECT s.customer_id, s.key, s.until, s.reason FROM {snoozes} s.reason IS NOT NULL"
        " AND s.until <= :now AND EXISTS (SELECT 1 FROM customer c WHERE c.id = s.customer_id"
        " AND (c.last_reached_at IS NULL OR c.last_reached_at < s.until)) ORDER BY s.until",
        now=now,
    ):
        notes[customer_id] = (key, from_db(until), reason)
    return notes


def talking_points(
    tx: engine.Tx, customer_ids: list[int], keys: tuple[str, ...]
) -> dict[int, list[tuple[str, str]]]:
    """What to open the call with, for each customer: (key, value) facts from the profile in
    the order of `keys`, then (LAST_NOTE, the last note written about a contact): never the
    text sent to them (a contact's `sent` note), which says nothing about them."""
    if not customer_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in sorted(set(customer_ids)))
    fields = f"profile_field WHERE customer_id IN ({ids})"
    if tx.dialect == "postgresql":
        # One seek of the primary key per listed customer (OFFSET 0 keeps the nested loop):
        # for a long list PostgreSQL would rather read every profile field in the book.
        fields = (
            f"unnest(ARRAY[{ids}]) i(id) CROSS JOIN LATERAL (SELECT * FROM profile_field q"
            " WHERE q.customer_id = i.id OFFSET 0) f"
        )
    facts: dict[int, dict[str, str]] = {}
    for customer_id, key, value in tx.tuples(f"SELECT customer_id, key, value FROM {fields}"):
        if key in keys:
            facts.setdefault(customer_id, {})[key] = value
    notes = {
        customer_id: note
        for customer_id, note in tx.tuples(
            "SELECT c.id, (SELECT k.note FROM contact k WHERE k.customer_id = c.id"
            "  AND k.note IS NOT NULL AND NOT k.sent ORDER BY k.id DESC LIMIT 1) AS note"
            f" FROM customer c WHERE c.id IN ({ids})"
        )
        if note is not None
    }
    points = {}
    for customer_id in set(facts) | set(notes):
        known = facts.get(customer_id, {})
        parts = [(key, known[key]) for key in keys if known.get(key)]
        if notes.get(customer_id):
            parts.append((LAST_NOTE, notes[customer_id]))
        points[customer_id] = parts
    return points
