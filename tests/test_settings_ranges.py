"""Every setting has a type and a range, checked when `kehu config` sets it and when the file
is read: a bad value in the file is one warning naming the setting and the default used, and
the daily list still comes."""

import os
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
