"""Promises and planned calls: items the salesperson set a date for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import BookState, Draft

PROMISE = BY_NAME["promise"]
PLANNED_CALL = BY_NAME["follow-up"]
# A promise due on a day alone ("by Friday") is kept due at that day's last second.
DAY_ALONE = time(23, 59, 59)


def late_from(due: datetime, clock: LocalClock) -> datetime:
    """When a promise goes late (UTC): at its due time; one due on a day alone at the end of
    that day, midnight, not at its last second."""
    local = clock.local(due)
    if local.time() == DAY_ALONE:
        return utc(clock.start(local.date() + timedelta(days=1)))
    return utc(due)


def is_late(due: datetime, clock: LocalClock) -> bool:
    """Whether a promise still open is late now."""
    return late_from(due, clock) <= clock.now


def kept_late(due: datetime, kept: datetime, clock: LocalClock) -> bool:
    """Whether a promise was kept after it was due: after its time, or, due on a day alone,
    after that day."""
    late = late_from(due, clock)
    return utc(kept) > late if late == utc(due) else utc(kept) >= late


def promises(clock: LocalClock, state: BookState) -> Iterator[Draft]:
    """A promise is due at its due time and late from then on (one due on a day alone, from
    the end of that day)."""
    for promise in state.promises:
        customer = state.customers.get(promise.customer_id)
        if customer is None or clock.day_of(promise.due) > clock.today:
            continue
        due = utc(promise.due)
        params = {"text": promise.text, "due": due}
        yield Draft(f"{PROMISE.letter}{promise.id}", PROMISE.name, customer, due,
                    late_from(promise.due, clock), "promise", params)  # fmt: skip


def planned_calls(clock: LocalClock, state: BookState) -> Iterator[Draft]:
    """A call planned with `log --next` is due that day and late after it."""
    for followup in state.followups:
        customer = state.customers.get(followup.customer_id)
        if customer is None:
            continue
        due_day = clock.day_of(followup.due)
        if due_day > clock.today:
            continue
        if planned_call_done(clock, followup.due, followup.planned_at, customer.last_reached_at):
            continue
        late = utc(clock.start(due_day + timedelta(days=1)))
        key = f"{PLANNED_CALL.letter}{followup.id}"
        params = {"note": followup.note}
        yield Draft(key, PLANNED_CALL.name, customer, utc(followup.due), late, "planned-call",
                    params)  # fmt: skip


def planned_call_done(
    clock: LocalClock, due: datetime, planned_at: datetime | None, last_reached: datetime | None
) -> bool:
    """A reached contact on or after the planned day does what was planned, unless it was
    made before the call was planned (the contact `log --next` plans the next call with)."""
    if last_reached is None or clock.day_of(last_reached) < clock.day_of(due):
        return False
    return planned_at is None or utc(last_reached) > utc(planned_at)
