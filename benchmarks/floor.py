"""The floor for `kehu today`: the same due list through the stdlib sqlite3 module alone.

    KEHU_NOW=2026-11-22T10:00+08:00 KEHU_TZ=Asia/Shanghai KEHU_USER=bench \\
        python benchmarks/floor.py BOOK

The plain way to compute it: a few aggregate SELECTs (every active customer of the user with
their latest delivery, the purchases delivered in the last seven months, open promises and
planned calls, recent complaints and referrals, snoozes), then one plain Python pass with
kehu's default rules, comparing the stored UTC ISO texts with cut-off texts computed once, and
one line per due item. No kehu import, no dateutil, no SQLAlchemy.
"""

import os
import sqlite3
import sys
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

# kehu's default rules (rules.records.Rules)
THANKS_LATE_H, THANKS_EXPIRE_D = 24, 30
CALLBACK_DAYS, CALLBACK_MONTHS, EARLY_D, LAST_WINDOW_D = (7,), (1, 3, 6), 3, 30
COOLING_M, AT_RISK_M, KEEP_IN_TOUCH_D = 2, 4, 15
REFERRAL_EXPIRE_D, COMPLAINT_WAIT_D, COMPLAINT_EXPIRE_D = 30, 3, 30


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def main() -> None:
    zone = ZoneInfo(os.environ.get("KEHU_TZ", "UTC"))
    now = datetime.fromisoformat(os.environ["KEHU_NOW"]).astimezone(zone).replace(microsecond=0)
    owner = os.environ.get("KEHU_USER", "")
    today = now.date()

    def db(moment: datetime) -> str:  # how kehu stores an instant
        return moment.astimezone(UTC).isoformat(sep=" ")

    def day_start(day: date) -> str:
        return db(datetime.combine(day, time(), zone))

    def local_day(text: str) -> date:
        return datetime.fromisoformat(text).astimezone(zone).date()

    conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    active = "c.archived_at IS NULL AND c.owner = :owner"
    p = {"now": db(now), "owner": owner, "horizon": day_start(today + timedelta(days=1))}
    reach = add_months(today, -max(CALLBACK_MONTHS)) - timedelta(
        days=max(CALLBACK_DAYS) + LAST_WINDOW_D + THANKS_EXPIRE_D + 1
    )
    customers = {
        r[0]: r
        for r in conn.execute(
            "SELECT c.id, c.name, c.phone, c.tier, c.owner, c.created_at, c.last_reached_at,"
            " c.last_other_at, c.last_thanks_at, c.attempts, d.latest_delivery"
            " FROM customer c LEFT JOIN (SELECT customer_id, MAX(delivered_at) AS latest_delivery"
            "  FROM purchase WHERE delivered_at <= :now GROUP BY customer_id) d"
            "  ON d.customer_id = c.id"
            f" WHERE {active}",
            p,
        )
    }
    purchases = conn.execute(
        "SELECT p.id, p.customer_id, p.product, p.delivered_at FROM purchase p"
        " JOIN customer c ON c.id = p.customer_id"
        f" WHERE p.delivered_at >= :since AND p.delivered_at <= :now AND {active}",
        {**p, "since": db(datetime.combine(reach, now.time(), zone))},
    ).fetchall()
    promises = conn.execute(
        "SELECT p.id, p.customer_id, p.text, p.due FROM promise p"
        " JOIN customer c ON c.id = p.customer_id"
        " WHERE p.kept_at IS NULL AND p.cancelled_at IS NULL AND p.due < :horizon"
        f" AND {active}",
        p,
    ).fetchall()
    followups = conn.execute(
        "SELECT f.id, f.customer_id, f.due, f.note FROM followup f"
        " JOIN customer c ON c.id = f.customer_id"
        f" WHERE f.done_at IS NULL AND f.due < :horizon AND {active}",
        p,
    ).fetchall()
    complaints = conn.execute(
        "SELECT k.id, k.customer_id, k.at, k.note FROM contact k"
        " JOIN customer c ON c.id = k.customer_id"
        f" WHERE k.kind = 'complaint' AND k.at >= :since AND k.at <= :now AND {active}",
        {**p, "since": db(now - timedelta(days=COMPLAINT_EXPIRE_D))},
    ).fetchall()
    referrals = conn.execute(
        "SELECT c.id, c.name, c.referred_by, c.created_at FROM customer c"
        " WHERE c.referred_by IS NOT NULL AND c.created_at >= :since AND c.created_at <= :now",
        {"now": p["now"], "since": db(now - timedelta(days=REFERRAL_EXPIRE_D))},
    ).fetchall()
    snoozed = {r[0] for r in conn.execute("SELECT key, until FROM snooze WHERE until > :now", p)}

    items: list[tuple[int, str, tuple]] = []  # (kind order, key, customer row)
    for pid, cid, _text, _due in promises:
        if cid in customers:
            items.append((0, f"P{pid}", customers[cid]))
    for fid, cid, due, _note in followups:
        c = customers.get(cid)
        if c is not None and not (c[6] and c[6] >= day_start(local_day(due))):
            items.append((1, f"F{fid}", c))
    thanks_since = db(now - timedelta(days=THANKS_EXPIRE_D))
    steps = [(f"{n}d", n, 0) for n in CALLBACK_DAYS] + [(f"{n}m", 0, n) for n in CALLBACK_MONTHS]

    @cache
    def open_windows(delivered: date) -> list[tuple[str, date, date]]:
        """(label, opens, closes) of the call-back windows that may be open today."""
        marks = sorted((add_months(delivered, m) + timedelta(days=d), k) for k, d, m in steps)
        opens = [m - timedelta(days=EARLY_D) for m, _ in marks]
        closes = [*opens[1:], marks[-1][0] + timedelta(days=LAST_WINDOW_D)]
        return [
            (label, start, end)
            for (milestone, label), start, end in zip(marks, opens, closes, strict=True)
            if start <= today <= end and milestone <= today
        ]

    for pid, cid, _product, delivered in purchases:
        c = customers.get(cid)
        if c is None:
            continue
        if delivered > thanks_since and not (c[8] and c[8] >= delivered):
            items.append((2, f"T{pid}", c))
        local = datetime.fromisoformat(delivered).astimezone(zone)
        for label, start, end in open_windows(local.date()):  # open at the delivery's time
            at = local.time()
            if (start == today and at > now.time()) or (end == today and at <= now.time()):
                continue
            if not (c[7] and c[7] >= db(datetime.combine(start, at, zone))):
                items.append((4, f"C{pid}.{label}", c))
    for kid, cid, at, _note in complaints:
        c = customers.get(cid)
        if c is None or local_day(at) + timedelta(days=COMPLAINT_WAIT_D) > today:
            continue
        if not (c[7] and c[7] > at):
            items.append((3, f"X{kid}", c))
    for rid, _name, referrer, created in referrals:
        c = customers.get(referrer)
        if c is not None and not (c[8] and c[8] >= created):
            items.append((5, f"R{rid}", c))
    busy = {item[2][0] for item in items}
    marks = [
        (6, "A", day_start(add_months(today, -AT_RISK_M) + timedelta(days=1)), False),
        (8, "W", day_start(add_months(today, -COOLING_M) + timedelta(days=1)), False),
        (7, "K", day_start(today - timedelta(days=KEEP_IN_TOUCH_D - 1)), True),
    ]
    for cid, c in customers.items():
        if cid in busy:
            continue
        base = max(c[5], c[10] or "", c[6] or "")
        for order, prefix, cut, tier_a_only in marks:
            if base < cut and (c[3] == "A" or not tier_a_only):
                items.append((order, f"{prefix}{cid}", c))
                break
    items = [item for item in items if item[1] not in snoozed]
    items.sort(key=lambda item: (item[0], item[2][3], item[1]))
    out = [f"{key}\t{c[1]}\t{c[2] or ''}" for _order, key, c in items]
    sys.stdout.write(f"{len(out)} due\n" + "\n".join(out) + "\n")


if __name__ == "__main__":
    main()
