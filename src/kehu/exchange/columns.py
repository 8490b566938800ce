"""Which column of a table is which field: headers recognised in Chinese and English, Google
Contacts' and Outlook's CSV exports recognised as such, `--map 'Column=field'` on top. Every
column with no field of its own is kept as a profile fact, so nothing in a file is lost.

`recognise()` returns a ColumnMap: a report for the preview (column → field, and how it was
decided) that also turns each row's cells into a PersonRecord."""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from kehu.base import typed
from kehu.base.errors import BadInput
from kehu.base.i18n import _
from kehu.exchange.days import dated, is_empty_date, parse_day, parse_moment
from kehu.exchange.records import Day, PersonRecord, Problem

# Fields a column can fill (the targets `--map` accepts), besides "fact" and "skip".
TEXT_FIELDS = (
    "wechat", "company", "title", "address", "gender", "salutation", "language", "note", "product",
    "amount", "tier",
    "source", "referrer", "referrer_phone", "level", "interest", "budget", "expected_purchase",
    "payment", "current_car", "usage", "cares", "competitors", "best_time", "lost_reason",
    "lost_note", "lost_at", "sold_at",
)  # fmt: skip
FIELDS = (
    "name", "given_name", "middle_name", "family_name", "phone", "email", *TEXT_FIELDS,
    "birthday", "lunar_birthday", "anniversary", "delivered",
)  # fmt: skip
FACT, SKIP = "fact", "skip"
_NAME_FIELDS = ("name", "given_name", "middle_name", "family_name")

