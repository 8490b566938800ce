"""What users type for amounts, birthdays, key=value facts, ids, words and text."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base import typed as typed_values
from kehu.base.errors import BadInput
from kehu.rules import choices


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("158000", "158000.00"),
        ("158,000.50", "158000.50"),
        (" 42 ", "42.00"),
        ("1_000", "1000.00"),
        ("15.8万", "158000.00"),
        ("2k", "2000.00"),
        ("2.5K", "2500.00"),
        ("+5", "5.00"),
        ("0", "0.00"),
        ("-0", "0.00"),
        ("0.005", "0.00"),
        ("19.999", "20.00"),
        ("１２３", "123.00"),  # full-width digits from a Chinese keyboard
        ("999999999999.99", "999999999999.99"),
        # As people write them: currency signs and words, 元, 万 and k, full-width characters.
        ("￥158,000", "158000.00"),
        ("¥158,000", "158000.00"),
        ("¥100", "100.00"),
        ("¥ 100", "100.00"),
        ("158000元", "158000.00"),
        ("158,000 元", "158000.00"),
        ("15.8万", "158000.00"),
        ("15.8万元", "158000.00"),
        ("5万块", "50000.00"),
        ("1.5k", "1500.00"),
        ("RMB 158000", "158000.00"),
        ("rmb158000", "158000.00"),
        ("CNY 158,000.50", "158000.50"),
        ("158,000.50", "158000.50"),
        ("１５８，０００．５０", "158000.50"),
        ("￥１５８，０００", "158000.00"),
        ("１５．８万", "158000.00"),
        ("１．５ｋ", "1500.00"),
        ("ＲＭＢ　１５８０００", "158000.00"),
        ("+¥5", "5.00"),
        ("15.8w", "158000.00"),  # 万 as typed in chats
        ("15.8W", "158000.00"),
        ("２千", "2000.00"),
        ("人民币158000", "158000.00"),
        ("人民币 15.8万元", "158000.00"),
    ],
)
def test_amount_reads(typed: str, value: str) -> None:
    got = typed_values.amount(typed)
    assert got == Decimal(value) and str(got) == value


def test_no_amount() -> None:
    assert typed_values.amount(None) is None


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "  ",
        "abc",
        "1.2.3",
        "nan",
        "NaN",
        "inf",
        "-Infinity",
        "万",
        "k",
        "0x10",
        "1e999999999",
        "5-",
        "¥",
        "RMB",
        "元",
        "¥元",
        "万元",
        "158000美元",
        "$100",
        "¥¥100",
        "100元元",
        "158 000",
        "1.5k万",
        "w",
        "千",
        "1.5kw",
        "15万8",
        "￥nan",
        "RMBinf",
    ],  # fmt: skip
)
def test_amount_refuses_what_it_cannot_read(typed: str) -> None:
    with pytest.raises(BadInput) as e:
        typed_values.amount(typed)
    assert str(e.value) == (
        f"can't read the amount {typed!r}; accepted: 158000, 158,000.50, 15.8万"
    )


@pytest.mark.parametrize(
    "typed", ["1e12", "1000000000000", "1,000,000,000,000", "100000000万", "￥1,000,000,000,000"]
)
def test_amount_refuses_too_large(typed: str) -> None:
    with pytest.raises(BadInput) as e:
        typed_values.amount(typed)
    assert str(e.value) == f"the amount {typed!r} is too large; at most 999,999,999,999.99"


@pytest.mark.parametrize(
    "typed", ["-5", "-0.01", "-1万", "-2k", " -3 ", "-1e13", "-¥5", "¥-5", "RMB -158000", "－５元"]
)
def test_amount_refuses_negative(typed: str) -> None:
    with pytest.raises(BadInput, match="is negative; give 0 or more"):
        typed_values.amount(typed)


cents = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)


@given(cents)
def test_amount_reads_back_what_it_would_print(value: Decimal) -> None:
    assert typed_values.amount(f"{value:,}") == value
    assert typed_values.amount(str(value)) == value


FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))} | {" ": "\u3000"}


@given(
    cents,
    st.sampled_from(["", "¥", "￥", "RMB ", "CNY"]),
    st.sampled_from(["", "元", " 元", "块"]),
    st.booleans(),
)
def test_amount_reads_written_forms_and_full_width_alike(
    value: Decimal, currency: str, unit: str, wide: bool
) -> None:
    typed = f"{currency}{value:,}{unit}"
    if wide:
        typed = "".join(FULL_WIDTH.get(c, c) for c in typed)
    assert typed_values.amount(typed) == value


@given(st.decimals(min_value=0, max_value=Decimal("99999999"), places=4), st.booleans())
def test_amount_scales_wan_and_k(value: Decimal, wide: bool) -> None:
    for suffix, scale in (("万", 10000), ("k", 1000), ("K", 1000)):
        typed = f"{value}{suffix}"
        if wide:
            typed = "".join(FULL_WIDTH.get(c, c) for c in typed)
        assert typed_values.amount(typed) == (value * scale).quantize(Decimal("0.01"))


@given(st.text())
def test_amount_only_ever_raises_bad_input(typed: str) -> None:
    try:
        got = typed_values.amount(typed)
    except BadInput as error:
        assert "\n" not in str(error)
    else:
        assert got is not None and 0 <= got < Decimal("1e12")


@given(cents.filter(lambda d: d > 0))
def test_amount_refuses_every_negative(value: Decimal) -> None:
    with pytest.raises(BadInput):
        typed_values.amount(f"-{value}")


@pytest.mark.parametrize(
    ("typed", "day", "shown"),
    [
        ("1985-03-15", date(1985, 3, 15), "1985-03-15"),
        ("1985/03/15", date(1985, 3, 15), "1985-03-15"),
        ("1985-3-5", date(1985, 3, 5), "1985-03-05"),
        ("1985/3/5", date(1985, 3, 5), "1985-03-05"),
        ("2000-02-29", date(2000, 2, 29), "2000-02-29"),
        ("03-15", date(typed_values.UNKNOWN_YEAR, 3, 15), "03-15"),
        ("3/5", date(typed_values.UNKNOWN_YEAR, 3, 5), "03-05"),
        ("3.15", date(typed_values.UNKNOWN_YEAR, 3, 15), "03-15"),  # as `kehu date add` reads it
        ("1985.3.15", date(1985, 3, 15), "1985-03-15"),
        (" 02-29 ", date(typed_values.UNKNOWN_YEAR, 2, 29), "02-29"),
    ],
)
def test_birthday_reads(typed: str, day: date, shown: str) -> None:
    assert typed_values.birthday(typed) == day
    assert typed_values.show_birthday(day) == shown


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_no_birthday(typed: str | None) -> None:
    assert typed_values.birthday(typed) is None
    assert typed_values.show_birthday(None) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "02-30",
        "13-01",
        "00-10",
        "1985-02-29",
        "15/03/1985",
        "85-2-30",  # a two-digit year, but no such day
        "abc",
        "3.1.5",
        "1985-03-15-01",
        "-03-15",
    ],  # fmt: skip
)
def test_birthday_refuses(typed: str) -> None:
    with pytest.raises(BadInput) as e:
        typed_values.birthday(typed)
    assert str(e.value) == (
        f"can't read the birthday {typed!r}; accepted: 1985-03-15, 1985年3月15日, "
        "or 03-15, 3月15日 without a year"
    )


def test_pairs() -> None:
    assert typed_values.pairs([], "--set") == []
    assert typed_values.pairs(["hobbies=fishing", " 爱好 = 钓鱼 ", "url=a=b"], "--set") == [
        ("hobbies", "fishing"),
        ("爱好", "钓鱼"),
        ("url", "a=b"),
    ]


@pytest.mark.parametrize("item", ["fishing", "=fishing", "  =x", ""])
def test_pairs_refuses_what_is_not_key_value(item: str) -> None:
    with pytest.raises(BadInput) as e:
        typed_values.pairs(["job=driver", item], "--set")
    assert str(e.value) == (f"--set takes key=value, like --set hobbies=fishing; got {item!r}")


@pytest.mark.parametrize(("typed", "number"), [("12", 12), ("P12", 12), ("p7", 7), ("#3", 3),
                                               (" P#40 ", 40)])  # fmt: skip
def test_item_id(typed: str, number: int) -> None:
    assert typed_values.item_id(typed, "P", "promise") == number


@pytest.mark.parametrize(
    "typed", ["", "P", "X1", "F12", "1.5", "-1", "P1234567890123", "twelve", "¹", "P²"]
)
def test_item_id_refuses(typed: str) -> None:
    with pytest.raises(BadInput) as e:
        typed_values.item_id(typed, "P", "promise")
    assert str(e.value) == f"{typed!r} is not a promise id; accepted: a number like 12 or P12"


def test_choice_ignores_case_and_spaces() -> None:
    assert typed_values.choice(" CALL ", ("call", "visit"), "channel") == "call"
    assert typed_values.choice("a", ("A", "B", "C"), "tier") == "A"
    assert choices.maybe_choice(None, ("A",), "tier") is None
    with pytest.raises(BadInput) as e:
        typed_values.choice("fax", ("call", "visit"), "channel")
    assert str(e.value) == "unknown channel 'fax'; accepted: call, visit"


def test_text() -> None:
    assert typed_values.text(None, "--note") is None
    assert typed_values.text("  有事  ", "--note") == "有事"
    assert typed_values.text("   ", "--note") is None
    with pytest.raises(BadInput, match="--product is missing"):
        typed_values.text(None, "--product", required=True)
    with pytest.raises(BadInput, match="--product is empty"):
        typed_values.text(" ", "--product", required=True)
    with pytest.raises(BadInput, match="NUL"):
        typed_values.text("a\x00b", "--note")


def test_text_no_longer_than_a_column_takes() -> None:
    assert typed_values.text(" " + "张" * 200 + " ", "--name", longest=200) == "张" * 200
    with pytest.raises(BadInput) as e:
        typed_values.text("张" * 201, "--name", longest=200)
    assert str(e.value) == "--name is too long (201 characters); give at most 200"
    assert typed_values.pairs(["k" * 100 + "=v"], "--set") == [("k" * 100, "v")]
    with pytest.raises(BadInput, match="the --set key is too long"):
        typed_values.pairs(["k" * 101 + "=v"], "--set")


def test_input_length_limits_are_the_columns_lengths():
    """What `add`, `edit` and `import` accept fits the columns (PostgreSQL refuses more)."""
    from sqlmodel import SQLModel

    from kehu.book import schema  # noqa: F401  (registers the tables)

    columns = {
        key: SQLModel.metadata.tables[table].columns[column].type.length
        for key, (table, column) in {
            "name": ("customer", "name"), "phone": ("customer", "phone"),
            "email": ("customer", "email"), "wechat": ("customer", "wechat"),
            "company": ("customer", "company"), "title": ("customer", "title"),
            "address": ("customer", "address"), "owner": ("customer", "owner"),
            "product": ("purchase", "product"), "key": ("profile_field", "key"),
            "salutation": ("customer", "salutation"),
        }.items()
    }  # fmt: skip
    assert columns == typed_values.LONGEST
    tables = SQLModel.metadata.tables
    assert tables["customer"].columns["phone_digits"].type.length >= typed_values.LONGEST["phone"]
    for table in ("contact", "promise", "followup", "snooze"):
        assert tables[table].columns["made_by"].type.length == typed_values.LONGEST["owner"]
    assert set(schema.TABLES_IN_ORDER) == set(tables)


@pytest.mark.parametrize("text", ["1E100", "1e12", "999999999999.999", "１Ｅ５０"])
def test_an_amount_too_large_to_store_is_refused_in_words(text):
    from kehu.base import typed

    with pytest.raises(BadInput, match="too large"):
        typed.amount(text)
