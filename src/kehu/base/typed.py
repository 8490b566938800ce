"""Turning what users type into checked values, with one-line errors that say what is accepted."""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from kehu.base import cjk, i18n
from kehu.base.clock import FIRST_YEAR as FIRST_YEAR
from kehu.base.clock import LAST_YEAR as LAST_YEAR
from kehu.base.errors import BadInput
from kehu.base.i18n import _

UNKNOWN_YEAR = 1904  # a leap year, so 02-29 birthdays without a year can be stored
# The longest text a column takes (String(n) in models.py): PostgreSQL refuses more.
LONGEST = {
    "name": 200, "phone": 40, "email": 200, "wechat": 100, "company": 200, "title": 100,
    "address": 400, "product": 400, "key": 100, "owner": 100, "salutation": 40,
}  # fmt: skip

# The fields of an input's error that name what was typed: an option (--via), its name in words
# (联系方式（--via）, 等级) or a column; set apart from the Chinese around them where Latin.
WHAT = ("what",)
OPTION = ("option",)


# Full-width ASCII (U+FF01-U+FF5E) and the ideographic space, as a Chinese input method types
# them, to ASCII: NFKC's mapping for them, without turning ¹ or ① into digits.
HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def half_width(value: str) -> str:
    """ "１３８ ００" -> "138 00", "＃１２" -> "#12"."""
    return value.translate(HALF_WIDTH)


def listed(value: str) -> list[str]:
    """The items of a list as typed: "1,3,6", or as a Chinese keyboard types it: "１，３，６",
    "中秋、春节"."""
    return half_width(value).replace("、", ",").split(",")


def choice(
    value: str, accepted: Sequence[str], option: str, *, synonyms: Mapping[str, str] | None = None
) -> str:
    """The code in `accepted` that `value` names, itself or through `synonyms` (other words for
    a code, such as 微信 for wechat). Full-width letters read as ASCII; case does not matter."""
    typed = unicodedata.normalize("NFKC", value).strip().lower()
    for word in accepted:
        if typed == word.lower():
            return word
    for word, code in (synonyms or {}).items():
        if typed == unicodedata.normalize("NFKC", word).lower():
            return code
    # Besides the codes, the Chinese interface names the Chinese words, the English one the
    # English words (phone for call).
    chinese = i18n.language() == "zh"
    words = [*accepted, *(w for w in synonyms or {} if w.isascii() != chinese)]
    raise BadInput(
        cjk.spaced(
            _("unknown {option} {value}; accepted: {words}"),
            OPTION,
            option=option,
            value=repr(value),
            words=_(", ").join(words),
        )
    )


def text(
    value: str | None, what: str, *, required: bool = False, longest: int | None = None
) -> str | None:
    if value is None:
        if required:
            raise BadInput(cjk.spaced(_("{what} is missing"), WHAT, what=what))
        return None
    cleaned = value.strip()
    if required and not cleaned:
        raise BadInput(cjk.spaced(_("{what} is empty; give some text"), WHAT, what=what))
    if "\x00" in cleaned:
        raise BadInput(
            cjk.spaced(
                _("{what} contains a NUL character, which cannot be stored"), WHAT, what=what
            )
        )
    if longest is not None and len(cleaned) > longest:
        raise BadInput(
            cjk.spaced(
                _("{what} is too long ({count} characters); give at most {longest}"),
                WHAT,
                what=what,
                count=len(cleaned),
                longest=longest,
            )
        )
    return cleaned or None


# A phone with words after it, as people note who answers it: 13800138000（微信同号）,
# 138 0013 8000 (wife), 13800138000 老婆的: the number (7 digits or more, nothing but digits,
# spaces, + - .) and the words, in brackets, after a space, or straight after the number when
# they are not ASCII. Letters run into the number (1-800-FLOWERS) and a capitalised tail after a
# space (1 800 356 FLOWERS) are a vanity number's, not words: left whole.
_PHONE_AND_WORDS = re.compile(
    r"(?P<number>\+?\d[\d \-.]*\d)(?:\s*[(\[【](?P<bracketed>[^()\[\]【】]*)[)\]】]|"
    r"(?P<space>\s+)(?P<words>\S.*)|(?P<joined>[^\x00-\x7f].*))",
    re.DOTALL,
)
_VANITY = re.compile(r"[A-Z0-9\-]+", re.ASCII)


