"""A terminal narrower than the screen wants (a split pane, a phone's SSH app): phone numbers,
amounts and the words a salesperson types stay whole while the columns of free text give way;
the daily list keeps the phone and cuts the name. kehu runs in a real pseudo-terminal."""

import os
import sys
from typing import Any

import pytest
from conftest import on_a_terminal

from kehu.ui.tables import width

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def on_terminal(columns: int, *args: str, lang: str = "en") -> str:
    """kehu's output on a terminal COLUMNS wide (colour codes removed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(KEHU_LANG=lang, COLUMNS=str(columns), LINES="50", TERM="xterm-256color")
    return on_a_terminal(args, env)


@pytest.fixture
def book(kehu: Any) -> None:
    kehu.ok("add", "Alexandra Konstantinopoulou-Richardson", "--phone", "+44 20 7946 0958",
            "--company", "北京市朝阳区国际贸易中心有限责任公司", "--product", "Touareg R-Line",
            "--amount", "588000", "--delivered", "2026-11-20 10:00")  # fmt: skip
    kehu.ok("add", "欧阳娜娜", "--phone", "13912345678", "--company", "Chen Trading",
            "--product", "途观L 330TSI 两驱智享版", "--amount", "219900",
            "--delivered", "2026-11-21 10:00")  # fmt: skip
    kehu.ok("add", "吴敏", "--phone", "13611112222", "--product", "Lavida", "--amount", "98000")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [60, 80])
def test_phone_numbers_and_amounts_stay_whole_in_a_narrow_table(book: None, lang, columns):
    listed = on_terminal(columns, "list", lang=lang)
    for phone in ("+44 20 7946 0958", "13912345678", "13611112222"):
        assert phone in listed, listed
    tiers = on_terminal(columns, "report", "tiers", lang=lang)
    for amount in ("588,000.00", "219,900.00") if lang == "en" else ("¥58.8万", "¥22万"):
        assert amount in tiers, tiers
    for output in (listed, tiers):
        assert all(width(line) <= columns for line in output.splitlines()), output


def test_setting_names_are_not_broken_at_80_columns(kehu: Any):
    shown = on_terminal(80, "config")
    for name in ("rules.thank_you_late_hours", "rules.callback_last_window_days",
                 "reports.influence_referrals"):  # fmt: skip
        assert name in shown, shown


def test_a_column_with_nothing_in_it_is_left_out(kehu: Any):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    shown = on_terminal(80, "undo", "--list")
    header = next(line for line in shown.splitlines() if "┃" in line)
    assert header.split("┃")[-1].strip() == "what", shown
    assert header.count("┃") == 2, shown


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [40, 60])
def test_the_daily_list_keeps_the_phone_and_cuts_the_name(book: None, lang, columns):
    shown = on_terminal(columns, "today", lang=lang)
    line = next(line for line in shown.splitlines() if "Alexa" in line)
    assert line.endswith("+44 20 7946 0958"), shown
    assert "…" in line and width(line) <= columns, shown
    for line in shown.splitlines():
        assert width(line) <= columns, shown
        assert " …" not in line, f"a space before the ellipsis:\n{shown}"