_SYNONYMS = {
    # 投保人: the policyholder of an insurance agent's list; 会员/顾客: a shop's member or customer
    "name": "姓名 客户姓名 客户名称 客户 名字 联系人 车主 车主姓名 投保人 投保人姓名 会员姓名 "
    "会员名称 顾客 顾客姓名 name|fullname|customer|customername",
    "phone": "电话 手机 手机号 手机号码 电话号码 联系电话 联系方式 移动电话 "
    "phone|mobile|tel|telephone|cell|phonenumber|mobilephone",
    "email": "邮箱 电子邮件 电子邮箱 email|mail|emailaddress",
    "wechat": "微信 微信号 wechat|weixin",
    "company": "公司 单位 工作单位 公司名称 company|organization|organisation|employer",
    "title": "职务 职位 头衔 title|jobtitle|position",
    "address": "地址 住址 家庭住址 联系地址 address",
    "gender": "性别 gender|sex",
    "salutation": "称呼 salutation",
    "language": "语言 话术语言 language",
    "birthday": "生日 出生日期 公历生日 客户生日 本人生日 车主生日 会员生日 "
    "birthday|birthdate|dateofbirth|dob",
    "lunar_birthday": "农历生日 阴历生日 客户农历生日 本人农历生日 车主农历生日 lunarbirthday",
    # a customer's other dates, each of the kind its header names (days.KIND_OF_LABEL)
    "anniversary": "纪念日 结婚纪念日 结婚日期 结婚周年 孩子生日 子女生日 小孩生日 宝宝生日 "
    "公司成立日 公司周年 开业日期 anniversary|weddinganniversary|childbirthday",
    "note": "备注 说明 备注信息 note|notes|remark|remarks|comment|comments",
    "product": "购买车型 车型 产品 购买产品 产品名称 险种 险种名称 保险产品 商品 商品名称 "
    "购买商品 品名 product|model",
    "amount": "金额 成交价 成交金额 成交价格 价格 保费 保费金额 总保费 消费金额 实付金额 "
    "实收金额 销售金额 amount|price|premium",
    "delivered": "交车日期 交付日期 购买日期 成交日期 购车日期 投保日期 承保日期 签单日期 "
    "出单日期 生效日期 起保日期 消费日期 消费时间 购买时间 交易日期 交易时间 "
    "delivered|deliverydate|purchasedate",
    "tier": "客户等级 等级 客户分类 分类 tier",
    "level": "级别 意向级别 客户级别 level",
    "source": "来源 客户来源 渠道 source",
    "referrer": "介绍人 推荐人 referrer|referredby",
    "referrer_phone": "介绍人电话 推荐人电话 介绍人手机 推荐人手机 referrerphone|referredbyphone",
    "interest": "意向车型 意向产品 interest",
    "budget": "预算 budget",
    "expected_purchase": "预计购车时间 预计购买时间 预计成交时间 expectedpurchase",
    "payment": "付款方式 购车方式 payment",
    "current_car": "现有车辆 现用车辆 现有车型 currentcar",
    "usage": "用途 使用人及用途 usage",
    "cares": "关注点 cares",
    "competitors": "竞品 竞品车型 对比车型 competitors",
    "best_time": "方便联系时间 最佳联系时间 besttime",
    # a lost prospect's (级别 战败): why, what happened, when
    "lost_reason": "战败原因 lostreason",
    "lost_note": "战败说明 战败备注 lostnote",
    "lost_at": "战败日期 战败时间 lostat",
    "sold_at": "订车日期 下单日期 soldat",
}
GENERIC = {
    word: target for target, words in _SYNONYMS.items() for word in words.replace("|", " ").split()
}
# Google Contacts CSV, the old export ("Given Name", "Organization 1 - Name") and the 2024 one
# ("First Name", "Organization Name"); numbered columns are matched by pattern below.
GOOGLE = {
    "name": "name", "givenname": "given_name", "firstname": "given_name",
    "additionalname": "middle_name", "middlename": "middle_name", "familyname": "family_name",
    "lastname": "family_name", "birthday": "birthday", "gender": "gender", "notes": "note",
    "organization1name": "company", "organizationname": "company",
    "organization1title": "title", "organizationtitle": "title",
}  # fmt: skip
_GOOGLE_NUMBERED = re.compile(
    r"(phone|e-mail|address|event|website|relation|im|custom field) \d+ - "
    r"(value|formatted|type|label)",
    re.IGNORECASE,
)
_GOOGLE_VALUE = {"phone": "phone", "e-mail": "email", "address": "address", "event": "anniversary"}
# Outlook's CSV export ("Title" there is Mr./Ms., kept as a fact; the job is "Job Title").
OUTLOOK = {
    "firstname": "given_name", "middlename": "middle_name", "lastname": "family_name",
    "company": "company", "jobtitle": "title", "mobilephone": "phone", "primaryphone": "phone",
    "businessphone": "phone", "businessphone2": "phone", "homephone": "phone",
    "homephone2": "phone", "otherphone": "phone", "carphone": "phone",
    "companymainphone": "phone", "emailaddress": "email", "email2address": "email",
    "email3address": "email", "birthday": "birthday", "anniversary": "anniversary",
    "notes": "note", "gender": "gender", "homestreet": "address", "title": FACT,
    "emailtype": SKIP, "email2type": SKIP, "email3type": SKIP, "emaildisplayname": SKIP,
    "email2displayname": SKIP, "email3displayname": SKIP,
}  # fmt: skip
# Values Outlook writes into every row for "nothing here"; not worth a profile fact.
_OUTLOOK_BLANKS = {"Normal", "False", "Unspecified", "0/0/00"}
# A sheet's own row numbers (序号), which say nothing of the customer: not imported, unless
# `--map '序号=fact'` keeps them.
ROW_NUMBERS = {"序号", "行号"}
KEHU_SYSTEM = {"id", "owner", "createdat", "lastreachedat"}
# kehu's own column of when a customer was archived (exported with --archived): archived again.
KEHU_ARCHIVED = "archivedat"
# Headers that name a yearly date of the customer's, whatever comes before: 入职纪念日, 母亲生日.
_DATE_ENDINGS = ("纪念日", "生日", "周年", "anniversary", "birthday")
KEHU_PROFILE = "profile:"
# An amount's header with its unit in brackets, 保费（元）: the amount in yuan (not 万元, where
# 15.8 is 158,000: such a column stays a profile fact).
_IN_YUAN = re.compile(r"(?P<base>.+?)\s*\(\s*(?:元|人民币|rmb|cny|¥|yuan)\s*\)", re.IGNORECASE)
# The columns of a customer's dates in kehu's own tables: the kind's column, a number from the
# second date of that kind (and label) on, and the label after a colon — wedding_anniversary,
# child_birthday 2, date:入职纪念日, birthday 2 (a birthday besides the one of `birthday`).
DATE_COLUMNS = {
    "birthday": "birthday", "wedding": "wedding_anniversary", "child-birthday": "child_birthday",
    "company": "company_anniversary", "other": "date",
}  # fmt: skip
_KIND_OF_COLUMN = {column: kind for kind, column in DATE_COLUMNS.items()}
_DATE_COLUMN = re.compile(r"(?P<base>[a-z_]+)(?: (?P<n>[1-9]\d*))?(?::(?P<label>.+))?", re.DOTALL)
# A date's note after it, in brackets: 2015-06-01 (小明).
_WITH_NOTE = re.compile(r"(?P<day>[^(（]*?)\s*[(（](?P<note>.*)[)）]\s*", re.DOTALL)
_SEPARATORS = re.compile(r"\s*(?::::|[;；/、，,\n])\s*")
# A number as Excel shows it in a narrow or General column, 1.38001E+10: what a CSV saved from
# that sheet holds instead of the phone, its last digits gone.
# A phone whole in itself: seven digits or more, with a country code and dashes or not.
_WHOLE_PHONE = re.compile(r"(?:\+?86-?)?\d(?:-?\d){6,}")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")


