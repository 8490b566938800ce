"""Message drafts (话术): a template per kind and language, filled from a customer's facts.

Templates are plain text files with `string.Template` fields, `${称呼}` or `${salutation}`
(see FIELDS); they cannot run code. Lines starting with `#` are comments. Each line is left
out when a field it uses has no value, so a template is written one sentence per line, and
the salutation line needs nothing but the salutation. A line ending in `\\` goes with the next
(a closing with the signature under it). `$$` is a dollar sign.

Defaults ship in kehu/ui/templates/<lang>/<kind>.txt; a user's copy in
<templates_dir>/<lang>/<kind>.txt wins over the default.
"""

import re
import string
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from kehu.base.errors import BadInput, system_reason
from kehu.base.i18n import _, ngettext
from kehu.rules.salutation import without_note
from kehu.rules.sms import sms_length

KINDS = (
    "thank-you",
    "call-back",
    "birthday",
    "holiday",
    "referral-thanks",
    "complaint-follow-up",
    "keep-in-touch",
    "promise-kept",
    "greeting",
    "prospect-follow-up",
    "order-follow-up",
)
CALL_SCRIPTS = ("call-back", "prospect-follow-up")  # read on the phone, not sent
LANGS = ("zh", "en")
CHANNELS = ("sms", "wechat", "call")
WECHAT_LINES = 8  # more than this is no longer "a few lines"

# Every field a template may use: English name → Chinese name. Both spellings work.
FIELDS: Mapping[str, str] = {
    "salutation": "称呼",  # the customer's form of address: 张总, Ms Wilson
    "name": "姓名",  # the customer's full name
    "product": "产品",
    "delivered": "交付日期",
    "occasion": "场合",  # the holiday or personal date: 中秋节, 农历生日
    "wish": "祝福",  # the wish that goes with the occasion (a greeting without one: a hello)
    "birthday": "生日",  # the date, in the calendar the customer keeps
    "detail": "细节",  # one specific thing from the profile or the last note
    "asked": "问起",  # a sentence asking after the detail, as suits a hobby, family or job
    "promise": "承诺",  # what was promised and is now done
    "sorry": "致歉",  # an apology for the wait, when a promise is kept after it was due
    "referred": "被推荐人",  # the friend the customer referred
    "issue": "问题",  # never filled: the note on a complaint is the salesperson's, not quoted
    "interest": "意向产品",  # what a prospect is interested in (the prospect card)
    "cares": "关注点",  # what a prospect cares about: price, fuel, space…
    "me": "我",  # the salesperson as introduced: 平安汽车的王磊, Lei Wang from Ping An
    "sender": "销售",  # the salesperson's name
    "company": "公司",
    "phone": "电话",  # the salesperson's phone
    "signature": "落款",  # name, company and phone on one line
}
# Former names, still read in templates written before.
_FORMER = {"交车日期": "delivered", "意向车型": "interest"}
_CANONICAL = {**{k: k for k in FIELDS}, **{v: k for k, v in FIELDS.items()}, **_FORMER}
_NEEDS = {"holiday": "occasion", "promise-kept": "promise"}
RELATIONSHIP_KINDS = ("birthday", "holiday", "keep-in-touch", "greeting")  # no business talk


@dataclass(frozen=True)
class LunarDay:
    month: int
    day: int
    leap: bool = False


@dataclass(frozen=True)
class Sender:
    """The salesperson, from settings."""

    name: str | None = None
    company: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class DraftFacts:
    """What a draft may say about one customer; None (or blank) where unknown."""

    salutation: str
    name: str | None = None
    product: str | None = None
    delivered: date | None = None
    occasion: str | None = None  # a code of OCCASIONS; a birthday draft finds its own
    birthday: date | None = None
    lunar_birthday: LunarDay | None = None  # when the customer keeps the lunar date
    detail: str | None = None
    topic: str | None = None  # what the detail is about: hobby, family, job; None: other
    promise: str | None = None
    promise_late: bool = False  # kept, or still open, after it was due
    referred: str | None = None
    interest: str | None = None
    cares: str | None = None
    sender: Sender = field(default_factory=Sender)


