"""What the reports read: aggregate SQL (GROUP BY, windows, CTEs of days or weeks) starting
from the owner's customers, never one query per customer. Everything returned is data and
codes; ui/reports.py words it.

Days are the user's local days: their bounds are computed here in Python (DST-proof) and
passed to SQL as instants, as a small VALUES table when a report needs one row per day.
`who` is an owner's name, or None for everyone's customers.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from kehu.book import colleagues, engine, prospects
from kehu.book.customers import owner_filter, owner_params
from kehu.book.prospects import NOT_A_PROSPECT
from kehu.book.timestamps import from_db
from kehu.rules import promises as promise_rules
from kehu.rules import tiers, vocab
from kehu.rules.frequency import latest_base
from kehu.rules.localtime import LocalClock, Step
from kehu.rules.occasions import Occasion, next_occurrence

ACTIVE = "c.archived_at IS NULL"
# `kind IN (every kind)` lets SQLite seek the (kind, at) index for a time range.
ANY_KIND = "k.kind IN (" + ", ".join(f"'{k}'" for k in vocab.CONTACT_KINDS) + ")"
TREND_WEEKS = 12
BASIC_FACTS = ("phone", "email", "address", "gender", "birthday", "purchases")


def start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tz)


def money(value: Any) -> Decimal:
    """A sum as SQL returns it (a float on SQLite, a Decimal on PostgreSQL), to the cent."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _values(name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, dict]:
    """A `WITH name(columns) AS (VALUES …)` clause and its parameters."""
    params: dict[str, Any] = {}
    marks = []
    for n, row in enumerate(rows):
        names = [f"{name}{n}_{i}" for i in range(len(row))]
        params.update(zip(names, row, strict=True))
        marks.append("(" + ", ".join(f":{x}" for x in names) + ")")
    return f"{name}({', '.join(columns)}) AS (VALUES {', '.join(marks)})", params


def _row(tx: engine.Tx, sql: str, **params: Any) -> Any:
    """The one row an aggregate query returns."""
    return tx.all(sql, **params)[0]


def _within_hours(tx: engine.Tx, later: str, earlier: str) -> str:
    """`later` is at most :hours after `earlier`."""
    if tx.dialect == "postgresql":
        return f"{later} <= {earlier} + :hours * INTERVAL '1 hour'"
    return f"julianday({later}) <= julianday({earlier}) + :hours / 24.0"


def _unindexed(tx: engine.Tx, column: str) -> str:
    """`column`, compared without its index: SQLite then seeks the customer's contacts by time
    instead of scanning every contact of a kind."""
    return f"+{column}" if tx.dialect == "sqlite" else column


# ----------------------------------------------------------------------- activity


def period_totals(tx: engine.Tx, *, start: datetime, end: datetime, who: str | None) -> dict:
    """Contacts, sales and new customers in [start, end)."""
    mine, params = owner_filter(who), {"start": start, "end": end, **owner_params(who)}
    contacts = _row(
        tx,
        "SELECT COUNT(*) AS attempts,"
        " COALESCE(SUM(CASE WHEN k.outcome = 'reached' THEN 1 ELSE 0 END), 0) AS reached,"
        " COUNT(DISTINCT CASE WHEN k.outcome = 'reached' THEN k.customer_id END) AS customers"
        f" FROM contact k WHERE {ANY_KIND} AND k.at >= :start AND k.at < :end"
        f" AND k.customer_id IN (SELECT c.id FROM customer c WHERE 1 = 1{mine})",
        **params,
    )
    sales = _row(
        tx,
        "SELECT COUNT(*) AS n, SUM(p.amount) AS amount FROM customer c"
        " JOIN purchase p ON p.customer_id = c.id"
        f" WHERE p.sold_at >= :start AND p.sold_at < :end{mine}",
        **params,
    )
    # A new customer: someone added in the period who was never a prospect, or a prospect
    # whose first purchase was in it (a prospect registered is not a customer yet).
    new = engine.scalar(
        tx,
        "SELECT COUNT(*) AS n FROM customer c"
        f" WHERE c.created_at >= :start AND c.created_at < :end{mine}"
        " AND NOT EXISTS (SELECT 1 FROM prospect p WHERE p.customer_id = c.id)",
        **params,
    ) + engine.scalar(
        tx,
        "SELECT COUNT(*) AS n FROM prospect p CROSS JOIN customer c"
        f" WHERE p.converted_at >= :start AND p.converted_at < :end AND c.id = p.customer_id{mine}",
        **params,
    )
    return {
        "contacts": int(contacts["attempts"]),
        "reached": int(contacts["reached"]),
        "customers_reached": int(contacts["customers"]),
        "sales": int(sales["n"]),
        "sales_amount": money(sales["amount"]),
        "new_customers": int(new),
    }


