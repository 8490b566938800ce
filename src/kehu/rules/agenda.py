"""What is coming, by day, for `kehu calendar` (and the calendar file's holidays, thank-yous
and call-backs): holidays, a customer's dates (birthdays and the others, solar or lunar),
the thank-yous of deliveries from today on, call-back milestones, promises, planned calls and
the ends of snoozes. Pure: the book hands the rows over, as data.

The day a date is kept (lunar, leap month, 29 February by rules.feb29) is rules/occasions.py's.
Events are codes and parameters; ui/ words them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from kehu.rules import after_sale, greetings
from kehu.rules.occasions import Occasion, event_params, next_occurrence
from kehu.rules.records import Rules

# In the order a day lists them.
KINDS = (
    "holiday",
    "personal-date",
    "promise",
    "planned-call",
    "thank-you",
    "call-back",
    "snooze-end",
)


class Event(NamedTuple):
    day: date
    kind: str  # one of KINDS
    customer_id: int | None  # None for a holiday
    customer_name: str | None
    phone: str | None
    params: Mapping[str, Any]
    owner: str | None = None  # whose customer (None for a holiday)

    def order(self) -> tuple[date, int, str, int]:
        return (self.day, KINDS.index(self.kind), self.customer_name or "", self.customer_id or 0)


def events(
    today: date,
    days: int,
    rules: Rules,
    tz: tzinfo,
    *,
    dates: Iterable[Mapping[str, Any]],
    deliveries: Iterable[Mapping[str, Any]],
    promises: Iterable[Mapping[str, Any]],
    calls: Iterable[Mapping[str, Any]],
    snoozes: Iterable[Mapping[str, Any]],
) -> list[Event]:
    """Everything from today to today + days (both included), in date order. Rows carry
    customer_id, name, phone, owner (when known) and: id, occasion (a date); id, product,
    delivered_at; text, due; note, due; until, reason."""
    last = today + timedelta(days=days)
    found = [
        Event(day, "holiday", None, None, None, {"holiday": code})
        for day, code in greetings.upcoming(today, days, rules)
    ]
    for row in dates:
        occasion: Occasion = row["occasion"]
        for day in kept_days(occasion, today, last, rules):
            params = date_params(row["id"], occasion, day, rules, note=row.get("note"))
            found.append(Event(day, "personal-date", row["customer_id"], row["name"], row["phone"],
                               params, row.get("owner")))  # fmt: skip
    for row in deliveries:
        delivered = _local_day(row["delivered_at"], tz)
        if today <= delivered <= last and not _thanked(row, delivered, tz):
            found.append(_event(delivered, "thank-you", row, id=row["id"],
                                product=row["product"], delivered=row["delivered_at"]))  # fmt: skip
        for window in after_sale.call_back_windows(delivered, rules):
            if today <= window.milestone <= last and not _called_back(row, window.opens, tz):
                found.append(_event(window.milestone, "call-back", row, id=row["id"],
                                    product=row["product"], count=window.steps,
                                    unit=window.unit))  # fmt: skip
    for row in promises:
        found.append(_event(max(_local_day(row["due"], tz), today), "promise", row,
                            text=row["text"], due=row["due"]))  # fmt: skip
    for row in calls:
        found.append(_event(max(_local_day(row["due"], tz), today), "planned-call", row,
                            note=row["note"], due=row["due"]))  # fmt: skip
    for row in snoozes:
        day = _local_day(row["until"], tz)
        if today <= day <= last:
            found.append(_event(day, "snooze-end", row, reason=row["reason"]))
    return sorted(found, key=Event.order)


def kept_days(occasion: Occasion, first: date, last: date, rules: Rules) -> list[date]:
    """The days from `first` to `last` (both included) a date is kept on."""
    days = []
    day = next_occurrence(occasion, first, feb29=rules.feb29)
    while day <= last:
        days.append(day)
        day = next_occurrence(occasion, day + timedelta(days=1), feb29=rules.feb29)
    return days


def date_params(
    occasion_id: int, occasion: Occasion, day: date, rules: Rules, *, note: str | None = None
) -> dict[str, Any]:
    """A date's event parameters, as the daily list's B item has them (its note too)."""
    return {"id": occasion_id, **event_params(occasion, day, feb29=rules.feb29), "note": note}


def milestone(params: Mapping[str, Any]) -> str:
    """A call-back event's milestone as its item key has it: 7d, 1m."""
    return f"{params['count']}{'d' if params['unit'] == 'day' else 'm'}"


def oldest_delivery(today: date, rules: Rules) -> date:
    """No delivery before this day has a call-back milestone from today on."""
    longest = max([*rules.callback_days, *(31 * n for n in rules.callback_months), 0])
    return today - timedelta(days=longest + 1)


def _event(day: date, kind: str, row: Mapping[str, Any], **params: Any) -> Event:
    return Event(day, kind, row["customer_id"], row["name"], row["phone"], params, row.get("owner"))


def _thanked(row: Mapping[str, Any], delivered: date, tz: tzinfo) -> bool:
    """A reached thank-you since the start of the delivery's day, as the daily list closes it."""
    thanked = row.get("last_thanks_at")
    return thanked is not None and _local_day(thanked, tz) >= delivered


def _called_back(row: Mapping[str, Any], opens: date, tz: tzinfo) -> bool:
    """A reached contact other than a thank-you on or after the day the milestone's window
    opened, as the daily list closes the call-back."""
    other = row.get("last_other_at")
    return other is not None and _local_day(other, tz) >= opens


def _local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()
