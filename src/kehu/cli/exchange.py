"""`kehu import` and `kehu export`: files in the formats of exchange/, to and from the book."""

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehu.base.errors import BadInput, system_reason
from kehu.base.i18n import _, ngettext
from kehu.cli.app import QuietOpt, app, ctx, say, words

if TYPE_CHECKING:
    from kehu.exchange.columns import ColumnMap
    from kehu.exchange.registry import Format
    from kehu.rules.customer_fields import Incoming

PREVIEW_ROWS = 5
PROGRESS_FROM = 2000  # rows; a smaller file imports before a bar would be read
FATAL = ("undecodable", "unterminated_quote", "bad_quoting", "duplicate_header", "extra_cells",
         "no_header", "no_name", "phone_scientific", "unterminated_card", "bad_card",
         "field", "two_digit_year")  # fmt: skip
SKIPPED_CARD = ("bad_card", "unterminated_card")  # a vCard file goes on without them
SKIPPED_ROW = ("total_row", "note_row")  # no customer or contact: a table goes on without them


@dataclass
class Note:
    """A problem of one row or card, worded."""

    unit: str
    position: int
    text: str
    fatal: bool


@dataclass
class Scan:
    """The first pass over a file: what the preview shows and whether it can be imported."""

    columns: "ColumnMap | None" = None
    sample: list["Incoming"] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rows: int = 0
    unlinked: int = 0  # referrer cells that name no customer, or several
    unsold: int = 0  # rows with a sale that --on-duplicate update will not record


@app.command(
    "import",
    rich_help_panel=_("Your data"),
    help=_(
        "Add customers from a file: CSV or Excel (Chinese or English headers, Google and Outlook "
        "exports), vCards, or kehu's JSON (into an empty book). A preview first (on a terminal; "
        "with --dry-run anywhere), then all rows or none. Unknown columns become profile facts; "
        "a product and its delivery date become a purchase. --contacts adds past contacts "
        "from a second file, in the same transaction."
    ),
)
def import_(
    source: Annotated[
        str | None,
        typer.Argument(metavar="[PATH]", help=_("A .csv, .xlsx, .vcf or kehu .json file.")),
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=_("csv, xlsx, vcf or json; default: from the file."),
            click_type=words(("csv", "xlsx", "vcf", "json")),
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help=_("'Column name=field' for a column kehu does not know.")),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show the preview; write nothing."))
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask on a terminal."))] = False,
    on_duplicate: Annotated[
        str,
        typer.Option(
            "--on-duplicate",
            click_type=words(("sale", "update", "skip")),
            help=_(
                "A row of someone already in the book (the same phone; a row without one as "
                "README says): sale (a repeat sale when the row has one, as `kehu add`), update "
                "(fill what they lack) or skip."
            ),
        ),
    ] = "sale",
    strict: Annotated[
        bool, typer.Option("--strict", help=_("A vCard that cannot be read stops the import."))
    ] = False,
    contacts_file: Annotated[
        str | None,
        typer.Option(
            "--contacts",
            metavar="FILE",
            help=_(
                "Past contacts (.csv or .xlsx: date, customer or phone, channel, kind, outcome, "
                "note), added after PATH's customers."
            ),
        ),
    ] = None,
) -> None:
    from kehu.base.typed import choice
    from kehu.book import importing
    from kehu.exchange import columns

    if source is None and contacts_file is not None:
        # Past contacts alone go onto customers already in a book: without one, that is said
        # first (exit 6, nothing made), whatever the file is.
        ctx.open_book(create=False)
    if contacts_file is not None:
        _head(Path(contacts_file).expanduser())  # before anything of PATH is shown or written
    if source is None:
        if contacts_file is None:
            raise BadInput(_("give a file to import (PATH), or past contacts with --contacts FILE"))
        _import_history(Path(contacts_file).expanduser(), None, dry_run, yes)
        return
    path = Path(source).expanduser()
    fmt = _format(path, format_)
    on_duplicate = choice(on_duplicate, importing.ON_DUPLICATE, "--on-duplicate")
    if fmt.name == "json":
        if contacts_file is not None:
            raise BadInput(_("--contacts goes with a spreadsheet or vCard file, not a whole book"))
        _restore(path, dry_run)
        return
    overrides = columns.parse_overrides(mapping or [])
    asking = sys.stdin.isatty() and not yes
    if contacts_file is None and not (dry_run or asking):
        _import_in_one_pass(path, fmt, overrides, strict, on_duplicate)
        return
    scan = _scan(path, fmt, overrides, strict, on_duplicate)
    if dry_run or asking:
        _preview(fmt, scan)
    _report(path, scan.notes)
    if contacts_file is not None:
        history = Path(contacts_file).expanduser()
        _import_history(history, scan, dry_run, yes, lambda: _write_customers(
            path, fmt, overrides, strict, on_duplicate, scan.rows))  # fmt: skip
        return
    if dry_run:
        return
    if asking and not typer.confirm(_("Import these {count} rows?").format(count=scan.rows)):
        say(_("Nothing was imported."))
        return
    _import_in_one_pass(path, fmt, overrides, strict, on_duplicate, rows=scan.rows)