def day(tx: engine.Tx, *, day: date, tz: tzinfo, who: str | None) -> dict:
    """The daily sales activity report (销售活动日报表) of one local day."""
    start, end = start_of(day, tz), start_of(day + timedelta(days=1), tz)
    mine, params = owner_filter(who), {"start": start, "end": end, **owner_params(who)}
    contacts = [
        {
            "at": from_db(r["at"]),
            "customer_id": r["customer_id"],
            "customer_name": r["name"],
            "phone": r["phone"],
            "product": r["product"],
            "kind": r["kind"],
            "channel": r["channel"],
            "outcome": r["outcome"],
            "note": r["note"],
            "sent": bool(r["sent"]),
            "made_by": r["made_by"],
            **_levels(r),
        }
        for r in tx.all(
            "SELECT k.at, k.kind, k.channel, k.outcome, k.note, k.sent, k.made_by,"
            " c.id AS customer_id, c.name, c.phone,"
            # The product bought, else a prospect's intended model (意向车型).
            " COALESCE((SELECT p.product FROM purchase p WHERE p.customer_id = c.id"
            "  AND p.sold_at < :end ORDER BY p.sold_at DESC, p.id DESC LIMIT 1),"
            " (SELECT i.interest FROM prospect i WHERE i.customer_id = c.id)) AS product,"
            # A prospect's level: the grade in force before the contact, and one set with it.
            " (SELECT g.level FROM prospect_grade g WHERE g.customer_id = c.id AND g.at <= k.at"
            # (one set at the same moment by a contact logged later is not yet in force)
            "  AND (g.contact_id IS NULL OR g.contact_id <> k.id)"
            "  AND (g.at < k.at OR g.contact_id IS NULL OR g.contact_id < k.id)"
            "  ORDER BY g.at DESC, g.id DESC LIMIT 1) AS level_before,"
            " (SELECT g.level FROM prospect_grade g WHERE g.customer_id = c.id"
            "  AND g.contact_id = k.id ORDER BY g.id DESC LIMIT 1) AS level_set,"
            # A prospect sold to before the contact is a customer: no level any more. A sale
            # at the contact's very moment came after it when the contact graded them (a
            # customer is not graded).
            " (SELECT COUNT(*) FROM prospect s WHERE s.customer_id = c.id"
            "  AND (s.converted_at < k.at OR s.converted_at = k.at AND NOT EXISTS"
            "  (SELECT 1 FROM prospect_grade g WHERE g.contact_id = k.id))) AS sold_before,"
            # Sold to, but ordered (level O) until the first delivery.
            f" {prospects.FIRST_DELIVERY} AS first_delivered_at"
            " FROM contact k CROSS JOIN customer c"
            f" WHERE {ANY_KIND} AND k.at >= :start AND k.at < :end AND c.id = k.customer_id{mine}"
            " ORDER BY k.at, k.id",
            **params,
        )
    ]
    by: dict[str, dict[str, int]] = {"channel": {}, "kind": {}, "outcome": {}}
    for contact in contacts:
        for field, counts in by.items():
            counts[contact[field]] = counts.get(contact[field], 0) + 1
    promises = _row(
        tx,
        "SELECT"
        " COALESCE(SUM(CASE WHEN p.created_at >= :start AND p.created_at < :end"
        "  THEN 1 ELSE 0 END), 0) AS made,"
        " COALESCE(SUM(CASE WHEN p.kept_at >= :start AND p.kept_at < :end"
        "  THEN 1 ELSE 0 END), 0) AS kept,"
        " COALESCE(SUM(CASE WHEN p.due < :end AND p.created_at < :end"
        "  AND (p.kept_at IS NULL OR p.kept_at >= :end)"
        "  AND (p.cancelled_at IS NULL OR p.cancelled_at >= :end) THEN 1 ELSE 0 END), 0) AS late"
        f" FROM customer c JOIN promise p ON p.customer_id = c.id WHERE 1 = 1{mine}",
        **params,
    )
    month_start = start_of(day.replace(day=1), tz)
    levels = [c["level_after"] for c in contacts if c["level_after"] is not None]
    return {
        "date": day,
        "owner": who,
        "contacts": contacts,
        "by_channel": by["channel"],
        "by_kind": by["kind"],
        "by_outcome": by["outcome"],
        "by_level": {level: levels.count(level) for level in vocab.LEVELS if level in levels},
        "totals": {
            **period_totals(tx, start=start, end=end, who=who),
            "new_prospects": _new_prospects(tx, start, end, who),
        },
        "promises": {
            **{key: int(promises[key]) for key in ("made", "kept", "late")},
            "kept_late": _kept_late(tx, start, end, mine, params)[1],
        },
        "month_to_date": {
            **period_totals(tx, start=month_start, end=end, who=who),
            "new_prospects": _new_prospects(tx, month_start, end, who),
        },
    }


def _levels(row: Any) -> dict[str, str | None]:
    """A contact's prospect levels before and after it: none once sold to and delivered (a
    customer is not graded), O while ordered (sold to, the first delivery still to come)."""
    delivery = from_db(row["first_delivered_at"])
    if row["sold_before"] and delivery is not None and from_db(row["at"]) < delivery:
        return {"level_before": "O", "level_after": row["level_set"] or "O"}
    if row["sold_before"]:
        return {"level_before": None, "level_after": None}
    return {"level_before": row["level_before"],
            "level_after": row["level_set"] or row["level_before"]}  # fmt: skip


def _new_prospects(tx: engine.Tx, start: datetime, end: datetime, who: str | None) -> int:
    """Prospects registered in [start, end): not customers until their first purchase."""
    return int(
        engine.scalar(
            tx,
            "SELECT COUNT(*) AS n FROM prospect p CROSS JOIN customer c"
            " WHERE p.created_at >= :start AND p.created_at < :end"
            f" AND c.id = p.customer_id{owner_filter(who)}",
            start=start,
            end=end,
            **owner_params(who),
        )
    )


