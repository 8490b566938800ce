"""The Typer application, its global options, and what every command shares."""

import getpass
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import click
import typer

from kehu import __version__
from kehu.base.errors import KehuError
from kehu.base.i18n import _, ngettext
from kehu.cli import language

language.bind()  # before any help text below is read: Typer keeps them as they are now

if TYPE_CHECKING:
    from kehu.base import settings
    from kehu.base.settings import Settings
    from kehu.book import engine
    from kehu.rules import records

T = TypeVar("T")
LONGEST_USER = 100  # made_by and owner hold this much (PostgreSQL refuses more)

app = typer.Typer(
    name="kehu",
    help=_(
        "Follow up with the customers you already have: who to contact today, why, and "
        "what to talk about."
    ),
    rich_markup_mode=None,  # rich is imported only where a table is drawn: start-up stays fast
    no_args_is_help=True,
    suggest_commands=False,  # Click itself suggests ("Did you mean 'today'?"); not twice
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class Context:
    """What the root options chose, and what is opened lazily from it."""

    db_target: str | None = None
    debug: bool = False
    committed: bool = False  # a write of this run is in the book: an error after it must say so
    changed: bool = False  # the last journaled write changed the book (left something to undo)

    @cached_property
    def settings(self) -> "settings.Settings":
        from kehu.base import settings

        loaded = settings.load()
        for warning in loaded.warnings:
            typer.echo(_("kehu: warning: {warning}").format(warning=warning), err=True)
        return loaded

    @cached_property
    def rules(self) -> "records.Rules":
        from kehu.rules import configured

        return configured.rules_from(self.settings.values)

    @cached_property
    def checked_settings(self) -> "Settings":
        """The settings, with a country of the settings file that the holidays package does not
        know warned of and put back to the default (CN), as the file's other bad values are.
        Only the commands that compute holidays (and `kehu config`) ask: the check loads that
        package, which they load anyway (base.settings.with_known_country)."""
        from kehu.base import settings

        loaded = self.settings
        checked = settings.with_known_country(loaded)
        for warning in checked.warnings[len(loaded.warnings) :]:
            typer.echo(_("kehu: warning: {warning}").format(warning=warning), err=True)
        return checked

    @cached_property
    def holiday_rules(self) -> "records.Rules":
        """The rules, for a command that computes holidays (checked_settings)."""
        from kehu.rules import configured

        checked = self.checked_settings
        return self.rules if checked is self.settings else configured.rules_from(checked.values)

    @cached_property
    def tz(self) -> tzinfo:
        zone, warning = self.settings.zone_in_use()
        if warning:
            typer.echo(_("kehu: warning: {warning}").format(warning=warning), err=True)
        return zone

    def who(self, owner: str | None, everyone: bool) -> str | None:
        """Whose customers `--owner NAME | --all` name: None for everyone's."""
        if owner is not None and everyone:
            from kehu.base.errors import BadInput

            raise BadInput(_("--owner and --all exclude each other; give one of them"))
        if owner is not None:
            owner = owner_name(owner, "--owner")
            if self.target.startswith("postgresql"):
                self.colleague(owner)
        return None if everyone else (owner or self.user)

    def colleague(self, owner: str) -> None:
        """Refuses to read a colleague's customers that row-level security hides: their list or
        report would read as empty."""
        from kehu.base.errors import NotAllowed
        from kehu.book import customers

        if self.read(lambda tx: customers.hidden_owner(tx, owner)):
            raise NotAllowed(
                _(
                    "row-level security shows you only your own customers, not those of {owner}: "
                    "a colleague's list or report needs a manager's role (README, Team mode)"
                ).format(owner=repr(owner))
            )

    def channel(self, via: str | None) -> str:
        """The channel --via names, else the default_channel setting's."""
        from kehu.rules import choices, vocab

        if via is not None:
            not_an_outcome(via, _("channel (--via)"))
            return choices.choice(
                via, vocab.CHANNELS, _("channel (--via)"), synonyms=vocab.CHANNEL_WORDS
            )
        setting = str(self.settings.values["default_channel"])
        return choices.choice(
            setting, vocab.CHANNELS, "default_channel", synonyms=vocab.CHANNEL_WORDS
        )

    def now(self) -> datetime:
        from kehu.base import clock

        return clock.now(self.tz)

    @cached_property
    def user(self) -> str:
        """Who is working: KEHU_USER, else the role of a server book's URL, else the login; under
        row-level security the session's role, whose customers alone the server shows."""
        from urllib.parse import urlsplit

        role = urlsplit(self.target).username if "://" in self.target else None
        user = os.environ.get("KEHU_USER") or role or _login_name()
        if os.environ.get("KEHU_USER"):
            user = self.row_security_role or user
        if len(user) > LONGEST_USER:
            from kehu.base.errors import BadInput

            raise BadInput(
                _("KEHU_USER is too long ({count} characters); give at most {longest}").format(
                    count=len(user), longest=LONGEST_USER
                )
            )
        return user

    @cached_property
    def row_security_role(self) -> str | None:
        """The session's role when the server shows it only its own customers, asked when
        KEHU_USER could name someone else: before, not inside, a transaction (read, write)."""
        from kehu.book import customers

        if not os.environ.get("KEHU_USER") or not self.target.startswith("postgresql"):
            return None
        if not self.has_book():
            return None
        return self.book.transact(customers.row_security_role, write=False)

    @cached_property
    def made_by(self) -> str:
        """Whose work a change is recorded as: on a server book the session's role, which the
        server vouches for (KEHU_USER cannot sign as a colleague); else the user."""
        from kehu.book import engine

        if not engine.is_url(self.target):
            return self.user
        book = self.open_book(create=True)
        assert isinstance(book, engine.ServerBook)
        return book.role

    @property
    def target(self) -> str:
        from kehu.base import paths

        return self.db_target or paths.default_book()

    @property
    def book(self) -> "engine.Book":
        """The book, for commands that only read it: never created by them."""
        return self.open_book(create=False)

    def open_book(self, *, create: bool) -> "engine.Book":
        from kehu.base.errors import NoBook
        from kehu.book import opening

        book = self.__dict__.get("book")
        if book is None:
            try:
                book = self.__dict__["book"] = opening.open_book(
                    self.target, create=create, **self._server_options()
                )
            except NoBook as e:
                raise self._no_book(e.location) from None

        return book

    def _server_options(self) -> dict[str, Any]:
        from kehu.book import engine

        if not engine.is_url(self.target):
            return {}  # the settings file is not read for a SQLite book's sake
        seconds = self.settings.values["server.statement_timeout"]
        assert isinstance(seconds, int)
        return {"statement_timeout": float(seconds)}

    def has_book(self) -> bool:
        from kehu.base.errors import NoBook

        try:
            self.open_book(create=False)
        except NoBook:
            return False
        return True

    def _no_book(self, location: str) -> Exception:
        from kehu.base.errors import NoBook
        from kehu.base.i18n import _

        if os.environ.get("KEHU_DB") == self.db_target and self.db_target:
            why = _("KEHU_DB says so")
        elif self.db_target:
            why = _("--db says so")
        else:
            why = _("the default; neither --db nor KEHU_DB is set")
        error = NoBook(location)
        error.args = (
            _(
                "no kehu book at {location} ({why}). Point kehu at your book with --db PATH or "
                "KEHU_DB=PATH (cron does not read your shell's settings: set KEHU_DB in the "
                "crontab), or start one here with `kehu add`"
            ).format(location=location, why=why),
        )
        return error

    def reset(self) -> None:
        """Forget what one run chose and opened (tests run many commands in one process)."""
        book = self.__dict__.get("book")
        if book is not None:
            book.close()
        self.__dict__.clear()
        self.__init__()  # type: ignore[misc]

    def write(
        self, fn: Callable[["engine.Tx"], T], *, journal: bool = True, create: bool = False
    ) -> T:
        """Run a write transaction; with journal, what it changed can be undone (`kehu undo`).
        Only a write that can start a book (`create`: add, import) makes one; the others need a
        customer or an item already in it, so without a book they say there is none."""
        from kehu.book import backup, engine

        book = self.open_book(create=create)
        self.made_by  # noqa: B018  (a server book's role is asked before, not inside, the write)
        self.row_security_role  # noqa: B018
        result = book.transact(
            self._journaled(fn) if journal else fn, write=True, on_commit=self._saved
        )
        if isinstance(book, engine.SQLiteBook):
            try:
                backup.start_daily(book.path, self.now())
            except (KehuError, OSError) as e:  # the change is stored: say so, not "not written"
                typer.echo(
                    _(
                        "kehu: warning: the change is saved in the book, but today's backup "
                        "could not be made ({reason}); `kehu doctor` tells more"
                    ).format(reason=e),
                    err=True,
                )
        return result

    def _saved(self) -> None:
        self.committed = True

    def forget_new_book(self) -> None:
        """A SQLite book this run created for a write that was rolled back goes away again,
        with the folders made for it: an import that failed, or an undo with nothing to undo,
        leaves no empty book or data folder behind."""
        book = self.__dict__.get("book")
        if book is None:  # no book opened (--help, --version, completion): nothing to import
            return
        from pathlib import Path

        from kehu.book import engine

        if isinstance(book, engine.SQLiteBook) and book.created:
            book.close()
            del self.__dict__["book"]
            for suffix in ("", "-wal", "-shm"):
                Path(f"{book.path}{suffix}").unlink(missing_ok=True)
            for folder in book.made_folders:  # and the folders made for it, when left empty
                try:
                    folder.rmdir()
                except OSError:
                    break

    def _journaled(self, fn: Callable[["engine.Tx"], T]) -> Callable[["engine.Tx"], T]:
        import click

        from kehu.book import journal

        current = click.get_current_context(silent=True)
        command = current.command_path.partition(" ")[2] if current else ""
        now = self.now()
        made_by = self.made_by

        def run(tx: "engine.Tx") -> T:
            recorder = journal.Recorder(tx)
            result = fn(recorder)
            stored = recorder.finish(made_by=made_by, command=command or "?", now=now)
            self.changed = stored is not None
            return result

        return run

    def read(self, fn: Callable[["engine.Tx"], T]) -> T:
        book = self.book
        if book.unsafe and not self.__dict__.get("warned"):
            self.__dict__["warned"] = True  # a book others can write: read, but say so once
            typer.echo(_("kehu: warning: {warning}").format(warning=book.unsafe), err=True)
        self.row_security_role  # noqa: B018  (asked before, not inside, the read)
        return book.transact(fn, write=False)


ctx = Context()


def _login_name() -> str:
    """The login name (LOGNAME, USER…, else the system's user database); a user the system has
    no name for, under `env -i`, is told to say who they are."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        from kehu.base.errors import BadInput

        raise BadInput(
            _("cannot tell who you are: the system knows no name for this user and "
              "LOGNAME is not set; set KEHU_USER=NAME (your name as the book's owners go)")
        ) from None  # fmt: skip


def owner_name(value: str, what: str) -> str:
    """A salesperson's name as an option or argument gives it: not blank, not too long."""
    from kehu.base import typed
    from kehu.base.errors import BadInput

    if not typed.half_width(value).strip():
        raise BadInput(_("{what} is blank; give a salesperson's name").format(what=what))
    name = typed.text(typed.half_width(value), what, longest=typed.LONGEST["owner"])
    assert name is not None
    return name


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kehu {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="KEHU_DB",
            help=_(
                "The book: a SQLite file path, or a postgresql+psycopg:// URL. "
                "Default: kehu.db in your data folder (`kehu path`)."
            ),
            show_envvar=True,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help=_("Show the full error on a crash."))
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version.")),
    ] = False,
) -> None:
    ctx.db_target = db
    ctx.debug = debug


