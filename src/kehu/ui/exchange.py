"""Words for `kehu import` and `kehu export`: the file problems' codes, the preview of an import
(how columns map, the first rows as they will be stored) and the calendar's event titles."""

from collections.abc import Sequence
from typing import Any

from kehu.base import cjk, occasion_input
from kehu.base.i18n import _, ngettext


def problem(code: str, detail: str) -> str:
    """One of exchange.records.PROBLEM_CODES in words; `detail` is never customer data."""
    words = {
        "undecodable": _("the file is not text in UTF-8, UTF-16 or GB18030/GBK"),
        "unterminated_quote": _("a quoted cell is still open at the end of the file"),
        "bad_quoting": _("a stray quote breaks the CSV rules"),
        "duplicate_header": _("two columns are called {detail}"),
        "extra_cells": _("{detail} more cells than the header has columns"),
        "no_header": _("no header row (an empty file or sheet, or not a spreadsheet)"),
        "total_row": _("a total row (合计, 小计…), not a customer: skipped"),
        "note_row": _("a note under the table (制表人：, 备注：…), not a customer: skipped"),
        "bad_card": _("this card does not follow the vCard format and cannot be read"),
        "unterminated_card": _("BEGIN:VCARD without END:VCARD"),
        "no_cards": _("no contact card (BEGIN:VCARD … END:VCARD): not a vCard file"),
        "bad_date": _("the date in {detail} cannot be read; it is kept as a profile fact"),
        "two_digit_year": _(
            "the birthday in {detail} has a two-digit year that could be of the 1900s or of "
            "the 2000s; write the year in full, like 1985-03-15"
        ),
        "bad_contact_date": _(
            "the date in {detail} cannot be read; accepted: 2026-03-15, 2026/3/15, 2026年3月15日, "
            "with or without a time (2026-03-15 14:30)"
        ),
        "no_name": _("the name is empty"),
        "phone_scientific": _(
            "the phone is a number in scientific notation (like 1.38E+10): Excel dropped its "
            "last digits; format the phone column as text in Excel, type the numbers in again "
            "and save"
        ),
        "same_phone": _("the same phone as {detail} (handled by --on-duplicate)"),
        "no_column": _("no column for {detail}"),
        "bad_value": _("the {detail} is not one kehu knows (`kehu log --help` lists them)"),
        "future": _("the date is after now"),
        "no_customer": _("no customer has this phone (7 digits or more), or else this name"),
        "several_customers": _("several customers have this name; give the phone"),
        "not_json": _("not a kehu JSON file (not JSON text in UTF-8)"),
        "not_kehu_json": _("not a kehu JSON file"),
        "newer_version": _(
            "a kehu JSON file of version {detail}, newer than this kehu reads; "
            "update kehu to import it"
        ),
    }
    return words.get(code, code).format(detail=detail)


def bad_row(problem: Any) -> str:
    """A row of a kehu JSON file the book cannot take (book.whole.BadRow) in words: where it is,
    as the file's own path (contact[3].sent, counting from 0), and what is accepted."""
    place = f"{problem.table}[{problem.row}]" + (f".{problem.column}" if problem.column else "")
    accepted = _accepted(problem.expected) if problem.expected is not None else ""
    words = {
        "not_object": _("{where} is not a JSON object"),
        "unknown": _("{where} has a field kehu does not know"),
        "missing": _("{where} is missing; accepted: {accepted}"),
        "null": _("{where} is null; accepted: {accepted}"),
        "wrong": _("{where} cannot be read; accepted: {accepted}"),
        "negative": _("{where} is below 0; accepted: 0 or more"),
        "impossible": _("{where} is not possible: {why}"),
        "future_birthday": _(
            "{where} makes a birthday after today; accepted: a year that puts it on or before "
            "{today}, or none"
        ),
        "too_long": _("{where} is too long; accepted: {accepted}"),
        "not_allowed": _("{where} is not one kehu knows; accepted: {accepted}"),
        "no_such_row": _("{where} refers to a row of {table} that the file does not have"),
        "same_key": _("{where} has the same key ({key}) as an earlier row"),
    }
    why = occasion_input.problem_words(problem.detail) if problem.code == "impossible" else ""
    return words[problem.code].format(
        where=place,
        accepted=accepted,
        table=problem.detail,
        key=problem.detail,
        why=why,
        today=problem.detail,
    )


def _accepted(column: Any) -> str:
    """What a column of the book holds (book.whole.Column), in words."""
    if column.words:
        return ", ".join(column.words)
    if column.kind == "text" and column.longest is not None:
        return ngettext(
            "text of up to {count} character", "text of up to {count} characters", column.longest
        ).format(count=column.longest)
    words = {
        "integer": _("a whole number, like 12"),
        "text": _("text"),
        "instant": _("a time in ISO 8601 with its offset, like 2026-03-15T06:30:00+00:00"),
        "date": _("a date in ISO 8601, like 2026-03-15"),
        "boolean": _("true or false"),
        "amount": _("a number with up to 2 decimals, like 158000.00"),
    }
    return words[column.kind]


