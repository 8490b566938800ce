"""Output for pipes and scripts: plain text (no colour, nothing cut short), aligned CJK tables,
and stable, sorted JSON."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.ui.tables import width

LONG_NAME = "欧阳" + "娜" * 30 + " Alexandra Featherstonehaugh-Worthington"
LONG_NOTE = "客户说下个月再联系，" * 12 + "END-OF-NOTE"
LONG_PROMISE = "送一套冬季保养券并且上门检查轮胎，" * 6 + "END-OF-PROMISE"


@pytest.fixture
def terminal_like(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment that would tempt a renderer into colour and wrapping."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")


def test_no_colour_and_nothing_cut_short_when_piped(kehu: Any, terminal_like: None) -> None:
    kehu.ok("add", LONG_NAME, "--phone", "13800138000", "--company", "大众汽车销售服务有限公司",
            "--note", LONG_NOTE, "--product", LONG_PROMISE)  # fmt: skip
    kehu.ok("log", "13800138000", "--via", "call", "--note", LONG_NOTE)
    kehu.ok("promise", "13800138000", LONG_PROMISE, "--due", "明天")
    outputs = {
        "list": kehu.ok("list"),
        "show": kehu.ok("show", "13800138000"),
        "promises": kehu.ok("promises"),
        "promises --all": kehu.ok("promises", "--all"),
    }
    for command, out in outputs.items():
        assert "\x1b[" not in out, command
        assert "…" not in out, command
        assert LONG_NAME in out, command
    assert len(outputs["list"].splitlines()) == 2
    assert LONG_NOTE in outputs["show"]
    assert outputs["show"].count(LONG_NOTE) == 2  # the customer's note and the contact's
    assert LONG_PROMISE in outputs["show"] and LONG_PROMISE in outputs["promises"]
    assert len(outputs["promises"].splitlines()) == 2


def test_control_characters_in_stored_text_stay_on_one_line(kehu: Any) -> None:
    kehu.ok("add", "李娜", "--note", "第一行\n第二行\x1b[31m红")
    kehu.ok("promise", "李娜", "回电\n话", "--due", "明天")
    show = kehu.ok("show", "李娜")
    assert "  notes:       第一行 第二行\\x1b[31m红\n" in show
    assert "  P1  due tomorrow  回电 话\n" in show
    assert "\x1b" not in show
    assert kehu.ok("promises").splitlines()[1].endswith("回电 话  tomorrow  open")
    assert kehu.json("show", "李娜")["notes"] == "第一行\n第二行\x1b[31m红"


def column_starts(lines: list[str], cells: list[str]) -> list[int]:
    """The display column where `cell` starts on each line."""
    starts = []
    for line, cell in zip(lines, cells, strict=True):
        at = line.index(cell)
        starts.append(width(line[:at]))
    return starts


def test_chinese_names_are_aligned_in_list(kehu: Any) -> None:
    people = [
        ("张伟", "13800138001"),
        ("欧阳娜娜", "13800138002"),
        ("Bob Li", "13800138003"),
        ("Zoë Ng", "13800138004"),
        ("李娜ＡＢ", "13800138005"),  # full-width Latin letters take two columns
        ("W", "13800138006"),
    ]
    for name, phone in people:
        kehu.ok("add", name, "--phone", phone, "--company", f"{name}的公司")
    lines = kehu.ok("list").splitlines()
    assert len(lines) == 1 + len(people)
    phones = column_starts(lines, ["phone"] + [p for _, p in people])
    assert len(set(phones)) == 1, lines
    companies = column_starts(lines, ["company"] + [f"{n}的公司" for n, _ in people])
    assert len(set(companies)) == 1, lines
    names = column_starts(lines, ["name"] + [n for n, _ in people])
    assert len(set(names)) == 1, lines


def test_chinese_names_are_aligned_in_promises(kehu: Any) -> None:
    for name, phone in [("张伟", "13800138001"), ("欧阳娜娜", "13800138002"), ("Bo", "1380")]:
        kehu.ok("add", name, "--phone", phone)
        kehu.ok("promise", name, f"给{name}回电", "--due", "明天")
    lines = kehu.ok("promises").splitlines()
    assert len(set(column_starts(lines, ["phone", "13800138001", "13800138002", "1380"]))) == 1
    assert len(set(column_starts(lines, ["promise", "给张伟", "给欧阳", "给Bo"]))) == 1
    assert len(set(column_starts(lines, ["due"] + ["tomorrow"] * 3))) == 1


def assert_sorted_json(out: str) -> Any:
    """Keys sorted at every level, non-ASCII text as is, and nothing but the JSON."""
    data = json.loads(out)
    assert out == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return data


def test_json_is_sorted_and_stable(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--set", "爱好=钓鱼", "--set", "job=x",
            "--product", "Golf", "--amount", "1k")  # fmt: skip
    kehu.ok("add", "李娜", "--referred-by", "王芳")
    kehu.ok("log", "王芳", "--via", "call", "--next", "明天")
    kehu.ok("promise", "王芳", "送保养券", "--due", "明天")
    kehu.ok("promise", "李娜", "回电话", "--due", "后天")
    kehu.ok("kept", "P2")
    outputs = [
        kehu.ok("list", "--json"),
        kehu.ok("show", "王芳", "--json"),
        kehu.ok("promises", "--json"),
        kehu.ok("promises", "--all", "--json"),
    ]
    for out in outputs:
        assert "王芳" in out and "\\u" not in out
        assert_sorted_json(out)
    assert outputs == [
        kehu.ok("list", "--json"),
        kehu.ok("show", "1", "--json"),
        kehu.ok("promises", "--json"),
        kehu.ok("promises", "--all", "--json"),
    ]
    listed, card, open_, every = (json.loads(o) for o in outputs)
    assert [c["id"] for c in listed] == [1, 2]
    assert card["id"] == 1 and [p["id"] for p in card["purchases"]] == [1]
    assert [p["id"] for p in card["promises"]] == [1]
    assert [k["id"] for k in card["contacts"]] == [1]
    assert card["referrals"] == [{"id": 2, "name": "李娜"}]
    assert [(p["id"], p["customer_id"]) for p in open_] == [(1, 1)]
    assert [(p["id"], p["customer_id"]) for p in every] == [(1, 1), (2, 2)]


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=5),
            st.one_of(st.none(), st.integers(), st.text(max_size=8), st.lists(st.integers())),
            max_size=4,
        ),
        max_size=4,
    )
)
def test_a_json_list_streamed_row_by_row_is_the_same_text_as_written_whole(rows):
    import contextlib
    import io
    import json

    from kehu.cli.app import echo_json_rows

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        echo_json_rows(iter(rows))
    whole = json.dumps(rows, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n"
    assert out.getvalue() == whole
