"""The scheduler's Rules as the user's settings set them. The setting keys are the users'
words and the Rules fields the code's: this table joins them, so either can be renamed alone."""

from collections.abc import Mapping
from typing import Any

from kehu.rules.greetings import checked_holidays
from kehu.rules.records import Rules

FIELD_OF_SETTING: Mapping[str, str] = {
    "rules.thank_you_late_hours": "thank_you_late_hours",
    "rules.thank_you_expire_days": "thank_you_expire_days",
    "rules.callback_days": "callback_days",
    "rules.callback_months": "callback_months",
    "rules.callback_early_days": "callback_early_days",
    "rules.callback_late_days": "callback_late_days",
    "rules.callback_last_window_days": "callback_last_window_days",
    "rules.cooling_months": "cooling_months",
    "rules.at_risk_months": "at_risk_months",
    "rules.keep_in_touch_days": "keep_in_touch_days",
    "rules.keep_in_touch_jitter_days": "keep_in_touch_jitter_days",
    "rules.referral_late_days": "referral_late_days",
    "rules.referral_expire_days": "referral_expire_days",
    "rules.complaint_followup_days": "complaint_followup_days",
    "rules.complaint_expire_days": "complaint_expire_days",
    "rules.daily_target": "daily_target",
    "rules.occasion_lead_days": "occasion_lead_days",
    "rules.occasion_lead_days_a": "occasion_lead_days_a",
    "rules.feb29": "feb29",
    "rules.rest_days": "rest_days",
    **{f"rules.prospect_{lv}_days": f"prospect_{lv}_days" for lv in "habcon"},
    "rules.holidays": "holidays",
    "rules.holiday_lead_days": "holiday_lead_days",
    "rules.holiday_country": "holiday_country",
}


def rules_from(values: Mapping[str, Any]) -> Rules:
    """Rules from the settings in force (kehu.base.settings.Settings.values)."""
    fields = {field: values[key] for key, field in FIELD_OF_SETTING.items()}
    # Checked as they were read (base/settings.py): codes, or the default.
    holidays = checked_holidays(str(fields["holidays"]))
    fields["holidays"] = Rules().holidays if holidays is None else holidays
    fields["holiday_country"] = str(fields["holiday_country"]).strip().upper()
    return Rules(**fields)
