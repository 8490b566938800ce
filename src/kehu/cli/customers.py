"""Commands about customers and their sales: add, sale, show, list, edit, archive, delete."""

import sys
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _, ngettext
from kehu.cli.app import (
    CUSTOMER,
    CustomerArg,
    JsonOpt,
    app,
    ctx,
    echo_json,
    echo_json_rows,
    owner_name,
    say,
    words,
)
from kehu.rules import choices, vocab

if TYPE_CHECKING:
    from kehu.book import engine

Opt = typer.Option


# The prospect card's options (意向客户管理卡), taken by `add --prospect` and by `edit`.
InterestOpt = Annotated[
    str | None, Opt(help=_("The product they are interested in: a model, a policy…"))
]
BudgetOpt = Annotated[str | None, Opt(help=_("Their budget: 25万."))]
ExpectedOpt = Annotated[str | None, Opt(help=_("When they expect to buy."))]
LanguageOpt = Annotated[
    str | None,
    Opt(help=_("Their drafts' language: zh or en."), click_type=words(("zh", "en"))),
]
PaymentOpt = Annotated[
    str | None, Opt(help=_("full or loan (全款, 贷款)."), click_type=words(vocab.PAYMENTS))
]
CurrentCarOpt = Annotated[str | None, Opt(help=_("What they have now: their car, a policy…"))]
UsageOpt = Annotated[str | None, Opt(help=_("Who will use it, and for what."))]
CaresOpt = Annotated[str | None, Opt(help=_("What they care about: price, service, quality…"))]
CompetitorOpt = Annotated[
    list[str] | None, Opt(help=_("A competing product they consider (up to 3)."))
]
BestTimeOpt = Annotated[str | None, Opt(help=_("The best time to call them."))]


