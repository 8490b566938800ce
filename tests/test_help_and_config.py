"""What a user meets around the commands: kehu alone, a group alone, and `kehu config`."""

from typing import Any

import pytest


@pytest.mark.parametrize("group", [[], ["report"], ["date"], ["template"]])
def test_a_command_group_alone_prints_its_help(kehu: Any, group: list[str]) -> None:
    alone = kehu(*group)
    assert (alone.code, alone.err) == (0, "")
    assert alone.out == kehu.ok(*group, "--help")
    assert alone.out.startswith("Usage: kehu")
