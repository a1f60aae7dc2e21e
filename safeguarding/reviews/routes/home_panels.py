"""The case reviews' panels and counts on the home page."""

from __future__ import annotations

from flask import url_for

from safeguarding import home
from safeguarding.models import Role
from safeguarding.reviews.routes.common import READERS
from safeguarding.services import reviews as svc

# --- home panels --------------------------------------------------------------------------------------


def _office_deadlines_panel(user):
    # Review deadlines count working days (closure days included), so this one panel is
    # computed in Python from one query rather than as a scalar select.
    n = svc.office_attention(user).deadlines_this_week
    if not n:
        return None
    return home.Panel(
        "Review deadlines this week",
        n,
        url_for("reviews.dashboard", _anchor="deadlines"),
        "due in the next 5 working days or already passed",
        home.DUE,
        "reviews.deadlines",
    )


def _refer_panel(user):
    if user.has_role(*READERS):
        return None  # the case reviews dashboard has the link
    return home.Panel(
        "Refer an adult for a Safeguarding Adults Review",
        None,
        url_for("reviews.refer"),
        "anyone may refer; give initials, never names",
        home.INFO,
        "reviews.refer",
    )


home.count(
    {Role.independent_chair},
    5,
    "Review decisions waiting",
    lambda u: url_for("reviews.dashboard", _anchor="decisions"),
    "referrals and rapid reviews for your decision",
    svc.decisions_waiting_select,
    key="reviews.decisions",
    kind=home.APPROVAL,
)
# Not for administrators: they hold accounts, not case content.
home.add({Role.viewer}, 95, _refer_panel)
home.add({Role.business_office}, 6, _office_deadlines_panel)
home.count(
    {Role.business_office},
    7,
    "Overdue information requests",
    lambda u: url_for("reviews.my_requests", status="sent", mine=0),
    "past their due date",
    svc.overdue_requests_select,
    key="reviews.overdue_requests",
    kind=home.DUE,
)
home.count(
    {Role.partner_member},
    8,
    "Information requests",
    "reviews.my_requests",
    "waiting for your organisation",
    lambda u: svc.agency_waiting_selects(u)[0] if svc.agency_organisation_id(u) else None,
    key="reviews.requests",
    kind=home.TASK,
)
home.count(
    {Role.partner_member},
    9,
    "Case review actions",
    lambda u: url_for("actions.log", source="review", organisation=u.organisation_id),
    "open for your organisation",
    lambda u: svc.agency_waiting_selects(u)[1] if svc.agency_organisation_id(u) else None,
    key="reviews.actions",
    kind=home.TASK,
)