def activity(
    tx: engine.Tx, *, first: date, last: date, now: datetime, rules: Any, who: str | None
) -> dict:
    """Week or month: activity per day and the practice's measures of discipline."""
    tz = now.tzinfo
    assert tz is not None
    start, end = start_of(first, tz), start_of(last + timedelta(days=1), tz)
    mine, owner = owner_filter(who), owner_params(who)
    days = _days(first, last)
    cte, params = _values(
        "d", ("day", "s", "e"), [(d.isoformat(), start_of(d, tz), start_of(d + timedelta(1), tz))
                                 for d in days]
    )  # fmt: skip
    per_day = {d.isoformat(): {"reached": 0, "no_answer": 0, "sales": 0} for d in days}
    for r in tx.all(
        f"WITH {cte} SELECT d.day,"
        " SUM(CASE WHEN k.outcome = 'reached' THEN 1 ELSE 0 END) AS reached,"
        " SUM(CASE WHEN k.outcome = 'no-answer' THEN 1 ELSE 0 END) AS no_answer"
        f" FROM d CROSS JOIN contact k WHERE {ANY_KIND} AND k.at >= d.s AND k.at < d.e"
        f" AND k.customer_id IN (SELECT c.id FROM customer c WHERE 1 = 1{mine}) GROUP BY d.day",
        **params,
        **owner,
    ):
        per_day[r["day"]].update(reached=int(r["reached"]), no_answer=int(r["no_answer"]))
    for r in tx.all(
        f"WITH {cte} SELECT d.day, COUNT(*) AS n FROM purchase p CROSS JOIN customer c"
        " CROSS JOIN d WHERE p.sold_at >= :start AND p.sold_at < :end AND c.id = p.customer_id"
        f" AND p.sold_at >= d.s AND p.sold_at < d.e{mine} GROUP BY d.day",
        start=start,
        end=end,
        **params,
        **owner,
    ):
        per_day[r["day"]]["sales"] = int(r["n"])
    as_of = min(end, now)
    return {
        "from": first,
        "to": last,
        "owner": who,
        "days": [{"date": d, **counts} for d, counts in per_day.items()],
        "totals": period_totals(tx, start=start, end=end, who=who),
        "thank_you": _thank_yous(tx, start, min(end, now - timedelta(hours=24)), rules, who),
        "call_backs": _call_backs(tx, first, last, now, rules, who),
        "promises": _promises(tx, start, end, now, who),
        "tier_a": _tier_a_reached(tx, as_of, rules.keep_in_touch_days or 15, who),
        "greetings": _greetings(tx, days, start, end, rules, who),
        "prospects": prospects.period(tx, owner=who, start=start, end=end),
    }


# When a delivery's thank-you is late, as rules/after_sale.thank_you_late says: the hours after
# the delivery, or for a day without a time (stored at the start of its day) `w.dl`, the hours
# after that day's end on the local clock.
def _thanked_in_time(tx: engine.Tx) -> str:
    return (
        f"((p.delivered_at = w.ds AND t.at <= w.dl) OR (p.delivered_at <> w.ds AND"
        f" {_within_hours(tx, 't.at', 'p.delivered_at')}))"
    )


def _thank_yous(tx: engine.Tx, start: datetime, end: datetime, rules: Any, who: str | None) -> dict:
    """Deliveries whose thank-you time is over, and those thanked within it: as the daily list
    closes a thank-you, by a reached thank-you from the start of the delivery's day (one sent
    that morning for a delivery in the afternoon counts) until `thank_you_late_hours` after
    the delivery (after its day's end for a day without a time)."""
    if end <= start:
        return {"deliveries": 0, "in_time": 0}
    tz = start.tzinfo
    assert tz is not None
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    from kehu.rules.after_sale import thank_you_late

    days = [
        (start_of(d, tz), start_of(d + timedelta(days=1), tz),
         thank_you_late(datetime.combine(d, time(0), tz), rules))
        for d in _days(start.date(), last)
    ]  # fmt: skip
    cte, params = _values("w", ("ds", "de", "dl"), days)
    r = _row(
        tx,
        f"WITH {cte} SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM contact t"
        " WHERE t.customer_id = p.customer_id AND t.outcome = 'reached'"
        f" AND {_unindexed(tx, 't.kind')} = 'thank-you' AND t.at >= w.ds AND"
        f" {_thanked_in_time(tx)}) THEN 1 ELSE 0 END), 0) AS thanked"
        " FROM w CROSS JOIN purchase p CROSS JOIN customer c WHERE p.customer_id = c.id"
        " AND p.delivered_at >= w.ds AND p.delivered_at < w.de"
        f" AND p.delivered_at >= :start AND p.delivered_at < :end{owner_filter(who)}",
        start=start,
        end=end,
        hours=rules.thank_you_late_hours,
        **params,
        **owner_params(who),
    )
    return {"deliveries": int(r["n"]), "in_time": int(r["thanked"])}


