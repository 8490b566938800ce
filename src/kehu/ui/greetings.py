"""Holidays in words: their names in the interface's language, and `kehu greet`'s list."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from kehu.base.i18n import _, ngettext
from kehu.rules.greetings import typed_name
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


def coming(codes: Sequence[str], day: date, today: date) -> str:
    """'National Day today', 'National Day tomorrow', 'National Day in 3 days (25 Sep)'."""
    holiday = holiday_names(codes)
    offset = (day - today).days
    if offset <= 0:
        return _("{holiday} today").format(holiday=holiday)
    if offset == 1:
        return _("{holiday} tomorrow").format(holiday=holiday)
    return ngettext("{holiday} in {n} day ({day})", "{holiday} in {n} days ({day})", offset).format(
        holiday=holiday, n=offset, day=dates.day(day, today)
    )


def reason(params: Any, today: date) -> str:
    return _("{coming} — send a greeting").format(
        coming=coming(params["holidays"], params["day"], today)
    )


def group_reason(params: Any, today: date, owner: str | None = None) -> str:
    """Why a grouped greeting is listed, and the command that lists its customers; with
    `owner` (on a colleague's or everyone's list), the command names whose they are."""
    n = params["count"]
    said = {
        "coming": coming(params["holidays"], params["day"], today), "n": n,
        "code": typed_name(params["holidays"][0]),
    }  # fmt: skip
    if owner is not None:
        return ngettext(
            "{coming}: greet {n} customer — `kehu greet {code} --owner {owner}` lists them",
            "{coming}: greet {n} customers — `kehu greet {code} --owner {owner}` lists them",
            n,
        ).format(owner=_typed_owner(owner), **said)
    return ngettext(
        "{coming}: greet {n} customer — `kehu greet {code}` lists them",
        "{coming}: greet {n} customers — `kehu greet {code}` lists them",
        n,
    ).format(**said)


def _typed_owner(owner: str) -> str:
    """An owner's name as typed after --owner: quoted for the shell unless it is one word."""
    import shlex

    if owner and all(ch.isalnum() or ch in "-_.@" for ch in owner):
        return owner
    return shlex.quote(tables.clean(owner))


def group_who(params: Any) -> str:
    """What the name column of a grouped greeting shows."""
    n = params["count"]
    return ngettext("{n} customer", "{n} customers", n).format(n=n)


def print_greetees(
    key: str, codes: Sequence[str], day: date, today: date, people: Sequence[Any],
    points: dict[int, str], *, with_owner: bool = False,
) -> None:  # fmt: skip
    """`kehu greet`'s list; with_owner (everyone's, `--all`): whose customer each is."""
    to_greet = sum(1 for p in people if not p.greeted)
    print(
        _("{coming} [{key}]: {left} of {n} to greet").format(
            coming=coming(codes, day, today),
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
            *([tables.clean(p.owner)] if with_owner else []),
            p.phone or _("(no phone)"),
            p.tier,
            _("greeted") if p.greeted else "",
            tables.clean(points.get(p.id, "")),
        ]  # fmt: skip
        for p in people
    ]
    owner = [_("owner")] if with_owner else []
    tables.table([_("name"), *owner, _("phone"), _("tier"), _("greeted"), _("talk")], rows)


def print_greeted(key: str, greeted: Sequence[Any], before: Sequence[Any]) -> None:
    """What `kehu done G…` did."""
    if not greeted and not before:
        print(_("{key} is already done: everyone it counts is greeted. Nothing changed.").format(
            key=key
        ))  # fmt: skip
        return
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
