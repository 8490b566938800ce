"""Pinyin search: what a name is stored as, what a search becomes, and that the prefix range
finds exactly the forms a search names."""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehu.rules import pinyin


def _finds(search: str, name: str) -> bool:
    key = pinyin.search_key(search)
    assert key is not None, search
    low, high = pinyin.prefix_bounds(key)
    return any(low <= form < high for form in pinyin.forms(name))


@pytest.mark.parametrize(
    ("search", "name"),
    [
        ("zw", "张伟"), ("zhangwei", "张伟"), ("zhang wei", "张伟"), ("张w", "张伟"),
        ("张wei", "张伟"), ("ZHANG", "张伟"), ("ｚｗ", "张伟"), ("zhang-wei", "张伟"),
        ("zengwei", "曾伟"), ("zw", "曾伟"),  # 曾 as a surname is zeng
        ("shanxiongxin", "单雄信"), ("xiexiaodong", "解晓东"), ("qiuying", "仇英"),
        ("ouzhiqiang", "区志强"), ("zhaliangyong", "查良镛"), ("piaoshu", "朴树"),
        ("gecong", "盖聪"), ("yuejia", "乐嘉"), ("lejia", "乐嘉"), ("miaojie", "缪杰"),
        ("zhaixin", "翟欣"), ("ouyangnana", "欧阳娜娜"), ("oynn", "欧阳娜娜"),
        ("zhangsunwuji", "长孙无忌"), ("yuchigong", "尉迟恭"), ("zhugeliang", "诸葛亮"),
        ("xingzhang", "行长"), ("hangzhang", "行长"),  # a heteronym matches on any reading
        ("lvfang", "吕方"), ("lufang", "吕方"), ("lü", "吕方"),
        ("zsf", "张三丰"), ("张三f", "张三丰"), ("anna", "Anna 张"), ("annaz", "Anna 张"),
    ],
)  # fmt: skip
def test_a_search_finds_the_name(search, name):
    assert _finds(search, name)


@pytest.mark.parametrize(
    ("search", "name"),
    [
        ("cengwei", "曾伟"), ("danxiongxin", "单雄信"), ("jiexiaodong", "解晓东"),
        ("chouying", "仇英"), ("quzhiqiang", "区志强"), ("chaliangyong", "查良镛"),
        ("pushu", "朴树"), ("gaicong", "盖聪"), ("moujie", "缪杰"), ("dixin", "翟欣"),
        ("lw", "张伟"), ("zhangweii", "张伟"), ("章w", "张伟"), ("wz", "张伟"),
    ],
)  # fmt: skip
def test_wrong_readings_and_other_names_do_not_match(search, name):
    assert not _finds(search, name)


def test_two_names_that_sound_alike_are_told_apart_by_their_characters():
    assert _finds("zhangwei", "章伟") and _finds("zhangwei", "张伟")
    assert _finds("章w", "章伟") and not _finds("章w", "张伟")
    assert pinyin.spelled("张伟") == pinyin.spelled("章伟") == "zhang wei"
    assert pinyin.spelled("曾伟") == "zeng wei"


@pytest.mark.parametrize(
    "text", ["张伟", "13800138000", "", "   ", "zhang伟", "zw!", "#12", "张 伟"]
)
def test_what_is_no_pinyin_search(text):
    assert pinyin.search_key(text) is None


def test_a_name_with_nothing_to_spell_has_no_forms():
    assert pinyin.forms("!!") == [] and pinyin.forms("") == []
    assert pinyin.spelled("") == ""


HAN = "张伟王芳李娜刘强陈静杨洋赵曾单解仇区查朴盖乐缪翟行长重欧阳司马吕女"


@settings(deadline=None, max_examples=60)
@given(st.text(alphabet=HAN + "abz ·", min_size=1, max_size=6).filter(lambda n: n.strip(" ·")))
def test_every_name_is_found_by_its_spelling_and_initials(name):
    stored = pinyin.forms(name)
    assert 0 < len(stored) <= pinyin.MAX_FORMS
    assert all(form == form.lower() and " " not in form for form in stored)
    spelled = pinyin.spelled(name)
    assert _finds(spelled, name)
    assert _finds("".join(s[0] for s in spelled.split()), name)
    assert all(pinyin.matches(form, stored) for form in stored)


@given(
    st.text(alphabet="abgwz张曾", min_size=1, max_size=4),
    st.text(alphabet="abgwz张曾", max_size=6),
)
def test_the_prefix_range_holds_exactly_the_forms_starting_with_the_key(key, form):
    low, high = pinyin.prefix_bounds(key)
    assert (low <= form < high) == form.startswith(key)


def test_pypinyin_is_imported_only_when_forms_are_computed():
    code = (
        "import sys\nfrom kehu.rules import pinyin\n"
        "pinyin.search_key('zw'); pinyin.prefix_bounds('zw')\n"
        "assert 'pypinyin' not in sys.modules\n"
        "pinyin.forms('张伟')\nassert 'pypinyin' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
