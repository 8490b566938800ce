"""Commands about customers and their sales: add, sale, show, list, edit, archive, delete."""

import sys
from typing import Annotated, Any

import typer

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.cli.app import CustomerArg, JsonOpt, app, complete_customer, ctx, echo_json
from kehu.rules import vocab

Opt = typer.Option


def _customer_fields(**given: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        k: typed.text(v, f"--{k}", longest=typed.LONGEST[k])
        for k, v in given.items()
        if k != "birthday"
    }
    fields["birthday"] = typed.birthday(given.get("birthday"))
    return fields


@app.command(rich_help_panel="Customers")
def add(
    name: Annotated[str, typer.Argument(help="The customer's name.", show_default=False)],
    phone: Annotated[str | None, Opt(help="Same phone as a known customer: a repeat sale.")] = None,
    email: Annotated[str | None, Opt()] = None,
    wechat: Annotated[str | None, Opt()] = None,
    company: Annotated[str | None, Opt()] = None,
    title: Annotated[str | None, Opt()] = None,
    address: Annotated[str | None, Opt()] = None,
    gender: Annotated[str | None, Opt(help="female, male or other.")] = None,
    birthday: Annotated[str | None, Opt(help="1985-03-15, or 03-15.")] = None,
    tier: Annotated[str, Opt(help="A (key customer), B or C.")] = "B",
    source: Annotated[str | None, Opt(help=", ".join(vocab.SOURCES))] = None,
    referred_by: Annotated[str | None, Opt(help="The customer who sent them.")] = None,
    product: Annotated[str | None, Opt(help="What they bought: records the sale.")] = None,
    amount: Annotated[str | None, Opt(help="What they paid.")] = None,
    delivered: Annotated[
        str | None, Opt(help="When it was (or will be) delivered; default now.")
    ] = None,
    note: Annotated[str | None, Opt(help="A note about the customer.")] = None,
    set_: Annotated[list[str] | None, Opt("--set", help="A profile fact, key=value.")] = None,
    new: Annotated[bool, Opt("--new", help="A new person, even if the name is known.")] = False,
) -> None:
    """Add a customer right after a sale (with --product), or a repeat sale by phone."""
    from kehu.book import engine, find, writes

    now = ctx.now()
    fields = _customer_fields(
        name=name, phone=phone, email=email, wechat=wechat, company=company, title=title,
        address=address, birthday=birthday,
    )  # fmt: skip
    if not fields["name"]:
        raise BadInput("the name is empty; give the customer's name")
    fields["notes"] = typed.text(note, "--note")
    fields["gender"] = typed.maybe_choice(gender, vocab.GENDERS, "gender")
    fields["tier"] = typed.choice(tier, vocab.TIERS, "tier")
    fields["source"] = typed.maybe_choice(source, vocab.SOURCES, "source")
    profile = typed.pairs(set_ or [], "--set")
    product = typed.text(product, "--product", longest=typed.LONGEST["product"])
    price = typed.amount(amount)
    if product is None and (price is not None or delivered is not None):
        raise BadInput("--amount and --delivered describe a sale; add --product too")
    delivered_at = typed.when(delivered, now, "event") if delivered else now
    if referred_by is not None and fields["source"] is None:
        fields["source"] = "referral"

    chosen: int | None = None
    if not new and fields["phone"] is None and sys.stdin.isatty() and ctx.has_book():
        chosen = _ask_which(fields["name"])
        new = chosen is None

    def write(tx: engine.Tx) -> tuple[str, Any, list[str]]:
        if referred_by is not None:
            fields["referred_by"] = find.customer(tx, referred_by)["id"]
        existing = _existing(tx, fields, chosen, new)
        if existing is not None and fields.get("referred_by") == existing["id"]:
            raise BadInput("a customer cannot be their own referrer")
        if existing is not None and product is None:
            raise BadInput(
                f"that customer is already in the book as #{existing['id']}; use `kehu edit "
                f"{existing['id']}` to change details, or add --product to record a sale"
            )
        if existing is None:
            cid = writes.add_customer(tx, owner=ctx.user, now=now, **fields)
            outcome, filled = "added", []
        else:
            cid = existing["id"]
            filled = writes.fill_blanks(tx, customer_id=cid, **fields)
            if existing["archived_at"] is not None:
                writes.set_archived(tx, customer_id=cid, when=None)
            outcome = "repeat"
        for key, value in profile:
            writes.set_profile(tx, customer_id=cid, key=key, value=value)
        if product:
            writes.add_purchase(
                tx, customer_id=cid, product=product, amount=price, sold_at=now,
                delivered_at=delivered_at,
            )  # fmt: skip
        row = engine.one(
            tx, "SELECT id, name, tier, archived_at FROM customer WHERE id = :id", id=cid
        )
        return outcome, row, filled

    outcome, row, filled = ctx.write(write)
    who = f"{row['name']} (#{row['id']})"
    if outcome == "added":
        typer.echo(f"Added {who}, tier {row['tier']}.")
    else:
        typer.echo(f"Repeat sale: {who} is already in your book (same phone).")
        if filled:
            typer.echo(f"Filled in: {', '.join(f.replace('_', ' ') for f in filled)}.")
    if product:
        _echo_sale(product, price, delivered_at, now)


