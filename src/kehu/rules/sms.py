"""How many SMS a text is sent as (3GPP TS 23.038 / 23.040). Pure; no words.

A text made only of GSM 7-bit characters fits 160 in one message, 153 per part when split;
any other character (Chinese, an emoji) sends the whole text as UCS-2: 70 in one message,
67 per part. Characters of the GSM extension table (€, [, ] …) take two septets, and
neither an escape pair nor a surrogate pair is split across two parts.
"""

from typing import NamedTuple

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"gsm-7": 160, "ucs-2": 70}
PART = {"gsm-7": 153, "ucs-2": 67}


class SmsLength(NamedTuple):
    encoding: str  # "gsm-7" or "ucs-2"
    units: int  # septets (gsm-7) or UTF-16 code units (ucs-2)
    segments: int  # 0 for an empty text


def sms_length(text: str) -> SmsLength:
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        encoding = "gsm-7"
        sizes = [2 if c in GSM_EXTENSION else 1 for c in text]
    else:
        encoding = "ucs-2"
        sizes = [2 if ord(c) > 0xFFFF else 1 for c in text]
    units = sum(sizes)
    if units == 0:
        return SmsLength(encoding, 0, 0)
    if units <= SINGLE[encoding]:
        return SmsLength(encoding, units, 1)
    return SmsLength(encoding, units, _parts(sizes, PART[encoding]))


def _parts(sizes: list[int], per_part: int) -> int:
    """Fill parts greedily, never splitting one character's units."""
    parts, used = 1, 0
    for size in sizes:
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts
