"""The daily list: `kehu today`, the cron report `kehu overdue`, and closing the loop."""

from typing import Annotated, Any

import typer

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import (
    JsonOpt,
    app,
    ctx,
    echo_json,
    others_count,
    owner_name,
    say,
    say_others,
    words,
)
from kehu.rules import choices, vocab

Opt = typer.Option
OwnerOpt = Annotated[str | None, Opt(help=_("Show this salesperson's customers."))]
AllOpt = Annotated[bool, Opt("--all", help=_("Everyone's customers, grouped by owner."))]


def _list(
    owner: str | None, everyone: bool, with_suggestions: bool
) -> tuple[list[Any], Any, str | None]:
    """Today's items (and suggestions up to the daily target), in one read transaction, and
    when there are none because the owner has no customers, "book" if the book has none at all,
    else the owner as quoted (their colleagues have some); None otherwise."""
    from kehu.book import customers, daily
    from kehu.rules import schedule

    now = ctx.now()
    rules = ctx.holiday_rules
    who = ctx.who(owner, everyone)

    def read(tx: Any) -> tuple[list[Any], bool, int]:
        state = daily.book_state(tx, now=now, rules=rules, owner=who)
        items = schedule.schedule(state, now, rules)
        if with_suggestions and schedule.customers_listed(items) < rules.daily_target:
            listed = {i.customer_id for i in items}
            pool = daily.untouched(tx, now=now, owner=who, limit=rules.daily_target + len(listed),
                                   rest_days=rules.rest_days,
                                   left_alone=state.snoozed_customers)  # fmt: skip
            items += schedule.top_up(
                items, state._replace(customers=pool), now, rules.daily_target,
                rest_days=rules.rest_days,
            )  # fmt: skip
        if items:
            return items, False, 0
        if customers.count_customers(tx, who):
            return items, False, 0
        return items, True, others_count(tx, who)

    items, empty, others = ctx.read(read)
    say_others(who, others)
    # empty: the owner's part of the book has no customers; "book" when no one's has any
    return items, now, ("book" if not others else repr(who)) if empty else None


def hint_none_owned(who: str | None) -> None:
    """The same hint for a calendar or report of someone who owns no customer (a misspelt
    --owner), whose pages would otherwise read as a quiet day."""
    if who is not None:
        say_others(who, ctx.read(lambda tx: others_count(tx, who)))


def _summary(
    owner: str | None, everyone: bool, kind: str | None
) -> tuple[list[dict[str, Any]], Any]:
    """What is due today, counted per owner and kind (with how many late): the scheduler's
    decisions on what they are made from, without the items' words."""
    from kehu.book import daily
    from kehu.rules import schedule
    from kehu.ui import daily_list

    now = ctx.now()
    rules = ctx.holiday_rules
    who = ctx.who(owner, everyone)

    def read(tx: Any) -> tuple[dict[tuple[str, str], tuple[int, int]], int]:
        state = daily.book_state(tx, now=now, rules=rules, owner=who, lean=True)
        counts = schedule.tally(state, now, rules)
        return counts, 0 if counts else others_count(tx, who)

    counts, others = ctx.read(read)
    say_others(who, others)
    if kind:
        counts = {group: count for group, count in counts.items() if group[1] == kind}
    return daily_list.summary(counts), now


def _with_points(items: list[Any], now: Any) -> dict[str, str]:
    """What to talk about, per item key: the customer's profile facts and the last note unless
    an item's reason already says it; why they were snoozed (when that has just ended) beside
    the item snoozed, or their first item when that one is no longer listed."""
    from kehu.book import daily
    from kehu.ui import words

    ids = [i.customer_id for i in items]

    def read(tx: Any) -> tuple[Any, Any]:
        facts = daily.talking_points(tx, ids, vocab.TALKING_KEYS)
        return facts, daily.snooze_notes(tx, ids, now)

    facts, snoozes = ctx.read(read)
    reasons: dict[int, list[str]] = {}
    for item in items:
        reasons.setdefault(item.customer_id, []).append(words.reason(item, now))
    listed = {item.key for item in items}
    points = {}
    for item in items:
        said = reasons.get(item.customer_id, [])
        some = [
            (key, value)
            for key, value in facts.get(item.customer_id, [])
            if key != vocab.LAST_NOTE or not any(value in reason for reason in said)
        ]
        snoozed = None
        if item.customer_id in snoozes:
            key, until, why = snoozes[item.customer_id]
            if key == item.key or key not in listed:  # not listed: the customer's first item
                snoozed = (until, why)
                listed.add(key)
        point = words.talking_point(some, snoozed, now)
        if point:
            points[item.key] = point
    return points


