"""`kehu undo`: take back the last change, or list the recent ones."""

from typing import Annotated

import typer

from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import JsonOpt, app, ctx, echo_json, say


@app.command(
    rich_help_panel=_("Setup"),
    help=_("Undo your last change to the book; again to go one change further back."),
)
def undo(
    list_: Annotated[
        bool, typer.Option("--list", help=_("Show your recent changes instead, the newest first."))
    ] = False,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import journal
    from kehu.ui import changes, dates, tables

    now = ctx.now()
    if list_:
        recent = ctx.read(lambda tx: journal.recent(tx, made_by=ctx.made_by, limit=20))
        if json_:
            echo_json([changes.listed(c, now) for c in recent])
            return
        if not recent:
            say(_("No changes to list."))
            return
        tables.table(
            [_("when"), _("command"), _("what"), ""],
            [
                [dates.moment(c.made_at, now), c.command, changes.summary(c.rows),
                 _("undone") if c.undone_at else ""]
                for c in recent
            ],
        )  # fmt: skip
        return
    try:
        change = ctx.write(
            lambda tx: journal.undo_last(tx, made_by=ctx.made_by, now=now), journal=False
        )
    except journal.Conflict as refusal:
        raise BadInput(changes.refused(refusal)) from None
    if json_:
        echo_json(changes.listed(change, now))
        return
    say(changes.undone(change, now))
