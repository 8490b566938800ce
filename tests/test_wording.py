"""What kehu's sentences say is true and reads naturally, in both languages: counts name what
they count, labels name what they label, and the Chinese words are the ones a salesperson uses."""

import json
import os
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


def run(tmp_path: Path, language: str, *commands: list[str], now: str = NOW) -> list[list]:
    """Each command's [code, out, err], run in order on the book in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(
        KEHU_LANG=language, KEHU_DB=os.environ.get("KEHU_TEST_DATABASE_URL")
        or str(tmp_path / "kehu.db"), KEHU_CONFIG=str(tmp_path / "c.toml"), KEHU_USER="mei",
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
