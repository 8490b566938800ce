"""The `kehu` command: the application, its commands, and how errors reach the user."""

import errno
import gc
import os
import signal
import sys
from typing import Any

from kehu.base.errors import OUTPUT_LOST, Ambiguous, KehuError
from kehu.base.i18n import _
from kehu.cli.app import app, ctx

# The module that registers each command. A run imports only the one it needs. A run that names
# no command (--help, completion of a command's name, an unknown word) imports none: it lists the
# commands from cli/listing.py, written from these modules' help by `scripts/catalog.py compile`.
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("today", "overdue", "done", "snooze"), "daily"),
    "greet": "greetings",
    "calendar": "agenda",
    **dict.fromkeys(("draft", "template"), "drafts"),
    **dict.fromkeys(
        ("add", "sale", "show", "list", "edit", "archive", "unarchive", "delete", "assign"),
        "customers",
    ),
    "date": "occasions",
    **dict.fromkeys(("lost", "prospects"), "prospects"),
    **dict.fromkeys(("log", "promise", "kept", "cancel", "promises"), "contacts"),
    **dict.fromkeys(
        (
            "contact-edit",
            "contact-delete",
            "purchase-edit",
            "purchase-delete",
            "promise-edit",
            "promise-delete",
            "followup-edit",
            "followup-delete",
        ),
        "corrections",
    ),
    "undo": "undo",
    **dict.fromkeys(("path", "config", "backup", "doctor", "copy-to"), "admin"),
    "import": "importing",
    "export": "exporting",
    "report": "reports",
}


def load_commands(name: str | None = None) -> None:
    """Register the command NAME (its module's commands), or every command."""
    if name in COMMAND_MODULES:
        __import__(f"kehu.cli.{COMMAND_MODULES[name]}")
        return
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        __import__(f"kehu.cli.{module}")


def main() -> None:
    try:
        # A short run: what start-up created lives until exit, so the collector need not scan it.
        gc.freeze()
        os.umask(0o077)  # whatever kehu writes (book, backups, exports, config) is the user's
        _standard_streams()
        if (sys.stdout.encoding or "").lower().replace("-", "") not in ("utf8", "utf_8"):
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
            sys.stderr.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        code = run(sys.argv[1:])
    except KeyboardInterrupt:  # Ctrl-C in a moment between run's own guards
        code = fail(
            _("Saved; interrupted before the output was written")
            if _saved or ctx.committed
            else _("interrupted; nothing was written"),
            130,
        )
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command is over: only exit is left
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # reported already; keep Python from reporting it at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(code)


# SQLite's longest LIKE pattern; no name, note or search needs more.
LONGEST_ARGUMENT = 50_000


def _standard_streams() -> None:
    """A closed stdout or stderr (`kehu list >&-`) becomes one that says so when written to,
    instead of None, which no printer expects."""
    for name, fd, mode in (("stdout", 1, "w"), ("stderr", 2, "w"), ("stdin", 0, "r")):
        if getattr(sys, name) is None:
            setattr(sys, name, _Closed(name, fd, mode))


class _Closed:
    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str, fd: int, mode: str) -> None:
        self.name, self.fd, self.mode = name, fd, mode

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def read(self, size: int | None = -1) -> str:
        return ""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return ""

    def isatty(self) -> bool:
        return False

    def reconfigure(self, **options: Any) -> None:
        pass


_saved = False  # whether the command that ran saved anything, kept past ctx.reset()