def _import_in_one_pass(
    path: Path, fmt: "Format", overrides: dict[str, str], strict: bool, on_duplicate: str,
    rows: int | None = None,
) -> None:  # fmt: skip
    """Check and write every row as the file is read, in one transaction: a problem that stops
    the import rolls it all back, after every row was checked, so that each problem is listed."""
    from kehu.ui import exchange as words

    write = _write_customers(path, fmt, overrides, strict, on_duplicate, rows)
    try:
        done = ctx.write(write, create=True)
    except _Stopped as e:
        ctx.forget_new_book()
        _report(path, e.notes)
        raise AssertionError("unreachable: _Stopped holds a problem that stops") from None
    _report(path, write.notes)
    say(words.summary(done))


class _Stopped(Exception):
    """Rows with problems that stop the import: the transaction is rolled back."""

    def __init__(self, notes: list[Note]) -> None:
        self.notes = notes


class _Writer:
    """The write of a file's customers in a transaction, checking each row on the way; its notes
    are the problems found (a transaction tried again starts afresh)."""

    def __init__(
        self, path: Path, fmt: "Format", overrides: dict[str, str], strict: bool,
        on_duplicate: str, rows: int | None,
    ) -> None:  # fmt: skip
        self.path, self.fmt, self.overrides, self.strict = path, fmt, overrides, strict
        self.on_duplicate, self.rows = on_duplicate, rows
        self.now = ctx.now()
        self.notes: list[Note] = []

    def __call__(self, tx: Any) -> Any:
        from kehu.book import importing

        self.notes = []
        rows = self.rows if self.rows is not None else _rows_about(self.path, self.fmt)
        _columns, records = _records(self.path, self.fmt, self.overrides, self.strict)
        with _progress(rows) as advance:
            done = importing.import_rows(
                tx, rows=_checked(records, self.fmt, self.notes),
                on_duplicate=self.on_duplicate, owner=ctx.user, now=self.now, progress=advance,
            )  # fmt: skip
        if any(note.fatal for note in self.notes):
            raise _Stopped(self.notes)
        return done


def _write_customers(
    path: Path, fmt: "Format", overrides: dict[str, str], strict: bool, on_duplicate: str,
    rows: int | None,
) -> _Writer:  # fmt: skip
    return _Writer(path, fmt, overrides, strict, on_duplicate, rows)


def _import_history(
    path: Path,
    scan: Scan | None,
    dry_run: bool,
    yes: bool,
    customers_first: Callable[[], Callable[[Any], Any]] | None = None,
) -> None:
    """Past contacts from PATH (after the customers of the main file, when there is one): every
    row is read and checked first; then all go in, in one transaction, or none."""
    from kehu.book import contacts
    from kehu.exchange import history
    from kehu.exchange.records import FileProblem, Problem
    from kehu.ui import exchange as words

    now = ctx.now()
    rows: list[history.PastContact] = []
    notes: list[Note] = []
    skipped: list[Note] = []  # a total row, a note under the table: warned of
    try:
        for row in history.read(path, tz=ctx.tz, default_channel=ctx.channel(None)):
            if isinstance(row, Problem) and row.code in SKIPPED_ROW:
                skipped.append(_note(row))
            elif isinstance(row, Problem):
                notes.append(_note(row))
            elif row.at > now:
                notes.append(_note(Problem("future", row.line)))
            else:
                rows.append(row)
    except FileProblem as e:
        _fail(path, [_note(e.problem)])
    except OSError as e:
        raise BadInput(
            _("cannot read {path} ({error})").format(path=path, error=_reading_error(e))
        ) from None
    for note in notes:
        note.fatal = True
    _report(path, skipped + notes)
    if dry_run or (sys.stdin.isatty() and not yes):
        say(words.history_preview(len(rows), scan.rows if scan else 0))
    if dry_run:
        return
    if sys.stdin.isatty() and not yes and not typer.confirm(_("Import them?")):
        say(_("Nothing was imported."))
        return

    def write(tx: Any) -> tuple[Any, Any]:
        from kehu.book import items

        done = customers_first()(tx) if customers_first is not None else None
        snoozed: list[str] = []  # the snoozes of the items a past contact closes end with it

        def open_before(customer_id: int) -> None:
            snoozed.extend(items.open_snoozes(tx, customer_id, now, ctx.rules))

        added = contacts.import_history(
            tx, rows=rows, owner=None, made_by=ctx.made_by, first_for=open_before
        )
        if added.unmatched:
            raise _Unmatched(added.unmatched)
        items.end_closed_snoozes(tx, snoozed, now, ctx.rules)
        return done, added

    try:
        # Past contacts alone need customers to match: without a book, there is none to make.
        done, added = ctx.write(write, create=customers_first is not None)
    except _Unmatched as e:
        _fail(path, [_note(Problem(code, line)) for line, code in e.unmatched])
    if done is not None:
        say(words.summary(done))
    say(words.history_summary(added.contacts, added.held))


