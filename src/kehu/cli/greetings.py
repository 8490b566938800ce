"""Holiday greetings: `kehu greet HOLIDAY` lists whom to greet; `kehu done G…` greets them."""

from datetime import date
from typing import Annotated, Any

import typer

from kehu.base.errors import BadInput, NotFound
from kehu.base.i18n import _
from kehu.cli.app import JsonOpt, app, ctx, echo_json, others_count, say, say_others, words
from kehu.rules import vocab


def _holiday_day(text: str) -> tuple[str, date]:
    """The holiday a user typed and its next day (today included)."""
    from kehu.rules import greetings

    code = greetings.holiday_code(text)
    if code is None:
        from kehu.ui import greetings as ui_greetings

        today = ctx.now().date()
        found = greetings.country_holiday(text, today, ctx.holiday_rules)
        if found is None:  # by the name kehu words it by: 感恩节
            found = ui_greetings.country_holiday_named(text, today, ctx.holiday_rules)
        if found is not None:
            return found
        from kehu.base import i18n, settings

        ours = ui_greetings.country_holidays_accepted(today, ctx.holiday_rules)
        # The Chinese names in the Chinese interface, as every word option names its words.
        chinese = [w for w in settings.HOLIDAY_WORDS if not w.isascii()]
        accepted = [*greetings.CODES, *ours, *(chinese if i18n.language() == "zh" else ())]
        raise BadInput(
            _("unknown holiday {value}; accepted: {accepted}").format(
                value=repr(text), accepted=_(", ").join(accepted)
            )
        )
    return code, greetings.next_day_of(code, ctx.now().date())


def _holidays() -> tuple[str, ...]:
    from kehu.rules import greetings

    return greetings.CODES


@app.command(
    rich_help_panel=_("Daily"),
    help=_(
        "Whom to greet for a holiday (中秋, mid-autumn…): name, phone, what to talk about, "
        "and who is greeted already."
    ),
)
def greet(
    holiday: Annotated[
        str,
        typer.Argument(help=_("The holiday: 中秋, mid-autumn, 春节…"), click_type=words(_holidays)),
    ],
    owner: Annotated[str | None, typer.Option(help=_("This salesperson's customers."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Everyone's customers."))] = False,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import daily, greetings
    from kehu.rules import greetings as rules_greetings

    code, day = _holiday_day(holiday)
    now, rules, who = ctx.now(), ctx.holiday_rules, ctx.who(owner, all_)
    codes = rules_greetings.holidays_on(day) or (code,)
    if ":" in code:  # another country's holiday: the day's greeted holidays, as the list has them
        codes = tuple(found for _day, found in rules_greetings.upcoming(day, 0, rules)) or codes

    def read(tx: Any) -> tuple[list[Any], dict[int, list[tuple[str, str]]], int, int]:
        from kehu.book import customers

        people = greetings.greetees(tx, now=now, rules=rules, owner=who, day=day)
        points = daily.talking_points(tx, [p.id for p in people], vocab.TALKING_KEYS)
        if people:
            return people, points, 0, len(people)
        return people, points, others_count(tx, who), customers.count_customers(tx, who)

    people, facts, others, active = ctx.read(read)
    say_others(who, others)
    key = rules_greetings.group_key(day)
    from kehu.ui import greetings as ui_greetings
    from kehu.ui import words

    points = {cid: words.talking_point(parts) for cid, parts in facts.items()}
    if json_:
        echo_json(
            {
                "key": key,
                "holidays": list(codes),
                "day": day.isoformat(),
                "owner": who,
                "customers": [
                    {
                        "customer_id": p.id,
                        "customer_name": p.name,
                        "owner": p.owner,
                        "phone": p.phone,
                        "tier": p.tier,
                        "greeted": p.greeted,
                        "talking_point": points.get(p.id) or None,
                    }
                    for p in people
                ],
            }
        )
        return
    ui_greetings.print_greetees(key, codes, day, now.date(), people, points,
                                with_owner=who is None)  # fmt: skip
    if not people:
        say(ui_greetings.nobody_to_greet(active, rules.rest_days))


def greet_group(
    key: str, customers: list[str], *, channel: str, note: str | None, sent: bool = False
) -> None:
    """`kehu done G20261001 [CUSTOMER…]`: a greeting logged with each (or each named)."""
    from kehu.book import find, greetings, items
    from kehu.rules import greetings as rules_greetings
    from kehu.rules import kinds

    canonical, kind, number, _suffix = items.parse(key)
    day = rules_greetings.day_of_key(str(number))
    if kind.done == kinds.GREET_GROUP and day is None:
        raise BadInput(
            _("{key} is not a grouped greeting's key: G and the day, like G20261001").format(
                key=canonical
            )
        )
    if kind.done != kinds.GREET_GROUP:
        raise BadInput(
            _("customers after the key are for a grouped greeting's key, like G20261001; "
              "{key} is not one").format(key=canonical)
        )  # fmt: skip
    now, rules, owner = ctx.now(), ctx.holiday_rules, ctx.user
    off_the_list = NotFound(
        _("{key} is not on the list now; `kehu today` shows the keys").format(key=canonical)
    )
    if day not in {found.day for found in rules_greetings.greeting_days(now.date(), rules)}:
        raise off_the_list

    def write(tx: Any) -> tuple[list[Any], list[Any]]:
        ids = [find.customer(tx, text)["id"] for text in customers] if customers else None
        done = greetings.greet(
            tx, now=now, rules=rules, owner=owner, day=day, customer_ids=ids, channel=channel,
            note=note, made_by=ctx.made_by, sent=sent,
        )  # fmt: skip
        if done is None:
            raise off_the_list
        return done

    greeted, before = ctx.write(write)
    from kehu.ui import greetings as ui_greetings

    ui_greetings.print_greeted(canonical, greeted, before)