@app.command(
    rich_help_panel=_("Customers"),
    help=_("Add a customer right after a sale (with --product), or a repeat sale by phone."),
)
def add(
    name: Annotated[str, typer.Argument(help=_("The customer's name."), show_default=False)],
    phone: Annotated[
        str | None, Opt(help=_("Same phone as a known customer: a repeat sale."))
    ] = None,
    email: Annotated[str | None, Opt()] = None,
    wechat: Annotated[str | None, Opt()] = None,
    company: Annotated[str | None, Opt()] = None,
    title: Annotated[str | None, Opt()] = None,
    address: Annotated[str | None, Opt()] = None,
    gender: Annotated[
        str | None, Opt(help=_("female, male or other."), click_type=words(vocab.GENDERS))
    ] = None,
    salutation: Annotated[str | None, Opt(help=_("How to address them: 张总, 王姐."))] = None,
    language: LanguageOpt = None,
    birthday: Annotated[str | None, Opt(help=_("1985-03-15, or 03-15."))] = None,
    tier: Annotated[
        str, Opt(help=_("A (key customer), B or C."), click_type=words(vocab.TIERS))
    ] = "B",
    source: Annotated[
        str | None, Opt(help=", ".join(vocab.SOURCES), click_type=words(vocab.SOURCES))
    ] = None,
    referred_by: Annotated[str | None, Opt(help=_("The customer who sent them."))] = None,
    product: Annotated[str | None, Opt(help=_("What they bought: records the sale."))] = None,
    amount: Annotated[str | None, Opt(help=_("What they paid."))] = None,
    delivered: Annotated[
        str | None, Opt(help=_("When it was (or will be) delivered; default now."))
    ] = None,
    note: Annotated[str | None, Opt(help=_("A note about the customer."))] = None,
    set_: Annotated[list[str] | None, Opt("--set", help=_("A profile fact, key=value."))] = None,
    new: Annotated[
        bool, Opt("--new", help=_("A new person, even if the name or the phone is known."))
    ] = False,
    prospect: Annotated[
        bool, Opt("--prospect", help=_("Not bought yet: a prospect (意向客户) to follow up."))
    ] = False,
    level: Annotated[
        str | None,
        Opt(
            help=_("The prospect's level: H, A, B, C, N (new) or O (ordered)."),
            click_type=words(vocab.LEVELS),
        ),
    ] = None,
    interest: InterestOpt = None,
    budget: BudgetOpt = None,
    expected: ExpectedOpt = None,
    payment: PaymentOpt = None,
    current_car: CurrentCarOpt = None,
    usage: UsageOpt = None,
    cares: CaresOpt = None,
    competitor: CompetitorOpt = None,
    best_time: BestTimeOpt = None,
) -> None:
    from kehu.book import customers
    from kehu.cli import prospect_input
    from kehu.rules import customer_fields
    from kehu.ui import words

    now = ctx.now()
    fields = customer_fields.check(
        {"name": name, "phone": phone, "email": email, "wechat": wechat, "company": company,
         "title": title, "address": address, "birthday": birthday, "notes": note,
         "gender": gender, "tier": tier, "source": source, "salutation": salutation,
         "language": language},
        label=words.field_label,
        today=now.date(),
    )  # fmt: skip
    typed.past_birthday(fields["birthday"], now.date())
    profile = customer_fields.phone_facts(phone)
    profile += customer_fields.check_facts(typed.pairs(set_ or [], "--set"))
    sale = _sale(product, amount, delivered, now, required=False)
    card_options = (level, interest, budget, expected, payment, current_car, usage, cares,
                    competitor, best_time)  # fmt: skip
    prospect_card = None
    if prospect:
        if sale is not None:
            raise BadInput(_("--prospect is someone who has not bought yet; drop --product"))
        prospect_card = (
            prospect_input.level(level or "N"),
            prospect_input.card(
                interest=interest, budget=budget, expected=expected, payment=payment,
                current_car=current_car, usage=usage, cares=cares, competitors=competitor,
                best_time=best_time, now=now,
            ),
        )  # fmt: skip
    elif any(option is not None for option in card_options):
        raise BadInput(_("--level, --interest, --budget… describe a prospect; add --prospect"))
    if sale is None and (amount is not None or delivered is not None):
        raise BadInput(_("--amount and --delivered describe a sale; add --product too"))

    chosen: int | None = None
    if (
        not new
        and prospect_card is None
        and fields["phone"] is None
        and sys.stdin.isatty()
        and ctx.has_book()
    ):
        chosen = _ask_which(fields["name"])
        new = chosen is None

    # Signs the first grade, or the loss a lost prospect's sale keeps in their history.
    made_by = ctx.made_by if prospect_card is not None or sale is not None else None
    done = ctx.write(
        lambda tx: customers.record_sale(
            tx, fields=fields, profile=profile, sale=sale, referred_by=referred_by,
            chosen=chosen, new=new, owner=ctx.user, now=now, shares_phone=new,
            prospect=prospect_card, made_by=made_by,
        ),
        create=True,
    )  # fmt: skip
    from kehu.base import cjk

    who = _who(done.customer)
    if done.outcome == "added" and prospect_card is not None:
        say(cjk.spaced(_("Added {who}, a prospect graded {level}."), who=who,
                       level=prospect_card[0]))  # fmt: skip
    elif done.outcome == "added":
        say(cjk.spaced(_("Added {who}, tier {tier}."), who=who, tier=done.tier))
    elif done.first_sale and chosen is not None:
        say(cjk.spaced(_("First sale to {who}, a prospect until now (the one you chose)."),
                       who=who))  # fmt: skip
    elif done.first_sale:
        say(cjk.spaced(_("First sale to {who}, a prospect until now (same phone)."), who=who))
    elif chosen is not None:  # a namesake the user said is the same person
        say(cjk.spaced(_("Repeat sale: {who} is already in your book (the one you chose)."),
                       who=who))  # fmt: skip
    else:
        say(cjk.spaced(_("Repeat sale: {who} is already in your book (same phone)."), who=who))
        if done.customer.name != fields["name"]:
            say(cjk.spaced(_("The phone belongs to {who}, so the sale is theirs; if {name} is "
                             "another person, add them with --new."), who=who,
                           name=fields["name"]))  # fmt: skip
        if done.filled:
            filled = _(", ").join(words.detail(f) for f in done.filled)
            say(_("Filled in: {fields}.").format(fields=filled))
    if done.ordered:
        _say_ordered()
    if sale is not None:
        _echo_sale(sale, now)


def _say_ordered() -> None:
    """A prospect sold to, the delivery still to come: ordered (level O) until then."""
    say(_("Now an ordered prospect (level O) until the delivery; a customer from then."))


