"""The English wording of the daily list: why each item is listed, and what to talk about.

The scheduler says why as a reason code and its parameters; each code is worded here, one
sentence each, through the catalog (kehu.base.i18n) so that another language can replace it.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from kehu.base import cjk, i18n
from kehu.base.i18n import _, ngettext, pgettext
from kehu.rules.vocab import LAST_NOTE
from kehu.ui import dates


def reason(item: Any, now: datetime, *, name_owner: bool = False) -> str:
    """Why `item` is on the list, in words (`now` is local: dates are worded relative to it).
    `name_owner`: the list is a colleague's or everyone's, so a grouped greeting's command
    names whose customers it lists."""
    if name_owner and item.kind == "holiday-group":
        from kehu.ui import greetings

        return greetings.group_reason(item.reason_params, now.date(), owner=item.owner)
    return _REASONS[item.reason_code](item, item.reason_params, now)


def _promise(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    when = dates.moment(p["due"], now)
    if item.is_late(now):
        return _("Promised: {text} — due since {when}").format(text=p["text"], when=when)
    return _("Promised: {text} — due {when}").format(text=p["text"], when=when)


def _planned_call(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    if p["note"]:
        return _("Call back as planned: {note}").format(note=p["note"])
    return _("Call back as planned")


def _thank_you(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    words = {
        "product": p["product"],
        "delivered": dates.moment(p["delivered"], now),
        "due_by": dates.moment(p["due_by"], now),
    }
    if p["delivered"] > now:  # a delivery booked for later today: not delivered yet
        return cjk.spaced(
            _("{product} to be delivered {delivered} — the thank-you note is due by {due_by}"),
            **words,
        )
    if (end := dates.end_of_day(p["due_by"], now)) is not None:
        words["day"] = end
        if item.is_late(now):
            late = _("Delivered {product} {delivered} — the thank-you note was due by the end of "
                     "{day}")  # fmt: skip
            return cjk.spaced(late, **words)
        return cjk.spaced(
            _("Delivered {product} {delivered} — the thank-you note is due by the end of {day}"),
            **words,
        )
    if item.is_late(now):
        return cjk.spaced(
            _("Delivered {product} {delivered} — the thank-you note was due by {due_by}"), **words
        )
    return cjk.spaced(
        _("Delivered {product} {delivered} — the thank-you note is due by {due_by}"), **words
    )


def _complaint(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    on = dates.day_of(p["complained"], now)
    if p["note"]:
        return _("Complained on {day}: {note} — call to check it is resolved").format(
            day=on, note=p["note"]
        )
    return _("Complained on {day} — call to check it is resolved").format(day=on)


def _referral(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    return cjk.spaced(
        _("Referred {name} on {day} — thank them"),
        name=p["referred_name"],
        day=dates.day_of(p["referred"], now),
    )


def call_back_step(count: int, unit: str) -> str:
    """A step of the call-backs after a delivery ("day" or "month"): "2-month call-back"."""
    if unit == "day":
        return _("{n}-day call-back").format(n=count)
    return _("{n}-month call-back").format(n=count)


def _call_back(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    words = {"product": p["product"], "day": dates.day_of(p["delivered"], now), "n": p["count"]}
    if p["unit"] == "day":
        return cjk.spaced(
            _("Bought {product} on {day} — {n}-day call-back (how is it going?)"), **words
        )
    return cjk.spaced(
        _("Bought {product} on {day} — {n}-month call-back (how is it going?)"), **words
    )


def _since(basis: str, since: date, now: datetime) -> str:
    on = dates.near_day(since, now.date())
    if basis == "added":
        return _("added {day}").format(day=on)
    if basis == "delivery":
        return _("delivery {day}").format(day=on)
    return _("last reached {day}").format(day=on)


def _at_risk(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    n = p["months"]
    return ngettext(
        "No contact for {n} month — at risk of leaving ({since})",
        "No contact for {n} months — at risk of leaving ({since})",
        n,
    ).format(n=n, since=_since(p["basis"], p["since"], now))


def _quiet(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    n = p["months"]
    return ngettext(
        "No contact for {n} month ({since})", "No contact for {n} months ({since})", n
    ).format(n=n, since=_since(p["basis"], p["since"], now))


def _key_quiet(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    n = p["days"]
    if p["basis"] == "added":  # no contact to count from: never reached, nor delivered to
        return ngettext(
            "Key customer: never reached, added {n} day ago ({day})",
            "Key customer: never reached, added {n} days ago ({day})",
            n,
        ).format(n=n, day=dates.near_day(p["since"], now.date()))
    return ngettext(
        "Key customer: {n} day since last contact ({since})",
        "Key customer: {n} days since last contact ({since})",
        n,
    ).format(n=n, since=_since(p["basis"], p["since"], now))


def _untouched(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    on = dates.near_day(p["since"], now.date())
    if p["basis"] == "added":
        since = _("added {day}").format(day=on)
    elif p["basis"] == "delivery":
        since = _("delivered {day}").format(day=on)
    else:
        since = _("last reached {day}").format(day=on)
    if p["never_reached"]:
        return _("No follow-up due — never reached, {since}").format(since=since)
    return _("No follow-up due — {since}").format(since=since)


def _personal_date(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    from kehu.ui import occasions

    what = occasions.kind_word(p["occasion"], p["label"], capital=True)
    if p["note"]:
        what = _("{what}, {note}").format(what=what, note=p["note"])
    shown = {**p, "kind": p["occasion"], "next": p["date"].isoformat(), "age_next": p["age"]}
    when = occasions.when(shown, now.date())
    offset = (p["date"] - now.date()).days
    if offset == 1:
        return _("{what} tomorrow: {when}").format(what=what, when=when)
    if offset > 1:
        return ngettext("{what} in {n} day: {when}", "{what} in {n} days: {when}", offset).format(
            what=what, n=offset, when=when
        )
    if offset == 0:
        return _("{what} today: {when}").format(what=what, when=when)
    return _("{what} was {when}").format(what=what, when=when)


def _prospect(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    return ngettext(
        "Prospect {level}: follow up every {n} day (since {day})",
        "Prospect {level}: follow up every {n} days (since {day})",
        p["days"],
    ).format(level=p["level"], n=p["days"], day=dates.day(p["since"], now.date()))


def _prospect_regrade(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    return _("Prospect {level}: expected to buy by {day} — call and re-grade").format(
        level=p["level"], day=dates.day(p["expected"], now.date())
    )


def _holiday(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    from kehu.ui import greetings

    return greetings.reason(p, now.date())


def _holiday_group(item: Any, p: Mapping[str, Any], now: datetime) -> str:
    from kehu.ui import greetings

    return greetings.group_reason(p, now.date())


def who(item: Any) -> str:
    """The name an item is about; for a grouped greeting, how many customers."""
    if item.kind == "holiday-group":
        from kehu.ui import greetings

        return greetings.group_who(item.reason_params)
    return str(item.customer_name)


_REASONS: Mapping[str, Callable[[Any, Mapping[str, Any], datetime], str]] = {
    "promise": _promise,
    "planned-call": _planned_call,
    "thank-you": _thank_you,
    "complaint": _complaint,
    "referral": _referral,
    "call-back": _call_back,
    "at-risk": _at_risk,
    "quiet": _quiet,
    "key-quiet": _key_quiet,
    "untouched": _untouched,
    "personal-date": _personal_date,
    "prospect": _prospect,
    "prospect-regrade": _prospect_regrade,
    "holiday": _holiday,
    "holiday-group": _holiday_group,
}
REASON_CODES = tuple(_REASONS)


def reason_params(params: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The parameters for --json: instants as ISO 8601 in now's time zone, dates as ISO."""
    shown: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, datetime):
            value = value.astimezone(now.tzinfo).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        shown[name] = value
    return shown


