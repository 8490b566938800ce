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
