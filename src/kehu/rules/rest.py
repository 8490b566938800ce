"""Not too often: a customer reached in the last `rest_days` days gets no item that is only
care or routine (at-risk, cooling and keep-in-touch marks, suggestions). Promises, thank-yous,
call-backs, planned calls and personal dates are listed whatever the last contact was."""

from __future__ import annotations

from datetime import datetime, timedelta

from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import CustomerState

NOT_URGENT = frozenset({"at-risk", "cooling", "keep-in-touch", "suggestion"})


def rest_cut(clock: LocalClock, rest_days: int) -> datetime | None:
    """The instant (UTC) from which a reached contact rests the customer; None when off."""
    if rest_days <= 0:
        return None
    return utc(clock.start(clock.today - timedelta(days=rest_days - 1)))


def resting(customer: CustomerState, cut: datetime | None) -> bool:
    reached = customer.last_reached_at
    return cut is not None and reached is not None and utc(reached) >= cut
