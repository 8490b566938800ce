"""The card shows what is coming for the customer: today's open items (as `kehu today` lists
them) and the next call-back milestone still ahead."""

from datetime import date

from conftest import in_chinese

from kehu.rules import after_sale
from kehu.rules.records import Rules


def test_the_card_lists_todays_items_and_the_next_call_back(kehu):
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf 1.4T",
            now="2026-11-20T10:00")  # fmt: skip
    kehu.ok("promise", "张伟", "送报价", "--due", "today")
    coming = kehu.json("show", "张伟")["coming"]
    today = {i["key"]: i for i in kehu.json("today")["items"] if i["customer_id"] == 1}
    assert [i["key"] for i in coming["today"]] == list(today) and len(today) == 2
    assert {i["key"]: i["late"] for i in coming["today"]} == {
        k: v["late"] for k, v in today.items()
    }
    assert coming["next_call_back"] == {"day": "2026-11-27", "milestone": "7d", "purchase_id": 1}
    text = kehu.ok("show", "张伟")
    assert "Coming" in text and "next call-back: the 7-day one, Fri 27 Nov (purchase #1)" in text
    kehu.ok("done", "T1", "--via", "wechat")
    kehu.ok("kept", "P1")
    after = kehu.json("show", "张伟")["coming"]
    assert after["today"] == []  # both done: nothing open today, the call-back still ahead
    assert after["next_call_back"]["milestone"] == "7d"


def test_the_next_call_back_has_its_weekday_as_the_cards_other_days(kehu):
    """The card words the call-back's day as every other day on it: with its weekday, or
    tomorrow; in Chinese 11月27日 周五, not 11月27日."""
    kehu.ok("add", "张伟", "--phone", "13800138000", "--product", "Golf", "--delivered", "11月20日",
            now="2026-11-20T10:00")  # fmt: skip
    card = in_chinese("show", "张伟", now="2026-11-22T10:00")
    assert card.returncode == 0, card.stderr
    assert "  下次回访：交付后 7 天那次，11月27日 周五（购买 #1）\n" in card.stdout
    assert "11月20日 周五交付" in card.stdout  # the card's other days, as before
    on_the_eve = in_chinese("show", "张伟", now="2026-11-26T10:00").stdout
    assert "  下次回访：交付后 7 天那次，明天（购买 #1）\n" in on_the_eve
    after = in_chinese("show", "张伟", now="2026-11-28T10:00").stdout
    assert "  下次回访：交付后 1 个月那次，12月20日 周日（购买 #1）\n" in after
    text = kehu.ok("show", "张伟", now="2026-11-26T10:00")
    assert "  next call-back: the 7-day one, tomorrow (purchase #1)\n" in text


def test_a_customer_with_nothing_ahead_has_no_coming_section(kehu):
    kehu.ok("add", "李娜", "--phone", "13900139000")
    data = kehu.json("show", "李娜")
    assert data["coming"] == {"today": [], "next_call_back": None}
    assert "Coming" not in kehu.ok("show", "李娜")


def test_the_next_call_back_is_the_earliest_milestone_after_today():
    rules = Rules()
    deliveries = [(1, date(2026, 1, 31)), (2, date(2026, 11, 1))]
    ahead = after_sale.next_call_back(deliveries, date(2026, 11, 22), rules)
    assert ahead == after_sale.NextCallBack(date(2026, 12, 1), 1, "month", 2)
    # 31 Jan + 1 month is 28 Feb (a month's end clamps); on that day it is not "ahead" any more.
    first = after_sale.next_call_back([(1, date(2026, 1, 31))], date(2026, 2, 7), rules)
    assert first == after_sale.NextCallBack(date(2026, 2, 28), 1, "month", 1)
    assert after_sale.next_call_back([(1, date(2025, 1, 1))], date(2026, 1, 1), rules) is None
