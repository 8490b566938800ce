"""A car salesperson's first weeks in Chinese: the README's examples as they print, and the
screens of a day's work (log, done, snooze, a prospect's follow-up, the reports) in Chinese."""

import re
import shlex
from pathlib import Path
from typing import Any

from conftest import in_chinese

ROOT = Path(__file__).resolve().parent.parent


def _load_demo_book(kehu: Any) -> None:
    """examples/book.kehu replayed as examples/load.sh does: each command at its own time."""
    for line in (ROOT / "examples" / "book.kehu").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        when, command = line.split("  ", 1)
        kehu.ok(*shlex.split(command), now=when)


def _block_after(readme: str, prompt: str) -> list[str]:
    """The lines the README shows a command printing: the block's lines after `prompt`, up to
    its `…` or the next prompt."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    start = text.index(prompt + "\n") + len(prompt) + 1
    lines: list[str] = []
    for line in text[start:].splitlines():
        if line == "…" and not lines:  # the list's start left out: the block shows what follows
            continue
        if line.startswith(("…", "$", "```")):
            break
        lines.append(line)
    return lines


def test_the_readmes_day_shows_what_kehu_prints_on_the_example_book(kehu: Any) -> None:
    _load_demo_book(kehu)
    monday = "2026-11-23T09:00"
    english = kehu.ok("today", now=monday).splitlines()
    chinese = in_chinese("today", now=monday).stdout.splitlines()
    shown = _block_after("README.md", "$ kehu today")
    assert shown == english[: len(shown)]
    shown = _block_after("README.zh.md", "$ KEHU_LANG=zh kehu today")
    assert shown == chinese[: len(shown)]
    for setting, value in (("signature.name", "王磊"), ("signature.company", "平安汽车"),
                           ("signature.phone", "138 0013 8000")):  # fmt: skip
        kehu.ok("config", setting, value, now=monday)
    kehu.ok("edit", "刘洋", "--salutation", "刘总", now=monday)
    drafts = in_chinese("today", "--drafts", now=monday).stdout
    shown = _block_after("README.zh.md", "$ KEHU_LANG=zh kehu today --drafts")
    assert len(shown) > 1 and "\n".join(shown) in drafts
    shown = _block_after("README.md", "$ kehu today --drafts")
    assert len(shown) > 1 and "\n".join(shown) in kehu.ok("today", "--drafts", now=monday)
    # The README's try that did not get through is kept: the list says 4th try next time (the
    # call that reaches him comes after it, not before, or there would be no 4th).
    tried = in_chinese("log", "李强", "--via", "电话", "--no-answer", now="2026-11-23T09:30")
    assert tried.stdout == "已记录：电话联系李强（#3），未接通（第3次尝试）。\n"
    assert "李强  13922223333（第4次尝试）" in in_chinese("today", now="2026-11-23T09:31").stdout
    readme = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    said = "kehu log 李强 --via 电话 --no-answer" + " " * 10 + "# 没接通也记下来，"
    said += "清单上下次显示为“第4次尝试”"
    assert said in readme


def test_a_call_that_did_not_get_through_given_as_a_channel_says_to_use_no_answer(kehu):
    kehu.ok("add", "王建国", "--phone", "13722223333")
    before = kehu.snapshot()
    for option, word in (("--via", "没接通"), ("--kind", "未接通")):
        refused = in_chinese("log", "王建国", option, word)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
        assert "不是联系" in refused.stderr and "--no-answer" in refused.stderr, refused.stderr
    other = in_chinese("log", "王建国", "--via", "视频")
    assert other.returncode == 2
    assert "可接受：call、visit、" in other.stderr and "、微信、" in other.stderr
    english = kehu("log", "王建国", "--via", "no answer")
    assert english.code == 2 and "--no-answer" in english.err
    assert kehu.snapshot() == before


def test_a_days_work_reads_as_chinese(kehu: Any) -> None:
    added = in_chinese(
        "add",
        "王建国",
        "--phone",
        "13722223333",
        "--title",
        "经理",
        "--product",
        "帕萨特 2.0T",
        "--delivered",
        "12月15日",
        now="2026-12-21T09:00",
    ).stdout
    assert added.startswith("已添加王建国（#1），B 类客户。\n"), added
    tried = in_chinese("log", "王建国", "--via", "电话", "--no-answer", now="2026-12-21T11:00")
    assert tried.stdout == "已记录：电话联系王建国（#1），未接通（第1次尝试）。\n"
    logged = in_chinese("log", "王建国", "--via", "电话", "--kind", "感谢", "--note", "很满意",
                        now="2026-12-21T16:00").stdout  # fmt: skip
    assert logged == "已记录与王建国（#1）的电话联系（感谢）。\n"
    done = in_chinese("done", "C1.7d", "--via", "微信", now="2026-12-22T10:00").stdout
    assert done == "已完成 C1.7d：已记录与王建国（#1）的微信联系。\n"
    card = in_chinese("show", "王建国", now="2026-12-22T10:00").stdout
    assert "下次回访：交付后 1 个月那次，2027年1月15日 周五（购买 #1）" in card
    assert "12月15日 周二交付" in card  # a moment meets the words after it unspaced


def test_a_snooze_is_推迟_everywhere_as_the_readme_and_undo_name_it(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-12-21T09:00")
    kehu.ok("promise", "张伟", "发报价", "--due", "周五", now="2026-12-21T09:00")
    said = in_chinese("snooze", "P1", "--until", "下周一", "--reason", "等厂家报价",
                      now="2026-12-25T10:00").stdout  # fmt: skip
    assert said == "已推迟 P1（张伟）到12月28日 周一。\n"
    card = in_chinese("show", "张伟", now="2026-12-25T10:00").stdout
    assert "\n推迟\n  P1 推迟到12月28日 周一：等厂家报价\n" in card
    back = in_chinese("today", now="2026-12-28T09:00").stdout
    assert "话题：推迟到今天：等厂家报价" in back
    undone = in_chinese("undo", "--list", now="2026-12-28T09:00").stdout
    everything = said + card + back + undone
    assert "暂缓" not in everything and "推迟 P1" in undone


def test_a_prospects_item_names_the_level_as_a_级(kehu: Any) -> None:
    kehu.ok("add", "赵敏", "--phone", "13533334444", "--prospect", "--level", "B",
            now="2026-12-21T09:00")  # fmt: skip
    due = in_chinese("today", now="2026-12-28T09:00").stdout
    assert "B 级意向客户：每 7 天跟进一次（自12月21日起）" in due
    kehu.ok("edit", "赵敏", "--expected", "2026-12-24", now="2026-12-21T09:00")
    regrade = in_chinese("today", now="2026-12-25T09:00").stdout
    assert "B 级意向客户：预计12月24日前购买 —— 联系并重新定级" in regrade
    assert "意向客户 B" not in due + regrade


def test_the_reports_write_their_days_as_chinese_does(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-12-21T09:00")
    day = in_chinese("report", "day", now="2026-12-21T18:00").stdout
    assert day.startswith("销售活动日报表 2026年12月21日 周一\n"), day
    week = in_chinese("report", "week", now="2026-12-29T10:00").stdout
    assert week.startswith("销售活动 2026年12月28日至2027年1月3日\n"), week
    health = in_chinese("report", "health", now="2026-12-29T10:00").stdout
    assert health.startswith("客户关系健康度（2026年12月29日 周二）\n"), health
    assert kehu.ok("report", "day", now="2026-12-21T18:00").startswith(
        "Daily sales activity report Mon 21 Dec 2026\n"
    )


def test_the_readmes_grouped_greeting_is_the_line_kehu_prints(kehu: Any) -> None:
    """The `G` item quoted in both READMEs (its count aside, as the example book is smaller)."""
    _load_demo_book(kehu)
    lead_day = "2026-09-22T09:00"  # 3 days before 中秋, Fri 25 Sep 2026
    english = kehu.ok("today", now=lead_day)
    chinese = in_chinese("today", now=lead_day).stdout
    for readme, printed, count in (("README.md", english, r"greet (\d+) customers"),
                                   ("README.zh.md", chinese, r"问候 (\d+) 位客户")):  # fmt: skip
        line = next(one.strip() for one in printed.splitlines() if "kehu greet" in one)
        quoted = re.sub(count, lambda m: m.group(0).replace(m.group(1), "47"), line)
        text = " ".join((ROOT / readme).read_text(encoding="utf-8").split())
        cjk = "[\u3000-\u9fff\uff00-\uffef]"
        text = re.sub(f"(?<={cjk}) (?={cjk})", "", text)  # a Chinese line folded
        assert quoted in text, (readme, quoted)
