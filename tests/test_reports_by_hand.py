"""The reports of a small book of two weeks (Monday 7 – Sunday 20 December 2026), each figure
worked out by hand from what the book holds: sales, contacts of each kind and outcome, promises
kept on time and late, prospects graded, sold to and lost; in text, `--json` and HTML, in both
languages."""

import shutil
import subprocess

import pytest

from kehu.ui import tables
from tests.conftest import in_chinese

NOW = "2026-12-20T20:00"  # Sunday, the end of the second week


def two_weeks(kehu) -> None:
    def at(moment: str, *args: str) -> None:
        kehu.ok(*args, now=moment)

    # Older customers: one lost (nothing since May 2025), one at risk (reached in July), one
    # cooling until her birthday greeting on 12 December.
    at("2025-05-01T10:00", "add", "赵敏", "--phone", "13900000007", "--product", "手表",
       "--amount", "2000", "--tier", "C")  # fmt: skip
    at("2025-06-01T10:00", "add", "刘洋", "--phone", "13900000006", "--product", "Model 3",
       "--amount", "80000")  # fmt: skip
    at("2026-01-10T10:00", "add", "陈静", "--phone", "13900000005", "--product", "沙发",
       "--amount", "35000", "--birthday", "1985-12-12", "--email", "c@example.com")  # fmt: skip
    at("2026-07-15T10:00", "log", "刘洋", "--via", "call", "--note", "询问保养")
    at("2026-09-01T10:00", "log", "陈静", "--via", "wechat", "--note", "家具满意")
    # Week one.
    at("2026-12-07T10:00", "add", "张伟", "--phone", "13800138000", "--product", "Model S",
       "--amount", "158000", "--tier", "A", "--gender", "男", "--address", "北京")  # fmt: skip
    at("2026-12-07T20:00", "log", "张伟", "--via", "call", "--kind", "thank-you")
    at("2026-12-07T20:05", "promise", "张伟", "送脚垫", "--due", "2026-12-10")  # P1
    at("2026-12-08T15:00", "add", "李娜", "--phone", "13800138001", "--product", "冰箱",
       "--amount", "10143.90")  # fmt: skip
    at("2026-12-08T15:10", "promise", "李娜", "上门安装", "--due", "2026-12-12")  # P2
    at("2026-12-08T16:00", "add", "孙强", "--phone", "13800138002", "--prospect", "--level", "H",
       "--interest", "Tiguan", "--source", "walk-in")  # fmt: skip
    at("2026-12-09T09:00", "add", "王芳", "--phone", "13800138003", "--product", "电视",
       "--amount", "10100")  # fmt: skip
    at("2026-12-09T11:00", "kept", "1")  # on time
    at("2026-12-09T14:00", "add", "周杰", "--phone", "13800138004", "--prospect", "--level", "B",
       "--interest", "Golf", "--source", "ad")  # fmt: skip
    at("2026-12-10T10:00", "log", "李娜", "--via", "wechat", "--kind", "thank-you")  # 43 h late
    at("2026-12-10T11:00", "log", "孙强", "--via", "call", "--no-answer")
    at("2026-12-11T10:00", "log", "孙强", "--via", "visit", "--level", "A", "--note", "试驾")
    at("2026-12-11T15:00", "log", "周杰", "--via", "call", "--no-answer")
    at("2026-12-12T08:00", "log", "陈静", "--via", "sms", "--kind", "greeting")
    # Week two.
    at("2026-12-14T10:00", "log", "张伟", "--via", "call", "--note", "一周回访")
    at("2026-12-14T11:00", "kept", "2")  # two days late
    at("2026-12-14T16:00", "log", "王芳", "--via", "call", "--kind", "complaint")
    at("2026-12-14T16:10", "promise", "王芳", "换遥控器", "--due", "2026-12-18")  # never kept
    at("2026-12-15T10:00", "add", "Anna", "--phone", "13800138005", "--referred-by", "张伟",
       "--product", "bike", "--amount", "500", "--email", "a@example.com")  # fmt: skip
    at("2026-12-15T12:00", "log", "Anna", "--via", "email", "--kind", "thank-you")
    at("2026-12-16T10:00", "sale", "孙强", "--product", "Tiguan", "--amount", "220000")
    at("2026-12-16T18:00", "log", "孙强", "--via", "wechat", "--kind", "thank-you")
    at("2026-12-16T19:00", "log", "李娜", "--via", "call", "--note", "七天回访")
    at("2026-12-17T10:00", "add", "吴磊", "--phone", "13800138006", "--prospect",
       "--source", "referral", "--referred-by", "张伟")  # fmt: skip
    at("2026-12-18T10:00", "log", "吴磊", "--via", "call", "--level", "C")
    at("2026-12-18T11:00", "lost", "周杰", "--reason", "price")
    at("2026-12-18T12:00", "log", "刘洋", "--via", "call", "--no-answer")
    at("2026-12-19T10:00", "promise", "Anna", "寄说明书", "--due", "2026-12-25")
    at("2026-12-20T09:00", "log", "王芳", "--via", "visit", "--note", "已换")


