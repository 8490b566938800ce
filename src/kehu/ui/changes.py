"""What `kehu undo` says: the rows a change touched, in words."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kehu.base.i18n import _, ngettext, pgettext
from kehu.ui import dates

# Tables a user never sees as such: the name forms kept for search go with their customer.
INTERNAL = ("customer_pinyin",)


def row_name(table: str, key: tuple[Any, ...]) -> str:
    """A row as the card shows it: customer #3, contact #17, promise P3, planned call F5…"""
    names = {
        "customer": _("customer #{key}"),
        "purchase": _("purchase #{key}"),
        "contact": _("contact #{key}"),
        "promise": _("promise P{key}"),
        "followup": _("planned call F{key}"),
        "snooze": _("snooze of {key}"),
        "occasion": _("date #{key}"),
        "prospect": _("prospect #{key}"),
        "prospect_grade": _("level change #{key}"),
        "prospect_loss": _("past loss #{key}"),
        "closed_item": _("closed item {key}"),
    }
    if table == "profile_field":
        return _("profile field {key} of #{customer}").format(key=key[1], customer=key[0])
    return names.get(table, table + " {key}").format(key=key[0])


def _rows_word(table: str, n: int) -> str:
    words = {
        "customer": ngettext("{n} customer", "{n} customers", n),
        "profile_field": ngettext("{n} profile field", "{n} profile fields", n),
        "purchase": ngettext("{n} purchase", "{n} purchases", n),
        "contact": ngettext("{n} contact", "{n} contacts", n),
        "promise": ngettext("{n} promise", "{n} promises", n),
        "followup": ngettext("{n} planned call", "{n} planned calls", n),
        "snooze": ngettext("{n} snooze", "{n} snoozes", n),
        "occasion": ngettext("{n} date", "{n} dates", n),
        "prospect": ngettext("{n} prospect", "{n} prospects", n),
        "prospect_grade": ngettext("{n} level change", "{n} level changes", n),
        "prospect_loss": ngettext("{n} past loss", "{n} past losses", n),
        "closed_item": ngettext("{n} closed item", "{n} closed items", n),
    }
    return words.get(table, table + " {n}").format(n=n)


def _action_word(action: str, counted: bool) -> str:
    """What happened to a row (客户 #3) or to a number of rows (4 位客户): a language may word
    them apart (Chinese spaces a number from the words before it)."""
    if counted:
        return {
            "added": pgettext("rows", "{what} added"),
            "changed": pgettext("rows", "{what} changed or deleted"),
            "removed": pgettext("rows", "{what} removed"),
            "restored": pgettext("rows", "{what} restored"),
            "reverted": pgettext("rows", "{what} put back as before"),
        }[action]
    return {
        "added": _("{what} added"),
        "changed": _("{what} changed or deleted"),
        "removed": _("{what} removed"),
        "restored": _("{what} restored"),
        "reverted": _("{what} put back as before"),
    }[action]


def summary(rows: Iterable[Any], most: int = 4) -> str:
    """The rows of a change, grouped by table and action: one line."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        if row.table in INTERNAL:
            continue
        groups.setdefault((row.table, row.action), []).append(row.key)
    parts = []
    for (table, action), keys in groups.items():
        what = row_name(table, keys[0]) if len(keys) == 1 else _rows_word(table, len(keys))
        parts.append(_action_word(action, len(keys) > 1).format(what=what))
    shown = _("; ").join(parts[:most])
    if len(parts) > most:
        shown += " " + _("and more")
    return shown


def undone(change: Any, now: datetime) -> str:
    return _("Undid `{command}` of {when}: {what}.").format(
        command=change.command, when=dates.moment(change.made_at, now), what=summary(change.rows)
    )


def listed(change: Any, now: datetime) -> dict[str, Any]:
    """One change of `undo --list` for --json (keys stable) and for the table."""
    return {
        "id": change.id,
        "command": change.command,
        "made_at": change.made_at.astimezone(now.tzinfo).isoformat(),
        "undone": change.undone_at is not None,
        "rows": [{"table": r.table, "key": list(r.key), "action": r.action} for r in change.rows],
    }


def refused(conflict: Any) -> str:
    """Why undo refused (journal.Conflict), in words: a colleague's login among Chinese words
    set apart only where it is Latin (bench 之后修改了, 王芳之后修改了)."""
    from kehu.base import cjk

    if conflict.reason == "later":
        said = _(
            "cannot undo `{command}`: {who} changed the same rows later (`{later}`); "
            "nothing was changed"
        )
    elif conflict.reason == "signed":
        said = _(
            "cannot undo `{command}`: it would put back what {who} recorded, and under "
            "row-level security one records only in one's own name; nothing was changed"
        )
    else:
        said = _(
            "cannot undo `{command}`: some of what it changed is no longer yours (its "
            "customer handed to a colleague, or deleted, since); nothing was changed"
        )
    return cjk.spaced(said, command=conflict.command, who=conflict.who, later=conflict.later)
