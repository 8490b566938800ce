"""A month of a salesperson's work over the example book, replayed day by day under KEHU_NOW."""

import shlex
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kehu.rules.jitter import jitter_days

SHANGHAI = ZoneInfo("Asia/Shanghai")

BOOK = Path(__file__).parents[1] / "examples" / "book.kehu"
FIRST_MORNING = date(2026, 11, 23)
FREQUENCY = ("A", "W", "K", "S")


def load_example_book(kehu) -> None:
    for line in BOOK.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        when, command = line.split("  ", 1)
        kehu.ok(*shlex.split(command), now=when)


@pytest.fixture
def book(kehu):
    load_example_book(kehu)
    return kehu


def purchase_of(kehu, product: str) -> int:
    return kehu.rows("SELECT id FROM purchase WHERE product = :p", p=product)[0]["id"]


def morning(day: date) -> str:
    return f"{day.isoformat()}T09:00"


def reached_lately(kehu, day: date) -> set[int]:
    """The customers reached on that day or the 6 before (rules.rest_days, 7)."""
    since = datetime.combine(day - timedelta(days=6), time(0, 0), SHANGHAI)
    return {
        c["id"]
        for c in kehu.json("list", now=morning(day))
        if c["last_reached_at"] and datetime.fromisoformat(c["last_reached_at"]) > since
    }


def test_the_first_morning_lists_what_a_person_would_expect(book):
    items = book.json("today", now=morning(FIRST_MORNING))["items"]
    late = [(i["customer_name"], i["kind"]) for i in items if i["late"]]
    due = [(i["customer_name"], i["kind"]) for i in items if not i["late"]]
    assert late == [
        ("赵磊", "promise"),  # the trade-in valuation was due on Friday
        ("刘洋", "thank-you"),  # delivered Saturday afternoon, no thank-you yet
        ("李强", "call-back"),  # 3-month call-back; two unanswered tries
        ("吴敏", "call-back"),
        ("周杰", "call-back"),
    ]
    assert due == [
        ("王芳", "promise"),  # the winter tyre quote, due today
        ("黄磊", "follow-up"),  # planned with `log --next`
        ("Emma Wilson", "thank-you"),  # delivered yesterday 17:30
        ("孙丽", "complaint-follow-up"),
        ("陈静", "call-back"),  # 7 days after delivery
        ("王芳", "call-back"),  # 1 month after delivery
        ("张伟", "referral-thanks"),  # he sent 刘洋
        ("Michael Chen", "keep-in-touch"),  # tier A, 18 days since the last call
    ]
    li = next(i for i in items if i["customer_name"] == "李强")
    assert li["attempts"] == 2 and "family: two daughters" in li["talking_point"]
    report = book.ok("overdue", now=morning(FIRST_MORNING))
    assert report.splitlines()[0] == "kehu: 5 follow-ups are late on Mon 23 Nov 2026 09:00."
    for name in ("赵磊", "刘洋", "李强", "吴敏", "周杰"):
        assert name in report


def test_a_month_of_working_the_list_every_morning(book):
    emma = purchase_of(book, "Tiguan L 330TSI")
    liu = purchase_of(book, "Golf 1.4T")
    chen = purchase_of(book, "ID.4 CROZZ")
    sun = purchase_of(book, "Sagitar 300TSI")
    expected_on = {
        date(2026, 11, 28): f"C{liu}.7d",  # 刘洋's 7-day call-back
        date(2026, 11, 29): f"C{emma}.7d",  # Emma's 7-day call-back
        date(2026, 12, 8): f"C{sun}.1m",  # 孙丽, one month after delivery
        date(2026, 12, 16): f"C{chen}.1m",  # 陈静, one month after delivery
    }
    done_keys: set[str] = set()
    seen_on: dict[str, date] = {}
    listed: dict[date, list[str]] = {}
    everyone = {r["id"] for r in book.rows("SELECT id FROM customer WHERE archived_at IS NULL")}
    for offset in range(30):
        day = FIRST_MORNING + timedelta(days=offset)
        report = book("overdue", now=morning(day))
        if offset > 0:
            # Everything was done the day before, so the cron mail stays silent.
            assert (report.code, report.out, report.err) == (0, "", ""), day
        items = book.json("today", now=morning(day))["items"]
        keys = listed[day] = [i["key"] for i in items]
        # Topped up to the daily target with suggestions, but none reached in the last 7 days.
        lately = reached_lately(book, day)
        assert not {i["customer_id"] for i in items if i["suggestion"]} & lately, day
        listed_ids = {i["customer_id"] for i in items}
        assert len(keys) >= 10 or everyone - listed_ids <= lately, day
        for key in keys:
            seen_on.setdefault(key, day)
            if not key.startswith(FREQUENCY):
                assert key not in done_keys, f"{key} came back on {day} after it was done"
        for key in keys:
            if key.startswith("S"):
                continue  # suggestions are optional; this salesperson calls only what is due
            book.ok("done", key, "--note", f"done on {day}", now=f"{day.isoformat()}T10:00")
            done_keys.add(key)
        evening = book.json("today", now=f"{day.isoformat()}T18:00")["items"]
        assert [i["key"] for i in evening if not i["suggestion"]] == [], day
    for day, key in expected_on.items():
        assert seen_on.get(key) == day, (key, seen_on.get(key))
    # Michael Chen (tier A) comes back for keep-in-touch 15 ± 3 days after each call: the
    # shift is seeded by him and the day of the call.
    michael = book.rows("SELECT id FROM customer WHERE name = 'Michael Chen'")[0]["id"]
    shift = jitter_days(michael, FIRST_MORNING.toordinal())
    assert [d for d, keys in listed.items() if f"K{michael}" in keys] == [
        FIRST_MORNING,
        FIRST_MORNING + timedelta(days=15 + shift),
    ]


def test_a_week_away_makes_a_busy_report(book):
    book.ok("today", now=morning(FIRST_MORNING))
    later = FIRST_MORNING + timedelta(days=7)
    report = book.ok("overdue", now=morning(later))
    lines = report.splitlines()
    assert lines[0].startswith("kehu: ") and "follow-ups are late on Mon 30 Nov 2026" in lines[0]
    groups = [line for line in lines if line and not line.startswith(("  ", "kehu:"))]
    assert groups[:4] == [
        "promise (2)",
        "follow-up (1)",
        "thank-you (2)",
        "complaint-follow-up (1)",
    ]
    assert "王芳" in report and "Send the winter tyre quote" in report
