"""The current schema's DDL on each engine, as shipped next to this module (written by
scripts/ddl.py from book/schema.py's models): a new book is made from it without importing
SQLAlchemy. Each file holds three sections, in the order they run: tables, constraints (the
primary and foreign keys, PostgreSQL only) and indexes."""

import functools
from pathlib import Path

SECTIONS = ("tables", "constraints", "indexes")

# Every table, parents before children: for copies, counts and snapshots.
TABLES_IN_ORDER = (
    "customer",
    "customer_pinyin",
    "profile_field",
    "occasion",
    "purchase",
    "contact",
    "promise",
    "followup",
    "snooze",
    "closed_item",
    "prospect",
    "prospect_grade",
    "prospect_loss",
    "schema_version",
    "journal_change",
    "journal_row",
)
JOURNAL_TABLES = ("journal_change", "journal_row")  # about changes, not the book's own rows


def path(dialect: str) -> Path:
    return Path(__file__).with_name(f"{dialect}.sql")


@functools.cache
def statements(dialect: str) -> dict[str, tuple[str, ...]]:
    """Each section's statements, in order."""
    found: dict[str, list[str]] = {section: [] for section in SECTIONS}
    section, lines = SECTIONS[0], list[str]()
    for line in [*path(dialect).read_text(encoding="utf-8").splitlines(), "-- end"]:
        if line.removeprefix("-- ") in (*SECTIONS, "end"):
            found[section] += [s.strip() for s in "\n".join(lines).split(";\n") if s.strip()]
            section, lines = line.removeprefix("-- "), []
        elif not line.startswith("--"):
            lines.append(line)
    return {section: tuple(s.rstrip(";") for s in found[section]) for section in SECTIONS}


def text(version: int, dialect: str, sections: dict[str, list[str]]) -> str:
    """The file's text: what scripts/ddl.py writes, and the test compares."""
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[dialect]
    parts = [
        f"-- kehu schema version {version}, {engine}. Written by scripts/ddl.py from"
        " book/schema.py: do not edit.\n"
    ]
    for section in SECTIONS:
        if sections[section]:
            parts.append(f"-- {section}\n" + "".join(f"{s};\n" for s in sections[section]))
    return "\n".join(parts)
