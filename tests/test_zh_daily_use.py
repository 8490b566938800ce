"""Daily use in Chinese by people who sell insurance and phones, not cars."""

import os
import subprocess
import sys


def zh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args], env={**os.environ, "KEHU_LANG": "zh"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_a_sale_is_delivered_not_handed_over_as_a_car_and_reads_as_chinese(kehu):
    added = zh("add", "王丽", "--phone", "13900001111", "--product", "平安福", "--amount", "12000")
    assert "销售：平安福，¥12,000，今天 10:00 交付。请在 明天 10:00 前发感谢信。" in added.stdout
    booked = zh("sale", "王丽", "--product", "少儿医疗险", "--delivered", "+3d")
    assert "销售：少儿医疗险，将于 11月25日 周三 交付。" in booked.stdout
    calendar = zh("calendar", "--days", "3").stdout
    assert "王丽  致谢：少儿医疗险，11月25日 周三 交付" in calendar
    assert "交车" not in added.stdout + booked.stdout + calendar
