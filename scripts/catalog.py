"""The translation catalogs: `python scripts/catalog.py update` gathers every `_()`/`ngettext()`
message of kehu, and Click's and Typer's own ("Usage:", "Options:", parser errors), into each
language's .po (translations kept, vanished messages marked obsolete); fill the new msgstr
lines, then `python scripts/catalog.py compile` writes the .mo files that kehu loads, and
src/kehu/cli/listing.py: the commands as `kehu --help` lists them in each language, so that the
listing imports no command module. Needs Babel (`pip install -e '.[test]'`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kehu"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "kehu"
LOCALES = ("zh_CN",)
LIBRARIES = ("click", "typer")  # their words reach the user through kehu's catalog
WIDTH = 100


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def kehu_messages() -> Catalog:
    """Every message kehu's code marks for translation."""
    found = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={**DEFAULT_KEYWORDS, "N_": None}
    ):
        found.add(message, locations=[(f"kehu/{filename}", lineno)], auto_comments=comments,
                  context=context)  # fmt: skip
    return found


def library_messages() -> Catalog:
    """The messages Click and Typer translate through the stdlib's gettext."""
    import importlib

    found = Catalog(domain=DOMAIN)
    for library in LIBRARIES:
        folder = Path(importlib.import_module(library).__file__ or "").parent
        for path in sorted(folder.glob("*.py")):
            if "gettext" not in path.read_text(encoding="utf-8"):
                continue
            for lineno, message, comments, context in extract_from_file("python", str(path)):
                found.add(message, locations=[(f"{library}/{path.name}", lineno)],
                          auto_comments=comments, context=context)  # fmt: skip
    return found


def template() -> Catalog:
    both = Catalog(domain=DOMAIN, project="kehu")
    for catalog in (kehu_messages(), library_messages()):
        for message in catalog:
            if message.id:
                both.add(message.id, locations=message.locations, flags=message.flags,
                         auto_comments=message.auto_comments, context=message.context)  # fmt: skip
    return both


def read(locale: str) -> Catalog:
    with po_path(locale).open("rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def update() -> None:
    new = template()
    for locale in LOCALES:
        path = po_path(locale)
        if path.exists():
            catalog = read(locale)
        else:
            catalog = Catalog(locale=locale, domain=DOMAIN, project="kehu")
            path.parent.mkdir(parents=True, exist_ok=True)
        catalog.update(new, no_fuzzy_matching=True)
        with path.open("wb") as f:
            write_po(
                f,
                catalog,
                width=WIDTH,
                sort_output=True,
                include_lineno=False,
                ignore_obsolete=True,
            )
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{path.relative_to(ROOT)}: {len(missing)} message(s) to translate")


def compile_catalogs() -> None:
    for locale in LOCALES:
        with mo_path(locale).open("wb") as f:
            write_mo(f, read(locale), use_fuzzy=False)
        print(f"{mo_path(locale).relative_to(ROOT)} written")
    write_listing()


LISTING = PACKAGE / "cli" / "listing.py"
# Each command's name and its help up to where Click cuts a one-line help (the first sentence),
# as the whole app in the language named by KEHU_LANG lists them.
_LIST_COMMANDS = """
import json, click
from kehu.cli import main
group = main.whole_group()
context = click.Context(group)
commands = [(name, group.get_command(context, name)) for name in group.list_commands(context)]
print(json.dumps([(n, c.get_short_help_str(10**9)) for n, c in commands if not c.hidden]))
"""


def app_listing(language: str) -> list[tuple[str, str]]:
    """What the real app lists in LANGUAGE: (name, one-line help) in the order of --help."""
    env = {**os.environ, "KEHU_LANG": language}
    out = subprocess.run([sys.executable, "-c", _LIST_COMMANDS], env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return [(name, text) for name, text in json.loads(out)]


def _literal(text: str) -> str:
    """A string literal as ruff formats it: double quotes unless the text holds some."""
    return repr(text) if '"' in text and "'" not in text else json.dumps(text, ensure_ascii=False)


def listing_source() -> str:
    """The text of cli/listing.py, from the app as it is now in every language."""
    from kehu.base.i18n import LANGUAGES

    lines = [
        '"""The commands as `kehu --help` lists them: name and one-line help, in each language.',
        "Written by `python scripts/catalog.py compile` from the commands' own help; do not edit.",
        'tests/test_startup.py checks that it is what the commands say."""',
        "# ruff: noqa: E501",
        "",
        "COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {",
    ]
    for language in LANGUAGES:
        lines.append(f"    {_literal(language)}: (")
        for name, text in app_listing(language):
            pair = " " * 12 + f"{_literal(name)},", " " * 12 + f"{_literal(text)},"
            lines += ["        (", *pair, "        ),"]
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_listing() -> None:
    LISTING.write_text(listing_source(), encoding="utf-8")
    print(f"{LISTING.relative_to(ROOT)} written")


if __name__ == "__main__":
    commands = {"update": update, "compile": compile_catalogs}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python {sys.argv[0]} {{{'|'.join(commands)}}}")
    commands[sys.argv[1]]()
