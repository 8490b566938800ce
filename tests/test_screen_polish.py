"""What the screen shows, line by line: the daily list's key column holds the longest key, no
printed line ends in spaces, Chinese lines use Chinese punctuation, English lines begin with a
capital letter, an empty list says so in a line."""

import re
import subprocess
from typing import Any

from conftest import in_chinese

LEAD_DAY = "2026-09-22T10:00"  # 3 days before 中秋 2026 (25 Sep)
BEFORE = "2026-09-01T10:00"


def zh(*args: str, now: str = "2026-11-22T10:00") -> subprocess.CompletedProcess[str]:
    return in_chinese(*args, now=now)


def _no_trailing_spaces(text: str) -> None:
    for line in text.splitlines():
        assert line == line.rstrip(), f"trailing spaces in {line!r}:\n{text}"


def _holiday_book(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--tier", "A", now=BEFORE)
    kehu.ok("add", "李娜", "--phone", "13900139000", now=BEFORE)
    kehu.ok("add", "王芳", "--phone", "13700137000", now=BEFORE)
    kehu.ok("promise", "王芳", "寄保养券", "--due", "2026-09-21", now=BEFORE)


def test_the_key_column_holds_the_longest_key_and_no_line_ends_in_spaces(kehu: Any):
    _holiday_book(kehu)
    out = kehu.ok("today", now=LEAD_DAY)
    rows = [line for line in out.splitlines() if re.match(r" *\d+\. ", line)]
    keys = [line.split()[1] for line in rows]
    assert {"P1", "H1.20260925", "G20260925"} <= set(keys), out
    name_columns = {len(line) - len(line.split(maxsplit=2)[2]) for line in rows}
    assert len(name_columns) == 1, out  # every name starts in the same column
    assert "H1.20260925 张伟  13800138000" in out
    assert "G20260925   2 customers\n" in out
    _no_trailing_spaces(out)
    _no_trailing_spaces(kehu.ok("today", "--drafts", now=LEAD_DAY))
    late = kehu.ok("overdue", now=LEAD_DAY)
    _no_trailing_spaces(late)


def test_the_overdue_mail_and_the_summary_use_chinese_punctuation_in_chinese(kehu: Any):
    kehu.ok("add", "王丽", "--phone", "13900001111")
    kehu.ok("promise", "王丽", "送保养券", "--due", "2026-11-20", "--force")
    mail = zh("overdue")
    assert mail.returncode == 0, mail.stderr
    assert "\n承诺（1）\n" in mail.stdout
    assert "（P1，逾期 2 天）\n" in mail.stdout
    assert "(" not in mail.stdout and "[" not in mail.stdout, mail.stdout
    summary = zh("today", "--summary")
    assert summary.returncode == 0, summary.stderr
    assert "项逾期）—— 承诺 1" in summary.stdout, summary.stdout
    english = kehu.ok("overdue")
    assert "\npromise (1)\n" in english and "[P1, 2 days late]\n" in english


def test_english_date_lines_begin_with_a_capital_and_a_label_stays_as_typed(kehu: Any):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "1985-11-25")
    kehu.ok("date", "add", "张伟", "other", "11-24", "--label", "first visit")
    kehu.ok("promise", "张伟", "send the quote", "--due", "2026-11-24")
    reasons = [i["reason"] for i in kehu.json("today")["items"] if i["kind"] == "personal-date"]
    assert "Birthday in 3 days: Wed 25 Nov, turns 41" in reasons, reasons
    assert "first visit in 2 days: Tue 24 Nov" in reasons, reasons
    listed = kehu.ok("today")
    assert "\n     Birthday in 3 days: Wed 25 Nov, turns 41\n" in listed
    calendar = kehu.ok("calendar", "--days", "7")
    assert "  张伟  Birthday, turns 41\n" in calendar
    assert "  张伟  Promised: send the quote\n" in calendar
    assert "  张伟  first visit\n" in calendar
    chinese = zh("calendar", "--days", "7")
    assert "  张伟  生日，满41周岁\n" in chinese.stdout, chinese


