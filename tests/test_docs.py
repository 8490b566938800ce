"""README's command reference names every command and every option of every command (short
forms too), shows no option a command does not take, and lists the exit codes errors.py defines
(as sqlite-utils' test_docs.py keeps its docs complete); the README names every setting. The
Chinese README (README.zh.md) is held to the same, and names the same commands and options."""

import re
from pathlib import Path

import click
import pytest
import typer

from kehu.base import errors
from kehu.base.settings import SETTINGS
from kehu.cli.main import app, load_commands

load_commands()

ROOT = Path(__file__).resolve().parent.parent
# Each README, with the headings of its command reference and of its table of exit codes.
READMES = {
    "README.md": ("## Commands", "### Exit codes"),
    "README.zh.md": ("## 命令", "### 退出码"),
}
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]
# The commands of a group (`kehu report day`, `kehu date add`), each as "GROUP NAME".
SUBCOMMANDS = sorted(
    f"{name} {sub}"
    for name, command in GROUP.commands.items()  # type: ignore[attr-defined]
    if isinstance(command, click.Group)
    for sub in command.commands
)


def _command(name: str) -> click.Command:
    command = GROUP
    for word in name.split():
        command = command.commands[word]  # type: ignore[attr-defined]
    return command


def _options(command: click.Command) -> set[str]:
    """Every option of a command as `--help` shows it, short forms too (`-q`, `-y`)."""
    return {option for param in command.params for option in (*param.opts, *param.secondary_opts)
            if option.startswith("-")}  # fmt: skip


def _mentions(text: str, option: str) -> bool:
    """Whether the text names the option itself: `-y` is not named by `--yes`."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def _reference(readme: str) -> str:
    text = (ROOT / readme).read_text(encoding="utf-8")
    start = text.index(READMES[readme][0])
    return text[start : text.index("\n## ", start + 1)]


def _rows(readme: str, name: str) -> str:
    """The reference's table rows about `kehu NAME`."""
    return "\n".join(
        line for line in _reference(readme).splitlines()
        if line.startswith("|") and re.search(rf"`kehu {re.escape(name)}[ `]", line)
    )  # fmt: skip


@pytest.mark.parametrize("readme", READMES)
@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_its_options_are_in_the_reference(readme, name):
    rows = _rows(readme, name)
    assert rows, f"kehu {name} is missing from {readme}'s command reference"
    command = GROUP.commands[name]  # type: ignore[attr-defined]
    for option in sorted(_options(command) - {"--help", "-h"}):
        assert _mentions(rows, option), f"kehu {name} {option} is missing from {readme}"


def _section(readme: str, rows: str) -> str:
    """The part of the reference (from its ### heading) that holds the rows."""
    reference = _reference(readme)
    at = reference.index(rows.splitlines()[0])
    return reference[reference.rfind("\n### ", 0, at) : at]


@pytest.mark.parametrize("readme", READMES)
@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_command_of_a_group_and_its_options_are_in_the_reference(readme, name):
    """`kehu report day`, `kehu date add`…: named in a row, each option in its rows or in the
    lines above its table that speak for all of them ("Every report takes `--owner NAME`…")."""
    group, sub = name.split()
    rows = "\n".join(
        line for line in _reference(readme).splitlines()
        if line.startswith("|")
        and re.search(rf"`kehu {group} ([a-z-]+\\\|)*{sub}[ `\\]", line)
    )  # fmt: skip
    assert rows, f"kehu {name} is missing from {readme}'s command reference"
    documented = rows + _section(readme, rows)
    for option in sorted(_options(_command(name)) - {"--help", "-h"}):
        assert _mentions(documented, option), f"kehu {name} {option} is missing from {readme}"


@pytest.mark.parametrize("readme", READMES)
def test_every_option_a_row_shows_is_one_the_command_takes(readme):
    """The reference's synopses (`kehu log CUSTOMER [--via CHANNEL]…`) name no option that
    `--help` does not show: a renamed or removed option leaves no stale line behind."""
    stale = []
    for line in _reference(readme).splitlines():
        if not line.startswith("| `kehu "):
            continue
        for synopsis in re.findall(r"`kehu ([^`]*)`", line.split(" | ")[0]):
            words = [word.split("\\|")[0] for word in synopsis.split()[:2]]  # week\|month
            name = " ".join(words) if " ".join(words) in SUBCOMMANDS else words[0]
            shown = set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", synopsis))
            unknown = shown - _options(_command(name))
            stale += [f"kehu {name} {option}" for option in sorted(unknown)]
    assert not stale, f"{readme} shows options that --help does not: {stale}"


@pytest.mark.parametrize("readme", READMES)
def test_every_setting_is_named(readme):
    """Each key `kehu config` takes is named where the README speaks of what it sets."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    missing = [setting.key for setting in SETTINGS
               if not re.search(rf"(?<![\w.]){re.escape(setting.key)}(?![\w.])", text)]  # fmt: skip
    assert not missing, f"{readme} never names the settings {missing}"


@pytest.mark.parametrize("readme", READMES)
def test_the_global_options_are_in_the_reference(readme):
    for param in GROUP.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in _reference(readme), option
    assert _mentions(_reference(readme), "-h"), "the short form of --help"


@pytest.mark.parametrize("readme", READMES)
def test_every_exit_code_is_in_the_reference(readme):
    codes = {cls.exit_code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.KehuError)}  # fmt: skip
    codes |= {errors.OUTPUT_LOST, 70, 130}
    reference = _reference(readme)
    table = reference[reference.index(READMES[readme][1]) :]
    for code in sorted(codes):
        assert re.search(rf"^\| {code} \|", table, re.MULTILINE), code


def _named(readme: str) -> tuple[set[str], set[str]]:
    """The commands (`kehu NAME`) and the options (`--name`) a README's reference names."""
    reference = _reference(readme)
    commands = set(re.findall(r"`kehu ([a-z][a-z-]*)", reference))
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", reference))
    return commands, options


def test_both_readmes_name_the_same_commands_and_options():
    english, chinese = _named("README.md"), _named("README.zh.md")
    assert chinese[0] == english[0], "commands named in only one README"
    assert chinese[1] == english[1], "options named in only one README"


def test_each_readme_links_to_the_other():
    assert "(README.zh.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(README.md)" in (ROOT / "README.zh.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", [*READMES, "CHANGELOG.md", "benchmarks/README.md"])
def test_no_document_keeps_a_merge_conflict(doc):
    """A conflict left unresolved in a document reads as three versions of the same lines."""
    marker = re.compile(r"^(<{7} |\|{7} |={7}$|>{7} )", re.MULTILINE)
    found = marker.search((ROOT / doc).read_text(encoding="utf-8"))
    assert found is None, (doc, found and found.group(0))
