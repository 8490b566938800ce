"""How the daily list and the cron report look to a person."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from kehu.base.i18n import _, ngettext, pgettext
from kehu.rules import kinds
from kehu.ui import dates, tables, words


def _overdue_heading(group: str) -> str:
    """The heading `kehu overdue` lists a kind of item under; also a kind's name in counts."""
    headings = {
        "promise": _("promise"), "follow-up": pgettext("item", "follow-up"),
        "thank-you": _("thank-you"),
        "personal-date": _("personal-date"), "holiday-group": _("holiday-group"),
        "complaint-follow-up": _("complaint-follow-up"), "call-back": _("call-back"),
        "prospect": _("prospect"), "referral-thanks": _("referral-thanks"),
        "at-risk": _("at-risk"),
        "keep-in-touch": _("keep-in-touch"), "cooling": _("cooling"), "suggestion": _("suggestion"),
        "holiday": _("holiday"),
    }  # fmt: skip
    return headings.get(group, group)


def _section_title(section: str) -> str:
    return {"late": _("LATE"), "due": _("DUE TODAY"), "suggestion": _("SUGGESTED")}[section]


def _ordinal_try(attempts: int) -> str:
    if not attempts:
        return ""
    n = attempts + 1
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return _(" ({nth} try)").format(nth=f"{n}{suffix}", n=n)


def _phone(item: Any) -> str:
    if item.kind == "holiday-group":
        return ""
    return str(item.phone or _("(no phone)"))


def _section(item: Any, now: datetime) -> str:
    if item.kind == "suggestion":
        return "suggestion"
    return "late" if item.is_late(now) else "due"


def _by_owner(items: Sequence[Any], grouped: bool) -> list[tuple[str | None, list[Any]]]:
    """The items by owner, each owner's numbered from 1 as their own list numbers them."""
    if not grouped:
        return [(None, list(items))]
    ordered = sorted(items, key=lambda i: (i.owner, i.rank))
    return [
        (owner, [item._replace(rank=n) for n, item in enumerate(group, start=1)])
        for owner, group in groupby(ordered, key=lambda i: i.owner)
    ]


def summary(counts: Mapping[tuple[str, str], tuple[int, int]]) -> list[dict[str, Any]]:
    """Counts of items per owner and kind, and how many of them are late (from
    schedule.tally): the manager's view of a whole team's day (`today --all --summary`)."""
    return [
        {"owner": owner, "kind": kind, "count": count, "late": late}
        for (owner, kind), (count, late) in sorted(counts.items())
    ]


def print_summary(rows: Sequence[dict[str, Any]], now: datetime) -> None:
    """One line per owner: their items, how many late, and the count of each kind."""
    day = dates.long_day(now.date())
    count, late = sum(r["count"] for r in rows), sum(r["late"] for r in rows)
    counted = ngettext(
        "{day}: {count} item, {late} late", "{day}: {count} items, {late} late", count
    )
    print(counted.format(day=day, count=count, late=late))
    for owner, group in groupby(rows, key=lambda r: r["owner"]):
        mine = list(group)
        kinds_counted = _(", ").join(f"{_overdue_heading(r['kind'])} {r['count']}" for r in mine)
        print(_("{owner}: {count} ({late} late) — {kinds}").format(
            owner=tables.clean(owner),
            count=sum(r["count"] for r in mine), late=sum(r["late"] for r in mine),
            kinds=kinds_counted))  # fmt: skip


def _items(n: int, total: int | None) -> str:
    """'5 items', or with a --limit that left some out, '3 of 9 items'."""
    if total is None or total == n:
        return ngettext("{n} item", "{n} items", n).format(n=n)
    return ngettext("{n} of {total} item", "{n} of {total} items", total).format(n=n, total=total)


def _customers(items: Sequence[Any]) -> str:
    """How many customers the items name, each once; and a grouped greeting's count apart (its
    customers may also have items of their own)."""
    named = len({i.customer_id for i in items if i.kind != "holiday-group"})
    customers = ngettext("{n} customer", "{n} customers", named).format(n=named)
    grouped = sum(i.reason_params["count"] for i in items if i.kind == "holiday-group")
    if not grouped:
        return customers
    for_grouped = ngettext("{n} customer", "{n} customers", grouped).format(n=grouped)
    if not named:
        return for_grouped
    return _("{customers} plus a grouped greeting for {grouped}").format(
        customers=customers, grouped=for_grouped
    )


