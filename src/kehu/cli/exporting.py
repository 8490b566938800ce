"""`kehu export`: the book's customers, or what `kehu calendar` lists, to a file in a format
of exchange/, read a chunk at a time."""

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehu.base.errors import BadInput
from kehu.base.i18n import _, ngettext
from kehu.cli.app import QuietOpt, app, ctx, say, words

if TYPE_CHECKING:
    from kehu.exchange.registry import Format


@app.command(
    rich_help_panel=_("Your data"),
    help=_(
        "Export the customers (CSV with a BOM, xlsx, vCard), the whole book (JSON, which "
        "`kehu import` restores into an empty book) or what is coming (ICS calendar)."
    ),
)
def export(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]",
            help=_("A new file; without one, or -, stdout (xlsx only when it is not a terminal)."),
        ),
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=_(
                "csv, xlsx, json (the whole book), vcf or ics; default: from PATH's extension, "
                "else csv."
            ),
            click_type=words(("csv", "xlsx", "json", "vcf", "ics")),
        ),
    ] = None,
    vcard_version: Annotated[
        str,
        typer.Option(
            "--vcard-version", help=_("3 or 4 (vcf; default 4)."), click_type=words(("3", "4"))
        ),
    ] = "4",
    days: Annotated[
        int, typer.Option("--days", min=1, max=3660, help=_("How far ahead (ics; default 90)."))
    ] = 90,
    owner: Annotated[
        str | None,
        typer.Option(help=_("ics: this salesperson's customers (default: your own).")),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help=_("ics: everyone's customers, with each one's owner when there are several."),
        ),
    ] = False,
    archived: Annotated[bool, typer.Option("--archived", help=_("Include archived ones."))] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Write over PATH (whole: for a synced calendar)."))
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    from kehu.base.typed import half_width

    if target is not None and half_width(target).strip() == "-":
        target = None  # stdout, as without a PATH
    fmt = _export_format(None if target is None else Path(target).expanduser(), format_)
    version = {"3": "3.0", "3.0": "3.0", "4": "4.0", "4.0": "4.0"}.get(
        half_width(vcard_version).strip()
    )
    if version is None:
        raise BadInput(
            _("unknown --vcard-version {value!r}; accepted: 3, 4").format(value=vcard_version)
        )
    if fmt.name == "xlsx" and target is None and sys.stdout.isatty():
        raise BadInput(
            _("an xlsx workbook is not written to a terminal; give a PATH, or send stdout to a "
              "file or a program (> customers.xlsx)")
        )  # fmt: skip
    if fmt.name != "ics" and (owner is not None or all_):
        raise BadInput(
            _(
                "--owner and --all choose whose calendar a calendar file holds; accepted with "
                "--format ics or a .ics PATH ({format} exports the whole book)"
            ).format(format=fmt.name)
        )
    who = ctx.who(owner, all_)
    if fmt.name == "ics":
        from kehu.cli import daily

        daily.hint_none_owned(who)
    write = _writer(fmt.name, archived=archived, version=version, days=days, owner=who)
    if target is None:
        write(_StdoutBytes() if fmt.name != "xlsx" else _stdout_binary())
        return
    from kehu.base import files

    path = Path(target).expanduser()
    try:
        with files.new_file(path, replace=replace) as temp, temp.open("wb") as out:
            count = write(out)
    except files.AlreadyThere:
        raise files.AlreadyThere(
            _("{path} already exists; add --replace to write over it").format(path=path)
        ) from None
    if not quiet:
        say(
            _("Exported {what} to {path}.").format(what=_what(fmt.name, count), path=path), err=True
        )


def _export_format(path: Path | None, name: str | None) -> "Format":
    """The format --format names, else the one PATH's extension names, else csv. An extension
    kehu does not write, or one that says another format than --format, is refused."""
    from kehu.exchange import registry

    fmt = None
    if name is not None:
        try:
            fmt = registry.by_name(name)
        except KeyError:
            raise BadInput(
                _("unknown --format {value!r}; accepted: {accepted}").format(
                    value=name, accepted=", ".join(registry.NAMES)
                )
            ) from None
    if path is None or not path.suffix:
        return fmt or registry.FORMATS["csv"]
    named = registry.by_extension(path)
    if named is None:
        raise BadInput(
            _("{path}: kehu cannot write {extension} files; accepted: {accepted}").format(
                path=path, extension=path.suffix, accepted=", ".join(registry.extensions())
            )
        )
    if fmt is not None and fmt != named:
        raise BadInput(
            _("--format {value} does not match the extension of {path} ({name}); drop "
              "--format or change the extension").format(value=fmt.name, path=path,
                                                         name=named.name)
        )  # fmt: skip
    return named


