"""Commands about kehu itself: where the book is, settings, backups, checks."""

import os
from typing import Annotated, Any

import click
import typer

from kehu.base import i18n
from kehu.base.errors import BadInput
from kehu.base.i18n import _, pgettext
from kehu.cli.app import JsonOpt, QuietOpt, app, completions, ctx, echo_json, say, words


def verdict(lines: list[str], error: str | None) -> str:
    """The page check's verdict in words: SQLite's "ok" or its first message, or why it could
    not run to the end (`error`, the error's name)."""
    if error is not None:
        return _("could not run to the end ({error})").format(error=error)
    if not lines:
        return _("damaged")
    if len(lines) == 1:
        return _("ok") if lines == ["ok"] else lines[0]
    return _("{first} (and {count} more)").format(first=lines[0], count=len(lines) - 1)


def doctor_label(key: str) -> str:
    """The words for a key of the doctor's report (its JSON keeps the key)."""
    labels = {
        "kehu": "kehu", "book": _("book"), "engine": _("engine"), "schema": _("schema"),
        "customers": _("customers"), "check": _("checked"), "integrity": _("integrity"),
        "broken_links": _("foreign keys"), "size_bytes": _("size"),
        "permissions": _("permissions"), "folder": _("folder"),
        "latest backup": _("latest backup"),
    }  # fmt: skip
    return labels.get(key, key)


def doctor_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The doctor's report in words, a (label, value) a line; its JSON holds numbers and codes."""

    def value(key: str, value: Any) -> str:
        if key == "schema":
            return _("{version} (this kehu: {current})").format(
                version=value, current=report["kehu_schema"]
            )
        if key == "customers" and value is None:
            return _("cannot be counted")
        if key == "check":
            if value == "integrity_check":
                return _("every page, row, value rule and index (integrity_check)")
            return _("every page and row (quick_check); value rules and indexes: --full")
        if key == "integrity":
            return verdict(value, report["integrity_error"])
        if key == "broken_links":
            return _("ok") if not value else _("{count} broken").format(count=value)
        if key == "size_bytes":
            return _("{size} bytes").format(size=f"{value:,}")
        if key == "latest backup" and value is None:
            return _("none yet")
        return str(value)

    shown = [k for k in report if k not in ("kehu_schema", "integrity_error", "problems")]
    return [(doctor_label(k), value(k, report[k])) for k in shown]


def problem_words(problem: dict[str, Any], report: dict[str, Any]) -> str:
    """A problem of the doctor's report (a code and what it concerns) in words, with the fix."""
    from kehu.book import engine

    code = problem["code"]
    if code in ("book_owner", "book_writable", "folder_writable"):
        return engine.unsafe_words(problem)
    if code == "damaged":
        return _("{check}: {verdict}").format(
            check=problem["check"],
            verdict=verdict(report["integrity"], report["integrity_error"]),
        )
    words = {
        "backup_future": _("{path} is dated in the future; it does not count as a backup"),
        "backup_empty": _("{path} is empty; it does not count as a backup"),
        "backup_damaged": _("{path} is not a readable book; it does not count as a backup"),
        "backup_folder": _(
            "kehu cannot write daily backups to {path} (its owner or permissions); "
            "give it back to yourself: chown -R $USER {path} && chmod 700 {path}"
        ),
        "broken_links": _("{count} rows point at rows that do not exist"),
        "file_readable": _("{path} can be read by others: chmod 600 {path}"),
        "folder_open": _("the folder {path} is open to others: chmod 700 it"),
    }
    return words[code].format(**problem)


def table_word(table: str) -> str:
    words = {
        "customer": _("customers"), "profile_field": _("profile facts"),
        "purchase": _("purchases"), "contact": _("contacts"), "promise": _("promises"),
        "followup": _("planned calls"), "snooze": _("snoozes"),
        "customer_pinyin": _("pinyin forms of names"), "closed_item": _("closed items"),
        "schema_version": _("schema versions"), "occasion": _("dates"),
        "prospect": _("prospects"), "prospect_grade": _("prospect grades"),
        "prospect_loss": _("prospects' past losses"),
    }  # fmt: skip
    return words.get(table, table)