def print_today(
    items: Sequence[Any],
    now: datetime,
    points: dict[str, str],
    *,
    grouped: bool,
    drafts: dict[str, str] | None = None,
    whole: Sequence[Any] | None = None,
    kind: str | None = None,
    other_kinds: int = 0,
    empty: str | None = None,
    name_owner: bool = False,
) -> None:
    """The daily list; with `drafts` (text by item key), each item's draft under it; `whole`,
    the items there were before a --limit; `kind`, the one kind asked for, and
    `other_kinds`, how many items of other kinds that left out; `empty`, "book" when the book
    has no customers, or the owner (quoted) who has none while colleagues have some;
    `name_owner`, the list is a colleague's or everyone's (words.reason)."""
    drafts = drafts or {}
    late = sum(1 for i in items if i.is_late(now))
    day = dates.long_day(now.date())
    if not items and kind is not None:
        print(
            ngettext(
                "Today, {day}: no {kind} item is due; {count} item of other kinds (`kehu today`).",
                "Today, {day}: no {kind} item is due; {count} items of other kinds (`kehu today`).",
                other_kinds,
            ).format(day=day, kind=_overdue_heading(kind), count=other_kinds)
        )
        return
    if not items:
        if empty == "book":
            nothing = _("Today, {day}: nothing is due; your book has no customers yet.")
        elif empty:  # whose the customers are, and what to do, is said once, on stderr
            nothing = _("Today, {day}: nothing is due.")
        else:
            nothing = _("Today, {day}: nothing is due; everyone is followed up.")
        print(nothing.format(day=day, owner=empty))
        return
    if whole is not None and len(whole) > len(items):
        # a --limit left some out: the counts are the whole list's, so that none late is hidden
        late = sum(1 for i in whole if i.is_late(now))
        heading = (
            _("Today, {day}: {items} shown, for {customers} ({late} late)")
            if late
            else _("Today, {day}: {items} shown, for {customers}")
        )
        items_said, customers_said = _items(len(items), len(whole)), _customers(whole)
    else:
        heading = (
            _("Today, {day}: {items} for {customers} ({late} late)")
            if late
            else _("Today, {day}: {items} for {customers}")
        )
        items_said, customers_said = _items(len(items), None), _customers(items)
    print(tables.fit(heading.format(day=day, items=items_said, customers=customers_said,
                                    late=late)))  # fmt: skip
    if not tables.plain():
        _rich_today(items, now, points, grouped, drafts, name_owner)
        return
    out: list[str] = []
    keys = _key_width(items)
    for owner, group in _by_owner(items, grouped):
        if owner is not None:
            out += ["", f"== {tables.clean(owner)} =="]
        for section, members in groupby(group, key=lambda i: _section(i, now)):
            out += ["", _section_title(section)]
            for item in members:
                named = (tables.clean(words.who(item)), _phone(item))
                who = "  ".join(part for part in named if part)
                out.append(f"{item.rank:>3}. {item.key:<{keys}} {who}{_ordinal_try(item.attempts)}")
                why = words.reason(item, now, name_owner=name_owner)
                out.append(f"     {tables.clean(why)}")
                if points.get(item.key):
                    talk = _("talk: {point}").format(point=tables.clean(points[item.key]))
                    out.append(f"     {talk}")
                if drafts.get(item.key):
                    out.append("     " + _("draft:"))
                    out += [
                        f"       {tables.clean(line)}" for line in drafts[item.key].splitlines()
                    ]
    tables.lines([line.rstrip() for line in out])


def _key_width(items: Sequence[Any]) -> int:
    """The key column: as wide as the widest key listed (`H2.20270915`), 8 at the least."""
    return max([8, *(len(item.key) for item in items)])


