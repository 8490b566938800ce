"""Translation plumbing. Every sentence a person reads is written as `_("…")` (or `ngettext`) in
ui/ and cli/; the catalog of the chosen language is bound here before the commands are built.
Until a catalog is bound, the English text is used as it is."""

import functools
import gettext
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

DOMAIN = "kehu"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "zh")  # the codes `bind` and the `language` setting speak
# The catalog folder of each language that has one (English is the text in the code).
CATALOGS = {"zh": "zh_CN"}
# Locale names that mean Simplified Chinese; zh_TW and zh_HK (Traditional) read English for now.
_SIMPLIFIED = {
    "zh", "zh_cn", "zh_sg", "zh_hans", "zh_hans_cn", "chinese", "中文", "简体中文", "汉语",
}  # fmt: skip

_translation: gettext.NullTranslations = gettext.NullTranslations()
# What `_` reads: the bound catalog's text by message id, called as (message, default). A daily
# list at 10,000 customers words some 20,000 messages: one dictionary look-up each, as cheap in
# Chinese as in English, not the stdlib's two calls and a sentinel per message.
_ENGLISH: dict[str, str] = {}  # the message ids are the English text
_lookup: Callable[[str, str], str] = _ENGLISH.get
_language = "en"


def _(message: str) -> str:
    return _lookup(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short word whose translation depends on what it names (a channel or a source)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message kept in a constant for the catalog; it is translated where it is shown."""
    return message


def in_language(language: str, message: str) -> str:
    """`message` in `language` whatever language is bound: to read a word typed in another
    language than the interface's (a setting's Chinese name in the English interface)."""
    if language == _language:
        return _(message)
    folder = CATALOGS.get(language)
    return _catalog(folder).gettext(message) if folder else message


@functools.cache
def _catalog(folder: str) -> gettext.NullTranslations:
    return gettext.translation(
        DOMAIN, LOCALE_DIR, languages=[folder], fallback=True, class_=QuickCatalog
    )


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


# Names that mean English, beside en_* locales: what KEHU_LANG may say besides Chinese.
_ENGLISH_NAMES = {"en", "english", "英文", "英语", "c", "posix"}


def understood(name: str | None) -> bool:
    """NAME (KEHU_LANG's value) names a language kehu speaks: English or Simplified Chinese.
    Empty is not a name (the next source decides, without a word)."""
    if not name or not name.strip():
        return False
    base = name.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    return base in _SIMPLIFIED or base in _ENGLISH_NAMES or base.startswith("en_")


def unheard(environ: Mapping[str, str]) -> str | None:
    """KEHU_LANG's value when it is set but names no language kehu speaks (it is passed over:
    the setting or the locale decides), else None."""
    value = environ.get("KEHU_LANG")
    if not value or not value.strip() or understood(value):
        return None
    return value


def choose(setting: str | None, environ: Mapping[str, str]) -> str:
    """KEHU_LANG, else the `language` setting, else the locale (LC_ALL, LC_MESSAGES, LANG: the
    first one set decides, as for every program); English when none says Chinese. A KEHU_LANG
    that names no language kehu speaks (fr, zh_TW) is passed over, as an empty one is."""
    kehu_lang = environ.get("KEHU_LANG")
    for name in (kehu_lang if understood(kehu_lang) else None, setting):
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
    global _language
    chosen = choose(language, os.environ)
    folder = CATALOGS.get(chosen)
    install(
        gettext.translation(
            DOMAIN, LOCALE_DIR, languages=[folder], fallback=True, class_=QuickCatalog
        )
        if folder
        else gettext.NullTranslations()
    )
    _language = chosen if isinstance(_translation, gettext.GNUTranslations) else "en"
    return _language


def install(translation: gettext.NullTranslations) -> None:
    """Word every message with TRANSLATION from now on (`bind` loads the chosen language's; a
    test may hand in its own)."""
    global _translation, _lookup
    _translation = translation
    if isinstance(translation, QuickCatalog):
        _lookup = translation.texts.get
    elif type(translation) is gettext.NullTranslations:
        _lookup = _ENGLISH.get
    else:
        _lookup = lambda message, default: translation.gettext(message)  # noqa: E731


class QuickCatalog(gettext.GNUTranslations):
    """The stdlib's reader of .mo files with a faster parse (a third of the time: the offset
    tables are read whole, each message decoded once), since every Chinese run loads the whole
    catalog before its first word. UTF-8 catalogs in the byte order Babel writes (little
    endian); anything else goes to the stdlib's own parser."""

    def __init__(self, fp: Any = None) -> None:
        super().__init__(fp)
        # What gettext() answers, as one dictionary: the catalog itself, where a message id that
        # only has plural forms is added as its form for 1 (as the stdlib's gettext() reads it).
        one = self.plural(1)
        plural_only = {
            key[0]: text
            for key, text in self._catalog.items()
            if isinstance(key, tuple) and key[1] == one and key[0] not in self._catalog
        }
        self.texts: dict[Any, str] = (
            {**self._catalog, **plural_only} if plural_only else self._catalog
        )

    def _parse(self, fp: Any) -> None:
        import array
        import struct
        import sys

        buf = fp.read()
        magic, version, count, ids_at, strs_at = struct.unpack("<5I", buf[:20])
        if (
            magic != self.LE_MAGIC
            or version >> 16 not in self.VERSIONS
            or sys.byteorder != "little"
        ):
            fp.seek(0)
            return super()._parse(fp)
        ids, strs = array.array("I"), array.array("I")
        ids.frombytes(buf[ids_at : ids_at + 8 * count])
        strs.frombytes(buf[strs_at : strs_at + 8 * count])
        catalog: dict[Any, str] = {}
        for i in range(0, 2 * count, 2):
            msg = buf[ids[i + 1] : ids[i + 1] + ids[i]].decode()
            text = buf[strs[i + 1] : strs[i + 1] + strs[i]].decode()
            if "\x00" in msg:
                singular = msg.split("\x00")[0]
                for n, form in enumerate(text.split("\x00")):
                    catalog[(singular, n)] = form
            else:
                catalog[msg] = text
        self._catalog = catalog
        self._info = {}
        self._charset = "utf-8"
        self.plural = lambda n: int(n != 1)
        for line in catalog.get("", "").splitlines():
            key, _, value = line.partition(":")
            self._info[key.strip().lower()] = value.strip()
            if key.strip().lower() == "plural-forms":
                self.plural = gettext.c2py(value.split(";")[1].split("plural=")[1])
