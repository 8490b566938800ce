"""Which draft (话术) each kind of item on the daily list gets: one row per item kind, so a new
kind of item adds its row here (tests/test_draft_wiring.py checks that every kind has one).
The draft kinds are those of ui/drafts.py; relationship items never get a business text."""

from collections.abc import Mapping

DRAFT_FOR_ITEM: Mapping[str, str] = {
    "promise": "promise-kept",
    "follow-up": "call-back",  # a planned call: the call script
    "thank-you": "thank-you",
    "complaint-follow-up": "complaint-follow-up",
    "call-back": "call-back",
    "referral-thanks": "referral-thanks",
    "at-risk": "keep-in-touch",
    "keep-in-touch": "keep-in-touch",
    "cooling": "keep-in-touch",
    "suggestion": "greeting",
    "personal-date": "birthday",  # a date that is not the customer's own birthday: a greeting
    "prospect": "prospect-follow-up",  # an ordered one's (level O): ORDER_FOLLOW_UP
    "birthday": "birthday",
    "holiday": "holiday",
    "holiday-group": "holiday",
}

# A prospect who has ordered (level O: sold to, the delivery still to come) needs no selling:
# a short message about the order and its delivery date.
ORDER_FOLLOW_UP = "order-follow-up"


def draft_for(item_kind: str, occasion_kind: str | None = None, *, ordered: bool = False) -> str:
    """The draft kind of an item; a personal date's depends on the date: only the customer's
    own birthday gets the birthday wishes (a wedding or a child's birthday gets a greeting);
    a prospect's on whether they have ordered."""
    if item_kind == "personal-date" and occasion_kind != "birthday":
        return "greeting"
    if item_kind == "prospect" and ordered:
        return ORDER_FOLLOW_UP
    return DRAFT_FOR_ITEM[item_kind]
