"""One check for a customer's fields, whoever gives them: `add`, `edit` and every importer.
The longest text each column takes is base.typed.LONGEST, which the schema uses too."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from kehu.base import typed
from kehu.rules import choices, vocab

TEXTS = ("name", "phone", "email", "wechat", "company", "title", "address", "salutation")
CHOICES: Mapping[str, tuple[str, ...]] = {
    "gender": vocab.GENDERS,
    "tier": vocab.TIERS,
    "source": vocab.SOURCES,
    "language": vocab.LANGUAGES,
}
# The words a user may type for a code of a choice (微信, 男, 重点客户…).
SYNONYMS: Mapping[str, Mapping[str, str]] = {
    "gender": vocab.GENDER_WORDS,
    "tier": vocab.TIER_WORDS,
    "source": vocab.SOURCE_WORDS,
    "language": {"中文": "zh", "英文": "en", "english": "en"},
}
FIELDS = (*TEXTS, "gender", "birthday", "tier", "source", "notes", "language")
DEFAULT_TIER = "B"


def option(field: str) -> str:
    """How the command line names a field in its errors: --name, --note…"""
    return "--note" if field == "notes" else f"--{field}"


def check(
    given: Mapping[str, str | None],
    *,
    partial: bool = False,
    label: Callable[[str], str] = option,
    today: date | None = None,
) -> dict[str, Any]:
    """The fields given, checked and cleaned. A new customer (not `partial`) gets every field,
    None where not given, and tier B; an edit (`partial`) only the fields given, where ""
    clears a detail. `label` names a field in an error (an option, a CSV column); `today`
    decides the century of a birthday's two-digit year (85-3-5)."""
    checked: dict[str, Any] = {}
    for field, raw in given.items():
        assert field in FIELDS, field
        if raw is None and partial:
            continue
        if field == "phone" and raw:
            # full-width digits from a Chinese keyboard; the words after the number are a fact
            raw = typed.phone_and_note(raw)[0]
        if field in TEXTS:
            checked[field] = typed.text(raw, label(field), longest=typed.LONGEST[field])
            if field == "email":
                checked[field] = typed.email(checked[field], label(field))
        elif field == "notes":
            checked[field] = typed.text(raw, label(field))
        elif field == "birthday":
            checked[field] = typed.birthday(raw, today)
        elif raw is None or (partial and raw == "" and field != "tier"):
            checked[field] = None
        else:
            checked[field] = choices.choice(
                raw, CHOICES[field], label(field), synonyms=SYNONYMS[field]
            )
    if not partial:
        checked = {field: checked.get(field) for field in FIELDS}
        checked["tier"] = checked["tier"] or DEFAULT_TIER
    if "name" in checked:
        typed.present_name(checked["name"], editing=partial)
    return checked


# The profile fact that keeps the words typed after a phone number: 13800138000（微信同号）.
PHONE_NOTE = "phone_note"


def phone_facts(phone: str | None) -> list[tuple[str, str]]:
    """The profile fact of the words after a phone's number ('微信同号' of
    '13800138000（微信同号）', whose phone is 13800138000), if it has any."""
    note = typed.phone_and_note(phone)[1] if phone else None
    return [(PHONE_NOTE, note)] if note else []


# Profile facts kehu acts on, and the answers each takes: `--set greetings=no` opts a
# customer out of holiday greetings (rules/greetings.py).
CHECKED_FACTS: Mapping[str, tuple[str, ...]] = {"greetings": vocab.YES_NO}
FACT_WORDS: Mapping[str, str] = {"问候": "greetings", "节日问候": "greetings"}


def check_facts(facts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Profile facts as given, those kehu acts on (greetings=no) checked and stored as codes."""
    checked = []
    for key, value in facts:
        known = FACT_WORDS.get(key, key.lower())
        if known in CHECKED_FACTS:
            answer = choices.choice(value, CHECKED_FACTS[known], known, synonyms=vocab.YES_NO_WORDS)
            checked.append((known, answer))
        else:
            checked.append((key, value))
    return checked


class Incoming(NamedTuple):
    """One checked customer from a file, for the book: fields as check() returns them, profile
    facts, and the sale the row records (a product, its amount and delivery), if any."""

    position: int  # line or card number, for the messages
    fields: Mapping[str, Any]
    profile: Mapping[str, str]
    product: str | None = None
    amount: Decimal | None = None
    delivered_at: datetime | None = None
    # A prospect's row (a level and no sale): (level, the prospect card's fields).
    prospect: tuple[str, Mapping[str, Any]] | None = None
    # Dates kept by the lunar calendar (base.occasion_input.OccasionDate): a 农历生日 column.
    lunar_birthdays: tuple[Any, ...] = ()
    # Who sent them, as the file names them (a name or a phone, and a phone of their own):
    # linked when exactly one customer matches, else kept as a profile fact.
    referrer: str | None = None
    referrer_phone: str | None = None
    # The customer's other dates (rules.occasions.Occasion): a wedding anniversary…
    dates: tuple[Any, ...] = ()
    date_notes: tuple[str | None, ...] = ()  # each date's note, in the order of `dates`
    # A lost prospect's (级别 战败): the reason (a code of vocab.LOST_REASONS), its note and
    # when, None for now.
    lost: tuple[str, str | None, datetime | None] | None = None
    sold_at: datetime | None = None  # when the row's sale was made, when the file says
    archived_at: datetime | None = None  # a customer kehu's own file has as archived
