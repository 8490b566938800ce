"""`kehu draft`, `kehu template`, `done --sent`, `today --drafts` and `--copy` on a small example
book: every item kind, in both languages, addressed properly and saying something specific."""

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kehu.rules import kinds
from kehu.rules.draft_kinds import DRAFT_FOR_ITEM
from kehu.ui import drafts

SIGNATURE = (
    ("signature.name", "王磊"),
    ("signature.company", "平安汽车"),
)
SIGNATURE += (("signature.phone", "138 0013 8000"),)

# name -> (gender, title, language, hobby, how zh drafts address them, how en drafts do)
PEOPLE = {
    "张伟": ("male", "总经理", None, "钓鱼", "张总", "张伟"),
    "李娜": ("female", None, None, "瑜伽", "李女士", "李娜"),
    "Emma Wilson": ("female", None, "en", "piano", "Wilson 女士", "Ms Wilson"),
    "王强": ("male", None, None, "爬山", "王先生", "王强"),
    "赵敏": ("female", "经理", None, "插花", "赵经理", "赵敏"),
    "陈静": ("female", None, None, "跑步", "陈女士", "陈静"),
    "刘洋": ("male", None, None, "摄影", "刘先生", "刘洋"),
    "孙丽": ("female", None, None, "烘焙", "孙女士", "孙丽"),
}


def _add(kehu, name, phone, when, *extra):
    gender, title, language, hobby, _zh, _en = PEOPLE[name]
    args = ["add", name, "--phone", phone, "--gender", gender, "--set", f"hobbies={hobby}"]
    args += ["--title", title] if title else []
    args += ["--language", language] if language else []
    kehu.ok(*args, *extra, now=when)


@pytest.fixture
def book(kehu):
    """One item of each kind the daily list has (a suggestion too: the top-up)."""
    for key, value in SIGNATURE:
        kehu.ok("config", key, value)
    _add(kehu, "张伟", "13800000001", "2026-11-21T15:30", "--product", "Golf 1.4T")  # T1
    _add(kehu, "Emma Wilson", "13800000002", "2026-10-22T09:00", "--product", "Polo")  # C2.1m
    _add(kehu, "李娜", "13800000003", "2026-11-01T09:00")
    kehu.ok("promise", "李娜", "送保养券", "--due", "2026-11-21", "--force")  # P1, late
    _add(kehu, "王强", "13800000004", "2026-11-01T09:00", "--referred-by", "张伟")  # R4
    kehu.ok("log", "王强", "--via", "call", "--at", "2026-11-20 10:00", "--next",
            "2026-11-21 10:00", "--next-note", "问问试驾", "--force")  # fmt: skip  # F1
    _add(kehu, "赵敏", "13800000005", "2026-10-01T09:00", "--tier", "A")
    kehu.ok("log", "赵敏", "--via", "wechat", "--kind", "complaint", "--at", "2026-11-18 10:00",
            "--note", "保养等太久")  # fmt: skip  # X (complaint)
    _add(kehu, "陈静", "13800000006", "2026-06-01T09:00")  # at risk
    _add(kehu, "刘洋", "13800000007", "2026-09-01T09:00")  # cooling
    _add(kehu, "孙丽", "13800000008", "2026-11-10T09:00")  # nothing due: a suggestion
    return kehu


def _draft(kehu, *args):
    """The draft's text (stdout); its length goes to stderr, so that `> file` gets the text."""
    result = kehu("draft", *args)
    assert result.code == 0, result
    return result.out


def _items(kehu):
    return {i["key"]: i for i in kehu.json("today")["items"]}


def test_every_item_kind_has_a_draft_kind():
    assert set(DRAFT_FOR_ITEM) >= set(kinds.NAMES)
    assert set(DRAFT_FOR_ITEM.values()) <= set(drafts.KINDS)