@dataclass(frozen=True)
class Draft:
    kind: str
    lang: str
    channel: str
    text: str
    length: int  # characters
    sms_segments: int
    warnings: tuple[str, ...]  # codes: "sms-split", "wechat-long"


@dataclass(frozen=True)
class DraftTemplate:
    name: str  # "zh/thank-you"
    lines: tuple[str, ...]  # as written, comments included, so line numbers stay true
    path: Path | None  # the user's copy, or None for the default


class BrokenTemplate(BadInput):
    """A user's template that cannot be used: not readable, an unknown field, a stray `$`."""

    def __init__(self, message: str, template: str):
        super().__init__(message)
        self.lang, _, self.kind = template.partition("/")


# A field typed on a Chinese keyboard, ＄｛称呼｝ or ${ｎａｍｅ｝: read as ${称呼}, ${name}, rather
# than sent to the customer as it stands (a `$$` before it stays a dollar sign).
_WIDE_FIELD = re.compile(r"(?<![$＄])[$＄][{｛]([^{}｛｝\n]*)[}｝]")


def _ascii_fields(text: str) -> str:
    return _WIDE_FIELD.sub(lambda m: "${" + unicodedata.normalize("NFKC", m.group(1)) + "}", text)


class _Pattern(string.Template):
    # ASCII names as string.Template has them, or a run of Chinese characters.
    idpattern = r"(?a:[_a-z][_a-z0-9]*|[\u3400-\u9fff]+)"


# Occasion names and wishes are message text in the customer's language (like the templates),
# not interface text, so they are not translated with _().
OCCASIONS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "zh": {
        "new-year": ("元旦", "元旦快乐！新的一年，祝您健康顺意。"),
        "new-years-eve": ("除夕", "除夕快乐！祝您和家人团团圆圆过大年。"),
        "spring-festival": ("春节", "新春快乐！给您拜年了，祝您阖家安康。"),
        "lantern": ("元宵节", "元宵节快乐！祝您阖家团圆，日子甜甜美美。"),
        "dragon-boat": ("端午节", "端午安康！祝您和家人平安健康。"),
        "qixi": ("七夕", "七夕快乐！祝您和爱人甜甜蜜蜜。"),
        "mid-autumn": ("中秋节", "中秋快乐！愿您和家人团圆美满。"),
        "national-day": ("国庆节", "国庆快乐！假期愉快，出行平安。"),
        "double-ninth": ("重阳节", "重阳安康！祝家里长辈健康长寿。"),
        "christmas": ("圣诞节", "圣诞快乐！祝您和家人节日愉快。"),
        "birthday": ("生日", "生日快乐！愿您新的一岁健康顺心。"),
        "lunar-birthday": ("农历生日", "生日快乐！愿您新的一岁健康顺心。"),
        "wedding": ("新婚", "新婚快乐！祝你们百年好合，幸福美满。"),
        "new-baby": ("喜添宝宝", "恭喜喜添宝宝！祝宝宝平安健康。"),
        "wedding-anniversary": ("结婚纪念日", "结婚纪念日快乐！祝您和爱人恩爱如初。"),
        "child-birthday": ("孩子生日", "祝孩子生日快乐，健健康康地长大！"),
        "company-anniversary": ("公司周年", "恭喜公司又满一年！祝事业蒸蒸日上。"),
    },
    "en": {
        "new-year": ("New Year", "Happy New Year! Have a great year ahead."),
        "new-years-eve": (
            "Chinese New Year's Eve",
            "Happy New Year's Eve! Enjoy the feast!",
        ),
        "spring-festival": (
            "Chinese New Year",
            "Happy Chinese New Year! Health and joy!",
        ),
        "lantern": ("Lantern Festival", "Happy Lantern Festival to you and yours!"),
        "dragon-boat": (
            "Dragon Boat Festival",
            "Happy Dragon Boat Festival! Stay well!",
        ),
        "qixi": ("Qixi Festival", "Happy Qixi to you and your loved one!"),
        "mid-autumn": (
            "Mid-Autumn Festival",
            "Happy Mid-Autumn Festival! Enjoy the moon.",
        ),
        "national-day": ("National Day", "Happy National Day! Travel safely!"),
        "double-ninth": (
            "Double Ninth Festival",
            "Happy Double Ninth! Health to your elders.",
        ),
        "christmas": ("Christmas", "Merry Christmas to you and your family!"),
        "birthday": ("birthday", "Happy birthday! Have a wonderful year ahead."),
        "lunar-birthday": ("lunar birthday", "Happy birthday! Have a wonderful year ahead."),
        "wedding": (
            "wedding",
            "Congratulations on your wedding! Much joy!",
        ),
        "new-baby": (
            "new baby",
            "Congratulations on your new baby!",
        ),
        "wedding-anniversary": (
            "wedding anniversary",
            "Happy anniversary! Many happy years ahead!",
        ),
        "child-birthday": (
            "child's birthday",
            "Happy birthday to your little one!",
        ),
        "company-anniversary": (
            "company anniversary",
            "Congrats on your company's anniversary!",
        ),
    },
}
OCCASION_CODES = tuple(OCCASIONS["en"])
# The wish for a holiday of `rules.holiday_country`, named in the draft's language
# where a Chinese name is known (ui.greetings.country_holiday_name).
_COUNTRY_HOLIDAY_WISH: Mapping[str, str] = {
    "zh": "祝您和家人{holiday}快乐！",
    "en": "Happy {holiday} to you and your family!",
}
# The occasion of a personal date that is not the customer's own birthday (kinds of
# rules/occasions), whose greeting carries that date's wish; an `other` date has none.
DATE_OCCASIONS: Mapping[str, str] = {
    "wedding": "wedding-anniversary",
    "child-birthday": "child-birthday",
    "company": "company-anniversary",
}

