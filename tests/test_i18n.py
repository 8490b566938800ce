"""The language: how it is chosen, the Chinese catalog (complete, compiling, compiled copy up to
date), and a Chinese --help down to Click's own words."""

import gettext
import importlib.util
import io
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base import i18n

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("catalog", ROOT / "scripts" / "catalog.py")
assert _spec and _spec.loader
catalog = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalog)

LOCALE_VARIABLES = ("KEHU_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
# Click's words that any user of kehu meets: in help, in every usage error.
CLICK_ESSENTIALS = (
    "Usage:", "Options", "Commands", "Arguments", "Show this message and exit.",
    "Error: {message}", "Missing argument", "Missing option", "No such option {name!r}.",
    "No such command {name!r}.", "Try '{command} {option}' for help.", "Aborted!",
    "Invalid value for {param_hint}: {message}", "Option {name!r} requires an argument.",
    "Got unexpected extra argument ({args})", "Did you mean {possibility}?",
    "{value!r} is not {choice}.", "{value!r} is not a valid {number_type}.", "env var: {var}",
    "default: {default}", "required", "Repeat for confirmation", "Error: invalid input",
)  # fmt: skip


@pytest.mark.parametrize(
    ("environ", "setting", "expected"),
    [
        ({}, None, "en"),
        ({"LANG": "zh_CN.UTF-8"}, None, "zh"),
        ({"LANG": "zh_CN"}, None, "zh"),
        ({"LANG": "zh"}, None, "zh"),
        ({"LANG": "zh_CN.GB18030"}, None, "zh"),
        ({"LANG": "en_US.UTF-8"}, None, "en"),
        ({"LANG": "C.UTF-8"}, None, "en"),
        ({"LANG": "fr_FR.UTF-8"}, None, "en"),
        ({"LANG": "zh_TW.UTF-8"}, None, "en"),  # Traditional: no catalog yet
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, None, "zh"),
        ({"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"}, None, "en"),  # LC_ALL decides
        ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, None, "zh"),  # empty means unset
        ({"LANG": "en_US.UTF-8"}, "zh", "zh"),  # the setting wins over the locale (cron)
        ({"LANG": "zh_CN.UTF-8"}, "en", "en"),
        ({"KEHU_LANG": "zh", "LANG": "en_US.UTF-8"}, "en", "zh"),  # KEHU_LANG wins over all
        ({"KEHU_LANG": "en", "LANG": "zh_CN.UTF-8"}, "zh", "en"),
        ({"KEHU_LANG": "zh-CN"}, None, "zh"),
        ({"KEHU_LANG": "中文", "LANG": "en_US.UTF-8"}, None, "zh"),  # as a Chinese user writes it
        ({"KEHU_LANG": "Chinese"}, None, "zh"),
        ({"KEHU_LANG": " ", "LANG": "zh_CN.UTF-8"}, None, "zh"),
    ],
)
def test_the_language_is_chosen_in_order(environ, setting, expected):
    assert i18n.choose(setting, environ) == expected


@given(
    st.dictionaries(st.sampled_from(LOCALE_VARIABLES), st.text(max_size=20)),
    st.none() | st.text(max_size=20),
)
def test_any_environment_chooses_a_known_language(environ, setting):
    assert i18n.choose(setting, environ) in i18n.LANGUAGES


def test_bind_switches_the_words_and_back(monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "zh")
    try:
        assert i18n.bind(None) == "zh"
        assert i18n._("Usage:") == "用法："
        assert i18n.language() == "zh"
        assert i18n._("a sentence nobody translated") == "a sentence nobody translated"
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        assert i18n.bind(None) == "en"
    assert i18n._("Usage:") == "Usage:"


def _po() -> dict[object, object]:
    return {m.id: m.string for m in catalog.read("zh_CN") if m.id}


def _translated(msgstr: object) -> bool:
    """A plural's msgstr is a tuple of forms: translated only when none is empty."""
    return all(msgstr) if isinstance(msgstr, tuple) else bool(msgstr)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_every_message_in_the_code_has_a_chinese_translation():
    translated = _po()
    missing = [
        m.id for m in catalog.kehu_messages() if m.id and not _translated(translated.get(m.id))
    ]
    assert missing == [], "run `python scripts/catalog.py update` and translate these"


def test_clicks_own_words_are_translated():
    translated = _po()
    singulars = {(k[0] if isinstance(k, tuple) else k): v for k, v in translated.items()}
    assert [m for m in CLICK_ESSENTIALS if not singulars.get(m)] == []
    library = [m.id for m in catalog.library_messages() if m.id]
    assert [m for m in library if not _translated(translated.get(m))] == []


def test_translations_keep_the_placeholders():
    for msgid, msgstr in _po().items():
        if isinstance(msgid, tuple):  # Chinese has one plural form, used for every count
            assert isinstance(msgstr, tuple)
            allowed = _fields(msgid[0]) | _fields(msgid[1])
            assert all(_fields(s) <= allowed for s in msgstr), msgid
        elif "%(" in msgid:
            assert set(re.findall(r"%\(\w+\)s", msgid)) == set(re.findall(r"%\(\w+\)s", msgstr))
        elif "nth" in _fields(msgid):  # an English ordinal; the count {n} is given too
            assert _fields(str(msgstr)) <= _fields(msgid) | {"n"}, msgid
        else:
            assert _fields(str(msgstr)) == _fields(msgid), msgid


