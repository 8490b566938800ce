"""Message drafts (话术): `kehu draft` for an item or a customer, and `kehu template …` to
read, edit and reset the templates they are written from."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kehu.base.errors import BadInput, system_reason
from kehu.base.i18n import _
from kehu.cli.app import JsonOpt, app, ctx, echo_json, say, words

Opt = typer.Option
LangOpt = Annotated[
    str | None,
    Opt("--lang", help=_("zh or en; default: the customer's."), click_type=words(("zh", "en"))),
]


def _draft_kinds() -> tuple[str, ...]:
    from kehu.ui import drafts

    return drafts.KINDS


def _occasions() -> tuple[str, ...]:
    from kehu.ui import drafts

    return drafts.OCCASION_CODES


def make_draft(
    kind: str,
    source: Any,
    *,
    lang: str | None = None,
    channel: str | None = None,
    occasion: str | None = None,
) -> Any:
    """The draft of `kind` for what book/drafts.py read, signed from the settings."""
    from kehu.base import paths
    from kehu.rules.salutation import default_salutation
    from kehu.ui import drafts

    language = lang or source.language or _interface_language()
    values = ctx.settings.values
    english = language == "en"  # the English forms, when given: a Chinese name splits an SMS

    def signed(key: str) -> str | None:
        return str(english and values[f"{key}_en"] or values[key]) or None

    sender = drafts.Sender(
        name=signed("signature.name"),
        company=signed("signature.company"),
        phone=str(values["signature.phone"]) or None,
    )
    facts = drafts.DraftFacts(
        salutation=default_salutation(
            source.name, gender=source.gender, title=source.title, lang=language,
            preferred=source.salutation, latin_style=latin_style(),
        ),
        name=source.name,
        product=source.product,
        delivered=source.delivered.astimezone(ctx.tz).date() if source.delivered else None,
        occasion=occasion,
        birthday=source.birthday,  # worded without its year
        lunar_birthday=drafts.LunarDay(*source.lunar_birthday) if source.lunar_birthday else None,
        detail=source.detail,
        topic=source.topic,
        promise=source.promise,
        promise_late=source.promise_late,
        referred=source.referred,
        interest=source.interest,
        cares=source.cares,
        sender=sender,
    )  # fmt: skip
    return drafts.render_draft(kind, language, facts, paths.own_templates_dir(), channel=channel)


def latin_style() -> Any:
    """How a Latin name is addressed (the salutation.latin setting): surname or first-name."""
    return str(ctx.settings.values["salutation.latin"])


def _interface_language() -> str:
    from kehu.base import i18n

    return i18n.language()


def item_draft(key: str, **options: Any) -> tuple[str, Any, Any]:
    """(the item's key, what the draft was made from, the draft) for an item of the daily list."""
    from kehu.book import drafts as book_drafts
    from kehu.book import items
    from kehu.rules import kinds
    from kehu.rules.draft_kinds import draft_for

    grouped, kind, _number, _step = items.parse(key)
    if kind.names == kinds.HOLIDAY_DAY:
        raise BadInput(
            _("{key} greets many customers, each in their own words: `kehu draft CUSTOMER --for "
              "holiday --occasion {occasion}` writes one; `kehu greet {occasion}` lists them"
              ).format(key=grouped, occasion=_typed_occasion(grouped))
        )  # fmt: skip
    canonical, item_kind, source = ctx.read(
        lambda tx: book_drafts.for_item(tx, key=key, rules=ctx.rules, now=ctx.now())
    )
    if item_kind == "holiday" and options.get("occasion") is None:
        options["occasion"] = _occasion_of(canonical)
    if item_kind == "personal-date" and options.get("occasion") is None:
        from kehu.ui.drafts import DATE_OCCASIONS

        options["occasion"] = DATE_OCCASIONS.get(source.occasion_kind or "")
    draft_kind = draft_for(item_kind, source.occasion_kind, ordered=source.ordered)
    return canonical, source, make_draft(draft_kind, source, **options)


def _occasion(text: str | None) -> str | None:
    """The occasion of `--occasion`: one of the drafts' own, or a holiday of
    `rules.holiday_country` by its name (thanksgiving-day, Thanksgiving, 感恩节)."""
    from kehu.rules import choices, greetings
    from kehu.ui import drafts
    from kehu.ui import greetings as ui_greetings

    if text is None:
        return None
    try:
        return choices.choice(text, drafts.OCCASION_CODES, _("occasion (--occasion)"))
    except BadInput:
        today = ctx.now().date()
        found = greetings.country_holiday(text, today, ctx.holiday_rules)
        found = found or ui_greetings.country_holiday_named(text, today, ctx.holiday_rules)
        if found is None:
            raise
        return found[0]


def _typed_occasion(key: str) -> str:
    """What to type for the holiday of a grouped greeting's key: mid-autumn, thanksgiving-day."""
    from kehu.rules import greetings

    found = _occasion_of(key)
    return "HOLIDAY" if found is None else greetings.typed_name(found)


def _occasion_of(key: str) -> str | None:
    """The holiday a holiday greeting's key (H7.20261001, G20261001) names by its day, as a
    draft's occasion."""
    from kehu.rules import greetings
    from kehu.ui import drafts

    day = greetings.day_of_key(key.partition(".")[2] or key[1:])
    codes = greetings.holidays_on(day) if day else ()
    ours = next((code for code in codes if code in drafts.OCCASION_CODES), None)
    if ours is None and day is not None:  # another country's holiday (rules.holiday_country)
        found = greetings.upcoming(day, 0, ctx.holiday_rules)
        return next((code for _day, code in found if ":" in code), None)
    return ours


@app.command(
    rich_help_panel=_("Daily"),
    help=_(
        "A message to send (or, for a call-back, a call script): in the customer's language "
        "and form of address, with one specific detail about them."
    ),
)
def draft(
    target: Annotated[
        str,
        typer.Argument(
            metavar="KEY|CUSTOMER",
            help=_("An item's key from `kehu today` (T5), or a customer with --for."),
            show_default=False,
        ),
    ],
    for_: Annotated[
        str | None,
        Opt(
            "--for",
            help=_("The kind of draft for a customer (`kehu template list`)."),
            click_type=words(_draft_kinds),
        ),
    ] = None,
    occasion: Annotated[
        str | None,
        Opt(
            help=_("The holiday of a holiday draft, like `mid-autumn`."),
            click_type=words(_occasions),
        ),
    ] = None,
    channel: Annotated[
        str | None,
        Opt(
            help=_("sms or wechat: what the length is checked for."),
            click_type=words(("sms", "wechat")),
        ),
    ] = None,
    lang: LangOpt = None,
    copy: Annotated[bool, Opt("--copy", help=_("Also put the text on the clipboard."))] = False,
    json_: JsonOpt = False,
) -> None:
    from kehu.book import drafts as book_drafts
    from kehu.rules import choices
    from kehu.ui import drafts

    language = choices.maybe_choice(lang, drafts.LANGS, _("language (--lang)"))
    way = choices.maybe_choice(channel, ("sms", "wechat"), _("channel (--channel)"))
    options = {"lang": language, "channel": way, "occasion": _occasion(occasion)}
    if for_ is None:
        key, source, made = item_draft(target, **options)
    else:
        kind = choices.choice(
            for_, drafts.KINDS, _("draft kind (--for)"), synonyms=choices.DRAFT_WORDS
        )
        key = None
        source = ctx.read(lambda tx: book_drafts.for_customer(tx, customer=target, now=ctx.now()))
        made = make_draft(kind, source, **options)
    if json_:
        echo_json(
            {
                "key": key,
                "customer_id": source.customer_id,
                "customer_name": source.name,
                "kind": made.kind,
                "lang": made.lang,
                "channel": made.channel,
                "text": made.text,
                "length": made.length,
                "sms_segments": made.sms_segments,
                "warnings": list(made.warnings),
            }
        )
    else:
        say(made.text)
        say(drafts.length_text(made), err=True)
        for code in made.warnings:
            say(_("warning: {warning}").format(warning=drafts.warning_text(code, made)),
                       err=True)  # fmt: skip
    if copy:
        _copy(made.text)


def _copy(text: str) -> None:
    from kehu.cli import clipboard

    how = clipboard.copy(text, stdout=sys.stderr)
    if how == "osc52":
        say(_("Sent to the terminal's clipboard."), err=True)
    else:
        say(_("Copied to the clipboard."), err=True)


# ------------------------------------------------------------------------------- templates

template = typer.Typer(
    help=_("The templates drafts are written from: list, show, edit, reset."),
    no_args_is_help=True,
)
app.add_typer(template, name="template", rich_help_panel=_("Daily"))
KindArg = Annotated[
    str,
    typer.Argument(
        help=_("thank-you, call-back, birthday…"),
        show_default=False,
        click_type=words(_draft_kinds),
    ),
]


def _kind_and_lang(kind: str, lang: str | None) -> tuple[str, str]:
    from kehu.rules import choices
    from kehu.ui import drafts

    return (
        choices.choice(kind, drafts.KINDS, _("draft kind"), synonyms=choices.DRAFT_WORDS),
        choices.maybe_choice(lang, drafts.LANGS, _("language (--lang)")) or _interface_language(),
    )


@template.command("list", help=_("Every template, and which ones you have edited."))
def template_list(json_: JsonOpt = False) -> None:
    from kehu.base import paths
    from kehu.ui import drafts

    rows = drafts.template_list(paths.own_templates_dir())
    if json_:
        echo_json([{"kind": k, "lang": lang, "edited": edited} for k, lang, edited in rows])
        return
    for kind, lang, edited in rows:
        state = _("edited") if edited else _("default")
        say(f"{kind:<20} {lang}  {state}")


@template.command(
    "show",
    help=_("Print a template as drafts use it: your copy when you have one, else the default."),
)
def template_show(kind: KindArg, lang: LangOpt = None) -> None:
    from kehu.base import paths
    from kehu.ui import drafts

    name, language = _kind_and_lang(kind, lang)
    loaded = drafts.load_template(name, language, paths.own_templates_dir())
    say("\n".join(loaded.lines))


@template.command(
    "edit",
    help=_(
        "Open your copy of a template in $EDITOR (made from the default the first time). It is "
        "checked when the editor closes: a broken copy is kept for you to fix, and drafts "
        "refuse it until it is fixed or reset."
    ),
)
def template_edit(kind: KindArg, lang: LangOpt = None) -> None:
    from kehu.base import files, paths
    from kehu.ui import drafts

    name, language = _kind_and_lang(kind, lang)
    path = drafts.user_template_path(name, language, paths.templates_dir())
    default = drafts.default_text(name, language)
    fresh = not path.is_file()
    if fresh:
        with files.new_file(path, make_folder=True) as temp:
            temp.write_text(default, encoding="utf-8")
    before = _template_text(path)
    template_name = f"{language}/{name}"
    try:
        editor, code = _run_editor(str(path))
    except BadInput:
        if fresh:
            path.unlink(missing_ok=True)
        raise
    after = _template_text(path)
    if code != 0:
        if fresh and after == before:  # no copy left that `template list` would call edited
            path.unlink(missing_ok=True)
            raise BadInput(
                _("the editor {editor!r} failed (exit {code}); nothing was saved, {template} "
                  "stays the default").format(editor=editor, code=code, template=template_name)
            )  # fmt: skip
        raise BadInput(
            _("the editor {editor!r} failed (exit {code}); your copy is at {path}").format(
                editor=editor, code=code, path=path
            )
        )
    if after is None or after == _template_text(None, default):
        path.unlink(missing_ok=True)  # a copy that says what the default says is none
        if not fresh:
            ctx.committed = True  # the copy is gone: an output that fails after says so
        say(_("Nothing differs from the default: {template} stays the default, with no copy of "
              "yours.").format(template=template_name))  # fmt: skip
        return
    drafts.load_template(name, language, paths.templates_dir())  # refuses a broken copy
    if after == before:
        say(_("Nothing changed in your template {template} ({path}).").format(
            template=template_name, path=path))  # fmt: skip
        return
    ctx.committed = True
    say(_("Saved your template {template} ({path}).").format(
        template=template_name, path=path))  # fmt: skip


def _template_text(path: Path | None, text: str | None = None) -> str | None:
    """A template's text as compared for a change (line ends and the last newline aside); None
    for a file that is not there."""
    if path is not None:
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except FileNotFoundError:
            return None
    return None if text is None else text.replace("\r\n", "\n").rstrip("\n")


def _run_editor(path: str) -> tuple[str, int]:
    """Runs $VISUAL, $EDITOR or vi on the file: (the editor, its exit code)."""
    import os
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        done = subprocess.run([*shlex.split(editor), path], check=False)
    except (OSError, ValueError) as e:
        raise BadInput(
            _("cannot run the editor {editor!r} ({reason}); set EDITOR to one that works").format(
                editor=editor,
                reason=system_reason(e) if isinstance(e, OSError) else _("a quote is not closed"),
            )
        ) from None
    return editor, done.returncode


@template.command("reset", help=_("Delete your copy of a template: drafts use the default again."))
def template_reset(kind: KindArg, lang: LangOpt = None) -> None:
    from kehu.base import paths
    from kehu.ui import drafts

    name, language = _kind_and_lang(kind, lang)
    path = drafts.user_template_path(name, language, paths.templates_dir())
    try:
        path.unlink()
        ctx.committed = True  # done: an output that fails after this must say so
    except FileNotFoundError:
        say(_("{template} is the default already.").format(
            template=f"{language}/{name}"))  # fmt: skip
        return
    say(_("Reset {template} to the default.").format(template=f"{language}/{name}"))
