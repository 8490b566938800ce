"""A product, a model or a name in Latin letters put among Chinese words is set apart by a space
(交付了 Golf 1.4T), as Chinese typography does; never before Chinese punctuation, nor around
Chinese text (交付了帕萨特)."""

import re

import pytest
from conftest import SERVER_URL, in_chinese

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
        ("assign", "孙杰", "lei"): "已将孙杰（#1）交给 lei。",
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
    from kehu.base import cjk

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
        (("kept", "P1"), "对张伟的承诺 P1 已兑现。"),
        (("kept", "P1"), "对张伟的承诺 P1 已在今天 11:00兑现，没有改动。"),
        (("cancel", "P2"), "对 Emma Wilson 的承诺 P2 已取消。"),
        (("cancel", "P2"), "对 Emma Wilson 的承诺 P2 已在今天 11:00取消，没有改动。"),
        (("cancel", "P3"), "对张伟的承诺 P3 已取消。"),
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


def _said(*args: str, now: str = "2026-05-02T10:00") -> str:
    done = in_chinese(*args, now=now)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_confirmation_names_a_chinese_customer_unspaced_and_a_latin_one_apart(kehu):
    """已添加张伟（#1）, 已添加 Emma Wilson（#2）: the words before a customer's name meet a
    Chinese name unspaced, as the words after it do; a Latin name keeps its space."""
    said = [
        (("add", "张伟", "--phone", "13800000002"), "已添加张伟（#1），B 类客户。"),
        (("add", "Emma Wilson", "--phone", "13800000001"), "已添加 Emma Wilson（#2），B 类客户。"),
        (("add", "孙杰", "--prospect", "--level", "H"), "已添加孙杰（#3），意向客户，级别 H。"),
        (("add", "Tom Brown", "--prospect", "--level", "A"),
            "已添加 Tom Brown（#4），意向客户，级别 A。"),
        (("edit", "张伟", "--title", "经理"), "已更新张伟（#1）。"),
        (("edit", "Emma Wilson", "--title", "CEO"), "已更新 Emma Wilson（#2）。"),
        (("log", "张伟", "--via", "电话", "--kind", "回访"),
            "已记录与张伟（#1）的电话联系（回访）。"),
        (("log", "Emma Wilson", "--via", "微信", "--kind", "回访"),
            "已记录与 Emma Wilson（#2）的微信联系（回访）。"),
        (("log", "张伟", "--via", "电话", "--no-answer"),
            "已记录：电话联系张伟（#1），未接通（第1次尝试）。"),
        (("log", "Emma Wilson", "--via", "电话", "--no-answer"),
            "已记录：电话联系 Emma Wilson（#2），未接通（第1次尝试）。"),
        (("promise", "张伟", "寄手册", "--due", "2026-05-03"), "对张伟（#1）的承诺 P1，期限明天。"),
        (("promise", "Emma Wilson", "送 ETC 卡", "--due", "2026-05-03"),
            "对 Emma Wilson（#2）的承诺 P2，期限明天。"),
        (("done", "P1"), "已完成 P1：对张伟（#1）的承诺已兑现。"),
        (("done", "P2"), "已完成 P2：对 Emma Wilson（#2）的承诺已兑现。"),
        (("archive", "张伟"), "已归档张伟（#1）。"),
        (("unarchive", "张伟"), "已取消归档张伟（#1）。"),
        (("archive", "Emma Wilson"), "已归档 Emma Wilson（#2）。"),
        (("unarchive", "Emma Wilson"), "已取消归档 Emma Wilson（#2）。"),
        (("assign", "张伟", "王芳"), "已将张伟（#1）交给王芳。"),
        (("assign", "Emma Wilson", "王芳"), "已将 Emma Wilson（#2）交给王芳。"),
        (("assign", "张伟", "王芳"), "张伟（#1）已经是王芳的客户，没有改动。"),
        (("assign", "--from", "王芳", "--to", "lei"), "已将王芳的 2 位客户交给 lei。"),
        (("assign", "--from", "lei", "--to", "王芳"), "已将 lei 的 2 位客户交给王芳。"),
    ]  # fmt: skip
    for args, line in said:
        assert _said(*args).splitlines()[0] == line, args
    chinese = _said("add", "王强", "--phone", "13800000002", "--product", "脚垫").splitlines()
    assert chinese[1].startswith("这个电话属于张伟（#1），所以这笔销售记在其名下；")
    assert chinese[1].endswith("；如果王强是另一个人，请加 --new 添加。")
    latin = _said("add", "Tom", "--phone", "13800000001", "--product", "mats").splitlines()
    assert latin[1].startswith("这个电话属于 Emma Wilson（#2），所以这笔销售记在其名下；")
    assert latin[1].endswith("；如果 Tom 是另一个人，请加 --new 添加。")
    assert kehu.ok("archive", "张伟", now="2026-05-03T10:00") == "Archived 张伟 (#1).\n"


def test_done_names_its_channel_and_customer_unspaced(kehu):
    """已完成 C1.7d：已记录与张伟（#1）的微信联系 (a channel is a Chinese word); the English is as
    it was."""
    kehu.ok("add", "张伟", "--phone", "13800000002", "--product", "帕萨特", now=SOLD)
    kehu.ok("add", "Emma Wilson", "--phone", "13800000001", "--product", "Golf", now=SOLD)
    week = "2026-05-08T11:00"
    assert _said("done", "C1.7d", "--via", "微信", now=week) == (
        "已完成 C1.7d：已记录与张伟（#1）的微信联系。\n"
    )
    assert _said("done", "C2.7d", "--via", "电话", now=week) == (
        "已完成 C2.7d：已记录与 Emma Wilson（#2）的电话联系。\n"
    )
    assert (
        kehu.ok("done", "T1", "--via", "call", now=week) == "Done T1: logged call with 张伟 (#1).\n"
    )