def _what(fmt: str, count: int) -> str:
    if fmt == "ics":
        what = ngettext("{count} event", "{count} events", count)
    elif fmt == "json":
        what = ngettext(
            "{count} customer and their history", "{count} customers and their history", count
        )
    else:
        what = ngettext("{count} customer", "{count} customers", count)
    return what.format(count=count)


def _writer(
    fmt: str, *, archived: bool, version: str, days: int, owner: str | None
) -> Callable[[Any], int]:
    """How to write the format to a binary stream, returning how many it wrote. The rows go
    out as they are read, in one read transaction: memory stays flat whatever the book's size."""
    if fmt == "json":
        from kehu.book import whole
        from kehu.exchange import jsonfile

        return lambda out: ctx.read(lambda tx: jsonfile.write_tables(whole.each_table(tx), out))[
            "customer"
        ]
    if fmt == "ics":

        def write_ics(out: Any) -> int:
            from kehu.exchange import ics

            return ics.write(_events(days, owner), out, now=ctx.now())

        return write_ics
    from kehu.book import exporting

    tz, now = ctx.tz, ctx.now()

    def rows(tx: Any) -> Iterator[dict[str, Any]]:
        return exporting.each_export_row(tx, archived=archived, tz=tz, now=now)

    if fmt == "vcf":
        return lambda out: ctx.read(lambda tx: _vcards(rows(tx), version, out))
    from kehu.exchange import csvfile, table_files

    def write_table(out: Any, tx: Any) -> int:
        from kehu.exchange import columns

        keys = exporting.export_keys(tx, archived=archived)
        dated = exporting.export_date_columns(tx, archived=archived)
        header = [
            *csvfile.COLUMNS, *(columns.date_column_name(*d) for d in dated),
            *(csvfile.PROFILE + k for k in keys),
        ]  # fmt: skip
        cells = (
            [*(_cell(r, c) for c in csvfile.COLUMNS), *_date_cells(r, dated),
             *(r["profile"].get(k, "") for k in keys)]
            for r in rows(tx)
        )  # fmt: skip
        if fmt == "xlsx":
            return table_files.write_xlsx(header, cells, out)
        return table_files.write_csv(header, cells, out)

    return lambda out: ctx.read(lambda tx: write_table(out, tx))


# The columns that name the referrer, by name and phone (the import links them again), and
# the lunar birthday.
_ROW_KEYS = {
    "referred_by": "referrer_name", "referred_by_phone": "referrer_phone",
    "lunar_birthday": "lunar",
}  # fmt: skip


def _cell(row: dict[str, Any], column: str) -> str:
    """A customer's column in a table: a birthday without a year is --03-15, a lunar one
    三月初五 (闰四月初八; 1985年三月初五 with its year), as import reads them; the referrer by
    name and phone, as import finds them."""
    value = row.get(_ROW_KEYS.get(column, column))
    if value is None:
        return ""
    if column == "birthday":
        return _day(value).iso()
    if column == "lunar_birthday":
        from kehu.ui import dates

        day = dates.lunar_day_chinese(value.month, value.day, leap=value.leap)
        return day if value.year is None else f"{value.year}年{day}"  # the age comes back too
    return str(value)


def _date_cells(row: dict[str, Any], dated: list[tuple[str, str | None, int]]) -> list[str]:
    """A customer's dates in the date columns (kind, label, n): 2015-06-01, --06-01 without
    its year, 八月十五 or 1985年八月十五 lunar, a note after it in brackets, as import reads
    them."""
    from kehu.ui import dates

    cells = dict.fromkeys(dated, "")
    seen: dict[tuple[str, str | None], int] = {}
    for occasion, note in zip(row["dates"], row["date_notes"], strict=True):
        key = (occasion.kind, occasion.label)
        seen[key] = n = seen.get(key, 0) + 1
        if occasion.calendar == "lunar":
            day = dates.lunar_day_chinese(occasion.month, occasion.day, leap=occasion.leap)
            text = day if occasion.year is None else f"{occasion.year}年{day}"
        else:
            from kehu.exchange.records import Day

            text = Day(occasion.year, occasion.month, occasion.day).iso()
        cells[(*key, n)] = text + (f" ({note})" if note else "")
    return list(cells.values())


def _day(born: Any) -> Any:
    """A stored birthday (year typed.UNKNOWN_YEAR when not known) as an exchange Day."""
    from kehu.base import typed
    from kehu.exchange.records import Day

    return Day(None if born.year == typed.UNKNOWN_YEAR else born.year, born.month, born.day)


def _stdout_binary() -> Any:
    """Stdout's bytes, for a workbook sent down a pipe or into a file; what was printed as text
    before goes first."""
    sys.stdout.flush()
    return sys.stdout.buffer


