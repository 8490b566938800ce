"""The default form of address (称呼) for a customer who has none of their own.

Chinese names: a name written with its form of address as it is (王总, 李姐), else surname + the
title rounded up (总经理 → 张总, 副局长 → 李局长), else surname + 先生/女士 by gender, else the
full name; a note in brackets (张伟（宝马）) is never part of it. Latin names: "Mr Wilson" /
"Ms Wilson" (or the first name), "Dr Wilson" for a doctor, else the full name. Pure: names in, a
name out; no sentences.
"""

import re
import unicodedata
from typing import Literal

LatinStyle = Literal["surname", "first-name"]
LATIN_STYLES: tuple[LatinStyle, ...] = ("surname", "first-name")

COMPOUND_SURNAMES = frozenset(
    ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
     "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "澹台", "公羊", "申屠", "太史", "闻人",
     "呼延", "赫连", "万俟", "司空", "钟离", "单于", "百里", "东郭", "拓跋", "第五")
)  # fmt: skip

# Title words, most senior first; the first one found in the title gives the form. "副" is
# dropped because custom rounds a title up: a deputy general manager is still 张总.
_ZH_TITLES: tuple[tuple[str, str], ...] = (
    ("助理", ""),  # 总经理助理 is an assistant: no title form
    ("秘书", ""),
    ("董事长", "总"),
    ("总裁", "总"),
    ("总经理", "总"),
    ("总监", "总"),
    ("总工", "总"),
    ("总编", "总"),
    ("老板", "总"),
    ("副总", "总"),
    ("行长", "行长"),
    ("院长", "院长"),
    ("校长", "校长"),
    ("局长", "局长"),
    ("处长", "处长"),
    ("厂长", "厂长"),
    ("部长", "部长"),
    ("科长", "科长"),
    ("书记", "书记"),
    ("主任", "主任"),
    ("店长", "店长"),
    ("经理", "经理"),
    ("主管", "主管"),
    ("教授", "教授"),
    ("律师", "律师"),
    ("医生", "医生"),
    ("医师", "医生"),
    ("大夫", "医生"),
    ("工程师", "工"),
    ("老师", "老师"),
    ("教师", "老师"),
    ("讲师", "老师"),
)
# The same ranks typed in English (whole words, any case).
_EN_TITLES: tuple[tuple[str, str], ...] = (
    (r"ceo|president|chairman|chairwoman|chair|founder|owner|general manager|gm|director|vp", "总"),
    (r"manager", "经理"),
    (r"professor|prof", "教授"),
    (r"doctor|dr|physician|surgeon", "医生"),
    (r"lawyer|attorney", "律师"),
    (r"engineer", "工"),
    (r"teacher|lecturer", "老师"),
)
# A name already written with its form of address (王总, 李姐, 刘老师) is how to address them.
ZH_FORMS = frozenset(form for _, form in _ZH_TITLES if form) | frozenset(
    ("先生", "女士", "小姐", "太太", "姐", "哥", "老板")
)
# A note kept in the name, as phone contacts have them: 张伟（宝马）, Emma Wilson [BMW].
_NAME_NOTE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)\s*")
_LATIN_TITLES: dict[str, str] = {"医生": "Dr", "教授": "Professor"}
_HONORIFIC_ZH = {"male": "先生", "female": "女士"}
_HONORIFIC_EN = {"male": "Mr", "female": "Ms"}
# A form of address typed before a Latin name ("Dr. Hans Berg", "Mrs Sarah Lee"), its Chinese
# form, and what follows a name ("Tom Jones Jr."): neither is a first name nor a surname.
_LATIN_HONORIFICS = {
    "mr": "先生", "mrs": "女士", "ms": "女士", "miss": "女士", "mx": None, "dr": "医生",
    "doctor": "医生", "prof": "教授", "professor": "教授", "sir": "先生", "dame": "女士",
}  # fmt: skip
_LATIN_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"))
# Lower-case words that belong to a Latin surname: "Mr van der Berg", "Ms de la Cruz".
_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ten", "ter",
     "bin", "al", "el", "st")
)  # fmt: skip