def _call_backs(
    tx: engine.Tx, first: date, last: date, now: datetime, rules: Any, who: str | None
) -> dict:
    """Call-back milestones due in the period: done (a reached contact other than a thank-you
    while its window was open, as the daily list closes it: from a few days before the
    milestone until the next window opens), missed (none, and the window has closed) or open
    (none yet, and the window is open: the daily list has it)."""
    from kehu.rules.after_sale import call_back_windows, longest_milestone_days

    tz = now.tzinfo
    assert tz is not None
    steps: list[tuple[str, Any]] = [(f"{n}d", n) for n in rules.callback_days]
    steps += [(f"{n}m", -n) for n in rules.callback_months]  # negative: months
    rows = []
    for delivered in _days(first - timedelta(days=longest_milestone_days(rules) + 3), last):
        for window in call_back_windows(delivered, rules):
            if first <= window.milestone <= last:
                rows.append((
                    window.label, start_of(delivered, tz),
                    start_of(delivered + timedelta(1), tz),
                    start_of(window.opens, tz), start_of(window.closes, tz),
                ))  # fmt: skip
    counts = {label: {"done": 0, "missed": 0, "open": 0} for label, _ in steps}
    if not rows:
        return counts
    cte, params = _values("m", ("step", "ds", "de", "ws", "we"), rows)
    for r in tx.all(
        f"WITH {cte} SELECT step, SUM(done) AS done,"
        " SUM(CASE WHEN done = 0 AND we <= :now THEN 1 ELSE 0 END) AS missed,"
        " SUM(CASE WHEN done = 0 AND ws <= :now AND we > :now THEN 1 ELSE 0 END) AS still_open"
        " FROM (SELECT m.step, m.ws, m.we, CASE WHEN EXISTS (SELECT 1 FROM contact k"
        "  WHERE k.customer_id = p.customer_id AND k.outcome = 'reached'"
        "  AND k.kind <> 'thank-you' AND k.at >= m.ws AND k.at < m.we) THEN 1 ELSE 0 END AS done"
        " FROM m CROSS JOIN purchase p CROSS JOIN customer c"
        " WHERE p.delivered_at >= m.ds AND p.delivered_at < m.de AND p.delivered_at <= :now"
        f" AND c.id = p.customer_id{owner_filter(who)}) x GROUP BY step",
        now=now,
        **params,
        **owner_params(who),
    ):
        counts[r["step"]] = {
            "done": int(r["done"]), "missed": int(r["missed"]), "open": int(r["still_open"])
        }  # fmt: skip
    return counts


def _promises(
    tx: engine.Tx, start: datetime, end: datetime, now: datetime, who: str | None
) -> dict:
    mine, params = owner_filter(who), {"start": start, "end": end, **owner_params(who)}
    on_time, late = _kept_late(tx, start, end, mine, params)
    clock = LocalClock(now)
    still_open = sum(
        promise_rules.is_late(from_db(r["due"]), clock)
        for r in tx.all(
            "SELECT p.due FROM customer c JOIN promise p ON p.customer_id = c.id"
            " WHERE p.kept_at IS NULL AND p.cancelled_at IS NULL AND p.due >= :start"
            f" AND p.due < :end AND p.due < :now{mine}",
            now=now,
            **params,
        )
    )
    return {"kept_on_time": on_time, "kept_late": late, "open_late": int(still_open)}


def _kept_late(
    tx: engine.Tx, start: datetime, end: datetime, mine: str, params: dict[str, Any]
) -> tuple[int, int]:
    """The promises kept in the period: (on time, late). One due on a day alone is on time
    until that day's end, midnight (rules/promises.py)."""
    clock = LocalClock(start)
    late = [
        promise_rules.kept_late(from_db(r["due"]), from_db(r["kept_at"]), clock)
        for r in tx.all(
            "SELECT p.due, p.kept_at FROM customer c JOIN promise p ON p.customer_id = c.id"
            f" WHERE p.kept_at >= :start AND p.kept_at < :end{mine}",
            **params,
        )
    ]
    return len(late) - sum(late), sum(late)


def _tier_a_reached(tx: engine.Tx, as_of: datetime, days: int, who: str | None) -> dict:
    r = _row(
        tx,
        "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM contact k"
        " WHERE k.customer_id = c.id AND k.outcome = 'reached' AND k.at >= :since"
        " AND k.at < :as_of) THEN 1 ELSE 0 END), 0) AS reached FROM customer c"
        f" WHERE {ACTIVE} AND c.tier = 'A' AND c.created_at < :as_of{owner_filter(who)}",
        since=as_of - timedelta(days=days),
        as_of=as_of,
        **owner_params(who),
    )
    return {"customers": int(r["n"]), "reached": int(r["reached"]), "days": days}


def _greetings(
    tx: engine.Tx, days: list[date], start: datetime, end: datetime, rules: Any, who: str | None
) -> dict:
    """Greetings sent in the period, and the customers' birthdays that fell in it (a lunar one
    on its solar day that year; the lunar calendar is loaded only for a book that has one)."""
    month_days = {(d.month, d.day) for d in days}
    if (2, 28) in month_days or (3, 1) in month_days:
        month_days.add((2, 29))  # kept on 28 February or 1 March in other years
    marks = {f"md{n}": m * 100 + d for n, (m, d) in enumerate(sorted(month_days))}
    birthdays = set()
    for customer_id, calendar, month, day, leap, year in tx.tuples(
        "SELECT c.id, o.calendar, o.month, o.day, o.leap, o.year FROM customer c"
        f" JOIN occasion o ON o.customer_id = c.id WHERE {ACTIVE} AND o.kind = 'birthday'"
        " AND (o.calendar = 'lunar'"
        f" OR o.month * 100 + o.day IN ({', '.join(':' + m for m in marks)})){owner_filter(who)}",
        **marks,
        **owner_params(who),
    ):
        occasion = Occasion("birthday", calendar, month, day, leap=bool(leap), year=year)
        kept = next_occurrence(occasion, days[0], feb29=rules.feb29)
        while kept <= days[-1]:
            birthdays.add((customer_id, kept))
            kept = next_occurrence(occasion, kept + timedelta(days=1), feb29=rules.feb29)
    sent = engine.scalar(
        tx,
        "SELECT COUNT(*) AS n FROM contact k CROSS JOIN customer c"
        " WHERE k.kind = 'greeting' AND k.at >= :start AND k.at < :end"
        f" AND k.outcome = 'reached' AND c.id = k.customer_id{owner_filter(who)}",
        start=start,
        end=end,
        **owner_params(who),
    )
    return {"birthdays": len(birthdays), "sent": int(sent)}