# A sentence asking after the detail (message text, as the templates): by what it is about.
_ASKED = {
    "zh": {
        "hobby": "记得您喜欢{detail}，最近还常有空吗？",
        "family": "记得您说过家里{detail}，大家都好吧？",
        "job": "上次您聊起工作（{detail}），最近还顺利吗？",
        "": "上次您聊起{detail}，后来怎么样了？",
    },
    "en": {
        "hobby": "You mentioned {detail}. Still finding time for it?",
        "family": "How is the family? I remember {detail}.",
        "job": "How is work going ({detail})?",
        "": "You mentioned {detail}. How did that turn out?",
    },
}
# The wish of a greeting that has no occasion: a plain hello.
_HELLO = {"zh": "想起您了，问候一声，祝您一切顺利！", "en": "Just saying hello, and all the best!"}
_SORRY = {"zh": "抱歉让您久等了。", "en": "Sorry for the wait."}
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
_LUNAR_MONTHS = "正二三四五六七八九十冬腊"
_CN_DIGITS = "一二三四五六七八九十"


# ---------------------------------------------------------------------------- templates


def default_text(kind: str, lang: str) -> str:
    """The shipped template, as a user would start editing it."""
    _check(kind, lang)
    source = resources.files("kehu.ui").joinpath("templates", lang, f"{kind}.txt")
    return source.read_text(encoding="utf-8")


def user_template_path(kind: str, lang: str, templates_dir: Path) -> Path:
    """Where a user's own copy of a template lives (it may not exist)."""
    _check(kind, lang)
    return templates_dir / lang / f"{kind}.txt"


def template_list(templates_dir: Path | None) -> list[tuple[str, str, bool]]:
    """(kind, lang, is_customised) for every template."""

    def customised(kind: str, lang: str) -> bool:
        return templates_dir is not None and user_template_path(kind, lang, templates_dir).is_file()

    return [(kind, lang, customised(kind, lang)) for kind in KINDS for lang in LANGS]