def phone_and_note(value: str) -> tuple[str, str | None]:
    """A phone as typed, half-width, and the words after its number, if any:
    '13800138000（微信同号）' is ('13800138000', '微信同号'); '1-800-FLOWERS' stays whole."""
    phone = half_width(value).strip()
    m = _PHONE_AND_WORDS.fullmatch(phone)
    if m is None or sum(ch.isdigit() for ch in m["number"]) < 7:
        return phone, None
    note = (m["bracketed"] or m["words"] or m["joined"] or "").strip()
    if not any(ch.isalpha() for ch in note) or (m["words"] and _VANITY.fullmatch(note)):
        return phone, None
    return m["number"], note


def email(value: str | None, what: str) -> str | None:
    """An email address as text() cleaned it (full-width ＠ read as @): one @, something on
    both sides, a dot inside the domain, no spaces. The address itself is not repeated."""
    if not value:
        return value
    value = half_width(value)
    local, at, domain = value.partition("@")
    if not (at and local and "@" not in domain and "." in domain.strip(".")) or any(
        c.isspace() for c in value
    ):
        raise BadInput(
            cjk.spaced(_("{what} is not an email address; accepted: one @ with a name before it "
                         "and a domain with a dot after it, like name@example.com"), WHAT,
                       what=what)
        )  # fmt: skip
    return value


def present_name(value: str | None, *, editing: bool) -> str:
    """A customer's name, already cleaned by text(): it may not be empty."""
    if not value:
        raise BadInput(
            _("the name cannot be empty")
            if editing
            else _("the name is empty; give the customer's name")
        )
    return value


def amount(value: str | None, *, quoted: bool = True) -> Decimal | None:
    """A sum as people write it: 158000, 158,000.50, ￥158,000, RMB 158000, 人民币158000,
    158000元, 15.8万 (15.8w), 1.5k (1.5千); full-width digits and signs read as ASCII. Not
    `quoted`, an error does not show the value (a file's cell: a customer's figure)."""
    if value is None:
        return None
    # NFKC: full-width digits, commas and ￥ from a Chinese keyboard become 0-9, "," and ¥.
    raw = value if value.isascii() else unicodedata.normalize("NFKC", value)
    raw = raw.strip().replace(",", "").replace("_", "")
    sign, raw = (raw[0], raw[1:].lstrip()) if raw[:1] in ("+", "-") else ("", raw)
    for currency in ("¥", "rmb", "cny", "人民币"):
        if raw.lower().startswith(currency):
            raw = raw[len(currency) :].lstrip()
    raw = raw.removesuffix("元").removesuffix("块").rstrip()
    scale = Decimal(1)
    if raw.endswith("万") or raw.lower().endswith("w"):  # 15.8w: 万 as typed in chats
        raw, scale = raw[:-1], Decimal(10000)
    elif raw.endswith("千") or raw.lower().endswith("k"):
        raw, scale = raw[:-1], Decimal(1000)
    try:
        number = Decimal(sign + raw) * scale
    except ArithmeticError:  # InvalidOperation, or Overflow for 1e999999999
        number = Decimal("NaN")
    if not number.is_finite():
        if not quoted:
            raise BadInput(_("can't read the amount; accepted: 158000, 158,000.50, 15.8万"))
        raise BadInput(
            _("can't read the amount {value}; accepted: 158000, 158,000.50, 15.8万").format(
                value=repr(value)
            )
        )
    if number < 0:
        if not quoted:
            raise BadInput(_("the amount is negative; give 0 or more"))
        raise BadInput(
            _("the amount {value} is negative; give 0 or more").format(value=repr(value))
        )
    too_large = BadInput(
        _("the amount {value} is too large; at most 999,999,999,999.99").format(value=repr(value))
        if quoted
        else _("the amount is too large; at most 999,999,999,999.99")
    )
    if number >= Decimal("1e12"):  # 1E100 cannot even be rounded to cents
        raise too_large
    number = number.copy_abs().quantize(Decimal("0.01"))  # "-0" is 0.00, not -0.00
    if number >= Decimal("1e12"):  # after rounding: 999999999999.999 is 1,000,000,000,000.00
        raise too_large
    return number