# ------------------------------------------------------------------------- health


def _state_cuts(moment: datetime, rules: Any, lost_months: int) -> dict[str, datetime]:
    """A customer whose last sign of life is before a cut has reached that state at `moment`:
    its day plus the months falls on or before today, as the daily list's marks count (quiet
    since 31 December is cooling on 28 February)."""
    tz = moment.tzinfo
    assert tz is not None
    today = moment.astimezone(tz).date()

    def cut(months: int) -> datetime:
        return start_of(latest_base(today, Step(months=months)) + timedelta(days=1), tz)

    return {
        "cool": cut(rules.cooling_months),
        "risk": cut(rules.at_risk_months),
        "lost": cut(lost_months),
    }


def _materialized(tx: engine.Tx) -> str:
    """Computed once, not once per mention (SQLite before 3.35 lacks the keyword)."""
    import sqlite3

    old = tx.dialect == "sqlite" and sqlite3.sqlite_version_info < (3, 35)
    return "" if old else "MATERIALIZED"


def _base_sql(tx: engine.Tx, moment: str, key: str = "c") -> str:
    """The last sign of life at `moment`: the latest reached contact, delivery or, for a
    prospect, the sale that made them a customer (one ordered is no customer gone quiet since
    they were registered), or, for a customer with none, when they were added (as the daily
    list's frequency marks count: a customer entered today with last summer's delivery is not
    new). One index seek in each table."""
    return (
        f"COALESCE((SELECT MAX(s.at) FROM (SELECT MAX(k.at) AS at FROM contact k"
        f" WHERE k.customer_id = {key}.id AND k.outcome = 'reached' AND k.at <= {moment}"
        f" UNION ALL SELECT MAX(p.delivered_at) FROM purchase p"
        f" WHERE p.customer_id = {key}.id AND p.delivered_at <= {moment}"
        f" UNION ALL SELECT q.converted_at FROM prospect q"
        f" WHERE q.customer_id = {key}.id AND q.converted_at <= {moment}) s), {key}.created_at)"
    )


def _first_after(moment: str, key: str) -> str:
    """The customer's first reached contact, delivery or (a prospect's) sale after `moment`
    (NULL: none yet), one index seek in each table."""
    return (
        f"(SELECT MIN(f.at) FROM (SELECT MIN(k.at) AS at FROM contact k"
        f" WHERE k.customer_id = {key}.id AND k.outcome = 'reached' AND k.at > {moment}"
        f" UNION ALL SELECT MIN(p.delivered_at) FROM purchase p"
        f" WHERE p.customer_id = {key}.id AND p.delivered_at > {moment}"
        f" UNION ALL SELECT q.converted_at FROM prospect q"
        f" WHERE q.customer_id = {key}.id AND q.converted_at > {moment}) f)"
    )


def anchors(
    spans: Sequence[tuple[datetime, datetime]], candidates: Sequence[datetime]
) -> tuple[list[datetime], list[int | None]]:
    """The fewest candidate instants such that each span (cut, end) with cut <= end holds one,
    and the one each span takes (None: an empty span): the latest by its end. Of the choices
    as few, the one whose anchors lie longest after the cuts they serve: a customer with a
    sign of life in that stretch needs no second look-up."""
    import itertools

    real = [(cut, end) for cut, end in spans if cut <= end]
    for size in range(1, len(candidates) + 1):
        best: tuple[timedelta, tuple[datetime, ...]] | None = None
        for points in itertools.combinations(sorted(set(candidates)), size):
            slack = _slack(points, real)
            if slack is not None and (best is None or slack > best[0]):
                best = (slack, points)
        if best is not None:
            chosen = [_latest(best[1], end) if cut <= end else None for cut, end in spans]
            return list(best[1]), chosen
    return [], [None] * len(spans)  # no span can be served: every span is empty


def _latest(points: Sequence[datetime], end: datetime) -> int | None:
    """The index of the latest of the sorted `points` at or before `end`."""
    return next((i for i in reversed(range(len(points))) if points[i] <= end), None)


def _slack(
    points: Sequence[datetime], spans: Sequence[tuple[datetime, datetime]]
) -> timedelta | None:
    """The least time from a span's cut to the anchor it takes; None: a span has none."""
    least = None
    for cut, end in spans:
        i = _latest(points, end)
        if i is None or points[i] < cut:
            return None
        least = points[i] - cut if least is None else min(least, points[i] - cut)
    return least


