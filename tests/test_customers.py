"""Customers and sales: add, sale, show, list, edit, archive, delete."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from conftest import MADE_BY

from kehu.base.errors import Ambiguous, BadInput, NotFound
from kehu.book.timestamps import from_db

NOW_UTC = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # KEHU_NOW, 10:00 in Shanghai
THANKS = "Send a thank-you note by tomorrow 10:00."


def customers(kehu: Any) -> list[dict[str, Any]]:
    return kehu.rows("SELECT * FROM customer ORDER BY id")


def purchases(kehu: Any) -> list[dict[str, Any]]:
    rows = kehu.rows(
        "SELECT id, customer_id, product, amount, sold_at, delivered_at FROM purchase ORDER BY id"
    )
    for r in rows:
        r["amount"] = None if r["amount"] is None else Decimal(str(r["amount"]))
        r["sold_at"], r["delivered_at"] = from_db(r["sold_at"]), from_db(r["delivered_at"])
    return rows


def stderr_lines(result: Any) -> list[str]:
    assert "Traceback" not in result.err
    return result.err.splitlines()


# add


def test_add_stores_every_detail_and_profile_fact(kehu: Any) -> None:
    out = kehu.ok(
        "add", "王芳", "--phone", "139 0000 1111", "--email", "wf@example.com",
        "--wechat", "wangfang88", "--company", "华为", "--title", "经理",
        "--address", "深圳南山", "--gender", "Female", "--tier", "a", "--source", "walk-in",
        "--birthday", "1985-03-15", "--note", "喜欢喝茶", "--set", "爱好=钓鱼",
        "--set", "家庭 = 两个孩子",
    )  # fmt: skip
    assert out == "Added 王芳 (#1), tier A.\n"
    [row] = customers(kehu)
    assert {k: row[k] for k in ("id", "name", "phone", "phone_digits", "email", "wechat",
                                "company", "title", "address", "gender", "tier", "source",
                                "referred_by", "notes", "owner", "attempts")} == {
        "id": 1, "name": "王芳", "phone": "139 0000 1111", "phone_digits": "13900001111",
        "email": "wf@example.com", "wechat": "wangfang88", "company": "华为", "title": "经理",
        "address": "深圳南山", "gender": "female", "tier": "A", "source": "walk-in",
        "referred_by": None, "notes": "喜欢喝茶", "owner": "mei", "attempts": 0,
    }  # fmt: skip
    [born] = kehu.rows("SELECT customer_id, kind, calendar, month, day, year FROM occasion")
    assert born == {"customer_id": 1, "kind": "birthday", "calendar": "solar", "month": 3,
                    "day": 15, "year": 1985}  # fmt: skip
    assert from_db(row["created_at"]) == NOW_UTC
    assert row["archived_at"] is None and row["last_reached_at"] is None
    facts = kehu.rows("SELECT key, value FROM profile_field WHERE customer_id = 1")
    assert sorted((f["key"], f["value"]) for f in facts) == [("家庭", "两个孩子"), ("爱好", "钓鱼")]
    assert kehu.count("purchase") == 0


def test_add_defaults_to_tier_b_and_no_sale(kehu: Any) -> None:
    assert kehu.ok("add", "  李娜  ") == "Added 李娜 (#1), tier B.\n"
    [row] = customers(kehu)
    assert (row["name"], row["tier"], row["phone"], row["source"]) == ("李娜", "B", None, None)
    assert kehu.count("purchase") == 0


def test_the_longest_texts_a_book_takes(kehu: Any) -> None:
    name, company, product = "张" * 200, "公" * 200, "车" * 400
    kehu.ok("add", name, "--phone", "1" * 40, "--company", company, "--product", product,
            "--set", "k" * 100 + "=" + "v" * 1000)  # fmt: skip
    [row] = customers(kehu)
    assert (row["name"], row["phone"], row["company"]) == (name, "1" * 40, company)
    assert purchases(kehu)[0]["product"] == product
    assert kehu.json("show", "1")["profile"] == {"k" * 100: "v" * 1000}


def test_add_with_product_records_the_sale_delivered_now(kehu: Any) -> None:
    out = kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf 1.4T",
                  "--amount", "158,000")  # fmt: skip
    assert out == (
        f"Added 张伟 (#1), tier B.\nSale: Golf 1.4T, 158,000.00, delivered today 10:00. {THANKS}\n"
    )
    assert purchases(kehu) == [
        {"id": 1, "customer_id": 1, "product": "Golf 1.4T", "amount": Decimal("158000"),
         "sold_at": NOW_UTC, "delivered_at": NOW_UTC},
    ]  # fmt: skip


def test_add_with_a_delivery_in_the_past_or_ahead(kehu: Any) -> None:
    out = kehu.ok("add", "张伟", "--product", "Golf", "--delivered", "昨天 15:30")
    assert "Sale: Golf, delivered yesterday 15:30. Send a thank-you note by today 15:30.\n" in out
    out = kehu.ok("add", "李娜", "--product", "Polo", "--amount", "15.8万",
                  "--delivered", "2026-12-01 09:00")  # fmt: skip
    assert out.endswith("Sale: Polo, 158,000.00, to be delivered Tue 1 Dec 09:00.\n")
    rows = purchases(kehu)
    assert [r["delivered_at"] for r in rows] == [
        datetime(2026, 11, 21, 7, 30, tzinfo=UTC),
        datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
    ]
    # sold no later than its delivery; a booked delivery was sold now
    assert [r["sold_at"] for r in rows] == [datetime(2026, 11, 21, 7, 30, tzinfo=UTC), NOW_UTC]
    assert rows[1]["amount"] == Decimal("158000")


def test_same_phone_written_differently_is_a_repeat_sale(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    out = kehu.ok("add", "张伟", "--phone", "+86 138-0013-8000", "--product", "轮胎",
                  "--email", "zw@example.com", "--company", "大众")  # fmt: skip
    assert out == (
        "Repeat sale: 张伟 (#1) is already in your book (same phone).\n"
        "Filled in: email, company.\n"
        f"Sale: 轮胎, delivered today 10:00. {THANKS}\n"
    )
    [row] = customers(kehu)
    assert (row["phone"], row["email"], row["company"]) == ("13800138000", "zw@example.com", "大众")
    assert [(p["customer_id"], p["product"]) for p in purchases(kehu)] == [(1, "Golf"), (1, "轮胎")]


def test_the_details_a_repeat_sale_fills_in_are_named_in_chinese(kehu: Any) -> None:
    import os
    import subprocess
    import sys

    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    # The language is bound when kehu starts: in Chinese, a process of its own.
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "add", "张伟", "--phone", "13800138000", "--product",
         "轮胎", "--email", "zw@example.com", "--wechat", "zw", "--company", "大众"],
        env={**os.environ, "KEHU_LANG": "zh"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "已补充：邮件、微信、公司。" in chinese.stdout.splitlines(), chinese.stdout


def test_repeat_sale_never_overwrites_known_details(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "大众", "--tier", "A")
    out = kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "丰田", "--tier", "C",
                  "--product", "Golf")  # fmt: skip
    assert out.startswith("Repeat sale: 张伟 (#1)")
    [row] = customers(kehu)
    assert (row["company"], row["tier"]) == ("大众", "A")


def test_edit_to_another_customer_s_phone_is_refused_unless_new(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800000001", "--note", "VIP")
    kehu.ok("add", "李娜", "--phone", "13800000002")
    refused = kehu("edit", "李娜", "--phone", "138 0000 0001")
    assert refused.code == 2 and refused.out == ""
    assert refused.err == (
        "kehu: that phone is #1's, already in the book: --new keeps it for both, as a phone "
        "they share; nothing was changed\n"
    )
    assert kehu.json("show", "李娜")["phone"] == "13800000002"
    kehu.ok("edit", "张伟", "--phone", "138-0000-0001")  # their own phone, written otherwise
    kehu.ok("edit", "李娜", "--phone", "13800000001", "--new")
    assert kehu.json("show", "李娜")["phone"] == "13800000001"


def test_a_different_phone_is_a_different_person(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    out = kehu.ok("add", "张伟", "--phone", "13900139000", "--product", "Polo")
    assert out.startswith("Added 张伟 (#2), tier B.\n")
    assert [(c["id"], c["name"], c["phone"]) for c in customers(kehu)] == [
        (1, "张伟", "13800138000"),
        (2, "张伟", "13900139000"),
    ]
    assert [(p["customer_id"], p["product"]) for p in purchases(kehu)] == [(1, "Golf"), (2, "Polo")]


def test_a_known_name_without_phone_is_refused_listing_the_namesakes(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "大众4S店")
    kehu.ok("add", "张伟", "--phone", "13900139000")
    before = kehu.snapshot()
    result = kehu("add", "张伟", "--product", "Golf")
    assert result.code == Ambiguous.exit_code, result
    assert result.out == ""
    first, *candidates = stderr_lines(result)
    assert first.startswith("kehu: 2 customers match; that name is already in the book.")
    for how in ("kehu sale ID", "--phone", "--new"):
        assert how in first
    assert candidates == ["  #1  张伟  13800138000  大众4S店", "  #2  张伟  13900139000"]
    assert kehu.snapshot() == before


def test_new_adds_another_person_of_the_same_name(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    out = kehu.ok("add", "张伟", "--new", "--product", "Golf")
    assert out.startswith("Added 张伟 (#2), tier B.\n")
    assert [p["customer_id"] for p in purchases(kehu)] == [2]


def test_on_a_terminal_answering_an_id_records_a_repeat_sale(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000", "--company", "大众4S店")
    kehu.ok("add", "张伟", "--phone", "13900139000")
    result = kehu("add", "张伟", "--product", "Golf", tty=True, input="#2\n")
    assert result.code == 0, result
    assert result.out == (  # chosen by id: no phone was typed
        "Repeat sale: 张伟 (#2) is already in your book (the one you chose).\n"
        f"Sale: Golf, delivered today 10:00. {THANKS}\n"
    )
    assert result.err == (
        "张伟 is already in your book:\n"
        "  #1  张伟  13800138000  大众4S店\n"
        "  #2  张伟  13900139000\n"
        "Type the id of the same person, or n for a new one: "
    )
    assert kehu.count("customer") == 2
    assert [p["customer_id"] for p in purchases(kehu)] == [2]


def test_on_a_terminal_an_id_in_full_width_or_yes_to_the_one_namesake_is_that_person(
    kehu: Any,
) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    for answer in ("＃１", "是", "是的", "y"):
        result = kehu("add", "张伟", "--product", "Golf", tty=True, input=answer + "\n")
        assert result.code == 0, (answer, result)
        assert result.out.startswith("Repeat sale: 张伟 (#1)"), (answer, result)
    assert kehu.count("customer") == 1
    assert [p["customer_id"] for p in purchases(kehu)] == [1] * 4
    kehu.ok("add", "张伟", "--new", "--phone", "13900139000")
    before = kehu.snapshot()
    result = kehu("add", "张伟", "--product", "Golf", tty=True, input="是\n")  # which one?
    assert result.code == BadInput.exit_code, result
    assert result.err.endswith("'是' is neither one of the ids shown nor n; nothing was added\n")
    assert kehu.snapshot() == before
    result = kehu("add", "张伟", "--product", "Golf", tty=True, input="算了\n")
    assert result.out.startswith("Added 张伟 (#3), tier B.\n"), result


def test_on_a_terminal_answering_n_adds_a_new_person(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    result = kehu("add", "张伟", "--product", "Golf", tty=True, input="\nn\n")
    assert result.code == 0, result
    assert result.out.startswith("Added 张伟 (#2), tier B.\n")
    assert [p["customer_id"] for p in purchases(kehu)] == [2]


def test_on_a_terminal_another_answer_or_none_adds_nothing(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    before = kehu.snapshot()
    result = kehu("add", "张伟", "--product", "Golf", tty=True, input="7\n")
    assert result.code == BadInput.exit_code, result
    assert "Traceback" not in result.err and result.err.count("kehu: ") == 1
    assert result.err.endswith(
        "or n for a new one: kehu: '7' is neither one of the ids shown nor n; nothing was added\n"
    )
    result = kehu("add", "张伟", "--product", "Golf", tty=True, input="")
    assert result.code != 0, result
    assert stderr_lines(result)[-1] == "kehu: aborted; nothing was written"
    assert kehu.snapshot() == before


def test_on_a_terminal_a_phone_or_new_person_is_not_asked_about(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    result = kehu("add", "张伟", "--phone", "13900139000", tty=True)
    assert (result.code, result.out, result.err) == (0, "Added 张伟 (#2), tier B.\n", "")
    result = kehu("add", "李娜", tty=True)
    assert (result.code, result.out, result.err) == (0, "Added 李娜 (#3), tier B.\n", "")


def test_referred_by_sets_the_referrer_and_source(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111")
    kehu.ok("add", "李娜", "--referred-by", "13900001111", "--product", "Polo")
    kehu.ok("add", "赵六", "--referred-by", "王芳", "--source", "ad")
    rows = customers(kehu)
    assert [(r["name"], r["referred_by"], r["source"]) for r in rows] == [
        ("王芳", None, None),
        ("李娜", 1, "referral"),
        ("赵六", 1, "ad"),
    ]
    assert "  referred by: 王芳 (#1)\n" in kehu.ok("show", "李娜")
    assert "Referred\n  李娜 (#2)\n  赵六 (#3)\n" in kehu.ok("show", "王芳")


def test_a_repeat_sale_can_add_the_referrer(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111")
    kehu.ok("add", "李娜", "--phone", "13700137000", "--product", "Polo")
    out = kehu.ok("add", "李娜", "--phone", "13700137000", "--referred-by", "王芳",
                  "--product", "Golf")  # fmt: skip
    assert "\nFilled in: source, referred by.\n" in out
    assert [(r["referred_by"], r["source"]) for r in customers(kehu)] == [
        (None, None),
        (1, "referral"),
    ]


def test_a_repeat_sale_brings_an_archived_customer_back(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", "13800138000")
    kehu.ok("archive", "张伟")
    out = kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf")
    assert out.startswith("Repeat sale: 张伟 (#1)")
    assert customers(kehu)[0]["archived_at"] is None


# sale


def test_sale_records_a_further_purchase(kehu: Any) -> None:
    kehu.ok("add", "李娜", "--phone", "13700137000", "--product", "Polo")
    out = kehu.ok("sale", "13700137000", "--product", " 保养套餐 ", "--amount", "3,280.5",
                  "--delivered", "2026-11-20 14:00")  # fmt: skip
    assert out == (
        "Sale to 李娜 (#1).\n"
        "Sale: 保养套餐, 3,280.50, delivered Fri 20 Nov 14:00. "
        "The thank-you note was due by yesterday 14:00.\n"
    )
    assert purchases(kehu)[1] == {
        "id": 2, "customer_id": 1, "product": "保养套餐", "amount": Decimal("3280.50"),
        "sold_at": datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
        "delivered_at": datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
    }  # fmt: skip
    assert kehu.count("customer") == 1


# show


def test_show_prints_the_whole_card(kehu: Any) -> None:
    kehu.ok(
        "add", "王芳", "--phone", "13900001111", "--email", "wf@example.com", "--company",
        "华为", "--tier", "A", "--source", "walk-in", "--birthday", "03-15", "--note", "喜欢喝茶",
        "--set", "hobbies=钓鱼", "--set", "family=两个孩子", "--product", "Golf 1.4T",
        "--amount", "158000", "--delivered", "2026-11-01 11:00",
    )  # fmt: skip
    kehu.ok("sale", "王芳", "--product", "脚垫", "--delivered", "2026-11-30 09:00")
    kehu.ok("log", "王芳", "--via", "call", "--at", "-3d", "--note", "问了保养")
    kehu.ok("log", "王芳", "--via", "call", "--kind", "thank-you", "--at", "2026-11-20 09:00",
            "--next", "2026-11-29 15:00", "--next-note", "问问新车")  # fmt: skip
    kehu.ok("log", "王芳", "--via", "wechat", "--no-answer")
    kehu.ok("promise", "王芳", "送保养券", "--due", "2026-11-25")
    kehu.ok("promise", "王芳", "回电话", "--due", "2026-11-20", "--force")
    kehu.ok("promise", "王芳", "寄资料", "--due", "2026-11-21 18:00", "--force")
    kehu.ok("kept", "P2")
    assert kehu.ok("show", "王芳") == (
        "王芳  #1  tier A\n"
        "  phone:       13900001111\n"
        "  email:       wf@example.com\n"
        "  company:     华为\n"
        "  salutation:  王芳 (default)\n"
        "  birthday:    03-15\n"
        "  source:      walk-in\n"
        "  owner:       mei\n"
        "  added:       today\n"
        "  notes:       喜欢喝茶\n"
        "  contact:     last reached 2 days ago, 1 unanswered try since\n"
        "Dates\n"
        "  #1  birthday  Mon 15 Mar 2027\n"
        "Profile\n"
        "  family: 两个孩子\n"
        "  hobbies: 钓鱼\n"
        "Purchases\n"
        "  #2  today      脚垫                   delivered Mon 30 Nov 09:00\n"
        "  #1  Sun 1 Nov  Golf 1.4T  158,000.00  delivered Sun 1 Nov 11:00\n"
        "Open promises\n"
        "  P3  due yesterday 18:00  寄资料  LATE\n"
        "  P1  due Wed 25 Nov       送保养券\n"
        "Planned calls\n"
        "  F1  Sun 29 Nov 15:00  问问新车\n"
        "Coming\n"
        "  P3  Promised: 寄资料 — due since yesterday 18:00  LATE\n"
        "  next call-back: the 1-month one, Tue 1 Dec (purchase #1)\n"
        "Contacts\n"
        "  #3  today 10:00       wechat  follow-up  (no answer)\n"
        "  #2  Fri 20 Nov 09:00  call    thank-you\n"
        "  #1  Thu 19 Nov 10:00  call    follow-up               问了保养\n"
    )


def test_show_of_a_customer_never_reached(kehu: Any) -> None:
    kehu.ok("add", "李娜")
    assert kehu.ok("show", "1") == (
        "李娜  #1  tier B\n  salutation:  李娜 (default)\n  owner:       mei\n"
        "  added:       today\n  contact:     never reached\n"
    )
    card = kehu.json("show", "李娜")
    assert (card["days_since_reached"], card["last_reached_at"]) == (None, None)
    assert card["purchases"] == card["promises"] == card["contacts"] == []


CARD_KEYS = {
    "id", "name", "phone", "email", "wechat", "company", "title", "address", "gender",
    "birthday", "occasions", "tier", "source", "referred_by", "notes", "owner", "created_at",
    "archived_at",
    "last_reached_at", "days_since_reached", "no_answer_attempts", "profile", "purchases",
    "promises", "followups", "contacts", "referrals", "snoozes", "salutation", "language", "coming",
    "prospect",
}  # fmt: skip
PURCHASE_KEYS = {"id", "product", "amount", "sold_at", "delivered_at"}
PROMISE_KEYS = {"id", "text", "due", "created_at", "kept_at", "cancelled_at", "status"}
CONTACT_KEYS = {"id", "at", "channel", "kind", "outcome", "note", "sent", "purchase_id", "made_by"}


def test_show_json_has_pinned_keys_and_values(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111")
    kehu.ok("add", "李娜", "--phone", "13700137000", "--referred-by", "王芳",
            "--birthday", "1990-02-01", "--set", "爱好=钓鱼", "--product", "Polo",
            "--amount", "15.8万")  # fmt: skip
    kehu.ok("log", "李娜", "--via", "visit", "--at", "2026-11-21 15:30", "--note", "试驾",
            "--next", "明天")  # fmt: skip
    kehu.ok("promise", "李娜", "送保养券", "--due", "后天")
    card = kehu.json("show", "13700137000")
    assert set(card) == CARD_KEYS
    [purchase], [promise], [contact] = card["purchases"], card["promises"], card["contacts"]
    assert set(purchase) == PURCHASE_KEYS
    assert set(promise) == PROMISE_KEYS
    assert set(contact) == CONTACT_KEYS
    assert {k: card[k] for k in ("id", "name", "phone", "birthday", "tier", "source", "owner",
                                 "referred_by", "profile", "days_since_reached",
                                 "last_reached_at", "no_answer_attempts", "referrals")} == {
        "id": 2, "name": "李娜", "phone": "13700137000", "birthday": "1990-02-01", "tier": "B",
        "source": "referral", "owner": "mei", "referred_by": {"id": 1, "name": "王芳"},
        "profile": {"爱好": "钓鱼"}, "days_since_reached": 1,
        "last_reached_at": "2026-11-21T15:30:00+08:00", "no_answer_attempts": 0,
        "referrals": [],
    }  # fmt: skip
    assert purchase == {
        "id": 1, "product": "Polo", "amount": 158000.0, "sold_at": "2026-11-22T10:00:00+08:00",
        "delivered_at": "2026-11-22T10:00:00+08:00",
    }  # fmt: skip
    assert promise == {
        "id": 1, "text": "送保养券", "due": "2026-11-24T23:59:59+08:00",
        "created_at": "2026-11-22T10:00:00+08:00", "kept_at": None, "cancelled_at": None,
        "status": "open",
    }  # fmt: skip
    assert contact == {
        "id": 1, "at": "2026-11-21T15:30:00+08:00", "channel": "visit", "kind": "follow-up",
        "outcome": "reached", "note": "试驾", "sent": False, "purchase_id": None,
        "made_by": MADE_BY,
    }  # fmt: skip
    assert card["followups"] == [{"id": 1, "due": "2026-11-23T00:00:00+08:00", "note": None}]
    assert kehu.json("show", "王芳")["referrals"] == [{"id": 2, "name": "李娜"}]


# list


def test_list_prints_one_line_per_customer_with_days_since_contact(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--company", "华为", "--tier", "A",
            "--set", "爱好=钓鱼")  # fmt: skip
    kehu.ok("add", "李娜", "--note", "VIP 客户")
    kehu.ok("add", "Bob Li", "--phone", "13700137000", "--tier", "C")
    kehu.ok("log", "王芳", "--via", "call", "--at", "-3d")
    kehu.ok("log", "Bob", "--via", "call")
    kehu.ok("log", "李娜", "--via", "call", "--no-answer")
    assert kehu.ok("list") == (
        "id  name    phone        company  tier  days since contact\n"
        "1   王芳    13900001111  华为     A     3\n"
        "2   李娜                          B     never\n"
        "3   Bob Li  13700137000           C     0\n"
    )
    assert kehu.ok("list", "--tier", "a").splitlines()[1:] == [
        "1   王芳  13900001111  华为     A     3"
    ]
    for text, ids in [("钓鱼", [1]), ("0013", [3]), ("华", [1]), ("vip", [2]), ("bob", [3])]:
        assert [c["id"] for c in kehu.json("list", "--search", text)] == ids, text
    assert kehu.ok("list", "--search", "nobody") == "No customers match.\n"
    assert kehu.ok("list", "--tier", "B", "--search", "Bob") == "No customers match.\n"


def test_list_json_has_pinned_keys(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--company", "华为", "--tier", "A")
    kehu.ok("log", "王芳", "--via", "call", "--at", "2026-11-21 15:30")
    assert kehu.json("list") == [
        {"id": 1, "name": "王芳", "phone": "13900001111", "company": "华为", "tier": "A",
         "owner": "mei", "last_reached_at": "2026-11-21T15:30:00+08:00",
         "days_since_reached": 1, "archived": False},
    ]  # fmt: skip


def test_list_of_an_empty_book(kehu: Any) -> None:
    kehu.new_book()
    assert kehu.ok("list") == "No customers yet.\n"
    assert kehu.json("list") == []
    kehu.ok("add", "李娜")
    assert kehu.ok("list", "--archived") == "No customers match.\n"


# edit


def test_edit_changes_details_and_profile(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--company", "华为", "--set", "爱好=钓鱼",
            "--set", "job=工程师")  # fmt: skip
    kehu.ok("add", "李娜")
    out = kehu.ok("edit", "王芳", "--phone", "+86 136-0013-6000", "--company", "", "--tier", "A",
                  "--name", "王芳芳", "--set", "爱好=高尔夫", "--unset", "job",
                  "--referred-by", "李娜", "--birthday", "02-29", "--gender", "female")  # fmt: skip
    assert out == "Updated 王芳芳 (#1).\n"
    row = customers(kehu)[0]
    assert {k: row[k] for k in ("name", "phone", "phone_digits", "company", "tier",
                                "referred_by", "gender")} == {
        "name": "王芳芳", "phone": "+86 136-0013-6000", "phone_digits": "13600136000",
        "company": None, "tier": "A", "referred_by": 2, "gender": "female",
    }  # fmt: skip
    assert kehu.json("show", "13600136000")["birthday"] == "02-29"
    assert kehu.rows("SELECT key, value FROM profile_field") == [{"key": "爱好", "value": "高尔夫"}]
    kehu.ok("edit", "1", "--referred-by", "", "--note", "换了手机号")
    row = customers(kehu)[0]
    assert (row["referred_by"], row["notes"]) == (None, "换了手机号")


def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--tier", "A", "--birthday", "03-15",
            "--set", "爱好=钓鱼")  # fmt: skip
    kehu.ok("add", "李娜", "--referred-by", "王芳")
    before = kehu.snapshot()
    for args in (("--email", ""), ("--email", "", "--company", ""), ("--tier", "A"),
                 ("--phone", "13900001111"), ("--birthday", "03-15"), ("--set", "爱好=钓鱼"),
                 ("--name", "王芳", "--gender", "")):  # fmt: skip
        assert kehu.ok("edit", "王芳", *args) == "王芳 (#1) already has that; nothing changed.\n"
    assert kehu.ok("edit", "李娜", "--referred-by", "1") == (
        "李娜 (#2) already has that; nothing changed.\n"
    )
    assert kehu.snapshot() == before  # no undo entry either
    zh = subprocess.run(
        [sys.executable, "-m", "kehu", "edit", "王芳", "--email", ""],
        capture_output=True,
        text=True,
        env={**os.environ, "KEHU_LANG": "zh"},
    )
    assert (zh.returncode, zh.stdout) == (0, "王芳（#1）已经是这样，没有改动。\n")
    assert " edit " not in kehu.ok("undo", "--list")
    # A change among unchanged fields is a change.
    assert kehu.ok("edit", "王芳", "--email", "", "--tier", "B") == "Updated 王芳 (#1).\n"
    assert customers(kehu)[0]["tier"] == "B"
    kehu.ok("add", "赵磊", "--prospect", "--level", "A", "--interest", "Golf",
            "--expected", "2027-01-15", "--competitor", "Polo")  # fmt: skip
    card = ("--interest", "Golf", "--expected", "2027-01-15", "--competitor", "Polo")
    assert kehu.ok("edit", "赵磊", *card) == "赵磊 (#3) already has that; nothing changed.\n"
    # A phone shared with another customer (--new), given again as it is, is no change.
    kehu.ok("add", "王强", "--phone", "13900001111", "--new")
    out = kehu.ok("edit", "王强", "--phone", "13900001111", "--tier", "C")
    assert out == "Updated 王强 (#4).\n"


def test_an_archived_customer_can_still_be_edited(kehu: Any) -> None:
    kehu.ok("add", "李娜")
    kehu.ok("archive", "李娜")
    assert kehu.ok("edit", "李娜", "--tier", "C") == "Updated 李娜 (#1).\n"
    assert customers(kehu)[0]["tier"] == "C"


# archive, unarchive, delete


def test_archive_twice_or_unarchive_an_active_one_changes_nothing_and_says_so(kehu: Any) -> None:
    kehu.ok("add", "张伟")
    kehu.ok("add", "李娜")
    kehu.ok("archive", "2")
    before = kehu.snapshot()
    assert kehu.ok("archive", "2") == "#2 is already archived; nothing changed.\n"
    assert kehu.ok("unarchive", "1") == "#1 is not archived; nothing changed.\n"
    assert kehu.snapshot() == before


def test_archived_customers_leave_lists_and_today(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--product", "Golf", "--delivered", "-2d")
    kehu.ok("add", "李娜", "--phone", "13700137000", "--product", "Polo", "--delivered", "-2d")
    kehu.ok("promise", "李娜", "送保养券", "--due", "昨天", "--force")
    assert kehu.ok("archive", "李娜") == "Archived 李娜 (#2).\n"
    assert from_db(customers(kehu)[1]["archived_at"]) == NOW_UTC
    assert [c["id"] for c in kehu.json("list")] == [1]
    listed = kehu.json("list", "--archived")
    assert [(c["id"], c["archived"]) for c in listed] == [(2, True)]
    assert "  (archived today)" in kehu.ok("show", "李娜").splitlines()[0]
    today = kehu.json("today", "--all")
    assert {item["customer_id"] for item in today["items"]} == {1}
    result = kehu("log", "李娜", "--via", "call")
    assert result.code == NotFound.exit_code, result
    assert kehu.count("contact") == 0

    assert kehu.ok("unarchive", "13700137000") == "Unarchived 李娜 (#2).\n"
    assert customers(kehu)[1]["archived_at"] is None
    assert [c["id"] for c in kehu.json("list")] == [1, 2]
    assert 2 in {item["customer_id"] for item in kehu.json("today", "--all")["items"]}


def test_delete_with_yes_removes_the_customer_and_their_history(kehu: Any) -> None:
    kehu.ok("add", "王芳", "--phone", "13900001111", "--product", "Golf", "--set", "爱好=钓鱼")
    kehu.ok("add", "李娜", "--referred-by", "王芳", "--product", "Polo")
    kehu.ok("log", "王芳", "--via", "call", "--next", "明天")
    kehu.ok("promise", "王芳", "送保养券", "--due", "明天")
    assert kehu.ok("delete", "王芳", "--yes") == "Deleted #1 and everything recorded about them.\n"
    assert [(c["id"], c["referred_by"]) for c in customers(kehu)] == [(2, None)]
    assert [p["customer_id"] for p in purchases(kehu)] == [2]
    for table in ("profile_field", "contact", "promise", "followup"):
        assert kehu.count(table) == 0, table


def test_a_delivery_day_without_its_year_is_the_nearest_such_day(kehu: Any) -> None:
    on_8_dec = "2026-12-08T09:00"
    kehu.ok("add", "陈明", "--phone", "13800138000", now=on_8_dec)
    out = kehu.ok("sale", "陈明", "--product", "X", "--delivered", "12月15日", now=on_8_dec)
    assert out.endswith("Sale: X, to be delivered Tue 15 Dec.\n")
    kehu.ok("sale", "陈明", "--product", "Y", "--delivered", "12/15", now=on_8_dec)
    kehu.ok("sale", "陈明", "--product", "Z", "--delivered", "11月20日", now=on_8_dec)
    kehu.ok("add", "李娜", "--product", "W", "--delivered", "１２月１５日", now=on_8_dec)
    kehu.ok("sale", "李娜", "--product", "V", "--delivered", "20号", now=on_8_dec)
    kehu.ok("purchase-edit", "5", "--delivered", "5号", now=on_8_dec)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert [r["delivered_at"].astimezone(shanghai).date() for r in purchases(kehu)] == [
        date(2026, 12, 15), date(2026, 12, 15), date(2026, 11, 20),
        date(2026, 12, 15), date(2026, 12, 5),
    ]  # fmt: skip


def test_the_cards_contacts_are_in_columns_in_either_language(kehu: Any) -> None:
    import os
    import subprocess
    import sys

    from kehu.ui.tables import width

    kehu.ok("add", "王芳", "--phone", "13900001111")
    for day in range(1, 11):  # ids #1 to #10, dates of one and two digits
        kehu.ok("log", "王芳", "--via", "call", "--at", f"2026-10-{day:02d} 10:00", "--note", "好")
    kehu.ok("log", "王芳", "--via", "wechat", "--kind", "thank-you", "--no-answer")
    kehu.ok("log", "王芳", "--via", "visit", "--at", "2026-11-20 09:00", "--note", "送了礼品")
    english = kehu.ok("show", "王芳").split("Contacts\n")[1].splitlines()
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "show", "王芳"], env={**os.environ, "KEHU_LANG": "zh"},
        capture_output=True, text=True, check=True,
    ).stdout.split("联系记录\n")[1].splitlines()  # fmt: skip
    assert english[0] == "  #11  today 10:00       wechat  thank-you  (no answer)"
    assert english[1] == "  #12  Fri 20 Nov 09:00  visit   follow-up               送了礼品"
    assert english[-1] == "  #1   Thu 1 Oct 10:00   call    follow-up               好"
    assert chinese[0] == "  #11  今天 10:00           微信  感谢  （未接通）"
    assert chinese[-1] == "  #1   10月1日 周四 10:00   电话  回访              好"
    for lines in (english, chinese):
        assert len(lines) == 12
        # Each column starts at the same terminal column on every line (CJK is two wide).
        for word in ("call", "follow-up", "好") if lines is english else ("电话", "回访", "好"):
            starts = {width(line[: line.index(word)]) for line in lines if word in line}
            assert len(starts) == 1, (word, lines)


def test_a_month_and_day_with_a_dash_or_a_dot_reads_as_with_a_slash(kehu: Any) -> None:
    on_8_dec = "2026-12-08T09:00"
    out = kehu.ok("add", "陈明", "--product", "X", "--delivered", "12-15", now=on_8_dec)
    assert out.endswith("Sale: X, to be delivered Tue 15 Dec.\n")
    kehu.ok("sale", "陈明", "--product", "Y", "--delivered", "11.20", now=on_8_dec)
    kehu.ok("sale", "陈明", "--product", "Z", "--delivered", "１２－１５ 15:30", now=on_8_dec)
    kehu.ok("purchase-edit", "1", "--sold", "12-1", now=on_8_dec)
    shanghai = ZoneInfo("Asia/Shanghai")
    rows = purchases(kehu)
    assert [r["delivered_at"].astimezone(shanghai) for r in rows] == [
        datetime(2026, 12, 15, tzinfo=shanghai), datetime(2026, 11, 20, tzinfo=shanghai),
        datetime(2026, 12, 15, 15, 30, tzinfo=shanghai),
    ]  # fmt: skip
    assert rows[0]["sold_at"].astimezone(shanghai).date() == date(2026, 12, 1)
    kehu.ok("promise", "陈明", "送保养券", "--due", "12-20", now=on_8_dec)
    due = from_db(kehu.rows("SELECT due FROM promise")[0]["due"])
    assert due.astimezone(shanghai).date() == date(2026, 12, 20)
    kehu.ok("add", "李娜", "--birthday", "3.15", "--phone", "13700137000")
    kehu.ok("edit", "陈明", "--birthday", "1985.3.5")
    born = kehu.rows("SELECT customer_id, month, day, year FROM occasion ORDER BY customer_id")
    assert born == [
        {"customer_id": 1, "month": 3, "day": 5, "year": 1985},
        {"customer_id": 2, "month": 3, "day": 15, "year": None},
    ]
    before = kehu.snapshot()
    for bad in ("12-32", "13-01", "12-15-", "3-5pm"):
        result = kehu("sale", "陈明", "--product", "W", "--delivered", bad, now=on_8_dec)
        assert result.code == 2 and len(stderr_lines(result)) == 1, result
        assert "can't read the date" in result.err
    assert kehu.snapshot() == before
