"""The names of the settings as `kehu config` shows them: the key itself in English, a label in
the chosen language (语言 for language) elsewhere; typing that label names the setting too."""

from kehu.base import i18n
from kehu.base.i18n import _


def labels() -> dict[str, str]:
    """Each setting's key and its name in the bound language (the key when not translated)."""
    return {
        "timezone": _("timezone"),
        "language": _("language"),
        "signature.name": _("signature.name"),
        "signature.company": _("signature.company"),
        "signature.phone": _("signature.phone"),
        "signature.name_en": _("signature.name_en"),
        "signature.company_en": _("signature.company_en"),
        "salutation.latin": _("salutation.latin"),
        "default_channel": _("default_channel"),
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
        "rules.keep_in_touch_jitter_days": _("rules.keep_in_touch_jitter_days"),
        "rules.referral_late_days": _("rules.referral_late_days"),
        "rules.referral_expire_days": _("rules.referral_expire_days"),
        "rules.complaint_followup_days": _("rules.complaint_followup_days"),
        "rules.complaint_expire_days": _("rules.complaint_expire_days"),
        "rules.daily_target": _("rules.daily_target"),
        "rules.rest_days": _("rules.rest_days"),
        "rules.occasion_lead_days": _("rules.occasion_lead_days"),
        "rules.occasion_lead_days_a": _("rules.occasion_lead_days_a"),
        "rules.feb29": _("rules.feb29"),
        "rules.prospect_h_days": _("rules.prospect_h_days"),
        "rules.prospect_a_days": _("rules.prospect_a_days"),
        "rules.prospect_b_days": _("rules.prospect_b_days"),
        "rules.prospect_c_days": _("rules.prospect_c_days"),
        "rules.prospect_o_days": _("rules.prospect_o_days"),
        "rules.prospect_n_days": _("rules.prospect_n_days"),
        "rules.holidays": _("rules.holidays"),
        "rules.holiday_lead_days": _("rules.holiday_lead_days"),
        "rules.holiday_country": _("rules.holiday_country"),
        "reports.tier_a_percent": _("reports.tier_a_percent"),
        "reports.tier_b_percent": _("reports.tier_b_percent"),
        "reports.influence_referrals": _("reports.influence_referrals"),
        "reports.lost_months": _("reports.lost_months"),
        "server.statement_timeout": _("server.statement_timeout"),
    }


def shown(key: str) -> str:
    """The key, followed by its label where the language has one: "language（语言）"."""
    label = labels().get(key, key)
    return key if label == key else f"{key}（{label}）"


def key_of(typed: str) -> str:
    """The setting a user named by its key (typed in full width too: ｌａｎｇｕａｇｅ) or by its
    label in any language (每日目标 in the English interface too); what was typed when neither."""
    from kehu.base.typed import half_width

    named, known = typed.strip(), labels()
    if half_width(named) in known:
        return half_width(named)
    for key, label in known.items():
        names = {label, *(i18n.in_language(language, key) for language in i18n.LANGUAGES)}
        if named in names - {key}:
            return key
    return typed
