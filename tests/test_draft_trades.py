"""Drafts and the prospect card for every trade kehu serves: a car dealer, an insurance agent
(车险, 寿险, 重疾险) and a shop (洗发水, 手机). The default templates speak of what was bought,
never of a car where the product is not one: no shop to come back to for an agent, no
"getting used to" a policy, no congratulations on a shampoo."""

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import in_chinese

from kehu.ui import drafts

# (trade, customer, phone, product, prospect, what the prospect wants, what they have now,
# what they compare it with)
TRADES = (
    ("cars", "张伟", "13800001001", "途观L", "刘洋", "探岳", "捷达", "CR-V"),
    ("insurance", "赵敏", "13800001002", "重疾险", "钱多多", "寿险", "车险", "国寿福"),
    ("insurance", "吴磊", "13800001003", "车险", "郑爽", "车险", "车险", "人保车险"),
    ("shop", "孙丽", "13800001004", "洗发水", "周芳", "手机", "旧手机", "小米 15"),
    ("shop", "王芳", "13800001005", "手机", "李静", "洗发水", "护发素", "海飞丝"),
)
# Words that only suit a car (or a showroom), in what kehu writes around the customer's facts.
CAR_ONLY = {
    "zh": re.compile(r"车|来店|到店|店里|试驾"),
    "en": re.compile(
        r"(?i)\bcars?\b|\bmodels?\b|test.drive|come by|not used to|using it|congratulations on"
    ),
}


def _book(kehu: Any, lang: str) -> None:
    kehu.ok("config", "signature.name", "王磊")
    kehu.ok("config", "signature.phone", "138 0013 8000")
    for n, (_trade, name, phone, product, prospect, interest, has, rival) in enumerate(TRADES):
        kehu.ok("add", name, "--phone", phone, "--gender", "男", "--language", lang,
                "--product", product, "--set", "hobbies=钓鱼")  # fmt: skip
        kehu.ok("promise", name, "资料寄到家", "--due", "2026-11-30")
        kehu.ok("add", f"{name}的朋友", "--phone", f"1390000100{n}", "--referred-by", name)
        kehu.ok("add", prospect, "--phone", f"1370000100{n}", "--language", lang, "--prospect",
                "--level", "A", "--interest", interest, "--current-car", has,
                "--competitor", rival, "--cares", "价格")  # fmt: skip


def _draft(kehu: Any, *args: str) -> str:
    result = kehu("draft", *args)
    assert result.code == 0, result
    return str(result.out)


def _words_around(text: str, trade: tuple[str, ...]) -> str:
    """The draft less the customer's own facts (a 车险 is the agent's product, not kehu's word)."""
    for fact in sorted(trade[3:], key=len, reverse=True):
        text = text.replace(fact, "…")
    return text


@pytest.mark.parametrize("lang", drafts.LANGS)
def test_no_default_draft_speaks_of_a_car_for_a_policy_or_a_shop_s_goods(kehu, lang):
    _book(kehu, lang)
    for trade in TRADES:
        if trade[0] == "cars":
            continue
        name, prospect = trade[1], trade[4]
        for kind in drafts.KINDS:
            who = prospect if kind == "prospect-follow-up" else name
            args = ["draft", who, "--for", kind, "--lang", lang]
            args += ["--occasion", "mid-autumn"] if kind == "holiday" else []
            result = kehu(*args)
            assert result.code == 0, (kind, result)
            around = _words_around(result.out, trade)
            assert not CAR_ONLY[lang].search(around), (trade[0], kind, result.out)


def test_the_call_back_script_asks_what_a_policy_holder_or_a_shopper_can_answer(kehu):
    _book(kehu, "en")
    script = _draft(kehu, "赵敏", "--for", "call-back")
    assert "- Are you happy with your 重疾险 so far? Anything not as you expected?\n" in script
    assert "- Anything you would like explained again? I'm glad to go through it with you.\n" in (
        script
    )
    assert "If any of your friends are looking for something similar," in script
    thanks = _draft(kehu, "孙丽", "--for", "thank-you")
    assert thanks == (
        "Hi 孙丽,\nThank you for choosing us for your 洗发水!\n"
        "Anything you need, just let me know.\n王磊, 138 0013 8000\n"
    )


@pytest.mark.parametrize("lang", drafts.LANGS)
def test_the_prospect_script_invites_to_meet_not_to_the_shop(kehu, lang):
    _book(kehu, lang)
    script = _draft(kehu, "钱多多", "--for", "prospect-follow-up")
    if lang == "zh":
        assert script.startswith("客户：钱多多，意向寿险\n")
        assert "邀约：这周您哪天方便？咱们约个时间见面，我当面给您细讲。\n" in script
    else:
        assert script.startswith("Customer: 钱多多, interested in 寿险\n")
        assert "Are you still thinking about 寿险?\n" in script
        assert "Invite: Which day this week suits you to meet? I can walk you through it" in script


def test_the_prospect_card_is_worded_for_any_product(kehu):
    _book(kehu, "zh")
    card = kehu.ok("show", "钱多多")
    for label, value in (("interested in", "寿险"), ("what they have now", "车险"),
                         ("competing products", "国寿福")):  # fmt: skip
        assert re.search(rf"\n  {label}: +{value}\n", card), card
    assert not re.search(r"(?i)\bcar\b|\bmodels?\b", _words_around(card, TRADES[1])), card
    chinese = in_chinese("show", "钱多多").stdout
    for label, value in (("意向产品", "寿险"), ("现在用的", "车险"), ("竞品", "国寿福")):
        assert re.search(rf"\n  {label}： +{value}\n", chinese), chinese
    assert "车辆" not in chinese and "车型" not in chinese


def test_too_many_competitors_are_refused_as_products(kehu):
    result = kehu("add", "钱多多", "--phone", "13700001000", "--prospect", "--competitor", "甲",
                  "--competitor", "乙", "--competitor", "丙", "--competitor", "丁")  # fmt: skip
    assert result.code == 2 and result.out == ""
    assert result.err == (
        "kehu: at most 3 competing products (--competitor); nothing was added\n"
    ), result
    assert kehu.rows("SELECT name FROM customer") == []


def test_a_copy_of_the_former_default_that_a_user_kept_is_still_used(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defaults were reworded; a user's own copy made from the former one stays theirs."""
    kehu.ok("add", "刘洋", "--phone", "13700001000", "--prospect", "--interest", "探岳")
    former = drafts.default_text("prospect-follow-up", "zh").replace(
        "邀约：这周您哪天方便？咱们约个时间见面，我当面给您细讲。",
        "邀约：这周您哪天方便？来店里再看看，或者我当面给您细讲。\n试驾：周末可以安排试驾。",
    )
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write({former!r})\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    kehu.ok("template", "edit", "prospect-follow-up", "--lang", "zh")
    script = _draft(kehu, "刘洋", "--for", "prospect-follow-up", "--lang", "zh")
    assert "来店里再看看，或者我当面给您细讲。\n试驾：周末可以安排试驾。\n" in script
    edited = [(t["kind"], t["lang"]) for t in kehu.json("template", "list") if t["edited"]]
    assert edited == [("prospect-follow-up", "zh")]
