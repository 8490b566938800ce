"""Rows shaped for people and for --json. JSON keys are part of the contract (README)."""

from datetime import date, datetime
from typing import Any

from kehu.base import i18n, typed
from kehu.base.i18n import _, ngettext
from kehu.rules.occasions import FEBRUARY_28
from kehu.ui import dates, occasions, prospects, tables, words
from kehu.ui.words import code_word


def _iso(value: datetime | None, now: datetime) -> str | None:
    return tables.iso(value, now.tzinfo)  # type: ignore[arg-type]


def customer_line(r: Any, now: datetime) -> dict[str, Any]:
    last = r["last_reached_at"]
    return {
        "id": r["id"],
        "name": r["name"],
        "phone": r["phone"],
        "company": r["company"],
        "tier": r["tier"],
        "owner": r["owner"],
        "last_reached_at": _iso(r["last_reached_at"], now),
        "days_since_reached": tables.days_since(last, now),
        "archived": r["archived_at"] is not None,
    }


def _late(due: datetime, now: datetime) -> bool:
    from kehu.rules.localtime import LocalClock
    from kehu.rules.promises import is_late

    return is_late(due, LocalClock(now))


def promise(r: Any, now: datetime) -> dict[str, Any]:
    due = r["due"]
    if r["kept_at"] is not None:
        status = "kept"
    elif r["cancelled_at"] is not None:
        status = "cancelled"
    else:
        status = "late" if due is not None and _late(due, now) else "open"
    data = {
        "id": r["id"],
        "text": r["text"],
        "due": _iso(r["due"], now),
        "created_at": _iso(r["created_at"], now),
        "kept_at": _iso(r["kept_at"], now),
        "cancelled_at": _iso(r["cancelled_at"], now),
        "status": status,
    }
    if "customer_id" in r:
        data.update(
            customer_id=r["customer_id"], customer_name=r["customer_name"], phone=r["phone"]
        )
    if "owner" in r:
        data["owner"] = r["owner"]
    return data


def card(raw: dict[str, Any], now: datetime, *, feb29: str = FEBRUARY_28) -> dict[str, Any]:
    c = raw["customer"]
    last = c["last_reached_at"]
    referrer = raw["referred_by"]
    return {
        "id": c["id"],
        "name": c["name"],
        "phone": c["phone"],
        "email": c["email"],
        "wechat": c["wechat"],
        "company": c["company"],
        "title": c["title"],
        "address": c["address"],
        "gender": c["gender"],
        "salutation": c["salutation"],
        "language": c["language"],
        "birthday": typed.show_birthday(c["birthday"]) or None,  # the solar one, as before 0.3
        "occasions": [
            occasions.as_json(o.id, o.customer_id, o.occasion, o.note, now.date(), feb29=feb29)
            for o in raw["occasions"]
        ],
        "tier": c["tier"],
        "source": c["source"],
        "referred_by": None
        if referrer is None
        else {"id": referrer["id"], "name": referrer["name"]},
        "notes": c["notes"],
        "owner": c["owner"],
        "created_at": _iso(c["created_at"], now),
        "archived_at": _iso(c["archived_at"], now),
        "last_reached_at": _iso(c["last_reached_at"], now),
        "days_since_reached": tables.days_since(last, now),
        "no_answer_attempts": c["attempts"],
        "profile": {p["key"]: p["value"] for p in raw["profile"]},
        "purchases": [
            {
                "id": p["id"],
                "product": p["product"],
                "amount": None if p["amount"] is None else float(str(p["amount"])),
                "sold_at": _iso(p["sold_at"], now),
                "delivered_at": _iso(p["delivered_at"], now),
            }
            for p in raw["purchases"]
        ],
        "promises": [promise(p, now) for p in raw["promises"]],
        "followups": [
            {"id": f["id"], "due": _iso(f["due"], now), "note": f["note"]} for f in raw["followups"]
        ],
        "contacts": [
            {
                "id": k["id"],
                "at": _iso(k["at"], now),
                "channel": k["channel"],
                "kind": k["kind"],
                "outcome": k["outcome"],
                "note": k["note"],
                "sent": bool(k["sent"]),
                "purchase_id": k["purchase_id"],
                "made_by": k["made_by"],
            }
            for k in raw["contacts"]
        ],
        "referrals": [{"id": r["id"], "name": r["name"]} for r in raw["referrals"]],
        "snoozes": [
            {"key": z["key"], "until": _iso(z["until"], now), "reason": z["reason"]}
            for z in raw["snoozes"]
            if z["until"] > now
        ],
        "coming": _coming(raw, now),
        "prospect": prospects.card(raw.get("prospect"), now),
    }


