"""The names of the settings as `kehu config` shows them: the key itself in English, a label in
the chosen language (语言 for language) elsewhere; typing that label names the setting too."""

from kehu.base import i18n
from kehu.base.i18n import _


def labels() -> dict[str, str]:
    """Each setting's key and its name in the bound language (the key when not translated)."""
    return {
        "timezone": _("timezone"),
        "language": _("language"),
        "rules.thank_you_late_hours": _("rules.thank_you_late_hours"),
        "rules.thank_you_expire_days": _("rules.thank_you_expire_days"),
        "rules.callback_days": _("rules.callback_days"),
        "rules.callback_months": _("rules.callback_months"),
        "rules.callback_early_days": _("rules.callback_early_days"),
        "rules.callback_late_days": _("rules.callback_late_days"),
        "rules.callback_last_window_days": _("rules.callback_last_window_days"),
        "rules.cooling_months": _("rules.cooling_months"),
        "rules.at_risk_months": _("rules.at_risk_months"),
        "rules.keep_in_touch_days": _("rules.keep_in_touch_days"),
        "rules.referral_late_days": _("rules.referral_late_days"),
        "rules.referral_expire_days": _("rules.referral_expire_days"),
        "rules.complaint_followup_days": _("rules.complaint_followup_days"),
        "rules.complaint_expire_days": _("rules.complaint_expire_days"),
        "rules.daily_target": _("rules.daily_target"),
    }


def shown(key: str) -> str:
    """The key, followed by its label where the language has one: "language（语言）"."""
    label = labels().get(key, key)
    return key if label == key else f"{key}（{label}）"


def key_of(typed: str) -> str:
    """The setting a user named by its key or by its label in any language (每日目标 in the
    English interface too); what was typed when neither."""
    named = typed.strip()
    for key, label in labels().items():
        names = {label, *(i18n.in_language(language, key) for language in i18n.LANGUAGES)}
        if named in names - {key}:
            return key
    return typed
