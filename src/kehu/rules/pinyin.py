"""Pinyin forms of a name, so that `zw`, `zhangwei`, `zhang wei` and `张w` all find 张伟.

When a name is written, `forms(name)` gives every text it should be found by: the full pinyin
without tones (zhangwei), the initials (zw), and the same with the leading characters kept as
they are (张wei, 张w), for every reading of each character (heteronyms: any reading matches),
with surnames read as surnames (曾 zeng, not ceng). Stored one per row in an indexed column, a
search is then one prefix range: `search_key(text)` and `prefix_bounds(key)`, no pinyin library
needed. pypinyin (slow to import) is loaded only when forms are computed.
"""

import functools
import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

# Surnames whose reading differs from the character's everyday one (pypinyin reads 曾伟 as
# "ceng wei"). The readings listed are the only ones a surname takes.
SURNAMES: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "区": ("ou",),
    "查": ("zha",), "朴": ("piao",), "盖": ("ge",), "乐": ("yue", "le"), "缪": ("miao",),
    "翟": ("zhai",), "覃": ("qin", "tan"), "尉": ("yu", "wei"), "秘": ("bi",), "繁": ("po",),
    "员": ("yun",), "召": ("shao",), "折": ("she",), "句": ("gou",), "隗": ("wei",),
    "种": ("chong",), "黑": ("he",), "牟": ("mou",), "阚": ("kan",), "冼": ("xian",),
    "谌": ("chen", "shen"), "莘": ("shen", "xin"), "长": ("chang",), "藏": ("zang",),
    "薄": ("bo",), "柏": ("bai",), "宿": ("su",), "逄": ("pang",), "相": ("xiang",),
    "重": ("chong",), "车": ("che",), "殷": ("yin",), "过": ("guo",), "都": ("du",),
}  # fmt: skip
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"), "皇甫": ("huang", "fu"), "东方": ("dong", "fang"),
    "夏侯": ("xia", "hou"), "公孙": ("gong", "sun"), "令狐": ("ling", "hu"),
    "慕容": ("mu", "rong"), "司徒": ("si", "tu"), "宇文": ("yu", "wen"), "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"), "轩辕": ("xuan", "yuan"), "端木": ("duan", "mu"),
    "呼延": ("hu", "yan"), "南宫": ("nan", "gong"), "独孤": ("du", "gu"), "西门": ("xi", "men"),
}  # fmt: skip
MAX_READINGS = 8  # combinations of heteronyms kept per name (the everyday reading first)
MAX_FORMS = 32  # forms stored per name, at most
FORM_LONGEST = 200  # characters kept of a form: a search is a prefix, so a cut form still works


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def _tokens(name: str) -> list[str]:
    """Han characters one by one, runs of Latin letters and digits whole; the rest (spaces,
    punctuation) dropped."""
    tokens: list[str] = []
    run = ""
    for ch in unicodedata.normalize("NFKC", name).lower():
        if is_han(ch):
            tokens += [run, ch] if run else [ch]
            run = ""
        elif ch.isascii() and ch.isalnum():
            run += ch
        elif run:
            tokens.append(run)
            run = ""
    return [*tokens, run] if run else tokens


def _with_u(readings: Iterable[str]) -> tuple[str, ...]:
    """pypinyin writes ü as v (lv); people type lv, lu or lü, which reads as lv."""
    found = list(dict.fromkeys(readings))
    found += [r.replace("v", "u") for r in found if "v" in r]
    return tuple(dict.fromkeys(found))