def run(args: list[str]) -> int:
    try:
        command = _click_command(_command_name(args), _words(args))
    except KeyboardInterrupt:  # Ctrl-C while the commands are built: nothing ran yet
        return fail(_("interrupted; nothing was written"), 130)
    _each_option_once(command)
    ctx.reset()
    try:
        "".join(args).encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
        return fail(_("an argument is not UTF-8 text; use a UTF-8 terminal (LANG=C.UTF-8)"), 2)
    if any("\x00" in a for a in args):  # no file name, and no text of the book's, holds one
        return fail(
            _("an argument contains a NUL character, which no text or file name can hold; "
              "give it without"),
            2,
        )  # fmt: skip
    longest = max((len(a.encode()) for a in args), default=0)
    if longest > LONGEST_ARGUMENT:
        return fail(
            _("an argument is too long ({count} bytes); at most {longest} are accepted").format(
                count=longest, longest=LONGEST_ARGUMENT
            ),
            2,
        )
    if "_KEHU_COMPLETE" in os.environ:
        _plain_completion_help()
    try:
        code = command.main(
            args, prog_name="kehu", standalone_mode=False, terminal_width=help_width()
        )
        sys.stdout.flush()  # a full disk or a closed pipe shows here, while it can be told
    except Exception as e:
        if not ctx.committed or isinstance(e, KehuError):
            return _failed(e, command, args)
        if ctx.debug:
            raise
        return fail(
            _("Saved; the output could not be written: {reason}").format(reason=_reason(e)),
            OUTPUT_LOST,
        )
    except KeyboardInterrupt:
        return fail(
            _("Saved; interrupted before the output was written")
            if ctx.committed
            else _("interrupted; nothing was written"),
            130,
        )
    except SystemExit as e:
        if ctx.committed and type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            # Click's answer to a closed pipe: it wraps stdout and exits 1 without a word.
            return fail(
                _("Saved; the output could not be written: {reason}").format(
                    reason=_reason(BrokenPipeError(errno.EPIPE, ""))
                ),
                OUTPUT_LOST,
            )
        return int(e.code or 0) if not isinstance(e.code, str) else fail(e.code, 1)
    finally:
        global _saved
        committed = _saved = ctx.committed
        if not committed:  # a command that failed leaves no empty book behind for cron to read
            ctx.forget_new_book()
        ctx.reset()
    if code == 130:  # Typer's answer to Ctrl-C: exit 130 without a word
        return fail(
            _("Saved; interrupted before the output was written")
            if committed
            else _("interrupted; nothing was written"),
            130,
        )
    return code if isinstance(code, int) else 0


# Why printing fails: a closed stdout, a full disk behind >, a closed pipe, a lost terminal.
_OUTPUT_ERRORS = (errno.EBADF, errno.ENOSPC, errno.EPIPE, errno.EIO)


def _reason(error: Exception) -> str:
    """Why the output failed, without the error's text beyond the system's own words."""
    from kehu.base.errors import system_reason

    return system_reason(error)


def _failed(e: Exception, group: Any = None, args: list[str] | None = None) -> int:
    """What a failure says when nothing was saved: each command is one transaction, so the
    book is as it was."""
    if isinstance(e, KehuError):  # one line, but for the candidates of an ambiguity
        return fail(str(e), e.exit_code, lines=isinstance(e, Ambiguous))
    if type(e).__name__ == "NoArgsIsHelpError":  # `kehu`, `kehu report`: their --help
        sys.stdout.write(e.format_message() + "\n")  # type: ignore[attr-defined]
        return 0
    exit_code = getattr(e, "exit_code", None)
    if hasattr(e, "format_message") and isinstance(exit_code, int):  # a usage error
        where = getattr(getattr(e, "ctx", None), "command_path", None) or _path(group, args)
        message = _("{error} (`{command} --help` lists what is accepted)")
        error = e.format_message()
        if error.endswith("."):  # Click ends "Missing argument 'KIND'." with its own full stop
            error = _("{sentence}.").format(sentence=error[:-1])
        error = error.replace("。 ", "。")  # Click joins its sentences with a space
        return fail(message.format(error=error, command=where), exit_code)
    if type(e).__name__ == "Abort":
        return fail(_("aborted; nothing was written"), 1)
    if isinstance(e, OSError) and e.errno in _OUTPUT_ERRORS:
        return fail(
            _("the output could not be written ({reason}); nothing was written").format(
                reason=_reason(e)
            ),
            70,  # not OUTPUT_LOST: that one says a change was saved
        )
    if ctx.debug:
        raise e
    return fail(
        _(
            "unexpected {error}; nothing was written. Run again with --debug for the full error."
        ).format(error=type(e).__name__),
        70,
    )


def _path(group: Any, args: list[str] | None) -> str:
    """`kehu report week`: the commands ARGS name, for an error Click raised without saying
    where (an option's missing value)."""
    path = ["kehu"]
    for arg in args or ():
        commands = getattr(group, "commands", None)
        if commands is not None and arg in commands:
            group = commands[arg]
            path.append(arg)
    return " ".join(path)


def _command_name(args: list[str]) -> str | None:
    """The command this run is for: the first argument, or under shell completion (the line
    every shell's script passes) the word after `kehu` once it is complete."""
    words = _words(args)
    return words[0] if words else None


def _words(args: list[str]) -> list[str]:
    """The arguments after `kehu`; under shell completion, those before the word being
    completed."""
    if "_KEHU_COMPLETE" not in os.environ:
        return args
    # Typer's zsh, fish and PowerShell scripts (`--install-completion`) pass the line up to the
    # cursor; bash's, and Click's own, the words and the index of the one being completed.
    typer_line = os.environ.get("_TYPER_COMPLETE_ARGS")
    line = os.environ.get("COMP_WORDS", "") if typer_line is None else typer_line
    words = line.split()
    index = os.environ.get("COMP_CWORD", "")  # fish's own script gives the word's text there
    if typer_line is None and index.isdecimal():
        return words[1 : int(index)]
    return words[1:] if line.endswith(" ") else words[1:-1]


