"""Prospects on screen and in JSON: the prospect card (意向客户管理卡), the monthly level table
(意向客户级别状况表) and the conversion figures. The book gives codes and data; this words them."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import typer

from kehu.base.i18n import _, pgettext
from kehu.rules import prospects as rules_prospects
from kehu.rules.records import Rules
from kehu.rules.vocab import LEVELS
from kehu.ui import dates, tables


def lost_reason(code: str | None) -> str:
    words = {
        "competitor": _("bought a competitor"), "budget": _("budget"),
        "postponed": _("postponed"), "price": _("price"), "unreachable": _("unreachable"),
        "other": _("other"),
    }  # fmt: skip
    return words.get(code or "", code or "")


def payment(code: str | None) -> str:
    words = {"full": _("full payment"), "loan": _("loan")}
    return words.get(code or "", code or "")


def state_of(p: Mapping[str, Any], now: datetime, at: datetime | None = None) -> str:
    """open, ordered (sold to, the first delivery still to come), sold or lost (a code, the
    same in every language); with `at`, as it was then: lost too between a loss they came
    back from and their coming back (`losses`, (lost, reopened) pairs, when the row has them)."""
    sold, lost = p["converted_at"], p["lost_at"]
    if sold is not None and (at is None or sold < at):
        if rules_prospects.ordered(sold, p["first_delivered_at"], at or now):
            return "ordered"
        return "sold"
    if at is not None and any(gone < at <= back for gone, back in p.get("losses", ())):
        return "lost"
    return "lost" if lost is not None and (at is None or lost < at) else "open"


def order_placed(p: Mapping[str, Any]) -> datetime | None:
    """When the prospect ordered (level O): their sale, when it came before its first delivery;
    else None."""
    sold = p["converted_at"]
    return sold if rules_prospects.ordered(sold, p["first_delivered_at"], sold) else None


def level_now(p: Mapping[str, Any], state: str) -> str:
    """The level as the card and the level table give it now: O for one who ordered, while the
    delivery is to come and after it (the level they bought at), else the grade in force."""
    if state == "ordered" or (state == "sold" and order_placed(p) is not None):
        return "O"
    return str(p["level"])


def level_of(p: Mapping[str, Any], grades: list[rules_prospects.Grade], at: datetime) -> str:
    """The level at `at`: O while ordered, else the grade in force (the level now if none)."""
    if rules_prospects.ordered(p["converted_at"], p["first_delivered_at"], at):
        return "O"
    return rules_prospects.level_at(grades, at) or p["level"]


# ------------------------------------------------------------------------------ the card


def card(p: Mapping[str, Any] | None, now: datetime) -> dict[str, Any] | None:
    """The prospect part of `kehu show --json`."""
    if p is None:
        return None
    tz = now.tzinfo
    assert tz is not None
    iso = lambda moment: tables.iso(moment, tz)  # noqa: E731
    expected = p["expected_on"]
    state = state_of(p, now)
    return {
        "state": state,
        "level": level_now(p, state),
        "interest": p["interest"],
        "budget": p["budget"],
        "expected_on": expected.isoformat() if isinstance(expected, date) else None,
        "payment": p["payment"],
        "current_car": p["current_car"],
        "usage": p["usage"],
        "cares": p["cares"],
        "competitors": list(p["competitors"]),
        "best_time": p["best_time"],
        "registered_at": iso(p["created_at"]),
        "converted_at": iso(p["converted_at"]),
        "lost_at": iso(p["lost_at"]),
        "lost_reason": p["lost_reason"],
        "lost_note": p["lost_note"],
        "losses": [  # losses the prospect came back from, before the one in force, if any
            {
                "lost_at": iso(loss["lost_at"]),
                "reason": loss["reason"],
                "note": loss["note"],
                "reopened_at": iso(loss["reopened_at"]),
            }
            for loss in p.get("losses", ())
        ],
        "grades": [
            {"level": level, "at": iso(at), "contact_id": contact_id}
            for level, at, contact_id in level_changes(p)
        ],
    }


def level_changes(p: Mapping[str, Any]) -> list[tuple[str, datetime, int | None]]:
    """The prospect's levels and when each began, in order: each grade (with its contact, None
    for the registration's) and, for an order (a sale before its first delivery), O at the
    sale, as a cancelled order's grade O keeps it (book.prospects.mark_lost) and the level
    table shows it."""
    changes = [(str(g["level"]), g["at"], g["contact_id"]) for g in p["grades"]]
    if (sold := order_placed(p)) is not None:
        changes.append(("O", sold, None))  # after a grade of the same moment
    return sorted(changes, key=lambda change: change[1])


def print_card(p: Mapping[str, Any], now: datetime) -> None:
    """The prospect card's headings, under the customer's details."""
    out = tables.echo_fitted
    clean = tables.clean
    out(_("Prospect card (意向客户管理卡)"))
    state = {
        "open": pgettext("prospect", "open"),
        "ordered": _("ordered, awaiting delivery"),
        "sold": _("sold"),
        "lost": pgettext("prospect", "lost"),
    }[p["state"]]
    expected = p["expected_on"]
    rows = [
        (_("level"), _("{level} ({state})").format(level=p["level"], state=state)),
        (_("interested in"), p["interest"]),
        (_("budget"), p["budget"]),
        (_("expected purchase"),
         dates.day(date.fromisoformat(expected), now.date()) if expected else None),
        (_("payment"), payment(p["payment"])),
        (_("what they have now"), p["current_car"]),
        (_("user and use"), p["usage"]),
        (_("cares about"), p["cares"]),
        (_("competing products"), _(", ").join(p["competitors"])),
        (_("best time to call"), p["best_time"]),
    ]  # fmt: skip
    for loss in p["losses"]:
        why = lost_reason(loss["reason"])
        if loss["note"]:
            why = _("{reason}: {note}").format(reason=why, note=loss["note"])
        rows.append((
            pgettext("prospect", "lost"),
            _("{day}, {reason}; open again {reopened}").format(
                day=dates.date_only(datetime.fromisoformat(loss["lost_at"]), now), reason=why,
                reopened=dates.date_only(datetime.fromisoformat(loss["reopened_at"]), now),
            ),
        ))  # fmt: skip
    if p["lost_at"]:
        why = lost_reason(p["lost_reason"])
        if p["lost_note"]:
            why = _("{reason}: {note}").format(reason=why, note=p["lost_note"])
        rows.append(
            (
                pgettext("prospect", "lost"),
                _("{day}, {reason}").format(
                    day=dates.date_only(datetime.fromisoformat(p["lost_at"]), now), reason=why
                ),
            )
        )
    if p["converted_at"]:
        rows.append((_("sold"), dates.date_only(datetime.fromisoformat(p["converted_at"]), now)))
    labelled = _("{label}:")
    shown = [(labelled.format(label=label), clean(str(value))) for label, value in rows if value]
    if p["grades"]:
        levels = " → ".join(
            f"{g['level']} {dates.date_only(datetime.fromisoformat(g['at']), now)}"
            for g in p["grades"]
        )
        shown.append((labelled.format(label=_("levels")), levels))
    # The values in one column, a space at least after the longest label shown.
    room = max([19, *(tables.width(label) + 1 for label, _value in shown)])
    for label, value in shown:
        out(f"  {tables.pad(label, room)}{value}", 2 + room)


# ------------------------------------------------------------------------- the level table


def level_table(
    month_rows: Any, *, first: date, last: date, now: datetime, rules: Rules
) -> dict[str, Any]:
    """The month's level table as JSON-ready data: a row per prospect open in the month, with
    its level (or its sale or loss) at the month's end, or now while the month runs."""
    tz = now.tzinfo
    assert tz is not None
    start = datetime.combine(first, datetime.min.time(), tz)
    month_end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tz)
    ended = month_end <= now
    end = month_end if ended else now
    rows = []
    for p in month_rows.prospects:
        grades = [rules_prospects.Grade(at, level) for at, level in p["grades"]]
        sold, delivery = p["converted_at"], p["first_delivered_at"]
        # Ordered (level O) from the sale until the first delivery, which makes a customer.
        order = order_placed(p)
        # None for one registered in the month (a contact logged back-dated before the
        # registration may carry a grade: the registration's level counts from it).
        at_start = None if p["created_at"] >= start else (
            "O" if rules_prospects.ordered(order, delivery, start)
            else rules_prospects.level_at(grades, start)
        )  # fmt: skip
        changes = [*p["grades"], *([(order, "O")] if order is not None else [])]
        in_month = sorted((at, level) for at, level in changes
                          if first <= at.astimezone(tz).date() <= last)  # fmt: skip
        after_contacts = [
            {"day": at.astimezone(tz).date().isoformat(), "level": level} for at, level in in_month
        ]
        # The sale of an order, running or since cancelled, counts the cadence afresh, at O
        # (not a contact day of its own).
        sales = [*p.get("cancelled_orders", ()), *([order] if order is not None else [])]
        # A prospect's contacts: those after the sale (of an order, after its delivery) are
        # a customer's (the thank-you, the call-backs), not the level table's.
        owned = delivery if order is not None else sold
        reached = [at for at in p["contacts"] if owned is None or at <= owned]
        before = [at for at in [*reached, *sales] if at.astimezone(tz).date() < first]
        base_moment = max([*before, p["created_at"]])
        base_day = base_moment.astimezone(tz).date()
        contacts = [(at, level_of(p, grades, at)) for at in reached]
        contact_days = [
            (at.astimezone(tz).date(), level)
            for at, level in contacts
            if first <= at.astimezone(tz).date() <= last
        ]
        resets = sorted([*contacts, *((at, "O") for at in sales)])
        registered = p["created_at"].astimezone(tz).date()
        if order is not None:  # until the delivery's day, when the thank-you takes over
            until = min(last, delivery.astimezone(tz).date() - timedelta(days=1))
        elif sold is not None:  # until the day before the sale: that day they came to buy
            until = min(last, sold.astimezone(tz).date() - timedelta(days=1))
        else:
            closed = p["lost_at"]
            until = last if closed is None else min(last, closed.astimezone(tz).date())
        planned = rules_prospects.planned_days(
            first=max(first, registered), last=until, base=base_day,
            level=at_start or rules_prospects.level_at(grades, p["created_at"]) or p["level"],
            contacts=[(at.astimezone(tz).date(), level) for at, level in resets
                      if first <= at.astimezone(tz).date() <= last],
            rules=rules,
        )  # fmt: skip
        lost_days = [(lost.astimezone(tz).date(), back.astimezone(tz).date())
                     for lost, back in p.get("losses", ())]  # fmt: skip
        planned = [d for d in planned if not any(lost <= d < back for lost, back in lost_days)]
        state = state_of(p, now)
        rows.append({
            "id": p["id"],
            "name": p["name"],
            "phone": p["phone"],
            "source": p["source"],
            "interest": p["interest"],
            "level_at_start": at_start,
            "state_at_start": state_of(p, now, start) if p["created_at"] < start else None,
            "planned_days": [d.isoformat() for d in planned],
            "contact_days": sorted({d.isoformat() for d, _level in contact_days}),
            "levels_after_contacts": after_contacts,
            "level_now": level_now(p, state),
            "state": state,
            "level_at_end": level_of(p, grades, end),
            "state_at_end": state_of(p, now, end if ended else None),
        })  # fmt: skip
    open_rows = [r for r in rows if r["state_at_end"] in ("open", "ordered")]
    counts = {level: sum(r["level_at_end"] == level for r in open_rows) for level in LEVELS}
    return {
        "month": first.strftime("%Y-%m"),
        "ended": ended,
        "prospects": rows,
        "counts": counts,
        "converted": [{"id": p["id"], "name": p["name"],
                       "day": p["converted_at"].astimezone(tz).date().isoformat()}
                      for p in month_rows.converted],
        "lost": [{"id": p["id"], "name": p["name"], "reason": p["lost_reason"],
                  "note": p["lost_note"], "day": p["lost_at"].astimezone(tz).date().isoformat()}
                 for p in month_rows.lost],
    }  # fmt: skip


