"""`kehu import`: customers, past contacts or a whole book from a file in a format of
exchange/, checked and previewed before one transaction writes them."""

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehu.base.errors import BadInput, system_reason
from kehu.base.i18n import _, ngettext
from kehu.cli.app import app, ctx, say, words

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


def _reading_error(error: OSError) -> str:
    """Why a file could not be read, in words of the chosen language."""
    words = {
        FileNotFoundError: _("no such file"), PermissionError: _("permission denied"),
        IsADirectoryError: _("it is a folder"),
    }  # fmt: skip
    return words.get(type(error)) or system_reason(error)
