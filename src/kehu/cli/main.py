"""The `kehu` command: the application, its commands, and how errors reach the user."""

import gc
import os
import sys
from typing import Any

from kehu.base.errors import KehuError
from kehu.base.i18n import _
from kehu.cli.app import app, ctx

# Importing the command modules registers their commands; --help lists them in this order.
for _module in ("daily", "customers", "contacts", "admin", "reports"):
    __import__(f"kehu.cli.{_module}")


def main() -> None:
    # A short run: what start-up created lives until exit, so the collector need not scan it.
    gc.freeze()
    os.umask(0o077)  # whatever kehu writes (book, backups, exports, config) is the user's alone
    if (sys.stdout.encoding or "").lower().replace("-", "") not in ("utf8", "utf_8"):
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stderr.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.exit(run(sys.argv[1:]))


def run(args: list[str]) -> int:
    command = _click_command(args[0] if args else None)
    ctx.reset()
    try:
        "".join(args).encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
        return fail(_("an argument is not UTF-8 text; use a UTF-8 terminal (LANG=C.UTF-8)"), 2)
    try:
        code = command.main(args, prog_name="kehu", standalone_mode=False)
    except KehuError as e:
        return fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        return fail(_("interrupted; nothing was written"), 130)
    except Exception as e:
        exit_code = getattr(e, "exit_code", None)
        if hasattr(e, "format_message") and isinstance(exit_code, int):  # a usage error
            where = getattr(getattr(e, "ctx", None), "command_path", "kehu")
            message = _("{error} (`{command} --help` lists what is accepted)")
            return fail(message.format(error=e.format_message(), command=where), exit_code)
        if type(e).__name__ == "Abort":
            return fail(_("aborted; nothing was written"), 1)
        if ctx.debug:
            raise
        message = _(
            "unexpected {error}; nothing was written. Run again with --debug for the full error."
        )
        return fail(message.format(error=type(e).__name__), 70)
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else fail(e.code, 1)
    finally:
        ctx.reset()
    return code if isinstance(code, int) else 0


def _click_command(name: str | None) -> Any:
    """The Click group that runs `kehu NAME ...`. Typer builds a Click command for every
    command it knows, on every run; when the first argument names one, only that one is built
    (a tenth of the time). --help, completion and anything else get the whole group."""
    import copy

    import typer
    from typer.main import get_command_name

    def named(info: Any) -> str:
        return str(info.name or get_command_name(info.callback.__name__))

    chosen = [info for info in app.registered_commands if named(info) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not chosen and not groups:
        return typer.main.get_command(app)
    single = copy.copy(app)
    single.registered_commands = chosen
    single.registered_groups = groups
    return typer.main.get_command(single)


def fail(message: str, code: int) -> int:
    first, *rest = message.splitlines() or [""]
    sys.stderr.write(f"kehu: {first}\n")
    for line in rest:
        sys.stderr.write(f"{line}\n")
    return code
