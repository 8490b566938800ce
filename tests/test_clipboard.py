"""--copy: a fake clipboard command on PATH records what it was given."""

import io
import os
import shutil
import stat
from pathlib import Path

import pytest

from kehu.base.errors import KehuError
from kehu.cli import clipboard

CAT = shutil.which("cat")  # found before the tests narrow PATH
TEXT = "张总，中秋快乐！\nLei Wang, 138 0013 8000"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _fake(folder: Path, name: str, code: int = 0) -> Path:
    """A command that saves its arguments and stdin next to itself, then exits with `code`.
    PATH holds only its folder, so it calls `cat` by its full path."""
    script = folder / name
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s " "$@" > "{folder}/{name}.args"\n'
        f'{CAT} > "{folder}/{name}.stdin"\n'
        f"exit {code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_xclip_gets_the_text_as_utf8(bin_dir):
    _fake(bin_dir, "xclip")
    assert clipboard.copy(TEXT, stdout=io.StringIO()) == "xclip"
    assert (bin_dir / "xclip.stdin").read_bytes() == TEXT.encode("utf-8")
    assert (bin_dir / "xclip.args").read_text() == "-selection clipboard "


def test_the_first_command_on_path_is_used(bin_dir):
    _fake(bin_dir, "xsel")
    _fake(bin_dir, "xclip")
    assert clipboard.copy(TEXT) == "xclip"
    assert not (bin_dir / "xsel.stdin").exists()


def test_a_command_that_fails_hands_over_to_the_next(bin_dir):
    _fake(bin_dir, "wl-copy", code=1)  # installed, but no Wayland session
    _fake(bin_dir, "xsel")
    assert clipboard.copy(TEXT) == "xsel"
    assert (bin_dir / "xsel.stdin").read_bytes() == TEXT.encode("utf-8")
    assert (bin_dir / "xsel.args").read_text() == "--clipboard --input "


def test_without_a_command_a_terminal_gets_osc52(bin_dir):
    screen = Terminal()
    assert clipboard.copy(TEXT, stdout=screen) == "osc52"
    import base64

    encoded = base64.b64encode(TEXT.encode("utf-8")).decode("ascii")
    assert screen.getvalue() == f"\033]52;c;{encoded}\a"


def test_without_a_command_or_a_terminal_a_clear_error(bin_dir):
    piped = io.StringIO()
    with pytest.raises(KehuError) as caught:
        clipboard.copy(TEXT, stdout=piped)
    assert str(caught.value) == (
        "cannot copy to the clipboard: install wl-copy, xclip, xsel or pbcopy, "
        "or run kehu in a terminal"
    )
    assert piped.getvalue() == ""
    assert "张" not in str(caught.value)


def test_a_command_that_is_not_executable_is_skipped(bin_dir):
    (bin_dir / "pbcopy").write_text("#!/bin/sh\nexit 0\n")  # no execute bit: not on PATH
    with pytest.raises(KehuError):
        clipboard.copy(TEXT, stdout=io.StringIO())
    assert os.access(bin_dir / "pbcopy", os.X_OK) is False
