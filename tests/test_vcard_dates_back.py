"""A customer's dates come back whole from a vCard export: each date's note, and the year of a
lunar birthday (so the age comes back too), as from the CSV and xlsx exports."""

import pytest
import vobject
from conftest import in_chinese


def _dates(kehu, name, *db):
    shown = kehu.json(*db, "show", name)
    keys = ("kind", "calendar", "month", "day", "leap", "year", "label", "note")
    return sorted(tuple(o[k] for k in keys) for o in shown["occasions"])


@pytest.mark.parametrize("version", ["3", "4"])
def test_the_notes_of_dates_and_a_lunar_birthdays_year_come_back(kehu, tmp_path, version):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "1985-03-15")
    kehu.ok("date", "add", "张伟", "wedding", "2010-10-01", "--note", '结婚, "十周年"; 送花')
    kehu.ok("date", "add", "张伟", "child-birthday", "2015-06-01", "--note", "儿子小明🎂")
    kehu.ok("date", "add", "张伟", "other", "农历八月十五", "--label", "入职纪念日",
            "--note", "两行\n备注")  # fmt: skip
    kehu.ok("add", "钱七", "--phone", "13700137003")
    kehu.ok("date", "add", "钱七", "birthday", "农历2020年闰四月初八")
    path = tmp_path / f"book{version}.vcf"
    assert kehu("export", "--vcard-version", version, str(path)).code == 0
    cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
    assert [c.fn.value for c in cards] == ["张伟", "钱七"]  # vobject reads every card
    other = ("--db", str(tmp_path / "other.db"))
    assert "Imported 2 customers." in kehu.ok(*other, "import", str(path))
    for name in ("张伟", "钱七"):
        assert _dates(kehu, name, *other) == _dates(kehu, name), name
    qian = kehu.json(*other, "show", "钱七")["occasions"][0]
    assert (qian["year"], qian["leap"], qian["age_next"]) == (2020, True, 7)
    # the Chinese interface's export reads back the same
    zh = tmp_path / "zh.vcf"
    assert in_chinese("export", "--vcard-version", version, str(zh)).returncode == 0
    third = ("--db", str(tmp_path / "third.db"))
    kehu.ok(*third, "import", str(zh))
    for name in ("张伟", "钱七"):
        assert _dates(kehu, name, *third) == _dates(kehu, name), name