_CHINESE_DAY = re.compile(r"(?:(\d{4}|\d{2})年)?(\d{1,2})月(\d{1,2})[日号]?")
_TWO_DIGIT_YEAR = re.compile(r"(\d{2})-(\d{1,2})-(\d{1,2})", re.ASCII)


def birthday(value: str | None, today: date | None = None) -> date | None:
    """YYYY-MM-DD (or YYYY-M-D, 1985/3/15, 1985.3.15, 1985年3月15日), or MM-DD (3/15, 3.15,
    3月15日) when the year is not known. A two-digit year (85-3-5, 85年3月5日) is of the 1900s
    when the same year of the 2000s is still to come on `today`; when both have come (05-3-5:
    1905 or 2005?) it is refused, naming the two."""
    if value is None or not value.strip():
        return None
    raw = _dashed(value)
    if short := _TWO_DIGIT_YEAR.fullmatch(raw):
        raw = _century(value, short, today)
    try:
        if raw.count("-") == 1:
            month, number = (int(p) for p in raw.split("-"))
            return date(UNKNOWN_YEAR, month, number)
        if raw.count("-") == 2 and len(raw.partition("-")[0]) == 4:  # 1985-3-5 too
            year, month, number = (int(p) for p in raw.split("-"))
            day = date(year, month, number)
        else:
            day = date.fromisoformat(raw)
    except ValueError:
        from kehu.base.occasion_input import written_lunar

        if written_lunar(value):
            raise BadInput(
                _(
                    "the birthday {value} is a lunar date and this birthday is solar; accepted: "
                    "1985-03-15, 1985年3月15日, or 03-15, 3月15日 without a year; for a lunar "
                    "birthday: kehu date add NAME birthday 农历1985年八月十五"
                ).format(value=repr(value))
            ) from None
        raise BadInput(
            _(
                "can't read the birthday {value}; accepted: 1985-03-15, 1985年3月15日, "
                "or 03-15, 3月15日 without a year"
            ).format(value=repr(value))
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadInput(
            _("the birthday {value} is out of range; accepted: years {first} to {last}").format(
                value=repr(value), first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return day


def _dashed(value: str) -> str:
    """A birthday as written, its parts between dashes: 3/15, 3.15 and 3月15日 are 3-15."""
    raw = half_width(value).strip().replace("/", "-").replace(".", "-")  # 3/15, 3.15: 03-15
    if written := _CHINESE_DAY.fullmatch(raw.replace(" ", "")):  # 1985年3月15日, 3月15日
        raw = "-".join(part for part in written.groups() if part)
    return raw


def two_digit_year(value: str) -> bool:
    """Whether a birthday is written with a two-digit year: 85-3-5, 85/3/5, 85年3月5日."""
    return _TWO_DIGIT_YEAR.fullmatch(_dashed(value)) is not None


def birthday_century(value: str, today: date) -> date | tuple[date, date] | None:
    """A birthday with a two-digit year (85-3-5) as `birthday()` reads it: the day in the
    1900s when the same day of the 2000s is still to come on `today`; both days when both have
    come (05-3-5: 1905 or 2005?); None when it is not such a birthday, or no such day."""
    if not (short := _TWO_DIGIT_YEAR.fullmatch(_dashed(value))):
        return None
    year, month, number = (int(part) for part in short.groups())
    try:
        later = date(2000 + year, month, number)
        earlier = date(1900 + year, month, number)
    except ValueError:
        return None
    return earlier if later > today else (earlier, later)


def _century(value: str, short: re.Match[str], today: date | None) -> str:
    """85-3-5 as 1985-3-5: the one century whose day has come by `today` (2085 has not)."""
    year, month, number = (int(part) for part in short.groups())
    try:
        later = date(2000 + year, month, number)
        earlier = date(1900 + year, month, number)
    except ValueError:
        return short.group()  # no such day: refused below as any unreadable birthday
    if today is not None and isinstance(found := birthday_century(value, today), date):
        return found.isoformat()
    raise BadInput(
        _(
            "can't tell the century of the birthday {value}: {earlier} or {later}; accepted: "
            "the year in full, like {later}"
        ).format(value=repr(value), earlier=earlier.isoformat(), later=later.isoformat())
    )


def past_birthday(day: date | None, today: date) -> None:
    """A customer's birthday with its year is a day that has come, from 1900 on: refused when
    after today or before 1900."""
    if day is not None and day.year < FIRST_YEAR:
        raise BadInput(
            _(
                "a birthday cannot be before {first}; accepted: a date from {first}-01-01 to "
                "{today}, or 03-15 without the year"
            ).format(first=FIRST_YEAR, today=today.isoformat())
        )
    if day is not None and day > today:
        raise BadInput(
            _(
                "a birthday cannot be after today; accepted: a date up to {today}, or 03-15 "
                "without the year"
            ).format(today=today.isoformat())
        )


def show_birthday(value: date | None) -> str:
    if value is None:
        return ""
    return value.strftime("%m-%d") if value.year == UNKNOWN_YEAR else value.isoformat()


def pairs(values: Sequence[str], option: str) -> list[tuple[str, str]]:
    result = []
    for item in values:
        # The first = or full-width ＝ (a Chinese keyboard's) divides; both key and value stay
        # as typed.
        cut = min((i for i in (item.find("="), item.find("＝")) if i >= 0), default=-1)
        key, sep, val = (item[:cut], "=", item[cut + 1 :]) if cut >= 0 else (item, "", "")
        if not sep or not key.strip():
            raise BadInput(
                cjk.spaced(
                    _("{option} takes key=value, like {option} hobbies=fishing; got {item}"),
                    OPTION,
                    option=option,
                    item=repr(item),
                )
            )
        text(key, cjk.spaced(_("the {option} key"), OPTION, option=option), longest=LONGEST["key"])
        result.append((key.strip(), val.strip()))
    return result


def when(text_value: str, now: datetime, how: str) -> datetime:
    """A WHEN typed by the user: how is 'event' (past), 'day-event' (past, a date alone kept
    as the start of that day, not given the current time), 'day-near' (as 'day-event', but a
    day without its year or month is the nearest one, past or future: a delivery), 'due' (end
    of a day) or 'start'."""
    from kehu.base import dates

    try:
        parsed = dates.parse_when(
            text_value,
            now,
            past=how in ("event", "day-event", "day-near"),
            nearest=how == "day-near",
        )
    except dates.DateParseError as e:
        raise BadInput(str(e)) from None
    tz = now.tzinfo
    assert tz is not None
    if how == "due":
        return dates.at_end(parsed, tz)
    if how in ("start", "day-event", "day-near"):
        return dates.at_start(parsed, tz)
    return dates.at_event(parsed, now)


def item_id(value: str, letter: str, what: str) -> int:
    raw = half_width(value).strip().upper().removeprefix(letter).removeprefix("#")
    if not raw.isdecimal() or len(raw) > 12:  # not isdigit: int("¹") fails
        raise BadInput(
            _("{value} is not a {what} id; accepted: a number like 12 or {letter}12").format(
                value=repr(value), what=what, letter=letter
            )
        )
    return int(raw)