class _Unmatched(Exception):
    """Rows of a contacts file that name no customer, or several: the import is rolled back."""

    def __init__(self, unmatched: list[tuple[int, str]]) -> None:
        self.unmatched = unmatched


def _head(path: Path) -> bytes:
    """The first bytes of the file at PATH; refused in one line when it cannot be read."""
    try:
        with path.open("rb") as f:
            return f.read(256)
    except OSError as e:
        raise BadInput(
            _("cannot read {path} ({error})").format(path=path, error=_reading_error(e))
        ) from None


def _format(path: Path, name: str | None) -> "Format":
    from kehu.exchange import registry

    if name is not None:
        try:
            fmt = registry.by_name(name)
        except KeyError:
            fmt = None
        if fmt is None or fmt.reader is None:  # ics is written, never read
            read = [known.name for known in registry.FORMATS.values() if known.reader]
            raise BadInput(
                _("unknown --format {value!r}; accepted: {accepted}").format(
                    value=name, accepted=", ".join(read)
                )
            )
    head = _head(path)  # with --format too: a file that is not there is no empty sheet
    if name is None:
        fmt = registry.detect(path, head)
        if fmt is None and path.suffix.lower() in registry.OLD_EXCEL:
            what = registry.not_a_table(head)
            if what == "xls":
                raise BadInput(
                    _("{path} is an Excel 97-2003 workbook (.xls), which kehu does not read: "
                      "open it in Excel or WPS, save it as .xlsx or CSV, and import that").format(
                        path=path)
                )  # fmt: skip
            raise BadInput(
                _("{path} is a web page saved as .xls, as many systems export \"Excel\": open "
                  "it in Excel or WPS, save it as .xlsx or CSV, and import that").format(path=path)
            )  # fmt: skip
    if fmt is None or fmt.reader is None:
        raise BadInput(
            _("{path}: kehu imports csv, xlsx, vcf and json files; give --format").format(path=path)
        )
    return fmt


def _records(
    path: Path, fmt: "Format", overrides: dict[str, str], strict: bool
) -> tuple["ColumnMap | None", Iterator[tuple[Any, list[Any]]]]:
    """The file's column map (tables) and its (PersonRecord | None, problems) one at a time."""
    from kehu.exchange import columns
    from kehu.exchange.records import FileProblem

    if fmt.name == "vcf":
        return None, _cards(path, strict)
    try:
        table = fmt.read_function()(path, known=columns.knower(overrides))
    except FileProblem as e:
        _fail(path, [_note(e.problem)])
    if table.problems:
        table.close()
        _fail(path, [_note(p) for p in table.problems])
    try:
        column_map = columns.recognise(table.header, overrides)
    except BadInput:
        table.close()
        raise
    if not column_map.names_someone():
        table.close()
        raise BadInput(
            _(
                "{path}: no column holds the customer's name (its columns: {columns}); "
                "name it with --map 'Column=name', like --map '投保人=name'"
            ).format(path=path, columns=", ".join(columns.column_names(table.header)))
        )

    today = ctx.now().date()

    def rows() -> Iterator[tuple[Any, list[Any]]]:
        with table:
            for row in table.rows:
                if row.problem is not None:
                    yield None, [row.problem]
                else:
                    yield column_map.record(row.cells, row.line, today)

    return column_map, rows()


