"""Everyday typing: a phone known under another name, the default channel, the list's order."""

from typing import Any

PHONE = "13800138000"


def purchases_of(kehu: Any) -> list[tuple[int, str]]:
    rows = kehu.rows("SELECT customer_id, product FROM purchase ORDER BY id")
    return [(r["customer_id"], r["product"]) for r in rows]


# a phone known under another name


def test_a_sale_by_a_phone_known_under_another_name_says_whose_it_is(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", PHONE, "--product", "Golf")
    out = kehu.ok("add", "李娜", "--phone", PHONE, "--product", "Polo")
    assert "Repeat sale: 张伟 (#1)" in out
    assert "belongs to 张伟 (#1)" in out and "李娜" in out and "--new" in out
    assert kehu.count("customer") == 1
    assert purchases_of(kehu) == [(1, "Golf"), (1, "Polo")]


def test_the_same_name_says_nothing_more(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", PHONE, "--product", "Golf")
    out = kehu.ok("add", "张伟", "--phone", "138 0013 8000", "--product", "Polo")
    assert "belongs to" not in out and "--new" not in out


def test_new_adds_another_person_who_shares_the_phone(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", PHONE, "--product", "Golf")
    out = kehu.ok("add", "李娜", "--phone", PHONE, "--product", "Polo", "--new")
    assert out.startswith("Added 李娜 (#2)")
    names = kehu.rows("SELECT id, name, phone_digits FROM customer ORDER BY id")
    assert [(r["id"], r["name"], r["phone_digits"]) for r in names] == [
        (1, "张伟", PHONE), (2, "李娜", PHONE)
    ]  # fmt: skip
    assert purchases_of(kehu) == [(1, "Golf"), (2, "Polo")]


def test_new_with_the_owners_own_name_is_still_a_repeat_sale(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", PHONE, "--product", "Golf")
    out = kehu.ok("add", "张伟", "--phone", PHONE, "--product", "Polo", "--new")
    assert out.startswith("Repeat sale: 张伟 (#1)")
    assert kehu.count("customer") == 1


# the default channel


def channels(kehu: Any) -> list[str]:
    return [r["channel"] for r in kehu.rows("SELECT channel FROM contact ORDER BY id")]


def test_log_without_via_uses_the_default_channel(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", PHONE)
    assert kehu.ok("log", "1") == "Logged call with 张伟 (#1) (follow-up).\n"
    kehu.ok("config", "default_channel", "微信")
    assert kehu.json("config", "default_channel") == {"default_channel": "wechat"}
    kehu.ok("log", "1", "--note", "sent the brochure")
    kehu.ok("log", "1", "--via", "visit")
    assert channels(kehu) == ["call", "wechat", "visit"]


def test_done_without_via_uses_the_default_channel(kehu: Any) -> None:
    kehu.ok("add", "张伟", "--phone", PHONE, "--product", "Polo")
    kehu.ok("config", "default_channel", "sms")
    [item] = kehu.json("today")["items"]
    kehu.ok("done", item["key"])
    assert channels(kehu) == ["sms"]


def test_an_unknown_default_channel_is_refused_when_set(kehu: Any) -> None:
    result = kehu("config", "default_channel", "pigeon")
    assert result.code != 0 and "pigeon" in result.err and "wechat" in result.err
    assert kehu.json("config", "default_channel") == {"default_channel": "call"}


# the list's order


def ids(kehu: Any, *args: str) -> list[int]:
    return [c["id"] for c in kehu.json("list", *args)]


def test_list_sorts_by_last_contact_name_tier_or_added(kehu: Any) -> None:
    kehu.ok("add", "Zhao", "--tier", "C", now="2026-11-01T09:00")
    kehu.ok("add", "amy", "--tier", "A", now="2026-11-03T09:00")
    kehu.ok("add", "Bob", "--tier", "B", now="2026-11-02T09:00")
    kehu.ok("add", "Cai", "--tier", "A", now="2026-11-04T09:00")
    kehu.ok("log", "Zhao", "--via", "call", "--at", "2026-11-20")
    kehu.ok("log", "amy", "--via", "call", "--at", "2026-11-10")
    assert ids(kehu) == [1, 2, 3, 4]  # as before: the order they were numbered
    assert ids(kehu, "--sort", "last-contact") == [3, 4, 2, 1]  # never, then longest ago
    assert ids(kehu, "--sort", "name") == [2, 3, 4, 1]
    assert ids(kehu, "--sort", "tier") == [2, 4, 3, 1]
    assert ids(kehu, "--sort", "added") == [4, 2, 3, 1]  # the newest first


def test_list_sorts_chinese_names_by_their_pinyin(kehu: Any) -> None:
    for name in ("张伟", "王芳", "Zoe", "李娜", "陈静", "安娜", "amy"):
        kehu.ok("add", name)
    names = [c["name"] for c in kehu.json("list", "--sort", "name")]
    assert names == ["amy", "安娜", "陈静", "李娜", "王芳", "张伟", "Zoe"]


def test_list_refuses_an_unknown_sort(kehu: Any) -> None:
    kehu.new_book()
    result = kehu("list", "--sort", "age")
    assert result.code != 0
    assert result.err.count("\n") == 1 and "last-contact" in result.err
