"""Tables in and out: CSV (any encoding kehu reads, see encoding.py) and Excel .xlsx.

Reading streams rows one at a time (bounded memory for 100,000 rows); every row carries its line
number, and a row that breaks the format carries its Problem instead of stopping the read.
Writing: CSV with a UTF-8 BOM and CRLF (what Excel on Chinese Windows opens right), cells that
a spreadsheet would run as formulas neutralised; .xlsx through openpyxl with every text cell
stored as text, never as a formula."""

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from kehu.exchange import encoding
from kehu.exchange.csvfile import neutralise, restore
from kehu.exchange.records import FileProblem, Problem

_CHUNK = 1 << 16
# The csv module refuses cells over 131,072 characters by default; a long note is no reason to
# refuse a file (the whole file is read in bounded chunks anyway).
LONGEST_CELL = 1 << 24
# Rows of one cell (titles, a date line) looked through for the header of a wider table.
_TITLE_ROWS = 5
# Rows under the header that can still be part of it: a header of two rows (a row of groups,
# 客户信息 | 购车信息, over the columns' own names; or 姓名 merged down over two rows beside
# 联系方式 merged across 手机 | 微信), at most this many more.
_SUB_HEADER_ROWS = 2
# What a sheet has under its table besides customers: a total row (its first filled cell says
# so: 合计, 总计, 小计…) and notes of one cell with a label (制表人：, 备注：…).
_TOTAL = re.compile(r"(?:合|总|小|共|累)\s*计|(?:sub\s*|grand\s*)?total(?![a-z])", re.IGNORECASE)
_NOTE = re.compile(
    r"(?:制表人?|制表日期|填表人?|填表日期|审核人?|审批人?|负责人|经办人|统计人|"
    r"(?:打印|导出|统计|截止|更新)(?:日期|时间)|备注|说明|注)\s*[:：]"
)


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts in the file (1 is the header)
    cells: list[str]
    problem: Problem | None = None


@dataclass
class Table:
    """A header and its rows. `rows` is a one-pass iterator; `problems` are the header's. The
    file is closed when the rows are exhausted, or by `with table:` / close() before that."""

    header: list[str]
    rows: Iterator[Row]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    close: Callable[[], None] = lambda: None

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_csv(
    path: Path, *, codec: str | None = None, restore_formulas: bool = True,
    known: Callable[[str], bool] | None = None,
) -> Table:  # fmt: skip
    """Open a CSV file: the encoding decided for the whole file unless `codec` is given, the
    delimiter read from the header line (comma, else semicolon or tab when the header has
    those and no comma). Restores cells neutralised by kehu's own export. `known` says which
    headers name a field: given, a header written over two rows is read as one (_header)."""
    codec = codec or encoding.decide(path)
    csv.field_size_limit(LONGEST_CELL)
    f = path.open(encoding=codec, newline="")
    try:
        lines = _Lines(f)
        first = next(lines, None)
        if first is None or not first.strip():
            raise FileProblem(Problem("no_header", 1))
        leading = [first]
        while len(leading) < _TITLE_ROWS and not _has_delimiter(leading[-1]):
            line = next(lines, None)
            if line is None:
                break
            leading.append(line)
        delimiter = _delimiter(next((x for x in leading if _has_delimiter(x)), first))
        reader = csv.reader(_chain(leading, lines), delimiter=delimiter, strict=True)
        header_row, records = _header(_records(reader), known)
        if header_row.problem:
            raise FileProblem(header_row.problem)
    except BaseException:
        f.close()
        raise
    header = [_clean_header(h) for h in header_row.cells]
    rows = _data_rows(records, len(header), restore_formulas, f.close)
    return Table(header, rows, _header_problems(header, header_row.line), codec, f.close)