def _zh(*args: str) -> str:
    done = in_chinese(*args, now=NOW)
    assert done.returncode == 0 and done.stderr == "", done
    return done.stdout


def _ranked(out: str) -> dict[str, str]:
    """The lines of the tiers report's ranking, by customer name."""
    lines = out.splitlines()
    head = next(n for n, line in enumerate(lines) if line.startswith("#") and "购买金额" in line)
    first = head + 1
    ranked = lines[first : lines.index("", first)]
    return {line.split()[1]: line for line in ranked}


def _line(out: str, start: str) -> list[str]:
    [line] = [line for line in out.splitlines() if line.startswith(start)]
    return line.split()


def test_day_reports(kehu):
    two_weeks(kehu)
    monday = kehu.json("report", "day", "2026-12-14", now=NOW)
    assert [(c["customer_name"], c["kind"], c["channel"], c["outcome"])
            for c in monday["contacts"]] == [("张伟", "follow-up", "call", "reached"),
                                             ("王芳", "complaint", "call", "reached")]  # fmt: skip
    assert monday["promises"] == {"made": 1, "kept": 1, "kept_late": 1, "late": 0}
    assert monday["month_to_date"] == {
        "contacts": 8, "reached": 6, "customers_reached": 5, "new_customers": 3,
        "new_prospects": 2, "sales": 3, "sales_amount": "178243.90",
    }  # fmt: skip
    friday = kehu.json("report", "day", "2026-12-11", now=NOW)
    assert [(c["customer_name"], c["level_before"], c["level_after"])
            for c in friday["contacts"]] == [("孙强", "H", "A"), ("周杰", "B", "B")]  # fmt: skip
    assert friday["by_level"] == {"A": 1, "B": 1}
    wednesday = kehu.json("report", "day", "2026-12-16", now=NOW)
    assert wednesday["totals"] == {
        "contacts": 2, "reached": 2, "customers_reached": 2, "new_customers": 1,
        "new_prospects": 0, "sales": 1, "sales_amount": "220000.00",
    }  # fmt: skip
    assert wednesday["month_to_date"] == {
        "contacts": 11, "reached": 9, "customers_reached": 6, "new_customers": 5,
        "new_prospects": 2, "sales": 5, "sales_amount": "398743.90",
    }  # fmt: skip
    out = kehu.ok("report", "day", "2026-12-16", now=NOW)
    assert _line(out, "sales amount") == ["sales", "amount", "220,000.00", "398,743.90"]
    zh = _zh("report", "day", "2026-12-14")
    assert "销售活动日报表 2026年12月14日 周一" in zh
    assert _line(zh, "成交金额") == ["成交金额", "¥0", "¥178,243.90"]
    assert _line(zh, "逾期兑现") == ["逾期兑现", "1"]


