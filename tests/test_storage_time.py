"""Instants are stored in UTC and come back aware; naive datetimes never reach the book.

Property tests round-trip random instants in random zones (DST changes included) through a
real book, and check that whether a promise is late does not move by a second.
"""

import json
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehu.book import contacts, engine, opening, timestamps

DST_ZONES = (
    "America/New_York", "Europe/Berlin", "Europe/London", "Australia/Sydney",
    "America/Santiago", "Pacific/Chatham", "Asia/Shanghai", "Asia/Kolkata", "UTC",
)  # fmt: skip


def fixture_settings(examples: int) -> settings:
    """Examples share the test's book: that is intended, not a leak between them."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


def _transitions(name: str, year: int) -> list[datetime]:
    """The UTC instants at which the zone's offset changed in that year (hourly scan)."""
    zone = ZoneInfo(name)
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment.year == year:
        moment += timedelta(hours=1)
        now = moment.astimezone(zone).utcoffset()
        if now != offset:
            found.append(moment)
            offset = now
    return found


TRANSITIONS = sorted({t for name in DST_ZONES for y in (2026, 2027) for t in _transitions(name, y)})

zones = st.one_of(
    st.sampled_from(DST_ZONES).map(ZoneInfo),
    st.timezones(),
    st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
# Instants near a DST change (an hour either side, to the second), or anywhere in 1900–2100.
near_changes = st.builds(
    lambda t, s: t + timedelta(seconds=s), st.sampled_from(TRANSITIONS), st.integers(-7200, 7200)
)
anywhere = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
instants = st.one_of(near_changes, anywhere)


def _in(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone)


class NoOffset(tzinfo):
    def utcoffset(self, dt: datetime | None) -> None:
        return None


@pytest.mark.parametrize(
    "naive", [datetime(2026, 11, 22, 10, 0), datetime(2026, 11, 22, tzinfo=NoOffset())]
)
def test_naive_datetimes_are_refused_at_the_storage_boundary(kehu, isolated, naive):
    kehu.ok("add", "王芳", "--phone", "13900001111")
    with pytest.raises(timestamps.NaiveDatetime):
        timestamps.to_db(naive)
    with pytest.raises(timestamps.NaiveDatetime):
        timestamps.to_db(naive, "postgresql")
    book = opening.open_book(isolated)
    try:
        with pytest.raises(timestamps.NaiveDatetime):
            book.transact(
                lambda tx: contacts.add_promise(
                    tx, customer_id=1, text="x", due=naive, now=datetime.now(UTC), made_by="mei"
                )
            )
        with pytest.raises(timestamps.NaiveDatetime):
            book.transact(lambda tx: tx.all("SELECT :at AS at", at=naive), write=False)
        with pytest.raises(timestamps.NaiveDatetime):
            book.transact(
                lambda tx: tx.run_many(
                    "UPDATE customer SET archived_at = :at WHERE id = :id", [{"at": naive, "id": 1}]
                )
            )
    finally:
        book.close()
    assert kehu.count("promise") == 0


@given(instant=instants, zone=zones)
@settings(max_examples=300, deadline=None)
def test_to_db_and_back_is_the_same_instant_in_utc(instant, zone):
    local = _in(instant, zone)
    stored = timestamps.to_db(local)
    back = timestamps.from_db(stored)
    assert back is not None and back.utcoffset() == timedelta(0)
    assert back == instant.astimezone(UTC)
    assert isinstance(stored, str) and stored.endswith("+00:00")
    assert timestamps.to_db(local, "postgresql") == instant.astimezone(UTC)


@given(a=instants, b=instants, za=zones, zb=zones)
@settings(max_examples=300, deadline=None)
def test_stored_text_sorts_like_the_instants(a, b, za, zb):
    """SQL compares the stored text (MAX(), <, >=): it must order like time itself."""
    a_text, b_text = timestamps.to_db(_in(a, za)), timestamps.to_db(_in(b, zb))
    assert (a_text < b_text) == (a < b)
    assert (a_text == b_text) == (a == b)


@given(instant=instants, zone=zones, other=zones)
@fixture_settings(100)
def test_instants_round_trip_through_the_book(kehu, isolated, instant, zone, other):
    """Stored through the engine (text on SQLite, timestamptz on PostgreSQL), read back aware
    and equal; SQL's own comparison with a `now` in another zone agrees to the microsecond."""
    if not kehu.rows("SELECT id FROM customer"):
        kehu.ok("add", "王芳", "--phone", "13900001111")
    due = _in(instant, zone)
    book = opening.open_book(isolated)
    try:
        pid = book.transact(
            lambda tx: contacts.add_promise(
                tx, customer_id=1, text="t", due=due, now=datetime.now(UTC), made_by="mei"
            )
        )

        def read(tx: engine.Tx) -> tuple[object, list[bool]]:
            stored = engine.scalar(tx, "SELECT due FROM promise WHERE id = :id", id=pid)
            late = [
                bool(
                    engine.scalar(
                        tx,
                        "SELECT COUNT(*) AS n FROM promise WHERE id = :id AND due <= :now",
                        id=pid,
                        now=_in(instant + step, other),
                    )
                )
                for step in (timedelta(microseconds=-1), timedelta(0), timedelta(seconds=1))
            ]
            return stored, late

        stored, late = book.transact(read, write=False)
    finally:
        book.close()
    back = timestamps.from_db(stored)  # type: ignore[arg-type]
    assert back is not None and back.tzinfo is not None and back.utcoffset() == timedelta(0)
    assert back == instant.astimezone(UTC)
    assert late == [False, True, True]


# Whole seconds near DST changes, and the zones they are typed in and looked at from.
due_instants = near_changes.map(lambda t: t.replace(microsecond=0))
named_zones = st.sampled_from(DST_ZONES)


def _typed(instant: datetime, zone: str) -> str:
    """How a user types an exact instant: local time with its offset."""
    local = instant.astimezone(ZoneInfo(zone))
    return local.isoformat(sep=" ")


def _late_views(kehu, pid: int, now: str) -> tuple[str, bool | None, bool]:
    promises = kehu.json("promises", now=now)
    status = next(p["status"] for p in promises if p["id"] == pid)
    items = kehu.json("today", now=now)["items"]
    listed = [i["late"] for i in items if i["key"] == f"P{pid}"]
    overdue = json.loads(kehu.ok("overdue", "--json", now=now))
    return status, listed[0] if listed else None, any(i["key"] == f"P{pid}" for i in overdue)


@given(due=due_instants, typed_in=named_zones, viewer=named_zones, now_in=named_zones)
@fixture_settings(60)
def test_the_late_boundary_does_not_move(kehu, monkeypatch, due, typed_in, viewer, now_in):
    """A promise due at an exact instant (typed with its offset) is open one second before
    it and late from that instant on, whatever zones it is typed in and looked at from."""
    if not kehu.rows("SELECT id FROM customer"):
        kehu.ok("add", "王芳", "--phone", "13900001111")
    monkeypatch.setenv("KEHU_TZ", viewer)
    kehu.ok("promise", "1", "送保养券", "--due", _typed(due, typed_in), "--force")
    pid = kehu.rows("SELECT MAX(id) AS id FROM promise")[0]["id"]
    stored = kehu.rows("SELECT due FROM promise WHERE id = :id", id=pid)[0]["due"]
    assert timestamps.from_db(stored) == due

    before = _late_views(kehu, pid, _typed(due - timedelta(seconds=1), now_in))
    at = _late_views(kehu, pid, _typed(due, now_in))
    assert before[0] == "open" and before[1] in (None, False) and not before[2], before
    assert at == ("late", True, True), at


def test_an_exact_instant_in_the_repeated_hour_keeps_its_offset(kehu, monkeypatch):
    """01:30 happens twice the night New York leaves summer time; the offset says which."""
    monkeypatch.setenv("KEHU_TZ", "America/New_York")
    kehu.ok("add", "王芳", "--phone", "13900001111")
    kehu.ok("promise", "1", "回电", "--due", "2026-11-01 01:30-04:00", "--force")  # 1st 01:30
    kehu.ok("promise", "1", "回电", "--due", "2026-11-01 01:30-05:00", "--force")  # 2nd 01:30
    stored = [timestamps.from_db(r["due"]) for r in kehu.rows("SELECT due FROM promise")]
    assert stored == [datetime(2026, 11, 1, h, 30, tzinfo=UTC) for h in (5, 6)]


def test_hand_written_naive_text_is_read_as_utc():
    back = timestamps.from_db("2026-11-22 02:00:00")
    assert back == datetime(2026, 11, 22, 2, 0, tzinfo=UTC) and back.utcoffset() == timedelta(0)
    assert timestamps.from_db(None) is None
