"""`kehu today --summary` counts what the full list lists: on generated team books (several
owners, both engines), and after the writes that open and close items."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import team  # noqa: E402

COUNTS = [("bench", 70), ("rep001", 50), ("rep002", 60)]


def counted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The full list's items, counted as the summary counts them."""
    counts: Counter[tuple[str, str]] = Counter()
    lates: Counter[tuple[str, str]] = Counter()
    for item in items:
        counts[item["owner"], item["kind"]] += 1
        lates[item["owner"], item["kind"]] += item["late"]
    return [
        {"owner": owner, "kind": kind, "count": count, "late": lates[owner, kind]}
        for (owner, kind), count in sorted(counts.items())
    ]


def check(kehu: Any, *scope: str) -> list[dict[str, Any]]:
    """The summary equals the counts of the full list's items; returns those items."""
    items = kehu.json("today", *scope)["items"]
    items = [i for i in items if not i["suggestion"]]  # a summary counts what is due
    summary = kehu.json("today", *scope, "--summary")["summary"]
    assert summary == counted(items)
    text = kehu.ok("today", *scope, "--summary").splitlines()
    late = sum(i["late"] for i in items)
    items_word = "item" if len(items) == 1 else "items"
    assert text[0].endswith(f": {len(items)} {items_word}, {late} late")
    for owner in {i["owner"] for i in items}:
        mine = [i for i in items if i["owner"] == owner]
        late = sum(i["late"] for i in mine)
        assert any(line.startswith(f"{owner}: {len(mine)} ({late} late) — ") for line in text)
    return items


def team_book(kehu: Any, seed: int, monkeypatch: Any) -> None:
    monkeypatch.setenv("KEHU_USER", "bench")
    target = Path(kehu.target)
    if "://" not in kehu.target:
        target.parent.mkdir(parents=True, exist_ok=True)
    team.build(kehu.target, COUNTS, seed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_counts_what_the_full_list_lists_for_every_owner(kehu, seed, monkeypatch):
    team_book(kehu, seed, monkeypatch)
    items = check(kehu, "--all")
    assert len({i["owner"] for i in items}) == 3
    assert len({i["kind"] for i in items}) >= 6
    assert any(i["late"] for i in items) and not all(i["late"] for i in items)
    check(kehu)  # bench's own
    check(kehu, "--owner", "rep001")
    for kind in ("call-back", "promise"):
        summary = kehu.json("today", "--all", "--summary", "--kind", kind)["summary"]
        assert summary == counted([i for i in items if i["kind"] == kind])


def test_the_summary_stays_equal_to_the_list_after_writes(kehu, monkeypatch):
    team_book(kehu, 4, monkeypatch)
    items = check(kehu, "--all")

    def first(kind: str) -> dict[str, Any]:
        return next(i for i in items if i["kind"] == kind)

    def as_owner(item: dict[str, Any]) -> None:
        monkeypatch.setenv("KEHU_USER", item["owner"])

    thanks = first("thank-you")
    as_owner(thanks)
    kehu.ok("done", thanks["key"])
    items = check(kehu, "--all")
    assert thanks["key"] not in [i["key"] for i in items]

    quiet = next(i for i in items if i["kind"] in ("cooling", "at-risk", "keep-in-touch"))
    as_owner(quiet)
    kehu.ok("log", f"#{quiet['customer_id']}", "--note", "Called back")
    items = check(kehu, "--all")
    assert quiet["key"] not in [i["key"] for i in items]

    callback = first("call-back")
    as_owner(callback)
    kehu.ok("snooze", callback["key"], "--until", "2026-11-25")
    items = check(kehu, "--all")
    assert callback["key"] not in [i["key"] for i in items]

    other = next(i for i in items if i["owner"] != callback["owner"])
    as_owner(other)
    kehu.ok("promise", f"#{other['customer_id']}", "Send the quote", "--due", "2026-11-21",
            "--force")  # fmt: skip
    before = len(items)
    items = check(kehu, "--all")
    assert len(items) == before + 1

    monkeypatch.setenv("KEHU_USER", "rep003")  # a new colleague's first customer
    kehu.ok("add", "New Customer", "--phone", "13900001111", "--product", "Golf",
            now="2026-11-21T15:30")  # fmt: skip
    items = check(kehu, "--all")
    assert ("rep003", "thank-you") in {(i["owner"], i["kind"]) for i in items}
    check(kehu)


def test_one_item_is_counted_in_the_singular(kehu, monkeypatch):
    monkeypatch.setenv("KEHU_NOW", "2026-11-30T09:00+08:00")
    kehu.ok("add", "张伟", "--phone", "13800000001", "--product", "Model Y",
            "--delivered", "2026-11-28")  # fmt: skip
    assert kehu.json("today", "--summary")["summary"] == [
        {"owner": kehu.json("today")["items"][0]["owner"], "kind": "thank-you", "count": 1,
         "late": 1}
    ]  # fmt: skip
    assert kehu.ok("today", "--summary").splitlines()[0] == "Mon 30 Nov 2026: 1 item, 1 late"
    # The language is bound when kehu starts: in Chinese, a process of its own.
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "today", "--summary"], env={**os.environ, "KEHU_LANG": "zh"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert chinese.stdout.splitlines()[0] == "2026年11月30日 周一：1 项，1 项逾期"
