"""A file imported twice doubles nothing: the sales and past contacts the book already holds
from an earlier import (or an export of the same book) are not recorded again."""

from conftest import in_chinese

SHEET = (
    "姓名,手机,购买车型,成交价,交车日期\r\n"
    "张三,13811112222,朗逸,120000.50,2026/11/3\r\n"
    "李四,13811113333,帕萨特,,\r\n"
)
CONTACTS = (
    "日期,客户,电话,方式,类型,结果,备注\r\n"
    '2026-11-20 14:30,,13811112222,微信,回访,接通,"问了保养, 说""还行"""\r\n'
    "2026/11/21,李四,,电话,,未接通,\r\n"
)


def _purchases(kehu):
    return kehu.rows(
        "SELECT c.name, p.product, p.amount, p.sold_at, p.delivered_at FROM purchase p"
        " JOIN customer c ON c.id = p.customer_id ORDER BY p.id"
    )


def test_a_sheet_of_sales_imported_again_records_no_sale_twice(kehu, tmp_path):
    sheet = tmp_path / "客户.csv"
    sheet.write_bytes(SHEET.encode("gbk"))  # as Chinese Excel saves it
    assert "Imported 2 customers." in kehu.ok("import", str(sheet))
    purchases = _purchases(kehu)
    # days later, the same sheet again (a row without a date was dated by the first import)
    out = kehu.ok("import", str(sheet), now="2026-11-25T09:00")
    assert "Imported 0 customers; 2 skipped" in out and "repeat sale" not in out
    assert _purchases(kehu) == purchases
    assert kehu.count("customer") == 2


def test_the_exported_order_of_an_ordered_prospect_is_not_sold_again(kehu, tmp_path):
    kehu.ok("add", "王芳", "--phone", "13700137000", "--prospect", "--level", "A")
    kehu.ok("sale", "王芳", "--product", "ID.4", "--amount", "199000.05", "--delivered", "12-15")
    kehu.ok("add", "赵强", "--phone", "13700137002", "--product", "Polo", "--amount", "90000")
    before = kehu.snapshot()
    for suffix in ("csv", "xlsx", "vcf"):
        path = tmp_path / f"book.{suffix}"
        assert kehu("export", str(path)).code == 0
        out = kehu.ok("import", str(path))
        assert "repeat sale" not in out and "2 skipped" in out, (suffix, out)
    after = kehu.snapshot()
    assert after["purchase"] == before["purchase"]
    assert kehu.json("show", "王芳")["prospect"]["level"] == "O"


def test_two_rows_of_one_file_with_the_same_sale_stay_two_sales(kehu, tmp_path):
    # two cars on one day to one buyer, listed in one sheet: both are sales
    sheet = tmp_path / "车队.csv"
    sheet.write_text(
        "姓名,手机,购买车型,成交价,交车日期\n"
        "刘总,13911112222,朗逸,120000,2026/11/3\n"
        "刘总,13911112222,朗逸,120000,2026/11/3\n",
        encoding="utf-8",
    )
    kehu.ok("add", "刘总", "--phone", "13911112222")
    result = kehu("import", str(sheet))
    assert result.code == 0 and "2 repeat sales" in result.out, result
    assert [p["product"] for p in _purchases(kehu)] == ["朗逸", "朗逸"]


def test_a_different_sale_of_a_known_customer_is_still_recorded(kehu, tmp_path):
    sheet = tmp_path / "客户.csv"
    sheet.write_bytes(SHEET.encode("gbk"))
    kehu.ok("import", str(sheet))
    again = tmp_path / "again.csv"
    again.write_text(
        "姓名,手机,购买车型,成交价,交车日期\n"
        "张三,13811112222,朗逸,120000.50,2026/11/10\n"  # another delivery
        "李四,13811113333,帕萨特,150000,\n",  # another amount
        encoding="utf-8",
    )
    out = kehu.ok("import", str(again))
    assert "2 repeat sales" in out
    assert len(_purchases(kehu)) == 4


def test_a_contacts_file_imported_twice_adds_its_contacts_once(kehu, tmp_path):
    sheet = tmp_path / "客户.csv"
    sheet.write_bytes(SHEET.encode("gbk"))
    contacts = tmp_path / "联系记录.csv"
    contacts.write_text(CONTACTS, encoding="utf-8-sig")
    out = kehu.ok("import", str(sheet), "--contacts", str(contacts))
    assert "Added 2 past contacts." in out
    rows = kehu.rows("SELECT * FROM contact ORDER BY id")
    out = kehu.ok("import", "--contacts", str(contacts))
    assert "Added 0 past contacts. 2 were already in the book: not added again." in out
    assert kehu.rows("SELECT * FROM contact ORDER BY id") == rows
    # one row more than before: only that one is added
    contacts.write_text(CONTACTS + "2026-11-21 16:00,李四,,电话,,接通,约了试驾\r\n", "utf-8")
    out = kehu.ok("import", "--contacts", str(contacts))
    assert "Added 1 past contact. 2 were already in the book" in out
    assert kehu.count("contact") == 3
    chinese = in_chinese("import", "--contacts", str(contacts))
    assert chinese.returncode == 0, chinese
    assert "3 条已在客户簿中，未重复添加" in chinese.stdout
    assert kehu.count("contact") == 3