@app.command(
    rich_help_panel=_("Setup"), help=_("Print where the book is (a password in a URL is masked).")
)
def path() -> None:
    from kehu.book import engine

    say(engine.masked(ctx.target))


def _setting_names() -> list[str]:
    """What completes a setting's name: the keys, and in Chinese the settings' Chinese names."""
    from kehu.base import settings
    from kehu.ui import setting_labels

    names = list(settings.BY_KEY)
    return names + [label for label in setting_labels.labels().values() if label not in names]


class _SettingValue(click.ParamType):
    """A setting's new value, completed on Tab with what that setting takes when it is a
    choice (default_channel, language, rules.feb29), and the zones kehu knows by a place."""

    name = "text"

    def convert(self, value: Any, param: Any, context: Any) -> Any:
        return value

    def shell_complete(self, context: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from kehu.base import i18n, settings
        from kehu.rules import vocab
        from kehu.ui import setting_labels

        typed = context.params.get("key")
        if not typed:
            return []
        key = settings.RENAMED.get(typed, setting_labels.key_of(typed))
        setting = settings.BY_KEY.get(key)
        if setting is None:
            return []
        accepted: tuple[str, ...] = {
            "default_channel": vocab.CHANNELS,
            "language": i18n.LANGUAGES,
            "timezone": tuple(dict.fromkeys([*settings.ZONE_WORDS.values(), *settings.ZONE_WORDS])),
        }.get(key) or setting.choices
        return [CompletionItem(word) for word in completions(accepted, incomplete)]


@app.command(
    rich_help_panel=_("Setup"),
    help=_(
        "Show the settings and what each sets, or set one: `kehu config rules.daily_target 15`."
    ),
    context_settings={"ignore_unknown_options": True},  # a value may be -1: its range says why
)
def config(
    key: Annotated[
        str | None,
        typer.Argument(
            help=_("A setting, like rules.cooling_months."), click_type=words(_setting_names)
        ),
    ] = None,
    value: Annotated[
        str | None, typer.Argument(help=_("Its new value."), click_type=_SettingValue())
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help=_("Back to the default."))] = False,
    json_: JsonOpt = False,
) -> None:
    from pathlib import Path

    from kehu.base import paths, settings
    from kehu.ui import setting_labels, tables

    if unset and (key is None or value is not None):
        raise BadInput(
            _("--unset takes a setting and no value, like `kehu config rules.daily_target --unset`")
        )
    key = None if key is None else settings.RENAMED.get(key, setting_labels.key_of(key))
    if key is not None and key not in settings.BY_KEY:
        raise BadInput(
            _("unknown setting {key!r}; accepted: {accepted}").format(
                key=key, accepted=", ".join(settings.BY_KEY)
            )
        )
    if key is not None and (value is not None or unset):
        settings.update(key, None if unset else value)
        ctx.committed = True  # saved: an output that fails after this must say so
        for cached in ("settings", "checked_settings", "rules", "holiday_rules", "tz"):
            ctx.__dict__.pop(cached, None)
    keys = [key] if key is not None else list(settings.BY_KEY)
    if json_:
        typed_values = settings.typed_values(ctx.checked_settings)
        echo_json({k: typed_values[k] for k in keys})
        return
    current = ctx.checked_settings
    try:
        where: Path | None = paths.config_file()
    except paths.NoHome:  # no home folder, so no settings file: the defaults, shown as such
        where = None
    rows = []
    for k in keys:
        value_in_force = current.values[k]
        empty = _("(system)") if k in ("timezone", "language") else _("(none)")
        shown = settings.shown(value_in_force) if value_in_force not in ("", ()) else empty
        changed = "" if current.is_default(k) else _("(changed)")
        if k == "timezone" and os.environ.get("KEHU_TZ"):
            changed = _("(from KEHU_TZ, which wins over the setting)")
        if k == "language" and i18n.understood(os.environ.get("KEHU_LANG")):
            changed = _("(KEHU_LANG={value} wins over the setting)").format(
                value=os.environ["KEHU_LANG"]
            )
        rows.append([setting_labels.shown(k), shown, changed])
    tables.table(
        [_("setting"), pgettext("setting", "value"), ""],
        rows,
        title=f"# {where}" if key is None and where is not None else None,
    )
    say()
    tables.table(
        [_("setting"), _("what it sets")],
        [[setting_labels.shown(k), _(settings.BY_KEY[k].help)] for k in keys],
    )