def _who(customer: Any) -> str:
    return _("{name} (#{id})").format(name=customer.name, id=customer.id)


def _sale(
    product: str | None, amount: str | None, delivered: str | None, now: Any, *, required: bool
) -> Any:
    """The sale the options describe; None without --product (when not required)."""
    from kehu.book.customers import Sale

    what = typed.text(product, "--product", required=required, longest=typed.LONGEST["product"])
    price = typed.amount(amount)
    if what is None:
        return None
    delivered_at = typed.when(delivered, now, "day-near") if delivered else now
    # a sale cannot come after its delivery: one delivered in the past was sold by then
    return Sale(what, price, delivered_at, sold_at=min(delivered_at, now))


def _echo_sale(sale: Any, now: Any) -> None:
    from datetime import timedelta

    from kehu.rules import after_sale
    from kehu.ui import dates, tables

    product = sale.product
    if sale.amount is not None:
        product = _("{product}, {amount}").format(product=product, amount=tables.money(sale.amount))
    when = dates.moment(sale.delivered_at, now)
    if sale.delivered_at > now:
        say(_("Sale: {product}, to be delivered {when}.").format(product=product, when=when))
    else:
        late = after_sale.thank_you_late(sale.delivered_at.astimezone(now.tzinfo), ctx.rules)
        end = dates.end_of_day(late, now)
        if sale.delivered_at + timedelta(days=ctx.rules.thank_you_expire_days) <= now:
            thanks = _("The thank-you window has passed.")
        elif late <= now:
            thanks = (
                _("The thank-you note was due by {due}.")
                if end is None
                else _("The thank-you note was due by the end of {day}.")
            )
        else:
            thanks = (
                _("Send a thank-you note by {due}.")
                if end is None
                else _("Send a thank-you note by the end of {day}.")
            )
        sold = _("Sale: {product}, delivered {when}.").format(product=product, when=when)
        say(
            _("{sale} {thank_you}").format(
                sale=sold, thank_you=thanks.format(due=dates.moment(late, now), day=end)
            )
        )


def _ask_which(name: str) -> int | None:
    """On a terminal, when the name is known: ask whether it is the same person."""
    from kehu.book import customers, find

    rows = ctx.read(lambda tx: customers.namesakes(tx, name=name))
    if not rows:
        return None
    from kehu.base import cjk

    say(cjk.spaced(_("{name} is already in your book:"), name=name), err=True)  # 张伟已在…
    for row in rows:
        say(find.describe(row), err=True)
    ids = {str(r["id"]) for r in rows}
    answer = ""
    while not answer:  # not typer.prompt: it writes the prompt's last character to stdout
        say(_("Type the id of the same person, or n for a new one: "), err=True, nl=False)
        line = sys.stdin.readline()
        if not line:
            say(err=True)
            raise typer.Abort()
        answer = unicodedata.normalize("NFKC", line).strip().lstrip("#").strip()
    if answer in ids:
        return int(answer)
    if answer.lower() == "new" or _means(answer, "no"):
        return None
    if len(ids) == 1 and _means(answer, "yes"):  # y, 是: the one namesake shown
        return int(next(iter(ids)))
    raise BadInput(
        _("{answer!r} is neither one of the ids shown nor n; nothing was added").format(
            answer=answer
        )
    )


def _means(answer: str, code: str) -> bool:
    """Whether the answer is `code` (yes or no) in any word kehu knows for it: n, no, 否, 不是,
    y, 是… (rules/vocab.py)."""
    try:
        return (
            choices.choice(answer, vocab.YES_NO, _("answer"), synonyms=vocab.YES_NO_WORDS) == code
        )
    except BadInput:
        return False


