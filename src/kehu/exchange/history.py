"""Past contacts from a spreadsheet (`kehu import --contacts FILE`): one row per touch — when,
whom (by phone, else by name), how, what for, whether they were reached, and a note. Headers
in Chinese or English; the channel, kind and outcome in the words `kehu log` takes."""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from pathlib import Path

from kehu.base.errors import BadInput
from kehu.exchange import days
from kehu.exchange.records import FileProblem, Problem
from kehu.rules import vocab

# field -> the headers that name it (compared without case, spaces or punctuation)
HEADERS = {
    "at": ("日期", "时间", "联系日期", "联系时间", "回访日期", "回访时间", "date", "time", "at",
           "when", "datetime"),
    "name": ("客户", "姓名", "客户姓名", "名字", "customer", "name", "customername"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "phone", "mobile", "tel"),
    "channel": ("方式", "联系方式", "渠道", "途径", "channel", "via"),
    "kind": ("类型", "目的", "事由", "联系类型", "kind", "purpose", "type"),
    "outcome": ("结果", "联系结果", "是否接通", "outcome", "result"),
    "note": ("备注", "内容", "记录", "摘要", "沟通内容", "note", "notes", "summary", "comment"),
}  # fmt: skip
NOON = time(12)  # a contact dated by day only is taken as noon of that day, local time


@dataclass(frozen=True)
class PastContact:
    line: int
    phone: str | None
    name: str | None
    at: datetime
    channel: str
    kind: str
    reached: bool
    note: str | None


def read(path: Path, *, tz: tzinfo, default_channel: str) -> Iterator[PastContact | Problem]:
    """Each data row as a PastContact, or the Problem that keeps it out. Raises FileProblem for
    a file that cannot be used at all (no date column, no name or phone column…)."""
    from kehu.exchange import table_files

    table = (
        table_files.read_xlsx(path)
        if path.suffix.lower() == ".xlsx"
        else table_files.read_csv(path)
    )
    with table:
        if table.problems:
            raise FileProblem(table.problems[0])
        where = _columns(table.header)
        for row in table.rows:
            if row.problem is not None:
                yield row.problem
                continue
            cells = {
                f: row.cells[i].strip() if i < len(row.cells) else "" for f, i in where.items()
            }
            yield _contact(row.line, cells, tz, default_channel)


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _key(name)
        for field, names in HEADERS.items():
            if field not in found and key in {_key(n) for n in names}:
                found[field] = index
    if "at" not in found:
        raise FileProblem(Problem("no_column", 1, detail="date/日期"))
    if "name" not in found and "phone" not in found:
        raise FileProblem(Problem("no_column", 1, detail="name/客户, phone/电话"))
    return found


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).lower()
    return "".join(c for c in text if c.isalnum())


def _contact(
    line: int, cells: dict[str, str], tz: tzinfo, default_channel: str
) -> PastContact | Problem:
    name, phone = cells.get("name") or None, cells.get("phone") or None
    if name is None and phone is None:
        return Problem("no_name", line)
    at = _instant(cells["at"], tz)
    if at is None:
        return Problem("bad_contact_date", line, detail="date/日期")
    try:
        channel = _word(cells.get("channel"), vocab.CHANNELS, vocab.CHANNEL_WORDS, default_channel)
        kind = _word(cells.get("kind"), vocab.CONTACT_KINDS, vocab.CONTACT_KIND_WORDS, "follow-up")
        outcome = _word(cells.get("outcome"), vocab.OUTCOMES, vocab.OUTCOME_WORDS, "reached")
    except _Unknown as e:
        return Problem("bad_value", line, detail=e.column)
    return PastContact(line, phone, name, at, channel, kind, outcome == "reached",
                       cells.get("note") or None)  # fmt: skip


class _Unknown(Exception):
    def __init__(self, column: str) -> None:
        self.column = column


def _word(value: str | None, accepted: tuple[str, ...], words: dict[str, str], default: str) -> str:
    from kehu.base import typed

    if not value:
        return default
    try:  # "no answer", "thank_you": spreadsheets write codes with spaces or underscores
        return typed.choice(re.sub(r"[\s_]+", "-", value.strip()), accepted, "", synonyms=words)
    except BadInput:
        column = {vocab.CHANNELS: "channel/方式", vocab.CONTACT_KINDS: "kind/类型"}
        raise _Unknown(column.get(accepted, "outcome/结果")) from None


def _instant(text: str, tz: tzinfo) -> datetime | None:
    """A date, optionally with a time (days.parse_moment), as a local instant; None when
    unreadable or without a year."""
    found = days.parse_moment(text)
    if found is None:
        return None
    if isinstance(found, datetime):
        return found.replace(tzinfo=tz)
    return datetime.combine(found, NOON, tzinfo=tz)
