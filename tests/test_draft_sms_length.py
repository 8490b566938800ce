"""Every default draft that is sent fits one SMS with a typical signature, as `kehu draft
--channel sms` counts it on stderr: 70 characters for Chinese, 160 GSM-7 letters for English.
A call script is read on the phone, not sent: it is not measured as an SMS."""

import re

import pytest

from kehu.ui import drafts

ZH_SIGNATURE = (("signature.name", "王磊"), ("signature.company", "平安汽车"),
                ("signature.phone", "138 0013 8000"))  # fmt: skip
EN_SIGNATURE = (("signature.name", "Lei Wang"), ("signature.company", "Ping An Motors"),
                ("signature.phone", "138 0013 8000"))  # fmt: skip
# name, gender, talking point; how kehu addresses them: 张先生, 欧阳女士, 王总 / Mr Smith…
ZH_PEOPLE = (("张伟", "男", "hobbies=钓鱼"), ("欧阳娜娜", "女", "family=孩子下个月高考"),
             ("王总", "男", "job=外企销售总监"))  # fmt: skip
EN_PEOPLE = (("John Smith", "male", "hobbies=golf"), ("Emma Wilson", "female", "family=two kids"),
             ("Catherine Montgomery", "female", "job=sales director at Bosch"))  # fmt: skip
# What is specific: a talking point, the product, the promise, the friend referred.
SPECIFIC = "|".join(("钓鱼", "孩子下个月高考", "外企销售总监", "golf", "two kids", "Bosch",
                     "Golf 1.4T", "保养手册", "booklet", "李娜", "赵磊", "刘洋", "Tom Baker",
                     "Anna Lee", "Mark Jones"))  # fmt: skip
FRIENDS = {"zh": ("李娜", "赵磊", "刘洋"), "en": ("Tom Baker", "Anna Lee", "Mark Jones")}
SENT = [kind for kind in drafts.KINDS if kind not in drafts.CALL_SCRIPTS]
# A greeting carries a personal date's wish (wedding anniversary…), a holiday's, or none.
OCCASIONS = {"holiday": drafts.OCCASION_CODES, "greeting": (None, *drafts.OCCASION_CODES)}


def _book(kehu, signature, people, lang):
    for key, value in signature:
        kehu.ok("config", key, value)
    for n, (name, gender, point) in enumerate(people):
        kehu.ok("add", name, "--phone", f"1380000100{n}", "--gender", gender, "--language", lang,
                "--product", "Golf 1.4T", "--set", point, now="2026-11-01T09:00")  # fmt: skip
        kehu.ok("promise", name, "保养手册寄到家" if lang == "zh" else "the booklet is posted",
                "--due", "2026-11-10", "--force")  # fmt: skip  # late: the draft apologises
        kehu.ok("add", FRIENDS[lang][n], "--phone", f"1390000100{n}", "--referred-by", name)
    kehu.ok("date", "add", people[1][0], "birthday", "农历八月十五")  # the longer occasion name


def _counted(kehu, name, kind, occasion, lang):
    args = ["draft", name, "--for", kind, "--channel", "sms", "--lang", lang]
    args += ["--occasion", occasion] if occasion else []
    result = kehu(*args)
    assert result.code == 0, result
    return result.out, result.err


@pytest.mark.parametrize(
    ("lang", "signature", "people", "limit"),
    [("zh", ZH_SIGNATURE, ZH_PEOPLE, 70), ("en", EN_SIGNATURE, EN_PEOPLE, 160)],
)
def test_every_default_sms_draft_fits_one_message_with_a_typical_signature(
    kehu, lang, signature, people, limit
):
    _book(kehu, signature, people, lang)
    phone = signature[2][1]
    for name, _gender, _point in people:
        for kind in SENT:
            for occasion in OCCASIONS.get(kind, (None,)):
                text, err = _counted(kehu, name, kind, occasion, lang)
                what = (name, kind, occasion, text)
                match = re.fullmatch(r"(\d+) characters, 1 SMS\n", err)
                assert match, (*what, err)  # one message, no warning that it would split
                assert int(match.group(1)) == len(text.rstrip("\n")) <= limit, what
                assert phone in text, what  # the signature is counted with it
                if kind != "complaint-follow-up":  # the note on a complaint is not quoted
                    assert re.search(SPECIFIC, text), what  # something about them or the item


def test_the_chinese_drafts_address_each_customer_by_their_form_of_address(kehu):
    _book(kehu, ZH_SIGNATURE, ZH_PEOPLE, "zh")
    for name, salutation in (("张伟", "张先生"), ("欧阳娜娜", "欧阳女士"), ("王总", "王总")):
        for kind in SENT:
            text, _err = _counted(kehu, name, kind, "mid-autumn" if kind == "holiday" else None,
                                  "zh")  # fmt: skip
            assert text.startswith(salutation + "，"), (name, kind, text)


def test_a_call_script_is_read_on_the_phone_not_measured_as_an_sms(kehu):
    _book(kehu, ZH_SIGNATURE, ZH_PEOPLE, "zh")
    kehu.ok("add", "周芳", "--phone", "13700001234", "--prospect", "--interest", "探岳",
            "--cares", "油耗")  # fmt: skip
    for name, kind in (("张伟", "call-back"), ("周芳", "prospect-follow-up")):
        result = kehu("draft", name, "--for", kind)
        assert result.code == 0, result
        assert re.fullmatch(r"\d+ characters\n", result.err), result