def where(unit: str, position: int) -> str:
    return (_("card {n}") if unit == "card" else _("line {n}")).format(n=position)


def column_source(source: str) -> str:
    """Where a table's columns come from (exchange.columns.ColumnMap.source), in words."""
    words = {
        "kehu": _("a kehu export"),
        "google": _("Google Contacts"),
        "outlook": _("Outlook contacts"),
        "table": _("a table of your own"),
    }
    return words.get(source, source)


def column_lines(uses: Sequence[Any]) -> list[str]:
    """`  姓名 → name` for each column of a table (exchange.columns.ColumnUse)."""
    lines = []
    for use in uses:
        if use.field == "fact":
            target = _("profile fact")
        elif use.field == "skip":
            target = _("not imported")
        else:
            target = use.field
        lines.append(f"  {use.header or '#' + str(use.index + 1)} → {target}")
    return lines


def row_line(unit: str, row: Any) -> str:
    """One checked row (rules.customer_fields.Incoming) as it will be stored."""
    from kehu.base.typed import show_birthday
    from kehu.ui.occasions import kind_word
    from kehu.ui.tables import money

    shown = [
        f"{key}={show_birthday(value) if key == 'birthday' else value}"
        for key, value in row.fields.items()
        if value not in (None, "")
    ]
    if row.prospect is not None:  # the prospect card, under the columns' names
        level, card = row.prospect
        shown.append(f"level={level if row.lost is None else 'lost'}")
        if row.lost is not None:  # 战败: the reason's code, the note, when
            reason, note, lost_at = row.lost
            shown.append(f"lost_reason={reason}")
            shown += [f"lost_note={note}"] if note else []
            shown += [f"lost_at={lost_at:%Y-%m-%d %H:%M}"] if lost_at is not None else []
        for key, value in card.items():
            if key == "competitors":
                value = _(", ").join(value)
            name = "expected_purchase" if key == "expected_on" else key
            if value not in (None, ""):
                shown.append(f"{name}={value}")
    shown += [
        f"lunar_birthday={_lunar(d.month, d.day, d.leap, d.year)}" for d in row.lunar_birthdays
    ]
    shown += [f"{kind_word(d.kind, d.label)}={_date(d)}" for d in row.dates]
    shown += [f"{key}={value}" for key, value in row.profile.items()]
    if row.referrer or row.referrer_phone:
        referrer = " ".join(filter(None, (row.referrer, row.referrer_phone)))
        shown.append(_("referred by {referrer}").format(referrer=referrer))
    if row.product:
        sale = _("purchase {product}").format(product=row.product)
        if row.delivered_at is not None:
            sale += f" {row.delivered_at:%Y-%m-%d}"
        if row.amount is not None:
            sale += f" {money(row.amount)}"
        shown.append(sale)
    text = _("{where}: {row}").format(where=where(unit, row.position), row=_("; ").join(shown))
    return f"  {text}"


def _lunar(month: int, day: int, leap: bool, year: int | None) -> str:
    """A lunar date with its year when known: 1985年农历腊月廿三, lunar 12/23 1985."""
    from kehu.ui.dates import lunar_day

    shown = lunar_day(month, day, leap=leap)
    if year is None:
        return shown
    return _("{lunar_day} {year}").format(lunar_day=shown, year=year)


def _date(occasion: Any) -> str:
    if occasion.calendar == "lunar":
        return _lunar(occasion.month, occasion.day, occasion.leap, occasion.year)
    shown = f"{occasion.month:02d}-{occasion.day:02d}"
    return shown if occasion.year is None else f"{occasion.year:04d}-{shown}"


def unlinked_referrers(count: int) -> str:
    """The preview's line on referrer cells that will be kept as profile facts."""
    return ngettext(
        "{count} referrer names no customer in the book or on an earlier row, or several: it "
        "will be kept as the profile fact referrer.",
        "{count} referrers name no customer in the book or on an earlier row, or several: they "
        "will be kept as the profile fact referrer.",
        count,
    ).format(count=count)


def history_preview(contacts: int, customers: int) -> str:
    """What an import with --contacts will write."""
    if not customers:
        return ngettext(
            "{count} past contact will be added.", "{count} past contacts will be added.", contacts
        ).format(count=contacts)
    return ngettext(
        "{count} past contact will be added (after {customers} customer rows).",
        "{count} past contacts will be added (after {customers} customer rows).",
        contacts,
    ).format(count=contacts, customers=customers)


def history_summary(contacts: int, held: int = 0) -> str:
    text = ngettext("Added {count} past contact.", "Added {count} past contacts.", contacts).format(
        count=contacts
    )
    if held:
        text += " " + ngettext(
            "{count} was already in the book: not added again.",
            "{count} were already in the book: not added again.",
            held,
        ).format(count=held)
    return text


