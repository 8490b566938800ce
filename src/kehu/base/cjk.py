"""A Latin word set in Chinese text: 交付了 Golf 1.4T, 感谢 Emma 的信任. Chinese typography puts a
space between a run of Chinese characters and a run of Latin letters or digits; where kehu puts
a product, a model or a name into Chinese words it adds that space, never before Chinese
punctuation (交付了 Golf！) and never where the inserted text is Chinese itself (交付了帕萨特)."""

import string
from collections.abc import Collection, Mapping
from functools import cache
from typing import Any

# The fields of kehu's messages that hold a product, a model, a customer's name ("who": the
# name with its id, 孙杰（#14）, which meets the Chinese after it unspaced: 孙杰（#14）此前是…) or
# a salesperson's login ("owner"; "who" too where it is the one who made a change).
NAMED = frozenset({"product", "name", "interest", "referred_name", "who", "owner"})


def han(ch: str) -> bool:
    """A Chinese character (CJK ideograph), not Chinese punctuation."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def latin(ch: str) -> bool:
    """A Latin letter or a digit, as typed on a Western keyboard (é too; not full width)."""
    if ch.isascii():
        return ch.isalnum()
    return ch.isalpha() and ch < "\u0250"  # the Latin letters with accents


def between(before: str, text: str, after: str) -> str:
    """`text` as it is put between `before` and `after`: with a space on a side where a Chinese
    character meets a Latin letter or digit of the text."""
    if not text:
        return text
    if before and han(before[-1]) and latin(text[0]):
        text = " " + text
    if after and han(after[0]) and latin(text[-1]):
        text = text + " "
    return text


def joined(*parts: str) -> str:
    """Parts of Chinese text joined, spaced where Chinese meets Latin: 平安汽车的 Lei Wang."""
    out = ""
    for i, part in enumerate(parts):
        after = parts[i + 1] if i + 1 < len(parts) else ""
        out += between(out, part, after) if out or after else part
    return out


@cache
def _pieces(message: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(string.Formatter().parse(message))


def spaced(message: str, named: Collection[str] = NAMED, /, **fields: Any) -> str:
    """message.format(**fields), with a space where a field of `named` (a product, a name)
    begins or ends with a Latin letter or digit next to a Chinese character of the message, or
    with a Chinese character next to a Latin run of the message (春节 [G20270206]: a key in
    ASCII brackets is one); none beside Chinese punctuation (（2月6日）[G20270206])."""
    out: list[str] = []
    pieces = _pieces(message)
    texts = [
        None if field is None else format(_value(fields, field, conversion), spec or "")
        for _literal, field, spec, conversion in pieces
    ]
    for i, (literal, field, _spec, _conversion) in enumerate(pieces):
        out.append(literal)
        text = texts[i]
        if text is None:
            continue
        if field in named:
            after = pieces[i + 1][0] if i + 1 < len(pieces) else ""
            text = between(literal, text, after)
            # what meets it, the next field's text too: the Latin run of 春节 [G20270206]
            following = after + ((texts[i + 1] or "") if i + 1 < len(pieces) else "")
            text = _apart("".join(out), text, following)
        out.append(text)
    return "".join(out)


def _apart(before: str, text: str, after: str) -> str:
    """A Chinese `text` set apart from a Latin run of the message on either side."""
    if text and after and han(text[-1]) and _opens_latin(after):
        text = text + " "
    if text and before and han(text[0]) and _closes_latin(before):
        text = " " + text
    return text


def _opens_latin(text: str) -> bool:
    """`text` begins with a Latin word or number, or with one in ASCII brackets: [G20270206]."""
    return latin(text[0]) or (text[0] in "[(" and len(text) > 1 and latin(text[1]))


def _closes_latin(text: str) -> bool:
    return latin(text[-1]) or (text[-1] in "])" and len(text) > 1 and latin(text[-2]))


def _value(fields: Mapping[str, Any], field: str, conversion: str | None) -> Any:
    value = fields[field]
    if conversion == "r":
        return repr(value)
    if conversion == "s":
        return str(value)
    return value
