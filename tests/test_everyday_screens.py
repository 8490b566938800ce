"""The everyday screens read right: the daily list filtered by kind, a snooze whose item is
done, a no-answer logged in the same second as a reached contact, a colleague's grouped
greeting, and a write that fails on a missing book."""

from pathlib import Path
from typing import Any

import pytest
from conftest import sqlite_only

# a write that fails where there is no book leaves nothing behind


@sqlite_only  # about the folders a SQLite book lives in
@pytest.mark.parametrize(
    "args", [("undo",), ("done", "T1"), ("log", "张伟", "--note", "hi"), ("kept", "1")]
)
def test_a_failed_write_without_a_book_makes_no_data_folder(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.delenv("KEHU_DB")
    before = sorted(tmp_path.rglob("*"))
    result = kehu(*args)
    assert result.code == 3 and len(result.err.splitlines()) == 1, result
    assert sorted(tmp_path.rglob("*")) == before  # no book, no empty data folder
    # the same under a --db whose folders do not exist yet
    deep = tmp_path / "a" / "b" / "kehu.db"
    assert kehu("--db", str(deep), *args).code == 3
    assert not (tmp_path / "a").exists()


@sqlite_only
def test_a_write_that_fails_keeps_a_data_folder_that_was_there(kehu: Any, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    assert kehu("--db", str(folder / "kehu.db"), "undo").code == 3
    assert folder.is_dir() and list(folder.iterdir()) == []