@dataclass(frozen=True)
class ColumnUse:
    index: int
    header: str
    field: str  # one of FIELDS, or FACT (kept under its header) or SKIP
    how: str  # "header" (recognised), "map" (--map), "fact" (unknown: kept), "source" (format)


@dataclass(frozen=True)
class ColumnMap:
    source: str  # "kehu", "google", "outlook" or "table"
    columns: tuple[ColumnUse, ...]

    def record(
        self, cells: Sequence[str], position: int, today: date | None = None
    ) -> tuple[PersonRecord, list[Problem]]:
        """The row as a PersonRecord, with the problems found in its cells. `today` reads a
        birthday's two-digit year (85-3-5) as `kehu add --birthday` does."""
        return _Builder(self, position, today).build(cells)

    def names_someone(self) -> bool:
        """Whether a column holds the name, whole or in parts (a row without it has none)."""
        return any(use.field in _NAME_FIELDS for use in self.columns)


def parse_overrides(specs: Sequence[str]) -> dict[str, str]:
    """`--map 'Column name=field'` values → {header: field}."""
    result = {}
    accepted = ", ".join((*FIELDS, FACT, SKIP))
    for spec in specs:
        column, sep, target = unicodedata.normalize("NFKC", spec).rpartition("=")
        column, target = " ".join(column.split()), target.strip().lower()
        if not sep or not column:
            raise BadInput(
                _(
                    "--map takes 'Column name=field', like --map '客户电话=phone'; got {spec!r}"
                ).format(spec=spec)
            )
        if target not in (*FIELDS, FACT, SKIP):
            raise BadInput(
                _("unknown field {field!r} in --map; accepted: {accepted}").format(
                    field=target, accepted=accepted
                )
            )
        result[column] = target
    return result


def knower(overrides: dict[str, str] | None = None) -> Callable[[str], bool]:
    """Whether a header names a field: one kehu recognises in a table of one's own, or one
    that `--map` names (for the table readers to find a header written over two rows)."""
    named = set(overrides or ())
    return lambda header: header in named or _recognised("table", header)[0] != FACT


def recognise(header: Sequence[str], overrides: dict[str, str] | None = None) -> ColumnMap:
    """Decide each column's field. Raises BadInput when an override names no column. A column
    is named by its header, or by its number (#3, as the preview names a column without one)."""
    overrides = overrides or {}
    missing = [c for c in overrides if c not in header and _numbered(c, header) is None]
    if missing:
        raise BadInput(
            _(
                "--map names a column the file does not have: {column}; its columns: {columns}"
            ).format(column=missing[0], columns=", ".join(column_names(header)))
        )
    source = detect_source(header)
    uses = []
    for index, name in enumerate(header):
        if name in overrides:
            uses.append(ColumnUse(index, name, overrides[name], "map"))
        elif (number := f"#{index + 1}") in overrides and number not in header:
            uses.append(ColumnUse(index, name, overrides[number], "map"))
        else:
            field, how = _recognised(source, name)
            uses.append(ColumnUse(index, name, field, how))
    return ColumnMap(source, tuple(uses))


def column_names(header: Sequence[str]) -> list[str]:
    """The columns as the preview and `--map` name them: by header, else by number (#3)."""
    return [name or f"#{index + 1}" for index, name in enumerate(header)]


def _numbered(column: str, header: Sequence[str]) -> int | None:
    """The index of the column `#3` names (the third), when no header is called that."""
    m = re.fullmatch(r"#([1-9]\d*)", column)
    return int(m[1]) - 1 if m and int(m[1]) <= len(header) else None


