"""Every setting has a type and a range, checked when `kehu config` sets it and when the file
is read: a bad value in the file is one warning naming the setting and the default used, and
the daily list still comes."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_bad_input import refused

from kehu.base import settings


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("rules.cooling_months", "30000"),
        ("rules.thank_you_late_hours", "10000000000"),
        ("rules.daily_target", "1.5"),
        ("rules.daily_target", "true"),
        ("rules.callback_months", "1,3,600"),
        ("rules.keep_in_touch_days", "３６５０００"),
    ],
)
def test_config_refuses_values_out_of_type_or_range(kehu: Any, key: str, value: str) -> None:
    line = refused(kehu, 2, "config", key, value)
    assert key in line
    assert not Path(os.environ["KEHU_CONFIG"]).exists()


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("signature.name", "王磊\x1b[31m", "takes one line of text, without control characters"),
        ("signature.company", "平安\n汽车", "takes one line of text, without control characters"),
        ("signature.name", "王" * 201, "is too long (201 characters); give at most 200"),
        ("signature.phone", "1" * 41, "is too long (41 characters); give at most 40"),
        ("signature.phone", "138\t0013", "takes one line of text, without control characters"),
    ],
)
def test_config_refuses_control_characters_and_overlong_text(
    kehu: Any, key: str, value: str, says: str
) -> None:
    assert refused(kehu, 2, "config", key, value).startswith(f"kehu: {key} {says}")
    assert not Path(os.environ["KEHU_CONFIG"]).exists()
    kehu.ok("config", "signature.name", "王" * 200)


def test_a_negative_value_is_refused_with_its_range(kehu: Any) -> None:
    line = refused(kehu, 2, "config", "rules.daily_target", "-1")
    assert line == "kehu: rules.daily_target takes a whole number from 0 to 1000, like 10"
    assert not Path(os.environ["KEHU_CONFIG"]).exists()


def test_every_setting_of_numbers_has_a_range() -> None:
    for setting in settings.SETTINGS:
        if setting.type is not str:
            assert setting.least is not None and setting.most is not None, setting.key


def _config(text: str | bytes) -> Path:
    path = Path(os.environ["KEHU_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_bad_values_in_the_file_are_one_warning_each_and_the_default_is_used(kehu: Any) -> None:
    kehu.ok("add", "王芳")
    path = _config(
        'timezone = 5\nlanguage = "en"\n[rules]\ndaily_target = 1.5\ncooling_months = 30000\n'
        "thank_you_late_hours = true\ncallback_months = [1, 3, 600]\nat_risk_months = 6\n"
    )
    result = kehu("today")
    assert result.code == 0, result
    warnings = result.err.splitlines()
    assert len(warnings) == 5, result
    for key, default in (
        ("timezone", '""'), ("rules.daily_target", "10"), ("rules.cooling_months", "2"),
        ("rules.thank_you_late_hours", "24"), ("rules.callback_months", "1,3,6"),
    ):  # fmt: skip
        line = next(w for w in warnings if f" for {key} " in w)
        assert line.startswith(f"kehu: warning: the config file {path} has a bad value")
        assert line.endswith(f"the default, {default}, is used")
    values = settings.load(path).values
    assert values["rules.daily_target"] == 10 and values["rules.at_risk_months"] == 6


def test_a_config_path_that_is_a_folder_or_a_pipe_is_one_line_not_a_hang(
    kehu: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kehu.ok("add", "王芳")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for where in (tmp_path, fifo):
        monkeypatch.setenv("KEHU_CONFIG", str(where))
        said = (
            f"the config file {where} is not a regular file (a folder, pipe or device); "
            "point KEHU_CONFIG at a file, or remove what is there"
        )
        # The daily list still comes, with the defaults and one warning (cron included).
        result = kehu("today")
        assert result.code == 0 and "王芳" in result.out, result
        assert result.err == f"kehu: warning: {said}; the defaults are used meanwhile\n"
        assert refused(kehu, 2, "config", "rules.daily_target", "3") == f"kehu: {said}"


def test_a_config_file_not_in_utf8_says_so(kehu: Any) -> None:
    kehu.ok("add", "王芳")
    path = _config(b"language = '\xff'\n")
    result = kehu("today")
    assert result.code == 0 and "王芳" in result.out, result
    assert result.err == (
        f"kehu: warning: config file {path} is not UTF-8 text (a byte 0xff at 12); save it as "
        "UTF-8, or delete it; the defaults are used meanwhile\n"
    )


@pytest.mark.parametrize(
    ("before", "key", "value", "said"),
    [
        ((), "rules.cooling_months", "5",
         "rules.cooling_months 5 conflicts with rules.at_risk_months, which is 4; accepted now: "
         "0 to 3 (or change rules.at_risk_months first)"),
        ((("rules.cooling_months", "3"),), "rules.at_risk_months", "3",
         "rules.at_risk_months 3 conflicts with rules.cooling_months, which is 3; accepted now: "
         "4 to 11 (or change rules.cooling_months first)"),
        ((), "rules.at_risk_months", "１２",
         "rules.at_risk_months 12 conflicts with reports.lost_months, which is 12; accepted now: "
         "3 to 11 (or change reports.lost_months first)"),
        ((), "reports.lost_months", "4",
         "reports.lost_months 4 conflicts with rules.at_risk_months, which is 4; accepted now: "
         "5 to 120 (or change rules.at_risk_months first)"),
        ((), "reports.tier_a_percent", "95",
         "reports.tier_a_percent 95 conflicts with reports.tier_b_percent, which is 95; accepted "
         "now: 1 to 94 (or change reports.tier_b_percent first)"),
        ((), "reports.tier_b_percent", "50",
         "reports.tier_b_percent 50 conflicts with reports.tier_a_percent, which is 80; accepted "
         "now: 81 to 100 (or change reports.tier_a_percent first)"),
        ((), "rules.thank_you_late_hours", "720",
         "rules.thank_you_late_hours 720 conflicts with rules.thank_you_expire_days, which is "
         "30; accepted now: 1 to 719 (or change rules.thank_you_expire_days first)"),
        ((), "rules.thank_you_expire_days", "1",
         "rules.thank_you_expire_days 1 conflicts with rules.thank_you_late_hours, which is 24; "
         "accepted now: 2 to 3650 (or change rules.thank_you_late_hours first)"),
        ((), "rules.referral_late_days", "30",
         "rules.referral_late_days 30 conflicts with rules.referral_expire_days, which is 30; "
         "accepted now: 0 to 29 (or change rules.referral_expire_days first)"),
        ((), "rules.callback_last_window_days", "2",
         "rules.callback_last_window_days 2 conflicts with rules.callback_late_days, which is 3; "
         "accepted now: 4 to 3650 (or change rules.callback_late_days first)"),
        ((), "rules.complaint_expire_days", "3",
         "rules.complaint_expire_days 3 conflicts with rules.complaint_followup_days, which is 3; "
         "accepted now: 4 to 3650 (or change rules.complaint_followup_days first)"),
        ((), "rules.occasion_lead_days", "8",
         "rules.occasion_lead_days 8 conflicts with rules.occasion_lead_days_a, which is 7; "
         "accepted now: 0 to 7 (or change rules.occasion_lead_days_a first)"),
        ((), "rules.prospect_b_days", "3",
         "rules.prospect_b_days 3 conflicts with rules.prospect_a_days, which is 4; accepted "
         "now: 4 to 15 (or change rules.prospect_a_days first)"),
        # Back to the default is a value too: at risk after 4 months, before cooling at 5.
        ((("rules.at_risk_months", "6"), ("rules.cooling_months", "5")), "rules.at_risk_months",
         None,
         "rules.at_risk_months 4 conflicts with rules.cooling_months, which is 5; accepted now: "
         "6 to 11 (or change rules.cooling_months first)"),
    ],
)  # fmt: skip
def test_config_refuses_a_value_that_contradicts_another_setting(
    kehu: Any, before: tuple[tuple[str, str], ...], key: str, value: str | None, said: str
) -> None:
    for earlier in before:
        kehu.ok("config", *earlier)
    path = Path(os.environ["KEHU_CONFIG"])
    written = path.read_bytes() if path.exists() else None
    in_force = kehu.json("config")
    args = ("config", key, value) if value is not None else ("config", key, "--unset")
    assert refused(kehu, 2, *args) == f"kehu: {said}"
    assert (path.read_bytes() if path.exists() else None) == written
    assert kehu.json("config") == in_force


def test_settings_in_order_are_taken_one_after_the_other(kehu: Any) -> None:
    # Each step keeps the order: the marks move out, then the tiers' cut-offs down.
    for key, value in (
        ("reports.lost_months", "24"),
        ("rules.at_risk_months", "8"),
        ("rules.cooling_months", "6"),
        ("reports.tier_a_percent", "60"),
        ("reports.tier_b_percent", "70"),
        ("rules.occasion_lead_days", "7"),
    ):
        kehu.ok("config", key, value)  # fmt: skip
    values = kehu.json("config")
    assert (values["rules.cooling_months"], values["rules.at_risk_months"]) == (6, 8)
    assert (values["reports.tier_a_percent"], values["reports.tier_b_percent"]) == (60, 70)


def test_a_contradicting_file_leaves_no_range_but_names_the_other_setting(kehu: Any) -> None:
    path = _config("[rules]\ncooling_months = 5\nat_risk_months = 4\n[reports]\nlost_months = 5\n")
    written = path.read_bytes()
    line = refused(kehu, 2, "config", "rules.at_risk_months", "4")
    assert line == (
        "kehu: rules.at_risk_months 4 conflicts with rules.cooling_months, which is 5; change "
        "rules.cooling_months first"
    )
    assert path.read_bytes() == written


def test_a_contradiction_is_said_in_chinese(tmp_path: Path) -> None:
    env = {**os.environ, "KEHU_LANG": "zh", "KEHU_CONFIG": str(tmp_path / "zh.toml")}
    done = subprocess.run(
        [sys.executable, "-m", "kehu", "config", "渐冷月数", "５"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr == (
        "kehu: rules.cooling_months 设为 5 与 rules.at_risk_months（现为 4）矛盾；现在可设：0 到 3"
        "（或先改 rules.at_risk_months）\n"
    )
    assert not (tmp_path / "zh.toml").exists()


@pytest.mark.parametrize(
    ("key", "value", "said", "zh"),
    [
        ("rules.holiday_lead_days", "400",
         "rules.holiday_lead_days takes a whole number from 0 to 60, like 3",
         "rules.holiday_lead_days 需要 0 到 60 之间的整数，如 3"),
        ("rules.occasion_lead_days_a", "366",
         "rules.occasion_lead_days_a takes a whole number from 0 to 60, like 7",
         "rules.occasion_lead_days_a 需要 0 到 60 之间的整数，如 7"),
        ("rules.thank_you_late_hours", "0",
         "rules.thank_you_late_hours takes a whole number from 1 to 87600, like 24",
         "rules.thank_you_late_hours 需要 1 到 87600 之间的整数，如 24"),
        ("rules.callback_early_days", "7",
         "rules.callback_early_days 7 conflicts with rules.callback_days, which is 7; accepted "
         "now: 0 to 6 (or change rules.callback_days first)",
         "rules.callback_early_days 设为 7 与 rules.callback_days（现为 7）矛盾；现在可设：0 到 6"
         "（或先改 rules.callback_days）"),
        ("rules.callback_days", "3,30",
         "rules.callback_days 3,30 conflicts with rules.callback_early_days, which is 3: the "
         "first call-back would count a contact from the delivery's day or before; accepted now: "
         "call-backs more than 3 days after the delivery (or change rules.callback_early_days "
         "first)",
         "rules.callback_days 设为 3,30 与 rules.callback_early_days（现为 3）矛盾：第一次回访会把"
         "交付当天或更早的联系算进去；现在可设：交付后超过 3 天的回访（或先改 "
         "rules.callback_early_days）"),
    ],
)  # fmt: skip
def test_config_refuses_a_lead_or_window_that_makes_no_sense(
    kehu: Any, key: str, value: str, said: str, zh: str
) -> None:
    """A greeting listed more than two months ahead (next year's beside this year's), a
    thank-you late at the delivery, a call-back whose window opens before the delivery."""
    assert refused(kehu, 2, "config", key, value) == f"kehu: {said}"
    assert not Path(os.environ["KEHU_CONFIG"]).exists()
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "config", key, value],
        capture_output=True, text=True, env={**os.environ, "KEHU_LANG": "zh"}, check=False,
    )  # fmt: skip
    assert (chinese.returncode, chinese.stdout, chinese.stderr) == (2, "", f"kehu: {zh}\n")
    assert not Path(os.environ["KEHU_CONFIG"]).exists()


def test_the_first_call_back_bounds_the_days_a_contact_counts_early(kehu: Any) -> None:
    kehu.ok("config", "rules.callback_early_days", "6")
    assert refused(kehu, 2, "config", "rules.callback_days", "5").startswith(
        "kehu: rules.callback_days 5 conflicts with rules.callback_early_days, which is 6"
    )
    kehu.ok("config", "rules.callback_days", "")  # none in days: a month is the first
    assert refused(kehu, 2, "config", "rules.callback_early_days", "28") == (
        "kehu: rules.callback_early_days 28 conflicts with rules.callback_months, which is "
        "1,3,6; accepted now: 0 to 27 (or change rules.callback_months first)"
    )
    kehu.ok("config", "rules.callback_early_days", "27")
    assert refused(kehu, 2, "config", "rules.callback_days", "--unset").startswith(
        "kehu: rules.callback_days 7 conflicts with rules.callback_early_days, which is 27"
    )
    kehu.ok("config", "rules.callback_months", "")  # no call-backs at all: nothing to bound
    kehu.ok("config", "rules.callback_early_days", "100")
    assert kehu.json("config")["rules.callback_early_days"] == 100


def test_a_file_with_such_values_is_one_warning_each_and_the_defaults_are_used(
    kehu: Any,
) -> None:
    kehu.ok("add", "王芳", "--tier", "A", "--product", "X", "--delivered", "2026-11-20")
    path = _config(
        "[rules]\nholiday_lead_days = 400\ncallback_early_days = 10\ncooling_months = 6\n"
        "at_risk_months = 2\n"
    )
    result = kehu("today")
    assert result.code == 0 and "王芳" in result.out and "Traceback" not in result.err, result
    assert result.err.splitlines() == [
        f"kehu: warning: the config file {path} has a bad value for rules.holiday_lead_days "
        "(rules.holiday_lead_days takes a whole number from 0 to 60, like 3); the default, 3, is "
        "used",
        f"kehu: warning: the config file {path} has rules.at_risk_months = 2 and "
        "rules.cooling_months = 6, which contradict each other (README, Settings); their "
        "defaults are used, 4 and 2",
        f"kehu: warning: the config file {path} has rules.callback_days = 7 and "
        "rules.callback_early_days = 10, which contradict each other (README, Settings); their "
        "defaults are used, 7 and 3",
    ]
    values = settings.load(path).values
    assert (values["rules.holiday_lead_days"], values["rules.callback_early_days"]) == (3, 3)
    assert (values["rules.cooling_months"], values["rules.at_risk_months"]) == (2, 4)
    chinese = subprocess.run(
        [sys.executable, "-m", "kehu", "today"],
        capture_output=True, text=True, env={**os.environ, "KEHU_LANG": "zh"}, check=False,
    )  # fmt: skip
    assert chinese.returncode == 0 and "王芳" in chinese.stdout
    assert (
        f"kehu: 注意：配置文件 {path} 中 rules.callback_days = 7 与 rules.callback_early_days = "
        "10 互相矛盾（见 README“设置”）；两者改用默认值 7 和 3"
    ) in chinese.stderr.splitlines()
