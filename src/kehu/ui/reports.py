"""The reports in words: each report's data (from book/reports.py) becomes a Page of tables and
bar charts, printed in the terminal here or written as HTML by html_report.py; and its JSON."""

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any, NamedTuple

from kehu.base.i18n import _, ngettext, pgettext
from kehu.ui import dates, tables, words
from kehu.ui.words import word


class Table(NamedTuple):
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    text: Sequence[int] = ()  # columns of text that may look like numbers (phones): left-aligned


class Bars(NamedTuple):
    title: str
    rows: Sequence[tuple[str, Sequence[int]]]
    series: Sequence[str]


class Note(NamedTuple):
    """One line in place of a table that would have no rows: "No customer is lost."."""

    text: str


class Page(NamedTuple):
    title: str
    subtitle: str
    blocks: Sequence[Table | Bars | Note]


# ------------------------------------------------------------------------ words


def percent(part: int, whole: int) -> str:
    return "–" if not whole else f"{100 * part / whole:.0f}%"


def _owner_line(owner: str | None) -> str:
    from kehu.base import cjk

    if owner is None:
        return _("everyone's customers")
    return cjk.spaced(_("customers of {owner}"), owner=owner)  # 王芳的客户, lei 的客户


def _or_note(table: Table, none: str) -> Table | Note:
    """A table, or one line saying why there is none when it would have no rows."""
    return table if table.rows else Note(none)


