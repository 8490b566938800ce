"""Prospects before the sale: each intent level has its follow-up interval, counted in days
from the last reached contact (or from when the prospect was registered); the item is late a
day after. A prospect sold to with the delivery still to come is ordered: level O, until the
delivery's day. A prospect whose expected purchase time has passed asks to be re-graded. Also the
level table's planned contact days and the conversion figures, as plain data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from kehu.rules.kinds import BY_NAME
from kehu.rules.localtime import LocalClock, utc
from kehu.rules.records import BookState, Draft, Rules
from kehu.rules.vocab import LEVELS

PROSPECT = BY_NAME["prospect"]
LEVEL_RANK: Mapping[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def ordered(sold: datetime | None, delivered: datetime | None, moment: datetime) -> bool:
    """Whether a prospect is ordered (level O) at `moment`: sold to by then (`sold`, when they
    were) and their first delivery (`delivered`; None when a purchase has no delivery, or
    there is none) still to come. At the delivery they become a customer (保有客户)."""
    return sold is not None and delivered is not None and utc(sold) <= utc(moment) < utc(delivered)


def interval(level: str, rules: Rules) -> int:
    """Days between contacts at `level`."""
    return int(getattr(rules, f"prospect_{level.lower()}_days"))


def prospect_follow_ups(clock: LocalClock, state: BookState, rules: Rules) -> Iterator[Draft]:
    for prospect in state.prospects.values():
        customer = state.customers.get(prospect.customer_id)
        if customer is None:
            continue
        since = prospect.since
        base_day = clock.day_of(since)
        days = interval(prospect.level, rules)
        due_day = base_day + timedelta(days=days)
        params = {"level": prospect.level, "since": base_day, "days": days}
        code = "prospect"
        if prospect.delivery is not None and clock.today >= clock.day_of(prospect.delivery):
            continue  # ordered: from the delivery's day, the thank-you and call-backs
        expected = None if prospect.delivery is not None else prospect.expected_on
        # Past the expected purchase time, a contact is due to re-grade them, unless they
        # have been reached since that day passed (the cadence counts from that contact).
        if expected is not None and base_day <= expected < clock.today:
            code = "prospect-regrade"
            due_day = min(due_day, expected + timedelta(days=1))
            params = {**params, "expected": expected}
        if due_day > clock.today:
            continue
        due = utc(clock.start(due_day))
        late = utc(clock.start(due_day + timedelta(days=1)))
        yield Draft(
            f"{PROSPECT.letter}{customer.id}", PROSPECT.name, customer, due, late, code, params,
            LEVEL_RANK.get(prospect.level, len(LEVELS)),
        )  # fmt: skip


# ------------------------------------------------------------------------ the level table


class Grade(NamedTuple):
    """A level given at a moment (when registered, or with a contact)."""

    at: datetime
    level: str


def level_at(grades: Sequence[Grade], moment: datetime) -> str | None:
    """The level in force at `moment`: the latest grade at or before it."""
    found = None
    for grade in sorted(grades, key=lambda g: utc(g.at)):
        if utc(grade.at) <= utc(moment):
            found = grade.level
    return found


def planned_days(
    *,
    first: date,
    last: date,
    base: date,
    level: str,
    contacts: Sequence[tuple[date, str]],
    rules: Rules,
) -> list[date]:
    """The days from `first` to `last` on which the cadence asks for a contact: `interval`
    days after the last reached contact (`base`, at `level`), again each interval while no
    one calls, and counted afresh from each of `contacts` (day, level after it)."""
    by_day = dict(contacts)
    planned = []
    day = first
    while day <= last:
        if day in by_day:
            base, level = day, by_day[day]
        elif (day - base).days > 0 and (day - base).days % interval(level, rules) == 0:
            planned.append(day)
        day += timedelta(days=1)
    return planned


# ----------------------------------------------------------------------- conversion figures


class Outcome(NamedTuple):
    """One prospect for the figures."""

    source: str | None
    level: str  # the level when it was registered
    first_contact: datetime
    sold_at: datetime | None
    lost_reason: str | None


def conversion(outcomes: Iterable[Outcome]) -> dict[str, object]:
    """Prospects by source and by first level → sales; losses by reason; days from the first
    contact to the sale (median and mean of the sales)."""
    by_source: dict[str, dict[str, int]] = {}
    by_level: dict[str, dict[str, int]] = {}
    lost: dict[str, int] = {}
    days: list[int] = []
    for one in outcomes:
        for table, name in ((by_source, one.source or "unknown"), (by_level, one.level)):
            row = table.setdefault(name, {"prospects": 0, "sales": 0, "lost": 0})
            row["prospects"] += 1
            row["sales"] += one.sold_at is not None
            row["lost"] += one.sold_at is None and one.lost_reason is not None
        if one.sold_at is not None:
            days.append(max(0, (utc(one.sold_at) - utc(one.first_contact)).days))
        elif one.lost_reason is not None:
            lost[one.lost_reason] = lost.get(one.lost_reason, 0) + 1
    days.sort()
    median = None
    if days:
        middle = len(days) // 2
        median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    return {
        "by_source": dict(sorted(by_source.items())),
        "by_level": {k: by_level[k] for k in LEVELS if k in by_level},
        "lost_by_reason": dict(sorted(lost.items())),
        "days_to_sale": {"sales": len(days), "median": median,
                         "mean": round(sum(days) / len(days), 1) if days else None},
    }  # fmt: skip
