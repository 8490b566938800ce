"""Formats by name and extension, detection from the first bytes, and no heavy import until a
format is used."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from kehu.exchange import registry
from kehu.exchange.records import FileProblem


@pytest.mark.parametrize(
    ("name", "first_bytes", "expected"),
    [
        ("客户.csv", "姓名,电话\r\n".encode("gbk"), "csv"),
        ("export.CSV", b"\xef\xbb\xbfname,phone\r\n", "csv"),
        ("sheet.xlsx", b"PK\x03\x04\x14\x00", "xlsx"),
        ("sheet.csv", b"PK\x03\x04\x14\x00", "xlsx"),  # the content wins over the name
        ("contacts.vcf", b"BEGIN:VCARD\r\nVERSION:2.1\r\n", "vcf"),
        ("contacts.csv", b"\xef\xbb\xbf\r\nbegin:vcard\r\n", "vcf"),
        ("book.json", b'{"format": "kehu"', "json"),
        ("feed.ics", b"BEGIN:VCALENDAR\r\n", "ics"),
        ("notes.txt", b"name\tphone\n", "csv"),
    ],
)
def test_detect_by_content_then_extension(name, first_bytes, expected):
    found = registry.detect(Path(name), first_bytes)
    assert found is not None and found.name == expected


def test_an_unknown_file_is_detected_as_nothing():
    assert registry.detect(Path("photo.jpg"), b"\xff\xd8\xff") is None


def test_formats_by_name_with_their_entry_points():
    assert registry.NAMES == ("csv", "xlsx", "vcf", "json", "ics")
    assert registry.by_name("vCard").name == "vcf"
    assert registry.by_name(".ICS").name == "ics"
    with pytest.raises(KeyError):
        registry.by_name("pdf")
    with pytest.raises(LookupError):
        registry.by_name("ics").read_function()
    write_json = registry.by_name("json").write_function()
    out = io.BytesIO()
    write_json({"customers": []}, out)
    assert registry.by_name("json").read_function()(out.getvalue()) == {"customers": []}


def test_a_json_document_of_another_program_or_a_newer_kehu_is_refused():
    read = registry.by_name("json").read_function()
    with pytest.raises(FileProblem) as refused:
        read(b'{"customers": []}')
    assert refused.value.problem.code == "not_kehu_json"
    with pytest.raises(FileProblem) as refused:
        read(b'{"format": "kehu", "version": 99}')
    assert (refused.value.problem.code, refused.value.problem.detail) == ("newer_version", "99")
    with pytest.raises(FileProblem) as refused:
        read(b'{"format": "kehu", "version": 1')
    assert refused.value.problem.code == "not_json"


def test_naming_formats_imports_no_heavy_library():
    code = (
        "import sys; import kehu.exchange.registry, kehu.exchange.table_files, "
        "kehu.exchange.vcard, kehu.exchange.ics, kehu.exchange.columns; "
        "print(sorted(m for m in ('openpyxl', 'vobject', 'icalendar') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
