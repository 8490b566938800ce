"""Contacts as vCards (.vcf) through vobject: read 2.1 (Android, with quoted-printable names),
3.0 (iPhone, Google) and 4.0; write 3.0 or 4.0.

Reading splits the file into cards first, so that one card that cannot be read is reported with
its card number and line and the others are still read (unless strict).

Writing: a birthday without a year is BDAY:--MMDD in 4.0, and Apple's
BDAY;X-APPLE-OMIT-YEAR=1604:1604-MM-DD in 3.0 (what iPhones write and read; 3.0 has no form of
its own). A lunar birthday is never a BDAY (its solar date changes every year): it is a NOTE
line with its next solar date, and X-KEHU-LUNAR-BIRTHDAY / X-KEHU-LUNAR-BIRTHDAY-NEXT fields.
A solar wedding anniversary is ANNIVERSARY in 4.0, and an X-ABDATE labelled _$!<Anniversary>!$_
in 3.0 (what iPhones write); other dates are X-KEHU-DATE lines.
kehu's own fields travel as X-KEHU-* so that kehu reads its export back whole."""

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from kehu.exchange import encoding
from kehu.exchange.days import LUNAR_WORDS, dated, parse_day, parse_moment, to_date
from kehu.exchange.records import Day, FileProblem, PersonRecord, Problem
from kehu.rules.occasions import Occasion

VERSIONS = ("3.0", "4.0")
# kehu's own fields, as X-KEHU-<NAME> properties.
KEHU_FIELDS = (
    "wechat", "gender", "product", "amount", "tier", "level", "source", "referrer", "interest",
    "budget", "expected_purchase", "payment", "current_car", "usage", "cares", "competitors",
    "best_time", "lost_reason", "lost_note", "lost_at", "sold_at", "salutation", "language",
    "archived_at",
)  # fmt: skip
# A wedding anniversary: vCard 4.0's property, and those of older programs (3.0 has none).
WEDDING = ("ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY")
# The label iPhones give an X-ABDATE that is the wedding anniversary.
APPLE_ANNIVERSARY = "_$!<Anniversary>!$_"
# A date's note, in the group of the date's line: kehu's own, read back by kehu.
NOTE_OF_DATE = "X-KEHU-DATE-NOTE"
# Kept as profile facts when a card has them (under the property's name).
KEPT = ("NICKNAME", "URL", "CATEGORIES", "ROLE", "IMPP", "X-SOCIALPROFILE")
# Android's contact events, as its contacts app exports them:
# X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;DATE;TYPE;LABEL;…;DATA15
# TYPE 0 is a date of the label's kind, 1 the (wedding) anniversary, 2 other, 3 the birthday;
# DATA15 "1" marks a lunar date (Samsung's contacts, which also keep lunar birthdays).
ANDROID_EVENT = "vnd.android.cursor.item/contact_event"
ANDROID_TYPES = {"1": "anniversary", "2": "", "3": "birthday"}
ANDROID_NICKNAME = "vnd.android.cursor.item/nickname"


@dataclass(frozen=True)
class Card:
    number: int  # 1 for the first card of the file
    line: int  # the line its BEGIN:VCARD is on
    text: str


def read(
    path: Path, *, strict: bool = False
) -> Iterator[tuple[PersonRecord | None, list[Problem]]]:
    """Each card of the file as (record, problems); record is None for a card that cannot be
    read. With `strict`, the first problem raises FileProblem instead."""
    data = path.read_bytes()
    text = data.decode(encoding.decide_bytes(data))
    yield from read_text(text, strict=strict)


def read_text(
    text: str, *, strict: bool = False
) -> Iterator[tuple[PersonRecord | None, list[Problem]]]:
    """Raises FileProblem (no_cards) for a text without a single card: not a vCard file."""
    if not re.search(r"^\s*BEGIN:VCARD\s*$", text, re.IGNORECASE | re.MULTILINE):
        raise FileProblem(Problem("no_cards", 1))
    for card in split_cards(text):
        if isinstance(card, Problem):
            result: tuple[PersonRecord | None, list[Problem]] = (None, [card])
        else:
            result = _read_card(card)
        if strict and result[1]:
            raise FileProblem(result[1][0])
        yield result