def complete_customer(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of CUSTOMER: ids and names from the book (SQLite only, read-only)."""
    from kehu.book import completion

    return completion.customers(ctx.target, incomplete)


class _Customer(click.ParamType):
    """A customer argument: text, completed on Tab from the book. Its completions are offered
    as found (Typer's `autocompletion` keeps only those that start with the typed text, which
    would drop 张伟 for `zw`)."""

    name = "text"

    def convert(self, value: Any, param: Any, context: Any) -> Any:
        return value

    def shell_complete(self, context: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(value, help=help) for value, help in complete_customer(incomplete)]


class _Words(click.ParamType):
    """A choice typed as text (checked by the command, which also takes its Chinese words and
    says what is accepted), completed on Tab: the codes that start with what is typed, in any
    case or width; once a Chinese word is begun (`微`), the Chinese words too (微信)."""

    name = "text"

    def __init__(self, codes: Callable[[], Iterable[str]] | Iterable[str]) -> None:
        self.codes = codes

    def convert(self, value: Any, param: Any, context: Any) -> Any:
        return value

    def shell_complete(self, context: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        codes = list(self.codes() if callable(self.codes) else self.codes)
        return [CompletionItem(word) for word in completions(codes, incomplete)]


def completions(codes: Iterable[str], incomplete: str) -> list[str]:
    """The codes that start with INCOMPLETE (any case, full-width read as ASCII), and the
    other words kehu knows for them (rules/choices.py) when INCOMPLETE is not ASCII."""
    import unicodedata

    from kehu.rules import choices

    typed = unicodedata.normalize("NFKC", incomplete).strip().casefold()
    found = [code for code in codes if code.casefold().startswith(typed)]
    if typed and not typed.isascii():
        for code in codes:
            found += [w for w in choices.WORDS.get(code, ()) if w.casefold().startswith(typed)]
    return list(dict.fromkeys(found))


def words(codes: Callable[[], Iterable[str]] | Iterable[str]) -> click.ParamType:
    """The click_type of an option or argument that takes one of CODES (or a callable giving
    them, read only when Tab is pressed)."""
    return _Words(codes)


def not_an_outcome(value: str, option: str) -> None:
    """Refuse a call's outcome (没接通, no answer) given as a channel or a kind: it is said with
    --no-answer, and a line naming the option is clearer than the list of channels."""
    import unicodedata

    from kehu.base.errors import BadInput
    from kehu.rules import vocab

    typed = unicodedata.normalize("NFKC", value).strip().lower()
    if vocab.OUTCOME_WORDS.get(typed) == "no-answer" or typed in ("no-answer", "no answer"):
        raise BadInput(
            _("{value} is not a {option} but how the call went: a try that did not reach them "
              "is logged with --no-answer (kehu log NAME --via call --no-answer)").format(
                value=repr(value), option=option
            )
        )  # fmt: skip


CUSTOMER = _Customer()
CustomerArg = Annotated[
    str,
    typer.Argument(
        help=_("An id, a phone number, a name or a unique part of one."),
        click_type=CUSTOMER,
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print JSON (sorted keys, stable)."))]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help=_("Print nothing when it worked (for cron); errors still print.")
    ),
]


def echo_json_rows(rows: Iterable[Any]) -> None:
    """A JSON array written one element at a time, exactly as echo_json writes the whole list."""
    import json

    out, first = sys.stdout, True
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, sort_keys=True, indent=2, default=str)
        out.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")


def say(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line of text that may hold text from the book: control characters shown."""
    from kehu.ui.text import visible

    typer.echo(visible(message), err=err, nl=nl)


def echo_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str))


def others_count(tx: Any, who: str | None) -> int:
    """How many customers belong to others when `who` has none (0 otherwise, or for all)."""
    from kehu.book import customers

    if who is None or customers.count_customers(tx, who):
        return 0
    return customers.count_customers(tx)


def say_others(who: str | None, others: int) -> None:
    if others:
        sys.stderr.write(
            ngettext(
                "kehu: no customers belong to {owner}; {count} belongs to others — "
                "use --all, --owner NAME, or `kehu assign`",
                "kehu: no customers belong to {owner}; {count} belong to others — "
                "use --all, --owner NAME, or `kehu assign`",
                others,
            ).format(owner=repr(who), count=others)
            + "\n"
        )
