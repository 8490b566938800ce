"""CUSTOMER on the command line: an id, a phone number, an exact name or a unique part of one."""

from pathlib import Path
from typing import Any

import pytest
from conftest import ENGINE

from kehu.base.errors import Ambiguous, NotFound

_SEEDED: dict[str, bytes] = {}


@pytest.fixture
def book(kehu: Any) -> Any:
    """Built through the CLI once; later tests on SQLite start from a copy of the file."""
    target = Path(kehu.target)
    if ENGINE == "sqlite" and "book" in _SEEDED:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_SEEDED["book"])
        return kehu
    kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "大众4S店")  # 1
    kehu.ok("add", "张伟", "--phone", "139-0013-9000")  # 2
    kehu.ok("add", "张伟明", "--phone", "13700137000")  # 3
    kehu.ok("add", "Li Na", "--company", "Acme")  # 4
    kehu.ok("add", "100%纯")  # 5
    kehu.ok("add", "王芳", "--phone", "13600136000")  # 6, archived
    kehu.ok("archive", "6")
    kehu.ok("add", "Ann Lee")  # 7
    if ENGINE == "sqlite" and not Path(f"{target}-wal").exists():
        _SEEDED["book"] = target.read_bytes()
    return kehu


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("3", 3),
        ("#3", 3),
        (" 4 ", 4),
        ("３", 3),  # a full-width digit from a Chinese keyboard
        ("13800138000", 1),
        ("+86 138-0013-8000", 1),
        ("(138) 0013 8000", 1),
        ("0086 13900139000", 2),
        ("张伟明", 3),  # an exact name wins over the names it is part of
        ("伟明", 3),
        ("li na", 4),
        ("LI", 4),
        ("lee", 7),
        ("%", 5),  # LIKE wildcards are plain characters
        ("王芳", 6),  # show finds archived customers too
        ("13600136000", 6),
    ],
)
def test_show_finds_the_one_customer_meant(book: Any, typed: str, found: int) -> None:
    assert book.json("show", typed)["id"] == found


def refused(kehu: Any, code: int, *args: str) -> str:
    before = kehu.snapshot()
    result = kehu(*args)
    assert result.code == code, result
    assert result.out == "" and "Traceback" not in result.err, result
    assert result.err.startswith("kehu: ") and result.err.count("kehu: ") == 1, result
    assert kehu.snapshot() == before
    return result.err


@pytest.mark.parametrize(
    ("command", "typed"),
    [
        ("show", "99"),
        ("show", "13811112222"),
        ("show", "n_l"),  # '_' is not a wildcard either
        ("show", "138"),  # part of a phone number is not enough
        ("show", ""),
        ("show", "¹"),  # a digit, but not a decimal one
        ("show", "#²³"),
        ("log", "王芳"),  # archived: not for logging a contact
        ("log", "13600136000"),
        ("log", "6"),
    ],
)
def test_no_match_is_not_found(book: Any, command: str, typed: str) -> None:
    extra = ["--via", "call"] if command == "log" else []
    err = refused(book, NotFound.exit_code, command, typed, *extra)
    assert err.count("\n") == 1
    assert (
        "an id, a phone number, a name" in err
        or "no customer given" in err
        or (typed.isdecimal() and ("no customer #" in err or f"#{typed} is archived" in err))
        or err == "kehu: customer #6 is archived; `kehu unarchive 6` brings them back\n"
    )


@pytest.mark.parametrize("typed", ["王芳", "13600136000", "136 0013 6000", "6"])
def test_an_archived_customer_named_exactly_is_told_the_way_back(book: Any, typed: str) -> None:
    before = book.snapshot()
    err = refused(book, NotFound.exit_code, "log", typed, "--via", "call")
    assert err == "kehu: customer #6 is archived; `kehu unarchive 6` brings them back\n"
    assert book.snapshot() == before
    # a part of the name is no exact match: the plain answer, naming no one
    err = refused(book, NotFound.exit_code, "log", "芳", "--via", "call")
    assert "no active customer matches that" in err


def test_ambiguity_lists_id_name_phone_and_company_of_each_candidate(book: Any) -> None:
    err = refused(book, Ambiguous.exit_code, "sale", "张伟", "--product", "Golf")
    assert err == (
        "kehu: 2 customers match; choose one by its id:\n"
        "  #1  张伟  13800138000  大众4S店\n"
        "  #2  张伟  139-0013-9000\n"
    )
    err = refused(book, Ambiguous.exit_code, "promise", "伟", "回电", "--due", "明天")
    assert err.splitlines()[1:] == [
        "  #1  张伟  13800138000  大众4S店",
        "  #2  张伟  139-0013-9000",
        "  #3  张伟明  13700137000",
    ]
    err = refused(book, Ambiguous.exit_code, "show", "n")
    assert err.splitlines() == [
        "kehu: 2 customers match; choose one by its id:",
        "  #4  Li Na  (no phone)  Acme",
        "  #7  Ann Lee  (no phone)",
    ]


def test_an_archived_namesake_is_marked(book: Any) -> None:
    book.ok("add", "王芳", "--phone", "13500135000")
    err = refused(book, Ambiguous.exit_code, "show", "王芳")
    assert err.splitlines()[1:] == [
        "  #6  王芳  13600136000  (archived)",
        "  #8  王芳  13500135000",
    ]
    assert book.ok("log", "王芳", "--via", "call") == "Logged call with 王芳 (#8) (follow-up).\n"


def test_a_phone_shared_by_two_customers_is_ambiguous(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "李娜")
    kehu.ok("edit", "李娜", "--phone", "138 0013 8000", "--new")
    err = refused(kehu, Ambiguous.exit_code, "show", "13800138000")
    assert err.splitlines()[1:] == ["  #1  张伟  13800138000", "  #2  李娜  138 0013 8000"]
