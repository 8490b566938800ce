"""The user's settings: one table of what can be set (key, type, default, range, one line of
help), and a TOML file in the config folder holding what the user changed."""

import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kehu.base import paths, typed
from kehu.base.errors import BadInput, system_reason
from kehu.base.i18n import N_, _

Value = str | int | tuple[int, ...]


class Setting(NamedTuple):
    key: str  # as the user writes it: `kehu config KEY`, and "[rules] name" in the file
    type: type  # str, int, or tuple (of whole numbers)
    default: Value
    least: int | None  # the smallest number accepted (each number, for a list)
    help: str  # one line, in English; worded through _() when shown
    most: int | None = None  # the largest number accepted (each number, for a list)
    choices: tuple[str, ...] = ()  # a text setting that takes only these words


# The largest value of a rule, by its unit: ten years, whatever it counts in.
_MOST_BY_UNIT = {"_hours": 87600, "_days": 3650, "_months": 120}


def _rule(
    name: str, default: int | tuple[int, ...], help: str, least: int = 0, most: int = 0
) -> Setting:
    kind = tuple if isinstance(default, tuple) else int
    most = most or next(n for unit, n in _MOST_BY_UNIT.items() if unit in name)
    return Setting(f"rules.{name}", kind, default, 1 if kind is tuple else least, help, most)


# What the settings that name a choice take, kept here so that `kehu config` and the settings
# file check them alike (rules/ reads these; base imports nothing above it).
# The channels of a contact (rules.vocab.CHANNELS) and other words for them.
CHANNELS = ("call", "visit", "wechat", "sms", "email", "letter", "gift", "other")
CHANNEL_WORDS: dict[str, str] = {
    "电话": "call", "打电话": "call", "通话": "call", "微信": "wechat", "短信": "sms",
    "拜访": "visit", "上门": "visit", "见面": "visit", "邮件": "email", "电邮": "email",
    "信件": "letter", "信": "letter", "礼物": "gift", "送礼": "gift", "其他": "other",
    "phone": "call", "meeting": "visit", "weixin": "wechat", "text": "sms", "mail": "email",
}  # fmt: skip
# The holidays greeted (rules/holidays.py computes their days), as users type and see them, and
# other words for them (compared after NFKC, lower case, spaces as hyphens).
HOLIDAY_CODES = (
    "new-year", "new-years-eve", "spring-festival", "lantern", "dragon-boat", "qixi",
    "mid-autumn", "double-ninth", "national-day",
)  # fmt: skip
HOLIDAY_WORDS: Mapping[str, str] = {
    "元旦": "new-year", "新年": "new-year", "new-years-day": "new-year",
    "除夕": "new-years-eve", "大年三十": "new-years-eve",
    "春节": "spring-festival", "过年": "spring-festival", "chinese-new-year": "spring-festival",
    "元宵": "lantern", "元宵节": "lantern", "lantern-festival": "lantern",
    "端午": "dragon-boat", "端午节": "dragon-boat", "dragon-boat-festival": "dragon-boat",
    "七夕": "qixi", "七夕节": "qixi",
    "中秋": "mid-autumn", "中秋节": "mid-autumn", "mid-autumn-festival": "mid-autumn",
    "moon-festival": "mid-autumn",
    "重阳": "double-ninth", "重阳节": "double-ninth", "double-ninth-festival": "double-ninth",
    "国庆": "national-day", "国庆节": "national-day",
}  # fmt: skip
HOME_COUNTRY = "CN"  # its greeting days are the Chinese ones, not its public holidays


def holiday_code(text: str) -> str | None:
    """The holiday a user typed (中秋, Mid-Autumn, mid_autumn), or None."""
    import unicodedata

    typed = unicodedata.normalize("NFKC", text).strip().lower().replace("_", "-")
    typed = "-".join(typed.replace("'", "").split())
    if typed in HOLIDAY_CODES:
        return typed
    return HOLIDAY_WORDS.get(typed) or HOLIDAY_WORDS.get(typed.removesuffix("-festival"))


def checked_holidays(value: str) -> tuple[str, ...] | None:
    """The holidays a setting names (codes or words, comma-separated), or None if one is not
    a holiday. Empty: none."""
    codes = []
    for item in typed.listed(value):
        if not item.strip():
            continue
        code = holiday_code(item)
        if code is None:
            return None
        if code not in codes:
            codes.append(code)
    return tuple(code for code in HOLIDAY_CODES if code in codes)


def is_known_country(country: str) -> bool:
    """Whether the `holidays` package knows the country (ISO 3166 code, e.g. "US")."""
    import holidays

    return country.upper() in holidays.list_supported_countries()


