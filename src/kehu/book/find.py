"""Finding the customer a user means, in this order: by id, phone, exact name, a unique part of
a name, then pinyin (zw, zhangwei, "zhang wei" and 张w find 张伟; a name's whole pinyin or
initials before the longer names they begin)."""

from typing import Any

from kehu.base.errors import Ambiguous, NotFound
from kehu.base.i18n import _, ngettext
from kehu.base.typed import half_width
from kehu.book import engine, name_forms
from kehu.rules import pinyin, vocab

COLUMNS = "id, name, phone, company, archived_at"
PHONE_CHARS = set("0123456789+-() ")


def customer(tx: engine.Tx, text: str, *, archived: bool = False) -> Any:
    """The one customer `text` names; archived customers only when `archived` is true."""
    query = text.strip()
    if not query:
        raise NotFound(_("no customer given; give an id, a phone number or a name"))
    scope = "" if archived else " AND archived_at IS NULL"
    candidates: list[Any] = []
    ascii_query = half_width(query)  # full-width digits and ＃ read as ASCII
    digits = ascii_query.lstrip("#")
    if digits.isdecimal() and len(digits) < 7:  # not isdigit: int("¹") fails
        # An id means that id and nothing else: a deleted or archived #3 never falls through
        # to a name that contains "3".
        return _by_id(tx, int(digits), scope=scope)
    phone = vocab.phone_digits(query)
    if not candidates and phone and len(phone) >= 7 and set(ascii_query) <= PHONE_CHARS:
        candidates = tx.all(
            f"SELECT {COLUMNS} FROM customer WHERE phone_digits = :p{scope} ORDER BY id", p=phone
        )
    if not candidates:  # the exact name first: it uses the index on name
        candidates = tx.all(
            f"SELECT {COLUMNS} FROM customer WHERE name = :n{scope} ORDER BY id", n=query
        )
    if not candidates and query.lower() != query.upper():  # Latin letters: any case
        candidates = tx.all(
            f"SELECT {COLUMNS} FROM customer WHERE LOWER(name) = LOWER(:n){scope} ORDER BY id",
            n=query,
        )
    if not candidates:
        candidates = tx.all(
            f"SELECT {COLUMNS} FROM customer WHERE LOWER(name) LIKE :pattern ESCAPE '\\'"
            f"{scope} ORDER BY id LIMIT 21",
            pattern=f"%{like_escape(query.lower())}%",
        )
    by_pinyin = False
    if not candidates:
        pinyin_search = name_forms.search_params(query)
        if pinyin_search is not None:
            by_pinyin = True
            candidates = tx.all(
                f"SELECT {COLUMNS} FROM customer WHERE id IN ({name_forms.MATCHING_IDS})"
                f"{scope} ORDER BY id LIMIT 21",
                **pinyin_search,
            )
        if len(candidates) > 1:
            # The whole pinyin or initials of one name win over names they begin, as an exact
            # name does over a part of one: sunli is 孙丽, not 孙丽丽 (and 孙丽 or 孙莉, asked).
            exact = tx.all(
                f"SELECT {COLUMNS} FROM customer WHERE id IN ({name_forms.EXACT_IDS})"
                f"{scope} ORDER BY id LIMIT 21",
                **(name_forms.exact_params(query) or {}),
            )
            candidates = exact or candidates
    if not candidates and scope:
        _archived_by_name_or_phone(tx, query, phone)
    if not candidates:
        message = (
            _(
                "no active customer matches that; give an id, a phone number, a name or part of "
                "one (`kehu list --search TEXT` finds them)"
            )
            if not archived
            else _(
                "no customer matches that; give an id, a phone number, a name or part of one "
                "(`kehu list --search TEXT` finds them)"
            )
        )
        raise NotFound(message)
    if len(candidates) > 1:
        raise ambiguity(candidates, _("choose one by its id"), spelled=by_pinyin)
    return candidates[0]


def _archived_by_name_or_phone(tx: engine.Tx, query: str, phone: str | None) -> None:
    """When no active customer matches, one archived customer with that exact name or phone is
    named by id with the way back, as an archived id is."""
    by_phone = {"p": phone} if phone and len(phone) >= 7 else {}
    found = tx.all(
        f"SELECT id FROM customer WHERE archived_at IS NOT NULL AND (name = :n"
        f"{' OR phone_digits = :p' if by_phone else ''}) ORDER BY id LIMIT 2",
        n=query,
        **by_phone,
    )
    if len(found) == 1:
        raise NotFound(
            _("customer #{id} is archived; `kehu unarchive {id}` brings them back").format(
                id=found[0]["id"]
            )
        )


def _by_id(tx: engine.Tx, number: int, *, scope: str) -> Any:
    found = tx.all(f"SELECT {COLUMNS} FROM customer WHERE id = :id{scope}", id=number)
    if found:
        return found[0]
    if scope and tx.all("SELECT id FROM customer WHERE id = :id", id=number):
        raise NotFound(
            _("customer #{id} is archived; `kehu unarchive {id}` brings them back").format(
                id=number
            )
        )
    raise NotFound(_("no customer #{id}").format(id=number))


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def ambiguity(candidates: list[Any], how: str, *, spelled: bool = False) -> Ambiguous:
    """The error listing the candidates; `spelled` adds each name's pinyin, for candidates a
    pinyin search found (two 张伟 and a 章伟 all spell zhang wei)."""
    shown = candidates[:20]
    count = ngettext("{n} customer matches", "{n} customers match", len(candidates)).format(
        n=len(candidates)
    )
    lines = [_("{count}; {how}:").format(count=count, how=how)]
    lines += [describe(c, spelled=spelled) for c in shown]
    if len(candidates) > len(shown):
        lines.append("  " + _("… and more; narrow it down"))
    return Ambiguous("\n".join(lines))


def describe(row: Any, *, spelled: bool = False) -> str:
    parts = [f"  #{row['id']}", row["name"]]
    if spelled and any(pinyin.is_han(ch) for ch in row["name"]):
        parts.append(f"({pinyin.spelled(row['name'])})")
    parts.append(row["phone"] or _("(no phone)"))
    if row["company"]:
        parts.append(row["company"])
    if row["archived_at"]:
        parts.append(_("(archived)"))
    return "  ".join(parts)
