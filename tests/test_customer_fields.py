"""One check of customer fields for add, edit and import (rules/customer_fields.py), and the one
rule for a known phone that add and import share (book/customers.record_sale)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.rules import customer_fields


def test_a_new_customer_gets_every_field_and_tier_b():
    checked = customer_fields.check({"name": " 王芳 ", "gender": "Female", "birthday": "03-15"})
    assert set(checked) == set(customer_fields.FIELDS)
    assert checked["name"] == "王芳" and checked["gender"] == "female"
    assert checked["tier"] == "B" and checked["phone"] is None
    assert checked["birthday"].month == 3 and checked["birthday"].day == 15


def test_an_edit_gets_only_what_was_given_and_empty_clears():
    checked = customer_fields.check(
        {"phone": "", "gender": "", "source": "", "name": None}, partial=True
    )
    assert checked == {"phone": None, "gender": None, "source": None}
    with pytest.raises(BadInput, match="unknown --tier ''"):
        customer_fields.check({"tier": ""}, partial=True)  # every customer has a tier


def test_the_name_is_required_and_errors_name_the_field_as_the_caller_does():
    with pytest.raises(BadInput, match="the name is empty"):
        customer_fields.check({"name": "  "})
    with pytest.raises(BadInput, match="the name cannot be empty"):
        customer_fields.check({"name": ""}, partial=True)
    with pytest.raises(BadInput, match="^--note contains a NUL"):
        customer_fields.check({"name": "x", "notes": "a\x00b"})
    with pytest.raises(BadInput, match="^company is too long"):
        customer_fields.check({"name": "x", "company": "公" * 201}, label=str)


@given(
    field=st.sampled_from(customer_fields.TEXTS),
    value=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=450),
)
def test_text_fields_are_stored_cleaned_or_refused_never_too_long(field, value):
    try:
        checked = customer_fields.check({"name": "x", field: value})
    except BadInput:
        return
    stored = checked[field]
    assert stored is None or (stored == value.strip() and len(stored) <= typed.LONGEST[field])


def test_import_skips_a_known_phone_without_a_sale_and_changes_nothing(kehu, tmp_path):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("archive", "张伟")
    before = kehu.snapshot()
    source = tmp_path / "known.csv"
    source.write_text("name,phone,company\nZhang,138-0013-8000,张记\n", encoding="utf-8")
    assert kehu.ok("import", str(source)) == (
        "Imported 0 customers; 1 skipped (already in the book).\n"
    )
    assert kehu.snapshot() == before  # not filled in, not brought back from the archive


def test_add_with_a_known_phone_and_a_sale_is_a_repeat_sale_that_unarchives(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("archive", "张伟")
    out = kehu.ok("add", "Zhang", "--phone", "138 0013 8000", "--company", "张记", "--product", "X")
    assert out.splitlines()[:3] == [
        "Repeat sale: 张伟 (#1) is already in your book (same phone).",
        "The phone belongs to 张伟 (#1), so the sale is theirs; if Zhang is another person, "
        "add them with --new.",
        "Filled in: company.",
    ]
    card = kehu.json("show", "1")
    assert card["archived_at"] is None and card["company"] == "张记"
    assert [p["product"] for p in card["purchases"]] == ["X"]
    result = kehu("add", "Zhang", "--phone", "13800138000")
    assert result.code == BadInput.exit_code and "that phone is #1's" in result.err


def test_add_with_a_known_phone_and_no_sale_says_what_to_do_and_names_no_one(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("add", "李娜", "--phone", "13700137000")
    kehu.ok("archive", "李娜")
    before = kehu.snapshot()
    hints = {
        ("张伟", "13800138000"): "kehu: that customer is already in the book as #1; use "
        "`kehu edit 1` to change details, or add --product to record a sale\n",
        ("张三", "138 0013 8000"): "kehu: that phone is #1's, already in the book: use `kehu edit "
        "1` to change details, --product to record a sale to them, or --new to add this name as "
        "another person sharing the phone\n",
        ("李娜", "13700137000"): "kehu: that customer is already in the book as #2, archived: "
        "`kehu unarchive 2` brings them back, or add --product to record a sale\n",
        ("王五", "13700137000"): "kehu: that phone is #2's, an archived customer: `kehu unarchive "
        "2` brings them back, --product records a sale to them, --new adds this name as another "
        "person sharing the phone\n",
    }
    for (name, phone), hint in hints.items():
        result = kehu("add", name, "--phone", phone)
        assert (result.code, result.err) == (BadInput.exit_code, hint)
    assert kehu.snapshot() == before
    assert kehu.ok("add", "张三", "--phone", "13800138000", "--new") == "Added 张三 (#3), tier B.\n"
