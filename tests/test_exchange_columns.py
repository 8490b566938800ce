"""Which column is which: Chinese and English headers, Google's and Outlook's exports, --map, and
every other column kept as a fact."""

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehu.base.errors import BadInput
from kehu.exchange import columns, csvfile, table_files
from kehu.exchange.days import parse_day
from kehu.exchange.records import Day
from kehu.rules.occasions import Occasion


def headers(line: str) -> list[str]:
    return line.split(",")


# The header rows of real exports (Google Contacts' CSV, old and 2024 forms; Outlook's CSV).
GOOGLE_OLD = headers(
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
    "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,"
    "Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,"
    "Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Address 1 - Type,"
    "Address 1 - Formatted,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,"
    "Event 1 - Type,Event 1 - Value"
)

GOOGLE_2024 = headers(
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted"
)

OUTLOOK = headers(
    "First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,Birthday,Anniversary,"
    "Location,Language,Internet Free Busy,Notes,E-mail Address,E-mail 2 Address,E-mail 3 Address,"
    "Primary Phone,Home Phone,Home Phone 2,Mobile Phone,Pager,Home Fax,Home Address,Home Street,"
    "Home Street 2,Home City,Home State,Home Postal Code,Home Country/Region,Company,Department,"
    "Job Title,Business Phone,Priority,Private,Sensitivity,Categories"
)


def row(header: list[str], **cells: str) -> list[str]:
    return [cells.get(name, "") for name in header]


def fields(mapping: columns.ColumnMap) -> dict[str, str]:
    return {use.header: use.field for use in mapping.columns}


def test_chinese_headers_are_recognised_and_other_columns_kept_as_facts():
    header = ["客户姓名", "手机号", "微信", "单位", "职务", "地址", "性别", "生日", "购买车型",
              "成交价", "交付日期", "备注", "级别", "来源", "介绍人", "意向车型", "预算",
              "预计购车时间", "爱好"]  # fmt: skip
    mapping = columns.recognise(header)
    assert mapping.source == "table"
    assert fields(mapping)["爱好"] == "fact"
    assert [use.how for use in mapping.columns].count("header") == len(header) - 1
    cells = ["张三", "138 0013 8000/13900139000", "zs88", "某公司", "经理", "北京", "男",
             "1985年3月15日", "轩逸", "15.8万", "2025/6/1", "老客户", "H", "展厅", "李四",
             "天籁", "20万", "一个月内", "钓鱼"]  # fmt: skip
    record, problems = mapping.record(cells, 7)
    assert problems == []
    assert record.name == "张三" and record.position == 7
    assert record.phones == ["138 0013 8000", "13900139000"]
    assert (record.wechat, record.company, record.title, record.address) == (
        "zs88", "某公司", "经理", "北京")  # fmt: skip
    assert record.birthday == Day(1985, 3, 15)
    assert (record.product, record.amount, record.delivered) == ("轩逸", "15.8万", date(2025, 6, 1))
    assert (record.note, record.level, record.source, record.referrer) == (
        "老客户",
        "H",
        "展厅",
        "李四",
    )
    assert (record.interest, record.budget, record.expected_purchase) == (
        "天籁",
        "20万",
        "一个月内",
    )
    assert record.facts == {"爱好": "钓鱼"}


def test_english_and_full_width_headers_are_recognised():
    mapping = columns.recognise(["Name", "Mobile Phone", "E-mail", "ＷｅＣｈａｔ", "Date of Birth"])
    assert list(fields(mapping).values()) == ["name", "phone", "email", "wechat", "birthday"]


def test_lunar_birthdays_from_either_column():
    mapping = columns.recognise(["姓名", "生日", "农历生日"])
    assert mapping.record(["甲", "农历三月初五", ""], 2)[0].lunar_birthday == "三月初五"
    assert mapping.record(["乙", "", "腊月廿三"], 3)[0].lunar_birthday == "腊月廿三"


def test_an_unreadable_date_is_a_problem_and_its_text_is_kept():
    mapping = columns.recognise(["姓名", "生日"])
    record, problems = mapping.record(["甲", "下个月"], 4)
    assert [(p.code, p.position, p.detail) for p in problems] == [("bad_date", 4, "生日")]
    assert record.birthday is None and record.facts == {"生日": "下个月"}


def test_a_row_without_a_name_is_a_problem():
    mapping = columns.recognise(["姓名", "电话"])
    assert [p.code for p in mapping.record(["", "138"], 9)[1]] == ["no_name"]


def test_google_contacts_old_export():
    mapping = columns.recognise(GOOGLE_OLD)
    assert mapping.source == "google"
    assert fields(mapping)["Phone 1 - Type"] == "skip"
    cells = row(GOOGLE_OLD, **{
        "Name": "Wang Wu", "Given Name": "Wu", "Family Name": "Wang", "Birthday": "--03-15",
        "Group Membership": "* myContacts ::: 客户", "E-mail 1 - Type": "* Home",
        "E-mail 1 - Value": "ww@example.com", "Phone 1 - Type": "Mobile",
        "Phone 1 - Value": "+86 138 0000 0001 ::: +86 138 0000 0002", "Phone 2 - Value": "0571-1",
        "Organization 1 - Name": "Acme", "Organization 1 - Title": "Buyer", "Hobby": "golf",
        "Event 1 - Type": "Anniversary", "Event 1 - Value": "2012-10-01",
    })  # fmt: skip
    record, problems = mapping.record(cells, 2)
    assert problems == []
    assert record.name == "Wang Wu"
    assert record.phones == ["+86 138 0000 0001", "+86 138 0000 0002", "0571-1"]
    assert record.emails == ["ww@example.com"]
    assert (record.company, record.title, record.birthday) == ("Acme", "Buyer", Day(None, 3, 15))
    assert record.dates == [Occasion("wedding", "solar", 10, 1, year=2012)]
    assert record.facts == {"Group Membership": "* myContacts ::: 客户", "Hobby": "golf"}


