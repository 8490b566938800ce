"""The file formats by name and by extension, each with its reader and writer (imported only
when used, so that naming a format costs nothing at start-up), and detection of a file's format
from its name and first bytes."""

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehu.base.typed import half_width


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    module: str  # the exchange module that reads and writes it
    reader: str | None  # function names in that module
    writer: str | None

    def read_function(self) -> Any:
        return self._function(self.reader)

    def write_function(self) -> Any:
        return self._function(self.writer)

    def _function(self, name: str | None) -> Any:
        if name is None:
            raise LookupError(f"{self.name} has no such entry point")
        return getattr(importlib.import_module(f"kehu.exchange.{self.module}"), name)


FORMATS = {
    f.name: f
    for f in (
        Format("csv", (".csv", ".txt"), "table_files", "read_csv", "write_csv"),
        Format("xlsx", (".xlsx", ".xlsm"), "table_files", "read_xlsx", "write_xlsx"),
        Format("vcf", (".vcf", ".vcard"), "vcard", "read", "write"),
        Format("json", (".json",), "jsonfile", "read", "write"),
        Format("ics", (".ics", ".ical"), "ics", None, "write"),  # kehu does not import calendars
    )
}
NAMES = tuple(FORMATS)
# How files of each format begin (after a UTF-8 BOM and blank space).
_ZIP = b"PK\x03\x04"
# What is found under an .xls name: Excel 97-2003's own workbook (an OLE file), a web page or
# Excel 2003's XML that systems export as "Excel", or, as often, text with tabs or commas.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = (b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta", b"<head")
OLD_EXCEL = (".xls", ".et")  # Excel 97-2003 and WPS names


def by_name(name: str) -> Format:
    """The format called `name` (csv, xlsx, vcf, json, ics; vcard and ical too)."""
    key = half_width(name).strip().lower().removeprefix(".")
    key = {"vcard": "vcf", "ical": "ics", "excel": "xlsx"}.get(key, key)
    if key not in FORMATS:
        raise KeyError(name)
    return FORMATS[key]


def detect(path: Path, first_bytes: bytes) -> Format | None:
    """The format of a file from its content when that is telling, else from its extension;
    None when neither says. The content wins: a vCard saved as contacts.csv is a vCard."""
    head = first_bytes.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(_ZIP):
        return FORMATS["xlsx"]
    upper = head[:64].upper()
    if upper.startswith(b"BEGIN:VCARD"):
        return FORMATS["vcf"]
    if upper.startswith(b"BEGIN:VCALENDAR"):
        return FORMATS["ics"]
    if head.startswith(b"{"):
        return FORMATS["json"]
    if path.suffix.lower() in OLD_EXCEL and not_a_table(first_bytes) is None:
        return FORMATS["csv"]  # a table as text under an Excel name: read as the text it is
    return by_extension(path)


def not_a_table(first_bytes: bytes) -> str | None:
    """What a file named like an old Excel workbook is when kehu cannot read it as a table:
    "xls" (Excel 97-2003's own format) or "markup" (a web page or XML); None for text."""
    head = first_bytes.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(_OLE):
        return "xls"
    if head[:64].lower().startswith(_MARKUP):
        return "markup"
    return None


def by_extension(path: Path) -> Format | None:
    """The format a file's extension names (.csv, .xlsx…); None for any other."""
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    return None


def extensions() -> list[str]:
    """Every extension a format is known by, in the formats' order."""
    return [ext for fmt in FORMATS.values() for ext in fmt.extensions]