def health(
    tx: engine.Tx, *, now: datetime, rules: Any, who: str | None,
    lost_months: int = tiers.LOST_MONTHS, weeks: int = TREND_WEEKS,
) -> dict:  # fmt: skip
    """Customers by state and tier at `now`, the same for the end of each of the last weeks
    (from the contact history: a past week is as it was then), and who is behind each number.
    A prospect counts from the sale (one open or lost, never)."""
    mine, owner = owner_filter(who), owner_params(who)
    ends = [now - timedelta(days=7 * n) for n in reversed(range(weeks))]
    # At a week's end a customer has reached a state when their last sign of life then is
    # before its cut. With an anchor A between the cut and the week's end, it is at or past
    # the cut when it was so at A, or when a sign of life came after A by the week's end. A
    # few anchors serve every (week, cut) (two for the default months), so each customer costs
    # a seek in contacts and one in purchases per anchor, and two more only when the sign at
    # A is before a cut it serves (the first sign after A), not a few per week.
    keys = [(n, state) for n in range(len(ends)) for state in ("cool", "risk", "lost")]
    cuts = [_state_cuts(moment, rules, lost_months) for moment in ends]
    points, chosen = anchors([(cuts[n][state], ends[n]) for n, state in keys], ends)
    params: dict[str, Any] = {**owner}
    conds: dict[tuple[int, str], str] = {}
    needs: dict[int, datetime] = {}
    for (n, state), anchor in zip(keys, chosen, strict=True):
        params[f"t{n}"], params[f"{state}{n}"] = ends[n], cuts[n][state]
        if anchor is None:  # the cut is after the week's end: nobody was past it then
            conds[n, state] = "1 = 0"
        else:
            conds[n, state] = f"(at{anchor} >= :{state}{n} OR after{anchor} <= :t{n})"
            needs[anchor] = max(needs.get(anchor, cuts[n][state]), cuts[n][state])
    for a, point in enumerate(points):
        params[f"a{a}"], params[f"need{a}"] = point, needs[a]
    at = "".join(f", {_base_sql(tx, f':a{a}')} AS at{a}" for a in range(len(points)))
    after = "".join(
        f", CASE WHEN at{a} < :need{a} THEN {_first_after(f':a{a}', 'b')} END AS after{a}"
        for a in range(len(points))
    )

    def letters(known: bool) -> str:
        """The states, one letter a week; `known`: the customer is in the book every week."""
        gone = "created_at > :t{n} OR archived_at <= :t{n} OR converted_at > :t{n}"
        absent = "" if known else f" WHEN {gone} THEN '-'"
        return " || ".join(
            f"CASE{absent.format(n=n)} WHEN {conds[n, 'cool']} THEN 'h'"
            f" WHEN {conds[n, 'risk']} THEN 'c' WHEN {conds[n, 'lost']} THEN 'r' ELSE 'l' END"
            for n in range(len(ends))
        )

    # Most customers were in the book all along, and most of those stayed healthy (their sign
    # of life at each anchor is past every cut it serves): a few comparisons, not a few a week.
    last = len(ends) - 1
    known = (
        f"created_at <= :t0 AND (archived_at IS NULL OR archived_at > :t{last})"
        " AND (converted_at IS NULL OR converted_at <= :t0)"
    )
    healthy = "".join(f" AND at{a} >= :need{a}" for a in range(len(points)))
    always = all(conds[n, "cool"] != "1 = 0" for n in range(len(ends)))
    fast = f" WHEN {known}{healthy} THEN '{'h' * len(ends)}'" if always else ""
    code = f"CASE{fast} WHEN {known} THEN {letters(True)} ELSE {letters(False)} END"
    # One statement for the trend and the lists: the trend counts customers by tier and their
    # run of states (one letter a week), the lists are the customers not healthy at the last
    # week's end (now), with their last sign of life looked up for them alone.
    weekly = (
        f"WITH b AS {_materialized(tx)} (SELECT c.id, c.tier, c.created_at, c.archived_at,"
        " (SELECT p.converted_at FROM prospect p WHERE p.customer_id = c.id) AS converted_at"
        f"{at} FROM customer c WHERE {NOT_A_PROSPECT}{mine}),"
        f" x AS {_materialized(tx)} (SELECT b.*{after} FROM b),"
        f" y AS {_materialized(tx)} (SELECT id, tier, created_at, archived_at, {code} AS run"
        " FROM x)"
    )
    rows = tx.tuples(
        f"{weekly} SELECT tier, run, COUNT(*) AS n, NULL AS id, NULL AS name, NULL AS owner,"
        " NULL AS base FROM y GROUP BY tier, run"
        f" UNION ALL SELECT y.tier, y.run, 0, y.id, c.name, c.owner, {_base_sql(tx, ':now', 'y')}"
        " FROM y CROSS JOIN customer c WHERE c.id = y.id AND y.archived_at IS NULL"
        f" AND SUBSTR(y.run, {len(ends)}, 1) IN ('c', 'r', 'l')",
        now=now,
        **params,
    )
    weeks_ = [moment.date().isoformat() for moment in ends]
    trend: dict[str, dict[str, dict[str, int]]] = {
        week: {tier: dict.fromkeys(STATES, 0) for tier in vocab.TIERS} for week in weeks_
    }
    listed_rows = []
    for tier, run, count, id_, name, who_, base in rows:
        if id_ is not None:
            listed_rows.append((from_db(base), id_, name, tier, who_, _STATE_OF[run[-1]]))
            continue
        for week, letter in zip(weeks_, run, strict=True):
            if letter != "-":
                trend[week][tier][_STATE_OF[letter]] += int(count)
    lists: dict[str, list[dict]] = {state: [] for state in STATES if state != "healthy"}
    for base, id_, name, tier, who_, state in sorted(listed_rows, key=lambda r: r[:2]):
        lists[state].append(
            {"id": id_, "name": name, "tier": tier, "owner": who_, "last_sign_of_life": base}
        )
    weeks_out = [
        {"week_ending": week, "by_tier": by_tier, "total": _sum_states(by_tier.values())}
        for week, by_tier in trend.items()
    ]
    return {
        "as_of": now,
        "owner": who,
        "lost_months": lost_months,
        "now": weeks_out[-1],
        "trend": weeks_out,
        "customers": lists,
    }


