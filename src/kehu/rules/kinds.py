"""Every kind of item on the daily list, in one place: its key, its rank, what closes it and
how `kehu done` closes it, how `kehu overdue` groups it. Keys, `done`, `snooze`, ranking and
README's item-key table follow from this table (tests/test_kinds.py compares them).

Adding a kind: a row here, its rules module, its wording in ui/words.py, its tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

# What the number in a key names (book/items.py looks it up).
PROMISE, PLANNED_CALL, PURCHASE, COMPLAINT, REFERRED, CUSTOMER, OCCASION = (
    "promise", "planned-call", "purchase", "complaint", "referred", "customer", "occasion",
)  # fmt: skip
HOLIDAY_DAY = "holiday-day"  # a greeting day, as yyyymmdd: names no row

# How `kehu done` closes an item.
KEEP_PROMISE = "keep-promise"  # mark the promise kept (and log the note, if any)
LOG_THANK_YOU = "log-thank-you"  # log a reached thank-you contact
LOG_FOLLOW_UP = "log-follow-up"  # log a reached follow-up contact
CLOSE_PLANNED_CALL = "close-planned-call"  # log a reached follow-up and mark the call done
LOG_GREETING = "log-greeting"  # log a reached greeting contact
GREET_GROUP = "greet-group"  # log a reached greeting with each customer of a grouped greeting


class Kind(NamedTuple):
    name: str  # the kind, as in `today --kind` and the JSON `kind`
    letter: str  # the key's first letter
    milestone: bool  # the key ends in a call-back milestone: C5.1m
    names: str  # what the key's number names
    closed_by: str  # what closes it (a code; README's "closed by" column words it)
    done: str  # how `kehu done` closes it
    overdue_group: str  # the heading `kehu overdue` lists it under
    dated: bool = False  # the key ends in the day it is about: H5.20261001


KINDS: tuple[Kind, ...] = (  # in rank order: the first is the most urgent
    Kind("promise", "P", False, PROMISE, "kept-or-cancelled", KEEP_PROMISE, "promise"),
    Kind("follow-up", "F", False, PLANNED_CALL, "reached-on-the-day", CLOSE_PLANNED_CALL,
         "follow-up"),
    Kind("thank-you", "T", False, PURCHASE, "thank-you-since-delivery", LOG_THANK_YOU,
         "thank-you"),
    Kind("personal-date", "B", False, OCCASION, "greeting-since-lead-day", LOG_GREETING,
         "personal-date"),
    Kind("complaint-follow-up", "X", False, COMPLAINT, "reached-from-due-day-or-done",
         LOG_FOLLOW_UP, "complaint-follow-up"),
    Kind("call-back", "C", True, PURCHASE, "other-reached-contact-in-window", LOG_FOLLOW_UP,
         "call-back"),
    Kind("prospect", "L", False, CUSTOMER, "any-reached-contact", LOG_FOLLOW_UP, "prospect"),
    Kind("referral-thanks", "R", False, REFERRED, "thank-you-to-referrer", LOG_THANK_YOU,
         "referral-thanks"),
    Kind("holiday", "H", False, CUSTOMER, "greeting-from-lead-day", LOG_GREETING, "holiday",
         dated=True),
    Kind("at-risk", "A", False, CUSTOMER, "any-reached-contact", LOG_FOLLOW_UP, "at-risk"),
    Kind("keep-in-touch", "K", False, CUSTOMER, "any-reached-contact", LOG_FOLLOW_UP,
         "keep-in-touch"),
    Kind("cooling", "W", False, CUSTOMER, "any-reached-contact", LOG_FOLLOW_UP, "cooling"),
    Kind("holiday-group", "G", False, HOLIDAY_DAY, "greeting-from-lead-day", GREET_GROUP,
         "holiday"),
    Kind("suggestion", "S", False, CUSTOMER, "any-reached-contact", LOG_FOLLOW_UP, "suggestion"),
)  # fmt: skip

NAMES: tuple[str, ...] = tuple(kind.name for kind in KINDS)
RANK: Mapping[str, int] = {kind.name: index for index, kind in enumerate(KINDS)}
BY_NAME: Mapping[str, Kind] = {kind.name: kind for kind in KINDS}
BY_LETTER: Mapping[str, Kind] = {kind.letter: kind for kind in KINDS}
# A key: a kind's letter, a row id, and for call-backs a milestone (7d, 1m…), for dated kinds
# a day (20261001).
KEY_PATTERN = r"^([{letters}])(\d{{1,12}})(?:\.(\d{{1,3}}[dm]|\d{{8}}))?$".format(
    letters="".join(BY_LETTER)
)


def key(name: str, number: int, milestone: str | None = None) -> str:
    """The key of an item of kind `name`: key("call-back", 5, "1m") is "C5.1m"; the milestone
    of a dated kind is its day: key("holiday", 5, "20261001") is "H5.20261001"."""
    letter = BY_NAME[name].letter
    return f"{letter}{number}.{milestone}" if milestone else f"{letter}{number}"
