"""The default form of address (称呼): table of cases, and properties for any name."""

import pytest
from conftest import in_chinese
from hypothesis import given
from hypothesis import strategies as st

from kehu.rules.salutation import (
    ZH_FORMS,
    default_salutation,
    han_surname,
    latin_names,
    title_form,
)


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("张伟", {"gender": "male"}, "张先生"),
        ("张伟", {"gender": "female"}, "张女士"),
        ("张伟", {}, "张伟"),
        ("张伟", {"gender": "other"}, "张伟"),
        ("张伟", {"title": "总经理", "gender": "male"}, "张总"),
        ("王芳", {"title": "董事长"}, "王总"),
        ("王芳", {"title": "销售总监"}, "王总"),
        ("王芳", {"title": "副总裁"}, "王总"),
        ("王芳", {"title": "副总"}, "王总"),
        ("王芳", {"title": "老总"}, "王总"),
        ("李强", {"title": "区域经理"}, "李经理"),
        ("李强", {"title": "副经理"}, "李经理"),
        ("李强", {"title": "办公室主任"}, "李主任"),
        ("李强", {"title": "主任医师"}, "李主任"),
        ("李强", {"title": "医生"}, "李医生"),
        ("李强", {"title": "大夫"}, "李医生"),
        ("李强", {"title": "小学老师"}, "李老师"),
        ("李强", {"title": "高级工程师"}, "李工"),
        ("李强", {"title": "总工程师"}, "李总"),
        ("李强", {"title": "副局长"}, "李局长"),
        ("李强", {"title": "副教授"}, "李教授"),
        ("李强", {"title": "律师"}, "李律师"),
        ("李强", {"title": "General Manager"}, "李总"),
        ("李强", {"title": "sales director"}, "李总"),
        ("李强", {"title": "Account Manager"}, "李经理"),
        ("王芳", {"title": "总经理助理", "gender": "female"}, "王女士"),
        ("王芳", {"title": "会计", "gender": "female"}, "王女士"),
        ("欧阳娜娜", {"gender": "female"}, "欧阳女士"),
        ("司马光", {"gender": "male"}, "司马先生"),
        ("诸葛亮", {"title": "丞相总监"}, "诸葛总"),
        ("上官婉儿", {"gender": "female"}, "上官女士"),
        ("东方明", {"title": "经理"}, "东方经理"),
        ("皇甫嵩", {"gender": "male"}, "皇甫先生"),
        ("尉迟恭", {"gender": "male"}, "尉迟先生"),
        ("公孙胜", {"gender": "male"}, "公孙先生"),
        ("慕容复", {"gender": "male"}, "慕容先生"),
        ("长孙无忌", {"gender": "male"}, "长孙先生"),
        ("宇文泰", {"gender": "male"}, "宇文先生"),
        ("司徒雷登", {"gender": "male"}, "司徒先生"),
        ("夏侯惇", {"gender": "male"}, "夏侯先生"),
        ("欧阳", {"gender": "male"}, "欧先生"),  # two characters: surname 欧, given name 阳
        ("张 伟", {"gender": "male"}, "张先生"),
        ("阿依古丽·买买提", {"gender": "female"}, "阿依古丽·买买提"),
        ("张伟", {"gender": "male", "lang": "en"}, "张伟"),
        ("Emma Wilson", {"gender": "female", "lang": "en"}, "Ms Wilson"),
        ("Tom Baker", {"gender": "male", "lang": "en"}, "Mr Baker"),
        ("Emma Wilson", {"lang": "en"}, "Emma Wilson"),
        ("Emma Wilson", {"gender": "female", "lang": "en", "latin_style": "first-name"}, "Emma"),
        ("Emma Wilson", {"lang": "en", "latin_style": "first-name"}, "Emma"),
        ("Wilson, Emma", {"gender": "female", "lang": "en"}, "Ms Wilson"),
        ("Wilson, Emma", {"lang": "en", "latin_style": "first-name"}, "Emma"),
        ("Ludwig van Beethoven", {"gender": "male", "lang": "en"}, "Mr van Beethoven"),
        ("Maria de la Cruz", {"gender": "female", "lang": "en"}, "Ms de la Cruz"),
        ("Mary Ann O'Brien", {"gender": "female", "lang": "en"}, "Ms O'Brien"),
        ("Emma Wilson", {"gender": "female", "title": "Doctor", "lang": "en"}, "Dr Wilson"),
        ("Emma Wilson", {"title": "Professor of Law", "lang": "en"}, "Professor Wilson"),
        ("Emma Wilson", {"gender": "female", "title": "CEO", "lang": "en"}, "Ms Wilson"),
        ("Emma Wilson", {"gender": "female", "lang": "zh"}, "Wilson 女士"),
        ("Emma Wilson", {"title": "医生", "lang": "zh"}, "Wilson 医生"),
        ("Madonna", {"gender": "female", "lang": "en"}, "Madonna"),
        ("José Álvarez", {"gender": "male", "lang": "en"}, "Mr Álvarez"),
        ("Ｅｍｍａ　Ｗｉｌｓｏｎ", {"gender": "female", "lang": "en"}, "Ms Wilson"),
        ("R2D2 Unit", {"gender": "male", "lang": "en"}, "R2D2 Unit"),
        ("张伟", {"gender": "male", "preferred": "伟哥"}, "伟哥"),
        ("张伟", {"gender": "male", "preferred": "  "}, "张先生"),
        ("王芳", {"preferred": "王姐", "title": "总经理"}, "王姐"),
        ("王总", {"gender": "male"}, "王总"),
        ("李姐", {"gender": "female"}, "李姐"),
        ("刘老师", {"gender": "female", "title": "经理"}, "刘老师"),
        ("欧阳经理", {"gender": "male"}, "欧阳经理"),
        ("张伟（宝马）", {"gender": "male"}, "张先生"),
        ("张伟(宝马)", {}, "张伟"),
        ("Emma Wilson [BMW]", {"gender": "female", "lang": "en"}, "Ms Wilson"),
        # a form of address typed before the name, a suffix after it: neither is a name
        ("Dr. Hans van der Berg", {"gender": "male", "lang": "en"}, "Dr. van der Berg"),
        ("Dr. Hans van der Berg", {"lang": "en", "latin_style": "first-name"}, "Hans"),
        ("Dr. Hans van der Berg", {"lang": "zh"}, "van der Berg 医生"),
        ("Mrs Sarah Lee", {"lang": "en"}, "Mrs Lee"),
        ("Mrs Sarah Lee", {"lang": "en", "latin_style": "first-name"}, "Sarah"),
        ("Mr. Tom Jones Jr.", {"lang": "en"}, "Mr. Jones"),
        ("Mr. Tom Jones Jr.", {"lang": "en", "latin_style": "first-name"}, "Tom"),
        ("Tom Jones, Jr.", {"gender": "male", "lang": "en"}, "Mr Jones"),
        ("Tom Jones, Jr.", {"lang": "en", "latin_style": "first-name"}, "Tom"),
        ("Prof. Ada Lovelace", {"lang": "en", "latin_style": "first-name"}, "Ada"),
        ("Mr Smith", {"lang": "en", "latin_style": "first-name"}, "Mr Smith"),
        # a surname with its particles typed without a first name: the particles are the surname's
        ("Dr. van der Berg", {"lang": "en"}, "Dr. van der Berg"),
        ("Dr. van der Berg", {"lang": "zh"}, "van der Berg 医生"),
        ("Dr. van der Berg", {"lang": "en", "latin_style": "first-name"}, "Dr. van der Berg"),
        ("Mr van Gogh", {"lang": "en"}, "Mr van Gogh"),
        ("van Gogh", {"gender": "male", "lang": "zh"}, "van Gogh 先生"),
    ],
)
def test_default_salutation(name, options, expected):
    assert default_salutation(name, **options) == expected