def readings(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each token of the name with its readings, the everyday one first."""
    tokens = _tokens(name)
    read = [(t, _char_readings(t) if is_han(t) else (t,)) for t in tokens]
    if all(r for _, r in read):
        return _as_surname(read)
    return _as_surname(_whole_name_readings(tokens))


@functools.cache
def _char_readings(ch: str) -> tuple[str, ...]:
    """One character's readings, the everyday one first: read once per character (an import
    of many names asks pypinyin about the same few thousand characters again and again).
    Empty for a character pypinyin cannot read."""
    lazy_pinyin, pinyin, style = _pypinyin()
    everyday = lazy_pinyin(ch, style=style.NORMAL, errors="ignore")
    others = pinyin(ch, style=style.NORMAL, heteronym=True, errors="ignore")
    alternatives = others[0] if others else []
    if not everyday:
        return ()
    return _with_u([r for r in (everyday[0], *alternatives) if r])


def _whole_name_readings(tokens: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """A name with a character pypinyin cannot read: its everyday readings taken for the
    whole name at once, as they always were (the unread character shifts them)."""
    lazy_pinyin, pinyin, style = _pypinyin()
    han = "".join(t for t in tokens if is_han(t))
    everyday = iter(lazy_pinyin(han, style=style.NORMAL, errors="ignore") if han else [])
    result: list[tuple[str, tuple[str, ...]]] = []
    for token in tokens:
        if not is_han(token):
            result.append((token, (token,)))
            continue
        first = next(everyday, "")
        others = pinyin(token, style=style.NORMAL, heteronym=True, errors="ignore")
        alternatives = others[0] if others else []
        result.append((token, _with_u([r for r in (first, *alternatives) if r])))
    return result


def _pypinyin() -> Any:
    import os

    # Names are read character by character (every reading kept, surnames by their table), so
    # pypinyin's phrase dictionary only costs: without it a write starts 0.4 s and 45 MiB lighter.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, lazy_pinyin, pinyin

    return lazy_pinyin, pinyin, Style


def _as_surname(
    tokens: list[tuple[str, tuple[str, ...]]],
) -> list[tuple[str, tuple[str, ...]]]:
    if len(tokens) >= 3 and tokens[0][0] + tokens[1][0] in COMPOUND_SURNAMES:
        first, second = COMPOUND_SURNAMES[tokens[0][0] + tokens[1][0]]
        # 单于 may also be the surname 单 and a name starting 于: keep that reading too.
        single = SURNAMES.get(tokens[0][0], ())
        return [
            (tokens[0][0], tuple(dict.fromkeys((first, *single)))),
            (tokens[1][0], tuple(dict.fromkeys((second, tokens[1][1][0])))),
            *tokens[2:],
        ]
    if len(tokens) >= 2 and tokens[0][0] in SURNAMES:
        return [(tokens[0][0], SURNAMES[tokens[0][0]]), *tokens[1:]]
    return tokens


def forms(name: str) -> list[str]:
    """Every text the name is found by (lower case, no spaces), the everyday reading first.
    Empty for a name with nothing to spell (only punctuation)."""
    return list(_forms(name))


@functools.lru_cache(maxsize=8192)  # a big import meets the same names again and again
def _forms(name: str) -> tuple[str, ...]:
    tokens = readings(name)
    if not tokens:
        return ()
    combinations = itertools.islice(itertools.product(*(r for _, r in tokens)), MAX_READINGS)
    found: dict[str, None] = {}
    for combination in combinations:
        for kept in range(len(tokens)):  # how many leading characters stay as written
            if kept and not is_han(tokens[kept - 1][0]):
                break
            written = "".join(t for t, _ in tokens[:kept])
            rest = combination[kept:]
            found[written + "".join(rest)] = None
            found[written + "".join(r[0] for r in rest)] = None
    return tuple(dict.fromkeys(form[:FORM_LONGEST] for form in found if form))[:MAX_FORMS]


def spelled(name: str) -> str:
    """The everyday reading, syllables apart ("zhang wei"), to tell 张伟 from 章伟 in a list."""
    return " ".join(r[0] for _, r in readings(name))


def search_key(text: str) -> str | None:
    """What a typed search becomes to be matched as a prefix of the stored forms, or None when
    it is no pinyin search (only Chinese characters or digits: the name or phone finds those;
    or Chinese characters after letters, which no form has)."""
    key = unicodedata.normalize("NFKC", text).lower().replace("ü", "v")
    key = "".join(ch for ch in key if ch not in " '’-·")
    if not any("a" <= ch <= "z" for ch in key):
        return None
    if not all(is_han(ch) or (ch.isascii() and ch.isalnum()) for ch in key):
        return None
    first_latin = next(i for i, ch in enumerate(key) if ch.isascii())
    if any(is_han(ch) for ch in key[first_latin:]):
        return None
    return key


def prefix_bounds(key: str) -> tuple[str, str]:
    """The range [low, high) that holds every form starting with key: `form >= low AND form <
    high` is an index range on any engine (a LIKE would need a special index on PostgreSQL)."""
    return key, key[:-1] + chr(ord(key[-1]) + 1)


def matches(key: str, stored: Sequence[str]) -> bool:
    """What the index range finds, for a list already in memory."""
    return any(form.startswith(key) for form in stored)
