"""Promises and planned calls: items the salesperson set a date for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import BookState, Draft

PROMISE = BY_NAME["promise"]
PLANNED_CALL = BY_NAME["follow-up"]


def promises(clock: LocalClock, state: BookState) -> Iterator[Draft]:
    """A promise is due at its due time and late from then on."""
    for promise in state.promises:
        customer = state.customers.get(promise.customer_id)
        if customer is None or clock.day_of(promise.due) > clock.today:
            continue
        due = utc(promise.due)
        params = {"text": promise.text, "due": due}
        yield Draft(f"{PROMISE.letter}{promise.id}", PROMISE.name, customer, due, due, "promise",
                    params)  # fmt: skip


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