def _json_item(
    item: Any, now: Any, points: dict[str, str], name_owner: bool = False
) -> dict[str, Any]:
    from kehu.ui import tables, words

    group = item.kind == "holiday-group"  # about no one customer
    return {
        "key": item.key,
        "kind": item.kind,
        "customer_id": None if group else item.customer_id,
        "customer_name": None if group else item.customer_name,
        "phone": item.phone,
        "tier": None if group else item.tier,
        "owner": item.owner,
        "due": tables.iso(item.due, ctx.tz),
        "late": item.is_late(now),
        "late_since": tables.iso(item.late_since, ctx.tz),
        "days_late": item.days_late(now),
        "reason": words.reason(item, now, name_owner=name_owner),
        "reason_code": item.reason_code,
        "reason_params": words.reason_params(item.reason_params, now),
        "attempts": item.attempts,
        "talking_point": points.get(item.key),
        "suggestion": item.kind == "suggestion",
        "rank": item.rank,
    }


def _item_kinds() -> tuple[str, ...]:
    from kehu.rules import kinds

    return kinds.NAMES


@app.command(
    rich_help_panel=_("Daily"),
    help=_("Whom to contact today, why, and what to talk about: late first, then due."),
)
def today(
    json_: JsonOpt = False,
    limit: Annotated[int | None, Opt(min=1, help=_("Show at most N items."))] = None,
    kind: Annotated[
        str | None, Opt(help=_("Only items of this kind."), click_type=words(_item_kinds))
    ] = None,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
    drafts: Annotated[bool, Opt("--drafts", help=_("Show each item's draft under it."))] = False,
    summary: Annotated[
        bool, Opt("--summary", help=_("Counts per owner and kind instead of the items."))
    ] = False,
) -> None:
    from kehu.rules import kinds

    kind_word = choices.maybe_choice(kind, kinds.NAMES, _("kind"))
    owner = None if owner is None else owner_name(owner, "--owner")
    if summary:
        from kehu.ui import daily_list

        counted, now = _summary(owner, all_, kind_word)
        if json_:
            owner_shown = ctx.who(owner, all_)
            echo_json({"date": now.date().isoformat(), "now": now.isoformat(),
                       "owner": owner_shown, "summary": counted})  # fmt: skip
        else:
            daily_list.print_summary(counted, now)
        return
    wanted = kind_word in (None, "suggestion")
    items, now, empty = _list(owner, all_, with_suggestions=wanted)
    everything = len(items)
    if kind_word:  # a list of its own: numbered from 1, as `rank` in --json
        chosen = (i for i in items if i.kind == kind_word)
        items = [item._replace(rank=n) for n, item in enumerate(chosen, start=1)]
    whole, total = items, len(items)
    if limit:
        items = items[:limit]
    points = _with_points(items, now)
    texts, broken = _drafts(items) if drafts else ({}, {})
    others = all_ or (owner is not None and owner != ctx.user)  # not the user's own list
    if json_:
        listed = [_json_item(i, now, points, others) for i in items]
        if drafts:
            for entry in listed:
                entry["draft"] = texts.get(entry["key"])
        echo_json(
            {
                "date": now.date().isoformat(),
                "now": now.isoformat(),
                "owner": ctx.who(owner, all_),
                "daily_target": ctx.rules.daily_target,
                "items": listed,
            }
        )
        return
    from kehu.ui import daily_list

    daily_list.print_today(items, now, points, grouped=all_, drafts=texts | broken, whole=whole,
                           kind=kind_word, other_kinds=everything - total,
                           empty=empty, name_owner=others)  # fmt: skip


