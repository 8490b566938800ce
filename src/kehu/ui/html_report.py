"""A report as one self-contained HTML page for the manager: CSS inline, charts as inline SVG,
no scripts and nothing fetched from the network; it prints on A4 as it shows on screen."""

from collections.abc import Sequence
from html import escape as _escape

from kehu.base import i18n
from kehu.ui.reports import Bars, Note, Page, Table
from kehu.ui.text import one_line


def escape(text: str) -> str:
    """Text for the page: one line, control characters (and the marks that reorder what
    follows) shown as escapes as in the terminal, then HTML's own characters escaped."""
    return _escape(one_line(text))


HTML_LANGUAGES = {"en": "en", "zh": "zh-CN"}  # the interface language's tag for <html lang>
COLOURS = ("#2e7d32", "#f9a825", "#ef6c00", "#c62828")
CSS = """
body { font: 14px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; color: #222; margin: 2em; }
h1 { font-size: 1.5em; margin: 0; } .sub { color: #555; margin: 0 0 1.5em; }
section { margin: 0 0 2em; break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 1.1em; border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; } th, td { padding: .2em .8em .2em 0; text-align: left; }
td { white-space: pre-wrap; }
th { border-bottom: 1px solid #999; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend span { margin-right: 1.2em; } .legend i { display: inline-block; width: .9em;
  height: .9em; margin-right: .3em; vertical-align: -.1em; }
@media print { body { margin: 0; font-size: 11pt; } @page { size: A4; margin: 15mm; } }
"""


def render(page: Page) -> str:
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{HTML_LANGUAGES[i18n.language()]}"><head><meta charset="utf-8">',
        f"<title>{escape(page.title)}</title><style>{CSS}</style></head><body>",
        f'<h1>{escape(page.title)}</h1><p class="sub">{escape(page.subtitle)}</p>',
    ]
    for block in page.blocks:
        if isinstance(block, Note):
            parts.append(f"<section><p>{escape(block.text)}</p></section>")
            continue
        parts.append(f"<section><h2>{escape(block.title)}</h2>")
        parts.append(_chart(block) if isinstance(block, Bars) else _table(block))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _number(text: str) -> bool:
    """A count, an amount (¥158,000, ¥15.8万), a share, "2 / 3" or – for none: aligned to the
    right, as in the terminal."""
    return text == "–" or (
        bool(text)
        and text.removeprefix("¥")
        .removesuffix("万")
        .replace(",", "")
        .replace(".", "")
        .replace("%", "")
        .replace(" / ", "")
        .replace("-", "")
        .isdigit()
    )


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(c)}</td>'
            if _number(c) and i not in table.text
            else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(bars: Bars, width: int = 640, row_height: int = 22) -> str:
    """Horizontal stacked bars; each row's total is written at its end."""
    label_width, gap = 130, 50
    room = width - label_width - gap
    biggest = max((sum(values) for _, values in bars.rows), default=0) or 1
    height = row_height * len(bars.rows) + 4
    shapes = []
    for n, (label, values) in enumerate(bars.rows):
        y = n * row_height + 2
        shapes.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
        )
        x = float(label_width)
        for i, value in enumerate(values):
            w = value * room / biggest
            if w > 0:
                shapes.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_height - 6}"'
                    f' fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)}: {value}'
                    "</title></rect>"
                )
            x += w
        shapes.append(f'<text x="{x + 5:.1f}" y="{y + 15}">{sum(values)}</text>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-size="12" role="img"'
        f' aria-label="{escape(bars.title)}">{"".join(shapes)}</svg>'
    )
    return svg + _legend(bars.series)


def _legend(series: Sequence[str]) -> str:
    if len(series) < 2:
        return ""
    items = "".join(
        f'<span><i style="background:{COLOURS[n % len(COLOURS)]}"></i>{escape(name)}</span>'
        for n, name in enumerate(series)
    )
    return f'<p class="legend">{items}</p>'
