"""Plain records that the file formats read into and write from, and the problems they find.

Formats know nothing of the book: they turn files into these records (and back); the commands
store them. Problems are codes with a position; ui/ words them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kehu.base.errors import BadInput
from kehu.rules.occasions import Occasion


@dataclass(frozen=True)
class Day:
    """A date that may lack its year, as birthdays often do."""

    year: int | None
    month: int
    day: int

    def iso(self) -> str:
        """2026-03-15, or --03-15 without a year (the vCard 4.0 / ISO 8601 form)."""
        head = f"{self.year:04d}" if self.year is not None else "-"
        return f"{head}-{self.month:02d}-{self.day:02d}"


@dataclass
class PersonRecord:
    """One customer as a file gives it. Texts are as read (stripped); nothing is validated here
    beyond what the format itself defines, so the importer can report every problem at once."""

    name: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    wechat: str | None = None
    company: str | None = None
    title: str | None = None
    address: str | None = None
    gender: str | None = None
    salutation: str | None = None  # the form of address: 张总
    language: str | None = None  # the language of the customer's drafts: zh or en
    birthday: Day | None = None
    lunar_birthday: str | None = None  # as written, e.g. 三月初五 or 03-05
    lunar_next: date | None = None  # for export: its next solar date, computed by the caller
    dates: list[Occasion] = field(default_factory=list)  # a customer's dates, as kehu keeps them
    date_notes: dict[Occasion, str] = field(default_factory=dict)  # what kehu noted of them
    note: str | None = None
    product: str | None = None
    amount: str | None = None  # as written (158000, 15.8万): the importer checks it
    delivered: date | datetime | str | None = None  # a day, or a day and time (naive) when
    # readable, else the text as written
    tier: str | None = None  # A/B/C customer tier
    source: str | None = None
    referrer: str | None = None  # who sent them: a name, or a phone
    referrer_phone: str | None = None
    level: str | None = None  # prospect intent level H/A/B/C (O ordered; 战败/lost: lost)
    interest: str | None = None  # the product a prospect is considering (意向车型)
    budget: str | None = None  # as written
    expected_purchase: str | None = None  # when a prospect expects to buy, as written
    payment: str | None = None  # the rest of the prospect card, as written
    current_car: str | None = None
    usage: str | None = None
    cares: str | None = None
    competitors: str | None = None  # "; " between them, as kehu exports them
    best_time: str | None = None
    lost_reason: str | None = None  # a lost prospect's reason (a code or words), as written
    lost_note: str | None = None
    lost_at: str | None = None  # when they were lost, as written
    sold_at: str | None = None  # when the row's sale was made (an order), as written
    archived_at: str | None = None  # kehu's own files: when the customer was archived
    facts: dict[str, str] = field(default_factory=dict)  # every column with no field of its own
    position: int = 0  # line number (tables) or card number (vCard) it came from
    uid: str | None = None  # for export: a stable id, so a phone updates the contact it has

    def take_date(self, occasion: Occasion) -> bool:
        """A date read from a column or a card: a birthday is the record's birthday (solar or
        lunar) when it has none yet; any other date is one of its dates. False for a birthday
        other than the one the record already has (the caller keeps it as a profile fact)."""
        if occasion.kind != "birthday":
            if occasion not in self.dates:
                self.dates.append(occasion)
            return True
        if occasion.calendar == "solar":
            day = Day(occasion.year, occasion.month, occasion.day)
            if self.birthday is None:
                self.birthday = day
            return self.birthday == day
        year = f"{occasion.year}-" if occasion.year is not None else ""
        written = f"{'leap ' if occasion.leap else ''}{year}{occasion.month:02d}-{occasion.day:02d}"
        if self.lunar_birthday is None:
            self.lunar_birthday = written
        return self.lunar_birthday == written


@dataclass(frozen=True)
class CalendarEvent:
    """One event for a calendar file. `uid` is the caller's stable id for the item, so a calendar
    that imports the file again updates the event instead of adding a second one."""

    uid: str
    start: date | datetime  # a whole day, or an aware moment
    summary: str
    description: str = ""
    alarm_before: timedelta | None = None


@dataclass(frozen=True)
class Problem:
    """Something wrong at one place of a file. `code` is stable (see PROBLEM_CODES); `detail` is
    never customer data: a column name, a count, the expected form."""

    code: str
    position: int  # line number, or card number when `unit` is "card"
    unit: str = "line"  # "line" | "card"
    detail: str = ""
    line: int | None = None  # for a card: the line it starts on


PROBLEM_CODES = (
    "undecodable",  # bytes that are neither UTF-8, UTF-16 (with its BOM) nor GB18030
    "unterminated_quote",  # a quoted cell still open at the end of the file
    "bad_quoting",  # a stray quote or line break the CSV rules do not allow
    "duplicate_header",  # two columns with the same name (detail: the name)
    "extra_cells",  # more cells than the header has names (detail: how many)
    "no_header",  # an empty file or sheet
    "total_row",  # a sheet's total row (合计, 小计…): no customer, skipped
    "note_row",  # a note of one labelled cell under a table (制表人：…): no customer, skipped
    "bad_card",  # a vCard that cannot be read (detail: what failed)
    "unterminated_card",  # BEGIN:VCARD without END:VCARD
    "no_cards",  # a .vcf file without one BEGIN:VCARD
    "bad_date",  # a date cell or BDAY that cannot be read (detail: the field)
    "two_digit_year",  # a birthday's two-digit year of either century, 05-3-5 (detail: column)
    "bad_contact_date",  # a past contact's date that cannot be read, or has no year
    "no_name",  # a row or card without a name
    "phone_scientific",  # a phone as Excel's scientific notation (1.38E+10): digits lost
    "no_column",  # a contacts file without a column it needs (detail: which)
    "bad_value",  # a channel, kind or outcome kehu does not know (detail: the column)
    "future",  # a past contact dated after now
    "no_customer",  # a past contact whose phone or name matches no customer
    "several_customers",  # … whose name matches several
    "not_json",  # a kehu JSON file that is not JSON text
    "not_kehu_json",  # JSON, but not a kehu document
    "newer_version",  # a kehu JSON document newer than this kehu reads (detail: its version)
)


class FileProblem(BadInput):
    """A file that cannot be used at all (or, when strict, any problem). Carries the Problem so
    that the command can word it; str() is an English fallback."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        where = f"{problem.unit} {problem.position}"
        if problem.line is not None:
            where += f" (line {problem.line})"
        detail = f" ({problem.detail})" if problem.detail else ""
        super().__init__(f"{where}: {problem.code.replace('_', ' ')}{detail}")
