"""kehu's own JSON document: one versioned envelope around what the caller puts in it (the whole
book), written sorted and indented so that two exports of the same book are identical files."""

import json
from collections.abc import Iterable
from typing import IO, Any

from kehu.exchange.records import FileProblem, Problem

FORMAT = "kehu"
VERSION = 1


def write(content: dict[str, Any], out: IO[bytes]) -> None:
    document = {"format": FORMAT, "version": VERSION, **content}
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, default=str)
    out.write((text + "\n").encode("utf-8"))


def write_tables(
    tables: Iterable[tuple[str, Iterable[dict[str, Any]]]], out: IO[bytes]
) -> dict[str, int]:
    """The document {"tables": {name: rows}} written row by row as the rows come, byte for byte
    what write() gives for the same tables; `tables` come in name order. Returns rows per table."""
    counts: dict[str, int] = {}
    out.write(b'{\n  "format": ' + _dumped(FORMAT) + b',\n  "tables": {')
    for number, (name, rows) in enumerate(tables):
        out.write((",\n" if number else "\n").encode() + b"    " + _dumped(name) + b": [")
        count = 0
        for row in rows:
            text = json.dumps(row, ensure_ascii=False, sort_keys=True, indent=2, default=str)
            out.write(b",\n" if count else b"\n")
            out.write(("      " + text.replace("\n", "\n      ")).encode("utf-8"))
            count += 1
        out.write(b"\n    ]" if count else b"]")
        counts[name] = count
    out.write(b"\n  }" if counts else b"}")
    out.write(b',\n  "version": ' + _dumped(VERSION) + b"\n}\n")
    return counts


def _dumped(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def read(data: bytes) -> dict[str, Any]:
    """The document's content (without the envelope). Raises FileProblem for bytes that are not
    JSON ("not_json"), JSON that is not a kehu document ("not_kehu_json"), or a document of a
    newer version than this kehu reads ("newer_version", detail: its version)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise FileProblem(Problem("not_json", 1)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileProblem(Problem("not_kehu_json", 1))
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileProblem(Problem("not_kehu_json", 1))
    if version > VERSION:
        raise FileProblem(Problem("newer_version", 1, detail=str(version)))
    return {k: v for k, v in document.items() if k not in ("format", "version")}