def _plain_completion_help() -> None:
    """Typer passes each completion's help through rich to strip markup kehu never uses, which
    wraps it at 80 columns: under fish the rest of a long help became a completion of its own."""
    from typer import _completion_classes

    _completion_classes._sanitize_help_text = str  # type: ignore[assignment]


def help_width() -> int:
    """How wide `--help` is written: the terminal less a margin, as Click does, up to Click's
    80 columns; on a terminal narrower than Click's least (50), that terminal's width, which
    Click would run past."""
    import shutil

    return max(min(shutil.get_terminal_size().columns, 80) - 2, 20)


def _click_command(name: str | None, words: list[str] | None = None) -> Any:
    """The Click group that runs `kehu NAME ...`. Typer builds a Click command for every
    command it knows, on every run; when the first argument names one, only that one is built
    (a tenth of the time). When no argument names one (--help, completion of a command's name,
    an unknown command), the commands are only listed: no command module is imported."""
    if name not in COMMAND_MODULES and not any(word in COMMAND_MODULES for word in words or ()):
        listed = _listing_group()
        if listed is not None:
            return listed
    load_commands(name)
    if name in COMMAND_MODULES:
        return _group(name)
    return whole_group()


def _each_option_once(command: Any) -> None:
    """Refuse an option that takes one value given twice (`--amount 5 --amount 8`): Click
    would keep the last one without a word. Options given as lists (`--set`) and flags repeat
    freely."""
    import click

    make_parser = command.make_parser

    def make(context: Any) -> Any:
        parser = make_parser(context)
        parse = parser.parse_args

        def parse_once(args: list[str]) -> Any:
            opts, rest, order = parse(args=args)
            seen: set[Any] = set()
            for param in order:
                single = isinstance(param, click.Option) and not (
                    param.multiple or param.is_flag or param.count
                )
                if single and param in seen and not context.resilient_parsing:
                    option = max(param.opts, key=len)
                    raise click.BadOptionUsage(
                        option,
                        _("{option} was given twice; give it once").format(option=option),
                        context,
                    )
                seen.add(param)
            return opts, rest, order

        parser.parse_args = parse_once
        return parser

    command.make_parser = make
    for sub in getattr(command, "commands", {}).values():
        _each_option_once(sub)


def whole_group() -> Any:
    """The Click group with every command built: what `kehu` was before any shortcut."""
    import typer

    load_commands()
    return typer.main.get_command(app)


def _group(name: str) -> Any:
    """The group with only the command (or sub-group) NAME built, its module imported."""
    import copy

    import typer
    from typer.main import get_command_name

    def named(info: Any) -> str:
        return str(info.name or get_command_name(info.callback.__name__))

    single = copy.copy(app)
    single.registered_commands = [i for i in app.registered_commands if named(i) == name]
    single.registered_groups = [i for i in app.registered_groups if i.name == name]
    return typer.main.get_command(single)


def _listing_group() -> Any:
    """The group with the root options and, for each command, its name and one-line help in the
    bound language, as cli/listing.py keeps them: enough to print `kehu --help` or to complete a
    command's name. None for a language the listing lacks."""
    import copy

    import click
    import typer

    from kehu.base import i18n
    from kehu.cli import listing

    rows = listing.COMMANDS.get(i18n.language())
    if rows is None:
        return None
    bare = copy.copy(app)
    bare.registered_commands, bare.registered_groups = [], []
    group = typer.main.get_command(bare)
    assert isinstance(group, click.Group)
    for name, help_line in rows:
        group.add_command(click.Command(name, help=help_line))
    return group


def fail(message: str, code: int, *, lines: bool = False) -> int:
    """Say what failed on stderr: one line, a line break in what it quotes (a file name) shown
    as \\x0a; with `lines`, the message's own lines (the candidates of an ambiguity)."""
    from kehu.ui.text import visible

    # The message may quote the book or what was typed: each line made visible.
    if not lines:
        message = visible(message, keep_lines=False)
    first, *rest = [visible(line) for line in message.split("\n")] or [""]
    try:
        sys.stderr.write(f"kehu: {first}\n")
        for line in rest:
            sys.stderr.write(f"{line}\n")
    except OSError:  # no stderr either (2>&-): the exit code is all that can be told
        pass
    return code
