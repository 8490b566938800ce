"""What kehu's sentences say is true and reads naturally, in both languages: counts name what
they count, labels name what they label, and the Chinese words are the ones a salesperson uses."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

# One child process per run, with the language bound before the commands are built.
DRIVER = """
import contextlib, io, json, os, sys
from kehu.cli import main
results = []
for args, now in json.loads(sys.stdin.read()):
    os.environ["KEHU_NOW"] = now
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.StringIO("")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main.run(args)
    results.append([code, out.getvalue(), err.getvalue()])
sys.stdout.write(json.dumps(results))
"""
NOW = "2026-11-30T09:00"


_BOOKS: set[Path] = set()  # the folders whose book the server test database holds, in turn


def run(tmp_path: Path, language: str, *commands: list[str], now: str = NOW) -> list[list]:
    """Each command's [code, out, err], run in order on the book in tmp_path (on a server run,
    the test database, emptied the first time a folder uses it: one book per folder)."""
    server = os.environ.get("KEHU_TEST_DATABASE_URL")
    if server and tmp_path not in _BOOKS:
        from conftest import _empty_server_schema

        _empty_server_schema(server)
        _BOOKS.add(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(
        KEHU_LANG=language, KEHU_DB=server or str(tmp_path / "kehu.db"),
        KEHU_CONFIG=str(tmp_path / "c.toml"), KEHU_USER="mei",
        KEHU_TZ="Asia/Shanghai", KEHU_BACKUP="inline", XDG_DATA_HOME=str(tmp_path / "data"),
        COLUMNS="100",
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", DRIVER], input=json.dumps([[c, now] for c in commands]), env=env,
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def outputs(tmp_path: Path, language: str, *commands: list[str], now: str = NOW) -> list[str]:
    """The output of each command, which must succeed quietly."""
    results = run(tmp_path, language, *commands, now=now)
    for command, (code, _out, err) in zip(commands, results, strict=True):
        assert code == 0 and err == "", (command, code, err)
    return [out for _code, out, _err in results]


def test_the_phone_is_labelled_phone_and_a_prospect_level_open_in_chinese(tmp_path):
    out = outputs(
        tmp_path, "zh",
        ["add", "张伟", "--phone", "13800138000", "--prospect", "--level", "B"],
        ["log", "张伟", "--via", "电话", "--level", "A"],
        ["add", "李娜", "--phone", "13900139000"],
        ["promise", "李娜", "送礼", "--due", "2026-12-05"],
        ["list"], ["show", "张伟"], ["promises"], ["greet", "元旦"], ["report", "day"],
        ["report", "profile"],
    )  # fmt: skip
    listed, card, promised, greet, day, profile = out[4:]
    for text in (listed, card, promised, greet, day, profile):
        assert "电话" in text and "来电" not in text, text
    assert "级别：             A（跟进中）" in card and "待兑现" not in card
    assert "级别变化：         B 今天 → A 今天" in card and "levels" not in card


BOOK = [
    ["add", "张伟", "--phone", "13800138000", "--product", "X5", "--amount", "158000",
     "--delivered", "2026-11-10"],
    ["add", "李娜", "--phone", "13900139000", "--referred-by", "张伟", "--tier", "A"],
    ["add", "王芳", "--phone", "13700137000"],
    ["promise", "张伟", "送礼", "--due", "2026-12-05"],
]  # fmt: skip


def _said(tmp_path: Path, language: str) -> dict[str, str]:
    """What each of the worded moments says: output and error together."""
    (tmp_path / "h.csv").write_text("姓名,时间,方式\n张伟,2026-11-01,电话\n", encoding="utf-8")
    asked = {
        "kept again": ["cancel", "P1"],
        "ics": ["export", "--format", "ics", str(tmp_path / "x.ics")],
        "csv": ["export", str(tmp_path / "c.csv")], "today": ["today"],
        "tiers": ["report", "tiers"], "referrals": ["report", "referrals"],
        "history": ["import", "--contacts", str(tmp_path / "h.csv"), "--dry-run"],
        "health help": ["report", "health", "--help"], "config": ["config"],
    }  # fmt: skip
    results = run(tmp_path, language, *BOOK, ["kept", "P1"], *asked.values())
    said = {
        name: out + err
        for name, (_c, out, err) in zip(asked, results[len(BOOK) + 1 :], strict=True)
    }
    eve = run(tmp_path, language, ["today"], ["greet", "春节"], now="2027-02-05T09:00")
    said["eve"] = eve[0][1] + eve[1][1]
    return said


def test_chinese_sentences_read_naturally(tmp_path):
    said = _said(tmp_path, "zh")
    assert "承诺 1 已兑现；" in said["kept again"] and "已已" not in said["kept again"]
    assert "已导出 " in said["ics"] and " 个日程到 " in said["ics"] and "个个" not in said["ics"]
    assert "已导出 3 位客户到 " in said["csv"] and "客户数" not in said["csv"]
    assert "介绍了李娜 —— 记得道谢" in said["today"] and "他们" not in said["today"]
    assert "从未联系上，今天添加" in said["today"]
    assert "明天是春节 —— 送上问候" in said["eve"] and "明天是春节：问候" in said["eve"]
    assert "明天是春节 [G20270206]" in said["eve"] and "春节明天" not in said["eve"]
    assert "购买金额" in said["tiers"] and "购买金额" in said["referrals"]
    assert "渐冷" in said["health help"] and "渐冷月数" in said["config"]
    for text in said.values():
        assert "降温" not in text and "转冷" not in text
    assert said["history"] == "将添加 1 条过往联系记录。\n"


def test_english_sentences_count_and_date_as_they_should(tmp_path):
    said = _said(tmp_path, "en")
    assert "promise 1 is already kept; only open promises can change" in said["kept again"]
    assert "Exported 3 customers to " in said["csv"] and " events to " in said["ics"]
    assert "never reached, added today" in said["today"]
    assert "Spring Festival tomorrow — send a greeting" in said["eve"]
    assert said["history"] == "1 past contact will be added.\n"


def test_delete_without_yes_says_undo_brings_the_customer_back(tmp_path):
    for language, said in (
        ("en", "`kehu undo` brings them back"),
        ("zh", "用 `kehu undo` 可以恢复"),
    ):
        folder = tmp_path / language
        folder.mkdir()
        _added, refused, *rest = run(
            folder, language, ["add", "张伟", "--phone", "13800138000"], ["delete", "张伟"],
            ["delete", "张伟", "--yes"], ["undo"], ["show", "张伟"],
        )  # fmt: skip
        assert refused[0] == 2 and said in refused[2], refused
        assert "cannot be undone" not in refused[2] and "无法撤销" not in refused[2]
        assert [code for code, _out, _err in rest] == [0, 0, 0]


def test_a_chinese_warning_starts_as_every_error_line_does(tmp_path):
    (_a, _s, (_c, _out, err)) = run(
        tmp_path, "zh", ["add", "张伟", "--phone", "13800138000"], ["assign", "张伟", "lei"],
        ["today"],
    )  # fmt: skip
    assert err.startswith("kehu: 没有属于 'mei' 的客户") and "kehu：" not in err


def test_today_heading_counts_items_and_the_customers_they_are_about(tmp_path):
    commands = [
        *BOOK, ["today"], ["today", "--limit", "2"], ["today", "--summary"],
    ]  # fmt: skip
    (tmp_path / "en").mkdir()
    (tmp_path / "zh").mkdir()
    en, zh = run(tmp_path / "en", "en", *commands), run(tmp_path / "zh", "zh", *commands)
    full, limited, summary = (out.splitlines()[0] for _c, out, _e in en[len(BOOK) :])
    # 张伟: T1, C1.7d, R2; 李娜 and 王芳: a suggestion each
    assert full == "Today, Mon 30 Nov 2026: 5 items for 3 customers (2 late)"
    # the whole list's counts: the customers and late items a --limit left out are counted
    assert limited == "Today, Mon 30 Nov 2026: 2 of 5 items shown, for 3 customers (2 late)"
    assert summary == "Mon 30 Nov 2026: 3 items, 2 late"
    full, limited, _summary = (out.splitlines()[0] for _c, out, _e in zh[len(BOOK) :])
    assert full == "今天，2026年11月30日 周一：5 项，涉及 3 位客户（2 项已逾期）"
    assert (
        limited
        == "今天，2026年11月30日 周一：显示 5 项中的前 2 项，共涉及 3 位客户（共 2 项已逾期）"
    )
    eve = run(tmp_path / "en", "en", ["today"], now="2027-02-05T09:00")[0][1].splitlines()[0]
    assert eve.endswith("for 3 customers plus a grouped greeting for 2 customers (2 late)")


def test_chinese_names_the_channel_and_kind_of_what_already_closed_an_item(tmp_path):
    *_book, first, again, _log, closed = run(
        tmp_path, "zh", *BOOK, ["done", "T1", "--via", "微信"], ["done", "T1"],
        ["log", "张伟", "--via", "微信", "--kind", "问候"], ["done", "C1.7d"],
    )  # fmt: skip
    assert first[0] == 0
    assert "（记录了微信感谢）" in again[1], again
    assert "已通过微信联系上（问候）" in closed[1], closed
    for text in (again[1], closed[1]):
        assert not {"wechat", "thank-you", "greeting"} & set(re.findall(r"[\w-]+", text)), text


def test_the_summary_names_each_kind_of_item_in_chinese_and_the_json_keeps_the_codes(tmp_path):
    commands = [*BOOK, ["add", "赵六", "--phone", "13600136000", "--birthday", "02-07"],
                ["today", "--summary"], ["today", "--summary", "--json"]]  # fmt: skip
    *_book, (_c, text, _e), (_c2, as_json, _e2) = run(
        tmp_path, "zh", *commands, now="2027-02-05T09:00"
    )
    assert "纪念日 1" in text and "节日群发 1" in text, text
    assert "personal-date" not in text and "holiday-group" not in text
    kinds = {row["kind"] for row in json.loads(as_json)["summary"]}
    assert {"personal-date", "holiday-group"} <= kinds


def test_undo_names_the_rows_as_a_user_knows_them(tmp_path):
    tables = re.compile(r"customer_pinyin|prospect_grade|closed_item|occasion|prospect \w")
    for language, shown in (
        ("zh", ("新增已完成事项 T1", "新增意向客户 #4", "新增级别变化 #1", "新增日期 #1",
                "移除日期 #1")),
        ("en", ("closed item T1 added", "prospect #4 added", "level change #1 added",
                "date #1 added", "date #1 removed")),
    ):  # fmt: skip
        folder = tmp_path / language
        folder.mkdir()
        listed, undone = outputs(
            folder, language, *BOOK, ["done", "T1"],
            ["add", "赵六", "--phone", "13600136000", "--prospect", "--level", "B"],
            ["date", "add", "李娜", "wedding", "2020-05-01"], ["undo", "--list"], ["undo"],
        )[-2:]  # fmt: skip
        said = listed + undone
        for words in shown:
            assert words in said, (words, said)
        assert not tables.search(said), said


def test_an_import_preview_and_a_bad_card_are_worded_in_chinese(tmp_path):
    table, card = tmp_path / "t.csv", tmp_path / "bad.vcf"
    table.write_text("姓名,电话,爱好\n赵六,13600136000,钓鱼\n", encoding="utf-8")
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:赵六\nTEL;;;:\nEND:VCARD\n", encoding="utf-8")
    (_c, preview, _e), (_c2, _o, err) = run(
        tmp_path, "zh", ["import", str(table), "--dry-run"], ["import", str(card), "--dry-run"]
    )
    assert "列（自制表格）：" in preview and "table" not in preview
    assert "这张名片不符合 vCard 格式，无法读取" in err and "Error" not in err, err


def test_a_choice_that_is_not_known_is_named_in_chinese(tmp_path):
    refused = {
        "等级": ["add", "赵六", "--tier", "Z"],
        "性别": ["add", "赵六", "--gender", "猫"],
        "语言": ["edit", "张伟", "--language", "fr"],
        "来源": ["edit", "张伟", "--source", "xx"],
        "日期类型": ["date", "add", "张伟", "xx", "2020-01-01"],
        "场合（--occasion）": ["draft", "张伟", "--for", "greeting", "--occasion", "xx"],
        "草稿类型（--for）": ["draft", "张伟", "--for", "xx"],
        "发送方式（--channel）": ["draft", "T1", "--channel", "xx"],
        "语言（--lang）": ["draft", "T1", "--lang", "xx"],
        "草稿类型": ["template", "show", "xx"],
    }
    results = run(tmp_path, "zh", *BOOK, *refused.values())[len(BOOK) :]
    for label, (code, out, err) in zip(refused, results, strict=True):
        assert code == 2 and out == "" and err.startswith(f"kehu: {label}无法识别："), err


def test_a_grouped_greeting_key_is_worded_in_chinese(tmp_path):
    *_book, (code, _o, err), (code2, _o2, err2) = run(
        tmp_path, "zh", *BOOK, ["draft", "G20270101"], ["done", "G1"]
    )
    assert code == 2 and "`kehu draft 客户 --for holiday --occasion new-year`" in err
    assert "CUSTOMER" not in err
    assert code2 == 2 and err2 == "kehu: G1 不是群发问候的代号：G 加日期，例如 G20261001\n"


def test_an_html_report_is_marked_in_the_interface_language(tmp_path):
    for language, tag in (("zh", '<html lang="zh-CN">'), ("en", '<html lang="en">')):
        page = tmp_path / f"{language}.html"
        outputs(tmp_path, language, BOOK[0], ["report", "month", "--html", str(page)])
        assert tag in page.read_text(encoding="utf-8")


def test_an_import_names_a_refused_choice_in_chinese(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("姓名,电话,等级\n赵六,13600136000,Z\n", encoding="utf-8")
    [(code, out, err)] = run(tmp_path, "zh", ["import", str(table)])
    assert code == 2 and out == ""
    assert "第 2 行：等级无法识别：'Z'" in err and "tier" not in err, err
