"""kehu for trades other than cars: an insurance agent's policy list and a shop's members, as
their own spreadsheets name the columns (投保人, 险种, 保费, 投保日期; 会员姓名, 商品名称,
消费金额, 消费日期), in an xlsx written by openpyxl and in a CSV as Chinese Excel saves it."""

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from conftest import in_chinese
from test_bad_input import refused

from kehu.base.errors import BadInput

POLICY_HEADER = ["投保人", "手机号码", "保单号", "险种", "保险公司", "保费", "投保日期", "到期日",
                 "被保险人", "备注"]  # fmt: skip


def _policies(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(POLICY_HEADER)
    sheet.append(["赵敏", "13611112222", "PDAA2026001", "车险", "平安", 4860.5, date(2026, 3, 1),
                  date(2027, 2, 28), "赵敏", "续保客户"])  # fmt: skip
    sheet.append(["钱多多", "13622223333", "P2025-778", "寿险", "人寿", 12000,
                  date(2025, 12, 10), date(2045, 12, 10), "钱小多", None])  # fmt: skip
    book.save(path)
    return path


def test_an_insurance_agent_s_policy_sheet_imports_each_policy_as_a_purchase(
    kehu: Any, tmp_path: Path
) -> None:
    path = _policies(tmp_path / "保单.xlsx")
    preview = kehu.ok("import", str(path), "--dry-run")
    mapped = ("投保人 → name", "险种 → product", "保费 → amount", "投保日期 → delivered",
              "保单号 → profile fact", "到期日 → profile fact",
              "被保险人 → profile fact")  # fmt: skip
    for line in mapped:
        assert f"  {line}\n" in preview, preview
    assert "purchase 车险 2026-03-01 4,860.50" in preview
    kehu.ok("import", str(path), "--yes")
    card = kehu.json("show", "赵敏")
    [policy] = card["purchases"]
    assert (policy["product"], policy["amount"]) == ("车险", 4860.5)
    assert policy["delivered_at"].startswith("2026-03-01")
    assert card["profile"] == {"保单号": "PDAA2026001", "保险公司": "平安", "到期日": "2027-02-28",
                               "被保险人": "赵敏"}  # fmt: skip
    assert card["notes"] == "续保客户"
    [life] = kehu.json("show", "钱多多")["purchases"]
    assert (life["product"], life["amount"]) == ("寿险", 12000)


def test_a_gbk_csv_of_policies_with_the_premium_s_unit_in_its_header(
    kehu: Any, tmp_path: Path
) -> None:
    path = tmp_path / "续保名单.csv"
    text = ("客户姓名,手机,险种,保费（元）,签单日期,到期日\r\n"
            "周杰,13655556666,意外险,199.5,2026/11/1,2027/10/31\r\n"
            "吴磊,13655557777,车险,\"4,860.50\",2026-03-01,2027-02-28\r\n")  # fmt: skip
    path.write_bytes(text.encode("gbk"))
    kehu.ok("import", str(path), "--yes")
    [policy] = kehu.json("show", "周杰")["purchases"]
    assert (policy["product"], policy["amount"]) == ("意外险", 199.5)
    assert policy["delivered_at"].startswith("2026-11-01")
    [policy] = kehu.json("show", "吴磊")["purchases"]
    assert policy["amount"] == 4860.5
    # 万元 is not yuan: such a column stays a fact rather than be read 10,000 times too small.
    path.write_bytes("姓名,手机,保费（万元）\r\n郑爽,13655558888,1.2\r\n".encode("gbk"))
    kehu.ok("import", str(path), "--yes")
    card = kehu.json("show", "郑爽")
    assert card["purchases"] == [] and card["profile"] == {"保费(万元)": "1.2"}


def test_a_shop_s_member_list_imports_small_purchases(kehu: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["会员姓名", "手机", "会员卡号", "商品名称", "消费金额", "消费日期", "积分"])
    sheet.append(["孙丽", "13633334444", "VIP0001", "洗发水", 199.5, date(2026, 11, 1), 300])
    path = tmp_path / "会员.xlsx"
    book.save(path)
    kehu.ok("import", str(path), "--yes")
    card = kehu.json("show", "孙丽")
    [purchase] = card["purchases"]
    assert (purchase["product"], purchase["amount"]) == ("洗发水", 199.5)
    assert card["profile"] == {"会员卡号": "VIP0001", "积分": "300"}


def test_a_sheet_without_a_name_column_is_one_line_naming_its_columns(
    kehu: Any, tmp_path: Path
) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("被保险人,手机\r\n张三,13800000000\r\n".encode("gbk"))
    line = refused(kehu, BadInput.exit_code, "import", str(path), "--yes")
    assert line == (
        f"kehu: {path}: no column holds the customer's name (its columns: 被保险人, 手机); "
        "name it with --map 'Column=name', like --map '投保人=name'"
    )
    assert "张三" not in line  # the header, not the customer
    chinese = in_chinese("import", str(path), "--yes")
    assert chinese.returncode == BadInput.exit_code and chinese.stdout == ""
    assert chinese.stderr.count("\n") == 1 and "没有" in chinese.stderr, chinese
    assert "被保险人, 手机" in chinese.stderr and "--map '投保人=name'" in chinese.stderr
    kehu.ok("import", str(path), "--map", "被保险人=name", "--yes")
    assert [c["name"] for c in kehu.json("list")] == ["张三"]


def test_a_policy_renewed_every_year_gets_its_12_month_call_back(
    kehu: Any,
) -> None:
    kehu.ok("config", "rules.callback_months", "1,3,6,12")
    kehu.ok("add", "钱多多", "--phone", "13622223333", "--product", "车险", "--amount", "4860.5",
            "--delivered", "2025-11-22")  # fmt: skip

    def calls(now: str) -> list[str]:
        items = kehu.json("today", now=now)["items"]
        return [i["key"] for i in items if i["kind"] == "call-back"]

    assert calls("2026-11-21T09:00") == []  # the 6-month one was missed when this window opened
    assert calls("2026-11-22T09:00") == ["C1.12m"]
    assert calls("2026-12-21T09:00") == ["C1.12m"]  # the last one: 30 days after its day
    assert calls("2026-12-23T09:00") == []
    chinese = in_chinese("today", now="2026-11-22T09:00")
    assert "2025年11月22日买了车险 —— 12个月回访" in chinese.stdout, chinese


def test_the_prospect_card_s_options_are_worded_for_any_trade(kehu: Any) -> None:
    for command in ("add", "edit"):
        shown = kehu.ok(command, "--help")
        for car_only in ("The car they have now", "use the car", "price, fuel", "competing model"):
            assert car_only not in shown, command
        assert "What they have now: their car, a policy…" in shown
        chinese = in_chinese(command, "--help")
        assert "现在开的车" not in chinese.stdout and "手上的保单" in chinese.stdout, chinese
