"""examples/crontab's job, run as cron runs it: /bin/sh -c with a bare environment (HOME, LOGNAME,
SHELL, PATH=/usr/bin:/bin) and $HOME/.local/bin/kehu linked as the README's quick start links it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SERVER_URL

pytestmark = pytest.mark.skipif(SERVER_URL is not None, reason="cron finds the default file")

CRONTAB = Path(__file__).parents[1] / "examples" / "crontab"


def _job() -> tuple[dict[str, str], str]:
    """The crontab's variables (MAILTO aside) and its one job's command."""
    variables, jobs = {}, []
    for line in CRONTAB.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if sep and " " not in name:
            variables[name] = value
        else:
            jobs.append(line)
    assert len(jobs) == 1
    fields = jobs[0].split(None, 5)
    assert fields[:5] == ["30", "8", "*", "*", "1-5"]
    variables.pop("MAILTO")
    return variables, fields[5]


def _run_as_cron(home: Path, now: str) -> subprocess.CompletedProcess[str]:
    variables, command = _job()
    link = home / ".local" / "bin" / "kehu"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(Path(sys.executable).parent / "kehu")
    bare = {
        "HOME": str(home),
        "LOGNAME": "mei",
        "SHELL": "/bin/sh",
        "PATH": "/usr/bin:/bin",
        "KEHU_NOW": now,  # the one thing added: a fixed morning
        **variables,
    }
    return subprocess.run(
        ["/bin/sh", "-c", command], env=bare, capture_output=True, text=True, timeout=60
    )


def _book_in_default_place(home: Path) -> None:
    """A book where a user's `kehu add` puts it, with a delivery whose thank-you is late."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEHU_", "XDG_"))}
    env.update(HOME=str(home), LOGNAME="mei", KEHU_NOW="2026-11-20T15:30", KEHU_BACKUP="inline")
    for args in (
        ["config", "timezone", "Asia/Shanghai"],
        ["add", "张伟", "--phone", "13800138000", "--product", "Golf 1.4T"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kehu", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr


def test_the_crontab_job_mails_what_is_late(tmp_path):
    home = tmp_path / "home"
    _book_in_default_place(home)
    assert (home / ".local" / "share" / "kehu" / "kehu.db").is_file()
    late = _run_as_cron(home, "2026-11-23T08:30")
    assert late.returncode == 0, late.stderr
    assert late.stderr == ""
    assert "张伟  13800138000  Delivered Golf 1.4T" in late.stdout
    quiet = _run_as_cron(home, "2026-11-20T16:00")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_the_crontab_job_without_a_book_says_where_it_looked(tmp_path):
    home = tmp_path / "home"
    missing = _run_as_cron(home, "2026-11-23T08:30")
    assert missing.returncode != 0 and missing.stdout == ""
    book = home / ".local" / "share" / "kehu" / "kehu.db"
    assert f"no kehu book at {book}" in missing.stderr
    assert "KEHU_DB" in missing.stderr and "crontab" in missing.stderr
    assert len(missing.stderr.splitlines()) == 1
    assert not book.exists() and not book.parent.exists()  # a read never creates a book


def test_a_failed_write_on_a_missing_book_leaves_none_so_cron_still_says_so(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEHU_", "XDG_"))}
    env.update(HOME=str(home), LOGNAME="mei", KEHU_NOW="2026-11-20T15:30", KEHU_LANG="en")
    book = home / ".local" / "share" / "kehu" / "kehu.db"
    for args in (["log", "张伟"], ["promise", "张伟", "回电", "--due", "friday"], ["done", "T1"],
                 ["kept", "1"], ["undo"]):  # fmt: skip
        failed = subprocess.run(
            [sys.executable, "-m", "kehu", *args], env=env, capture_output=True, text=True
        )
        assert failed.returncode == 6, (args, failed.stderr)  # as a read says it
        assert failed.stderr.startswith(f"kehu: no kehu book at {book} (the default;"), args
        assert not book.exists() and not book.parent.exists(), args
    missing = _run_as_cron(home, "2026-11-23T08:30")
    assert missing.returncode == 6 and f"no kehu book at {book}" in missing.stderr


README = Path(__file__).parents[1] / "README.md"
README_ZH = Path(__file__).parents[1] / "README.zh.md"


def _readme_cron_line(readme: Path, command: str) -> str:
    """The cron line the README gives for `kehu COMMAND`: `MIN HOUR DAY MONTH WEEKDAY COMMAND…`."""
    import re

    found = re.findall(
        r"`((?:\S+ ){5}\$HOME/\.local/bin/kehu " + command + r"\b[^`]*)`", readme.read_text("utf-8")
    )
    assert found, command
    return found[0].split(None, 5)[5]


@pytest.mark.parametrize("readme", [README, README_ZH])
def test_the_readmes_other_cron_jobs_run_as_written_and_mail_nothing_when_they_work(
    tmp_path, readme
):
    """`kehu export` (a synced calendar) and `kehu backup` as the README gives them to cron:
    found on cron's PATH, the file written, and nothing printed, so no mail each hour or day."""
    home = tmp_path / "home"
    _book_in_default_place(home)
    (home / "Sync").mkdir()
    nas = tmp_path / "nas"
    export = _readme_cron_line(readme, "export")
    backup = _readme_cron_line(readme, "backup").replace("/mnt/nas/kehu/", f"{nas}/")
    link = home / ".local" / "bin" / "kehu"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(Path(sys.executable).parent / "kehu")
    bare = {"HOME": str(home), "LOGNAME": "mei", "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin",
            "KEHU_NOW": "2026-11-23T08:30"}  # fmt: skip
    for command in (export, export, backup):  # the hourly export writes over its file
        done = subprocess.run(
            ["/bin/sh", "-c", command], env=bare, capture_output=True, text=True, timeout=60
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), command
    assert "BEGIN:VCALENDAR" in (home / "Sync" / "kehu.ics").read_text("utf-8")
    [copy] = nas.iterdir()
    assert copy.name == "kehu-20261123-083000-manual.db"


def test_quiet_backup_and_export_still_say_what_went_wrong(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEHU_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), LOGNAME="mei", KEHU_NOW="2026-11-23T08:30",
               KEHU_LANG="en")  # fmt: skip
    for args in (["backup", "--quiet"], ["export", "-q", str(tmp_path / "k.ics")]):
        failed = subprocess.run(
            [sys.executable, "-m", "kehu", *args], env=env, capture_output=True, text=True
        )
        assert failed.returncode == 6 and failed.stdout == "", args
        assert failed.stderr.startswith("kehu: no kehu book at "), args
    assert not (tmp_path / "k.ics").exists()


# A user the system's user database has no entry for (a container's numeric user, run with
# `env -i`): no HOME, no LOGNAME, and no name or home folder to look up.
NAMELESS = """
import pwd, sys
def unknown(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = unknown
sys.argv = ["kehu", *sys.argv[1:]]
from kehu.cli.entry import main
main()
"""


def _nameless(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    bare = {"PATH": "/usr/bin:/bin", "KEHU_NOW": "2026-11-23T08:30", **env}
    return subprocess.run(
        [sys.executable, "-c", NAMELESS, *args],
        env=bare, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip


def test_a_user_without_home_or_name_is_told_what_to_set_not_given_a_traceback(tmp_path):
    home = tmp_path / "home"
    _book_in_default_place(home)
    book = str(home / ".local" / "share" / "kehu" / "kehu.db")
    nowhere = _nameless(tmp_path, "overdue")
    assert (nowhere.returncode, nowhere.stdout) == (6, ""), nowhere.stderr
    assert nowhere.stderr == (
        "kehu: cannot tell where your book is: HOME is not set and the system knows no home "
        "folder for this user; set HOME, or point kehu at the book with --db PATH or "
        "KEHU_DB=PATH\n"
    )
    nobody = _nameless(tmp_path, "overdue", KEHU_DB=book)
    assert (nobody.returncode, nobody.stdout) == (2, ""), nobody.stderr
    assert nobody.stderr.startswith("kehu: cannot tell who you are: ")
    assert "KEHU_USER=NAME" in nobody.stderr and len(nobody.stderr.splitlines()) == 1
    # Told who they are, the book's owner: the morning report, with the default settings.
    late = _nameless(tmp_path, "overdue", KEHU_DB=book, KEHU_USER="mei")
    assert late.returncode == 0 and late.stderr == "", late.stderr
    assert "张伟  13800138000" in late.stdout
    chinese = _nameless(tmp_path, "overdue", KEHU_DB=book, KEHU_LANG="zh")
    assert chinese.returncode == 2 and "请设置 KEHU_USER=NAME" in chinese.stderr
    setting = _nameless(tmp_path, "config", "language", "zh", KEHU_DB=book, KEHU_USER="mei")
    assert setting.returncode == 6 and setting.stderr.startswith(
        "kehu: cannot tell where your settings file is: "
    )
    assert "Traceback" not in nowhere.stderr + nobody.stderr + setting.stderr


def test_a_user_without_home_gets_drafts_from_the_default_templates(tmp_path):
    """No home folder, so no settings file and no templates of one's own: the defaults, as
    every other command uses them (it stopped with "cannot tell where your settings file is")."""
    home = tmp_path / "home"
    _book_in_default_place(home)
    book = str(home / ".local" / "share" / "kehu" / "kehu.db")
    env = {"KEHU_DB": book, "KEHU_USER": "mei", "KEHU_LANG": "en"}
    draft = _nameless(tmp_path, "draft", "T1", **env)
    assert draft.returncode == 0, draft.stderr
    assert draft.stdout.startswith("Hi 张伟,\nThank you for choosing us for your Golf 1.4T!\n")
    assert "settings file" not in draft.stderr and "Traceback" not in draft.stderr
    listed = _nameless(tmp_path, "today", "--drafts", **env)
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    assert "draft:\n       Hi 张伟," in listed.stdout
    for args in (["template", "list"], ["template", "show", "thank-you", "--lang", "en"],
                 ["config"]):  # fmt: skip
        shown = _nameless(tmp_path, *args, **env)
        assert shown.returncode == 0 and shown.stderr == "", (args, shown.stderr)
    assert "thank-you            en  default" in _nameless(tmp_path, "template", "list").stdout
    chinese = _nameless(tmp_path, "draft", "T1", **{**env, "KEHU_LANG": "zh"})
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith("张伟，您好！\n") and "Golf 1.4T" in chinese.stdout
    # A change to one's own copy still needs the folder it would be written to.
    edit = _nameless(tmp_path, "template", "edit", "thank-you", **env)
    assert edit.returncode == 6 and edit.stderr.startswith(
        "kehu: cannot tell where your settings file is: "
    )
