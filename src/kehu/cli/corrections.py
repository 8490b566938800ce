"""Putting mistakes right by id: contact-, purchase-, promise- and followup-edit and -delete.
The ids are those on the card (`kehu show`): contacts #17, purchases #4, promises P3, planned
calls F5."""

from typing import Annotated, Any

import typer

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _, pgettext
from kehu.cli.app import app, ctx, say, words
from kehu.cli.contacts import ForceOpt, confirm_past, in_the_past
from kehu.rules import choices, vocab

Opt = typer.Option
PANEL = _("Corrections")


def _id_arg(example: str) -> Any:
    return typer.Argument(metavar="ID", help=_("Like {example}, as on the card.").format(
        example=example), show_default=False)  # fmt: skip


def _edit(table: str, item_id: int, changes: dict[str, Any]) -> None:
    from kehu.book import corrections, engine, items
    from kehu.ui import changes as words

    def write(tx: Any) -> int:
        if table != "contact":
            return corrections.edit(tx, table=table, item_id=item_id, changes=changes)
        # A contact corrected into one that closes an item (a try that reached them, a
        # greeting) ends the item's snooze with it, as logging it would have.
        customer = engine.scalar(tx, "SELECT customer_id FROM contact WHERE id = :i", i=item_id)
        return items.snoozes_closed_by(
            tx, None if customer is None else int(customer), ctx.now(), ctx.rules,
            lambda: corrections.edit(tx, table=table, item_id=item_id, changes=changes),
        )  # fmt: skip

    ctx.write(write)
    if not ctx.changed:
        say(
            _("Nothing changed: {what} already says that.").format(
                what=words.row_name(table, (item_id,))
            )
        )
        return
    say(_("Changed {what}.").format(what=words.row_name(table, (item_id,))))


def _delete(table: str, item_id: int) -> None:
    from kehu.book import corrections
    from kehu.ui import changes as words

    ctx.write(lambda tx: corrections.delete(tx, table=table, item_id=item_id))
    say(
        _("Deleted {what}; `kehu undo` brings it back.").format(
            what=words.row_name(table, (item_id,))
        )
    )


@app.command(
    "contact-edit",
    rich_help_panel=PANEL,
    help=_("Correct a logged contact; the customer's last contact follows."),
)
def contact_edit(
    contact_id: Annotated[str, _id_arg("17")],
    at: Annotated[str | None, Opt(help=_("When it happened."))] = None,
    via: Annotated[
        str | None, Opt(help=", ".join(vocab.CHANNELS), click_type=words(vocab.CHANNELS))
    ] = None,
    kind: Annotated[
        str | None,
        Opt(help=", ".join(vocab.CONTACT_KINDS), click_type=words(vocab.CONTACT_KINDS)),
    ] = None,
    reached: Annotated[bool, Opt("--reached", help=_("Reached them."))] = False,
    no_answer: Annotated[bool, Opt("--no-answer", help=_("Did not reach them."))] = False,
    note: Annotated[str | None, Opt(help=_("What was said."))] = None,
    sent: Annotated[
        str | None, Opt(help=_("The text sent to them, in place of the note."), metavar="TEXT")
    ] = None,
) -> None:
    now = ctx.now()
    item = typed.item_id(contact_id, "#", pgettext("id", "contact"))
    if note is not None and sent is not None:
        raise BadInput(_("--note and --sent each give the note; give one of them"))
    changes: dict[str, Any] = {}
    if at is not None:
        changes["at"] = typed.when(at, now, "event")
        if changes["at"] > now:
            raise BadInput(_("--at is in the future; a contact is logged once it has happened"))
    if via is not None:
        changes["channel"] = choices.choice(
            via, vocab.CHANNELS, _("channel (--via)"), synonyms=vocab.CHANNEL_WORDS
        )
    if kind is not None:
        changes["kind"] = choices.choice(
            kind, vocab.CONTACT_KINDS, _("kind"), synonyms=vocab.CONTACT_KIND_WORDS
        )
    if reached and no_answer:
        raise BadInput(
            _("{one} and {other} exclude each other; give one of them").format(
                one="--reached", other="--no-answer"
            )
        )
    if reached or no_answer:
        changes["outcome"] = "reached" if reached else "no-answer"
    if note is not None:  # a note about them: no longer the text sent to them
        changes["note"] = typed.text(note, "--note") or None
        changes["sent"] = False
    if sent is not None:
        changes["note"] = typed.text(sent, "--sent", required=True)
        changes["sent"] = True
    _edit("contact", item, changes)