def test_compound_surnames_and_titles_directly():
    assert han_surname("欧阳修") == "欧阳"
    assert han_surname("欧修") == "欧"
    assert title_form(None) is None
    assert title_form("") is None
    assert title_form("实习生") is None
    assert title_form("总") == "总"
    assert latin_names("Emma Wilson") == ("Emma", "Wilson")
    assert latin_names("Emma") == (None, None)
    assert latin_names("Dr. Hans van der Berg") == ("Hans", "van der Berg")
    assert latin_names("Tom Jones III") == ("Tom", "Jones")
    assert latin_names("Dr. van der Berg") == (None, "van der Berg")


def test_a_blank_name_is_a_callers_error():
    with pytest.raises(ValueError):
        default_salutation("   ")


names = st.text(min_size=1, max_size=12).filter(lambda s: "".join(s.split()) != "")
maybe = st.none() | st.text(max_size=8)


@given(
    name=names,
    gender=st.sampled_from([None, "", "male", "female", "other", "MALE"]),
    title=maybe,
    lang=st.sampled_from(["zh", "en"]),
    style=st.sampled_from(["surname", "first-name"]),
    preferred=maybe,
)
def test_never_empty_never_none(name, gender, title, lang, style, preferred):
    try:
        result = default_salutation(
            name, gender=gender, title=title, lang=lang, latin_style=style, preferred=preferred
        )
    except ValueError:
        # Only a name that is blank once full-width characters read as ASCII.
        import unicodedata

        assert unicodedata.normalize("NFKC", name).strip() == ""
        return
    assert result.strip() == result != ""
    assert "None" not in result or "None" in name + (preferred or "")
    assert "\n" not in result


@given(
    surname=st.sampled_from(list("张王李赵刘陈杨黄周吴")),
    given_name=st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1,
                       max_size=2).filter(lambda g: g not in ZH_FORMS),
    gender=st.sampled_from(["male", "female"]),
)  # fmt: skip
def test_han_names_keep_their_surname(surname, given_name, gender):
    result = default_salutation(surname + given_name, gender=gender)
    assert result.startswith(surname)
    assert result.endswith("先生" if gender == "male" else "女士")


