"""Daily use in Chinese by people who sell insurance and phones, not cars."""

import os
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def zh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args], env={**os.environ, "KEHU_LANG": "zh"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_a_sale_is_delivered_not_handed_over_as_a_car_and_reads_as_chinese(kehu):
    added = zh("add", "王丽", "--phone", "13900001111", "--product", "平安福", "--amount", "12000")
    assert "销售：平安福，¥12,000，今天 10:00 交付。请在 明天 10:00 前发感谢信。" in added.stdout
    booked = zh("sale", "王丽", "--product", "少儿医疗险", "--delivered", "+3d")
    assert "销售：少儿医疗险，将于 11月25日 周三 交付。" in booked.stdout
    calendar = zh("calendar", "--days", "3").stdout
    assert "王丽  致谢：少儿医疗险，11月25日 周三 交付" in calendar
    assert "交车" not in added.stdout + booked.stdout + calendar


def test_a_call_back_made_early_leaves_the_calendar_and_card_as_it_leaves_the_list(kehu, tmp_path):
    kehu.ok("add", "孙悦", "--phone", "13900005555", "--product", "万能险", "--delivered", "-2d")
    kehu.ok("log", "孙悦", "--note", "考虑加保", now="2026-11-25T10:00")  # 7d window: from 24 Nov

    def call_backs() -> list[str]:
        events = kehu.json("calendar", "--days", "40", now="2026-11-25T11:00")["events"]
        return [f"{e['date']} {e['params']['count']}{e['params']['unit'][0]}"
                for e in events if e["kind"] == "call-back"]  # fmt: skip

    assert call_backs() == ["2026-12-20 1m"]
    listed = kehu.json("today", now="2026-11-27T09:00")["items"]
    assert [i["key"] for i in listed if i["kind"] == "call-back"] == []
    assert kehu("export", str(tmp_path / "k.ics"), "--days", "40", now="2026-11-25T11:00").code == 0
    ics = (tmp_path / "k.ics").read_text(encoding="utf-8")
    assert "20261127" not in ics and "20261220" in ics
    card = kehu.json("show", "孙悦", now="2026-11-25T11:00")["coming"]["next_call_back"]
    assert card == {"day": "2026-12-20", "milestone": "1m", "purchase_id": 1}


def test_an_item_key_typed_in_full_width_is_read_as_ascii(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111", "--product", "平安福")
    assert "T1" in kehu.ok("snooze", "Ｔ１", "--until", "明天")
    kehu.ok("undo")
    assert "平安福" in kehu("draft", "ｔ１").out
    assert "T1" in kehu.ok("done", "Ｔ１", "--via", "微信")
    assert kehu.json("today")["items"] == []


def zh_error(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args], env={**os.environ, "KEHU_LANG": "zh"},
        capture_output=True, text=True,
    )  # fmt: skip


def test_a_bad_record_id_is_said_in_chinese_and_a_date_is_deleted_by_its_id_as_listed(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111")
    for args, what, letter in [
        (("contact-edit", "abc", "--note", "x"), "联系记录", "#"),
        (("purchase-edit", "abc", "--amount", "1"), "购买记录", "#"),
        (("promise-edit", "abc", "--text", "x"), "承诺", "P"),
        (("followup-edit", "abc", "--note", "x"), "计划回访", "F"),
    ]:
        refused = zh_error(*args)
        assert refused.returncode == 2
        assert refused.stderr == f"kehu: 'abc' 不是{what}编号；可接受：数字（如 12）或 {letter}12\n"
    refused = zh_error("date", "delete", "abc")  # a date also by its key on the daily list
    assert (refused.returncode, refused.stderr) == (
        2, "kehu: 'abc' 不是日期的编号；可接受：数字（如 12 或 #12），"
        "或这个日期在每日清单上的事项编号 B12\n",
    )  # fmt: skip
    kehu.ok("date", "add", "王丽", "birthday", "农历腊月初八")
    assert kehu.ok("date", "list").startswith("#1 ")
    kehu.ok("date", "delete", "＃１")
    assert kehu.json("date", "list") == []


def test_a_delivery_on_a_day_without_a_time_says_its_thank_you_is_due_the_next_day(kehu):
    # the delivery may have been at any hour of that day: 24 hours from its end, not its start
    added = zh("add", "王丽", "--phone", "13900001111", "--product", "平安福",
               "--delivered", "今天")  # fmt: skip
    assert "销售：平安福，今天 交付。请在明天之内发感谢信。" in added.stdout
    assert "感谢信应在明天之内发出" in zh("today").stdout
    item = kehu.json("today")["items"][0]
    assert item["reason"] == (
        "Delivered 平安福 today — the thank-you note is due by the end of tomorrow"
    )
    assert kehu.json("overdue", now="2026-11-23T23:59") == []
    late = kehu.json("overdue", now="2026-11-24T09:00")[0]["reason"]
    assert late == (
        "Delivered 平安福 Sun 22 Nov — the thank-you note was due by the end of yesterday"
    )


def test_done_or_snooze_of_a_call_back_milestone_kehu_does_not_make_changes_nothing(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111", "--product", "平安福", "--delivered", "-40d")
    for args in (("done", "C1.9m"), ("snooze", "C1.2m", "--until", "明天")):
        refused = kehu(*args)
        assert refused.code == 3
        assert "nothing in the book has the key" in refused.err
    assert kehu.json("show", "王丽")["contacts"] == []
    assert kehu.json("show", "王丽")["snoozes"] == []
    assert "C1.1m" in kehu.ok("done", "C1.1m")


def test_the_last_call_back_is_missed_30_days_after_its_day_as_readme_says(kehu):
    kehu.ok("add", "赵强", "--phone", "13900004444", "--product", "Mate 80",
            "--delivered", "2026-05-22")  # fmt: skip
    row = next(line for line in README.read_text(encoding="utf-8").splitlines()
               if line.startswith("| `C5.7d`"))  # fmt: skip
    assert "(the last, 6m, 30 days after its day)" in row

    def keys(now: str) -> list[str]:
        return [i["key"] for i in kehu.json("today", now=now)["items"] if i["kind"] == "call-back"]

    assert keys("2026-12-21T09:00") == ["C1.6m"]  # 22 Nov + 29 days
    assert keys("2026-12-23T09:00") == []


def test_chinese_labels_end_in_the_full_width_colon(kehu):
    """A label in Chinese text ends in ：, not in an ASCII colon: the doctor's lines, the card's
    profile facts, and Click's own usage line and section headings in --help."""
    kehu.ok("add", "王丽", "--phone", "13900001111", "--set", "爱好=钓鱼")
    doctor = zh_error("doctor")
    assert doctor.returncode in (0, 1), doctor
    labels = [line.split()[0] for line in doctor.stdout.splitlines()]
    assert "状态：" in labels and "客户数：" in labels, doctor.stdout
    assert all(label.endswith("：") for label in labels), doctor.stdout
    assert "  爱好：钓鱼" in zh("show", "王丽").stdout.splitlines()
    helped = zh("report", "--help").stdout
    assert helped.startswith("用法：kehu report ") and "\n选项：\n" in helped, helped
    assert "\n命令：\n" in helped and ":\n" not in helped, helped
    english = kehu.ok("report", "--help")
    assert english.startswith("Usage: kehu report ") and "\nOptions:\n" in english


def test_health_help_names_the_states_as_the_report_does(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111", "--product", "平安福")
    report = zh("report", "health").stdout
    helped = zh("report", "health", "--help").stdout
    for state in ("健康", "渐冷", "有流失风险", "已流失"):
        assert state in report and state in helped, (state, helped)
    assert "良好" not in helped


def test_undo_lists_a_changes_parts_with_the_chinese_semicolon(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111", "--product", "平安福")
    assert "新增客户 #1；新增购买记录 #1" in zh("undo", "--list").stdout
    assert zh("undo").stdout == "已撤销 今天 10:00 的 `add`：移除客户 #1；移除购买记录 #1。\n"
    assert "customer #1 added; purchase #1 added" in kehu.ok("undo", "--list")