def print_level_table(data: Mapping[str, Any], figures: Mapping[str, Any]) -> None:
    first = date.fromisoformat(data["month"] + "-01")
    days = []
    day = first
    while day.month == first.month:
        days.append(day)
        day += timedelta(days=1)
    end_word = _("month end") if data["ended"] else _("now")
    headers = [_("#"), _("name"), _("source"), _("start"), _("days"), end_word]
    rows = []
    for r in data["prospects"]:
        planned = set(r["planned_days"])
        after = {a["day"]: a["level"] for a in r["levels_after_contacts"]}
        contacted = set(r["contact_days"])
        marks = []
        for d in days:
            iso = d.isoformat()
            if iso in after:
                marks.append(after[iso])
            elif iso in contacted:
                marks.append("+")
            elif iso in planned:
                marks.append("o")
            else:
                marks.append("·")
        state = r["state_at_end"]
        now_word = r["level_at_end"] if state in ("open", "ordered") else _state_word(state)
        rows.append([
            str(r["id"]), tables.clean(r["name"]), _source_word(r["source"]),
            _start_word(r), "".join(marks), now_word,
        ])  # fmt: skip
    title = _("Prospect levels (意向客户级别状况表), {month}").format(month=dates.month_of(first))
    if rows:
        tables.table(headers, rows, title=title)
        typer.echo(_("o: a planned contact day; a level: the level after that day's contact."))
        typer.echo(_("+: a contact that left the level as it was."))
    else:  # a line, not the headings of an empty table and the legend of its marks
        typer.echo(title)
        typer.echo(_("No prospect was open in the month."))
    counts = _(", ").join(f"{level} {n}" for level, n in data["counts"].items())
    if data["ended"]:
        typer.echo(_("Open prospects by level at the month's end: {counts}").format(counts=counts))
    else:
        typer.echo(_("Open prospects by level: {counts}").format(counts=counts))
    for p in data["converted"]:  # a day of the month shown, worded as every date is
        sold = dates.day(date.fromisoformat(p["day"]), first)
        typer.echo(_("Sold: {name} (#{id}), {day}").format(name=p["name"], id=p["id"], day=sold))
    for p in data["lost"]:
        typer.echo(
            _("Lost: {name} (#{id}), {day}: {reason}").format(
                name=p["name"],
                id=p["id"],
                day=dates.day(date.fromisoformat(p["day"]), first),
                reason=lost_reason(p["reason"]),
            )
        )
    print_figures(figures)


