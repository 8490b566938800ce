"""`kehu calendar`: what is coming, by day."""

from datetime import timedelta
from typing import Annotated, Any

import typer

from kehu.base.i18n import _
from kehu.cli.app import JsonOpt, app, ctx, echo_json


@app.command(
    rich_help_panel=_("Daily"),
    help=_(
        "What is coming, by day: holidays, customers' dates (birthdays and others, solar or "
        "lunar), call-backs, promises, planned calls and the ends of snoozes."
    ),
)
def calendar(
    days: Annotated[int, typer.Option(min=0, max=3660, help=_("How many days ahead."))] = 30,
    owner: Annotated[str | None, typer.Option(help=_("Show this salesperson's customers."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Everyone's customers."))] = False,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import coming
    from kehu.rules import agenda, localtime

    now, rules = ctx.now(), ctx.holiday_rules
    who = ctx.who(owner, all_)
    from kehu.cli import daily

    daily.hint_none_owned(who)
    clock = localtime.LocalClock(now)
    end = clock.start(now.date() + timedelta(days=days + 1))
    since = clock.start(agenda.oldest_delivery(now.date(), rules))

    def read(tx: Any) -> dict[str, list[dict[str, Any]]]:
        from kehu.book import items, snoozes

        found = coming.agenda(tx, now=now, end=end, delivered_since=since, owner=who)
        running = snoozes.in_force_now(tx, now=now, owner=who, rest_days=rules.rest_days)[0]
        found["snoozes"] = [  # one of an item closed since (in a book of before 0.3.0) ends
            z for z in found["snoozes"]
            if z["key"] in running and not items.is_closed(tx, z["key"], now, rules)
        ]  # fmt: skip
        return found

    found = ctx.read(read)
    events = agenda.events(now.date(), days, rules, ctx.tz, **found)
    from kehu.ui import agenda as ui_agenda

    if json_:
        echo_json(
            {
                "start": now.date().isoformat(),
                "end": (now.date() + timedelta(days=days)).isoformat(),
                "owner": who,
                "events": [_json_event(e, now) for e in events],
            }
        )
        return
    ui_agenda.print_agenda(events, now, days, owners=who is None)


def _json_event(event: Any, now: Any) -> dict[str, Any]:
    from kehu.ui import agenda as ui_agenda
    from kehu.ui import words

    return {
        "date": event.day.isoformat(),
        "kind": event.kind,
        "customer_id": event.customer_id,
        "customer_name": event.customer_name,
        "owner": event.owner,
        "phone": event.phone,
        "text": ui_agenda.what(event, now),
        "params": words.reason_params(event.params, now),
    }
