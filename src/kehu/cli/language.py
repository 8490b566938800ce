"""Binding the language before the commands are built: Typer reads every help text when the
app is made, and Click words its own parts ("Usage:", "Options:", parser errors) through the
stdlib's gettext, which knows nothing of KEHU_LANG or the `language` setting."""

import gettext
import os
import sys
from typing import Any

import click

from kehu.base import i18n
from kehu.base.i18n import _

# Click's and Typer's modules import `gettext`'s functions under these names at their top.
_LIBRARIES = ("click", "typer")


def bind() -> str:
    chosen = i18n.bind(
        None if i18n.understood(os.environ.get("KEHU_LANG")) else _language_setting()
    )
    _measure_wide_characters()
    if chosen != "en":
        _lend_to_libraries()
        _translate_typer_completion_help()
        _word_number_types()
        _word_headings()
    _warn_unheard()
    return chosen


def _warn_unheard() -> None:
    """One line on stderr when KEHU_LANG names a language kehu does not speak: it was passed
    over for the setting or the locale, and the user should know why. Not under shell
    completion, whose stderr lands in the middle of the command line."""
    value = i18n.unheard(os.environ)
    if value is None or "_KEHU_COMPLETE" in os.environ:
        return
    from kehu.ui.text import one_line

    names = {"en": _("English"), "zh": _("Chinese")}
    sys.stderr.write(
        _(
            "kehu: KEHU_LANG={value} is not a language kehu speaks (en or zh; zh_CN, 中文 and "
            "Chinese are Chinese too); using {language} (the language setting or the locale)"
        ).format(value=one_line(value), language=names.get(i18n.language(), i18n.language()))
        + "\n"
    )


def _language_setting() -> str | None:
    """The `language` setting (base/settings.py). A config file that cannot be read is reported
    by the command that reads the settings; here it only means no setting."""
    from kehu.base import settings
    from kehu.base.errors import BadInput

    try:
        return str(settings.load().values["language"])
    except BadInput:
        return None


def _lend_to_libraries() -> None:
    """Point Click's and Typer's module-level `_`/`ngettext` at kehu's (whichever language is
    bound later too), whose catalog carries their messages. Only the modules loaded now: the
    editor and progress-bar helpers, which kehu does not use, would cost 13 ms to load."""
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in _LIBRARIES or module is None:
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = i18n._  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def _translate_typer_completion_help() -> None:
    """Typer's --install-completion and --show-completion carry help that Typer never passes
    through gettext; it is read from the defaults of a placeholder function."""
    from typer import completion

    words = {
        "Install completion for the current shell.": _("Install completion for the current shell."),
        "Show completion for the current shell, to copy it or customize the installation.": _(
            "Show completion for the current shell, to copy it or customize the installation."
        ),
    }
    placeholder = getattr(completion, "_install_completion_placeholder_function", None)
    for info in getattr(placeholder, "__defaults__", None) or ():
        help_text = getattr(info, "help", None)
        if help_text in words:
            info.help = words[help_text]
        if getattr(info, "callback", None) is getattr(completion, "install_callback", False):
            info.callback = _install_completion


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """Typer's --install-completion, saying what it did in the bound language."""
    import click
    from typer import completion

    if not value or ctx.resilient_parsing:
        return value
    shell, path = (
        completion.install(shell=value) if isinstance(value, str) else completion.install()
    )
    click.secho(
        _("{shell} completion installed in {path}").format(shell=shell, path=path), fg="green"
    )
    click.echo(_("Completion will take effect once you restart the terminal"))
    sys.exit(0)


