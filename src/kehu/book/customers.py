"""Customers and their sales in the book: what `add`, `sale`, `edit`, `archive`, `delete`,
`assign`, `show` and `list` decide and store (`import`: book/importing.py; `export`:
book/exporting.py). Keyword-only functions that
run inside a transaction (engine.Tx) and return typed results; the commands only word them."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from kehu.base.errors import BadInput, NotAllowed
from kehu.base.i18n import _
from kehu.base.typed import UNKNOWN_YEAR, half_width
from kehu.book import colleagues, engine, find, name_forms, occasions
from kehu.book.timestamps import from_db, typed_row
from kehu.rules import customer_fields, vocab

STORED_FIELDS = (*customer_fields.FIELDS, "referred_by")  # what an edit may change
# Not a column since schema 8: a birthday occasion (book/occasions.py).
BIRTHDAY = "birthday"


class CustomerRef(NamedTuple):
    id: int
    name: str


class Sale(NamedTuple):
    product: str
    amount: Decimal | None
    delivered_at: datetime
    sold_at: datetime | None = None  # an earlier sale (by its delivery, or as a file dates it);
    # else now


class Recorded(NamedTuple):
    """What `add` did: "added" a new customer, or a "repeat" sale to a known one."""

    outcome: str
    customer: CustomerRef  # on a repeat sale, the phone's owner, whose name may differ
    tier: str
    filled: tuple[str, ...]  # details a repeat sale gave a known customer who lacked them
    first_sale: bool = False  # a sale by a known phone was a prospect's first: now a customer
    ordered: bool = False  # a prospect sold to, the delivery still to come: level O until then


class KnownPhone(BadInput):
    """A customer with this phone is in the book, and nothing was sold: nothing to record."""

    def __init__(self, customer_id: int, *, archived: bool = False, other_name: bool = False):
        if archived and other_name:
            text = _("that phone is #{id}'s, an archived customer: `kehu unarchive {id}` brings "
                     "them back, --product records a sale to them, --new adds this name as "
                     "another person sharing the phone")  # fmt: skip
        elif archived:
            text = _("that customer is already in the book as #{id}, archived: `kehu unarchive "
                     "{id}` brings them back, or add --product to record a sale")  # fmt: skip
        elif other_name:
            text = _("that phone is #{id}'s, already in the book: use `kehu edit {id}` to change "
                     "details, --product to record a sale to them, or --new to add this name as "
                     "another person sharing the phone")  # fmt: skip
        else:
            text = _("that customer is already in the book as #{id}; use `kehu edit {id}` to "
                     "change details, or add --product to record a sale")  # fmt: skip
        super().__init__(text.format(id=customer_id))
        self.customer_id = customer_id


def _ref(row: Any) -> CustomerRef:
    return CustomerRef(int(row["id"]), str(row["name"]))


def _own_referrer() -> BadInput:
    return BadInput(_("a customer cannot be their own referrer"))


def _check_referrer(tx: engine.Tx, *, customer_id: int, referrer_id: int) -> None:
    """Refuse a referrer who is the customer, or was brought in by them (directly or through
    others): the referrals must stay trees."""
    if referrer_id == customer_id:
        raise _own_referrer()
    if brought_in_by(lambda c: referrer_of(tx, c), referrer_id, customer_id):
        raise BadInput(
            _("a customer cannot be referred by someone they brought in, directly or "
              "through others")
        )  # fmt: skip


def referrer_of(tx: engine.Tx, customer_id: int) -> int | None:
    found = engine.one(tx, "SELECT referred_by FROM customer WHERE id = :id", id=customer_id)
    return None if found is None else found["referred_by"]


def brought_in_by(parent: Callable[[int], int | None], someone: int, customer_id: int) -> bool:
    """Whether `someone` is `customer_id` or was brought in by them, following `parent` (who
    referred a customer) up the referrals."""
    seen: set[int] = set()
    current: int | None = someone
    while current is not None and current not in seen:
        if current == customer_id:
            return True
        seen.add(current)
        current = parent(current)
    return False


# ----------------------------------------------------------------------------- decisions


def record_sale(
    tx: engine.Tx,
    *,
    fields: Mapping[str, Any],
    profile: Sequence[tuple[str, str]],
    sale: Sale | None,
    referred_by: str | None,
    chosen: int | None,
    new: bool,
    owner: str,
    now: datetime,
    shares_phone: bool = False,
    prospect: tuple[str, Any] | None = None,
    made_by: str | None = None,
) -> Recorded:
    """A new customer, or a repeat sale by a known phone (the one rule for a known phone, which
    `import` follows too): a sale to them fills the details they lack and brings them back from
    the archive; without a sale nothing is recorded (KnownPhone). `chosen` is the namesake the
    user said is the same person; `new` that a known name is another person; `shares_phone`
    that a known phone under another name is another person's too (a family's one phone).
    `prospect` (level, prospects.Card) registers a new customer as a prospect, its first grade
    signed by `made_by` (the owner when not given)."""
    values = dict(fields)
    if referred_by is not None:
        values["referred_by"] = find.customer(tx, referred_by)["id"]
        values["source"] = values.get("source") or "referral"
    existing = _existing(tx, phone=values.get("phone"), name=values["name"], chosen=chosen,
                         new=new)  # fmt: skip
    if shares_phone and existing is not None and existing["name"] != values["name"]:
        existing = None
    if existing is not None and values.get("referred_by") is not None:
        _check_referrer(tx, customer_id=existing["id"], referrer_id=values["referred_by"])
    if existing is not None and sale is None:
        raise KnownPhone(
            existing["id"],
            archived=existing["archived_at"] is not None,
            other_name=existing["name"] != values["name"],
        )
    if existing is not None and prospect is not None:
        raise BadInput(
            _("that phone is #{id}'s, already in the book: a prospect is someone new; nothing was"
              " added").format(id=existing["id"])
        )  # fmt: skip
    if existing is None and not shares_phone:
        _not_a_colleagues_phone(
            tx,
            values.get("phone"),
            _("--new adds another person sharing the phone; nothing was added"),
        )
    if existing is None:
        cid = add_customer(tx, owner=owner, now=now, **values)
        outcome, filled = "added", []
        if prospect is not None:
            from kehu.book import prospects

            level, card = prospect
            prospects.register(tx, customer_id=cid, level=level, card=card, now=now,
                               made_by=made_by or owner)  # fmt: skip
    else:
        cid = existing["id"]
        filled = fill_blanks(tx, customer_id=cid, now=now, **values)
        if existing["archived_at"] is not None:
            set_archived(tx, customer_id=cid, when=None)
        outcome = "repeat"
    for key, value in profile:
        set_profile(tx, customer_id=cid, key=key, value=value)
    first_sale = outcome == "repeat" and _unconverted(tx, cid)
    ordered = False
    if sale is not None:
        add_purchase(tx, customer_id=cid, product=sale.product, amount=sale.amount,
                     sold_at=sale.sold_at or now, delivered_at=sale.delivered_at,
                     made_by=made_by or owner)  # fmt: skip
        from kehu.book import prospects

        ordered = prospects.order_of(tx, customer_id=cid, now=now) is not None
    row = tx.all("SELECT id, name, tier FROM customer WHERE id = :id", id=cid)[0]
    return Recorded(outcome, _ref(row), row["tier"], tuple(filled), first_sale, ordered)


def _not_a_colleagues_phone(tx: engine.Tx, phone: str | None, unchanged: str) -> None:
    """Under row-level security, refuses a phone a colleague's customer has (hidden from the
    session, so not found as a known phone): the sale or the customer is the colleague's. Says
    nothing of whose it is."""
    digits = vocab.same_phone(phone)
    if digits and colleagues.phones_taken(tx, {digits}):
        raise NotAllowed(
            _("that phone belongs to a colleague's customer, whom row-level security hides "
              "from you: ask a manager to record this or to hand that customer over (`kehu "
              "assign`); {unchanged}").format(unchanged=unchanged)
        )  # fmt: skip


def _existing(tx: engine.Tx, *, phone: str | None, name: str, chosen: int | None, new: bool) -> Any:
    """The customer a sale belongs to: the one chosen, same phone, or none (a new person)."""
    columns = "id, name, phone, company, archived_at"
    if chosen is not None:
        return engine.one(tx, f"SELECT {columns} FROM customer WHERE id = :id", id=chosen)
    digits = vocab.same_phone(phone)
    if digits:
        return engine.one(
            tx,
            f"SELECT {columns} FROM customer WHERE phone_digits = :p"
            " ORDER BY archived_at IS NULL DESC, id",
            p=digits,
        )
    if new:
        return None
    same_name = namesakes(tx, name=name)
    if same_name:
        raise find.ambiguity(
            same_name,
            _("that name is already in the book. For a sale to one of them use `kehu sale ID`; "
              "to tell them apart give --phone; to add another person of that name give --new"),
        )  # fmt: skip
    return None


def namesakes(tx: engine.Tx, *, name: str) -> list[Any]:
    """Customers of exactly this name, archived ones too."""
    return tx.all(
        "SELECT id, name, phone, company, archived_at FROM customer WHERE name = :n ORDER BY id",
        n=name,
    )


class Sold(NamedTuple):
    """`kehu sale`: to whom, and when and why they were lost if they were a lost prospect
    (who came back to buy)."""

    customer: CustomerRef
    was_lost: tuple[datetime, str] | None = None
    first_sale: bool = False  # a prospect's first sale: a customer now, or once delivered
    ordered: bool = False  # a prospect sold to, the delivery still to come: level O until then


def record_purchase(
    tx: engine.Tx, *, customer: str, sale: Sale, now: datetime, made_by: str
) -> Sold:
    """A further sale to the active customer `customer` names (`kehu sale`)."""
    row = find.customer(tx, customer)
    lost = engine.one(
        tx,
        "SELECT lost_at, lost_reason FROM prospect"
        " WHERE customer_id = :c AND converted_at IS NULL AND lost_at IS NOT NULL",
        c=row["id"],
    )
    first_sale = _unconverted(tx, row["id"])
    add_purchase(tx, customer_id=row["id"], product=sale.product, amount=sale.amount,
                 sold_at=sale.sold_at or now, delivered_at=sale.delivered_at,
                 made_by=made_by)  # fmt: skip
    was_lost = None if lost is None else (from_db(lost["lost_at"]), lost["lost_reason"] or "other")
    from kehu.book import prospects

    ordered = prospects.order_of(tx, customer_id=row["id"], now=now) is not None
    return Sold(_ref(row), was_lost, first_sale, ordered)


def _unconverted(tx: engine.Tx, customer_id: int) -> bool:
    """Whether the customer is a prospect never sold to (open or lost)."""
    return bool(
        tx.all(
            "SELECT 1 AS x FROM prospect WHERE customer_id = :id AND converted_at IS NULL",
            id=customer_id,
        )
    )


def change_customer(
    tx: engine.Tx,
    *,
    customer: str,
    changes: Mapping[str, Any],
    referred_by: str | None,
    profile: Sequence[tuple[str, str]],
    removed: Sequence[str],
    now: datetime,
    card: Mapping[str, Any] | None = None,
    shares_phone: bool = False,
) -> tuple[CustomerRef, bool]:
    """`kehu edit`: checked changes; a referrer by name ("" clears it); profile facts set and
    removed; a prospect's card fields (column: value, None clears). Removing a fact that is not
    there, or a card field of someone who is no prospect, changes nothing at all. A phone
    another customer has is refused, as `kehu add` refuses it, unless `shares_phone` (a
    family's one phone). What the customer already has is left alone: (the customer, whether
    anything changed); when nothing did, nothing is written."""
    row = find.customer(tx, customer, archived=True)
    stored = engine.one(tx, "SELECT * FROM customer WHERE id = :id", id=row["id"])
    assert stored is not None
    values = {k: v for k, v in changes.items() if not _holds(tx, stored, k, v)}
    profile = [(k, v) for k, v in profile if not _has_fact(tx, row["id"], k, v)]
    if card:
        card = _card_changes(tx, row["id"], card)
    digits = vocab.same_phone(values.get("phone"))
    if digits and not shares_phone:
        other = engine.scalar(
            tx,
            "SELECT id FROM customer WHERE phone_digits = :p AND id <> :id"
            " ORDER BY archived_at IS NULL DESC, id LIMIT 1",
            p=digits,
            id=row["id"],
        )
        if other is not None:
            raise BadInput(
                _("that phone is #{id}'s, already in the book: --new keeps it for both, as a "
                  "phone they share; nothing was changed").format(id=other)
            )  # fmt: skip
        _not_a_colleagues_phone(
            tx,
            values.get("phone"),
            _("--new keeps it for both, as a phone they share; nothing was changed"),
        )
    if referred_by is not None:
        referrer = find.customer(tx, referred_by) if referred_by else None
        if referrer is not None:
            _check_referrer(tx, customer_id=row["id"], referrer_id=referrer["id"])
        wanted = referrer["id"] if referrer is not None else None
        if wanted != stored["referred_by"]:
            values["referred_by"] = wanted
    if not values and not profile and not removed and not card:
        return CustomerRef(row["id"], row["name"]), False
    _update(tx, customer_id=row["id"], changes=values, now=now)
    for key, value in profile:
        set_profile(tx, customer_id=row["id"], key=key, value=value)
    for key in removed:
        if not unset_profile(tx, customer_id=row["id"], key=key):
            raise BadInput(
                _("there is no profile fact {key!r} to remove; nothing was changed").format(key=key)
            )
    if card:
        from kehu.book import prospects

        prospects.change_card(tx, customer_id=row["id"], values=card)
    return CustomerRef(row["id"], values.get("name") or row["name"]), True


def _holds(tx: engine.Tx, stored: engine.Row, field: str, value: Any) -> bool:
    """Whether the customer already has this value of a checked field (an empty text and none
    are the same)."""
    if field == BIRTHDAY:
        found = [
            date(year or UNKNOWN_YEAR, month, day)
            for month, day, year in tx.tuples(
                "SELECT month, day, year FROM occasion WHERE customer_id = :c"
                " AND kind = 'birthday' AND calendar = 'solar'",
                c=stored["id"],
            )
        ]
        return found == ([] if value is None else [value])
    return _plain(stored[field]) == _plain(value)


def _has_fact(tx: engine.Tx, customer_id: int, key: str, value: str) -> bool:
    return engine.scalar(
        tx, "SELECT value FROM profile_field WHERE customer_id = :c AND key = :k",
        c=customer_id, k=key,
    ) == value  # fmt: skip


def _card_changes(tx: engine.Tx, customer_id: int, card: Mapping[str, Any]) -> Mapping[str, Any]:
    """The card fields that differ from the prospect's card (all of them for no prospect,
    which `prospects.change_card` refuses)."""
    columns = ", ".join(card)
    held = engine.one(tx, f"SELECT {columns} FROM prospect WHERE customer_id = :c", c=customer_id)
    if held is None:
        return card
    return {k: v for k, v in card.items() if _plain(held[k]) != _plain(v)}


def _plain(value: Any) -> Any:
    """A stored value as compared with a given one: a day as SQLite and PostgreSQL both give
    it, an empty text as none."""
    return value.isoformat() if isinstance(value, date) else value or None


def change_archived(
    tx: engine.Tx, *, customer: str, archive: bool, now: datetime
) -> tuple[CustomerRef, bool]:
    """Archive an active customer, or bring an archived one back: (the customer, whether it
    changed); one archived already (or not archived) is left as it is."""
    row = find.customer(tx, customer, archived=True)
    if (row["archived_at"] is not None) == archive:
        return _ref(row), False
    set_archived(tx, customer_id=row["id"], when=now if archive else None)
    return _ref(row), True


def remove_customer(tx: engine.Tx, *, customer: str) -> CustomerRef:
    """Gone for good, with everything recorded about them."""
    row = find.customer(tx, customer, archived=True)
    delete_customer(tx, customer_id=row["id"])
    return _ref(row)


def _salesperson(tx: engine.Tx, owner: str) -> None:
    """Under row-level security (examples/team-rls.sql), refuses an owner who is no role on the
    server that can log in (a group such as `sales` cannot): their customers would be no one's
    to see. Without it, owners are names (KEHU_USER) and any will do."""
    if tx.dialect != "postgresql":
        return
    role = engine.scalar(
        tx,
        "SELECT CASE WHEN NOT c.relrowsecurity THEN 'any'"
        " ELSE (SELECT CASE WHEN rolcanlogin THEN 'any' ELSE 'group' END FROM pg_roles"
        " WHERE rolname = :o) END AS role"
        " FROM pg_class c WHERE c.oid = to_regclass('customer')",
        o=owner,
    )
    if role == "any":
        return
    if role == "group":
        raise BadInput(
            _(
                "{owner!r} is a role that cannot log in (a group such as sales), so no one would "
                "see those customers; assign them to a salesperson's own role"
            ).format(owner=owner)
        )
    quoted = '"' + owner.replace('"', '""') + '"'
    raise BadInput(
        _(
            "there is no salesperson role {owner!r} on the server; create it first "
            "(CREATE ROLE {role} LOGIN PASSWORD '…' IN ROLE sales), then assign"
        ).format(owner=owner, role=quoted)
    )


def assign(tx: engine.Tx, *, customer: str, owner: str) -> CustomerRef:
    """Hand one customer (archived ones too) to another salesperson."""
    _salesperson(tx, owner)
    row = find.customer(tx, customer, archived=True)
    tx.run("UPDATE customer SET owner = :o WHERE id = :id", o=owner, id=row["id"])
    return _ref(row)


def assign_all(tx: engine.Tx, *, from_owner: str, to_owner: str) -> int:
    """Hand every customer of one salesperson to another; how many moved."""
    _salesperson(tx, to_owner)
    moved = tx.run("UPDATE customer SET owner = :o WHERE owner = :f", o=to_owner, f=from_owner)
    if not moved and hidden_owner(tx, from_owner):
        raise NotAllowed(
            _(
                "row-level security shows you only your own customers, not those of {owner}: "
                "handing a colleague's customers over needs a manager's role (README, Team mode)"
            ).format(owner=repr(from_owner))
        )
    if not moved:
        raise BadInput(
            _("{owner!r} owns no customers; nothing was changed").format(owner=from_owner)
        )
    return moved


# ------------------------------------------------------------------------------- writes


def add_customer(tx: engine.Tx, *, owner: str, now: datetime, **fields: Any) -> int:
    values = {k: v for k, v in fields.items() if v is not None}
    birthday = values.pop(BIRTHDAY, None)
    values["phone_digits"] = vocab.phone_digits(values.get("phone"))
    values.setdefault("tier", customer_fields.DEFAULT_TIER)
    customer_id = engine.insert(tx, "customer", owner=owner, created_at=now, **values)
    name_forms.store_new(tx, names=[(customer_id, values["name"])])
    if birthday is not None:
        occasions.set_birthday(tx, customer_id=customer_id, birthday=birthday, now=now)
    return customer_id


def fill_blanks(tx: engine.Tx, *, customer_id: int, now: datetime, **fields: Any) -> list[str]:
    """Give an existing customer the details they lack; never overwrite. Returns what was set."""
    found = engine.one(tx, "SELECT * FROM customer WHERE id = :id", id=customer_id)
    assert found is not None
    row = dict(found)
    row[BIRTHDAY] = occasions.birthdays(tx, [customer_id]).get(customer_id)
    filled = [k for k, v in fields.items() if v is not None and row[k] in (None, "")]
    if filled:
        _update(tx, customer_id=customer_id, changes={k: fields[k] for k in filled}, now=now)
    return filled


def _update(tx: engine.Tx, *, customer_id: int, changes: Mapping[str, Any], now: datetime) -> None:
    unknown = set(changes) - set(STORED_FIELDS)
    assert not unknown, unknown
    values = dict(changes)
    if BIRTHDAY in values:
        birthday = values.pop(BIRTHDAY)
        occasions.set_birthday(tx, customer_id=customer_id, birthday=birthday, now=now)
    if "phone" in values:
        values["phone_digits"] = vocab.phone_digits(values["phone"])
    if values:
        sets = ", ".join(f"{k} = :{k}" for k in values)
        tx.run(f"UPDATE customer SET {sets} WHERE id = :customer_id", customer_id=customer_id,
               **values)  # fmt: skip
    if values.get("name"):
        name_forms.store(tx, customer_id=customer_id, name=values["name"])


def set_profile(tx: engine.Tx, *, customer_id: int, key: str, value: str) -> None:
    tx.run("DELETE FROM profile_field WHERE customer_id = :c AND key = :k", c=customer_id, k=key)
    tx.run(
        "INSERT INTO profile_field (customer_id, key, value) VALUES (:c, :k, :v)",
        c=customer_id,
        k=key,
        v=value,
    )


def unset_profile(tx: engine.Tx, *, customer_id: int, key: str) -> bool:
    count = tx.run(
        "DELETE FROM profile_field WHERE customer_id = :c AND key = :k", c=customer_id, k=key
    )
    return count > 0


def set_archived(tx: engine.Tx, *, customer_id: int, when: datetime | None) -> None:
    tx.run("UPDATE customer SET archived_at = :w WHERE id = :id", w=when, id=customer_id)


def delete_customer(tx: engine.Tx, *, customer_id: int) -> None:
    """The rows about them cascade; referrals they made are kept, without the referrer."""
    tx.run("UPDATE customer SET referred_by = NULL WHERE referred_by = :id", id=customer_id)
    tx.run("DELETE FROM customer WHERE id = :id", id=customer_id)


def add_purchase(
    tx: engine.Tx,
    *,
    customer_id: int,
    product: str,
    amount: Decimal | None,
    sold_at: datetime,
    delivered_at: datetime | None,
    made_by: str | None = None,
) -> int:
    """A sale; to a prospect (open or lost) it makes them a customer, their history kept: a
    lost one came back to buy, and the loss is kept in prospect_loss (as when a contact opens
    them again), reopened at the sale, so that its month still counts it; signed by `made_by`
    (the customer's owner when not given)."""
    purchase_id = engine.insert(
        tx,
        "purchase",
        customer_id=customer_id,
        product=product,
        amount=amount,
        sold_at=sold_at,
        delivered_at=delivered_at,
    )
    lost = engine.one(
        tx,
        "SELECT lost_at, lost_reason, lost_note FROM prospect"
        " WHERE customer_id = :c AND converted_at IS NULL AND lost_at IS NOT NULL",
        c=customer_id,
    )
    if lost is not None:
        lost_at = from_db(lost["lost_at"])
        owner = "SELECT owner FROM customer WHERE id = :c"
        engine.insert(tx, "prospect_loss", customer_id=customer_id, lost_at=lost_at,
                      reason=lost["lost_reason"] or "other", note=lost["lost_note"],
                      reopened_at=max(lost_at, sold_at), contact_id=None,
                      made_by=made_by or engine.scalar(tx, owner, c=customer_id))  # fmt: skip
        tx.run(
            "UPDATE prospect SET lost_at = NULL, lost_reason = NULL, lost_note = NULL"
            " WHERE customer_id = :c",
            c=customer_id,
        )
    tx.run(
        "UPDATE prospect SET converted_at = :at WHERE customer_id = :c AND converted_at IS NULL",
        at=sold_at,
        c=customer_id,
    )
    return purchase_id


# -------------------------------------------------------------------------------- reads


def owner_filter(owner: str | None) -> str:
    """The condition that keeps one owner's customers (`c`); none for everyone's."""
    return "" if owner is None else " AND c.owner = :owner"


def owner_params(owner: str | None) -> dict[str, Any]:
    return {} if owner is None else {"owner": owner}


def card(tx: engine.Tx, *, customer: str) -> dict[str, Any]:
    """Everything about one customer (archived ones too), for `kehu show`."""
    customer_id = find.customer(tx, customer, archived=True)["id"]

    def rows(sql: str) -> list[dict[str, Any]]:
        return [typed_row(r) for r in tx.all(sql, id=customer_id)]

    referrer = rows(
        "SELECT r.id, r.name FROM customer r JOIN customer c ON c.referred_by = r.id"
        " WHERE c.id = :id"
    )
    person = rows("SELECT * FROM customer WHERE id = :id")[0]
    person[BIRTHDAY] = occasions.birthdays(tx, [customer_id]).get(customer_id)
    return {
        "customer": person,
        "occasions": occasions.of_customer(tx, customer_id=customer_id),
        "referred_by": referrer[0] if referrer else None,
        "profile": rows(
            "SELECT key, value FROM profile_field WHERE customer_id = :id ORDER BY key"
        ),
        "purchases": rows(
            "SELECT id, product, amount, sold_at, delivered_at FROM purchase"
            " WHERE customer_id = :id ORDER BY sold_at DESC, id DESC"
        ),
        "promises": rows(
            "SELECT id, text, due, created_at, kept_at, cancelled_at FROM promise"
            " WHERE customer_id = :id ORDER BY due, id"
        ),
        "followups": rows(
            "SELECT f.id, f.due, f.note, f.created_at AS planned_at, c.last_reached_at"
            " FROM followup f JOIN customer c ON c.id = f.customer_id"
            " WHERE f.customer_id = :id AND f.done_at IS NULL ORDER BY f.due, f.id"
        ),
        "contacts": rows(
            "SELECT id, at, channel, kind, outcome, note, sent, purchase_id, made_by FROM contact"
            " WHERE customer_id = :id ORDER BY at DESC, id DESC"
        ),
        "referrals": rows(
            # Under row-level security, also those who belong to colleagues (id and name).
            f"SELECT id, name FROM {colleagues.referred(tx)} WHERE referred_by = :id ORDER BY id"
        ),
        "snoozes": rows(
            "SELECT key, until, reason FROM snooze WHERE customer_id = :id ORDER BY until, key"
        ),
    }


# How `kehu list --sort` orders rows, the same on both engines; ties by id. Name order is by
# the names' pinyin (SQL's collations differ between engines), so it is sorted after reading.
LIST_ORDER_SQL = {
    None: "c.id",
    "last-contact": "c.last_reached_at IS NOT NULL, c.last_reached_at, c.id",  # never first
    "tier": "c.tier, c.id",
    "added": "c.created_at DESC, c.id DESC",  # the newest first
    "name": "c.id",
}


def listing(
    tx: engine.Tx,
    *,
    tier: str | None,
    search: str | None,
    archived: bool,
    owner: str | None,
    order: str | None = None,
) -> Iterator[dict[str, Any]]:
    """One row per customer for `kehu list`, in id order or one of LIST_ORDERS, one at a time
    (a book of any size lists in bounded memory; by name, the rows are sorted in memory)."""
    where = ["c.archived_at IS NOT NULL" if archived else "c.archived_at IS NULL"]
    params: dict[str, Any] = owner_params(owner)
    if owner is not None:
        where.append("c.owner = :owner")
    if tier:
        where.append("c.tier = :tier")
        params["tier"] = tier
    if search:
        params["pattern"] = f"%{find.like_escape(search.lower())}%"
        fields = ("c.name", "c.phone", "c.company", "c.email", "c.wechat", "c.notes")
        matches = [f"LOWER({f}) LIKE :pattern ESCAPE '\\'" for f in fields]
        matches.append(
            "EXISTS (SELECT 1 FROM profile_field f WHERE f.customer_id = c.id"
            " AND LOWER(f.value) LIKE :pattern ESCAPE '\\')"
        )
        pinyin_search = name_forms.search_params(search)
        if pinyin_search is not None:
            matches.append(f"c.id IN ({name_forms.MATCHING_IDS})")
            params.update(pinyin_search)
        digits = vocab.phone_digits(search)
        if digits and set(half_width(search)) <= find.PHONE_CHARS:
            # Digits match a phone however it was spaced: "13800138000" finds "138 0013 8000".
            matches.append("c.phone_digits LIKE :digits")
            params["digits"] = f"%{digits}%"
        where.append("(" + " OR ".join(matches) + ")")
    rows = (
        typed_row(r)
        for r in tx.each(
            "SELECT c.id, c.name, c.phone, c.company, c.tier, c.owner, c.created_at,"
            " c.last_reached_at, c.archived_at FROM customer c"
            f" WHERE {' AND '.join(where)} ORDER BY {LIST_ORDER_SQL[order]}",
            **params,
        )
    )
    if order == "name":
        from kehu.rules import pinyin

        # Chinese names in pinyin order (李娜 before 王芳 before 张伟), as a Chinese phone
        # book lists them, among Latin names by their letters.
        return iter(
            sorted(rows, key=lambda r: (pinyin.spelled(r["name"]).casefold(), r["name"], r["id"]))
        )
    return rows


def row_security_role(tx: engine.Tx) -> str | None:
    """The session's role when row-level security shows it only the customers it owns."""
    if tx.dialect != "postgresql":
        return None
    row = engine.one(
        tx,
        "SELECT COALESCE(row_security_active(to_regclass('customer')), FALSE) AS active,"
        " current_user AS role",
    )
    return str(row["role"]) if row is not None and row["active"] else None


def hidden_owner(tx: engine.Tx, owner: str) -> bool:
    """Whether row-level security hides this owner's customers from the session's role: a
    salesperson sees only their own; a manager's role (BYPASSRLS) and the tables' owner see all."""
    if tx.dialect != "postgresql":
        return False
    return bool(
        engine.scalar(
            tx,
            "SELECT COALESCE(row_security_active(to_regclass('customer')), FALSE)"
            " AND :o <> current_user AS hidden",
            o=owner,
        )
    )


def count_customers(tx: engine.Tx, owner: str | None = None) -> int:
    where = "c.archived_at IS NULL" + owner_filter(owner)
    return int(
        engine.scalar(
            tx, f"SELECT COUNT(*) AS n FROM customer c WHERE {where}", **owner_params(owner)
        )
    )
