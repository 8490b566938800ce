"""Small forms people type and what kehu makes of them: a phone with words after it, a
birthday with a two-digit year, a time of day in Chinese after a date, and a 29 February
birthday in a year without one."""

from typing import Any

from conftest import in_chinese


def test_a_phone_with_words_after_it_is_its_number_and_the_words_a_fact(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Polo")
    typed = "１３８００１３８０００（微信同号）"  # full width, as a Chinese keyboard types it
    out = kehu.ok("add", "张伟", "--phone", typed, "--product", "Golf")
    assert out.startswith("Repeat sale: 张伟 (#1)")  # the same phone: not a new customer
    kehu.ok("add", "王芳", "--phone", "138 0013 9000 (wife)")
    kehu.ok("add", "李娜", "--phone", "13700137000 老公的")
    rows = kehu.rows("SELECT c.phone, c.phone_digits, p.value FROM customer c "
                     "JOIN profile_field p ON p.customer_id = c.id AND p.key = 'phone_note' "
                     "ORDER BY c.id")  # fmt: skip
    assert rows == [
        {"phone": "13800138000", "phone_digits": "13800138000", "value": "微信同号"},
        {"phone": "138 0013 9000", "phone_digits": "13800139000", "value": "wife"},
        {"phone": "13700137000", "phone_digits": "13700137000", "value": "老公的"},
    ]
    assert kehu.count("customer") == 3
    assert [c["id"] for c in kehu.json("list", "--search", "13800139000")] == [2]


def test_an_edited_phone_with_words_keeps_the_words(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13800138000")
    kehu.ok("edit", "1", "--phone", "13900139000（微信同号）")
    card = kehu.json("show", "1")
    assert (card["phone"], card["profile"]) == ("13900139000", {"phone_note": "微信同号"})


def test_a_vanity_number_stays_whole_and_matches_no_digits(kehu: Any) -> None:
    kehu.ok("add", "Flowers", "--phone", "1-800-FLOWERS")
    kehu.ok("add", "Shop", "--phone", "1 800 356 FLOWERS")
    rows = kehu.rows("SELECT phone, phone_digits FROM customer ORDER BY id")
    assert rows == [{"phone": "1-800-FLOWERS", "phone_digits": None},
                    {"phone": "1 800 356 FLOWERS", "phone_digits": None}]  # fmt: skip
    assert kehu.count("profile_field") == 0


def test_an_imported_phone_with_words_matches_the_known_customer(kehu: Any, tmp_path: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Polo")
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        "姓名,电话,产品,交车日期\n张伟,13800138000（微信同号）,Golf,2026-11-05 下午3点\n"
        "王芳,13900139000 (wife),Polo,2026年11月6日下午三点半\n",
        encoding="utf-8",
    )
    kehu.ok("import", str(sheet), "--yes")
    assert kehu.count("customer") == 2
    first, second = kehu.json("show", "1"), kehu.json("show", "2")
    assert first["profile"] == {"phone_note": "微信同号"}
    assert [p["delivered_at"] for p in first["purchases"] if p["product"] == "Golf"] == [
        "2026-11-05T15:00:00+08:00"
    ]
    assert (second["phone"], second["profile"]) == ("13900139000", {"phone_note": "wife"})
    assert second["purchases"][0]["delivered_at"] == "2026-11-06T15:30:00+08:00"


def test_a_birthday_with_a_two_digit_year_is_of_the_only_century_that_has_come(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "85年3月5日")
    assert kehu.json("show", "1")["birthday"] == "1985-03-05"
    for typed in ("85-3-5", "85/3/5", "８５．３．５"):
        kehu.ok("edit", "1", "--birthday", "70-1-2")
        kehu.ok("edit", "1", "--birthday", typed)
        assert kehu.json("show", "1")["birthday"] == "1985-03-05"


def test_a_two_digit_year_of_either_century_is_refused_naming_both(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--birthday", "1985-03-05")
    before = kehu.snapshot()
    refused = kehu("edit", "1", "--birthday", "05-3-5")
    assert refused.code == 2 and refused.out == ""
    assert refused.err.strip().splitlines() == [
        "kehu: can't tell the century of the birthday '05-3-5': 1905-03-05 or 2005-03-05; "
        "accepted: the year in full, like 2005-03-05"
    ]
    assert kehu("add", "王芳", "--birthday", "15年3月5日").code == 2
    assert kehu.snapshot() == before
    chinese = in_chinese("edit", "1", "--birthday", "05年3月5日")
    assert chinese.returncode == 2 and "Traceback" not in chinese.stderr
    assert "1905-03-05" in chinese.stderr and "2005-03-05" in chinese.stderr
    assert "世纪" in chinese.stderr and chinese.stderr.count("\n") == 1


def test_date_add_reads_a_birthdays_two_digit_year_as_birthday_does(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    for n, typed in enumerate(("85-3-5", "85年3月5日", "８５．３．５"), start=1):
        out = kehu.ok("date", "add", "1", "birthday", typed)
        assert out.startswith(f"Added date #{n} for 张伟: birthday, Fri 5 Mar 2027, turns 42")
        kehu.ok("date", "delete", str(n))
    before = kehu.snapshot()
    refused = kehu("date", "add", "1", "birthday", "05-3-5")
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip().splitlines() == [
        "kehu: can't tell the century of the birthday '05-3-5': 1905-03-05 or 2005-03-05; "
        "accepted: the year in full, like 2005-03-05"
    ]
    assert kehu("date", "add", "1", "wedding", "85-3-5").code == 2  # a birthday's rule only
    assert kehu.snapshot() == before
    chinese = in_chinese("date", "add", "1", "birthday", "05年3月5日")
    assert chinese.returncode == 2 and chinese.stderr.count("\n") == 1
    assert "1905-03-05" in chinese.stderr and "世纪" in chinese.stderr


def test_an_imported_birthday_with_a_two_digit_year_is_read_as_birthday_reads_it(
    kehu: Any, tmp_path: Any
) -> None:
    source = tmp_path / "客户.csv"
    source.write_text("姓名,电话,生日\n张伟,13800000001,85-3-5\n李娜,13800000002,85年3月5日\n"
                      "王强,13800000003,８５．３．５\n周杰,13800000004,28/3/05\n",
                      encoding="utf-8")  # fmt: skip
    done = kehu("import", str(source))
    assert done.code == 0 and done.out == "Imported 4 customers.\n", done
    # A slash may be Outlook's day/month/year: kept as written, with a warning, as before.
    assert done.err == (
        f"kehu: warning: {source}, line 5: the date in 生日 cannot be read; it is kept as a "
        "profile fact\n"
    )
    assert [kehu.json("show", str(n))["birthday"] for n in (1, 2, 3, 4)] == [
        "1985-03-05", "1985-03-05", "1985-03-05", None
    ]  # fmt: skip
    before = kehu.snapshot()
    source.write_text("姓名,电话,生日\n钱七,13600136001,1990-05-01\n赵六,13600136000,05-3-5\n",
                      encoding="utf-8")  # fmt: skip
    for dry_run in ((), ("--dry-run",)):
        refused = kehu("import", *dry_run, str(source))
        assert refused.code == 2 and (dry_run or refused.out == ""), refused  # a preview first
        assert refused.err == (
            f"kehu: {source}, line 3: the birthday in 生日 has a two-digit year that could be of "
            "the 1900s or of the 2000s; write the year in full, like 1985-03-15; nothing was "
            "imported\n"
        )
    assert kehu.snapshot() == before
    chinese = in_chinese("import", str(source))
    assert chinese.returncode == 2 and chinese.stderr.count("\n") == 1, chinese
    assert "第 3 行" in chinese.stderr and "写全年份" in chinese.stderr, chinese.stderr


def test_a_chinese_time_after_a_date_is_read_in_every_date_option(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf",
            "--delivered", "2026-11-20下午3点")  # fmt: skip
    assert kehu.json("show", "1")["purchases"][0]["delivered_at"] == "2026-11-20T15:00:00+08:00"
    kehu.ok("promise", "1", "brochure", "--due", "2026-11-25下午三点半")
    kehu.ok("promise", "1", "quote", "--due", "11月26日下午3点")
    dues = [p["due"] for p in kehu.json("show", "1")["promises"]]
    assert dues == ["2026-11-25T15:30:00+08:00", "2026-11-26T15:00:00+08:00"]
    refused = kehu("promise", "1", "call", "--due", "2026-11-253点")
    assert refused.code == 2 and "Traceback" not in refused.err


def test_a_29_february_birthday_says_the_day_it_is_kept_on(kehu: Any) -> None:
    now = "2027-02-25T10:00"
    kehu("add", "张伟", "--phone", "13800138000", "--birthday", "1988-02-29", now=now)
    kept = "29 Feb (kept on Sun 28 Feb this year, not a leap year), turns 39"
    assert kept in kehu.ok("show", "1", now=now)
    assert kept in kehu.ok("date", "list", now=now)
    assert kept in kehu.ok("today", now=now)
    assert "Birthday (29 Feb; kept on 28 Feb this year, not a leap year), turns 39" in kehu.ok(
        "calendar", "--days", "7", now=now
    )
    kehu.ok("config", "rules.feb29", "03-01")
    assert "29 Feb (kept on Mon 1 Mar this year, not a leap year)" in kehu.ok(
        "date", "list", now=now
    )
    chinese = in_chinese("date", "list", now=now).stdout
    assert "2月29日（今年不是闰年，按3月1日 周一过），满39周岁" in chinese
    calendar = in_chinese("calendar", "--days", "7", now=now).stdout
    assert "生日（2月29日，今年不是闰年，按3月1日过），满39周岁" in calendar
    leap = kehu.ok("date", "list", now="2028-02-25T10:00")
    assert "Tue 29 Feb, turns 40" in leap and "kept on" not in leap
