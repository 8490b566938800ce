"""Start-up: --help and completion stay light, and the daily commands never need SQLAlchemy."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SERVER_URL

from kehu import __version__
from kehu.cli.main import COMMAND_MODULES

_spec = importlib.util.spec_from_file_location(
    "catalog", Path(__file__).resolve().parent.parent / "scripts" / "catalog.py"
)
assert _spec and _spec.loader
catalog = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalog)


def _modules_after(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    code = (
        "import sys, contextlib, io\n"
        "from kehu.cli import main as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    cli.run({args!r})\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_help_imports_neither_sqlalchemy_nor_rich():
    loaded = _modules_after(["--help"])
    assert "sqlalchemy" not in loaded and "sqlmodel" not in loaded and "rich" not in loaded


def test_daily_commands_do_not_import_sqlalchemy(kehu):
    """On either engine: a server book is read and written through libpq directly (not even
    psycopg, whose import alone costs as much as the command), and a new book (made here by
    the first add) is made from the DDL shipped with kehu."""
    loaded = _modules_after(["add", "张伟", "--phone", "13800138000", "--product", "Golf"])
    assert "sqlalchemy" not in loaded and "sqlmodel" not in loaded
    for args in (["today"], ["overdue"], ["log", "张伟", "--via", "call"], ["show", "1"],
                 ["add", "李娜", "--phone", "13800138001", "--product", "Golf"]):  # fmt: skip
        loaded = _modules_after(args)
        assert "sqlalchemy" not in loaded and "pydantic" not in loaded, args
        assert "psycopg" not in loaded and "psycopg_binary" not in loaded, args
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")] == [
        "张伟", "李娜"]  # fmt: skip
    assert kehu.count("contact") == 1


@pytest.mark.skipif(SERVER_URL is not None, reason="completion reads the local book")
def test_completion_offers_commands_options_and_customers(kehu, isolated):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "张三", "--phone", "13800138001")
    kehu.ok("add", "Anna", "--phone", "13800138002")

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        env = {**os.environ, "_KEHU_COMPLETE": "complete_bash", "KEHU_DB": isolated,
               "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
        result = subprocess.run([sys.executable, "-m", "kehu"], env=env, capture_output=True,
                                text=True, timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert {"today", "overdue", "add", "log"} <= set(complete("kehu "))
    assert {"tod" + "ay"} == {w for w in complete("kehu to") if w.startswith("tod")}
    assert "--via" in complete("kehu log 张伟 --")
    assert set(complete("kehu show 张")) == {"张伟", "张三"}
    assert complete("kehu log An") == ["Anna"]
    assert complete("kehu show 3") == ["3"]  # ids: Anna is #3
    assert complete("kehu show 9") == []
    # By pinyin, as `kehu show zw` finds them: the shell gets names that do not start with zw.
    assert set(complete("kehu show zhang")) == {"张伟", "张三"}
    assert complete("kehu log zw") == ["张伟"]
    assert complete("kehu assign zs") == ["张三"]


def test_only_the_command_or_group_being_run_is_built():
    from kehu.cli import main

    assert set(main._click_command("today").commands) == {"today"}
    assert set(main._click_command("report").commands) == {"report"}
    assert {"today", "report", "add"} <= set(main._click_command("--help").commands)


def test_each_command_is_registered_by_the_module_the_start_up_map_names():
    code = (
        "import json, sys\n"
        "from typer.main import get_command_name\n"
        "from kehu.cli import main\n"
        "from kehu.cli.app import app\n"
        "found = {}\n"
        "for module in dict.fromkeys(main.COMMAND_MODULES.values()):\n"
        "    __import__('kehu.cli.' + module)\n"
        "    for info in [*app.registered_commands, *app.registered_groups]:\n"
        "        name = info.name or get_command_name(info.callback.__name__)\n"
        "        found.setdefault(name, module)\n"
        "print(json.dumps([found, main.COMMAND_MODULES]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    found, declared = json.loads(out.stdout)
    assert found == declared


def test_a_command_imports_only_its_own_module(tmp_path):
    code = (
        "import sys\n"
        "from kehu.cli import main\n"
        "main.run(['today'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('kehu.cli.')))\n"
    )
    env = {**os.environ, "KEHU_DB": str(tmp_path / "k.db"), "KEHU_NOW": "2026-11-22T10:00+08:00"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=env)  # fmt: skip
    loaded = out.stdout.strip().splitlines()[-1]
    assert "kehu.cli.daily" in loaded
    assert "kehu.cli.customers" not in loaded and "kehu.cli.importing" not in loaded
    assert "kehu.cli.exporting" not in loaded


_COMMAND_MODULES = {f"kehu.cli.{module}" for module in COMMAND_MODULES.values()}


@pytest.mark.parametrize("args", [["--help"], ["-h"], [], ["bogus"], ["--db", "x.db", "--help"]])
def test_a_run_naming_no_command_imports_no_command_module(args):
    code = (
        "import sys, contextlib, io\nfrom kehu.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    with contextlib.redirect_stderr(io.StringIO()):\n"
        f"        main.run({args!r})\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert not set(out.stdout.split()) & _COMMAND_MODULES


def test_completing_a_command_name_imports_no_command_module():
    code = (
        "import sys, contextlib, io\nfrom kehu.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main.run([])\n"
        "print(' '.join(sorted(sys.modules)))\nprint(out.getvalue().split())\n"
    )
    env = {**os.environ, "_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": "kehu --db x.db pro",
           "COMP_CWORD": "3"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)  # fmt: skip
    modules, offered = out.stdout.splitlines()[-2:]
    assert not set(modules.split()) & _COMMAND_MODULES
    assert offered == str(["prospects", "promise", "promises", "promise-edit", "promise-delete"])


def test_the_listing_is_what_the_commands_say_in_every_language():
    """cli/listing.py is what scripts/catalog.py writes from the whole app today."""
    assert catalog.listing_source() == catalog.LISTING.read_text(encoding="utf-8"), (
        "run `python scripts/catalog.py compile`"
    )


# Prints, for each width, `kehu --help` as the listing gives it and as the whole app gives it,
# and what completing a command's name offers from each (names and their help).
_BOTH_WAYS = """
import contextlib, io, json, os
from click.shell_completion import ShellComplete
from kehu.cli import main

