"""kehu undo and the corrections by id: every kind of write taken back leaves the book as it
was; a later change by someone else blocks the undo."""

from typing import Any

import pytest
from conftest import in_chinese, sqlite_only

from kehu.book import journal
from kehu.book.schema import JOURNAL_TABLES


def book(kehu: Any) -> dict[str, list[dict[str, Any]]]:
    return {t: rows for t, rows in kehu.snapshot().items() if t not in JOURNAL_TABLES}


def start(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--amount", "158000",
            "--delivered", "2026-11-01 10:00", "--set", "hobbies=fishing")  # fmt: skip
    kehu.ok("add", "李娜", "--referred-by", "张伟")
    kehu.ok("log", "张伟", "--via", "call", "--note", "asked", "--at", "2026-11-20 09:00",
            "--next", "2026-11-29 15:00")  # fmt: skip
    kehu.ok("promise", "张伟", "send the quote", "--due", "2026-11-25")


WRITES = [
    ("add", "王芳", "--phone", "13900001111"),
    ("add", "张伟", "--phone", "13800138000", "--product", "Polo"),
    ("sale", "张伟", "--product", "mats", "--amount", "300"),
    ("edit", "张伟", "--company", "华为", "--set", "hobbies=golf", "--unset", "hobbies"),
    ("archive", "张伟"),
    ("delete", "张伟", "--yes"),
    ("assign", "张伟", "lei"),
    ("log", "张伟", "--via", "wechat", "--no-answer"),
    ("log", "张伟", "--via", "call", "--kind", "thank-you"),
    ("promise", "李娜", "call back", "--due", "tomorrow"),
    ("kept", "P1"),
    ("cancel", "P1"),
    ("done", "F1"),
    ("snooze", "F1", "--until", "2026-12-01", "--reason", "abroad"),
    ("contact-edit", "1", "--note", "fixed", "--no-answer", "--at", "2026-11-21 09:00"),
    ("contact-delete", "#1"),
    ("purchase-edit", "1", "--product", "Golf GTI", "--amount", "1.5k", "--delivered", "yesterday"),
    ("purchase-delete", "1"),
    ("promise-edit", "P1", "--due", "2026-11-30", "--text", "send both quotes"),
    ("promise-delete", "P1"),
    ("followup-edit", "F1", "--due", "2026-11-30", "--note", "test drive"),
    ("followup-delete", "F1"),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: " ".join(w[:2]))
def test_undo_puts_the_book_back_as_it_was_before_each_write(kehu, write):
    start(kehu)
    before = book(kehu)
    result = kehu(*write)
    assert result.code == 0, result
    assert book(kehu) != before
    out = kehu.ok("undo")
    assert out.startswith(f"Undid `{write[0]}`")
    assert book(kehu) == before


def test_undo_goes_one_change_further_back_each_time_then_says_there_is_nothing(kehu):
    kehu.new_book()
    empty = book(kehu)
    start(kehu)
    for _ in range(4):
        kehu.ok("undo")
    assert book(kehu) == empty
    result = kehu("undo")
    assert result.code != 0 and result.out == ""
    assert result.err.startswith("kehu: nothing to undo")
    assert book(kehu) == empty


def test_undo_list_shows_the_recent_changes_newest_first(kehu):
    start(kehu)
    kehu.ok("contact-delete", "1")
    kehu.ok("undo")
    changes = kehu.json("undo", "--list")
    assert [c["command"] for c in changes] == ["contact-delete", "promise", "log", "add", "add"]
    assert [c["undone"] for c in changes] == [True, False, False, False, False]
    assert {"table": "contact", "key": [1], "action": "changed"} in changes[0]["rows"]
    assert {"table": "promise", "key": [1], "action": "added"} in changes[1]["rows"]
    text = kehu.ok("undo", "--list")
    assert "contact-delete" in text and "promise P1 added" in text and "undone" in text


@sqlite_only  # a server book's user is its session's role (test_team)
def test_undo_is_refused_when_someone_else_changed_the_same_rows_since(kehu, monkeypatch):
    start(kehu)
    monkeypatch.setenv("KEHU_USER", "lei")
    kehu.ok("kept", "P1")
    monkeypatch.setenv("KEHU_USER", "mei")
    before = book(kehu)
    result = kehu("undo")
    assert result.code != 0
    assert "lei changed the same rows later (`kept`)" in result.err
    assert book(kehu) == before
    assert kehu.json("undo", "--list")[0]["undone"] is False


@sqlite_only  # a server book's user is its session's role (test_team)
def test_an_undo_of_someone_else_is_not_mine(kehu, monkeypatch):
    start(kehu)
    monkeypatch.setenv("KEHU_USER", "lei")
    assert kehu("undo").err.startswith("kehu: nothing to undo")
    assert kehu.json("undo", "--list") == []


def test_the_journal_keeps_the_last_changes_per_user(kehu, monkeypatch):
    monkeypatch.setattr(journal, "KEEP", 3)
    start(kehu)
    kehu.ok("add", "王芳")
    assert [c["command"] for c in kehu.json("undo", "--list")] == ["add", "promise", "log"]


def test_deleting_a_contact_recomputes_the_customers_last_contact(kehu):
    start(kehu)
    kehu.ok("log", "张伟", "--via", "call", "--no-answer", "--at", "2026-11-21 09:00")
    assert kehu.json("show", "张伟")["no_answer_attempts"] == 1
    kehu.ok("contact-edit", "2", "--reached")
    card = kehu.json("show", "张伟")
    assert card["no_answer_attempts"] == 0
    assert card["last_reached_at"].startswith("2026-11-21T09:00")
    kehu.ok("contact-delete", "2")
    kehu.ok("contact-delete", "1")
    card = kehu.json("show", "张伟")
    assert card["last_reached_at"] is None and card["contacts"] == []


