"""The words kehu accepts for tiers, sources, channels, contact kinds and outcomes: the codes
stored (the same whatever language wrote the book) and the words a user may type for them."""

from kehu.base.settings import CHANNEL_WORDS as CHANNEL_WORDS
from kehu.base.settings import CHANNELS as CHANNELS
from kehu.base.typed import half_width

TIERS = ("A", "B", "C")
SOURCES = ("walk-in", "phone", "online", "ad", "referral", "own", "other")
# CHANNELS: base/settings.py, where the default_channel setting is checked
CONTACT_KINDS = ("follow-up", "thank-you", "greeting", "complaint", "other")
OUTCOMES = ("reached", "no-answer")
GENDERS = ("female", "male", "other")
LANGUAGES = ("zh", "en")  # the languages drafts are written in
LIST_ORDERS = ("last-contact", "name", "tier", "added")  # kehu list --sort
YES_NO = ("yes", "no")  # answers to a question; not stored

# What a user may type instead of a code (compared after NFKC and lower-casing), so that
# `--via 微信` and `--tier 重点客户` work; the code is what is stored.
CONTACT_KIND_WORDS = {
    "感谢": "thank-you",
    "致谢": "thank-you",
    "回访": "follow-up",
    "跟进": "follow-up",
    "问候": "greeting",
    "投诉": "complaint",
    "其他": "other",
}
OUTCOME_WORDS = {
    "接通": "reached",
    "联系上": "reached",
    "未接通": "no-answer",
    "没接通": "no-answer",
    "没接": "no-answer",
    "无人接听": "no-answer",
}
TIER_WORDS = {
    "重点客户": "A",
    "重点": "A",
    "普通": "B",
    "普通客户": "B",
    "一般": "C",
    **{f"{tier}类": tier for tier in TIERS},  # as the Chinese card shows a tier (A 类)
}
SOURCE_WORDS = {
    "转介绍": "referral",
    "介绍": "referral",
    "来店": "walk-in",
    "进店": "walk-in",
    "到店": "walk-in",
    "来电": "phone",
    "电话": "phone",
    "网络": "online",
    "网上": "online",
    "线上": "online",
    "网络平台": "online",
    "线上平台": "online",
    "广告": "ad",
    "自己开发": "own",
    "自己": "own",
    "其他": "other",
}
GENDER_WORDS = {
    "m": "male",  # as forms and spreadsheets write it: M / F
    "f": "female",
    "男": "male",
    "男性": "male",
    "男士": "male",
    "先生": "male",
    "女": "female",
    "女性": "female",
    "女士": "female",
    "小姐": "female",
    "其他": "other",
}
YES_NO_WORDS = {
    "y": "yes",
    "是": "yes",
    "是的": "yes",
    "好": "yes",
    "好的": "yes",
    "对": "yes",
    "对的": "yes",
    "要": "yes",
    "行": "yes",
    "可以": "yes",
    "确定": "yes",
    "嗯": "yes",
    "n": "no",
    "否": "no",
    "不": "no",
    "不是": "no",
    "不要": "no",
    "不行": "no",
    "不用": "no",
    "算了": "no",
    "取消": "no",
}
# Profile keys that make a good opening line when calling, in order of preference.
TALKING_KEYS = ("hobbies", "family", "爱好", "家庭", "interests", "job", "tastes")
# What a talking point's key is about, so that a draft asks after it fittingly.
TALKING_TOPICS = {"hobbies": "hobby", "爱好": "hobby", "interests": "hobby", "tastes": "hobby",
                  "family": "family", "家庭": "family", "job": "job"}  # fmt: skip
# The talking point that is the last note written about a contact (the others are profile keys).
LAST_NOTE = "last-note"


# Fewer digits than this identify nobody ("0", an extension): never the same phone.
SAME_PHONE_DIGITS = 7


def same_phone(phone: str | None) -> str | None:
    """The digits two customers must share to be one person: a phone's digits, when it has at
    least SAME_PHONE_DIGITS of them and no letters."""
    digits = phone_digits(phone)
    return digits if digits and len(digits) >= SAME_PHONE_DIGITS else None


def phone_digits(phone: str | None) -> str | None:
    """The digits that identify a phone: '+86 138-0013-8000', '13800138000' and full-width
    '１３８００１３８０００' (read as ASCII) match."""
    if not phone:
        return None
    if phone.isascii() and phone.isdigit():
        digits = phone  # most phones in a file: only digits, no need to look at each
    else:
        ascii_phone = half_width(phone)
        if any(ch.isalpha() for ch in ascii_phone):
            return None  # 1-800-FLOWERS: its digits alone are another number
        digits = "".join(ch for ch in ascii_phone if "0" <= ch <= "9")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits or None


# Prospects (意向客户): the intent level, graded by how soon they will buy (H within 7 days, A 15,
# B 30, C 2-3 months; N newly met, O ordered), in the order the daily list ranks them.
LEVELS = ("H", "A", "B", "C", "O", "N")
LEVEL_WORDS = {
    "新": "N", "新客户": "N", "订车": "O", "已订车": "O", "订单": "O", "下单": "O", "已下单": "O",
}  # fmt: skip
# A level column's words for a prospect closed without a sale (战败): F, as some dealers write it.
LOST_LEVEL_WORDS = ("lost", "战败", "F")
LOST_REASONS = ("competitor", "budget", "postponed", "price", "unreachable", "other")
LOST_REASON_WORDS = {
    "竞品": "competitor",
    "买了竞品": "competitor",
    "购买竞品": "competitor",
    "预算": "budget",
    "预算不足": "budget",
    "推迟": "postponed",
    "暂缓": "postponed",
    "延期": "postponed",
    "价格": "price",
    "价格原因": "price",
    "联系不上": "unreachable",
    "失联": "unreachable",
    "其他": "other",
}
PAYMENTS = ("full", "loan")
PAYMENT_WORDS = {"全款": "full", "一次性": "full", "贷款": "loan", "分期": "loan", "按揭": "loan"}