def test_pinned_drafts_in_chinese_and_english(book):
    assert _draft(book, "T1", "--lang", "zh") == (
        "张总，您好！\n"
        "感谢您选择 Golf 1.4T！\n"
        "有任何问题随时找我，我第一时间帮您解决。\n"
        "平安汽车 王磊 138 0013 8000\n"
    )
    result = book("draft", "T1", "--lang", "zh")
    assert result.err == "66 characters, 1 SMS\n"
    assert _draft(book, "Emma", "--for", "keep-in-touch") == (
        "Hi Ms Wilson, you came to mind. How are you?\n"
        "You mentioned piano. Still finding time for it?\n"
        "王磊, 平安汽车, 138 0013 8000\n"
    )


def _unfilled(text):
    """What a draft must never hold: a field left over, "None", an empty sentence."""
    problems = [
        p for p in ("$", "None", "{", "}", "  ", "，，", "，。", "，！", ", .") if p in text
    ]
    problems += [line for line in text.splitlines() if line and not re.search(r"\w", line)]
    return problems


# What each draft kind says that is specific to the customer or the item.
SPECIFIC = {
    "thank-you": lambda name, item: "Golf 1.4T",
    "call-back": lambda name, item: PEOPLE[name][3],
    "promise-kept": lambda name, item: "送保养券",
    "referral-thanks": lambda name, item: "王强",
    "complaint-follow-up": lambda name, item: "",  # the note on it is not quoted
    "keep-in-touch": lambda name, item: PEOPLE[name][3],
    "greeting": lambda name, item: PEOPLE[name][3],
    "prospect-follow-up": lambda name, item: PEOPLE[name][3],
}


def test_without_a_signature_a_draft_ends_without_a_closing(kehu):
    kehu.ok("add", "Emma Wilson", "--phone", "13800000002", "--gender", "female",
            "--language", "en", "--product", "Polo", "--set", "hobbies=piano")  # fmt: skip
    for kind in ("thank-you", "keep-in-touch", "greeting", "birthday", "referral-thanks"):
        args = ("--occasion", "birthday") if kind == "birthday" else ()
        if kind == "referral-thanks":
            kehu.ok("add", "王强", "--phone", "13800000004", "--referred-by", "Emma Wilson")
        text = _draft(kehu, "Emma", "--for", kind, *args)
        assert text.splitlines()[-1][-1] in ".!?", (kind, text)
    for key, value in SIGNATURE:
        kehu.ok("config", key, value)
    assert _draft(kehu, "T1").endswith("just let me know.\n王磊, 平安汽车, 138 0013 8000\n")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_item_of_the_list_gets_a_proper_draft_in_both_languages(book, lang):
    items = _items(book)
    assert {i["kind"] for i in items.values()} >= {
        "promise", "follow-up", "thank-you", "complaint-follow-up", "call-back",
        "referral-thanks", "at-risk", "cooling", "suggestion",
    }  # fmt: skip
    for key, item in items.items():
        made = book.json("draft", key, "--lang", lang)
        name = item["customer_name"]
        kind = DRAFT_FOR_ITEM[item["kind"]]
        assert made["kind"] == kind and made["lang"] == lang and made["key"] == key
        salutation = PEOPLE[name][4 if lang == "zh" else 5]
        assert salutation in made["text"], (key, made["text"])
        assert SPECIFIC[kind](name, item) in made["text"], (key, made["text"])
        assert _unfilled(made["text"]) == [], (key, made["text"])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", drafts.KINDS)
def test_every_draft_kind_for_a_customer(book, kind, lang):
    extra = ["--occasion", "mid-autumn"] if kind == "holiday" else []
    made = book.json("draft", "李娜", "--for", kind, "--lang", lang, *extra)
    assert ("李女士" if lang == "zh" else "李娜") in made["text"]
    assert _unfilled(made["text"]) == [], made["text"]
    if kind in ("holiday", "greeting", "keep-in-touch", "call-back", "birthday"):
        assert "瑜伽" in made["text"]
    if kind == "promise-kept":
        assert "送保养券" in made["text"]