def load_template(kind: str, lang: str, templates_dir: Path | None = None) -> DraftTemplate:
    """The user's copy when there is one, else the default; checked before it is used."""
    _check(kind, lang)
    name = f"{lang}/{kind}"
    path = user_template_path(kind, lang, templates_dir) if templates_dir else None
    if path and path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise BrokenTemplate(
                _("template {template} is not UTF-8 text; save it as UTF-8").format(template=name),
                name,
            ) from None
        except OSError as e:
            raise BrokenTemplate(
                _("cannot read template {template} ({reason})").format(
                    template=name, reason=system_reason(e)
                ),
                name,
            ) from None
        text = _ascii_fields(text)
    else:
        path, text = None, default_text(kind, lang)
    template = DraftTemplate(name, tuple(text.splitlines()), path)
    check_template(template)
    return template


def check_template(template: DraftTemplate) -> None:
    """Refuse an unknown field or a stray `$`, naming the template, the line and the field."""
    for number, line in enumerate(template.lines, start=1):
        if _comment(line):
            continue
        for match in _Pattern.pattern.finditer(line):
            if match.group("invalid") is not None:
                near = line[match.start() : match.start() + 12]
                raise BrokenTemplate(
                    _(
                        "template {template}, line {line}: {text!r} is not a field; "
                        "write fields like {example} and a dollar sign as $$"
                    ).format(
                        template=template.name, line=number, text=near, example="${salutation}"
                    ),
                    template.name,
                )
            name = match.group("named") or match.group("braced")
            if name and name not in _CANONICAL:
                accepted = ", ".join(f"${{{k}}}/${{{v}}}" for k, v in FIELDS.items())
                message = _(
                    "template {template}, line {line}: unknown field {field}; accepted: {accepted}"
                )
                raise BrokenTemplate(
                    message.format(
                        template=template.name,
                        line=number,
                        field="${" + name + "}",
                        accepted=accepted,
                    ),
                    template.name,
                )


def fill(template: DraftTemplate, values: Mapping[str, str | None]) -> str:
    """The template's text with every field filled; a line whose field has no value is left
    out, and so are comments and the blank lines that would be left over. A line ending in
    a backslash goes with the next: both are kept or left out together."""
    present = {k: " ".join(v.split()) for k, v in values.items() if v and v.strip()}
    mapping = {alias: present[n] for alias, n in _CANONICAL.items() if n in present}
    kept: list[str] = []
    for lines in _joined(line for line in template.lines if not _comment(line)):
        names = [_CANONICAL[m.group("named") or m.group("braced")] for m in _fields(*lines)]
        if all(n in present for n in names):
            for line in lines:
                filled = _substitute(line, mapping).rstrip()
                if filled or (kept and kept[-1]):
                    kept.append(filled)
    return "\n".join(kept).strip("\n")


# The fields that put a product, a model or a name into the words around them: set apart by a
# space where Latin meets Chinese (感谢您选择 Golf！), as the screens set them (base/cjk.py).
_NAMED = frozenset({"salutation", "name", "product", "referred", "interest", "me", "sender",
                    "company"})  # fmt: skip


def _substitute(line: str, mapping: Mapping[str, str]) -> str:
    """string.Template's substitute, with a product or a name in Latin letters set apart from
    the Chinese characters of the line around it."""
    from kehu.base import cjk

    out: list[str] = []
    end = 0
    matches = list(_Pattern.pattern.finditer(line))
    for i, m in enumerate(matches):
        out.append(line[end : m.start()])
        name = m.group("named") or m.group("braced")
        if name is None:  # $$, or a $ that starts no field (check_template refused the rest)
            out.append(_Pattern(m.group(0)).substitute(mapping))
        elif _CANONICAL.get(name) in _NAMED:
            before = line[end : m.start()]
            after = line[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(line)]
            out.append(cjk.between(before, mapping[name], after))
        else:
            out.append(mapping[name])
        end = m.end()
    out.append(line[end:])
    return "".join(out)


