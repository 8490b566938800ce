"""README's command reference names every command and every option of every command, and lists
the exit codes errors.py defines (as sqlite-utils' test_docs.py keeps its docs complete). The
Chinese README (README.zh.md) is held to the same, and names the same commands and options."""

import re
from pathlib import Path

import pytest
import typer

from kehu.base import errors
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
    for param in command.params:
        for option in param.opts:
            if option.startswith("-") and option not in ("--help", "-h"):
                assert option in rows, f"kehu {name} {option} is missing from {readme}"


@pytest.mark.parametrize("readme", READMES)
def test_the_global_options_are_in_the_reference(readme):
    for param in GROUP.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in _reference(readme), option


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