def _echo_sale(product: str, price: Any, delivered_at: Any, now: Any) -> None:
    from kehu.ui import dates, tables

    cost = f", {tables.money(price)}" if price is not None else ""
    when = dates.moment(delivered_at, now)
    if delivered_at > now:
        typer.echo(f"Sale: {product}{cost}, to be delivered {when}.")
    else:
        rules = ctx.rules
        due = dates.moment(delivered_at + _hours(rules.thank_you_late_hours), now)
        typer.echo(f"Sale: {product}{cost}, delivered {when}. Send a thank-you note by {due}.")


def _hours(n: int) -> Any:
    from datetime import timedelta

    return timedelta(hours=n)


def _existing(tx: Any, fields: dict[str, Any], chosen: int | None, new: bool) -> Any:
    """The customer a sale belongs to: same phone, the one chosen, or none (a new person)."""
    from kehu.book import find

    columns = "id, name, phone, company, archived_at"
    if chosen is not None:
        return tx.all(f"SELECT {columns} FROM customer WHERE id = :id", id=chosen)[0]
    digits = vocab.phone_digits(fields["phone"])
    if digits:
        same = tx.all(
            f"SELECT {columns} FROM customer WHERE phone_digits = :p ORDER BY archived_at IS NULL"
            " DESC, id",
            p=digits,
        )
        return same[0] if same else None
    if new:
        return None
    namesakes = tx.all(
        f"SELECT {columns} FROM customer WHERE name = :n ORDER BY id", n=fields["name"]
    )
    if namesakes:
        raise find.ambiguity(
            namesakes,
            "that name is already in the book. For a sale to one of them use `kehu sale ID`; "
            "to tell them apart give --phone; to add another person of that name give --new",
        )
    return None


def _ask_which(name: str) -> int | None:
    """On a terminal, when the name is known: ask whether it is the same person."""
    from kehu.book import find

    rows = ctx.read(
        lambda tx: tx.all(
            "SELECT id, name, phone, company, archived_at FROM customer WHERE name = :n"
            " ORDER BY id",
            n=name,
        )
    )
    if not rows:
        return None
    typer.echo(f"{name} is already in your book:", err=True)
    for row in rows:
        typer.echo(find.describe(row), err=True)
    ids = {str(r["id"]) for r in rows}
    answer = ""
    while not answer:  # not typer.prompt: it writes the prompt's last character to stdout
        typer.echo("Type the id of the same person, or n for a new one: ", err=True, nl=False)
        line = sys.stdin.readline()
        if not line:
            typer.echo(err=True)
            raise typer.Abort()
        answer = line.strip().lstrip("#")
    if answer in ids:
        return int(answer)
    if answer.lower() in ("n", "new"):
        return None
    raise BadInput(f"{answer!r} is neither one of the ids shown nor n; nothing was added")


@app.command(rich_help_panel="Customers")
def sale(
    customer: CustomerArg,
    product: Annotated[str, Opt(help="What they bought.", show_default=False)],
    amount: Annotated[str | None, Opt(help="What they paid.")] = None,
    delivered: Annotated[str | None, Opt(help="When delivered; default now.")] = None,
) -> None:
    """Record a further purchase by a known customer."""
    from kehu.book import find, writes

    now = ctx.now()
    product_text = typed.text(product, "--product", required=True, longest=typed.LONGEST["product"])
    assert product_text is not None
    price = typed.amount(amount)
    delivered_at = typed.when(delivered, now, "event") if delivered else now

    def write(tx: Any) -> Any:
        row = find.customer(tx, customer)
        writes.add_purchase(
            tx, customer_id=row["id"], product=product_text, amount=price, sold_at=now,
            delivered_at=delivered_at,
        )  # fmt: skip
        return row

    row = ctx.write(write)
    typer.echo(f"Sale to {row['name']} (#{row['id']}).")
    _echo_sale(product_text, price, delivered_at, now)