@pytest.mark.skipif(
    SERVER_URL is not None,
    reason="a server book's login is its database role (tests/test_team.py switches roles)",
)
def test_undo_names_a_colleagues_login_as_chinese_typography_does(kehu, monkeypatch):
    """张三之后修改了相同的记录, bench 之后修改了相同的记录: the login is data from the book,
    worded on the screen; nothing is changed."""
    kehu.ok("add", "张伟", "--phone", "13800000002", now=SOLD)
    kehu.ok("edit", "张伟", "--title", "经理", now=SOLD)
    for login, line in (
        ("张三", "kehu: 无法撤销 `edit`：张三之后修改了相同的记录（`edit`）；未做任何修改\n"),
        ("bench", "kehu: 无法撤销 `edit`：bench 之后修改了相同的记录（`edit`）；未做任何修改\n"),
    ):
        monkeypatch.setenv("KEHU_USER", login)
        kehu.ok("edit", "张伟", "--company", f"{login} 公司", now=SOLD)
        monkeypatch.setenv("KEHU_USER", "mei")
        before = kehu.snapshot()
        refused = in_chinese("undo", now=SOLD)
        assert (refused.returncode, refused.stdout, refused.stderr) == (2, "", line)
        assert kehu.snapshot() == before
        monkeypatch.setenv("KEHU_USER", login)
        kehu.ok("undo", now=SOLD)
        monkeypatch.setenv("KEHU_USER", "mei")
    monkeypatch.setenv("KEHU_USER", "张三")
    kehu.ok("edit", "张伟", "--company", "平安", now=SOLD)
    monkeypatch.setenv("KEHU_USER", "mei")
    english = kehu("undo", now=SOLD)
    assert (english.code, english.err) == (
        2,
        "kehu: cannot undo `edit`: 张三 changed the same rows later (`edit`); "
        "nothing was changed\n",
    )


def test_greet_sets_its_key_after_a_full_width_bracket_unspaced(kehu):
    """春节还有 281 天（2027年2月6日）[G20270206]: no space after the full-width bracket; after
    a Chinese character the Latin key keeps one (明天是春节 [G20270206])."""
    kehu.ok("add", "张伟", "--phone", "13800000002", now=SOLD)
    far = _said("greet", "春节", now="2026-05-01T10:00").splitlines()[0]
    assert far.startswith("春节还有 281 天（2027年2月6日）[G20270206]："), far
    eve = _said("greet", "春节", now="2027-02-05T10:00").splitlines()[0]
    assert eve.startswith("明天是春节 [G20270206]："), eve
    assert kehu.ok("greet", "春节", now="2026-05-01T10:00").startswith(
        "Spring Festival in 281 days (6 Feb 2027) [G20270206]: "
    )


def test_an_option_that_cannot_be_read_is_named_unspaced_after_chinese(kehu):
    """联系方式（--via）无法识别, 等级无法识别; an option itself keeps its space (--reason 无法识别,
    --sent 为空). One line, exit 2, nothing written."""
    kehu.ok("add", "张伟", "--phone", "13800000002", now=SOLD)
    kehu.ok("log", "张伟", "--via", "电话", now=SOLD)
    kehu.ok("add", "孙杰", "--prospect", now=SOLD)
    refused = {
        ("log", "张伟", "--via", "飞鸽"): "kehu: 联系方式（--via）无法识别：'飞鸽'；可接受：",
        ("list", "--tier", "Z"): "kehu: 等级无法识别：'Z'；可接受：",
        ("list", "--sort", "zz"): "kehu: 排序（--sort）无法识别：'zz'；可接受：",
        ("lost", "孙杰", "--reason", "zz"): "kehu: --reason 无法识别：'zz'；可接受：",
        ("contact-edit", "1", "--sent", " "): "kehu: --sent 为空；请填写内容",
        ("edit", "张伟", "--email", "foo"): "kehu: --email 不是电子邮箱地址；",
        ("add", "李四", "--set", "=x"): "kehu: --set 的格式是 键=值，例如 --set 爱好=钓鱼；",
        ("promise", "张伟", "x", "--due", "昨天"): "kehu: --due 昨天已经过去了；",
        ("promise", "张伟", "x", "--due", "2026-04-01"): "kehu: --due 2026-04-01 已经过去了；",
    }
    before = kehu.snapshot()
    for args, start in refused.items():
        done = in_chinese(*args, now=SOLD)
        assert done.returncode == 2 and done.stdout == "", (args, done)
        assert done.stderr.startswith(start) and len(done.stderr.splitlines()) == 1, done.stderr
    assert kehu.snapshot() == before
    assert kehu("list", "--tier", "Z").err.startswith("kehu: unknown tier 'Z'; accepted: ")


def test_a_reports_owner_line_names_a_chinese_login_unspaced(kehu):
    """王芳的客户 under a report's title; lei 的客户 keeps its space."""
    kehu.ok("add", "张伟", "--phone", "13800000002", now=SOLD)
    kehu.ok("add", "Emma Wilson", "--phone", "13800000001", now=SOLD)
    kehu.ok("assign", "张伟", "王芳", now=SOLD)
    kehu.ok("assign", "Emma Wilson", "lei", now=SOLD)
    assert _said("report", "week", "--owner", "王芳").splitlines()[1] == "王芳的客户"
    assert _said("report", "week", "--owner", "lei").splitlines()[1] == "lei 的客户"
