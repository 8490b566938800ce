"""Settings are a table of their own: key, type, default, range and help; the scheduler's Rules
are built from it; the file may hold keys kehu does not know (a warning, not a failure)."""

import os
from pathlib import Path

from kehu.base import settings
from kehu.rules import configured
from kehu.rules.records import Rules


def test_every_rule_is_a_setting_with_the_rules_default():
    rule_keys = {s.key for s in settings.SETTINGS if s.key.startswith("rules.")}
    assert set(configured.FIELD_OF_SETTING) == rule_keys
    assert sorted(configured.FIELD_OF_SETTING.values()) == sorted(Rules._fields)
    assert configured.rules_from(settings.Settings().values) == Rules()


def test_every_setting_has_one_line_of_help():
    for setting in settings.SETTINGS:
        assert setting.help and "\n" not in setting.help, setting.key
        assert isinstance(setting.default, setting.type), setting.key


def test_changed_settings_reach_the_rules(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text("[rules]\ncooling_months = 3\ncallback_months = [1, 12]\n", encoding="utf-8")
    rules = configured.rules_from(settings.load(path).values)
    assert rules.cooling_months == 3 and rules.callback_months == (1, 12)
    assert rules.daily_target == Rules().daily_target


def test_an_unknown_key_in_the_file_is_one_warning_not_a_failure(kehu):
    kehu.ok("add", "周杰", "--phone", "13733334444")
    config = Path(os.environ["KEHU_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text("[rules]\nold_name = 3\ndaily_target = 4\n", encoding="utf-8")
    result = kehu("today", "--json")
    assert result.code == 0
    assert result.err.splitlines() == [
        f"kehu: warning: the config file {config} has a setting kehu does not know, "
        "rules.old_name; it is ignored (`kehu config` lists the settings)"
    ]
    shown = kehu("config", "rules.daily_target", "--json")
    assert shown.out.split() == ["{", '"rules.daily_target":', "4", "}"]


def test_a_bad_value_in_the_file_is_one_warning_and_the_default(kehu):
    kehu.ok("add", "王芳")
    config = Path(os.environ["KEHU_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text("[rules]\ndaily_target = 'many'\n", encoding="utf-8")
    result = kehu("today")
    assert result.code == 0
    assert result.err == (
        f"kehu: warning: the config file {config} has a bad value for rules.daily_target "
        "(rules.daily_target takes a whole number, like 10); the default, 10, is used\n"
    )


def test_config_json_gives_typed_values_and_the_zone_in_use(kehu, monkeypatch):
    monkeypatch.delenv("KEHU_TZ")
    monkeypatch.setenv("TZ", "Europe/Paris")
    data = kehu.json("config")
    assert data["timezone"] == "Europe/Paris"  # the system's, named
    assert data["rules.callback_months"] == [1, 3, 6]
    assert data["rules.thank_you_late_hours"] == 24
    assert list(data) == sorted(s.key for s in settings.SETTINGS)
    assert kehu.json("config", "rules.daily_target") == {"rules.daily_target": 10}


def test_config_shows_what_each_setting_sets(kehu):
    out = kehu.ok("config")
    for setting in settings.SETTINGS:
        assert any(line.split()[:1] == [setting.key] and setting.help[:20] in line
                   for line in out.splitlines()), setting.key  # fmt: skip
    one = kehu.ok("config", "rules.cooling_months")
    assert "Months without a reached contact" in one and "daily_target" not in one


def test_the_config_file_is_written_whole_and_private(kehu):
    kehu.ok("config", "rules.daily_target", "12")
    config = Path(os.environ["KEHU_CONFIG"])
    assert config.stat().st_mode & 0o777 == 0o600
    assert config.read_text(encoding="utf-8") == "[rules]\ndaily_target = 12\n"
    assert [p.name for p in config.parent.iterdir()] == ["config.toml"]  # no temporary left


def test_a_refused_setting_makes_no_config_folder(kehu):
    config = Path(os.environ["KEHU_CONFIG"])
    for args in (("rules.daily_target", "abc"), ("timezone", "Mars/Base")):
        result = kehu("config", *args)
        assert result.code == 2 and result.err.count("\n") == 1
        assert not config.parent.exists()
    kehu.ok("config", "rules.daily_target", "12")
    kehu("config", "rules.daily_target", "abc")
    assert config.read_text(encoding="utf-8") == "[rules]\ndaily_target = 12\n"
