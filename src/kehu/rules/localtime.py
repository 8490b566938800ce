"""Moments on the local calendar of `now`'s time zone, and calendar steps.

- "N hours" is elapsed time; "N days" and "N months" are calendar steps on the local wall
  clock (a 7-day call-back after a 15:30 delivery is at 15:30 local time, even across a
  daylight-saving change).
- Aware datetimes that share a tzinfo object compare by wall clock, ignoring `fold`, which
  is wrong in the repeated hour when daylight saving ends. So moments are compared by
  their local dates when those differ (cheap, and the common case when looping over a
  whole book) and as UTC instants only when they fall on the same local day.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:  # stored instants arrive in UTC: no conversion, no new object
        return moment
    return moment.astimezone(UTC)


class LocalClock:
    """`now`, and moments on the local calendar of its time zone."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        self.tz: tzinfo = now.tzinfo
        self.local_now = now
        self.now = utc(now)
        # "Due by the end of today" is tested as "due on a local date <= today".
        self.today = now.date()

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is self.tz:  # the common case, and much cheaper than astimezone
            return moment
        return moment.astimezone(self.tz)

    def day_of(self, moment: datetime) -> date:
        return self.local(moment).date()

    def before(self, first: datetime, second: datetime) -> bool:
        """first < second, as instants."""
        first_day, second_day = self.day_of(first), self.day_of(second)
        if first_day != second_day:
            return first_day < second_day
        return utc(first) < utc(second)

    def reached(self, moment: datetime | None, since: datetime) -> bool:
        """moment is set and at or after since."""
        return moment is not None and not self.before(moment, since)

    def is_past(self, moment: datetime) -> bool:
        """moment <= now."""
        return not self.before(self.local_now, moment)

    def at(self, day: date, clock_time: time) -> datetime:
        """A local wall-clock moment (in a skipped hour it means the hour after)."""
        return datetime.combine(day, clock_time, tzinfo=self.tz)

    def start(self, day: date) -> datetime:
        return self.at(day, time())

    def add_days(self, moment: datetime, days: int) -> datetime:
        return self.local(moment) + timedelta(days=days)


class Step(NamedTuple):
    """A calendar step: whole months, then days. As dateutil's relativedelta counts them (a
    month's end clamps: 31 Jan + 1 month is 28 Feb), at a fraction of the cost per date."""

    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        if self.months:
            year, month = divmod(day.year * 12 + day.month - 1 + self.months, 12)
            month += 1
            day = date(year, month, min(day.day, monthrange(year, month)[1]))
        return day + timedelta(days=self.days)


def whole_months(start: date, end: date) -> int:
    """Calendar months from start to end, as relativedelta counts them (31 Dec -> 28 Feb: 2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    # start + months lands in end's month, on start's day or that month's last day.
    if min(start.day, monthrange(end.year, end.month)[1]) > end.day:
        months -= 1
    return months
