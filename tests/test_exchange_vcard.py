"""vCards: files from the vobject project and from phones read; what kehu writes read back by
vobject itself and by kehu."""

import io
from datetime import date
from pathlib import Path

import pytest
import vobject

from kehu.exchange import vcard
from kehu.exchange.records import Day, FileProblem, PersonRecord
from kehu.rules.occasions import Occasion

DATA = Path(__file__).parent / "data" / "vcard"


def read(name: str, **kw):
    return list(vcard.read(DATA / name, **kw))


def test_android_21_quoted_printable_chinese_names_and_ignored_photo():
    (first, p1), (second, p2) = read("android-2.1-qp.vcf")
    assert p1 == p2 == []
    assert first.name == "欧阳娜娜测试用户一二三"  # FN folded by a QP soft line break
    assert first.phones == ["138 0013 8000", "010-62345678"]
    assert (first.emails, first.company) == (["nana@example.com"], "示例汽车销售公司")
    assert (first.note, first.birthday) == ("喜欢钓鱼\n周末有空", Day(1990, 7, 8))
    assert (second.name, second.phones, second.facts) == ("王小明", ["13900139000"], {})


def test_iphone_30_birthday_without_year_and_grouped_properties():
    [(record, problems)] = read("iphone-3.0.vcf")
    assert problems == []
    assert (record.name, record.company, record.title) == ("李四", "示例科技有限公司", "采购经理")
    assert record.phones == ["+86 139 0000 1111", "139-0000-2222"]
    assert record.emails == ["lisi@example.com"]
    assert record.birthday == Day(None, 11, 30)  # 1604 with X-APPLE-OMIT-YEAR
    assert record.dates == [Occasion("wedding", "solar", 10, 1, year=2015)]  # the label
    assert record.facts == {"NICKNAME": "老李"}


def test_a_bad_card_is_reported_with_its_number_and_line_and_the_others_are_read():
    results = read("google-3.0-with-problems.vcf")
    assert [r.name if r else None for r, _ in results] == ["赵六", None, "Jane Example", None]
    problems = [(p.code, p.position, p.unit, p.line) for _, ps in results for p in ps]
    assert problems == [
        ("bad_card", 2, "card", 12),
        ("bad_date", 3, "card", 17),
        ("unterminated_card", 4, "card", 24),
    ]
    zhao = results[0][0]
    assert zhao.birthday == Day(None, 2, 29)
    assert zhao.dates == [Occasion("wedding", "solar", 6, 18, year=2018)]  # X-ANNIVERSARY
    assert zhao.address == "人民路 1 号 杭州 浙江 310000 中国"
    assert results[2][0].facts == {"BDAY": "not a date"}  # kept, not lost


def test_strict_stops_at_the_first_problem():
    with pytest.raises(FileProblem) as caught:
        read("google-3.0-with-problems.vcf", strict=True)
    assert (caught.value.problem.code, caught.value.problem.position) == ("bad_card", 2)
    assert "card 2 (line 12)" in str(caught.value)


def test_the_vobject_projects_own_cards():
    [(full, problems)] = read("vobject-vcard40_full.vcf")
    assert problems == []
    assert full.name == "Dr. John Q. Public, III"
    assert full.phones == ["+1-555-555-5555", "+1-555-123-4567"]
    assert full.emails == ["john.public@example.com", "johnny@personal.example.org"]
    assert (full.birthday, full.gender, full.title) == (Day(1985, 4, 15), "male", "CEO")
    assert full.dates == [Occasion("wedding", "solar", 6, 12, year=2010)]
    assert full.note == "This is a note about John.\nHe likes vCards."
    [(multi, _)] = read("vobject-vcard40_multilang.vcf")
    assert multi.name == "Yamada Taro"
    [(photo, _)] = read("vobject-photo-test.vcf")
    assert (photo.name, photo.phones) == ("should be ok to share", ["+49123456789"])
    [(plain, _)] = read("vobject-radicale-1587.vcf")
    assert plain.name == "Given Family"


def customer(**changes) -> PersonRecord:
    fields = dict(
        name="张三", phones=["13800138000", "010-1234"], emails=["zs@example.com"],
        company="某公司, 北京;分部", title="经理", address="北京市朝阳区", gender="男",
        birthday=Day(None, 3, 15), dates=[
            Occasion("wedding", "solar", 5, 1, year=2010), Occasion("wedding", "lunar", 8, 15),
            Occasion("child-birthday", "lunar", 4, 8, leap=True, year=2015),
            Occasion("other", "solar", 6, 1, label="开业, 十周年; 庆典"),
        ],
        note="第一行\n第二行", wechat="zs88", product="轩逸", amount="158000.00",
        delivered=date(2025, 6, 1), tier="A", level="H", source="展厅", referrer="李四",
        facts={"爱好": "钓鱼", "a=b\\\\": "c=d"}, uid="kehu-customer-1",
    )  # fmt: skip
    fields.update(changes)
    return PersonRecord(**fields)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_written_cards_are_read_by_vobject_and_back_by_kehu(version):
    records = [customer(), customer(name="Jane Lee", birthday=Day(1985, 3, 15), uid="kehu-2")]
    out = io.StringIO()
    assert vcard.write(records, out, version=version) == 2
    cards = list(vobject.readComponents(out.getvalue()))
    assert [c.version.value for c in cards] == [version, version]
    assert [c.fn.value for c in cards] == ["张三", "Jane Lee"]
    assert [t.value for t in cards[0].contents["tel"]] == ["13800138000", "010-1234"]
    if version == "4.0":
        assert [c.bday.value for c in cards] == ["--0315", "19850315"]
        assert cards[0].anniversary.value == "20100501"
    else:
        assert cards[0].bday.value == "1604-03-15"
        assert cards[0].bday.params["X-APPLE-OMIT-YEAR"] == ["1604"]
        [abdate], [label] = cards[0].contents["x-abdate"], cards[0].contents["x-ablabel"]
        assert (abdate.value, abdate.group, label.group) == ("2010-05-01", "item1", "item1")
        assert label.value == "_$!<Anniversary>!$_"
    back = [record for record, problems in vcard.read_text(out.getvalue()) if not problems]
    assert [r.__dict__ | {"position": 0} for r in back] == [r.__dict__ for r in records]


def test_a_lunar_birthday_is_a_note_line_and_its_next_solar_date_never_a_bday():
    record = customer(birthday=None, lunar_birthday="三月初五", lunar_next=date(2027, 4, 11))
    out = io.StringIO()
    vcard.write([record], out, version="4.0", lunar_label="农历生日")
    card = vobject.readOne(out.getvalue())
    assert "bday" not in card.contents
    assert card.note.value == "第一行\n第二行\n农历生日 三月初五 (2027-04-11)"
    assert card.contents["x-kehu-lunar-birthday-next"][0].value == "2027-04-11"
    [(back, _)] = vcard.read_text(out.getvalue())
    assert (back.lunar_birthday, back.lunar_next, back.note) == (
        "三月初五", date(2027, 4, 11), "第一行\n第二行")  # fmt: skip


def test_an_unknown_version_is_refused():
    with pytest.raises(ValueError):
        vcard.write([customer()], io.StringIO(), version="2.1")