# The longest a yearly date (a birthday, a holiday) is listed ahead: two months. Longer lists
# next year's greetings beside this year's, and a greeting sent then is no greeting.
LONGEST_LEAD_DAYS = 60

# Every setting, in the order `kehu config` shows them. A key here is a promise to users: to
# rename one, add the old key to RENAMED so that their file keeps working.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "timezone",
        str,
        "",
        None,
        N_("The time zone of your days, like Asia/Shanghai; empty: the system's."),
    ),  # fmt: skip
    Setting("language", str, "", None, N_("zh or en, unless KEHU_LANG says; empty: the locale's.")),
    Setting("signature.name", str, "", None, N_("Your name, as drafts sign and introduce you.")),
    Setting(
        "signature.company", str, "", None, N_("Your company, as drafts sign and introduce you.")
    ),
    Setting("signature.phone", str, "", None, N_("The phone number drafts sign with.")),
    Setting(
        "signature.name_en",
        str,
        "",
        None,
        N_("Your name as English drafts sign (Lei Wang); empty: signature.name."),
    ),
    Setting(
        "signature.company_en",
        str,
        "",
        None,
        N_("Your company as English drafts sign; empty: signature.company."),
    ),
    Setting(
        "salutation.latin",
        str,
        "surname",
        None,
        N_("How drafts address a Latin name: surname (Ms Wilson) or first-name (Emma)."),
        choices=("surname", "first-name"),
    ),
    Setting("default_channel", str, "call", None, N_("The channel of log and done without --via.")),
    _rule(
        "thank_you_late_hours", 24, N_("Hours after a delivery before the thank-you is late."), 1
    ),
    _rule("thank_you_expire_days", 30, N_("Days after a delivery when an unsent thank-you goes.")),
    _rule("callback_days", (7,), N_("Call-backs this many days after a delivery; empty: none.")),
    _rule(
        "callback_months",
        (1, 3, 6),
        N_("Call-backs this many calendar months after a delivery; empty: none."),
    ),
    _rule(
        "callback_early_days", 3, N_("Days before a call-back's date when a contact counts for it.")
    ),
    _rule("callback_late_days", 3, N_("Days after a call-back's date before it is late.")),
    _rule("callback_last_window_days", 30, N_("Days the last call-back stays open.")),
    _rule(
        "cooling_months", 2, N_("Months without a reached contact before a customer is cooling.")
    ),
    _rule(
        "at_risk_months", 4, N_("Months without a reached contact before a customer is at risk.")
    ),
    _rule(
        "keep_in_touch_days", 15, N_("Tier A: days without contact before keep-in-touch; 0: off.")
    ),
    _rule(
        "keep_in_touch_jitter_days", 3, N_("Tier A: days either way keep-in-touch moves; 0: none.")
    ),
    _rule(
        "referral_late_days", 3, N_("Days after a referral before thanking the referrer is late.")
    ),
    _rule(
        "referral_expire_days", 30, N_("Days after a referral when an unsent thanks is dropped.")
    ),
    _rule("complaint_followup_days", 3, N_("Days after a complaint when its follow-up is due.")),
    _rule("complaint_expire_days", 30, N_("Days after a complaint when its follow-up is dropped.")),
    _rule(
        "daily_target",
        10,
        N_("How many customers the daily list tops up to with suggestions."),
        most=1000,
    ),
    _rule("rest_days", 7, N_("No care-only item for a customer reached in N days; 0: off.")),
    _rule(
        "occasion_lead_days",
        3,
        N_("Days ahead a birthday or other date is listed."),
        most=LONGEST_LEAD_DAYS,
    ),
    _rule(
        "occasion_lead_days_a",
        7,
        N_("Tier A: days ahead a birthday or other date is listed."),
        most=LONGEST_LEAD_DAYS,
    ),
    Setting(
        "rules.feb29",
        str,
        "02-28",
        None,
        N_("The day 29 February is kept in other years: 02-28 or 03-01."),
        choices=("02-28", "03-01"),
    ),
    _rule("prospect_h_days", 2, N_("Prospects graded H (within 7 days): days between calls."), 1),
    _rule("prospect_a_days", 4, N_("Prospects graded A (within 15 days): days between calls."), 1),
    _rule("prospect_b_days", 7, N_("Prospects graded B (within 30 days): days between calls."), 1),
    _rule("prospect_c_days", 15, N_("Prospects graded C (in 2-3 months): days between calls."), 1),
    _rule("prospect_o_days", 3, N_("Prospects graded O (ordered): days between calls."), 1),
    _rule("prospect_n_days", 15, N_("Prospects graded N (new): days between calls."), 1),
    Setting(
        "rules.holidays",
        str,
        "new-year,spring-festival,lantern,dragon-boat,mid-autumn,national-day",
        None,
        N_("The holidays greeted, like mid-autumn,national-day; empty: none."),
    ),
    _rule(
        "holiday_lead_days",
        3,
        N_("Days before a holiday when its greetings are listed."),
        most=LONGEST_LEAD_DAYS,
    ),
    Setting(
        "rules.holiday_country",
        str,
        "CN",
        None,
        N_("CN: the Chinese greeting days; another country code adds its public holidays."),
    ),
    Setting(
        "reports.tier_a_percent",
        int,
        80,
        1,
        N_("Tier A: customers bringing the first N percent of the value."),
        100,
    ),
    Setting(
        "reports.tier_b_percent",
        int,
        95,
        1,
        N_("Tier B: the next ones, up to N percent of the value."),
        100,
    ),
    Setting(
        "reports.influence_referrals",
        int,
        3,
        0,
        N_("Referrals made that make a customer key (A)."),
        1000,
    ),
    Setting(
        "reports.lost_months",
        int,
        12,
        1,
        N_("Months without any sign of life: a customer is lost."),
        120,
    ),
    Setting(
        "server.statement_timeout",
        int,
        300,
        1,
        N_("PostgreSQL books: seconds a statement may run before the server stops it."),
        86400,
    ),  # fmt: skip
)
BY_KEY: Mapping[str, Setting] = MappingProxyType({s.key: s for s in SETTINGS})


