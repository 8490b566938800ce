"""SMS length: GSM-7 160/153, UCS-2 70/67, extension characters and surrogate pairs."""

from hypothesis import given
from hypothesis import strategies as st

from kehu.rules.sms import GSM_BASIC, sms_length


def test_empty_text_is_no_message():
    assert sms_length("") == ("gsm-7", 0, 0)


def test_gsm_limits():
    assert sms_length("a" * 160) == ("gsm-7", 160, 1)
    assert sms_length("a" * 161) == ("gsm-7", 161, 2)
    assert sms_length("a" * 306) == ("gsm-7", 306, 2)
    assert sms_length("a" * 307) == ("gsm-7", 307, 3)


def test_extension_characters_take_two_septets_and_stay_whole():
    assert sms_length("€" * 80) == ("gsm-7", 160, 1)
    assert sms_length("€" * 81).segments == 2
    # 152 septets then an escape pair: the pair moves to the next part.
    assert sms_length("a" * 152 + "€" + "a" * 152) == ("gsm-7", 306, 3)


def test_chinese_limits():
    assert sms_length("好" * 70) == ("ucs-2", 70, 1)
    assert sms_length("好" * 71) == ("ucs-2", 71, 2)
    assert sms_length("好" * 134) == ("ucs-2", 134, 2)
    assert sms_length("好" * 135) == ("ucs-2", 135, 3)


def test_one_chinese_character_makes_the_whole_text_ucs2():
    assert sms_length("a" * 69 + "好") == ("ucs-2", 70, 1)
    assert sms_length("a" * 70 + "好").segments == 2


def test_emoji_count_two_and_are_not_split():
    assert sms_length("😀" * 35) == ("ucs-2", 70, 1)
    assert sms_length("a" * 66 + "😀" + "a" * 66) == ("ucs-2", 134, 3)


@given(st.text(max_size=400))
def test_segments_hold_the_text(text):
    length = sms_length(text)
    single, part = (160, 153) if length.encoding == "gsm-7" else (70, 67)
    if not text:
        assert length.segments == 0
    elif length.units <= single:
        assert length.segments == 1
    else:
        assert length.segments >= -(-length.units // part)
        assert length.segments <= -(-length.units // (part - 1))


@given(st.text(alphabet=sorted(GSM_BASIC), max_size=400))
def test_plain_gsm_text_counts_one_septet_each(text):
    assert sms_length(text).units == len(text)
