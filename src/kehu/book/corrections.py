"""Putting mistakes right: editing and deleting one contact, purchase, promise or planned call
by its id. Keyword-only functions that run inside a transaction (engine.Tx); a contact's
change recomputes its customer's last_* columns and attempts in the same transaction."""

from typing import Any

from kehu.base.errors import BadInput, NotFound
from kehu.base.i18n import _
from kehu.book import engine
from kehu.book.contacts import promise_closed
from kehu.book.timestamps import from_db

# table -> (the id's letter on the card, the words for a missing one)
TABLES = ("contact", "purchase", "promise", "followup")


def _missing(table: str, item_id: int) -> NotFound:
    words = {
        "contact": _("there is no contact #{id}; `kehu show CUSTOMER` lists them with ids"),
        "purchase": _("there is no purchase #{id}; `kehu show CUSTOMER` lists them with ids"),
        "promise": _("there is no promise P{id}; `kehu promises` lists them with ids"),
        "followup": _("there is no planned call F{id}; `kehu show CUSTOMER` lists them with ids"),
    }
    return NotFound(words[table].format(id=item_id))


def edit(tx: engine.Tx, *, table: str, item_id: int, changes: dict[str, Any]) -> int:
    """Change the given columns of one row; the customer's id."""
    assert table in TABLES
    customer_id = _customer_of(tx, table=table, item_id=item_id)
    if not changes:
        raise BadInput(_("nothing to change: give at least one option (see --help)"))
    if table == "promise":
        _still_open(tx, item_id)
    sets = ", ".join(f"{column} = :{column}" for column in changes)
    tx.run(f"UPDATE {table} SET {sets} WHERE id = :item_id", item_id=item_id, **changes)
    if table == "contact":
        _regrade(tx, customer_id=customer_id, contact_id=item_id, changes=changes)
        recompute_last_contact(tx, customer_id=customer_id)
    return customer_id


def _regrade(tx: engine.Tx, *, customer_id: int, contact_id: int, changes: dict[str, Any]) -> None:
    """A prospect's level given with a contact follows it: gone with a contact that did not
    reach them, moved with its time; the level in force is again the latest grade's."""
    if changes.get("outcome") == "no-answer":
        _ungrade(tx, customer_id=customer_id, contact_id=contact_id)
    elif "at" in changes and tx.run(
        "UPDATE prospect_grade SET at = :at WHERE contact_id = :k", at=changes["at"], k=contact_id
    ):
        _level_in_force(tx, customer_id=customer_id)


def delete(tx: engine.Tx, *, table: str, item_id: int) -> int:
    """Delete one row; the customer's id."""
    assert table in TABLES
    customer_id = _customer_of(tx, table=table, item_id=item_id)
    if table == "contact":
        _ungrade(tx, customer_id=customer_id, contact_id=item_id)
    tx.run(f"DELETE FROM {table} WHERE id = :item_id", item_id=item_id)
    if table == "contact":
        recompute_last_contact(tx, customer_id=customer_id)
    if table == "purchase":
        _unsold(tx, customer_id=customer_id)
    return customer_id


def _ungrade(tx: engine.Tx, *, customer_id: int, contact_id: int) -> None:
    """A prospect's level given with a contact goes with it: the level in force is again the
    latest grade left."""
    if tx.run("DELETE FROM prospect_grade WHERE contact_id = :k", k=contact_id):
        _level_in_force(tx, customer_id=customer_id)


def _level_in_force(tx: engine.Tx, *, customer_id: int) -> None:
    """The prospect's level is the latest grade's."""
    level = engine.scalar(
        tx,
        "SELECT level FROM prospect_grade WHERE customer_id = :c ORDER BY at DESC, id DESC LIMIT 1",
        c=customer_id,
    )
    if level is not None:
        tx.run("UPDATE prospect SET level = :l WHERE customer_id = :c", l=level, c=customer_id)


def _unsold(tx: engine.Tx, *, customer_id: int) -> None:
    """A prospect whose only purchase was deleted (a sale recorded by mistake) is a prospect
    again, as before the sale: the first purchase is what made them a customer. One lost
    before it is lost again (the loss the sale kept in prospect_loss, reopened at the sale)."""
    bought = "SELECT COUNT(*) AS n FROM purchase WHERE customer_id = :c"
    if engine.scalar(tx, bought, c=customer_id):
        return
    sold = engine.scalar(
        tx,
        "SELECT converted_at FROM prospect WHERE customer_id = :c AND converted_at IS NOT NULL",
        c=customer_id,
    )
    if sold is None:
        return
    tx.run("UPDATE prospect SET converted_at = NULL WHERE customer_id = :c", c=customer_id)
    loss = engine.one(
        tx,
        "SELECT id, lost_at, reason, note FROM prospect_loss WHERE customer_id = :c"
        " AND contact_id IS NULL AND reopened_at >= :sold ORDER BY lost_at DESC, id DESC LIMIT 1",
        c=customer_id,
        sold=from_db(sold),
    )
    if loss is not None:
        tx.run(
            "UPDATE prospect SET lost_at = :at, lost_reason = :r, lost_note = :n"
            " WHERE customer_id = :c",
            at=from_db(loss["lost_at"]), r=loss["reason"], n=loss["note"], c=customer_id,
        )  # fmt: skip
        tx.run("DELETE FROM prospect_loss WHERE id = :i", i=loss["id"])


def _still_open(tx: engine.Tx, promise_id: int) -> None:
    """A kept or cancelled promise is history: `kehu kept` and `kehu cancel` change only open
    ones, and so does an edit."""
    row = engine.one(tx, "SELECT kept_at, cancelled_at FROM promise WHERE id = :i", i=promise_id)
    if row is not None and (row["kept_at"] is not None or row["cancelled_at"] is not None):
        raise promise_closed(promise_id, kept=row["kept_at"] is not None)


def _customer_of(tx: engine.Tx, *, table: str, item_id: int) -> int:
    found = engine.scalar(tx, f"SELECT customer_id FROM {table} WHERE id = :i", i=item_id)
    if found is None:
        raise _missing(table, item_id)
    return int(found)


def recompute_last_contact(tx: engine.Tx, *, customer_id: int) -> None:
    """The denormalised columns from the contacts themselves, as log_contact keeps them."""
    reached = "SELECT MAX(at) FROM contact WHERE customer_id = :id AND outcome = 'reached'"
    tx.run(
        f"""UPDATE customer SET
            last_reached_at = ({reached}),
            last_other_at = ({reached} AND kind <> 'thank-you'),
            last_thanks_at = ({reached} AND kind = 'thank-you'),
            attempts = (SELECT COUNT(*) FROM contact k WHERE k.customer_id = :id
                AND k.outcome = 'no-answer' AND NOT EXISTS (SELECT 1 FROM contact r
                    WHERE r.customer_id = :id AND r.outcome = 'reached'
                    AND (r.at > k.at OR (r.at = k.at AND r.id > k.id))))
        WHERE id = :id""",
        id=customer_id,
    )