def read_xlsx(path: Path, *, known: Callable[[str], bool] | None = None) -> Table:
    """Open the first sheet with anything in it (a blank Sheet1 before the list is skipped) of
    an .xlsx workbook, streaming (openpyxl's read-only mode). Cells come as text: whole numbers
    without ".0" (phone numbers are often stored as numbers), dates as 2026-03-15, date-times
    as 2026-03-15 14:30:00. `known`: as for read_csv."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException…
        raise FileProblem(Problem("no_header", 1, detail=type(e).__name__)) from None

    def cells(sheet: Any) -> Iterator[Row]:
        # Every row and cell the sheet holds, not only those within the size the file
        # declares: programs that export "Excel" often declare a wrong one (A1, or the first
        # rows only), and read-only mode would drop whatever lies outside it without a word.
        sheet.reset_dimensions()
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield Row(line, [_xml_unescaped(cell_text(v)) for v in row])

    try:
        sheets = workbook.worksheets
        for number, sheet in enumerate(sheets, start=1):
            try:
                header_row, records = _header(cells(sheet), known)
                break
            except FileProblem:
                if number == len(sheets):
                    raise
        else:
            raise FileProblem(Problem("no_header", 1))
    except BaseException:
        workbook.close()
        raise
    header = [_clean_header(c) for c in header_row.cells]
    while header and not header[-1]:
        header.pop()
    rows = _data_rows(records, len(header), False, workbook.close)
    return Table(header, rows, _header_problems(header, header_row.line), None, workbook.close)


def cell_text(value: Any) -> str:
    """One spreadsheet cell as text, the way a person reads it in Excel."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def write_csv(header: list[str], rows: Iterable[list[str]], out: IO[bytes]) -> int:
    """Write a CSV for spreadsheets to a binary stream: UTF-8 with a BOM, CRLF, formula-looking
    cells neutralised. Returns the number of data rows."""
    import io

    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in header])
        count = 0
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns `out`
    return count


def write_xlsx(header: list[str], rows: Iterable[list[Any]], out: Path | BinaryIO) -> int:
    """Write one sheet through openpyxl's write-only mode (streaming). Text cells are stored as
    text even when they start with =, so no cell is ever a formula; control characters that
    XML cannot hold are escaped as Excel does (_x0001_)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        written = WriteOnlyCell(sheet, value=_xml_safe(value))
        written.data_type = "s"  # not "f", whatever the text starts with
        return written

    sheet.append([cell(h) for h in header])
    count = 0
    for row in rows:
        sheet.append([cell(v) for v in row])
        count += 1
    workbook.save(out)
    return count


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xml_safe(value: str) -> str:
    """Excel's own escape (_xHHHH_) for characters XML cannot hold; a text that already looks
    like one has its underscore escaped, so reading gives back exactly what was written."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = _OOXML_ESCAPE.sub(r"_x005F_x\1_", value)
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m[0]):04X}_", value)


def _xml_unescaped(value: str) -> str:
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value) if "_x" in value else value


class _Lines:
    """The file's lines split on LF only, so that a CR inside a quoted cell is kept as it is and
    line numbers are the ones an editor shows."""

    def __init__(self, f: TextIO) -> None:
        self._f = f
        self._pending: list[str] = []
        self._rest = ""

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        while not self._pending:
            chunk = self._f.read(_CHUNK)
            if not chunk:
                if not self._rest:
                    raise StopIteration
                self._pending, self._rest = [self._rest], ""
                break
            parts = (self._rest + chunk).split("\n")
            self._rest = parts.pop()
            self._pending = [p + "\n" for p in parts]
            self._pending.reverse()
        return self._pending.pop()


def _chain(leading: list[str], lines: "_Lines") -> Iterator[str]:
    yield from leading
    yield from lines


def _filled(row: Row) -> int:
    return sum(1 for c in row.cells if c.strip())


def _header(
    records: Iterator[Row], known: Callable[[str], bool] | None = None
) -> tuple[Row, Iterator[Row]]:
    """The header row and the rows after it. Blank rows above the header are skipped, and so
    are title rows (one filled cell, often merged across the sheet, like 客户名单 2026) above a
    header of several columns; a table of one column keeps its first row as its header. With
    `known`, a header over two rows is read as one (_under_header)."""
    pending: list[Row] = []
    for row in records:
        if row.problem:
            return row, records
        if not _filled(row):
            continue
        if _filled(row) > 1:
            return _under_header(row, records, known) if known else (row, records)
        pending.append(row)
        if len(pending) > _TITLE_ROWS:
            break
    if not pending:
        raise FileProblem(Problem("no_header", 1))
    return pending[0], _chain_rows(pending[1:], records)


