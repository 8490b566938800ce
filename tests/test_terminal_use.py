"""Everyday use at a terminal: Tab completion of every choice in bash, zsh and fish (through the
environment variables the shells' scripts set, as Click's completion protocol reads them); a
KEHU_LANG kehu does not speak said once on stderr; the daily list's heading and the customer
card folded to a narrow terminal (a CJK character takes two columns); `today --limit`'s heading
counting the whole list; and a delivery given as a day alone, whose thank-you is late at the
end of the next day."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import SERVER_URL, on_a_terminal
from hypothesis import given
from hypothesis import strategies as st

from kehu.rules.after_sale import thank_you_late
from kehu.rules.records import Rules
from kehu.ui.tables import fold, width

local_book = pytest.mark.skipif(SERVER_URL is not None, reason="completion reads the local book")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "_KEHU"))}
    env.update(extra)
    return env


def complete(shell: str, line: str, **extra: str) -> list[str]:
    """What kehu offers on Tab at the end of LINE, as the shell's script asks for it."""
    env = _env(**extra)
    if shell == "bash":
        words = line.split(" ")
        env.update(_KEHU_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env.update(_KEHU_COMPLETE=f"complete_{shell}", _TYPER_COMPLETE_ARGS=line)
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([sys.executable, "-m", "kehu"], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done
    if shell == "zsh":  # _arguments '*: :(("call"\n"visit":"its help"…))'
        return re.findall(r'(?:^|[(\n])"([^"]*)"', done.stdout)
    return [w.split("\t")[0] for w in done.stdout.splitlines() if w]


@local_book
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_tab_offers_the_words_a_choice_takes(kehu, shell):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    channels = ["call", "visit", "wechat", "sms", "email", "letter", "gift", "other"]
    assert complete(shell, "kehu log 张伟 --via ") == channels
    assert complete(shell, "kehu log 张伟 --via w") == ["wechat"]
    assert complete(shell, "kehu log 张伟 --kind ") == [
        "follow-up", "thank-you", "greeting", "complaint", "other"]  # fmt: skip
    assert complete(shell, "kehu log 张伟 --level ") == ["H", "A", "B", "C", "O", "N"]
    assert complete(shell, "kehu done T1 --via s") == ["sms"]
    assert "call-back" in complete(shell, "kehu today --kind ")
    assert complete(shell, "kehu today --kind th") == ["thank-you"]
    assert complete(shell, "kehu add 李娜 --tier a") == ["A"]  # any case
    assert complete(shell, "kehu list --sort ") == ["last-contact", "name", "tier", "added"]
    assert complete(shell, "kehu lost 张伟 --reason p") == ["postponed", "price"]
    assert complete(shell, "kehu draft 张伟 --occasion mid") == ["mid-autumn"]
    assert complete(shell, "kehu date add 张伟 ") == [
        "birthday", "wedding", "child-birthday", "company", "other"]  # fmt: skip
    assert complete(shell, "kehu export --format ") == ["csv", "xlsx", "json", "vcf", "ics"]
    assert complete(shell, "kehu report health --show ") == ["cooling", "at-risk", "lost"]
    keys = complete(shell, "kehu config ")
    assert {"language", "default_channel", "rules.daily_target"} <= set(keys)
    assert complete(shell, "kehu config rules.daily_t") == ["rules.daily_target"]
    assert complete(shell, "kehu config language ") == ["en", "zh"]
    assert complete(shell, "kehu config default_channel w") == ["wechat"]
    assert complete(shell, "kehu config rules.feb29 ") == ["02-28", "03-01"]
    assert complete(shell, "kehu config timezone 香") == ["香港"]
    assert complete(shell, "kehu config timezone Asia/S") == ["Asia/Shanghai", "Asia/Seoul",
                                                             "Asia/Singapore"]  # fmt: skip
    # a Chinese word begun completes to the Chinese words, which every choice takes
    assert complete(shell, "kehu log 张伟 --via 微") == ["微信"]
    assert complete(shell, "kehu greet 中") == ["中秋", "中秋节"]
    # customers and commands still complete as before
    assert complete(shell, "kehu log zw") == ["张伟"]
    assert "today" in complete(shell, "kehu to")


@local_book
def test_a_setting_is_completed_by_its_chinese_name_in_chinese(kehu):
    assert complete("bash", "kehu config 每", KEHU_LANG="zh") == ["每日目标"]
    assert kehu.ok("config", "rules.daily_target", "12")  # what completes is what is taken
    assert complete("bash", "kehu config 每日目标 ", KEHU_LANG="zh") == []  # a number: no list


def _kehu(args: list[str], tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = _env(KEHU_DB=str(tmp_path / "kehu.db"), KEHU_CONFIG=str(tmp_path / "c.toml"), **extra)
    return subprocess.run([sys.executable, "-m", "kehu", *args], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "locale", "language"),
    [("fr", "", "English"), ("fr_FR.UTF-8", "zh_CN.UTF-8", "中文"), ("zh_TW", "", "English"),
     ("klingon", "en_US.UTF-8", "English")],
)  # fmt: skip
def test_a_kehu_lang_kehu_does_not_speak_is_said_once_and_the_locale_decides(
    tmp_path, value, locale, language
):
    done = _kehu(["path"], tmp_path, KEHU_LANG=value, LANG=locale)
    assert done.returncode == 0
    assert done.stdout.strip() == str(tmp_path / "kehu.db")  # the command ran as asked
    [line] = done.stderr.splitlines()
    assert line.startswith(f"kehu: KEHU_LANG={value} ")
    assert f"{language}" in line and "en" in line and "zh" in line
    help_text = _kehu(["--help"], tmp_path, KEHU_LANG=value, LANG=locale).stdout
    assert ("用法" in help_text) == (language == "中文")


@pytest.mark.parametrize("value", ["zh", "en", "zh_CN.UTF-8", "中文", "Chinese", "en_US", "C", ""])
def test_a_kehu_lang_kehu_speaks_says_nothing(tmp_path, value):
    done = _kehu(["path"], tmp_path, KEHU_LANG=value)
    assert done.returncode == 0 and done.stderr == ""


def test_config_language_does_not_say_an_unknown_kehu_lang_wins(tmp_path):
    _kehu(["config", "language", "zh"], tmp_path, KEHU_LANG="en")
    shown = _kehu(["config", "language"], tmp_path, KEHU_LANG="fr")
    assert "wins over the setting" not in shown.stdout and "KEHU_LANG=fr" in shown.stderr
    assert "语言" in shown.stdout  # the setting decided: Chinese


def on_terminal(tmp_path, *args: str, columns: int, language: str = "en") -> str:
    """kehu's output in a pseudo-terminal COLUMNS wide (colour codes removed)."""
    env = _env(KEHU_DB=str(tmp_path / "kehu.db"), KEHU_CONFIG=str(tmp_path / "c.toml"),
               KEHU_LANG=language, COLUMNS=str(columns), LINES="50",
               TERM="xterm-256color")  # fmt: skip
    env.pop("NO_COLOR", None)
    return on_a_terminal(args, env)


@pytest.fixture
def narrow_book(kehu, tmp_path, monkeypatch):
    """A book in tmp_path/kehu.db, with long Chinese details, a long promise and a long note."""
    if SERVER_URL is not None:
        pytest.skip("reads a local book in a child process")
    target = str(tmp_path / "kehu.db")
    monkeypatch.setenv("KEHU_DB", target)
    kehu.target = target
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf 1.4T",
            "--company", "北京平安汽车销售服务有限公司",
            "--address", "北京市朝阳区建国路88号现代城5号楼1201室",
            "--set", "爱好=钓鱼、登山、摄影、自驾游、收藏茶叶和紫砂壶")  # fmt: skip
    kehu.ok("promise", "张伟", "Send the winter tyre quote for the whole family fleet",
            "--due", "2026-11-20", "--force")  # fmt: skip
    kehu.ok("log", "张伟", "--note", "问了保险续保和冬季轮胎的价格，下周再联系他确认")
    kehu.ok("date", "add", "张伟", "birthday", "农历1985年八月十五",
            "--note", "喜欢在生日那天收到手写的贺卡和一小盒茶叶")  # fmt: skip
    for n in range(3):
        kehu.ok("add", f"客户{n}", "--phone", f"1390000000{n}")
    return tmp_path


@pytest.mark.parametrize("language", ["en", "zh"])
def test_at_40_columns_the_heading_and_the_card_fit_the_terminal(narrow_book, language):
    os.environ["KEHU_NOW"] = "2026-11-22T10:00"
    for args in (["today"], ["today", "--limit", "1"], ["show", "张伟"], ["calendar"],
                 ["date", "list"]):  # fmt: skip
        shown = on_terminal(narrow_book, *args, columns=40, language=language)
        wide = [line for line in shown.splitlines() if width(line) > 40]
        assert wide == [], (args, shown)
    card = on_terminal(narrow_book, "show", "张伟", columns=40, language=language)
    # nothing is lost: the address is folded, its second part under the first
    assert "北京市朝阳区" in card and "1201室" in card
    lines = card.splitlines()
    [first] = [i for i, line in enumerate(lines) if "北京市朝阳区" in line]
    assert lines[first + 1].startswith(" " * 15) and lines[first + 1].strip()
    heading = on_terminal(narrow_book, "today", columns=40, language=language).splitlines()
    assert heading[1].startswith("  ") and heading[1].strip()  # its end, on the next line


def test_a_pipe_gets_whole_lines_whatever_the_width(narrow_book):
    env = _env(KEHU_DB=str(narrow_book / "kehu.db"), KEHU_CONFIG=str(narrow_book / "c.toml"),
               KEHU_LANG="en", COLUMNS="40", TERM="xterm")  # fmt: skip
    out = subprocess.run([sys.executable, "-m", "kehu", "show", "张伟"], env=env,
                         capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    assert "  address:     北京市朝阳区建国路88号现代城5号楼1201室\n" in out


@given(st.text(alphabet="ab 张伟，。（）1", max_size=60), st.integers(10, 50))
def test_folding_keeps_every_character_and_each_line_fits(text, room):
    text = text.strip()
    lines = fold(text, room)
    assert all(width(line) <= room for line in lines)
    assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")


def test_the_limited_heading_counts_the_whole_list(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "X5", "--delivered", "2026-11-01")
    kehu.ok("promise", "张伟", "quote", "--due", "2026-11-20", "--force")
    kehu.ok("add", "李娜", "--phone", "13900139000", "--product", "X3", "--delivered", "2026-11-02")
    kehu.ok("add", "王芳", "--phone", "13700137000", "--product", "X1")
    items = kehu.json("today")["items"]
    late = sum(1 for i in items if i["late"])
    customers = len({i["customer_id"] for i in items})
    assert late >= 2 and items[0]["late"] and customers == 3
    limited = kehu.ok("today", "--limit", "1").splitlines()[0]
    assert limited == (
        f"Today, Sun 22 Nov 2026: 1 of {len(items)} items shown, for {customers} customers "
        f"({late} late)"
    )


# ---------------------------------------------------------------- a delivery on a day alone

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York"]


@given(st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2100, 1, 1).date()),
       st.integers(1, 96), st.sampled_from(ZONES))  # fmt: skip
