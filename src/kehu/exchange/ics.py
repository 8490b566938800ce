"""A calendar file (RFC 5545) through `icalendar`: one VEVENT per CalendarEvent, with the UID the
caller gives (the same item keeps its UID from export to export, so a calendar that subscribes
updates its events instead of duplicating them), whole-day or timed starts (a timed start with
its TZID and a VTIMEZONE for it), a relative VALARM, summary and description."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import IO

from kehu.exchange.records import CalendarEvent

PRODID = "-//kehu//kehu//EN"


def write(
    events: Iterable[CalendarEvent], out: IO[bytes], *, now: datetime, name: str = "kehu"
) -> int:
    """Write the calendar to a binary stream; returns the number of events. `now` stamps each
    event (DTSTAMP) and must be aware. Timed events must be aware: ZoneInfo zones get a
    VTIMEZONE; other tzinfos are written in UTC."""
    import icalendar

    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    count = 0
    for event in events:
        calendar.add_component(_event(icalendar, event, stamp))
        count += 1
    calendar.add_missing_timezones()
    out.write(calendar.to_ical())
    return count


def _event(icalendar, event: CalendarEvent, stamp: datetime):  # type: ignore[no-untyped-def]
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    start = event.start
    if isinstance(start, datetime):
        if start.tzinfo is None:
            raise ValueError("a timed event must be timezone-aware")
        if getattr(start.tzinfo, "key", None) is None or _in_repeated_hour(start):
            # A fixed offset has no TZID to name; and a local time the clocks show twice as
            # they go back names no one instant: RFC 5545 (3.3.5) means the first, and some
            # programs (khal) read the second. Either is written in UTC.
            start = start.astimezone(UTC)
        vevent.add("dtstart", start)
    else:
        vevent.add("dtstart", start)
        vevent.add("dtend", start + timedelta(days=1))  # a whole day; DTEND is exclusive
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.alarm_before is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", -event.alarm_before)  # relative to the start
        vevent.add_component(alarm)
    return vevent


def _in_repeated_hour(moment: datetime) -> bool:
    """Whether a local time is one the clocks show twice as they go back."""
    return moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset()