def _under_header(
    header: Row, records: Iterator[Row], known: Callable[[str], bool]
) -> tuple[Row, Iterator[Row]]:
    """The header with the rows under it that belong to it. A row belongs to the header when
    most of its filled cells are headers kehu knows and it makes more columns known: a row of
    groups above it (客户信息 | 购车信息, nothing known) gives way to it; else each column's
    name is the lower row's where that has one, the upper's where it is empty (a cell merged
    down over both rows keeps its text in the upper one)."""
    for _ in range(_SUB_HEADER_ROWS):
        row = next(records, None)
        if row is None:
            break
        lower = [_clean_header(c) for c in row.cells]
        filled = [c for c in lower if c]
        upper = [_clean_header(c) for c in header.cells]
        width = max(len(upper), len(lower))
        upper += [""] * (width - len(upper))
        lower += [""] * (width - len(lower))
        joined = [low or up for up, low in zip(upper, lower, strict=True)]
        above = sum(1 for c in upper if c and known(c))
        if (
            row.problem is not None
            or 2 * sum(1 for c in filled if known(c)) <= len(filled)
            or sum(1 for c in joined if c and known(c)) <= above
        ):
            return header, _chain_rows([row], records)
        header = Row(row.line, lower if above == 0 else joined)
    return header, records


def _chain_rows(first: list[Row], rest: Iterator[Row]) -> Iterator[Row]:
    yield from first
    yield from rest


def _records(reader: Any) -> Iterator[Row]:
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            if "unexpected end of data" in str(e):
                yield Row(start, [], Problem("unterminated_quote", start))
                return
            yield Row(start, [], Problem("bad_quoting", start))
            continue
        yield Row(start, cells)


def _data_rows(
    records: Iterator[Row], width: int, restore_formulas: bool, close: Callable[[], None] | None
) -> Iterator[Row]:
    try:
        for row in records:
            if row.problem:
                yield row
                continue
            cells = row.cells
            if not any(c.strip() for c in cells):
                continue
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                yield Row(row.line, cells, Problem("extra_cells", row.line, detail=str(len(extra))))
                continue
            cells = cells[:width] + [""] * (width - len(cells))
            if (code := _not_a_customer(cells)) is not None:
                yield Row(row.line, cells, Problem(code, row.line))
                continue
            yield Row(row.line, [restore(c) for c in cells] if restore_formulas else cells)
    finally:
        if close:
            close()


def _not_a_customer(cells: list[str]) -> str | None:
    """ "total_row" for a sheet's total (合计 in its first filled cell), "note_row" for a note of
    one cell with its label (制表人：…) under the table; None for any other row."""
    filled = [c for c in cells if c.strip()]
    first = unicodedata.normalize("NFKC", filled[0]).strip() if filled else ""
    if _TOTAL.match(first):
        return "total_row"
    if len(filled) == 1 and _NOTE.match(first):
        return "note_row"
    return None


def _has_delimiter(line: str) -> bool:
    return any(d in line for d in (",", ";", "\t"))


def _delimiter(header_line: str) -> str:
    if "," in header_line:
        return ","
    for candidate in (";", "\t"):
        if candidate in header_line:
            return candidate
    return ","


def _clean_header(name: str) -> str:
    # Headers are read as ASCII where they are typed full-width, and a stray BOM is dropped.
    return " ".join(unicodedata.normalize("NFKC", restore(name)).replace("\ufeff", "").split())


def _header_problems(header: list[str], line: int) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in header:
        key = name.casefold()
        if name and key in seen:
            problems.append(Problem("duplicate_header", line, detail=name))
        seen.add(key)
    return problems