class Order(NamedTuple):
    """Two settings that only make sense in this order: `lower` below `higher` (or at most it,
    when not `strict`); `higher` counts in units of `scale` of `lower`'s (days of 24 hours)."""

    lower: str
    higher: str
    strict: bool = True
    scale: int = 1


# What the settings say together: a cooling mark before the at-risk one, before a customer is
# lost; tier A's share of the value below tier B's; a thank-you, a referral's thanks, a call-back
# and a complaint's follow-up late (or due) before they are dropped; a key customer's dates
# listed at least as early as the others'; a hotter prospect called at least as often.
ORDERS: tuple[Order, ...] = (
    Order("rules.cooling_months", "rules.at_risk_months"),
    Order("rules.at_risk_months", "reports.lost_months"),
    Order("reports.tier_a_percent", "reports.tier_b_percent"),
    Order("rules.thank_you_late_hours", "rules.thank_you_expire_days", scale=24),
    Order("rules.referral_late_days", "rules.referral_expire_days"),
    Order("rules.callback_late_days", "rules.callback_last_window_days"),
    Order("rules.complaint_followup_days", "rules.complaint_expire_days"),
    Order("rules.occasion_lead_days", "rules.occasion_lead_days_a", strict=False),
    Order("rules.prospect_h_days", "rules.prospect_a_days", strict=False),
    Order("rules.prospect_a_days", "rules.prospect_b_days", strict=False),
    Order("rules.prospect_b_days", "rules.prospect_c_days", strict=False),
)
# an old key -> the key that replaced it
RENAMED: Mapping[str, str] = MappingProxyType({"rules.suggest_quiet_days": "rules.rest_days"})


@dataclass(frozen=True)
class Settings:
    """What is in force: every key of SETTINGS with its value; and what the file said that
    kehu does not know (each a one-line warning)."""

    values: Mapping[str, Value] = field(
        default_factory=lambda: MappingProxyType({s.key: s.default for s in SETTINGS})
    )
    warnings: tuple[str, ...] = ()

    @property
    def timezone(self) -> str:
        return str(self.values["timezone"])

    def tz(self) -> tzinfo:
        return self.zone_in_use()[0]

    def zone_in_use(self) -> tuple[tzinfo, str | None]:
        """The zone of the user's days, and a warning when the TZ variable names no zone (the
        system's is used instead)."""
        if self.timezone:
            try:
                return zone(self.timezone), None
            except BadInput:
                if os.environ.get("KEHU_TZ") != self.timezone:
                    raise
                raise BadInput(
                    _("KEHU_TZ={name!r} is no time zone; accepted: names like Asia/Shanghai or "
                      "UTC (or unset KEHU_TZ to use the timezone setting)").format(
                        name=self.timezone
                    )
                ) from None  # fmt: skip
        return _system_zone()

    def number(self, key: str) -> int:
        value = self.values[key]
        assert isinstance(value, int), key
        return value

    def is_default(self, key: str) -> bool:
        return self.values[key] == BY_KEY[key].default