def split_cards(text: str) -> Iterator[Card | Problem]:
    """The cards of a file, each with its number and first line. Quoted-printable soft line
    breaks (a line ending in = in vCard 2.1) are joined here, since vobject does not."""
    lines = text.removeprefix("\ufeff").split("\n")
    number, start, skipping = 0, 0, False
    body: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r")
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if body:  # a card that never ended
                yield Problem("unterminated_card", number, unit="card", line=start)
            number, start, body = number + 1, index + 1, [line]
        elif body:
            if _is_media(line) or (skipping and (line[:1] in (" ", "\t") or not line.strip())):
                skipping = True  # photos are ignored: not parsed, not kept in memory
                continue
            skipping = False
            if _continues_qp(body[-1]):
                body[-1] = body[-1][:-1] + line
            else:
                body.append(line)
            if upper == "END:VCARD":
                yield Card(number, start, "\r\n".join(body) + "\r\n")
                body = []
    if body:
        yield Problem("unterminated_card", number, unit="card", line=start)


def _is_media(line: str) -> bool:
    name = line.partition(":")[0].partition(";")[0].rpartition(".")[2].strip().upper()
    return name in ("PHOTO", "LOGO", "SOUND")


def _continues_qp(line: str) -> bool:
    params = line.partition(":")[0].upper()
    return "QUOTED-PRINTABLE" in params and line.endswith("=")


def _read_card(card: Card) -> tuple[PersonRecord | None, list[Problem]]:
    import vobject

    try:
        parsed = vobject.readOne(card.text)
        record, problems = _record(parsed, card.number)
    except Exception:  # vobject raises ParseError, ValueError, UnicodeError and others
        return None, [Problem("bad_card", card.number, unit="card", line=card.line)]
    problems = [Problem(p.code, p.position, p.unit, p.detail, card.line) for p in problems]
    return record, problems


def _values(card: Any, name: str) -> list[Any]:
    return [line.value for line in card.contents.get(name.lower(), [])]


def _text(card: Any, name: str) -> str | None:
    values = [_flat(v) for v in _values(card, name)]
    joined = "\n".join(v for v in values if v)
    return joined or None


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v).strip() for v in value if str(v).strip())
    return str(value).strip()


