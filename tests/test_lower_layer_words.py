"""Errors raised below the screen layer (file formats, the settings file, the system's refusals)
reach a Chinese user in Chinese: one line, a non-zero exit, nothing written."""

import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kehu.base import i18n
from kehu.base.errors import system_reason

# Words a Chinese message may keep: the program's name and the formats' names.
NAMES = {"kehu", "JSON", "TOML", "UTF", "BDAY"}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def _english(text: str, *values: Path) -> list[str]:
    for value in values:
        text = text.replace(str(value), "")
    return [w for w in WORD.findall(text) if w not in NAMES]


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KEHU_LANG", "zh")
    i18n.bind(None)
    yield
    monkeypatch.setenv("KEHU_LANG", "en")
    i18n.bind(None)


@pytest.fixture
def book(kehu):
    assert kehu("add", "张伟", "--phone", "13800138000").code == 0
    return lambda: kehu("list", "--json").out


def _refused(result, *values: Path) -> None:
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1, result
    assert "Traceback" not in result.err
    assert _english(result.err, *values) == [], result


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"format": "kehu", "version": 99, "tables": {}}', "第 99 版的 kehu JSON 文件"),
        (b'{"format": "kehu", "version": 1', "不是 UTF-8 编码的 JSON 文本"),
        (b"\xff\xfe{}", "不是 UTF-8 编码的 JSON 文本"),
        (b'{"customers": []}', "不是 kehu 的 JSON 文件"),
    ],
)
def test_a_json_file_kehu_cannot_read_is_told_in_chinese(kehu, book, zh, tmp_path, content, words):
    before = book()
    path = tmp_path / "book.json"
    path.write_bytes(content)
    result = kehu("import", path)
    _refused(result, path)
    assert words in result.err and "什么都没有导入" in result.err, result
    assert book() == before


def test_a_newer_json_file_is_told_in_english_too(kehu, book, tmp_path):
    path = tmp_path / "book.json"
    path.write_bytes(b'{"format": "kehu", "version": 99, "tables": {}}')
    result = kehu("import", path)
    assert result.code == 2, result
    assert "a kehu JSON file of version 99, newer than this kehu reads" in result.err, result


def test_a_strict_vcard_import_stops_in_chinese(kehu, book, zh, tmp_path):
    before = book()
    path = tmp_path / "cards.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:李娜\nBDAY:xx\nEND:VCARD\n", encoding="utf-8")
    result = kehu("import", "--strict", "--yes", path)
    _refused(result, path)
    assert "第 1 张名片" in result.err and "什么都没有导入" in result.err, result
    assert book() == before


def test_a_file_the_system_refuses_is_told_in_chinese(kehu, book, zh, tmp_path):
    target = tmp_path / "no-such-folder" / "customers.csv"
    result = kehu("export", target)
    _refused(result, target)
    assert "没有这个文件或文件夹" in result.err, result
    assert not target.parent.exists()


def test_a_config_file_that_is_not_toml_names_the_place_in_chinese(kehu, book, zh, tmp_path):
    config = Path(os.environ["KEHU_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("daily target = 3\n", encoding="utf-8")
    result = kehu("today")
    assert result.code == 0, result
    assert "第 1 行第 7 列" in result.err, result
    assert _english(result.err, config) == [], result


@pytest.mark.parametrize("number", [errno.ENOENT, errno.EACCES, errno.ENOSPC, errno.EROFS])
def test_the_systems_words_stay_the_systems_in_english(number):
    assert system_reason(OSError(number, os.strerror(number))) == os.strerror(number)


def test_an_unusual_system_error_is_told_by_its_code_in_chinese(zh):
    assert system_reason(OSError(errno.EXDEV, os.strerror(errno.EXDEV))) == "系统错误 EXDEV"
    assert system_reason(FileNotFoundError(errno.ENOENT, "x")) == "没有这个文件或文件夹"
