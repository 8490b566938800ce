"""The everyday screens read right: the daily list filtered by kind, a snooze whose item is
done, a no-answer logged in the same second as a reached contact, a colleague's grouped
greeting, and a write that fails on a missing book."""

from pathlib import Path
from typing import Any

import pytest
from conftest import in_chinese, sqlite_only

# a write that fails where there is no book leaves nothing behind


@sqlite_only  # about the folders a SQLite book lives in
@pytest.mark.parametrize(
    "args", [("undo",), ("done", "T1"), ("log", "张伟", "--note", "hi"), ("kept", "1")]
)
def test_a_failed_write_without_a_book_makes_no_data_folder(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.delenv("KEHU_DB")
    before = sorted(tmp_path.rglob("*"))
    result = kehu(*args)
    assert result.code == 6 and len(result.err.splitlines()) == 1, result  # as a read says it
    assert result.err.startswith("kehu: no kehu book at "), result
    assert sorted(tmp_path.rglob("*")) == before  # no book, no empty data folder
    # the same under a --db whose folders do not exist yet
    deep = tmp_path / "a" / "b" / "kehu.db"
    assert kehu("--db", str(deep), *args).code == 6
    assert not (tmp_path / "a").exists()


@sqlite_only
def test_a_write_that_fails_keeps_a_data_folder_that_was_there(kehu: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    assert kehu("--db", str(folder / "kehu.db"), "undo").code == 6
    assert folder.is_dir() and list(folder.iterdir()) == []


# contacts in the same second are in the order they were logged


def test_a_no_answer_logged_in_the_same_second_as_a_reached_contact_is_a_try_after_it(
    kehu: Any,
) -> None:
    kehu.ok("add", "王芳", "--phone", "13700001111")
    kehu.ok("promise", "王芳", "send the quote", "--due", "2026-11-22 18:00")
    kehu.ok("log", "王芳", "--note", "reached her")
    out = kehu.ok("log", "王芳", "--no-answer")  # the clock is frozen: the same second
    assert "no answer (1st try)" in out and "earlier" not in out
    assert kehu.json("show", "王芳")["no_answer_attempts"] == 1
    assert "王芳  13700001111 (2nd try)" in kehu.ok("today")
    # a correction recomputes the tries the same way
    tried = kehu.rows("SELECT id FROM contact WHERE outcome = 'no-answer'")[0]["id"]
    kehu.ok("contact-edit", str(tried), "--note", "rang twice")
    assert kehu.json("show", "王芳")["no_answer_attempts"] == 1
    out = kehu.ok("log", "王芳", "--no-answer")
    assert "no answer (2nd try)" in out
    # and a reached contact in that second again comes after both tries
    kehu.ok("log", "王芳", "--note", "got through")
    assert kehu.json("show", "王芳")["no_answer_attempts"] == 0
    assert "(3rd try)" not in kehu.ok("today")
    kehu.ok("contact-edit", str(tried), "--note", "rang three times")
    assert kehu.json("show", "王芳")["no_answer_attempts"] == 0


# today --kind: a list of its own


def test_today_kind_numbers_its_items_from_one_in_text_and_json(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13700001111")
    kehu.ok("promise", "王芳", "send the quote", "--due", "2026-11-21", "--force")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
            "--delivered", "2026-11-21")  # fmt: skip
    kehu.ok("add", "李强", "--phone", "13900001111", "--product", "Tiguan",
            "--delivered", "2026-10-22")  # fmt: skip
    whole = kehu.json("today")["items"]
    assert [(i["key"], i["rank"]) for i in whole] == [("P1", 1), ("T1", 2), ("C2.1m", 3)]
    out = kehu.ok("today", "--kind", "call-back")
    assert "  1. C2.1m    李强" in out and "3." not in out
    assert [(i["key"], i["rank"]) for i in kehu.json("today", "--kind", "购买回访")["items"]] == [
        ("C2.1m", 1)
    ]
    zh = in_chinese("today", "--kind", "购买回访")
    assert zh.returncode == 0 and "  1. C2.1m    李强" in zh.stdout, zh
    thanks = kehu.ok("today", "--kind", "thank-you", "--limit", "1")
    assert "  1. T1       张伟" in thanks
    assert kehu.ok("done", "C2.1m").startswith("Done C2.1m")  # the key is what done takes


# a colleague's grouped greeting points to their customers


def test_a_grouped_greeting_on_a_colleagues_or_the_teams_list_names_the_owner(
    kehu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEHU_NOW", "2026-09-22T10:00")  # 中秋 (25 Sep) in 3 days
    for name, phone in (("张伟", "13800000001"), ("李娜", "13800000002"), ("王芳", "13800000003")):
        kehu.ok("add", name, "--phone", phone, "--product", "Golf", "--delivered", "2026-01-05")
    kehu.ok("assign", "李娜", "li lei")
    kehu.ok("assign", "王芳", "lei")
    plain = "`kehu greet mid-autumn` lists them"
    assert plain in kehu.ok("today") and plain in kehu.ok("today", "--owner", "mei")
    monkeypatch.setenv("KEHU_USER", "boss")
    leis = kehu.ok("today", "--owner", "lei")
    assert "greet 1 customer — `kehu greet mid-autumn --owner lei` lists them" in leis
    team = kehu.ok("today", "--all")
    for owner in ("mei", "'li lei'", "lei"):
        assert f"`kehu greet mid-autumn --owner {owner}` lists them" in team
    assert plain not in team
    items = kehu.json("today", "--all")["items"]
    grouped = {i["owner"]: i["reason"] for i in items if i["kind"] == "holiday-group"}
    assert grouped["li lei"].endswith("`kehu greet mid-autumn --owner 'li lei'` lists them")
    listed = kehu.ok("greet", "mid-autumn", "--owner", "li lei")  # the command as it says
    assert "李娜" in listed and "王芳" not in listed
    zh = in_chinese("today", "--owner", "lei")
    assert "`kehu greet mid-autumn --owner lei` 列出他们" in zh.stdout, zh


# a snooze of an item since closed no longer shows as running


def test_the_card_drops_the_snooze_of_an_item_once_it_is_done(kehu: Any) -> None:
    kehu.ok("add", "李强", "--phone", "13900001111", "--product", "Tiguan",
            "--delivered", "2026-10-22")  # fmt: skip
    kehu.ok("promise", "李强", "send the quote", "--due", "2026-11-22 18:00")
    kehu.ok("add", "王芳", "--phone", "13700001111", "--product", "Polo",
            "--delivered", "2026-10-22")  # fmt: skip
    kehu.ok("snooze", "C1.1m", "--until", "2026-11-25", "--reason", "travelling")
    kehu.ok("snooze", "P1", "--until", "2026-11-24", "--reason", "waiting for prices")
    kehu.ok("snooze", "C2.1m", "--until", "2026-11-25", "--reason", "in hospital")
    snoozes = kehu.json("show", "李强")["snoozes"]
    assert [z["key"] for z in snoozes] == ["P1", "C1.1m"]
    kehu.ok("done", "C1.1m", "--note", "all fine")
    assert [z["key"] for z in kehu.json("show", "李强")["snoozes"]] == ["P1"]
    card = kehu.ok("show", "李强")
    assert "P1 snoozed until Tue 24 Nov: waiting for prices" in card
    assert "C1.1m snoozed" not in card and "travelling" not in card
    kehu.ok("kept", "P1")
    assert kehu.json("show", "李强")["snoozes"] == []
    assert "Snoozed" not in kehu.ok("show", "李强")
    zh = in_chinese("show", "李强")
    assert zh.returncode == 0 and "推迟" not in zh.stdout, zh
    # closed by a contact logged without `done`, as the daily list reads it
    assert [z["key"] for z in kehu.json("show", "王芳")["snoozes"]] == ["C2.1m"]
    kehu.ok("log", "王芳", "--note", "out of hospital, car fine")
    assert kehu.json("show", "王芳")["snoozes"] == []
    assert kehu.count("snooze") == 0  # each ended with its item (tests/test_snooze_closed.py)
