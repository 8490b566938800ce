"""Random text through the command line: names, notes, promise texts and profile facts in any
script, with emoji, right-to-left marks, control characters, SQL-looking text and 10,000
characters. No traceback, and what is stored reads back identical (kehu strips surrounding
whitespace, as documented; NUL is refused with one line)."""

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehu.base import typed

FUZZED: list[int] = [0]
# A name has a column of limited length (so that PostgreSQL takes it too): longer is refused.
NAME_LONGEST = getattr(typed, "LONGEST", {}).get("name")

PIECES = (
    "张伟", "王芳", "客户", "😀", "👨‍👩‍👧", "🇨🇳", "مرحبا", "\u202eRTL\u202c", "\u200f", "שלום",
    "'; DROP TABLE customer; --", '" OR 1=1 --', "%", "_", "\\", "\\%", "NULL", "?", ":name",
    "\t", "\n", "\r\n", "\x1b[31m", "\x7f", "\u2028", "\ufeff", "\U0010ffff", "é", "ﾊﾝｶｸ",
)  # fmt: skip
text_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.one_of(
    st.text(text_chars, min_size=1, max_size=60),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
    st.tuples(st.sampled_from(PIECES), st.text(text_chars, max_size=3)).map(
        lambda t: ((t[0] + t[1]) * 10_000)[:10_000]
    ),
)


def _cleaned(text: str) -> str | None:
    return text.strip() or None


def _fixture_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _new_id(kehu) -> int:
    return int(kehu.rows("SELECT MAX(id) AS id FROM customer")[0]["id"])


def _no_traceback(result) -> None:
    assert "Traceback" not in result.err and "unexpected" not in result.err, result


@given(name=texts, note=texts, fact=texts)
@_fixture_settings(100)
def test_customer_name_note_and_profile(kehu, name, note, fact):
    FUZZED[0] += 3
    result = kehu("add", "--new", "--note", note, "--set", f"fuzz={fact}", "--", name)
    _no_traceback(result)
    cleaned = _cleaned(name)
    if cleaned is None or (NAME_LONGEST and len(cleaned) > NAME_LONGEST):
        assert result.code == 2 and result.err.count("\n") == 1, result
        assert ("empty" if cleaned is None else "too long") in result.err, result
        return
    assert result.code == 0 and result.err == "", result
    cid = _new_id(kehu)
    card = kehu.json("show", str(cid))
    assert card["name"] == _cleaned(name)
    assert card["notes"] == _cleaned(note)
    assert card["profile"].get("fuzz", "") == fact.strip()
    (row,) = kehu.rows("SELECT name, notes FROM customer WHERE id = :id", id=cid)
    assert row == {"name": _cleaned(name), "notes": _cleaned(note)}


@given(note=texts, promise=texts)
@_fixture_settings(100)
def test_contact_note_and_promise_text(kehu, note, promise):
    FUZZED[0] += 2
    if not kehu.rows("SELECT id FROM customer"):
        kehu.ok("add", "模糊", "--phone", "13900000001")
    result = kehu("log", "1", "--via", "call", "--note", note)
    _no_traceback(result)
    assert result.code == 0 and result.err == "", result
    result = kehu("promise", "--due", "tomorrow", "--", "1", promise)
    _no_traceback(result)
    if _cleaned(promise) is None:
        assert result.code == 2 and result.err.count("\n") == 1, result
    else:
        assert result.code == 0 and result.err == "", result
    card = kehu.json("show", "1")
    assert card["contacts"][0]["note"] == _cleaned(note)
    (contact,) = kehu.rows("SELECT note FROM contact ORDER BY id DESC LIMIT 1")
    assert contact["note"] == _cleaned(note)
    if _cleaned(promise) is not None:
        stored = kehu.rows("SELECT id, text FROM promise ORDER BY id DESC LIMIT 1")[0]
        assert stored["text"] == _cleaned(promise)
        assert {p["id"]: p["text"] for p in card["promises"]}[stored["id"]] == stored["text"]


@given(query=texts)
@_fixture_settings(60)
def test_searching_and_naming_a_customer_never_crashes(kehu, query):
    FUZZED[0] += 1
    if not kehu.rows("SELECT id FROM customer"):
        kehu.ok("add", "张伟 '; DROP TABLE customer; --", "--phone", "13900000001")
        kehu.ok("add", "50% 折扣_客户", "--phone", "13900000002")
    for args in (("show", "--", query), ("list", "--search", query), ("done", "--", query)):
        result = kehu(*args)
        _no_traceback(result)
        assert result.code in (0, 2, 3, 4), result
        if result.code:
            assert result.err.startswith("kehu: "), result
    assert kehu.count("customer") == 2


def test_nul_is_refused_with_one_line(kehu):
    kehu.ok("add", "模糊", "--phone", "13900000001")
    for args in (
        ("add", "a\x00b"),
        ("add", "好名字", "--note", "x\x00y"),
        ("log", "1", "--via", "call", "--note", "\x00"),
        ("promise", "1", "回\x00电", "--due", "tomorrow"),
    ):
        result = kehu(*args)
        assert result.code == 2, result
        assert result.err.count("\n") == 1 and "NUL" in result.err, result
    assert kehu.count("customer") == 1 and kehu.count("contact") == 0


def test_bytes_that_are_not_utf8_in_a_real_process(isolated):
    """A terminal that is not UTF-8 can pass bytes Python cannot decode: one line, exit 2."""
    for args in ([b"add", b"\xff\xfe-name", b"--phone", b"1"], [b"show", b"\xe5\xbc"]):
        result = subprocess.run(
            [sys.executable.encode(), b"-m", b"kehu", *args], capture_output=True, timeout=60
        )
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode == 2, err
        assert err == "kehu: an argument is not UTF-8 text; use a UTF-8 terminal (LANG=C.UTF-8)\n"


def test_the_json_of_a_card_is_exactly_what_was_stored(kehu):
    odd = "  \u202e客户😀'; --\t"
    kehu.ok("add", "--new", "--note", odd, "--", odd)
    card = json.loads(kehu.ok("show", "1", "--json"))
    assert card["name"] == card["notes"] == odd.strip()


def test_zz_report():
    """Last in this file: how many random texts the properties above sent through kehu."""
    print(f"\nfuzz: {FUZZED[0]} random texts through the command line, 0 tracebacks")