def summary(done: Any) -> str:
    """What an import did (book.importing.Imported)."""
    parts = []
    if done.repeat:
        parts.append(
            ngettext("{count} repeat sale", "{count} repeat sales", done.repeat).format(
                count=done.repeat
            )
        )
    if done.updated:
        parts.append(_("{count} updated").format(count=done.updated))
    if done.skipped:
        parts.append(_("{count} skipped (already in the book)").format(count=done.skipped))
    if done.unlinked:
        parts.append(
            ngettext(
                "{count} referrer kept as a profile fact (no one, or several, match it)",
                "{count} referrers kept as profile facts (no one, or several, match them)",
                done.unlinked,
            ).format(count=done.unlinked)
        )
    extra = "".join(_("; ") + p for p in parts)
    customers = done.added - done.prospects
    if not done.prospects:
        text = ngettext(
            "Imported {count} customer{extra}.", "Imported {count} customers{extra}.", customers
        ).format(count=customers, extra=extra)
    elif not customers:
        text = ngettext(
            "Imported {count} prospect{extra}.", "Imported {count} prospects{extra}.",
            done.prospects,
        ).format(count=done.prospects, extra=extra)  # fmt: skip
    else:
        text = _("Imported {customers} and {prospects}{extra}.").format(
            customers=ngettext("{count} customer", "{count} customers", customers).format(
                count=customers
            ),
            prospects=ngettext("{count} prospect", "{count} prospects", done.prospects).format(
                count=done.prospects
            ),
            extra=extra,
        )
    if done.unsold:
        text += "\n" + ngettext(
            "The sale of {count} updated row was not recorded: --on-duplicate update fills in "
            "details only; import the file with --on-duplicate sale to record it.",
            "The sales of {count} updated rows were not recorded: --on-duplicate update fills in "
            "details only; import the file with --on-duplicate sale to record them.",
            done.unsold,
        ).format(count=done.unsold)
    return text


def unsold_preview(count: int) -> str:
    """The preview's line on rows whose sale --on-duplicate update will not record."""
    return ngettext(
        "{count} row with a sale has a phone already in the book or on an earlier row: "
        "--on-duplicate update fills in the customer's details and does not record the sale "
        "(--on-duplicate sale does).",
        "{count} rows with a sale have a phone already in the book or on an earlier row: "
        "--on-duplicate update fills in the customers' details and does not record the sales "
        "(--on-duplicate sale does).",
        count,
    ).format(count=count)


def event_title(kind: str, name: str, text: str | None) -> str:
    if kind == "promise":
        return cjk.spaced(_("Promise to {name}: {text}"), name=name, text=text)
    if kind == "call":
        if not text:
            return cjk.spaced(_("Call {name}"), name=name)
        return cjk.spaced(_("Call {name}: {note}"), name=name, note=text)
    return cjk.spaced(_("{name}'s birthday"), name=name)


def owned_name(name: str, owner: str | None) -> str:
    """A customer's name followed by their owner's, as `kehu calendar --all` shows it:
    "张伟 (lei)"."""
    if not owner:
        return name
    return _("{customer} ({owner})").format(customer=name, owner=owner)


def date_title(name: str, kind: str, label: str | None) -> str:
    """A customer's date in a calendar: "张三's birthday", "张三's wedding anniversary"."""
    if kind == "birthday":
        return event_title("birthday", name, None)
    from kehu.ui.occasions import kind_word

    return cjk.spaced(_("{name}'s {date}"), name=name, date=kind_word(kind, label))


def date_description(params: Any, phone: str | None) -> str:
    """A customer's date in a calendar file, below its title: what `kehu calendar` says of it
    (a lunar day, a note, the age they turn), then the phone."""
    from kehu.ui.agenda import date_line

    return "\n".join(part for part in (date_line(params), phone) if part)


def holiday_title(code: str) -> str:
    """A greeting day in a calendar: "Mid-Autumn Festival: send the greetings"."""
    from kehu.ui.greetings import holiday_name

    return _("{holiday}: send the greetings").format(holiday=holiday_name(code))


def thank_you_title(name: str, product: str) -> str:
    """A delivery's thank-you in a calendar: "Thank 张三: Model Y"."""
    return cjk.spaced(_("Thank {name}: {product}"), name=name, product=product)


def call_back_title(name: str, params: Any) -> str:
    """A call-back milestone in a calendar: "Call 张三 back (1 month): Model Y"."""
    if params["unit"] == "day":
        text = ngettext(
            "Call {name} back ({n} day): {product}", "Call {name} back ({n} days): {product}",
            params["count"],
        )  # fmt: skip
    else:
        text = ngettext(
            "Call {name} back ({n} month): {product}",
            "Call {name} back ({n} months): {product}",
            params["count"],
        )
    return cjk.spaced(text, name=name, n=params["count"], product=params["product"])
