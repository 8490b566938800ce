"""A customer's dates as people read them (both calendars, the age) and as JSON."""

from datetime import date
from typing import Any

from kehu.base.i18n import _, ngettext
from kehu.rules.occasions import Occasion, age_on, next_occurrence
from kehu.ui import dates


def kind_word(kind: str, label: str | None = None, *, capital: bool = False) -> str:
    """birthday, wedding anniversary…; an `other` date is named by its label (as typed);
    `capital`: kehu's word begins a sentence, "Birthday"."""
    words = {
        "birthday": _("birthday"),
        "wedding": _("wedding anniversary"),
        "child-birthday": _("child's birthday"),
        "company": _("company anniversary"),
        "other": _("date"),
    }
    if capital:
        words = {code: word[:1].upper() + word[1:] for code, word in words.items()}
    if label:
        return (
            label
            if kind == "other"
            else _("{kind} ({label})").format(kind=words[kind], label=label)
        )
    return words.get(kind, kind)


def when(shown: dict[str, Any], today: date) -> str:
    """A date of as_json's shape, worded: '农历八月十五（9月25日 周五），满40周岁',
    'lunar 8/15 (Fri 25 Sep), turns 40'."""
    upcoming = date.fromisoformat(shown["next"])
    text = dates.occasion(shown["calendar"], shown["month"], shown["day"], leap=shown["leap"],
                          next_day=upcoming, today=today)  # fmt: skip
    age = shown["age_next"]
    if not age:
        return text
    if shown["kind"] in ("birthday", "child-birthday"):
        if upcoming < today:  # a birthday item the day after: the age it reached
            return _("{when}, turned {age}").format(when=text, age=age)
        return _("{when}, turns {age}").format(when=text, age=age)
    return ngettext("{when}, {years} year", "{when}, {years} years", age).format(
        when=text, years=age
    )


def cells(shown: dict[str, Any], today: date) -> list[str]:
    """'#3', 'birthday', '农历八月十五（9月25日 周五），满40周岁', the note (or ''): a date's
    columns on the card and in `kehu date list`."""
    return [f"#{shown['id']}", kind_word(shown["kind"], shown["label"]), when(shown, today),
            shown["note"] or ""]  # fmt: skip


def as_json(
    occasion_id: int, customer_id: int, occasion: Occasion, note: str | None, today: date,
    *, feb29: str,
) -> dict[str, Any]:  # fmt: skip
    upcoming = next_occurrence(occasion, today, feb29=feb29)
    return {
        "id": occasion_id,
        "customer_id": customer_id,
        "kind": occasion.kind,
        "label": occasion.label,
        "calendar": occasion.calendar,
        "month": occasion.month,
        "day": occasion.day,
        "leap": occasion.leap,
        "year": occasion.year,
        "note": note,
        "next": upcoming.isoformat(),
        "age_next": age_on(occasion, upcoming, feb29=feb29),
    }
