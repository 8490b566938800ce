"""Holidays in words: their names in the interface's language, and `kehu greet`'s list."""

import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from kehu.base.i18n import _, language, ngettext
from kehu.rules.greetings import typed_name
from kehu.ui import dates, tables


def holiday_name(code: str) -> str:
    """中秋节 / Mid-Autumn Festival; another country's holiday in the interface's language
    where a Chinese name is known (country_holiday_name), else by the name it came with."""
    names = {
        "new-year": _("New Year's Day"), "new-years-eve": _("Chinese New Year's Eve"),
        "spring-festival": _("Spring Festival"), "lantern": _("Lantern Festival"),
        "dragon-boat": _("Dragon Boat Festival"), "qixi": _("Qixi Festival"),
        "mid-autumn": _("Mid-Autumn Festival"), "double-ninth": _("Double Ninth Festival"),
        "national-day": _("National Day"),
    }  # fmt: skip
    if code in names:
        return names[code]
    return country_holiday_name(code, language()) if ":" in code else code


def country_holiday_name(code: str, lang: str) -> str:
    """Another country's holiday ("US:Thanksgiving Day") by name in `lang` ("zh" or "en"): in
    Chinese the `holidays` package's own Chinese name where it has one (Hong Kong, Macao,
    Taiwan, Russia), else a common one (感恩节, 圣诞节), else the English name it came with."""
    country, _sep, name = code.partition(":")
    if lang != "zh":
        return name
    return _package_chinese(country.upper()).get(name) or _CHINESE.get(name) or name


def country_holiday_named(text: str, today: date, rules: Any) -> tuple[str, date] | None:
    """Another country's holiday (`rules.holiday_country`) typed by a name kehu words it by,
    in Chinese (感恩节, 圣诞, full width or not) or English (any case), and its next day within
    a year; None when it names none."""
    from kehu.rules.greetings import upcoming

    def folded(name: str) -> str:
        return "".join(unicodedata.normalize("NFKC", name).lower().split())

    typed = folded(text)
    if not typed:
        return None
    for day, code in upcoming(today, 366, rules):
        if ":" not in code:
            continue
        names = {folded(country_holiday_name(code, lang)) for lang in ("zh", "en")}
        if typed in names or typed in {n.removesuffix("节") for n in names if len(n) > 2}:
            return code, day
    return None


def country_holidays_accepted(today: date, rules: Any) -> list[str]:
    """What to type for each of the country's holidays of the coming year, for the one line
    that says what `kehu greet` accepts: thanksgiving-day, and in Chinese its name too
    (thanksgiving-day (感恩节))."""
    from kehu.rules.greetings import upcoming

    found: dict[str, str] = {}
    for _day, code in upcoming(today, 366, rules):
        if ":" in code:
            name, said = typed_name(code), country_holiday_name(code, language())
            found.setdefault(name, name if said.lower() == code.partition(":")[2].lower()
                             else f"{name} ({said})")  # fmt: skip
    return list(found.values())


@lru_cache(maxsize=8)
def _package_chinese(country: str) -> dict[str, str]:
    """English name → the `holidays` package's zh_CN name, for a country it has in Chinese: its
    catalogs map the country's own names to both (e.g. 重阳节 → Chung Yeung Festival)."""
    import gettext
    from pathlib import Path

    import holidays

    folder = Path(holidays.__file__).parent / "locale"
    catalogs = []
    for lang in ("en_US", "zh_CN"):
        try:
            with (folder / lang / "LC_MESSAGES" / f"{country}.mo").open("rb") as file:
                catalogs.append(gettext.GNUTranslations(file))
        except (OSError, ValueError):
            return {}
    english, chinese = catalogs
    found: dict[str, str] = {}
    for own in english._catalog:  # type: ignore[attr-defined]
        if not isinstance(own, str) or not own or "%" in own or "{" in own:
            continue
        said, zh = english.gettext(own), chinese.gettext(own)
        if said != own and (zh != own or country in {"HK", "MO", "TW"}):
            found.setdefault(said, zh)
    return found


