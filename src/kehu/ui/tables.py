"""Output: rich tables on a terminal; plain aligned text for pipes, cron and NO_COLOR."""

import itertools
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo

from kehu.base import i18n
from kehu.ui.text import one_line


def plain() -> bool:
    return (
        not sys.stdout.isatty()
        or "NO_COLOR" in os.environ
        or os.environ.get("TERM") in (None, "", "dumb")
    )


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    if text.isascii():  # ids, phones, most words: one column a character, checked in C
        return len(text)
    return sum(_CHAR_WIDTHS.get(ch) or _char_width(ch) for ch in text)


_CHAR_WIDTHS: dict[str, int] = {}


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        found = 0
    else:
        found = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    if found:  # 0 is not cached: `or` above would take it for a miss
        _CHAR_WIDTHS[ch] = found
    return found


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def columns() -> int:
    """The terminal's width (COLUMNS wins, as for every program), 80 when it cannot be told."""
    import shutil

    return max(shutil.get_terminal_size((80, 24)).columns, 20)


# Where a line may not break: before closing punctuation, after opening punctuation.
_NO_BREAK_BEFORE = set("，。、；：？！）」』》〉】”’,.;:?!)]}…%")
_NO_BREAK_AFTER = set("（「『《〈【“‘([{")


def _chunks(text: str) -> list[str]:
    """The pieces a line can break between: words, runs of spaces, and each wide (CJK)
    character on its own, punctuation kept with its neighbour."""
    chunks: list[str] = []
    for ch in text:
        wide = width(ch) == 2
        if not chunks:
            chunks.append(ch)
            continue
        last = chunks[-1]
        glued = ch in _NO_BREAK_BEFORE or last[-1] in _NO_BREAK_AFTER
        if glued and not ch.isspace() and not last[-1].isspace():
            chunks[-1] += ch
        elif ch.isspace():
            chunks.append(ch) if not last[-1].isspace() else chunks.__setitem__(-1, last + ch)
        elif wide or width(last[-1]) == 2 or last[-1].isspace():
            chunks.append(ch)
        else:
            chunks[-1] += ch
    return chunks


def fold(text: str, room: int, indent: int | None = None) -> list[str]:
    """TEXT in lines of at most ROOM columns (a CJK character takes two), broken between words
    or between CJK characters; the lines after the first are indented by INDENT columns
    (default: the first line's own indent and two more)."""
    if width(text) <= room:
        return [text]
    if indent is None:
        indent = len(text) - len(text.lstrip(" ")) + 2
    indent = min(indent, room // 2)
    out: list[str] = []
    line, used = "", 0
    for chunk in _chunks(text):
        size = width(chunk)
        if chunk.isspace():
            if line.strip() or not out:
                line, used = line + chunk, used + size
            continue
        if used + size > room and line.strip():
            out.append(line.rstrip())
            line, used = " " * indent, indent
        while used + size > room:  # a word longer than a line: cut it where it must
            head, taken = "", 0
            for ch in chunk:
                if used + taken + width(ch) > room and head:
                    break
                head, taken = head + ch, taken + width(ch)
            out.append((line + head).rstrip())
            chunk, size = chunk[len(head) :], size - taken
            line, used = " " * indent, indent
        line, used = line + chunk, used + size
    if line.strip():
        out.append(line.rstrip())
    return out


def fit(text: str, indent: int | None = None) -> str:
    """One line of output as it fits a terminal: folded to its width (see `fold`); as it is
    on a pipe, in a file or under cron, where nothing is cut or broken."""
    if plain():
        return text
    return "\n".join(fold(text, columns(), indent))


def echo_fitted(text: str, indent: int | None = None) -> None:
    """Print one line as `fit` makes it."""
    import typer

    typer.echo(fit(text, indent))


def clean(text: str | None) -> str:
    """One line: newlines as spaces, other control characters (escapes) made visible."""
    return one_line(text)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    title: str | None = None,
    right: Sequence[int] = (),
) -> None:
    """A table; the columns numbered in `right` (amounts, counts) are aligned to the right. A
    column with nothing in it, not even a heading, is left out. On a terminal too narrow for
    the whole table, the columns of words give way first: a phone number, an amount, an id or
    a word is kept whole as long as the terminal leaves room for it (see `_squeezed`)."""
    rows = [[clean(cell) for cell in row] for row in rows]
    kept = [i for i, h in enumerate(headers) if h or any(row[i] for row in rows)]
    if len(kept) < len(headers):
        headers, right = [headers[i] for i in kept], [kept.index(i) for i in right if i in kept]
        rows = [[row[i] for i in kept] for row in rows]
    if plain():
        if title:
            print(title)
        widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
        last = len(headers) - 1
        for line in [list(headers), *rows]:
            cells = [
                " " * (w - width(c)) + c if i in right else (pad(c, w) if i < last else c)
                for i, (c, w) in enumerate(zip(line, widths, strict=False))
            ]
            print("  ".join(cells).rstrip())
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    fixed = _squeezed(headers, rows, console.width - (3 * len(headers) - 1))
    if fixed is not None:  # each cell folded here, where a CJK character is a place to break
        headers = ["\n".join(fold(h, w, 0)) for h, w in zip(headers, fixed, strict=True)]
        rows = [["\n".join(fold(c, w, 0)) for c, w in zip(row, fixed, strict=True)]
                for row in rows]  # fmt: skip
    grid = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for i, header in enumerate(headers):
        grid.add_column(header, overflow="fold", justify="right" if i in right else "left",
                        width=None if fixed is None else fixed[i])  # fmt: skip
    for row in rows:
        grid.add_row(*row)
    console.print(grid)


