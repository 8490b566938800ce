"""The words kehu accepts for tiers, sources, channels, contact kinds and outcomes."""

TIERS = ("A", "B", "C")
SOURCES = ("walk-in", "phone", "ad", "referral", "own", "other")
CHANNELS = ("call", "visit", "wechat", "sms", "email", "letter", "gift", "other")
CONTACT_KINDS = ("follow-up", "thank-you", "greeting", "complaint", "other")
OUTCOMES = ("reached", "no-answer")
GENDERS = ("female", "male", "other")
# Profile keys that make a good opening line when calling, in order of preference.
TALKING_KEYS = ("hobbies", "family", "爱好", "家庭", "interests", "job", "tastes")
# The talking point that is the last note written about a contact (the others are profile keys).
LAST_NOTE = "last-note"


def phone_digits(phone: str | None) -> str | None:
    """The digits that identify a phone: '+86 138-0013-8000' and '13800138000' match."""
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits or None
