"""The one place a word typed for a choice becomes its code: the code itself, or any word kehu
knows for it (rules/vocab.py, the item kinds, the occasions, the holidays), whatever the
interface language. A word counts only for the codes the option accepts, so that 意向客户跟进
is the item kind `prospect` in `today --kind` and the draft `prospect-follow-up` in `--for`."""

from collections.abc import Mapping, Sequence

from kehu.base import typed
from kehu.rules import greetings, vocab

# Other words for a code, by code. Tiers and prospect levels (A, B, C) are not here: the same
# letters mean different things, so their words are given where they are read.
_TABLES: tuple[Mapping[str, str], ...] = (
    vocab.CHANNEL_WORDS, vocab.CONTACT_KIND_WORDS, vocab.OUTCOME_WORDS, vocab.SOURCE_WORDS,
    vocab.GENDER_WORDS, vocab.LOST_REASON_WORDS, vocab.PAYMENT_WORDS, greetings.WORDS,
)  # fmt: skip
OTHER_WORDS: Mapping[str, tuple[str, ...]] = {
    # the kinds of items on the daily list (rules/kinds.py), as the Chinese interface names them
    "promise": ("承诺",),
    "follow-up": ("计划回访",),
    "personal-date": ("纪念日", "重要日期"),
    "complaint-follow-up": ("投诉回访",),
    "call-back": ("购买回访",),
    "prospect": ("意向客户跟进", "意向客户"),
    "referral-thanks": ("转介绍致谢",),
    "holiday": ("节日问候", "节日"),
    "holiday-group": ("节日群发",),
    "at-risk": ("有流失风险", "流失风险"),
    "keep-in-touch": ("保持联系",),
    "cooling": ("渐冷",),
    "suggestion": ("建议联系",),
    # drafts (ui/drafts.py) and their occasions
    "promise-kept": ("兑现承诺",),
    "prospect-follow-up": ("意向客户跟进",),
    "order-follow-up": ("订单跟进",),
    "birthday": ("生日",),
    "lunar-birthday": ("农历生日",),
    "wedding": ("结婚纪念日", "新婚"),
    "new-baby": ("喜添宝宝",),
    "company-anniversary": ("公司周年", "公司周年庆"),
    "christmas": ("圣诞", "圣诞节"),
    # the kinds of a customer's dates (rules/occasions.py)
    "child-birthday": ("孩子生日",),
    "company": ("公司周年",),
    # health states, `list --sort`, languages
    "lost": ("已流失", "流失"),
    "healthy": ("健康",),
    "last-contact": ("最近联系", "上次联系"),
    "name": ("姓名", "名字"),
    "tier": ("等级",),
    "added": ("建档", "添加时间"),
    "zh": ("中文", "汉语"),
    "en": ("英文", "英语"),
}


def _words() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {code: list(words) for code, words in OTHER_WORDS.items()}
    for table in _TABLES:
        for word, code in table.items():
            if word not in found.setdefault(code, []):
                found[code].append(word)
    return found


WORDS: Mapping[str, Sequence[str]] = _words()

# A draft asked for by what the salesperson is about to do (`draft 李娜 --for 回访`): the words of
# the contact kinds, which name other codes elsewhere (回访 is the contact kind follow-up).
DRAFT_WORDS: Mapping[str, str] = {
    "回访": "call-back", "跟进": "call-back", "计划回访": "call-back", "follow-up": "call-back",
    "投诉": "complaint-follow-up", "complaint": "complaint-follow-up",
}  # fmt: skip


def choice(
    value: str, accepted: Sequence[str], option: str, *, synonyms: Mapping[str, str] | None = None
) -> str:
    """The code in `accepted` that `value` names (base/typed.choice), also through every word
    kehu knows for one of those codes."""
    known = {word: code for code in accepted for word in WORDS.get(code, ())}
    return typed.choice(value, accepted, option, synonyms={**known, **(synonyms or {})})


def maybe_choice(
    value: str | None,
    accepted: Sequence[str],
    option: str,
    *,
    synonyms: Mapping[str, str] | None = None,
) -> str | None:
    return None if value is None else choice(value, accepted, option, synonyms=synonyms)