def test_the_salespersons_own_notes_are_never_quoted_to_the_customer(book):
    # 周芳 has no profile fact; her last contact's note is the salesperson's, not hers.
    book.ok("add", "周芳", "--phone", "13800000099", "--gender", "female")
    book.ok("log", "周芳", "--via", "wechat", "--note", "寄了感谢卡")
    book.ok("log", "周芳", "--via", "call", "--note", "她说车很好开")
    for kind in ("greeting", "keep-in-touch", "birthday"):
        for lang in ("zh", "en"):
            text = book.json("draft", "周芳", "--for", kind, "--lang", lang)["text"]
            assert "寄了感谢卡" not in text and "她说车很好开" not in text, text
            assert "上次您聊起" not in text and "mentioned" not in text, text
    # On the daily list the note stays a talking point for the salesperson.
    assert "她说车很好开" in book.ok("show", "周芳")


def test_a_complaint_draft_never_quotes_the_note_on_the_complaint(book):
    book.ok("log", "赵敏", "--via", "call", "--kind", "complaint", "--note", "客户很生气")
    texts = [book.json("draft", key, "--lang", lang)["text"] for key in _items(book)
             if key.startswith("X") for lang in ("zh", "en")]  # fmt: skip
    texts += [book.json("draft", "赵敏", "--for", "complaint-follow-up", "--lang", lang)["text"]
              for lang in ("zh", "en")]  # fmt: skip
    texts += [i["draft"] for i in book.json("today", "--drafts")["items"] if i["draft"]]
    assert "您上次反映的问题" in texts[0] and "the issue you raised" in texts[1]
    assert not [t for t in texts if "客户很生气" in t or "保养等太久" in t], texts


def test_a_late_promise_s_draft_apologises_for_the_wait_in_both_languages(book):
    book.ok("promise", "李娜", "寄雨刷", "--due", "2026-12-05")
    late = [book.json("draft", "P1", "--lang", lang)["text"] for lang in ("zh", "en")]
    drafts = {i["key"]: i["draft"] for i in book.json("today", "--drafts")["items"]}
    assert "抱歉让您久等了" in late[0] and "Sorry for the wait" in late[1]
    assert "Sorry for the wait" in drafts["P1"]  # in the language of the interface
    on_time = [book.json("draft", "李娜", "--for", "promise-kept", "--lang", lang)["text"]
               for lang in ("zh", "en")]  # fmt: skip
    assert "寄雨刷" in on_time[0] and "抱歉" not in on_time[0] and "Sorry" not in on_time[1]
    book.ok("done", "P2", now="2026-12-06T10:00")
    kept_late = book.json("draft", "李娜", "--for", "promise-kept", "--lang", "zh",
                          now="2026-12-07T10:00")  # fmt: skip
    assert "抱歉让您久等了" in kept_late["text"]


@pytest.mark.parametrize(
    ("fact", "zh", "en"),
    [
        ("family=两个孩子", "记得您说过家里两个孩子，大家都好吧？",
         "How is the family? I remember 两个孩子."),
        ("爱好=钓鱼", "记得您喜欢钓鱼，最近还常有空吗？",
         "You mentioned 钓鱼. Still finding time for it?"),
        ("job=外企销售总监", "上次您聊起工作（外企销售总监），最近还顺利吗？",
         "How is work going (外企销售总监)?"),
        ("tastes=川菜", "记得您喜欢川菜，最近还常有空吗？",
         "You mentioned 川菜. Still finding time for it?"),
    ],
)  # fmt: skip
def test_keep_in_touch_asks_after_a_fact_as_suits_what_it_is_about(kehu, fact, zh, en):
    kehu.ok("add", "周芳", "--phone", "13800000099", "--set", fact)
    texts = [kehu.json("draft", "周芳", "--for", "keep-in-touch", "--lang", lang)["text"]
             for lang in ("zh", "en")]  # fmt: skip
    assert texts[0].splitlines()[1] == zh and texts[1].splitlines()[1] == en
    assert "上次您聊起两个孩子" not in texts[0]


