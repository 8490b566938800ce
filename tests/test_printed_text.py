"""Text from the book never reaches the terminal raw: a control character in a name, product
or promise is shown as an escape (\\x1b) in confirmations, lists, the card, the daily list and
the "several customers match" list on stderr."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kehu.ui.text import one_line, visible

EVIL = "\x1b]0;owned\x07Wang\x1b[2J\u202e"


def _raw_controls(text: str) -> list[str]:
    return [ch for ch in text if ch not in "\n\t" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)]


def test_visible_shows_each_control_character() -> None:
    assert visible("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert visible("line\nnext\tcell") == "line\nnext\tcell"
    assert visible("\rkehu: forged") == "\\x0dkehu: forged"
    assert visible("\u202eevil") == "\\u202eevil"
    assert one_line("two\nlines\x1b") == "two lines\\x1b"
    assert visible("张伟 👨\u200d👩") == "张伟 👨\u200d👩"  # joiners of emoji stay


@given(st.text())
def test_nothing_raw_is_left(text: str) -> None:
    assert _raw_controls(visible(text)) == []
    assert "\n" not in one_line(text) and _raw_controls(one_line(text)) == []


def test_every_printer_shows_controls(kehu: Any) -> None:
    added = kehu.ok("add", EVIL, "--phone", "13800138000")
    assert "\\x1b]0;owned\\x07Wang" in added and _raw_controls(added) == []
    kehu.ok("add", "Wang\x1bB")
    promised = kehu.ok("promise", "1", "send the\x1b[31m quote", "--due", "2026-11-20", "--force")
    assert _raw_controls(promised) == []
    for command in (["list"], ["show", "1"], ["today"], ["overdue"], ["promises"]):
        out = kehu.ok(*command)
        assert "\\x1b" in out, command
        assert _raw_controls(out) == [], command
    ambiguous = kehu("log", "Wang")
    assert ambiguous.code == 4
    assert "\\x1b]0;owned" in ambiguous.err and _raw_controls(ambiguous.err) == []