@app.command("contact-delete", rich_help_panel=PANEL, help=_("Delete a contact logged by mistake."))
def contact_delete(contact_id: Annotated[str, _id_arg("17")]) -> None:
    _delete("contact", typed.item_id(contact_id, "#", pgettext("id", "contact")))


@app.command("purchase-edit", rich_help_panel=PANEL, help=_("Correct a purchase."))
def purchase_edit(
    purchase_id: Annotated[str, _id_arg("4")],
    product: Annotated[str | None, Opt(help=_("What was bought."))] = None,
    amount: Annotated[str | None, Opt(help=_("What they paid."))] = None,
    sold: Annotated[str | None, Opt(help=_("When it was sold."))] = None,
    delivered: Annotated[str | None, Opt(help=_("When it was (or will be) delivered."))] = None,
) -> None:
    now = ctx.now()
    item = typed.item_id(purchase_id, "#", pgettext("id", "purchase"))
    changes: dict[str, Any] = {}
    if product is not None:
        changes["product"] = typed.text(product, "--product", required=True)
    if amount is not None:
        changes["amount"] = typed.amount(amount)
    if sold is not None:
        changes["sold_at"] = typed.when(sold, now, "day-event")
    if delivered is not None:
        changes["delivered_at"] = typed.when(delivered, now, "day-near")
    _edit("purchase", item, changes)


@app.command(
    "purchase-delete", rich_help_panel=PANEL, help=_("Delete a purchase recorded by mistake.")
)
def purchase_delete(purchase_id: Annotated[str, _id_arg("4")]) -> None:
    _delete("purchase", typed.item_id(purchase_id, "#", pgettext("id", "purchase")))


@app.command("promise-edit", rich_help_panel=PANEL, help=_("Correct a promise."))
def promise_edit(
    promise_id: Annotated[str, _id_arg("P3")],
    due: Annotated[
        str | None, Opt(help=_("By when; a date alone means the end of that day."))
    ] = None,
    text: Annotated[str | None, Opt(help=_("What you promised."))] = None,
    force: ForceOpt = False,
) -> None:
    now = ctx.now()
    item = typed.item_id(promise_id, "P", pgettext("id", "promise"))
    changes: dict[str, Any] = {}
    if due is not None:
        changes["due"] = typed.when(due, now, "due")
        if in_the_past(changes["due"], now, "due"):
            confirm_past("--due", due, force)
    if text is not None:
        changes["text"] = typed.text(text, "--text", required=True)
    _edit("promise", item, changes)


@app.command(
    "promise-delete",
    rich_help_panel=PANEL,
    help=_("Delete a promise recorded by mistake (`kehu cancel` when it no longer applies)."),
)
def promise_delete(promise_id: Annotated[str, _id_arg("P3")]) -> None:
    _delete("promise", typed.item_id(promise_id, "P", pgettext("id", "promise")))


@app.command("followup-edit", rich_help_panel=PANEL, help=_("Correct a planned call."))
def followup_edit(
    followup_id: Annotated[str, _id_arg("F5")],
    due: Annotated[str | None, Opt(help=_("When to call."))] = None,
    note: Annotated[str | None, Opt(help=_("What the call is about."))] = None,
    force: ForceOpt = False,
) -> None:
    now = ctx.now()
    item = typed.item_id(followup_id, "F", pgettext("id", "planned call"))
    changes: dict[str, Any] = {}
    if due is not None:
        changes["due"] = typed.when(due, now, "start")
        if in_the_past(changes["due"], now, "start"):
            confirm_past("--due", due, force)
    if note is not None:
        changes["note"] = typed.text(note, "--note") or None
    _edit("followup", item, changes)


@app.command("followup-delete", rich_help_panel=PANEL, help=_("Delete a planned call."))
def followup_delete(followup_id: Annotated[str, _id_arg("F5")]) -> None:
    _delete("followup", typed.item_id(followup_id, "F", pgettext("id", "planned call")))