def _joined(lines: Iterable[str]) -> Iterator[list[str]]:
    """The lines in groups: a line ending in a backslash is grouped with the next one."""
    group: list[str] = []
    for line in lines:
        if line.endswith("\\"):
            group.append(line[:-1])
            continue
        yield [*group, line]
        group = []
    if group:
        yield group


def _fields(*lines: str) -> list[re.Match[str]]:
    return [
        m
        for line in lines
        for m in _Pattern.pattern.finditer(line)
        if m.group("named") or m.group("braced")
    ]


def _comment(line: str) -> bool:
    return line.startswith("#")


def _check(kind: str, lang: str) -> None:
    if kind not in KINDS:
        raise BadInput(
            _("unknown draft kind {kind!r}; accepted: {accepted}").format(
                kind=kind, accepted=", ".join(KINDS)
            )
        )
    if lang not in LANGS:
        raise BadInput(
            _("unknown language {lang!r}; accepted: {accepted}").format(
                lang=lang, accepted=", ".join(LANGS)
            )
        )


# ---------------------------------------------------------------------------- drafts


def render_draft(
    kind: str,
    lang: str,
    facts: DraftFacts,
    templates_dir: Path | None = None,
    *,
    channel: str | None = None,
) -> Draft:
    """The draft of `kind` in `lang` for these facts. A call-back or a prospect's follow-up is a
    call script (channel "call"); other drafts are measured as an SMS unless the channel says
    otherwise."""
    template = load_template(kind, lang, templates_dir)
    channel = channel or ("call" if kind in CALL_SCRIPTS else "sms")
    if channel not in CHANNELS:
        raise BadInput(
            _("unknown channel {channel!r}; accepted: {accepted}").format(
                channel=channel, accepted=", ".join(CHANNELS)
            )
        )
    values = field_values(kind, lang, facts)
    needed = _NEEDS.get(kind)
    if needed and not values.get(needed):
        raise BadInput(_missing(kind, needed))
    text = fill(template, values)
    sms = sms_length(text)
    warnings = []
    if channel == "sms" and sms.segments > 1:
        warnings.append("sms-split")
    if channel == "wechat" and text.count("\n") + 1 > WECHAT_LINES:
        warnings.append("wechat-long")
    return Draft(kind, lang, channel, text, len(text), sms.segments, tuple(warnings))


def field_values(kind: str, lang: str, facts: DraftFacts) -> dict[str, str | None]:
    """Every field's text for these facts, in the customer's language (None: no value)."""
    occasion = facts.occasion
    if kind == "birthday":
        occasion = "lunar-birthday" if facts.lunar_birthday else "birthday"
    named = OCCASIONS[lang].get(occasion) if occasion else None
    if named is None and occasion and ":" in occasion:  # another country's: "US:Thanksgiving Day"
        from kehu.ui.greetings import country_holiday_name

        holiday = country_holiday_name(occasion, lang)
        named = (holiday, _COUNTRY_HOLIDAY_WISH[lang].format(holiday=holiday))
    sender = facts.sender
    return {
        "salutation": _text(facts.salutation) or _text(facts.name),
        "name": _text(facts.name),
        "product": _text(facts.product),
        "delivered": prose_date(facts.delivered, lang) if facts.delivered else None,
        "occasion": named[0] if named else _text(occasion),
        "wish": named[1] if named else _HELLO[lang] if kind == "greeting" else None,
        "birthday": birthday_text(facts, lang),
        "detail": _text(facts.detail),
        "asked": _asked(facts, lang),
        "promise": _text(facts.promise),
        "sorry": _SORRY[lang] if kind == "promise-kept" and facts.promise_late else None,
        "referred": without_note(referred) if (referred := _text(facts.referred)) else None,
        "issue": None,
        "interest": _text(facts.interest),
        "cares": _text(facts.cares),
        "me": _introduction(sender, lang),
        "sender": _text(sender.name),
        "company": _text(sender.company),
        "phone": _text(sender.phone),
        "signature": signature(sender, lang),
    }


