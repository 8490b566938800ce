"""The `kehu` program's entry point. It imports nothing heavy itself, so that a Ctrl-C while
the rest of kehu loads (a few hundred milliseconds) is one line and exit 130, not a traceback."""

import sys


def main() -> None:
    try:
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
