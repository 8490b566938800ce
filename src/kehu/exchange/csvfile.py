"""Customers to and from CSV, for spreadsheets. Cells that a spreadsheet would run as a formula
are neutralised on export (OWASP ASVS 1.2.10: a leading ' before = + - @ tab or CR, also in
their full-width forms and behind leading spaces or a zero-width space, which spreadsheets skip)
and restored on import, so a round trip gives back exactly what was stored."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Skipped by spreadsheets before they look for a formula: spaces (ASCII, no-break, ideographic)
# and the zero-width space.
SKIPPED_LEAD = " \u00a0\u3000\u200b"
COLUMNS = (
    "id", "name", "phone", "email", "wechat", "company", "title", "address", "gender",
    "salutation", "language", "birthday", "lunar_birthday", "tier", "source", "referred_by",
    "referred_by_phone", "notes", "owner", "created_at", "archived_at", "last_reached_at",
    "level", "interest", "budget", "expected_purchase", "payment", "current_car", "usage",
    "cares", "competitors", "best_time", "lost_reason", "lost_note", "lost_at", "product",
    "amount", "sold_at", "delivered",
)  # fmt: skip
IMPORTED = (
    "name", "phone", "email", "wechat", "company", "title", "address", "gender", "birthday",
    "tier", "source", "notes", "salutation", "language",
)  # fmt: skip
PROFILE = "profile:"


def is_dangerous(value: str) -> bool:
    """Would a spreadsheet run this cell (after any quotes we added) as a formula?"""
    return value.lstrip("'").lstrip(SKIPPED_LEAD).startswith(FORMULA_START)


def neutralise(value: str) -> str:
    # Quotes already leading a dangerous cell get one more, so import can always take one off.
    return "'" + value if is_dangerous(value) else value


def restore(value: str) -> str:
    if value.startswith("'") and is_dangerous(value):
        return value[1:]
    return value


def write(rows: Iterable[dict[str, Any]], profile_keys: list[str], out: TextIO) -> int:
    header = [*COLUMNS, *(PROFILE + key for key in profile_keys)]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        cells = ["" if row.get(name) is None else str(row[name]) for name in COLUMNS]
        cells += [row["profile"].get(key, "") for key in profile_keys]
        writer.writerow([neutralise(cell) for cell in cells])
        count += 1
    return count


def read(text: str) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """(line number, customer fields, profile facts) for each data row."""
    csv.field_size_limit(1 << 24)  # not the default 131,072 characters: long notes are kept
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None:
        return
    header = [h.strip() for h in header]
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {h: restore(c) for h, c in zip(header, cells, strict=False)}
        fields = {k: values[k] for k in IMPORTED if values.get(k)}
        profile = {
            h.removeprefix(PROFILE): v
            for h, v in values.items()
            if h.startswith(PROFILE) and v != ""
        }
        yield number, fields, profile