def test_a_draft_that_needs_what_the_customer_lacks_is_refused(book):
    result = book("draft", "张伟", "--for", "promise-kept")
    assert result.code != 0 and result.out == ""
    assert result.err == (
        "kehu: a promise-kept draft needs a promise, and this customer has none; "
        "`kehu promise CUSTOMER TEXT --due WHEN` records one\n"
    )
    zh = subprocess.run(
        [sys.executable, "-m", "kehu", "draft", "张伟", "--for", "兑现承诺"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert (zh.returncode, zh.stdout) == (2, "")
    assert zh.stderr == (
        "kehu: 兑现承诺的话术需要一个承诺，而这位客户还没有；"
        "用 `kehu promise 客户 内容 --due 时间` 记下一个\n"
    )


def test_the_customers_language_chooses_the_template(book):
    assert book.json("draft", "T1")["lang"] == "en"  # the interface's: the tests run in English
    assert book.json("draft", "C2.1m")["lang"] == "en"
    book.ok("edit", "张伟", "--language", "zh", "--salutation", "伟哥")
    made = book.json("draft", "T1")
    assert made["lang"] == "zh" and made["text"].startswith("伟哥，您好！")
    card = book.json("show", "张伟")
    assert (card["salutation"], card["language"]) == ("伟哥", "zh")
    assert "salutation:  伟哥\n" in book.ok("show", "张伟")
    # English drafts address her by her name (no romanisation is kept): the card says so.
    assert "salutation:  李娜 (default)\n" in book.ok("show", "李娜")
    book.ok("edit", "李娜", "--language", "中文")
    assert "salutation:  李女士 (default)\n" in book.ok("show", "李娜")


def test_a_holiday_draft_needs_its_holiday(book):
    result = book("draft", "张伟", "--for", "holiday")
    assert result.code != 0 and result.out == ""
    assert result.err.count("\n") == 1 and "mid-autumn" in result.err


def test_a_long_draft_warns_that_it_would_split(book):
    result = book("draft", "C2.1m", "--channel", "sms")
    assert result.code == 0
    assert "SMS" in result.err and "warning:" in result.err


def _editor(tmp_path: Path, text: str) -> str:
    script = tmp_path / "editor.sh"
    source = tmp_path / "template.txt"
    source.write_text(text, encoding="utf-8")
    script.write_text(f'#!/bin/sh\ncat "{source}" > "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_an_edited_template_is_used_and_reset_brings_back_the_default(book, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "EDITOR", _editor(tmp_path, "${称呼}，交车快乐！${产品}开着顺手吗？\n${落款}\n")
    )
    book.ok("template", "edit", "thank-you", "--lang", "zh")
    copy = Path(os.environ["KEHU_CONFIG"]).parent / "templates" / "zh" / "thank-you.txt"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert _draft(book, "T1", "--lang", "zh") == (
        "张总，交车快乐！Golf 1.4T 开着顺手吗？\n平安汽车 王磊 138 0013 8000\n"
    )
    listed = book.json("template", "list")
    assert {"kind": "thank-you", "lang": "zh", "edited": True} in listed
    assert {"kind": "thank-you", "lang": "en", "edited": False} in listed
    assert book.ok("template", "reset", "thank-you", "--lang", "zh") == (
        "Reset zh/thank-you to the default.\n"
    )
    assert not copy.exists()
    assert _draft(book, "T1", "--lang", "zh").startswith("张总，您好！\n感谢您选择 Golf 1.4T！")


def test_a_field_typed_with_full_width_signs_is_filled_not_sent_as_typed(
    book, tmp_path, monkeypatch
):
    """A Chinese keyboard types ＄｛称呼｝: it is the field, never a placeholder sent to the
    customer; a full-width dollar that starts no field stays text, and so does $$."""
    monkeypatch.setenv(
        "EDITOR",
        _editor(tmp_path, "＄｛称呼｝，您好！$｛产品｝${ｐｒｏｄｕｃｔ｝ ＄5 $${x}\n${落款}\n"),
    )
    book.ok("template", "edit", "thank-you", "--lang", "zh")
    assert _draft(book, "T1", "--lang", "zh") == (
        "张总，您好！Golf 1.4TGolf 1.4T ＄5 ${x}\n平安汽车 王磊 138 0013 8000\n"
    )
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "＄｛车型｝到了\n"))
    refused = book("template", "edit", "thank-you", "--lang", "zh")
    assert refused.code == 2 and refused.out == ""
    assert refused.err.startswith(
        "kehu: template zh/thank-you, line 1: unknown field ${车型}; accepted: ${salutation}/"
    )
    assert len(refused.err.splitlines()) == 1


