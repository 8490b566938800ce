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
    assert "销售：平安福，¥12,000，今天 10:00交付。请在明天 10:00前发感谢信。" in added.stdout
    booked = zh("sale", "王丽", "--product", "少儿医疗险", "--delivered", "+3d")
    assert "销售：少儿医疗险，将于11月25日 周三交付。" in booked.stdout
    calendar = zh("calendar", "--days", "3").stdout
    assert "王丽  致谢：少儿医疗险，11月25日 周三交付" in calendar
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
    assert "销售：平安福，今天交付。请在明天之内发感谢信。" in added.stdout
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
    assert zh("undo").stdout == "已撤销今天 10:00的 `add`：移除客户 #1；移除购买记录 #1。\n"
    assert "customer #1 added; purchase #1 added" in kehu.ok("undo", "--list")


def test_a_number_of_rows_is_spaced_from_the_words_before_it(kehu):
    for n, phone in enumerate(("13900001111", "13900002222", "13900003333", "13900004444")):
        kehu.ok("add", f"王丽{n}", "--phone", phone)
    kehu.ok("assign", "--from", "mei", "--to", "lei")
    listed = zh("undo", "--list").stdout
    assert "修改或删除 4 位客户" in listed and "删除4" not in listed
    assert zh("undo").stdout.endswith("：4 位客户 恢复原样。\n")
    assert "新增客户 #4" in zh("undo", "--list").stdout  # one row: its name, as before
    assert zh("undo").stdout.endswith("：移除客户 #4。\n")


def test_rows_are_counted_with_their_own_measure_words(kehu, tmp_path):
    kehu.ok("add", "王丽", "--phone", "13900001111")
    for text in ("寄资料", "送保单"):
        kehu.ok("promise", "王丽", text, "--due", "+3d")
    kehu.ok("snooze", "P1", "--until", "+1d")
    kehu.ok("snooze", "P2", "--until", "+2d")
    kehu.ok("delete", "王丽", "--yes")
    listed = zh("undo", "--list").stdout
    assert "修改或删除 2 项承诺；修改或删除 2 项推迟" in listed, listed
    assert zh("undo").stdout.endswith("：恢复客户 #1；恢复 2 项承诺；恢复 2 项推迟。\n")
    kehu.ok("add", "李梅", "--phone", "13900002222")
    for day in ("+2d", "+5d"):
        kehu.ok("log", "李梅", "--next", day)
    kehu.ok("delete", "李梅", "--yes")
    assert "修改或删除 2 次计划回访" in zh("undo", "--list").stdout
    sheet = tmp_path / "意向.csv"
    sheet.write_bytes("姓名,手机,级别\n吴刚,13512340001,H\n郑丽,13512340002,A\n".encode("gbk"))
    assert zh("import", str(sheet)).stdout == "已导入 2 位意向客户。\n"
    assert "移除 2 位意向客户" in zh("undo").stdout
    assert kehu.count("prospect") == 0


def test_a_moment_is_spaced_from_the_words_around_it(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "宝马X5",
            "--delivered", "2026-11-22 09:00")  # fmt: skip
    kehu.ok("promise", "张伟", "寄资料", "--due", "2026-11-21 18:00", "--force")
    today = zh("today").stdout
    assert "承诺：寄资料 —— 昨天 18:00起已到期" in today
    assert "今天 09:00交付了宝马X5 —— 感谢信应在明天 09:00前发出" in today
    assert "  P1  昨天 18:00到期  寄资料  已逾期\n" in zh("show", "张伟").stdout
    kehu.ok("kept", "P1")
    assert zh("kept", "P1").stdout == "对张伟的承诺 P1 已在今天 10:00兑现，没有改动。\n"


def test_a_customer_named_with_the_id_has_full_width_brackets_in_chinese(kehu):
    kehu.ok("add", "刘洋", "--phone", "13800138000")
    kehu.ok("add", "李四", "--referred-by", "刘洋")
    card = zh("show", "李四").stdout
    assert "  介绍人：     刘洋（#1）\n" in card and "(#" not in card
    assert "介绍来的客户\n  李四（#2）\n" in zh("show", "刘洋").stdout
    assert zh("edit", "刘洋", "--company", "华为").stdout == "已更新刘洋（#1）。\n"
    assert zh("log", "刘洋", "--note", "好").stdout.startswith("已记录与刘洋（#1）的")
    assert "刘洋（#1）" in zh("report", "referrals").stdout
    assert "  referred by: 刘洋 (#1)\n" in kehu.ok("show", "李四")  # English keeps its own


def test_the_tier_is_one_word_and_a_prospects_level_another(kehu):
    """The tier is 等级 (A 类客户), a prospect's intent level 级别 (A 级): in every message."""
    import importlib.util
    import re

    script = README.parent / "scripts" / "catalog.py"
    spec = importlib.util.spec_from_file_location("catalog", script)
    assert spec is not None and spec.loader is not None
    scripts_catalog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scripts_catalog)
    catalog = [(m.id, m.string) for m in scripts_catalog.read("zh_CN") if m.id]
    for msgid, msgstr in catalog:
        english = " ".join(msgid) if isinstance(msgid, tuple) else msgid
        chinese = " ".join(msgstr) if isinstance(msgstr, tuple) else msgstr
        if re.search(r"\btiers?\b", english, re.I) and "prospect" not in english.lower():
            said = (english, chinese)
            assert "级别" not in chinese and not re.search(r"[ABC] ?级", chinese), said
        if re.search(r"\b(level|grade)", english, re.I) and "tier" not in english.lower():
            said = (english, chinese)
            assert "等级" not in chinese and not re.search(r"[ABC] ?类", chinese), said
    kehu.ok("add", "王丽", "--phone", "13900001111", "--product", "平安福", "--amount", "9000")
    kehu.ok("add", "李娜", "--phone", "13900002222", "--tier", "A")
    assert "已更改 2 位客户的等级" in zh("report", "tiers", "--apply").stdout
    shown = zh("config").stdout
    assert "A 类：贡献前百分之 N 金额的客户。" in shown and "A 类客户：生日" in shown
    assert "A 级意向客户（15 天内购买）" in shown and "A 级：" not in shown


