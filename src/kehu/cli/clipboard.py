"""Put a draft on the clipboard: the first clipboard command on PATH that works, else the
terminal's OSC 52 escape when stdout is a terminal, else a clear error."""

import base64
import shutil
import subprocess
import sys
from typing import TextIO

from kehu.base.errors import KehuError
from kehu.base.i18n import _

# In order of preference: Wayland, X11 (two tools), macOS.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("pbcopy",),
)
TIMEOUT_SECONDS = 5


def copy(text: str, *, stdout: TextIO | None = None) -> str:
    """Copy `text`; returns what did it: a command's name, or "osc52"."""
    data = text.encode("utf-8")
    for command in COMMANDS:
        program = shutil.which(command[0])
        if program and _run([program, *command[1:]], data):
            return command[0]
    stream = stdout or sys.stdout
    if stream.isatty():
        # Terminals that support OSC 52 (most modern ones, tmux with set-clipboard) copy it.
        stream.write(f"\033]52;c;{base64.b64encode(data).decode('ascii')}\a")
        stream.flush()
        return "osc52"
    raise KehuError(
        _(
            "cannot copy to the clipboard: install wl-copy, xclip, xsel or pbcopy, "
            "or run kehu in a terminal"
        )
    )


def _run(argv: list[str], data: bytes) -> bool:
    # xclip and wl-copy stay in the background to serve the selection: their output goes to
    # /dev/null, or waiting for it would never end.
    try:
        done = subprocess.run(
            argv,
            input=data,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