def default_salutation(
    name: str,
    *,
    gender: str | None = None,
    title: str | None = None,
    lang: str = "zh",
    latin_style: LatinStyle = "surname",
    preferred: str | None = None,
) -> str:
    """How to address this customer: `preferred` (their own 称呼) when given, else a default
    built from the name. `gender` is a code of rules.vocab.GENDERS; `lang` is "zh" or "en".
    The result is never empty; a blank name is a caller's error (ValueError)."""
    own = _clean(preferred)
    if own:
        return own
    full = without_note(name)
    if not full:
        raise ValueError("a salutation needs a name")
    sex = (gender or "").strip().lower()
    rank = title_form(title)
    if _is_han(full):
        if lang == "en":
            return full  # "Mr Zhang" needs a romanisation the book does not hold
        full = full.replace(" ", "")
        surname = han_surname(full)
        if full[len(surname) :] in ZH_FORMS:
            return full
        if rank:
            return surname + rank
        if sex in _HONORIFIC_ZH:
            return surname + _HONORIFIC_ZH[sex]
        return full
    if _is_latin(full):
        honorific, bare = _latin_honorific(full)
        first, last = latin_names(bare)
        if latin_style == "first-name" and first:
            return first
        if honorific and last:  # "Dr. Hans van der Berg": as typed, "Dr. van der Berg"
            if lang == "zh":
                zh = _LATIN_HONORIFICS[_word_key(honorific)]
                return f"{last} {zh}" if zh else full
            return f"{honorific} {last}"
        if not last:
            return full
        if lang == "zh":  # Wilson 医生, Wilson 女士: a Latin name set apart from Chinese
            if rank in _LATIN_TITLES:
                return f"{last} {rank}"
            return f"{last} {_HONORIFIC_ZH[sex]}" if sex in _HONORIFIC_ZH else full
        if rank in _LATIN_TITLES:
            return f"{_LATIN_TITLES[rank]} {last}"
        return f"{_HONORIFIC_EN[sex]} {last}" if sex in _HONORIFIC_EN else full
    return full


def without_note(name: str) -> str:
    """A name as said to someone: without a note kept in brackets (张伟（宝马） → 张伟)."""
    full = _clean(name)
    return _clean(_NAME_NOTE.sub(" ", full)) or full


def han_surname(name: str) -> str:
    """The surname of a Chinese name: a known compound surname (欧阳) or the first character."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def title_form(title: str | None) -> str | None:
    """The form a job title gives a Chinese salutation (总, 经理, 医生 …), or None."""
    text = _clean(title)
    if not text:
        return None
    for word, form in _ZH_TITLES:
        if word in text:
            return form or None
    lowered = text.lower()
    for words, form in _EN_TITLES:
        if re.search(rf"\b(?:{words})\b", lowered):
            return form
    if text == "总" or text.endswith("总"):  # "张总" typed as a title, or "副总"/"老总"
        return "总"
    return None


def latin_names(name: str) -> tuple[str | None, str | None]:
    """(first name, surname with its particles) of "Emma Wilson" or "Wilson, Emma"; a form of
    address before it (Mr, Dr.) and a suffix after it (Jr., III) are neither."""
    name = _latin_honorific(name)[1]
    words = name.replace(",", " , ").split()
    while words and _word_key(words[-1]) in _LATIN_SUFFIXES:  # "Tom Jones, Jr."
        words.pop()
        while words and words[-1] == ",":
            words.pop()
    name = " ".join(words).replace(" , ", ", ").replace(" ,", ",")
    if "," in name:
        last, _, first = name.partition(",")
        return first.split()[0] if first.split() else None, last.strip() or None
    words = name.split()
    if len(words) < 2:
        return None, None
    start = len(words) - 1
    while start > 0 and words[start - 1] in _PARTICLES:  # "Dr. van der Berg": no first name
        start -= 1
    return (words[0] if start else None), " ".join(words[start:])


def _latin_honorific(name: str) -> tuple[str | None, str]:
    """The form of address a Latin name starts with, as typed ("Dr."), and the name after it."""
    first, _, rest = name.partition(" ")
    if rest.strip() and _word_key(first) in _LATIN_HONORIFICS:
        return first, rest.strip()
    return None, name


def _word_key(word: str) -> str:
    return word.rstrip(".,").lower()


def _clean(text: str | None) -> str:
    """Full-width letters read as ASCII, runs of spaces as one."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _is_han(text: str) -> bool:
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and all(_han(c) for c in letters)


def _han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F


def _is_latin(text: str) -> bool:
    for char in text:
        if char.isspace() or char in "-'’.,":
            continue
        if not char.isalpha() or _han(char) or "LATIN" not in unicodedata.name(char, ""):
            return False
    return any(c.isalpha() for c in text)