@app.command(
    rich_help_panel=_("Your data"),
    help=_("Copy the book safely, even while others write, and verify the copy."),
)
def backup(
    target: Annotated[
        str | None,
        typer.Argument(metavar="[PATH]", help=_("Where to write the copy (a new file).")),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    from pathlib import Path

    from kehu.book import backup as backups
    from kehu.book import engine

    book = ctx.book
    if not isinstance(book, engine.SQLiteBook):
        raise BadInput(_("a server book is backed up with the server's tools: pg_dump (README)"))
    copy = backups.stamped(book.path, "manual", ctx.now())
    path = Path(target).expanduser() if target else copy
    # A name ending in a slash is a folder, made if need be, as an existing folder is: the copy
    # goes in it under the dated name, never as a file of the folder's name.
    if target and (path.is_dir() or target.endswith(("/", os.sep))):
        path = path / copy.name
    backups.verified_copy(book.conn, path)
    if quiet:
        return
    say(
        _("Backed up to {path} (verified, {size} bytes).").format(
            path=path, size=f"{path.stat().st_size:,}"
        )
    )


@app.command(
    rich_help_panel=_("Your data"),
    help=_("Check the book: integrity, links between rows, schema, files, permissions, backups."),
)
def doctor(
    json_: JsonOpt = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help=_(
                "Check every value against its table's rules and every index against its"
                " table too (integrity_check: slow on a big book)."
            ),
        ),
    ] = False,
) -> None:
    from kehu.book import health

    report = health.check(ctx.book, ctx.now(), full=full)
    if json_:
        echo_json(report)
    else:
        from kehu.ui import tables

        lines = doctor_lines(report)
        lines += [(_("problem"), problem_words(p, report)) for p in report["problems"]]
        lines.append((_("status"), _("ok") if not report["problems"] else _("NOT OK")))
        labels = [_("{label}:").format(label=label) for label, _value in lines]
        width = max(tables.width(label) for label in labels) + 1
        for label, (_label, value) in zip(labels, lines, strict=True):
            say(tables.pad(label, width) + value)
    if report["problems"]:
        raise typer.Exit(1)


@app.command(
    "copy-to",
    rich_help_panel=_("Team"),
    help=_("Copy this whole book into an empty PostgreSQL database, in one transaction."),
)
def copy_to(
    url: Annotated[str, typer.Argument(help=_("postgresql+psycopg://user@host/dbname (empty)."))],
) -> None:
    from kehu.book import engine, transfer

    source = ctx.book
    if not isinstance(source, engine.SQLiteBook):
        raise BadInput(_("copy-to copies a local SQLite book; give --db the file to copy"))
    if not url.startswith("postgresql"):
        raise BadInput(_("copy-to needs a PostgreSQL URL, like postgresql+psycopg://you@host/kehu"))
    target = engine.ServerBook(url)
    try:
        copied = transfer.copy_book(source, target)
    finally:
        target.close()
    counts = ", ".join(
        _("{table}: {count}").format(table=table_word(t), count=n) for t, n in copied.items()
    )
    say(
        _("Copied to {location}: {counts}. Point kehu at it with --db or KEHU_DB.").format(
            location=target.location, counts=counts
        )
    )
