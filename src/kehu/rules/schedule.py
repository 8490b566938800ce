"""Who to contact today, and why: the follow-up rules composed into one pure function.

`schedule(state, now, rules)` turns plain data about a customer book into the list of
follow-ups that are open and due by the end of today, ranked. Nothing here touches a
database, the clock or the console: `now` is a parameter and "today" is `now.date()` in
`now.tzinfo` (the user's configured time zone). Each family of items has its own module;
rules/localtime.py says how days, months and hours are counted.
"""

from __future__ import annotations

from datetime import datetime

from kehu.rules.after_sale import PurchaseFilter, after_sales, purchase_filter
from kehu.rules.complaints_referrals import complaints, referrals
from kehu.rules.frequency import customers_listed, frequency, frequency_cuts, top_up
from kehu.rules.greetings import holiday_greetings
from kehu.rules.localtime import LocalClock
from kehu.rules.personal_dates import personal_dates
from kehu.rules.promises import planned_calls, promises
from kehu.rules.prospects import prospect_follow_ups
from kehu.rules.records import BookState, Draft, Item, Rules, late_only
from kehu.rules.rest import rest_cut, resting

__all__ = [
    "PurchaseFilter",
    "customers_listed",
    "frequency_cuts",
    "late_only",
    "purchase_filter",
    "schedule",
    "tally",
    "top_up",
]


def schedule(state: BookState, now: datetime, rules: Rules | None = None) -> list[Item]:
    """The open follow-ups due by the end of today, ranked (1 = most urgent)."""
    clock = LocalClock(now)
    found = open_drafts(state, clock, rules or Rules())
    found.sort(key=lambda draft: draft.order(clock.now))
    return [draft.item(rank, clock.tz) for rank, draft in enumerate(found, start=1)]


def tally(
    state: BookState, now: datetime, rules: Rules | None = None
) -> dict[tuple[str, str], tuple[int, int]]:
    """How many of `schedule`'s items each (owner, kind) has, and how many of them are late:
    the same decisions, without ranking them or making items of them."""
    clock = LocalClock(now)
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for draft in open_drafts(state, clock, rules or Rules()):
        late = draft.late_since is not None and draft.late_since <= clock.now
        group = (draft.customer.owner, draft.kind)
        count, lates = counts.get(group, (0, 0))
        counts[group] = (count + 1, lates + late)
    return counts


def open_drafts(state: BookState, clock: LocalClock, rules: Rules) -> list[Draft]:
    """The open follow-ups due by the end of today, unranked."""
    found = [
        draft
        for source in (
            promises(clock, state),
            planned_calls(clock, state),
            after_sales(clock, state, rules),
            complaints(clock, state, rules),
            referrals(clock, state, rules),
            personal_dates(clock, state, rules),
            prospect_follow_ups(clock, state, rules),
            holiday_greetings(clock, state, rules),
        )
        for draft in source
        if not state.is_snoozed(draft.key, clock.now)
    ]
    busy = {draft.customer.id for draft in found} | set(state.prospects) | state.lost_prospects
    # A snooze of any of the customer's items leaves them alone until it ends.
    busy |= {cid for cid in state.snoozed_customers if state.leaves_alone(cid, clock.now)}
    rested = rest_cut(clock, rules.rest_days)
    found.extend(
        draft
        for draft in frequency(clock, state, rules, busy)
        if not state.is_snoozed(draft.key, clock.now) and not resting(draft.customer, rested)
    )
    return found