def detect_source(header: Sequence[str]) -> str:
    keys = {_key(h) for h in header}
    if any(_GOOGLE_NUMBERED.fullmatch(h) for h in header):
        return "google"
    if {"firstname", "lastname", "emailaddress"} <= keys and keys & {"mobilephone", "homephone"}:
        return "outlook"
    if {"id", "name", "createdat"} <= keys or any(h.startswith(KEHU_PROFILE) for h in header):
        return "kehu"
    return "table"


def _recognised(source: str, header: str) -> tuple[str, str]:
    key = _key(header)
    if source == "google":
        if m := _GOOGLE_NUMBERED.fullmatch(header):
            kind, part = m[1].lower(), m[2].lower()
            if part in ("type", "label"):
                return SKIP, "source"  # "Mobile", "* Home": the kind of the value beside it
            if kind in _GOOGLE_VALUE:
                return _GOOGLE_VALUE[kind], "source"
            return FACT, "fact"
        if key in GOOGLE:
            return GOOGLE[key], "source"
    if source == "outlook" and key in OUTLOOK:
        return OUTLOOK[key], "source"
    if source == "kehu" and key in KEHU_SYSTEM:
        return SKIP, "source"  # ids and timestamps belong to the book that wrote the file
    if source == "kehu" and key == KEHU_ARCHIVED:
        return "archived_at", "source"
    if source == "kehu" and date_column(header) is not None:
        return "anniversary", "source"
    if key in GENERIC:
        return GENERIC[key], "header"
    if key in ROW_NUMBERS:
        return SKIP, "header"  # 1, 2, 3… down the sheet: nothing about the customer
    if (m := _IN_YUAN.fullmatch(unicodedata.normalize("NFKC", header).strip())) and GENERIC.get(
        _key(m["base"])
    ) == "amount":
        return "amount", "header"  # 保费（元）, 消费金额(RMB)
    if key.endswith(_DATE_ENDINGS):  # 入职纪念日, 老婆生日: a date of the kind other, so named
        return "anniversary", "header"
    return FACT, "fact"


def date_column_name(kind: str, label: str | None, n: int) -> str:
    """The header of the `n`th date (from 1) of a kind and label in kehu's own tables; the
    first birthday has the `birthday` column of its own, so another one starts at 2."""
    number = n + 1 if kind == "birthday" else n
    numbered = DATE_COLUMNS[kind] + (f" {number}" if number > 1 else "")
    return f"{numbered}:{label}" if label else numbered


def date_column(header: str) -> tuple[str, str | None] | None:
    """The kind and label of a date column of kehu's own tables (date_column_name), else None;
    `birthday` alone is the birthday's column, not one of these."""
    m = _DATE_COLUMN.fullmatch(header)
    if m is None or m["base"] not in _KIND_OF_COLUMN:
        return None
    kind = _KIND_OF_COLUMN[m["base"]]
    if kind == "birthday" and not (m["n"] or m["label"]):
        return None
    return kind, m["label"]


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).casefold()
    return re.sub(r"[\s_\-*:：()（）]", "", text)