def figure_headers() -> list[str]:
    return [_("by"), _("prospects"), _("sales"), pgettext("prospect", "lost")]


def figure_rows(figures: Mapping[str, Any]) -> list[list[str]]:
    """The conversion table's rows: by source, then by first level."""
    return [
        [_source_word(None if name == "unknown" else name), str(v["prospects"]), str(v["sales"]),
         str(v["lost"])]
        for name, v in figures["by_source"].items()
    ] + [
        [_("level {level}").format(level=name), str(v["prospects"]), str(v["sales"]),
         str(v["lost"])]
        for name, v in figures["by_level"].items()
    ]  # fmt: skip


def print_figures(figures: Mapping[str, Any]) -> None:
    """Conversion figures: by source and first level → sales; losses; days to a sale."""
    rows = figure_rows(figures)
    if rows:
        tables.table(figure_headers(), rows, title=_("Conversion (all prospects)"))
    if figures["lost_by_reason"]:
        lost = _(", ").join(f"{lost_reason(k)} {n}" for k, n in figures["lost_by_reason"].items())
        typer.echo(_("Lost by reason: {reasons}").format(reasons=lost))
    days = figures["days_to_sale"]
    if days["sales"]:
        typer.echo(
            _("Days from first contact to sale: median {median}, mean {mean}").format(
                median=days["median"], mean=days["mean"]
            )
        )


def _start_word(row: Mapping[str, Any]) -> str:
    """The start column: the level at the month's start, 战败 for one lost then (come back
    since), - for one registered in the month."""
    if row["state_at_start"] == "lost":
        return _state_word("lost")
    return str(row["level_at_start"] or "-")


def _state_word(state: str) -> str:
    return {"sold": _("sold"), "lost": pgettext("prospect", "lost")}.get(state, state)


def _source_word(code: str | None) -> str:
    from kehu.ui import words

    return words.source(code) if code else _("unknown")