def test_google_contacts_2024_export_builds_chinese_names_family_first():
    mapping = columns.recognise(GOOGLE_2024)
    assert mapping.source == "google"
    given = {"First Name": "小明", "Last Name": "王", "Labels": "客户"}
    cells = row(GOOGLE_2024, **given, **{"Phone 1 - Value": "139", "Organization Name": "示例"})
    record, _ = mapping.record(cells, 2)
    assert (record.name, record.phones, record.company) == ("王小明", ["139"], "示例")
    assert record.facts == {"Labels": "客户"}


def test_outlook_export_keeps_its_title_as_a_fact_and_drops_its_blanks():
    mapping = columns.recognise(OUTLOOK)
    assert mapping.source == "outlook"
    assert fields(mapping)["Title"] == "fact" and fields(mapping)["Job Title"] == "title"
    cells = row(OUTLOOK, **{
        "First Name": "Mary", "Last Name": "Lee", "Title": "Ms.", "Mobile Phone": "555-0100",
        "Business Phone": "555-0199", "E-mail Address": "mary@example.com",
        "Birthday": "3/15/1985", "Anniversary": "0/0/00", "Gender": "Unspecified",
        "Priority": "Normal", "Private": "False", "Sensitivity": "Normal", "Job Title": "CFO",
    })  # fmt: skip
    record, problems = mapping.record(cells, 2)
    assert problems == []
    assert (record.name, record.title, record.birthday) == ("Mary Lee", "CFO", Day(1985, 3, 15))
    assert record.phones == ["555-0100", "555-0199"]
    assert record.dates == [] and record.gender is None
    assert record.facts == {"Title": "Ms."}


def test_map_overrides_a_header_and_can_skip_or_keep_a_column():
    overrides = columns.parse_overrides(
        ["客户电话 = phone", "内部编号=skip", "姓名=fact", "称呼=name"]
    )
    mapping = columns.recognise(["称呼", "客户电话", "内部编号", "姓名"], overrides)
    assert [(u.field, u.how) for u in mapping.columns] == [
        ("name", "map"),
        ("phone", "map"),
        ("skip", "map"),
        ("fact", "map"),
    ]
    record, _ = mapping.record(["老张", "138", "X-1", "张三"], 2)
    assert (record.name, record.phones, record.facts) == ("老张", ["138"], {"姓名": "张三"})


@pytest.mark.parametrize("spec", ["phone", "=phone", "A=nonsense"])
def test_a_bad_map_says_what_is_accepted(spec):
    with pytest.raises(BadInput, match="--map"):
        columns.parse_overrides([spec])


def test_a_map_for_a_column_the_file_lacks_is_refused():
    with pytest.raises(BadInput, match="does not have"):
        columns.recognise(["姓名"], {"电话号": "phone"})


def test_kehus_own_csv_export_is_read_back_with_its_profile(tmp_path):
    out = io.StringIO()
    stored = {"id": 3, "name": "张三", "phone": "13800138000", "birthday": "03-15",
              "notes": "=not a formula", "owner": "me", "referred_by": "李四",
              "profile": {"爱好": "钓鱼"}}  # fmt: skip
    csvfile.write([stored], ["爱好"], out)
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    table = table_files.read_csv(path)
    mapping = columns.recognise(table.header)
    assert mapping.source == "kehu"
    record, problems = mapping.record(next(table.rows).cells, 2)
    assert problems == []
    assert (record.name, record.phones, record.note) == ("张三", ["13800138000"], "=not a formula")
    assert (record.birthday, record.referrer) == (Day(None, 3, 15), "李四")
    assert record.facts == {"爱好": "钓鱼"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1985-03-15", Day(1985, 3, 15)), ("1985/3/5", Day(1985, 3, 5)),
        ("1985.3.5", Day(1985, 3, 5)), ("19850315", Day(1985, 3, 15)),
        ("1985年3月15日", Day(1985, 3, 15)), ("３月１５日", Day(None, 3, 15)),
        ("03-15", Day(None, 3, 15)), ("--03-15", Day(None, 3, 15)), ("--0315", Day(None, 3, 15)),
        ("--0229", Day(None, 2, 29)), ("1604-11-30", Day(None, 11, 30)),
        ("1985-03-15T00:00:00", Day(1985, 3, 15)), ("3/15/1985", Day(1985, 3, 15)),
        ("15/3/1985", Day(1985, 3, 15)), ("1/0/00", None), ("2026-02-30", None), ("soon", None),
        ("", None),
    ],
)  # fmt: skip
def test_dates_as_programs_write_them(text, day):
    assert parse_day(text) == day


@given(st.dates(min_value=date(1800, 1, 1)), st.booleans())
def test_a_day_written_in_iso_form_reads_back(value, year_known):
    day = Day(value.year if year_known else None, value.month, value.day)
    assert parse_day(day.iso()) == day
