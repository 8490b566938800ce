"""In Chinese, nothing English is left: every command's output on a small book made through
the command line, every command's --help, and the errors a user can cause. What may stay is a
name, a key, a code, an option, a value the user typed, or a term of the allow-list below.
Also: the JSON output has the same keys and codes in both languages."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Run in one child process with the chosen language bound before the commands are built.
DRIVER = """
import contextlib, io, json, sys
from kehu.cli import main
results = []
for args, stdin in json.loads(sys.stdin.read()):
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.StringIO(stdin)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main.run(args)
    results.append([args, code, out.getvalue(), err.getvalue()])
sys.stdout.write(json.dumps(results))
"""

BOOK = [
    ["add", "张伟", "--phone", "13800138000", "--product", "宝马X5", "--amount", "158000",
     "--delivered", "2026-11-10", "--gender", "男", "--source", "转介绍", "--company", "华为",
     "--set", "爱好=钓鱼", "--birthday", "1985-03-15", "--note", "喜欢喝茶"],
    ["add", "李娜", "--phone", "13900139000", "--tier", "A", "--referred-by", "张伟",
     "--product", "奥迪A6", "--amount", "420000", "--delivered", "2026-08-01"],
    ["add", "王芳", "--phone", "13700137000", "--tier", "C"],
    ["log", "张伟", "--via", "微信", "--note", "聊了保养", "--at", "2026-11-20 15:00",
     "--next", "2026-11-21", "--next-note", "问问保养", "--force"],
    ["log", "李娜", "--via", "电话", "--no-answer"],
    ["log", "李娜", "--via", "电话", "--no-answer", "--kind", "回访"],
    ["log", "王芳", "--via", "电话", "--kind", "投诉", "--note", "送货晚了", "--at", "2026-11-01"],
    ["promise", "张伟", "送保养券", "--due", "2026-11-20", "--force"],
    ["promise", "李娜", "寄样品", "--due", "2026-11-30"],
    ["sale", "张伟", "--product", "脚垫", "--amount", "800"],
]  # fmt: skip
OUTPUTS = [
    ["today"], ["today", "--all"], ["today", "--limit", "2"], ["overdue"], ["overdue", "--all"],
    ["list"], ["list", "--tier", "重点客户"], ["list", "--search", "张"], ["show", "张伟"],
    ["show", "李娜"], ["show", "王芳"], ["promises"], ["promises", "--all"], ["config"],
    ["config", "rules.daily_target", "12"], ["config", "rules.daily_target"],
    ["config", "rules.daily_target", "--unset"], ["report", "day", "2026-11-20"],
    ["report", "week"], ["report", "month"], ["report", "health"],
    ["report", "health", "--show", "cooling"], ["report", "tiers"], ["report", "referrals"],
    ["report", "profile"], ["doctor"], ["calendar", "--days", "60"], ["greet", "元旦"],
    ["config", "rules.holiday_lead_days", "40"], ["today"], ["done", "G20270101", "李娜"],
    ["config", "rules.holiday_lead_days", "--unset"], ["edit", "王芳", "--company", "小米"],
    ["assign", "王芳", "lei"], ["assign", "--from", "lei", "--to", "mei"], ["kept", "P1"],
    ["cancel", "P2"], ["promises", "--all"], ["archive", "王芳"], ["list", "--archived"],
    ["unarchive", "王芳"], ["snooze", "F1", "--until", "2026-11-28", "--reason", "出差"],
    ["done", "T1", "--via", "电话", "--note", "很满意"], ["delete", "王芳", "--yes"],
    ["list", "--search", "没有这个人"], ["overdue"],
]  # fmt: skip
ERRORS = [
    ["bogus"], ["show"], ["show", "赵六"], ["show", "  "], ["add", ""], ["add", "赵六", "--nope"],
    ["add", "赵六", "--tier", "Z"], ["add", "赵六", "--amount", "很多"],
    ["add", "赵六", "--birthday", "13-45"], ["add", "赵六", "--gender", "猫"],
    ["add", "赵六", "--amount", "5"], ["add", "赵六", "--set", "爱好"],
    ["log", "张伟", "--via", "传真"],
    ["log", "张伟", "--via", "电话", "--at", "明年"],
    ["log", "张伟", "--via", "电话", "--at", "2027-01-01"],
    ["log", "张伟", "--via", "电话", "--next-note", "再说"],
    ["log", "张伟", "--via", "电话", "--kind", "闲聊"],
    ["promise", "张伟", " ", "--due", "2026-12-01"], ["promise", "张伟", "送礼"],
    ["promise", "张伟", "送礼", "--due", "某天"], ["kept", "abc"], ["kept", "P999"],
    ["cancel", "P1", "P2"], ["done", "ZZ9"], ["done", "T999"],
    ["snooze", "F1", "--until", "2026-11-01"],
    ["snooze", "F1"], ["list", "--tier", "Q"], ["today", "--limit", "0"], ["today", "--kind", "x"],
    ["today", "--limit", "很多"], ["calendar", "--days", "几天"],
    ["edit", "张伟"], ["edit", "张伟", "--tier", "D"], ["delete", "张伟"], ["assign"],
    ["assign", "张伟"], ["config", "nokey", "1"], ["config", "rules.daily_target", "很多"],
    ["report", "health", "--show", "xyz"], ["report", "day", "某天"], ["report", "bogus"],
    ["import", "/nonexistent/客户.csv"], ["copy-to", "http://example.com"],
    ["export", "--archived", "--json"], ["sale", "张伟"], ["sale", "赵六", "--product", "车"],
    ["add", "李娜", "--referred-by", "李娜", "--phone", "13900139000", "--product", "车"],
    ["today", "--owner", "mei", "--all"], ["contact-edit", "1", "--reached", "--no-answer"],
    ["report", "month", "--html", "月报.html", "--json"],
    ["promise-edit", "P1", "--due", "2026-11-01"],
    ["contact-delete", "abc"], ["purchase-edit", "x", "--amount", "1"], ["promise-delete", "x"],
    ["followup-edit", "x", "--note", "再说"],
]  # fmt: skip

# Terms that stay as they are in Chinese text: names of programs, formats and standards, and
# the words of values the book or system gives (engine names, a SQLite verdict's own words).
ALLOWED = {
    "kehu", "KEHU_DB", "KEHU_LANG", "KEHU_USER", "JSON", "CSV", "SQLite", "PostgreSQL", "URL",
    "SMS", "ID", "UTF", "HTML", "WeChat", "cron", "chmod", "pg_dump", "sqlite", "postgresql",
    "psycopg", "README", "NUL", "am", "pm", "rw", "drwx", "stdout", "Tab", "bash", "zsh",
    "fish", "powershell", "pwsh", "Excel", "TOML", "shell", "Google", "Outlook", "vCard",
    "csv", "xlsx", "json", "vcf", "ics", "ICS", "BOM", "GBK", "GB18030",
    "sale", "update", "skip",  # the codes of import --on-duplicate
}  # fmt: skip
# The salespeople of the book, and the English name signature.name_en gives as its example.
NAMES = ("mei", "lei", "Lei Wang")


def _codes() -> set[str]:
    """The codes a user types (channels, kinds, sources…), the commands, the setting keys and
    the customer's field keys (tier, gender):
    they are shown as they are typed, in every language."""
    import typer

    from kehu.base import i18n, settings
    from kehu.cli.main import app, load_commands
    from kehu.rules import customer_fields, greetings, kinds, vocab

    load_commands()

    codes = {*vocab.TIERS, *vocab.SOURCES, *vocab.CHANNELS, *vocab.CONTACT_KINDS, *vocab.GENDERS,
             *kinds.NAMES, "cooling", "at-risk", "lost", *settings.BY_KEY,
             *i18n.LANGUAGES, *customer_fields.FIELDS, *vocab.LIST_ORDERS, *vocab.LOST_REASONS,
             *vocab.PAYMENTS, *greetings.CODES}  # fmt: skip
    codes |= {choice for s in settings.SETTINGS for choice in s.choices}  # typed as they are

    def walk(command) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            codes.add(name)
            walk(sub)

    walk(typer.main.get_command(app))
    return codes


WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def _run(commands, tmp_path: Path, language: str) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(
        KEHU_LANG=language, KEHU_DB=str(tmp_path / "kehu.db"),
        KEHU_CONFIG=str(tmp_path / "c.toml"),
        KEHU_NOW="2026-11-22T10:00", KEHU_USER="mei", KEHU_TZ="Asia/Shanghai",
        KEHU_BACKUP="inline", XDG_DATA_HOME=str(tmp_path / "data"), COLUMNS="100",
    )  # fmt: skip
    if server := os.environ.get("KEHU_TEST_DATABASE_URL"):
        from conftest import _empty_server_schema

        _empty_server_schema(server)  # the book these commands build, not what others left
        env["KEHU_DB"] = server
    done = subprocess.run(
        [sys.executable, "-c", DRIVER], input=json.dumps([[c, ""] for c in commands]), env=env,
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def _help_commands() -> list[list[str]]:
    import typer

    from kehu.cli.main import app, load_commands

    load_commands()

    found: list[list[str]] = [["--help"]]

    def walk(command, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found.append([*path, name, "--help"])
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def english_left(text: str, typed: list[str], tmp_path: Path) -> list[str]:
    """The English words of `text` that are none of what may stay."""
    from kehu import __version__

    text = text.replace(str(tmp_path), "").replace(__version__, "")
    text = re.sub(r"`[^`]*`", " ", text)  # a command to type
    text = re.sub(r"\S+://\S+", " ", text)  # a URL
    text = re.sub(r"\b[A-Z][a-z]+/[A-Za-z_]+", " ", text)  # a time zone (Asia/Shanghai)
    for value in [*typed, *NAMES]:
        text = text.replace(value, " ")
    text = re.sub(r"'[^'\n]*'", " ", text)  # a value typed, quoted back
    text = re.sub(r"\b\w+[._]\w[\w.]*", " ", text)  # a key (rules.daily_target), a file name;
    # before codes: signature.name is a key, not the code name
    text = re.sub(r"(?<![\w-])[\w-]+(?![\w-])", lambda m: "" if m[0] in CODES else m[0], text)
    text = re.sub(r"/\S+", " ", text)  # a path
    text = re.sub(r"[d-][rwx-]{9}", " ", text)  # a file mode
    text = re.sub(r"--?[\w-]+", " ", text)  # an option
    text = re.sub(r"\b[A-Z][A-Z_]+\b", " ", text)  # a metavar (CUSTOMER, TEXT)
    text = re.sub(r"\b[A-Z]\d+(\.\d+[md])?\b", " ", text)  # an item key (T5, C5.1m)
    return [w for w in WORD.findall(text) if w not in ALLOWED]


CODES = _codes()


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("zh")
    commands = BOOK + OUTPUTS + ERRORS + _help_commands()
    return tmp_path, _run(commands, tmp_path, "zh")


def _typed(args: list[str]) -> list[str]:
    """The values of a command line: what a user typed may be echoed back."""
    return sorted((a for a in args if not a.startswith("-") and len(a) > 1), key=len, reverse=True)


def test_no_english_is_left_in_any_output_help_or_error(zh_run):
    tmp_path, results = zh_run
    leftovers = {}
    for args, _code, out, err in results:
        words = english_left(out + "\n" + err, _typed(args[1:]), tmp_path)
        if words:
            leftovers[" ".join(args)] = sorted(set(words))
    assert leftovers == {}


def test_the_commands_did_what_they_were_asked(zh_run):
    _, results = zh_run
    by_command = {" ".join(a): (code, out, err) for a, code, out, err in results}
    for args in BOOK + OUTPUTS:
        code, out, err = by_command[" ".join(args)]
        assert code == 0 or args[0] == "overdue", (args, err)
    for args in ERRORS:
        code, out, err = by_command[" ".join(args)]
        assert code != 0 and err.startswith("kehu: "), (args, out, err)
        assert "Traceback" not in err
    assert "第2次尝试" in by_command["log 李娜 --via 电话 --no-answer --kind 回访"][1]
    card = by_command["show 张伟"][1]
    assert "¥158,000" in card and "转介绍" in card and "男" in card


JSON_COMMANDS = [["today"], ["overdue"], ["list"], ["show", "张伟"], ["promises", "--all"],
                 ["report", "week"], ["report", "health"], ["report", "tiers"]]  # fmt: skip


def _shape(data):
    """Keys, and the values that are codes (everything but worded text), of a JSON document."""
    if isinstance(data, dict):
        return {k: _shape(v) for k, v in data.items() if k not in ("reason", "talking_point")}
    if isinstance(data, list):
        return [_shape(v) for v in data]
    return data


@pytest.mark.skipif(
    bool(__import__("os").environ.get("KEHU_TEST_DATABASE_URL")),
    reason="each language needs a book of its own; a server book is shared",
)
def test_json_keys_and_codes_are_the_same_in_both_languages(tmp_path):
    commands = BOOK + [[*c, "--json"] for c in JSON_COMMANDS]
    shapes = {}
    for language in ("en", "zh"):
        folder = tmp_path / language
        folder.mkdir()
        results = _run(commands, folder, language)
        shapes[language] = [json.loads(out) for _, _, out, _ in results[len(BOOK) :]]
    for en, zh in zip(shapes["en"], shapes["zh"], strict=True):
        assert _shape(en) == _shape(zh)
