"""How instants are stored: UTC always; ISO 8601 text on SQLite, timestamptz on PostgreSQL.

The text form sorts in time order ("2026-11-22 07:30:00+00:00"; a fraction of a second, when
there is one, sorts after the whole second), so SQL can compare and MAX() it on both engines.
"""

import functools
from datetime import UTC, date, datetime
from typing import Any, overload


class NaiveDatetime(ValueError):
    pass


def to_db(value: datetime, dialect: str = "sqlite") -> str | datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime("refusing to store a datetime without a time zone")
    utc = value.astimezone(UTC)
    return utc if dialect == "postgresql" else utc.isoformat(sep=" ")


@overload
def from_db(value: None) -> None: ...
@overload
def from_db(value: str | datetime) -> datetime: ...
def from_db(value: str | datetime | None) -> datetime | None:
    """An instant as stored, as an aware datetime in UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not 1 < moment.year < 9999:  # stored before dates had a range: kept showable
        return _showable(moment)
    if moment.tzinfo is UTC:  # as kehu writes it on SQLite: read for every listed customer
        return moment
    if moment.tzinfo is None:  # written by hand, outside kehu: the storage convention is UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# An instant at the edge of what datetime holds cannot be shown in every zone (9999-12-31 in
# UTC is year 10000 east of it): such instants are read as the nearest that can.
_FIRST = datetime(1, 1, 2, tzinfo=UTC)
_LAST = datetime(9999, 12, 30, 23, 59, 59, tzinfo=UTC)


def _showable(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        return _FIRST if moment.year == 1 else _LAST
    return min(max(moment, _FIRST), _LAST)


def date_from_db(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def is_instant_column(name: str) -> bool:
    """kehu's columns that hold instants: `at`, `due`, `until` and every `…_at`."""
    return name in ("at", "due", "until") or name.endswith("_at")


def typed_row(row: Any) -> dict[str, Any]:
    """A row as a dict whose instants are aware datetimes and whose birthday is a date, on
    either engine: what reads hand to ui/."""
    values = dict(row)
    instants, dates = _typed_columns(tuple(values))
    for name in instants:
        if values[name] is not None:
            values[name] = from_db(values[name])
    for name in dates:
        if values[name] is not None:
            values[name] = date_from_db(values[name])
    return values


@functools.lru_cache(maxsize=256)
def _typed_columns(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which of a query's columns hold instants, and which dates (once per query shape)."""
    instants = tuple(n for n in names if is_instant_column(n))
    return instants, tuple(n for n in names if n in ("birthday", "expected_on"))