class _Builder:
    def __init__(self, columns: ColumnMap, position: int, today: date | None = None) -> None:
        self.columns = columns
        self.today = today
        self.record = PersonRecord(position=position)
        self.problems: list[Problem] = []
        self.names: dict[str, str] = {}

    def build(self, cells: Sequence[str]) -> tuple[PersonRecord, list[Problem]]:
        for use in self.columns.columns:
            value = cells[use.index].strip() if use.index < len(cells) else ""
            if self.columns.source == "outlook" and value in _OUTLOOK_BLANKS:
                continue
            if value and use.field != SKIP:
                self._take(use, value, cells)
        record = self.record
        if not record.name:
            record.name = _full_name(self.names)
        if not record.name:
            self.problems.append(Problem("no_name", record.position))
        return record, self.problems

    def _take(self, use: ColumnUse, value: str, cells: Sequence[str]) -> None:
        record, field = self.record, use.field
        if field == "name" and not record.name:
            record.name = value
        elif field in ("given_name", "middle_name", "family_name") and field not in self.names:
            self.names[field] = value
        elif field == "phone":
            phones = _phones(value)
            if any(_SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", p)) for p in phones):
                self.problems.append(Problem("phone_scientific", record.position))
            record.phones += phones
        elif field == "email":
            record.emails += [e for e in _SEPARATORS.split(value) if e]
        elif field == "birthday" and not (record.birthday or record.lunar_birthday):
            self._birthday(use, value)
        elif field == "lunar_birthday" and not record.lunar_birthday:
            record.lunar_birthday = _lunar_text(value)
        elif field == "anniversary" and use.how == "source" and self.columns.source == "kehu":
            self._kehu_date(use, value)
        elif field == "anniversary":
            if is_empty_date(value):
                return
            if (occasion := dated(self._label(use, cells), value)) is None:
                self._unreadable(use, value)
            elif not record.take_date(occasion):
                self._fact(use, value)  # a second birthday
        elif field == "archived_at" and record.archived_at is None:
            record.archived_at = value
        elif field == "delivered" and record.delivered is None:
            record.delivered = parse_moment(value) or value
        elif field in TEXT_FIELDS and getattr(record, field) is None:
            setattr(record, field, value)
        else:
            self._fact(use, value)  # a second column for a field already filled, or FACT

    def _kehu_date(self, use: ColumnUse, value: str) -> None:
        """A date of kehu's own tables, of the kind and label its header says, its note, if
        any, after it in brackets."""
        kind, label = date_column(use.header) or ("other", None)
        note = None
        occasion = dated(None, value)
        if occasion is None and (m := _WITH_NOTE.fullmatch(value)):
            occasion, note = dated(None, m["day"]), m["note"].strip() or None
        if occasion is None:
            self._unreadable(use, value)
            return
        occasion = replace(occasion, kind=kind, label=label)
        if occasion not in self.record.dates:
            self.record.dates.append(occasion)
            if note is not None:
                self.record.date_notes[occasion] = note

    def _birthday(self, use: ColumnUse, value: str) -> None:
        if value.startswith(("农历", "阴历")):
            self.record.lunar_birthday = _lunar_text(value)
        elif not is_empty_date(value):
            day = parse_day(value)
            # 85-3-5, as `kehu add --birthday`; not 28/3/05, which may be a day/month/year
            if day is None and self.today is not None and "/" not in typed.half_width(value):
                born = typed.birthday_century(value, self.today)
                if isinstance(born, tuple):  # 05-3-5: 1905 or 2005?
                    position = self.record.position
                    self.problems.append(Problem("two_digit_year", position, detail=use.header))
                    return
                if born is not None:
                    day = Day(born.year, born.month, born.day)
            if day is None:
                self._unreadable(use, value)
            else:
                self.record.birthday = day

    def _unreadable(self, use: ColumnUse, value: str) -> None:
        self.problems.append(Problem("bad_date", self.record.position, detail=use.header))
        self._fact(use, value)

    def _fact(self, use: ColumnUse, value: str) -> None:
        key = use.header
        if self.columns.source == "kehu" and key.startswith(KEHU_PROFILE):
            key = key.removeprefix(KEHU_PROFILE)
        key = key or f"#{use.index + 1}"
        facts = self.record.facts
        facts[key] = f"{facts[key]}; {value}" if key in facts else value

    def _label(self, use: ColumnUse, cells: Sequence[str]) -> str:
        # Google writes the kind of an event ("Anniversary") in the column before its value.
        if self.columns.source == "google" and use.index > 0:
            label = cells[use.index - 1].strip() if use.index - 1 < len(cells) else ""
            if label:
                return label.lstrip("* ")
        return use.header


def _phones(value: str) -> list[str]:
    """The phones of a cell: between / ; 、 , or new lines, or between spaces when each part
    is a whole number (13800138000 13900139000; not +86 138 0013 8000)."""
    phones: list[str] = []
    for part in _SEPARATORS.split(value):
        words = part.split()
        if len(words) > 1 and all(_WHOLE_PHONE.fullmatch(w) for w in words):
            phones += words
        elif part:
            phones.append(part)
    return phones


def _lunar_text(value: str) -> str:
    return value.removeprefix("农历").removeprefix("阴历").strip(" :：")


def _full_name(parts: dict[str, str]) -> str:
    ordered = [parts.get(k, "") for k in ("given_name", "middle_name", "family_name")]
    ordered = [p for p in ordered if p]
    if not ordered:
        return ""
    # Chinese names: family name first, no spaces (张 + 三 → 张三).
    if any(_is_cjk(p) for p in ordered):
        return (
            parts.get("family_name", "")
            + parts.get("given_name", "")
            + parts.get("middle_name", "")
        )
    return " ".join(ordered)


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
