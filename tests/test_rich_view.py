"""The rich view on a terminal, in Chinese: every row of a table puts its column borders at the
same display column, whatever mix of CJK and Latin text the cells hold; the daily list's lines fit
the terminal's width. kehu runs in a real pseudo-terminal, 80 columns wide, as a salesperson
would see it."""

import os
import re
import sys
from typing import Any

import pytest
from conftest import on_a_terminal

from kehu.ui.tables import width

BORDERS = "│┃╇┼"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def on_terminal(*args: str) -> str:
    """kehu's output as a terminal shows it (colour codes removed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(KEHU_LANG="zh", COLUMNS="80", LINES="50", TERM="xterm-256color")
    return on_a_terminal(args, env)


def border_columns(line: str) -> list[int]:
    """The display columns at which a table line has its column borders."""
    return [width(line[:i]) for i, ch in enumerate(line) if ch in BORDERS]


def tables(output: str) -> list[list[str]]:
    """The lines of each table in the output (tables are separated by other lines)."""
    found: list[list[str]] = [[]]
    for line in output.splitlines():
        if any(ch in line for ch in BORDERS):
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [lines for lines in found if lines]


@pytest.fixture
def mixed_book(kehu: Any) -> None:
    """Names, companies and notes of every width: CJK, Latin, both, long and short."""
    kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "张记茶行", "--tier", "A",
            "--product", "宝马X5", "--amount", "158000",
            "--delivered", "2026-11-20 16:00")  # fmt: skip
    kehu.ok("add", "欧阳娜娜", "--phone", "13900139000", "--company", "大众汽车销售服务有限公司",
            "--product", "Golf 1.4T", "--delivered", "2026-11-21 09:00",
            "--set", "爱好=钓鱼和羽毛球")  # fmt: skip
    kehu.ok("add", "Michael Chen", "--phone", "+86 135 4444 5555", "--company", "Chen Trading")
    kehu.ok("add", "李w", "--phone", "13700137000")
    kehu.ok(
        "promise",
        "Michael Chen",
        "寄一份冬季轮胎的报价单 and the brochure",
        "--due",
        "昨天",
        "--force",
    )
    kehu.ok("log", "李w", "--via", "call", "--no-answer", "--next", "today",
            "--next-note", "问问他对试驾的感受，顺便约下周到店")  # fmt: skip


@pytest.mark.parametrize("command", [["list"], ["promises"], ["config"]])
def test_every_row_has_its_borders_at_the_same_columns(mixed_book: None, command: list[str]):
    output = on_terminal(*command)
    assert tables(output), output
    for lines in tables(output):
        assert len(lines) >= 3, output
        first = border_columns(lines[0])
        for line in lines:
            assert border_columns(line) == first, f"misaligned:\n{output}"
            assert width(line) <= 80, f"wider than the terminal:\n{output}"


def test_a_setting_has_a_value_not_an_amount(kehu: Any):
    header = tables(on_terminal("config"))[0][0]
    assert "值" in header and "金额" not in header, header


def test_the_daily_list_fits_the_terminal_and_speaks_chinese(mixed_book: None):
    output = on_terminal("today")
    for line in output.splitlines():
        assert width(line) <= 80, f"wider than the terminal:\n{output}"
    for heading in ("已逾期", "今天到期"):
        assert heading in output.splitlines(), output
    assert not re.search(r"\b(LATE|DUE TODAY|SUGGESTED|key|customer|why|talk about)\b", output)
    for name in ("张伟", "欧阳娜娜", "Michael Chen", "李w"):
        assert name in output, output