# The zones a salesperson in China names by a place: the name -> the IANA zone that is stored.
ZONE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "北京": "Asia/Shanghai", "上海": "Asia/Shanghai", "中国": "Asia/Shanghai",
        "北京时间": "Asia/Shanghai", "beijing": "Asia/Shanghai", "香港": "Asia/Hong_Kong",
        "澳门": "Asia/Macau", "台北": "Asia/Taipei", "乌鲁木齐": "Asia/Urumqi",
        "东京": "Asia/Tokyo", "首尔": "Asia/Seoul", "新加坡": "Asia/Singapore",
        "曼谷": "Asia/Bangkok", "迪拜": "Asia/Dubai", "莫斯科": "Europe/Moscow",
        "伦敦": "Europe/London", "巴黎": "Europe/Paris", "柏林": "Europe/Berlin",
        "纽约": "America/New_York", "洛杉矶": "America/Los_Angeles", "悉尼": "Australia/Sydney",
    }
)  # fmt: skip


def zone_name(typed_name: str) -> str:
    """A zone as typed: a place of ZONE_WORDS is its IANA name (full width read as ASCII)."""
    name = typed.half_width(typed_name).strip()
    return ZONE_WORDS.get(name.lower(), name)


def zone(name: str) -> tzinfo:
    """A named zone (or a place of ZONE_WORDS), or the system's. zoneinfo converts several times
    faster than dateutil's pure-Python zones, which matters when a daily list converts 100,000
    instants."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = zone_name(name) if name else name
    try:
        return ZoneInfo(name) if name else _system_zone()[0]
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise BadInput(
            _("unknown time zone {name!r}; accepted: names like Asia/Shanghai or UTC").format(
                name=name
            )
        ) from None


# A POSIX TZ string: std name, offset (hours west of Greenwich), then optionally a DST name,
# offset and rule: CST-8, <+08>-8, EST5EDT,M3.2.0,M11.1.0.
_POSIX_NAME = r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)"
POSIX_TZ = re.compile(rf"{_POSIX_NAME}[+-]?\d{{1,2}}(?::\d{{2}}){{0,2}}(?:{_POSIX_NAME}.*)?")


def _system_zone() -> tuple[tzinfo, str | None]:
    """The system's zone: the TZ variable (a zone name or a POSIX string), else /etc/localtime.
    A TZ that is neither gives the latter and a warning naming it."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    variable = os.environ.get("TZ", "")
    name = variable.lstrip(":")
    if name:
        try:
            return ZoneInfo(name), None
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        if name.startswith("/"):  # a zone file, as the C library reads it: TZ=:/etc/localtime
            zone_file = _zone_file(Path(name))
            if zone_file is not None:
                return zone_file, None
        if POSIX_TZ.fullmatch(name):
            return _posix_zone(name), None
        warning = _(
            "the TZ variable {value!r} is not a time zone (accepted: names like Asia/Shanghai, or "
            "POSIX forms like CST-8); using the system's"
        ).format(value=variable)
        return _local_zone(), warning
    return _local_zone(), None


def _posix_zone(name: str) -> tzinfo:
    from datetime import timezone

    from dateutil import tz

    # dateutil reads only alphabetic names: <+08> becomes STD (the name is not shown anyway).
    names = iter(("STD", "DST"))
    posix = tz.tzstr(re.sub(r"<[^>]*>", lambda _m: next(names), name), posix_offset=True)
    if not posix.hasdst:  # a fixed offset: the stdlib's converts much faster
        offset = posix.utcoffset(None)
        assert offset is not None
        return timezone(offset, name)
    posix.key = name  # type: ignore[attr-defined]  # how `config --json` names it
    return posix


def _zone_file(path: Path) -> tzinfo | None:
    """The zone a TZif file holds (named, as /etc/localtime is, by the path its link points
    to under zoneinfo/), or None when the path is no such file."""
    from zoneinfo import ZoneInfo

    try:
        with path.open("rb") as f:
            key = str(path.resolve()).partition("zoneinfo/")[2] or str(path)
            return ZoneInfo.from_file(f, key=key)
    except (OSError, ValueError):
        return None


def _local_zone() -> tzinfo:
    from zoneinfo import ZoneInfo

    localtime = Path("/etc/localtime")
    try:
        with localtime.open("rb") as f:
            return ZoneInfo.from_file(f, key=str(localtime.resolve()).partition("zoneinfo/")[2])
    except OSError:
        from dateutil import tz

        return tz.tzlocal()  # no tz database file (Windows): the OS's own rules