STATES = ("healthy", "cooling", "at-risk", "lost")
_STATE_OF = dict(zip("hcrl", STATES, strict=True))


def _sum_states(groups: Iterable[dict[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(STATES, 0)
    for group in groups:
        for state, n in group.items():
            total[state] += n
    return total


# -------------------------------------------------------------------------- tiers


def ranking(
    tx: engine.Tx, *, who: str | None,
    cuts: tuple[float, float] = (tiers.TIER_A_CUT, tiers.TIER_B_CUT),
    influence: int = tiers.INFLUENCE_REFERRALS, limit: int | None = None,
) -> dict:  # fmt: skip
    """Active customers (not prospects never sold to) ranked by purchase value with the
    running share (Pareto), referrals made and the value of the customers they referred, and
    the tier each would get (in SQL, as tiers.suggest says). With `limit`, only the first
    customers and changes are listed (and how many changes are left out); the counts are
    always of them all."""
    # As Python computes it in floating point (SQLite may hold whole amounts as integers).
    share_before = "(CAST(running AS DOUBLE PRECISION) - value) / total * 100"
    by_value = (
        f"CASE WHEN value > 0 AND total > 0 AND {share_before} < :cut_a THEN 'A'"
        f" WHEN value > 0 AND total > 0 AND {share_before} < :cut_b THEN 'B' ELSE 'C' END"
    )
    per_tier = ", ".join(
        f"SUM(CASE WHEN {column} = '{tier}' THEN 1 ELSE 0 END) OVER () AS {column}_{tier.lower()}"
        for column in ("tier", "suggested") for tier in vocab.TIERS
    )  # fmt: skip
    influential = "referrals >= :influence" if influence > 0 else "1 = 0"
    shown = (
        "" if limit is None
        else " WHERE rank <= :limit OR (tier <> suggested AND change_rank <= :limit)"
    )  # fmt: skip
    # The customers one's own referred, a colleague's too under row-level security (counted,
    # their purchases unseen): a key customer's friends served by others still count.
    rows = tx.all(
        f"WITH s AS {_materialized(tx)} (SELECT p.customer_id AS id, SUM(p.amount) AS value"
        " FROM purchase p GROUP BY p.customer_id),"
        " r AS (SELECT n.referred_by AS id, COUNT(*) AS referrals,"
        f" COALESCE(SUM(s.value), 0) AS referred_value FROM {colleagues.referred(tx)} n"
        " LEFT JOIN s ON s.id = n.id WHERE n.referred_by IS NOT NULL GROUP BY n.referred_by),"
        " v AS (SELECT c.id, c.name, c.tier, c.owner, COALESCE(s.value, 0) AS value,"
        " COALESCE(r.referrals, 0) AS referrals, COALESCE(r.referred_value, 0) AS referred_value"
        f" FROM customer c LEFT JOIN s ON s.id = c.id LEFT JOIN r ON r.id = c.id"
        f" WHERE {ACTIVE} AND {NOT_A_PROSPECT}{owner_filter(who)}),"
        " w AS (SELECT v.*, ROW_NUMBER() OVER (ORDER BY value DESC, id) AS rank,"
        " SUM(value) OVER (ORDER BY value DESC, id ROWS UNBOUNDED PRECEDING) AS running,"
        " SUM(value) OVER () AS total FROM v),"
        f" x AS (SELECT w.*, {by_value} AS by_value FROM w),"
        f" y AS (SELECT x.*, CASE WHEN by_value <> 'A' AND {influential}"
        " THEN 'A' ELSE by_value END AS suggested FROM x),"
        " z AS (SELECT y.*, SUM(CASE WHEN tier <> suggested THEN 1 ELSE 0 END)"
        " OVER (ORDER BY rank ROWS UNBOUNDED PRECEDING) AS change_rank,"
        " SUM(CASE WHEN tier <> suggested THEN 1 ELSE 0 END) OVER () AS changes_total,"
        f" {per_tier} FROM y)"
        f" SELECT * FROM z{shown} ORDER BY rank",
        cut_a=float(cuts[0]),
        cut_b=float(cuts[1]),
        **({"influence": influence} if influence > 0 else {}),
        **({"limit": limit} if limit is not None else {}),
        **owner_params(who),
    )
    customers = [
        {
            "rank": int(r["rank"]),
            "id": r["id"],
            "name": r["name"],
            "owner": r["owner"],
            "value": money(r["value"]),
            "cumulative_share": round(float(r["running"]) / float(r["total"]) * 100, 2)
            if r["total"]
            else 0.0,
            "referrals": int(r["referrals"]),
            "referred_value": money(r["referred_value"]),
            "tier": r["tier"],
            "suggested_tier": r["suggested"],
            "reason": "value" if r["suggested"] == r["by_value"] else "influence",
        }
        for r in rows
    ]
    counts = {
        tier: {"now": int(rows[0][f"tier_{tier.lower()}"]) if rows else 0,
               "suggested": int(rows[0][f"suggested_{tier.lower()}"]) if rows else 0}
        for tier in vocab.TIERS
    }  # fmt: skip
    changes = [c for c in customers if c["tier"] != c["suggested_tier"]]
    limited = {} if limit is None else {
        # What `--apply` would change beyond the changes listed.
        "changes_left_out": int(rows[0]["changes_total"]) - len(changes[:limit]) if rows else 0
    }  # fmt: skip
    return {
        **limited,
        "owner": who,
        "cut_offs": {"A": cuts[0], "B": cuts[1]},
        "influence_referrals": influence,
        "total_value": money(rows[0]["total"] if rows else 0),
        "tiers": counts,
        "customers": customers if limit is None else customers[:limit],
        "changes": changes if limit is None else changes[:limit],
    }


def apply_tiers(
    tx: engine.Tx, *, who: str | None, cuts: tuple[float, float], influence: int
) -> list[dict]:
    """Give each customer the tier `ranking` suggests; the changes made, as ranking lists them."""
    changes = ranking(tx, who=who, cuts=cuts, influence=influence)["changes"]
    for change in changes:
        tx.run(
            "UPDATE customer SET tier = :tier WHERE id = :id",
            tier=change["suggested_tier"],
            id=change["id"],
        )
    return changes


def referrals(tx: engine.Tx, *, who: str | None) -> dict:
    """Who brought whom: the owner's customers who referred or were referred, as a forest."""
    rows = tx.all(
        "WITH r AS (SELECT DISTINCT referred_by AS id"
        f" FROM {colleagues.referred(tx)} n WHERE referred_by IS NOT NULL)"
        " SELECT c.id, c.name, c.referred_by, c.owner, COALESCE((SELECT SUM(p.amount)"
        " FROM purchase p WHERE p.customer_id = c.id), 0) AS value FROM customer c"
        " WHERE (c.referred_by IS NOT NULL OR c.id IN (SELECT id FROM r))"
        f"{owner_filter(who)} ORDER BY c.id",
        **owner_params(who),
    )
    nodes = {
        r["id"]: {"id": r["id"], "name": r["name"], "owner": r["owner"],
                  "value": money(r["value"]), "referred": []}
        for r in rows
    }  # fmt: skip
    parents = {r["id"]: r["referred_by"] for r in rows if r["referred_by"] in nodes}
    settled: set[int] = set()  # leads up to a root
    for start in list(parents):  # a cycle (an old version, an import): its lowest id a root
        walked: dict[int, int] = {}  # id: place on this walk
        current = start
        while current in parents and current not in walked and current not in settled:
            walked[current] = len(walked)
            current = parents[current]
        if current in walked:
            del parents[min(list(walked)[walked[current] :])]
        settled.update(walked)
    roots = []
    for r in rows:
        if r["id"] in parents:
            nodes[parents[r["id"]]]["referred"].append(nodes[r["id"]])
        else:
            roots.append(nodes[r["id"]])
    referred = sum(1 for r in rows if r["referred_by"] is not None)
    return {"owner": who, "referred_customers": referred, "trees": roots}


# ------------------------------------------------------------------------ profile


def profile(tx: engine.Tx, *, who: str | None, limit: int = 20) -> dict:
    """How complete the records are: customers with each basic fact, the extended facts in
    use, and who misses the most basic ones."""
    mine, owner = owner_filter(who), owner_params(who)
    has = {
        "phone": "c.phone IS NOT NULL AND c.phone <> ''",
        "email": "c.email IS NOT NULL AND c.email <> ''",
        "address": "c.address IS NOT NULL AND c.address <> ''",
        "gender": "c.gender IS NOT NULL AND c.gender <> ''",
        "birthday": "EXISTS (SELECT 1 FROM occasion o WHERE o.customer_id = c.id"
        " AND o.kind = 'birthday')",
        "purchases": "EXISTS (SELECT 1 FROM purchase p WHERE p.customer_id = c.id)",
    }
    flags = ", ".join(f"CASE WHEN {cond} THEN 1 ELSE 0 END AS {fact}" for fact, cond in has.items())
    base = f"SELECT c.id, c.name, c.owner, {flags} FROM customer c WHERE {ACTIVE}{mine}"
    sums = ", ".join(f"COALESCE(SUM({fact}), 0) AS {fact}" for fact in has)
    totals = _row(tx, f"SELECT COUNT(*) AS n, {sums} FROM ({base}) x", **owner)
    extended = {
        r["key"]: int(r["n"])
        for r in tx.all(
            "SELECT f.key, COUNT(*) AS n FROM customer c JOIN profile_field f"
            f" ON f.customer_id = c.id WHERE {ACTIVE}{mine} GROUP BY f.key ORDER BY n DESC, f.key",
            **owner,
        )
    }
    present = " + ".join(has)
    missing = [
        {
            "id": r["id"],
            "name": r["name"],
            "owner": r["owner"],
            "missing": [fact for fact in has if not r[fact]],
            "extended_facts": int(r["extended"]),
        }
        for r in tx.all(
            f"SELECT x.*, (SELECT COUNT(*) FROM profile_field f WHERE f.customer_id = x.id)"
            f" AS extended FROM ({base}) x WHERE {present} < {len(has)}"
            f" ORDER BY {present}, extended, x.id LIMIT :limit",
            limit=limit,
            **owner,
        )
    ]
    return {
        "owner": who,
        "customers": int(totals["n"]),
        "basic": {fact: int(totals[fact]) for fact in has},
        "extended": extended,
        "missing_most": missing,
    }