class _StdoutBytes(io.RawIOBase):
    """A binary stream onto stdout as text, without the BOM that files for spreadsheets get."""

    def __init__(self) -> None:
        import codecs

        super().__init__()
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def write(self, data: Any) -> int:
        sys.stdout.write(self._decoder.decode(bytes(data)))
        return len(data)

    def writable(self) -> bool:
        return True


def _vcards(rows: Iterator[dict[str, Any]], version: str, out: Any) -> int:
    from kehu.exchange import vcard
    from kehu.exchange.records import PersonRecord
    from kehu.exchange.to_book import PROSPECT_FIELDS
    from kehu.rules.occasions import next_occurrence
    from kehu.ui import dates

    today = ctx.now().astimezone(ctx.tz).date()

    def further(first: str | None, facts: dict[str, str], key: str) -> list[str]:
        """The customer's phone (or email) and the further ones kept as the facts `phone 2`,
        `phone 3`… (as an import of several keeps them): TEL lines a phone can call, which
        the import makes those facts again."""
        if not first:
            return []
        found = [first]
        while (more := facts.get(f"{key} {len(found) + 1}", "")).strip():
            del facts[f"{key} {len(found) + 1}"]
            found.append(more)
        return found

    def record(row: dict[str, Any]) -> PersonRecord:
        birthday = None if row["birthday"] is None else _day(row["birthday"])
        facts = dict(row["profile"])
        return PersonRecord(
            name=row["name"], phones=further(row["phone"], facts, "phone"),
            emails=further(row["email"], facts, "email"), wechat=row["wechat"],
            company=row["company"], title=row["title"], address=row["address"],
            gender=row["gender"], birthday=birthday, tier=row["tier"], source=row["source"],
            salutation=row["salutation"], language=row["language"],
            note=row["notes"], facts=facts, uid=f"kehu-customer-{row['id']}",
            archived_at=row["archived_at"],
            referrer=row["referrer_name"], dates=row["dates"],
            date_notes={d: n for d, n in zip(row["dates"], row["date_notes"], strict=True) if n},
            **_lunar_fields(row["lunar"]), **_prospect_card(row),
        )  # fmt: skip

    def _prospect_card(row: dict[str, Any]) -> dict[str, Any]:
        """A prospect's level and card (a lost one's reason, note and when; an ordered one's
        sale waiting for its delivery), as X-KEHU-* fields the import reads back."""
        names = (*PROSPECT_FIELDS, "lost_reason", "lost_note", "lost_at", "product", "amount",
                 "sold_at", "delivered")  # fmt: skip
        return {name: None if row.get(name) is None else str(row[name]) for name in names}

    def _lunar_fields(born: Any) -> dict[str, Any]:
        """A lunar birthday as a note line (八月十五; 1985年八月十五 with its year, so that the
        age comes back too) and its next solar date."""
        if born is None:
            return {}
        day = dates.lunar_day_chinese(born.month, born.day, leap=born.leap)
        return {
            "lunar_birthday": day if born.year is None else f"{born.year}年{day}",
            "lunar_next": next_occurrence(born, today),
        }

    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        count = vcard.write((record(r) for r in rows), text, version=version,
                            lunar_label=_("lunar birthday"))  # fmt: skip
        text.flush()
    finally:
        text.detach()
    return count


def _events(days: int, owner: str | None) -> list[Any]:
    """What `kehu calendar --days DAYS` lists of `owner`'s customers (None: everyone's), as
    calendar events."""
    from datetime import timedelta

    from kehu.book import coming
    from kehu.rules import agenda
    from kehu.rules.localtime import LocalClock
    from kehu.ui import exchange as words

    now = ctx.now()
    today, clock = now.date(), LocalClock(now)
    last = today + timedelta(days=days)
    end = clock.start(last + timedelta(days=1))  # the whole last day, as `kehu calendar`
    since = clock.start(agenda.oldest_delivery(today, ctx.rules))
    found = ctx.read(
        lambda tx: coming.coming(tx, end=end, now=now, delivered_since=since, owner=owner)
    )
    owners: set[str] = set()

    def own_name(name: str, whose: str | None) -> str:
        if whose:
            owners.add(whose)
        return name

    events = _calendar_events(found, days, own_name)
    if owner is None and len(owners) > 1:  # several owners' customers: say whose each is
        events = _calendar_events(found, days, words.owned_name)
    return events


