"""Complaints (call to check it is resolved) and referrals (thank the referrer)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import BookState, Draft, Rules

COMPLAINT = BY_NAME["complaint-follow-up"]
REFERRAL = BY_NAME["referral-thanks"]


def complaints(clock: LocalClock, state: BookState, rules: Rules) -> Iterator[Draft]:
    """Due `complaint_followup_days` after the complaint, late a day later, dropped after
    `complaint_expire_days`; a reached contact on or after the day it is due closes it (one
    sooner, such as the call that books the repair, does not: it checks the problem is solved)."""
    wait = rules.complaint_followup_days
    for complaint in state.complaints:
        customer = state.customers.get(complaint.customer_id)
        if customer is None:
            continue
        at = complaint.at
        due_day = clock.day_of(at) + timedelta(days=wait)
        if due_day > clock.today:
            continue
        if clock.is_past(clock.add_days(at, rules.complaint_expire_days)):
            continue
        reached = customer.last_reached_at
        if reached is not None and clock.day_of(reached) >= due_day:
            continue
        params = {"complained": utc(at), "note": complaint.note}
        due = utc(clock.add_days(at, wait))
        late = utc(clock.add_days(at, wait + 1))
        key = f"{COMPLAINT.letter}{complaint.contact_id}"
        yield Draft(key, COMPLAINT.name, customer, due, late, "complaint", params)


def referrals(clock: LocalClock, state: BookState, rules: Rules) -> Iterator[Draft]:
    """Due when the referred customer is added (to the referrer), late `referral_late_days`
    later, dropped after `referral_expire_days`; a thank-you to the referrer closes it."""
    for referral in state.referrals:
        referrer = state.customers.get(referral.referrer_id)
        created = referral.created_at
        # A referral recorded after `now` has not happened yet as far as `now` knows.
        if referrer is None or not clock.is_past(created):
            continue
        if clock.is_past(clock.add_days(created, rules.referral_expire_days)):
            continue
        if clock.reached(referrer.last_thanks_at, created):
            continue
        late = utc(clock.add_days(created, rules.referral_late_days))
        params = {"referred_name": referral.referred_name, "referred": utc(created)}
        key = f"{REFERRAL.letter}{referral.referred_id}"
        yield Draft(key, REFERRAL.name, referrer, utc(created), late, "referral", params)
