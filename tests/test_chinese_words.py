"""Chinese words for everything typed (stored as the English codes), the `language` setting
(also under cron, where there is no locale) and the settings' Chinese names in `kehu config`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

LOCALE_VARIABLES = ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "KEHU_LANG")


@pytest.mark.parametrize(
    ("via", "kind", "channel", "stored_kind"),
    [("微信", "感谢", "wechat", "thank-you"), ("电话", "回访", "call", "follow-up"),
     ("上门", "跟进", "visit", "follow-up"), ("短信", "问候", "sms", "greeting"),
     ("邮件", "投诉", "email", "complaint"), ("礼物", "其他", "gift", "other")],
)  # fmt: skip
def test_log_takes_chinese_channels_and_kinds(kehu, via, kind, channel, stored_kind):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("log", "张伟", "--via", via, "--kind", kind)
    assert kehu.rows("SELECT channel, kind FROM contact") == [
        {"channel": channel, "kind": stored_kind}
    ]


def test_add_and_edit_take_chinese_tiers_sources_and_genders(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--tier", "重点客户", "--source", "转介绍",
            "--gender", "男")  # fmt: skip
    kehu.ok("add", "李娜", "--phone", "13800138001", "--tier", "一般", "--source", "来店",
            "--gender", "女")  # fmt: skip
    kehu.ok("edit", "李娜", "--tier", "普通", "--source", "自己开发")
    rows = kehu.rows("SELECT name, tier, source, gender FROM customer ORDER BY id")
    assert rows == [
        {"name": "张伟", "tier": "A", "source": "referral", "gender": "male"},
        {"name": "李娜", "tier": "B", "source": "own", "gender": "female"},
    ]
    assert [c["name"] for c in kehu.json("list", "--tier", "重点")] == ["张伟"]


def test_a_tier_as_the_card_shows_it_and_a_title_for_the_gender_are_read(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--tier", "A类", "--gender", "先生")
    kehu.ok("add", "李娜", "--phone", "13800138001", "--tier", "Ｃ类", "--gender", "女士")
    kehu.ok("add", "王芳", "--phone", "13800138002", "--gender", "小姐")
    kehu.ok("edit", "李娜", "--tier", "b类")
    rows = kehu.rows("SELECT name, tier, gender FROM customer ORDER BY id")
    assert rows == [
        {"name": "张伟", "tier": "A", "gender": "male"},
        {"name": "李娜", "tier": "B", "gender": "female"},
        {"name": "王芳", "tier": "B", "gender": "female"},
    ]
    assert [c["name"] for c in kehu.json("list", "--tier", "A类")] == ["张伟"]


def test_gender_as_forms_write_it_m_and_f(kehu):
    kehu.ok("add", "Tom Jones", "--phone", "13800138000", "--gender", "M")
    kehu.ok("add", "Emma Wilson", "--phone", "13800138001", "--gender", "f")
    kehu.ok("add", "Sam Lee", "--phone", "13800138002", "--gender", "Ｆ")
    rows = kehu.rows("SELECT gender FROM customer ORDER BY id")
    assert [r["gender"] for r in rows] == ["male", "female", "female"]


def test_an_unknown_word_is_refused_and_writes_nothing(kehu):
    # The English interface lists the codes; the Chinese one adds its words (tests/test_vocab.py).
    kehu.ok("add", "张伟", "--phone", "13800138000")
    before = kehu.snapshot()
    result = kehu("log", "张伟", "--via", "飞鸽")
    assert result.code != 0 and result.out == ""
    assert "wechat" in result.err and "微信" not in result.err and "Traceback" not in result.err
    assert kehu.snapshot() == before


def test_done_takes_a_chinese_channel(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
            "--delivered", "2026-11-20")  # fmt: skip
    kehu.ok("done", "T1", "--via", "微信")
    assert kehu.rows("SELECT channel, kind FROM contact") == [
        {"channel": "wechat", "kind": "thank-you"}
    ]


@pytest.mark.parametrize("answer", ["n", "否", "不是", "new"])
def test_the_same_person_question_takes_a_chinese_no(kehu, answer):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    result = kehu("add", "张伟", tty=True, input=f"{answer}\n")
    assert result.code == 0, result
    assert kehu.count("customer") == 2


def _kehu(args: list[str], tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    """kehu as cron runs it: no locale at all."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env.update(KEHU_CONFIG=str(tmp_path / "config.toml"), KEHU_DB=str(tmp_path / "kehu.db"))
    env.update(environ)
    return subprocess.run([sys.executable, "-m", "kehu", *args], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_kehu_config_language_zh_makes_cron_speak_chinese(tmp_path):
    added = _kehu(["add", "张伟", "--phone", "138", "--product", "Golf",
                   "--delivered", "2026-11-18"], tmp_path)  # fmt: skip
    assert added.returncode == 0 and added.stdout.startswith("Added"), added
    assert _kehu(["config", "language", "zh"], tmp_path).returncode == 0
    assert 'language = "zh"' in (tmp_path / "config.toml").read_text(encoding="utf-8")
    late = _kehu(["overdue"], tmp_path)
    assert late.returncode == 0, late.stderr
    assert "张伟" in late.stdout and "感谢" in late.stdout and "Thank" not in late.stdout
    assert "Usage" in _kehu(["--help"], tmp_path, KEHU_LANG="en").stdout  # KEHU_LANG wins


def test_the_language_setting_takes_codes_and_chinese_names_only(kehu, tmp_path):
    kehu.ok("config", "language", "中文")
    assert kehu.json("config", "language") == {"language": "zh"}
    kehu.ok("config", "language", "en")
    assert kehu.json("config", "language") == {"language": "en"}
    result = kehu("config", "language", "fr")
    assert result.code != 0 and "zh" in result.err and "Traceback" not in result.err
    assert kehu.json("config", "language") == {"language": "en"}


def test_a_language_setting_kehu_does_not_know_leaves_the_locale_to_decide(tmp_path):
    (tmp_path / "config.toml").write_text('language = "fr"\n', encoding="utf-8")
    assert "用法" in _kehu(["--help"], tmp_path, LANG="zh_CN.UTF-8").stdout


def test_kehu_config_names_the_settings_in_chinese_and_takes_those_names(tmp_path):
    shown = _kehu(["config"], tmp_path, KEHU_LANG="zh")
    assert shown.returncode == 0, shown.stderr
    assert "language（语言）" in shown.stdout and "rules.daily_target（每日目标）" in shown.stdout
    assert _kehu(["config", "每日目标", "12"], tmp_path, KEHU_LANG="zh").returncode == 0
    assert "daily_target = 12" in (tmp_path / "config.toml").read_text(encoding="utf-8")
    english = _kehu(["config"], tmp_path, KEHU_LANG="en").stdout
    assert "语言" not in english and "\nlanguage " in english


def test_every_choice_option_takes_the_chinese_words_kehu_knows(kehu):
    kehu.ok("add", "王秀英", "--phone", "13800138000", "--product", "Golf",
            "--delivered", "2026-11-18")  # fmt: skip
    assert [i["kind"] for i in kehu.json("today", "--kind", "感谢")["items"]] == ["thank-you"]
    assert kehu.json("today", "--kind", "回访")["items"] == []
    assert kehu.json("today", "--kind", "购买回访")["items"] == []
    draft = kehu.json("draft", "王秀英", "--for", "节日问候", "--occasion", "中秋",
                      "--channel", "微信", "--lang", "中文")  # fmt: skip
    assert (draft["kind"], draft["channel"], draft["lang"]) == ("holiday", "wechat", "zh")
    assert "中秋" in draft["text"]
    assert kehu.json("draft", "王秀英", "--for", "意向客户跟进")["kind"] == "prospect-follow-up"
    assert [c["name"] for c in kehu.json("list", "--sort", "姓名")] == ["王秀英"]
    kehu.ok("report", "health", "--show", "渐冷")
    assert kehu.ok("template", "show", "感谢") == kehu.ok("template", "show", "thank-you")
    kehu.ok("date", "add", "王秀英", "结婚纪念日", "5月1日")
    kehu.ok("edit", "王秀英", "--birthday", "3月8日")
    kehu.ok("add", "李娜", "--birthday", "1985年3月15日")
    assert "wedding" in [o["kind"] for o in kehu.json("show", "王秀英")["occasions"]]
    assert kehu.json("show", "王秀英")["birthday"] == "03-08"
    assert kehu.json("show", "李娜")["birthday"] == "1985-03-15"


def test_one_word_names_one_code_of_each_choice():
    from kehu.rules import choices, kinds, occasions, vocab
    from kehu.ui import drafts

    for accepted in (kinds.NAMES, drafts.KINDS, drafts.OCCASION_CODES, occasions.KINDS,
                     vocab.CHANNELS, vocab.CONTACT_KINDS, vocab.LIST_ORDERS, vocab.SOURCES,
                     ("cooling", "at-risk", "lost")):  # fmt: skip
        words = [w for code in accepted for w in choices.WORDS.get(code, ())]
        assert len(words) == len(set(words)), accepted


def test_kehu_config_takes_a_chinese_setting_name_in_the_english_interface(kehu):
    kehu.ok("config", "每日目标", "12")
    assert kehu.json("config", "rules.daily_target") == {"rules.daily_target": 12}
    result = kehu("config", "每日目的", "12")
    assert result.code == 2 and "unknown setting '每日目的'" in result.err