# The Chinese names of the main holidays of the countries customers most often keep, by the
# English name the `holidays` package gives them (a country it has in Chinese uses its own).
_CHINESE = {
    "New Year's Day": "元旦", "New Year's Eve": "跨年夜", "Christmas Day": "圣诞节",
    "Christmas Eve": "平安夜", "Second Day of Christmas": "圣诞节次日", "Boxing Day": "节礼日",
    "Saint Stephen's Day": "圣斯德望日", "Thanksgiving Day": "感恩节", "Thanksgiving": "感恩节",
    "Easter Sunday": "复活节", "Easter Monday": "复活节星期一", "Ascension Day": "耶稣升天节",
    "Whit Monday": "圣灵降临节星期一", "Pentecost Monday": "圣灵降临节星期一",
    "Assumption Day": "圣母升天节", "Assumption Of Mary Day": "圣母升天节",
    "All Saints' Day": "诸圣节", "Epiphany": "主显节", "Immaculate Conception": "圣母无染原罪节",
    "Independence Day": "独立日", "Labor Day": "劳动节", "Labour Day": "劳动节",
    "National Labor Day": "劳动节", "May Day": "劳动节", "National Day": "国庆日",
    "Martin Luther King Jr. Day": "马丁·路德·金纪念日", "Washington's Birthday": "华盛顿诞辰纪念日",
    "Columbus Day": "哥伦布日", "Veterans Day": "退伍军人节",
    "Juneteenth National Independence Day": "六月节", "German Unity Day": "德国统一日",
    "Canada Day": "加拿大国庆日", "Victoria Day": "维多利亚日", "Australia Day": "澳大利亚国庆日",
    "Anzac Day": "澳新军团日", "ANZAC Day": "澳新军团日", "Waitangi Day": "怀唐伊日",
    "King's Birthday": "国王诞辰", "Early May Bank Holiday": "五月初银行假日",
    "Spring Bank Holiday": "春季银行假日", "Summer Bank Holiday": "夏季银行假日",
    "Eid al-Fitr": "开斋节", "Hari Raya Puasa": "开斋节", "Eid al-Adha": "宰牲节",
    "Hari Raya Haji": "哈芝节", "Deepavali": "屠妖节", "Diwali": "排灯节", "Vesak Day": "卫塞节",
    "Malaysia Day": "马来西亚日", "Korean New Year": "韩国春节", "Chuseok": "中秋节",
    "Children's Day": "儿童节", "Constitution Day": "宪法纪念日", "Showa Day": "昭和之日",
    "Coming of Age Day": "成人之日", "Respect for the Aged Day": "敬老之日",
    "Songkran Festival": "泼水节",
}  # fmt: skip


def holiday_names(codes: Sequence[str]) -> str:
    return _(", ").join(holiday_name(code) for code in codes)


def coming(codes: Sequence[str], day: date, today: date) -> str:
    """'National Day today', 'National Day tomorrow', 'National Day in 3 days (25 Sep)'."""
    holiday = holiday_names(codes)
    offset = (day - today).days
    if offset <= 0:
        return _("{holiday} today").format(holiday=holiday)
    if offset == 1:
        return _("{holiday} tomorrow").format(holiday=holiday)
    return ngettext("{holiday} in {n} day ({day})", "{holiday} in {n} days ({day})", offset).format(
        holiday=holiday, n=offset, day=dates.day(day, today)
    )


def reason(params: Any, today: date) -> str:
    return _("{coming} — send a greeting").format(
        coming=coming(params["holidays"], params["day"], today)
    )