def zh_at(now: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args],
        env={**os.environ, "KEHU_LANG": "zh", "KEHU_NOW": now},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_a_policys_thank_you_and_call_back_ask_what_a_policyholder_can_answer(kehu):
    """A policy is not "used": the thank-you and the call-back script ask whether the customer
    is satisfied, which a car, a phone and a policy all answer."""
    zh("config", "signature.company", "平安人寿")
    zh("add", "王建国", "--phone", "13800001111", "--product", "车险", "--gender", "男")
    thanks = zh("draft", "T1").stdout
    assert "有任何问题随时找我" in thanks and "使用中" not in thanks
    today = zh_at("2026-11-29T09:00", "today")
    assert "11月22日买了车险 —— 7天回访（还满意吗？）" in today and "用得" not in today
    script = zh_at("2026-11-29T09:00", "draft", "C1.7d")
    assert "- 车险这段时间还满意吗？有没有哪里不满意？\n" in script
    assert "- 有没有不清楚的地方？需要的话我给您细讲。\n" in script
    assert "用着" not in script and "使用上" not in script


def test_a_draft_is_asked_for_by_the_word_for_what_one_is_about_to_do(kehu):
    zh("add", "李静", "--phone", "13900002222", "--product", "华为 Mate 80", "--gender", "女")
    for word in ("回访", "跟进", "计划回访"):
        assert zh("draft", "李静", "--for", word).stdout.startswith("客户：李静，华为 Mate 80，")
    assert "您上次反映的问题" in zh("draft", "李静", "--for", "投诉").stdout
    english = kehu("draft", "李静", "--for", "complaint", "--lang", "en")
    assert english.code == 0 and "the issue you raised" in english.out
    refused = zh_error("draft", "李静", "--for", "拜年")
    assert refused.returncode == 2 and refused.stdout == ""
    assert len(refused.stderr.splitlines()) == 1 and "回访" in refused.stderr


def test_a_prospect_for_a_policy_or_a_phone_is_worded_without_cars(kehu):
    added = zh("add", "孙倩", "--phone", "13800009999", "--prospect", "--level", "已下单",
               "--interest", "重疾险", "--expected", "下个月",
               "--competitor", "国寿福")  # fmt: skip
    assert "级别 O" in added.stdout
    card = zh("show", "孙倩").stdout
    assert "意向产品：" in card and "预计购买时间：" in card and "竞品：" in card
    script = zh("draft", "L1").stdout
    assert script.startswith("客户：孙倩，意向重疾险\n") and "上次您看的重疾险" in script
    assert "咱们约个时间见面，我当面给您细讲" in script and "来店" not in script
    helped = zh("add", "--help").stdout + zh("config").stdout
    regrade = zh_at("2026-12-24T09:00", "today")
    assert "O 级意向客户：预计12月22日前购买 —— 联系并重新定级" in regrade
    for text in (card, script, helped, regrade):
        assert not any(word in text for word in ("车型", "购车", "订车", "试驾", "谁用车")), text
    english = kehu("draft", "L1", "--lang", "en").out
    assert "test drive" not in english and "come by" not in english and "to meet" in english


def test_a_template_with_the_former_interest_field_still_fills_it(kehu, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf '%s\\n' '${称呼}，${意向车型}到货了' > \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    kehu.ok("add", "孙倩", "--phone", "13800009999", "--prospect", "--interest", "Mate 80")
    kehu.ok("template", "edit", "prospect-follow-up", "--lang", "zh")
    assert zh("draft", "L1").stdout == "孙倩，Mate 80 到货了\n"


def test_undo_names_a_snooze_as_it_names_a_promise(kehu):
    kehu.ok("add", "王丽", "--phone", "13900001111", "--product", "平安福")
    kehu.ok("snooze", "T1", "--until", "明天", "--reason", "出差")
    assert "  snooze  新增推迟 T1\n" in zh("undo", "--list").stdout
    assert zh("undo").stdout == "已撤销今天 10:00的 `snooze`：移除推迟 T1。\n"
    assert kehu.json("show", "王丽")["snoozes"] == []


def test_a_lunar_birthday_with_its_year_keeps_the_age_through_excel(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13900001111", "--product", "iPhone 17 Pro")
    zh("date", "add", "张伟", "生日", "农历1990年八月十五")
    sheet = tmp_path / "客户.xlsx"
    assert kehu("export", str(sheet)).code == 0
    assert "1990年八月十五" in kehu.ok("export", "--format", "csv")
    other = tmp_path / "other.db"
    env = {**os.environ, "KEHU_LANG": "zh", "KEHU_DB": str(other)}
    run = [sys.executable, "-m", "kehu"]
    subprocess.run([*run, "import", str(sheet), "--yes"], env=env, check=True, capture_output=True)
    listed = subprocess.run([*run, "date", "list"], env=env, check=True, capture_output=True,
                            text=True).stdout  # fmt: skip
    assert listed.startswith("#1  生日  农历八月十五（2027年9月15日 周三），满37周岁  张伟（#1）")