def test_health_of_a_state_no_one_is_in_says_so_in_one_line(kehu: Any, tmp_path: Any):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-08-01T10:00")
    out = kehu.ok("report", "health", "--show", "lost")
    assert out.endswith("\n\nNo customer is lost.\n"), out
    assert "Customers lost" not in out and "last sign of life" not in out
    chinese = zh("report", "health", "--show", "流失")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.endswith("\n\n没有已流失的客户。\n"), chinese.stdout
    assert zh("report", "health", "--show", "at-risk").stdout.endswith("\n没有客户有流失风险。\n")
    cooling = kehu.ok("report", "health", "--show", "cooling")  # 3 months without a contact
    # the day worded as every date is (ui.dates), not as ISO
    assert cooling.endswith("\n1  张伟      B     1 Aug\n"), cooling
    assert zh("report", "health", "--show", "渐冷").stdout.endswith(" B     8月1日\n")
    page = tmp_path / "health.html"
    kehu.ok("report", "health", "--show", "lost", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert "<p>No customer is lost.</p>" in html and "last sign of life" not in html


def _column_of(text: str, line_start: str, cell: str) -> int:
    """The terminal column at which CELL begins on the line that begins with LINE_START."""
    from kehu.ui.tables import width

    [line] = [line for line in text.splitlines() if line.startswith(line_start) and cell in line]
    return width(line[: line.index(cell)])


def test_the_card_and_the_calendar_keep_their_columns(kehu: Any):
    kehu.ok("add", "王芳", "--phone", "13800138000", "--product", "T-Roc", "--amount", "158000",
            "--delivered", "2026-10-22 15:00")  # fmt: skip
    kehu.ok("sale", "王芳", "--product", "脚垫")
    kehu.ok("add", "Emma Wilson", "--phone", "13811112222", "--product", "Golf",
            "--delivered", "2026-11-20 10:00")  # fmt: skip
    kehu.ok("promise", "王芳", "寄资料", "--due", "2026-11-21 18:00", "--force")
    kehu.ok("promise", "王芳", "送保养券", "--due", "2026-11-25")
    card = kehu.ok("show", "王芳")
    assert _column_of(card, "  P1  due", "寄资料") == _column_of(card, "  P2", "送保养券"), card
    assert _column_of(card, "  P1", "Promised") == _column_of(card, "  C1.1m", "Bought"), card
    assert _column_of(card, "  #1", "T-Roc") == _column_of(card, "  #2", "脚垫"), card
    assert _column_of(card, "  #1", "delivered") == _column_of(card, "  #2", "delivered"), card
    _no_trailing_spaces(card)
    chinese = zh("show", "王芳").stdout
    promised = _column_of(chinese, "  P1  昨天", "寄资料")
    assert promised == _column_of(chinese, "  P2", "送保养券"), chinese
    calendar = kehu.ok("calendar", "--days", "10")
    assert _column_of(calendar, "  王芳", "Thank-you") == _column_of(calendar, "  Emma", "7-day")
    assert "  王芳         Promised: 送保养券\n" in calendar, calendar


def test_a_day_without_contacts_says_so_in_a_line_not_a_table(kehu: Any, tmp_path: Any):
    kehu.ok("add", "张伟", "--phone", "13800138000", now="2026-11-20T10:00")
    out = kehu.ok("report", "day")
    assert "\n\nNo contact was logged this day.\n\n" in out, out
    assert "time  " not in out and "no contacts logged" not in out
    assert "\n当天没有联系记录。\n" in zh("report", "day").stdout
    page = tmp_path / "day.html"
    kehu.ok("report", "day", "--html", str(page))
    assert "<p>No contact was logged this day.</p>" in page.read_text(encoding="utf-8")
    logged = kehu.ok("report", "day", "2026-11-20")  # the day of the sale: still no contact
    assert "No contact was logged this day." in logged
    kehu.ok("log", "张伟", "--note", "问了保养")
    assert "问了保养" in kehu.ok("report", "day")


def test_report_amounts_and_counts_line_up_on_the_right(kehu: Any):
    kehu.ok("add", "李强", "--phone", "13922223333", "--product", "Tiguan", "--amount", "690000")
    kehu.ok("add", "周杰", "--phone", "13733334444", "--product", "Polo", "--amount", "76000")
    out = kehu.ok("report", "tiers")
    rows = {line.split()[1]: line for line in out.splitlines() if ",000.00" in line}
    assert rows["李强"].index("690,000.00") + len("690,000.00") == rows["周杰"].index(
        "76,000.00"
    ) + len("76,000.00"), out
    week = kehu.ok("report", "week")
    assert "\nsales amount         766,000.00\n" in week, week
    assert "\nsales                         2\n" in week, week
    _no_trailing_spaces(out + week)


def test_the_day_reports_phones_are_text_aligned_to_the_left(kehu: Any, tmp_path: Any):
    """Phones are not amounts: a landline shorter than a mobile starts where the mobile does."""
    kehu.ok("add", "李强", "--phone", "13922223333")
    kehu.ok("add", "周杰", "--phone", "88881234")
    kehu.ok("log", "李强", "--via", "call", now="2026-11-22T09:00")
    kehu.ok("log", "周杰", "--via", "visit", now="2026-11-22T09:30")
    for out in (kehu.ok("report", "day"), zh("report", "day").stdout):
        [mobile] = [line for line in out.splitlines() if "13922223333" in line]
        [landline] = [line for line in out.splitlines() if "88881234" in line]
        assert mobile.index("13922223333") == landline.index("88881234"), out
        _no_trailing_spaces(out)
    page = tmp_path / "day.html"
    kehu.ok("report", "day", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert "<td>88881234</td>" in html and "<td>13922223333</td>" in html, html
    assert '<td class="n">1</td>' in html  # a count is still aligned to the right


def test_a_month_without_prospects_says_so_instead_of_an_empty_level_table(kehu: Any):
    kehu.ok("add", "张伟", "--phone", "13800138000")
    out = kehu.ok("prospects")
    assert out.startswith(
        "Prospect levels (意向客户级别状况表), Nov 2026\nNo prospect was open in the month.\n"
    ), out
    assert "source" not in out and "o: a planned contact day" not in out
    chinese = zh("prospects").stdout
    assert chinese.startswith("意向客户级别状况表，2026年11月\n该月没有未结的意向客户。\n"), chinese
    kehu.ok("add", "李娜", "--prospect", "--level", "H")
    listed = kehu.ok("prospects")
    assert "李娜" in listed and "o: a planned contact day" in listed
    assert "No prospect was open" not in listed
    # The month in the heading is worded as every date is, not as ISO; --month and JSON keep it.
    later = kehu.ok("prospects", "--month", "2027-01", now="2027-02-03T10:00")
    assert later.splitlines()[0] == "Prospect levels (意向客户级别状况表), Jan 2027", later
    assert "李娜" in later
    chinese = zh("prospects", "--month", "2027-01", now="2027-02-03T10:00").stdout
    assert chinese.splitlines()[0] == "意向客户级别状况表，2027年1月", chinese
    january = kehu.json("prospects", "--month", "2027-01", now="2027-02-03T10:00")
    assert january["month"] == "2027-01"


def test_a_customers_dates_are_in_columns_on_the_card_and_in_the_list(kehu: Any):
    kehu.ok("add", "王芳", "--phone", "13800138000", "--birthday", "1988-12-02")
    kehu.ok("date", "add", "王芳", "wedding", "2012-05-20", "--note", "丈夫 李军")
    card = kehu.ok("show", "王芳")
    assert _column_of(card, "  #1", "Wed 2 Dec") == _column_of(card, "  #2", "Thu 20 May"), card
    assert "  #2  wedding anniversary  Thu 20 May 2027, 15 years  丈夫 李军\n" in card, card
    listed = kehu.ok("date", "list")
    assert _column_of(listed, "#1", "王芳") == _column_of(listed, "#2", "王芳"), listed
    _no_trailing_spaces(card + listed)
    chinese = zh("date", "list").stdout
    assert _column_of(chinese, "#1", "12月2日") == _column_of(chinese, "#2", "2027年5月20日")
