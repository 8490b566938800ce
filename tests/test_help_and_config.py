"""What a user meets around the commands: kehu alone, a group alone, and `kehu config`."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import sqlite_only


@pytest.mark.parametrize("group", [[], ["report"], ["date"], ["template"]])
def test_a_command_group_alone_prints_its_help(kehu: Any, group: list[str]) -> None:
    alone = kehu(*group)
    assert (alone.code, alone.err) == (0, "")
    assert alone.out == kehu.ok(*group, "--help")
    assert alone.out.startswith("Usage: kehu")


def _chinese(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KEHU_LANG": "zh", "KEHU_CONFIG": str(tmp_path / "zh.toml")}
    return subprocess.run([sys.executable, "-m", "kehu", *args], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_config_names_every_setting_in_chinese(tmp_path: Path) -> None:
    shown = _chinese(["config"], tmp_path)
    assert shown.returncode == 0, shown
    rows = shown.stdout.split("\n\n")[0].splitlines()[2:]
    assert len(rows) > 30
    assert [row for row in rows if "（" not in row.split()[0]] == []
    assert "signature.name（落款姓名）" in shown.stdout
    named = _chinese(["config", "落款姓名", "王磊"], tmp_path)
    assert named.returncode == 0, named
    assert 'name = "王磊"' in (tmp_path / "zh.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["--unset"], ["rules.daily_target", "12", "--unset"]])
def test_config_unset_needs_a_setting_and_no_value(
    kehu: Any, args: list[str], tmp_path: Path
) -> None:
    kehu.ok("config", "rules.daily_target", "15")
    before = Path(os.environ["KEHU_CONFIG"]).read_bytes()
    refused = kehu("config", *args)
    assert refused.code == 2 and refused.out == ""
    assert refused.err.count("\n") == 1 and "--unset" in refused.err
    assert Path(os.environ["KEHU_CONFIG"]).read_bytes() == before


def test_the_language_setting_says_that_kehu_lang_wins(kehu: Any) -> None:
    assert "unless KEHU_LANG says" in kehu.ok("config", "language")


# Prints `kehu --help` and every command's, as a terminal of COLUMNS columns shows them.
_EVERY_HELP = """
import contextlib, io, json
from kehu.cli import main
helps = {}
for words in [[], *([name] for name in main.COMMAND_MODULES),
              ["report", "week"], ["date", "add"], ["template", "edit"]]:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        main.run([*words, "--help"])
    helps[" ".join(words)] = out.getvalue()
print(json.dumps(helps))
"""


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_help_fits_the_terminal(language: str, columns: int) -> None:
    """Click never writes help narrower than 50 columns unless told the terminal's width."""
    from kehu.ui.tables import width

    env = {**os.environ, "KEHU_LANG": language, "COLUMNS": str(columns)}
    out = subprocess.run([sys.executable, "-c", _EVERY_HELP], env=env, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    helps = json.loads(out.stdout)
    assert len(helps) > 40 and all(text.startswith(("Usage:", "用法：")) for text in helps.values())
    too_wide = [(command, line) for command, text in helps.items()
                for line in text.splitlines() if width(line) > columns]  # fmt: skip
    assert too_wide == []
    if language == "zh":
        assert not any(
            line.lstrip().startswith(("。", "，")) for line in "".join(helps.values()).splitlines()
        )


def _listed(text: str) -> str:
    """The commands a help page lists, their lines joined without the wrapping's spaces."""
    heading = "命令：" if "命令：" in text else "Commands:"
    return "".join(text.partition(heading)[2].split())


@pytest.mark.parametrize(
    ("language", "group", "whole", "not_shown"),
    [
        ("en", [], "What is coming, by day: holidays, customers' dates (birthdays and others, "
         "solar or lunar), call-backs, promises, planned calls and the ends of snoozes.", None),
        ("en", ["report"], "The daily sales activity report (销售活动日报表): each contact, "
         "then the totals.", None),
        ("en", ["date"], "One customer's dates, or all your customers' (the soonest first), "
         "with the next day each is kept.", None),
        ("zh", [], "从文件添加客户：CSV 或 Excel（中文或英文表头，Google、Outlook 导出的也行）、"
         "vCard 名片，或 kehu 的 JSON（导入空客户簿）。", "先预览"),
        ("zh", [], "删除一位客户及其全部购买、联系和承诺记录。", "需要加"),
        ("zh", ["report"], "按购买金额给客户排名（二八法则），以及他们的转介绍和建议的等级调整。",
         None),
    ],
    ids=["en-kehu", "en-report", "en-date", "zh-import", "zh-delete", "zh-report"],
)  # fmt: skip
def test_a_listing_gives_each_command_s_first_sentence_whole(
    language: str, group: list[str], whole: str, not_shown: str | None
) -> None:
    """`kehu --help` and a group's help list each command with its whole first sentence,
    wrapped to the terminal, not cut with "..." (Click's default), however wide it is."""
    env = {**os.environ, "KEHU_LANG": language, "COLUMNS": "200"}
    shown = subprocess.run([sys.executable, "-m", "kehu", *group, "--help"], env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (shown.returncode, shown.stderr) == (0, "")
    listed = _listed(shown.stdout)
    assert "".join(whole.split()) in listed
    assert "..." not in listed
    if not_shown is not None:  # only the first sentence: a Chinese one ends at 。
        assert not_shown not in listed


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["lost", "张伟"], "缺少选项 '--reason'。（"),
        (["date", "add", "张伟"], "缺少参数 'KIND'。（"),
    ],
)
def test_a_missing_option_is_said_with_a_chinese_full_stop(
    tmp_path: Path, args: list[str], said: str
) -> None:
    refused = _chinese(args, tmp_path)
    assert refused.returncode == 2 and refused.stdout == ""
    assert said in refused.stderr and "'." not in refused.stderr