def _rich_today(
    items: Sequence[Any],
    now: datetime,
    points: dict[str, str],
    grouped: bool,
    drafts: dict[str, str],
    name_owner: bool,
) -> None:
    """A heading per section (LATE, DUE TODAY, SUGGESTED: not colour alone), then two lines an
    item, each cut to the terminal's width: who, then why and what to talk about."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    width = console.width
    styles = {"late": "bold red", "due": "bold", "suggestion": "bold dim"}
    keys = _key_width(items)
    for owner, group in _by_owner(items, grouped):
        if owner is not None:
            console.print()
            console.print(Text(f"== {tables.clean(owner)} ==", style="bold"))
        for section, members in groupby(group, key=lambda i: _section(i, now)):
            console.print()
            console.print(Text(_section_title(section), style=styles[section]))
            for item in members:
                who = Text(f"{item.rank:>3}. {item.key:<{keys}} ")
                phone = f"  {_phone(item)}" if _phone(item) else ""
                name = tables.clean(words.who(item)) + _ordinal_try(item.attempts)
                # the phone is what is dialled: whole, the name cut before it when need be
                room = width - tables.width(who.plain) - tables.width(phone)
                who.append(_cut(Text(name), room).plain if room >= 4 else name, "bold")
                who.append(phone)
                console.print(_cut(who, width), no_wrap=True)
                why = tables.clean(words.reason(item, now, name_owner=name_owner))
                talk = tables.clean(points.get(item.key))
                console.print(_cut(_why_and_talk(why, talk, width - 5), width), no_wrap=True)
                for line in (drafts.get(item.key) or "").splitlines():
                    console.print(Text("       " + tables.clean(line), style="green"))


def _why_and_talk(why: str, talk: str, room: int) -> Any:
    """The reason, then the talking point in what room is left (the reason gives up to a
    third of the line to a talking point that would not otherwise fit)."""
    from rich.text import Text

    line = Text("     ")
    if not talk:
        line.append(why)
        return line
    separator = " · "
    need = tables.width(why) + tables.width(separator) + tables.width(talk)
    if need > room:
        keep = max(room - min(tables.width(talk) + len(separator), room // 3), room // 2)
        why = _cut(Text(why), keep).plain
    line.append(why)
    line.append(separator)
    line.append(talk, style="cyan")
    return line


def _cut(line: Any, width: int) -> Any:
    """The line cut to WIDTH columns with an ellipsis, in the style of the text it ends (no
    space in place of a CJK character that would not fit, nor before the ellipsis)."""
    if tables.width(line.plain) <= width:
        return line
    n, used = 0, 0
    for ch in line.plain:
        used += tables.width(ch)
        if used > width - 1:
            break
        n += 1
    style = next((span.style for span in reversed(line.spans) if span.start < n <= span.end), "")
    cut = line[:n]
    cut.rstrip()
    cut.append("…", style)
    return cut


def print_overdue(items: Sequence[Any], now: datetime, *, grouped: bool) -> None:
    """Plain text for mail: grouped by kind, one line per item, never cut."""
    out = [
        ngettext(
            "kehu: {n} follow-up is late on {when}.",
            "kehu: {n} follow-ups are late on {when}.",
            len(items),
        ).format(n=len(items), when=dates.long_moment(now))
    ]
    for owner, group in _by_owner(items, grouped):
        if owner is not None:
            out += ["", f"== {tables.clean(owner)} =="]
        groups: dict[str, list[Any]] = {}
        for item in group:
            groups.setdefault(kinds.BY_NAME[item.kind].overdue_group, []).append(item)
        for heading, members in groups.items():
            kind = _overdue_heading(heading)
            out += ["", _("{kind} ({count})").format(kind=kind, count=len(members))]
            for item in members:
                days = item.days_late(now)
                late = (
                    ngettext("{n} day late", "{n} days late", days).format(n=days)
                    if days
                    else _("late today")
                )
                where = _("[{key}, {late}]").format(key=item.key, late=late)
                parts = (tables.clean(words.who(item)), _phone(item),
                         tables.clean(words.reason(item, now)), where)  # fmt: skip
                out.append("  " + "  ".join(part for part in parts if part))
    tables.lines(out)
