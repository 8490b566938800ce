"""`kehu calendar` in words: a heading per day, a line per event."""

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from kehu.base.i18n import _, ngettext
from kehu.ui import dates, greetings, tables, words


def what(event: Any, now: datetime) -> str:
    """One event in words, without its day."""
    p = event.params
    if event.kind == "holiday":
        return greetings.holiday_name(p["holiday"])
    if event.kind == "personal-date":
        return date_line(p)
    if event.kind == "thank-you":
        return _("Thank-you: {product}, delivered {when}").format(
            product=p["product"], when=dates.moment(p["delivered"], now)
        )
    if event.kind == "call-back":
        step = words.call_back_step(p["count"], p["unit"])
        return _("{call_back}: {product}").format(call_back=step, product=p["product"])
    if event.kind == "promise":
        from kehu.rules.localtime import LocalClock
        from kehu.rules.promises import is_late

        if is_late(p["due"], LocalClock(now)):  # one due on a day alone: from its end
            return _("Promised (due since {when}): {text}").format(
                when=dates.moment(p["due"], now), text=p["text"]
            )
        return _("Promised: {text}").format(text=p["text"])
    if event.kind == "planned-call":
        if p["due"].astimezone(now.tzinfo).date() < now.date():  # late after its day
            when = dates.moment(p["due"], now)
            if p["note"]:
                return _("Planned call (due since {when}): {note}").format(
                    when=when, note=p["note"]
                )
            return _("Planned call (due since {when})").format(when=when)
        if p["note"]:
            return _("Planned call: {note}").format(note=p["note"])
        return _("Planned call")
    if p["reason"]:
        return _("Snooze ends: {reason}").format(reason=p["reason"])
    return _("Snooze ends")


def date_line(p: Any) -> str:
    """'Birthday, turns 46', 'Wedding anniversary (lunar 8/15), 10 years', 'Child's birthday,
    son 小明, turns 16': a date's line in the calendar and the calendar file; a lunar date its
    year lacks with the day it is kept on, 'Birthday (lunar 12/30; 12/29 this year, a 29-day
    month)', as is 29 February in a year without it, 'Birthday (29 Feb; kept on 28 Feb this
    year, not a leap year)' ("this year": the event's own, under its day's heading and in a file
    that outlives today)."""
    from kehu.ui import occasions

    what = occasions.kind_word(p["occasion"], p["label"], capital=True)
    if p["calendar"] == "lunar":
        lunar = dates.lunar_day(p["month"], p["day"], leap=p["leap"])
        kept = dates.lunar_kept_on(p["month"], p["day"], leap=p["leap"], kept_day=p["date"],
                                   today=p["date"])  # fmt: skip
        if kept:
            lunar = _("{lunar}; {kept}").format(lunar=lunar, kept=kept)
        what = _("{what} ({lunar})").format(what=what, lunar=lunar)
    elif (p["month"], p["day"]) == (2, 29) and (kept := dates.feb29_kept_on(p["date"], p["date"])):
        what = _("{what} ({feb29}; {kept})").format(what=what, feb29=dates.feb29(), kept=kept)
    if p.get("note"):
        what = _("{what}, {note}").format(what=what, note=p["note"])
    if not p["age"]:
        return what
    if p["occasion"] in ("birthday", "child-birthday"):
        return _("{what}, turns {age}").format(what=what, age=p["age"])
    return ngettext("{what}, {years} year", "{what}, {years} years", p["age"]).format(
        what=what, years=p["age"]
    )


def print_agenda(events: Sequence[Any], now: datetime, days: int, *, owners: bool = False) -> None:
    """The events by day; `owners` (everyone's customers, `--all`): whose each customer is."""
    if not events:
        print(
            ngettext(
                "Nothing is coming in the next {n} day.",
                "Nothing is coming in the next {n} days.",
                days,
            ).format(n=days)
        )
        return
    names = [_who(event, owners) for event in events]
    room = max(tables.width(name) for name in names)  # the names in a column, as wide as the widest
    out: list[str] = []
    by_day = groupby(zip(events, names, strict=True), key=lambda pair: pair[0].day)
    for day, members in by_day:
        if out:
            out.append("")
        out.append(dates.long_day(day))
        for event, who in members:
            line = tables.clean(what(event, now))
            if who:  # folded on a narrow terminal, under the event's text
                out.append(tables.fit(f"  {tables.pad(who, room)}  {line}", room + 4))
            else:
                out.append(tables.fit(f"  {line}"))
    tables.lines(out)


def _who(event: Any, owners: bool) -> str:
    who = tables.clean(event.customer_name) if event.customer_name else ""
    if who and owners and event.owner:
        who = _("{customer} ({owner})").format(customer=who, owner=tables.clean(event.owner))
    return who
