"""Which text encoding a file is in, decided once for the whole file: UTF-8 with a BOM, UTF-16
with a BOM (Excel's "Unicode Text"), UTF-8, else GB18030 (a superset of GBK, what Excel on
Chinese Windows saves as CSV). Never per cell: a file whose cells were decoded two ways would
come back garbled in a way no one could undo."""

import codecs
from pathlib import Path
from typing import BinaryIO

from kehu.exchange.records import FileProblem, Problem

UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 16


def decide(path: Path) -> str:
    """The Python codec name to read `path` with: 'utf-8-sig' or 'utf-16' (after their BOM,
    removed on reading), 'utf-8' or 'gb18030'. Reads the file in chunks (bounded memory). Raises
    FileProblem 'undecodable' with the line of the first bad byte when it is neither."""
    with path.open("rb") as f:
        head = f.read(len(UTF8_BOM))
        if head == UTF8_BOM:
            _check(f, "utf-8", skip=len(UTF8_BOM), path=path)
            return "utf-8-sig"
        f.seek(0)
        if head[:2] in UTF16_BOMS:
            _check(f, "utf-16", skip=0, path=path)
            return "utf-16"
        if _decodes(f, "utf-8"):
            return "utf-8"
        f.seek(0)
        _check(f, "gb18030", skip=0, path=path)
        return "gb18030"


def decide_bytes(data: bytes) -> str:
    """The same decision for bytes already in memory."""
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    for codec in ("utf-8", "gb18030"):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec
    raise FileProblem(Problem("undecodable", _bad_line(data, "gb18030")))


def _decodes(f: BinaryIO, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        while chunk := f.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check(f: BinaryIO, codec: str, *, skip: int, path: Path) -> None:
    if not _decodes(f, codec):
        data = path.read_bytes()[skip:]
        raise FileProblem(Problem("undecodable", _bad_line(data, codec), detail=codec))


def _bad_line(data: bytes, codec: str) -> int:
    try:
        data.decode(codec)
    except UnicodeDecodeError as e:
        return data.count(b"\n", 0, e.start) + 1
    return 1