def test_a_broken_template_is_refused_clearly_and_kept_for_fixing(book, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "${称呼}，您好！\n上次聊到${爱好}\n"))
    result = book("template", "edit", "thank-you", "--lang", "zh")
    assert result.code != 0
    assert result.err.startswith("kehu: template zh/thank-you, line 2: unknown field ${爱好}")
    assert result.err.count("\n") == 1
    copy = Path(os.environ["KEHU_CONFIG"]).parent / "templates" / "zh" / "thank-you.txt"
    assert "${爱好}" in copy.read_text(encoding="utf-8")
    refused = book("draft", "T1", "--lang", "zh")
    assert refused.code != 0 and refused.out == ""
    assert refused.err == result.err
    book.ok("template", "reset", "thank-you", "--lang", "zh")
    assert _draft(book, "T1", "--lang", "zh").startswith("张总，您好！")


def _copy_path() -> Path:
    return Path(os.environ["KEHU_CONFIG"]).parent / "templates" / "zh" / "thank-you.txt"


def _edited(kehu) -> bool:
    return {"kind": "thank-you", "lang": "zh", "edited": True} in kehu.json("template", "list")


def test_a_failed_editor_leaves_no_copy_of_the_default(kehu, tmp_path, monkeypatch):
    failing = tmp_path / "failing.sh"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o700)
    for editor, said in (
        (str(failing), f"the editor {str(failing)!r} failed (exit 3); nothing was saved, "
                       "zh/thank-you stays the default"),
        (str(tmp_path / "no-such-editor"), "cannot run the editor"),
    ):  # fmt: skip
        monkeypatch.setenv("EDITOR", editor)
        result = kehu("template", "edit", "thank-you", "--lang", "zh")
        assert result.code == 2 and result.out == "", result
        assert result.err.startswith(f"kehu: {said}") and result.err.count("\n") == 1, result
        assert not _copy_path().exists() and not _edited(kehu)
    monkeypatch.setenv("EDITOR", str(failing))
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "template", "edit", "thank-you", "--lang", "zh"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True,
    )  # fmt: skip
    assert (chinese.returncode, chinese.stderr) == (
        2, f"kehu: 编辑器 {str(failing)!r} 出错（退出码 3）；"
        "什么都没有保存，zh/thank-you 仍用默认模板\n",
    )  # fmt: skip
    assert not _copy_path().exists()


def test_an_editor_closed_without_a_change_leaves_no_copy_of_the_default(kehu, monkeypatch):
    monkeypatch.setenv("EDITOR", "true")
    assert kehu.ok("template", "edit", "thank-you", "--lang", "zh") == (
        "Nothing differs from the default: zh/thank-you stays the default, with no copy of yours.\n"
    )
    assert not _copy_path().exists() and not _edited(kehu)


