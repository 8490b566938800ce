"""Everything a user can get wrong: one line on stderr saying what and what is accepted, a
non-zero exit code, no traceback, and nothing written to the book."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ENGINE, in_chinese

from kehu.base.errors import Ambiguous, BadInput, NotFound

USAGE = BadInput.exit_code  # click's usage errors share the exit code of bad input
_SEEDED: dict[str, bytes] = {}


def refused(kehu: Any, code: int, *args: str, **kwargs: Any) -> str:
    """Run a command that must fail; return its one line of stderr."""
    before = kehu.snapshot()
    result = kehu(*args, **kwargs)
    assert result.code == code, result
    assert result.out == "", result
    assert "Traceback" not in result.err, result
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result
    assert result.err.startswith("kehu: "), result
    assert kehu.snapshot() == before, "a refused command changed the book"
    return result.err.rstrip("\n")


@pytest.fixture
def book(kehu: Any) -> Any:
    """#1 张伟 (with a profile fact), #2 张伟, #3 李娜 with P1 open, P2 kept, P3 cancelled.

    Built through the CLI once; later tests on SQLite start from a copy of that file.
    """
    target = Path(kehu.target)
    if ENGINE == "sqlite" and "book" in _SEEDED:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_SEEDED["book"])
        return kehu
    kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "大众4S店",
            "--product", "Golf", "--set", "爱好=钓鱼")  # fmt: skip
    kehu.ok("add", "张伟", "--phone", "13900139000", "--product", "Polo")
    kehu.ok("add", "李娜", "--phone", "13700137000")
    for text in ("送保养券", "回电话", "寄资料"):
        kehu.ok("promise", "李娜", text, "--due", "明天")
    kehu.ok("kept", "P2")
    kehu.ok("cancel", "P3")
    if ENGINE == "sqlite" and not Path(f"{target}-wal").exists():
        _SEEDED["book"] = target.read_bytes()
    return kehu


CASES = [
    # unknown customer
    (NotFound, ["show", "王小明"], ["no customer matches", "an id, a phone number, a name"]),
    (NotFound, ["log", "王小明", "--via", "call"], ["no active customer matches"]),
    (NotFound, ["sale", "99", "--product", "Golf"], ["no customer #99"]),
    (NotFound, ["promise", "13811112222", "回电", "--due", "明天"], ["no active customer"]),
    (NotFound, ["add", "王五", "--referred-by", "赵六"], ["no active customer matches"]),
    (NotFound, ["edit", "王小明", "--tier", "A"], ["no customer matches"]),
    (NotFound, ["delete", "王小明", "--yes"], ["no customer matches"]),
    # unparseable dates
    (BadInput, ["log", "李娜", "--via", "call", "--at", "someday"], ["'someday'", "accepted:"]),
    (BadInput, ["promise", "李娜", "回电", "--due", "32号"], ["'32号'", "accepted:", "明天"]),
    (BadInput, ["sale", "李娜", "--product", "x", "--delivered", "2026-13-01"], ["accepted:"]),
    (BadInput, ["log", "李娜", "--via", "call", "--next", "next week"], ["accepted:"]),
    (BadInput, ["add", "王五", "--product", "x", "--delivered", "tmrw"], ["'tmrw'", "accepted"]),
    # amounts
    (BadInput, ["sale", "李娜", "--product", "x", "--amount", "-5"], ["negative", "0 or more"]),
    (BadInput, ["add", "王五", "--product", "x", "--amount", "-1万"], ["negative"]),
    (BadInput, ["sale", "李娜", "--product", "x", "--amount", "abc"], ["'abc'", "15.8万"]),
    (BadInput, ["sale", "李娜", "--product", "x", "--amount", "1.2.3"], ["accepted: 158000"]),
    (BadInput, ["add", "王五", "--amount", "100"], ["--product"]),
    (BadInput, ["sale", "李娜", "--product", "x", "--amount", "1e999999999"], ["can't read"]),
    (BadInput, ["sale", "李娜", "--product", "x", "--amount", "2e12"], ["too large"]),
    # empty text
    (BadInput, ["add", ""], ["name is empty"]),
    (BadInput, ["add", "   ", "--product", "Golf"], ["name is empty"]),
    (BadInput, ["edit", "李娜", "--name", " "], ["name cannot be empty"]),
    (BadInput, ["sale", "李娜", "--product", "  "], ["--product is empty"]),
    (BadInput, ["promise", "李娜", " ", "--due", "明天"], ["the promise is empty"]),
    (BadInput, ["add", "张" * 201], ["--name is too long (201 characters); give at most 200"]),
    (BadInput, ["add", "王五", "--phone", "1" * 41], ["--phone is too long", "at most 40"]),
    (BadInput, ["edit", "李娜", "--company", "公" * 201], ["--company is too long"]),
    (BadInput, ["sale", "李娜", "--product", "x" * 401], ["--product is too long"]),
    (BadInput, ["edit", "李娜", "--set", "k" * 101 + "=v"], ["--set key is too long"]),
    # words from a fixed vocabulary
    (BadInput, ["log", "李娜", "--via", "fax"], ["'fax'", "accepted: call, visit, wechat"]),
    (BadInput, ["log", "李娜", "--via", "call", "--kind", "chat"], ["kind 'chat'", "thank-you"]),
    (BadInput, ["add", "王五", "--tier", "D"], ["tier 'D'", "accepted: A, B, C"]),
    (BadInput, ["edit", "李娜", "--tier", "S"], ["tier 'S'", "accepted: A, B, C"]),
    (BadInput, ["list", "--tier", "Z"], ["tier 'Z'", "accepted: A, B, C"]),
    (BadInput, ["add", "王五", "--source", "tv"], ["source 'tv'", "walk-in"]),
    (BadInput, ["edit", "李娜", "--source", "tv"], ["source 'tv'", "referral"]),
    (BadInput, ["add", "王五", "--gender", "x"], ["gender 'x'", "female"]),
    (BadInput, ["add", "王五", "--birthday", "15/03/1985"], ["birthday", "1985-03-15"]),
    # promise ids
    (NotFound, ["kept", "99"], ["no promise 99", "kehu promises"]),
    (NotFound, ["cancel", "P99"], ["no promise 99"]),
    (BadInput, ["cancel", "P2"], ["already kept", "only open promises"]),
    (BadInput, ["cancel", "2"], ["already kept"]),
    (BadInput, ["kept", "p3"], ["already cancelled"]),
    (BadInput, ["kept", "X1"], ["'X1'", "12 or P12"]),
    # profile facts
    (BadInput, ["edit", "李娜", "--set", "hobby"], ["key=value", "'hobby'"]),
    (BadInput, ["add", "王五", "--set", "=fishing"], ["key=value"]),
    (BadInput, ["edit", "13800138000", "--set", "job=司机", "--unset", "nope"], ["'nope'"]),
    # the command line itself
    (USAGE, ["log", "李娜", "--via", "call", "--bogus"], ["--bogus"]),
    (USAGE, ["list", "--colour"], ["--colour"]),
    (USAGE, ["frobnicate"], ["frobnicate"]),
    (USAGE, ["todya"], ["No such command 'todya'. Did you mean 'today'? (`kehu --help`"]),
    (USAGE, ["promise", "李娜", "回电"], ["Missing option", "--due"]),
    (USAGE, ["sale", "李娜"], ["Missing option", "--product"]),
    (USAGE, ["kept"], ["Missing argument"]),
    # refused for what it would do
    (BadInput, ["log", "李娜", "--via", "call", "--at", "tomorrow"], ["in the future"]),
    (BadInput, ["log", "李娜", "--via", "call", "--at", "今天 18:00"], ["in the future"]),
    (BadInput, ["log", "李娜", "--via", "call", "--next-note", "x"], ["--next WHEN"]),
    (BadInput, ["delete", "李娜"], ["--yes", "kehu archive"]),
    (BadInput, ["add", "李娜", "--phone", "137-0013-7000"], ["already in the book as #3"]),
    (BadInput, ["edit", "李娜"], ["nothing to change", "--set key=value"]),
    (BadInput, ["edit", "李娜", "--referred-by", "李娜"], ["their own referrer"]),
    (BadInput, ["promise-edit", "P2", "--text", "x"], ["promise 2 is already kept"]),
    (BadInput, ["promise-edit", "P3", "--due", "后天"], ["promise 3 is already cancelled"]),
    (BadInput, ["calendar", "--days", "99999999999999999"], ["0<=x<=3660"]),
    (BadInput, ["prospects", "--month", "9999-12"], ["out of range", "years 1900 to 2199"]),
    (BadInput, ["prospects", "--month", "1800-01"], ["out of range", "years 1900 to 2199"]),
    (BadInput, ["date", "delete", "99999999999999999999999"], ["is not a date's id", "#12"]),
    (BadInput, ["date", "add", "3", "birthday", "1899-12-31"], ["the year must be 1900 to 2199"]),
    (BadInput, ["date", "add", "3", "wedding", "农历2200年八月十五"], ["1900 to 2199"]),
    (BadInput, ["date", "add", "3", "birthday", "农历1985年闰一月初一"], ["year 1985 has no such"]),
    (BadInput, ["date", "add", "3", "wedding", "农历2023年闰二月三十"], ["year 2023 has no such"]),
    (BadInput, ["date", "delete", "abc"], ["'abc' is not a date's id; accepted: a number like 12"]),
    # a call-back at a milestone the rules do not have (7d, 1m, 3m, 6m)
    (NotFound, ["done", "C1.77m"], ["nothing in the book has the key C1.77m"]),
    (NotFound, ["draft", "C1.5d"], ["nothing in the book has the key C1.5d"]),
    (NotFound, ["snooze", "C1.2m", "--until", "明天"], ["nothing in the book has the key C1.2m"]),
    (BadInput, ["done", "P1", "--sent", " "], ["--sent is empty; give some text"]),
    # an option that takes one value, given twice
    (
        BadInput,
        ["sale", "3", "--product", "Golf", "--amount", "5", "--amount", "8"],
        ["--amount was given twice; give it once"],
    ),
    (
        BadInput,
        ["promise", "李娜", "回电", "--due", "明天", "--due", "后天"],
        ["--due was given twice"],
    ),
    (BadInput, ["--db", "a.db", "--db", "b.db", "today"], ["--db was given twice"]),
    # options that exclude each other
    (BadInput, ["today", "--owner", "root", "--all"], ["--owner and --all exclude each other"]),
    (BadInput, ["overdue", "--owner", "root", "--all"], ["--owner and --all exclude each other"]),
    (BadInput, ["calendar", "--all", "--owner", "root"], ["--owner and --all exclude each other"]),
    (
        BadInput,
        ["contact-edit", "1", "--reached", "--no-answer"],
        ["--reached and --no-answer exclude each other"],
    ),
    (
        BadInput,
        ["report", "month", "--html", "month.html", "--json"],
        ["--html and --json exclude each other"],
    ),
    (
        BadInput,
        ["add", "李娜", "--phone", "13700137000", "--product", "x", "--referred-by", "3"],
        ["their own referrer"],
    ),
    # a blank salesperson is no salesperson
    *[
        (BadInput, [*command, "--owner", blank], ["--owner is blank; give a salesperson's name"])
        for command in (
            ["today"],
            ["overdue"],
            ["calendar"],
            ["prospects"],
            ["report", "day"],
            ["report", "health"],
            ["export", "x.ics"],
        )
        for blank in ("  ", "\u3000")
    ],  # fmt: skip
    (BadInput, ["assign", "1", " "], ["OWNER is blank; give a salesperson's name"]),
    (BadInput, ["assign", "--from", " ", "--to", "li"], ["--from is blank"]),
    (BadInput, ["assign", "--from", "li", "--to", "\t"], ["--to is blank"]),
    # an email address that is none: the line does not repeat it
    (BadInput, ["add", "周芳", "--email", "notanemail"], ["--email is not an email address"]),
    (BadInput, ["add", "周芳", "--email", "zf@@example.com"], ["like name@example.com"]),
    (BadInput, ["edit", "3", "--email", "ln@example"], ["--email is not an email address"]),
    (BadInput, ["edit", "3", "--email", "@example.com"], ["--email is not an email address"]),
    (BadInput, ["edit", "3", "--email", "l n@example.com"], ["--email is not an email address"]),
    # a NUL byte, in a file name as in a text
    *[
        (BadInput, args, ["an argument contains a NUL character", "give it without"])
        for args in (
            ["backup", "a\x00b.db"],
            ["export", "a\x00b.csv"],
            ["import", "a\x00b.csv"],
            ["import", "--contacts", "a\x00b.csv"],
            ["report", "day", "--html", "a\x00b.html"],
            ["add", "王\x00五"],
        )
    ],
    # a line break in a file name is no second line of the answer
    (BadInput, ["export", "no such\nfolder/x.csv"], ["cannot write no such\\x0afolder/x.csv"]),
    (BadInput, ["report", "day", "--html", "no\nsuch/d.html"], ["no folder no\\x0asuch"]),
    (BadInput, ["import", "no\nsuch.csv"], ["cannot read no\\x0asuch.csv (no such file)"]),
    (6, ["--db", "no\nbook.db", "list"], ["no kehu book at no\\x0abook.db"]),
    # a folder is no file to write, with --replace too
    (BadInput, ["export", ".", "--replace"], [". is a folder; give the name of a file"]),
    (BadInput, ["export", "", "--format", "csv"], [". is a folder; give the name of a file"]),
    (BadInput, ["export", "tests", "--replace"], ["tests is a folder"]),
    # a file that is not there, whatever --format says
    (BadInput, ["import", "no-such.csv", "--format", "csv"], ["cannot read no-such.csv (no such"]),
    (BadInput, ["import", "no-such.xlsx", "--format", "xlsx"], ["cannot read no-such.xlsx (no"]),
    (BadInput, ["import", "--contacts", "no-such.xlsx"], ["cannot read no-such.xlsx (no such"]),
    (BadInput, ["import", "no-such.csv", "--format", "ics"], ["unknown --format 'ics'"]),
    (BadInput, ["import", "no-such.csv", "--format", "pdf"], ["accepted: csv, xlsx, vcf, json"]),
]


@pytest.mark.parametrize(
    ("error", "args", "says"), CASES, ids=[" ".join(a[:20] for a in args) for _, args, _ in CASES]
)
def test_refused_with_one_line_and_nothing_written(
    book: Any, error: Any, args: list[str], says: list[str]
) -> None:
    code = error if isinstance(error, int) else error.exit_code
    line = refused(book, code, *args)
    for words in says:
        assert words in line


@pytest.mark.parametrize("command", ["tiers", "profile"])
def test_a_limit_beyond_any_book_lists_everyone(book: Any, command: str) -> None:
    everyone = book.ok("report", command, "--limit", "1000")
    assert book.ok("report", command, "--limit", "9" * 30) == everyone


def test_a_folder_to_export_to_is_refused_in_chinese_too(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    before = kehu.snapshot()
    chinese = in_chinese("export", str(tmp_path), "--replace")
    assert (chinese.returncode, chinese.stdout) == (BadInput.exit_code, "")
    assert chinese.stderr == f"kehu: {tmp_path} 是一个文件夹；请给出要写入的文件名\n"
    assert kehu.snapshot() == before
    assert not [p for p in tmp_path.iterdir() if p.is_file()]  # no half-written file left


def test_refused_on_an_empty_book_too(kehu: Any) -> None:
    refused(kehu, NotFound.exit_code, "log", "张伟", "--via", "call")
    assert kehu.count("customer") == 0


def test_delete_without_yes_keeps_everything(book: Any) -> None:
    refused(book, BadInput.exit_code, "delete", "李娜")
    assert book.rows("SELECT name FROM customer WHERE id = 3") == [{"name": "李娜"}]
    assert book.count("promise") == 3


def test_unset_of_a_missing_key_undoes_the_whole_edit(book: Any) -> None:
    refused(book, BadInput.exit_code, "edit", "13800138000", "--tier", "A", "--set", "job=司机",
            "--unset", "爱好", "--unset", "nope")  # fmt: skip
    assert book.rows("SELECT tier FROM customer WHERE id = 1") == [{"tier": "B"}]
    facts = book.rows("SELECT key, value FROM profile_field WHERE customer_id = 1")
    assert facts == [{"key": "爱好", "value": "钓鱼"}]


def test_ambiguous_customer_lists_the_candidates_and_writes_nothing(book: Any) -> None:
    before = book.snapshot()
    result = book("log", "张伟", "--via", "call")
    assert result.code == Ambiguous.exit_code, result
    assert result.out == ""
    assert result.err == (
        "kehu: 2 customers match; choose one by its id:\n"
        "  #1  张伟  13800138000  大众4S店\n"
        "  #2  张伟  13900139000\n"
    )
    assert book.snapshot() == before


class Boom(RuntimeError):
    pass


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise Boom("disk on fire")


def test_unexpected_error_is_one_line_and_the_add_is_undone(
    book: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kehu.book.customers.add_purchase", _explode)
    line = refused(book, 70, "add", "王五", "--phone", "13600136000", "--product", "Golf")
    assert line == (
        "kehu: unexpected Boom; nothing was written. Run again with --debug for the full error."
    )
    assert "disk on fire" not in line
    assert book.rows("SELECT id FROM customer WHERE name = '王五'") == []


def test_debug_shows_the_real_error(book: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kehu.book.customers.add_purchase", _explode)
    before = book.snapshot()
    with pytest.raises(Boom, match="disk on fire"):
        book("--debug", "sale", "李娜", "--product", "Golf")
    assert book.snapshot() == before


def test_a_missing_option_ends_with_a_chinese_full_stop(kehu: Any) -> None:
    args = ["snooze", "C1.1m"]
    assert refused(kehu, USAGE, *args).startswith("kehu: Missing option '--until'. (`kehu")
    chinese = subprocess.run([sys.executable, "-m", "kehu", *args], capture_output=True,
                             text=True, env={**os.environ, "KEHU_LANG": "zh"})  # fmt: skip
    assert chinese.returncode == USAGE
    assert chinese.stderr == (
        "kehu: 缺少选项 '--until'。（`kehu snooze --help` 列出可以接受的写法）\n"
    )
