"""Holidays in words: their names in the interface's language, and `kehu greet`'s list."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from kehu.base.i18n import _, ngettext
from kehu.ui import dates, tables


def holiday_name(code: str) -> str:
    """中秋节 / Mid-Autumn Festival; another country's holiday by the name it came with."""
    names = {
        "new-year": _("New Year's Day"), "new-years-eve": _("Chinese New Year's Eve"),
        "spring-festival": _("Spring Festival"), "lantern": _("Lantern Festival"),
        "dragon-boat": _("Dragon Boat Festival"), "qixi": _("Qixi Festival"),
        "mid-autumn": _("Mid-Autumn Festival"), "double-ninth": _("Double Ninth Festival"),
        "national-day": _("National Day"),
    }  # fmt: skip
    return names.get(code, code.partition(":")[2] or code)


def holiday_names(codes: Sequence[str]) -> str:
    return _(", ").join(holiday_name(code) for code in codes)


def when(day: date, today: date) -> str:
    """'today', 'tomorrow', 'in 3 days (Fri 25 Sep)'."""
    offset = (day - today).days
    if offset <= 1:
        return _("today") if offset <= 0 else _("tomorrow")
    return ngettext("in {n} day ({day})", "in {n} days ({day})", offset).format(
        n=offset, day=dates.day(day, today)
    )


def reason(params: Any, today: date) -> str:
    names = holiday_names(params["holidays"])
    return _("{holiday} {when} — send a greeting").format(
        holiday=names, when=when(params["day"], today)
    )


def group_reason(params: Any, today: date) -> str:
    n = params["count"]
    return ngettext(
        "{holiday} {when}: greet {n} customer — `kehu greet {code}` lists them",
        "{holiday} {when}: greet {n} customers — `kehu greet {code}` lists them",
        n,
    ).format(
        holiday=holiday_names(params["holidays"]), when=when(params["day"], today), n=n,
        code=params["holidays"][0],
    )  # fmt: skip


def group_who(params: Any) -> str:
    """What the name column of a grouped greeting shows."""
    n = params["count"]
    return ngettext("{n} customer", "{n} customers", n).format(n=n)


def print_greetees(
    key: str, codes: Sequence[str], day: date, today: date, people: Sequence[Any],
    points: dict[int, str],
) -> None:  # fmt: skip
    to_greet = sum(1 for p in people if not p.greeted)
    print(
        _("{holiday} {when} [{key}]: {left} of {n} to greet").format(
            holiday=holiday_names(codes),
            when=when(day, today),
            key=key,
            left=to_greet,
            n=len(people),
        )  # fmt: skip
    )
    if not people:
        return
    rows = [
        [
            tables.clean(p.name),
            p.phone or _("(no phone)"),
            p.tier,
            _("greeted") if p.greeted else "",
            tables.clean(points.get(p.id, "")),
        ]  # fmt: skip
        for p in people
    ]
    tables.table([_("name"), _("phone"), _("tier"), _("greeted"), _("talk")], rows)


def print_greeted(key: str, greeted: Sequence[Any], before: Sequence[Any]) -> None:
    """What `kehu done G…` did."""
    print(
        ngettext(
            "Done {key}: logged a greeting with {n} customer.",
            "Done {key}: logged a greeting with {n} customers.",
            len(greeted),
        ).format(key=key, n=len(greeted))
    )
    if before:
        names = _(", ").join(tables.clean(p.name) for p in before)
        print(_("Greeted already, nothing logged: {names}").format(names=names))