def test_a_name_written_with_its_form_of_address_or_a_note_in_the_draft(kehu):
    kehu.ok("add", "王总", "--phone", "13800138000", "--gender", "男", "--language", "zh")
    kehu.ok("add", "张伟（宝马X5）", "--phone", "13900139000", "--gender", "男", "--language", "zh")
    kehu.ok("add", "Emma Wilson (BMW)", "--phone", "13700137000", "--gender", "female",
            "--language", "en")  # fmt: skip
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("王总，")
    assert kehu.json("draft", "2", "--for", "greeting")["text"].startswith("张先生，")
    assert kehu.json("draft", "3", "--for", "greeting")["text"].startswith("Hi Ms Wilson,")


def test_a_referral_thanks_names_the_friend_without_the_note_in_brackets(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--gender", "男", "--language", "zh")
    kehu.ok("add", "赵磊（张伟的同事）", "--phone", "13900139000", "--referred-by", "张伟")
    text = kehu.json("draft", "R2")["text"]
    assert "赵磊那边" in text and "同事" not in text


def test_a_latin_name_is_addressed_by_the_first_name_when_the_setting_says_so(kehu):
    kehu.ok("add", "Emma Wilson", "--phone", "13700137000", "--gender", "female")
    kehu.ok("add", "张伟", "--phone", "13800138000", "--gender", "男", "--language", "zh")
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi Ms Wilson,")
    assert kehu.json("config", "salutation.latin") == {"salutation.latin": "surname"}
    kehu.ok("config", "salutation.latin", "first-name")
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi Emma,")
    assert kehu.json("draft", "1", "--for", "birthday", "--lang", "zh")["text"].startswith("Emma")
    assert "salutation:  Emma (default)" in kehu.ok("show", "1")
    assert kehu.json("draft", "2", "--for", "greeting")["text"].startswith("张先生，")
    before = kehu.ok("config", "--json")
    result = kehu("config", "salutation.latin", "given")
    assert (result.code, result.out) == (2, "")
    assert result.err == "kehu: salutation.latin takes one of: surname, first-name\n"
    assert kehu.ok("config", "--json") == before


def test_a_latin_name_typed_with_its_form_of_address_is_greeted_by_a_name(kehu):
    kehu.ok("add", "Dr. Hans van der Berg", "--phone", "13700137000", "--language", "en")
    kehu.ok("add", "Mrs Sarah Lee", "--phone", "13700137001", "--language", "en")
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi Dr. van der Berg,")
    assert kehu.json("draft", "2", "--for", "greeting")["text"].startswith("Hi Mrs Lee,")
    kehu.ok("config", "salutation.latin", "first-name")
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi Hans,")  # not "Dr."
    assert kehu.json("draft", "2", "--for", "greeting")["text"].startswith("Hi Sarah,")
    assert "salutation:  Hans (default)" in kehu.ok("show", "1")


def test_a_surname_with_particles_and_no_first_name_is_greeted_whole(kehu):
    kehu.ok("add", "Dr. van der Berg", "--phone", "13700137002", "--language", "en")
    kehu.ok("add", "van der Berg", "--phone", "13700137003", "--gender", "M")
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi Dr. van der Berg,")
    zh = in_chinese("draft", "2", "--for", "greeting")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.startswith("van der Berg 先生，"), zh.stdout
    kehu.ok("config", "salutation.latin", "first-name")  # no first name to address them by
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi Dr. van der Berg,")


def test_the_card_shows_the_default_form_of_address_in_either_language(kehu):
    import os
    import subprocess
    import sys

    kehu.ok("add", "李娜", "--phone", "13900139000", "--gender", "女")
    kehu.ok("add", "Emma Wilson", "--phone", "13700137000")
    kehu.ok("add", "王芳", "--phone", "13600136000", "--salutation", "芳姐")

    def zh_card(who: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "kehu", "show", who], env={**os.environ, "KEHU_LANG": "zh"},
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    # What English drafts say (her name: no romanisation is kept), and what Chinese ones say.
    assert kehu.json("draft", "1", "--for", "greeting")["text"].startswith("Hi 李娜,")
    assert "\n  salutation:  李娜 (default)\n" in kehu.ok("show", "1")
    assert "\n  称呼：       李女士（默认）\n" in zh_card("1")
    # A name drafts say whole is the default too; the customer's own form is not marked.
    assert "\n  salutation:  Emma Wilson (default)\n" in kehu.ok("show", "2")
    assert "\n  称呼：       Emma Wilson（默认）\n" in zh_card("2")
    assert "\n  salutation:  芳姐\n" in kehu.ok("show", "3")
    assert "\n  称呼：       芳姐\n" in zh_card("3")
    assert kehu.json("show", "1")["salutation"] is None  # the data holds only their own
