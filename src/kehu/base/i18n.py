"""Translation plumbing. Every sentence a person reads is written as `_("…")` (or `ngettext`) in
ui/ and cli/; the catalog of the chosen language is bound here before the commands are built.
Until a catalog is bound, the English text is used as it is."""

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "kehu"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "zh")  # the codes `bind` and the `language` setting speak
# The catalog folder of each language that has one (English is the text in the code).
CATALOGS = {"zh": "zh_CN"}
# Locale names that mean Simplified Chinese; zh_TW and zh_HK (Traditional) read English for now.
_SIMPLIFIED = {"zh", "zh_cn", "zh_sg", "zh_hans", "zh_hans_cn"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short word whose translation depends on what it names (a channel or a source)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message kept in a constant for the catalog; it is translated where it is shown."""
    return message


def language() -> str:
    """The code of the bound language: 'en' or 'zh'."""
    return _language


def code(name: str | None) -> str | None:
    """'zh' or 'en' for a language or locale name ('zh_CN.UTF-8', 'zh', 'C', 'en_US'); None when
    the name is empty (the next source decides)."""
    if not name or not name.strip():
        return None
    base = name.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    return "zh" if base in _SIMPLIFIED else "en"


def choose(setting: str | None, environ: Mapping[str, str]) -> str:
    """KEHU_LANG, else the `language` setting, else the locale (LC_ALL, LC_MESSAGES, LANG: the
    first one set decides, as for every program); English when none says Chinese."""
    for name in (environ.get("KEHU_LANG"), setting):
        chosen = code(name)
        if chosen:
            return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        chosen = code(environ.get(variable))
        if chosen:
            return chosen
    return "en"


def bind(language: str | None) -> str:
    """Choose the language (`language` is the setting's value, or None) and load its catalog;
    a missing catalog leaves English. Returns the code chosen."""
    global _translation, _language
    chosen = choose(language, os.environ)
    folder = CATALOGS.get(chosen)
    _translation = (
        gettext.translation(DOMAIN, LOCALE_DIR, languages=[folder], fallback=True)
        if folder
        else gettext.NullTranslations()
    )
    _language = chosen if isinstance(_translation, gettext.GNUTranslations) else "en"
    return _language