def _calendar_events(
    found: dict[str, Any], days: int, shown: Callable[[str, str | None], str]
) -> list[Any]:
    """The calendar events of what `coming.coming` found; `shown` writes a customer's name."""
    from datetime import timedelta

    from kehu.exchange.records import CalendarEvent
    from kehu.rules import agenda, kinds
    from kehu.rules.occasions import next_occurrence
    from kehu.ui import exchange as words
    from kehu.ui.dates import has_time

    now = ctx.now()
    today = now.date()
    last = today + timedelta(days=days)
    events = []
    for kind, key in (("promise", "promise"), ("call", "follow-up")):
        for row in found["promises" if kind == "promise" else "calls"]:
            text = row["text"] if kind == "promise" else row["note"]
            due = row["due"].astimezone(ctx.tz)
            if has_time(due):
                start, alarm = max(due, now).astimezone(ctx.tz), timedelta(minutes=30)
            else:  # due on a day: the whole day, with an alarm at 09:00
                start, alarm = max(due.date(), today), -timedelta(hours=9)
            events.append(CalendarEvent(
                uid=f"{kinds.key(key, row['id'])}@kehu", start=start,
                summary=words.event_title(kind, shown(row["name"], row["owner"]), text),
                description=row["phone"] or "", alarm_before=alarm,
            ))  # fmt: skip
    feb29 = ctx.rules.feb29
    birthday_of: set[int] = set()  # customers whose solar birthday (the card's) is written
    for row in found["dates"]:  # by customer, then id
        occasion = row["occasion"]
        own_birthday = occasion.kind == "birthday" and occasion.calendar == "solar"
        own_birthday = own_birthday and row["customer_id"] not in birthday_of
        if own_birthday:
            birthday_of.add(row["customer_id"])
        day = next_occurrence(occasion, today, feb29=feb29)
        while day <= last:
            uid = (
                f"birthday-{row['customer_id']}-{day.year}@kehu"  # as before the dates
                if own_birthday
                else f"date-{row['id']}-{day:%Y%m%d}@kehu"
            )
            events.append(CalendarEvent(
                uid=uid, start=day,
                summary=words.date_title(
                    shown(row["name"], row["owner"]), occasion.kind, occasion.label
                ),
                description=words.date_description(
                    agenda.date_params(row["id"], occasion, day, ctx.rules, note=row["note"]),
                    row["phone"],
                ),
                alarm_before=-timedelta(hours=9),  # 09:00 on the day itself
            ))  # fmt: skip
            day = next_occurrence(occasion, day + timedelta(days=1), feb29=feb29)
    events.extend(_holidays_and_call_backs(days, found["deliveries"], shown))
    return events


def _holidays_and_call_backs(
    days: int, deliveries: list[dict[str, Any]], shown: Callable[[str, str | None], str]
) -> list[Any]:
    """The greeting days (an alarm at 09:00 on the first day greetings are listed), the
    thank-yous (at the delivery; one dated on a day alone, all that day, at 09:00) and the
    call-back milestones (09:00 on the day); their UIDs name the day and the item; `shown`
    writes a customer's name (with their owner's, when the file holds several owners'
    customers)."""
    from datetime import timedelta

    from kehu.exchange.records import CalendarEvent
    from kehu.rules import agenda, kinds
    from kehu.ui import exchange as words
    from kehu.ui.dates import has_time

    now, rules = ctx.now(), ctx.holiday_rules
    nine = timedelta(hours=9)
    found = agenda.events(now.date(), days, rules, ctx.tz, dates=[], deliveries=deliveries,
                          promises=[], calls=[], snoozes=[])  # fmt: skip
    events = []
    for event in found:
        if event.kind == "holiday":
            code = event.params["holiday"]
            events.append(CalendarEvent(
                uid=f"holiday-{_uid_part(code)}-{event.day:%Y%m%d}@kehu", start=event.day,
                summary=words.holiday_title(code),
                alarm_before=timedelta(days=rules.holiday_lead_days) - nine,
            ))  # fmt: skip
        elif event.kind == "thank-you":
            delivered = event.params["delivered"].astimezone(ctx.tz)
            timed = has_time(delivered)  # a delivery dated on a day alone: that whole day
            events.append(CalendarEvent(
                uid=f"{kinds.key('thank-you', event.params['id'])}@kehu",
                start=delivered if timed else delivered.date(),
                summary=words.thank_you_title(
                    shown(event.customer_name or "", event.owner), event.params["product"]
                ),
                description=event.phone or "", alarm_before=timedelta(0) if timed else -nine,
            ))  # fmt: skip
        else:
            key = kinds.key("call-back", event.params["id"], agenda.milestone(event.params))
            events.append(CalendarEvent(
                uid=f"{key}@kehu", start=event.day,
                summary=words.call_back_title(
                    shown(event.customer_name or "", event.owner), event.params
                ),
                description=event.phone or "", alarm_before=-nine,
            ))  # fmt: skip
    return events


def _uid_part(code: str) -> str:
    """A holiday code as a UID part: another country's holiday comes with spaces (US:…)."""
    return "".join(c if c.isalnum() else "-" for c in code)
