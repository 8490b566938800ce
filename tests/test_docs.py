"""README's command reference names every command and every option of every command, and lists
the exit codes errors.py defines (as sqlite-utils' test_docs.py keeps its docs complete)."""

import re
from pathlib import Path

import pytest
import typer

from kehu.base import errors
from kehu.cli.main import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
REFERENCE = README[
    README.index("## Commands") : README.index("\n## ", README.index("## Commands") + 1)
]
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]


def _rows(name: str) -> str:
    """The reference's table rows about `kehu NAME`."""
    return "\n".join(
        line for line in REFERENCE.splitlines()
        if line.startswith("|") and re.search(rf"`kehu {re.escape(name)}[ `]", line)
    )  # fmt: skip


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_its_options_are_in_the_reference(name):
    rows = _rows(name)
    assert rows, f"kehu {name} is missing from README's command reference"
    command = GROUP.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        for option in param.opts:
            if option.startswith("-") and option not in ("--help", "-h"):
                assert option in rows, f"kehu {name} {option} is missing from README"


def test_the_global_options_are_in_the_reference():
    for param in GROUP.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in REFERENCE, option


def test_every_exit_code_is_in_the_reference():
    codes = {cls.exit_code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.KehuError)}  # fmt: skip
    codes |= {errors.OUTPUT_LOST, 70, 130}
    table = REFERENCE[REFERENCE.index("### Exit codes") :]
    for code in sorted(codes):
        assert re.search(rf"^\| {code} \|", table, re.MULTILINE), code
