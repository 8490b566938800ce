"""A PersonRecord read from a file, checked as the book stores a customer (the one check,
rules/customer_fields.py): its fields, its profile facts (everything with no column of its own,
so nothing in a file is lost) and the sale it records."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from kehu.base import dates, typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.base.occasion_input import FIRST_YEAR, LAST_YEAR, OccasionDate, occasion_date
from kehu.exchange.days import parse_day, parse_moment, to_date
from kehu.exchange.records import Day, PersonRecord
from kehu.rules import choices, customer_fields, occasions, vocab

# Record fields kept as profile facts, under these keys.
FACT_FIELDS = (
    "level", "interest", "budget", "expected_purchase", "payment", "current_car", "usage", "cares",
    "competitors", "best_time", "lunar_birthday", "lost_reason", "lost_note", "lost_at",
    "sold_at",
)  # fmt: skip
# A lost prospect's columns (级别 战败), the prospect's when the row is one.
LOST_FIELDS = ("lost_reason", "lost_note", "lost_at")


def incoming(
    record: PersonRecord,
    *,
    tz: tzinfo,
    today: date | None = None,
    label: Callable[[str], str] = str,
) -> customer_fields.Incoming:
    """The record as the book takes it. Raises BadInput naming the field that is wrong (a
    birthday with its year after `today` or before 1900 too, solar or lunar, as
    `kehu date add NAME birthday` refuses it)."""
    lunar = _lunar_birthday(record.lunar_birthday)
    if today is not None and not lunar and (year := _year_out_of_range(record.lunar_birthday)):
        typed.past_birthday(date(year, 1, 1), today)  # refused: before 1900 or after today
    if today is not None:
        if record.birthday is not None and record.birthday.year is not None:
            typed.past_birthday(
                date(record.birthday.year, record.birthday.month, record.birthday.day), today
            )
        for found in lunar:
            if found.year is not None:
                day = occasions.lunar_kept(found.year, found.month, found.day, leap=found.leap)
                typed.past_birthday(day, today)
    given = {
        "name": record.name,
        "phone": record.phones[0] if record.phones else None,
        "email": record.emails[0] if record.emails else None,
        "wechat": record.wechat,
        "company": record.company,
        "title": record.title,
        "address": record.address,
        "gender": record.gender,
        "salutation": record.salutation,
        "language": record.language,
        "birthday": _birthday(record.birthday),
        "tier": record.tier,
        "source": record.source,
        "notes": record.note,
    }
    fields = customer_fields.check(given, label=label)
    profile = dict(customer_fields.phone_facts(given["phone"])) | dict(record.facts)
    for n, phone in enumerate(record.phones[1:], start=2):
        profile[f"phone {n}"] = phone
    for n, email in enumerate(record.emails[1:], start=2):
        profile[f"email {n}"] = email
    prospect = _prospect(record, today)
    selling = bool((record.product or "").strip())
    lost = None
    if prospect is not None and not selling and _says_lost(record.level):
        lost = _lost(record, tz, today)
    on_card: tuple[str, ...] = () if prospect is None else PROSPECT_FIELDS
    if prospect is not None:  # what the card cannot hold stays a fact, as written
        left_out = {"expected_purchase": "expected_on", "payment": "payment",
                    "competitors": "competitors"}  # fmt: skip
        on_card = tuple(
            n for n in PROSPECT_FIELDS
            if n not in left_out or prospect[1][left_out[n]] or not getattr(record, n)
        )  # fmt: skip
    if lost is not None:
        on_card = (*on_card, *LOST_FIELDS)
    sold_at = None
    if selling and record.sold_at:
        sold_at = _moment(record.sold_at, tz, _("the order date (sold_at)"))
        on_card = (*on_card, "sold_at")
    if lunar:
        on_card = (*on_card, "lunar_birthday")  # a date of its own, not a fact
    for name in FACT_FIELDS:
        if (value := getattr(record, name)) and name not in on_card:
            profile[name] = value
    for key, value in profile.items():
        typed.text(key, _("the column name"), longest=typed.LONGEST["key"])
        typed.text(value, key)
    referrer = typed.text(record.referrer, "referrer")
    referrer_phone = typed.text(record.referrer_phone, "referrer_phone")
    product = typed.text(record.product, "product", longest=typed.LONGEST["product"])
    amount = typed.amount(record.amount, quoted=False)  # a cell: a customer's figure
    if amount is not None and product is None:
        profile["amount"] = record.amount or ""
        amount = None
    if prospect is not None and product is not None and prospect[0] != "O":
        # a row with a sale is a customer's: its level stays a fact (but level O, ordered: a
        # prospect sold to, waiting for the delivery)
        prospect = None
        profile.update(
            {n: v for n in on_card if n in PROSPECT_FIELDS and (v := getattr(record, n))}
        )
    return customer_fields.Incoming(
        record.position, fields, profile, product, amount, _delivered(record.delivered, tz),
        prospect, lunar, referrer or None, referrer_phone or None, tuple(record.dates),
        tuple(record.date_notes.get(d) for d in record.dates), lost, sold_at,
        _archived(record.archived_at, tz),
    )  # fmt: skip


def _archived(text: str | None, tz: tzinfo) -> datetime | None:
    """When kehu's own file says the customer was archived (2026-06-01T10:00:00+08:00, as
    it exports it; a local day and time too)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return _moment(text, tz, _("when they were archived (archived_at)"))
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=tz)


def _says_lost(level: str | None) -> bool:
    typed = unicodedata.normalize("NFKC", level or "").strip().casefold()
    return typed in (w.casefold() for w in vocab.LOST_LEVEL_WORDS)