def _typer_script_completes(shell: str, line: str, book: str) -> list[str]:
    """What `kehu --install-completion` installs for zsh or fish offers for LINE."""
    env = {**os.environ, "_KEHU_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line,
           "_TYPER_COMPLETE_FISH_ACTION": "get-args", "KEHU_DB": book}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "kehu"], env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result
    return result.stdout.splitlines()


@sqlite_only  # completion reads the local book
def test_zsh_and_fish_complete_names_commands_and_options(kehu: Any, isolated: str) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    fish = _typer_script_completes("fish", "kehu show zw", isolated)
    assert fish == ["张伟\t#1 张伟 13800138000"]
    assert _typer_script_completes("fish", "kehu sh", isolated)[0].startswith("show\t")
    via = _typer_script_completes("fish", "kehu log 张伟 --vi", isolated)
    assert via == ["--via\tcall, visit, wechat, sms, email, letter, gift, other; default: the"
                   " default_channel setting."]  # fmt: skip
    zsh = _typer_script_completes("zsh", "kehu show zhang", isolated)
    assert zsh == ["""_arguments '*: :(("张伟":"#1 张伟 13800138000"))'"""]


def test_config_says_when_kehu_tz_wins_over_the_timezone_setting(
    kehu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = kehu.ok("config", "timezone", "Europe/Berlin")  # KEHU_TZ is Asia/Shanghai
    assert "Asia/Shanghai  (from KEHU_TZ, which wins over the setting)" in shown
    monkeypatch.delenv("KEHU_TZ")
    assert "Europe/Berlin  (changed)" in kehu.ok("config", "timezone")


@pytest.mark.parametrize(
    ("args", "command"),
    [(["today", "--limit"], "kehu today"), (["report", "week", "--from"], "kehu report week")],
)
def test_an_option_without_its_value_points_to_its_command_help(
    kehu: Any, args: list[str], command: str
) -> None:
    refused = kehu(*args)
    assert refused.code == 2 and refused.out == ""
    assert refused.err.endswith(f"(`{command} --help` lists what is accepted)\n")


def test_config_reads_a_list_typed_with_chinese_commas(kehu: Any) -> None:
    """A list typed with Chinese commas is read; --json gives every list-valued setting as a
    list (the holidays too, which the file and the plain listing keep comma-separated)."""
    kehu.ok("config", "rules.callback_months", "1，3，6，12")
    kehu.ok("config", "rules.holidays", "中秋、春节，国庆")
    typed = kehu.json("config")
    assert typed["rules.callback_months"] == [1, 3, 6, 12]
    assert typed["rules.callback_days"] == [7]
    assert typed["rules.holidays"] == ["spring-festival", "mid-autumn", "national-day"]
    assert kehu.json("config", "rules.holidays") == {
        "rules.holidays": ["spring-festival", "mid-autumn", "national-day"]
    }
    shown = kehu.ok("config", "rules.holidays").splitlines()
    assert shown[1].split() == ["rules.holidays", "spring-festival,mid-autumn,national-day",
                                "(changed)"]  # fmt: skip
    kehu.ok("config", "rules.holidays", "")
    kehu.ok("config", "rules.callback_days", "")
    typed = kehu.json("config")
    assert (typed["rules.holidays"], typed["rules.callback_days"]) == ([], [])


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["config", "rules.daily_target", "12"], ["template", "reset", "thank-you"]]
)
def test_a_saved_setting_or_template_says_so_when_its_output_fails(
    args: list[str], tmp_path: Path
) -> None:
    editor = """sh -c 'echo "# mine" >> "$0"'"""  # a copy of one's own, for reset to delete
    env = {**os.environ, "KEHU_CONFIG": str(tmp_path / "config.toml"), "EDITOR": editor}
    subprocess.run([sys.executable, "-m", "kehu", "template", "edit", "thank-you"], env=env,
                   capture_output=True, timeout=60, check=True)  # fmt: skip
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "kehu", *args], env=env, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 74, done.stderr
    assert done.stderr.startswith("kehu: Saved; the output could not be written")


def test_a_kehu_tz_that_is_no_zone_is_named(kehu: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHU_TZ", "Mars/Base")
    refused = kehu("today")
    assert refused.code == 2 and refused.out == ""
    assert refused.err.startswith("kehu: KEHU_TZ='Mars/Base' is no time zone; accepted:")


def test_a_mistyped_command_is_said_without_a_space_between_chinese_sentences(
    tmp_path: Path,
) -> None:
    refused = _chinese(["report", "wek"], tmp_path)
    assert refused.returncode == 2
    assert "没有 'wek' 这个命令。你是不是想输入 'week'？" in refused.stderr


def test_config_reads_a_choice_typed_in_full_width(kehu: Any) -> None:
    kehu.ok("config", "rules.feb29", "０３－０１")
    assert kehu.json("config")["rules.feb29"] == "03-01"


def test_install_completion_says_what_it_did_in_chinese(tmp_path: Path) -> None:
    env = {**os.environ, "KEHU_LANG": "zh", "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    # `; exit $?` keeps bash as kehu's parent (else bash execs it): the shell it detects
    done = subprocess.run(["bash", "-c", f"{sys.executable} -m kehu --install-completion; exit $?"],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done
    assert done.stdout.splitlines() == [
        f"已为 bash 安装命令补全：{tmp_path}/.bash_completions/kehu.sh",
        "重新打开终端后，命令补全即可生效",
    ]


def test_config_says_when_kehu_lang_wins_over_the_language_setting(kehu: Any) -> None:
    shown = kehu.ok("config", "language", "zh")  # the tests run with KEHU_LANG=en
    assert "language  zh     (KEHU_LANG=en wins over the setting)" in shown