def test_your_own_copy_stays_when_the_editor_fails_or_changes_nothing(kehu, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "${称呼}，交车快乐！\n"))
    kehu.ok("template", "edit", "thank-you", "--lang", "zh")
    mine = _copy_path().read_bytes()
    monkeypatch.setenv("EDITOR", "false")
    result = kehu("template", "edit", "thank-you", "--lang", "zh")
    assert result.code == 2 and result.err == (
        f"kehu: the editor 'false' failed (exit 1); your copy is at {_copy_path()}\n"
    )
    assert _copy_path().read_bytes() == mine and _edited(kehu)
    monkeypatch.setenv("EDITOR", "true")
    assert kehu.ok("template", "edit", "thank-you", "--lang", "zh") == (
        f"Nothing changed in your template zh/thank-you ({_copy_path()}).\n"
    )
    assert _copy_path().read_bytes() == mine and _edited(kehu)
    # Put back as the default says it: no copy is kept, as after `template reset`.
    monkeypatch.setenv("EDITOR", _editor(tmp_path, drafts.default_text("thank-you", "zh")))
    out = kehu.ok("template", "edit", "thank-you", "--lang", "zh")
    assert out.startswith("Nothing differs from the default")
    assert not _copy_path().exists() and not _edited(kehu)


def test_one_broken_template_leaves_the_other_drafts_of_the_daily_list(book):
    copy = Path(os.environ["KEHU_CONFIG"]).parent / "templates" / "en" / "call-back.txt"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text("Hi ${salutation},\nHow is ${hobby}?\n", encoding="utf-8")
    result = book("today", "--drafts")
    assert result.code == 0, result
    assert result.err == (
        "warning: template en/call-back, line 2: unknown field ${hobby}; accepted: "
        + ", ".join(f"${{{k}}}/${{{v}}}" for k, v in drafts.FIELDS.items())
        + "\n"
    )
    broken = (
        "template en/call-back is broken: fix it with `kehu template edit call-back --lang en`, "
        "or go back to the default with `kehu template reset call-back --lang en`"
    )
    assert result.out.count(broken) == 2  # F1 and C2.1m
    assert "sorry again about the issue you raised." in result.out  # X2
    data = json.loads(book("today", "--drafts", "--json").out)
    listed = {i["key"]: i["draft"] for i in data["items"]}
    assert listed["F1"] is None and "Golf 1.4T" in listed["T1"]


def test_template_show_prints_the_default_with_its_comments(book):
    shown = book.ok("template", "show", "call-back", "--lang", "en")
    assert shown.startswith("# Call-back script")
    assert "${salutation}" in shown


