"""Bar charts in the terminal: one line per row, stacked series, fitted to the width.

Each series has its own character, so a chart reads in plain text (pipes, NO_COLOR) too; on a
colour terminal rich colours them as well."""

import shutil
from collections.abc import Sequence

from kehu.ui.tables import pad, plain, width

MARKS = ("█", "▓", "▒", "░")
COLOURS = ("green", "yellow", "dark_orange", "red")


def columns() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def bar_lines(
    rows: Sequence[tuple[str, Sequence[int]]], total_width: int | None = None
) -> list[tuple[str, list[tuple[str, int]], str]]:
    """For each row: its padded label, the (mark, length) runs of its bar, and its total."""
    total_width = total_width or columns()
    label_width = max((width(label) for label, _ in rows), default=0)
    totals = [sum(values) for _, values in rows]
    number_width = max((len(str(t)) for t in totals), default=1)
    room = max(total_width - label_width - number_width - 3, 1)
    biggest = max(totals, default=0) or 1
    lines = []
    for (label, values), total in zip(rows, totals, strict=True):
        runs = []
        used = 0.0
        drawn = 0
        for n, value in enumerate(values):
            used += value * room / biggest
            length = round(used) - drawn  # rounding the running sum keeps the total exact
            drawn += length
            runs.append((MARKS[n % len(MARKS)], length))
        lines.append((pad(label, label_width), runs, str(total).rjust(number_width)))
    return lines


def print_bars(
    rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], title: str | None = None
) -> None:
    """A horizontal bar chart; with more than one series, a legend under it."""
    lines = bar_lines(rows)
    legend = "  ".join(f"{MARKS[n % len(MARKS)]} {name}" for n, name in enumerate(series))
    if plain():
        out = [title] if title else []
        for label, runs, total in lines:
            out.append(f"{label} {''.join(mark * length for mark, length in runs)} {total}")
        if len(series) > 1:
            out.append(legend)
        print("\n".join(out))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    if title:
        console.print(Text(title, style="bold"))
    for label, runs, total in lines:
        text = Text(f"{label} ")
        for n, (mark, length) in enumerate(runs):
            text.append(mark * length, style=COLOURS[n % len(COLOURS)])
        text.append(f" {total}")
        console.print(text, no_wrap=True, overflow="crop")
    if len(series) > 1:
        console.print(legend)
