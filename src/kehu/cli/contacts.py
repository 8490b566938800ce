"""Commands about contacts and promises: log, promise, kept, cancel, promises."""

import sys
import unicodedata
from datetime import datetime, time
from typing import Annotated, Any

import typer

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import CustomerArg, JsonOpt, app, ctx, echo_json, not_an_outcome, say, words
from kehu.rules import choices, vocab

Opt = typer.Option


ForceOpt = Annotated[bool, Opt("--force", help=_("Accept a time in the past without asking."))]


def in_the_past(moment: datetime, now: datetime, how: str) -> bool:
    """A time for what is to come that has gone by: a day before today, or a time of day
    earlier today. A day alone ("today": its start, for --next) is not in the past."""
    if moment.date() < now.date():
        return True
    return moment < now and not (how == "start" and moment.time() == time(0))


def confirm_past(option: str, value: str, force: bool) -> None:
    """Ask on a terminal whether a past time is meant; refuse elsewhere unless --force."""
    if force:
        return
    from kehu.base import cjk

    # --due 2026-04-01 已经过去了, --due 昨天已经过去了
    said = cjk.spaced(_("{option} {value} is in the past"), {"value"}, option=option, value=value)
    if not sys.stdin.isatty():
        raise BadInput(
            _("{said}; give a later time, or add --force to record it anyway").format(said=said)
        )
    say(_("{said}. Record it anyway? [y/N] ").format(said=said), err=True, nl=False)
    answer = unicodedata.normalize("NFKC", sys.stdin.readline()).strip().lower()
    if vocab.YES_NO_WORDS.get(answer, answer) != "yes":
        raise BadInput(_("{said}; nothing was recorded").format(said=said))