@app.command(
    rich_help_panel=_("Customers"), help=_("Record a further purchase by a known customer.")
)
def sale(
    customer: CustomerArg,
    product: Annotated[str, Opt(help=_("What they bought."), show_default=False)],
    amount: Annotated[str | None, Opt(help=_("What they paid."))] = None,
    delivered: Annotated[str | None, Opt(help=_("When delivered; default now."))] = None,
) -> None:
    from kehu.book import customers, items

    now = ctx.now()
    sold = _sale(product, amount, delivered, now, required=True)
    rules = ctx.rules
    done = ctx.write(  # a prospect's L item is closed by the sale: its snooze ends with it
        lambda tx: items.snoozes_closed_by(tx, customer, now, rules, lambda: (
            customers.record_purchase(
                tx, customer=customer, sale=sold, now=now, made_by=ctx.made_by
            )
        ))
    )  # fmt: skip
    from kehu.base import cjk

    who = _who(done.customer)
    if done.was_lost is not None:
        from kehu.ui import dates, prospects

        lost_at, reason = done.was_lost
        said = (
            _("Sale to {who}, a lost prospect who came back to buy (lost {day}: {reason}).")
            if done.ordered
            else _("Sale to {who}, a lost prospect who came back to buy (lost {day}: {reason}); "
                   "a customer now.")
        )  # fmt: skip
        say(cjk.spaced(said, who=who, day=dates.date_only(lost_at, now),
                       reason=prospects.lost_reason(reason)))  # fmt: skip
    elif done.first_sale:
        say(cjk.spaced(_("First sale to {who}, a prospect until now."), who=who))
    else:
        say(cjk.spaced(_("Sale to {who}."), who=who))
    if done.ordered:
        _say_ordered()
    _echo_sale(sold, now)


@app.command(
    rich_help_panel=_("Customers"),
    help=_("The customer card: details, profile, purchases, promises and every contact."),
)
def show(customer: CustomerArg, json_: JsonOpt = False) -> None:
    from kehu.book import customers, prospects
    from kehu.ui import card

    now = ctx.now()
    rules = ctx.holiday_rules

    def read(tx: Any) -> dict[str, Any]:
        from kehu.book import coming, daily, items
        from kehu.rules import after_sale, schedule

        raw = customers.card(tx, customer=customer)
        cid = raw["customer"]["id"]
        state = daily.book_state(tx, now=now, rules=rules, owner=None, customer_id=cid)
        raw["snoozes"] = [  # a snooze of an item since closed no longer runs
            z for z in raw["snoozes"]
            if z["key"] in state.snoozed and not items.is_closed(tx, z["key"], now, rules)
        ]  # fmt: skip
        raw["followups"] = coming.open_calls(raw["followups"], now)
        raw["today"] = [i for i in schedule.schedule(state, now, rules) if i.customer_id == cid]
        delivered = [
            (p["id"], p["delivered_at"].astimezone(now.tzinfo))
            for p in raw["purchases"]
            if p["delivered_at"] is not None
        ]
        called = raw["customer"]["last_other_at"]
        raw["next_call_back"] = after_sale.next_call_back(
            delivered, now.date(), rules, called.astimezone(now.tzinfo) if called else None
        )
        raw["prospect"] = prospects.card(tx, customer_id=cid)
        return raw

    data = card.card(ctx.read(read), now, feb29=rules.feb29)
    if json_:
        echo_json(data)
    else:
        from kehu.cli.drafts import latin_style

        card.print_card(data, now, latin=latin_style())