def test_week_and_month_reports(kehu):
    two_weeks(kehu)
    first = kehu.json("report", "week", "--from", "2026-12-07", now=NOW)
    assert [(d["date"][8:], d["reached"], d["no_answer"], d["sales"]) for d in first["days"]] == [
        ("07", 1, 0, 1), ("08", 0, 0, 1), ("09", 0, 0, 1), ("10", 1, 1, 0), ("11", 1, 1, 0),
        ("12", 1, 0, 0), ("13", 0, 0, 0),
    ]  # fmt: skip
    assert first["totals"] == {"contacts": 6, "reached": 4, "customers_reached": 4,
                               "new_customers": 3, "sales": 3,
                               "sales_amount": "178243.90"}  # fmt: skip
    assert first["thank_you"] == {"deliveries": 3, "in_time": 1}  # 李娜's late, 王芳 none
    assert first["promises"] == {"kept_on_time": 1, "kept_late": 0, "open_late": 0}
    assert first["greetings"] == {"birthdays": 1, "sent": 1}
    assert (first["prospects"]["new"], first["prospects"]["sold"]) == (2, 0)
    second = kehu.json("report", "week", now=NOW)
    assert (second["from"], second["to"]) == ("2026-12-14", "2026-12-20")
    assert second["totals"] == {"contacts": 8, "reached": 7, "customers_reached": 6,
                                "new_customers": 2, "sales": 2,
                                "sales_amount": "220500.00"}  # fmt: skip
    assert second["thank_you"] == {"deliveries": 2, "in_time": 2}
    assert second["call_backs"]["7d"] == {"done": 3, "missed": 0, "open": 0}
    assert second["promises"] == {"kept_on_time": 0, "kept_late": 1, "open_late": 1}
    assert second["tier_a"] == {"customers": 1, "days": 15, "reached": 1}
    prospects = second["prospects"]
    assert (prospects["new"], prospects["sold"], prospects["lost"]) == (1, 1, 1)
    assert prospects["lost_by_reason"] == {"price": 1}
    assert prospects["days_to_sale"]["median"] == 7  # 8 Dec 16:00 to 16 Dec 10:00
    month = kehu.json("report", "month", now=NOW)
    assert month["totals"] == {"contacts": 14, "reached": 11, "customers_reached": 7,
                               "new_customers": 5, "sales": 5,
                               "sales_amount": "398743.90"}  # fmt: skip
    assert month["thank_you"] == {"deliveries": 5, "in_time": 3}
    assert month["call_backs"]["7d"] == {"done": 3, "missed": 0, "open": 2}  # Anna's, 孙强's
    out = kehu.ok("report", "month", now=NOW)
    assert _line(out, "thank-yous within 24 hours")[-4:] == ["3", "/", "5", "60%"]
    assert _line(out, "7-day call-back")[-6:] == ["3", "/", "5", "(2", "open)", "60%"]
    zh = _zh("report", "month")
    assert "销售活动 2026年12月1日至2026年12月31日" in zh
    assert _line(zh, "按时兑现")[-4:] == ["1", "/", "2", "50%"]
    assert _line(zh, "成交金额") == ["成交金额", "¥398,743.90"]


def test_the_week_charts_days_read_as_dates_in_both_languages(kehu, monkeypatch, tmp_path):
    """Each bar is labelled with its day as kehu words a day elsewhere: Mon 14 Dec, and in
    Chinese 12月14日 周一 (not 12-14 周一)."""
    two_weeks(kehu)
    monkeypatch.setenv("COLUMNS", "80")
    out = kehu.ok("report", "week", now=NOW)
    assert _line(out, "Mon 14 Dec")[-1] == "2" and _line(out, "Sun 20 Dec")[-1] == "1"
    zh = _zh("report", "week")
    assert _line(zh, "12月14日 周一")[-1] == "2" and _line(zh, "12月17日 周四") == [
        "12月17日",
        "周四",
        "0",
    ]
    assert "12-14" not in zh and max(tables.width(line) for line in zh.splitlines()) <= 80
    page = tmp_path / "week.html"
    assert in_chinese("report", "week", "--html", str(page), now=NOW).returncode == 0
    text = page.read_text(encoding="utf-8")
    assert ">12月14日 周一</text>" in text and "12-14" not in text
    health = _zh("report", "health")
    assert _line(health, "10月4日")[-1] == "3" and _line(health, "12月20日")[-1] == "8"
    assert "2026-10-04" not in health
    assert _line(kehu.ok("report", "health", now=NOW), "20 Dec")[-1] == "8"


