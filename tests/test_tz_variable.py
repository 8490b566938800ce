"""The TZ variable as systems set it: a zone name, or a POSIX string such as CST-8."""

from datetime import UTC, datetime
from typing import Any

import pytest

from kehu.base import settings


@pytest.fixture
def system_tz(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("KEHU_TZ", raising=False)
    return lambda value: monkeypatch.setenv("TZ", value)


@pytest.mark.parametrize(
    ("value", "july", "january"),
    [
        ("CST-8", 8, 8),  # POSIX: the offset is west of Greenwich, so -8 is UTC+8
        ("<+08>-8", 8, 8),
        ("UTC0", 0, 0),
        ("JST-9", 9, 9),
        ("EST5EDT,M3.2.0,M11.1.0", -4, -5),
        ("CET-1CEST,M3.5.0,M10.5.0/3", 2, 1),
        (":Asia/Shanghai", 8, 8),
    ],
)
def test_posix_tz_strings_are_zones(system_tz: Any, value: str, july: int, january: int) -> None:
    system_tz(value)
    zone, warning = settings.Settings().zone_in_use()
    assert warning is None
    for month, hours in ((7, july), (1, january)):
        offset = datetime(2027, month, 1, 12, tzinfo=UTC).astimezone(zone).utcoffset()
        assert offset is not None and offset.total_seconds() == hours * 3600


def test_commands_work_with_a_posix_tz(kehu: Any, system_tz: Any) -> None:
    system_tz("CST-8")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Polo", now="2026-11-22T02:00Z")
    [sale] = kehu.json("show", "1")["purchases"]
    assert sale["delivered_at"].startswith("2026-11-22T10:00:00+08:00")
    assert kehu.json("config", "timezone") == {"timezone": "CST-8"}


def test_a_garbage_tz_falls_back_to_the_system_zone_with_one_warning(
    kehu: Any, system_tz: Any
) -> None:
    system_tz("not a zone")
    kehu.new_book()
    result = kehu("list")
    assert result.code == 0, result
    [warning] = result.err.splitlines()
    assert "TZ" in warning and "'not a zone'" in warning


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("上海", "Asia/Shanghai"), ("北京", "Asia/Shanghai"), ("中国", "Asia/Shanghai"),
        (" 北京时间 ", "Asia/Shanghai"), ("Beijing", "Asia/Shanghai"),
        ("香港", "Asia/Hong_Kong"), ("台北", "Asia/Taipei"), ("澳门", "Asia/Macau"),
        ("乌鲁木齐", "Asia/Urumqi"), ("新加坡", "Asia/Singapore"), ("纽约", "America/New_York"),
        ("Asia／Tokyo", "Asia/Tokyo"),  # full width read as ASCII
    ],
)  # fmt: skip
def test_config_timezone_takes_a_place_and_stores_its_zone(
    kehu: Any, monkeypatch: pytest.MonkeyPatch, typed: str, stored: str
) -> None:
    import os
    import tomllib
    from pathlib import Path

    kehu.ok("config", "timezone", typed)
    written = tomllib.loads(Path(os.environ["KEHU_CONFIG"]).read_text("utf-8"))
    assert written == {"timezone": stored}
    monkeypatch.delenv("KEHU_TZ")
    assert kehu.json("config", "timezone") == {"timezone": stored}


def test_a_place_in_the_file_or_kehu_tz_is_its_zone(
    kehu: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import os
    from pathlib import Path

    kehu.ok("add", "张伟", "--phone", "13800138000")
    monkeypatch.setenv("KEHU_TZ", "香港")
    assert kehu.ok("today", now="2026-11-22T02:00Z").startswith("Today, Sun 22 Nov 2026")
    monkeypatch.delenv("KEHU_TZ")
    Path(os.environ["KEHU_CONFIG"]).parent.mkdir(parents=True, exist_ok=True)
    Path(os.environ["KEHU_CONFIG"]).write_text('timezone = "纽约"\n', "utf-8")
    assert kehu.json("config", "timezone") == {"timezone": "America/New_York"}
    assert kehu.ok("today", now="2026-11-22T02:00Z").startswith("Today, Sat 21 Nov 2026")


def test_an_unknown_place_is_refused_and_nothing_is_written(kehu: Any) -> None:
    import os
    from pathlib import Path

    result = kehu("config", "timezone", "火星")
    assert result.code == 2 and result.out == "", result
    assert result.err == (
        "kehu: unknown time zone '火星'; accepted: names like Asia/Shanghai or UTC\n"
    )
    assert not Path(os.environ["KEHU_CONFIG"]).exists()


def _zone_file(tmp_path: Any, name: str) -> Any:
    """A copy of a zone's TZif file, and a link to it as /etc/localtime is one."""
    from importlib.resources import files
    from pathlib import Path

    folder = Path(tmp_path) / "zoneinfo" / "Asia"
    folder.mkdir(parents=True)
    copy = folder / name
    copy.write_bytes((files("tzdata.zoneinfo") / "Asia" / name).read_bytes())
    link = Path(tmp_path) / "localtime"
    link.symlink_to(copy)
    return link


@pytest.mark.parametrize("form", [":{path}", "{path}"])
def test_a_tz_naming_a_zone_file_is_that_zone_without_a_warning(
    kehu: Any, system_tz: Any, tmp_path: Any, form: str
) -> None:
    """TZ=:/etc/localtime, as servers set it (in /etc/environment, which cron reads too), is the
    zone of that file: no warning in every cron mail, and the day is that zone's."""
    system_tz(form.format(path=_zone_file(tmp_path, "Shanghai")))
    kehu.ok("add", "张伟", "--phone", "13800138000")
    result = kehu("today", now="2026-11-22T17:00Z")
    assert result.code == 0 and result.err == "", result
    assert result.out.startswith("Today, Mon 23 Nov 2026")
    assert kehu.json("config")["timezone"] == "Asia/Shanghai"  # the system's, named


def test_a_tz_naming_no_zone_file_still_warns(kehu: Any, system_tz: Any, tmp_path: Any) -> None:
    (tmp_path / "notes.txt").write_text("not a zone\n", "utf-8")
    system_tz(f":{tmp_path / 'notes.txt'}")
    kehu.new_book()
    result = kehu("list")
    assert result.code == 0, result
    [warning] = result.err.splitlines()
    assert "TZ" in warning and "notes.txt" in warning
