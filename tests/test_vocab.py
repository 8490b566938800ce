"""Chinese words for everything typed: each reads as its stored code, and nothing else does."""

import contextlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base import i18n, typed
from kehu.base.errors import BadInput
from kehu.rules import choices, vocab

FAMILIES = {
    "channel": (vocab.CHANNELS, vocab.CHANNEL_WORDS),
    "kind": (vocab.CONTACT_KINDS, vocab.CONTACT_KIND_WORDS),
    "outcome": (vocab.OUTCOMES, vocab.OUTCOME_WORDS),
    "tier": (vocab.TIERS, vocab.TIER_WORDS),
    "source": (vocab.SOURCES, vocab.SOURCE_WORDS),
    "gender": (vocab.GENDERS, vocab.GENDER_WORDS),
    "answer": (vocab.YES_NO, vocab.YES_NO_WORDS),
}


@pytest.mark.parametrize(
    ("family", "word", "code"),
    [
        ("channel", "电话", "call"), ("channel", "微信", "wechat"), ("channel", "短信", "sms"),
        ("channel", "拜访", "visit"), ("channel", "上门", "visit"), ("channel", "邮件", "email"),
        ("channel", "信件", "letter"), ("channel", "礼物", "gift"), ("channel", "其他", "other"),
        ("kind", "感谢", "thank-you"), ("kind", "回访", "follow-up"), ("kind", "跟进", "follow-up"),
        ("kind", "问候", "greeting"), ("kind", "投诉", "complaint"), ("kind", "其他", "other"),
        ("outcome", "未接通", "no-answer"), ("outcome", "没接", "no-answer"),
        ("tier", "重点客户", "A"), ("tier", "普通", "B"), ("tier", "一般", "C"),
        ("tier", "a", "A"), ("tier", "Ａ", "A"),  # full-width, as typed in Chinese
        ("source", "转介绍", "referral"), ("source", "来店", "walk-in"),
        ("source", "来电", "phone"), ("source", "广告", "ad"), ("source", "自己开发", "own"),
        ("gender", "男", "male"), ("gender", "女", "female"),
        ("answer", "是", "yes"), ("answer", "好", "yes"), ("answer", "否", "no"),
        ("answer", "不", "no"), ("answer", "Y", "yes"), ("answer", "n", "no"),
        ("channel", " ＷｅＣｈａｔ ", "wechat"), ("channel", "CALL", "call"),
    ],
)  # fmt: skip
def test_a_chinese_word_reads_as_its_code(family, word, code):
    accepted, words = FAMILIES[family]
    assert typed.choice(word, accepted, family, synonyms=words) == code
    assert choices.maybe_choice(word, accepted, family, synonyms=words) == code


@pytest.mark.parametrize("family", FAMILIES)
def test_every_word_names_a_code_of_its_own_family_and_no_code_is_shadowed(family):
    accepted, words = FAMILIES[family]
    codes = {c.lower() for c in accepted}
    assert set(words.values()) <= set(accepted)
    for word in words:
        assert word == unicodedata.normalize("NFKC", word).strip()
        assert word.lower() not in codes  # a code always means itself


def test_an_unknown_word_is_refused_with_the_words_accepted(monkeypatch):
    with pytest.raises(BadInput) as e:
        typed.choice("传真", vocab.CHANNELS, "channel (--via)", synonyms=vocab.CHANNEL_WORDS)
    message = str(e.value)  # the English interface names the codes, not the Chinese words
    assert "'传真'" in message and "call" in message and "微信" not in message
    monkeypatch.setenv("KEHU_LANG", "zh")
    i18n.bind(None)
    try:
        with pytest.raises(BadInput) as e:
            typed.choice("传真", vocab.CHANNELS, "channel (--via)", synonyms=vocab.CHANNEL_WORDS)
    finally:
        monkeypatch.setenv("KEHU_LANG", "en")
        i18n.bind(None)
    assert "'传真'" in str(e.value) and "call" in str(e.value) and "微信" in str(e.value)
    with pytest.raises(BadInput):
        typed.choice("微信", vocab.CHANNELS, "channel (--via)")  # no words given: codes only


@given(st.sampled_from(sorted(FAMILIES)), st.text(max_size=8))
def test_any_text_is_a_code_of_the_family_or_refused(family, text):
    accepted, words = FAMILIES[family]
    with contextlib.suppress(BadInput):
        assert typed.choice(text, accepted, family, synonyms=words) in accepted
