"""A product, a model or a name in Latin letters put among Chinese words is set apart by a space
(交付了 Golf 1.4T), as Chinese typography does; never before Chinese punctuation, nor around
Chinese text (交付了帕萨特)."""

import re

from conftest import in_chinese

SOLD = "2026-05-01T10:00"


def _book(kehu) -> None:
    kehu.ok("config", "signature.name", "Lei Wang")
    kehu.ok("config", "signature.company", "平安汽车")
    kehu.ok("add", "Emma Wilson", "--phone", "13800000001", "--product", "Model Y",
            "--gender", "F", now=SOLD)  # fmt: skip
    kehu.ok("add", "张伟", "--phone", "13800000002", "--product", "帕萨特", "--gender", "男",
            "--referred-by", "Emma Wilson", now=SOLD)  # fmt: skip
    kehu.ok("add", "Tom Brown", "--phone", "13800000003", "--prospect", "--level", "A",
            "--interest", "ID.4 X", "--referred-by", "Emma Wilson", now=SOLD)  # fmt: skip


def _no_latin_glued_to_han(text: str) -> None:
    glued = re.findall(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]", text)
    # Dates and counts are kehu's own numbers (5月1日, 7天回访), not a product or a name.
    assert not [g for g in glued if not re.fullmatch(r"[0-9][\u4e00-\u9fff]|[\u4e00-\u9fff][0-9]",
                                                     g)], (glued, text)  # fmt: skip


def test_drafts_set_a_latin_product_and_name_apart_from_chinese(kehu):
    _book(kehu)
    thank_you = in_chinese("draft", "T1", now="2026-05-01T12:00")
    assert thank_you.returncode == 0, thank_you.stderr
    assert thank_you.stdout == (
        "Wilson 女士，您好！\n感谢您选择 Model Y！\n有任何问题随时找我，我第一时间帮您解决。\n"
        "平安汽车 Lei Wang\n"
    )
    chinese_product = in_chinese("draft", "T2", now="2026-05-01T12:00").stdout
    assert "感谢您选择帕萨特！" in chinese_product and "张先生，您好！" in chinese_product
    script = in_chinese("draft", "C1.7d", now="2026-05-08T12:00").stdout
    assert "开场：Wilson 女士您好！" in script
    assert "我是平安汽车的 Lei Wang，耽误您两分钟" in script
    assert "- Model Y 这段时间还满意吗？" in script
    assert "客户：Emma Wilson，Model Y，2026年5月1日交付" in script
    prospect = in_chinese("draft", "L3", now="2026-05-08T12:00")
    assert "上次您看的 ID.4 X，最近还在考虑吗？" in prospect.stdout, prospect
    assert "客户：Tom Brown，意向 ID.4 X" in prospect.stdout
    thanks = in_chinese("draft", "R2", now="2026-05-01T12:00").stdout
    assert "Wilson 女士，谢谢您帮我介绍朋友" in thanks and "张伟那边" in thanks
    for text in (thank_you.stdout, script, prospect.stdout, thanks):
        _no_latin_glued_to_han(text.replace("Lei Wang", "").replace("ID.4 X", ""))


def test_the_daily_list_and_calendar_set_a_latin_product_and_name_apart(kehu, tmp_path):
    _book(kehu)
    today = in_chinese("today", now="2026-05-01T12:00").stdout
    assert "今天 10:00交付了 Model Y —— 感谢信应在" in today
    assert "今天 10:00交付了帕萨特 —— " in today
    kehu.ok("add", "Anna Li", "--phone", "13800000009", "--referred-by", "张伟", now=SOLD)
    referral = in_chinese("today", now="2026-05-01T12:00").stdout
    assert "5月1日介绍了 Anna Li —— 记得道谢" in referral
    later = in_chinese("today", now="2026-05-08T12:00").stdout
    assert "5月1日买了 Model Y —— 7天回访" in later and "5月1日买了帕萨特 —— 7天回访" in later
    calendar_file = tmp_path / "k.ics"
    assert in_chinese("export", str(calendar_file), "--days", "200", now="2026-05-01T12:00")
    ics = calendar_file.read_text(encoding="utf-8").replace("\r\n ", "")
    assert "SUMMARY:感谢 Emma Wilson：Model Y" in ics, ics
    assert "SUMMARY:7天回访 Emma Wilson：Model Y" in ics
    assert "SUMMARY:1个月回访 Emma Wilson：Model Y" in ics
    assert "SUMMARY:感谢张伟：帕萨特" in ics
    added = in_chinese("date", "add", "Emma Wilson", "birthday", "1990-06-01")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("已为 Emma Wilson 添加日期 #"), added.stdout


