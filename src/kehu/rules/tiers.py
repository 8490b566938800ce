"""The 80/20 rule: a tier suggested from a customer's share of the purchase value and from the
referrals they made. The cut-offs are settings (reports.*); these are their defaults."""

from typing import NamedTuple

TIER_A_CUT = 80  # percent: the customers who together bring the first 80% of value are A
TIER_B_CUT = 95  # … the next ones up to 95% are B; the rest, and those who bought nothing, C
INFLUENCE_REFERRALS = 3  # referrals made that make a customer key (A) whatever they bought
LOST_MONTHS = 12  # no contact, purchase or creation for this long: the customer counts as lost


class Suggestion(NamedTuple):
    tier: str
    reason: str  # a code: "value" (share of purchase value) or "influence" (referrals made)


def suggest(
    share_before: float,
    value: float,
    referrals: int,
    cuts: tuple[float, float] = (TIER_A_CUT, TIER_B_CUT),
    influence: int = INFLUENCE_REFERRALS,
) -> Suggestion:
    """`share_before`: percent of the total value brought by the customers ranked above this
    one. A customer starting below the A cut-off is A: together they cover the first 80%."""
    a_cut, b_cut = cuts
    if value > 0 and share_before < a_cut:
        tier = "A"
    elif value > 0 and share_before < b_cut:
        tier = "B"
    else:
        tier = "C"
    if tier != "A" and referrals >= influence > 0:
        return Suggestion("A", "influence")
    return Suggestion(tier, "value")