def group_reason(params: Any, today: date, owner: str | None = None) -> str:
    """Why a grouped greeting is listed, and the command that lists its customers; with
    `owner` (on a colleague's or everyone's list), the command names whose they are."""
    n = params["count"]
    said = {
        "coming": coming(params["holidays"], params["day"], today), "n": n,
        "code": typed_name(params["holidays"][0]),
    }  # fmt: skip
    if owner is not None:
        return ngettext(
            "{coming}: greet {n} customer — `kehu greet {code} --owner {owner}` lists them",
            "{coming}: greet {n} customers — `kehu greet {code} --owner {owner}` lists them",
            n,
        ).format(owner=_typed_owner(owner), **said)
    return ngettext(
        "{coming}: greet {n} customer — `kehu greet {code}` lists them",
        "{coming}: greet {n} customers — `kehu greet {code}` lists them",
        n,
    ).format(**said)


def _typed_owner(owner: str) -> str:
    """An owner's name as typed after --owner: quoted for the shell unless it is one word."""
    import shlex

    if owner and all(ch.isalnum() or ch in "-_.@" for ch in owner):
        return owner
    return shlex.quote(tables.clean(owner))


def group_who(params: Any) -> str:
    """What the name column of a grouped greeting shows."""
    n = params["count"]
    return ngettext("{n} customer", "{n} customers", n).format(n=n)


def print_greetees(
    key: str, codes: Sequence[str], day: date, today: date, people: Sequence[Any],
    points: dict[int, str], *, with_owner: bool = False,
) -> None:  # fmt: skip
    """`kehu greet`'s list; with_owner (everyone's, `--all`): whose customer each is."""
    to_greet = sum(1 for p in people if not p.greeted)
    from kehu.base import cjk

    # 春节还有 85 天（2027年2月6日）[G20270206], 明天是春节 [G20270206]
    print(cjk.spaced(_("{coming} [{key}]: {left} of {n} to greet"), {"coming"},
                     coming=coming(codes, day, today), key=key, left=to_greet,
                     n=len(people)))  # fmt: skip
    if not people:
        return
    rows = [
        [
            tables.clean(p.name),
            *([tables.clean(p.owner)] if with_owner else []),
            p.phone or _("(no phone)"),
            p.tier,
            _("greeted") if p.greeted else "",
            tables.clean(points.get(p.id, "")),
        ]  # fmt: skip
        for p in people
    ]
    owner = [_("owner")] if with_owner else []
    tables.table([_("name"), *owner, _("phone"), _("tier"), _("greeted"), _("talk")], rows)


def nobody_to_greet(customers: int, rest_days: int) -> str:
    """Why `kehu greet` lists no one: no customers, or each of them left out (README, Holiday
    greetings): reached lately (rules.rest_days), snoozed, opted out, a prospect never sold to."""
    if not customers:
        return _("Nobody to greet: no customers yet (`kehu add` adds one).")
    if rest_days:
        return ngettext(
            "Nobody to greet: the customer was reached in the last {days} days "
            "(rules.rest_days), is snoozed, has opted out (greetings=no) or is a prospect never "
            "sold to.",
            "Nobody to greet: each of the {n} customers was reached in the last {days} days "
            "(rules.rest_days), is snoozed, has opted out (greetings=no) or is a prospect never "
            "sold to.",
            customers,
        ).format(n=customers, days=rest_days)
    return ngettext(
        "Nobody to greet: the customer is snoozed, has opted out (greetings=no) or is a "
        "prospect never sold to.",
        "Nobody to greet: each of the {n} customers is snoozed, has opted out (greetings=no) "
        "or is a prospect never sold to.",
        customers,
    ).format(n=customers)


def print_greeted(key: str, greeted: Sequence[Any], before: Sequence[Any]) -> None:
    """What `kehu done G…` did."""
    if not greeted and not before:
        print(_("{key} is already done: everyone it counts is greeted. Nothing changed.").format(
            key=key
        ))  # fmt: skip
        return
    print(
        ngettext(
            "Done {key}: logged a greeting with {n} customer.",
            "Done {key}: logged a greeting with {n} customers.",
            len(greeted),
        ).format(key=key, n=len(greeted))
    )
    if before:
        names = _(", ").join(tables.clean(p.name) for p in before)
        print(_("Greeted already, nothing logged: {names}").format(names=names))
