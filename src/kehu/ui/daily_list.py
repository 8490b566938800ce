"""How the daily list and the cron report look to a person."""

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from kehu.ui import tables

SECTION = {"late": "LATE", "due": "DUE TODAY", "suggestion": "SUGGESTED"}


def _ordinal_try(attempts: int) -> str:
    if not attempts:
        return ""
    n = attempts + 1
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f" ({n}{suffix} try)"


def _section(item: Any, now: datetime) -> str:
    if item.kind == "suggestion":
        return "suggestion"
    return "late" if item.is_late(now) else "due"


def _by_owner(items: Sequence[Any], grouped: bool) -> list[tuple[str | None, list[Any]]]:
    if not grouped:
        return [(None, list(items))]
    ordered = sorted(items, key=lambda i: (i.owner, i.rank))
    return [(owner, list(group)) for owner, group in groupby(ordered, key=lambda i: i.owner)]


def print_today(
    items: Sequence[Any], now: datetime, points: dict[int, str], *, grouped: bool
) -> None:
    late = sum(1 for i in items if i.is_late(now))
    heading = f"Today, {now:%a %d %b %Y}: {len(items)} to contact"
    if not items:
        print(f"Today, {now:%a %d %b %Y}: nothing is due. Your book is empty or all caught up.")
        return
    print(heading + (f" ({late} late)" if late else ""))
    if not tables.plain():
        _rich_today(items, now, points, grouped)
        return
    out: list[str] = []
    for owner, group in _by_owner(items, grouped):
        if owner is not None:
            out += ["", f"== {owner} =="]
        for section, members in groupby(group, key=lambda i: _section(i, now)):
            out += ["", SECTION[section]]
            for item in members:
                out.append(
                    f"{item.rank:>3}. {item.key:<8} {tables.clean(item.customer_name)}  "
                    f"{item.phone or '(no phone)'}{_ordinal_try(item.attempts)}"
                )
                out.append(f"     {tables.clean(item.reason)}")
                if points.get(item.customer_id):
                    out.append(f"     talk: {tables.clean(points[item.customer_id])}")
    tables.lines(out)


def _rich_today(items: Sequence[Any], now: datetime, points: dict[int, str], grouped: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    for owner, group in _by_owner(items, grouped):
        table = Table(title=owner, title_justify="left", show_edge=False, header_style="bold")
        for column in ("#", "key", "customer", "phone", "why", "talk about"):
            table.add_column(column, overflow="fold")
        for item in group:
            section = _section(item, now)
            style = {"late": "red", "suggestion": "dim"}.get(section, "")
            table.add_row(
                str(item.rank),
                item.key,
                Text(tables.clean(item.customer_name) + _ordinal_try(item.attempts)),
                item.phone or "",
                Text(tables.clean(item.reason), style=style),
                Text(tables.clean(points.get(item.customer_id)), style="cyan"),
            )
        console.print(table)


def print_overdue(items: Sequence[Any], now: datetime, *, grouped: bool) -> None:
    """Plain text for mail: grouped by kind, one line per item, never cut."""
    out = [f"kehu: {len(items)} follow-ups are late on {now:%a %d %b %Y %H:%M}."]
    for owner, group in _by_owner(items, grouped):
        if owner is not None:
            out += ["", f"== {owner} =="]
        kinds: dict[str, list[Any]] = {}
        for item in group:
            kinds.setdefault(item.kind, []).append(item)
        for kind, members in kinds.items():
            out += ["", f"{kind} ({len(members)})"]
            for item in members:
                days = item.days_late(now)
                late = f"{days} day{'s' if days != 1 else ''} late" if days else "late today"
                out.append(
                    f"  {tables.clean(item.customer_name)}  {item.phone or '(no phone)'}  "
                    f"{tables.clean(item.reason)}  [{item.key}, {late}]"
                )
    tables.lines(out)