def _drafts(items: list[Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Each item's draft text, by key, and what an item whose template is broken shows instead
    (said once a template on stderr); an item whose draft needs a fact the book lacks (a
    holiday draft without its holiday) has neither."""
    from kehu.cli.drafts import item_draft
    from kehu.ui import drafts

    texts, broken, said = {}, {}, set()
    for item in items:
        try:
            texts[item.key] = item_draft(item.key)[2].text
        except drafts.BrokenTemplate as e:
            broken[item.key] = drafts.broken_text(e)
            if (e.lang, e.kind) not in said:
                said.add((e.lang, e.kind))
                say(_("warning: {warning}").format(warning=e), err=True)
        except BadInput:
            pass
    return texts, broken


@app.command(
    rich_help_panel=_("Daily"),
    help=_("Only what is late, plain, for a cron job; prints nothing at all when nothing is."),
)
def overdue(
    json_: JsonOpt = False,
    fail: Annotated[bool, Opt("--fail", help=_("Exit with 1 when anything is late."))] = False,
    owner: OwnerOpt = None,
    all_: AllOpt = False,
) -> None:
    from kehu.rules import records

    items, now, _empty = _list(owner, all_, with_suggestions=False)
    late = records.late_only(items, now)
    if json_:
        echo_json([_json_item(i, now, {}) for i in late])
    elif late:
        from kehu.ui import daily_list

        daily_list.print_overdue(late, now, grouped=all_)
    if fail and late:
        raise typer.Exit(1)


@app.command(
    rich_help_panel=_("Daily"),
    help=_("Close an item: logs the contact it asked for (or keeps the promise)."),
)
def done(
    key: Annotated[str, typer.Argument(help=_("The item's key from `kehu today`, like T5."))],
    customers: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CUSTOMER]...",
            help=_("With a grouped greeting's key (G…): greet only these customers."),
            show_default=False,
        ),
    ] = None,
    via: Annotated[
        str | None,
        Opt(
            help=", ".join(vocab.CHANNELS)
            + _("; default: the default_channel setting, or wechat with --sent."),
            click_type=words(vocab.CHANNELS),
        ),
    ] = None,
    note: Annotated[str | None, Opt(help=_("What was said."))] = None,
    again: Annotated[
        bool, Opt("--again", help=_("Log the contact even if the item is already done."))
    ] = False,
    sent: Annotated[str | None, Opt(help=_("The text you sent: kept as the note."))] = None,
    sent_draft: Annotated[
        bool, Opt("--draft", help=_("You sent the item's draft (`kehu draft KEY`) as it is."))
    ] = False,
    level: Annotated[
        str | None,
        Opt(
            help=_(
                "With a prospect's item (L…): their new level after this contact: H, A, B, C, N, O."
            ),
            click_type=words(vocab.LEVELS),
        ),
    ] = None,
) -> None:
    from kehu.book import items
    from kehu.rules import kinds
    from kehu.ui import card

    now = ctx.now()
    new_level = None
    if level is not None:
        from kehu.cli import prospect_input

        new_level = prospect_input.level(level)
    if sum(x is not None for x in (note, sent)) + sent_draft > 1:
        raise BadInput(_("--note, --sent and --draft each give the note; give one of them"))
    texted = sent is not None or sent_draft
    channel = ctx.channel("wechat" if via is None and texted else via)
    if sent is not None:  # the text that was sent: there was some
        note_text = typed.text(sent, "--sent", required=True)
    else:
        note_text = typed.text(note, "--note")
    if sent_draft:
        from kehu.cli.drafts import item_draft

        note_text = item_draft(key)[2].text
    rules = ctx.holiday_rules
    if typed.half_width(key).strip().upper().startswith("G") or customers:
        from kehu.cli.greetings import greet_group

        if new_level is not None:
            raise BadInput(
                _("--level re-grades a prospect with the contact that closes their L item; a "
                  "greeting grades no one; nothing was logged")
            )  # fmt: skip
        greet_group(key, customers or [], channel=channel, note=note_text, sent=texted)
        return
    closed = ctx.write(
        lambda tx: items.close_item(
            tx,
            key=key,
            now=now,
            channel=channel,
            note=note_text,
            made_by=ctx.made_by,
            rules=rules,
            again=again,
            sent=texted,
            level=new_level,
        )  # fmt: skip
    )
    if isinstance(closed, items.AlreadyDone):
        from kehu.ui import words

        say(words.already_done(closed, now))
        return
    from kehu.base import cjk

    who = _("{name} (#{id})").format(name=closed.customer_name, id=closed.customer_id)
    if closed.how == kinds.KEEP_PROMISE:
        say(cjk.spaced(_("Done {key}: the promise to {who} is kept."), key=closed.key, who=who))
    else:
        say(cjk.spaced(_("Done {key}: logged {channel} with {who}."), key=closed.key,
                       channel=card.code_word(channel), who=who))  # fmt: skip
    if closed.level is not None:
        say(_("Level now {level}.").format(level=closed.level))


@app.command(rich_help_panel=_("Daily"), help=_("Put off one item until a later day."))
def snooze(
    key: Annotated[str, typer.Argument(help=_("The item's key from `kehu today`, like C5.1m."))],
    until: Annotated[
        str, Opt(help=_("Show it again from this day (or time)."), show_default=False)
    ],
    reason: Annotated[str | None, Opt(help=_("Why it waits."))] = None,
) -> None:
    from kehu.book import items
    from kehu.ui import dates

    now = ctx.now()
    when = typed.when(until, now, "start")
    if when <= now:
        raise BadInput(_("--until must be in the future; a snooze puts an item off until later"))
    why = typed.text(reason, "--reason")
    snoozed = ctx.write(
        lambda tx: items.snooze_item(
            tx, key=key, until=when, reason=why, now=now, made_by=ctx.made_by, rules=ctx.rules
        )
    )
    if isinstance(snoozed, items.AlreadyDone):
        from kehu.ui import words

        say(words.already_done(snoozed, now, snoozing=True))
        return
    if snoozed.unchanged:
        say(
            _("{key} ({name}) is already snoozed until {when}; nothing changed.").format(
                key=snoozed.key, name=snoozed.customer_name, when=dates.moment(snoozed.until, now)
            )
        )
        return
    say(
        _("Snoozed {key} ({name}) until {when}.").format(
            key=snoozed.key, name=snoozed.customer_name, when=dates.moment(snoozed.until, now)
        )
    )