@app.command(rich_help_panel="Customers")
def show(customer: CustomerArg, json_: JsonOpt = False) -> None:
    """The customer card: details, profile, purchases, promises and every contact."""
    from kehu.book import find, reads
    from kehu.ui import card

    now = ctx.now()

    def read(tx: Any) -> dict[str, Any]:
        row = find.customer(tx, customer, archived=True)
        return reads.card(tx, row["id"])

    data = card.card(ctx.read(read), now)
    if json_:
        echo_json(data)
    else:
        card.print_card(data, now)


@app.command("list", rich_help_panel="Customers")
def list_(
    tier: Annotated[str | None, Opt(help="Only this tier: A, B or C.")] = None,
    search: Annotated[
        str | None, Opt(help="Text in a name, phone, company, note or profile.")
    ] = None,
    archived: Annotated[bool, Opt("--archived", help="List archived customers instead.")] = False,
    json_: JsonOpt = False,
) -> None:
    """One line per customer, with days since the last reached contact."""
    from kehu.book import reads
    from kehu.ui import card, tables

    tier_word = typed.maybe_choice(tier, vocab.TIERS, "tier")
    now = ctx.now()
    rows = ctx.read(
        lambda tx: reads.customers(tx, tier=tier_word, search=search, archived=archived, owner=None)
    )
    data = [card.customer_line(r, now) for r in rows]
    if json_:
        echo_json(data)
        return
    if not data:
        typer.echo(
            _("No customers match.") if (tier or search or archived) else _("No customers yet.")
        )
        return
    tables.table(
        ["id", _("name"), _("phone"), _("company"), _("tier"), _("days since contact")],
        [
            [str(c["id"]), c["name"], c["phone"] or "", c["company"] or "", c["tier"],
             _("never") if c["days_since_reached"] is None else str(c["days_since_reached"])]
            for c in data
        ],
    )  # fmt: skip


@app.command(rich_help_panel="Customers")
def edit(
    customer: CustomerArg,
    name: Annotated[str | None, Opt()] = None,
    phone: Annotated[str | None, Opt()] = None,
    email: Annotated[str | None, Opt()] = None,
    wechat: Annotated[str | None, Opt()] = None,
    company: Annotated[str | None, Opt()] = None,
    title: Annotated[str | None, Opt()] = None,
    address: Annotated[str | None, Opt()] = None,
    gender: Annotated[str | None, Opt()] = None,
    birthday: Annotated[str | None, Opt()] = None,
    tier: Annotated[str | None, Opt()] = None,
    source: Annotated[str | None, Opt()] = None,
    referred_by: Annotated[str | None, Opt()] = None,
    note: Annotated[str | None, Opt(help="Replace the customer's note.")] = None,
    set_: Annotated[list[str] | None, Opt("--set", help="A profile fact, key=value.")] = None,
    unset: Annotated[list[str] | None, Opt("--unset", help="Remove a profile fact.")] = None,
) -> None:
    """Change a customer's details or profile. An empty value ("") clears a detail."""
    from kehu.book import find, writes

    given = {
        "name": name, "phone": phone, "email": email, "wechat": wechat, "company": company,
        "title": title, "address": address,
    }  # fmt: skip
    changes: dict[str, Any] = {
        k: typed.text(v, f"--{k}", longest=typed.LONGEST[k])
        for k, v in given.items()
        if v is not None
    }
    if "name" in changes and not changes["name"]:
        raise BadInput("the name cannot be empty")
    if note is not None:
        changes["notes"] = typed.text(note, "--note")
    if birthday is not None:
        changes["birthday"] = typed.birthday(birthday)
    if gender is not None:
        changes["gender"] = typed.choice(gender, vocab.GENDERS, "gender") if gender else None
    if tier is not None:
        changes["tier"] = typed.choice(tier, vocab.TIERS, "tier")
    if source is not None:
        changes["source"] = typed.choice(source, vocab.SOURCES, "source") if source else None
    profile = typed.pairs(set_ or [], "--set")
    removed = [k.strip() for k in unset or []]
    if not changes and not profile and not removed and referred_by is None:
        raise BadInput("nothing to change; give options such as --phone or --set key=value")

    def write(tx: Any) -> Any:
        row = find.customer(tx, customer, archived=True)
        if referred_by is not None:
            referrer = find.customer(tx, referred_by) if referred_by else None
            if referrer is not None and referrer["id"] == row["id"]:
                raise BadInput("a customer cannot be their own referrer")
            changes["referred_by"] = referrer["id"] if referrer is not None else None
        writes.edit_customer(tx, customer_id=row["id"], changes=changes)
        for key, value in profile:
            writes.set_profile(tx, customer_id=row["id"], key=key, value=value)
        for key in removed:
            if not writes.unset_profile(tx, customer_id=row["id"], key=key):
                raise BadInput(f"there is no profile fact {key!r} to remove; nothing was changed")
        return row

    row = ctx.write(write)
    typer.echo(f"Updated {changes.get('name') or row['name']} (#{row['id']}).")