def test_health(kehu):
    two_weeks(kehu)
    data = kehu.json("report", "health", now=NOW)
    assert data["now"]["by_tier"] == {
        "A": {"healthy": 1, "cooling": 0, "at-risk": 0, "lost": 0},
        "B": {"healthy": 5, "cooling": 0, "at-risk": 1, "lost": 0},
        "C": {"healthy": 0, "cooling": 0, "at-risk": 0, "lost": 1},
    }
    states = ("healthy", "cooling", "at-risk", "lost")
    assert [tuple(w["total"][s] for s in states) for w in data["trend"]] == [
        (1, 1, 0, 1)] * 4 + [(0, 2, 0, 1)] * 2 + [(0, 1, 1, 1)] * 4 + [(4, 0, 1, 1), (6, 0, 1, 1)
    ]  # fmt: skip
    assert [(c["name"], c["last_sign_of_life"][:10]) for c in data["customers"]["at-risk"]] == [
        ("刘洋", "2026-07-15")
    ]
    assert [c["name"] for c in data["customers"]["lost"]] == ["赵敏"]
    zh = _zh("report", "health", "--show", "渐冷")
    assert _line(zh, "全部") == ["全部", "6", "0", "1", "1", "8"] and "没有渐冷的客户。" in zh


def test_tiers_referrals_and_profile(kehu):
    two_weeks(kehu)
    data = kehu.json("report", "tiers", now=NOW)
    assert data["total_value"] == "515743.90"
    assert [(c["name"], c["value"], c["cumulative_share"], c["suggested_tier"])
            for c in data["customers"]] == [
        ("孙强", "220000.00", 42.66, "A"), ("张伟", "158000.00", 73.29, "A"),
        ("刘洋", "80000.00", 88.8, "A"), ("陈静", "35000.00", 95.59, "B"),
        ("李娜", "10143.90", 97.56, "C"), ("王芳", "10100.00", 99.52, "C"),
        ("赵敏", "2000.00", 99.9, "C"), ("Anna", "500.00", 100.0, "C"),
    ]  # fmt: skip
    assert (data["customers"][1]["referrals"], data["customers"][1]["referred_value"]) == (
        2,
        "500.00",
    )
    assert data["tiers"] == {"A": {"now": 1, "suggested": 3}, "B": {"now": 6, "suggested": 1},
                             "C": {"now": 1, "suggested": 4}}  # fmt: skip
    assert kehu.json("report", "tiers", "--apply", now=NOW)["changes"] == data["changes"]
    assert [r["tier"] for r in kehu.rows("SELECT tier FROM customer WHERE name = '李娜'")] == ["C"]
    referrals = kehu.json("report", "referrals", now=NOW)
    [tree] = referrals["trees"]
    assert (tree["name"], [(n["name"], n["value"]) for n in tree["referred"]]) == (
        "张伟",
        [("Anna", "500.00"), ("吴磊", "0.00")],
    )
    profile = kehu.json("report", "profile", now=NOW)
    assert profile["customers"] == 10  # the prospects too: their records count
    assert profile["basic"] == {"phone": 10, "email": 2, "address": 1, "gender": 1,
                                "birthday": 1, "purchases": 8}  # fmt: skip
    assert [c["name"] for c in profile["missing_most"][:2]] == ["周杰", "吴磊"]