def talking_point(
    facts: Sequence[tuple[str, str]],
    snoozed: tuple[datetime, str] | None = None,
    now: datetime | None = None,
) -> str:
    """Why the customer was snoozed (until, reason), profile facts and the last note, as one
    line to open the call with."""
    parts = []
    if snoozed is not None and now is not None:
        until, why = snoozed
        parts.append(
            _("snoozed until {when}: {reason}").format(when=dates.moment(until, now), reason=why)
        )
    for key, value in facts:
        if key == LAST_NOTE:
            parts.append(_("last note: {note}").format(note=value))
        else:
            parts.append(_("{key}: {value}").format(key=key, value=value))
    return _(" · ").join(parts)


def source(code: str | None) -> str:
    words = {
        "walk-in": pgettext("source", "walk-in"), "phone": pgettext("source", "phone"),
        "online": pgettext("source", "online"),
        "ad": pgettext("source", "ad"), "referral": pgettext("source", "referral"),
        "own": pgettext("source", "own"), "other": pgettext("source", "other"),
    }  # fmt: skip
    return words.get(code or "", code or "")


def gender(code: str | None) -> str:
    words = {
        "female": pgettext("gender", "female"), "male": pgettext("gender", "male"),
        "other": pgettext("gender", "other"),
    }  # fmt: skip
    return words.get(code or "", code or "")