def _set_archived(customer: str, archive: bool) -> None:
    from kehu.book import find, writes

    now = ctx.now()

    def write(tx: Any) -> Any:
        row = find.customer(tx, customer, archived=not archive)
        if (row["archived_at"] is not None) == archive:
            state = "already archived" if archive else "not archived"
            raise BadInput(f"#{row['id']} is {state}; nothing was changed")
        writes.set_archived(tx, customer_id=row["id"], when=now if archive else None)
        return row

    row = ctx.write(write)
    verb = "Archived" if archive else "Unarchived"
    typer.echo(f"{verb} {row['name']} (#{row['id']}).")


@app.command(rich_help_panel="Customers")
def archive(customer: CustomerArg) -> None:
    """Take a customer off lists and the schedule; everything about them is kept."""
    _set_archived(customer, True)


@app.command(rich_help_panel="Customers")
def unarchive(customer: CustomerArg) -> None:
    """Bring an archived customer back."""
    _set_archived(customer, False)


@app.command(rich_help_panel="Customers")
def delete(
    customer: CustomerArg,
    yes: Annotated[bool, Opt("--yes", help="Really delete, with all their history.")] = False,
) -> None:
    """Delete a customer and all their purchases, contacts and promises. Needs --yes."""
    from kehu.book import find, writes

    if not yes:
        raise BadInput("deleting cannot be undone; add --yes (or use `kehu archive` instead)")

    def write(tx: Any) -> Any:
        row = find.customer(tx, customer, archived=True)
        writes.delete_customer(tx, customer_id=row["id"])
        return row

    row = ctx.write(write)
    typer.echo(f"Deleted #{row['id']} and everything recorded about them.")


@app.command(rich_help_panel="Team")
def assign(
    customer: Annotated[
        str | None,
        typer.Argument(help="The customer to hand over.", autocompletion=complete_customer),
    ] = None,
    owner: Annotated[str | None, typer.Argument(help="The salesperson who takes them.")] = None,
    from_: Annotated[str | None, Opt("--from", help="Hand over all of this owner's…")] = None,
    to: Annotated[str | None, Opt("--to", help="…customers to this owner.")] = None,
) -> None:
    """Hand a customer (or, with --from/--to, all of one owner's customers) to a salesperson."""
    from kehu.book import find

    single = customer is not None and owner is not None and from_ is None and to is None
    bulk = customer is None and owner is None and from_ is not None and to is not None
    if not (single or bulk):
        raise BadInput("give CUSTOMER OWNER, or --from OWNER --to OWNER for all their customers")
    new_owner = typed.text(
        owner if single else to, "the new owner", required=True, longest=typed.LONGEST["owner"]
    )

    def write(tx: Any) -> tuple[str, int]:
        if single:
            row = find.customer(tx, customer or "", archived=True)
            tx.run("UPDATE customer SET owner = :o WHERE id = :id", o=new_owner, id=row["id"])
            return f"{row['name']} (#{row['id']})", 1
        moved = tx.run("UPDATE customer SET owner = :o WHERE owner = :f", o=new_owner, f=from_)
        if not moved:
            raise BadInput(f"{from_!r} owns no customers; nothing was changed")
        return f"{moved} customers of {from_}", moved

    who, _count = ctx.write(write)
    typer.echo(f"Assigned {who} to {new_owner}.")
