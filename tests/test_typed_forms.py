"""What people type, in whatever form their keyboard gives: full-width digits from a Chinese
input method read as ASCII, and phones found however they were spaced."""

import json
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kehu.base import typed

FULL_WIDTH_PHONE = "１３８００１３８０００"


def test_full_width_phone_after_ascii_is_a_repeat_sale(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Polo")
    out = kehu.ok("add", "张伟", "--phone", FULL_WIDTH_PHONE, "--product", "Golf")
    assert out.startswith("Repeat sale: 张伟 (#1)")
    assert kehu.count("customer") == 1
    assert kehu.count("purchase") == 2


def test_full_width_phone_is_stored_with_ascii_digits(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", FULL_WIDTH_PHONE)
    [row] = kehu.rows("SELECT phone, phone_digits FROM customer")
    assert row == {"phone": "13800138000", "phone_digits": "13800138000"}


def test_show_finds_a_customer_by_full_width_phone_and_id(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "138 0013 8000")
    assert kehu.json("show", FULL_WIDTH_PHONE)["id"] == 1
    assert kehu.json("show", "＃１")["id"] == 1
    assert kehu.json("show", "１")["id"] == 1


def test_full_width_item_ids_and_numbers_are_read(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("promise", "1", "brochure", "--due", "２０２６－１２－０１")
    assert "P1" in kehu.ok("kept", "Ｐ１")
    kehu.ok("edit", "1", "--birthday", "１９８５－０３－１５")
    assert kehu.json("show", "1")["birthday"] == "1985-03-15"


def test_full_width_item_keys_are_read(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    kehu.ok("log", "1", "--next", "2026-12-01")
    assert kehu.json("draft", "Ｔ１")["key"] == "T1"
    kehu.ok("snooze", "Ｆ１", "--until", "２０２６－１１－３０")
    assert "T1" in kehu.ok("done", "ｔ１")
    assert [c["kind"] for c in kehu.json("show", "1")["contacts"]].count("thank-you") == 1


def test_amounts_in_wan_as_chats_write_it_and_in_qian_are_read(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--amount", "15.8w")
    kehu.ok("sale", "张伟", "--product", "脚垫", "--amount", "２千")
    kehu.ok("sale", "张伟", "--product", "贴膜", "--amount", "人民币3500")
    amounts = [p["amount"] for p in kehu.json("show", "1")["purchases"]]
    assert sorted(amounts) == [2000, 3500, 158000]
    before = kehu.snapshot()
    refused = kehu("sale", "张伟", "--product", "x", "--amount", "15万8")
    assert refused.code == 2 and "15.8万" in refused.err
    assert kehu.snapshot() == before


def test_search_by_digits_finds_a_phone_typed_with_spaces(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "138 0013 8000")
    kehu.ok("add", "王芳", "--phone", "139-0000-1111")
    assert [c["id"] for c in kehu.json("list", "--search", "13800138000")] == [1]
    assert [c["id"] for c in kehu.json("list", "--search", "1390000")] == [2]
    assert [c["id"] for c in kehu.json("list", "--search", FULL_WIDTH_PHONE)] == [1]
    assert [c["id"] for c in kehu.json("list", "--search", "139 0000")] == [2]


def test_full_width_setting_names_and_profile_facts_are_read(kehu: Any) -> None:
    kehu.ok("config", "ｌａｎｇｕａｇｅ", "ｚｈ")
    assert kehu.json("config", "language") == {"language": "zh"}
    kehu.ok("config", "ｒｕｌｅｓ．ｄａｉｌｙ＿ｔａｒｇｅｔ", "--unset")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--set", "爱好＝钓鱼")
    kehu.ok("edit", "1", "--set", "职业＝司机=老板")  # the first = or ＝ divides
    facts = kehu.rows("SELECT key, value FROM profile_field ORDER BY key")
    assert facts == [{"key": "爱好", "value": "钓鱼"}, {"key": "职业", "value": "司机=老板"}]


def test_full_width_file_formats_are_read(kehu: Any, tmp_path: Path) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu("export", str(tmp_path / "book.json"), "--format", "ｊｓｏｎ")
    assert json.loads((tmp_path / "book.json").read_text(encoding="utf-8"))["format"] == "kehu"
    kehu("export", str(tmp_path / "cards.vcf"), "--vcard-version", "３")
    assert "VERSION:3.0" in (tmp_path / "cards.vcf").read_text(encoding="utf-8")
    sheet = tmp_path / "sheet.txt"
    sheet.write_text("name,phone\n李娜,13700137000\n张伟,13800138000\n", encoding="utf-8")
    kehu("import", str(sheet), "--format", "ＣＳＶ", "--on-duplicate", "ｓｋｉｐ", "--yes")
    assert [c["name"] for c in kehu.json("list")] == ["张伟", "李娜"]


@given(st.text(st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E) | st.just("\u3000")))
def test_half_width_is_nfkc_on_full_width_ascii(text: str) -> None:
    assert typed.half_width(text) == unicodedata.normalize("NFKC", text)


@given(st.text())
def test_half_width_leaves_other_characters_alone(text: str) -> None:
    folded = typed.half_width(text)
    assert len(folded) == len(text)
    assert all(a == b for a, b in zip(folded, text, strict=True) if not 0xFF01 <= ord(b) <= 0xFF5E
               and b != "\u3000")  # fmt: skip
