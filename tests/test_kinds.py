"""One home per item kind: rules/kinds.py. Keys, `done`, ranking and README follow from it."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BadInput
from kehu.book import items
from kehu.rules import kinds

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_table() -> list[list[str]]:
    """The rows of README's `| key | kind | due | late | closed by |` table."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| key | kind | due | late | closed by |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_readme_lists_every_kind_in_rank_order_with_its_keys():
    rows = readme_table()
    assert [row[1] for row in rows] == list(kinds.NAMES)
    for key_cell, kind_name, *_ in rows:
        examples = re.findall(r"`([^`]+)`", key_cell)
        assert examples, key_cell
        for example in examples:
            key, kind, number, milestone = items.parse(example)
            assert (key, kind.name) == (example, kind_name)
            assert kinds.key(kind_name, number, milestone) == example
    assert all(row[4] for row in rows)  # each says what closes it


def test_readme_order_sentence_follows_the_ranks():
    text = " ".join(README.read_text(encoding="utf-8").split())
    order = re.search(r"Order: late before due; then ([a-z, -]+);", text)
    assert order is not None
    assert order.group(1).split(", ") == [n for n in kinds.NAMES if n != "suggestion"]


def test_readme_says_how_done_closes_each_kind():
    text = README.read_text(encoding="utf-8")
    done = next(line for line in text.splitlines() if line.startswith("| `kehu done KEY"))
    thanked = re.search(r"a thank-you for ((?:`\w`(?: and |, )?)+) items", done)
    kept = re.search(r"keeps the promise \(((?:`\w`(?: and |, )?)+)\)", done)
    assert thanked is not None and kept is not None
    by_done = {
        how: {kind.letter for kind in kinds.KINDS if kind.done == how}
        for how in (kinds.LOG_THANK_YOU, kinds.KEEP_PROMISE)
    }
    assert by_done[kinds.LOG_THANK_YOU] == set(re.findall(r"`(\w)`", thanked.group(1)))
    assert by_done[kinds.KEEP_PROMISE] == set(re.findall(r"`(\w)`", kept.group(1)))


def test_letters_are_unique_and_every_kind_has_a_lookup():
    assert len(kinds.BY_LETTER) == len(kinds.KINDS)
    # A grouped greeting's number is a day, not a row: `done` greets its customers.
    assert {kind.names for kind in kinds.KINDS} <= {*items._LOOKUP, kinds.HOLIDAY_DAY}
    assert {kind.done for kind in kinds.KINDS} <= {
        kinds.KEEP_PROMISE, kinds.LOG_THANK_YOU, kinds.LOG_FOLLOW_UP, kinds.CLOSE_PLANNED_CALL,
        kinds.LOG_GREETING, kinds.GREET_GROUP,
    }  # fmt: skip


@given(
    st.sampled_from(kinds.KINDS),
    st.integers(1, 10**12 - 1),
    st.integers(1, 999),
    st.sampled_from("dm"),
)
def test_every_kinds_key_parses_back(kind, number, steps, unit):
    milestone = f"{steps}{unit}" if kind.milestone else f"{steps:08d}" if kind.dated else None
    key = kinds.key(kind.name, number, milestone)
    assert items.parse(key) == (key, kind, number, milestone)
    assert items.parse(f" {key.lower()} ")[:3] == (key, kind, number)


@pytest.mark.parametrize("text", ["C5", "T5.1m", "Q5", "P", "P12x", "S1.7d", "C5.1y"])
def test_a_key_of_the_wrong_shape_is_bad_input(text):
    with pytest.raises(BadInput, match="is not an item key; accepted: P12"):
        items.parse(text)


def test_the_bad_key_message_names_every_kind():
    for kind in kinds.KINDS:
        assert re.search(rf"\b{kind.letter}\d", items.accepted()), kind.name
