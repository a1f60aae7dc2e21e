"""Meetings on each role's home page: the counts (registered when the pages are imported)."""

from __future__ import annotations

from flask import url_for

from safeguarding import home
from safeguarding.models import Role
from safeguarding.services import meetings as svc

# --- home panels ------------------------------------------------------------------------------

home.count(
    {Role.partner_member, Role.subgroup_chair},
    10,
    "Upcoming meetings",
    "meetings.index",
    "in the next 8 weeks: send apologies and name your deputy if you cannot attend",
    svc.upcoming_without_reply_select,
    key="meetings.apologies",
    kind=home.TASK,
)
home.count(
    {Role.subgroup_chair},
    11,
    "Your groups' meetings",
    "meetings.index",
    "in the next 8 weeks, of the groups you chair",
    svc.chaired_meetings_select,
    key="meetings.chaired",
    kind=home.INFO,
)
home.count(
    {Role.partner_member, Role.subgroup_chair},
    15,
    "Interim decisions to validate",
    "meetings.awaiting_validation",
    "for your organisation",
    svc.validations_awaiting_select,
    key="meetings.validations",
    kind=home.APPROVAL,
)
home.count(
    {Role.independent_chair, Role.subgroup_chair},
    10,
    "Minutes to approve",
    lambda u: url_for("meetings.minutes_list", state="submitted"),
    "submitted by the business office",
    svc.minutes_to_approve_select,
    key="meetings.minutes_to_approve",
    kind=home.APPROVAL,
)
home.count(
    {Role.independent_chair},
    15,
    "Chair's actions awaiting ratification",
    "meetings.chair_actions",
    "on the next Board agenda",
    lambda u: svc.awaiting_ratification_select(),
    key="meetings.chair_actions",
    kind=home.APPROVAL,
)
home.count(
    {Role.business_office},
    10,
    "Papers to publish",
    lambda u: url_for("meetings.index", state="scheduled"),
    "due this week or overdue",
    lambda u: svc.papers_due_soon_select(),
    key="meetings.papers",
    kind=home.DUE,
)
home.count(
    {Role.business_office},
    15,
    "Minutes to draft",
    lambda u: url_for("meetings.index", when="past", minutes="needed"),
    "meetings held without submitted minutes",
    lambda u: svc.meetings_needing_minutes_select(),
    key="meetings.minutes_to_draft",
    kind=home.TASK,
)

home.count(
    {Role.business_office},
    40,
    "Board members yet to declare their interests",
    "meetings.register_of_interests",
    "for this financial year",
    lambda u: svc.yet_to_declare_select(),
    key="meetings.interests_waiting",
)
home.count(
    {Role.partner_member, Role.subgroup_chair, Role.independent_chair},
    12,
    "Declare your interests for the year",
    "meetings.interest_return",
    "as a Board member: your interests, or a nil return",
    lambda u: svc.yet_to_declare_select(person_id=u.person_id) if u.person_id else None,
    key="meetings.own_interests",
    kind=home.TASK,
)