def _coming(raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What is coming for the customer: today's open items and the next call-back milestone."""
    ahead = raw.get("next_call_back")
    return {
        "today": [
            {
                "key": item.key,
                "kind": item.kind,
                "late": item.is_late(now),
                "reason_code": item.reason_code,
                "reason": words.reason(item, now),
            }
            for item in raw.get("today", [])
        ],
        "next_call_back": None
        if ahead is None
        else {
            "day": ahead.day.isoformat(),
            "milestone": f"{ahead.number}{ahead.unit[0]}",
            "purchase_id": ahead.purchase_id,
        },
    }


def draft_language(customer: Any) -> str:
    """The language of a customer's drafts: their own, else the interface's."""
    return customer["language"] or i18n.language()


def addressed_as(customer: Any, latin: Any = "surname") -> str:
    """How drafts address the customer: their salutation, else the default from the name
    (a Latin name by its `latin` style: surname or first-name)."""
    from kehu.rules.salutation import default_salutation

    return default_salutation(
        customer["name"],
        gender=customer["gender"],
        title=customer["title"],
        lang=draft_language(customer),
        preferred=customer["salutation"],
        latin_style=latin,
    )


def _default_salutation(c: dict[str, Any], latin: Any) -> str:
    """The form of address drafts use for a customer who has none of their own, marked as the
    default, in either language (the full name too, when that is what drafts say)."""
    return _("{salutation} (default)").format(salutation=addressed_as(c, latin))


def named(name: str, id: int) -> str:
    """A customer by name and id: "刘洋 (#12)", in Chinese with full-width brackets."""
    return _("{name} (#{id})").format(name=name, id=id)


def when(iso_text: str | None, now: datetime) -> str:
    """A moment of the card's data ("2026-11-21T10:00:00+08:00"), worded by ui.dates."""
    return "" if not iso_text else dates.moment(datetime.fromisoformat(iso_text), now)


def on(iso_text: str | None, now: datetime) -> str:
    """The day of a moment of the card's data, without its time."""
    return "" if not iso_text else dates.date_only(datetime.fromisoformat(iso_text), now)


def status_word(status: str) -> str:
    """A promise's status (open, late, kept, cancelled) in the interface language."""
    words = {"open": _("open"), "late": _("late"), "kept": _("kept"), "cancelled": _("cancelled")}
    return words.get(status, status)


def print_card(c: dict[str, Any], now: datetime, *, latin: Any = "surname") -> None:
    """The card; on a terminal each line folded to its width, the details' values under each
    other."""
    out = tables.echo_fitted
    clean = tables.clean
    referrer = c["referred_by"]
    archived = c["archived_at"] and _("(archived {day})").format(day=on(c["archived_at"], now))
    tier = _("tier {tier}").format(tier=c["tier"])
    out(f"{clean(c['name'])}  #{c['id']}  {tier}" + (f"  {archived}" if archived else ""))
    details = [
        (_("phone"), c["phone"]), (_("email"), c["email"]), (_("wechat"), c["wechat"]),
        (_("company"), c["company"]), (_("title"), c["title"]), (_("address"), c["address"]),
        (_("gender"), words.gender(c["gender"])),
        (_("salutation"), c["salutation"] or _default_salutation(c, latin)),
        (_("language"), c["language"]), (_("birthday"), c["birthday"]),
        (_("source"), words.source(c["source"])),
        (_("referred by"), referrer and named(referrer["name"], referrer["id"])),
        (_("owner"), c["owner"]), (_("added"), on(c["created_at"], now)), (_("notes"), c["notes"]),
    ]  # fmt: skip
    labelled = _("{label}:")
    for label, value in details:
        if value:
            out(f"  {tables.pad(labelled.format(label=label), 13)}{clean(str(value))}", 15)
    days = c["days_since_reached"]
    if days is None:
        reached = _("never reached")
    elif days < 0:  # the clock went back since: no "-2 days"
        reached = _("last reached in the future (check the computer's clock)")
    elif days <= 1:
        reached = (_("last reached today"), _("last reached yesterday"))[days]
    else:
        reached = _("last reached {n} days ago").format(n=days)
    tries = c["no_answer_attempts"]
    if tries:
        unanswered = ngettext(
            "{n} unanswered try since", "{n} unanswered tries since", tries
        ).format(n=tries)
        reached = _("{reached}, {unanswered}").format(reached=reached, unanswered=unanswered)
    contact = labelled.format(label=_("contact"))
    out(f"  {tables.pad(contact, 13)}{reached}", 15)
    if c["occasions"]:
        out(_("Dates"))
        _print_columns([[clean(cell) for cell in occasions.cells(o, now.date())]
                        for o in c["occasions"]])  # fmt: skip
    if c["prospect"] is not None:
        prospects.print_card(c["prospect"], now)
    if c["profile"]:
        out(_("Profile"))
        for key, value in c["profile"].items():
            out("  " + _("{key}: {value}").format(key=clean(key), value=clean(value)))
    if c["referrals"]:
        out(_("Referred"))
        for r in c["referrals"]:
            out(f"  {clean(named(r['name'], r['id']))}")
    if c["purchases"]:
        out(_("Purchases"))
        amounts = [tables.money(p["amount"]) if p["amount"] is not None else ""
                   for p in c["purchases"]]  # fmt: skip
        most = max(tables.width(amount) for amount in amounts)
        rows = []
        for p, amount in zip(c["purchases"], amounts, strict=True):
            delivered = when(p["delivered_at"], now)
            delivery = (
                _("delivered {when}").format(when=delivered) if delivered else _("not delivered")
            )
            rows.append([f"#{p['id']}", on(p["sold_at"], now), clean(p["product"]),
                         " " * (most - tables.width(amount)) + amount, delivery])  # fmt: skip
        _print_columns(rows)
    open_promises = [p for p in c["promises"] if p["status"] in ("open", "late")]
    if open_promises:
        out(_("Open promises"))
        rows = [
            [f"P{p['id']}", _("due {when}").format(when=when(p["due"], now)),
             clean(p["text"]) + ("  " + _("LATE") if p["status"] == "late" else "")]
            for p in open_promises
        ]  # fmt: skip
        _print_columns(rows)
    if c["followups"]:
        out(_("Planned calls"))
        _print_columns([[f"F{f['id']}", when(f["due"], now), clean(f["note"])]
                        for f in c["followups"]])  # fmt: skip
    coming = c["coming"]
    if coming["today"] or coming["next_call_back"]:
        out(_("Coming"))
        _print_columns([
            [item["key"], clean(item["reason"]) + ("  " + _("LATE") if item["late"] else "")]
            for item in coming["today"]
        ])  # fmt: skip
        ahead = coming["next_call_back"]
        if ahead is not None:
            count, unit = int(ahead["milestone"][:-1]), ahead["milestone"][-1]
            day = dates.relative_day(date.fromisoformat(ahead["day"]), now.date())
            line = (
                _("next call-back: the {n}-day one, {day} (purchase #{purchase})")
                if unit == "d"
                else _("next call-back: the {n}-month one, {day} (purchase #{purchase})")
            )
            out("  " + line.format(n=count, day=day, purchase=ahead["purchase_id"]))
    if c["snoozes"]:
        out(_("Snoozed"))
        for z in c["snoozes"]:
            until = when(z["until"], now)
            line = (
                _("{key} snoozed until {when}: {reason}")
                if z["reason"]
                else _("{key} snoozed until {when}")
            )
            out("  " + line.format(key=z["key"], when=until, reason=clean(z["reason"] or "")))
    if c["contacts"]:
        out(_("Contacts"))
        _print_columns(_contact_rows(c["contacts"], now))


def _contact_note(contact: dict[str, Any]) -> str:
    """A contact's note; the text sent to the customer marked as such."""
    if not contact["note"]:
        return ""
    note = tables.clean(contact["note"])
    return _("sent: {text}").format(text=note) if contact["sent"] else note


def _print_columns(rows: list[list[str]]) -> None:
    """Rows of cells as columns, each as wide as its widest cell in terminal columns (a CJK
    character takes two), an empty column left out; on a terminal a line wider than it is
    folded under its last column."""
    if not rows:
        return
    widths = [max(tables.width(row[i]) for row in rows) for i in range(len(rows[0]))]
    kept = [i for i, most in enumerate(widths) if most]  # no empty column
    last = 2 + sum(widths[i] + 2 for i in kept[:-1])  # where the last column starts
    for line in tables.aligned(rows):
        tables.echo_fitted("  " + line, last)


def _contact_rows(contacts: list[dict[str, Any]], now: datetime) -> list[list[str]]:
    """The card's contacts as columns: id, when, channel, kind, no answer, note."""
    rows = [
        [
            f"#{k['id']}",
            when(k["at"], now),
            code_word(k["channel"]),
            code_word(k["kind"]),
            "" if k["outcome"] == "reached" else _("(no answer)"),
            _contact_note(k),
        ]
        for k in contacts
    ]
    return rows