def test_copy_puts_the_draft_on_the_clipboard(book, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "xclip"
    cat = "/bin/cat" if Path("/bin/cat").exists() else "/usr/bin/cat"
    fake.write_text(f'#!/bin/sh\n{cat} > "{folder}/copied"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(folder))
    result = book("draft", "T1", "--lang", "zh", "--copy")
    assert result.code == 0, result
    assert (folder / "copied").read_text(encoding="utf-8") == result.out.rstrip("\n")
    assert "Copied to the clipboard." in result.err


def test_copy_without_any_clipboard_says_so_in_one_line(book, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = book("draft", "T1", "--copy")
    assert result.code != 0
    assert "cannot copy to the clipboard" in result.err


def test_done_sent_keeps_the_text_sent_as_the_note(book):
    book.ok("done", "T1", "--sent", "张总，谢谢您！")
    [contact] = book.rows("SELECT channel, kind, note FROM contact WHERE customer_id = 1")
    assert contact == {"channel": "wechat", "kind": "thank-you", "note": "张总，谢谢您！"}


def test_done_draft_keeps_the_draft_as_the_note(book):
    text = _draft(book, "C2.1m").rstrip("\n")
    book.ok("done", "C2.1m", "--draft", "--via", "call")
    [contact] = book.rows("SELECT channel, note FROM contact WHERE customer_id = 2")
    assert contact == {"channel": "call", "note": text}


def test_done_takes_one_note(book):
    before = book.snapshot()
    result = book("done", "T1", "--sent", "hi", "--draft")
    assert result.code != 0 and result.err.count("\n") == 1
    assert book.snapshot() == before


def test_today_drafts_shows_each_draft_under_its_item(book):
    out = book.ok("today", "--drafts")
    block = out[out.index("T1 ") :]
    thanks = "Thank you for choosing us for your Golf 1.4T!"
    assert f"     draft:\n       Hi 张伟,\n       {thanks}" in block
    data = book.json("today", "--drafts")
    assert all(i["draft"] for i in data["items"])
    assert "draft" not in book.json("today")["items"][0]


def test_salutation_and_language_survive_a_csv_round_trip(kehu, tmp_path, monkeypatch):
    kehu.ok("add", "张伟", "--phone", "13800000001", "--salutation", "伟哥", "--language", "en")
    kehu.ok("add", "李娜", "--phone", "13800000002")
    path = tmp_path / "customers.csv"
    kehu("export", str(path))
    monkeypatch.setenv("KEHU_DB", str(tmp_path / "other.db"))
    from conftest import Kehu

    other = Kehu(str(tmp_path / "other.db"))
    result = other("import", str(path), "--yes")
    assert result.code == 0, result
    rows = other.rows("SELECT name, salutation, language FROM customer ORDER BY name")
    assert rows == [
        {"name": "张伟", "salutation": "伟哥", "language": "en"},
        {"name": "李娜", "salutation": None, "language": None},
    ]
    assert other.rows("SELECT key FROM profile_field") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_default_call_back_names_the_product_not_a_car(book, lang):
    book.ok("config", "signature.company", "平安保险")
    book.ok("add", "周凯", "--phone", "13800000009", "--product", "平安福保险",
            "--delivered", "2026-10-22", now="2026-10-22T09:00")  # fmt: skip
    script = _draft(book, "周凯", "--for", "call-back", "--lang", lang)
    assert "平安福保险这段时间还满意吗？" in script or "your 平安福保险 so far?" in script
    assert "推荐卡" in script or "referral cards" in script
    assert not re.search(r"车|试驾|test.drive|\bcar\b|\bride\b|servic", script)


def test_a_template_written_with_the_former_delivery_field_still_fills_it(
    book, tmp_path, monkeypatch
):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "${称呼}，${交车日期}交车\n"))
    book.ok("template", "edit", "thank-you", "--lang", "zh")
    assert _draft(book, "T1", "--lang", "zh") == "张总，2026年11月21日交车\n"


def test_english_drafts_sign_with_the_english_forms_and_fit_one_sms(kehu):
    """A Chinese signature in an English text makes it a UCS-2 SMS (70 characters): the English
    forms, when set, sign English drafts; Chinese drafts keep the Chinese ones."""
    for key, value in SIGNATURE:
        kehu.ok("config", key, value)
    _add(kehu, "Emma Wilson", "13800000002", "2026-11-21T15:30", "--product", "Polo")
    _add(kehu, "张伟", "13800000001", "2026-11-21T15:30", "--product", "Golf 1.4T")
    before = kehu("draft", "T1", "--channel", "sms")
    assert before.out.rstrip().endswith("王磊, 平安汽车, 138 0013 8000")
    assert "2 SMS" in before.err
    kehu.ok("config", "signature.name_en", "Lei Wang")
    kehu.ok("config", "signature.company_en", "Ping An Motors")
    after = kehu("draft", "T1", "--channel", "sms")
    assert after.code == 0
    assert after.out.rstrip().endswith("Lei Wang, Ping An Motors, 138 0013 8000")
    assert "1 SMS" in after.err and "warning" not in after.err
    assert kehu("draft", "T2", "--lang", "zh").out.rstrip().endswith("平安汽车 王磊 138 0013 8000")
    kehu.ok("config", "signature.company_en", "")  # empty: the company as it is
    assert kehu("draft", "T1").out.rstrip().endswith("Lei Wang, 平安汽车, 138 0013 8000")