def _word_number_types() -> None:
    """Click's "… is not a valid {number_type}." names the number by its type's name
    ("integer range"), which it never passes through gettext: the message is made here with
    that name in kehu's words (the name itself stays, as the help's metavar)."""
    from click import types

    words = {
        "integer": _("integer"), "integer range": _("integer range"),
        "float": _("number"), "float range": _("number range"),
    }  # fmt: skip

    def convert(self: Any, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return self._number_class(value)
        except ValueError:
            number = words.get(self.name, self.name)
            self.fail(
                _("{value!r} is not a valid {number_type}.").format(
                    value=value, number_type=number
                ),
                param,
                ctx,
            )

    types._NumberParamTypeBase.convert = convert  # type: ignore[method-assign]


def _word_headings() -> None:
    """Click writes a help section's heading as `{heading}:` and the usage as `Usage: prog`,
    with an ASCII colon that is not its to choose: the label's colon is the language's
    (选项：, 用法：kehu …), as every other label of kehu's is."""
    from click import formatting

    class Formatter(formatting.HelpFormatter):
        def write_heading(self, heading: str) -> None:
            label = _("{label}:").format(label=heading)
            self.write(f"{'':>{self.current_indent}}{label}\n")

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            if prefix is None:
                usage = _("Usage:")
                prefix = usage if usage.endswith("：") else usage + " "
            super().write_usage(prog, args, prefix)

    click.Context.formatter_class = Formatter


def _measure_wide_characters() -> None:
    """Click wraps and shortens help by counting characters, so a Chinese line of 60
    characters, 120 columns, ran past an 80-column terminal. Here it counts columns, and a run
    of Chinese may break between any two characters, as Chinese is written."""
    import re

    from click import _textwrap, core, formatting
    from click._compat import strip_ansi

    from kehu.ui.tables import width

    def columns(text: str) -> int:
        return width(strip_ansi(text))

    def truncate(text: str, n: int) -> str:
        used = 0
        for i, ch in enumerate(text):
            used += width(ch)
            if used > n:
                return text[:i]
        return text

    # A Chinese character with the opening marks before it and the closing ones after it: no
    # line starts with 。 or ends with （.
    wide = re.compile(
        r"([\[(（【「『“‘《]*[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][\])，。、：；！？）】」』”’》…]*)"
    )

    closing = re.compile(r"[\])，。、：；！？）】」』”’》…]")

    class Wrapper(_textwrap.TextWrapper):  # type: ignore[misc]
        def _split(self, text: str) -> list[str]:
            chunks = super()._split(text)
            pieces: list[str] = []
            for piece in (piece for chunk in chunks for piece in wide.split(chunk) if piece):
                # A closing mark after ASCII text (`… 15`。, wechat。) stays with it.
                if pieces and closing.match(piece) and not pieces[-1][-1].isspace():
                    pieces[-1] += piece
                else:
                    pieces.append(piece)
            return pieces

        def _handle_long_word(
            self, chunks: list[str], line: list[str], used: int, room: int
        ) -> None:
            cut = truncate(chunks[-1], max(room - used, 1)) or ("" if line else chunks[-1][:1])
            line.append(cut)
            chunks[-1] = chunks[-1][len(cut) :]

        def _wrap_chunks(self, chunks: list[str]) -> list[str]:
            lines: list[str] = []
            chunks.reverse()
            while chunks:
                indent = self.subsequent_indent if lines else self.initial_indent
                room = self.width - columns(indent)
                if self.drop_whitespace and not chunks[-1].strip() and lines:
                    del chunks[-1]
                line: list[str] = []
                used = 0
                while chunks and used + columns(chunks[-1]) <= room:
                    used += columns(chunks[-1])
                    line.append(chunks.pop())
                if chunks and columns(chunks[-1]) > room:
                    self._handle_long_word(chunks, line, used, room)
                if self.drop_whitespace and line and not line[-1].strip():
                    del line[-1]
                if line:
                    lines.append(indent + "".join(line))
            return lines

    _textwrap.TextWrapper = Wrapper  # type: ignore[misc]
    formatting.term_len = columns  # type: ignore[assignment]
    name = "_make_default_short_help" if "_make_default_short_help" in vars(core) else None
    name = name or "make_default_short_help"
    shorten = getattr(core, name)
    # A Chinese sentence ends at its full stop (or ! ?), which has no space after it.
    chinese_end = re.compile(r"[。！？](?=.)")

    def short_help(help_text: str, max_length: int = 45) -> str:
        """A command's one-line help in a listing (`kehu --help`): its whole first sentence,
        which the listing wraps to the terminal, never cut with "..." to fit one line."""
        text = shorten(help_text, len(help_text))
        end = chinese_end.search(text)
        return text[: end.end()] if end else text

    setattr(core, name, short_help)