def _asked(facts: DraftFacts, lang: str) -> str | None:
    """The detail in a sentence that asks after it as suits what it is about."""
    detail = _text(facts.detail)
    return _ASKED[lang][facts.topic or ""].format(detail=detail) if detail else None


def _missing(kind: str, needed: str) -> str:
    if needed == "occasion":
        return _("a holiday draft needs the holiday; accepted: {accepted}").format(
            accepted=", ".join(OCCASION_CODES)
        )
    return _(
        "a promise-kept draft needs a promise, and this customer has none; `kehu promise "
        "CUSTOMER TEXT --due WHEN` records one"
    )


def signature(sender: Sender, lang: str) -> str | None:
    parts = [_text(p) for p in (sender.name, sender.company, sender.phone)]
    if lang == "zh":  # 平安汽车 王磊 138 0013 8000
        parts = [parts[1], parts[0], parts[2]]
        return " ".join(p for p in parts if p) or None
    return ", ".join(p for p in parts if p) or None


def _introduction(sender: Sender, lang: str) -> str | None:
    name, company = _text(sender.name), _text(sender.company)
    if name and company:
        if lang == "zh":
            from kehu.base import cjk

            return cjk.joined(company, "的", name)  # 平安汽车的王磊, 平安汽车的 Lei Wang
        return f"{name} from {company}"
    return name or company


def prose_date(day: date, lang: str, *, year: bool = True) -> str:
    """A date as a message writes it: 2026年3月5日, 5 March 2026."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"
    text = f"{day.day} {_EN_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def lunar_text(day: LunarDay, lang: str) -> str:
    """农历八月十五 / the 15th day of the 8th lunar month."""
    if lang == "zh":
        month = ("闰" if day.leap else "") + _LUNAR_MONTHS[day.month - 1] + "月"
        return f"农历{month}{_lunar_day(day.day)}"
    leap = "leap " if day.leap else ""
    return f"the {_ordinal(day.day)} day of the {leap}{_ordinal(day.month)} lunar month"


def birthday_text(facts: DraftFacts, lang: str) -> str | None:
    """The birthday in the calendar the customer keeps (lunar when known), without a year."""
    if facts.lunar_birthday:
        return lunar_text(facts.lunar_birthday, lang)
    return prose_date(facts.birthday, lang, year=False) if facts.birthday else None


def _lunar_day(n: int) -> str:
    if n <= 10:
        return "初" + _CN_DIGITS[n - 1]
    if n < 20:
        return "十" + _CN_DIGITS[n - 11]
    if n == 20:
        return "二十"
    if n < 30:
        return "廿" + _CN_DIGITS[n - 21]
    return "三十"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _text(value: str | None) -> str | None:
    """One line of text, or None when there is nothing to say."""
    if not value:
        return None
    return " ".join(value.split()) or None


# ---------------------------------------------------------------------------- wording


def broken_text(broken: BrokenTemplate) -> str:
    """What an item shows instead of the draft its broken template cannot write."""
    return _(
        "template {template} is broken: fix it with `kehu template edit {kind} --lang {lang}`, "
        "or go back to the default with `kehu template reset {kind} --lang {lang}`"
    ).format(template=f"{broken.lang}/{broken.kind}", kind=broken.kind, lang=broken.lang)


def length_text(draft: Draft) -> str:
    """ "58 characters, 1 SMS" as `kehu draft` shows it under the text."""
    characters = ngettext("{n} character", "{n} characters", draft.length).format(n=draft.length)
    if draft.channel != "sms":
        return characters
    messages = ngettext("{n} SMS", "{n} SMS", draft.sms_segments).format(n=draft.sms_segments)
    return _("{characters}, {messages}").format(characters=characters, messages=messages)


def warning_text(code: str, draft: Draft) -> str:
    if code == "sms-split":
        return _("this text would be sent as {n} SMS; shorten it to send one").format(
            n=draft.sms_segments
        )
    if code == "wechat-long":
        return _("this is more than a few lines for WeChat; consider shortening it")
    return code