def _cards(path: Path, strict: bool) -> Iterator[tuple[Any, list[Any]]]:
    """The cards of a vCard file; a file that cannot be read (or, `strict`, its first problem)
    stops the import in the user's words."""
    from kehu.exchange import vcard
    from kehu.exchange.records import FileProblem
    from kehu.ui import exchange as words

    try:
        yield from vcard.read(path, strict=strict)
    except FileProblem as e:
        problem = e.problem
        _fail(
            path,
            [
                Note(
                    problem.unit,
                    problem.position,
                    words.problem(problem.code, problem.detail),
                    True,
                )
            ],
        )
    except OSError as e:
        raise BadInput(
            _("cannot read {path} ({error})").format(path=path, error=_reading_error(e))
        ) from None


def _checked(
    records: Iterator[tuple[Any, list[Any]]], fmt: "Format", notes: list[Note],
    sample: list["Incoming"] | None = None, *, to_the_end: bool = False,
) -> Iterator["Incoming"]:  # fmt: skip
    """Each row as the book takes it, its problems added to notes (a phone already on a row
    before, a warning). Once a problem stops the import, the rest is only checked (and still
    given `to_the_end`, for the preview's count)."""
    from kehu.exchange import to_book
    from kehu.rules import vocab
    from kehu.ui.words import column_label

    unit = "card" if fmt.name == "vcf" else "line"
    tz, today = ctx.tz, ctx.now().date()
    first_with: dict[str, int] = {}
    stopped = False
    for record, problems in records:
        found = [_note(p) for p in problems]
        notes += found
        if record is None or any(n.fatal for n in found):
            stopped = stopped or any(n.fatal for n in found)
            continue
        try:
            row = to_book.incoming(record, tz=tz, today=today, label=column_label)
        except BadInput as e:
            notes.append(Note(unit, record.position, str(e), True))
            stopped = True
            continue
        digits = vocab.same_phone(row.fields.get("phone"))
        if digits in first_with:
            from kehu.ui import exchange as words

            same = words.where(unit, first_with[digits])
            notes.append(Note(unit, row.position, words.problem("same_phone", same), False))
        elif digits:
            first_with[digits] = row.position
        if sample is not None and len(sample) < PREVIEW_ROWS:
            sample.append(row)
        if to_the_end or not stopped:
            yield row


def _rows_about(path: Path, fmt: "Format") -> int | None:
    """About how many rows the file has, for a progress bar: its lines or cards, counted in
    the bytes (a cell over several lines counts more); None when the bar is not shown."""
    if not sys.stderr.isatty() or fmt.name not in ("csv", "vcf"):
        return None
    mark = b"BEGIN:VCARD" if fmt.name == "vcf" else b"\n"
    count = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(mark)
    return count


def _scan(
    path: Path, fmt: "Format", overrides: dict[str, str], strict: bool, on_duplicate: str
) -> Scan:
    """What the preview shows, read before anything is written."""
    from kehu.book import importing, referrers
    from kehu.rules import vocab

    column_map, records = _records(path, fmt, overrides, strict)
    scan = Scan(column_map)
    sent_by = referrers.Referrers()
    seen: set[str] = set()  # the phones of the rows before
    sold: list[tuple[str, Any]] = []  # (phone, row) with a sale, when update leaves sales out
    for row in _checked(records, fmt, scan.notes, scan.sample, to_the_end=True):
        scan.rows += 1
        sent_by.note(row)
        digits = vocab.same_phone(row.fields.get("phone"))
        if on_duplicate == "update" and digits:
            if row.product and digits in seen:
                scan.unsold += 1
            elif row.product:
                sold.append((digits, row))
            seen.add(digits)
    if sold and ctx.has_book():
        known = ctx.read(lambda tx: importing.known_phones(tx, [d for d, _row in sold]))
        rows = [row for digits, row in sold if digits in known]
        if rows:  # a sale the customer has already is not left out: it is in the book
            now = ctx.now()
            held = ctx.read(lambda tx: sum(importing.sale_held(tx, row=r, now=now) for r in rows))
            scan.unsold += len(rows) - held
    if sent_by.pending():
        if ctx.has_book():
            found = ctx.read(lambda tx: sent_by.resolve(tx, preview=True))
        else:
            found = sent_by.resolve(None, preview=True)
        scan.unlinked = len(found.unlinked)
    return scan


