"""`kehu date …`: the dates that matter to a customer (birthdays, anniversaries), solar or lunar."""

from typing import Annotated, Any

import typer

from kehu.base import cjk, typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import CustomerArg, JsonOpt, app, ctx, echo_json, say, words
from kehu.rules import choices

Opt = typer.Option
dates_app = typer.Typer(
    help=_("A customer's dates: birthdays, anniversaries, solar or lunar."), no_args_is_help=True
)
app.add_typer(dates_app, name="date", rich_help_panel=_("Customers"))

KINDS_HELP = "birthday, wedding, child-birthday, company, other"


@dates_app.command(
    "add",
    help=_("Add a date of a customer's, kept every year (a lunar one by the lunar calendar)."),
)
def add(
    customer: CustomerArg,
    kind: Annotated[
        str,
        typer.Argument(
            help=KINDS_HELP, show_default=False, click_type=words(KINDS_HELP.split(", "))
        ),
    ],
    when: Annotated[
        str,
        typer.Argument(
            help="1985-03-15, 03-15, 3月15日, 农历八月十五, lunar 8-15…", show_default=False
        ),
    ],
    label: Annotated[str | None, Opt(help=_("What the date is, for the kind other."))] = None,
    note: Annotated[str | None, Opt(help=_("Whose it is or why it matters: son 小明."))] = None,
) -> None:
    from kehu.base.occasion_input import occasion_date
    from kehu.book import occasions as book
    from kehu.rules import occasions

    kind_word = choices.choice(kind, occasions.KINDS, _("kind of date"))
    now = ctx.now()
    if kind_word == "birthday" and typed.two_digit_year(when):  # 85-3-5, as --birthday reads it
        born = typed.birthday(when, now.date())
        assert born is not None
        when = born.isoformat()
    typed_date = occasion_date(when)
    label_text = typed.text(label, "--label", longest=typed.LONGEST["key"])
    occasion = occasions.Occasion(
        kind_word, typed_date.calendar, typed_date.month, typed_date.day,
        leap=typed_date.leap, year=typed_date.year, label=label_text,
    )  # fmt: skip
    if occasion.calendar == "lunar" and occasion.year is not None:
        _check_lunar_exists(occasion)
    note_text = typed.text(note, "--note")
    if occasion.kind == "birthday":
        typed.past_birthday(occasions.first_day(occasion), now.date())
    added = ctx.write(
        lambda tx: book.add_occasion(
            tx, customer=customer, occasion=occasion, note=note_text, now=now
        )  # fmt: skip
    )
    shown = _shown(added, now)
    from kehu.ui import occasions as ui

    say(
        cjk.spaced(
            _("Added date #{id} for {name}: {line}"),
            id=added.id,
            name=added.customer_name,
            line=_("{kind}, {when}").format(
                kind=ui.kind_word(occasion.kind, occasion.label), when=ui.when(shown, now.date())
            ),
        )  # fmt: skip
    )


def _check_lunar_exists(occasion: Any) -> None:
    """A lunar date with its year must be in that year: 闰二月 only in a year with that leap
    month, a 30th only in a month of 30 days."""
    from kehu.base.occasion_input import ACCEPTED
    from kehu.rules import occasions

    if not occasions.lunar_exists(occasion.year, occasion.month, occasion.day, leap=occasion.leap):
        raise BadInput(
            _("the lunar year {year} has no such day; accepted: {forms}").format(
                year=occasion.year, forms=ACCEPTED
            )
        )


@dates_app.command(
    "list",
    help=_(
        "One customer's dates, or all your customers' (the soonest first), with the next day "
        "each is kept."
    ),
)
def list_(
    customer: Annotated[
        str | None,
        typer.Argument(help=_("An id, a phone number, a name or a unique part of one.")),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import occasions as book
    from kehu.ui import occasions as ui
    from kehu.ui import tables

    now = ctx.now()
    rows = ctx.read(lambda tx: book.listing(tx, customer=customer, owner=ctx.user))
    shown = [_shown(row, now) | {"customer_name": row.customer_name} for row in rows]
    if customer is None:  # everyone's, as a calendar: the soonest first
        shown.sort(key=lambda item: (item["next"], item["customer_id"], item["id"]))
    if json_:
        echo_json(shown)
        return
    if not shown:
        say(
            _("This customer has no dates yet; add one with "
              "`kehu date add CUSTOMER birthday 1985-03-15` (or wedding, child-birthday…).")
            if customer is not None
            else _("None of your customers has a date yet; add one with "
                   "`kehu date add CUSTOMER birthday 1985-03-15` "
                   "(or wedding, child-birthday…).")
        )  # fmt: skip
        return
    cells = [
        [tables.clean(cell) for cell in ui.cells(item, now.date())]
        + [tables.clean(_("{name} (#{id})").format(name=item["customer_name"],
                                                   id=item["customer_id"]))]
        for item in shown
    ]  # fmt: skip
    for line in tables.aligned(cells):
        say(tables.fit(line))


@dates_app.command("delete", help=_("Delete one date."))
def delete(
    occasion_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("The date's id (`kehu date list`), or its key on the daily list (B12)."),
            show_default=False,
        ),
    ],
) -> None:
    from kehu.book import occasions as book

    number = _date_id(occasion_id)
    gone = ctx.write(lambda tx: book.delete_occasion(tx, occasion_id=number))
    say(cjk.spaced(_("Deleted date #{id} of {name}."), id=gone.id, name=gone.customer_name))


def _date_id(value: str) -> int:
    """A date's id as typed: 12, #12, or the key of its item on the daily list, B12 (a date's
    key holds its id); the key of another kind of item is refused."""
    import re

    from kehu.rules import kinds

    raw = typed.half_width(value).strip()
    key = re.match(kinds.KEY_PATTERN, raw.upper().replace("M", "m").replace("D", "d"))
    if key is not None and kinds.BY_LETTER[key.group(1)].names == kinds.OCCASION:
        if key.group(3) is None:
            return int(key.group(2))
    elif key is not None:
        raise BadInput(
            _("{value} is the key of another kind of item, not of a date; accepted: a date's id "
              "like 12, or its key on the daily list, B12 (`kehu date list` shows the ids)"
              ).format(value=repr(value))
        )  # fmt: skip
    digits = raw.removeprefix("#")
    if not digits.isdecimal() or len(digits) > 12:  # not isdigit: int("¹") fails
        raise BadInput(
            _("{value} is not a date's id; accepted: a number like 12 or #12, or the date's key "
              "on the daily list, B12").format(value=repr(value))
        )  # fmt: skip
    return int(digits)


def _shown(row: Any, now: Any) -> dict[str, Any]:
    from kehu.ui import occasions as ui

    return ui.as_json(row.id, row.customer_id, row.occasion, row.note, now.date(),
                      feb29=ctx.rules.feb29)  # fmt: skip
