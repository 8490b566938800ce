"""A customer's further phones and emails (the facts `phone 2`, `email 2`… an import of a cell
with two keeps) are TEL and EMAIL lines of their vCard, which a phone can call and write to,
and which an import makes those facts again."""

import pytest
import vobject


@pytest.mark.parametrize("version", ["3", "4"])
def test_further_phones_are_tel_lines_and_come_back_as_facts(kehu, tmp_path, version):
    sheet = tmp_path / "客户.csv"
    sheet.write_text(
        "姓名,手机,邮箱\n陈静,13800000001/13900000002/13700000003,a@x.com;b@y.com\n", "utf-8"
    )
    kehu.ok("import", str(sheet))
    kehu.ok("edit", "陈静", "--set", "phone 5=13600000005")  # not after phone 4: kept as a fact
    path = tmp_path / "out.vcf"
    assert kehu("export", "--vcard-version", version, str(path)).code == 0
    [card] = vobject.readComponents(path.read_text(encoding="utf-8"))
    assert [t.value for t in card.contents["tel"]] == [
        "13800000001", "13900000002", "13700000003"
    ]  # fmt: skip
    assert [e.value for e in card.contents["email"]] == ["a@x.com", "b@y.com"]
    facts = [f.value for f in card.contents.get("x-kehu-fact", [])]
    assert facts == ["phone 5=13600000005"]
    other = ("--db", str(tmp_path / "other.db"))
    kehu.ok(*other, "import", str(path))
    assert kehu.json(*other, "show", "陈静")["profile"] == kehu.json("show", "陈静")["profile"]
    assert kehu.json(*other, "show", "陈静")["phone"] == "13800000001"