def test_corrections_change_only_what_is_given(kehu):
    start(kehu)
    assert kehu.ok("purchase-edit", "#1", "--amount", "１６.８万") == "Changed purchase #1.\n"
    card = kehu.json("show", "张伟")
    assert card["purchases"][0]["amount"] == 168000.0
    assert card["purchases"][0]["product"] == "Golf"
    kehu.ok("promise-edit", "p1", "--text", "send both quotes")
    assert kehu.json("show", "张伟")["promises"][0]["text"] == "send both quotes"
    out = kehu.ok("followup-delete", "F1")
    assert out == "Deleted planned call F1; `kehu undo` brings it back.\n"
    assert kehu.json("show", "张伟")["followups"] == []


@pytest.mark.parametrize(
    "args",
    [("contact-edit", "9", "--note", "x"), ("purchase-delete", "9"), ("promise-edit", "P9",
     "--due", "tomorrow"), ("followup-delete", "F9"), ("contact-edit", "1"),
     ("contact-edit", "abc", "--note", "x"), ("contact-edit", "1", "--at", "tomorrow")],
)  # fmt: skip
def test_a_bad_correction_says_why_and_changes_nothing(kehu, args):
    start(kehu)
    before = kehu.snapshot()
    result = kehu(*args)
    assert result.code != 0 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert kehu.snapshot() == before


def test_the_card_lists_contacts_with_their_ids(kehu):
    start(kehu)
    shown = kehu.ok("show", "张伟")
    assert "  #1  Fri 20 Nov 09:00  call  follow-up  asked\n" in shown
    assert "  P1  due Wed 25 Nov  send the quote\n" in shown
    assert "  F1  Sun 29 Nov 15:00" in shown
    assert "  #1  Sun 1 Nov  Golf  158,000.00  delivered Sun 1 Nov 10:00\n" in shown


def test_dependents_follow_the_schemas_foreign_keys():
    from sqlmodel import SQLModel

    from kehu.book import schema  # noqa: F401

    found: dict[str, set[tuple[str, str]]] = {}
    for table in SQLModel.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name in JOURNAL_TABLES:
                continue
            found.setdefault(key.column.table.name, set()).add((table.name, key.parent.name))
    assert found == {t: set(d) for t, d in journal.DEPENDENTS.items()}


SAME_AGAIN = [
    (("contact-edit", "1", "--note", "asked", "--via", "call"), "Nothing changed: contact #1"),
    (("purchase-edit", "#1", "--product", "Golf", "--amount", "158000"), "Nothing changed: purch"),
    (("promise-edit", "P1", "--text", "send the quote"), "Nothing changed: promise P1 already"),
    (("followup-edit", "F1", "--due", "2026-11-29 15:00"), "Nothing changed: planned call F1"),
    (("assign", "张伟", "mei"), "张伟 (#1) is already mei's; nothing changed."),
    (("assign", "--from", "mei", "--to", "mei"), "--from and --to name the same salesperson"),
    (("snooze", "P1", "--until", "2026-11-30"), "P1 (张伟) is already snoozed until Mon 30 Nov;"),
]


@pytest.mark.parametrize(("write", "said"), SAME_AGAIN, ids=[" ".join(w) for w, _ in SAME_AGAIN])
def test_a_write_that_changes_nothing_leaves_nothing_to_undo(kehu, write, said):
    start(kehu)
    if write[0] == "snooze":
        kehu.ok(*write)  # the same snooze given twice: the second changes nothing
    before = kehu.snapshot()  # the journal too
    assert kehu.ok(*write).startswith(said)
    assert kehu.snapshot() == before
    undone = kehu.ok("undo")  # the change before it, not an empty one
    assert undone.startswith("Undid `snooze`" if write[0] == "snooze" else "Undid `promise`")


def test_the_same_snooze_again_later_on_the_clock_keeps_nothing_to_undo(kehu):
    start(kehu)
    kehu.ok("snooze", "P1", "--until", "2026-11-30", "--reason", "travelling")
    before = kehu.snapshot()  # the journal too
    later = "2026-11-22T16:30"  # the same snooze given again in the afternoon
    said = kehu.ok("snooze", "P1", "--until", "2026-11-30", "--reason", "travelling", now=later)
    assert said == "P1 (张伟) is already snoozed until Mon 30 Nov; nothing changed.\n"
    assert kehu.snapshot() == before
    assert kehu.ok("undo", now=later).startswith("Undid `snooze`")  # the first one
    assert kehu.rows("SELECT key FROM snooze") == []
    assert in_chinese("snooze", "P1", "--until", "2026-11-30", now=later).stdout.startswith(
        "已推迟 P1"
    )
    again = in_chinese("snooze", "P1", "--until", "2026-11-30", now=later)  # no change
    assert again.returncode == 0
    assert again.stdout == "P1（张伟）已经推迟到11月30日 周一，没有改动。\n"
    # Another day or reason is a change, kept to undo.
    assert kehu.ok("snooze", "P1", "--until", "2026-12-01", now=later).startswith("Snoozed P1")


def test_in_chinese_a_correction_that_changes_nothing_says_so(kehu):
    start(kehu)
    assert in_chinese("promise-edit", "P1", "--text", "send the quote").stdout == (
        "没有改动：承诺 P1 已经是这样。\n"
    )
    assert in_chinese("assign", "张伟", "mei").stdout == "张伟（#1）已经是 mei 的客户，没有改动。\n"
    assert in_chinese("assign", "--from", "mei", "--to", "mei").stdout == (
        "--from 和 --to 是同一位销售，没有改动。\n"
    )