def ordinal(n: int) -> str:
    """English ordinals for the {nth} placeholder; other languages use {n} in their own form."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@app.command(
    rich_help_panel=_("Contacts"),
    help=_("Log a contact (a call, a visit, a message…) with a customer."),
)
def log(
    customer: CustomerArg,
    via: Annotated[
        str | None,
        Opt(
            help=", ".join(vocab.CHANNELS) + _("; default: the default_channel setting."),
            click_type=words(vocab.CHANNELS),
        ),
    ] = None,
    kind: Annotated[
        str, Opt(help=", ".join(vocab.CONTACT_KINDS), click_type=words(vocab.CONTACT_KINDS))
    ] = "follow-up",
    no_answer: Annotated[
        bool, Opt("--no-answer", help=_("Tried, but did not reach them."))
    ] = False,
    note: Annotated[str | None, Opt(help=_("What was said."))] = None,
    at: Annotated[str | None, Opt(help=_("When; default now."))] = None,
    next_: Annotated[str | None, Opt("--next", help=_("Schedule the next call."))] = None,
    next_note: Annotated[str | None, Opt(help=_("What the next call is about."))] = None,
    level: Annotated[
        str | None,
        Opt(
            help=_("A prospect's new level after this contact: H, A, B, C, N, O."),
            click_type=words(vocab.LEVELS),
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    from kehu.base import cjk
    from kehu.book import contacts, items
    from kehu.cli import prospect_input
    from kehu.ui import card

    now = ctx.now()
    channel = ctx.channel(via)
    not_an_outcome(kind, _("kind (--kind)"))
    kind_word = choices.choice(
        kind, vocab.CONTACT_KINDS, _("kind"), synonyms=vocab.CONTACT_KIND_WORDS
    )
    note_text = typed.text(note, "--note")
    when = typed.when(at, now, "event") if at else now
    if when > now:
        raise BadInput(_("--at is in the future; a contact is logged once it has happened"))
    next_due = typed.when(next_, now, "start") if next_ else None
    if next_ and next_due is not None and in_the_past(next_due, now, "start"):
        confirm_past("--next", next_, force)
    if next_note is not None and next_due is None:
        raise BadInput(_("--next-note goes with --next WHEN"))
    next_text = typed.text(next_note, "--next-note")
    new_level = prospect_input.level(level) if level is not None else None
    if new_level is not None and no_answer:
        raise BadInput(
            _("--level goes with a contact that reached the customer, not with --no-answer: "
              "a level is graded from what they said; nothing was recorded")
        )  # fmt: skip

    rules = ctx.rules

    def write(tx: Any) -> contacts.Logged:  # the snoozes of what the contact closes end with it
        return items.snoozes_closed_by(tx, customer, now, rules, lambda: contacts.record_contact(
            tx, customer=customer, at=when, channel=channel, kind=kind_word,
            reached=not no_answer, note=note_text, next_due=next_due, next_note=next_text,
            made_by=ctx.made_by, now=now, level=new_level,
        ))  # fmt: skip

    logged = ctx.write(write)
    who = _("{name} (#{id})").format(name=logged.customer.name, id=logged.customer.id)
    if no_answer:
        if not logged.attempts:
            tries = _("an earlier try; reached since")
        elif logged.attempts < logged.tries:  # logged late: others came after it
            tries = _("{nth} try of {count}").format(
                nth=ordinal(logged.attempts), n=logged.attempts, count=logged.tries
            )
        else:
            tries = _("{nth} try").format(nth=ordinal(logged.attempts), n=logged.attempts)
        say(cjk.spaced(_("Logged {channel} to {who}: no answer ({tries})."),
                       channel=card.code_word(channel), who=who, tries=tries))  # fmt: skip
    else:
        say(cjk.spaced(_("Logged {channel} with {who} ({kind})."), channel=card.code_word(channel),
                       who=who, kind=card.code_word(kind_word)))  # fmt: skip
    if logged.reopened is not None:
        from kehu.ui import dates, prospects

        lost_at, reason = logged.reopened
        say(
            _("Open again (lost {day}: {reason}); level now {level}.").format(
                day=dates.date_only(lost_at, now), reason=prospects.lost_reason(reason),
                level=logged.level,
            )
        )  # fmt: skip
    elif logged.level is not None:
        say(_("Level now {level}.").format(level=logged.level))
    if logged.followup_id is not None and next_due is not None:
        from kehu.ui import dates

        say(
            _("Next: F{id}, {when}.").format(
                id=logged.followup_id, when=dates.moment(next_due, now)
            )
        )


@app.command(rich_help_panel=_("Promises"), help=_("Record a promise made to a customer."))
def promise(
    customer: CustomerArg,
    text: Annotated[str, typer.Argument(help=_("What you promised."), show_default=False)],
    due: Annotated[str, Opt(help=_("By when; a date alone means the end of that day."))],
    force: ForceOpt = False,
) -> None:
    from kehu.base import cjk
    from kehu.book import contacts
    from kehu.ui import dates

    now = ctx.now()
    words = typed.text(text, _("the promise"), required=True)
    assert words is not None
    due_at = typed.when(due, now, "due")
    if in_the_past(due_at, now, "due"):
        confirm_past("--due", due, force)
    done = ctx.write(
        lambda tx: contacts.make_promise(
            tx, customer=customer, text=words, due=due_at, now=now, made_by=ctx.made_by
        )
    )
    say(cjk.spaced(_("Promise P{id} to {name} (#{customer_id}), due {when}."),
                   id=done.promise_id, name=done.customer.name, customer_id=done.customer.id,
                   when=dates.moment(due_at, now)))  # fmt: skip


def _close_promise(value: str, column: str) -> None:
    from kehu.base import cjk
    from kehu.book import contacts, engine, items

    pid = typed.item_id(value, "P", _("promise"))
    now = ctx.now()
    rules = ctx.rules

    def write(tx: Any) -> contacts.ClosedPromise:  # the promise's snooze ends with it
        cid = engine.scalar(tx, "SELECT customer_id FROM promise WHERE id = :n", n=pid)
        return items.snoozes_closed_by(
            tx, cid, now, rules,
            lambda: contacts.close_promise(tx, promise_id=pid, column=column, now=now),
        )  # fmt: skip

    done = ctx.write(write)
    if done.already is not None:
        from kehu.ui import dates

        already = (
            _("Promise P{id} to {name} was already kept {when}; nothing changed.")
            if column == "kept_at"
            else _("Promise P{id} to {name} was already cancelled {when}; nothing changed.")
        )
        when = dates.moment(done.already, now)
        say(cjk.spaced(already, id=pid, name=done.customer_name, when=when))
        return
    closed = (
        _("Promise P{id} to {name} kept.")
        if column == "kept_at"
        else _("Promise P{id} to {name} cancelled.")
    )
    say(cjk.spaced(closed, id=pid, name=done.customer_name))  # 对张伟的承诺, 对 Emma 的承诺


@app.command(rich_help_panel=_("Promises"), help=_("Mark a promise as kept."))
def kept(
    promise_id: Annotated[str, typer.Argument(metavar="ID", help=_("Like 12 or P12."))],
) -> None:
    _close_promise(promise_id, "kept_at")


@app.command(rich_help_panel=_("Promises"), help=_("Cancel a promise (it no longer applies)."))
def cancel(
    promise_id: Annotated[str, typer.Argument(metavar="ID", help=_("Like 12 or P12."))],
) -> None:
    _close_promise(promise_id, "cancelled_at")


@app.command(rich_help_panel=_("Promises"), help=_("List open promises, the soonest due first."))
def promises(
    all_: Annotated[bool, Opt("--all", help=_("Include kept and cancelled ones."))] = False,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import contacts
    from kehu.ui import card, tables

    now = ctx.now()
    rows, team = ctx.read(
        lambda tx: (
            contacts.promises(tx, include_closed=all_, owner=None),
            contacts.several_owners(tx),
        )
    )
    data = [card.promise(r, now) for r in rows]
    if json_:
        echo_json(data)
        return
    if not data:
        say(_("No open promises.") if not all_ else _("No promises."))
        return
    # A team's book: whose customer each promise is to, for the manager who sees them all.
    whose = [_("owner")] if team else []
    tables.table(
        [_("id"), _("customer"), *whose, _("phone"), _("promise"), _("due"), _("status")],
        [
            [f"P{p['id']}", p["customer_name"], *([p["owner"]] if team else []),
             p["phone"] or "", p["text"], card.when(p["due"], now), card.status_word(p["status"])]
            for p in data
        ],
    )  # fmt: skip