def test_the_catalog_compiles_and_the_shipped_copy_is_up_to_date():
    from babel.messages.mofile import write_mo

    po = catalog.read("zh_CN")
    assert [problem for problem in po.check()] == []
    compiled = io.BytesIO()
    write_mo(compiled, po, use_fuzzy=False)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with catalog.mo_path("zh_CN").open("rb") as f:
        shipped = gettext.GNUTranslations(f)
    assert shipped._catalog == fresh._catalog, "run `python scripts/catalog.py compile`"  # type: ignore[attr-defined]


def _kehu(args: list[str], tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env["KEHU_CONFIG"] = str(tmp_path / "config.toml")
    env["KEHU_DB"] = str(tmp_path / "kehu.db")
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args], env=env, capture_output=True, text=True, timeout=60
    )


def _is_chinese_help(out: str) -> bool:
    return "用法" in out and "选项" in out and "显示本帮助并退出" in out and "Usage" not in out


def test_kehu_lang_zh_gives_a_chinese_help_with_clicks_words(tmp_path):
    result = _kehu(["--help"], tmp_path, KEHU_LANG="zh")
    assert result.returncode == 0, result.stderr
    assert _is_chinese_help(result.stdout)
    assert "维护你已有的客户" in result.stdout
    for english in ("Options", "Show this message", "Install completion", "Commands:"):
        assert english not in result.stdout


def test_a_chinese_locale_picks_chinese_and_kehu_lang_wins_over_it(tmp_path):
    assert _is_chinese_help(_kehu(["--help"], tmp_path, LANG="zh_CN.UTF-8").stdout)
    english = _kehu(["--help"], tmp_path, LANG="zh_CN.UTF-8", KEHU_LANG="en").stdout
    assert (
        "Usage:" in english and "Show this message and exit." in english and "用法" not in english
    )
    assert "Usage:" in _kehu(["--help"], tmp_path, LANG="en_US.UTF-8").stdout


def test_the_language_setting_speaks_where_there_is_no_locale(tmp_path):
    (tmp_path / "config.toml").write_text('language = "zh"\n', encoding="utf-8")
    assert _is_chinese_help(_kehu(["--help"], tmp_path).stdout)  # as under cron: no LANG
    assert "Usage:" in _kehu(["--help"], tmp_path, KEHU_LANG="en").stdout


def test_a_config_file_that_cannot_be_read_leaves_the_locale_to_decide(tmp_path):
    (tmp_path / "config.toml").write_text('language = "zh\n', encoding="utf-8")  # broken TOML
    assert _is_chinese_help(_kehu(["--help"], tmp_path, LANG="zh_CN.UTF-8").stdout)


def test_usage_errors_read_chinese_and_keep_their_exit_code(tmp_path):
    result = _kehu(["bogus"], tmp_path, KEHU_LANG="zh")
    assert result.returncode == 2
    assert result.stderr == "kehu: 没有 'bogus' 这个命令。（`kehu --help` 列出可以接受的写法）\n"
    result = _kehu(["show"], tmp_path, KEHU_LANG="zh")
    assert result.returncode == 2 and "缺少参数 'CUSTOMER'" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_chinese_help_stays_light(tmp_path):
    code = (
        "import sys, contextlib, io\nfrom kehu.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main.run(['--help'])\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    env = {**os.environ, "KEHU_LANG": "zh", "KEHU_CONFIG": str(tmp_path / "config.toml")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert not loaded & {"sqlalchemy", "sqlmodel", "rich", "babel", "pypinyin"}


def test_the_quick_catalog_reader_reads_what_the_stdlib_reads(tmp_path):
    import gettext
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from kehu.base import i18n

    shipped = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "kehu.mo"
    small = Catalog(locale="de")  # two plural forms, unlike Chinese
    small.add("one", "eins")
    small.add(("{n} day", "{n} days"), ("{n} Tag", "{n} Tage"))
    small.add("nul\u00e9", "ñ — 中文")
    buffer = io.BytesIO()
    write_mo(buffer, small)
    (tmp_path / "de.mo").write_bytes(buffer.getvalue())
    for path in (shipped, tmp_path / "de.mo"):
        with path.open("rb") as a, path.open("rb") as b:
            quick, stdlib = i18n.QuickCatalog(a), gettext.GNUTranslations(b)
        assert quick._catalog == stdlib._catalog and quick._info == stdlib._info
        assert [quick.plural(n) for n in range(5)] == [stdlib.plural(n) for n in range(5)]
        assert quick.ngettext("{n} day", "{n} days", 2) == stdlib.ngettext("{n} day", "{n} days", 2)
        ids = {key if isinstance(key, str) else key[0] for key in stdlib._catalog}
        for message in [*ids, "a sentence nobody translated"]:
            assert quick.texts.get(message, message) == stdlib.gettext(message), message


def test_underscore_words_as_the_stdlib_does_in_every_language(monkeypatch):
    monkeypatch.setattr(i18n, "_lookup", i18n._lookup)  # restored after the test
    monkeypatch.setattr(i18n, "_translation", i18n._translation)
    shipped = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "kehu.mo"
    with shipped.open("rb") as f:
        stdlib = gettext.GNUTranslations(f)
    ids = [key if isinstance(key, str) else key[0] for key in stdlib._catalog]  # type: ignore[attr-defined]
    for language, expected in (("zh", stdlib.gettext), ("en", lambda message: message)):
        monkeypatch.setenv("KEHU_LANG", language)
        assert i18n.bind(None) == language
        for message in [*ids, "a sentence nobody translated"]:
            assert i18n._(message) == expected(message), message
