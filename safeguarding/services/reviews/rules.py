"""Case review settings and the numbers they run on: our configurable defaults, the
statutory deadlines (Working Together), the LCSPR criteria and who sees everything."""

from __future__ import annotations

from safeguarding.models import Role

# --- settings ------------------------------------------------------------------------------

# Defaults (ours, configurable through the app config / instance/config.py).
DEFAULTS: dict[str, int] = {
    "REVIEW_REQUEST_WORKING_DAYS": 20,  # an information request is due this many working days after sending
    "SAR_REPORT_TARGET_MONTHS": 6,  # a SAR's final report target, in months from the decision to commission
    "REVIEW_WARNING_WORKING_DAYS": 3,  # warn the office and the chair this many working days before a deadline
    "REVIEW_CHASE_EVERY_WORKING_DAYS": 5,  # chase an overdue information request again after this many
}
# Statutory (Working Together to Safeguard Children): not ours to change.
NOTIFY_PANEL_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
LCSPR_REPORT_MONTHS = 6
MAX_CHILDREN_PER_NOTIFICATION = 4

LCSPR_CRITERIA = {
    "improvements_needed": "The case highlights improvements needed to safeguard and promote the welfare of children",
    "recurrent_themes": "The case highlights recurrent themes in the safeguarding of children",
    "agencies_working_together": "There are concerns about two or more agencies working together",
    "panel_suggested": "The national panel has suggested a local review",
}

FULL_ROLES = (Role.business_office, Role.independent_chair)
MEMBER_ROLES = (Role.partner_member, Role.subgroup_chair)


def setting(name: str) -> int:
    from flask import current_app, has_app_context

    if has_app_context():
        return int(current_app.config.get(name, DEFAULTS[name]))
    return DEFAULTS[name]