def _lost(
    record: PersonRecord, tz: tzinfo, today: date | None
) -> tuple[str, str | None, datetime | None]:
    """A lost prospect's reason, note and when. The reason is needed (战败 needs a written
    reason): a code or a word of `kehu lost --reason`, else words of one's own, kept as the
    note under the reason other. Raises BadInput without one, or for a loss after today."""
    written = (record.lost_reason or "").strip()
    if not written:
        raise BadInput(
            _("a lost prospect (level 战败/lost) needs its reason, in a lost_reason (战败原因) "
              "column: {accepted}, or words of your own (kept under other)").format(
                accepted=", ".join(vocab.LOST_REASONS))
        )  # fmt: skip
    note = (record.lost_note or "").strip() or None
    try:
        reason = typed.choice(written, vocab.LOST_REASONS, "lost_reason",
                              synonyms=vocab.LOST_REASON_WORDS)  # fmt: skip
    except BadInput:
        reason, note = "other", written if note is None else f"{written}; {note}"
    at = None
    if record.lost_at:
        at = _moment(record.lost_at, tz, _("the day they were lost (lost_at)"))
    if at is not None and today is not None and at.astimezone(tz).date() > today:
        raise BadInput(_("the day they were lost (lost_at) is after today; a loss is in the past"))
    return reason, note, at


def _moment(text: str, tz: tzinfo, what: str) -> datetime:
    """A day (its start), or a day and time, local time, as a delivery is read."""
    value = parse_moment(text)
    if value is None:
        raise BadInput(
            _(
                "can't read {what}; accepted: 2026-03-15, 2026/3/15, 2026年3月15日, "
                "with or without a time (2026-03-15 14:30)"
            ).format(what=what)
        )
    if isinstance(value, datetime):
        return dates.at_start(dates.When(value.date(), value.time()), tz)
    return dates.at_start(dates.When(value, None), tz)


def _year_out_of_range(text: str | None) -> int | None:
    """The year a 农历生日 cell starts with (1850年八月十五), when no date of kehu's can have it."""
    found = re.match(r"\s*(?:农历|lunar)?\s*(\d{4})\s*[年/-]", text or "")
    if found is None:
        return None
    year = int(found.group(1))
    return year if not FIRST_YEAR <= year <= LAST_YEAR and year >= 1 else None


def _lunar_birthday(text: str | None) -> tuple[OccasionDate, ...]:
    """A 农历生日 cell as a lunar date (八月十五, 闰四月初八, 1985年八月十五, 08-15); none when
    it cannot be read as one, and the text stays a profile fact."""
    if not text:
        return ()
    written = f"农历{text}" if any(c in text for c in "月闰閏") else f"lunar {text}"
    try:
        found = occasion_date(written)
    except BadInput:
        return ()
    return (found,) if found.calendar == "lunar" else ()


# A prospect sheet's columns (级别, 意向车型, 预算, 预计购车时间): the prospect card's, on a
# row with an intent level; a level kehu does not know stays a fact, as other columns do.
PROSPECT_FIELDS = (
    "level", "interest", "budget", "expected_purchase", "payment", "current_car", "usage", "cares",
    "competitors", "best_time",
)  # fmt: skip


def _prospect(record: PersonRecord, today: date | None) -> tuple[str, dict[str, Any]] | None:
    if not record.level:
        return None
    if _says_lost(record.level):
        level = "N"  # the level they had before is not written: not graded
    else:
        try:
            level = typed.choice(record.level.upper(), vocab.LEVELS, "level",
                                 synonyms=vocab.LEVEL_WORDS)  # fmt: skip
        except BadInput:
            return None
    day = parse_day(record.expected_purchase) if record.expected_purchase else None
    expected = to_date(day) if day is not None else None
    if day is not None and day.year is None and today is not None:
        expected = _next_such_day(day, today)  # 12-25: the coming one, as --expected reads it
    # "next spring" is no date: it stays a fact, as written
    try:
        payment = choices.maybe_choice(
            record.payment, vocab.PAYMENTS, "payment", synonyms=vocab.PAYMENT_WORDS
        )
    except BadInput:
        payment = None
    rivals = tuple(c for c in (record.competitors or "").split(";") if c.strip())
    card = {
        "interest": record.interest, "budget": record.budget, "expected_on": expected,
        "payment": payment, "current_car": record.current_car, "usage": record.usage,
        "cares": record.cares, "best_time": record.best_time,
        "competitors": tuple(c.strip() for c in rivals) if len(rivals) <= 3 else (),
    }  # fmt: skip
    return level, card


def _next_such_day(day: Day, today: date) -> date | None:
    """The first day on or after `today` with that month and day (02-29: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        try:
            found = date(year, day.month, day.day)
        except ValueError:
            continue
        if found >= today:
            return found
    return None


def _birthday(day: Day | None) -> str | None:
    if day is None:
        return None
    return day.iso() if day.year is not None else f"{day.month:02d}-{day.day:02d}"


def _delivered(value: date | datetime | str | None, tz: tzinfo) -> datetime | None:
    """The delivery as `kehu add --delivered` stores it: a day alone is that day with no time
    of day (its start), a day and time that moment, local time."""
    if value is None:
        return None
    if isinstance(value, str):
        raise BadInput(
            _(
                "can't read the delivery date; accepted: 2026-03-15, 2026/3/15, 2026年3月15日, "
                "with or without a time (2026-03-15 14:30)"
            )
        )
    if isinstance(value, datetime):
        return dates.at_start(dates.When(value.date(), value.time()), tz)
    return dates.at_start(dates.When(value, None), tz)