def test_update_does_not_ask_to_import_again_for_a_sale_already_in_the_book(kehu, tmp_path):
    kehu.ok("add", "王芳", "--phone", "13700137000", "--prospect", "--level", "A")
    kehu.ok("sale", "王芳", "--product", "ID.4", "--delivered", "12-15")
    path = tmp_path / "book.csv"
    assert kehu("export", str(path)).code == 0
    preview = kehu.ok("import", str(path), "--on-duplicate", "update", "--dry-run")
    out = kehu.ok("import", str(path), "--on-duplicate", "update")
    assert "1 updated" in out
    for said in (preview, out):
        assert "not recorded" not in said and "will not be recorded" not in said, said
    # a sale the book lacks is still named, to import again with --on-duplicate sale
    path.write_text("name,phone,product,delivered\n王芳,13700137000,Tiguan,2026-12-20\n", "utf-8")
    preview = kehu.ok("import", str(path), "--on-duplicate", "update", "--dry-run")
    out = kehu.ok("import", str(path), "--on-duplicate", "update")
    assert "--on-duplicate sale" in preview and "--on-duplicate sale" in out
    assert kehu.count("purchase") == 1


def test_a_customer_without_a_phone_is_known_again_by_name_and_wechat_or_email(kehu, tmp_path):
    kehu.ok("add", "老李", "--wechat", "laoli", "--prospect", "--level", "B")
    kehu.ok("add", "小王", "--email", "w@example.com", "--product", "Golf", "--delivered", "11-20")
    kehu.ok("add", "老李", "--new", "--wechat", "li_2")  # a namesake, another person
    for suffix in ("csv", "vcf"):
        path = tmp_path / f"book.{suffix}"
        assert kehu("export", str(path)).code == 0
        before = kehu.snapshot()
        out = kehu.ok("import", str(path))
        assert "Imported 0 customers; 3 skipped" in out, (suffix, out)
        assert kehu.snapshot() == before
    # a name alone, or the name with another WeChat ID, is still a new person
    sheet = tmp_path / "new.csv"
    sheet.write_text("姓名,微信\n老李,laoli_new\n小王,\n", "utf-8")
    assert "Imported 2 customers." in kehu.ok("import", str(sheet))
    assert kehu.count("customer") == 5


NAMES_ONLY = (
    "姓名,手机,购买车型,交车日期,级别\r\n"
    "张三,13811112222,朗逸,2026/11/3,\r\n"
    "王先生,,,,\r\n"
    "王先生,,,,\r\n"  # two people of one name, no phone: both are added the first time
    "赵六,,Polo,2026/11/1,\r\n"
    "孙八,,,,B\r\n"  # a prospect
)


def test_a_sheet_of_names_without_phones_imported_again_adds_no_one(kehu, tmp_path):
    sheet = tmp_path / "名单.csv"
    sheet.write_bytes(NAMES_ONLY.encode("gbk"))
    assert "Imported 4 customers and 1 prospect." in kehu.ok("import", str(sheet))
    names = [r["name"] for r in kehu.rows("SELECT name FROM customer ORDER BY id")]
    assert names == ["张三", "王先生", "王先生", "赵六", "孙八"]
    before = kehu.snapshot()
    for on_duplicate in ("sale", "skip", "update"):
        out = kehu.ok("import", str(sheet), "--on-duplicate", on_duplicate, now="2026-11-25T09:00")
        assert out.startswith("Imported 0 customers;"), (on_duplicate, out)
        assert ("5 updated" if on_duplicate == "update" else "5 skipped") in out, out
        assert kehu.snapshot()["customer"] == before["customer"]
        assert kehu.snapshot()["purchase"] == before["purchase"]
    chinese = in_chinese("import", str(sheet))
    assert chinese.returncode == 0, chinese
    assert "跳过 5 行（已在客户簿里）" in chinese.stdout, chinese
    assert kehu.snapshot()["customer"] == before["customer"]


def test_a_name_without_a_phone_is_someone_new_when_anything_tells_them_apart(
    kehu, tmp_path, monkeypatch
):
    sheet = tmp_path / "名单.csv"
    sheet.write_text("姓名,购买车型,交车日期\n王先生,,\n赵六,Polo,2026/11/1\n", "utf-8")
    kehu.ok("import", str(sheet))
    # one more 王先生 than the book has, another sale of 赵六's: new people, as are the
    # namesakes with a phone, a WeChat ID or an email (a row without them is not theirs)
    kehu.ok("add", "周九", "--phone", "13700137009")
    kehu.ok("add", "吴十", "--wechat", "wu10")
    sheet.write_text(
        "姓名,购买车型,交车日期\n王先生,,\n王先生,,\n赵六,Golf,2026/11/1\n周九,,\n吴十,,\n",
        "utf-8",
    )
    assert "Imported 4 customers; 1 skipped" in kehu.ok("import", str(sheet))
    assert kehu.count("customer") == 2 + 2 + 4
    # another salesperson's sheet with the same name: their own customer
    monkeypatch.setenv("KEHU_USER", "lei")
    sheet.write_text("姓名\n王先生\n", "utf-8")
    assert "Imported 1 customer." in kehu.ok("import", str(sheet))
    owners = kehu.rows("SELECT owner FROM customer WHERE name = '王先生' ORDER BY id")
    assert [r["owner"] for r in owners] == ["mei", "mei", "lei"]
    assert "Imported 0 customers; 1 skipped" in kehu.ok("import", str(sheet))


def test_the_help_of_on_duplicate_says_rows_without_a_phone_are_matched_too(kehu):
    """`--on-duplicate` is about anyone the book already holds, not only a known phone: a row
    without a phone can be the same person too (README, Customers and sales)."""
    shown = " ".join(kehu.ok("import", "--help").split())
    assert "A row of someone already in the book (the same phone; a row without one as" in shown
    assert "whose phone is in the book" not in shown
    chinese = in_chinese("import", "--help")
    assert chinese.returncode == 0, chinese.stderr
    assert "客户簿里已有的人的行（电话相同；没有电话的行按README所说）" in "".join(
        chinese.stdout.split()
    )