def load(path: Path | None = None) -> Settings:
    values = {s.key: s.default for s in SETTINGS}
    warnings: list[str] = []
    try:
        path = path or paths.config_file()
    except paths.NoHome:  # no home folder, so no settings file in it: the defaults
        return _with_environment(values, warnings)
    try:
        data = _read(path)
    except BadInput as e:  # a damaged file never stops the daily list (cron included)
        data = {}
        warnings.append(_("{problem}; the defaults are used meanwhile").format(problem=e))
    values.update(_in_file(data, path, warnings))
    _contradictions(values, path, warnings)
    return _with_environment(values, warnings)


def _with_environment(values: dict[str, Value], warnings: list[str]) -> Settings:
    if os.environ.get("KEHU_TZ"):
        values["timezone"] = os.environ["KEHU_TZ"]
    return Settings(values=MappingProxyType(values), warnings=tuple(warnings))


def _in_file(data: Mapping[str, Any], path: Path, warnings: list[str]) -> dict[str, Value]:
    """The settings the file's data sets, by key; what is unknown or bad adds a warning."""
    values: dict[str, Value] = {}
    for key, raw in _flatten(data).items():
        known = RENAMED.get(key, key)
        if known not in BY_KEY:
            warnings.append(
                _("the config file {path} has a setting kehu does not know, {key}; it is "
                  "ignored (`kehu config` lists the settings)").format(path=path, key=key)
            )  # fmt: skip
            continue
        try:
            values[known] = checked_in_file(known, raw)
        except BadInput as e:
            warnings.append(_bad_value(path, known, e))
    return values


def _bad_value(path: Path, key: str, error: BadInput) -> str:
    return _(
        "the config file {path} has a bad value for {key} ({error}); the default, {default}, is "
        "used"
    ).format(path=path, key=key, error=error, default=shown(BY_KEY[key].default) or '""')


def with_known_country(loaded: Settings, path: Path | None = None) -> Settings:
    """`loaded`, with a country of the file that the holidays package does not know put back
    to the default, and a warning for it, as load() does with the file's other bad values.
    load() checks a country's form alone: this check imports the package (about 0.1 s), which
    only the commands that compute another country's holidays load anyway, so they ask."""
    key = "rules.holiday_country"
    country = str(loaded.values[key])
    if country == HOME_COUNTRY or is_known_country(country):
        return loaded
    warning = _bad_value(path or paths.config_file(), key, _no_country(key, country))
    values = {**loaded.values, key: BY_KEY[key].default}
    return Settings(values=MappingProxyType(values), warnings=(*loaded.warnings, warning))


def check_order(key: str, value: Value | None, data: Mapping[str, Any], path: Path) -> None:
    """Refuses a value for `key` (None: its default) that would contradict another setting of
    the file's `data` (ORDERS, the first call-back's window): one line naming that setting and
    the values accepted now."""
    if key not in _IN_ORDER:
        return
    values: dict[str, Value] = {s.key: s.default for s in SETTINGS}
    values.update(_in_file(data, path, []))
    values[key] = BY_KEY[key].default if value is None else value
    problem = _conflict(key, values)
    if problem is not None:
        raise BadInput(problem[0])


# The call-backs counted in days and in months, and the days before each one's date when a
# contact counts for it: the first call-back's window opens after the delivery.
_EARLY, _CALL_BACKS = "rules.callback_early_days", ("rules.callback_days", "rules.callback_months")
_SHORTEST_MONTH = 28  # the fewest days a calendar month after a delivery can be
_IN_ORDER = frozenset(
    [_EARLY, *_CALL_BACKS, *(o.lower for o in ORDERS), *(o.higher for o in ORDERS)]
)


def _first_call_back(values: Mapping[str, Value]) -> tuple[int, str] | None:
    """The fewest days after a delivery its first call-back can fall, and the setting that
    says so; None without call-backs."""
    firsts: list[tuple[int, str]] = []
    for key, unit in zip(_CALL_BACKS, (1, _SHORTEST_MONTH), strict=True):
        counts = values[key]
        assert isinstance(counts, tuple)
        firsts += [(int(n) * unit, key) for n in counts]
    return min(firsts, default=None)