def _record(card: Any, number: int) -> tuple[PersonRecord, list[Problem]]:
    problems: list[Problem] = []
    record = PersonRecord(position=number)
    names = [n for n in (_flat(v) for v in _values(card, "FN")) if n]
    record.name = names[0] if names else _name_from_n(card)
    if not record.name:
        problems.append(Problem("no_name", number, unit="card"))
    phones = (_flat(v).removeprefix("tel:") for v in _values(card, "TEL"))
    record.phones = [p for p in phones if p]
    record.emails = [e for e in (_flat(v) for v in _values(card, "EMAIL")) if e]
    record.company = _text(card, "ORG")
    record.title = _text(card, "TITLE")
    record.address = "\n".join(_address(v) for v in _values(card, "ADR") if _address(v)) or None
    record.uid = _text(card, "UID")
    for field in KEHU_FIELDS:
        setattr(record, field, _text(card, _kehu(field)))
    record.gender = record.gender or _gender(card)
    record.delivered = _delivered(_text(card, _kehu("delivered")))
    record.lunar_birthday = _text(card, "X-KEHU-LUNAR-BIRTHDAY")
    record.lunar_next = _date(_text(card, "X-KEHU-LUNAR-BIRTHDAY-NEXT"))
    record.note = _without_lunar_line(_text(card, "NOTE"), record.lunar_birthday)
    for line in card.contents.get("bday", []):
        bday = _flat(line.value)
        found = dated("birthday", bday, lunar=_lunar_params(line.params)) if bday else None
        if found is None or not record.take_date(found):
            problems.append(Problem("bad_date", number, unit="card", detail="BDAY"))
            record.facts["BDAY"] = bday
    for line in card.contents.get("x-altbday", []):  # an iPhone's lunar birthday
        if _lunar_params(line.params):
            found = _apple_lunar(_flat(line.value))
            if found is None or not record.take_date(found):
                problems.append(Problem("bad_date", number, unit="card", detail="X-ALTBDAY"))
                record.facts["X-ALTBDAY"] = _flat(line.value)
    labels = {line.group: _flat(line.value) for line in card.contents.get("x-ablabel", [])}
    notes = {line.group: _flat(line.value)
             for line in card.contents.get(NOTE_OF_DATE.lower(), []) if line.group}  # fmt: skip

    def note_of(line: Any, occasion: Occasion) -> None:
        if line.group and notes.get(line.group):
            record.date_notes[occasion] = notes[line.group]

    for name in (*WEDDING, "X-ABDATE"):
        for line in card.contents.get(name.lower(), []):
            label = labels.get(line.group) if line.group else None
            kind = "anniversary" if name in WEDDING or label == APPLE_ANNIVERSARY else label
            found = dated(kind, _flat(line.value), lunar=_lunar_params(line.params))
            if found is None or not record.take_date(found):
                problems.append(Problem("bad_date", number, unit="card", detail=name))
                record.facts[name] = _flat(line.value)
            else:
                note_of(line, found)
    for value in _values(card, "X-ANDROID-CUSTOM"):
        _android(record, _fields(_flat(value)), problems)
    for line in card.contents.get("x-kehu-date", []):
        if (occasion := _occasion_from_text(_flat(line.value))) is None:
            problems.append(Problem("bad_date", number, unit="card", detail="X-KEHU-DATE"))
            record.facts["X-KEHU-DATE"] = _flat(line.value)
        else:
            record.dates.append(occasion)
            note_of(line, occasion)
    for value in _values(card, "X-KEHU-FACT"):
        key, fact = _fact_from_text(_flat(value))
        record.facts[key] = fact
    for name in KEPT:
        if text := _text(card, name):
            record.facts[name] = text
    return record, problems


def _lunar_params(params: dict[str, list[str]]) -> bool:
    """Whether a date's parameters mark it lunar: CALSCALE=chinese (vCard 4.0's calendar scale,
    an iPhone's X-ALTBDAY), or a lunar flag or word in a parameter's name or value."""
    words = [name for name in params] + [v for values in params.values() for v in values]
    folded = " ".join(str(w) for w in words).casefold()
    return "chinese" in folded or any(word in folded for word in LUNAR_WORDS)


def _apple_lunar(value: str) -> Occasion | None:
    """An iPhone's X-ALTBDAY;CALSCALE=chinese:CCCCYYYYMMDD (the 60-year cycle, the year in it,
    month, day: 007800010101 is 正月初一 of 1984), or a date without its year."""
    digits = value.strip()
    if m := re.fullmatch(r"(\d{4})(\d{4})(\d{2})(\d{2})", digits):
        cycle, year_in_cycle, month, day = (int(g) for g in m.groups())
        year = (cycle - 1) * 60 + year_in_cycle - 2637
        return dated("birthday", f"{year}-{month:02d}-{day:02d}", lunar=True)
    return dated("birthday", digits, lunar=True)


def _fields(value: str) -> list[str]:
    """The ;-separated fields of a property kehu does not know (vobject leaves it whole)."""
    return [part.replace("\\;", ";") for part in re.split(r"(?<!\\);", value)]


def _android(record: PersonRecord, fields: list[str], problems: list[Problem]) -> None:
    """An Android X-ANDROID-CUSTOM line: a contact event is one of the customer's dates (the
    birthday, solar or lunar, for its type 3), a nickname a profile fact; others are left."""
    kind, data = fields[0].strip(), [f.strip() for f in fields[1:]]
    if kind == ANDROID_NICKNAME and data and data[0]:
        record.facts.setdefault("NICKNAME", data[0])
    if kind != ANDROID_EVENT or not data or not data[0]:
        return
    day, type_ = data[0], data[1] if len(data) > 1 else ""
    label = ANDROID_TYPES.get(type_, data[2] if len(data) > 2 else "")  # TYPE 0: its label
    lunar = len(data) > 14 and data[14] == "1"
    found = dated(label, day, lunar=lunar)
    if found is None or not record.take_date(found):
        problems.append(
            Problem("bad_date", record.position, unit="card", detail="X-ANDROID-CUSTOM")
        )
        record.facts[label or "X-ANDROID-CUSTOM"] = day