def test_short_chinese_amounts_tell_close_values_apart(kehu, tmp_path):
    """In 万 to three significant digits, more where two amounts would read the same (¥1万
    for both 10,143.90 and 10,100 hid which was more), in full where the yuan do not tell
    them apart; right-aligned, in the terminal and on the page."""
    two_weeks(kehu)
    zh = _zh("report", "tiers")
    rows = _ranked(zh)
    assert rows["孙强"].split()[2] == "¥22万" and rows["张伟"].split()[2] == "¥15.8万"
    assert rows["李娜"].split()[2] == "¥1.014万" and rows["王芳"].split()[2] == "¥1.01万"
    assert rows["赵敏"].split()[2] == "¥2,000"
    ends = {tables.width(line[: line.index(line.split()[2]) + len(line.split()[2])])
            for line in rows.values()}  # fmt: skip
    assert len(ends) == 1, zh  # one right edge
    page = tmp_path / "tiers.html"
    assert in_chinese("report", "tiers", "--html", str(page), now=NOW).returncode == 0
    html = page.read_text(encoding="utf-8")
    assert '<td class="n">¥1.014万</td>' in html and '<td class="n">¥2,000</td>' in html
    kehu.ok("add", "钱七", "--phone", "13800138009", "--product", "冰箱", "--amount", "10143.95",
            now=NOW)  # fmt: skip
    rows = {name: line.split()[2] for name, line in _ranked(_zh("report", "tiers")).items()}
    assert (rows["李娜"], rows["钱七"], rows["孙强"]) == ("¥10,143.90", "¥10,143.95", "¥220,000")
    assert kehu.ok("report", "tiers", now=NOW).count("10,143.9") == 2  # English: in full


def test_a_report_with_nothing_to_list_says_so_in_a_line(kehu):
    """No table of headers alone: no referrals, no extended facts, no one missing a basic fact,
    no tier change to suggest, no customer ranked."""
    kehu.ok("add", "王五", "--phone", "13911112222", "--email", "w@example.com", "--address",
            "上海", "--gender", "男", "--birthday", "1980-01-01", "--product", "x", "--amount",
            "100", "--tier", "A")  # fmt: skip
    assert "No customer was brought by another." in kehu.ok("report", "referrals")
    profile = kehu.ok("report", "profile")
    assert "No customer has an extended (profile) fact yet." in profile
    assert "No customer misses a basic fact." in profile and "fact  customers" not in profile
    tiers = kehu.ok("report", "tiers")
    assert "No tier change to suggest: every customer has the suggested tier." in tiers
    assert "from  to" not in tiers
    for report, line in (
        ("referrals", "还没有由其他客户介绍来的客户。"),
        ("profile", "还没有客户填写扩展信息。"),
        ("tiers", "没有建议的等级调整：每位客户都已是建议的等级。"),
    ):
        assert line in _zh("report", report)
    kehu.ok("delete", "王五", "--yes")
    kehu.ok("add", "赵六", "--prospect")
    assert "No customer has bought anything yet." in kehu.ok("report", "tiers")


def test_the_referral_tree_keeps_its_depth_on_the_page(kehu, tmp_path):
    two_weeks(kehu)
    kehu.ok("add", "郑八", "--referred-by", "Anna", "--product", "bike", "--amount", "300",
            now=NOW)  # fmt: skip
    out = kehu.ok("report", "referrals", now=NOW)
    assert "\n    └ 郑八 (#11)" in out
    page = tmp_path / "referrals.html"
    kehu.ok("report", "referrals", "--html", str(page), now=NOW)
    html = page.read_text(encoding="utf-8")
    assert "<td>    └ 郑八 (#11)</td>" in html and "<td>  └ Anna (#9)</td>" in html
    assert "td { white-space: pre-wrap; }" in html  # the spaces are not collapsed


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium here (apt-get install chromium)")
    return found


def test_the_chinese_page_in_headless_chromium_has_what_the_text_has(kehu, tmp_path):
    browser = _chromium()
    two_weeks(kehu)
    page = tmp_path / "week.html"
    assert in_chinese("report", "week", "--html", str(page), now=NOW).returncode == 0
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert '<html lang="zh-CN">' in dom
    assert "销售活动 2026年12月14日至2026年12月20日" in dom
    assert "12月18日 周五</text>" in dom and "<rect" in dom
    for cells in (("联系次数（含未接通）", "8"), ("成交金额", "¥220,500"),
                  ("24 小时内发出的感谢", "2 / 2", "100%"), ("战败：价格", "1")):  # fmt: skip
        label, *numbers = cells
        row = f"<td>{label}</td>" + "".join(f'<td class="n">{n}</td>' for n in numbers)
        assert row in dom, cells