def _conflict(key: str, values: Mapping[str, Value]) -> tuple[str, str] | None:
    """What contradicts values[key] among the other `values`: (one line naming the other
    setting and what is accepted now, that setting's key); None when nothing does."""
    number = values[key]
    early = values[_EARLY]
    assert isinstance(early, int)
    if key in _CALL_BACKS:  # a list: each call-back after the days a contact counts early
        first = _first_call_back(values)
        if first is None or first[0] > early:
            return None
        return (
            _("{key} {value} conflicts with {other}, which is {current}: the first call-back "
              "would count a contact from the delivery's day or before; accepted now: call-backs "
              "more than {current} days after the delivery (or change {other} first)").format(
                key=key, value=shown(number), other=_EARLY, current=early
            ),
            _EARLY,
        )  # fmt: skip
    setting = BY_KEY[key]
    assert isinstance(number, int) and setting.least is not None and setting.most is not None
    least, most, conflict = setting.least, setting.most, None
    bounds: list[tuple[str, int | None, int | None]] = []  # (other, least, most)
    for order in ORDERS:
        step = 1 if order.strict else 0
        if key == order.lower:
            bound = int(values[order.higher]) * order.scale - step  # type: ignore[arg-type]
            bounds.append((order.higher, None, bound))
        elif key == order.higher:
            bound = -(-(int(values[order.lower]) + step) // order.scale)  # type: ignore[arg-type]
            bounds.append((order.lower, bound, None))
    first = _first_call_back(values) if key == _EARLY else None
    if first is not None:  # the first call-back's window opens after the delivery
        bounds.append((first[1], None, first[0] - 1))
    for other, low, high in bounds:
        least = least if low is None else max(least, low)
        most = most if high is None else min(most, high)
        if conflict is None and not (least <= number <= most):
            conflict = other
    if conflict is None:
        return None
    if least > most:
        return (
            _("{key} {value} conflicts with {other}, which is {current}; change {other} "
              "first").format(
                key=key, value=number, other=conflict, current=shown(values[conflict])
            ),
            conflict,
        )  # fmt: skip
    return (
        _("{key} {value} conflicts with {other}, which is {current}; accepted now: {least} to "
          "{most} (or change {other} first)").format(
            key=key, value=number, other=conflict, current=shown(values[conflict]),
            least=least, most=most,
        ),
        conflict,
    )  # fmt: skip


# The tier cut-offs of a file that contradict each other stop `kehu report tiers` instead: a
# ranking, and its --apply, by cut-offs other than the user's would mislead.
_REFUSED_BY_THEIR_COMMAND = frozenset(("reports.tier_a_percent", "reports.tier_b_percent"))


def _contradictions(values: dict[str, Value], path: Path, warnings: list[str]) -> None:
    """Settings of the file that contradict each other (ORDERS, the first call-back's window):
    one warning each, and both go back to their defaults (which agree with one another)."""
    keys = sorted(_IN_ORDER - _REFUSED_BY_THEIR_COMMAND)
    for _round in range(len(keys)):
        found = next(((key, said) for key in keys if (said := _conflict(key, values))), None)
        if found is None:
            return
        key, (_problem, other) = found
        warnings.append(
            _("the config file {path} has {key} = {value} and {other} = {other_value}, which "
              "contradict each other (README, Settings); their defaults are used, {default} "
              "and {other_default}").format(
                path=path, key=key, value=shown(values[key]), other=other,
                other_value=shown(values[other]), default=shown(BY_KEY[key].default) or '""',
                other_default=shown(BY_KEY[other].default) or '""',
            )
        )  # fmt: skip
        values[key], values[other] = BY_KEY[key].default, BY_KEY[other].default


def checked_in_file(key: str, value: object) -> Value:
    """A value as TOML gave it: of the setting's type (not true for a number, nor 1.5 for a
    whole one, nor 5 for a time zone), and in its range."""
    setting = BY_KEY[key]
    wanted = {str: (str,), int: (int,), tuple: (list,)}[setting.type]
    if isinstance(value, bool) or not isinstance(value, wanted):
        if setting.type is str:
            raise BadInput(_("{key} takes text, in quotes").format(key=key))
        if setting.type is tuple:
            raise BadInput(_("{key} takes a list of whole numbers, like [1, 3, 6]").format(key=key))
        raise BadInput(
            _("{key} takes a whole number, like {default}").format(key=key, default=setting.default)
        )
    checked = coerce(key, value, typed_in=False)
    if key == "timezone" and checked:
        zone(str(checked))
    return checked


def ensure_regular(path: Path) -> None:
    """Refuse a settings path that is a folder, a pipe or a device (a FIFO would hang the read)."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as e:
        raise BadInput(
            _("cannot read the config file {path} ({reason}); check it").format(
                path=path, reason=system_reason(e)
            )
        ) from None
    if not stat.S_ISREG(mode):
        raise BadInput(
            _("the config file {path} is not a regular file (a folder, pipe or device); point "
              "KEHU_CONFIG at a file, or remove what is there").format(path=path)
        )  # fmt: skip


def _read(path: Path) -> dict[str, Any]:
    ensure_regular(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as e:
        raise BadInput(
            _("config file {path} is not UTF-8 text (a byte 0x{byte:02x} at {offset}); save it "
              "as UTF-8, or delete it").format(path=path, byte=e.object[e.start], offset=e.start)
        ) from None  # fmt: skip
    except OSError as e:
        raise BadInput(
            _("cannot read the config file {path} ({reason}); check it").format(
                path=path, reason=system_reason(e)
            )
        ) from None
    import tomllib  # only when there is a file: it costs start-up time

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BadInput(
            _("config file {path} is not valid TOML ({where}); fix or delete it").format(
                path=path, where=_toml_place(str(e))
            )
        ) from None


def _toml_place(message: str) -> str:
    """Where tomllib stopped, in words of the chosen language (its own message is English)."""
    import re

    found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if found:
        return _("line {line}, column {column}").format(line=found[1], column=found[2])
    return _("at the end of the file")


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"rules": {"daily_target": 12}} -> {"rules.daily_target": 12}."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def coerce(key: str, value: object, *, typed_in: bool = True) -> Value:
    """A value for `key` as typed (`typed_in`) or as read from the file, checked against the
    table. A country read from the file is checked for its form alone: whether the holidays
    package knows it would load that package on every command (about 0.1 s before the first
    query, Tab completion included); the commands that compute another country's holidays
    check it (with_known_country), and `kehu config` refuses it."""
    setting = BY_KEY[key]
    if key == "language":
        return _language(value)
    if key == "rules.holiday_country" and isinstance(value, str):
        return _country(key, value, known=is_known_country if typed_in else _country_form)
    if key in _CHOICE_CHECKS and isinstance(value, str):
        return _CHOICE_CHECKS[key](key, value)
    if key == "timezone" and isinstance(value, str):
        value = zone_name(value)
    if setting.type is str:
        if setting.choices and isinstance(value, str):
            value = typed.half_width(value).strip()
        if setting.choices and str(value) not in setting.choices:
            raise BadInput(
                _("{key} takes one of: {accepted}").format(
                    key=key, accepted=", ".join(setting.choices)
                )
            )
        return _text(key, str(value))
    if setting.type is tuple:
        # Empty ("" typed, [] in the file): none, such as no call-back counted in days.
        items: Any = typed.listed(value) if isinstance(value, str) else value
        if isinstance(value, str) and not value.strip():
            items = []
        try:
            numbers: tuple[int, ...] | None = tuple(_whole(x) for x in items)
        except (TypeError, ValueError):
            numbers = None
        if numbers is None or (
            numbers
            and (not _in_range(setting, min(numbers)) or not _in_range(setting, max(numbers)))
        ):
            raise BadInput(
                _("{key} takes whole numbers from {least} to {most}, like 1,3,6 (empty: none)"
                  ).format(key=key, least=setting.least, most=setting.most)
            )  # fmt: skip
        return numbers
    try:
        number = _whole(value)
    except (TypeError, ValueError):
        raise BadInput(
            _("{key} takes a whole number, like {default}").format(key=key, default=setting.default)
        ) from None
    if not _in_range(setting, number):
        raise BadInput(
            _("{key} takes a whole number from {least} to {most}, like {default}").format(
                key=key, least=setting.least, most=setting.most, default=setting.default
            )
        )
    return number


def _channel(key: str, value: str) -> str:
    return typed.choice(value, CHANNELS, key, synonyms=CHANNEL_WORDS)


def _holidays(key: str, value: str) -> str:
    codes = checked_holidays(value)
    if codes is None:
        raise BadInput(
            _("{key} takes holidays separated by commas; accepted: {accepted}").format(
                key=key, accepted=", ".join(HOLIDAY_CODES)
            )
        )
    return ",".join(codes)


def _country_form(country: str) -> bool:
    """Whether `country` has the form of an ISO 3166 code (two letters, or three)."""
    return country.isalpha() and len(country) in (2, 3)


def _country(key: str, value: str, known: Callable[[str], bool] = is_known_country) -> str:
    country = typed.half_width(value).strip().upper()
    if country != HOME_COUNTRY and not (country.isascii() and known(country)):
        raise _no_country(key, value)
    return country


def _no_country(key: str, value: str) -> BadInput:
    return BadInput(
        _("{key} takes a country code, like CN, US or DE; {value!r} is none").format(
            key=key, value=value
        )
    )


# The text settings that take a word of a list, checked alike as typed and as in the file.
_CHOICE_CHECKS = {
    "default_channel": _channel,
    "rules.holidays": _holidays,
}


# The longest text a setting takes: the signature as long as a customer's name, company and
# phone may be (base.typed.LONGEST); the others, a list of holidays at most.
_LONGEST_TEXT = {
    "signature.name": 200, "signature.company": 200, "signature.phone": 40,
    "signature.name_en": 200, "signature.company_en": 200,
}  # fmt: skip
LONGEST_TEXT = 1000


def _text(key: str, value: str) -> str:
    """A text setting: one line, without control characters, and not too long."""
    import unicodedata

    if any(unicodedata.category(c) == "Cc" for c in value):
        raise BadInput(
            _("{key} takes one line of text, without control characters (line breaks, tabs…)"
              ).format(key=key)
        )  # fmt: skip
    longest = _LONGEST_TEXT.get(key, LONGEST_TEXT)
    if len(value) > longest:
        raise BadInput(
            _("{key} is too long ({count} characters); give at most {longest}").format(
                key=key, count=len(value), longest=longest
            )
        )
    return value


def _whole(value: object) -> int:
    """A whole number from the file (an int) or as typed ("12", full-width "１２")."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("not a whole number")
    if isinstance(value, str):
        import unicodedata

        value = unicodedata.normalize("NFKC", value).strip()
        if not value.lstrip("+-").isdecimal():
            raise ValueError("not a whole number")
    return int(value)


def _in_range(setting: Setting, number: int) -> bool:
    least = setting.least if setting.least is not None else number
    most = setting.most if setting.most is not None else number
    return least <= number <= most


LANGUAGE_WORDS = {"中文": "zh", "汉语": "zh", "chinese": "zh", "英文": "en", "english": "en"}


def _language(value: object) -> str:
    from kehu.base import i18n, typed

    if str(value).strip() == "":
        return ""
    return typed.choice(str(value), i18n.LANGUAGES, "language", synonyms=LANGUAGE_WORDS)


# The text settings that hold a list (comma-separated, as typed and in the file).
LISTED_TEXT = frozenset({"rules.holidays"})


def typed_values(settings: Settings) -> dict[str, Any]:
    """Every setting as JSON gives it: numbers as numbers, lists as lists (the call-backs'
    numbers, the holidays' codes), and the time zone in use (the system's named, when none is
    set)."""
    values: dict[str, Any] = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in settings.values.items()
    }
    for key in LISTED_TEXT:
        values[key] = [item.strip() for item in typed.listed(str(values[key])) if item.strip()]
    values["timezone"] = settings.timezone or _zone_name(settings.tz())
    return values


