"""Translation plumbing. Every sentence a person reads is written as `_("…")` (or `ngettext`) in
ui/ and cli/; the catalog of the chosen language is bound here before the commands are built.
Until a catalog is bound, the English text is used as it is."""

import gettext

_translation: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