def _name_from_n(card: Any) -> str:
    if "n" not in card.contents:
        return ""
    n = card.n.value
    parts = [_flat(getattr(n, k, "")) for k in ("family", "given", "additional")]
    family, given, additional = parts
    if any(_is_cjk(p) for p in parts):
        return family + given + additional
    return " ".join(p for p in (given, additional, family) if p)


def _address(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    parts = [value.box, value.extended, value.street, value.city, value.region, value.code]
    parts.append(value.country)
    return " ".join(_flat(p) for p in parts if _flat(p))


def _gender(card: Any) -> str | None:
    if value := _text(card, "GENDER"):
        sex, _, words = value.partition(";")
        sexes = {"M": "male", "F": "female", "O": "other"}
        return words.strip() or sexes.get(sex.strip().upper(), sex) or None
    return _text(card, "X-GENDER")


def _without_lunar_line(note: str | None, lunar: str | None) -> str | None:
    """The note without the line kehu's export adds for a lunar birthday."""
    if note is None or lunar is None:
        return note
    *kept, last = note.split("\n")
    if f" {lunar}" in last:
        return "\n".join(kept) or None
    return note


def _date(text: str | None) -> date | None:
    day = parse_day(text)
    return None if day is None else to_date(day)


def _delivered(text: str | None) -> date | datetime | str | None:
    if text is None:
        return None
    return parse_moment(text) or text


def _kehu(field: str) -> str:
    return "X-KEHU-" + field.upper().replace("_", "-")


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK") for ch in text)


def write(
    records: Iterable[PersonRecord],
    out: TextIO,
    *,
    version: str = "4.0",
    lunar_label: str = "农历生日",
) -> int:
    """Write one card per record; returns how many. `lunar_label` starts the NOTE line of a
    lunar birthday (the caller passes it in the user's language)."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}; accepted: {', '.join(VERSIONS)}")
    count = 0
    for record in records:
        out.write(_card(record, version, lunar_label))
        count += 1
    return count


def _card(record: PersonRecord, version: str, lunar_label: str) -> str:
    import vobject

    card = vobject.vCard()
    card.add("version").value = version
    if record.uid:
        card.add("uid").value = record.uid
    card.add("fn").value = record.name
    # The whole name as the family name: splitting 欧阳娜娜 or "Mary Ann Lee" would be a guess.
    card.add("n").value = vobject.vcard.Name(family=record.name)
    for phone in record.phones:
        tel = card.add("tel")
        tel.value = phone
        tel.type_param = "cell"
    for email in record.emails:
        card.add("email").value = email
    if record.company:
        card.add("org").value = [record.company]
    if record.title:
        card.add("title").value = record.title
    if record.address:
        card.add("adr").value = vobject.vcard.Address(street=record.address)
    if record.birthday:
        _bday(card, record.birthday, version)
    _dates(card, record.dates, version, record.date_notes)
    notes = [record.note] if record.note else []
    if record.lunar_birthday:
        card.add("x-kehu-lunar-birthday").value = record.lunar_birthday
        line = f"{lunar_label} {record.lunar_birthday}"
        if record.lunar_next:
            card.add("x-kehu-lunar-birthday-next").value = record.lunar_next.isoformat()
            line += f" ({record.lunar_next.isoformat()})"
        notes.append(line)
    if notes:
        card.add("note").value = "\n".join(notes)
    if version == "4.0" and record.gender in ("男", "male", "M", "m"):
        card.add("gender").value = "M"
    elif version == "4.0" and record.gender in ("女", "female", "F", "f"):
        card.add("gender").value = "F"
    for field in KEHU_FIELDS:
        if (value := getattr(record, field)) is not None:
            card.add(_kehu(field).lower()).value = value
    if record.delivered is not None:
        delivered = record.delivered
        card.add("x-kehu-delivered").value = (
            delivered.isoformat() if isinstance(delivered, date) else delivered
        )
    for key, value in record.facts.items():
        card.add("x-kehu-fact").value = _fact_text(key, value)
    text: str = card.serialize()
    return text


def _fact_text(key: str, value: str) -> str:
    """key=value, with = and \\ in the key escaped by a backslash."""
    return key.replace("\\", "\\\\").replace("=", "\\=") + "=" + value


def _fact_from_text(text: str) -> tuple[str, str]:
    key, escaped = [], False
    for index, ch in enumerate(text):
        if escaped:
            key.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "=":
            return "".join(key), text[index + 1 :]
        else:
            key.append(ch)
    return "".join(key), ""


def _bday(card: Any, day: Day, version: str, name: str = "bday") -> Any:
    bday = card.add(name)
    if day.year is None and version == "3.0":
        bday.value = f"1604-{day.month:02d}-{day.day:02d}"
        bday.params["X-APPLE-OMIT-YEAR"] = ["1604"]
    else:
        bday.value = _day_text(day, version)
    return bday


def _dates(
    card: Any, dates: list[Occasion], version: str, notes: dict[Occasion, str] | None = None
) -> None:
    """The first solar wedding anniversary as ANNIVERSARY (4.0) or as iPhones write it (3.0);
    every other date as an X-KEHU-DATE line, which kehu reads back; a date's note as an
    X-KEHU-DATE-NOTE line in the date's group (item1.X-ABDATE, item1.X-KEHU-DATE-NOTE), as
    iPhones tie a label to its date."""
    notes = notes or {}
    groups = (f"item{n}" for n in itertools.count(2))  # item1: the iPhone's anniversary

    def noted(line: Any, occasion: Occasion, group: str | None = None) -> None:
        if note := notes.get(occasion):
            line.group = line.group or group or next(groups)
            tied = card.add(NOTE_OF_DATE.lower())
            tied.value, tied.group = note, line.group

    wedding = next((d for d in dates if d.kind == "wedding" and d.calendar == "solar"), None)
    if wedding is not None:
        day = Day(wedding.year, wedding.month, wedding.day)
        if version == "4.0":
            noted(_bday(card, day, version, "anniversary"), wedding)
        else:
            line = _bday(card, day, version, "x-abdate")
            line.group = "item1"
            label = card.add("x-ablabel")
            label.value, label.group = APPLE_ANNIVERSARY, "item1"
            noted(line, wedding)
    for occasion in dates:
        if occasion is not wedding:
            line = card.add("x-kehu-date")
            line.value = _occasion_text(occasion)
            noted(line, occasion)


def _occasion_text(occasion: Occasion) -> str:
    """wedding lunar leap 2010-04-08, other solar --06-01 开业: the kind, the calendar, the date
    (--MM-DD without its year) and the label, if any."""
    day = Day(occasion.year, occasion.month, occasion.day).iso()
    leap = " leap" if occasion.leap else ""
    label = f" {occasion.label}" if occasion.label else ""
    return f"{occasion.kind} {occasion.calendar}{leap} {day}{label}"


_OCCASION = re.compile(
    r"(?P<kind>[a-z-]+) (?P<calendar>[a-z]+)(?P<leap> leap)?"
    r" (?:(?P<year>\d{4})|-)-(?P<month>\d\d)-(?P<day>\d\d)(?: (?P<label>.+))?"
)


def _occasion_from_text(text: str) -> Occasion | None:
    if (found := _OCCASION.fullmatch(text)) is None:
        return None
    year = found["year"]
    try:
        return Occasion(found["kind"], found["calendar"], int(found["month"]), int(found["day"]),
                        leap=bool(found["leap"]), year=None if year is None else int(year),
                        label=found["label"])  # fmt: skip
    except ValueError:
        return None


def _day_text(day: Day, version: str) -> str:
    if day.year is None:
        return f"--{day.month:02d}{day.day:02d}" if version == "4.0" else day.iso()
    return day.iso() if version == "3.0" else f"{day.year:04d}{day.month:02d}{day.day:02d}"