# A cell of figures and signs alone (a phone number, an amount, an id, a time): never broken.
_FIGURES = frozenset("0123456789 +-()#.,:/%¥$·")
_MARKS = frozenset("·o+HABCNO")  # the level table's days: a planned day, a contact, a level


def _figures(cell: str) -> int:
    """The columns a cell of figures needs to stay whole (a phone number, an amount, an id, a
    key like C3.3m, a row of marks); 0 for a cell of words."""
    if not cell:
        return 0
    if set(cell) <= _FIGURES or "·" in cell and set(cell) <= _MARKS:
        return width(cell)
    if len(cell) <= 6 and cell.isascii() and " " not in cell:
        return len(cell)
    return 0


def _longest_word(cell: str) -> int:
    """The columns of a cell's longest word (a CJK character is a place to break)."""
    return max((width(chunk) for chunk in _chunks(cell) if not chunk.isspace()), default=0)


def _squeezed(headers: Sequence[str], rows: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """The width of each column of a table that is wider than ROOM (the terminal's columns
    less the table's padding and rules), None for one that fits. The columns of words give
    way first, broken between words; then the headings' words, then the cells' words; figures
    (a phone number, an amount, an id) stay whole as long as there is room for them at all."""
    whole = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    if sum(whole) <= room or room < len(headers):
        return None
    figures = [max([1] + [_figures(r[i]) for r in rows]) for i in range(len(headers))]
    if sum(figures) > room:  # not even the figures fit: the widest give way first
        return _levelled(figures, room, [1] * len(headers))
    # a word longer than a column's fair share is broken rather than starve the others; a
    # heading without spaces (编号, 电话) is one word
    fair = max(8, room // len(headers))
    words = [
        min(most, max([least] + [min(fair, _longest_word(r[i])) for r in rows]))
        for i, (most, least) in enumerate(zip(whole, figures, strict=True))
    ]
    headed = [
        max(w, min(most, fair, width(h) if " " not in h else _longest_word(h)))
        for w, h, most in zip(words, headers, whole, strict=True)
    ]
    if sum(words) > room:
        return _levelled(whole, room, figures)
    least = list(words)
    for i in sorted(range(len(least)), key=lambda i: headed[i] - words[i]):  # cheapest first
        if sum(least) - least[i] + headed[i] <= room:
            least[i] = headed[i]
    return _levelled(whole, room, least)


def _levelled(wanted: Sequence[int], room: int, least: Sequence[int]) -> list[int]:
    """Widths within ROOM: each column as wanted, cut down to a level the widest share, but
    never below its least; what the level leaves over goes to the widest cut columns."""
    low, high = 0, max(wanted)
    while low < high:  # the highest level at which the columns fit
        level = (low + high + 1) // 2
        if sum(min(w, max(m, level)) for w, m in zip(wanted, least, strict=True)) <= room:
            low = level
        else:
            high = level - 1
    widths = [min(w, max(m, low)) for w, m in zip(wanted, least, strict=True)]
    for i in sorted(range(len(widths)), key=lambda i: -wanted[i]):
        if sum(widths) >= room:
            break
        if widths[i] < wanted[i]:
            widths[i] += 1
    return widths


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as lines in columns, each as wide as its widest cell (a CJK character
    takes two), two spaces apart, an empty column left out, no line ending in spaces."""
    if not rows:
        return []
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    kept = [i for i, most in enumerate(widths) if most]
    return ["  ".join(pad(row[i], widths[i]) for i in kept).rstrip() for row in rows]


def table_streamed(headers: Sequence[str], rows: Callable[[], Iterable[Sequence[str]]]) -> bool:
    """A table whose rows are read twice when plain (widths first, then the lines): memory
    stays the same for any number of rows. False when there are no rows."""
    if not plain():
        listed = list(rows())
        if listed:
            table(headers, listed)
        return bool(listed)
    widths = [width(h) for h in headers]
    count = 0
    for row in rows():
        count += 1
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(clean(cell)))
    if not count:
        return False
    out, batch = sys.stdout, []
    for line in itertools.chain([list(headers)], rows()):
        cells = [pad(clean(c), w) for c, w in zip(line[:-1], widths, strict=False)]
        batch.append("  ".join([*cells, clean(line[-1])]).rstrip())
        if len(batch) == 1000:  # a write per thousand lines, not per line
            out.write("\n".join(batch) + "\n")
            batch = []
    if batch:
        out.write("\n".join(batch) + "\n")
    return True


def lines(text_lines: Sequence[str]) -> None:
    sys.stdout.write("".join(f"{line}\n" for line in text_lines))


def days_since(moment: datetime | None, now: datetime) -> int | None:
    if moment is None:
        return None
    return (now.date() - moment.astimezone(now.tzinfo).date()).days


def iso(moment: datetime | None, tz: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat()


def money(amount: object) -> str:
    """158,000.00 in English; ¥158,000 in Chinese (cents only when there are some)."""
    if amount is None:
        return ""
    text = f"{float(str(amount)):,.2f}"
    if i18n.language() != "zh":
        return text
    return "¥" + text.removesuffix(".00")


def money_short(amounts: Sequence[object]) -> list[str]:
    """The amounts of one narrow column. In Chinese an amount of ¥1万 or more in 万 to three
    significant digits (¥15.8万, ¥1.01万, ¥123万), with more decimals in the whole column
    where two different amounts would read the same (¥1.014万 beside ¥1.01万), down to the
    yuan, and in full where not even the yuan tell them apart; in English as `money`."""
    if i18n.language() != "zh":
        return [money(amount) for amount in amounts]
    from decimal import ROUND_HALF_UP, Decimal

    values = [None if a is None else Decimal(str(a)).quantize(Decimal("0.01")) for a in amounts]

    def short(value: Decimal | None, extra: int) -> str:
        if value is None or abs(value) < 10_000:
            return money(value)
        wan = value / 10_000
        places = min(max(0, 3 - len(str(int(abs(wan))))) + extra, 4)
        text = f"{wan.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"
        return "¥" + (text.rstrip("0").rstrip(".") if "." in text else text) + "万"

    different = len(set(values))
    for extra in range(5):
        column = [short(value, extra) for value in values]
        if len(set(column)) == different:
            return column
    return [money(value) for value in values]