def _counts(title: str, counts: dict[str, int]) -> Table:
    rows = [[word(code), str(n)] for code, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return Table(title, [title, _("contacts")], rows or [[_("none"), "0"]])


def _totals_rows(totals: dict[str, Any]) -> list[list[str]]:
    return [
        [_("contacts (attempts)"), str(totals["contacts"])],
        [_("reached"), str(totals["reached"])],
        [_("customers reached"), str(totals["customers_reached"])],
        [_("new customers"), str(totals["new_customers"])],
        [_("sales"), str(totals["sales"])],
        [_("sales amount"), tables.money(totals["sales_amount"])],
    ]


# ------------------------------------------------------------------------ pages


def _note(contact: dict[str, Any]) -> str:
    """A contact's note; the text sent to the customer marked as such, as on the card."""
    note = contact["note"] or ""
    return _("sent: {text}").format(text=note) if note and contact["sent"] else note


def day_page(data: dict[str, Any], tz: tzinfo) -> Page:
    contacts: Table | Note = Table(
        _("Contacts"),
        [_("time"), _("customer"), _("product"), _("phone"), _("purpose"), _("channel"),
         _("outcome"), _("level"), _("note")],
        [
            [c["at"].astimezone(tz).strftime("%H:%M"), c["customer_name"], c["product"] or "",
             c["phone"] or "", _purpose(c), word(c["channel"]), word(c["outcome"]),
             _levels(c["level_before"], c["level_after"]), _note(c)]
            for c in data["contacts"]
        ],
        text=[3],  # the phone
    )  # fmt: skip
    if not data["contacts"]:  # a line, not a table whose first column is as wide as the words
        contacts = Note(_("No contact was logged this day."))
    promises = data["promises"]
    totals = Table(
        _("Totals"),
        [_("measure"), _("this day"), _("month to date")],
        [
            [label, day_value, month[1]]
            for (label, day_value), month in zip(
                _day_totals_rows(data["totals"]),
                _day_totals_rows(data["month_to_date"]),
                strict=True,
            )
        ],
    )
    promise_table = Table(
        _("Promises"),
        [_("promises"), _("count")],
        [
            [_("made"), str(promises["made"])],
            [_("kept"), str(promises["kept"])],
            [_("kept late"), str(promises["kept_late"])],
            [_("late at the end of the day"), str(promises["late"])],
        ],
    )
    return Page(
        _("Daily sales activity report {day}").format(day=dates.long_day(data["date"])),
        _owner_line(data["owner"]),
        [
            contacts,
            _counts(_("channel"), data["by_channel"]),
            _purposes(data["contacts"]),
            _counts(_("outcome"), data["by_outcome"]),
            _by_level(data["by_level"]),
            totals,
            promise_table,
        ],
    )


def _day_totals_rows(totals: dict[str, Any]) -> list[list[str]]:
    """A day's totals: the period's, and the prospects registered (not customers yet)."""
    rows = _totals_rows(totals)
    rows.insert(4, [_("new prospects"), str(totals["new_prospects"])])
    return rows


def _by_level(counts: dict[str, int]) -> Table:
    """Contacts with prospects by their level after the contact, in the levels' order."""
    title = _("prospect level")
    rows = [[level, str(n)] for level, n in counts.items()]
    return Table(title, [title, _("contacts")], rows or [[_("none"), "0"]])


def _purpose(contact: dict[str, Any]) -> str:
    """A contact's purpose: its kind, a prospect's follow-up (before the sale) worded apart from
    an after-sale call-back."""
    if contact["kind"] == "follow-up" and contact["level_after"] is not None:
        return _("prospect follow-up")
    return word(contact["kind"])


def _purposes(contacts: Sequence[dict[str, Any]]) -> Table:
    title, counts = _("purpose"), dict[str, int]()
    for contact in contacts:
        counts[_purpose(contact)] = counts.get(_purpose(contact), 0) + 1
    rows = [[name, str(n)] for name, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return Table(title, [title, _("contacts")], rows or [[_("none"), "0"]])


def _levels(before: str | None, after: str | None) -> str:
    """A prospect's level before → after the contact; nothing for other customers."""
    if after is None:
        return ""
    return f"{before or '–'} → {after}"


def _call_back_step(code: str) -> str:
    """A call-back step's code in the report's data ("10d", "6m") in words."""
    return words.call_back_step(int(code[:-1]), "day" if code.endswith("d") else "month")


def _call_back_counts(counts: dict[str, int]) -> str:
    """Done / due, and how many of those due are still open (on the daily list)."""
    due = counts["done"] + counts["missed"] + counts["open"]
    if not counts["open"]:
        return f"{counts['done']} / {due}"
    return _("{done} / {due} ({open} open)").format(
        done=counts["done"], due=due, open=counts["open"]
    )


def activity_page(data: dict[str, Any]) -> Page:
    chart = Bars(
        _("Contacts per day"),
        [(dates.day_in_period(date.fromisoformat(d["date"])), [d["reached"], d["no_answer"]])
         for d in data["days"]],
        [_("reached"), _("no answer")],
    )  # fmt: skip
    thanks, promises = data["thank_you"], data["promises"]
    tier_a, greetings = data["tier_a"], data["greetings"]
    measures = [
        [
            _("thank-yous within 24 hours"),
            f"{thanks['in_time']} / {thanks['deliveries']}",
            percent(thanks["in_time"], thanks["deliveries"]),
        ],
        *[
            [
                _("{call_back}: done / due").format(call_back=_call_back_step(step)),
                _call_back_counts(c),
                percent(c["done"], c["done"] + c["missed"] + c["open"]),
            ]
            for step, c in data["call_backs"].items()
        ],
        [
            _("promises kept on time / kept"),
            f"{promises['kept_on_time']} / {promises['kept_on_time'] + promises['kept_late']}",
            percent(promises["kept_on_time"], promises["kept_on_time"] + promises["kept_late"]),
        ],
        [_("promises still open and late"), str(promises["open_late"]), ""],
        [_("customers reached"), str(data["totals"]["customers_reached"]), ""],
        [
            _("key customers (A) reached within {days} days").format(days=tier_a["days"]),
            f"{tier_a['reached']} / {tier_a['customers']}",
            percent(tier_a["reached"], tier_a["customers"]),
        ],
        [
            _("greetings sent / birthdays"),
            f"{greetings['sent']} / {greetings['birthdays']}",
            "",
        ],
    ]
    return Page(
        _("Activity {first} – {last}").format(
            first=dates.full_day(data["from"]),
            last=dates.full_day(data["to"]),
        ),
        _owner_line(data["owner"]),
        [
            chart,
            Table(_("Totals"), [_("measure"), _("count")], _totals_rows(data["totals"])),
            Table(_("Discipline"), [_("measure"), _("count"), _("share")], measures),
            *_prospect_tables(data["prospects"]),
        ],
    )


def _prospect_tables(period: dict[str, Any]) -> list[Table]:
    """The period's prospects, when it had any: registered, sold to, lost (by reason), days to
    a sale; and what became of those registered in it, by source and first level."""
    from kehu.ui import prospects

    if not period["new"] and not period["sold"] and not period["lost"]:
        return []
    rows = [
        [_("new prospects"), str(period["new"])],
        [_("prospects sold to"), str(period["sold"])],
        [_("prospects lost"), str(period["lost"])],
        *[
            [_("lost: {reason}").format(reason=prospects.lost_reason(reason)), str(n)]
            for reason, n in period["lost_by_reason"].items()
        ],
    ]
    days = period["days_to_sale"]
    if days["sales"]:
        rows.append([_("days from first contact to sale (median)"), str(days["median"])])
    parts = [Table(_("Prospects"), [_("measure"), _("count")], rows)]
    if period["new"]:
        parts.append(
            Table(
                _("What became of the new prospects"),
                prospects.figure_headers(),
                prospects.figure_rows(period),
            )
        )
    return parts


STATES = ("healthy", "cooling", "at-risk", "lost")


def health_page(data: dict[str, Any], tz: tzinfo, show: str | None = None) -> Page:
    now = data["now"]
    by_tier = Table(
        _("Customers by state and tier"),
        [_("tier"), *(word(s) for s in STATES), _("total")],
        [
            [tier, *(str(counts[s]) for s in STATES), str(sum(counts.values()))]
            for tier, counts in now["by_tier"].items()
        ]
        + [[_("all"), *(str(now["total"][s]) for s in STATES), str(sum(now["total"].values()))]],
    )
    today = data["as_of"].astimezone(tz).date()
    trend = Bars(
        _("The last {n} weeks").format(n=len(data["trend"])),
        [
            (
                dates.day(date.fromisoformat(w["week_ending"]), today),
                [w["total"][s] for s in STATES],
            )
            for w in data["trend"]
        ],
        [word(s) for s in STATES],
    )
    blocks: list[Table | Bars | Note] = [by_tier, trend]
    for state in [show] if show else []:
        rows = [
            [
                str(c["id"]),
                c["name"],
                c["tier"],
                dates.day(c["last_sign_of_life"].astimezone(tz).date(), today),
            ]
            for c in data["customers"].get(state, [])
        ]
        if not rows:
            blocks.append(Note(_none_in_state(state)))
            continue
        blocks.append(
            Table(
                _("Customers {state}").format(state=word(state)),
                ["#", _("customer"), _("tier"), _("last sign of life")],
                rows,
            )
        )
    return Page(
        _("Relationship health on {day}").format(
            day=dates.long_day(data["as_of"].astimezone(tz).date())
        ),
        _owner_line(data["owner"]),
        blocks,
    )


def _none_in_state(state: str) -> str:
    return {
        "cooling": _("No customer is cooling."),
        "at-risk": _("No customer is at risk."),
        "lost": _("No customer is lost."),
    }[state]


def tiers_page(data: dict[str, Any], limit: int) -> Page:
    cut_a, cut_b = data["cut_offs"]["A"], data["cut_offs"]["B"]
    shown = data["customers"][:limit]
    ranked = Table(
        _("Customers by purchase value (A up to {a}%, B up to {b}%)").format(
            a=f"{cut_a:g}", b=f"{cut_b:g}"
        ),
        ["#", _("customer"), pgettext("purchases", "value"), _("cumulative"), _("referrals"),
         _("their value"), _("tier"), _("suggested")],
        [
            [str(c["rank"]), c["name"], value, f"{c['cumulative_share']:.1f}%",
             str(c["referrals"]), referred_value, c["tier"], c["suggested_tier"]]
            for c, value, referred_value in zip(
                shown,
                tables.money_short([c["value"] for c in shown]),
                tables.money_short([c["referred_value"] for c in shown]),
                strict=True,
            )
        ],
    )  # fmt: skip
    counts = Table(
        _("Tiers"),
        [_("tier"), _("now"), _("suggested")],
        [[t, str(n["now"]), str(n["suggested"])] for t, n in data["tiers"].items()],
    )
    left_out = data.get("changes_left_out", 0)
    changes = _or_note(Table(
        _("Suggested changes")
        if not left_out
        else ngettext(
            "Suggested changes: {count} more not shown (--limit); --apply makes them all",
            "Suggested changes: {count} more not shown (--limit); --apply makes them all",
            left_out,
        ).format(count=left_out),
        ["#", _("customer"), _("from"), _("to"), _("why")],
        [
            [str(c["id"]), c["name"], c["tier"], c["suggested_tier"], word(c["reason"])]
            for c in data["changes"][:limit]
        ],
    ), _("No tier change to suggest: every customer has the suggested tier."))  # fmt: skip
    return Page(
        _("Tiers by the 80/20 rule"),
        _owner_line(data["owner"]),
        [counts, _or_note(ranked, _("No customer has bought anything yet.")), changes],
    )


def tiers_applied(changes: list[dict[str, Any]]) -> str:
    """What `report tiers --apply` did, a line per customer changed."""
    if not changes:
        return _("No tier changed: every customer has the suggested tier.")
    lines = [
        ngettext(
            "Changed the tier of {count} customer (`kehu undo` puts it back):",
            "Changed the tier of {count} customers (`kehu undo` puts them back):",
            len(changes),
        ).format(count=len(changes))
    ]
    for c in changes:
        lines.append(
            _("  #{id} {name}: {old} → {new} ({why})").format(
                id=c["id"], name=c["name"], old=c["tier"], new=c["suggested_tier"],
                why=word(c["reason"]),
            )
        )  # fmt: skip
    return "\n".join(lines)


def referrals_page(data: dict[str, Any]) -> Page:
    rows: list[list[str]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        indent = "  " * depth + ("└ " if depth else "")
        who = _("{name} (#{id})").format(name=node["name"], id=node["id"])
        rows.append([f"{indent}{who}", str(len(node["referred"])),
                     tables.money(node["value"])])  # fmt: skip
        for child in node["referred"]:
            walk(child, depth + 1)

    for root in data["trees"]:
        walk(root, 0)
    return Page(
        _("Who brought whom"),
        _owner_line(data["owner"]),
        [
            _or_note(
                Table(
                    _("Referrals"),
                    [_("customer"), _("referred"), pgettext("purchases", "value")],
                    rows,
                ),
                _("No customer was brought by another."),
            )
        ],
    )


def profile_page(data: dict[str, Any]) -> Page:
    total = data["customers"]
    basic = Bars(
        _("Customers with each basic fact (of {n})").format(n=total),
        [(word(fact), [n]) for fact, n in data["basic"].items()],
        [_("customers")],
    )
    extended = _or_note(
        Table(
            _("Extended facts in use"),
            [_("fact"), _("customers"), _("share")],
            [[key, str(n), percent(n, total)] for key, n in data["extended"].items()],
        ),
        _("No customer has an extended (profile) fact yet."),
    )
    missing = _or_note(Table(
        _("Missing the most basic facts"),
        ["#", _("customer"), _("missing"), _("extended facts")],
        [
            [str(c["id"]), c["name"], _(", ").join(word(f) for f in c["missing"]),
             str(c["extended_facts"])]
            for c in data["missing_most"]
        ],
    ), _("No customer misses a basic fact."))  # fmt: skip
    return Page(_("Profile completeness"), _owner_line(data["owner"]), [basic, extended, missing])


# ------------------------------------------------------------------------ output


def _number_columns(rows: Sequence[Sequence[str]]) -> list[int]:
    """The columns whose every cell is a count, an amount or a share (or – for none): aligned
    to the right, so that their digits line up."""

    def number(cell: str) -> bool:
        digits = (
            cell.removeprefix("¥")
            .removesuffix("万")
            .removesuffix("%")
            .replace(",", "")
            .replace(".", "", 1)
        )
        return cell == "–" or digits.isdigit()

    columns = range(len(rows[0])) if rows else range(0)
    return [i for i in columns if any(row[i] for row in rows)
            and all(number(row[i]) for row in rows if row[i])]  # fmt: skip


def print_page(page: Page) -> None:
    from kehu.ui import charts

    tables.lines([page.title, page.subtitle])
    for block in page.blocks:
        tables.lines([""])
        if isinstance(block, Bars):
            charts.print_bars(block.rows, block.series, block.title)
        elif isinstance(block, Note):
            tables.lines([tables.fit(block.text)])
        else:
            numbers = [i for i in _number_columns(block.rows) if i not in block.text]
            tables.table(block.headers, block.rows, block.title, numbers)


def to_json(value: Any, tz: tzinfo) -> Any:
    """JSON-ready: instants in local ISO 8601, days as ISO dates, amounts as "0.00" strings."""
    if isinstance(value, dict):
        return {str(k): to_json(v, tz) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v, tz) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value