def _note(problem: Any) -> Note:
    from kehu.ui import exchange as words

    fatal = problem.code in FATAL and problem.code not in SKIPPED_CARD
    text = words.problem(problem.code, problem.detail)
    if problem.code in SKIPPED_CARD:
        text += _("; this card is skipped (--strict stops instead)")
    return Note(problem.unit, problem.position, text, fatal)


def _report(path: Path, notes: list[Note]) -> None:
    """Warnings on stderr; the problems that stop the import, one line each, then stop."""
    from kehu.ui import exchange as words

    fatal = [n for n in notes if n.fatal]
    for note in notes:
        if not note.fatal:
            say(
                _("kehu: warning: {path}, {where}: {problem}").format(
                    path=path, where=words.where(note.unit, note.position), problem=note.text
                ),
                err=True,
            )
    if fatal:
        _fail(path, fatal)


def _fail(path: Path, notes: list[Note]) -> Any:
    from kehu.ui import exchange as words

    lines = [
        _("{path}, {where}: {problem}").format(
            path=path, where=words.where(n.unit, n.position), problem=n.text
        )
        for n in notes
    ]
    for line in lines[:-1]:
        say("kehu: " + line, err=True)
    raise BadInput(_("{problem}; nothing was imported").format(problem=lines[-1]))


def _preview(fmt: "Format", scan: Scan) -> None:
    from kehu.ui import exchange as words

    unit = "card" if fmt.name == "vcf" else "line"
    if scan.columns is not None:
        say(_("Columns ({source}):").format(source=words.column_source(scan.columns.source)))
        for line in words.column_lines(scan.columns.columns):
            say(line)
    say(_("First rows as kehu will store them:"))
    for row in scan.sample:
        say(words.row_line(unit, row))
    if scan.unlinked:
        say(words.unlinked_referrers(scan.unlinked))
    if scan.unsold:
        say(words.unsold_preview(scan.unsold))
    say(
        ngettext("{count} row to import.", "{count} rows to import.", scan.rows).format(
            count=scan.rows
        )
    )


class _progress:
    """A rich progress bar on stderr for a big file on a terminal; nothing otherwise."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Callable[[int], None] | None:
        if self.total is None or self.total < PROGRESS_FROM or not sys.stderr.isatty():
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        task = self.bar.add_task(_("Importing"), total=self.total)
        return lambda done: self.bar.update(task, completed=done) if done % 500 == 0 else None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _restore(path: Path, dry_run: bool) -> None:
    from kehu.book import whole
    from kehu.exchange import jsonfile
    from kehu.exchange.records import FileProblem
    from kehu.ui import exchange as words

    try:
        content = jsonfile.read(path.read_bytes())
    except FileProblem as e:
        raise BadInput(
            _("{path}: {problem}; nothing was imported").format(
                path=path, problem=words.problem(e.problem.code, e.problem.detail)
            )
        ) from None
    except OSError as e:
        raise BadInput(
            _("cannot read {path} ({error})").format(path=path, error=_reading_error(e))
        ) from None
    tables = content.get("tables")
    if not isinstance(tables, dict):
        raise BadInput(_("{path}: not a kehu JSON file; nothing was imported").format(path=path))
    counts = {t: len(rows) for t, rows in tables.items() if isinstance(rows, list)}
    today = ctx.now().date()
    try:
        if dry_run:
            whole.check(tables, today=today)
        else:
            counts = ctx.write(
                lambda tx: whole.restore(tx, tables=tables, today=today), create=True
            )
    except whole.BadRow as e:
        raise BadInput(
            _("{path}: {problem}; nothing was imported").format(path=path, problem=words.bad_row(e))
        ) from None
    count = counts.get("customer", 0)
    if dry_run:
        said = ngettext(
            "{path} would restore {count} customer; nothing was written (--dry-run).",
            "{path} would restore {count} customers; nothing was written (--dry-run).",
            count,
        )
    else:
        said = ngettext(
            "Restored {count} customer from {path}.",
            "Restored {count} customers from {path}.",
            count,
        )
    say(said.format(count=count, path=path))


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


def _reading_error(error: OSError) -> str:
    """Why a file could not be read, in words of the chosen language."""
    words = {
        FileNotFoundError: _("no such file"), PermissionError: _("permission denied"),
        IsADirectoryError: _("it is a folder"),
    }  # fmt: skip
    return words.get(type(error)) or system_reason(error)
