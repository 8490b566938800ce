"""Commands about prospects before the sale: lost, and prospects (the level table)."""

from datetime import date, datetime, timedelta
from typing import Annotated, Any

import typer

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import CustomerArg, JsonOpt, app, ctx, echo_json, say, words
from kehu.rules import choices, vocab

Opt = typer.Option


@app.command(
    rich_help_panel=_("Customers"),
    help=_(
        "Close a prospect without a sale (战败), with the reason; an ordered one's cancelled "
        "order (level O) deletes the booked purchase."
    ),
)
def lost(
    customer: CustomerArg,
    reason: Annotated[
        str,
        Opt(
            help=", ".join(vocab.LOST_REASONS) + _("; or 竞品, 预算, 推迟…"),
            show_default=False,
            click_type=words(vocab.LOST_REASONS),
        ),
    ],
    note: Annotated[str | None, Opt(help=_("What happened."))] = None,
) -> None:
    from kehu.book import items, prospects
    from kehu.ui import prospects as words

    code = choices.choice(reason, vocab.LOST_REASONS, "--reason", synonyms=vocab.LOST_REASON_WORDS)
    note_text = typed.text(note, "--note")
    now = ctx.now()
    rules = ctx.rules
    cid, name, cancelled, already = ctx.write(  # the snooze of their L item ends with it
        lambda tx: items.snoozes_closed_by(tx, customer, now, rules, lambda: prospects.mark_lost(
            tx, customer=customer, reason=code, note=note_text, now=now, made_by=ctx.made_by
        ))
    )  # fmt: skip
    if already is not None:
        from kehu.ui import dates

        say(
            _("{name} (#{id}) is already lost, since {when}; nothing changed.").format(
                name=name, id=cid, when=dates.day_of(already, now)
            )
        )
        return
    why = words.lost_reason(code)
    say(_("Lost: {name} (#{id}), {reason}.").format(name=name, id=cid, reason=why))
    if cancelled:
        from kehu.ui import dates

        for order in cancelled:
            say(
                _("Order cancelled: purchase #{id}, {product}, to be delivered {when}, is "
                  "deleted (no thank-you or call-backs); `kehu undo` brings it back.").format(
                    id=order.purchase_id, product=order.product,
                    when=dates.moment(order.delivered_at, now),
                )
            )  # fmt: skip


@app.command(
    rich_help_panel=_("Customers"),
    help=_("The month's prospect level table (意向客户级别状况表) and the conversion figures."),
)
def prospects(
    month: Annotated[
        str | None, Opt(help=_("The month, like 2026-11; default this month."))
    ] = None,
    owner_: Annotated[
        str | None, Opt("--owner", help=_("This salesperson's prospects."), show_default=False)
    ] = None,
    all_: Annotated[bool, Opt("--all", help=_("Everyone's prospects."))] = False,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import prospects as book
    from kehu.rules.prospects import conversion
    from kehu.ui import prospects as ui

    now = ctx.now()
    first = _month(month, now)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    tz = now.tzinfo
    start = datetime.combine(first, datetime.min.time(), tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tz)
    owner = ctx.who(owner_, all_)

    def read(tx: Any) -> tuple[Any, Any]:
        return (
            book.month(tx, owner=owner, start=start, end=end),
            book.outcomes(tx, owner=owner),
        )

    rows, ends = ctx.read(read)
    data = ui.level_table(rows, first=first, last=last, now=now, rules=ctx.rules)
    figures = conversion(map(book.outcome_of, ends))
    if json_:
        echo_json({**data, "conversion": figures})
    else:
        ui.print_level_table(data, figures)


def _month(value: str | None, now: datetime) -> date:
    if value is None:
        return now.date().replace(day=1)
    text = typed.half_width(value).strip()
    try:
        first = date.fromisoformat(text + "-01")
    except ValueError:
        raise BadInput(
            _("--month {value!r} is not a month; accepted: YYYY-MM, like 2026-11").format(
                value=value
            )
        ) from None
    if not typed.FIRST_YEAR <= first.year <= typed.LAST_YEAR:
        raise BadInput(
            _("--month {value!r} is out of range; accepted: years {first} to {last}").format(
                value=value, first=typed.FIRST_YEAR, last=typed.LAST_YEAR
            )
        )
    return first
