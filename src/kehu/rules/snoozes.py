"""Which running snoozes still put something off. A snooze puts its item off and leaves its
customer alone until it ends; once the item is closed (a promise kept or cancelled, `kehu done`,
the contact its kind asks for), it puts nothing off. The commands that close an item end its
snooze with it; a snooze that outlived its item all the same (a try corrected into a reached
call by an older kehu, a book written before snoozes ended with their items) counts for nothing
here, so its customer is not left alone for an item that no longer is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kehu.rules.kinds import BY_LETTER
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import SnoozeState

_THANKS = ("thank-you-since-delivery", "thank-you-to-referrer")


def in_force(
    snoozes: Iterable[SnoozeState], clock: LocalClock, rest_days: int
) -> tuple[dict[str, datetime], dict[int, datetime]]:
    """(item key -> until, customer id -> the end of their latest snooze) of the running
    snoozes whose items are still open."""
    by_key: dict[str, datetime] = {}
    by_customer: dict[int, datetime] = {}
    now = utc(clock.now)
    for snooze in snoozes:
        if utc(snooze.until) <= now or item_closed(snooze, clock, rest_days):
            continue
        by_key[snooze.key] = snooze.until
        if snooze.customer_id is not None:
            latest = by_customer.get(snooze.customer_id)
            if latest is None or utc(snooze.until) > utc(latest):
                by_customer[snooze.customer_id] = snooze.until
    return by_key, by_customer


def item_closed(snooze: SnoozeState, clock: LocalClock, rest_days: int) -> bool:
    """Whether the item the snooze puts off has been closed since it was put off: by a row
    that says so, or by a contact its kind asks for (made, or corrected into one reached,
    since). The item was open when it was snoozed (`kehu snooze` puts off nothing closed), so
    such a contact from when it was open on (as `kehu done` reads it: its day, else the rest
    days before the snooze) is what closed it."""
    made = utc(snooze.made_at)
    if snooze.gone or (snooze.closed_at is not None and utc(snooze.closed_at) >= made):
        return True
    kind = BY_LETTER.get(snooze.key[:1])
    if kind is None or snooze.customer_id is None:
        return False
    closed_by = kind.closed_by
    if closed_by in ("reached-on-the-day", "thank-you-since-delivery"):
        if snooze.opens is None:
            return False
        since = utc(clock.start(clock.day_of(snooze.opens)))
    else:
        since = utc(clock.start(clock.day_of(made) - timedelta(days=max(rest_days - 1, 0))))
    if closed_by in _THANKS:
        contact = snooze.last_thanks_at
    elif closed_by == "other-reached-contact-in-window":
        contact = snooze.last_other_at
    elif closed_by in ("reached-on-the-day", "any-reached-contact", "reached-from-due-day-or-done"):
        contact = snooze.last_reached_at
    else:  # a promise is kept or cancelled; a greeting closes its item through `kehu done`
        return False
    return contact is not None and since <= utc(contact) <= utc(clock.now)
