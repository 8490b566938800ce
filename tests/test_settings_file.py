"""The settings file: concurrent `kehu config` runs lose nothing, a damaged file never stops the
daily list, a symlinked file is written through its link, and each value is checked as `kehu
config` checks it."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from kehu.base import settings

WRITERS = 8
WRITES = 15
# One key per writer, each an integer rule that no other of them must stay below (settings.ORDERS):
# its last value must be the one in the file.
KEYS = (
    "rules.thank_you_late_hours",
    "rules.prospect_n_days",
    "rules.keep_in_touch_days",
    "rules.keep_in_touch_jitter_days",
    "rules.holiday_lead_days",
    "rules.prospect_o_days",
    "rules.daily_target",
    "rules.rest_days",
)
WRITER = """
import contextlib, io, sys
from kehu.cli import main
key, writes = sys.argv[1], int(sys.argv[2])
with contextlib.redirect_stdout(io.StringIO()):
    codes = [main.run(["config", key, str(n)]) for n in range(1, writes + 1)]
print(sum(code == 0 for code in codes))
"""


def _config(isolated_config: str) -> dict[str, Any]:
    return tomllib.loads(Path(isolated_config).read_text("utf-8"))


def test_concurrent_config_writers_lose_nothing(kehu: Any) -> None:
    config = os.environ["KEHU_CONFIG"]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, key, str(WRITES)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for key in KEYS[:WRITERS]
    ]
    successes = 0
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        successes += int(out)
    rules = _config(config)["rules"]
    lost = sum(rules.get(key.split(".")[1]) != WRITES for key in KEYS[:WRITERS])
    leftovers = [p.name for p in Path(config).parent.iterdir() if p.name.endswith(".tmp")]
    figures = (
        f"concurrent `kehu config`: {WRITERS} writers x {WRITES} writes, {successes} successes,"
        f" {lost} settings lost, {len(leftovers)} temporary files left"
    )
    print(f"\n{figures}")
    assert successes == WRITERS * WRITES and lost == 0 and leftovers == [], figures
    assert Path(config).stat().st_mode & 0o777 == 0o600


def test_a_damaged_config_file_never_stops_the_daily_list(kehu: Any) -> None:
    config = Path(os.environ["KEHU_CONFIG"])
    kehu.ok("add", "Ann")
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[rules\ndaily_target = ", "utf-8")
    result = kehu("today")
    assert result.code == 0, result
    assert result.err.count("kehu: warning:") == 1 and str(config) in result.err, result
    assert "defaults are used" in result.err
    refused = kehu("config", "rules.daily_target", "5")
    assert refused.code != 0 and str(config) in refused.err, refused
    assert config.read_text("utf-8") == "[rules\ndaily_target = "  # left for the user to fix


def test_a_symlinked_config_file_is_written_through_the_link(kehu: Any, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "kehu.toml"
    real.parent.mkdir()
    real.write_text('language = "en"\n', "utf-8")
    link = Path(os.environ["KEHU_CONFIG"])
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(real)
    kehu.ok("config", "rules.daily_target", "12")
    assert link.is_symlink()
    assert tomllib.loads(real.read_text("utf-8")) == {
        "language": "en",
        "rules": {"daily_target": 12},
    }


def test_the_file_is_checked_as_kehu_config_checks(kehu: Any) -> None:
    config = Path(os.environ["KEHU_CONFIG"])
    kehu.ok("add", "Ann")
    config.parent.mkdir(parents=True, exist_ok=True)
    said = {
        "rules.holidays": "rules.holidays takes holidays separated by commas; accepted: new-year, "
        "new-years-eve, spring-festival, lantern, dragon-boat, qixi, mid-autumn, double-ninth, "
        "national-day",
        "rules.holiday_country": "rules.holiday_country takes a country code, like CN, US or DE; "
        "'Z9' is none",
        "default_channel": "unknown default_channel 'fax'; accepted: call, visit, wechat, sms, "
        "email, letter, gift, other, phone, meeting, weixin, text, mail",
    }
    for key, value in (("rules.holidays", "xmas"), ("rules.holiday_country", "Z9"),
                       ("default_channel", "fax")):  # fmt: skip
        refused = kehu("config", key, value)
        assert (refused.code, refused.err) == (2, f"kehu: {said[key]}\n"), refused
    assert not config.exists()
    config.write_text(
        'default_channel = "fax"\n[rules]\nholidays = "xmas"\nholiday_country = "Z9"\n', "utf-8"
    )
    result = kehu("today")
    assert result.code == 0, result
    defaults = {key: settings.BY_KEY[key].default for key in said}
    assert result.err.splitlines() == [
        f"kehu: warning: the config file {config} has a bad value for {key} ({said[key]}); the "
        f"default, {defaults[key]}, is used"
        for key in ("default_channel", "rules.holidays", "rules.holiday_country")
    ]
    shown = kehu("config", "--json")
    assert shown.code == 0 and shown.err == result.err, shown
    holidays = str(defaults["rules.holidays"]).split(",")  # a list in JSON
    assert {k: v for k, v in json.loads(shown.out).items() if k in said} == {
        **defaults,
        "rules.holidays": holidays,
    }
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "config", "default_channel", "--json"],
        capture_output=True, text=True, env={**os.environ, "KEHU_LANG": "zh"}, check=False,
    )  # fmt: skip
    assert chinese.returncode == 0 and '"call"' in chinese.stdout, chinese
    assert chinese.stderr.splitlines()[0] == (
        f"kehu: 注意：配置文件 {config} 中 default_channel 的值有误（default_channel 无法识别："
        "'fax'；可接受：call、visit、wechat、sms、email、letter、gift、other、电话、打电话、通话、微信、短信、"
        "拜访、上门、见面、邮件、电邮、信件、信、礼物、送礼、其他）；改用默认值 call"
    )
    assert "rules.holiday_country 要填国家代码" in chinese.stderr


def test_the_file_s_words_are_read_as_the_command_reads_them(kehu: Any) -> None:
    config = Path(os.environ["KEHU_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        'default_channel = "微信"\n[rules]\nholidays = "中秋、国庆"\nholiday_country = "ｕｓ"\n',
        "utf-8",
    )
    result = kehu("config", "--json")
    assert result.code == 0 and result.err == "", result
    values = json.loads(result.out)
    assert values["default_channel"] == "wechat"
    assert values["rules.holidays"] == ["mid-autumn", "national-day"]
    assert values["rules.holiday_country"] == "US"
    kehu.ok("config", "default_channel", "微信")
    assert tomllib.loads(config.read_text("utf-8"))["default_channel"] == "wechat"