@app.command(
    "list",
    rich_help_panel=_("Customers"),
    help=_("One line per customer, with days since the last reached contact."),
)
def list_(
    tier: Annotated[
        str | None, Opt(help=_("Only this tier: A, B or C."), click_type=words(vocab.TIERS))
    ] = None,
    search: Annotated[
        str | None, Opt(help=_("Text in a name, phone, company, note or profile."))
    ] = None,
    archived: Annotated[
        bool, Opt("--archived", help=_("List archived customers instead."))
    ] = False,
    sort: Annotated[
        str | None,
        Opt(
            help=_("last-contact (longest ago first), name, tier or added (newest first)."),
            click_type=words(vocab.LIST_ORDERS),
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import customers
    from kehu.ui import card, tables

    tier_word = choices.maybe_choice(tier, vocab.TIERS, _("tier"), synonyms=vocab.TIER_WORDS)
    order = choices.maybe_choice(sort, vocab.LIST_ORDERS, _("order (--sort)"))
    now = ctx.now()

    def lines(tx: "engine.Tx") -> Iterator[dict[str, Any]]:
        rows = customers.listing(tx, tier=tier_word, search=search, archived=archived,
                                 owner=None, order=order)  # fmt: skip
        return (card.customer_line(r, now) for r in rows)

    def cells(tx: "engine.Tx") -> Iterator[list[str]]:
        rows = customers.listing(tx, tier=tier_word, search=search, archived=archived,
                                 owner=None, order=order)  # fmt: skip
        for r in rows:
            yield [str(r["id"]), r["name"], r["phone"] or "", r["company"] or "", r["tier"],
                   _days_since(tables.days_since(r["last_reached_at"], now))]  # fmt: skip

    def show(tx: "engine.Tx") -> bool:
        """Print the list (read twice on a pipe: widths first, then the lines, so that a book
        of any size lists in bounded memory); False when no customer matched."""
        if json_:
            echo_json_rows(lines(tx))
            return True
        headers = [_("id"), _("name"), _("phone"), _("company"), _("tier"),
                   _("days since contact")]  # fmt: skip
        return tables.table_streamed(headers, lambda: cells(tx))

    if not ctx.read(show):
        say(_("No customers match.") if (tier or search or archived) else _("No customers yet."))


def _days_since(days: int | None) -> str:
    if days is None:
        return _("never")
    return _("in the future") if days < 0 else str(days)  # the clock went back since


@app.command(
    rich_help_panel=_("Customers"),
    help=_('Change a customer\'s details or profile. An empty value ("") clears a detail.'),
)
def edit(
    customer: CustomerArg,
    name: Annotated[str | None, Opt()] = None,
    phone: Annotated[str | None, Opt()] = None,
    email: Annotated[str | None, Opt()] = None,
    wechat: Annotated[str | None, Opt()] = None,
    company: Annotated[str | None, Opt()] = None,
    title: Annotated[str | None, Opt()] = None,
    address: Annotated[str | None, Opt()] = None,
    gender: Annotated[str | None, Opt(click_type=words(vocab.GENDERS))] = None,
    salutation: Annotated[str | None, Opt(help=_("How to address them: 张总, 王姐."))] = None,
    language: LanguageOpt = None,
    birthday: Annotated[str | None, Opt()] = None,
    tier: Annotated[str | None, Opt(click_type=words(vocab.TIERS))] = None,
    source: Annotated[str | None, Opt(click_type=words(vocab.SOURCES))] = None,
    referred_by: Annotated[str | None, Opt()] = None,
    note: Annotated[str | None, Opt(help=_("Replace the customer's note."))] = None,
    set_: Annotated[list[str] | None, Opt("--set", help=_("A profile fact, key=value."))] = None,
    unset: Annotated[list[str] | None, Opt("--unset", help=_("Remove a profile fact."))] = None,
    interest: InterestOpt = None,
    budget: BudgetOpt = None,
    expected: ExpectedOpt = None,
    payment: PaymentOpt = None,
    current_car: CurrentCarOpt = None,
    usage: UsageOpt = None,
    cares: CaresOpt = None,
    competitor: CompetitorOpt = None,
    best_time: BestTimeOpt = None,
    new: Annotated[
        bool, Opt("--new", help=_("Keep a phone another customer has: a phone they share."))
    ] = False,
) -> None:
    from kehu.book import customers
    from kehu.cli import prospect_input
    from kehu.rules import customer_fields
    from kehu.ui import words

    now = ctx.now()
    changes = customer_fields.check(
        {"name": name, "phone": phone, "email": email, "wechat": wechat, "company": company,
         "title": title, "address": address, "notes": note, "birthday": birthday,
         "gender": gender, "tier": tier, "source": source, "salutation": salutation,
         "language": language},
        partial=True,
        label=words.field_label,
        today=now.date(),
    )  # fmt: skip
    profile = customer_fields.phone_facts(phone)
    profile += customer_fields.check_facts(typed.pairs(set_ or [], "--set"))
    removed = [k.strip() for k in unset or []]
    typed.past_birthday(changes.get("birthday"), now.date())
    given = {"interest": interest, "budget": budget, "expected_on": expected,
             "payment": payment, "current_car": current_car, "usage": usage, "cares": cares,
             "competitors": competitor, "best_time": best_time}  # fmt: skip
    stored_card = prospect_input.card(
        interest=interest, budget=budget, expected=expected, payment=payment,
        current_car=current_car, usage=usage, cares=cares, competitors=competitor,
        best_time=best_time, now=now,
    ).stored()  # fmt: skip
    card_changes = {k: stored_card[k] for k, v in given.items() if v is not None}
    if not changes and not profile and not removed and referred_by is None and not card_changes:
        raise BadInput(_("nothing to change; give options such as --phone or --set key=value"))
    ref, changed = ctx.write(
        lambda tx: customers.change_customer(
            tx, customer=customer, changes=changes, referred_by=referred_by, profile=profile,
            removed=removed, now=now, card=card_changes, shares_phone=new,
        )
    )  # fmt: skip
    if not changed:
        say(_("{who} already has that; nothing changed.").format(who=_who(ref)))
        return
    from kehu.base import cjk

    say(cjk.spaced(_("Updated {who}."), who=_who(ref)))


def _set_archived(customer: str, archive: bool) -> None:
    from kehu.book import customers

    now = ctx.now()
    ref, changed = ctx.write(
        lambda tx: customers.change_archived(tx, customer=customer, archive=archive, now=now)
    )
    if not changed:
        same = (
            _("#{id} is already archived; nothing changed.")
            if archive
            else _("#{id} is not archived; nothing changed.")
        )
        say(same.format(id=ref.id))
        return
    from kehu.base import cjk

    done = _("Archived {who}.") if archive else _("Unarchived {who}.")
    say(cjk.spaced(done, who=_who(ref)))


@app.command(
    rich_help_panel=_("Customers"),
    help=_("Take a customer off lists and the schedule; everything about them is kept."),
)
def archive(customer: CustomerArg) -> None:
    _set_archived(customer, True)


@app.command(rich_help_panel=_("Customers"), help=_("Bring an archived customer back."))
def unarchive(customer: CustomerArg) -> None:
    _set_archived(customer, False)


@app.command(
    rich_help_panel=_("Customers"),
    help=_("Delete a customer and all their purchases, contacts and promises. Needs --yes."),
)
def delete(
    customer: CustomerArg,
    yes: Annotated[bool, Opt("--yes", help=_("Really delete, with all their history."))] = False,
) -> None:
    from kehu.book import customers

    if not yes:
        raise BadInput(
            _(
                "deleting removes the customer and their history (`kehu undo` brings them back);"
                " add --yes to delete, or use `kehu archive` instead"
            )
        )
    ref = ctx.write(lambda tx: customers.remove_customer(tx, customer=customer))
    say(_("Deleted #{id} and everything recorded about them.").format(id=ref.id))


@app.command(
    rich_help_panel=_("Team"),
    help=_(
        "Hand a customer (or, with --from/--to, all of one owner's customers) to a salesperson."
    ),
)
def assign(
    customer: Annotated[
        str | None,
        typer.Argument(help=_("The customer to hand over."), click_type=CUSTOMER),
    ] = None,
    owner: Annotated[str | None, typer.Argument(help=_("The salesperson who takes them."))] = None,
    from_: Annotated[str | None, Opt("--from", help=_("Hand over all of this owner's…"))] = None,
    to: Annotated[str | None, Opt("--to", help=_("…customers to this owner."))] = None,
) -> None:
    from kehu.book import customers

    single = customer is not None and owner is not None and from_ is None and to is None
    bulk = customer is None and owner is None and from_ is not None and to is not None
    if not (single or bulk):
        raise BadInput(_("give CUSTOMER OWNER, or --from OWNER --to OWNER for all their customers"))
    new_owner = owner_name(owner or "", "OWNER") if single else owner_name(to or "", "--to")
    from kehu.base import cjk

    if customer is not None:
        ref = ctx.write(lambda tx: customers.assign(tx, customer=customer, owner=new_owner))
        who = _who(ref)
        if not ctx.changed:
            say(cjk.spaced(_("{who} is already {owner}'s; nothing changed."), who=who,
                           owner=new_owner))  # fmt: skip
            return
    else:
        from_ = owner_name(from_ or "", "--from")
        moved = ctx.write(lambda tx: customers.assign_all(tx, from_owner=from_, to_owner=new_owner))
        who = cjk.spaced(
            ngettext("{count} customer of {owner}", "{count} customers of {owner}", moved),
            count=moved, owner=from_,
        )  # fmt: skip
        if not ctx.changed:
            say(_("--from and --to name the same salesperson; nothing changed."))
            return
    say(cjk.spaced(_("Assigned {who} to {owner}."), who=who, owner=new_owner))
