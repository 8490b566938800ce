"""What `kehu import` stores: rows of customers (a file's, already read and checked by
kehu/exchange) added, matched with the customers already in the book (by phone, or a name alone
with nothing else to tell two people apart), given their sales, dates and referrers. Runs
inside the import's one transaction; the command words the counts it returns."""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import zip_longest
from typing import Any, NamedTuple

from kehu.book import colleagues, engine, occasions
from kehu.book.customers import (
    KnownPhone,
    Sale,
    brought_in_by,
    fill_blanks,
    record_sale,
    referrer_of,
    set_archived,
    set_profile,
)
from kehu.book.timestamps import from_db
from kehu.rules import customer_fields, vocab
from kehu.rules.occasions import Occasion

ON_DUPLICATE = ("sale", "update", "skip")


class Imported(NamedTuple):
    added: int  # new people: customers and prospects
    repeat: int  # repeat sales to customers whose phone is known
    updated: int  # known customers given the details they lacked
    skipped: int  # rows whose phone is known, left alone
    unlinked: int = 0  # referrer cells that name no customer, or several: kept as facts
    unsold: int = 0  # updated rows whose sale was not recorded (--on-duplicate sale records it)
    prospects: int = 0  # of those added, prospects never sold to (a level, no sale)


def import_rows(
    tx: engine.Tx,
    *,
    rows: Iterable[customer_fields.Incoming],
    on_duplicate: str = "sale",
    owner: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> Imported:
    """Checked rows from a file. A row whose phone is not in the book is a new customer (with
    its purchase, dated as the file says). A row whose phone is known (archived customers too):
    "sale" follows record_sale's rule, as `kehu add` does (a row with a sale is a repeat sale,
    one without is skipped); "update" fills the details and facts the customer lacks; "skip"
    leaves them. A row without a phone is the customer _same_person or _Namesakes finds, known
    as one by their phone is; else a new person."""
    assert on_duplicate in ON_DUPLICATE, on_duplicate
    from kehu.book import new_customers, referrers

    counts = {"added": 0, "repeat": 0, "updated": 0, "skipped": 0}
    unsold = prospects = 0
    sent_by = referrers.Referrers()
    archived: list[tuple[int, datetime]] = []  # new customers kehu's own file has archived

    def added(rows: Sequence[customer_fields.Incoming], ids: Sequence[int]) -> None:
        sent_by.written(rows, ids, added=True)
        archived.extend((i, r.archived_at) for r, i in zip(rows, ids, strict=True) if r.archived_at)

    batch = new_customers.Batch(tx, owner=owner, now=now, written=added)
    seen: set[str] = set()  # the phones of the rows before
    before = engine.scalar(tx, "SELECT MAX(id) AS last FROM purchase") or 0  # not this file's
    namesakes = _Namesakes(tx, owner=owner, before=before, now=now)
    done = 0
    for chunk in _chunks(rows, new_customers.CHUNK):
        phones = [vocab.phone_digits(row.fields.get("phone")) for row in chunk]
        known = _known_phones(tx, set(phones))
        # Under row-level security, phones of colleagues' customers: skipped, as `add` refuses.
        taken = colleagues.phones_taken(tx, {d for d in phones if d and d not in known})
        namesakes.look_up(chunk)
        for row, digits in zip(chunk, phones, strict=True):
            same = None if digits else _same_person(tx, row) or namesakes.same(row)
            if digits and digits in taken:
                outcome = "skipped"
            elif (digits and (digits in known or digits in seen)) or (
                row.prospect is not None or same is not None
            ):  # a known phone, or a prospect to register: one row at a time, as `kehu add`
                if not (digits in known and digits not in seen):
                    # the rows before are in the book when this one looks (or, a new
                    # customer, it comes after them); a phone only the book had needs neither
                    batch.flush()
                outcome, customer_id = _import_row(
                    tx, row=row, on_duplicate=on_duplicate, owner=owner, now=now, before=before,
                    same=same,
                )  # fmt: skip
                if outcome == "added" and customer_id is not None:
                    added([row], [customer_id])
                else:
                    sent_by.written([row], [customer_id], added=False)
            else:
                batch.add(row)  # a new person: no phone, or one neither book nor file had
                outcome = "added"
            if outcome == "updated, sale held":  # nothing left to record with "sale"
                outcome = "updated"
            else:
                unsold += outcome == "updated" and bool(row.product)
            counts[outcome] += 1
            prospects += outcome == "added" and row.prospect is not None and not row.product
            sent_by.note(row)
            if digits:
                seen.add(digits)
            done += 1
            if progress is not None:
                progress(done)
    batch.flush()
    if archived:  # the import's own new rows: undo deletes them, as it does the referrer links
        from kehu.book import journal

        bulk = journal.unjournaled(tx)
        for customer_id, when in archived:
            set_archived(bulk, customer_id=customer_id, when=when)
    return Imported(
        **counts, unlinked=_link_referrers(tx, sent_by), unsold=unsold, prospects=prospects
    )


def _link_referrers(tx: engine.Tx, sent_by: Any) -> int:
    """Each imported customer linked to the one customer their referrer cell names (one who
    had a referrer keeps them); a cell that names no one, or several, kept as the profile fact
    `referrer`. How many were kept so."""
    from kehu.book import journal, referrers

    if not sent_by.pending():
        return 0
    found = sent_by.resolve(tx)
    unlinked = list(found.unlinked)
    bulk = journal.unjournaled(tx)  # the customers this import added: undo deletes them
    per = engine.MAX_PARAMETERS - 1
    for added in (True, False):
        links = [(int(c), int(r)) for c, r in found.links if (c in sent_by.added) == added]
        if not added:  # after the new customers' links, which a known one's may close a loop with
            links, cyclic = _without_cycles(tx, links)
            unlinked += [(c, sent_by.cell(c)) for c in cyclic]
        for start in range(0, len(links), per):
            chunk = links[start : start + per]
            cases = " ".join(f"WHEN {c} THEN {r}" for c, r in chunk)
            (bulk if added else tx).run(
                f"UPDATE customer SET referred_by = CASE id {cases} END,"
                " source = COALESCE(source, 'referral')"
                f" WHERE referred_by IS NULL AND id IN ({', '.join(str(c) for c, _r in chunk)})"
            )
    new = list({c: text for c, text in unlinked if c in sent_by.added}.items())
    for start in range(0, len(new), per):
        chunk = new[start : start + per]
        marks = ", ".join(f":c{n}" for n in range(len(chunk)))
        bulk.run(
            f"DELETE FROM profile_field WHERE key = :k AND customer_id IN ({marks})",
            k=referrers.FACT, **{f"c{n}": c for n, (c, _text) in enumerate(chunk)},
        )  # fmt: skip
    if new:
        engine.insert_many(bulk, "profile_field", ("customer_id", "key", "value"),
                           [(c, referrers.FACT, text) for c, text in new], ids=False)  # fmt: skip
    for customer_id, text in unlinked:
        if customer_id not in sent_by.added and not engine.one(
            tx, "SELECT 1 AS held FROM profile_field WHERE customer_id = :c AND key = :k",
            c=customer_id, k=referrers.FACT,
        ):  # fmt: skip
            set_profile(tx, customer_id=customer_id, key=referrers.FACT, value=text)
    return len(unlinked)


def _without_cycles(
    tx: engine.Tx, links: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[int]]:
    """The links (customer, referrer) for customers already in the book that keep the
    referrals trees, in file order, and the customers whose link would close a loop (their
    referrer was brought in by them, directly or through others), as `edit` refuses it."""
    planned: dict[int, int] = {}
    kept, cyclic = [], []

    def parent(customer_id: int) -> int | None:
        return planned[customer_id] if customer_id in planned else referrer_of(tx, customer_id)

    for customer_id, referrer_id in links:
        if parent(customer_id) is not None:
            continue  # one who had a referrer keeps them
        if brought_in_by(parent, referrer_id, customer_id):
            cyclic.append(customer_id)
        else:
            planned[customer_id] = referrer_id
            kept.append((customer_id, referrer_id))
    return kept, cyclic


def _chunks(rows: Iterable[customer_fields.Incoming], size: int) -> Any:
    chunk: list[customer_fields.Incoming] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def known_phones(tx: engine.Tx, digits: Iterable[str]) -> set[str]:
    """Which of these phones (as digits) a customer in the book has, however many."""
    wanted, found = sorted(set(digits)), set()
    for start in range(0, len(wanted), PHONES_AT_ONCE):
        found |= _known_phones(tx, set(wanted[start : start + PHONES_AT_ONCE]))
    return found


PHONES_AT_ONCE = 500  # the parameters of one query


def _known_phones(tx: engine.Tx, digits: set[str | None]) -> set[str]:
    """Which of these phones (as digits) a customer in the book has."""
    wanted = sorted(d for d in digits if d)
    if not wanted:
        return set()
    marks = ", ".join(f":p{i}" for i in range(len(wanted)))
    return {r["phone_digits"] for r in tx.all(
        f"SELECT DISTINCT phone_digits FROM customer WHERE phone_digits IN ({marks})",
        **{f"p{i}": d for i, d in enumerate(wanted)})}  # fmt: skip


def _import_row(
    tx: engine.Tx,
    *,
    row: customer_fields.Incoming,
    on_duplicate: str,
    owner: str,
    now: datetime,
    before: int = 0,
    same: Any = None,
) -> tuple[str, int | None]:
    """What became of the row, and the customer it was written as (None: skipped). A sale the
    known customer already had before this file (purchase ids up to `before`: the same product,
    delivery and amount) is not recorded again: a file imported twice doubles nothing, while
    two such rows of one file are two sales. "updated, sale held": updated, and the row's sale
    was in the book already. `same`: the customer a row without a phone is (_same_person), known
    as one by their phone is."""
    sale = _row_sale(row, now)
    digits = vocab.same_phone(row.fields.get("phone"))
    known = same or digits and engine.one(
        tx, "SELECT id FROM customer WHERE phone_digits = :p ORDER BY archived_at IS NULL DESC,"
        " id", p=digits
    )  # fmt: skip
    if known and on_duplicate == "skip":
        return "skipped", None
    held_sale = _holds_sale(tx, known=known, sale=sale, before=before, row=row)
    if known and on_duplicate == "sale" and held_sale:
        return "skipped", None
    if known and on_duplicate == "update":
        fill_blanks(tx, customer_id=known["id"], now=now, **row.fields)
        held = {r["key"] for r in tx.all(
            "SELECT key FROM profile_field WHERE customer_id = :c", c=known["id"])}  # fmt: skip
        for key, value in row.profile.items():
            if key not in held:
                set_profile(tx, customer_id=known["id"], key=key, value=value)
        _fill_dates(tx, customer_id=known["id"], row=row, now=now)
        return "updated, sale held" if held_sale else "updated", known["id"]
    prospect = None
    if row.prospect is not None and not known:
        from kehu.book.prospects import Card

        level, card = row.prospect
        prospect = (level, Card(**card))
    try:
        done = record_sale(tx, fields=row.fields, profile=list(row.profile.items()),
                           sale=sale, referred_by=None, chosen=same and same["id"], new=True,
                           owner=owner, now=now, prospect=prospect)  # fmt: skip
    except KnownPhone:
        return "skipped", None
    if done.outcome == "added" and prospect is not None and row.lost is not None:
        from kehu.book import prospects

        reason, note, lost_at = row.lost
        prospects.lose(tx, customer_id=done.customer.id, reason=reason, note=note,
                       at=lost_at or now)  # fmt: skip
    if done.outcome == "added":
        for lunar in row.lunar_birthdays:
            occasions.insert_occasion(
                tx, customer_id=done.customer.id, now=now, note=None,
                occasion=Occasion("birthday", "lunar", lunar.month, lunar.day, leap=lunar.leap,
                                  year=lunar.year),
            )  # fmt: skip
        for occasion, note in zip_longest(row.dates, row.date_notes[: len(row.dates)]):
            occasions.insert_occasion(tx, customer_id=done.customer.id, now=now, note=note,
                                      occasion=occasion)  # fmt: skip
    return done.outcome, done.customer.id


def _same_person(tx: engine.Tx, row: customer_fields.Incoming) -> Any:
    """The customer a row without a phone is: the one customer of the book with the row's name
    and its WeChat ID or email (a file exported from this book, imported again); else None, a
    new person."""
    wechat, email = row.fields.get("wechat"), row.fields.get("email")
    if not (wechat or email) or not row.fields.get("name"):
        return None
    found = tx.all(
        "SELECT id FROM customer WHERE name = :n AND phone_digits IS NULL"
        " AND (wechat = :w OR email = :e) ORDER BY id LIMIT 2",
        n=row.fields["name"], w=wechat or None, e=email or None,
    )  # fmt: skip
    return found[0] if len(found) == 1 else None


class _Namesakes:
    """The customer a row with a name alone (no phone, WeChat ID or email) is: one of the
    owner's customers who was in the book before this file, with exactly the row's name and no
    phone, WeChat ID or email either, and, when the row has a sale, that sale (as a known phone's
    customer holds it, _holds_sale); each such customer is the same person as one row of the file
    at most, the first in the file's order. So a sheet of names imported twice doubles no one,
    while two rows of one name in a file, the first time, are two people."""

    def __init__(self, tx: engine.Tx, *, owner: str, before: int, now: datetime) -> None:
        self.tx, self.owner, self.before, self.now = tx, owner, before, now
        # the customers this file may meet again: none, into a book that was empty
        self.last = engine.scalar(tx, "SELECT MAX(id) AS last FROM customer") or 0
        self.found: dict[str, list[int]] = {}  # a name: its customers, by id, not yet taken

    def look_up(self, chunk: Sequence[customer_fields.Incoming]) -> None:
        """The namesakes of the chunk's rows with a name alone, in one query."""
        if not self.last:
            return
        alone = {self._name_alone(row) for row in chunk}
        names = sorted(n for n in alone if n is not None and n not in self.found)
        if not names:
            return
        for name in names:
            self.found[name] = []
        marks = ", ".join(f":n{i}" for i in range(len(names)))
        for found in self.tx.all(
            f"SELECT id, name FROM customer WHERE name IN ({marks}) AND owner = :owner"
            " AND id <= :last AND phone_digits IS NULL AND wechat IS NULL AND email IS NULL"
            " ORDER BY id",
            owner=self.owner, last=self.last, **{f"n{i}": n for i, n in enumerate(names)},
        ):  # fmt: skip
            self.found[found["name"]].append(int(found["id"]))

    def same(self, row: customer_fields.Incoming) -> Any:
        """The customer the row is (a row with their id), taken for it; else None."""
        name = self._name_alone(row)
        ids = self.found.get(name, []) if name is not None else []
        sale = _row_sale(row, self.now)
        for customer_id in ids:
            known = {"id": customer_id}
            if sale is None or _holds_sale(self.tx, known=known, sale=sale, before=self.before,
                                           row=row):  # fmt: skip
                ids.remove(customer_id)
                return known
        return None

    @staticmethod
    def _name_alone(row: customer_fields.Incoming) -> str | None:
        fields = row.fields
        if fields.get("phone") or fields.get("wechat") or fields.get("email"):
            return None
        return fields.get("name") or None


def _row_sale(row: customer_fields.Incoming, now: datetime) -> Sale | None:
    """A row's sale, dated as the file says (delivered now when it gives no date)."""
    if not row.product:
        return None
    delivered = row.delivered_at
    sale = Sale(row.product, row.amount, delivered or now, sold_at=row.sold_at or delivered)
    if row.prospect is not None and row.sold_at is None:
        sale = sale._replace(sold_at=now)  # an order (level O): sold by now
    return sale


def sale_held(tx: engine.Tx, *, row: customer_fields.Incoming, now: datetime) -> bool:
    """Whether the customer a row's phone names already has the row's sale (for the preview
    of an import, which `import_rows` will not record again)."""
    digits = vocab.same_phone(row.fields.get("phone"))
    sale = _row_sale(row, now)
    known = digits and engine.one(
        tx, "SELECT id FROM customer WHERE phone_digits = :p ORDER BY archived_at IS NULL DESC,"
        " id", p=digits
    )  # fmt: skip
    return _holds_sale(tx, known=known, sale=sale, before=2**62, row=row)


def _holds_sale(
    tx: engine.Tx, *, known: Any, sale: Sale | None, before: int, row: customer_fields.Incoming
) -> bool:
    """Whether the known customer (a row with their id; else none) already had this row's
    sale before the file: a purchase of the same product, for the same amount, delivered at the
    same moment (any, when the row gives no date: it was dated by the import that read it)."""
    if not known or sale is None:
        return False
    dated = row.delivered_at is not None or row.sold_at is not None
    for held in tx.all(
        "SELECT delivered_at, amount FROM purchase"
        " WHERE customer_id = :c AND product = :product AND id <= :before",
        c=known["id"], product=sale.product, before=before,
    ):  # fmt: skip
        delivered = from_db(held["delivered_at"])
        amount = None if held["amount"] is None else Decimal(str(held["amount"]))
        if amount == sale.amount and (delivered == sale.delivered_at or not dated):
            return True
    return False


def _fill_dates(
    tx: engine.Tx, *, customer_id: int, row: customer_fields.Incoming, now: datetime
) -> None:
    """The row's dates of a kind the customer has none of (a lunar birthday apart from the
    solar one; a date of the kind other by its label): `--on-duplicate update` fills blanks."""

    def kind_of(kind: str, calendar: str, label: str | None) -> tuple[str, str, str]:
        return kind, calendar if kind == "birthday" else "", label or ""

    held = {kind_of(r["kind"], r["calendar"], r["label"]) for r in tx.all(
        "SELECT kind, calendar, label FROM occasion WHERE customer_id = :c", c=customer_id
    )}  # fmt: skip
    lunar = [(Occasion("birthday", "lunar", d.month, d.day, leap=d.leap, year=d.year), None)
             for d in row.lunar_birthdays]  # fmt: skip
    noted = zip_longest(row.dates, row.date_notes[: len(row.dates)])
    for occasion, note in (*lunar, *noted):
        if (key := kind_of(occasion.kind, occasion.calendar, occasion.label)) not in held:
            held.add(key)
            occasions.insert_occasion(tx, customer_id=customer_id, occasion=occasion, note=note,
                                      now=now)  # fmt: skip