def test_a_day_alone_is_late_hours_after_its_end_on_the_clock_not_before_a_timed_delivery(
    day, hours, zone
):
    tz = ZoneInfo(zone)
    rules = Rules(thank_you_late_hours=hours)
    late = thank_you_late(datetime.combine(day, time(0), tz), rules)
    next_start = datetime.combine(day + timedelta(days=1), time(0), tz)
    # the hours on the local clock from the day's end: 24 is the end of the next day, also
    # when the clocks change in between
    assert late == (next_start + timedelta(hours=hours)).astimezone(UTC)
    # whatever hour of the day the delivery was, its thank-you is not late earlier (its hours
    # pass as they pass: up to the hour the clocks went forward)
    for hour in (1, 12, 23):
        timed = datetime.combine(day, time(hour, 59), tz)
        assert thank_you_late(timed, rules) == timed.astimezone(UTC) + timedelta(hours=hours)
        assert thank_you_late(timed, rules) <= late + timedelta(hours=1)


def test_a_delivery_on_a_day_alone_has_its_thank_you_due_the_next_day(kehu):
    added = kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
                    "--delivered", "2026-11-21", now="2026-11-22T10:00")  # fmt: skip
    assert "Send a thank-you note by the end of today." in added
    [item] = [
        i for i in kehu.json("today", now="2026-11-22T10:00")["items"] if i["kind"] == "thank-you"
    ]
    assert not item["late"]
    assert item["reason_params"]["due_by"] == "2026-11-23T00:00:00+08:00"
    assert "the thank-you note is due by the end of today" in kehu.ok(
        "today", now="2026-11-22T23:59"
    )
    assert kehu.ok("overdue", now="2026-11-22T23:59") == ""
    late = kehu.ok("overdue", now="2026-11-23T00:00")
    assert "the thank-you note was due by the end of yesterday" in late
    # a thank-you on the day after is in time, as the week's report counts it
    kehu.ok(
        "log", "张伟", "--kind", "thank-you", "--at", "2026-11-22 18:00", now="2026-11-23T09:00"
    )
    week = kehu.json("report", "week", "--from", "2026-11-16", "--to", "2026-11-22",
                     now="2026-11-23T09:00")  # fmt: skip
    assert week["thank_you"] == {"deliveries": 1, "in_time": 1}