def _zone_name(tz: tzinfo) -> str:
    return str(getattr(tz, "key", None) or tz)


def shown(value: Value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value)


def update(key: str, value: str | None, path: Path | None = None) -> None:
    """Set (or, with value None, reset) one setting in the config file: read, changed and
    replaced whole under a lock, so that concurrent `kehu config` runs lose nothing. A
    symlinked config file is written through the link."""
    import tomli_w

    from kehu.base import files

    if key not in BY_KEY:
        raise BadInput(
            _("unknown setting {key!r}; accepted: {accepted}").format(
                key=key, accepted=", ".join(BY_KEY)
            )
        )
    # The value is checked before anything is made: a refused value leaves no folder behind.
    coerced = None if value is None else coerce(key, value)
    if key == "timezone" and coerced:
        zone(str(coerced))
    path = Path(os.path.realpath(path or paths.config_file()))
    ensure_regular(path)
    check_order(key, coerced, _read(path), path)  # before the folder is made, if need be
    with _locked(path):
        data = _read(path)
        check_order(key, coerced, data, path)  # what another `kehu config` changed meanwhile
        *sections, name = key.split(".")
        table = data
        for section in sections:
            table = table.setdefault(section, {})
        if value is None:
            table.pop(name, None)
        else:
            table[name] = coerced
        with files.new_file(path, replace=True) as temp:
            temp.write_text(tomli_w.dumps(data), encoding="utf-8")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold a lock on the settings file's folder while the block runs (the file itself is
    replaced, so its own lock would not hold; the folder leaves no lock file behind)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError as e:
        raise BadInput(
            _("cannot write the config file {path} ({reason})").format(
                path=path, reason=system_reason(e)
            )
        ) from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; the write is still atomic
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
