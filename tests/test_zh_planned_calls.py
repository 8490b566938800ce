"""The Chinese interface's words for daily use: a planned call (an `F` item) is 计划回访 wherever it
shows and wherever a kind of item is typed; what `kehu undo` reverted reads as Chinese."""

import subprocess

from conftest import in_chinese


def zh(*args: str, now: str = "2026-11-22T10:00") -> subprocess.CompletedProcess[str]:
    return in_chinese(*args, now=now)


def test_a_planned_call_is_named_the_same_on_the_list_the_card_the_cron_mail_and_in_kind(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111")
    kehu.ok("log", "王丽", "--note", "还在考虑", "--next", "+2d", "--next-note", "再问一次")
    later = "2026-11-25T09:00"  # the day after the call was due: late
    listed = zh("today", now=later)
    assert listed.returncode == 0, listed.stderr
    assert "计划回访：再问一次" in listed.stdout
    card = zh("show", "王丽").stdout
    assert "\n计划回访\n  F1  11月24日 周二  再问一次\n" in card
    mail = zh("overdue", now=later).stdout
    assert "\n计划回访（1）\n" in mail
    summary = zh("today", "--summary", now=later).stdout
    assert "计划回访 1" in summary
    only = zh("today", "--kind", "计划回访", now=later)
    assert only.returncode == 0, only.stderr
    assert "F1" in only.stdout
    assert kehu.json("today", "--kind", "follow-up", now=later)["items"][0]["key"] == "F1"
    for shown in (listed.stdout, card, mail, summary):
        assert "按计划回电" not in shown and "约好的电话" not in shown
    help_text = zh("followup-edit", "--help").stdout
    assert "计划回访" in help_text and "计划中的电话" not in help_text


def test_what_undo_reverted_reads_as_chinese(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111")
    kehu.ok("edit", "王丽", "--company", "平安", "--set", "爱好=钓鱼")
    undone = zh("undo")
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout == (
        "已撤销今天 10:00的 `edit`：客户 #1 恢复原样；移除客户 #1 的资料项 爱好。\n"
    )