def test_english_is_as_it_was(kehu):
    _book(kehu)
    out = kehu("draft", "T1", now="2026-05-01T12:00").out
    assert out.startswith("Hi Ms Wilson,\nThank you for choosing us for your Model Y!\n")
    assert "Delivered Model Y today 10:00 — the thank-you note is due by" in kehu.ok(
        "today", now="2026-05-01T12:00"
    )


def test_a_delivery_on_a_day_alone_is_not_spaced_from_its_words(kehu):
    """A delivery without a time of day reads 昨天交付了 (no space between Chinese words), as a
    delivery with one reads 昨天 16:00交付了."""
    kehu.ok("add", "张伟", "--phone", "13800000002", "--product", "帕萨特", "--delivered",
            "2026-05-01", now=SOLD)  # fmt: skip
    kehu.ok("add", "王芳", "--phone", "13800000003", "--product", "Model Y", "--delivered",
            "2026-05-01", now=SOLD)  # fmt: skip
    due = in_chinese("today", now="2026-05-02T09:00")
    assert due.returncode == 0, due.stderr
    assert "昨天交付了帕萨特 —— 感谢信应在今天之内发出" in due.stdout, due.stdout
    assert "昨天交付了 Model Y —— 感谢信应在今天之内发出" in due.stdout, due.stdout
    late = in_chinese("today", now="2026-05-04T09:00").stdout
    assert "5月1日 周五交付了帕萨特 —— 感谢信本应在5月2日 周六之内发出" in late, late


def test_a_customer_named_with_their_id_meets_the_chinese_after_it_unspaced(kehu):
    """孙杰（#1）此前是意向客户: no space after the full-width bracket, whether the name is
    Chinese or Latin (the bracket ends it either way); the English is as it was."""
    kehu.ok("add", "孙杰", "--phone", "13800000004", "--prospect", now=SOLD)
    kehu.ok("add", "Emma Wilson", "--phone", "13800000001", "--prospect", now=SOLD)
    said = {
        ("sale", "孙杰", "--product", "帕萨特"): "首次成交：孙杰（#1）此前是意向客户。",
        ("add", "Emma Wilson", "--phone", "13800000001", "--product", "Model Y"):
            "首次成交：Emma Wilson（#2）此前是意向客户（同一电话）。",
        ("add", "孙杰", "--phone", "13800000004", "--product", "脚垫"):
            "回头客：孙杰（#1）已在客户簿中（同一电话）。",
        ("sale", "Emma Wilson", "--product", "mats"): "已记录对 Emma Wilson（#2）的销售。",
        ("assign", "孙杰", "lei"): "已将 孙杰（#1）交给 lei。",
    }  # fmt: skip
    for args, line in said.items():
        done = in_chinese(*args, now="2026-05-02T10:00")
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0] == line, done.stdout
    assert kehu.ok("sale", "孙杰", "--product", "Golf", now="2026-05-03T10:00").startswith(
        "Sale to 孙杰 (#1).\n"
    )


def test_a_name_that_ends_in_a_latin_letter_is_still_set_apart():
    """Were {who} to end in a Latin letter, the rule of the product and the name spaces it."""
    from kehu.ui import cjk

    assert cjk.spaced("{who}此前是意向客户。", who="lei") == "lei 此前是意向客户。"
    assert cjk.spaced("{who}此前是意向客户。", who="孙杰（#1）") == "孙杰（#1）此前是意向客户。"