def detail(field: str) -> str:
    """A customer's detail (a column of the customer table) named as the card names it."""
    words = {
        "name": _("name"), "phone": _("phone"), "email": _("email"), "wechat": _("wechat"),
        "company": _("company"), "title": _("title"), "address": _("address"),
        "gender": _("gender"), "salutation": _("salutation"), "language": _("language"),
        "birthday": _("birthday"), "tier": _("tier"), "source": _("source"),
        "referred_by": _("referred by"), "notes": _("notes"),
    }  # fmt: skip
    return words.get(field, field.replace("_", " "))


def word(code: str | None) -> str:
    """A code of the book (kind, channel, outcome, state, fact) in the interface language."""
    words = {
        "follow-up": _("follow-up"),
        "thank-you": _("thank-you"),
        "greeting": _("greeting"),
        "complaint": _("complaint"),
        "other": _("other"),
        "call": _("call"),
        "visit": _("visit"),
        "wechat": _("WeChat"),
        "sms": _("SMS"),
        "email": _("email"),
        "letter": _("letter"),
        "gift": _("gift"),
        "reached": _("reached"),
        "no-answer": _("no answer"),
        "healthy": _("healthy"),
        "cooling": _("cooling"),
        "at-risk": _("at risk"),
        "lost": _("lost"),
        "phone": _("phone"),
        "address": _("address"),
        "gender": _("gender"),
        "birthday": _("birthday"),
        "purchases": _("purchases"),
        "value": _("share of purchase value"),
        "influence": _("referrals made"),
    }
    return words.get(code or "", code or "")


def code_word(code: str) -> str:
    """A channel or kind as a sentence or a card's contact line shows it: the code itself in
    English (as typed), its word in another language."""
    return code if i18n.language() == "en" else word(code)


def already_done(done: Any, now: datetime, *, snoozing: bool = False) -> str:
    """What `kehu done` (or `kehu snooze`, `snoozing`) says of an item something already
    closed (items.AlreadyDone)."""
    when = dates.moment(done.at, now)
    if done.how == "kept":
        how = _("kept {when}").format(when=when)
    elif done.how == "cancelled":
        how = _("the promise was cancelled {when}").format(when=when)
    elif done.channel is None:
        how = _("done {when}").format(when=when)
    elif done.how == "done":
        how = _("done {when} (logged {channel} {kind})").format(
            when=when, channel=code_word(done.channel), kind=code_word(done.contact_kind)
        )
    else:
        how = _("reached by {channel} ({kind}) {when}").format(
            channel=code_word(done.channel), kind=code_word(done.contact_kind), when=when
        )
    if snoozing:
        return _("{key} is already done: {how}. Nothing to put off; nothing changed.").format(
            key=done.key, how=how
        )
    return _("{key} is already done: {how}. Nothing changed; --again logs it anyway.").format(
        key=done.key, how=how
    )


def field_label(field: str) -> str:
    """How an error on the command line names a customer's field: a choice by what it is, a
    text by its option (--name)."""
    from kehu.rules import customer_fields

    return _choice_field(field) or customer_fields.option(field)


def column_label(field: str) -> str:
    """How an import's error names a customer's field: a choice by what it is, a text by the
    field the column was read as (the preview's column map names it so)."""
    return _choice_field(field) or field


def _choice_field(field: str) -> str | None:
    words = {
        "tier": _("tier"), "gender": _("gender"), "source": _("source"), "language": _("language"),
    }  # fmt: skip
    return words.get(field)