def helped(run):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        run()
    return out.getvalue()

def offered(group):
    complete = ShellComplete(group, {}, "kehu", "_KEHU_COMPLETE")
    return [(item.value, item.help) for item in complete.get_completions([], "")]

found = {}
for columns in ("60", "80", "120", "200"):
    os.environ["COLUMNS"] = columns
    listed = helped(lambda: main.run(["--help"]))
    whole = helped(lambda: main.whole_group().main(["--help"], "kehu", standalone_mode=False))
    found[columns] = [listed, whole]
found["completion"] = [offered(main._listing_group()), offered(main.whole_group())]
print(json.dumps(found))
"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_listing_prints_the_help_the_whole_app_prints(language):
    env = {**os.environ, "KEHU_LANG": language}
    out = subprocess.run([sys.executable, "-c", _BOTH_WAYS], env=env, capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    for width, (listed, whole) in json.loads(out.stdout).items():
        assert listed == whole, width
    assert {"today", "report"} <= {name for name, _ in listed}  # the last pair: completion's


# What an everyday command does not need, each 10 to 400 ms to import: the ORM and its
# validators, the server driver, the lunar calendar and pinyin (for a lunar date, a Chinese name
# being written), the file formats of import and export, the translation tools.
HEAVY = frozenset({
    "sqlalchemy", "sqlmodel", "pydantic", "pydantic_core", "psycopg", "psycopg_binary",
    "psycopg_c", "lunar_python", "pypinyin", "openpyxl", "vobject", "icalendar", "holidays",
    "babel",
})  # fmt: skip


def _imported(args: list[str], env: dict[str, str] | None = None) -> tuple[Any, set[str]]:
    """kehu run as the shell runs it, and every module it imported (as -X importtime lists
    them: top-level names and submodules alike)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kehu", *args], capture_output=True,
        text=True, timeout=60, env={**os.environ, **(env or {})},
    )  # fmt: skip
    timed = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    result.stderr = "".join(f"{line}\n" for line in result.stderr.splitlines()
                            if not line.startswith("import time:"))  # fmt: skip
    return result, {line.rpartition("|")[2].strip() for line in timed}


def _heavy(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules} & HEAVY


def test_everyday_commands_import_no_heavy_library(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", now="2026-11-14T10:00")
    kehu.ok("promise", "张伟", "Send the tyre quote", "--due", "2026-11-22")
    kehu.ok("date", "add", "张伟", "birthday", "1985-11-25")
    keys = {i["key"] for i in kehu.json("today")["items"]}
    assert {"T1", "C1.7d", "P1"} <= keys
    for args in (
        ["--version"], ["--help"], ["today", "--help"], ["path"],
        ["today"], ["today", "--json"], ["overdue"], ["list"], ["list", "--json"],
        ["show", "1"], ["show", "张伟"], ["show", "zw"], ["promises"], ["greet", "new-year"],
        ["done", "T1", "--via", "wechat"], ["done", "P1"],
        ["log", "zw", "--via", "call", "--note", "问了保养"],
        ["add", "Anna Smith", "--phone", "13800138002", "--product", "Polo"],
    ):  # fmt: skip
        result, modules = _imported(args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "", (args, result.stderr)
        assert _heavy(modules) == set(), args
    # A Chinese name written: its pinyin forms are stored (that is what `show zw` finds), and
    # pypinyin is what computes them; nothing else heavy.
    result, modules = _imported(["add", "李娜", "--phone", "13800138001"])
    assert result.returncode == 0, result.stderr
    assert _heavy(modules) <= {"pypinyin"}
    assert [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")] == [
        "张伟", "Anna Smith", "李娜"]  # fmt: skip
    rows = kehu.rows("SELECT channel, note FROM contact ORDER BY id")
    assert [(r["channel"], r["note"]) for r in rows] == [("wechat", None), ("call", "问了保养")]
    assert [r["kept_at"] is not None for r in kehu.rows("SELECT kept_at FROM promise")] == [True]


def test_a_country_in_the_file_is_checked_only_by_the_commands_that_compute_holidays(kehu):
    """Whether the holidays package knows the file's country is found by loading it: the
    commands that compute holidays load it anyway, and they alone check (and warn)."""
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    config = Path(os.environ["KEHU_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    for country in ("XX", "US"):
        config.write_text(f'[rules]\nholiday_country = "{country}"\n', encoding="utf-8")
        for args in (["list"], ["log", "zw", "--via", "call"], ["promises"], ["path"]):
            result, modules = _imported(args)
            assert (result.returncode, result.stderr) == (0, ""), (args, result.stderr)
            assert _heavy(modules) <= {"pypinyin"}, (country, args)
        result, modules = _imported(["today"])
        assert result.returncode == 0 and "holidays" in _heavy(modules)
        assert ("rules.holiday_country" in result.stderr) == (country == "XX"), result.stderr


@pytest.mark.skipif(SERVER_URL is not None, reason="completion reads the local book")
def test_completion_imports_no_heavy_library_and_no_storage_for_a_command_name(kehu, isolated):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "Anna", "--phone", "13800138002")
    for line, offered in (
        ("kehu ", "today"), ("kehu to", "today"), ("kehu --db x.db sh", "show"),
        ("kehu log 张", "张伟"), ("kehu show zw", "张伟"), ("kehu show 2", "2"),
        ("kehu show An", "Anna"), ("kehu log 张伟 --", "--via"),
        ("kehu log 张伟 --via we", "wechat"), ("kehu today --kind th", "thank-you"),
        ("kehu list --", "--json"),
    ):  # fmt: skip
        env = {"_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": line,
               "COMP_CWORD": str(len(line.split(" ")) - 1)}  # fmt: skip
        result, modules = _imported([], env)
        assert result.returncode == 0, (line, result.stderr)
        assert offered in result.stdout.split(), (line, result.stdout)
        assert _heavy(modules) == set() and "rich" not in modules, line
        if " " not in line.removeprefix("kehu ").removeprefix("--db x.db "):  # a command's name
            assert "sqlite3" not in modules and "kehu.book.engine" not in modules, line


def test_version_alone_loads_no_command_line():
    result, modules = _imported(["--version"])
    assert (result.returncode, result.stdout, result.stderr) == (0, f"kehu {__version__}\n", "")
    assert not {"typer", "click", "kehu.cli.main", "kehu.cli.app"} & modules
    # With anything else it is the root option as before (eager: printed, the rest not run).
    result, _modules = _imported(["--version", "today"])
    assert (result.returncode, result.stdout) == (0, f"kehu {__version__}\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_version_that_cannot_be_written_says_so():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "kehu", "--version"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 70
    assert result.stderr == (
        "kehu: the output could not be written (No space left on device); nothing was written\n"
    )
    closed = subprocess.run([sys.executable, "-m", "kehu", "--version"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            timeout=60, preexec_fn=lambda: os.close(1))  # fmt: skip
    assert closed.returncode == 70
    assert closed.stderr == (
        "kehu: the output could not be written (Bad file descriptor); nothing was written\n"
    )