def test_a_promise_kept_or_cancelled_names_a_chinese_customer_unspaced(kehu):
    """对张伟的承诺: kept and cancel name the customer as promise and done do, a Chinese name
    meeting 的 unspaced and a Latin one set apart (对 Emma Wilson 的承诺)."""
    kehu.ok("add", "张伟", "--phone", "13800000002", now=SOLD)
    kehu.ok("add", "Emma Wilson", "--phone", "13800000001", now=SOLD)
    kehu.ok("promise", "张伟", "寄保养手册", "--due", "2026-05-03", now=SOLD)
    kehu.ok("promise", "Emma Wilson", "送 ETC 卡", "--due", "2026-05-03", now=SOLD)
    kehu.ok("promise", "张伟", "发报价", "--due", "2026-05-03", now=SOLD)
    said = [
        (("kept", "P1"), "对 张伟的承诺 P1 已兑现。"),
        (("kept", "P1"), "对 张伟的承诺 P1 已在今天 11:00兑现，没有改动。"),
        (("cancel", "P2"), "对 Emma Wilson 的承诺 P2 已取消。"),
        (("cancel", "P2"), "对 Emma Wilson 的承诺 P2 已在今天 11:00取消，没有改动。"),
        (("cancel", "P3"), "对 张伟的承诺 P3 已取消。"),
    ]
    for args, line in said:
        done = in_chinese(*args, now="2026-05-01T11:00")
        assert done.returncode == 0, done.stderr
        assert done.stdout == line + "\n", done.stdout
    assert kehu.ok("kept", "P1", now="2026-05-01T11:00") == (
        "Promise P1 to 张伟 was already kept today 11:00; nothing changed.\n"
    )


def test_what_already_closed_an_item_names_its_channel_and_kind_unspaced(kehu):
    """记录了微信感谢, 已通过微信联系上: a channel and a kind are Chinese words, set among the
    Chinese unspaced, as 已记录与张伟（#1）的微信联系 sets them."""
    kehu.ok("add", "张伟", "--phone", "13800000002", "--product", "帕萨特", now=SOLD)
    assert in_chinese("done", "T1", "--via", "微信", now="2026-05-01T11:00").returncode == 0
    again = in_chinese("done", "T1", now="2026-05-01T11:30")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("T1 已经完成：今天 11:00已完成（记录了微信感谢）。"), again
    kehu.ok("log", "张伟", "--via", "电话", "--kind", "回访", now="2026-05-08T10:00")
    closed = in_chinese("done", "C1.7d", now="2026-05-08T11:00")
    assert closed.returncode == 0, closed.stderr
    assert "今天 10:00已通过电话联系上（回访）" in closed.stdout, closed.stdout


def test_asking_which_namesake_names_a_chinese_name_unspaced(kehu, monkeypatch):
    """张伟已在你的客户簿中: no space between a Chinese name and the Chinese after it; a Latin
    name keeps one (Emma Wilson 已在你的客户簿中)."""
    from kehu.base import i18n

    kehu.ok("add", "张伟", "--phone", "13800000002", now=SOLD)
    kehu.ok("add", "Emma Wilson", "--phone", "13800000001", now=SOLD)
    monkeypatch.setenv("KEHU_LANG", "zh")
    try:
        i18n.bind(None)
        chinese = kehu("add", "张伟", "--product", "帕萨特", tty=True, input="#1\n", now=SOLD)
        latin = kehu("add", "Emma Wilson", "--product", "Golf", tty=True, input="#2\n", now=SOLD)
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        i18n.bind(None)
    assert chinese.code == 0 and latin.code == 0, (chinese, latin)
    assert chinese.err.startswith("张伟已在你的客户簿中：\n  #1  张伟  13800000002"), chinese
    assert latin.err.startswith("Emma Wilson 已在你的客户簿中：\n"), latin
    assert kehu.count("customer") == 2
