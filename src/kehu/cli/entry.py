"""The `kehu` program's entry point. It imports nothing heavy itself, so that a Ctrl-C while
the rest of kehu loads (a few hundred milliseconds) is one line and exit 130, not a traceback."""

import os
import sys


def main() -> None:
    try:
        if sys.argv[1:] == ["--version"] and "_KEHU_COMPLETE" not in os.environ and _version():
            raise SystemExit(0)
        from kehu.cli import main as program
    except KeyboardInterrupt:
        interrupted()
    program.main()


def interrupted() -> None:
    """Ctrl-C before any command ran: nothing can have been written."""
    try:
        from kehu.base.i18n import _

        message = _("interrupted; nothing was written")
    except KeyboardInterrupt:
        message = "interrupted; nothing was written"
    sys.stderr.write(f"kehu: {message}\n")
    raise SystemExit(130)


def _version() -> bool:
    """`kehu --version` alone, printed without loading the command line (a quarter of the time).
    False when it could not be written: the whole program then runs and says why."""
    from kehu import __version__

    if sys.stdout is None:  # closed (`kehu --version >&-`)
        return False
    try:
        os.write(sys.stdout.fileno(), f"kehu {__version__}\n".encode())
    except (OSError, ValueError):  # nothing written: a full disk, a closed pipe, no file
        return False
    return True
