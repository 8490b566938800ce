"""Everyday use at a terminal: Tab completion of every choice in bash, zsh and fish (through the
environment variables the shells' scripts set, as Click's completion protocol reads them); a
KEHU_LANG kehu does not speak said once on stderr; the daily list's heading and the customer
card folded to a narrow terminal (a CJK character takes two columns); `today --limit`'s heading
counting the whole list; and a delivery given as a day alone, whose thank-you is late at the
end of the next day."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kehu.rules.after_sale import thank_you_late
from kehu.rules.records import Rules

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York"]


@given(st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2100, 1, 1).date()),
       st.integers(1, 96), st.sampled_from(ZONES))  # fmt: skip
def test_a_day_alone_is_late_hours_after_its_end_and_never_before_a_timed_delivery(
    day, hours, zone
):
    tz = ZoneInfo(zone)
    rules = Rules(thank_you_late_hours=hours)
    late = thank_you_late(datetime.combine(day, time(0), tz), rules)
    next_start = datetime.combine(day + timedelta(days=1), time(0), tz)
    assert late == next_start.astimezone(UTC) + timedelta(hours=hours)  # hours as they pass
    # whatever hour of the day the delivery was, its thank-you is not late earlier
    for hour in (1, 12, 23):
        timed = datetime.combine(day, time(hour, 59), tz)
        assert thank_you_late(timed, rules) == timed.astimezone(UTC) + timedelta(hours=hours)
        assert thank_you_late(timed, rules) <= late


def test_a_delivery_on_a_day_alone_has_its_thank_you_due_the_next_day(kehu):
    added = kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
                    "--delivered", "2026-11-21", now="2026-11-22T10:00")  # fmt: skip
    assert "Send a thank-you note by the end of today." in added
    [item] = [
        i for i in kehu.json("today", now="2026-11-22T10:00")["items"] if i["kind"] == "thank-you"
    ]
    assert not item["late"]
    assert item["reason_params"]["due_by"] == "2026-11-23T00:00:00+08:00"
    assert "the thank-you note is due by the end of today" in kehu.ok(
        "today", now="2026-11-22T23:59"
    )
    assert kehu.ok("overdue", now="2026-11-22T23:59") == ""
    late = kehu.ok("overdue", now="2026-11-23T00:00")
    assert "the thank-you note was due by the end of yesterday" in late
    # a thank-you on the day after is in time, as the week's report counts it
    kehu.ok(
        "log", "张伟", "--kind", "thank-you", "--at", "2026-11-22 18:00", now="2026-11-23T09:00"
    )
    week = kehu.json("report", "week", "--from", "2026-11-16", "--to", "2026-11-22",
                     now="2026-11-23T09:00")  # fmt: skip
    assert week["thank_you"] == {"deliveries": 1, "in_time": 1}
